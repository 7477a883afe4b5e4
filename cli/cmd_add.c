/* cli/cmd_add.c — `accord add PACKAGE FILE...`: documents into a package nobody signed. */
#include <getopt.h>
#include <stdio.h>
#include "cli/cli.h"
#include "cli/help.h"

static const char usage[] =
	"usage: accord add PACKAGE FILE|FOLDER... [LIMITS]\n"
	"\n"
	"Adds each FILE to PACKAGE as `accord pack` would have (stored under its path as\n"
	"given, a FOLDER giving its files, compressed by content, listed in\n"
	"META-INF/manifest.xml with its media type), before anyone signs.\n"
	HELP_OPTIONS HELP_LIMITS HELP_QUIET HELP_HELP
	"\n"
	"Once the package holds a signature, an added document would not be covered by\n"
	"it, so add is refused (remove the signatures first: accord remove --signature\n"
	"ID). Refused too for a name the package already holds (names must differ\n"
	"beyond case), a reserved name (mimetype, META-INF, " ACCORD_DESCRIPTOR_NAME "),\n"
	"and a FILE that is not a readable regular file: then nothing is added. The\n"
	"package is replaced atomically (through a symlink, its target).\n";

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"quiet", no_argument, NULL, 'q'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "add", .shortopts = "q", .opts = opts, .usage = usage};
	accord_error err;
	int ch, n;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		if (ch == 'q')
			accord_progress_enable(0);
		else if (ch >= CLI_OPT_LIMIT && ch <= CLI_OPT_LIMIT + 3 && cli_limit_option("add", ch, optarg))
			return EXIT_TROUBLE;
	}
	if (ch != CLI_OPT_END) /* the help (p.usage printed) or an error */
		return ch == CLI_OPT_HELP ? EXIT_VALID : EXIT_TROUBLE;
	if (argc - optind < 2)
		return cli_usage_error("add", "give the PACKAGE and at least one FILE");
	n = argc - optind - 1;
	accord_error_clear(&err);
	if (accord_add_documents(argv[optind], (const char *const *)argv + optind + 1, (size_t)n,
				 &err) != ACCORD_OK)
		return cli_fail(&err);
	printf("added %d document%s to %s\n", n, n == 1 ? "" : "s", argv[optind]);
	return EXIT_VALID;
}
