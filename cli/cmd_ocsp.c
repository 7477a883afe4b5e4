/* cli/cmd_ocsp.c — `accord ocsp`: set up and run an RFC 6960 OCSP responder for an accord
 * CA (file mode or HTTP); request and attach (air-gapped B-LT) are in cmd_ocsp_evidence.c.
 * Parses options and prints; ocsp/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char ocsp_usage[] =
	"usage: accord ocsp VERB [OPTIONS]\n"
	"\n"
	"Verbs:\n"
	"  init     --dir DIR --name NAME --ca-key K --ca-cert C [--ca-passphrase-file F]\n"
	"           [--passphrase-file F] [--weak-passphrase] [--algo ecdsa-p256|rsa3072]\n"
	"           create a responder in DIR: ocsp.key, ocsp.crt (issued by the CA: EKU\n"
	"           OCSPSigning, id-pkix-ocsp-nocheck), ca.crt, ocsp.conf\n"
	"  respond  --dir DIR --request REQ.der --out RESP.der [--force] [--passphrase-file F]\n"
	"           answer one request file (air-gapped hand-over); a refused request gets\n"
	"           its error response written and exit status 1\n"
	"  serve    --dir DIR --listen ADDR:PORT [--passphrase-file F]\n"
	"           answer POST application/ocsp-request and GET /BASE64 over HTTP until\n"
	"           SIGINT/SIGTERM; prints \"listening on ADDR:PORT\" to stderr once ready\n"
	"  request  PACKAGE --out REQ.der [--signature ID] [--trust F]... [--no-trust-store]\n"
	"           air gap, B-LT: the OCSP request for a signature's signer certificate\n"
	"  attach   PACKAGE --response RESP.der [--signature ID] [--trust F]...\n"
	"           embed the checked response (RevocationValues/OCSPValues; see --help)\n"
	"\n"
	"The answers come from the CA's records (CAKEY.index beside the CA key, kept by\n"
	"`accord keys issue` and `accord keys revoke`): good for a certificate the CA issued\n"
	"and did not revoke, revoked with its time and reason, unknown for any other serial.\n"
	"Responses are signed with SHA-256, name the responder by key hash, carry its\n"
	"certificate and echo the request's nonce; a CertID of another issuer gets\n"
	"unauthorized, a request that is not strict DER malformedRequest.\n"
	"The key's passphrase comes from --passphrase-file, ACCORD_PASSPHRASE or the\n"
	"terminal; the CA key's from --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else the same.\n"	"A new key's passphrase has at least 8 characters (--weak-passphrase to allow\n"
	"fewer); passphrase rules: see accord keys --help.\n"
	"Exit codes: 0 done, 1 request refused, 3 usage or I/O error.\n";

enum {
	OPT_DIR = 256, OPT_NAME, OPT_CA_KEY, OPT_CA_CERT, OPT_CA_PASSFILE, OPT_PASSFILE,
	OPT_ALGO, OPT_REQUEST, OPT_OUT, OPT_FORCE, OPT_LISTEN, OPT_WEAK, OPT_HELP
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
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

struct ocsp_opts {
	const char *dir, *name, *ca_key, *ca_cert, *ca_passfile, *passfile, *algo;
	const char *request, *out, *listen;
	int force, weak, help;
};

/* Parse; 1 when --help was printed, else EXIT_VALID or a usage error code (>1). */
static int parse_opts(const char *verb, int argc, char **argv, const int *allowed,
		      struct ocsp_opts *o)
{
	char sub[64];
	int c, first = 1;

	snprintf(sub, sizeof sub, "ocsp %s", verb);
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
		default: o->help = 1; break;
		}
	}
	if (c == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	if (o->help) {
		fputs(ocsp_usage, stdout);
		return 1;
	}
	return EXIT_VALID;
}

