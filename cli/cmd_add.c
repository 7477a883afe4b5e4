/* cli/cmd_add.c — `accord add PACKAGE FILE...`: documents into a package nobody signed. */
#include <getopt.h>
#include <stdio.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord add PACKAGE FILE...\n\n"
	"Adds each FILE to PACKAGE as `accord pack` would have: stored under its base name,\n"
	"listed in META-INF/manifest.xml with its media type. Only before anyone signs: once\n"
	"the package holds a signature, an added document would not be covered by it, so add\n"
	"is refused (remove the signatures first: accord remove --signature ID). Refused too\n"
	"for a name the package already holds (names must differ beyond case), a reserved\n"
	"name (mimetype, META-INF, " ACCORD_DESCRIPTOR_NAME "), and a FILE that is not a\n"
	"readable regular file: then nothing is added. The package is replaced atomically\n"
	"(through a symlink, its target).\n\n"
	"  -h, --help           this help\n";

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "add", .opts = opts, .usage = usage};
	accord_error err;
	int ch, n;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0)
		;
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
