/* cli/cmd_keys_verify.c — `accord keys verify CERT`: may this certificate sign for us?
 * Its path to our trust anchors, judged by the one trust engine (verify/cert_check.c). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

int cmd_keys_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"trust", required_argument, NULL, 't'},
		{"no-trust-store", no_argument, NULL, 'N'},
		{"at", required_argument, NULL, 'a'},
		{"crl", required_argument, NULL, 'c'},
		{"ocsp", required_argument, NULL, 'o'},
		{"allow-sha1", no_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_parser p = {.verb = "keys verify", .opts = opts};
	const char *trust[64], *crls[64], *ocsps[64];
	accord_verify_options vo;
	accord_cert_verdict v;
	accord_error err;
	char at[40];
	int ch;

	memset(&vo, 0, sizeof vo);
	vo.trust = trust;
	vo.crls = crls;
	vo.ocsps = ocsps;
	while ((ch = cli_getopt(&p, argc, argv)) >= 0) { /* --help was answered by cmd_keys */
		switch (ch) {
		case 't':
		case 'c':
		case 'o': {
			const char **list = ch == 't' ? trust : ch == 'c' ? crls : ocsps;
			size_t *n = ch == 't' ? &vo.n_trust : ch == 'c' ? &vo.n_crls : &vo.n_ocsps;
			if (*n == 64)
				return cli_usage_error("keys verify", "too many --%s",
						       ch == 't' ? "trust" : ch == 'c' ? "crl" : "ocsp");
			list[(*n)++] = optarg;
			break;
		}
		case 'N': vo.no_trust_store = 1; break;
		case 'w': vo.allow_weak = 1; break;
		case 'a':
			if (accord_time_parse(optarg, &vo.at))
				return cli_usage_error("keys verify", "--at wants YYYY-MM-DDTHH:MM:SSZ");
			break;
		}
	}
	if (ch == CLI_OPT_HELP) /* an abbreviation of --help, which cmd_keys answers */
		return cli_usage_error("keys verify", "for help: accord keys verify --help");
	if (ch != CLI_OPT_END)
		return EXIT_TROUBLE;
	if (optind != argc - 1)
		return cli_usage_error("keys verify", "give one certificate file");
	accord_error_clear(&err);
	if (!vo.no_trust_store)
		cli_store_warnings();
	if (accord_cert_verify(argv[optind], &vo, &v, &err) != ACCORD_OK)
		return cli_fail(&err);
	accord_time_format(v.at, at, sizeof at);
	if (v.indication == ACCORD_TOTAL_PASSED) {
		printf("%s: trusted to sign: %s\n", argv[optind], v.subject);
		printf("  SHA-256:      %s\n", v.fingerprint);
		printf("  trust anchor: %s\n", v.anchor);
		printf("                SHA-256 %s\n", v.anchor_fingerprint);
		printf("  path:         %s\n", v.path);
		printf("  checked at:   %s\n", at);
		return EXIT_VALID;
	}
	printf("%s: NOT trusted to sign: %s\n", argv[optind], v.subject);
	printf("  SHA-256:      %s\n", v.fingerprint);
	printf("  result:       %s%s%s\n", accord_indication_name(v.indication),
	       v.subindication ? "/" : "", accord_subindication_name(v.subindication));
	printf("  why:          %s\n", v.message);
	printf("  checked at:   %s, against %zu trust anchor%s\n", at, v.n_anchors,
	       v.n_anchors == 1 ? "" : "s");
	return v.indication == ACCORD_TOTAL_FAILED ? EXIT_INVALID : EXIT_INCOMPLETE;
}
