/* formats/ocsp.h — RFC 6960 OCSP requests (parsed strictly, DER only) and responses
 * (built and signed) with libtasn1 and GnuTLS; bytes only, no trust decision (internal API). */
#ifndef ACCORD_FORMATS_OCSP_H
#define ACCORD_FORMATS_OCSP_H
#include <stddef.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <gnutls/ocsp.h>
#include "util/internal.h"

#define ACCORD_OCSP_MAX_REQUEST (16 * 1024) /* bytes of one OCSPRequest */
#define ACCORD_OCSP_MAX_CERTIDS 32          /* CertIDs in one request */
#define ACCORD_OCSP_MAX_HASH 64
#define ACCORD_OCSP_MAX_SERIAL 32           /* INTEGER content bytes (RFC 5280: 20) */
#define ACCORD_OCSP_MAX_NONCE 64            /* the nonce extension's extnValue */

/* OCSPResponseStatus values. */
enum {
	ACCORD_OCSP_SUCCESSFUL = 0,
	ACCORD_OCSP_MALFORMED_REQUEST = 1,
	ACCORD_OCSP_INTERNAL_ERROR = 2,
	ACCORD_OCSP_TRY_LATER = 3,
	ACCORD_OCSP_SIG_REQUIRED = 5,
	ACCORD_OCSP_UNAUTHORIZED = 6
};

/* CertStatus choices. */
enum { ACCORD_OCSP_GOOD = 0, ACCORD_OCSP_REVOKED = 1, ACCORD_OCSP_UNKNOWN = 2 };

/* One CertID as the request wrote it. */
typedef struct accord_ocsp_certid {
	gnutls_digest_algorithm_t alg;   /* GNUTLS_DIG_UNKNOWN when the OID is not known */
	char alg_oid[64];
	int params_null;                 /* parameters written as NULL (else absent) */
	unsigned char name_hash[ACCORD_OCSP_MAX_HASH], key_hash[ACCORD_OCSP_MAX_HASH];
	size_t name_hash_len, key_hash_len;
	unsigned char serial[ACCORD_OCSP_MAX_SERIAL]; /* INTEGER content (minimal, positive) */
	size_t serial_len;
} accord_ocsp_certid;

/* A parsed OCSPRequest. */
typedef struct accord_ocsp_req {
	size_t n_ids;
	accord_ocsp_certid ids[ACCORD_OCSP_MAX_CERTIDS];
	int has_nonce;
	unsigned char nonce[ACCORD_OCSP_MAX_NONCE]; /* the extension's extnValue, echoed as is */
	size_t nonce_len;
	int signed_request;              /* optionalSignature present (not checked) */
} accord_ocsp_req;

/* Parse an OCSPRequest strictly: DER only (DEFAULT values not written out, minimal
 * INTEGERs, no empty SIZE (1..MAX) lists), version v1, 1..ACCORD_OCSP_MAX_CERTIDS
 * CertIDs with hash lengths that fit their algorithm, positive serials, at most one
 * nonce, no unknown critical extension. ACCORD_ERR_FORMAT (or ACCORD_ERR_LIMIT) with
 * the reason when refused. */
int accord_ocsp_req_parse(const unsigned char *der, size_t len, accord_ocsp_req *out,
			  accord_error *err);

/* Build an OCSPRequest for CertIDs (no signature), with the nonce extension (extnValue
 * bytes) when nonce is not NULL. *der malloc'd. */
int accord_ocsp_req_build(const accord_ocsp_certid *ids, size_t n, const unsigned char *nonce,
			  size_t nonce_len, unsigned char **der, size_t *len, accord_error *err);

/* One SingleResponse to write. */
typedef struct accord_ocsp_single {
	const accord_ocsp_certid *id;    /* echoed as the request wrote it */
	int status;                      /* ACCORD_OCSP_GOOD, _REVOKED, _UNKNOWN */
	time_t revoked_at;
	int reason;                      /* CRLReason, -1 for none */
	time_t this_update, next_update; /* next_update 0: none */
} accord_ocsp_single;

/* What a successful response holds. The responderID is byKey (SHA-1 of the responder's
 * subjectPublicKey), the certs field carries the responder certificate. */
typedef struct accord_ocsp_resp_params {
	time_t produced_at;
	const accord_ocsp_single *singles;
	size_t n_singles;
	const unsigned char *nonce;      /* extnValue to echo, NULL for none */
	size_t nonce_len;
	gnutls_privkey_t key;            /* signs with SHA-256 (ECDSA or RSA PKCS#1 v1.5) */
	gnutls_x509_crt_t cert;
	const gnutls_datum_t *cert_der;
} accord_ocsp_resp_params;

/* Build and sign a successful OCSPResponse (BasicOCSPResponse). *der malloc'd. */
int accord_ocsp_resp_build(const accord_ocsp_resp_params *p, unsigned char **der, size_t *len,
			   accord_error *err);

/* An OCSPResponse without responseBytes: malformedRequest, internalError, tryLater,
 * sigRequired or unauthorized. *der malloc'd. */
int accord_ocsp_resp_build_status(int status, unsigned char **der, size_t *len,
				  accord_error *err);

/* The hashes a CertID names an issuer by: DIGEST of the issuer's subject Name (DER) and
 * of its subjectPublicKey BIT STRING value. Each out holds ACCORD_OCSP_MAX_HASH. */
int accord_ocsp_issuer_hashes(gnutls_x509_crt_t issuer, gnutls_digest_algorithm_t digest,
			      unsigned char *name_hash, unsigned char *key_hash, size_t *hash_len,
			      accord_error *err);

/* The nonce of a response as a BDOC 2.1 time-mark writes it (formats/ocsp_nonce.c): the
 * nonce extension's value is a DigestInfo (RFC 8017 9.2: AlgorithmIdentifier, OCTET
 * STRING), DER, of the signature value it marks; the RFC 6960 4.4.1 form, that DigestInfo
 * inside an OCTET STRING, is read too. ACCORD_OK with the algorithm (GNUTLS_DIG_UNKNOWN if
 * its OID is not known) and the digest (at most ACCORD_OCSP_MAX_HASH bytes);
 * ACCORD_ERR_FORMAT when the response has no nonce or it holds no such DigestInfo. */
int accord_ocsp_resp_digest_nonce(gnutls_ocsp_resp_t resp, gnutls_digest_algorithm_t *alg,
				  unsigned char *digest, size_t *len);

#endif
