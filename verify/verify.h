/* verify/verify.h — internals of the verification policy. */
#ifndef ACCORD_VERIFY_INTERNAL_H
#define ACCORD_VERIFY_INTERNAL_H
#include <gnutls/x509.h>
#include "accord/verify.h"
#include "formats/xades.h"
#include "formats/container.h"
#include "keys/keys.h"

typedef struct accord_trust {
	gnutls_x509_crt_t *anchors;
	size_t n_anchors;
	gnutls_x509_crl_t *crls;
	size_t n_crls;
} accord_trust;

/* Outcome of checking a signer's certificate. */
typedef struct accord_cert_verdict {
	accord_indication indication;
	char subindication[64];
	char message[512];
	char issuer_fingerprints[8][65]; /* the path's CA certificates, for "name under CA" parties */
	size_t n_issuers;
} accord_cert_verdict;

/* Path from cert (with the untrusted helpers from KeyInfo) to a trust anchor, every
 * certificate valid at time t, not revoked at t by a given CRL, and (when want_usage)
 * key usage fit for signing documents. */
int accord_certpath_check(gnutls_x509_crt_t cert, const gnutls_x509_crt_t *helpers,
			  size_t n_helpers, const accord_trust *trust, time_t t,
			  const char *usage_oid, accord_cert_verdict *v, accord_error *err);

/* Check one signature or countersignature (everything but parties). */
int accord_verify_signature(const accord_container *c, const accord_xsig *s,
			    const accord_trust *trust, const accord_verify_options *opt,
			    accord_sig_report *r, accord_cert_verdict *cv, accord_error *err);
/* Long-term validation data embedded in a signature (verify/ltv.c). */
typedef struct accord_ltv {
	gnutls_x509_crt_t *certs;  /* CertificateValues: path helpers, not anchors */
	size_t n_certs;
	gnutls_x509_crl_t *crls;   /* RevocationValues/CRLValues */
	size_t n_crls;
} accord_ltv;
int accord_ltv_load(const accord_xsig *s, accord_ltv *l, accord_error *err);
void accord_ltv_clear(accord_ltv *l);
/* Check every ArchiveTimeStamp of s; a bad one sets r's indication. */
int accord_archive_timestamps_check(const accord_container *c, const accord_xsig *s,
				    const accord_trust *trust, const gnutls_x509_crt_t *extra,
				    size_t n_extra, accord_sig_report *r, accord_error *err);
#endif
