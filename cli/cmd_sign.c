/* cli/cmd_sign.c — `accord sign` (not written yet). */
#include "cli/cli.h"

int cmd_sign(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: sign: not implemented yet\n");
	return EXIT_TROUBLE;
}
