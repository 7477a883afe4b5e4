/* cli/cmd_keys.c — `accord keys`: generate keys, run a small CA, show certificates,
 * manage the trust store, check keys. Parses options and prints; keys/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

/* What keys, passphrases and the trust store obey: the end of the group's help and of
 * the sub-verbs' it concerns. */
#define KEYS_KEY_NOTES                                                                      \
	"Keys are always stored encrypted (PKCS#8, PBES2 AES-256) with mode 0600;\n" \
	"existing files are never overwritten. Passphrases come from --passphrase-file,\n" \
	"the ACCORD_PASSPHRASE environment variable or the terminal, never the command\n" \
	"line; the CA key's from --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else the\n" \
	"same source. A passphrase file is used whole, less one final newline (\\n or\n" \
	"\\r\\n), and must not be accessible by group or others (chmod 600). Nothing is\n" \
	"ever cut: a passphrase of more than 1024 bytes, or holding a NUL, a line break\n" \
	"or another control character, is refused, from any source. A new key's\n" \
	"passphrase has at least 8 characters (--weak-passphrase allows fewer).\n" \
	"A pkcs11: key URL takes the passphrase as the token PIN; the PKCS#11 module is\n" \
	"$ACCORD_PKCS11_MODULE if set, else the modules p11-kit is configured with.\n"
#define KEYS_STORE_NOTES                                                                    \
	"The trust store folder is --store DIR, else $ACCORD_TRUST_DIR, else\n" \
	"$XDG_CONFIG_HOME/accord/trust, else ~/.config/accord/trust. A folder named by\n" \
	"--store or ACCORD_TRUST_DIR must exist (a typo is an error, not an empty\n" \
	"store); the default one not made yet has no anchors (`keys trust` makes it,\n" \
	"mode 0700). Its anchors, for list, untrust, verify, extend and tsa verify\n" \
	"alike, are the files `keys trust` wrote: <sha256>.pem whose certificate has\n" \
	"that fingerprint, symbolic links not followed. Anything else there is ignored,\n" \
	"with a warning naming it. The folder and its files must be yours and writable\n" \
	"by nobody else (chmod 700 the folder, 644 the files), else the store is\n" \
	"refused.\n"
#define KEYS_CA_NOTES                                                                       \
	"A CA keeps records of what it issued and revoked beside its key (ca.key:\n" \
	"ca.index, OpenSSL's index.txt format); `accord ocsp` answers from them.\n"
#define KEYS_NOTES "\n" KEYS_KEY_NOTES KEYS_STORE_NOTES KEYS_CA_NOTES

static const char keys_usage[] =
	"usage: accord keys VERB [OPTIONS]\n"
	"\n"
	"Keys and certificates: make them, run a small CA, manage the trust store.\n"
	"\n"
	"Verbs:\n"
	"  generate  a key pair and a self-signed party certificate\n"
	"  ca        a CA key and certificate\n"
	"  issue     a party (or TSA) certificate from a CA\n"
	"  show      subject, issuer, validity, algorithm, usage, fingerprint\n"
	"  trust     add a CA certificate (or pin a party's) to the trust store\n"
	"  untrust   remove one from the trust store\n"
	"  list      list the trust store\n"
	"  revoke    issue (or extend) a CRL from the CA\n"
	"  check     open a key and check it matches its certificate\n"
	"  verify    may this certificate sign for you?\n"
	"\n"
	"`accord keys VERB --help` (or `accord help keys VERB`) describes each.\n"
	KEYS_NOTES;

/* The options of the sub-verbs that make a key and a certificate. */
#define KEYS_MAKE_NAME(what)                                                                \
	"      --name NAME          the " what "'s common name (required)\n"
#define KEYS_MAKE_SUBJECT                                                                   \
	"      --org ORG            the organisation (O) in the subject\n"                  \
	"      --country CC         the two-letter country (C) in the subject\n"            \
	"      --email ADDR         an e-mail address (subjectAltName)\n"
#define KEYS_MAKE_OUT                                                                       \
	"  -o, --out PREFIX         write PREFIX.key and PREFIX.crt (required; refused\n"   \
	"                           if either exists)\n"
#define KEYS_MAKE_TAIL(days)                                                                \
	"      --algo ecdsa-p256|ed25519|rsa3072  the key's algorithm (default\n" \
	"                           ecdsa-p256; DigiDoc cannot verify ed25519)\n"                      \
	"      --days N             validity in days, 1 to 36500 (default " days ")\n"     \
	HELP_PASSFILE HELP_WEAK HELP_HELP
