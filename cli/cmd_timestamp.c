/* cli/cmd_timestamp.c — `accord timestamp request|attach`: B-T across an air gap. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord timestamp request PACKAGE [--signature ID] -o REQ.tsq|-\n"
	"       accord timestamp attach PACKAGE --reply REPLY.tsr|- [--signature ID]\n\n"
	"Upgrades a signature to XAdES B-T in two steps, for machines without a network:\n"
	"`request` writes an RFC 3161 request over the signature's canonical SignatureValue\n"
	"(the newest signature when --signature is omitted); carry it to a TSA (for example\n"
	"`accord tsa stamp`), bring the reply back and `attach` it. The signed part of the\n"
	"signature is not touched; the reply is refused if it timestamps other data.\n"
	"-o (--out) - writes the request to standard output; --reply - reads standard input.\n";

int cmd_timestamp(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"reply", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sig = NULL, *out = NULL, *reply = NULL, *verb;
	cli_parser p = {.verb = "timestamp", .shortopts = "o:", .opts = opts, .usage = usage};
	accord_error err;
	cli_pipe io;
	char id[128];
	int ch, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	verb = argv[1];
	if (strcmp(verb, "request") && strcmp(verb, "attach"))
		return cli_usage_error("timestamp", "%s: unknown verb (request or attach)", verb);
	p.verb = !strcmp(verb, "request") ? "timestamp request" : "timestamp attach";
	while ((ch = cli_getopt(&p, argc - 1, argv + 1)) >= 0) {
		switch (ch) {
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
