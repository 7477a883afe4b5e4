/* formats/tst.c — RFC 3161 timestamp requests, replies and tokens: DER with libtasn1 from
 * formats/tst.asn, CMS signatures with GnuTLS, token verification as of genTime. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libtasn1.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs7.h>
#include "formats/tst.h"

extern const asn1_static_node accord_tst_asn1_tab[];

#define OID_SIGNED_DATA "1.2.840.113549.1.7.2"
#define OID_ATTR_CONTENT_TYPE "1.2.840.113549.1.9.3"
#define OID_ATTR_MESSAGE_DIGEST "1.2.840.113549.1.9.4"
#define OID_ATTR_SIGNING_TIME "1.2.840.113549.1.9.5"
#define OID_ATTR_SIGNING_CERT "1.2.840.113549.1.9.16.2.12"
#define OID_ATTR_SIGNING_CERT_V2 "1.2.840.113549.1.9.16.2.47"
#define OID_RSA_ENCRYPTION "1.2.840.113549.1.1.1"

#define SUB_FORMAT "FORMAT_FAILURE"
#define SUB_NO_SIGNED_DATA "SIGNED_DATA_NOT_FOUND"
#define SUB_HASH "HASH_FAILURE"
#define SUB_SIG_CRYPTO "SIG_CRYPTO_FAILURE"
#define SUB_SIG_CONSTRAINTS "SIG_CONSTRAINTS_FAILURE"
#define SUB_NO_SIGNING_CERT "NO_SIGNING_CERTIFICATE_FOUND"
#define SUB_NO_CHAIN "NO_CERTIFICATE_CHAIN_FOUND"
#define SUB_CHAIN_GENERAL "CERTIFICATE_CHAIN_GENERAL_FAILURE"
#define SUB_CHAIN_CONSTRAINTS "CHAIN_CONSTRAINTS_FAILURE"
#define SUB_OUT_OF_BOUNDS "OUT_OF_BOUNDS_NO_POE"
#define SUB_EXPIRED "EXPIRED"

#define MAX_TOKEN_CERTS 32
#define MAX_CHAIN 16

/* ---- the ASN.1 definitions, parsed once ---- */

static asn1_node tst_defs;
static int tst_defs_rc;
static pthread_once_t tst_defs_once = PTHREAD_ONCE_INIT;

static void tst_defs_load(void)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

	tst_defs_rc = asn1_array2tree(accord_tst_asn1_tab, &tst_defs, msg);
}

/* A new empty structure of type NAME ("TSTInfo", ...). */
static int tst_node_new(const char *type, asn1_node *out, accord_error *err)
{
	char full[96];
	int rc;

	*out = NULL;
	pthread_once(&tst_defs_once, tst_defs_load);
	if (tst_defs_rc != ASN1_SUCCESS)
		return accord_err(err, ACCORD_ERR_CRYPTO, "libtasn1", "cannot load the RFC 3161 definitions: %s",
				  asn1_strerror(tst_defs_rc));
	snprintf(full, sizeof full, "AccordTST.%s", type);
	rc = asn1_create_element(tst_defs, full, out);
	if (rc != ASN1_SUCCESS)
		return accord_err(err, ACCORD_ERR_CRYPTO, "libtasn1", "asn1_create_element %s: %s", type,
				  asn1_strerror(rc));
	return ACCORD_OK;
}

static int tst_encode(asn1_node node, const char *name, unsigned char **out, size_t *len,
		      accord_error *err);

/* Decode TYPE; the whole input must be consumed. strict: 0 BER tolerated, 1 DER and
 * identical on re-encoding, 2 DER flag only (see same_der). Returns 0 or fills why. */
static int tst_decode(const char *type, const unsigned char *der, size_t len, int strict,
		      asn1_node *out, char *why, size_t whylen, accord_error *err)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
	int rc, used;

	rc = tst_node_new(type, out, err);
	if (rc != ACCORD_OK)
		return rc;
	if (len == 0 || len > (1u << 30)) {
		snprintf(why, whylen, "%s: empty or oversized input", type);
		return ACCORD_ERR_FORMAT;
	}
	used = (int)len;
	rc = asn1_der_decoding2(out, der, &used, strict ? ASN1_DECODE_FLAG_STRICT_DER : 0, msg);
	if (rc != ASN1_SUCCESS) {
		snprintf(why, whylen, "%s is not valid DER: %s%s%s", type, asn1_strerror(rc),
			 msg[0] ? ": " : "", msg);
		return ACCORD_ERR_FORMAT;
	}
	if ((size_t)used != len) {
		snprintf(why, whylen, "%s is followed by %zu bytes of garbage", type, len - (size_t)used);
		return ACCORD_ERR_FORMAT;
	}
	if (strict == 1) {
		/* libtasn1 tolerates some malformed lengths (an EXPLICIT tag's, for one) even
		 * in strict mode: DER is unique, so encoding again must give the same bytes. */
		unsigned char *again = NULL;
		size_t again_len = 0;
		int same;
		rc = tst_encode(*out, "", &again, &again_len, err);
		if (rc != ACCORD_OK)
			return rc;
		same = again_len == len && memcmp(again, der, len) == 0;
		free(again);
		if (!same) {
			snprintf(why, whylen, "%s is not in DER form", type);
			return ACCORD_ERR_FORMAT;
		}
	}
	return ACCORD_OK;
}

/* DER of NODE (or its sub-element NAME, "" for all); *out malloc'd. */
static int tst_encode(asn1_node node, const char *name, unsigned char **out, size_t *len,
		      accord_error *err)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
	int n = 0, rc;

	*out = NULL;
	rc = asn1_der_coding(node, name, NULL, &n, msg);
	if (rc != ASN1_MEM_ERROR)
		return accord_err(err, ACCORD_ERR_CRYPTO, "libtasn1", "asn1_der_coding: %s %s",
				  asn1_strerror(rc), msg);
	*out = malloc((size_t)n);
	if (!*out)
		return accord_err(err, ACCORD_ERR_NOMEM, "libtasn1", "out of memory");
	rc = asn1_der_coding(node, name, *out, &n, msg);
	if (rc != ASN1_SUCCESS) {
		free(*out);
		*out = NULL;
		return accord_err(err, ACCORD_ERR_CRYPTO, "libtasn1", "asn1_der_coding: %s %s",
				  asn1_strerror(rc), msg);
	}
	*len = (size_t)n;
	return ACCORD_OK;
}

/* Read a value of any length (*out malloc'd, NUL-terminated for convenience).
 * ASN1_ELEMENT_NOT_FOUND etc. are returned as is (ASN1 codes, not accord codes). */