#define KEYS_STORE                                                                          \
	"      --store DIR          the trust store folder (default: see below)\n"

static const cli_subverb_doc keys_docs[] = {
	{"generate",
	 "usage: accord keys generate --name NAME -o PREFIX [--org ORG] [--country CC]\n"
	 "                            [--email ADDR] [--algo ALGO] [--days N]\n"
	 "                            [--passphrase-file F] [--weak-passphrase]\n"
	 "\n"
	 "Makes a key pair and a self-signed party certificate: PREFIX.key (encrypted)\n"
	 "and PREFIX.crt, and prints the certificate's SHA-256 fingerprint.\n"
	 HELP_OPTIONS KEYS_MAKE_NAME("party") KEYS_MAKE_OUT KEYS_MAKE_SUBJECT
	 KEYS_MAKE_TAIL("1095") "\n" KEYS_KEY_NOTES},
	{"ca",
	 "usage: accord keys ca --name NAME -o PREFIX [--org ORG] [--country CC]\n"
	 "                      [--email ADDR] [--algo ALGO] [--days N]\n"
	 "                      [--passphrase-file F] [--weak-passphrase]\n"
	 "\n"
	 "Makes a CA: its key (PREFIX.key, encrypted) and self-signed certificate\n"
	 "(PREFIX.crt), to issue party and TSA certificates with `accord keys issue`.\n"
	 HELP_OPTIONS KEYS_MAKE_NAME("CA") KEYS_MAKE_OUT KEYS_MAKE_SUBJECT
	 KEYS_MAKE_TAIL("3650") "\n" KEYS_KEY_NOTES KEYS_CA_NOTES},
	{"issue",
	 "usage: accord keys issue --ca-key K --ca-cert C --name NAME -o PREFIX\n"
	 "                         [--ca-passphrase-file F] [--org ORG] [--country CC]\n"
	 "                         [--email ADDR] [--tsa] [--algo ALGO] [--days N]\n"
	 "                         [--passphrase-file F] [--weak-passphrase]\n"
	 "\n"
	 "Makes a key pair and a party certificate (a TSA certificate with --tsa) issued\n"
	 "by the CA, recorded in the CA's records for `accord ocsp`.\n"
	 HELP_OPTIONS HELP_CA_KEY_CERT(" (required)") HELP_CA_PASSFILE
	 KEYS_MAKE_NAME("certificate") KEYS_MAKE_OUT KEYS_MAKE_SUBJECT
	 "      --tsa                a TSA certificate (critical extendedKeyUsage\n"
	 "                           timeStamping) instead of a party's\n"
	 KEYS_MAKE_TAIL("1095") "\n" KEYS_KEY_NOTES KEYS_CA_NOTES},
	{"show",
	 "usage: accord keys show FILE|- [--json]\n"
	 "\n"
	 "Shows a certificate: subject, issuer, e-mail, serial, validity, algorithm, key\n"
	 "usage, CA and TSA flags and SHA-256 fingerprint. FILE - reads standard input.\n"
	 HELP_OPTIONS
	 "      --json               print it as one JSON object\n"
	 HELP_HELP},
	{"trust",
	 "usage: accord keys trust FILE [--store DIR] [--leaf] [--fingerprint SHA256]\n"
	 "\n"
	 "Adds a CA certificate to the trust store (as <sha256>.pem) and prints its\n"
	 "fingerprint: check it with its owner before you rely on it.\n"
	 HELP_OPTIONS KEYS_STORE
	 "      --leaf               pin a party's own (non-CA) certificate instead\n"
	 "      --fingerprint SHA256  refuse FILE unless its SHA-256 fingerprint is\n"
	 "                           this one (hex, colons optional, any case)\n"
	 HELP_HELP "\n" KEYS_STORE_NOTES},
	{"untrust",
	 "usage: accord keys untrust FP [--store DIR]\n"
	 "\n"
	 "Removes one anchor from the trust store, named by its SHA-256 fingerprint (the\n"
	 "whole of it or at least 8 hex digits, as `accord keys list` shows it).\n"
	 HELP_OPTIONS KEYS_STORE HELP_HELP "\n" KEYS_STORE_NOTES},
	{"list",
	 "usage: accord keys list [--store DIR]\n"
	 "\n"
	 "Lists the trust store's anchors: fingerprint, subject, [CA] or [TSA], expiry.\n"
	 HELP_OPTIONS KEYS_STORE HELP_HELP "\n" KEYS_STORE_NOTES},
	{"revoke",
	 "usage: accord keys revoke --ca-key K --ca-cert C -o CRL.pem [--at TIME]\n"
	 "                          [--reason R] [--ca-passphrase-file F]\n"
	 "                          [--passphrase-file F] CERT...\n"
	 "\n"
	 "Revokes each CERT: writes the CA's CRL (extending the one at CRL.pem) and keeps\n"
	 "the revocation in the CA's records, for `accord ocsp`.\n"
	 HELP_OPTIONS HELP_CA_KEY_CERT(" (required)")
	 "  -o, --out CRL.pem        the CRL to write (required)\n"
	 "      --at TIME            when revoked: YYYY-MM-DDTHH:MM:SSZ (default now)\n"
	 "      --reason R           unspecified, keyCompromise, CACompromise,\n"
	 "                           affiliationChanged, superseded or\n"
	 "                           cessationOfOperation\n"
	 HELP_CA_PASSFILE
	 "      --passphrase-file F  the CA key's passphrase when --ca-passphrase-file\n"
	 "                           and ACCORD_CA_PASSPHRASE are not given\n"
	 HELP_HELP "\n" KEYS_CA_NOTES},
	{"check",
	 "usage: accord keys check --key K --cert C [--passphrase-file F]\n"
	 "\n"
	 "Opens the key (a file or a pkcs11: URL) and checks that it matches the\n"
	 "certificate: before you sign, or after you move a key.\n"
	 HELP_OPTIONS
	 "      --key K              the private key file or pkcs11: URL (required)\n"
	 "      --cert C             its certificate (required)\n"
	 HELP_PASSFILE HELP_HELP "\n"
	 "A wrong passphrase and a key that is not the certificate's are both exit 1.\n"},
	{"verify",
	 "usage: accord keys verify CERT [--trust FILE|DIR]... [--no-trust-store]\n"
	 "                          [--at TIME] [--crl FILE]... [--ocsp FILE]...\n"
	 "                          [--allow-sha1]\n"
	 "\n"
	 "May CERT sign for you? Its path to your trust anchors (the trust store and\n"
	 "--trust) is checked as `accord verify` checks a signer's, as of now or --at.\n"
	 HELP_OPTIONS HELP_TRUST HELP_NO_TRUST_STORE
	 "      --at TIME            check as of TIME (YYYY-MM-DDTHH:MM:SSZ), not now\n"
	 HELP_CRL HELP_OCSP_FILE HELP_ALLOW_SHA1 HELP_HELP "\n"
	 "Exit codes: 0 trusted to sign, 2 not confirmed (no path, expired, revoked, not\n"
	 "for signing), 1 failed, 3 usage or I/O error.\n"},
	{NULL, NULL},
};

