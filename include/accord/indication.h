/* accord/indication.h — public API: the verdict on a signature or a timestamp, in the
 * vocabulary of ETSI EN 319 102-1 (clause 5.1.3): an indication and, when it is not
 * TOTAL-PASSED, a sub-indication. Both are enums; their names (for reports and JSON)
 * come from accord_indication_name and accord_subindication_name. */
#ifndef ACCORD_INDICATION_H
#define ACCORD_INDICATION_H

#ifdef __cplusplus
extern "C" {
#endif

/* EN 319 102-1's main indications. Zero is INDETERMINATE: a verdict nobody set (a
 * zeroed struct, a call that failed before judging) never reads as passed. */
typedef enum {
	ACCORD_INDETERMINATE = 0,
	ACCORD_TOTAL_PASSED = 1,
	ACCORD_TOTAL_FAILED = 2
} accord_indication;

/* The sub-indications accord gives (a subset of EN 319 102-1's list). */
typedef enum {
	ACCORD_SUB_NONE = 0,                      /* TOTAL-PASSED: none */
	/* with TOTAL-FAILED */
	ACCORD_SUB_FORMAT_FAILURE,                /* malformed signature, token or container */
	ACCORD_SUB_HASH_FAILURE,                  /* a signed document or imprint differs */
	ACCORD_SUB_SIG_CRYPTO_FAILURE,            /* the signature value does not verify */
	ACCORD_SUB_SIGNED_DATA_NOT_FOUND,         /* a signed reference or CMS content is absent */
	/* with INDETERMINATE */
	ACCORD_SUB_SIG_CONSTRAINTS_FAILURE,       /* a timestamp's nonce differs from the request's */
	ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE,     /* a certificate of the path may not do that job */
	ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,    /* an algorithm or key size the policy refuses */
	ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE, /* ... since a date no proof of existence precedes */
	ACCORD_SUB_EXPIRED,                       /* a timestamp's TSA certificate expired before genTime */
	ACCORD_SUB_NOT_YET_VALID,                 /* a certificate not yet valid at the validation time */
	ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND,  /* no signing certificate, or it is not the one bound */
	ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND,    /* no path to a trust anchor */
	ACCORD_SUB_REVOKED_NO_POE,                /* revoked, and no proof of existence before that */
	ACCORD_SUB_REVOCATION_OUT_OF_BOUNDS_NO_POE, /* the revocation data do not cover the time */
	ACCORD_SUB_OUT_OF_BOUNDS_NO_POE,          /* a certificate expired at the validation time */
	ACCORD_SUB_TRY_LATER                      /* revocation status not known yet */
} accord_subindication;

/* "TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE". Static strings; thread-safe. */
const char *accord_indication_name(accord_indication i);
/* "HASH_FAILURE", ...; "" for ACCORD_SUB_NONE. Static strings; thread-safe. */
const char *accord_subindication_name(accord_subindication s);

#ifdef __cplusplus
}
#endif
#endif
