/* cli/sign_options.h — options shared by `accord sign` and `accord countersign`. */
#ifndef ACCORD_CLI_SIGN_OPTIONS_H
#define ACCORD_CLI_SIGN_OPTIONS_H
#include "accord.h"

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
int cli_sign_options_parse(const char *verb, int argc, char **argv, cli_sign_args *a);
/* Ask the passphrase (file, ACCORD_PASSPHRASE, tty) and open the signer; 0 or exit code.
 * Also the local TSA's and OCSP responder's passphrases when their folders are given. */
int cli_sign_open_signer(cli_sign_args *a, accord_signer **signer);
void cli_sign_args_clear(cli_sign_args *a);
#endif
