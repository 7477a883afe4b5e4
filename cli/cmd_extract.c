/* cli/cmd_extract.c — `accord extract`: the documents of a checked package into a
 * folder, never outside it, never through a symlink, never overwriting unless asked. */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

static void extract_usage(FILE *f)
{
	fputs("usage: accord extract PACKAGE|- -o DIR [--force] [LIMITS]\n"
	      "\n"
	      "Checks PACKAGE like `accord list`, then writes its documents (and the package\n"
	      "descriptor) into DIR (DIR itself may be a symbolic link to a folder), never\n"
	      "outside it, never through a symbolic link inside it.\n"
	      HELP_OPTIONS
	      "  -o, --out DIR            the folder to write into, created if missing\n"
	      "                           (required)\n"
	      "      --force              replace files that exist there\n"
	      HELP_LIMITS HELP_QUIET HELP_HELP
	      "\n"
	      "Nothing is written when a document already exists in DIR, unless --force.\n"
	      "PACKAGE - reads it from standard input.\n",
	      f);
}

/* A layout deviation the tolerant reading noted: a warning on stderr, the rule named. */
static void print_note(void *ctx, const accord_container_note *n)
{
	fprintf(stderr, "accord extract: %s: warning: %s: %s (%s)\n", (const char *)ctx, n->where,
		n->message, n->rule);
}

int cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"max-entries", required_argument, NULL, 'E'},
		{"max-size", required_argument, NULL, 'S'},
		{"max-total", required_argument, NULL, 'T'},
		{"max-ratio", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{"quiet", no_argument, NULL, 'q'},
		{"directory", required_argument, NULL, 'o'}, /* the old name, hidden */
		{NULL, 0, NULL, 0}};
	cli_parser p = {.verb = "extract", .shortopts = "o:C:q", .opts = longopts};
	accord_limits lim;
	accord_error err;
	cli_pipe io;
	const char *dir = NULL, *package;
	int opt, force = 0, rc;

	accord_error_clear(&err);
	accord_limits_default(&lim);
	if (cli_wants_help(argc, argv)) {
		extract_usage(stdout);
		return EXIT_VALID;
	}
	while ((opt = cli_getopt(&p, argc, argv)) >= 0) {
		const char *name = NULL;
		switch (opt) {
		case 'o':
		case 'C': /* -C, the old short name */
			dir = optarg;
			continue;
		case 'f':
			force = 1;
			continue;
		case 'q':
			accord_progress_enable(0);
			continue;
		case 'E': case 'S': case 'T': case 'R':
			for (size_t i = 0; longopts[i].name; i++)
				if (longopts[i].val == opt)
					name = longopts[i].name;
			if (accord_limits_set(&lim, name, optarg, &err) != ACCORD_OK)
				return cli_usage_error("extract", "--%s: %s", name, err.why);
			continue;
		default:
			continue;
		}
	}
	if (opt == CLI_OPT_HELP) {
		extract_usage(stdout);
		return EXIT_VALID;
	}
	if (opt == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	if (!dir)
		return cli_usage_error("extract", "-o DIR is required");
	if (!strcmp(dir, "-"))
		return cli_usage_error("extract", "-o -: the documents go into a folder, not to standard output (accord list shows them)");
	if (optind != argc - 1)
		return cli_usage_error("extract", "give exactly one PACKAGE");
	accord_limits_set_default(&lim); /* the XML and manifest limits follow them */
	memset(&io, 0, sizeof io);
	package = argv[optind];
	if ((rc = cli_stdin_file(&io, &package, cli_package_size_max(&lim))) == 0 &&
	    accord_container_extract(package, dir, &(accord_extract_options){
					     .force = force, .limits = &lim, .on_note = print_note,
					     .ctx = argv[optind]}, &err) != ACCORD_OK) {
		cli_pipe_rename(&io, &err);
		rc = cli_fail(&err);
	}
	cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
	if (rc)
		return rc;
	printf("extracted the documents of %s into %s\n", argv[optind], dir);
	return EXIT_VALID;
}
