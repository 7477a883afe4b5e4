/* formats/ocsp_resp.c — RFC 6960 OCSPResponse: a signed BasicOCSPResponse (responderID
 * byKey, the responder certificate in certs) or a bare error status; and the issuer
 * hashes CertIDs are made of. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include "formats/ocsp.h"
#include "formats/tst_internal.h"

#define OID_OCSP_BASIC "1.3.6.1.5.5.7.48.1.1"
#define OID_OCSP_NONCE "1.3.6.1.5.5.7.48.1.2"

/* GeneralizedTime, seconds, UTC (RFC 6960 4.2.2.1 via RFC 5280 4.1.2.5.2). */
static int write_time(asn1_node node, const char *name, time_t t, accord_error *err)
{
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return tst_write_str(node, name, buf, err);
}

/* The subjectPublicKey BIT STRING value (no tag, length or unused-bits byte), hashed. */
static int key_hash(gnutls_x509_crt_t crt, gnutls_digest_algorithm_t digest, unsigned char *out,
		    accord_error *err)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t spki = {NULL, 0};
	asn1_node node = NULL;
	unsigned char *bits = NULL;
	size_t nbits = 0;
	char why[200] = "";
	int rc;

	rc = gnutls_pubkey_init(&pub);
	if (rc >= 0)
		rc = gnutls_pubkey_import_x509(pub, crt, 0);
	if (rc >= 0)
		rc = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki);
	if (rc < 0) {
		rc = accord_err_gnutls(err, "OCSP", "gnutls_pubkey_export2", rc);
		goto out;
	}
	rc = tst_decode("SubjectPublicKeyInfo", spki.data, spki.size, 0, &node, why, sizeof why, err);
	if (rc == ACCORD_ERR_FORMAT)
		rc = accord_err(err, rc, "OCSP", "%s", why);
	if (rc != ACCORD_OK)
		goto out;
	if (tst_read(node, "subjectPublicKey", &bits, &nbits) != ASN1_SUCCESS || nbits % 8) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, "OCSP", "subjectPublicKey unreadable");
		goto out;
	}
	rc = gnutls_hash_fast(digest, bits, nbits / 8, out);
	rc = rc < 0 ? accord_err_gnutls(err, "OCSP", "gnutls_hash_fast", rc) : ACCORD_OK;
out:
	free(bits);
	asn1_delete_structure(&node);
	gnutls_free(spki.data);
	gnutls_pubkey_deinit(pub);
	return rc;
}

int accord_ocsp_issuer_hashes(gnutls_x509_crt_t issuer, gnutls_digest_algorithm_t digest,
			      unsigned char *name_hash, unsigned char *key_hash_out,
			      size_t *hash_len, accord_error *err)
{
	gnutls_datum_t dn = {NULL, 0};
	int rc;

	*hash_len = (size_t)gnutls_hash_get_len(digest);
	if (*hash_len == 0 || *hash_len > ACCORD_OCSP_MAX_HASH)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "OCSP", "digest %d not usable", (int)digest);
	rc = gnutls_x509_crt_get_raw_dn(issuer, &dn);
	if (rc < 0)
		return accord_err_gnutls(err, "OCSP", "gnutls_x509_crt_get_raw_dn", rc);
	rc = gnutls_hash_fast(digest, dn.data, dn.size, name_hash);
	gnutls_free(dn.data);
	if (rc < 0)
		return accord_err_gnutls(err, "OCSP", "gnutls_hash_fast", rc);
	return key_hash(issuer, digest, key_hash_out, err);
}

static int write_certid(asn1_node node, const char *prefix, const accord_ocsp_certid *id,
			accord_error *err)
{
	char name[160];
	int rc;

	snprintf(name, sizeof name, "%s.hashAlgorithm.algorithm", prefix);
	rc = tst_write_str(node, name, id->alg_oid, err);
	snprintf(name, sizeof name, "%s.hashAlgorithm.parameters", prefix);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, id->params_null ? "\x05\x00" : NULL, id->params_null ? 2 : 0,
			       err);
	snprintf(name, sizeof name, "%s.issuerNameHash", prefix);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, id->name_hash, id->name_hash_len, err);
	snprintf(name, sizeof name, "%s.issuerKeyHash", prefix);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, id->key_hash, id->key_hash_len, err);
	snprintf(name, sizeof name, "%s.serialNumber", prefix);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, id->serial, id->serial_len, err);
	return rc;
}

