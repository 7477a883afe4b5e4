/* cli/cmd_keys.c — `accord keys`: generate keys, run a small CA, show certificates,
 * manage the trust store, check keys. Parses options and prints; keys/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char keys_usage[] =
	"usage: accord keys VERB [OPTIONS]\n"
	"\n"
	"Verbs:\n"
	"  generate  --name NAME --org ORG --country CC --email ADDR -o PREFIX\n"
	"            [--algo ecdsa-p256|ed25519|rsa3072] [--passphrase-file F] [--days N]\n"
	"            [--weak-passphrase]\n"
	"            a key pair and a self-signed party certificate: PREFIX.key, PREFIX.crt\n"
	"  ca        --name NAME [--org O] [--country CC] -o PREFIX [--algo A]\n"
	"            [--passphrase-file F] [--days N] [--weak-passphrase]\n"
	"            a CA key and certificate\n"
	"  issue     --ca-key K --ca-cert C [--ca-passphrase-file F] --name NAME [--org O]\n"
	"            [--country CC] [--email E] -o PREFIX [--tsa] [--algo A]\n"
	"            [--passphrase-file F] [--days N] [--weak-passphrase]\n"
	"            a party (or TSA) certificate from a CA\n"
	"  show      FILE|- [--json]        subject, issuer, validity, algorithm, usage, fingerprint\n"
	"  trust     FILE [--store DIR] [--leaf] [--fingerprint SHA256]\n"
	"            add a CA certificate to the trust store; --leaf to pin a party's own\n"
	"            certificate instead; --fingerprint: refuse FILE unless its SHA-256\n"
	"            fingerprint is this one (hex, colons optional, any case)\n"
	"  untrust   FP [--store DIR]       remove one (full fingerprint or >= 8 hex digits)\n"
	"  list      [--store DIR]          list the trust store\n"
	"  revoke    --ca-key K --ca-cert C [--ca-passphrase-file F] -o CRL.pem\n"
	"            [--at TIME] [--reason R] CERT...   issue (or extend) a CRL\n"
	"            R: unspecified, keyCompromise, CACompromise, affiliationChanged,\n"
	"            superseded, cessationOfOperation (kept in the CA's records for OCSP)\n"
	"  check     --key K --cert C [--passphrase-file F]\n"
	"            open the key (file or pkcs11: URL) and check it matches the certificate\n"
	"  verify    CERT [--trust FILE|DIR]... [--no-trust-store] [--at TIME] [--crl FILE]...\n"
	"            [--ocsp FILE]... [--allow-sha1]\n"
	"            may CERT sign for you? its path to your trust anchors (the trust store\n"
	"            and --trust) checked as verify checks a signer's, as of now or --at;\n"
	"            exit 0 trusted to sign, 2 not confirmed (no path, expired, revoked,\n"
	"            not for signing), 1 failed\n"
	"\n"
	"-o is short for --out: where the result goes (PREFIX.key and PREFIX.crt, the CRL).\n"
	"Keys are always stored encrypted (PKCS#8, PBES2 AES-256) with mode 0600; existing\n"
	"files are never overwritten. Passphrases come from --passphrase-file, the\n"
	"ACCORD_PASSPHRASE environment variable or the terminal, never the command line; the\n"
	"CA key's from --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else the same source.\n"
	"A passphrase file is used whole, less one final newline (\\n or \\r\\n), and must not\n"
	"be accessible by group or others (chmod 600). Nothing is ever cut: a passphrase of\n"
	"more than 1024 bytes, or holding a NUL, a line break or another control character,\n"
	"is refused, from any source. A new key's passphrase has at least 8 characters\n"
	"(--weak-passphrase allows fewer).\n"
	"A pkcs11: key URL takes the passphrase as the token PIN; the PKCS#11 module is\n"
	"$ACCORD_PKCS11_MODULE if set, else the modules p11-kit is configured with.\n"
	"The trust store folder is --store DIR, else $ACCORD_TRUST_DIR, else\n"
	"$XDG_CONFIG_HOME/accord/trust, else ~/.config/accord/trust. A folder named by\n"
	"--store or ACCORD_TRUST_DIR must exist (a typo is an error, not an empty store); the\n"
	"default one not made yet has no anchors (`keys trust` makes it, mode 0700). Its\n"
	"anchors, for list, untrust, verify, extend and tsa verify alike, are the files\n"
	"`keys trust` wrote: <sha256>.pem whose certificate has that fingerprint, symbolic\n"
	"links not followed. Anything else there is ignored, with a warning naming it. The\n"
	"folder and its files must be yours and writable by nobody else (chmod 700 the\n"
	"folder, 644 the files), else the store is refused.\n"
	"A CA keeps records of what it issued and revoked beside its key (ca.key: ca.index,\n"
	"OpenSSL's index.txt format); `accord ocsp` answers from them.\n";

enum {
	OPT_OUT = 'o', OPT_NAME = 256, OPT_ORG, OPT_COUNTRY, OPT_EMAIL, OPT_ALGO, OPT_PASSFILE,
	OPT_DAYS, OPT_CA_KEY, OPT_CA_CERT, OPT_CA_PASSFILE, OPT_TSA, OPT_JSON, OPT_STORE,
	OPT_AT, OPT_KEY, OPT_CERT, OPT_REASON, OPT_WEAK, OPT_LEAF, OPT_FINGERPRINT, OPT_HELP
};

static const struct option long_opts[] = {
	{"name", required_argument, NULL, OPT_NAME},
	{"org", required_argument, NULL, OPT_ORG},
	{"country", required_argument, NULL, OPT_COUNTRY},
	{"email", required_argument, NULL, OPT_EMAIL},
	{"out", required_argument, NULL, OPT_OUT},
	{"algo", required_argument, NULL, OPT_ALGO},
	{"passphrase-file", required_argument, NULL, OPT_PASSFILE},
	{"days", required_argument, NULL, OPT_DAYS},
	{"ca-key", required_argument, NULL, OPT_CA_KEY},
	{"ca-cert", required_argument, NULL, OPT_CA_CERT},
	{"ca-passphrase-file", required_argument, NULL, OPT_CA_PASSFILE},
	{"tsa", no_argument, NULL, OPT_TSA},
	{"json", no_argument, NULL, OPT_JSON},
	{"store", required_argument, NULL, OPT_STORE},
	{"at", required_argument, NULL, OPT_AT},
	{"key", required_argument, NULL, OPT_KEY},
	{"cert", required_argument, NULL, OPT_CERT},
	{"reason", required_argument, NULL, OPT_REASON},
	{"weak-passphrase", no_argument, NULL, OPT_WEAK},
	{"leaf", no_argument, NULL, OPT_LEAF},
	{"fingerprint", required_argument, NULL, OPT_FINGERPRINT},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

struct keys_opts {
	const char *name, *org, *country, *email, *out, *algo, *passfile, *days;
	const char *ca_key, *ca_cert, *ca_passfile, *store, *at, *key, *cert, *reason;
	const char *fingerprint;
	int tsa, json, weak, leaf, help;
	char **args; /* operands after the options */
	int nargs;
};

