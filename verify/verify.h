/* verify/verify.h — internals of the verification policy: the one trust engine (paths,
 * revocation, crypto policy) and the checks built on it. */
#ifndef ACCORD_VERIFY_INTERNAL_H
#define ACCORD_VERIFY_INTERNAL_H
#include <gnutls/x509.h>
#include <gnutls/ocsp.h>
#include "accord/verify.h"
#include "formats/xades.h"
#include "formats/container.h"
#include "formats/tst.h"
#include "keys/keys.h"

#define ACCORD_MIN_RSA_BITS 1900
#define ACCORD_MAX_PATH 10
#define ACCORD_OID_KP_OCSP_SIGNING "1.3.6.1.5.5.7.3.9"

/* ---- crypto policy (verify/crypto_policy.c) ---- */
typedef struct accord_crypto_verdict {
	accord_subindication subindication; /* CRYPTO_CONSTRAINTS_FAILURE or ..._NO_POE */
	char message[256];
} accord_crypto_verdict;
/* 1 when acceptable for something that existed at poe (a proof of existence, or now). */
int accord_crypto_digest_ok(gnutls_digest_algorithm_t d, time_t poe, int allow_sha1,
			    accord_crypto_verdict *v);
int accord_crypto_key_ok(gnutls_pk_algorithm_t pk, unsigned bits, gnutls_ecc_curve_t curve,
			 time_t poe, accord_crypto_verdict *v);
int accord_crypto_pubkey_ok(gnutls_pubkey_t pub, time_t poe, accord_crypto_verdict *v);
int accord_crypto_crt_key_ok(gnutls_x509_crt_t crt, time_t poe, accord_crypto_verdict *v);
/* The same, the key's parameters remembered in m (may be NULL) per certificate. */
struct accord_memo;
int accord_crypto_crt_key_ok_in(struct accord_memo *m, gnutls_x509_crt_t crt, time_t poe,
				accord_crypto_verdict *v);
int accord_crypto_sign_ok(gnutls_sign_algorithm_t s, time_t poe, int allow_sha1,
			  accord_crypto_verdict *v);
/* The signature on a certificate by its issuer (SHA-1: with proof of existence before 2017). */
int accord_crypto_crt_sign_ok(gnutls_x509_crt_t crt, time_t poe, int allow_sha1,
			      accord_crypto_verdict *v);
/* "RSA 3072-bit key (no end date), SHA256 (no end date)": what the policy says of a
 * signer's key and digest, for the report. */
void accord_crypto_describe(gnutls_x509_crt_t crt, gnutls_digest_algorithm_t d, char *buf, size_t n);

/* ---- trust sources and evidence ---- */
/* What a certificate is validated for. */
typedef enum {
	ACCORD_PURPOSE_SIGNER,        /* signs documents: KU digitalSignature/nonRepudiation */
	ACCORD_PURPOSE_TSA,           /* critical EKU timeStamping only */
	ACCORD_PURPOSE_OCSP           /* EKU OCSPSigning */
} accord_purpose;

#define ACCORD_MAX_SERIAL 128
/* What was learnt about each CRL and OCSP response of a trust (parallel arrays): whether
 * it verifies with a given issuer key (SHA-256 key id), so that it is checked once. */
typedef struct accord_evidence_cache {
	unsigned char (*crl_key)[32];
	signed char *crl_ok;          /* 0 unknown, 1 verifies, -1 does not */
	unsigned char (*ocsp_key)[32];
	signed char *ocsp_ok;
	char (*ocsp_who)[96];
} accord_evidence_cache;
int accord_evidence_cache_init(accord_evidence_cache *c, size_t n_crls, size_t n_ocsps);
void accord_evidence_cache_clear(accord_evidence_cache *c);

/* The trust engine's memo for one run (verify/memo.c): outcomes of certificate checks
 * that depend only on the certificates they read (a link's signature, GnuTLS's checks
 * of a path), keyed by a SHA-256 over the kind of check, its flags and those
 * certificates' DER; failures are remembered as failures. */
