/* cli/cmd_timestamp.c — `accord timestamp request|attach`: B-T across an air gap. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord timestamp request PACKAGE [--signature ID] --out REQ.tsq\n"
	"       accord timestamp attach PACKAGE --reply REPLY.tsr [--signature ID]\n\n"
	"Upgrades a signature to XAdES B-T in two steps, for machines without a network:\n"
	"`request` writes an RFC 3161 request over the signature's canonical SignatureValue\n"
	"(the newest signature when --signature is omitted); carry it to a TSA (for example\n"
	"`accord tsa stamp`), bring the reply back and `attach` it. The signed part of the\n"
	"signature is not touched; the reply is refused if it timestamps other data.\n"
	"\n"
	CLI_LIMITS_HELP;

int cmd_timestamp(int argc, char **argv)
{
	static const struct option opts[] = {
		{"signature", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"reply", required_argument, NULL, 'r'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sig = NULL, *out = NULL, *reply = NULL, *verb;
	accord_error err;
	char id[128];
	int ch, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	verb = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's': sig = optarg; break;
		case 'o': out = optarg; break;
		case 'r': reply = optarg; break;
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if (cli_limit_option("timestamp", ch, optarg))
				return EXIT_TROUBLE;
			break;
		default: return cli_usage_error("timestamp", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("timestamp", "give exactly one PACKAGE");
	accord_error_clear(&err);
	if (!strcmp(verb, "request")) {
		if (!out || reply)
			return cli_usage_error("timestamp", "request takes --out REQ.tsq");
		rc = accord_timestamp_request(argv[optind], sig, out, id, sizeof id, &err);
		if (rc)
			return cli_fail(&err);
		printf("wrote %s: timestamp request for signature %s\n", out, id);
		return EXIT_VALID;
	}
	if (!strcmp(verb, "attach")) {
		if (!reply || out)
			return cli_usage_error("timestamp", "attach takes --reply REPLY.tsr");
		rc = accord_timestamp_attach(argv[optind], reply, sig, id, sizeof id, &err);
		if (rc)
			return cli_fail(&err);
		printf("timestamped signature %s in %s\n", id, argv[optind]);
		return EXIT_VALID;
	}
	return cli_usage_error("timestamp", "unknown verb '%s' (request or attach)", verb);
}
