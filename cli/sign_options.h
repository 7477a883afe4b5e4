/* cli/sign_options.h — options shared by `accord sign` and `accord countersign`. */
#ifndef ACCORD_CLI_SIGN_OPTIONS_H
#define ACCORD_CLI_SIGN_OPTIONS_H
#include "accord.h"
#include "cli/help.h"

/* The Options lines sign and countersign share (cli/help.h format). */
#define SIGN_HELP_KEY                                                                        \
	"  -k, --key KEY|pkcs11:URL  the signer's private key: a file or a PKCS#11 URL\n"   \
	"                           (required)\n"                                           \
	"  -c, --cert CERT          the signer's certificate, perhaps followed by its\n"    \
	"                           chain (required)\n"                                     \
	HELP_PASSFILE
#define SIGN_HELP_PROPERTIES                                                                 \
	"      --role ROLE          the signer's role (SignerRole), e.g. \"CISO\"\n"        \
	"      --place CITY,COUNTRY  where it was signed (SignatureProductionPlace)\n"       \
	"      --commitment approval|origin|receipt  the commitment type (ETSI)\n"          \
	"      --rsa-pss            sign with RSASSA-PSS (RSA keys), not PKCS#1 v1.5\n" \
	"      --force              sign even if a signature already there fails\n"
#define SIGN_HELP_FORCE_NOTE                                                                 \
	"The signatures already in PACKAGE are checked first (references, signed\n" \
	"properties, signature values; not trust): if one fails, nothing is signed (exit\n" \
	"1) unless --force. The passphrase (or the token PIN) comes from\n" \
	"--passphrase-file, ACCORD_PASSPHRASE or the terminal.\n"

typedef struct cli_sign_args {
	const char *package, *key, *cert, *passphrase_file, *signature_id, *tsa_passphrase_file;
	const char *ocsp_passphrase_file;
	accord_sign_options opt;
	accord_extend_options lt;  /* B-LT: --embed-validation-data, --ocsp, --ocsp-dir */
	char *tsa_pass, *ocsp_pass;
	int embed;
	const char *crls[16], *trust[16];
	size_t n_crls, n_trust;
	int help;
} cli_sign_args;

/* Returns 0, or an exit code after printing the usage error. */
/* verb: "sign" or "countersign" (each takes its own options). */
int cli_sign_options_parse(const char *verb, int argc, char **argv, cli_sign_args *a);
/* Ask the passphrase (file, ACCORD_PASSPHRASE, tty) and open the signer; 0 or exit code.
 * Also the local TSA's and OCSP responder's passphrases when their folders are given. */
int cli_sign_open_signer(cli_sign_args *a, accord_signer **signer);
void cli_sign_args_clear(cli_sign_args *a);
#endif
