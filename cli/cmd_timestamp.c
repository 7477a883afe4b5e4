/* cli/cmd_timestamp.c — `accord timestamp` (not written yet). */
#include "cli/cli.h"

int cmd_timestamp(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: timestamp: not implemented yet\n");
	return EXIT_TROUBLE;
}
