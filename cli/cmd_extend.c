/* cli/cmd_extend.c — `accord extend` (not written yet). */
#include "cli/cli.h"

int cmd_extend(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: extend: not implemented yet\n");
	return EXIT_TROUBLE;
}
