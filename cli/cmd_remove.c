/* cli/cmd_remove.c — `accord remove PACKAGE --signature ID [--force]`. */
#include <getopt.h>
#include <stdio.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord remove PACKAGE --signature ID [--force]\n\n"
	"Takes the signature whose Id is ID (as `accord list` shows it) out of PACKAGE: its\n"
	"signature file when it held only that signature, else the signature from the file.\n"
	"Refused when another signature signs that file, and for a countersignature (it sits\n"
	"inside the signature it endorses). Countersignatures of ID would go with it: refused\n"
	"unless --force. The package is replaced atomically.\n"
	"\n"
	CLI_LIMITS_HELP;

int cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"force", no_argument, NULL, 'f'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sig = NULL;
	accord_error err;
	int ch, force = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's': sig = optarg; break;
		case 'f': force = 1; break;
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if (cli_limit_option("remove", ch, optarg))
				return EXIT_TROUBLE;
			break;
		default: return cli_usage_error("remove", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("remove", "give exactly one PACKAGE");
	if (!sig)
		return cli_usage_error("remove", "--signature ID is required");
	accord_error_clear(&err);
	if (accord_remove_signature(argv[optind], sig, force, &err) != ACCORD_OK)
		return cli_fail(&err);
	printf("removed signature %s from %s\n", sig, argv[optind]);
	return EXIT_VALID;
}