static int tst_read(asn1_node node, const char *name, unsigned char **out, size_t *len)
{
	int n = 0, rc;

	*out = NULL;
	*len = 0;
	rc = asn1_read_value(node, name, NULL, &n);
	if (rc == ASN1_SUCCESS && n == 0) {
		*out = calloc(1, 1);
		return *out ? ASN1_SUCCESS : ASN1_MEM_ALLOC_ERROR;
	}
	if (rc != ASN1_MEM_ERROR)
		return rc == ASN1_SUCCESS ? ASN1_GENERIC_ERROR : rc;
	/* BIT STRING lengths come back in bits: allocate for bytes either way. */
	*out = calloc((size_t)n + 2, 1);
	if (!*out)
		return ASN1_MEM_ALLOC_ERROR;
	rc = asn1_read_value(node, name, *out, &n);
	if (rc != ASN1_SUCCESS) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*len = (size_t)n;
	return ASN1_SUCCESS;
}

/* Read a short string value (OID, time, choice name) into buf. */
static int tst_read_str(asn1_node node, const char *name, char *buf, size_t size)
{
	int n = (int)size - 1, rc;

	rc = asn1_read_value(node, name, buf, &n);
	if (rc != ASN1_SUCCESS) {
		buf[0] = '\0';
		return rc;
	}
	buf[n] = '\0';
	return ASN1_SUCCESS;
}

/* A small INTEGER (version, accuracy). */
static int tst_read_small_int(asn1_node node, const char *name, long *out)
{
	unsigned char buf[8];
	int n = sizeof buf, rc;
	long v;

	rc = asn1_read_value(node, name, buf, &n);
	if (rc != ASN1_SUCCESS)
		return rc;
	if (n < 1 || n > 4)
		return ASN1_DER_ERROR;
	v = (buf[0] & 0x80) ? -1 : 0;
	for (int i = 0; i < n; i++)
		v = (long)((unsigned long)v << 8) | buf[i];
	*out = v;
	return ASN1_SUCCESS;
}

static int tst_write(asn1_node node, const char *name, const void *value, size_t len,
		     accord_error *err)
{
	int rc = asn1_write_value(node, name, value, (int)len);

	if (rc != ASN1_SUCCESS)
		return accord_err(err, ACCORD_ERR_CRYPTO, "libtasn1", "asn1_write_value %s: %s", name,
				  asn1_strerror(rc));
	return ACCORD_OK;
}

static int tst_write_str(asn1_node node, const char *name, const char *value, accord_error *err)
{
	return tst_write(node, name, value, value ? strlen(value) : 0, err);
}

/* An INTEGER from a decimal string: libtasn1 reads it as decimal only with length 0
 * (with a length the bytes are taken as two's complement). */
static int tst_write_int(asn1_node node, const char *name, const char *decimal, accord_error *err)
{
	return tst_write(node, name, decimal, 0, err);
}

/* Strip leading zero bytes of a big-endian unsigned value. */
static void int_strip(const unsigned char **p, size_t *len)
{
	while (*len > 0 && (*p)[0] == 0) {
		(*p)++;
		(*len)--;
	}
}

/* Minimal two's complement content of a positive integer; buf holds len + 1. */
static size_t int_positive(const unsigned char *in, size_t len, unsigned char *buf)
{
	size_t n = 0;

	int_strip(&in, &len);
	if (len == 0 || (in[0] & 0x80))
		buf[n++] = 0;
	memcpy(buf + n, in, len);
	return n + len;
}

static void int_hex(const unsigned char *in, size_t len, char *out, size_t size)
{
	int_strip(&in, &len);
	if (len == 0 || 2 * len + 1 > size) {
		snprintf(out, size, len == 0 ? "0" : "(too long)");
		return;
	}
	accord_hex(in, len, out);
}

static int int_equal(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int_strip(&a, &alen);
	int_strip(&b, &blen);
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Write an AlgorithmIdentifier of a digest at PREFIX (params: absent, or NULL if asked). */
static int write_digest_alg(asn1_node node, const char *prefix, gnutls_digest_algorithm_t alg,
			    int params_null, accord_error *err)
{
	char name[128];
	const char *oid = gnutls_digest_get_oid(alg);
	int rc;

	if (!oid)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "timestamp", "digest %s has no OID",
				  gnutls_digest_get_name(alg));
	snprintf(name, sizeof name, "%s.algorithm", prefix);
	rc = tst_write_str(node, name, oid, err);
	if (rc != ACCORD_OK)
		return rc;
	snprintf(name, sizeof name, "%s.parameters", prefix);
	if (params_null)
		return tst_write(node, name, "\x05\x00", 2, err);
	return tst_write(node, name, NULL, 0, err);
}