static int ocsp_init_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_DIR, OPT_NAME, OPT_CA_KEY, OPT_CA_CERT, OPT_CA_PASSFILE,
				      OPT_PASSFILE, OPT_ALGO, OPT_WEAK, 0};
	struct ocsp_opts o;
	accord_error err;
	accord_issuer issuer;
	accord_algo algo = ACCORD_ALGO_ECDSA_P256;
	char *pass = NULL, *ca_pass = NULL;
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("init", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc == 1 ? EXIT_VALID : rc;
	if (!o.dir || !o.name || !o.ca_key || !o.ca_cert)
		return cli_usage_error("ocsp init", "--dir, --name, --ca-key and --ca-cert are required");
	if (o.algo && accord_algo_from_name(o.algo, &algo) != ACCORD_OK)
		return cli_usage_error("ocsp init", "unknown --algo '%s'", o.algo);
	ca_pass = cli_ca_passphrase_get(o.ca_passfile, o.passfile, &err);
	if (!ca_pass)
		return cli_fail(&err);
	issuer.key_path = o.ca_key;
	issuer.cert_path = o.ca_cert;
	issuer.passphrase = ca_pass;
	pass = cli_new_passphrase_get(o.passfile, "Passphrase for the new responder key: ", o.weak, &err);
	if (!pass || accord_ocsp_init(o.dir, o.name, algo, &issuer, pass, &err) != ACCORD_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	printf("OCSP responder '%s' created in %s (ocsp.key, ocsp.crt, ca.crt, ocsp.conf)\n", o.name,
	       o.dir);
	rc = EXIT_VALID;
out:
	cli_passphrase_free(pass);
	cli_passphrase_free(ca_pass);
	return rc;
}

static int open_responder(const struct ocsp_opts *o, accord_ocsp **ocsp, accord_error *err)
{
	char *pass = cli_passphrase_get(o->passfile, "Passphrase for the responder key: ", 0, err);
	int rc;

	if (!pass)
		return err->code ? err->code : ACCORD_ERR_USAGE;
	rc = accord_ocsp_open(o->dir, pass, ocsp, err);
	cli_passphrase_free(pass);
	return rc;
}

static int ocsp_respond_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_DIR, OPT_REQUEST, OPT_OUT, OPT_FORCE, OPT_PASSFILE, 0};
	struct ocsp_opts o;
	accord_error err;
	accord_ocsp *ocsp = NULL;
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("respond", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc == 1 ? EXIT_VALID : rc;
	if (!o.dir || !o.request || !o.out)
		return cli_usage_error("ocsp respond", "--dir, --request and --out are required");
	if (open_responder(&o, &ocsp, &err) != ACCORD_OK)
		return cli_fail(&err);
	rc = accord_ocsp_respond_file(ocsp, o.request, o.out, o.force, &err);
	if (rc == ACCORD_OK)
		printf("OCSP response written to %s\n", o.out);
	else if (rc == ACCORD_ERR_FORMAT && strstr(err.why, "the responder answered"))
		fprintf(stderr, "accord: %s: request refused, response written to %s: %s\n", err.where,
			o.out, err.why);
	else
		cli_fail(&err);
	accord_ocsp_free(ocsp);
	return cli_exit_code(rc);
}

static int ocsp_serve_cmd(int argc, char **argv)
{
	static const int allowed[] = {OPT_DIR, OPT_LISTEN, OPT_PASSFILE, 0};
	struct ocsp_opts o;
	accord_error err;
	accord_ocsp *ocsp = NULL;
	int rc;

	accord_error_clear(&err);
	if ((rc = parse_opts("serve", argc, argv, allowed, &o)) != EXIT_VALID)
		return rc == 1 ? EXIT_VALID : rc;
	if (!o.dir || !o.listen)
		return cli_usage_error("ocsp serve", "--dir and --listen are required");
	if (open_responder(&o, &ocsp, &err) != ACCORD_OK)
		return cli_fail(&err);
	accord_ocsp_set_ready_callback(ocsp, cli_print_listening, NULL);
	rc = accord_ocsp_serve(ocsp, o.listen, &err);
	accord_ocsp_free(ocsp);
	if (rc != ACCORD_OK)
		return cli_fail(&err);
	fprintf(stderr, "stopped\n");
	return EXIT_VALID;
}

int cmd_ocsp(int argc, char **argv)
{
	if (argc < 2) {
		fputs(ocsp_usage, stderr);
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(ocsp_usage, stdout);
		return EXIT_VALID;
	}
	if (strcmp(argv[1], "request") && strcmp(argv[1], "attach") && cli_wants_help(argc - 1, argv + 1))
		return cli_subverb_help("ocsp", ocsp_usage, argv[1]);
	if (!strcmp(argv[1], "init"))
		return ocsp_init_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "respond"))
		return ocsp_respond_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "serve"))
		return ocsp_serve_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "request"))
		return cmd_ocsp_request(argc - 1, argv + 1);
	if (!strcmp(argv[1], "attach"))
		return cmd_ocsp_attach(argc - 1, argv + 1);
	return cli_usage_error("ocsp", "unknown verb '%s'", argv[1]);
}