typedef struct accord_memo_entry {
	unsigned char key[32];
	int used;
	int rc;                       /* the check's return code */
	unsigned status;              /* and its status bits */
} accord_memo_entry;
typedef struct accord_memo {
	accord_memo_entry *slots;     /* open addressing, a power of two */
	size_t cap, n;
	/* The last signer certificate described for a report, by the SHA-256 of its DER:
	 * consecutive signatures by one signer describe it once. */
	accord_cert_info *described;
	unsigned char described_key[32];
	/* Certificates carried by signatures, imported once per run (their DER, compared
	 * byte for byte): the first ACCORD_MEMO_MAX_CRTS distinct ones. */
	unsigned char **crt_der;
	size_t *crt_len;
	gnutls_x509_crt_t *crts;
	size_t n_crts;
} accord_memo;
#define ACCORD_MEMO_MAX_CRTS 256
/* The key of check kind with flags over crts (in order); extra: anything else the
 * outcome depends on (how crts divide into subject and CAs). 0, or -1 when a
 * certificate cannot be encoded (then nothing is remembered). */
int accord_memo_key(unsigned char key[32], const char *kind, unsigned flags, unsigned extra,
		    const gnutls_x509_crt_t *crts, size_t n);
/* 1 and the outcome when remembered (m may be NULL: never). */
int accord_memo_get(const accord_memo *m, const unsigned char key[32], int *rc, unsigned *status);
void accord_memo_put(accord_memo *m, const unsigned char key[32], int rc, unsigned status);
void accord_memo_free(accord_memo *m);
/* The certificate of these DER bytes: *owned 0 when m keeps it (imported once per run,
 * never to be freed by the caller), 1 when the caller must deinit it; 0, or
 * ACCORD_MEMO_NO_OBJECT (out of memory), ACCORD_MEMO_NOT_CERT (the bytes are no
 * certificate), with nothing to free. m may be NULL. */
#define ACCORD_MEMO_NO_OBJECT (-1)
#define ACCORD_MEMO_NOT_CERT (-2)
int accord_memo_import(accord_memo *m, const unsigned char *der, size_t len, gnutls_x509_crt_t *out,
		       int *owned);
/* accord_crt_describe through m's last description (m may be NULL). */
int accord_memo_describe(accord_memo *m, gnutls_x509_crt_t crt, accord_cert_info *info, accord_error *err);

/* What an anchor vouches for, and when. --trust files and the trust store vouch for every
 * purpose at every time; a trusted list's service only for the purposes of its type during
 * the periods its status history grants (verify/tsl.c). */
#define ACCORD_SCOPE_MAX_PERIODS 65
typedef struct accord_anchor_period {
	time_t from, until;           /* [from, until); until 0: still granted */
	unsigned purposes;            /* bits 1u << accord_purpose */
} accord_anchor_period;
typedef struct accord_anchor_scope {
	int always;                   /* every purpose, every time (no periods) */
	accord_anchor_period periods[ACCORD_SCOPE_MAX_PERIODS];
	size_t n_periods;
	char source[256];             /* "trusted list FILE: SERVICE TYPE", for the report */
} accord_anchor_scope;

/* Per anchor, SHA-256 of its DER, of its subject (raw DN) and of its public key: built
 * once per run (accord_anchor_index_build), so that finding an anchor for a certificate
 * is a comparison of hashes, not of certificates (thousands of anchors from a list). */
typedef struct accord_anchor_index {
	unsigned char (*der)[32];
	unsigned char (*subject)[32];
	unsigned char (*key)[32];
} accord_anchor_index;

typedef struct accord_trust {
	gnutls_x509_crt_t *anchors;   /* trust anchors (borrowed) */
	size_t n_anchors;
	const accord_anchor_index *index; /* parallel to anchors; NULL: compared one by one */
	const accord_anchor_scope *scopes; /* parallel to anchors; NULL: every anchor always */
	gnutls_x509_crl_t *crls;      /* given and embedded CRLs (borrowed) */
	size_t n_crls;
	gnutls_ocsp_resp_t *ocsps;    /* given and embedded OCSP responses (borrowed) */
	size_t n_ocsps;
	int allow_sha1;
	accord_report *report;        /* findings are added here; may be NULL */
	accord_evidence_cache *cache; /* sized for crls and ocsps; may be NULL */
	accord_memo *memo;            /* shared by every check of one run; may be NULL */
} accord_trust;


