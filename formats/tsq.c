/* formats/tsq.c — RFC 3161 TimeStampReq: building a request, parsing one strictly. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include "formats/tst_internal.h"

int accord_tsq_build(gnutls_digest_algorithm_t alg, const unsigned char *digest, size_t dlen,
		     const unsigned char *nonce, int cert_req, unsigned char **der, size_t *len,
		     accord_error *err)
{
	asn1_node req = NULL;
	unsigned char nbuf[16];
	int rc;

	*der = NULL;
	*len = 0;
	if (!digest || dlen != (size_t)gnutls_hash_get_len(alg) || dlen == 0)
		return accord_err(err, ACCORD_ERR_USAGE, "timestamp request",
				  "digest length %zu does not fit %s", dlen, gnutls_digest_get_name(alg));
	rc = tst_node_new("TimeStampReq", &req, err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(req, "version", "1", err);
	if (rc == ACCORD_OK)
		rc = tst_write_digest_alg(req, "messageImprint.hashAlgorithm", alg, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write(req, "messageImprint.hashedMessage", digest, dlen, err);
	if (rc == ACCORD_OK)
		rc = tst_write(req, "reqPolicy", NULL, 0, err);
	if (rc == ACCORD_OK && nonce)
		rc = tst_write(req, "nonce", nbuf, tst_int_positive(nonce, 8, nbuf), err);
	else if (rc == ACCORD_OK)
		rc = tst_write(req, "nonce", NULL, 0, err);
	if (rc == ACCORD_OK && cert_req) /* DEFAULT FALSE: written only when TRUE */
		rc = tst_write_str(req, "certReq", "TRUE", err);
	if (rc == ACCORD_OK)
		rc = tst_write(req, "extensions", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(req, "", der, len, err);
	asn1_delete_structure(&req);
	return rc;
}

/* What libtasn1's strict DER mode and the re-encoding check let through: a nonce INTEGER
 * with redundant leading bytes (kept as read, so re-encoded the same), certReq written out
 * as its DEFAULT FALSE, an empty extensions field (SIZE (1..MAX)). DER forbids all three. */
static int der_only_checks(asn1_node req, char *why, size_t whylen)
{
	unsigned char *v = NULL;
	size_t n = 0;
	char buf[16];
	int count = 0, minimal;

	if (tst_present(req, "nonce") && tst_read(req, "nonce", &v, &n) == ASN1_SUCCESS) {
		minimal = tst_int_minimal(v, n);
		free(v);
		if (!minimal) {
			snprintf(why, whylen, "nonce is not a minimal INTEGER (not DER)");
			return ACCORD_ERR_FORMAT;
		}
	}
	if (tst_present(req, "certReq") && tst_read_str(req, "certReq", buf, sizeof buf) == ASN1_SUCCESS &&
	    strcmp(buf, "TRUE") != 0) {
		snprintf(why, whylen, "certReq FALSE is written out (DER omits a DEFAULT value)");
		return ACCORD_ERR_FORMAT;
	}
	if (tst_present(req, "extensions") &&
	    (asn1_number_of_elements(req, "extensions", &count) != ASN1_SUCCESS || count == 0)) {
		snprintf(why, whylen, "extensions is present but empty (SIZE (1..MAX))");
		return ACCORD_ERR_FORMAT;
	}
	return ACCORD_OK;
}

int accord_tsq_parse(const unsigned char *der, size_t len, accord_tsq *out, accord_error *err)
{
	asn1_node req = NULL;
	unsigned char *v = NULL;
	size_t n;
	long version;
	char why[300] = "", buf[16];
	int rc, params;

	memset(out, 0, sizeof *out);
	rc = tst_decode("TimeStampReq", der, len, 1, &req, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto out;
	if (tst_read_small_int(req, "version", &version) != ASN1_SUCCESS || version != 1) {
		snprintf(why, sizeof why, "version is not 1");
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	if (tst_read_str(req, "messageImprint.hashAlgorithm.algorithm", out->alg_oid,
			 sizeof out->alg_oid) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "messageImprint has no algorithm");
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	out->alg = gnutls_oid_to_digest(out->alg_oid);
	params = tst_digest_params(req, "messageImprint.hashAlgorithm.parameters");
	out->alg_params_null = params == 1;
	if (params < 0) {
		snprintf(why, sizeof why, "digest algorithm parameters must be absent or NULL");
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	if (tst_read(req, "messageImprint.hashedMessage", &v, &n) != ASN1_SUCCESS || n == 0 ||
	    n > ACCORD_TST_MAX_DIGEST ||
	    (out->alg != GNUTLS_DIG_UNKNOWN && n != (size_t)gnutls_hash_get_len(out->alg))) {
		snprintf(why, sizeof why, "hashedMessage length %zu does not fit the algorithm %s", n,
			 out->alg_oid);
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	memcpy(out->digest, v, n);
	out->digest_len = n;
	rc = tst_read_str(req, "reqPolicy", out->policy, sizeof out->policy);
	if (rc != ASN1_SUCCESS && rc != ASN1_ELEMENT_NOT_FOUND && rc != ASN1_VALUE_NOT_FOUND) {
		snprintf(why, sizeof why, "reqPolicy is not a readable OID");
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	rc = der_only_checks(req, why, sizeof why);
	if (rc != ACCORD_OK)
		goto out;
	rc = tst_read_positive(req, "nonce", out->nonce, sizeof out->nonce, &out->nonce_len,
			       &out->has_nonce, why, sizeof why);
	if (rc != ACCORD_OK)
		goto out;
	if (tst_read_str(req, "certReq", buf, sizeof buf) == ASN1_SUCCESS)
		out->cert_req = !strcmp(buf, "TRUE");
	out->has_extensions = asn1_read_value(req, "extensions.?1.extnID", NULL, &(int){0}) ==
			      ASN1_MEM_ERROR;
	rc = ACCORD_OK;
out:
	free(v);
	asn1_delete_structure(&req);
	if (rc == ACCORD_ERR_FORMAT)
		return accord_err(err, rc, "timestamp request", "%s", why);
	return rc;
}
