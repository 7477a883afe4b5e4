/* formats/ocsp_req.c — RFC 6960 OCSPRequest: parsing one strictly (what a responder reads
 * from anyone who can reach it) and building one. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include "formats/ocsp.h"
#include "formats/tst_internal.h"

#define OID_OCSP_NONCE "1.3.6.1.5.5.7.48.1.2"

/* Read an OCTET STRING of at most max bytes into out. */
static int read_octets(asn1_node node, const char *name, unsigned char *out, size_t max,
		       size_t *len)
{
	unsigned char *v = NULL;
	size_t n = 0;
	int ok = tst_read(node, name, &v, &n) == ASN1_SUCCESS && n >= 1 && n <= max;

	if (ok) {
		memcpy(out, v, n);
		*len = n;
	}
	free(v);
	return ok ? 0 : -1;
}

static int parse_certid(asn1_node node, const char *prefix, accord_ocsp_certid *id, char *why,
			size_t whylen)
{
	char name[160];
	unsigned char *v = NULL;
	size_t n = 0, want;
	int params, ok;

	snprintf(name, sizeof name, "%s.hashAlgorithm.algorithm", prefix);
	if (tst_read_str(node, name, id->alg_oid, sizeof id->alg_oid) != ASN1_SUCCESS) {
		snprintf(why, whylen, "%s: hash algorithm unreadable", prefix);
		return -1;
	}
	id->alg = gnutls_oid_to_digest(id->alg_oid);
	snprintf(name, sizeof name, "%s.hashAlgorithm.parameters", prefix);
	params = tst_digest_params(node, name);
	if (params < 0) {
		snprintf(why, whylen, "%s: hash parameters must be absent or NULL", prefix);
		return -1;
	}
	id->params_null = params;
	want = id->alg != GNUTLS_DIG_UNKNOWN ? (size_t)gnutls_hash_get_len(id->alg) : 0;
	snprintf(name, sizeof name, "%s.issuerNameHash", prefix);
	if (read_octets(node, name, id->name_hash, sizeof id->name_hash, &id->name_hash_len) ||
	    (want && id->name_hash_len != want)) {
		snprintf(why, whylen, "%s: issuerNameHash does not fit %s", prefix, id->alg_oid);
		return -1;
	}
	snprintf(name, sizeof name, "%s.issuerKeyHash", prefix);
	if (read_octets(node, name, id->key_hash, sizeof id->key_hash, &id->key_hash_len) ||
	    (want && id->key_hash_len != want)) {
		snprintf(why, whylen, "%s: issuerKeyHash does not fit %s", prefix, id->alg_oid);
		return -1;
	}
	snprintf(name, sizeof name, "%s.serialNumber", prefix);
	if (tst_read(node, name, &v, &n) != ASN1_SUCCESS) {
		snprintf(why, whylen, "%s: serialNumber unreadable", prefix);
		return -1;
	}
	ok = n >= 1 && n <= sizeof id->serial && tst_int_minimal(v, n) && !(v[0] & 0x80);
	if (ok) {
		memcpy(id->serial, v, n);
		id->serial_len = n;
	}
	free(v);
	if (!ok) {
		snprintf(why, whylen, "%s: serialNumber is not a minimal positive INTEGER of at most %zu bytes",
			 prefix, sizeof id->serial);
		return -1;
	}
	return 0;
}

/* Extensions at PREFIX (present or not): never empty, critical only when TRUE and
 * understood (none is), the nonce at most once (req may be NULL where no nonce belongs). */
static int check_extensions(asn1_node node, const char *prefix, accord_ocsp_req *req, char *why,
			    size_t whylen)
{
	char name[160], oid[64], crit[8];
	int count = 0;

	if (!tst_present(node, prefix))
		return 0;
	if (asn1_number_of_elements(node, prefix, &count) != ASN1_SUCCESS || count < 1) {
		snprintf(why, whylen, "%s is present but empty (SIZE (1..MAX))", prefix);
		return -1;
	}
	if (count > 16) {
		snprintf(why, whylen, "%s: more than 16 extensions", prefix);
		return -1;
	}
	for (int i = 1; i <= count; i++) {
		snprintf(name, sizeof name, "%s.?%d.extnID", prefix, i);
		if (tst_read_str(node, name, oid, sizeof oid) != ASN1_SUCCESS) {
			snprintf(why, whylen, "%s: extension %d has no readable extnID", prefix, i);
			return -1;
		}
		snprintf(name, sizeof name, "%s.?%d.critical", prefix, i);
		if (tst_present(node, name)) {
			if (tst_read_str(node, name, crit, sizeof crit) != ASN1_SUCCESS ||
			    strcmp(crit, "TRUE") != 0) {
				snprintf(why, whylen, "%s: critical FALSE is written out (DER omits a DEFAULT value)",
					 oid);
				return -1;
			}
			snprintf(why, whylen, "critical extension %s is not understood", oid);
			return -1;
		}
		if (strcmp(oid, OID_OCSP_NONCE) != 0)
			continue; /* not critical and not ours: ignored (RFC 6960 4.4) */
		if (!req) {
			snprintf(why, whylen, "%s: a nonce belongs in requestExtensions", prefix);
			return -1;
		}
		if (req->has_nonce) {
			snprintf(why, whylen, "two nonce extensions");
			return -1;
		}
		snprintf(name, sizeof name, "%s.?%d.extnValue", prefix, i);
		if (read_octets(node, name, req->nonce, sizeof req->nonce, &req->nonce_len)) {
			snprintf(why, whylen, "the nonce is empty or longer than %zu bytes", sizeof req->nonce);
			return -1;
		}
		req->has_nonce = 1;
	}
	return 0;
}