/* `accord keys VERB --help`: VERB's own help. */
static int keys_help(const char *verb)
{
	return cli_subverb_help(keys_usage, keys_docs, verb);
}

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
	if (o.help)
		return keys_help(verb);
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
	if (o.help)
		return keys_help("show");
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
	if (o.help)
		return keys_help(verb);
	accord_error_clear(&err);
	if (accord_truststore_locate(o.store, dir, sizeof dir, &optional, &err) != ACCORD_OK)
		return cli_fail(&err);
	if (!strcmp(verb, "list")) {
		if (o.nargs)
			return cli_usage_error(sub, "unexpected argument '%s'", o.args[0]);
		accord_truststore_list_options lo = {.anchor = list_one, .skipped = cli_store_skipped,
						     .ud = &count, .optional = optional};
		if (accord_truststore_list(dir, &lo, &err) != ACCORD_OK)
			return cli_fail(&err);
		if (!count)
			cli_message("%s: the trust store has no anchors", dir);
		return EXIT_VALID;
	}
	if (o.nargs != 1)
		return cli_usage_error(sub, is_trust ? "give one certificate file"
						     : "give one fingerprint");
	if (is_trust) {
		accord_truststore_add_options ao = {.fingerprint = o.fingerprint, .leaf = o.leaf};
		existed = stat(dir, &st) == 0;
		if (accord_truststore_add(dir, o.args[0], &ao, &info, &err) != ACCORD_OK)
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
	if (o.help)
		return keys_help("revoke");
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
	if (o.help)
		return keys_help("check");
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
		return keys_help(verb);
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
