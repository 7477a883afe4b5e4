/* verify/certpath.c — certificate path checks as of a given time: GnuTLS builds and
 * checks the path with its own time checks off, and each certificate's validity period
 * is compared with the time being checked (a timestamp's genTime, the claimed signing
 * time or --at), so a certificate that expired after a trusted time still verifies. */
#include <string.h>
#include <gnutls/gnutls.h>
#include "verify/verify.h"

static void verdict(accord_cert_verdict *v, accord_indication ind, const char *sub,
		    const char *fmt, const char *arg)
{
	v->indication = ind;
	snprintf(v->subindication, sizeof v->subindication, "%s", sub);
	snprintf(v->message, sizeof v->message, fmt, arg);
}

static void cn_of(gnutls_x509_crt_t crt, char *buf, size_t n)
{
	size_t len = n;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &len) < 0)
		snprintf(buf, n, "(no name)");
}

static int time_ok(gnutls_x509_crt_t crt, time_t t, accord_cert_verdict *v)
{
	char name[256], when[40], msg[400];

	cn_of(crt, name, sizeof name);
	if (t < gnutls_x509_crt_get_activation_time(crt)) {
		accord_time_format(t, when, sizeof when);
		snprintf(msg, sizeof msg, "certificate '%s' is not yet valid at %s", name, when);
		verdict(v, ACCORD_INDETERMINATE, "NOT_YET_VALID", "%s", msg);
		return 0;
	}
	if (t > gnutls_x509_crt_get_expiration_time(crt)) {
		accord_time_format(t, when, sizeof when);
		snprintf(msg, sizeof msg, "certificate '%s' had expired at %s", name, when);
		verdict(v, ACCORD_INDETERMINATE, "OUT_OF_BOUNDS_NO_POE", "%s", msg);
		return 0;
	}
	return 1;
}

/* A CRL counts only when its signature verifies with one of the known certificates
 * (all of them: the issuer may be anywhere among many anchors). */
static int crl_trusted(gnutls_x509_crl_t crl, const accord_trust *trust,
		       const gnutls_x509_crt_t *helpers, size_t n_helpers)
{
	unsigned status = 0;
	size_t n = 0;
	gnutls_x509_crt_t *cas = accord_calloc(trust->n_anchors + n_helpers, sizeof *cas);
	int ok;

	if (!cas)
		return 0;
	for (size_t i = 0; i < trust->n_anchors; i++)
		cas[n++] = trust->anchors[i];
	for (size_t i = 0; i < n_helpers; i++)
		cas[n++] = helpers[i];
	ok = gnutls_x509_crl_verify(crl, cas, (unsigned)n, GNUTLS_VERIFY_DISABLE_TIME_CHECKS,
				    &status) >= 0 && status == 0;
	free(cas);
	return ok;
}

static int revoked_at(gnutls_x509_crt_t crt, const accord_trust *trust, time_t t,
		      accord_cert_verdict *v, const gnutls_x509_crt_t *helpers, size_t n_helpers)
{
	unsigned char serial[64];
	size_t serial_len = sizeof serial;
	char name[256], msg[400], when[40];

	if (gnutls_x509_crt_get_serial(crt, serial, &serial_len) < 0)
		return 0;
	for (size_t i = 0; i < trust->n_crls; i++) {
		gnutls_x509_crl_t crl = trust->crls[i];
		int n = gnutls_x509_crl_get_crt_count(crl);
		/* Only a CRL from the certificate's issuer speaks for it. */
		{
			gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
			int same;
			if (gnutls_x509_crt_get_raw_issuer_dn(crt, &a) < 0)
				continue;
			if (gnutls_x509_crl_get_raw_issuer_dn(crl, &b) < 0) {
				gnutls_free(a.data);
				continue;
			}
			same = a.size == b.size && !memcmp(a.data, b.data, a.size);
			gnutls_free(a.data);
			gnutls_free(b.data);
			if (!same || !crl_trusted(crl, trust, helpers, n_helpers))
				continue;
		}
		for (int j = 0; j < n; j++) {
			unsigned char s[64];
			size_t sl = sizeof s;
			time_t rt;
			if (gnutls_x509_crl_get_crt_serial(crl, (unsigned)j, s, &sl, &rt) < 0)
				continue;
			if (sl == serial_len && !memcmp(s, serial, sl) && rt <= t) {
				cn_of(crt, name, sizeof name);
				accord_time_format(rt, when, sizeof when);
				snprintf(msg, sizeof msg, "certificate '%s' was revoked at %s", name, when);
				verdict(v, ACCORD_INDETERMINATE, "REVOKED_NO_POE", "%s", msg);
				return 1;
			}
		}
	}
	return 0;
}

