/* tests/fuzz/fuzz_tsr.c — libFuzzer target: the strict DER parser of RFC 3161
 * TimeStampResp (what a TSA sends back), and verification of the token it carries. */
#include "tests/fuzz/fuzz.h"
#include "formats/tst.h"
#include "verify/verify.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char digest[32] = {1, 2, 3, 4, 5, 6, 7, 8};
	int status = -1;
	unsigned char *token = NULL;
	size_t token_len = 0;
	accord_tst_result res;
	accord_error err;

	memset(&err, 0, sizeof err);
	memset(&res, 0, sizeof res);
	if (accord_tsr_parse(data, size, &status, &token, &token_len, &err) != ACCORD_OK) {
		free(token);
		return 0;
	}
	if (!token)
		return 0;
	{
		accord_trust t;
		memset(&t, 0, sizeof t);
		(void)accord_timestamp_validate(&t, token, token_len, GNUTLS_DIG_SHA256, digest,
						sizeof digest, NULL, 0, NULL, 0, &res, &err);
	}
	accord_tst_result_clear(&res);
	free(token);
	return 0;
}
