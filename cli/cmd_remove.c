/* cli/cmd_remove.c — `accord remove PACKAGE --signature ID [--force]` and
 * `accord remove PACKAGE --document NAME`. */
#include <getopt.h>
#include <stdio.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord remove PACKAGE --signature ID [--force]\n"
	"       accord remove PACKAGE --document NAME\n\n"
	"  --signature ID       take the signature whose Id is ID (as `accord list` shows it)\n"
	"                       out of PACKAGE: its signature file when it held only that\n"
	"                       signature, else the signature from the file. Refused when\n"
	"                       another signature signs that file, and for a countersignature\n"
	"                       (it sits inside the signature it endorses)\n"
	"  --force              with --signature: countersignatures of ID go with it\n"
	"                       (refused without --force)\n"
	"  --document NAME      take the document NAME (its name in the package, as `accord\n"
	"                       list` shows it) and its manifest entry out of PACKAGE. Only\n"
	"                       before anyone signs: refused once the package holds a\n"
	"                       signature (every signature covers every document; remove the\n"
	"                       signatures first), for the mimetype, META-INF/ entries and the\n"
	"                       descriptor, for a name the package does not hold, and for its\n"
	"                       last document\n"
	"  -h, --help           this help\n\n"
	"The package is replaced atomically (through a symlink, its target).\n";

int cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"document", required_argument, NULL, 'd'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "remove", .opts = opts, .usage = usage};
	const char *sig = NULL, *doc = NULL;
	accord_error err;
	int ch, force = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case 's': sig = optarg; break;
		case 'd': doc = optarg; break;
		case 'f': force = 1; break;
		}
	}
	if (ch != CLI_OPT_END) /* the help (p.usage printed) or an error */
		return ch == CLI_OPT_HELP ? EXIT_VALID : EXIT_TROUBLE;
	if (optind != argc - 1)
		return cli_usage_error("remove", "give exactly one PACKAGE");
	if (!sig == !doc)
		return cli_usage_error("remove", "give one of --signature ID and --document NAME");
	if (doc && force)
		return cli_usage_error("remove", "--force goes with --signature only");
	accord_error_clear(&err);
	if (doc) {
		if (accord_remove_document(argv[optind], doc, &err) != ACCORD_OK)
			return cli_fail(&err);
		printf("removed document %s from %s\n", doc, argv[optind]);
		return EXIT_VALID;
	}
	if (accord_remove_signature(argv[optind], sig, force, &err) != ACCORD_OK)
		return cli_fail(&err);
	printf("removed signature %s from %s\n", sig, argv[optind]);
	return EXIT_VALID;
}
