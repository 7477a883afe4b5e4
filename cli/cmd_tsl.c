/* cli/cmd_tsl.c — `accord tsl make`: a trusted list (ETSI TS 119 612) that partners load
 * into DigiDoc, DSS or `accord verify --tsl`. Parses options and prints; sign/ does the work. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

static const char tsl_usage[] =
	"usage: accord tsl make -o TL.xml --key K --cert C [--passphrase-file F]\n"
	"                       [--ca CERT]... [--tsa CERT]... [--ocsp CERT]...\n"
	"                       [--qualified] [--territory CC] [--operator NAME]\n"
	"                       [--next-update DAYS]\n"
	"\n"
	"Writes a trusted list (ETSI TS 119 612 v2.1, TSLType EUgeneric) naming the CA,\n"
	"TSA and OCSP responder certificates given, signed by K/C, for partners'\n"
	"DigiDoc, DSS or `accord verify --tsl TL.xml --tsl-cert C`.\n"
	HELP_OPTIONS
	"  -o, --out TL.xml         the list to write (required; replaced\n"
	"                           atomically, its TSLSequenceNumber incremented)\n"
	"      --key K              the list signer's key (required)\n"
	"      --cert C             the list signer's certificate, in KeyInfo (required)\n"
	HELP_PASSFILE
	"      --ca CERT            a CA service (CA/PKC; CA/QC with --qualified);\n"
	"                           repeatable\n"
	"      --tsa CERT           a TSA service (TSA; TSA/QTST); repeatable\n"
	"      --ocsp CERT          an OCSP responder service (Certstatus/OCSP;\n"
	"                           Certstatus/OCSP/QC); repeatable\n"
	"      --qualified          the qualified service types (what DigiDoc reads)\n"
	"      --territory CC       SchemeTerritory, two capital letters (default EU)\n"
	"      --operator NAME      the scheme operator and provider name (default: C's\n"
	"                           common name)\n"
	"      --next-update DAYS   NextUpdate in days, 1 to 3650 (default 180)\n"
	HELP_HELP
	"\n"
	"One service per certificate, granted since the certificate's notBefore; an\n"
	"enveloped XML signature (exclusive C14N). With --qualified the CA carries the\n"
	"ecc:Qualifications QCStatement and QCWithQSCD that DigiDoc needs to treat the\n"
	"CA's certificates as qualified on a QSCD.\n"
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
