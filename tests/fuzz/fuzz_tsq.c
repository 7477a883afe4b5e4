/* tests/fuzz/fuzz_tsq.c — libFuzzer target: the strict DER parser of RFC 3161
 * TimeStampReq (what a TSA reads from anyone who can reach it). */
#include "tests/fuzz/fuzz.h"
#include "formats/tst.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	accord_tsq q;
	accord_error err;

	memset(&err, 0, sizeof err);
	memset(&q, 0, sizeof q);
	if (accord_tsq_parse(data, size, &q, &err) != ACCORD_OK)
		return 0;
	/* What was accepted stays inside its fixed buffers. */
	if (q.digest_len > sizeof q.digest || q.nonce_len > sizeof q.nonce ||
	    !memchr(q.alg_oid, 0, sizeof q.alg_oid) || !memchr(q.policy, 0, sizeof q.policy))
		abort();
	return 0;
}
