/* cli/cmd_pack.c — `accord pack`: documents, a package descriptor and the declared
 * parties into a new ASiC-E container. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static void pack_usage(FILE *f)
{
	fprintf(f,
		"usage: accord pack -o OUT.asice|- [--kind agreement|incident-report] [--title T]\n"
		"                   [--ref R] [--party CERT]... [--quorum K] [--no-validate] [--force]\n"
		"                   FILE...\n\n"
		"Put FILEs (stored under their base names), a package descriptor (%s)\n"
		"and META-INF/manifest.xml into a new ASiC-E container.\n\n"
		"  -o, --out OUT        the container to write (refused if it exists); - writes\n"
		"                       it to standard output\n"
		"  --kind KIND          agreement (default) or incident-report (or incident)\n"
		"  --title T            the package title (default: the first file's name)\n"
		"  --ref R              a reference (case or ticket number)\n"
		"  --party CERT         a party expected to sign, by certificate (repeatable)\n"
		"  --quorum K           how many declared parties must sign (1..parties; default all)\n"
		"  --no-validate        pack incident reports without checking them\n"
		"  --force              overwrite OUT if it exists\n"
		"  -h, --help           this help\n",
		ACCORD_DESCRIPTOR_NAME);
	fprintf(f, "\nIn an incident report, an IODEF v2 document (RFC 7970) is stored as %s\n"
		"and a STIX 2.1 bundle as %s, after a check: IODEF\n"
		"against what RFC 7970 requires (version 2.00, Incident purpose, IncidentID name,\n"
		"GenerationTime, Contact role and type), STIX for type, id and spec_version on every\n"
		"object. A report that breaks a rule is refused, naming the line or the object.\n",
		"application/iodef+xml", "application/stix+json;version=2.1");
}

int cmd_pack(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},    {"kind", required_argument, NULL, 'k'},
		{"title", required_argument, NULL, 't'},  {"ref", required_argument, NULL, 'r'},
		{"party", required_argument, NULL, 'p'},  {"quorum", required_argument, NULL, 'q'},
		{"force", no_argument, NULL, 'f'},        {"help", no_argument, NULL, 'h'},
		{"no-validate", no_argument, NULL, 'V'},
		{"output", required_argument, NULL, 'o'}, /* the old name, hidden */
		{NULL, 0, NULL, 0}};
	cli_parser p = {.verb = "pack", .shortopts = "o:", .opts = longopts};
	cli_pipe io;
	accord_pack_options opt;
	accord_error err;
	const char *out = NULL, **parties = NULL;
	size_t n_parties = 0;
	int c, rc = EXIT_TROUBLE, have_quorum = 0;

	memset(&opt, 0, sizeof opt);
	memset(&io, 0, sizeof io);
	accord_error_clear(&err);
	if (cli_wants_help(argc, argv)) {
		pack_usage(stdout);
		return EXIT_VALID;
	}
	parties = calloc((size_t)argc, sizeof *parties);
	if (!parties)
		return EXIT_TROUBLE;
	while ((c = cli_getopt(&p, argc, argv)) >= 0) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'k':
			if (!strcmp(optarg, "incident")) /* a synonym */
				opt.kind = ACCORD_KIND_INCIDENT_REPORT;
			else if (accord_kind_from_name(optarg, &opt.kind) != ACCORD_OK) {
				rc = cli_usage_error("pack", "unknown kind '%s' (agreement or incident-report)",
						     optarg);
				goto out;
			}
			break;
		case 't':
			opt.title = optarg;
			break;
		case 'r':
			opt.reference = optarg;
			break;
		case 'p':
			parties[n_parties++] = optarg;
			break;
		case 'q': {
			char *end;
			long q = strtol(optarg, &end, 10);
			if (*end || end == optarg || q < 1 || q > 100000) {
				rc = cli_usage_error("pack", "--quorum needs a positive number");
				goto out;
			}
			opt.quorum = (unsigned)q;
			have_quorum = 1;
			break;
		}
		case 'f':
			opt.force = 1;
			break;
		case 'V':
			opt.no_validate = 1;
			break;
		default:
			break;
		}
	}
	if (c == CLI_OPT_HELP) {
		pack_usage(stdout);
		rc = EXIT_VALID;
		goto out;
	}
	if (c == CLI_OPT_ERROR)
		goto out;
	if (!out) {
		rc = cli_usage_error("pack", "-o OUT.asice is required");
		goto out;
	}
	if (optind >= argc) {
		rc = cli_usage_error("pack", "no FILE to pack");
		goto out;
	}
	if (have_quorum && opt.quorum > n_parties) {
		rc = cli_usage_error("pack", "--quorum %u must be between 1 and the %zu parties given",
				     opt.quorum, n_parties);
		goto out;
	}
	opt.party_certs = parties;
	opt.n_party_certs = n_parties;
	if ((rc = cli_stdout_file(&io, &out, "package.asice")) != 0)
		goto out;
	if (accord_pack(out, (const char *const *)argv + optind, (size_t)(argc - optind), &opt,
			&err) != ACCORD_OK) {
		cli_pipe_rename(&io, &err);
		rc = cli_fail(&err);
		goto out;
	}
	/* on standard output the package is the output: what pack says goes to stderr */
	fprintf(cli_pipe_say(&io), "packed %d document%s into %s\n", argc - optind,
		argc - optind == 1 ? "" : "s", cli_pipe_shown(&io, out));
	rc = EXIT_VALID;
out:
	rc = cli_pipe_close(&io, rc);
	free(parties);
	return rc;
}
