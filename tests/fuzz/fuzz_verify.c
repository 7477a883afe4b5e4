/* tests/fuzz/fuzz_verify.c — libFuzzer target: offline verification of a whole package
 * (container, XAdES parsing, canonicalisation, digests, signatures, certificate paths,
 * signature timestamps) and both report writers. Trust anchors: the certificate files
 * named in ACCORD_FUZZ_TRUST (colon-separated; run.sh passes the seed CA and TSA), so
 * signatures of the seeds verify and mutations reach the checks behind the chain. */
#include "tests/fuzz/fuzz.h"

static const char *trust[8];
static size_t n_trust;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("ACCORD_FUZZ_TRUST");

	(void)argc;
	(void)argv;
	fuzz_accord_init();
	if (env && *env) {
		char *copy = strdup(env), *save = NULL;
		/* Kept for the life of the process, as trust[] points into it. */
		for (char *t = strtok_r(copy, ":", &save); t && n_trust < 8;
		     t = strtok_r(NULL, ":", &save))
			if (access(t, R_OK) == 0)
				trust[n_trust++] = t;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_verify_options opt;
	accord_report *r = NULL;
	accord_error err;
	const char *path = fuzz_write_file(data, size, ".asice");
	FILE *devnull;

	memset(&err, 0, sizeof err);
	memset(&opt, 0, sizeof opt);
	opt.trust = trust;
	opt.n_trust = n_trust;
	opt.no_trust_store = 1;
	accord_limits_default(&opt.limits);
	opt.limits.max_entry_size = 8u << 20;
	opt.limits.max_total_size = 32u << 20;
	if (accord_verify(path, &opt, &r, &err) != ACCORD_OK)
		return 0;
	devnull = fopen("/dev/null", "w");
	if (devnull) {
		accord_report_write_text(r, devnull);
		accord_report_write_json(r, devnull);
		fclose(devnull);
	}
	accord_report_free(r);
	return 0;
}
