/* cli/cmd_extract.c — `accord extract` (not written yet). */
#include "cli/cli.h"

int cmd_extract(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: extract: not implemented yet\n");
	return EXIT_TROUBLE;
}
