/* cli/cmd_tsa.c — `accord tsa`: set up and run an RFC 3161 timestamp authority (file
 * mode or HTTP) and check its replies. Parses options and prints; tsa/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char tsa_usage[] =
	"usage: accord tsa VERB [OPTIONS]\n"
	"\n"
	"Verbs:\n"
	"  init    --dir DIR --name NAME [--ca-key K --ca-cert C [--ca-passphrase-file F]]\n"
	"          [--passphrase-file F] [--weak-passphrase]\n"
	"          [--algo ecdsa-p256|ed25519|rsa3072]\n"
	"          create a TSA in DIR: tsa.key, tsa.crt (critical EKU timeStamping; issued by\n"
	"          the CA when given, else self-signed), chain.pem, tsa.conf, serial\n"
	"  stamp   --dir DIR --request REQ.tsq --out REPLY.tsr [--force] [--passphrase-file F]\n"
	"          answer one request file (air-gapped hand-over); a bad request gets a\n"
	"          rejection reply written and exit status 1\n"
	"  serve   --dir DIR --listen ADDR:PORT [--passphrase-file F]\n"
	"          answer POST application/timestamp-query over HTTP until SIGINT/SIGTERM;\n"
	"          prints \"listening on ADDR:PORT\" to stderr once ready (port 0: any free)\n"
	"  verify  --reply REPLY.tsr --data FILE [--trust CA.pem]... [--untrusted CERT.pem]...\n"
	"          check a reply (or bare token) over FILE: signature, TSA certificate path\n"
	"          to the trust anchors as of genTime, critical timeStamping EKU, ESS binding\n"
	"          (without --trust: the trust store)\n"
	"\n"
	"tsa.conf sets the policy OID, the accuracy, the signature hash and whether tokens\n"
	"name the TSA. Serial numbers are 128 bits: a random prefix chosen at init and a\n"
	"counter saved (fsync) before each token is issued, so they never repeat.\n"
	"The key's passphrase comes from --passphrase-file, ACCORD_PASSPHRASE or the\n"
	"terminal; the CA key's from --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else the same.\n"	"A new key's passphrase has at least 8 characters (--weak-passphrase to allow\n"
	"fewer); passphrase rules: see accord keys --help.\n"
	"Exit codes: 0 done / valid, 1 refused or invalid, 3 usage or I/O error.\n";

enum {
	OPT_DIR = 256, OPT_NAME, OPT_CA_KEY, OPT_CA_CERT, OPT_CA_PASSFILE, OPT_PASSFILE,
	OPT_ALGO, OPT_REQUEST, OPT_OUT, OPT_FORCE, OPT_LISTEN, OPT_REPLY, OPT_DATA, OPT_TRUST,
	OPT_UNTRUSTED, OPT_WEAK, OPT_HELP
};

static const struct option long_opts[] = {
	{"dir", required_argument, NULL, OPT_DIR},
	{"name", required_argument, NULL, OPT_NAME},
	{"ca-key", required_argument, NULL, OPT_CA_KEY},
	{"ca-cert", required_argument, NULL, OPT_CA_CERT},
	{"ca-passphrase-file", required_argument, NULL, OPT_CA_PASSFILE},
	{"passphrase-file", required_argument, NULL, OPT_PASSFILE},
	{"algo", required_argument, NULL, OPT_ALGO},
	{"request", required_argument, NULL, OPT_REQUEST},
	{"out", required_argument, NULL, OPT_OUT},
	{"force", no_argument, NULL, OPT_FORCE},
	{"weak-passphrase", no_argument, NULL, OPT_WEAK},
	{"listen", required_argument, NULL, OPT_LISTEN},
	{"reply", required_argument, NULL, OPT_REPLY},
	{"data", required_argument, NULL, OPT_DATA},
	{"trust", required_argument, NULL, OPT_TRUST},
	{"untrusted", required_argument, NULL, OPT_UNTRUSTED},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

#define MAX_LIST 32

struct tsa_opts {
	const char *dir, *name, *ca_key, *ca_cert, *ca_passfile, *passfile, *algo;
	const char *request, *out, *listen, *reply, *data;
	const char *trust[MAX_LIST], *untrusted[MAX_LIST];
	size_t n_trust, n_untrusted;
	int force, weak, help;
};

static int parse_opts(const char *verb, int argc, char **argv, const int *allowed,
		      struct tsa_opts *o)
{
	char sub[64];
	int c, first = 1;

	snprintf(sub, sizeof sub, "tsa %s", verb);
	memset(o, 0, sizeof *o);
	while ((c = cli_next_option(sub, argc, argv, long_opts, allowed, OPT_HELP, &first)) >= 0) {
		switch (c) {
		case OPT_DIR: o->dir = optarg; break;
		case OPT_NAME: o->name = optarg; break;
		case OPT_CA_KEY: o->ca_key = optarg; break;
		case OPT_CA_CERT: o->ca_cert = optarg; break;
		case OPT_CA_PASSFILE: o->ca_passfile = optarg; break;
		case OPT_PASSFILE: o->passfile = optarg; break;
		case OPT_ALGO: o->algo = optarg; break;
		case OPT_REQUEST: o->request = optarg; break;
		case OPT_OUT: o->out = optarg; break;
		case OPT_FORCE: o->force = 1; break;
		case OPT_WEAK: o->weak = 1; break;
		case OPT_LISTEN: o->listen = optarg; break;
		case OPT_REPLY: o->reply = optarg; break;
		case OPT_DATA: o->data = optarg; break;
		case OPT_TRUST:
		case OPT_UNTRUSTED: {
			const char **list = c == OPT_TRUST ? o->trust : o->untrusted;
			size_t *n = c == OPT_TRUST ? &o->n_trust : &o->n_untrusted;
			if (*n >= MAX_LIST)
				return cli_usage_error(sub, "too many certificate files");
			list[(*n)++] = optarg;
			break;
		}
		default: o->help = 1; break;
		}
	}
	if (c == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	return EXIT_VALID;
}


static int tsa_init_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_DIR, OPT_NAME, OPT_CA_KEY, OPT_CA_CERT, OPT_CA_PASSFILE,
				      OPT_PASSFILE, OPT_ALGO, OPT_WEAK, 0};
	struct tsa_opts o;
	accord_error err;
	accord_issuer issuer;
	accord_algo algo = ACCORD_ALGO_ECDSA_P256;
	char *pass = NULL, *ca_pass = NULL;
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("init", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(tsa_usage, stdout);
		return EXIT_VALID;
	}
	if (!o.dir || !o.name)
		return cli_usage_error("tsa init", "--dir and --name are required");
	if (!o.ca_key != !o.ca_cert)
		return cli_usage_error("tsa init", "--ca-key and --ca-cert go together");
	if (o.algo && accord_algo_from_name(o.algo, &algo) != ACCORD_OK)
		return cli_usage_error("tsa init", "unknown --algo '%s'", o.algo);
	if (o.ca_key) {
		ca_pass = cli_ca_passphrase_get(o.ca_passfile, o.passfile, &err);
		if (!ca_pass)
			return cli_fail(&err);
		issuer.key_path = o.ca_key;
		issuer.cert_path = o.ca_cert;
		issuer.passphrase = ca_pass;
	}
	pass = cli_new_passphrase_get(o.passfile, "Passphrase for the new TSA key: ", o.weak, &err);
	if (!pass) {
		rc = cli_fail(&err);
		goto out;
	}
	if (accord_tsa_init(o.dir, o.name, algo, o.ca_key ? &issuer : NULL, pass, &err) != ACCORD_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	printf("TSA '%s' created in %s (tsa.key, tsa.crt%s, tsa.conf, serial)\n", o.name, o.dir,
	       o.ca_key ? ", chain.pem" : "");
	rc = EXIT_VALID;
out:
	cli_passphrase_free(pass);
	cli_passphrase_free(ca_pass);
	return rc;
}

static int open_tsa(const struct tsa_opts *o, accord_tsa **tsa, accord_error *err)
{
	char *pass = cli_passphrase_get(o->passfile, "Passphrase for the TSA key: ", 0, err);
	int rc;

	if (!pass)
		return err->code ? err->code : ACCORD_ERR_USAGE;
	rc = accord_tsa_open(o->dir, pass, tsa, err);
	cli_passphrase_free(pass);
	return rc;
}

static int tsa_stamp_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_DIR, OPT_REQUEST, OPT_OUT, OPT_FORCE, OPT_PASSFILE, 0};
	struct tsa_opts o;
	accord_error err;
	accord_tsa *tsa = NULL;
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("stamp", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(tsa_usage, stdout);
		return EXIT_VALID;
	}
	if (!o.dir || !o.request || !o.out)
		return cli_usage_error("tsa stamp", "--dir, --request and --out are required");
	if (open_tsa(&o, &tsa, &err) != ACCORD_OK)
		return cli_fail(&err);
	rc = accord_tsa_stamp_file(tsa, o.request, o.out, o.force, &err);
	if (rc == ACCORD_OK)
		printf("timestamp reply written to %s\n", o.out);
	else if (rc == ACCORD_ERR_FORMAT && !strncmp(err.why, "the TSA answered", 16))
		fprintf(stderr, "accord: %s: request refused, rejection written to %s: %s\n", err.where,
			o.out, err.why);
	else
		cli_fail(&err);
	accord_tsa_free(tsa);
	return cli_exit_code(rc);
}

static int tsa_serve_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_DIR, OPT_LISTEN, OPT_PASSFILE, 0};
	struct tsa_opts o;
	accord_error err;
	accord_tsa *tsa = NULL;
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("serve", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(tsa_usage, stdout);
		return EXIT_VALID;
	}
	if (!o.dir || !o.listen)
		return cli_usage_error("tsa serve", "--dir and --listen are required");
	if (open_tsa(&o, &tsa, &err) != ACCORD_OK)
		return cli_fail(&err);
	accord_tsa_set_ready_callback(tsa, cli_print_listening, NULL);
	rc = accord_tsa_serve(tsa, o.listen, &err);
	accord_tsa_free(tsa);
	if (rc != ACCORD_OK)
		return cli_fail(&err);
	fprintf(stderr, "stopped\n");
	return EXIT_VALID;
}

static int tsa_verify_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_REPLY, OPT_DATA, OPT_TRUST, OPT_UNTRUSTED, 0};
	struct tsa_opts o;
	accord_error err;
	accord_tst_result r;
	char when[40];
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("verify", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc;
	if (o.help) {
		fputs(tsa_usage, stdout);
		return EXIT_VALID;
	}
	if (!o.reply || !o.data)
		return cli_usage_error("tsa verify", "--reply and --data are required");
	if (o.n_trust == 0)
		cli_store_warnings();
	if (accord_tsa_verify_reply(o.reply, o.data, &(accord_tsa_verify_options){
					    .trust = o.trust, .n_trust = o.n_trust,
					    .use_store = o.n_trust == 0, .untrusted = o.untrusted,
					    .n_untrusted = o.n_untrusted}, &r, &err) != ACCORD_OK)
		return cli_fail(&err);
	if (r.valid) {
		accord_time_format(r.gen_time, when, sizeof when);
		printf("valid: timestamp of %s by '%s' at %s (genTime %s)\n", o.data, r.tsa_name, when,
		       r.gen_time_text);
		printf("  serial %s, policy %s, imprint %s%s\n", r.serial_hex, r.policy, r.imprint_alg,
		       r.has_accuracy ? "" : ", no accuracy stated");
		if (r.has_accuracy)
			printf("  accuracy %us %ums %uus\n", r.accuracy_seconds, r.accuracy_millis,
			       r.accuracy_micros);
		rc = EXIT_VALID;
	} else {
		printf("invalid: %s: %s\n", accord_subindication_name(r.sub_indication), r.reason);
		rc = EXIT_INVALID;
	}
	accord_tst_result_clear(&r);
	return rc;
}

int cmd_tsa(int argc, char **argv)
{
	if (argc < 2) {
		fputs(tsa_usage, stderr);
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(tsa_usage, stdout);
		return EXIT_VALID;
	}
	if (cli_wants_help(argc - 1, argv + 1))
		return cli_subverb_help("tsa", tsa_usage, argv[1]);
	if (!strcmp(argv[1], "init"))
		return tsa_init_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stamp"))
		return tsa_stamp_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "serve"))
		return tsa_serve_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return tsa_verify_cmd(argc - 1, argv + 1);
	return cli_usage_error("tsa", "unknown verb '%s'", argv[1]);
}
