/* formats/tst_der.c — shared libtasn1 helpers for RFC 3161: the definitions loaded once,
 * strict DER decoding (with a re-encoding check), encoding, reading and writing values. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "formats/tst_internal.h"

extern const asn1_static_node accord_tst_asn1_tab[];

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
int tst_node_new(const char *type, asn1_node *out, accord_error *err)
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

/* Decode TYPE; the whole input must be consumed. strict: 0 BER tolerated, 1 DER and
 * identical on re-encoding, 2 DER flag only (see same_der in tst_parse.c). Returns 0 or
 * fills why. */
int tst_decode(const char *type, const unsigned char *der, size_t len, int strict,
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
int tst_encode(asn1_node node, const char *name, unsigned char **out, size_t *len,
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
int tst_read(asn1_node node, const char *name, unsigned char **out, size_t *len)
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
int tst_read_str(asn1_node node, const char *name, char *buf, size_t size)
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
int tst_read_small_int(asn1_node node, const char *name, long *out)
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

int tst_write(asn1_node node, const char *name, const void *value, size_t len,
	      accord_error *err)
{
	int rc = asn1_write_value(node, name, value, (int)len);

	if (rc != ASN1_SUCCESS)
		return accord_err(err, ACCORD_ERR_CRYPTO, "libtasn1", "asn1_write_value %s: %s", name,
				  asn1_strerror(rc));
	return ACCORD_OK;
}

int tst_write_str(asn1_node node, const char *name, const char *value, accord_error *err)
{
	return tst_write(node, name, value, value ? strlen(value) : 0, err);
}

/* An INTEGER from a decimal string: libtasn1 reads it as decimal only with length 0
 * (with a length the bytes are taken as two's complement). */
int tst_write_int(asn1_node node, const char *name, const char *decimal, accord_error *err)
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
size_t tst_int_positive(const unsigned char *in, size_t len, unsigned char *buf)
{
	size_t n = 0;

	int_strip(&in, &len);
	if (len == 0 || (in[0] & 0x80))
		buf[n++] = 0;
	memcpy(buf + n, in, len);
	return n + len;
}

void tst_int_hex(const unsigned char *in, size_t len, char *out, size_t size)
{
	int_strip(&in, &len);
	if (len == 0 || 2 * len + 1 > size) {
		snprintf(out, size, len == 0 ? "0" : "(too long)");
		return;
	}
	accord_hex(in, len, out);
}

int tst_int_equal(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int_strip(&a, &alen);
	int_strip(&b, &blen);
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Write an AlgorithmIdentifier of a digest at PREFIX (params: absent, or NULL if asked). */
int tst_write_digest_alg(asn1_node node, const char *prefix, gnutls_digest_algorithm_t alg,
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

/* Read an optional positive INTEGER (nonce) in minimal form into out. */
int tst_read_positive(asn1_node node, const char *name, unsigned char *out, size_t max,
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

/* Is the content of an INTEGER minimal two's complement, as DER wants (no leading 0x00
 * before a byte below 0x80, no leading 0xff before one from 0x80)? */
int tst_int_minimal(const unsigned char *v, size_t n)
{
	if (n == 0)
		return 0;
	if (n == 1)
		return 1;
	return !((v[0] == 0x00 && !(v[1] & 0x80)) || (v[0] == 0xff && (v[1] & 0x80)));
}

/* Was NAME in the decoded bytes? An absent OPTIONAL element is gone from the tree after
 * decoding; an absent DEFAULT one stays, without a value (reading it gives the default). */
int tst_present(asn1_node node, const char *name)
{
	asn1_node n = asn1_find_node(node, name);
	asn1_data_node_st d;

	if (!n)
		return 0;
	if (asn1_read_node_value(n, &d) != ASN1_SUCCESS)
		return 0;
	switch (d.type) {
	case ASN1_ETYPE_SEQUENCE:
	case ASN1_ETYPE_SEQUENCE_OF:
	case ASN1_ETYPE_SET:
	case ASN1_ETYPE_SET_OF:
	case ASN1_ETYPE_CHOICE:
		return 1;
	default:
		return d.value != NULL;
	}
}

/* Parameters of a digest AlgorithmIdentifier: absent or NULL. 1 if NULL, 0 if absent,
 * -1 if anything else. */
int tst_digest_params(asn1_node node, const char *name)
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
