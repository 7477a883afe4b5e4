/* cli/cmd_ocsp.c — `accord ocsp`: set up and run an RFC 6960 OCSP responder for an accord
 * CA (file mode or HTTP); request and attach (air-gapped B-LT) are in cmd_ocsp_evidence.c.
 * Parses options and prints; ocsp/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"
#include "cli/service.h"

/* How the responder answers: the end of the group's help and of respond's and serve's. */
#define OCSP_NOTES                                                                           \
	"The answers come from the CA's records (CAKEY.index beside the CA key, kept by\n" \
	"`accord keys issue` and `accord keys revoke`): good for a certificate the CA\n" \
	"issued and did not revoke, revoked with its time and reason, unknown for any\n" \
	"other serial. Responses are signed with SHA-256, name the responder by key\n" \
	"hash, carry its certificate and echo the request's nonce; a CertID of another\n" \
	"issuer gets unauthorized, a request that is not strict DER malformedRequest.\n"

static const char ocsp_usage[] =
	"usage: accord ocsp VERB [OPTIONS]\n"
	"\n"
	"An RFC 6960 OCSP responder for an accord CA (files or HTTP), and OCSP evidence\n"
	"carried into packages across an air gap (XAdES B-LT).\n"
	"\n"
	"Verbs:\n"
	"  init     create a responder in a folder, certified by the CA\n"
	"  respond  answer one request file\n"
	"  serve    answer requests over HTTP\n"
	"  request  write the OCSP request for a signature's signer (air gap)\n"
	"  attach   embed the checked response in the package (air gap)\n"
	"\n"
	"`accord ocsp VERB --help` (or `accord help ocsp VERB`) describes each.\n"
	OCSP_NOTES
	"Exit codes: 0 done, 1 request refused, 3 usage or I/O error.\n";

static const cli_subverb_doc ocsp_docs[] = {
	{"init",
	 "usage: accord ocsp init --dir DIR --name NAME --ca-key K --ca-cert C\n"
	 "                        [--ca-passphrase-file F] [--passphrase-file F]\n"
	 "                        [--weak-passphrase] [--algo ecdsa-p256|rsa3072]\n"
	 "\n"
	 "Creates a responder in DIR: ocsp.key, ocsp.crt (issued by the CA: EKU\n"
	 "OCSPSigning, id-pkix-ocsp-nocheck), ca.crt and ocsp.conf.\n"
	 HELP_OPTIONS SVC_HELP_DIR("responder") SVC_HELP_NAME
	 HELP_CA_KEY_CERT(" (required)") HELP_CA_PASSFILE HELP_PASSFILE HELP_WEAK
	 "      --algo ALGO          ecdsa-p256 (default) or rsa3072\n"
	 HELP_HELP "\n" HELP_SERVICE_PASSPHRASES},
	{"respond",
	 "usage: accord ocsp respond --dir DIR --request REQ.der|- -o RESP.der|-\n"
	 "                           [--force] [--passphrase-file F]\n"
	 "\n"
	 "Answers one request file (an air-gapped hand-over; - is standard input or\n"
	 "output). A refused request gets its error response written and exit status 1.\n"
	 HELP_OPTIONS SVC_HELP_DIR("responder") SVC_HELP_ANSWER("REQ.der ", "RESP.der   ")
	 HELP_PASSFILE HELP_HELP "\n" OCSP_NOTES},
	{"serve",
	 "usage: accord ocsp serve --dir DIR --listen ADDR:PORT [--passphrase-file F]\n"
	 "\n"
	 "Answers POST application/ocsp-request and GET /BASE64 over HTTP until SIGINT or\n"
	 "SIGTERM; prints \"listening on ADDR:PORT\" to stderr once ready.\n"
	 HELP_OPTIONS SVC_HELP_DIR("responder") SVC_HELP_LISTEN HELP_PASSFILE HELP_HELP "\n"
	 OCSP_NOTES},
	{NULL, NULL}, /* request and attach: cli/cmd_ocsp_evidence.c */
};

static int ocsp_open(const char *dir, const char *pass, void **svc, accord_error *err)
{
	accord_ocsp *ocsp = NULL;
	int rc = accord_ocsp_open(dir, pass, &ocsp, err);

	*svc = ocsp;
	return rc;
}

static void ocsp_close(void *svc)
{
	accord_ocsp_free(svc);
}

static int ocsp_respond(void *svc, const char *request, const char *out, int force,
			accord_error *err)
{
	return accord_ocsp_respond_file(svc, request, out, force, err);
}

static int ocsp_serve(void *svc, const char *listen, accord_error *err)
{
	accord_ocsp_set_ready_callback(svc, cli_print_listening, NULL);
	return accord_ocsp_serve(svc, listen, err);
}

static void ocsp_created(const cli_service_opts *o)
{
	printf("OCSP responder '%s' created in %s (ocsp.key, ocsp.crt, ca.crt, ocsp.conf)\n",
	       o->name, o->dir);
}

static const cli_service ocsp_service = {
	.group = "ocsp", .usage = ocsp_usage, .docs = ocsp_docs, .who = "responder", .answer_verb = "respond",
	.answer_what = "OCSP response", .refused = "the responder answered", .refusal = "response",
	.ca_required = 1, .init = accord_ocsp_init, .created = ocsp_created, .open = ocsp_open,
	.close = ocsp_close, .answer_file = ocsp_respond, .serve = ocsp_serve,
};

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
		return cli_subverb_help(ocsp_usage, ocsp_docs, argv[1]);
	if (!strcmp(argv[1], "request"))
		return cmd_ocsp_request(argc - 1, argv + 1);
	if (!strcmp(argv[1], "attach"))
		return cmd_ocsp_attach(argc - 1, argv + 1);
	return cli_service_main(&ocsp_service, argc, argv);
}
