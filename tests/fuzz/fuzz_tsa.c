/* tests/fuzz/fuzz_tsa.c — libFuzzer target: the timestamp authority end to end, as
 * `accord tsa serve` runs it for anyone who can reach it: a DER TimeStampReq in, a
 * TimeStampResp out (a token or a rejection), which must itself parse. The TSA is made
 * once per process in a scratch folder (ECDSA P-256, a fixed passphrase). */
#include <dirent.h>
#include "tests/fuzz/fuzz.h"
#include "formats/tst.h"

static char tsa_dir[512];
static accord_tsa *tsa;

static void tsa_cleanup(void)
{
	DIR *d;
	struct dirent *e;
	char p[1024];

	accord_tsa_free(tsa);
	tsa = NULL;
	if (!tsa_dir[0] || !(d = opendir(tsa_dir)))
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", tsa_dir, e->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir(tsa_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	accord_error err;

	(void)argc;
	(void)argv;
	memset(&err, 0, sizeof err);
	fuzz_accord_init();
	snprintf(tsa_dir, sizeof tsa_dir, "%s/accord-fuzz-tsa.XXXXXX", fuzz_scratch_dir());
	if (!mkdtemp(tsa_dir))
		fuzz_die(tsa_dir, NULL);
	atexit(tsa_cleanup);
	if (accord_tsa_init(tsa_dir, &(accord_service_init_options){.id.name = "Fuzz TSA",
								 .passphrase = "fuzz passphrase"},
			    &err))
		fuzz_die("accord_tsa_init", &err);
	if (accord_tsa_open(tsa_dir, "fuzz passphrase", &tsa, &err))
		fuzz_die("accord_tsa_open", &err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *resp = NULL, *token = NULL;
	size_t resp_len = 0, token_len = 0;
	int status = -1;
	accord_error err;

	memset(&err, 0, sizeof err);
	if (accord_tsa_respond(tsa, data, size, &resp, &resp_len, &err) != ACCORD_OK) {
		/* Only operational failures may keep the TSA from answering. */
		if (err.code != ACCORD_ERR_NOMEM && err.code != ACCORD_ERR_IO &&
		    err.code != ACCORD_ERR_CRYPTO) {
			fprintf(stderr, "no answer to a request: %s: %s\n", err.where, err.why);
			abort();
		}
		free(resp);
		return 0;
	}
	/* Every answer is a TimeStampResp our own client reads: granted with a token, or
	 * a rejection (ACCORD_ERR_FORMAT with no token). */
	if (accord_tsr_parse(resp, resp_len, &status, &token, &token_len, &err) == ACCORD_OK) {
		if (!token || (status != ACCORD_PKI_GRANTED && status != ACCORD_PKI_GRANTED_WITH_MODS))
			abort();
	} else if (err.code != ACCORD_ERR_FORMAT || token) {
		fprintf(stderr, "unreadable answer: %s: %s\n", err.where, err.why);
		abort();
	}
	free(token);
	free(resp);
	return 0;
}
