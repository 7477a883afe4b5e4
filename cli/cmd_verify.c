/* cli/cmd_verify.c — `accord verify` (not written yet). */
#include "cli/cli.h"

int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: verify: not implemented yet\n");
	return EXIT_TROUBLE;
}