/* ---------------------------------------------------------------- requests ---- */

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
		rc = write_digest_alg(req, "messageImprint.hashAlgorithm", alg, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write(req, "messageImprint.hashedMessage", digest, dlen, err);
	if (rc == ACCORD_OK)
		rc = tst_write(req, "reqPolicy", NULL, 0, err);
	if (rc == ACCORD_OK && nonce)
		rc = tst_write(req, "nonce", nbuf, int_positive(nonce, 8, nbuf), err);
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

/* Read an optional positive INTEGER (nonce) in minimal form into out. */
static int read_positive(asn1_node node, const char *name, unsigned char *out, size_t max,
			 size_t *olen, int *present, char *why, size_t whylen)
{
	unsigned char *v = NULL;
	const unsigned char *p;
	size_t n;
	int rc;

	*present = 0;
	rc = tst_read(node, name, &v, &n);
	if (rc == ASN1_ELEMENT_NOT_FOUND || rc == ASN1_VALUE_NOT_FOUND)
		return ACCORD_OK;
	if (rc != ASN1_SUCCESS || n == 0 || (v[0] & 0x80)) {
		free(v);
		snprintf(why, whylen, "%s is not a positive integer", name);
		return ACCORD_ERR_FORMAT;
	}
	p = v;
	int_strip(&p, &n);
	if (n > max) {
		free(v);
		snprintf(why, whylen, "%s is longer than %zu bytes", name, max);
		return ACCORD_ERR_FORMAT;
	}
	memcpy(out, p, n);
	*olen = n;
	*present = 1;
	free(v);
	return ACCORD_OK;
}

/* Parameters of a digest AlgorithmIdentifier: absent or NULL. 1 if NULL, 0 if absent,
 * -1 if anything else. */
static int digest_params(asn1_node node, const char *name)
{
	unsigned char *v = NULL;
	size_t n;
	int rc = tst_read(node, name, &v, &n), res;

	if (rc == ASN1_ELEMENT_NOT_FOUND || rc == ASN1_VALUE_NOT_FOUND)
		return 0;
	res = (rc == ASN1_SUCCESS && n == 2 && v[0] == 0x05 && v[1] == 0x00) ? 1 : -1;
	free(v);
	return res;
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
	params = digest_params(req, "messageImprint.hashAlgorithm.parameters");
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
	rc = read_positive(req, "nonce", out->nonce, sizeof out->nonce, &out->nonce_len,
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

/* ----------------------------------------------------------------- replies ---- */

static const char *pki_status_name(long s)
{
	static const char *const names[] = {"granted", "grantedWithMods", "rejection", "waiting",
					    "revocationWarning", "revocationNotification"};

	return (s >= 0 && s <= 5) ? names[s] : "unknown";
}

const char *accord_tsr_fail_name(int bit)
{
	switch (bit) {
	case ACCORD_FAIL_BAD_ALG: return "badAlg";
	case ACCORD_FAIL_BAD_REQUEST: return "badRequest";
	case ACCORD_FAIL_BAD_DATA_FORMAT: return "badDataFormat";
	case ACCORD_FAIL_TIME_NOT_AVAILABLE: return "timeNotAvailable";
	case ACCORD_FAIL_UNACCEPTED_POLICY: return "unacceptedPolicy";
	case ACCORD_FAIL_UNACCEPTED_EXTENSION: return "unacceptedExtension";
	case ACCORD_FAIL_ADD_INFO_NOT_AVAILABLE: return "addInfoNotAvailable";
	case ACCORD_FAIL_SYSTEM_FAILURE: return "systemFailure";
	default: return NULL;
	}
}

int accord_tsr_build(int status, const char *text, int fail_bit, const unsigned char *token,
		     size_t token_len, unsigned char **der, size_t *len, accord_error *err)
{
	asn1_node resp = NULL;
	unsigned char bits[4] = {0};
	char num[16];
	int rc;

	*der = NULL;
	*len = 0;
	snprintf(num, sizeof num, "%d", status);
	rc = tst_node_new("TimeStampResp", &resp, err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(resp, "status.status", num, err);
	if (rc == ACCORD_OK && text) {
		rc = tst_write_str(resp, "status.statusString", "NEW", err);
		if (rc == ACCORD_OK)
			rc = tst_write_str(resp, "status.statusString.?LAST", text, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(resp, "status.statusString", NULL, 0, err);
	}
	if (rc == ACCORD_OK && fail_bit >= 0 && fail_bit < 32) {
		/* DER named-bit list: exactly up to the last set bit. */
		bits[fail_bit / 8] = (unsigned char)(0x80 >> (fail_bit % 8));
		rc = tst_write(resp, "status.failInfo", bits, (size_t)fail_bit + 1, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(resp, "status.failInfo", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(resp, "timeStampToken", token, token ? token_len : 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(resp, "", der, len, err);
	asn1_delete_structure(&resp);
	return rc;
}

int accord_tsr_parse(const unsigned char *der, size_t len, int *status, unsigned char **token,
		     size_t *token_len, accord_error *err)
{
	asn1_node resp = NULL;
	unsigned char *text = NULL, *bits = NULL;
	size_t tlen = 0, nbits = 0;
	long st = -1;
	char why[300] = "", fails[200] = "";
	int rc;

	*status = -1;
	*token = NULL;
	*token_len = 0;
	rc = tst_decode("TimeStampResp", der, len, 0, &resp, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto out;
	if (tst_read_small_int(resp, "status.status", &st) != ASN1_SUCCESS || st < 0) {
		snprintf(why, sizeof why, "PKIStatusInfo has no valid status");
		rc = ACCORD_ERR_FORMAT;
		goto out;
	}
	*status = (int)st;
	if (st == ACCORD_PKI_GRANTED || st == ACCORD_PKI_GRANTED_WITH_MODS) {
		if (tst_read(resp, "timeStampToken", token, token_len) != ASN1_SUCCESS ||
		    *token_len == 0) {
			free(*token);
			*token = NULL;
			*token_len = 0;
			snprintf(why, sizeof why, "status %s but no timeStampToken", pki_status_name(st));
			rc = ACCORD_ERR_FORMAT;
		}
		goto out;
	}
	(void)tst_read(resp, "status.statusString.?1", &text, &tlen);
	if (tst_read(resp, "status.failInfo", &bits, &nbits) == ASN1_SUCCESS) {
		for (size_t b = 0; b < nbits && b < 32; b++) {
			const char *name;
			if (!(bits[b / 8] & (0x80 >> (b % 8))))
				continue;
			name = accord_tsr_fail_name((int)b);
			snprintf(fails + strlen(fails), sizeof fails - strlen(fails), "%s%s",
				 fails[0] ? "," : "", name ? name : "unknownFailure");
		}
	}
	/* The text comes from outside: keep printable ASCII only. */
	for (size_t i = 0; text && i < tlen; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			text[i] = '?';
	snprintf(why, sizeof why, "the TSA answered %s (status %ld)%s%.*s%s%s", pki_status_name(st),
		 st, text && tlen ? ": " : "", text ? (int)(tlen > 200 ? 200 : tlen) : 0,
		 text ? (const char *)text : "", fails[0] ? "; failInfo " : "", fails);
	rc = ACCORD_ERR_FORMAT;
out:
	free(text);
	free(bits);
	asn1_delete_structure(&resp);
	if (rc == ACCORD_ERR_FORMAT)
		return accord_err(err, rc, "timestamp reply", "%s", why);
	return rc;
}

/* ------------------------------------------------------------------ tokens ---- */

/* Write GeneralNames at PREFIX holding one directoryName (DN is DER of a Name). */
static int write_dirname(asn1_node node, const char *prefix, const gnutls_datum_t *dn,
			 accord_error *err)
{
	char name[160];
	int rc;

	snprintf(name, sizeof name, "%s.directoryName", prefix);
	rc = tst_write_str(node, prefix, "directoryName", err);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, dn->data, dn->size, err);
	return rc;
}

/* signingCertificateV2 value: ESSCertIDv2 { SHA-256 (default, so omitted), certHash,
 * issuerSerial }. */
static int build_signing_cert_v2(gnutls_x509_crt_t cert, const gnutls_datum_t *cert_der,
				 unsigned char **out, size_t *len, accord_error *err)
{
	asn1_node sc = NULL;
	unsigned char hash[32], serial[64];
	size_t serial_len = sizeof serial;
	gnutls_datum_t issuer = {NULL, 0};
	int rc, grc;

	grc = gnutls_hash_fast(GNUTLS_DIG_SHA256, cert_der->data, cert_der->size, hash);
	if (grc < 0)
		return accord_err_gnutls(err, "timestamp", "gnutls_hash_fast", grc);
	grc = gnutls_x509_crt_get_raw_issuer_dn(cert, &issuer);
	if (grc < 0)
		return accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_raw_issuer_dn", grc);
	grc = gnutls_x509_crt_get_serial(cert, serial, &serial_len);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_serial", grc);
		goto out;
	}
	rc = tst_node_new("SigningCertificateV2", &sc, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sc, "certs", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "certs.?1.hashAlgorithm", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "certs.?1.certHash", hash, sizeof hash, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sc, "certs.?1.issuerSerial.issuer", "NEW", err);
	if (rc == ACCORD_OK)
		rc = write_dirname(sc, "certs.?1.issuerSerial.issuer.?1", &issuer, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "certs.?1.issuerSerial.serialNumber", serial, serial_len, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "policies", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(sc, "", out, len, err);
out:
	gnutls_free(issuer.data);
	asn1_delete_structure(&sc);
	return rc;
}

/* Encode a single value of type TYPE (AttrOID, AttrOctets, AttrUTCTime). */
static int encode_value(const char *type, const void *v, size_t vlen, unsigned char **out,
			size_t *len, accord_error *err)
{
	asn1_node node = NULL;
	int rc = tst_node_new(type, &node, err);

	if (rc == ACCORD_OK)
		rc = tst_write(node, "", v, vlen, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(node, "", out, len, err);
	asn1_delete_structure(&node);
	return rc;
}

/* Append one signed attribute (OID, one DER value) to signerInfos.?1.signedAttrs. */
static int add_attr(asn1_node sd, const char *oid, const unsigned char *value, size_t vlen,
		    accord_error *err)
{
	int rc = tst_write_str(sd, "signerInfos.?1.signedAttrs", "NEW", err);

	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.signedAttrs.?LAST.attrType", oid, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.signedAttrs.?LAST.attrValues", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.signedAttrs.?LAST.attrValues.?LAST", value, vlen, err);
	return rc;
}

static int build_tstinfo(const accord_tst_params *p, gnutls_x509_crt_t cert, unsigned char **out,
			 size_t *len, accord_error *err)
{
	asn1_node tst = NULL;
	unsigned char ibuf[ACCORD_TST_MAX_NONCE + 40];
	gnutls_datum_t subject = {NULL, 0};
	char when[32];
	struct tm tm;
	int rc, grc;

	if (!gmtime_r(&p->gen_time, &tm) || strftime(when, sizeof when, "%Y%m%d%H%M%SZ", &tm) != 15)
		return accord_err(err, ACCORD_ERR_USAGE, "timestamp", "time out of range");
	if (p->serial_len == 0 || p->serial_len > 20 || p->nonce_len > ACCORD_TST_MAX_NONCE)
		return accord_err(err, ACCORD_ERR_USAGE, "timestamp", "bad serial or nonce length");
	rc = tst_node_new("TSTInfo", &tst, err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(tst, "version", "1", err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(tst, "policy", p->policy, err);
	if (rc == ACCORD_OK)
		rc = write_digest_alg(tst, "messageImprint.hashAlgorithm", p->imprint_alg,
				      p->imprint_params_null, err);
	if (rc == ACCORD_OK)
		rc = tst_write(tst, "messageImprint.hashedMessage", p->imprint, p->imprint_len, err);
	if (rc == ACCORD_OK)
		rc = tst_write(tst, "serialNumber", ibuf, int_positive(p->serial, p->serial_len, ibuf),
			       err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(tst, "genTime", when, err);
	if (rc == ACCORD_OK && p->accuracy_seconds) {
		char secs[16];
		snprintf(secs, sizeof secs, "%u", p->accuracy_seconds);
		rc = tst_write_int(tst, "accuracy.seconds", secs, err);
		if (rc == ACCORD_OK)
			rc = tst_write(tst, "accuracy.millis", NULL, 0, err);
		if (rc == ACCORD_OK)
			rc = tst_write(tst, "accuracy.micros", NULL, 0, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(tst, "accuracy", NULL, 0, err);
	}
	if (rc == ACCORD_OK && p->nonce)
		rc = tst_write(tst, "nonce", ibuf, int_positive(p->nonce, p->nonce_len, ibuf), err);
	else if (rc == ACCORD_OK)
		rc = tst_write(tst, "nonce", NULL, 0, err);
	if (rc == ACCORD_OK && p->include_tsa_name) {
		grc = gnutls_x509_crt_get_raw_dn(cert, &subject);
		if (grc < 0)
			rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_raw_dn", grc);
		else
			rc = write_dirname(tst, "tsa", &subject, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(tst, "tsa", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(tst, "extensions", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(tst, "", out, len, err);
	gnutls_free(subject.data);
	asn1_delete_structure(&tst);
	return rc;
}

int accord_tst_build(const accord_tst_params *p, gnutls_privkey_t key, gnutls_x509_crt_t cert,
		     const gnutls_datum_t *cert_der, unsigned char **token, size_t *token_len,
		     accord_error *err)
{
	asn1_node sd = NULL, ci = NULL;
	unsigned char *tstinfo = NULL, *v = NULL, *attrs = NULL, *sd_der = NULL;
	size_t tstinfo_len = 0, vlen = 0, attrs_len = 0, sd_len = 0;
	unsigned char md[64], serial[64];
	size_t serial_len = sizeof serial;
	gnutls_datum_t issuer = {NULL, 0}, sig = {NULL, 0}, tbs;
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_SHA256;
	gnutls_sign_algorithm_t salg;
	unsigned bits = 0;
	int pk, rc, grc;
	const char *soid;
	char when[32];
	struct tm tm;

	*token = NULL;
	*token_len = 0;
	if (p->digest != GNUTLS_DIG_UNKNOWN)
		dig = p->digest;
	pk = gnutls_privkey_get_pk_algorithm(key, &bits);
	if (pk == GNUTLS_PK_EDDSA_ED25519) {
		dig = GNUTLS_DIG_SHA512; /* RFC 8419: SHA-512 with Ed25519 and signed attributes */
		salg = GNUTLS_SIGN_EDDSA_ED25519;
	} else {
		salg = gnutls_pk_to_sign(pk, dig);
	}
	soid = gnutls_sign_get_oid(salg);
	if (salg == GNUTLS_SIGN_UNKNOWN || !soid)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "timestamp",
				  "no CMS signature algorithm for key type %s",
				  gnutls_pk_get_name(pk));

	rc = build_tstinfo(p, cert, &tstinfo, &tstinfo_len, err);
	if (rc != ACCORD_OK)
		goto out;
	grc = gnutls_x509_crt_get_raw_issuer_dn(cert, &issuer);
	if (grc >= 0)
		grc = gnutls_x509_crt_get_serial(cert, serial, &serial_len);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_serial", grc);
		goto out;
	}

	rc = tst_node_new("SignedData", &sd, err);
	/* version 3: the eContentType is not id-data (RFC 5652 5.1) */
	if (rc == ACCORD_OK)
		rc = tst_write_int(sd, "version", "3", err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "digestAlgorithms", "NEW", err);
	if (rc == ACCORD_OK)
		rc = write_digest_alg(sd, "digestAlgorithms.?LAST", dig, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "encapContentInfo.eContentType", ACCORD_OID_TSTINFO, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "encapContentInfo.eContent", tstinfo, tstinfo_len, err);
	if (rc == ACCORD_OK && (p->include_cert || p->chain_len)) {
		if (p->include_cert) {
			rc = tst_write_str(sd, "certificates", "NEW", err);
			if (rc == ACCORD_OK)
				rc = tst_write(sd, "certificates.?LAST", cert_der->data, cert_der->size, err);
		}
		for (size_t i = 0; rc == ACCORD_OK && i < p->chain_len; i++) {
			gnutls_datum_t d = {NULL, 0};
			grc = gnutls_x509_crt_export2(p->chain[i], GNUTLS_X509_FMT_DER, &d);
			if (grc < 0) {
				rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_export2", grc);
				break;
			}
			rc = tst_write_str(sd, "certificates", "NEW", err);
			if (rc == ACCORD_OK)
				rc = tst_write(sd, "certificates.?LAST", d.data, d.size, err);
			gnutls_free(d.data);
		}
	} else if (rc == ACCORD_OK) {
		rc = tst_write(sd, "certificates", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "crls", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(sd, "signerInfos.?1.version", "1", err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.sid", "issuerAndSerialNumber", err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.sid.issuerAndSerialNumber.issuer", issuer.data,
			       issuer.size, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.sid.issuerAndSerialNumber.serialNumber", serial,
			       serial_len, err);
	if (rc == ACCORD_OK)
		rc = write_digest_alg(sd, "signerInfos.?1.digestAlgorithm", dig, 0, err);

	/* Signed attributes: contentType, messageDigest, signingTime, signingCertificateV2. */
	if (rc == ACCORD_OK)
		rc = encode_value("AttrOID", ACCORD_OID_TSTINFO, strlen(ACCORD_OID_TSTINFO), &v, &vlen, err);
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_CONTENT_TYPE, v, vlen, err);
	free(v);
	v = NULL;
	if (rc == ACCORD_OK) {
		grc = gnutls_hash_fast(dig, tstinfo, tstinfo_len, md);
		if (grc < 0)
			rc = accord_err_gnutls(err, "timestamp", "gnutls_hash_fast", grc);
	}
	if (rc == ACCORD_OK)
		rc = encode_value("AttrOctets", md, gnutls_hash_get_len(dig), &v, &vlen, err);
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_MESSAGE_DIGEST, v, vlen, err);
	free(v);
	v = NULL;
	if (rc == ACCORD_OK) {
		/* UTCTime until 2049 (RFC 5652 11.3), GeneralizedTime after. */
		int utc = gmtime_r(&p->gen_time, &tm) && tm.tm_year < 150;
		if (utc)
			snprintf(when, sizeof when, "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		else
			strftime(when, sizeof when, "%Y%m%d%H%M%SZ", &tm);
		rc = encode_value(utc ? "AttrUTCTime" : "AttrGeneralizedTime", when, strlen(when), &v,
				  &vlen, err);
	}
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_SIGNING_TIME, v, vlen, err);
	free(v);
	v = NULL;
	if (rc == ACCORD_OK)
		rc = build_signing_cert_v2(cert, cert_der, &v, &vlen, err);
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_SIGNING_CERT_V2, v, vlen, err);
	free(v);
	v = NULL;

	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.signatureAlgorithm.algorithm", soid, err);
	if (rc == ACCORD_OK) {
		/* RSA AlgorithmIdentifiers carry NULL parameters; ECDSA and EdDSA none. */
		if (pk == GNUTLS_PK_RSA)
			rc = tst_write(sd, "signerInfos.?1.signatureAlgorithm.parameters", "\x05\x00", 2, err);
		else
			rc = tst_write(sd, "signerInfos.?1.signatureAlgorithm.parameters", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.unsignedAttrs", NULL, 0, err);
	/* The signature covers the DER SET OF the attributes: the stored [0] with tag 0x31. */
	if (rc == ACCORD_OK)
		rc = tst_encode(sd, "signerInfos.?1.signedAttrs", &attrs, &attrs_len, err);
	if (rc != ACCORD_OK)
		goto out;
	if (attrs_len < 2 || attrs[0] != 0xa0) {
		rc = accord_err(err, ACCORD_ERR_CRYPTO, "timestamp", "unexpected signed attributes encoding");
		goto out;
	}
	attrs[0] = 0x31;
	tbs.data = attrs;
	tbs.size = (unsigned)attrs_len;
	grc = gnutls_privkey_sign_data2(key, salg, 0, &tbs, &sig);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_privkey_sign_data2", grc);
		goto out;
	}
	rc = tst_write(sd, "signerInfos.?1.signature", sig.data, sig.size, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(sd, "", &sd_der, &sd_len, err);
	if (rc == ACCORD_OK)
		rc = tst_node_new("ContentInfo", &ci, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(ci, "contentType", OID_SIGNED_DATA, err);
	if (rc == ACCORD_OK)
		rc = tst_write(ci, "content", sd_der, sd_len, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(ci, "", token, token_len, err);
out:
	free(tstinfo);
	free(v);
	free(attrs);
	free(sd_der);
	gnutls_free(issuer.data);
	gnutls_free(sig.data);
	asn1_delete_structure(&sd);
	asn1_delete_structure(&ci);
	return rc;
}

/* ----------------------------------------------------------- verification ---- */

/* What the structural parse of a token yields. */
typedef struct tst_parsed {
	asn1_node ci, sd, info;
	unsigned char *sd_der, *econtent;
	size_t sd_len, econtent_len;
	gnutls_digest_algorithm_t imprint_alg;
	unsigned char *imprint;
	size_t imprint_len;
} tst_parsed;

static void tst_parsed_free(tst_parsed *t)
{
	asn1_delete_structure(&t->ci);
	asn1_delete_structure(&t->sd);
	asn1_delete_structure(&t->info);
	free(t->sd_der);
	free(t->econtent);
	free(t->imprint);
	memset(t, 0, sizeof *t);
}

void accord_tst_result_clear(accord_tst_result *r)
{
	if (!r)
		return;
	free(r->tsa_cert_der);
	memset(r, 0, sizeof *r);
}

/* Mark the token invalid with SUB and a reason; returns ACCORD_OK (a verdict). */
static int judged(accord_tst_result *r, const char *sub, const char *fmt, ...)
	ACCORD_PRINTF(3, 4);
static int judged(accord_tst_result *r, const char *sub, const char *fmt, ...)
{
	va_list ap;

	r->valid = 0;
	r->sub_indication = sub;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
	return ACCORD_OK;
}

/* Parse "YYYYMMDDHHMMSS[.f+]Z". */
static int parse_gentime(const char *s, time_t *out)
{
	struct tm tm;
	size_t n = strlen(s), i;
	int v[6], widths[6] = {4, 2, 2, 2, 2, 2};
	const char *p = s;

	if (n < 15 || s[n - 1] != 'Z')
		return -1;
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (int k = 0; k < widths[i]; k++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[i] = v[i] * 10 + (*p - '0');
		}
	}
	if (*p == '.') {
		p++;
		if (*p == 'Z')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != 'Z' || p[1] != '\0')
		return -1;
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*out = timegm(&tm);
	return 0;
}

/* Does element NAME of the decoded NODE re-encode to exactly its bytes in DER? */
static int same_der(asn1_node node, const unsigned char *der, size_t len, const char *name,
		    char *why, size_t whylen, accord_error *err)
{
	unsigned char *again = NULL;
	size_t again_len = 0;
	int start = 0, end = 0, rc, same;

	if (asn1_der_decoding_startEnd(node, der, (int)len, name, &start, &end) != ASN1_SUCCESS ||
	    start < 0 || end < start || (size_t)end >= len) {
		snprintf(why, whylen, "%s cannot be located", name);
		return ACCORD_ERR_FORMAT;
	}
	rc = tst_encode(node, name, &again, &again_len, err);
	if (rc != ACCORD_OK)
		return rc;
	same = again_len == (size_t)(end - start + 1) && memcmp(again, der + start, again_len) == 0;
	free(again);
	if (!same) {
		snprintf(why, whylen, "%s is not in DER form", name);
		return ACCORD_ERR_FORMAT;
	}
	return ACCORD_OK;
}

/* Structural parse: ContentInfo -> SignedData -> TSTInfo. Returns NULL or the
 * sub-indication; reason filled. Fills the descriptive fields of r. */
static const char *tst_parse(const unsigned char *token, size_t len, tst_parsed *t,
			     accord_tst_result *r, accord_error *err, int *oprc)
{
	char oid[128], why[300] = "";
	unsigned char *v = NULL;
	size_t n;
	long version;
	int rc, count = 0;
	const char *sub = SUB_FORMAT;

	*oprc = ACCORD_OK;
	rc = tst_decode("ContentInfo", token, len, 1, &t->ci, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	if (tst_read_str(t->ci, "contentType", oid, sizeof oid) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "ContentInfo has no content type");
		goto fail;
	}
	if (strcmp(oid, OID_SIGNED_DATA) != 0) {
		snprintf(why, sizeof why, "content type %s is not CMS SignedData", oid);
		sub = SUB_NO_SIGNED_DATA;
		goto fail;
	}
	if (tst_read(t->ci, "content", &t->sd_der, &t->sd_len) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "SignedData is missing");
		sub = SUB_NO_SIGNED_DATA;
		goto fail;
	}
	/* SignedData as a whole is not compared with its re-encoding: openssl writes the
	 * certificates SET OF unsorted. Its parts that matter are, below. */
	rc = tst_decode("SignedData", t->sd_der, t->sd_len, 2, &t->sd, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	rc = same_der(t->sd, t->sd_der, t->sd_len, "encapContentInfo", why, sizeof why, err);
	if (rc == ACCORD_OK)
		rc = same_der(t->sd, t->sd_der, t->sd_len, "signerInfos.?1", why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	/* RFC 5652 5.1: version 3 (or 4, 5 with other certificate forms) for a non-data
	 * eContentType; and the signer's digest algorithm is listed in digestAlgorithms. */
	if (tst_read_small_int(t->sd, "version", &version) != ASN1_SUCCESS || version < 3 ||
	    version > 5) {
		snprintf(why, sizeof why, "SignedData version is not 3");
		goto fail;
	}
	{
		char sig_dig[128], listed[128], name[64];
		int found = 0;
		if (tst_read_str(t->sd, "signerInfos.?1.digestAlgorithm.algorithm", sig_dig,
				 sizeof sig_dig) != ASN1_SUCCESS ||
		    asn1_number_of_elements(t->sd, "digestAlgorithms", &count) != ASN1_SUCCESS)
			count = 0;
		for (int i = 1; i <= count && !found; i++) {
			snprintf(name, sizeof name, "digestAlgorithms.?%d.algorithm", i);
			found = tst_read_str(t->sd, name, listed, sizeof listed) == ASN1_SUCCESS &&
				!strcmp(listed, sig_dig);
		}
		if (!found) {
			snprintf(why, sizeof why, "the signer's digest algorithm is not in digestAlgorithms");
			goto fail;
		}
		count = 0;
	}
	if (tst_read_str(t->sd, "encapContentInfo.eContentType", oid, sizeof oid) != ASN1_SUCCESS ||
	    strcmp(oid, ACCORD_OID_TSTINFO) != 0) {
		snprintf(why, sizeof why, "eContentType %s is not id-ct-TSTInfo", oid);
		goto fail;
	}
	if (tst_read(t->sd, "encapContentInfo.eContent", &t->econtent, &t->econtent_len) !=
	    ASN1_SUCCESS) {
		snprintf(why, sizeof why, "the TSTInfo is not embedded");
		goto fail;
	}
	if (asn1_number_of_elements(t->sd, "signerInfos", &count) != ASN1_SUCCESS || count != 1) {
		snprintf(why, sizeof why, "%d signers instead of exactly one", count);
		goto fail;
	}
	{
		/* RFC 5652 5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier */
		char choice[64];
		long siv = 0;
		if (tst_read_small_int(t->sd, "signerInfos.?1.version", &siv) != ASN1_SUCCESS ||
		    tst_read_str(t->sd, "signerInfos.?1.sid", choice, sizeof choice) != ASN1_SUCCESS ||
		    siv != (strcmp(choice, "subjectKeyIdentifier") ? 1 : 3)) {
			snprintf(why, sizeof why, "SignerInfo version does not fit its signer identifier");
			goto fail;
		}
	}
	rc = tst_decode("TSTInfo", t->econtent, t->econtent_len, 1, &t->info, why, sizeof why, err);
	if (rc != ACCORD_OK)
		goto fail;
	if (tst_read_small_int(t->info, "version", &version) != ASN1_SUCCESS || version != 1) {
		snprintf(why, sizeof why, "TSTInfo version is not 1");
		goto fail;
	}
	if (tst_read_str(t->info, "policy", r->policy, sizeof r->policy) != ASN1_SUCCESS) {
		snprintf(why, sizeof why, "TSTInfo has no policy");
		goto fail;
	}
	if (tst_read(t->info, "serialNumber", &v, &n) != ASN1_SUCCESS || n == 0 || (v[0] & 0x80)) {
		snprintf(why, sizeof why, "serialNumber is not a positive integer");
		goto fail;
	}
	int_hex(v, n, r->serial_hex, sizeof r->serial_hex);
	free(v);
	v = NULL;
	if (tst_read_str(t->info, "genTime", r->gen_time_text, sizeof r->gen_time_text) !=
		    ASN1_SUCCESS ||
	    parse_gentime(r->gen_time_text, &r->gen_time) != 0) {
		snprintf(why, sizeof why, "genTime '%s' is not a UTC GeneralizedTime", r->gen_time_text);
		goto fail;
	}
	{
		long s = 0, ms = 0, us = 0;
		int a = tst_read_small_int(t->info, "accuracy.seconds", &s);
		int b = tst_read_small_int(t->info, "accuracy.millis", &ms);
		int c = tst_read_small_int(t->info, "accuracy.micros", &us);
		if (a == ASN1_SUCCESS || b == ASN1_SUCCESS || c == ASN1_SUCCESS) {
			if (s < 0 || ms < 0 || ms > 999 || us < 0 || us > 999) {
				snprintf(why, sizeof why, "accuracy out of range");
				goto fail;
			}
			r->has_accuracy = 1;
			r->accuracy_seconds = (unsigned)s;
			r->accuracy_millis = (unsigned)ms;
			r->accuracy_micros = (unsigned)us;
		}
	}
	{
		unsigned char nonce[ACCORD_TST_MAX_NONCE];
		size_t nlen = 0;
		if (read_positive(t->info, "nonce", nonce, sizeof nonce, &nlen, &r->has_nonce, why,
				  sizeof why) != ACCORD_OK)
			goto fail;
		if (r->has_nonce)
			int_hex(nonce, nlen, r->nonce_hex, sizeof r->nonce_hex);
	}
	if (tst_read_str(t->info, "messageImprint.hashAlgorithm.algorithm", oid, sizeof oid) !=
		    ASN1_SUCCESS ||
	    tst_read(t->info, "messageImprint.hashedMessage", &t->imprint, &t->imprint_len) !=
		    ASN1_SUCCESS) {
		snprintf(why, sizeof why, "messageImprint is incomplete");
		goto fail;
	}
	t->imprint_alg = gnutls_oid_to_digest(oid);
	snprintf(r->imprint_alg, sizeof r->imprint_alg, "%.15s",
		 t->imprint_alg != GNUTLS_DIG_UNKNOWN ? gnutls_digest_get_name(t->imprint_alg) : oid);
	return NULL;
fail:
	free(v);
	if (rc != ACCORD_OK && rc != ACCORD_ERR_FORMAT) { /* an operational failure */
		*oprc = rc;
		return SUB_FORMAT;
	}
	snprintf(r->reason, sizeof r->reason, "%s", why);
	return sub;
}

int accord_tst_imprint_alg(const unsigned char *token, size_t len,
			   gnutls_digest_algorithm_t *alg, accord_error *err)
{
	tst_parsed t;
	accord_tst_result r;
	int oprc;
	const char *sub;

	memset(&t, 0, sizeof t);
	memset(&r, 0, sizeof r);
	sub = tst_parse(token, len, &t, &r, err, &oprc);
	*alg = t.imprint_alg;
	tst_parsed_free(&t);
	if (oprc != ACCORD_OK)
		return oprc;
	if (sub)
		return accord_err(err, ACCORD_ERR_FORMAT, "timestamp token", "%s", r.reason);
	if (*alg == GNUTLS_DIG_UNKNOWN)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "timestamp token",
				  "unknown imprint algorithm %s", r.imprint_alg);
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

static int crt_same(gnutls_x509_crt_t a, gnutls_x509_crt_t b)
{
	return gnutls_x509_crt_equals(a, b) != 0;
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
		ok = dn.size == alen && memcmp(dn.data, a, alen) == 0 && int_equal(buf, n, b, blen);
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
		    !int_equal(serial, slen, cserial, cslen)) {
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

/* EKU of a TSA certificate (RFC 3161 2.3): present, critical, timeStamping only. */
static int eku_ok(gnutls_x509_crt_t cert, char *why, size_t whylen)
{
	char oid[128];
	size_t n;
	unsigned critical = 0;
	int count = 0, rc, ts = 0, crit = 0;

	for (unsigned i = 0;; i++) {
		n = sizeof oid;
		rc = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &n, &critical);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			snprintf(why, whylen, "extended key usage unreadable: %s", gnutls_strerror(rc));
			return 0;
		}
		count++;
		crit = critical != 0;
		if (!strcmp(oid, ACCORD_OID_KP_TIMESTAMPING))
			ts = 1;
	}
	if (!ts) {
		snprintf(why, whylen, "the TSA certificate has no timeStamping extended key usage");
		return 0;
	}
	if (count != 1) {
		snprintf(why, whylen, "the TSA certificate's extended key usage has other purposes");
		return 0;
	}
	if (!crit) {
		snprintf(why, whylen, "the TSA certificate's extended key usage is not critical");
		return 0;
	}
	return 1;
}

static void crt_cn(gnutls_x509_crt_t cert, char *out, size_t size)
{
	size_t n = size;

	if (gnutls_x509_crt_get_dn_by_oid(cert, GNUTLS_OID_X520_COMMON_NAME, 0, 0, out, &n) < 0)
		snprintf(out, size, "(no common name)");
}

/* Find the issuer of CUR among LIST, not already used in CHAIN. */
static gnutls_x509_crt_t find_issuer(gnutls_x509_crt_t cur, gnutls_x509_crt_t *list, size_t n,
				     gnutls_x509_crt_t *chain, size_t chain_len)
{
	for (size_t i = 0; i < n; i++) {
		int used = 0;
		if (!gnutls_x509_crt_check_issuer(cur, list[i]))
			continue;
		for (size_t k = 0; k < chain_len; k++)
			used |= crt_same(chain[k], list[i]);
		if (!used)
			return list[i];
	}
	return NULL;
}

int accord_tst_verify(const unsigned char *token, size_t len, gnutls_digest_algorithm_t alg,
		      const unsigned char *digest, size_t dlen, const unsigned char *nonce,
		      size_t nonce_len, const gnutls_x509_crt_t *anchors, size_t n_anchors,
		      const gnutls_x509_crt_t *extra, size_t n_extra, accord_tst_result *out,
		      accord_error *err)
{
	tst_parsed t;
	gnutls_x509_crt_t pool[MAX_TOKEN_CERTS + 64], chain[MAX_CHAIN], signer = NULL, top_anchor = NULL;
	size_t n_pool = 0, n_token = 0, chain_len = 0;
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_pkcs7_t p7 = NULL;
	gnutls_datum_t d;
	unsigned char *v = NULL;
	size_t vlen = 0;
	char why[300] = "", oid[128];
	const char *sub;
	int rc = ACCORD_OK, grc, count = 0, ess;
	unsigned status = 0;

	memset(&t, 0, sizeof t);
	memset(out, 0, sizeof *out);

	sub = tst_parse(token, len, &t, out, err, &rc);
	if (rc != ACCORD_OK)
		goto out;
	if (sub) { /* reason already written by tst_parse */
		out->valid = 0;
		out->sub_indication = sub;
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

	/* The data: messageImprint, then the nonce of our request. */
	if (t.imprint_alg != alg || t.imprint_len != dlen || memcmp(t.imprint, digest, dlen) != 0) {
		rc = judged(out, SUB_HASH, "the token's messageImprint (%s) is not the expected %s digest",
			    out->imprint_alg, gnutls_digest_get_name(alg));
		goto out;
	}
	if (nonce) {
		unsigned char got[ACCORD_TST_MAX_NONCE];
		size_t glen = 0;
		int present = 0;
		(void)read_positive(t.info, "nonce", got, sizeof got, &glen, &present, why, sizeof why);
		if (!present || !int_equal(got, glen, nonce, nonce_len)) {
			rc = judged(out, SUB_SIG_CONSTRAINTS,
				    present ? "the token's nonce differs from the request's"
					    : "the token has no nonce although the request had one");
			goto out;
		}
	}

	if (!eku_ok(signer, why, sizeof why)) {
		rc = judged(out, SUB_CHAIN_CONSTRAINTS, "%s", why);
		goto out;
	}

	/* Path: the signer, then issuers from the token and extra certificates, until one
	 * is issued by (or is) a trust anchor. */
	chain[chain_len++] = signer;
	while (chain_len < MAX_CHAIN) {
		gnutls_x509_crt_t cur = chain[chain_len - 1], next;
		int anchored = 0;
		for (size_t i = 0; i < n_anchors && !anchored; i++) {
			if (crt_same(cur, anchors[i]) || gnutls_x509_crt_check_issuer(cur, anchors[i])) {
				top_anchor = anchors[i];
				anchored = 1;
			}
		}
		if (anchored)
			break;
		next = find_issuer(cur, pool, n_pool, chain, chain_len);
		if (!next || gnutls_x509_crt_check_issuer(cur, cur))
			break;
		chain[chain_len++] = next;
	}
	if ((grc = gnutls_x509_trust_list_init(&tl, 0)) < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_trust_list_init", grc);
		goto out;
	}
	for (size_t i = 0; i < n_anchors; i++) {
		gnutls_x509_crt_t copy = NULL;
		if (crt_copy(anchors[i], &copy) < 0)
			continue;
		if (gnutls_x509_trust_list_add_cas(tl, &copy, 1, 0) != 1)
			gnutls_x509_crt_deinit(copy);
	}
	{
		gnutls_typed_vdata_st vd = {GNUTLS_DT_KEY_PURPOSE_OID,
					    (unsigned char *)ACCORD_OID_KP_TIMESTAMPING, 0};
		grc = gnutls_x509_trust_list_verify_crt2(
			tl, chain, (unsigned)chain_len, &vd, 1,
			GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
			&status, NULL);
	}
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_trust_list_verify_crt2", grc);
		goto out;
	}
	if (status != 0) {
		gnutls_datum_t txt = {NULL, 0};
		const char *s;
		if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA) || !top_anchor)
			s = SUB_NO_CHAIN;
		else if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
			s = SUB_CHAIN_CONSTRAINTS;
		else
			s = SUB_CHAIN_GENERAL;
		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &txt, 0);
		rc = judged(out, s, "no trusted path for TSA certificate '%s': %s", out->tsa_name,
			    txt.data ? (const char *)txt.data : "verification failed");
		gnutls_free(txt.data);
		goto out;
	}
	/* Validity of every certificate on the path, the anchor included, at genTime. */
	for (size_t i = 0; i <= chain_len; i++) {
		gnutls_x509_crt_t c = i < chain_len ? chain[i] : top_anchor;
		char cn[256];
		if (!c || (i == chain_len && crt_same(c, chain[chain_len - 1])))
			continue;
		crt_cn(c, cn, sizeof cn);
		if (out->gen_time < gnutls_x509_crt_get_activation_time(c)) {
			rc = judged(out, SUB_OUT_OF_BOUNDS,
				    "genTime %s is before certificate '%s' became valid", out->gen_time_text, cn);
			goto out;
		}
		if (out->gen_time > gnutls_x509_crt_get_expiration_time(c)) {
			rc = judged(out, SUB_EXPIRED, "genTime %s is after certificate '%s' expired",
				    out->gen_time_text, cn);
			goto out;
		}
	}
	out->valid = 1;
	out->sub_indication = NULL;
	snprintf(out->reason, sizeof out->reason, "timestamp by '%s' at %s is valid", out->tsa_name,
		 out->gen_time_text);
	rc = ACCORD_OK;
out:
	free(v);
	if (p7)
		gnutls_pkcs7_deinit(p7);
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (size_t i = 0; i < n_pool; i++)
		gnutls_x509_crt_deinit(pool[i]);
	tst_parsed_free(&t);
	if (rc != ACCORD_OK)
		out->valid = 0;
	return rc;
}
