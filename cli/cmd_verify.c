/* cli/cmd_verify.c — `accord verify PACKAGE [--trust FILE|DIR]... [--json] [--html FILE] [--at TIME]`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/help.h"

static const char usage[] =
	"usage: accord verify PACKAGE|- [--trust FILE|DIR]... [--no-trust-store]\n"
	"                     [--json] [--html FILE] [--at TIME] [--crl FILE]...\n"
	"                     [--ocsp FILE]... [--allow-sha1] [--strict]\n"
	"                     [--tsl TL.xml --tsl-cert CERT]... [LIMITS]\n"
	"\n"
	"Checks the package offline: every document against the signed digests, every\n"
	"signature value, the signer's certificate path to a trust anchor as of the\n"
	"trusted time, countersignatures, which declared parties have signed and whether\n"
	"the quorum is met, and documents that no valid signature covers.\n"
	HELP_OPTIONS HELP_TRUST HELP_NO_TRUST_STORE
	"      --json               print the whole report as one JSON object\n"
	"      --html FILE          also write the report as a web page for people\n"
	"      --at TIME            check certificates as of TIME (YYYY-MM-DDTHH:MM:SSZ)\n"
	"                           when no valid timestamp proves an earlier one\n"
	HELP_CRL HELP_OCSP_FILE HELP_ALLOW_SHA1
	"      --strict             any warning fails the package (exit 1)\n"
	"      --tsl TL.xml         trust a trusted list (ETSI TS 119 612) ...\n"
	"      --tsl-cert CERT      ... whose signature verifies with exactly CERT; one\n"
	"                           --tsl-cert after each --tsl\n"
	HELP_LIMITS HELP_QUIET HELP_HELP
	"\n"
	"PACKAGE - reads the package from standard input (up to --max-total, an eighth\n"
	"and 1M). The trust anchors are --trust and the trust store (see accord keys\n"
	"trust --help). A timestamp's genTime always decides first, before --at. CRLs\n"
	"inside --trust files count too; revocation evidence counts only when it\n"
	"verifies with the key of the issuer on the validated path.\n"
	"The container is read tolerantly: a layout problem that does not change what is\n"
	"signed (mimetype compressed, not first, with an extra field or missing; a zip\n"
	"comment; a file the manifest does not list) is a warning naming its ETSI EN 319\n"
	"162-1 rule, and a valid package then reads \"VALID and COMPLETE ..., with N\n"
	"warnings\" (exit 0). A file no signature covers still makes the package\n"
	"incomplete.\n"
	"A trusted list (--tsl, --tsl-cert) must hold CERT in its KeyInfo: CA/QC and\n"
	"CA/PKC services are anchors for signers, TSA services for timestamps only,\n"
	"Certstatus/OCSP services for OCSP responders only, each for the periods its\n"
	"status history grants (granted, under supervision, accredited; not after\n"
	"withdrawn). A list that cannot be read or whose signature fails stops verify\n"
	"(exit 1); a passed NextUpdate is a warning. Add --no-trust-store to trust the\n"
	"lists alone.\n"
	"--json: \"format\": \"accord-verify/1\", described by\n"
	"docs/accord-verify-1.schema.json; a package that cannot be read at all gives\n"
	"{\"status\": \"error\", \"error\": {\"kind\", \"where\", \"message\"}} instead.\n"
	"--html FILE: one self-contained page (no script, nothing fetched): the TLP\n"
	"marking in its colour, the verdict, then documents and digests, signers,\n"
	"countersignatures, missing parties and warnings (written atomically, replaced\n"
	"if it exists; not written when the package cannot be read at all).\n"
	"\n"
	"Exit codes: 0 valid and complete (perhaps with warnings); 1 invalid (a\n"
	"signature failed, a file is unreadable, the container is refused, or a warning\n"
	"under --strict); 2 incomplete or indeterminate (a declared party has not\n"
	"signed, a document is not covered, a certificate could not be confirmed); 3\n"
	"usage or I/O\n"
	"error.\n";

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"trust", required_argument, NULL, 't'},
		{"no-trust-store", no_argument, NULL, 'N'},
		{"json", no_argument, NULL, 'j'},
		{"html", required_argument, NULL, 'H'},
		{"at", required_argument, NULL, 'a'},
		{"crl", required_argument, NULL, 'c'},
		{"ocsp", required_argument, NULL, 'o'},
		{"allow-sha1", no_argument, NULL, 'w'},
		{"max-entries", required_argument, NULL, 'E'},
		{"max-size", required_argument, NULL, 'S'},
		{"max-total", required_argument, NULL, 'T'},
		{"max-ratio", required_argument, NULL, 'R'},
		{"strict", no_argument, NULL, 's'},
		{"tsl", required_argument, NULL, 'L'},
		{"tsl-cert", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "verify", .shortopts = "q", .opts = opts};
	cli_pipe io;
	const char *package;
	const char *trust[64], *crls[64], *ocsps[64], *tsls[16], *tsl_certs[16];
	size_t n_tsl_certs = 0;
	accord_verify_options vo;
	accord_report *report = NULL;
	accord_error err;
	const char *html = NULL;
	int ch, json = 0, rc;

	memset(&vo, 0, sizeof vo);
	accord_limits_default(&vo.limits);
	vo.trust = trust;
	vo.crls = crls;
	vo.ocsps = ocsps;
	vo.tsl = tsls;
	vo.tsl_certs = tsl_certs;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) {
		switch (ch) {
		case 't':
			if (vo.n_trust == 64)
				return cli_usage_error("verify", "too many --trust");
			trust[vo.n_trust++] = optarg;
			break;
		case 'N': vo.no_trust_store = 1; break;
		case 'j': json = 1; break;
		case 'H': html = optarg; break;
		case 'a':
			if (accord_time_parse(optarg, &vo.at))
				return cli_usage_error("verify", "--at wants YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'c':
			if (vo.n_crls == 64)
				return cli_usage_error("verify", "too many --crl");
			crls[vo.n_crls++] = optarg;
			break;
		case 'o':
			if (vo.n_ocsps == 64)
				return cli_usage_error("verify", "too many --ocsp");
			ocsps[vo.n_ocsps++] = optarg;
			break;
		case 'L':
			if (vo.n_tsl == 16)
				return cli_usage_error("verify", "too many --tsl");
			tsls[vo.n_tsl++] = optarg;
			break;
		case 'C':
			if (n_tsl_certs == 16)
				return cli_usage_error("verify", "too many --tsl-cert");
			tsl_certs[n_tsl_certs++] = optarg;
			break;
		case 'w': vo.allow_weak = 1; break;
		case 's': vo.strict = 1; break;
		case 'E':
		case 'S':
		case 'T':
		case 'R': {
			const char *name = ch == 'E' ? "max-entries" : ch == 'S' ? "max-size"
					   : ch == 'T' ? "max-total" : "max-ratio";
			accord_error_clear(&err);
			if (accord_limits_set(&vo.limits, name, optarg, &err))
				return cli_fail(&err);
			break;
		}
		case 'q': accord_progress_enable(0); break;
		default: break;
		}
	}
	if (ch == CLI_OPT_HELP) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	if (ch == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
	accord_limits_set_default(&vo.limits); /* the XML and manifest limits follow them */
	if (optind != argc - 1)
		return cli_usage_error("verify", "give exactly one PACKAGE");
	if (n_tsl_certs != vo.n_tsl)
		return cli_usage_error("verify", "give one --tsl-cert for each --tsl");
	accord_error_clear(&err);
	memset(&io, 0, sizeof io);
	package = argv[optind];
	if ((rc = cli_stdin_file(&io, &package, cli_package_size_max(&vo.limits))) != 0) {
		cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
		return rc;
	}
	if (!vo.no_trust_store)
		cli_store_warnings();
	rc = accord_verify(package, &vo, &report, &err);
	cli_pipe_rename(&io, &err);
	cli_pipe_close(&io, EXIT_TROUBLE); /* nothing to copy */
	if (rc) {
		rc = cli_fail(&err);
		if (json) /* programs get a parseable answer with the reason (also on stderr) */
			accord_error_write_json(ACCORD_JSON_VERIFY, argv[optind], &err, rc, stdout);
		return rc;
	}
	/* the report names the package as given ("-"), not its temporary copy */
	snprintf(report->package, sizeof report->package, "%s", argv[optind]);
	if (html && accord_report_save_html(report, html, &err) != ACCORD_OK) {
		rc = cli_fail(&err);
		accord_report_free(report);
		return rc;
	}
	if (json)
		accord_report_write_json(report, stdout);
	else
		accord_report_write_text(report, stdout);
	rc = report->status == ACCORD_PACKAGE_VALID     ? EXIT_VALID
	     : report->status == ACCORD_PACKAGE_INVALID ? EXIT_INVALID
							: EXIT_INCOMPLETE;
	accord_report_free(report);
	return rc;
}
