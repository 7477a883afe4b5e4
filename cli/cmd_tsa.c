/* cli/cmd_tsa.c — `accord tsa` (not written yet). */
#include "cli/cli.h"

int cmd_tsa(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: tsa: not implemented yet\n");
	return EXIT_TROUBLE;
}
