/* cli/cmd_pack.c — `accord pack`: documents, a package descriptor and the declared
 * parties into a new ASiC-E container. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli/cli.h"
#include "cli/help.h"

static void pack_usage(FILE *f)
{
	fprintf(f,
		"usage: accord pack -o OUT.asice|- [--kind agreement|incident-report]\n"
		"                   [--title T] [--ref R] [--incident-id ID]\n"
		"                   [--tlp clear|green|amber|amber+strict|red]\n"
		"                   [--party CERT]... [--quorum K]\n"
		"                   [--no-validate] [--force] [-C DIR] [--level 0-9]\n"
		"                   [LIMITS] FILE|FOLDER...\n"
		"\n"
		"Puts FILEs, a package descriptor (%s) and\n"
		"META-INF/manifest.xml into a new ASiC-E container.\n"
		HELP_OPTIONS
		"  -o, --out OUT.asice      the container to write (required; refused if it\n"
		"                           exists); - writes it to standard output\n"
		"  -C, --directory DIR      read relative FILEs and FOLDERs from DIR\n"
		"      --level N            deflate level 1-9 (default 6); 0 stores every\n"
		"                           document\n"
		"      --kind KIND          agreement (default) or incident-report (or incident)\n"
		"      --title T            the package title (default: the first file's name)\n"
		"      --ref R              a reference (case or ticket number)\n"
		"      --tlp LABEL          the TLP 2.0 marking: clear, green, amber,\n"
		"                           amber+strict or red (any kind of package)\n"
		"      --incident-id ID     the incident's ID (incident reports; default: the\n"
		"                           IncidentID of the IODEF reports packed)\n"
		"      --party CERT         a party expected to sign, by certificate; repeatable\n"
		"      --quorum K           how many declared parties must sign (1 to the number\n"
		"                           of parties; default all)\n"
		"      --no-validate        pack incident reports without checking them\n"
		"      --force              overwrite OUT.asice if it exists\n"
		HELP_LIMITS HELP_QUIET HELP_HELP
		"\n"
		"Each FILE is stored under its path as given (folder/a.txt; an absolute path or\n"
		"one through .. under its last part); a FOLDER gives its files, its\n"
		"sub-folders' too, sorted by name (a symlink only to a file inside it).\n"
		"Documents that do not compress (PDF, images, archives, office documents, or\n"
		"data whose first 64 KiB deflate saves under 3%% of) are stored, the others\n"
		"deflated.\n",
		ACCORD_DESCRIPTOR_NAME);
	fprintf(f, "\nIn an incident report, an IODEF v2 document (RFC 7970) is stored as\n"
		"%s and a STIX 2.1 bundle as\n"
		"%s, after a check: IODEF against what RFC\n"
		"7970 requires (version 2.00, Incident purpose, IncidentID name, GenerationTime,\n"
		"Contact role and type), STIX for type, id and spec_version on every object. A\n"
		"report that breaks a rule is refused, naming the line or the object.\n",
		"application/iodef+xml", "application/stix+json;version=2.1");
	fputs("\nThe descriptor records the TLP marking and the incident ID, signed with it.\n"
	      "Without --incident-id, the IncidentID of the IODEF reports is taken (reports\n"
	      "naming different incidents are refused: give --incident-id; with --no-validate\n"
	      "the reports are not read, so none is taken). The TLP marking is never guessed\n"
	      "(an IODEF restriction attribute is not copied): give --tlp.\n",
	      f);
}

int cmd_pack(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},    {"kind", required_argument, NULL, 'k'},
		{"title", required_argument, NULL, 't'},  {"ref", required_argument, NULL, 'r'},
		{"party", required_argument, NULL, 'p'},  {"quorum", required_argument, NULL, 'u'},
		{"force", no_argument, NULL, 'f'},        {"help", no_argument, NULL, 'h'},
		{"quiet", no_argument, NULL, 'q'},
		{"no-validate", no_argument, NULL, 'V'},
		{"tlp", required_argument, NULL, 'T'},    {"incident-id", required_argument, NULL, 'I'},
		{"directory", required_argument, NULL, 'C'}, {"level", required_argument, NULL, 'L'},
		CLI_LIMIT_OPTIONS,
		{"output", required_argument, NULL, 'o'}, /* the old name, hidden */
		{NULL, 0, NULL, 0}};
	cli_parser p = {.verb = "pack", .shortopts = "o:C:q", .opts = longopts};
	cli_pipe io;
	accord_pack_options opt;
	accord_error err;
	const char *out = NULL, **parties = NULL;
	size_t n_parties = 0, n_packed = 0;
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
	opt.n_packed = &n_packed;
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
		case 'T':
			if (accord_tlp_from_name(optarg, &opt.tlp) != ACCORD_OK) {
				rc = cli_usage_error("pack", "unknown TLP marking '%s' (clear, green, amber, amber+strict or red%s)",
						     optarg, strcasecmp(optarg, "white") && strcasecmp(optarg, "TLP:WHITE")
								     ? "" : "; TLP 2.0 calls white clear");
				goto out;
			}
			break;
		case 'I':
			opt.incident_id = optarg;
			break;
		case 'p':
			parties[n_parties++] = optarg;
			break;
		case 'q':
			accord_progress_enable(0);
			break;
		case 'u': {
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
		case 'C':
			opt.base_dir = optarg;
			break;
		case 'L':
			if (optarg[0] < '0' || optarg[0] > '9' || optarg[1]) {
				rc = cli_usage_error("pack", "--level needs a number from 0 to 9");
				goto out;
			}
			opt.level = optarg[0] == '0' ? ACCORD_PACK_STORE : optarg[0] - '0';
			break;
		case CLI_OPT_LIMIT ... CLI_OPT_LIMIT + 3:
			if ((rc = cli_limit_option("pack", c, optarg)) != 0)
				goto out;
			rc = EXIT_TROUBLE;
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
	if (opt.incident_id && opt.kind != ACCORD_KIND_INCIDENT_REPORT) {
		rc = cli_usage_error("pack", "--incident-id is for --kind incident-report");
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
	fprintf(cli_pipe_say(&io), "packed %zu document%s into %s\n", n_packed,
		n_packed == 1 ? "" : "s", cli_pipe_shown(&io, out));
	rc = EXIT_VALID;
out:
	rc = cli_pipe_close(&io, rc);
	free(parties);
	return rc;
}
