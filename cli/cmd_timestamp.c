/* cli/cmd_timestamp.c — `accord timestamp request|attach`: B-T across an air gap. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

static const char usage[] =
	"usage: accord timestamp VERB PACKAGE [OPTIONS]\n"
	"\n"
	"Upgrades a signature to XAdES B-T in two steps, for machines without a network.\n"
	"\n"
	"Verbs:\n"
	"  request  write an RFC 3161 request over a signature\n"
	"  attach   attach the TSA's reply to the signature\n"
	"\n"
	"`accord timestamp VERB --help` (or `accord help timestamp VERB`) describes each.\n";

#define TIMESTAMP_HELP_SIGNATURE                                                            \
	"      --signature ID       the signature (its Id, as `accord list` shows it);\n" \
	"                           default: the newest one without a timestamp\n"
#define TIMESTAMP_HELP_EXAMPLE                                                              \
	"\n"                                                                                \
	"    accord timestamp request c.asice -o - |\n"                                     \
	"        accord tsa stamp --dir tsa --request - -o - |\n"                           \
	"        accord timestamp attach c.asice --reply -\n"

static const cli_subverb_doc docs[] = {
	{"request",
	 "usage: accord timestamp request PACKAGE -o REQ.tsq|- [--signature ID]\n"
	 "\n"
	 "Writes an RFC 3161 request over the signature's canonical SignatureValue; carry\n"
	 "it to a TSA (for example `accord tsa stamp`), then `accord timestamp attach`\n"
	 "the reply.\n"
	 HELP_OPTIONS
	 "  -o, --out REQ.tsq        the request; - is standard output (required)\n"
	 TIMESTAMP_HELP_SIGNATURE
	 HELP_LIMITS HELP_QUIET HELP_HELP TIMESTAMP_HELP_EXAMPLE},
	{"attach",
	 "usage: accord timestamp attach PACKAGE --reply REPLY.tsr|- [--signature ID]\n"
	 "\n"
	 "Attaches the TSA's reply to the signature as a SignatureTimeStamp (B-T). The\n"
	 "signed part is not touched; a reply that timestamps other data is refused.\n"
	 HELP_OPTIONS
	 "      --reply REPLY.tsr    the TSA's reply; - reads standard input (required)\n"
	 TIMESTAMP_HELP_SIGNATURE
	 HELP_LIMITS HELP_QUIET HELP_HELP TIMESTAMP_HELP_EXAMPLE},
	{NULL, NULL},
};

int cmd_timestamp(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"reply", required_argument, NULL, 'r'},
		{"quiet", no_argument, NULL, 'q'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sig = NULL, *out = NULL, *reply = NULL, *verb;
	static const int request_opts[] = {'s', 'o', 'q',
					   CLI_OPT_LIMIT, CLI_OPT_LIMIT + 1, CLI_OPT_LIMIT + 2, CLI_OPT_LIMIT + 3, 0};
	static const int attach_opts[] = {'s', 'r', 'q',
					   CLI_OPT_LIMIT, CLI_OPT_LIMIT + 1, CLI_OPT_LIMIT + 2, CLI_OPT_LIMIT + 3, 0};
	cli_parser p = {.verb = "timestamp", .shortopts = "o:q", .opts = opts};
	accord_error err;
	cli_pipe io;
	char id[128];
	int ch, rc;

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	if (cli_wants_help(argc, argv))
		return cli_subverb_help(usage, docs, verb);
	if (strcmp(verb, "request") && strcmp(verb, "attach"))
		return cli_usage_error("timestamp", "%s: unknown verb (request or attach)", verb);
	p.verb = !strcmp(verb, "request") ? "timestamp request" : "timestamp attach";
	p.usage = docs[!strcmp(verb, "request") ? 0 : 1].help;
	p.allowed = !strcmp(verb, "request") ? request_opts : attach_opts;
	while ((ch = cli_getopt(&p, argc - 1, argv + 1)) >= 0) {
		switch (ch) {
		case 'q':
			accord_progress_enable(0);
			break;
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if (cli_limit_option(p.verb, ch, optarg))
				return EXIT_TROUBLE;
			break;
		case 's': sig = optarg; break;
		case 'o': out = optarg; break;
		case 'r': reply = optarg; break;
		}
	}
	if (ch != CLI_OPT_END) /* the help (p.usage printed) or an error */
		return ch == CLI_OPT_HELP ? EXIT_VALID : EXIT_TROUBLE;
	argc--;
	argv++;
	if (optind != argc - 1)
		return cli_usage_error(p.verb, "give exactly one PACKAGE");
	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	if (!strcmp(verb, "request")) {
		if (!out || reply)
			return cli_usage_error(p.verb, "request takes -o REQ.tsq");
		if ((rc = cli_stdout_file(&io, &out, "request.tsq")) == 0 &&
		    accord_timestamp_request(argv[optind], sig, out, id, sizeof id, &err)) {
			cli_pipe_rename(&io, &err);
			rc = cli_fail(&err);
		} else if (rc == 0) {
			fprintf(cli_pipe_say(&io), "wrote %s: timestamp request for signature %s\n",
				cli_pipe_shown(&io, out), id);
		}
		return cli_pipe_close(&io, rc);
	}
	if (!reply || out)
		return cli_usage_error(p.verb, "attach takes --reply REPLY.tsr");
	if ((rc = cli_stdin_file(&io, &reply, CLI_SMALL_FILE_MAX)) == 0 &&
	    accord_timestamp_attach(argv[optind], reply, sig, id, sizeof id, &err)) {
		cli_pipe_rename(&io, &err);
		rc = cli_fail(&err);
	} else if (rc == 0) {
		printf("timestamped signature %s in %s\n", id, argv[optind]);
	}
	return cli_pipe_close(&io, rc);
}
