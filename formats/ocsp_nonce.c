/* formats/ocsp_nonce.c — the nonce of an OCSP response read as a digest: a BDOC 2.1
 * time-mark asks its responder for a response whose nonce is the DigestInfo of the
 * signature value (bytes only; verify/ decides what it proves). */
#include <stdlib.h>
#include <string.h>
#include "formats/ocsp.h"
#include "formats/tst_internal.h"

#define OID_OCSP_NONCE "1.3.6.1.5.5.7.48.1.2"
#define MAX_EXTENSIONS 16

/* A DER DigestInfo (the same shape as RFC 3161's MessageImprint) into alg and digest. */
static int digest_info(const unsigned char *der, size_t len, gnutls_digest_algorithm_t *alg,
		       unsigned char *digest, size_t *dlen)
{
	asn1_node n = NULL;
	accord_error err;
	char why[160], oid[64];
	unsigned char *v = NULL;
	size_t vl = 0;
	int rc = ACCORD_ERR_FORMAT;

	memset(&err, 0, sizeof err);
	if (tst_decode("MessageImprint", der, len, 1, &n, why, sizeof why, &err) != ACCORD_OK)
		goto out;
	if (tst_read_str(n, "hashAlgorithm.algorithm", oid, sizeof oid) != ASN1_SUCCESS ||
	    tst_digest_params(n, "hashAlgorithm.parameters") < 0 ||
	    tst_read(n, "hashedMessage", &v, &vl) != ASN1_SUCCESS || vl == 0 || vl > ACCORD_OCSP_MAX_HASH)
		goto out;
	*alg = gnutls_oid_to_digest(oid);
	memcpy(digest, v, vl);
	*dlen = vl;
	rc = ACCORD_OK;
out:
	free(v);
	asn1_delete_structure(&n);
	return rc;
}

int accord_ocsp_resp_digest_nonce(gnutls_ocsp_resp_t resp, gnutls_digest_algorithm_t *alg,
				  unsigned char *digest, size_t *len)
{
	int rc = ACCORD_ERR_FORMAT, found = 0;

	*alg = GNUTLS_DIG_UNKNOWN;
	*len = 0;
	for (unsigned i = 0; i < MAX_EXTENSIONS && rc != ACCORD_OK; i++) {
		gnutls_datum_t oid = {NULL, 0}, data = {NULL, 0};
		unsigned critical = 0;
		int g = gnutls_ocsp_resp_get_extension(resp, i, &oid, &critical, &data);
		if (g < 0)
			break;
		if (oid.size == sizeof OID_OCSP_NONCE - 1 && !memcmp(oid.data, OID_OCSP_NONCE, oid.size) &&
		    !found++) {
			rc = digest_info(data.data, data.size, alg, digest, len);
			if (rc != ACCORD_OK && data.size > 2 && data.data[0] == 0x04) {
				/* RFC 6960 4.4.1: Nonce ::= OCTET STRING holding the DigestInfo */
				int hdr = 0;
				long l = asn1_get_length_der(data.data + 1, (int)data.size - 1, &hdr);
				if (l >= 0 && (size_t)l + 1 + (size_t)hdr == data.size)
					rc = digest_info(data.data + 1 + hdr, (size_t)l, alg, digest, len);
			}
		}
		gnutls_free(oid.data);
		gnutls_free(data.data);
	}
	return rc;
}
