/* cli/cmd_sign.c — `accord sign PACKAGE --key KEY --cert CERT [...]`. */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/sign_options.h"

static const char usage[] =
	"usage: accord sign PACKAGE --key KEY|pkcs11:URL --cert CERT [--passphrase-file F]\n"
	"                   [--role ROLE] [--place CITY,COUNTRY] [--commitment approval|origin|receipt]\n"
	"                   [--rsa-pss] [--force] [--tsa URL | --tsa-dir DIR [--tsa-passphrase-file F]]\n"
	"                   [--ocsp URL | --ocsp-dir DIR [--ocsp-passphrase-file F]]\n"
	"                   [--embed-validation-data] [--crl FILE]... [--trust FILE|DIR]...\n\n"
	"Adds one XAdES signature (baseline B-B; B-T with a timestamp authority) over every\n"
	"document and the package descriptor, in a new META-INF/signaturesN.xml. Existing\n"
	"signatures and documents are not touched; the package is replaced atomically.\n"
	"CERT may hold the signer's chain after the signer's certificate. The passphrase (or\n"
	"the token PIN) comes from --passphrase-file, ACCORD_PASSPHRASE or the terminal.\n"
	"B-LT in the same step (nothing is written if it fails): --ocsp asks that OCSP\n"
	"responder over HTTP, --ocsp-dir the local one (`accord ocsp init`), about the\n"
	"signer's certificate after the timestamp (so --tsa or --tsa-dir is needed), checks\n"
	"the answer (nonce, responder, status good) and embeds it in RevocationValues with\n"
	"the certificate paths of signer, TSA and responder in CertificateValues (what\n"
	"DigiDoc requires); --embed-validation-data adds the paths and the CRLs given\n"
	"without OCSP, as `accord extend --level LT` does. The issuer of the signer's\n"
	"certificate is found among --trust, the trust store and the responder's ca.crt.\n"
	"The signatures already in PACKAGE are checked first (references, signed properties,\n"
	"signature values; not trust): if one fails, nothing is signed (exit 1) unless --force.\n";

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
	if (a.signature_id)
		return cli_usage_error("sign", "--signature belongs to countersign");
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
