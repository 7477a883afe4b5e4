/* cli/cmd_new.c — `accord new agreement|incident-report -o FILE [--force]`: a starting
 * document to fill in before packing it. */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord new agreement -o FILE|- [--force]\n"
	"       accord new incident-report -o FILE|- [--force]\n\n"
	"Writes a starting document to fill in, then to pack with `accord pack --kind KIND`:\n"
	"agreement: a draft agreement in plain text (parties, articles, signatures);\n"
	"incident-report (or incident): an IODEF v2 report (RFC 7970, XML) that already holds\n"
	"what pack checks (version 2.00, Incident purpose, IncidentID name, GenerationTime set\n"
	"to now, a Contact with role and type), with [bracketed] parts to replace.\n\n"
	"  -o, --out FILE       the file to write (refused if it exists); - writes it to\n"
	"                       standard output\n"
	"  --force              replace FILE if it exists\n"
	"  -h, --help           this help\n";

int cmd_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"output", required_argument, NULL, 'o'}, /* the old name, hidden */
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "new", .shortopts = "o:", .opts = opts, .usage = usage};
	cli_pipe io;
	const char *out = NULL, *what;
	accord_kind kind;
	accord_error err;
	int ch, force = 0, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'f': force = 1; break;
		}
	}
	if (ch != CLI_OPT_END) /* the help (p.usage printed) or an error */
		return ch == CLI_OPT_HELP ? EXIT_VALID : EXIT_TROUBLE;
	if (optind != argc - 1)
		return cli_usage_error("new", "give one kind: agreement or incident-report");
	what = argv[optind];
	if (!strcmp(what, "incident"))
		kind = ACCORD_KIND_INCIDENT_REPORT;
	else if (accord_kind_from_name(what, &kind) != ACCORD_OK)
		return cli_usage_error("new", "unknown kind '%s' (agreement or incident-report)", what);
	if (!out)
		return cli_usage_error("new", "-o FILE is required");
	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	if ((rc = cli_stdout_file(&io, &out, "template")) == 0 &&
	    accord_template_write(kind, out, force, &err) != ACCORD_OK) {
		cli_pipe_rename(&io, &err);
		rc = cli_fail(&err);
	} else if (rc == 0) {
		fprintf(cli_pipe_say(&io), "wrote %s: %s to fill in\n", cli_pipe_shown(&io, out),
			kind == ACCORD_KIND_AGREEMENT ? "a draft agreement" : "an IODEF incident report");
	}
	return cli_pipe_close(&io, rc);
}