static int write_single(asn1_node node, const accord_ocsp_single *s, accord_error *err)
{
	static const char *const choice[] = {"good", "revoked", "unknown"};
	const char *p = "tbsResponseData.responses.?LAST";
	char name[128], reason[16];
	int rc;

	if (s->status < ACCORD_OCSP_GOOD || s->status > ACCORD_OCSP_UNKNOWN)
		return accord_err(err, ACCORD_ERR_USAGE, "OCSP", "bad certificate status %d", s->status);
	rc = tst_write(node, "tbsResponseData.responses", "NEW", 1, err);
	snprintf(name, sizeof name, "%s.certID", p);
	if (rc == ACCORD_OK)
		rc = write_certid(node, name, s->id, err);
	snprintf(name, sizeof name, "%s.certStatus", p);
	if (rc == ACCORD_OK)
		rc = tst_write_str(node, name, choice[s->status], err);
	if (rc == ACCORD_OK && s->status == ACCORD_OCSP_REVOKED) {
		snprintf(name, sizeof name, "%s.certStatus.revoked.revocationTime", p);
		rc = write_time(node, name, s->revoked_at, err);
		snprintf(name, sizeof name, "%s.certStatus.revoked.revocationReason", p);
		snprintf(reason, sizeof reason, "%d", s->reason);
		if (rc == ACCORD_OK)
			rc = s->reason >= 0 ? tst_write_int(node, name, reason, err)
					    : tst_write(node, name, NULL, 0, err);
	} /* good and unknown are NULL: choosing them is all there is to write */
	snprintf(name, sizeof name, "%s.thisUpdate", p);
	if (rc == ACCORD_OK)
		rc = write_time(node, name, s->this_update, err);
	snprintf(name, sizeof name, "%s.nextUpdate", p);
	if (rc == ACCORD_OK)
		rc = s->next_update ? write_time(node, name, s->next_update, err)
				    : tst_write(node, name, NULL, 0, err);
	snprintf(name, sizeof name, "%s.singleExtensions", p);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, NULL, 0, err);
	return rc;
}

static int write_response_data(asn1_node node, const accord_ocsp_resp_params *p,
			       accord_error *err)
{
	unsigned char id[ACCORD_OCSP_MAX_HASH];
	int rc;

	rc = key_hash(p->cert, GNUTLS_DIG_SHA1, id, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(node, "tbsResponseData.responderID", "byKey", err);
	if (rc == ACCORD_OK)
		rc = tst_write(node, "tbsResponseData.responderID.byKey", id, 20, err);
	if (rc == ACCORD_OK)
		rc = write_time(node, "tbsResponseData.producedAt", p->produced_at, err);
	for (size_t i = 0; i < p->n_singles && rc == ACCORD_OK; i++)
		rc = write_single(node, &p->singles[i], err);
	if (rc != ACCORD_OK)
		return rc;
	if (!p->nonce)
		return tst_write(node, "tbsResponseData.responseExtensions", NULL, 0, err);
	rc = tst_write(node, "tbsResponseData.responseExtensions", "NEW", 1, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(node, "tbsResponseData.responseExtensions.?LAST.extnID", OID_OCSP_NONCE,
				   err);
	if (rc == ACCORD_OK)
		rc = tst_write(node, "tbsResponseData.responseExtensions.?LAST.extnValue", p->nonce,
			       p->nonce_len, err);
	return rc;
}

/* Sign the DER of tbsResponseData with SHA-256 and write signatureAlgorithm and
 * signature (RFC 6960 4.2.1; ECDSA values DER as X.509 has them). */
static int sign_response(asn1_node node, const accord_ocsp_resp_params *p, accord_error *err)
{
	unsigned char *tbs = NULL;
	size_t tbs_len = 0;
	gnutls_datum_t data, sig = {NULL, 0};
	gnutls_sign_algorithm_t algo;
	int pk = gnutls_privkey_get_pk_algorithm(p->key, NULL), rc;
	const char *oid;

	if (pk != GNUTLS_PK_RSA && pk != GNUTLS_PK_ECDSA)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "OCSP",
				  "the responder key must be ECDSA or RSA (signing with SHA-256)");
	algo = gnutls_pk_to_sign((gnutls_pk_algorithm_t)pk, GNUTLS_DIG_SHA256);
	oid = gnutls_sign_get_oid(algo);
	if (!oid)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "OCSP", "no OID for the signature algorithm");
	rc = tst_encode(node, "tbsResponseData", &tbs, &tbs_len, err);
	if (rc != ACCORD_OK)
		return rc;
	data.data = tbs;
	data.size = (unsigned)tbs_len;
	rc = gnutls_privkey_sign_data2(p->key, algo, 0, &data, &sig);
	free(tbs);
	if (rc < 0)
		return accord_err_gnutls(err, "OCSP", "gnutls_privkey_sign_data2", rc);
	rc = tst_write_str(node, "signatureAlgorithm.algorithm", oid, err);
	if (rc == ACCORD_OK) /* RSA: NULL parameters; ECDSA: none (RFC 5758 3.2) */
		rc = tst_write(node, "signatureAlgorithm.parameters", pk == GNUTLS_PK_RSA ? "\x05\x00" : NULL,
			       pk == GNUTLS_PK_RSA ? 2 : 0, err);
	if (rc == ACCORD_OK) /* a BIT STRING's length is given in bits */
		rc = tst_write(node, "signature", sig.data, (size_t)sig.size * 8, err);
	gnutls_free(sig.data);
	return rc;
}

