/* cli/cmd_countersign.c — `accord countersign` (not written yet). */
#include "cli/cli.h"

int cmd_countersign(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "accord: countersign: not implemented yet\n");
	return EXIT_TROUBLE;
}
