/* tests/fuzz/fuzz_ocsp_req.c — libFuzzer target: the strict DER parser of RFC 6960
 * OCSPRequest (what `accord ocsp serve` reads from anyone who can reach it). What it
 * accepts must stay inside its fixed buffers, and a request built again from what was
 * read must parse again to the same CertIDs. */
#include "tests/fuzz/fuzz.h"
#include "formats/ocsp.h"

FUZZ_INIT_ACCORD_ONLY

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static accord_ocsp_req q, again;
	accord_error err;
	unsigned char *der = NULL;
	size_t len = 0;

	memset(&err, 0, sizeof err);
	if (accord_ocsp_req_parse(data, size, &q, &err) != ACCORD_OK)
		return 0;
	if (q.n_ids < 1 || q.n_ids > ACCORD_OCSP_MAX_CERTIDS || q.nonce_len > sizeof q.nonce)
		abort();
	for (size_t i = 0; i < q.n_ids; i++) {
		const accord_ocsp_certid *id = &q.ids[i];
		if (id->name_hash_len > sizeof id->name_hash || id->key_hash_len > sizeof id->key_hash ||
		    id->serial_len > sizeof id->serial || !memchr(id->alg_oid, 0, sizeof id->alg_oid))
			abort();
	}
	/* Only known digests can be written back (the builder wants a GnuTLS algorithm). */
	for (size_t i = 0; i < q.n_ids; i++)
		if (q.ids[i].alg == GNUTLS_DIG_UNKNOWN)
			return 0;
	if (accord_ocsp_req_build(q.ids, q.n_ids, q.has_nonce ? q.nonce : NULL, q.nonce_len, &der,
				  &len, &err) != ACCORD_OK)
		abort();
	if (accord_ocsp_req_parse(der, len, &again, &err) != ACCORD_OK || again.n_ids != q.n_ids ||
	    memcmp(again.ids, q.ids, q.n_ids * sizeof q.ids[0]) != 0)
		abort();
	free(der);
	fuzz_sink = len;
	return 0;
}