/* An OCSPResponse around STATUS and, for success, the BasicOCSPResponse bytes. */
static int wrap_response(int status, const unsigned char *basic, size_t basic_len,
			 unsigned char **der, size_t *len, accord_error *err)
{
	asn1_node node = NULL;
	char st[8];
	int rc;

	snprintf(st, sizeof st, "%d", status);
	rc = tst_node_new("OCSPResponse", &node, err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(node, "responseStatus", st, err);
	if (rc == ACCORD_OK && basic) {
		rc = tst_write_str(node, "responseBytes.responseType", OID_OCSP_BASIC, err);
		if (rc == ACCORD_OK)
			rc = tst_write(node, "responseBytes.response", basic, basic_len, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(node, "responseBytes", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_encode(node, "", der, len, err);
	asn1_delete_structure(&node);
	return rc;
}

int accord_ocsp_resp_build_status(int status, unsigned char **der, size_t *len,
				  accord_error *err)
{
	*der = NULL;
	*len = 0;
	if (status == ACCORD_OCSP_SUCCESSFUL || status < 0 || status > ACCORD_OCSP_UNAUTHORIZED ||
	    status == 4)
		return accord_err(err, ACCORD_ERR_USAGE, "OCSP", "status %d is not an error status", status);
	return wrap_response(status, NULL, 0, der, len, err);
}

int accord_ocsp_resp_build(const accord_ocsp_resp_params *p, unsigned char **der, size_t *len,
			   accord_error *err)
{
	asn1_node basic = NULL;
	unsigned char *basic_der = NULL;
	size_t basic_len = 0;
	int rc;

	*der = NULL;
	*len = 0;
	if (p->n_singles < 1 || p->n_singles > ACCORD_OCSP_MAX_CERTIDS)
		return accord_err(err, ACCORD_ERR_USAGE, "OCSP", "1 to %d responses",
				  ACCORD_OCSP_MAX_CERTIDS);
	rc = tst_node_new("BasicOCSPResponse", &basic, err);
	if (rc == ACCORD_OK)
		rc = write_response_data(basic, p, err);
	if (rc == ACCORD_OK)
		rc = sign_response(basic, p, err);
	if (rc == ACCORD_OK)
		rc = tst_write(basic, "certs", "NEW", 1, err);
	if (rc == ACCORD_OK)
		rc = tst_write(basic, "certs.?LAST", p->cert_der->data, p->cert_der->size, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(basic, "", &basic_der, &basic_len, err);
	if (rc == ACCORD_OK)
		rc = wrap_response(ACCORD_OCSP_SUCCESSFUL, basic_der, basic_len, der, len, err);
	free(basic_der);
	asn1_delete_structure(&basic);
	return rc;
}
