/* cli/cmd_sign.c — `accord sign PACKAGE --key KEY --cert CERT [...]`. */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/sign_options.h"

static const char usage[] =
	"usage: accord sign PACKAGE --key KEY|pkcs11:URL --cert CERT [OPTIONS]\n"
	"\n"
	"Adds one XAdES signature (baseline B-B; B-T with a timestamp authority, B-LT\n"
	"with validation data) over every document and the package descriptor.\n"
	HELP_OPTIONS SIGN_HELP_KEY SIGN_HELP_PROPERTIES HELP_TSA HELP_OCSP_SERVICE
	"      --embed-validation-data  embed the certificate paths and the --crl CRLs\n"
	"                           (B-LT without OCSP)\n"
	HELP_CRL HELP_TRUST HELP_LIMITS HELP_QUIET HELP_HELP
	"\n"
	"The signature goes in a new META-INF/signaturesN.xml; existing signatures and\n"
	"documents are not touched; the package is replaced atomically.\n"
	SIGN_HELP_FORCE_NOTE
	"B-LT in the same step (nothing is written if it fails): --ocsp or --ocsp-dir\n"
	"asks the responder about the signer's certificate after the timestamp (so --tsa\n"
	"or --tsa-dir is needed), checks the answer (nonce, responder, status good) and\n"
	"embeds it in RevocationValues with the certificate paths of signer, TSA and\n"
	"responder in CertificateValues (what DigiDoc requires), as `accord extend\n"
	"--level LT` does. The issuer of the signer's certificate is found among\n"
	"--trust, the trust store and the responder's ca.crt.\n";

int cmd_sign(int argc, char **argv)
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
	rc = cli_sign_options_parse("sign", argc, argv, &a);
	if (rc)
		return rc;
	if (a.help) { /* an abbreviation of --help */
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	rc = cli_sign_open_signer(&a, &signer);
	if (rc)
		return rc;
	accord_error_clear(&err);
	if (accord_sign(a.package, signer, &a.opt, id, sizeof id, &err))
		rc = cli_fail(&err);
	else {
		printf("signed %s: signature %s\n", a.package, id);
		if (a.opt.lt)
			printf("embedded validation data (LT%s) in signature %s\n",
			       a.lt.ocsp_url || a.lt.ocsp_dir ? ", with OCSP" : "", id);
	}
	accord_signer_free(signer);
	cli_sign_args_clear(&a);
	return rc;
}
