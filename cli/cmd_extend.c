/* cli/cmd_extend.c — `accord extend PACKAGE --level LT|LTA [--crl FILE]... [--ocsp ...]
 * [--tsa ...]`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

static const char usage[] =
	"usage: accord extend PACKAGE --level LT|LTA [--crl FILE]...\n"
	"                     [--trust FILE|DIR]... [--no-trust-store] [--signature ID]\n"
	"                     [--ocsp URL | --ocsp-dir DIR [--ocsp-passphrase-file F]]\n"
	"                     [--tsa URL | --tsa-dir DIR [--tsa-passphrase-file F]]\n"
	"\n"
	"Adds long-term validation data so that a verifier holding only the trust\n"
	"anchors can decide years later, offline; signed parts are never touched.\n"
	HELP_OPTIONS
	"      --level LT|LTA       LT: validation data; LTA: LT, then an archive\n"
	"                           timestamp (required)\n"
	HELP_CRL HELP_TRUST HELP_NO_TRUST_STORE
	"      --signature ID       extend only this signature (default: every one)\n"
	HELP_OCSP_SERVICE HELP_TSA HELP_LIMITS HELP_QUIET HELP_HELP
	"\n"
	"LT: CertificateValues (the certificate paths of the signer, the TSAs and the\n"
	"OCSP responder, found among the trust anchors) and one RevocationValues: the\n"
	"CRL files given, and with --ocsp URL (HTTP) or --ocsp-dir DIR (the local\n"
	"responder) a checked \"good\" OCSP response for each timestamped signer that has\n"
	"none yet (DigiDoc reads only OCSP). What is embedded already is not added\n"
	"again; after an ArchiveTimeStamp new data goes into a TimeStampValidationData.\n"
	"LTA: LT, then an ArchiveTimeStamp (from --tsa or --tsa-dir) over the documents\n"
	"and the whole signature; repeat it before the last archive timestamp's TSA\n"
	"certificate expires. Across an air gap: accord ocsp request / respond / attach.\n";

int cmd_extend(int argc, char **argv)
{
	static const struct option opts[] = {
		{"level", required_argument, NULL, 'l'},
		{"crl", required_argument, NULL, 'c'},
		{"trust", required_argument, NULL, 't'},
		{"no-trust-store", no_argument, NULL, 'N'},
		{"signature", required_argument, NULL, 's'},
		{"tsa", required_argument, NULL, 'u'},
		{"tsa-dir", required_argument, NULL, 'd'},
		{"tsa-passphrase-file", required_argument, NULL, 'P'},
		{"ocsp", required_argument, NULL, 'o'},
		{"ocsp-dir", required_argument, NULL, 'O'},
		{"ocsp-passphrase-file", required_argument, NULL, 'Q'},
		{"quiet", no_argument, NULL, 'q'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "extend", .shortopts = "q", .opts = opts, .usage = usage};
	const char *crls[64], *trust[64], *tsa_pass_file = NULL, *ocsp_pass_file = NULL;
	accord_extend_options eo;
	accord_error err;
	char *tsa_pass = NULL, *ocsp_pass = NULL;
	size_t n = 0;
	int ch, rc;

	memset(&eo, 0, sizeof eo);
	eo.crls = crls;
	eo.trust = trust;
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
			if (cli_limit_option("extend", ch, optarg))
				return EXIT_TROUBLE;
			break;
		case 'l':
			if (!strcmp(optarg, "LT") || !strcmp(optarg, "lt"))
				eo.level = ACCORD_LEVEL_LT;
			else if (!strcmp(optarg, "LTA") || !strcmp(optarg, "lta"))
				eo.level = ACCORD_LEVEL_LTA;
			else
				return cli_usage_error("extend", "--level must be LT or LTA");
			break;
		case 'c':
			if (eo.n_crls == 64)
				return cli_usage_error("extend", "too many --crl");
			crls[eo.n_crls++] = optarg;
			break;
		case 't':
			if (eo.n_trust == 64)
				return cli_usage_error("extend", "too many --trust");
			trust[eo.n_trust++] = optarg;
			break;
		case 'N': eo.no_trust_store = 1; break;
		case 's': eo.signature_id = optarg; break;
		case 'u': eo.tsa_url = optarg; break;
		case 'd': eo.tsa_dir = optarg; break;
		case 'P': tsa_pass_file = optarg; break;
		case 'o': eo.ocsp_url = optarg; break;
		case 'O': eo.ocsp_dir = optarg; break;
		case 'Q': ocsp_pass_file = optarg; break;
		}
	}
	if (ch != CLI_OPT_END) /* the help (p.usage printed) or an error */
		return ch == CLI_OPT_HELP ? EXIT_VALID : EXIT_TROUBLE;
	if (optind != argc - 1)
		return cli_usage_error("extend", "give exactly one PACKAGE");
	if (!eo.level)
		return cli_usage_error("extend", "--level LT or --level LTA is required");
	if (eo.ocsp_url && eo.ocsp_dir)
		return cli_usage_error("extend", "give --ocsp URL or --ocsp-dir DIR, not both");
	accord_error_clear(&err);
	if (eo.tsa_dir) {
		tsa_pass = cli_service_passphrase_get(tsa_pass_file, "--tsa-passphrase-file", "TSA",
						      eo.tsa_dir, &err);
		if (!tsa_pass)
			return cli_fail(&err);
		eo.tsa_passphrase = tsa_pass;
	}
	if (eo.ocsp_dir) {
		ocsp_pass = cli_service_passphrase_get(ocsp_pass_file, "--ocsp-passphrase-file",
						       "OCSP responder", eo.ocsp_dir, &err);
		if (!ocsp_pass) {
			cli_passphrase_free(tsa_pass);
			return cli_fail(&err);
		}
		eo.ocsp_passphrase = ocsp_pass;
	}
	if (!eo.no_trust_store)
		cli_store_warnings();
	rc = accord_extend(argv[optind], &eo, &n, &err);
	cli_passphrase_free(tsa_pass);
	cli_passphrase_free(ocsp_pass);
	if (rc)
		return cli_fail(&err);
	printf("extended %zu signature%s of %s to %s\n", n, n == 1 ? "" : "s", argv[optind],
	       eo.level == ACCORD_LEVEL_LTA ? "LTA" : "LT");
	return EXIT_VALID;
}