int accord_ocsp_req_parse(const unsigned char *der, size_t len, accord_ocsp_req *out,
			  accord_error *err)
{
	asn1_node req = NULL;
	char why[300] = "", prefix[96];
	int rc, count = 0;

	memset(out, 0, sizeof *out);
	if (len > ACCORD_OCSP_MAX_REQUEST)
		return accord_err(err, ACCORD_ERR_LIMIT, "OCSP request", "larger than %d bytes",
				  ACCORD_OCSP_MAX_REQUEST);
	rc = tst_decode("OCSPRequest", der, len, 1, &req, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = ACCORD_ERR_FORMAT;
	if (tst_present(req, "tbsRequest.version")) {
		/* v1 is the DEFAULT, so DER never writes it; anything else is not v1. */
		snprintf(why, sizeof why, "version is written out: not DER, or not v1");
		goto out;
	}
	if (asn1_number_of_elements(req, "tbsRequest.requestList", &count) != ASN1_SUCCESS ||
	    count < 1) {
		snprintf(why, sizeof why, "requestList is empty");
		goto out;
	}
	if (count > ACCORD_OCSP_MAX_CERTIDS) {
		snprintf(why, sizeof why, "%d CertIDs, more than the %d accepted", count,
			 ACCORD_OCSP_MAX_CERTIDS);
		goto out;
	}
	for (int i = 1; i <= count; i++) {
		snprintf(prefix, sizeof prefix, "tbsRequest.requestList.?%d.reqCert", i);
		if (parse_certid(req, prefix, &out->ids[i - 1], why, sizeof why))
			goto out;
		snprintf(prefix, sizeof prefix, "tbsRequest.requestList.?%d.singleRequestExtensions", i);
		if (check_extensions(req, prefix, NULL, why, sizeof why))
			goto out;
	}
	out->n_ids = (size_t)count;
	if (check_extensions(req, "tbsRequest.requestExtensions", out, why, sizeof why))
		goto out;
	if (tst_present(req, "optionalSignature")) {
		int ncerts = 0;
		out->signed_request = 1;
		if (tst_present(req, "optionalSignature.certs") &&
		    (asn1_number_of_elements(req, "optionalSignature.certs", &ncerts) != ASN1_SUCCESS ||
		     ncerts > 8)) {
			snprintf(why, sizeof why, "optionalSignature carries more than 8 certificates");
			goto out;
		}
	}
	rc = ACCORD_OK;
out:
	asn1_delete_structure(&req);
	if (rc == ACCORD_ERR_FORMAT)
		return accord_err(err, rc, "OCSP request", "%s", why);
	return rc;
}

int accord_ocsp_req_build(const accord_ocsp_certid *ids, size_t n, const unsigned char *nonce,
			  size_t nonce_len, unsigned char **der, size_t *len, accord_error *err)
{
	asn1_node req = NULL;
	int rc;

	*der = NULL;
	*len = 0;
	if (n < 1 || n > ACCORD_OCSP_MAX_CERTIDS)
		return accord_err(err, ACCORD_ERR_USAGE, "OCSP request", "1 to %d CertIDs",
				  ACCORD_OCSP_MAX_CERTIDS);
	rc = tst_node_new("OCSPRequest", &req, err);
	for (size_t i = 0; i < n && rc == ACCORD_OK; i++) {
		const accord_ocsp_certid *id = &ids[i];
		rc = tst_write(req, "tbsRequest.requestList", "NEW", 1, err);
		if (rc == ACCORD_OK)
			rc = tst_write_digest_alg(req, "tbsRequest.requestList.?LAST.reqCert.hashAlgorithm",
						  id->alg, id->params_null, err);
		if (rc == ACCORD_OK)
			rc = tst_write(req, "tbsRequest.requestList.?LAST.reqCert.issuerNameHash",
				       id->name_hash, id->name_hash_len, err);
		if (rc == ACCORD_OK)
			rc = tst_write(req, "tbsRequest.requestList.?LAST.reqCert.issuerKeyHash",
				       id->key_hash, id->key_hash_len, err);
		if (rc == ACCORD_OK)
			rc = tst_write(req, "tbsRequest.requestList.?LAST.reqCert.serialNumber",
				       id->serial, id->serial_len, err);
		if (rc == ACCORD_OK)
			rc = tst_write(req, "tbsRequest.requestList.?LAST.singleRequestExtensions", NULL,
				       0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(req, "tbsRequest.requestorName", NULL, 0, err);
	if (rc == ACCORD_OK && nonce) {
		rc = tst_write(req, "tbsRequest.requestExtensions", "NEW", 1, err);
		if (rc == ACCORD_OK)
			rc = tst_write_str(req, "tbsRequest.requestExtensions.?LAST.extnID", OID_OCSP_NONCE,
					   err);
		if (rc == ACCORD_OK)
			rc = tst_write(req, "tbsRequest.requestExtensions.?LAST.extnValue", nonce,
				       nonce_len, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(req, "tbsRequest.requestExtensions", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(req, "optionalSignature", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(req, "", der, len, err);
	asn1_delete_structure(&req);
	return rc;
}
