/* cli/cmd_extract.c — `accord extract`: the documents of a checked package into a
 * folder, never outside it, never through a symlink, never overwriting unless asked. */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"

static void extract_usage(FILE *f)
{
	fprintf(f,
		"usage: accord extract -C DIR [--force] [LIMITS] PACKAGE\n\n"
		"Check PACKAGE like `accord list`, then write its documents (and the package\n"
		"descriptor) into DIR, created if missing. Nothing is written when a document\n"
		"already exists there, unless --force.\n\n"
		"  -C, --directory DIR  where to write the documents\n"
		"  --force              replace existing files\n"
		"  --max-entries N      at most N entries (default 10000)\n"
		"  --max-size BYTES     at most BYTES per entry, uncompressed (default 4G)\n"
		"  --max-total BYTES    at most BYTES for all entries (default 16G)\n"
		"  --max-ratio N        at most N:1 compression per entry over 64K (default 1000)\n"
		"  -h, --help           this help\n");
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
		{"directory", required_argument, NULL, 'C'},
		{"force", no_argument, NULL, 'f'},
		{"max-entries", required_argument, NULL, 'E'},
		{"max-size", required_argument, NULL, 'S'},
		{"max-total", required_argument, NULL, 'T'},
		{"max-ratio", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	accord_limits lim;
	accord_error err;
	const char *dir = NULL;
	int opt, force = 0;

	accord_error_clear(&err);
	accord_limits_default(&lim);
	if (cli_wants_help(argc, argv)) {
		extract_usage(stdout);
		return EXIT_VALID;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		const char *name = NULL;
		switch (opt) {
		case 'C':
			dir = optarg;
			continue;
		case 'f':
			force = 1;
			continue;
		case 'E': case 'S': case 'T': case 'R':
			for (size_t i = 0; longopts[i].name; i++)
				if (longopts[i].val == opt)
					name = longopts[i].name;
			if (accord_limits_set(&lim, name, optarg, &err) != ACCORD_OK)
				return cli_usage_error("extract", "--%s: %s", name, err.why);
			continue;
		default:
			return cli_usage_error("extract", "unknown option");
		}
	}
	if (!dir)
		return cli_usage_error("extract", "-C DIR is required");
	if (optind != argc - 1)
		return cli_usage_error("extract", "give exactly one PACKAGE");
	if (accord_container_extract(argv[optind], dir, &(accord_extract_options){
					     .force = force, .limits = &lim, .on_note = print_note,
					     .ctx = argv[optind]}, &err) !=
	    ACCORD_OK)
		return cli_fail(&err);
	printf("extracted the documents of %s into %s\n", argv[optind], dir);
	return EXIT_VALID;
}
