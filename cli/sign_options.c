/* cli/sign_options.c — the options `accord sign` and `accord countersign` share: the key,
 * the certificate, the passphrase source, the signed properties, the TSA and (sign) the
 * B-LT validation data. */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/sign_options.h"

static const struct option long_opts[] = {
	{"key", required_argument, NULL, 'k'},
	{"cert", required_argument, NULL, 'c'},
	{"passphrase-file", required_argument, NULL, 'p'},
	{"role", required_argument, NULL, 'r'},
	{"place", required_argument, NULL, 'l'},
	{"commitment", required_argument, NULL, 'm'},
	{"rsa-pss", no_argument, NULL, 'S'},
	{"force", no_argument, NULL, 'F'},
	{"signature", required_argument, NULL, 's'},
	{"tsa", required_argument, NULL, 't'},
	{"tsa-dir", required_argument, NULL, 'd'},
	{"tsa-passphrase-file", required_argument, NULL, 'P'},
	{"embed-validation-data", no_argument, NULL, 'E'},
	{"crl", required_argument, NULL, 'C'},
	{"trust", required_argument, NULL, 'T'},
	{"ocsp", required_argument, NULL, 'o'},
	{"ocsp-dir", required_argument, NULL, 'O'},
	{"ocsp-passphrase-file", required_argument, NULL, 'Q'},
	CLI_LIMIT_OPTIONS,
	{"help", no_argument, NULL, 'h'},
	{"quiet", no_argument, NULL, 'q'},
	{NULL, 0, NULL, 0},
};

int cli_sign_options_parse(const char *verb, int argc, char **argv, cli_sign_args *a)
{
	static const int sign_opts[] = {'k', 'c', 'p', 'r', 'l', 'm', 'S', 'F', 't', 'd', 'P',
					'E', 'C', 'T', 'o', 'O', 'Q', 'q',
					CLI_OPT_LIMIT, CLI_OPT_LIMIT + 1, CLI_OPT_LIMIT + 2, CLI_OPT_LIMIT + 3, 0};
	static const int countersign_opts[] = {'k', 'c', 'p', 'r', 'l', 'm', 'S', 'F', 's',
					       't', 'd', 'P', 'q',
					       CLI_OPT_LIMIT, CLI_OPT_LIMIT + 1, CLI_OPT_LIMIT + 2, CLI_OPT_LIMIT + 3, 0};
	cli_parser p = {.verb = verb, .shortopts = "k:c:q", .opts = long_opts,
			.allowed = strcmp(verb, "sign") ? countersign_opts : sign_opts};
	int ch;

	memset(a, 0, sizeof *a);
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if (cli_limit_option(verb, ch, optarg))
				return EXIT_TROUBLE;
			break;
		case 'k': a->key = optarg; break;
		case 'c': a->cert = optarg; break;
		case 'p': a->passphrase_file = optarg; break;
		case 'r': a->opt.role = optarg; break;
		case 'l': {
			char *comma = strrchr(optarg, ',');
			if (comma) {
				*comma = '\0';
				a->opt.city = optarg[0] ? optarg : NULL;
				a->opt.country = comma[1] ? comma + 1 : NULL;
			} else {
				a->opt.city = optarg;
			}
			break;
		}
		case 'm':
			if (accord_commitment_from_name(optarg, &a->opt.commitment))
				return cli_usage_error(verb, "--commitment must be approval, origin or receipt");
			break;
		case 'S': a->opt.rsa_pss = 1; break;
		case 'F': a->opt.force = 1; break;
		case 's': a->signature_id = optarg; break;
		case 't': a->opt.tsa_url = optarg; break;
		case 'd': a->opt.tsa_dir = optarg; break;
		case 'P': a->tsa_passphrase_file = optarg; break;
		case 'E': a->embed = 1; break;
		case 'C':
			if (a->n_crls == 16)
				return cli_usage_error(verb, "too many --crl");
			a->crls[a->n_crls++] = optarg;
			break;
		case 'T':
			if (a->n_trust == 16)
				return cli_usage_error(verb, "too many --trust");
			a->trust[a->n_trust++] = optarg;
			break;
		case 'o': a->lt.ocsp_url = optarg; break;
		case 'O': a->lt.ocsp_dir = optarg; break;
		case 'Q': a->ocsp_passphrase_file = optarg; break;
		case 'q': accord_progress_enable(0); break;
		}
	}
	if (ch == CLI_OPT_HELP) {
		a->help = 1;
		return 0;
	}
	if (ch == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	if (optind != argc - 1)
		return cli_usage_error(verb, "give exactly one PACKAGE");
	a->package = argv[optind];
	if (!a->key || !a->cert)
		return cli_usage_error(verb, "--key and --cert are required");
	if (a->lt.ocsp_url && a->lt.ocsp_dir)
		return cli_usage_error(verb, "give --ocsp URL or --ocsp-dir DIR, not both");
	if ((a->lt.ocsp_url || a->lt.ocsp_dir) && !a->opt.tsa_url && !a->opt.tsa_dir)
		return cli_usage_error(verb, "--ocsp and --ocsp-dir need --tsa or --tsa-dir: the OCSP response must be produced after the signature timestamp");
	if (a->embed || a->lt.ocsp_url || a->lt.ocsp_dir) {
		/* B-LT in the same write as the signature */
		a->lt.level = ACCORD_LEVEL_LT;
		a->lt.crls = a->crls;
		a->lt.n_crls = a->n_crls;
		a->lt.trust = a->trust;
		a->lt.n_trust = a->n_trust;
		a->opt.lt = &a->lt;
	}
	return 0;
}

int cli_sign_open_signer(cli_sign_args *a, accord_signer **signer)
{
	accord_error err;
	char *pass = NULL;
	int rc;

	accord_error_clear(&err);
	pass = cli_passphrase_get(a->passphrase_file,
				  strncmp(a->key, "pkcs11:", 7) ? "Passphrase for the signing key: "
								 : "PIN of the token: ",
				  0, &err);
	if (!pass)
		return cli_fail(&err);
	/* decrypted while the package is hashed (accord_sign waits for it) */
	rc = accord_signer_open_start(a->key, a->cert, pass, signer, &err);
	cli_passphrase_free(pass);
	if (rc)
		return cli_fail(&err);
	if (a->opt.tsa_dir) {
		/* the local TSA's key has its own passphrase */
		a->tsa_pass = cli_service_passphrase_get(a->tsa_passphrase_file, "--tsa-passphrase-file",
						 "TSA", a->opt.tsa_dir, &err);
		if (!a->tsa_pass) {
			accord_signer_free(*signer);
			*signer = NULL;
			return cli_fail(&err);
		}
		a->opt.tsa_passphrase = a->tsa_pass;
	}
	if (a->lt.ocsp_dir) {
		a->ocsp_pass = cli_service_passphrase_get(a->ocsp_passphrase_file, "--ocsp-passphrase-file",
						  "OCSP responder", a->lt.ocsp_dir, &err);
		if (!a->ocsp_pass) {
			accord_signer_free(*signer);
			*signer = NULL;
			return cli_fail(&err);
		}
		a->lt.ocsp_passphrase = a->ocsp_pass;
	}
	return 0;
}

void cli_sign_args_clear(cli_sign_args *a)
{
	cli_passphrase_free(a->tsa_pass);
	cli_passphrase_free(a->ocsp_pass);
	a->tsa_pass = a->ocsp_pass = NULL;
}