/* Parse the shared option set; allowed lists the option codes this sub-verb takes. */
static int parse_opts(const char *verb, int argc, char **argv, const int *allowed,
		      struct keys_opts *o)
{
	char sub[64];
	cli_parser p = {.verb = sub, .shortopts = "o:", .opts = long_opts, .allowed = allowed};
	int c;

	snprintf(sub, sizeof sub, "keys %s", verb);
	memset(o, 0, sizeof *o);
	while ((c = cli_getopt(&p, argc, argv)) >= 0) {
		switch (c) {
		case OPT_NAME: o->name = optarg; break;
		case OPT_ORG: o->org = optarg; break;
		case OPT_COUNTRY: o->country = optarg; break;
		case OPT_EMAIL: o->email = optarg; break;
		case OPT_OUT: o->out = optarg; break;
		case OPT_ALGO: o->algo = optarg; break;
		case OPT_PASSFILE: o->passfile = optarg; break;
		case OPT_DAYS: o->days = optarg; break;
		case OPT_CA_KEY: o->ca_key = optarg; break;
		case OPT_CA_CERT: o->ca_cert = optarg; break;
		case OPT_CA_PASSFILE: o->ca_passfile = optarg; break;
		case OPT_TSA: o->tsa = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_STORE: o->store = optarg; break;
		case OPT_AT: o->at = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case OPT_CERT: o->cert = optarg; break;
		case OPT_REASON: o->reason = optarg; break;
		case OPT_WEAK: o->weak = 1; break;
		case OPT_LEAF: o->leaf = 1; break;
		case OPT_FINGERPRINT: o->fingerprint = optarg; break;
		}
	}
	if (c == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	o->help = c == CLI_OPT_HELP;
	o->args = argv + optind;
	o->nargs = argc - optind;
	return EXIT_VALID;
}

static void print_fingerprint(const char *crt_path)
{
	accord_cert_info info;
	accord_error err;

	accord_error_clear(&err);
	if (accord_cert_info_load(crt_path, &info, &err) != ACCORD_OK) {
		cli_fail(&err);
		return;
	}
	printf("SHA-256 fingerprint: %s\n", info.sha256);
}

static char *ca_passphrase_get(const struct keys_opts *o, accord_error *err)
{
	return cli_ca_passphrase_get(o->ca_passfile, o->passfile, err);
}

/* generate, ca and issue: a new key pair and certificate. */
static int keys_make(const char *verb, int argc, char **argv)
{
	static const int gen_opts[] = {OPT_NAME, OPT_ORG, OPT_COUNTRY, OPT_EMAIL, OPT_OUT,
				       OPT_ALGO, OPT_PASSFILE, OPT_DAYS, OPT_WEAK, 0};
	static const int issue_opts[] = {OPT_NAME, OPT_ORG, OPT_COUNTRY, OPT_EMAIL, OPT_OUT,
					 OPT_ALGO, OPT_PASSFILE, OPT_DAYS, OPT_CA_KEY,
					 OPT_CA_CERT, OPT_CA_PASSFILE, OPT_TSA, OPT_WEAK, 0};
	int is_issue = !strcmp(verb, "issue"), is_ca = !strcmp(verb, "ca");
	char sub[64], crt_path[4096];
	struct keys_opts o;
	accord_identity id;
	accord_issuer issuer;
	accord_algo algo = ACCORD_ALGO_ECDSA_P256;
	accord_error err;
	char *pass = NULL, *ca_pass = NULL;
	unsigned days = 0;
	int rc;

	snprintf(sub, sizeof sub, "keys %s", verb);
	rc = parse_opts(verb, argc, argv, is_issue ? issue_opts : gen_opts, &o);
	if (rc != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(keys_usage, stdout);
		return EXIT_VALID;
	}
	if (o.nargs)
		return cli_usage_error(sub, "unexpected argument '%s'", o.args[0]);
	if (!o.name)
		return cli_usage_error(sub, "--name is required");
	if (!o.out)
		return cli_usage_error(sub, "-o PREFIX is required");
	if (is_issue && (!o.ca_key || !o.ca_cert))
		return cli_usage_error(sub, "--ca-key and --ca-cert are required");
	if (o.algo && accord_algo_from_name(o.algo, &algo) != ACCORD_OK)
		return cli_usage_error(sub, "unknown --algo '%s' (ecdsa-p256, ed25519, rsa3072)",
				       o.algo);
	if (o.algo && !strcmp(o.algo, "ed25519"))
		cli_message("--algo ed25519: warning: DigiDoc (libdigidocpp) cannot verify Ed25519 signatures; use ecdsa-p256 or rsa3072 for packages DigiDoc must read");
	if (o.days) {
		char *end;
		unsigned long d = strtoul(o.days, &end, 10);
		if (*end || !*o.days || d == 0 || d > 36500)
			return cli_usage_error(sub, "--days wants a number from 1 to 36500");
		days = (unsigned)d;
	}
	memset(&id, 0, sizeof id);
	id.name = o.name;
	id.org = o.org;
	id.country = o.country;
	id.email = o.email;
	accord_error_clear(&err);
	if (is_issue) {
		ca_pass = ca_passphrase_get(&o, &err);
		if (!ca_pass)
			return cli_fail(&err);
		memset(&issuer, 0, sizeof issuer);
		issuer.key_path = o.ca_key;
		issuer.cert_path = o.ca_cert;
		issuer.passphrase = ca_pass;
	}
	pass = cli_new_passphrase_get(o.passfile, "Passphrase for the new key: ", o.weak, &err);
	if (!pass) {
		rc = cli_fail(&err);
		goto out;
	}
	rc = accord_keys_generate(&(accord_keygen_options){
		.id = id, .algo = algo,
		.kind = is_ca ? ACCORD_CERT_CA : o.tsa ? ACCORD_CERT_TSA : ACCORD_CERT_PARTY,
		.days = days, .issuer = is_issue ? &issuer : NULL, .passphrase = pass}, o.out, &err);
	if (rc != ACCORD_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	snprintf(crt_path, sizeof crt_path, "%s.crt", o.out);
	printf("wrote %s.key (encrypted) and %s\n", o.out, crt_path);
	print_fingerprint(crt_path);
	rc = EXIT_VALID;
out:
	cli_passphrase_free(pass);
	cli_passphrase_free(ca_pass);
	return rc;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_info_json(const accord_cert_info *i)
{
	char nb[40], na[40];

	accord_time_format(i->not_before, nb, sizeof nb);
	accord_time_format(i->not_after, na, sizeof na);
	printf("{\"subject\": ");
	json_string(i->subject);
	printf(", \"issuer\": ");
	json_string(i->issuer);
	printf(", \"name\": ");
	json_string(i->name);
	printf(", \"email\": ");
	json_string(i->email);
	printf(", \"serial\": ");
	json_string(i->serial_hex);
	printf(", \"not_before\": \"%s\", \"not_after\": \"%s\", \"algorithm\": ", nb, na);
	json_string(i->algorithm);
	printf(", \"key_usage\": ");
	json_string(i->key_usage);
	printf(", \"ca\": %s, \"tsa\": %s, \"sha256\": \"%s\"}\n", i->is_ca ? "true" : "false",
	       i->is_tsa ? "true" : "false", i->sha256);
}

static void print_info(const accord_cert_info *i)
{
	char nb[40], na[40];

	accord_time_format(i->not_before, nb, sizeof nb);
	accord_time_format(i->not_after, na, sizeof na);
	printf("Subject:     %s\n", i->subject);
	printf("Issuer:      %s\n", i->issuer);
	if (i->email[0])
		printf("E-mail:      %s\n", i->email);
	printf("Serial:      %s\n", i->serial_hex);
	printf("Valid from:  %s\n", nb);
	printf("Valid until: %s\n", na);
	printf("Algorithm:   %s\n", i->algorithm);
	printf("Key usage:   %s\n", i->key_usage[0] ? i->key_usage : "(not restricted)");
	printf("CA:          %s\n", i->is_ca ? "yes" : "no");
	printf("TSA:         %s\n", i->is_tsa ? "yes (critical extendedKeyUsage timeStamping)"
					      : "no");
	printf("SHA-256:     %s\n", i->sha256);
}

static int keys_show(int argc, char **argv)
{
	static const int allowed[] = {OPT_JSON, 0};
	struct keys_opts o;
	accord_cert_info info;
	accord_error err;
	cli_pipe io;
	const char *file;
	int rc = parse_opts("show", argc, argv, allowed, &o);

	if (rc != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(keys_usage, stdout);
		return EXIT_VALID;
	}
	if (o.nargs != 1)
		return cli_usage_error("keys show", "give one certificate file");
	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	file = o.args[0];
	if ((rc = cli_stdin_file(&io, &file, CLI_SMALL_FILE_MAX)) == 0 &&
	    accord_cert_info_load(file, &info, &err) != ACCORD_OK) {
		cli_pipe_rename(&io, &err);
		rc = cli_fail(&err);
	}
	cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
	if (rc)
		return rc;
	if (o.json)
		print_info_json(&info);
	else
		print_info(&info);
	return EXIT_VALID;
}

static int list_one(const accord_cert_info *i, void *ud)
{
	char na[40];

	accord_time_format(i->not_after, na, sizeof na);
	printf("%s  %s%s%s  (until %s)\n", i->sha256, i->subject, i->is_ca ? "  [CA]" : "",
	       i->is_tsa ? "  [TSA]" : "", na);
	(*(size_t *)ud)++;
	return 0;
}

static int keys_store(const char *verb, int argc, char **argv)
{
	static const int trust_opts[] = {OPT_STORE, OPT_LEAF, OPT_FINGERPRINT, 0};
	static const int store_opts[] = {OPT_STORE, 0};
	int is_trust = !strcmp(verb, "trust");
	char dir[4096], sub[64];
	struct keys_opts o;
	accord_cert_info info;
	accord_error err;
	struct stat st;
	size_t count = 0;
	int optional = 0, existed;
	int rc = parse_opts(verb, argc, argv, is_trust ? trust_opts : store_opts, &o);

	snprintf(sub, sizeof sub, "keys %s", verb);
	if (rc != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(keys_usage, stdout);
		return EXIT_VALID;
	}
	accord_error_clear(&err);
	if (accord_truststore_locate(o.store, dir, sizeof dir, &optional, &err) != ACCORD_OK)
		return cli_fail(&err);
	if (!strcmp(verb, "list")) {
		if (o.nargs)
			return cli_usage_error(sub, "unexpected argument '%s'", o.args[0]);
		if (accord_truststore_list(dir, optional, list_one, cli_store_skipped, &count,
					   &err) != ACCORD_OK)
			return cli_fail(&err);
		if (!count)
			cli_message("%s: the trust store has no anchors", dir);
		return EXIT_VALID;
	}
	if (o.nargs != 1)
		return cli_usage_error(sub, is_trust ? "give one certificate file"
						     : "give one fingerprint");
	if (is_trust) {
		existed = stat(dir, &st) == 0;
		if (accord_truststore_add(dir, o.args[0], o.fingerprint,
					  o.leaf ? ACCORD_TRUST_LEAF : 0, &info, &err) != ACCORD_OK)
			return cli_fail(&err);
		if (!existed)
			printf("created the trust store %s (mode 0700)\n", dir);
		printf("trusted %s%s\nSHA-256 fingerprint: %s\n", info.subject,
		       info.is_ca ? "" : " (a pinned party, not a CA)", info.sha256);
	} else {
		if (accord_truststore_remove(dir, o.args[0], &info, &err) != ACCORD_OK)
			return cli_fail(&err);
		printf("removed %s\nSHA-256 fingerprint: %s\n", info.subject[0] ? info.subject : "(unreadable file)",
		       info.sha256[0] ? info.sha256 : info.sha256_hex);
	}
	return EXIT_VALID;
}

static int keys_revoke(int argc, char **argv)
{
	static const int allowed[] = {OPT_CA_KEY, OPT_CA_CERT, OPT_CA_PASSFILE, OPT_PASSFILE,
				      OPT_OUT, OPT_AT, OPT_REASON, 0};
	struct keys_opts o;
	accord_issuer ca;
	accord_error err;
	time_t at = 0;
	int reason = ACCORD_REASON_NONE;
	char *pass;
	int rc = parse_opts("revoke", argc, argv, allowed, &o);

	if (rc != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(keys_usage, stdout);
		return EXIT_VALID;
	}
	if (!o.ca_key || !o.ca_cert || !o.out)
		return cli_usage_error("keys revoke", "--ca-key, --ca-cert and -o CRL.pem are required");
	if (!o.nargs)
		return cli_usage_error("keys revoke", "name the certificates to revoke");
	if (o.at && accord_time_parse(o.at, &at) != 0)
		return cli_usage_error("keys revoke", "--at wants a time like 2026-01-31T12:00:00Z");
	if (o.reason && accord_crl_reason_from_name(o.reason, &reason) != ACCORD_OK)
		return cli_usage_error("keys revoke", "unknown --reason '%s' (see accord keys --help)",
				       o.reason);
	accord_error_clear(&err);
	pass = ca_passphrase_get(&o, &err);
	if (!pass)
		return cli_fail(&err);
	memset(&ca, 0, sizeof ca);
	ca.key_path = o.ca_key;
	ca.cert_path = o.ca_cert;
	ca.passphrase = pass;
	rc = accord_keys_revoke(&ca, &(accord_revoke_options){
		.certs = (const char *const *)o.args, .n_certs = (size_t)o.nargs, .time = at,
		.has_reason = reason != ACCORD_REASON_NONE, .reason = reason}, o.out, &err);
	cli_passphrase_free(pass);
	if (rc != ACCORD_OK)
		return cli_fail(&err);
	printf("wrote %s (%d certificate%s revoked now)\n", o.out, o.nargs, o.nargs == 1 ? "" : "s");
	return EXIT_VALID;
}

static int keys_check(int argc, char **argv)
{
	static const int allowed[] = {OPT_KEY, OPT_CERT, OPT_PASSFILE, 0};
	struct keys_opts o;
	accord_cert_info info;
	accord_error err;
	char *pass;
	int rc = parse_opts("check", argc, argv, allowed, &o);

	if (rc != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(keys_usage, stdout);
		return EXIT_VALID;
	}
	if (!o.key || !o.cert || o.nargs)
		return cli_usage_error("keys check", "--key and --cert are required");
	accord_error_clear(&err);
	pass = cli_passphrase_get(o.passfile,
				  strncmp(o.key, "pkcs11:", 7) ? "Passphrase for the key: "
							       : "PIN for the token: ",
				  0, &err);
	if (!pass)
		return cli_fail(&err);
	rc = accord_key_check(o.key, o.cert, pass, &err);
	cli_passphrase_free(pass);
	if (rc != ACCORD_OK)
		return cli_fail(&err);
	if (accord_cert_info_load(o.cert, &info, &err) != ACCORD_OK)
		return cli_fail(&err);
	printf("the key opens and matches %s\nSHA-256 fingerprint: %s\n", info.subject, info.sha256);
	return EXIT_VALID;
}

int cmd_keys(int argc, char **argv)
{
	const char *verb;

	if (argc < 2) {
		fputs(keys_usage, stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		fputs(keys_usage, stdout);
		return EXIT_VALID;
	}
	if (cli_wants_help(argc - 1, argv + 1))
		return cli_subverb_help("keys", keys_usage, verb);
	argc--;
	argv++;
	if (!strcmp(verb, "generate") || !strcmp(verb, "ca") || !strcmp(verb, "issue"))
		return keys_make(verb, argc, argv);
	if (!strcmp(verb, "show"))
		return keys_show(argc, argv);
	if (!strcmp(verb, "trust") || !strcmp(verb, "untrust") || !strcmp(verb, "list"))
		return keys_store(verb, argc, argv);
	if (!strcmp(verb, "revoke"))
		return keys_revoke(argc, argv);
	if (!strcmp(verb, "check"))
		return keys_check(argc, argv);
	if (!strcmp(verb, "verify"))
		return cmd_keys_verify(argc, argv);
	return cli_usage_error("keys", "unknown verb '%s'", verb);
}