/* A validated path and what decided it. */
typedef struct accord_path {
	gnutls_x509_crt_t chain[ACCORD_MAX_PATH + 1]; /* leaf first; the anchor last (borrowed) */
	size_t n;
	int anchored;
	char fingerprints[ACCORD_MAX_PATH + 1][65];  /* of chain[i]: only when valid */
	accord_indication indication;
	accord_subindication subindication;
	char message[512];
	char revocation[256];  /* the leaf: "good by OCSP from X, produced T", ... */
	char evidence[1024];   /* every certificate of the path and what decided it */
	time_t revoked_at;     /* the leaf's revocation time when known to be revoked, else 0 */
	int leaf_rev_decided;  /* evidence decided the leaf's status (good or revoked) */
} accord_path;

/* The one trust engine: build a path from cert to an anchor, every link's signature
 * checked (helpers are untrusted candidates), GnuTLS's chain checks on the path found,
 * each certificate valid at t, its key and signature acceptable to the crypto policy
 * at crypto_at (the proof of existence of what it signed; now for a TSA, whose tokens
 * prove nothing about themselves), not revoked at t by acceptable evidence (for a TSA
 * path, not revoked for possible key compromise at any time), and the leaf fit for
 * purpose.
 * fresh_after: revocation data for the leaf must be produced at or after this time
 * (the signature timestamp; 0 for none). Judged outcomes go to out; the return code is
 * an error only for operational failures. */
int accord_path_validate(const accord_trust *t, gnutls_x509_crt_t cert,
			 const gnutls_x509_crt_t *helpers, size_t n_helpers, time_t at,
			 time_t crypto_at, time_t fresh_after, accord_purpose purpose,
			 accord_path *out, accord_error *err);

/* Only the path: cert, then issuers whose signatures verify, up to an anchor (the last
 * element). 1 when found. For collecting validation data (extend); never for believing. */
int accord_path_build(const accord_trust *t, gnutls_x509_crt_t cert,
		      const gnutls_x509_crt_t *helpers, size_t n_helpers, accord_path *p);

/* Revocation of crt issued by issuer (verify/revocation.c). */
typedef enum { ACCORD_REV_NONE, ACCORD_REV_GOOD, ACCORD_REV_REVOKED, ACCORD_REV_UNUSABLE } accord_rev_status;
typedef struct accord_rev {
	accord_rev_status status;
	time_t revoked_at;
	char text[256];
} accord_rev;
/* any_time: revocation for a reason that may be key compromise counts whenever it
 * happened (TSA paths: RFC 3161 4). */
int accord_revocation_check(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
			    time_t at, time_t fresh_after, int any_time, accord_rev *out,
			    accord_error *err);

/* BDOC 2.1 time-mark (verify/revocation.c): the earliest producedAt of an OCSP response
 * among t's about crt (issued by issuer), status good, whose nonce is the DigestInfo of
 * sig_value and which verifies as revocation evidence would (authorised responder,
 * acceptable algorithms). 1 with *when and the responder's name, else 0. */
int accord_ocsp_time_mark(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
			  const unsigned char *sig_value, size_t sig_len, time_t *when, char *who,
			  size_t whon);

/* May anchor i of t vouch for purpose at time at? (its scope; verify/trust.c) */
/* Build (or free, with n_anchors 0 after use) the index of t's anchors. */
int accord_anchor_index_build(accord_trust *t, accord_anchor_index *ix);
void accord_anchor_index_free(accord_anchor_index *ix);
int accord_anchor_serves(const accord_trust *t, size_t i, accord_purpose purpose, time_t at);

/* Does issuer's key verify crt's signature, issuer being a CA? (verify/trust.c) */
int accord_link_ok(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer);
int accord_crt_equal(gnutls_x509_crt_t a, gnutls_x509_crt_t b);
/* Same subject and same public key (a re-issued copy of one certificate). */
int accord_crt_same_key_and_name(gnutls_x509_crt_t a, gnutls_x509_crt_t b);

