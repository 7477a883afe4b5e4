/* formats/tst_verify.c — checking the bytes of a TimeStampToken: its structure, the CMS
 * signature by the certificate it names (ESS binding), the imprint and the nonce. Whether
 * to believe the TSA is verify/'s decision (verify/timestamp.c). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs7.h>
#include "formats/tst_internal.h"

#define MAX_TOKEN_CERTS 32

void accord_tst_result_clear(accord_tst_result *r)
{
	if (!r)
		return;
	free(r->tsa_cert_der);
	memset(r, 0, sizeof *r);
}

/* Mark the token invalid with SUB and a reason; returns ACCORD_OK (a verdict). */
static int judged(accord_tst_result *r, accord_subindication sub, const char *fmt, ...)
	ACCORD_PRINTF(3, 4);
static int judged(accord_tst_result *r, accord_subindication sub, const char *fmt, ...)
{
	va_list ap;

	r->valid = 0;
	r->sub_indication = sub;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
	return ACCORD_OK;
}

static int crt_import_der(const unsigned char *der, size_t len, gnutls_x509_crt_t *out)
{
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	int rc = gnutls_x509_crt_init(out);

	if (rc < 0)
		return rc;
	rc = gnutls_x509_crt_import(*out, &d, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		gnutls_x509_crt_deinit(*out);
		*out = NULL;
	}
	return rc;
}

/* A fresh copy through DER (GnuTLS trusts re-imported certificates reliably, and the
 * trust list then owns copies, not the caller's objects). */
static int crt_copy(gnutls_x509_crt_t in, gnutls_x509_crt_t *out)
{
	gnutls_datum_t d = {NULL, 0};
	int rc = gnutls_x509_crt_export2(in, GNUTLS_X509_FMT_DER, &d);

	if (rc < 0)
		return rc;
	rc = crt_import_der(d.data, d.size, out);
	gnutls_free(d.data);
	return rc;
}

/* Does CERT match the SignerIdentifier of the token? */
static int signer_matches(asn1_node sd, gnutls_x509_crt_t cert)
{
	char choice[64];
	unsigned char *a = NULL, *b = NULL, buf[128];
	size_t alen = 0, blen = 0, n = sizeof buf;
	gnutls_datum_t dn = {NULL, 0};
	int ok = 0;

	if (tst_read_str(sd, "signerInfos.?1.sid", choice, sizeof choice) != ASN1_SUCCESS)
		return 0;
	if (!strcmp(choice, "issuerAndSerialNumber")) {
		if (tst_read(sd, "signerInfos.?1.sid.issuerAndSerialNumber.issuer", &a, &alen) ||
		    tst_read(sd, "signerInfos.?1.sid.issuerAndSerialNumber.serialNumber", &b, &blen))
			goto out;
		if (gnutls_x509_crt_get_raw_issuer_dn(cert, &dn) < 0 ||
		    gnutls_x509_crt_get_serial(cert, buf, &n) < 0)
			goto out;
		ok = dn.size == alen && memcmp(dn.data, a, alen) == 0 && tst_int_equal(buf, n, b, blen);
	} else if (!strcmp(choice, "subjectKeyIdentifier")) {
		unsigned critical = 0;
		if (tst_read(sd, "signerInfos.?1.sid.subjectKeyIdentifier", &a, &alen))
			goto out;
		if (gnutls_x509_crt_get_subject_key_id(cert, buf, &n, &critical) < 0)
			goto out;
		ok = n == alen && memcmp(buf, a, alen) == 0;
	}
out:
	free(a);
	free(b);
	gnutls_free(dn.data);
	return ok;
}

/* Find the signed attribute OID and read its (single) value. 1 found, 0 absent. */
static int find_attr(asn1_node sd, const char *oid, unsigned char **value, size_t *vlen)
{
	int count = 0;
	char name[96], got[128];

	*value = NULL;
	if (asn1_number_of_elements(sd, "signerInfos.?1.signedAttrs", &count) != ASN1_SUCCESS)
		return 0;
	for (int i = 1; i <= count; i++) {
		snprintf(name, sizeof name, "signerInfos.?1.signedAttrs.?%d.attrType", i);
		if (tst_read_str(sd, name, got, sizeof got) != ASN1_SUCCESS || strcmp(got, oid) != 0)
			continue;
		snprintf(name, sizeof name, "signerInfos.?1.signedAttrs.?%d.attrValues.?1", i);
		return tst_read(sd, name, value, vlen) == ASN1_SUCCESS;
	}
	return 0;
}

