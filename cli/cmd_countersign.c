/* cli/cmd_countersign.c — `accord countersign PACKAGE --signature ID --key KEY --cert CERT`. */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/sign_options.h"

static const char usage[] =
	"usage: accord countersign PACKAGE --signature ID --key KEY|pkcs11:URL --cert CERT\n"
	"                          [--passphrase-file F] [--role ROLE] [--place CITY,COUNTRY]\n"
	"                          [--commitment approval|origin|receipt] [--rsa-pss] [--force]\n"
	"                          [--tsa URL | --tsa-dir DIR [--tsa-passphrase-file F]]\n\n"
	"Endorses the signature or countersignature whose ds:Signature Id is ID (as\n"
	"`accord list` shows it) with a XAdES CounterSignature that covers its SignatureValue.\n"
	"The signatures already in PACKAGE are checked first (references, signed properties,\n"
	"signature values; not trust): if one fails, nothing is signed (exit 1) unless --force.\n"
	"Note: DigiDoc (libdigidocpp) does not accept countersignatures; the EU DSS does.\n";

int cmd_countersign(int argc, char **argv)
{
	cli_sign_args a;
	accord_signer *signer = NULL;
	accord_error err;
	char id[64];
	int rc;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	rc = cli_sign_options_parse("countersign", argc, argv, &a);
	if (rc)
		return rc;
	if (a.help) { /* an abbreviation of --help */
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	if (!a.signature_id)
		return cli_usage_error("countersign", "--signature ID is required");
	if (a.opt.lt)
		return cli_usage_error("countersign", "--ocsp, --ocsp-dir and --embed-validation-data belong to sign and extend");
	rc = cli_sign_open_signer(&a, &signer);
	if (rc)
		return rc;
	accord_error_clear(&err);
	if (accord_countersign(a.package, a.signature_id, signer, &a.opt, id, sizeof id, &err))
		rc = cli_fail(&err);
	else {
		printf("countersigned %s in %s: countersignature %s\n", a.signature_id, a.package, id);
		fprintf(stderr, "accord countersign: warning: DigiDoc (libdigidocpp) cannot open a package with a countersignature (the EU DSS reads it); where DigiDoc must read %s, add a parallel signature with `accord sign` instead\n",
			a.package);
	}
	accord_signer_free(signer);
	cli_sign_args_clear(&a);
	return rc;
}
