/* formats/tst_internal.h — what the RFC 3161 files (tst_der.c, tsq.c, tsr.c, tst_build.c,
 * tst_parse.c, tst_verify.c) and the OCSP files (ocsp_req.c, ocsp_resp.c) share among
 * themselves: the libtasn1 helpers over formats/tst.asn; not part of any public header. */
#ifndef ACCORD_FORMATS_TST_INTERNAL_H
#define ACCORD_FORMATS_TST_INTERNAL_H
#include <stddef.h>
#include <libtasn1.h>
#include "formats/tst.h"

#define OID_SIGNED_DATA "1.2.840.113549.1.7.2"
#define OID_ATTR_CONTENT_TYPE "1.2.840.113549.1.9.3"
#define OID_ATTR_MESSAGE_DIGEST "1.2.840.113549.1.9.4"
#define OID_ATTR_SIGNING_TIME "1.2.840.113549.1.9.5"
#define OID_ATTR_SIGNING_CERT "1.2.840.113549.1.9.16.2.12"
#define OID_ATTR_SIGNING_CERT_V2 "1.2.840.113549.1.9.16.2.47"
#define OID_RSA_ENCRYPTION "1.2.840.113549.1.1.1"

#define SUB_FORMAT ACCORD_SUB_FORMAT_FAILURE
#define SUB_NO_SIGNED_DATA ACCORD_SUB_SIGNED_DATA_NOT_FOUND
#define SUB_HASH ACCORD_SUB_HASH_FAILURE
#define SUB_SIG_CRYPTO ACCORD_SUB_SIG_CRYPTO_FAILURE
#define SUB_SIG_CONSTRAINTS ACCORD_SUB_SIG_CONSTRAINTS_FAILURE
#define SUB_NO_SIGNING_CERT ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND

/* ---- tst_der.c: libtasn1 helpers ---- */

/* A new empty structure of type NAME ("TSTInfo", ...). */
int tst_node_new(const char *type, asn1_node *out, accord_error *err);

/* Decode TYPE; the whole input must be consumed. strict: 0 BER tolerated, 1 DER and
 * identical on re-encoding, 2 DER flag only (see same_der in tst_parse.c). Returns 0 or
 * fills why. */
int tst_decode(const char *type, const unsigned char *der, size_t len, int strict,
	       asn1_node *out, char *why, size_t whylen, accord_error *err);

/* DER of NODE (or its sub-element NAME, "" for all); *out malloc'd. */
int tst_encode(asn1_node node, const char *name, unsigned char **out, size_t *len,
	       accord_error *err);

/* Read a value of any length (*out malloc'd, NUL-terminated for convenience).
 * ASN1_ELEMENT_NOT_FOUND etc. are returned as is (ASN1 codes, not accord codes). */
int tst_read(asn1_node node, const char *name, unsigned char **out, size_t *len);

/* Read a short string value (OID, time, choice name) into buf (ASN1 codes). */
int tst_read_str(asn1_node node, const char *name, char *buf, size_t size);

/* A small INTEGER (version, accuracy) (ASN1 codes). */
int tst_read_small_int(asn1_node node, const char *name, long *out);

int tst_write(asn1_node node, const char *name, const void *value, size_t len,
	      accord_error *err);
int tst_write_str(asn1_node node, const char *name, const char *value, accord_error *err);

/* An INTEGER from a decimal string. */
int tst_write_int(asn1_node node, const char *name, const char *decimal, accord_error *err);

/* Minimal two's complement content of a positive integer; buf holds len + 1. */
size_t tst_int_positive(const unsigned char *in, size_t len, unsigned char *buf);

/* Hex of a big-endian unsigned value without leading zeros. */
void tst_int_hex(const unsigned char *in, size_t len, char *out, size_t size);

/* Equal big-endian unsigned values, leading zeros ignored. */
int tst_int_equal(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen);

/* Write an AlgorithmIdentifier of a digest at PREFIX (params: absent, or NULL if asked). */
int tst_write_digest_alg(asn1_node node, const char *prefix, gnutls_digest_algorithm_t alg,
			 int params_null, accord_error *err);

/* Is the content of an INTEGER minimal two's complement (DER)? */
int tst_int_minimal(const unsigned char *v, size_t n);

/* Parameters of a digest AlgorithmIdentifier: 1 NULL, 0 absent, -1 anything else. */
int tst_digest_params(asn1_node node, const char *name);

/* Was element NAME present in the decoded bytes (OPTIONAL or DEFAULT element)? */
int tst_present(asn1_node node, const char *name);

/* Read an optional positive INTEGER (nonce) in minimal form into out. */
int tst_read_positive(asn1_node node, const char *name, unsigned char *out, size_t max,
		      size_t *olen, int *present, char *why, size_t whylen);

/* ---- tst_parse.c: structural parse of a token ---- */

/* What the structural parse of a token yields. */
typedef struct tst_parsed {
	asn1_node ci, sd, info;
	unsigned char *sd_der, *econtent;
	size_t sd_len, econtent_len;
	gnutls_digest_algorithm_t imprint_alg;
	unsigned char *imprint;
	size_t imprint_len;
} tst_parsed;

void tst_parsed_free(tst_parsed *t);

/* Structural parse: ContentInfo -> SignedData -> TSTInfo. Returns ACCORD_SUB_NONE or the
 * sub-indication; reason filled. Fills the descriptive fields of r. An operational
 * failure is returned in *oprc. */
accord_subindication tst_parse(const unsigned char *token, size_t len, tst_parsed *t,
		      accord_tst_result *r, accord_error *err, int *oprc);

#endif