/* Check the ESS signingCertificateV2 / signingCertificate binding to CERT. Returns 1
 * when it matches, 0 with why filled otherwise, or a negative accord code. */
static int ess_check(asn1_node sd, gnutls_x509_crt_t cert, char *why, size_t whylen,
		     accord_error *err)
{
	unsigned char *v = NULL, *hash = NULL, *issuer_any = NULL, *serial = NULL;
	size_t vlen = 0, hlen = 0, ilen = 0, slen = 0;
	unsigned char calc[64], cserial[128];
	size_t cslen = sizeof cserial;
	gnutls_datum_t der = {NULL, 0}, idn = {NULL, 0};
	gnutls_digest_algorithm_t alg = GNUTLS_DIG_SHA256;
	asn1_node sc = NULL;
	int v2, rc, result = 0, grc;
	char oid[128], choice[64];
	char dwhy[200];

	v2 = find_attr(sd, OID_ATTR_SIGNING_CERT_V2, &v, &vlen);
	if (!v2 && !find_attr(sd, OID_ATTR_SIGNING_CERT, &v, &vlen)) {
		snprintf(why, whylen, "no signingCertificate or signingCertificateV2 attribute");
		goto out;
	}
	rc = tst_decode(v2 ? "SigningCertificateV2" : "SigningCertificate", v, vlen, 1, &sc, dwhy,
			sizeof dwhy, err);
	if (rc != ACCORD_OK) {
		if (rc != ACCORD_ERR_FORMAT) {
			result = rc;
			goto out;
		}
		snprintf(why, whylen, "signing certificate attribute: %s", dwhy);
		goto out;
	}
	if (v2) {
		if (tst_read_str(sc, "certs.?1.hashAlgorithm.algorithm", oid, sizeof oid) == ASN1_SUCCESS)
			alg = gnutls_oid_to_digest(oid);
	} else {
		alg = GNUTLS_DIG_SHA1; /* ESSCertID is SHA-1 by definition */
	}
	if (alg == GNUTLS_DIG_UNKNOWN) {
		snprintf(why, whylen, "ESSCertIDv2 hash algorithm %s is unknown", oid);
		goto out;
	}
	if (tst_read(sc, "certs.?1.certHash", &hash, &hlen) != ASN1_SUCCESS) {
		snprintf(why, whylen, "ESSCertID has no certHash");
		goto out;
	}
	grc = gnutls_x509_crt_export2(cert, GNUTLS_X509_FMT_DER, &der);
	if (grc >= 0)
		grc = gnutls_hash_fast(alg, der.data, der.size, calc);
	if (grc < 0) {
		result = accord_err_gnutls(err, "timestamp", "gnutls_hash_fast", grc);
		goto out;
	}
	if (hlen != (size_t)gnutls_hash_get_len(alg) || memcmp(hash, calc, hlen) != 0) {
		snprintf(why, whylen, "the %s signing certificate hash does not match the TSA certificate",
			 v2 ? "ESSCertIDv2" : "ESSCertID");
		goto out;
	}
	/* issuerSerial is optional; when present it must name the certificate. */
	if (tst_read(sc, "certs.?1.issuerSerial.serialNumber", &serial, &slen) == ASN1_SUCCESS) {
		if (gnutls_x509_crt_get_serial(cert, cserial, &cslen) < 0 ||
		    !tst_int_equal(serial, slen, cserial, cslen)) {
			snprintf(why, whylen, "ESSCertID issuerSerial names another serial number");
			goto out;
		}
		if (tst_read_str(sc, "certs.?1.issuerSerial.issuer.?1", choice, sizeof choice) ==
			    ASN1_SUCCESS &&
		    !strcmp(choice, "directoryName") &&
		    tst_read(sc, "certs.?1.issuerSerial.issuer.?1.directoryName", &issuer_any, &ilen) ==
			    ASN1_SUCCESS) {
			if (gnutls_x509_crt_get_raw_issuer_dn(cert, &idn) < 0 || idn.size != ilen ||
			    memcmp(idn.data, issuer_any, ilen) != 0) {
				snprintf(why, whylen, "ESSCertID issuerSerial names another issuer");
				goto out;
			}
		}
	}
	result = 1;
out:
	free(v);
	free(hash);
	free(issuer_any);
	free(serial);
	gnutls_free(der.data);
	gnutls_free(idn.data);
	asn1_delete_structure(&sc);
	return result;
}

