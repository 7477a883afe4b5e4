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
	"unless --force. The package is replaced atomically.\n";

int cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "remove", .opts = opts};
	const char *sig = NULL;
	accord_error err;
	int ch, force = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case 's': sig = optarg; break;
		case 'f': force = 1; break;
		}
	}
	if (ch != CLI_OPT_END) /* help comes first (cli_wants_help): only an error is left */
		return EXIT_TROUBLE;
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
