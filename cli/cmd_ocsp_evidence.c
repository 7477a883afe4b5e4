/* cli/cmd_ocsp_evidence.c — `accord ocsp request|attach`: B-LT across an air gap, as
 * `accord timestamp request|attach` does for B-T. Parses options and prints; sign/ does
 * the work. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

#define OCSP_EVIDENCE_HELP_COMMON                                                           \
	"      --signature ID       the signature (its Id, as `accord list` shows it);\n" \
	"                           default: the newest timestamped one without OCSP\n"     \
	HELP_TRUST HELP_NO_TRUST_STORE HELP_LIMITS HELP_QUIET HELP_HELP
#define OCSP_EVIDENCE_HELP_NOTES                                                            \
	"\n"                                                                                \
	"The request (RFC 6960; SHA-1 CertID, no nonce) is for the signer's certificate;\n" \
	"carry it to the responder (`accord ocsp respond --dir DIR --request REQ.der\n" \
	"--out RESP.der`) and bring the response back. attach checks it (signed by the\n" \
	"issuer or a responder the issuer certified, status good, produced after the\n" \
	"signature timestamp; revoked or unknown is refused) and embeds it in each\n" \
	"signature whose signer it speaks of, in RevocationValues/OCSPValues with the\n" \
	"certificate paths in CertificateValues, as `accord extend --level LT --ocsp`\n" \
	"does. The issuer of the signer's certificate is found among --trust and the\n" \
	"trust store.\n"

static const char request_usage[] =
	"usage: accord ocsp request PACKAGE -o REQ.der|- [--signature ID]\n"
	"                           [--trust FILE|DIR]... [--no-trust-store]\n"
	"\n"
	"Writes the DER OCSP request for a signature's signer certificate: the first\n"
	"step of upgrading a timestamped signature to XAdES B-LT across an air gap.\n"
	HELP_OPTIONS
	"  -o, --out REQ.der        the request; - is standard output (required)\n"
	OCSP_EVIDENCE_HELP_COMMON OCSP_EVIDENCE_HELP_NOTES;

static const char attach_usage[] =
	"usage: accord ocsp attach PACKAGE --response RESP.der|- [--signature ID]\n"
	"                          [--trust FILE|DIR]... [--no-trust-store]\n"
	"\n"
	"Checks the responder's answer and embeds it in the package: the second step of\n"
	"upgrading a timestamped signature to XAdES B-LT across an air gap.\n"
	HELP_OPTIONS
	"      --response RESP.der  the OCSP response; - reads standard input (required)\n"
	OCSP_EVIDENCE_HELP_COMMON OCSP_EVIDENCE_HELP_NOTES;

static int evidence_main(int argc, char **argv, int attach)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"response", required_argument, NULL, 'r'},
		{"trust", required_argument, NULL, 't'},
		{"no-trust-store", no_argument, NULL, 'N'},
		{"quiet", no_argument, NULL, 'q'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sub = attach ? "ocsp attach" : "ocsp request", *out = NULL, *trust[64], *files[1];
	static const int request_opts[] = {'s', 'o', 't', 'N', 'q',
					   CLI_OPT_LIMIT, CLI_OPT_LIMIT + 1, CLI_OPT_LIMIT + 2, CLI_OPT_LIMIT + 3, 0};
	static const int attach_opts[] = {'s', 'r', 't', 'N', 'q',
					   CLI_OPT_LIMIT, CLI_OPT_LIMIT + 1, CLI_OPT_LIMIT + 2, CLI_OPT_LIMIT + 3, 0};
	const char *usage = attach ? attach_usage : request_usage;
	cli_parser p = {.verb = sub, .shortopts = "o:q", .opts = opts, .usage = usage,
			.allowed = attach ? attach_opts : request_opts};
	accord_extend_options eo;
	accord_error err;
	size_t n = 0;
	char id[128];
	int ch, rc;
	cli_pipe io;

	memset(&eo, 0, sizeof eo);
	eo.trust = trust;
	eo.level = ACCORD_LEVEL_LT;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case 'q':
			accord_progress_enable(0);
			break;
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if (cli_limit_option(sub, ch, optarg))
				return EXIT_TROUBLE;
			break;
		case 's': eo.signature_id = optarg; break;
		case 'o': out = optarg; break;
		case 'r':
			files[0] = optarg;
			eo.ocsp_files = files;
			eo.n_ocsp_files = 1;
			break;
		case 't':
			if (eo.n_trust == 64)
				return cli_usage_error(sub, "too many --trust");
			trust[eo.n_trust++] = optarg;
			break;
		case 'N': eo.no_trust_store = 1; break;
		}
	}
	if (ch != CLI_OPT_END) /* the help (p.usage printed) or an error */
		return ch == CLI_OPT_HELP ? EXIT_VALID : EXIT_TROUBLE;
	if (optind != argc - 1)
		return cli_usage_error(sub, "give exactly one PACKAGE");
	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	if (!attach) {
		if (!out || eo.n_ocsp_files)
			return cli_usage_error(sub, "request takes --out REQ.der");
		if ((rc = cli_stdout_file(&io, &out, "request.der")) == 0 &&
		    (rc = accord_ocsp_request(argv[optind], &eo, out, id, sizeof id, &err)) != 0) {
			cli_pipe_rename(&io, &err);
			rc = cli_fail(&err);
		} else if (rc == 0) {
			fprintf(cli_pipe_say(&io), "wrote %s: OCSP request for the signer of signature %s\n",
				cli_pipe_shown(&io, out), id);
		}
		return cli_pipe_close(&io, rc);
	}
	if (!eo.n_ocsp_files || out)
		return cli_usage_error(sub, "attach takes --response RESP.der");
	if ((rc = cli_stdin_file(&io, &files[0], CLI_SMALL_FILE_MAX)) == 0 &&
	    accord_extend(argv[optind], &eo, &n, &err)) {
		cli_pipe_rename(&io, &err);
		rc = cli_fail(&err);
	} else if (rc == 0) {
		printf("attached the OCSP response to %zu signature%s of %s (B-LT)\n", n,
		       n == 1 ? "" : "s", argv[optind]);
	}
	return cli_pipe_close(&io, rc);
}

int cmd_ocsp_request(int argc, char **argv)
{
	return evidence_main(argc, argv, 0);
}

int cmd_ocsp_attach(int argc, char **argv)
{
	return evidence_main(argc, argv, 1);
}
