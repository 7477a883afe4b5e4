/* cli/cmd_verify.c — `accord verify PACKAGE [--trust FILE|DIR]... [--json] [--html FILE] [--at TIME]`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: accord verify PACKAGE|- [--trust FILE|DIR]... [--no-trust-store] [--json] [--html FILE]\n"
	"                     [--at TIME] [--crl FILE]... [--ocsp FILE]... [--allow-sha1]\n"
	"                     [--max-entries N] [--max-size BYTES] [--max-total BYTES] [--max-ratio N]\n"
	"                     [--strict] [--tsl TL.xml --tsl-cert CERT]...\n\n"
	"Checks the package offline: every document against the signed digests, every signature\n"
	"value, the signer's certificate path to a trust anchor (--trust and the trust store) as\n"
	"of the trusted time, countersignatures, which declared parties have signed and whether\n"
	"the quorum is met, and documents that no valid signature covers.\n"
	"PACKAGE - reads the package from standard input (up to --max-total, an eighth and 1M).\n"
	"--at TIME (YYYY-MM-DDTHH:MM:SSZ) checks certificates as of that time when no valid\n"
	"timestamp proves an earlier one (a timestamp's genTime always decides first).\n"
	"--crl FILE gives CRLs (every CRL of a PEM bundle is read; CRLs inside --trust files\n"
	"count too); --ocsp FILE gives a DER OCSP response. Revocation evidence counts only\n"
	"when it verifies with the key of the issuer on the validated path.\n"
	"The container is read tolerantly: a layout problem that does not change what is signed\n"
	"(mimetype compressed, not first, with an extra field or missing; a zip comment; a file\n"
	"the manifest does not list) is a warning naming its ETSI EN 319 162-1 rule, and a valid\n"
	"package then reads \"VALID and COMPLETE ..., with N warnings\" (exit 0). A file no\n"
	"signature covers still makes the package incomplete.\n"
	"--strict makes any warning fail (exit 1).\n"
	"--tsl TL.xml --tsl-cert CERT (repeatable pairs, in order) trusts a trusted list (ETSI\n"
	"TS 119 612) whose enveloped signature verifies with exactly CERT (its KeyInfo must hold\n"
	"CERT): CA/QC and CA/PKC services are anchors for signers, TSA services for timestamps\n"
	"only, Certstatus/OCSP services for OCSP responders only, each for the periods its\n"
	"status history grants (granted, under supervision, accredited; not after withdrawn).\n"
	"A list that cannot be read or whose signature fails stops verify (exit 1); a passed\n"
	"NextUpdate is a warning. Add --no-trust-store to trust the lists alone.\n\n"
	"--json prints the whole report as one JSON object (\"format\": \"accord-verify/1\",\n"
	"described by docs/accord-verify-1.schema.json); a package that cannot be read at all\n"
	"gives {\"status\": \"error\", \"error\": {\"kind\", \"where\", \"message\"}} instead.\n"
	"--html FILE also writes the report as one self-contained web page (no script, nothing\n"
	"fetched) for people: the verdict first, then documents and digests, signers,\n"
	"countersignatures, missing parties and warnings (written atomically, replaced if it\n"
	"exists; not written when the package cannot be read at all).\n\n"
	"Exit codes: 0 valid and complete (perhaps with warnings); 1 invalid (a signature failed,\n"
	"a file is unreadable, the container is refused, or a warning under --strict); 2\n"
	"incomplete or indeterminate (a declared party has not signed, a document is not\n"
	"covered, a certificate could not be confirmed); 3 usage or I/O error.\n";

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
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "verify", .opts = opts};
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
		default: break;
		}
	}
	if (ch == CLI_OPT_HELP) {
		fputs(usage, stdout);
		return EXIT_VALID;
	}
	if (ch == CLI_OPT_ERROR)
		return EXIT_TROUBLE;
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
