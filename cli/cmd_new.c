/* cli/cmd_new.c — `accord new agreement|incident-report -o FILE [--force]`: a starting
 * document to fill in before packing it. */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord new agreement -o FILE [--force]\n"
	"       accord new incident-report -o FILE [--force]\n\n"
	"Writes a starting document to fill in, then to pack with `accord pack --kind KIND`:\n"
	"agreement: a draft agreement in plain text (parties, articles, signatures);\n"
	"incident-report (or incident): an IODEF v2 report (RFC 7970, XML) that already holds\n"
	"what pack checks (version 2.00, Incident purpose, IncidentID name, GenerationTime set\n"
	"to now, a Contact with role and type), with [bracketed] parts to replace.\n\n"
	"  -o, --output FILE    the file to write (refused if it exists)\n"
	"  --force              replace FILE if it exists\n"
	"  -h, --help           this help\n";

int cmd_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL, *what;
	accord_kind kind;
	accord_error err;
	int ch, force = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 'f': force = 1; break;
		default: return cli_usage_error("new", "unknown option");
		}
	}
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
	if (accord_template_write(kind, out, force, &err) != ACCORD_OK)
		return cli_fail(&err);
	printf("wrote %s: %s to fill in\n", out,
	       kind == ACCORD_KIND_AGREEMENT ? "a draft agreement" : "an IODEF incident report");
	return EXIT_VALID;
}
