/* formats/tst.h — RFC 3161 requests, replies and tokens in DER (libtasn1 + GnuTLS):
 * build, parse strictly, verify a token as of its genTime (internal API). */
#ifndef ACCORD_FORMATS_TST_H
#define ACCORD_FORMATS_TST_H
#include <stddef.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include "accord/tsa.h"
#include "util/internal.h"

#define ACCORD_OID_TSTINFO "1.2.840.113549.1.9.16.1.4"
#define ACCORD_OID_KP_TIMESTAMPING "1.3.6.1.5.5.7.3.8"
#define ACCORD_TST_MAX_DIGEST 64
#define ACCORD_TST_MAX_NONCE 32

/* PKIStatus values. */
enum {
	ACCORD_PKI_GRANTED = 0,
	ACCORD_PKI_GRANTED_WITH_MODS = 1,
	ACCORD_PKI_REJECTION = 2,
	ACCORD_PKI_WAITING = 3,
	ACCORD_PKI_REVOCATION_WARNING = 4,
	ACCORD_PKI_REVOCATION_NOTIFICATION = 5
};

/* PKIFailureInfo bit numbers. */
enum {
	ACCORD_FAIL_BAD_ALG = 0,
	ACCORD_FAIL_BAD_REQUEST = 2,
	ACCORD_FAIL_BAD_DATA_FORMAT = 5,
	ACCORD_FAIL_TIME_NOT_AVAILABLE = 14,
	ACCORD_FAIL_UNACCEPTED_POLICY = 15,
	ACCORD_FAIL_UNACCEPTED_EXTENSION = 16,
	ACCORD_FAIL_ADD_INFO_NOT_AVAILABLE = 17,
	ACCORD_FAIL_SYSTEM_FAILURE = 25
};

/* A parsed TimeStampReq. */
typedef struct accord_tsq {
	gnutls_digest_algorithm_t alg;  /* GNUTLS_DIG_UNKNOWN when the OID is not known */
	char alg_oid[128];
	int alg_params_null;            /* parameters written as NULL (else absent) */
	unsigned char digest[ACCORD_TST_MAX_DIGEST];
	size_t digest_len;
	char policy[128];               /* "" when absent */
	int has_nonce;
	unsigned char nonce[ACCORD_TST_MAX_NONCE]; /* minimal positive big-endian */
	size_t nonce_len;
	int cert_req;
	int has_extensions;
} accord_tsq;

/* Build a TimeStampReq: version 1, messageImprint (alg, digest), nonce (8 bytes, or
 * NULL for none), certReq. *der is malloc'd. */
int accord_tsq_build(gnutls_digest_algorithm_t alg, const unsigned char *digest, size_t dlen,
		     const unsigned char *nonce, int cert_req, unsigned char **der, size_t *len,
		     accord_error *err);

/* Parse a TimeStampReq strictly: DER only, version 1, digest length matching a known
 * algorithm (an unknown algorithm is returned with alg GNUTLS_DIG_UNKNOWN so that a TSA
 * can answer badAlg), nonce at most 32 bytes. ACCORD_ERR_FORMAT when malformed. */
int accord_tsq_parse(const unsigned char *der, size_t len, accord_tsq *out, accord_error *err);

/* Parse a TimeStampResp. *status receives the PKIStatus. For granted and
 * grantedWithMods, *token (malloc'd) receives the TimeStampToken DER. A rejection (or
 * any other status) gives ACCORD_ERR_FORMAT with the status, its text and failInfo in
 * err, and *token NULL. */
int accord_tsr_parse(const unsigned char *der, size_t len, int *status, unsigned char **token,
		     size_t *token_len, accord_error *err);

/* Check the bytes of a TimeStampToken (see accord_tst_result for the sub-indications):
 * the CMS signature (GnuTLS), eContentType id-ct-TSTInfo, TSTInfo version 1,
 * messageImprint equal to (alg, digest), nonce equal when expected (nonce NULL: not
 * checked; else nonce_len bytes big-endian), the TSA certificate found in the token or in
 * EXTRA and ESS signingCertificate(V2) matching it (out->tsa_cert_der). No trust decision:
 * out->valid 1 means "well formed and signed by that certificate"; whether to believe the
 * TSA is verify/'s accord_timestamp_validate. An error code only for operational failures. */
int accord_tst_check(const unsigned char *token, size_t len, gnutls_digest_algorithm_t alg,
		     const unsigned char *digest, size_t dlen, const unsigned char *nonce,
		     size_t nonce_len, const gnutls_x509_crt_t *extra, size_t n_extra,
		     accord_tst_result *out, accord_error *err);

/* Read the messageImprint algorithm of a token (to know how to hash before verifying). */
int accord_tst_imprint_alg(const unsigned char *token, size_t len,
			   gnutls_digest_algorithm_t *alg, accord_error *err);

/* What a TSA puts into one token. */
typedef struct accord_tst_params {
	const char *policy;               /* OID */
	gnutls_digest_algorithm_t digest; /* of the CMS signature; 0: SHA-256 (Ed25519: SHA-512) */
	gnutls_digest_algorithm_t imprint_alg;
	int imprint_params_null;          /* echo the request's NULL parameters */
	const unsigned char *imprint;
	size_t imprint_len;
	const unsigned char *serial;      /* big-endian, positive */
	size_t serial_len;
	time_t gen_time;
	unsigned accuracy_seconds;        /* 0: no accuracy field */
	const unsigned char *nonce;       /* big-endian positive, NULL for none */
	size_t nonce_len;
	int include_tsa_name;             /* tsa [0] directoryName of the TSA subject */
	int include_cert;                 /* certificates [0] with the TSA certificate */
	gnutls_x509_crt_t const *chain;   /* further certificates to include (may be NULL) */
	size_t chain_len;
} accord_tst_params;

/* Build and sign a TimeStampToken (CMS SignedData v3 over a TSTInfo) with KEY and its
 * certificate CERT (DER in cert_der). *token is malloc'd. */
int accord_tst_build(const accord_tst_params *p, gnutls_privkey_t key, gnutls_x509_crt_t cert,
		     const gnutls_datum_t *cert_der, unsigned char **token, size_t *token_len,
		     accord_error *err);

/* Build a TimeStampResp: status, optional status text, failInfo bit (-1 for none),
 * and the token (NULL for none). *der is malloc'd. */
int accord_tsr_build(int status, const char *text, int fail_bit, const unsigned char *token,
		     size_t token_len, unsigned char **der, size_t *len, accord_error *err);

/* "badRequest", ... for a failInfo bit; NULL if unknown. */
const char *accord_tsr_fail_name(int bit);

#endif