int accord_certpath_check(gnutls_x509_crt_t cert, const gnutls_x509_crt_t *helpers,
			  size_t n_helpers, const accord_trust *trust, time_t t,
			  const char *usage_oid, accord_cert_verdict *v, accord_error *err)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t chain[18], issuer;
	size_t n = 0;
	unsigned status = 0;
	int rc;
	char name[256];

	memset(v, 0, sizeof *v);
	v->indication = ACCORD_TOTAL_PASSED;
	if (trust->n_anchors == 0) {
		verdict(v, ACCORD_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND",
			"no trust anchors given (use --trust or accord keys trust)%s", "");
		return ACCORD_OK;
	}
	rc = gnutls_x509_trust_list_init(&tl, 0);
	if (rc < 0)
		return accord_err_gnutls(err, "trust list", "gnutls_x509_trust_list_init", rc);
	/* GNUTLS_TL_NO_DUPLICATES off: the list borrows the anchors (flags 0, not freed). */
	rc = gnutls_x509_trust_list_add_cas(tl, trust->anchors, (unsigned)trust->n_anchors, 0);
	if (rc < 0) {
		gnutls_x509_trust_list_deinit(tl, 0);
		return accord_err_gnutls(err, "trust list", "gnutls_x509_trust_list_add_cas", rc);
	}
	/* The path: the certificate, then its issuers found among the helpers (KeyInfo,
	 * CertificateValues); unrelated helpers (a TSA's certificate) stay out of it. */
	chain[n++] = cert;
	while (n < 16 && !gnutls_x509_crt_check_issuer(chain[n - 1], chain[n - 1])) {
		gnutls_x509_crt_t up = NULL;
		for (size_t i = 0; i < n_helpers && !up; i++)
			if (gnutls_x509_crt_check_issuer(chain[n - 1], helpers[i]) &&
			    helpers[i] != chain[n - 1])
				up = helpers[i];
		if (!up)
			break;
		for (size_t i = 0; i < n; i++)
			if (chain[i] == up)
				up = NULL; /* a loop */
		if (!up)
			break;
		chain[n++] = up;
	}
	rc = gnutls_x509_trust_list_verify_crt2(
		tl, chain, (unsigned)n, NULL, 0,
		GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
		&status, NULL);
	if (rc < 0 || status != 0) {
		gnutls_datum_t out = {NULL, 0};
		cn_of(cert, name, sizeof name);
		if (rc >= 0)
			gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0);
		v->indication = ACCORD_INDETERMINATE;
		snprintf(v->subindication, sizeof v->subindication, "NO_CERTIFICATE_CHAIN_FOUND");
		snprintf(v->message, sizeof v->message, "no trusted path for '%s': %s", name,
			 out.data ? (const char *)out.data : "verification failed");
		gnutls_free(out.data);
		goto out;
	}
	/* Validity of every certificate of the path at t, and revocation at t. */
	for (size_t i = 0; i < n; i++) {
		if (!time_ok(chain[i], t, v) || revoked_at(chain[i], trust, t, v, helpers, n_helpers))
			goto out;
	}
	issuer = chain[n - 1];
	for (int depth = 0; depth < 8; depth++) {
		gnutls_x509_crt_t up = NULL;
		unsigned char fp[32];
		if (gnutls_x509_trust_list_get_issuer(tl, issuer, &up, 0) < 0 || !up)
			break;
		if (accord_crt_sha256(up, fp) == 0 && v->n_issuers < 8)
			accord_hex(fp, 32, v->issuer_fingerprints[v->n_issuers++]);
		if (!time_ok(up, t, v))
			goto out;
		if (up == issuer || gnutls_x509_crt_check_issuer(up, up))
			break;
		issuer = up;
	}
	for (size_t i = 1; i < n && v->n_issuers < 8; i++) {
		unsigned char fp[32];
		if (accord_crt_sha256(chain[i], fp) == 0)
			accord_hex(fp, 32, v->issuer_fingerprints[v->n_issuers++]);
	}
	/* Key usage fit for the purpose. */
	if (usage_oid == NULL) {
		unsigned ku = 0, crit = 0;
		if (gnutls_x509_crt_get_key_usage(cert, &ku, &crit) >= 0 &&
		    !(ku & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION))) {
			cn_of(cert, name, sizeof name);
			verdict(v, ACCORD_INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE",
				"certificate '%s' is not for signing (key usage has neither digitalSignature nor nonRepudiation)",
				name);
		}
	}
out:
	gnutls_x509_trust_list_deinit(tl, 0);
	return ACCORD_OK;
}
