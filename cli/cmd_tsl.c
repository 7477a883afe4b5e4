/* cli/cmd_tsl.c — `accord tsl make`: a trusted list (ETSI TS 119 612) that partners load
 * into DigiDoc, DSS or `accord verify --tsl`. Parses options and prints; sign/ does the work. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char tsl_usage[] =
	"usage: accord tsl make -o TL.xml --key K --cert C [--passphrase-file F]\n"
	"                       [--ca CERT]... [--tsa CERT]... [--ocsp CERT]... [--qualified]\n"
	"                       [--territory CC] [--operator NAME] [--next-update DAYS]\n"
	"\n"
	"Writes a trusted list (ETSI TS 119 612 v2.1, TSLType EUgeneric) naming the CA, TSA and\n"
	"OCSP responder certificates given, one service per certificate, granted since the\n"
	"certificate's notBefore, signed by K/C with an enveloped XML signature (exclusive C14N,\n"
	"C in KeyInfo). Partners verify with `accord verify PKG --tsl TL.xml --tsl-cert C`, or\n"
	"give TL.xml and C to DigiDoc or DSS.\n"
	"Service types: --ca CA/PKC, --tsa TSA, --ocsp Certstatus/OCSP; with --qualified CA/QC\n"
	"(with the ecc:Qualifications QCStatement and QCWithQSCD that DigiDoc needs to treat\n"
	"the CA's certificates as qualified on a QSCD), TSA/QTST and Certstatus/OCSP/QC: DigiDoc\n"
	"reads only the qualified types.\n"
	"--territory CC: SchemeTerritory (two capital letters; default EU). --operator NAME:\n"
	"the scheme operator and provider name (default: C's common name). --next-update DAYS:\n"
	"NextUpdate (default 180 days). A list already at TL.xml is replaced atomically and its\n"
	"TSLSequenceNumber incremented. -o is short for --out.\n"
	"The key's passphrase comes from --passphrase-file, ACCORD_PASSPHRASE or the terminal.\n"
	"Exit codes: 0 written, 1 refused input, 3 usage or I/O error.\n";

enum { OPT_OUT = 'o', OPT_KEY = 256, OPT_CERT, OPT_PASSFILE, OPT_CA, OPT_TSA, OPT_OCSP, OPT_QUALIFIED,
       OPT_TERRITORY, OPT_OPERATOR, OPT_NEXT, OPT_HELP };

#define MAX_LIST 32

static int tsl_make(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, OPT_OUT},
		{"key", required_argument, NULL, OPT_KEY},
		{"cert", required_argument, NULL, OPT_CERT},
		{"passphrase-file", required_argument, NULL, OPT_PASSFILE},
		{"ca", required_argument, NULL, OPT_CA},
		{"tsa", required_argument, NULL, OPT_TSA},
		{"ocsp", required_argument, NULL, OPT_OCSP},
		{"qualified", no_argument, NULL, OPT_QUALIFIED},
		{"territory", required_argument, NULL, OPT_TERRITORY},
		{"operator", required_argument, NULL, OPT_OPERATOR},
		{"next-update", required_argument, NULL, OPT_NEXT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *ca[MAX_LIST], *tsa[MAX_LIST], *ocsp[MAX_LIST];
	const char *out = NULL, *key = NULL, *cert = NULL, *passfile = NULL;
	cli_parser p = {.verb = "tsl make", .shortopts = "o:", .opts = opts, .no_operands = 1};
	accord_tsl_make_options o;
	accord_signer *signer = NULL;
	accord_error err;
	char *pass, *end;
	int c, rc;

	memset(&o, 0, sizeof o);
	o.ca = ca;
	o.tsa = tsa;
	o.ocsp = ocsp;
	while ((c = cli_getopt(&p, argc, argv)) >= 0) {
		switch (c) {
		case OPT_OUT: out = optarg; break;
		case OPT_KEY: key = optarg; break;
		case OPT_CERT: cert = optarg; break;
		case OPT_PASSFILE: passfile = optarg; break;
		case OPT_CA:
		case OPT_TSA:
		case OPT_OCSP: {
			const char **list = c == OPT_CA ? ca : c == OPT_TSA ? tsa : ocsp;
			size_t *n = c == OPT_CA ? &o.n_ca : c == OPT_TSA ? &o.n_tsa : &o.n_ocsp;
			if (*n >= MAX_LIST)
				return cli_usage_error("tsl make", "too many certificate files");
			list[(*n)++] = optarg;
			break;
		}
		case OPT_QUALIFIED: o.qualified = 1; break;
		case OPT_TERRITORY: o.territory = optarg; break;
		case OPT_OPERATOR: o.operator_name = optarg; break;
		case OPT_NEXT: {
			unsigned long days = strtoul(optarg, &end, 10);
			if (!*optarg || *end || days < 1 || days > 3650)
				return cli_usage_error("tsl make", "--next-update wants a number of days (1 to 3650)");
			o.next_update_days = (unsigned)days;
			break;
		}
		}
	}
	if (c == CLI_OPT_HELP) {
		fputs(tsl_usage, stdout);
		return EXIT_VALID;
	}
	if (c == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	if (!out || !key || !cert)
		return cli_usage_error("tsl make", "give -o, --key and --cert");
	accord_error_clear(&err);
	pass = cli_passphrase_get(passfile, "Passphrase for the list's signing key: ", 0, &err);
	if (!pass)
		return cli_fail(&err);
	rc = accord_signer_open(key, cert, pass, &signer, &err);
	cli_passphrase_free(pass);
	if (rc)
		return cli_fail(&err);
	if (accord_tsl_make(out, signer, &o, &err))
		rc = cli_fail(&err);
	else
		printf("wrote trusted list %s\n", out);
	accord_signer_free(signer);
	return rc;
}

int cmd_tsl(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "make"))
		return tsl_make(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(tsl_usage, stdout);
		return EXIT_VALID;
	}
	fputs(tsl_usage, stderr);
	return EXIT_TROUBLE;
}
