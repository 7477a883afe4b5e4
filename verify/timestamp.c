/* verify/timestamp.c — believing a timestamp: the token's bytes are checked by formats/
 * (signature, imprint, ESS binding); here its algorithms meet the crypto policy and the
 * TSA's path goes through the one trust engine at genTime, revocation included. */
#include <string.h>
#include <gnutls/pkcs7.h>
#include "verify/verify.h"

#define MAX_HELPERS 96

static int refuse(accord_tst_result *out, accord_subindication sub, const char *msg)
{
	out->valid = 0;
	out->sub_indication = sub;
	snprintf(out->reason, sizeof out->reason, "%.500s", msg);
	return ACCORD_OK;
}

/* The token's certificates and the caller's: untrusted candidates for the TSA's path. */
static size_t token_certs(const unsigned char *token, size_t len, gnutls_x509_crt_t *out, size_t max,
			  gnutls_sign_algorithm_t *sig_alg)
{
	gnutls_pkcs7_t p7 = NULL;
	gnutls_datum_t d = {(unsigned char *)token, (unsigned)len};
	gnutls_pkcs7_signature_info_st info;
	size_t n = 0;
	int count;

	*sig_alg = GNUTLS_SIGN_UNKNOWN;
	if (gnutls_pkcs7_init(&p7) < 0)
		return 0;
	if (gnutls_pkcs7_import(p7, &d, GNUTLS_X509_FMT_DER) < 0)
		goto out;
	if (gnutls_pkcs7_get_signature_info(p7, 0, &info) >= 0) {
		*sig_alg = info.algo;
		gnutls_pkcs7_signature_info_deinit(&info);
	}
	count = gnutls_pkcs7_get_crt_count(p7);
	for (int i = 0; i < count && n < max; i++) {
		gnutls_datum_t raw = {NULL, 0};
		if (gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &raw) < 0)
			continue;
		if (gnutls_x509_crt_init(&out[n]) >= 0) {
			if (gnutls_x509_crt_import(out[n], &raw, GNUTLS_X509_FMT_DER) >= 0)
				n++;
			else
				gnutls_x509_crt_deinit(out[n]);
		}
		gnutls_free(raw.data);
	}
out:
	gnutls_pkcs7_deinit(p7);
	return n;
}

int accord_timestamp_validate(const accord_trust *t, const unsigned char *token, size_t len,
			      gnutls_digest_algorithm_t alg, const unsigned char *digest,
			      size_t dlen, const unsigned char *nonce, size_t nonce_len,
			      const gnutls_x509_crt_t *extra, size_t n_extra,
			      accord_tst_result *out, accord_error *err)
{
	gnutls_x509_crt_t helpers[MAX_HELPERS], tsa = NULL;
	gnutls_sign_algorithm_t sig_alg;
	size_t nh, n_own;
	accord_crypto_verdict v;
	accord_path path;
	char msg[700];
	int rc;

	rc = accord_tst_check(token, len, alg, digest, dlen, nonce, nonce_len, extra, n_extra, out, err);
	if (rc || !out->valid)
		return rc;
	/* The crypto policy, at genTime's proof (the token proves nothing about itself:
	 * judged now). MD5 is never acceptable; SHA-1 only with --allow-sha1. */
	memset(&v, 0, sizeof v);
	n_own = token_certs(token, len, helpers, MAX_HELPERS - 16, &sig_alg);
	nh = n_own;
	if (!accord_crypto_digest_ok(alg, time(NULL), t->allow_sha1, &v) ||
	    !accord_crypto_sign_ok(sig_alg, time(NULL), t->allow_sha1, &v)) {
		snprintf(msg, sizeof msg, "timestamp by '%.100s': %.250s", out->tsa_name, v.message);
		refuse(out, v.subindication == ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE
				    ? ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE
				    : ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE, msg);
		goto out;
	}
	for (size_t i = 0; i < n_extra && nh < MAX_HELPERS; i++)
		helpers[nh++] = extra[i];
	{
		gnutls_datum_t d = {out->tsa_cert_der, (unsigned)out->tsa_cert_der_len};
		if (gnutls_x509_crt_init(&tsa) < 0 ||
		    gnutls_x509_crt_import(tsa, &d, GNUTLS_X509_FMT_DER) < 0) {
			refuse(out, ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND, "the TSA certificate cannot be read");
			goto out;
		}
	}
	/* Validity at genTime; the TSA's keys judged now (a weak TSA key could have minted any
	 * genTime); revocation for possible key compromise counts whenever it happened. */
	rc = accord_path_validate(t, tsa, helpers, nh, out->gen_time, time(NULL), 0,
				  ACCORD_PURPOSE_TSA, &path, err);
	if (rc)
		goto out;
	if (path.indication != ACCORD_TOTAL_PASSED) {
		accord_subindication sub;
		switch (path.subindication) {
		case ACCORD_SUB_REVOKED_NO_POE:
		case ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND:
		case ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE:
		case ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE: sub = path.subindication; break;
		case ACCORD_SUB_OUT_OF_BOUNDS_NO_POE: sub = ACCORD_SUB_EXPIRED; break; /* at genTime */
		case ACCORD_SUB_NOT_YET_VALID: sub = ACCORD_SUB_OUT_OF_BOUNDS_NO_POE; break;
		default: sub = ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE; break;
		}
		snprintf(msg, sizeof msg, "TSA '%.100s' at %s: %.400s", out->tsa_name, out->gen_time_text, path.message);
		refuse(out, sub, msg);
		goto out;
	}
	snprintf(out->reason, sizeof out->reason, "timestamp by '%.100s' at %s is valid (%.200s)",
		 out->tsa_name, out->gen_time_text, path.revocation);
out:
	if (tsa)
		gnutls_x509_crt_deinit(tsa);
	for (size_t i = 0; i < n_own; i++)
		gnutls_x509_crt_deinit(helpers[i]);
	return rc;
}
