/* cli/cmd_pack.c — `accord pack` (not written yet). */
#include "cli/cli.h"

int cmd_pack(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: pack: not implemented yet\n");
	return EXIT_TROUBLE;
}
