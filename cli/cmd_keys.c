/* cli/cmd_keys.c — `accord keys` (not written yet). */
#include "cli/cli.h"

int cmd_keys(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: keys: not implemented yet\n");
	return EXIT_TROUBLE;
}
