/* tests/fuzz/fuzz_tst.c — libFuzzer target: verification of an RFC 3161 TimeStampToken
 * (CMS SignedData, TSTInfo, ESS signingCertificate, the TSA certificate), as found in
 * a XAdES SignatureTimeStamp. A fixed imprint and nonce, and no trust anchors: every
 * token is judged, none is trusted, and nothing may crash on the way. */
#include "tests/fuzz/fuzz.h"
#include <gnutls/crypto.h>
#include "formats/tst.h"
#include "verify/verify.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char digest[64] = {0x5a, 0xa5, 1, 2, 3};
	static const unsigned char nonce[8] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};
	gnutls_digest_algorithm_t alg = GNUTLS_DIG_SHA256;
	accord_tst_result res;
	accord_error err;
	size_t dlen;

	memset(&err, 0, sizeof err);
	memset(&res, 0, sizeof res);
	/* The imprint algorithm the token names (as verification asks first), so that
	 * mutations get past the algorithm check to the comparison of the digest. */
	if (accord_tst_imprint_alg(data, size, &alg, &err) != ACCORD_OK)
		alg = GNUTLS_DIG_SHA256;
	dlen = gnutls_hash_get_len(alg);
	if (dlen == 0 || dlen > sizeof digest)
		dlen = 32;
	{
		accord_trust t;
		memset(&t, 0, sizeof t);
		(void)accord_timestamp_validate(&t, data, size, alg, digest, dlen, size & 1 ? nonce : NULL,
						size & 1 ? sizeof nonce : 0, NULL, 0, &res, &err);
	}
	accord_tst_result_clear(&res);
	return 0;
}
