/* cli/cmd_remove.c — `accord remove PACKAGE --signature ID [--force]` and
 * `accord remove PACKAGE --document NAME`. */
#include <getopt.h>
#include <stdio.h>
#include "cli/cli.h"
#include "cli/help.h"

static const char usage[] =
	"usage: accord remove PACKAGE --signature ID [--force]\n"
	"       accord remove PACKAGE --document NAME\n"
	"\n"
	"Takes one signature, or one document nobody has signed yet, out of PACKAGE.\n"
	HELP_OPTIONS
	"      --signature ID       the signature whose Id is ID (see accord list)\n"
	"                           (required: it or --document)\n"
	"      --force              with --signature: countersignatures of ID go with it\n"
	"      --document NAME      the document NAME (see accord list) and its\n"
	"                           manifest entry (required: it or --signature)\n"
	HELP_LIMITS HELP_QUIET HELP_HELP
	"\n"
	"--signature removes its signature file when that held only ID, else the\n"
	"signature from the file. Refused when another signature signs that file, for a\n"
	"countersignature (it sits inside the signature it endorses), and, without\n"
	"--force, when countersignatures would go with it.\n"
	"--document works only before anyone signs: refused once the package holds a\n"
	"signature (every signature covers every document; remove the signatures first),\n"
	"for the mimetype, META-INF/ entries and the descriptor, for a name the package\n"
	"does not hold, and for its last document.\n"
	"The package is replaced atomically (through a symlink, its target).\n";

int cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"document", required_argument, NULL, 'd'},
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "remove", .shortopts = "q", .opts = opts, .usage = usage};
	const char *sig = NULL, *doc = NULL;
	accord_error err;
	int ch, force = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case 'q':
			accord_progress_enable(0);
			break;
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if (cli_limit_option("remove", ch, optarg))
				return EXIT_TROUBLE;
			break;
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
