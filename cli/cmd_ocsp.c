/* cli/cmd_ocsp.c — `accord ocsp`: set up and run an RFC 6960 OCSP responder for an accord
 * CA (file mode or HTTP); request and attach (air-gapped B-LT) are in cmd_ocsp_evidence.c.
 * Parses options and prints; ocsp/ does the work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/service.h"

static const char ocsp_usage[] =
	"usage: accord ocsp VERB [OPTIONS]\n"
	"\n"
	"Verbs:\n"
	"  init     --dir DIR --name NAME --ca-key K --ca-cert C [--ca-passphrase-file F]\n"
	"           [--passphrase-file F] [--weak-passphrase] [--algo ecdsa-p256|rsa3072]\n"
	"           create a responder in DIR: ocsp.key, ocsp.crt (issued by the CA: EKU\n"
	"           OCSPSigning, id-pkix-ocsp-nocheck), ca.crt, ocsp.conf\n"
	"  respond  --dir DIR --request REQ.der|- -o RESP.der|- [--force]\n"
	"           [--passphrase-file F]\n"
	"           answer one request file (air-gapped hand-over; - is standard input or\n"
	"           output); a refused request gets its error response written and exit\n"
	"           status 1\n"
	"  serve    --dir DIR --listen ADDR:PORT [--passphrase-file F]\n"
	"           answer POST application/ocsp-request and GET /BASE64 over HTTP until\n"
	"           SIGINT/SIGTERM; prints \"listening on ADDR:PORT\" to stderr once ready\n"
	"  request  PACKAGE -o REQ.der|- [--signature ID] [--trust F]... [--no-trust-store]\n"
	"           air gap, B-LT: the OCSP request for a signature's signer certificate\n"
	"  attach   PACKAGE --response RESP.der|- [--signature ID] [--trust F]...\n"
	"           embed the checked response (RevocationValues/OCSPValues; see --help)\n"
	"\n"
	"-o is short for --out.\n"
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
	.group = "ocsp", .usage = ocsp_usage, .who = "responder", .answer_verb = "respond",
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
		return cli_subverb_help("ocsp", ocsp_usage, argv[1]);
	if (!strcmp(argv[1], "request"))
		return cmd_ocsp_request(argc - 1, argv + 1);
	if (!strcmp(argv[1], "attach"))
		return cmd_ocsp_attach(argc - 1, argv + 1);
	return cli_service_main(&ocsp_service, argc, argv);
}
