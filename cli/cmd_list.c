/* cli/cmd_list.c — `accord list` (not written yet). */
#include "cli/cli.h"

int cmd_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: list: not implemented yet\n");
	return EXIT_TROUBLE;
}