static void crt_cn(gnutls_x509_crt_t cert, char *out, size_t size)
{
	size_t n = size;

	if (gnutls_x509_crt_get_dn_by_oid(cert, GNUTLS_OID_X520_COMMON_NAME, 0, 0, out, &n) < 0)
		snprintf(out, size, "(no common name)");
}

int accord_tst_check(const unsigned char *token, size_t len, gnutls_digest_algorithm_t alg,
		      const unsigned char *digest, size_t dlen, const unsigned char *nonce,
		      size_t nonce_len, const gnutls_x509_crt_t *extra, size_t n_extra,
		      accord_tst_result *out, accord_error *err)
{
	tst_parsed t;
	gnutls_x509_crt_t pool[MAX_TOKEN_CERTS + 64], signer = NULL;
	size_t n_pool = 0, n_token = 0;
	gnutls_pkcs7_t p7 = NULL;
	gnutls_datum_t d;
	unsigned char *v = NULL;
	size_t vlen = 0;
	char why[300] = "", oid[128];
	accord_subindication sub;
	int rc = ACCORD_OK, grc, count = 0, ess;

	memset(&t, 0, sizeof t);
	memset(out, 0, sizeof *out);

	sub = tst_parse(token, len, &t, out, err, &rc);
	if (rc != ACCORD_OK)
		goto out;
	if (sub != ACCORD_SUB_NONE) { /* reason already written by tst_parse */
		out->valid = 0;
		out->sub_indication = sub;
		goto out;
	}

	/* The data first: a token over other data says nothing about this data, whoever
	 * signed it (EN 319 102-1 5.4: message imprint, HASH_FAILURE; as DSS and DigiDoc). */
	if (t.imprint_alg != alg || t.imprint_len != dlen || memcmp(t.imprint, digest, dlen) != 0) {
		rc = judged(out, SUB_HASH, "the token's messageImprint (%s) is not the expected %s digest",
			    out->imprint_alg, gnutls_digest_get_name(alg));
		goto out;
	}

	/* Candidate certificates: the token's own, then the caller's extra ones. */
	if (asn1_number_of_elements(t.sd, "certificates", &count) != ASN1_SUCCESS)
		count = 0;
	for (int i = 1; i <= count && n_token < MAX_TOKEN_CERTS; i++) {
		char name[40];
		snprintf(name, sizeof name, "certificates.?%d", i);
		if (tst_read(t.sd, name, &v, &vlen) == ASN1_SUCCESS &&
		    crt_import_der(v, vlen, &pool[n_pool]) >= 0) {
			/* Keep only certificates in DER form: GnuTLS tolerates some malformed
			 * lengths and would hash its own re-encoding, not these bytes. */
			gnutls_datum_t again = {NULL, 0};
			if (gnutls_x509_crt_export2(pool[n_pool], GNUTLS_X509_FMT_DER, &again) >= 0 &&
			    again.size == vlen && memcmp(again.data, v, vlen) == 0) {
				n_pool++;
				n_token++;
			} else {
				gnutls_x509_crt_deinit(pool[n_pool]);
			}
			gnutls_free(again.data);
		}
		free(v);
		v = NULL;
	}
	for (size_t i = 0; i < n_extra && n_pool < sizeof pool / sizeof pool[0]; i++)
		if (crt_copy(extra[i], &pool[n_pool]) >= 0)
			n_pool++;
	for (size_t i = 0; i < n_pool && !signer; i++)
		if (signer_matches(t.sd, pool[i]))
			signer = pool[i];
	if (!signer) {
		rc = judged(out, SUB_NO_SIGNING_CERT,
			    "the TSA certificate is neither in the token nor among the given certificates");
		goto out;
	}
	grc = gnutls_x509_crt_export2(signer, GNUTLS_X509_FMT_DER, &d);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_export2", grc);
		goto out;
	}
	out->tsa_cert_der = malloc(d.size);
	if (!out->tsa_cert_der) {
		gnutls_free(d.data);
		rc = accord_err(err, ACCORD_ERR_NOMEM, "timestamp", "out of memory");
		goto out;
	}
	memcpy(out->tsa_cert_der, d.data, d.size);
	out->tsa_cert_der_len = d.size;
	gnutls_free(d.data);
	crt_cn(signer, out->tsa_name, sizeof out->tsa_name);

	/* The CMS signature itself (GnuTLS also checks messageDigest against the TSTInfo). */
	d.data = (unsigned char *)token;
	d.size = (unsigned)len;
	if ((grc = gnutls_pkcs7_init(&p7)) < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_pkcs7_init", grc);
		goto out;
	}
	if ((grc = gnutls_pkcs7_import(p7, &d, GNUTLS_X509_FMT_DER)) < 0) {
		rc = judged(out, SUB_FORMAT, "the token is not CMS GnuTLS can read: %s", gnutls_strerror(grc));
		goto out;
	}
	{
		/* GnuTLS 3.7 leaks a key in gnutls_pkcs7_verify_direct when the certificate's
		 * public key cannot be imported: check that first. */
		gnutls_pubkey_t pub = NULL;
		grc = gnutls_pubkey_init(&pub);
		if (grc < 0) {
			rc = accord_err_gnutls(err, "timestamp", "gnutls_pubkey_init", grc);
			goto out;
		}
		grc = gnutls_pubkey_import_x509(pub, signer, 0);
		gnutls_pubkey_deinit(pub);
		if (grc < 0) {
			rc = judged(out, SUB_SIG_CRYPTO, "the TSA certificate's public key is unusable: %s",
				    gnutls_strerror(grc));
			goto out;
		}
	}
	grc = gnutls_pkcs7_verify_direct(p7, signer, 0, NULL,
					 GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
						 GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS);
	if (grc < 0) {
		rc = judged(out, SUB_SIG_CRYPTO, "the token's signature does not verify: %s",
			    gnutls_strerror(grc));
		goto out;
	}
	/* contentType attribute must repeat the eContentType (RFC 5652 11.1). */
	{
		asn1_node ct = NULL;
		char cwhy[200];
		int crc = find_attr(t.sd, OID_ATTR_CONTENT_TYPE, &v, &vlen)
				  ? tst_decode("AttrOID", v, vlen, 0, &ct, cwhy, sizeof cwhy, err)
				  : ACCORD_ERR_NOTFOUND;
		if (crc == ACCORD_OK && tst_read_str(ct, "", oid, sizeof oid) != ASN1_SUCCESS)
			crc = ACCORD_ERR_FORMAT;
		asn1_delete_structure(&ct);
		free(v);
		v = NULL;
		if (crc != ACCORD_OK || strcmp(oid, ACCORD_OID_TSTINFO) != 0) {
			rc = judged(out, SUB_FORMAT,
				    "the signed contentType attribute is missing or not id-ct-TSTInfo");
			goto out;
		}
	}
	ess = ess_check(t.sd, signer, why, sizeof why, err);
	if (ess < 0) {
		rc = ess;
		goto out;
	}
	if (ess == 0) {
		rc = judged(out, SUB_NO_SIGNING_CERT, "%s", why);
		goto out;
	}

	/* The nonce of our request. */
	if (nonce) {
		unsigned char got[ACCORD_TST_MAX_NONCE];
		size_t glen = 0;
		int present = 0;
		(void)tst_read_positive(t.info, "nonce", got, sizeof got, &glen, &present, why,
					sizeof why);
		if (!present || !tst_int_equal(got, glen, nonce, nonce_len)) {
			rc = judged(out, SUB_SIG_CONSTRAINTS,
				    present ? "the token's nonce differs from the request's"
					    : "the token has no nonce although the request had one");
			goto out;
		}
	}

	out->valid = 1;
	out->sub_indication = ACCORD_SUB_NONE;
	snprintf(out->reason, sizeof out->reason,
		 "timestamp by '%s' at %s is well formed and its signature verifies", out->tsa_name,
		 out->gen_time_text);
	rc = ACCORD_OK;
out:
	free(v);
	if (p7)
		gnutls_pkcs7_deinit(p7);
	for (size_t i = 0; i < n_pool; i++)
		gnutls_x509_crt_deinit(pool[i]);
	tst_parsed_free(&t);
	if (rc != ACCORD_OK)
		out->valid = 0;
	return rc;
}