/* A finding in the report (deduplicated; capped). */
void accord_finding_add(accord_report *r, const char *rule, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- timestamps (verify/timestamp.c) ---- */
/* Verify a token over (alg, digest) and validate its TSA's path at genTime through the
 * engine (revocation evidence of t applies); out->valid and out->reason as formats/tst. */
int accord_timestamp_validate(const accord_trust *t, const unsigned char *token, size_t len,
			      gnutls_digest_algorithm_t alg, const unsigned char *digest,
			      size_t dlen, const unsigned char *nonce, size_t nonce_len,
			      const gnutls_x509_crt_t *extra, size_t n_extra,
			      accord_tst_result *out, accord_error *err);

/* ---- long-term validation data embedded in a signature (verify/ltv.c) ---- */
typedef struct accord_ltv {
	gnutls_x509_crt_t *certs;  /* CertificateValues: path helpers, not anchors */
	size_t n_certs;
	gnutls_x509_crl_t *crls;   /* RevocationValues/CRLValues */
	size_t n_crls;
	gnutls_ocsp_resp_t *ocsps; /* RevocationValues/OCSPValues */
	size_t n_ocsps;
	size_t n_malformed;        /* values that cannot be read (skipped; the caller judges) */
	char malformed[128];       /* the first of them: "OCSPValues item 1" */
} accord_ltv;
/* From UnsignedSignatureProperties: CertificateValues, RevocationValues and every
 * xadesv141:TimeStampValidationData. */
int accord_ltv_load(const accord_xsig *s, accord_ltv *l, accord_error *err);
void accord_ltv_clear(accord_ltv *l);
/* Check every ArchiveTimeStamp of s; a bad one sets r's indication. */
int accord_archive_timestamps_check(const accord_container *c, const accord_xsig *s,
				    const accord_trust *trust, const gnutls_x509_crt_t *extra,
				    size_t n_extra, accord_sig_report *r, accord_error *err);

/* ---- trusted lists (verify/tsl.c) ---- */
/* Where a list's anchors go: the trust's anchor array (gnutls_realloc'd), its parallel
 * scopes (realloc'd) and their count. */
typedef struct accord_tsl_anchors {
	gnutls_x509_crt_t **anchors;
	accord_anchor_scope **scopes;
	size_t *n;
} accord_tsl_anchors;
/* Read the trusted list in file, check that its signature verifies with exactly the
 * certificate in cert_file, and append each certificate of a usable service as an anchor
 * scoped by the service's type and granted periods. A list that cannot be read or whose
 * signature fails is an error (it is never silently skipped); a passed NextUpdate and
 * ignored services are findings in r. out describes the list for the report. */
int accord_tsl_add(const char *file, const char *cert_file, accord_tsl_anchors *a,
		   accord_report *r, accord_tsl_report *out, accord_error *err);

/* Load CRLs (every CRL of each file, PEM or DER) and OCSP responses (DER) given as files. */
int accord_crls_load_file(const char *path, int quiet_if_none, gnutls_x509_crl_t **list,
			  size_t *n, accord_error *err);
int accord_ocsp_load_file(const char *path, gnutls_ocsp_resp_t **list, size_t *n,
			  accord_error *err);
/* Into t: the CRLs of opt's --crl files and of its --trust files, and its OCSP responses
 * (verify/package.c); accord_trust_clear frees t's anchors, scopes and evidence. */
int accord_trust_evidence_load(const accord_verify_options *opt, accord_trust *t, accord_error *err);
void accord_trust_clear(accord_trust *t);

/* Does the SignatureValue of an XML signature verify with cert's key over SignedInfo
 * canonicalised with c14n (ECDSA as raw r||s)? why says what failed. (verify/signature.c) */
enum { ACCORD_XMLDSIG_OK, ACCORD_XMLDSIG_NO_KEY, ACCORD_XMLDSIG_FORMAT, ACCORD_XMLDSIG_SIG_FAILURE };
int accord_xmldsig_value_check(gnutls_x509_crt_t cert, const accord_sig_alg *alg,
			       const char *alg_uri, xmlNodePtr signed_info, const char *c14n,
			       const char *prefixes, const unsigned char *value, size_t value_len,
			       char *why, size_t n);

/* Check one signature or countersignature (everything but parties); path receives the
 * signer's validated path, the only input party matching may use. */
/* Whether a document reference of these signatures uses SHA-384 or SHA-512 (the reading
 * pass computes SHA-256 only: accord_container_hash_extra computes the others). */
int accord_files_need_extra_digests(const accord_xsig_file *files, size_t nf);

/* Before a writer adds to c: the first signature (or countersignature) whose references,
 * signed properties or value fail, or whose file cannot be read; bad->id is "" when none.
 * Trust is not judged. */
typedef struct accord_integrity {
	char id[128];
	char file[256];
	char why[800];
} accord_integrity;
int accord_integrity_check(accord_container *c, accord_integrity *bad, accord_error *err);

int accord_verify_signature(const accord_container *c, const accord_xsig *s,
			    const accord_trust *trust, const accord_verify_options *opt,
			    accord_sig_report *r, accord_path *path, accord_error *err);
#endif
