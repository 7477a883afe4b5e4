/* verify/trust.c — the one trust engine: every certificate path accord believes (signers,
 * countersigners, TSAs, OCSP responders) is built and judged here. Links are found by
 * signature, not by name; GnuTLS checks the path found; validity, crypto policy and
 * revocation are judged at the time that applies; the result is the validated path. */
#include <stdarg.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include "verify/verify.h"

#define VERIFY_FLAGS (GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | \
		      GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_ALLOW_BROKEN)
/* The most signature checks one path search may make: same-name decoys cannot make it
 * expensive. */
#define MAX_LINK_CHECKS 256


int accord_crt_equal(gnutls_x509_crt_t a, gnutls_x509_crt_t b)
{
	return a == b || gnutls_x509_crt_equals(a, b);
}

/* Same subject and same public key: a re-issued copy of an anchor is that anchor. */
int accord_crt_same_key_and_name(gnutls_x509_crt_t a, gnutls_x509_crt_t b)
{
	gnutls_datum_t da = {NULL, 0}, db = {NULL, 0};
	unsigned char ka[64], kb[64];
	size_t la = sizeof ka, lb = sizeof kb;
	int same = 0;

	if (gnutls_x509_crt_get_raw_dn(a, &da) < 0 || gnutls_x509_crt_get_raw_dn(b, &db) < 0)
		goto out;
	if (da.size != db.size || memcmp(da.data, db.data, da.size))
		goto out;
	if (gnutls_x509_crt_get_key_id(a, GNUTLS_KEYID_USE_SHA256, ka, &la) < 0 ||
	    gnutls_x509_crt_get_key_id(b, GNUTLS_KEYID_USE_SHA256, kb, &lb) < 0)
		goto out;
	same = la == lb && !memcmp(ka, kb, la);
out:
	gnutls_free(da.data);
	gnutls_free(db.data);
	return same;
}

/* A link whose issuer is not named as crt's issuer (GnuTLS never sets this bit). */
#define NOT_NAMED 0x80000000u

/* GnuTLS's verdict (VERIFY_FLAGS) on one certificate under the CA list cas (kind
 * "link": named as the issuer by gnutls_x509_crt_check_issuer, then
 * gnutls_x509_crt_verify) or on the chain crts under cas (kind "path":
 * gnutls_x509_crt_list_verify), remembered in t's memo (t or its memo may be NULL): it
 * depends only on those certificates' bytes and the flags, which the memo's key covers.
 * 1 when it verifies; *status_out (may be NULL) gets GnuTLS's status bits (NOT_NAMED
 * for a link to an issuer of another name). */
static int verified(const accord_trust *t, const char *kind, gnutls_x509_crt_t *crts, size_t n_crts,
		    gnutls_x509_crt_t *cas, size_t n_cas, unsigned *status_out)
{
	gnutls_x509_crt_t all[ACCORD_MAX_PATH + 2];
	unsigned char key[32];
	unsigned status = 0, dummy;
	int rc, keyed = 0;

	if (!status_out)
		status_out = &dummy;

	if (t && t->memo && n_crts + n_cas <= sizeof all / sizeof all[0]) {
		memcpy(all, crts, n_crts * sizeof *all);
		memcpy(all + n_crts, cas, n_cas * sizeof *all);
		keyed = accord_memo_key(key, kind, VERIFY_FLAGS, (unsigned)n_cas, all, n_crts + n_cas) == 0;
	}
	if (!(keyed && accord_memo_get(t->memo, key, &rc, &status))) {
		if (!strcmp(kind, "link")) {
			/* Named as the issuer, and its key verifies the signature. */
			rc = 0;
			if (!gnutls_x509_crt_check_issuer(crts[0], cas[0]))
				status = NOT_NAMED;
			else
				rc = gnutls_x509_crt_verify(crts[0], cas, (unsigned)n_cas, VERIFY_FLAGS, &status);
		} else
			rc = gnutls_x509_crt_list_verify(crts, (unsigned)n_crts, cas, (unsigned)n_cas,
							 NULL, 0, VERIFY_FLAGS, &status);
		if (keyed)
			accord_memo_put(t->memo, key, rc, status);
	}
	*status_out = status;
	return rc >= 0 && status == 0;
}

/* Does issuer name itself crt's issuer, its key verify crt's signature, issuer being a CA? */
static int link_ok(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	return verified(t, "link", &crt, 1, &issuer, 1, NULL);
}

int accord_link_ok(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	return link_ok(NULL, crt, issuer);
}

static void judged(accord_path *p, accord_indication ind, accord_subindication sub, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void judged(accord_path *p, accord_indication ind, accord_subindication sub, const char *fmt, ...)
{
	va_list ap;

	p->indication = ind;
	p->subindication = sub;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof p->message, fmt, ap);
	va_end(ap);
}

int accord_anchor_serves(const accord_trust *t, size_t i, accord_purpose purpose, time_t at)
{
	const accord_anchor_scope *s = t->scopes ? &t->scopes[i] : NULL;

	if (!s || s->always)
		return 1;
	for (size_t k = 0; k < s->n_periods; k++)
		if ((s->periods[k].purposes & (1u << purpose)) && at >= s->periods[k].from &&
		    (!s->periods[k].until || at < s->periods[k].until))
			return 1;
	return 0;
}

/* SHA-256 of crt's DER, subject (raw DN), issuer (raw DN) and public key (any may be NULL). */
static int crt_hashes(gnutls_x509_crt_t crt, unsigned char *der, unsigned char *subject,
		      unsigned char *issuer, unsigned char *key)
{
	gnutls_datum_t d = {NULL, 0};
	size_t kl = 32;
	int ok = 1;

	if (der)
		ok = ok && accord_crt_sha256(crt, der) == 0;
	if (subject) {
		ok = ok && gnutls_x509_crt_get_raw_dn(crt, &d) >= 0 &&
		     gnutls_hash_fast(GNUTLS_DIG_SHA256, d.data, d.size, subject) >= 0;
		gnutls_free(d.data);
		d.data = NULL;
	}
	if (issuer) {
		ok = ok && gnutls_x509_crt_get_raw_issuer_dn(crt, &d) >= 0 &&
		     gnutls_hash_fast(GNUTLS_DIG_SHA256, d.data, d.size, issuer) >= 0;
		gnutls_free(d.data);
	}
	if (key)
		ok = ok && gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, key, &kl) >= 0 && kl == 32;
	return ok ? 0 : -1;
}

void accord_anchor_index_free(accord_anchor_index *ix)
{
	free(ix->der);
	free(ix->subject);
	free(ix->key);
	memset(ix, 0, sizeof *ix);
}

int accord_anchor_index_build(accord_trust *t, accord_anchor_index *ix)
{
	memset(ix, 0, sizeof *ix);
	t->index = NULL;
	if (!t->n_anchors)
		return ACCORD_OK;
	ix->der = accord_calloc(t->n_anchors, sizeof *ix->der);
	ix->subject = accord_calloc(t->n_anchors, sizeof *ix->subject);
	ix->key = accord_calloc(t->n_anchors, sizeof *ix->key);
	if (!ix->der || !ix->subject || !ix->key) {
		accord_anchor_index_free(ix);
		return ACCORD_ERR_NOMEM;
	}
	for (size_t i = 0; i < t->n_anchors; i++)
		if (crt_hashes(t->anchors[i], ix->der[i], ix->subject[i], NULL, ix->key[i]) < 0) {
			/* An anchor GnuTLS cannot describe: no index, the slow comparisons. */
			accord_anchor_index_free(ix);
			return ACCORD_OK;
		}
	t->index = ix;
	return ACCORD_OK;
}

struct search {
	const accord_trust *t;
	const gnutls_x509_crt_t *helpers;
	size_t n_helpers;
	unsigned checks;
	int scoped;              /* only anchors that serve purpose at time at */
	accord_purpose purpose;
	time_t at;
};

static int usable(const struct search *s, size_t i)
{
	return !s->scoped || accord_anchor_serves(s->t, i, s->purpose, s->at);
}

static int in_chain(const accord_path *p, gnutls_x509_crt_t c)
{
	for (size_t i = 0; i < p->n; i++)
		if (accord_crt_equal(p->chain[i], c))
			return 1;
	return 0;
}

/* GnuTLS's checks of p's path below its anchor chain[top]. A leaf right under its anchor
 * is GnuTLS's check of that one link (gnutls_x509_crt_list_verify of one certificate
 * without CRLs is gnutls_x509_crt_verify of it), which building the path has just
 * made: its remembered verdict, when the anchor is named as the issuer. */
static int path_verified(const accord_trust *t, accord_path *p, size_t top, unsigned *status)
{
	if (top == 1) {
		int ok = verified(t, "link", p->chain, 1, &p->chain[1], 1, status);
		if (!(*status & NOT_NAMED))
			return ok;
	}
	return verified(t, "path", p->chain, top, &p->chain[top], 1, status);
}

static int link_checked(struct search *s, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	unsigned status = 0;
	int ok;

	/* Only candidates named as the issuer count against the bound (past it, none is
	 * checked). */
	if (s->checks >= MAX_LINK_CHECKS)
		return 0;
	ok = verified(s->t, "link", &crt, 1, &issuer, 1, &status);
	if (!(status & NOT_NAMED))
		s->checks++;
	return ok;
}

/* Depth-first: extend p->chain (whose last element is the current certificate) until
 * an anchor vouches for it; every link is a verified signature. */
static int build(struct search *s, accord_path *p)
{
	gnutls_x509_crt_t cur = p->chain[p->n - 1];
	const accord_trust *t = s->t;
	const accord_anchor_index *ix = t->index;
	unsigned char der[32], subject[32], issuer[32], key[32];

	/* With the index, candidates are found by hash; the certificate comparisons that
	 * decide are the same as without it. The key is compared only above the leaf. */
	if (ix && crt_hashes(cur, der, subject, issuer, p->n > 1 ? key : NULL) < 0)
		ix = NULL;
	/* The certificate is an anchor itself (a pinned party, or a CA certificate copy). */
	for (size_t i = 0; i < t->n_anchors; i++) {
		if (ix && memcmp(ix->der[i], der, 32) &&
		    (p->n <= 1 || memcmp(ix->subject[i], subject, 32) || memcmp(ix->key[i], key, 32)))
			continue;
		if (usable(s, i) && (accord_crt_equal(cur, t->anchors[i]) ||
				     (p->n > 1 && accord_crt_same_key_and_name(cur, t->anchors[i])))) {
			p->chain[p->n - 1] = t->anchors[i];
			return 1;
		}
	}
	if (p->n > ACCORD_MAX_PATH)
		return 0;
	for (size_t i = 0; i < t->n_anchors; i++) {
		if (ix && memcmp(ix->subject[i], issuer, 32))
			continue; /* not named as the issuer: no link to check */
		if (usable(s, i) && link_checked(s, cur, t->anchors[i])) {
			p->chain[p->n++] = t->anchors[i];
			return 1;
		}
	}
	if (gnutls_x509_crt_check_issuer(cur, cur))
		return 0; /* self-issued and not trusted: nowhere to go */
	for (size_t i = 0; i < s->n_helpers; i++) {
		gnutls_x509_crt_t h = s->helpers[i];
		if (in_chain(p, h) || !link_checked(s, cur, h))
			continue;
		p->chain[p->n++] = h;
		if (build(s, p))
			return 1;
		p->n--;
	}
	return 0;
}

static int time_ok(gnutls_x509_crt_t crt, time_t t, accord_path *p)
{
	char name[256], when[40];

	if (t < gnutls_x509_crt_get_activation_time(crt)) {
		accord_crt_cn(crt, name, sizeof name);
		accord_time_format(t, when, sizeof when);
		judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_NOT_YET_VALID, "certificate '%s' is not yet valid at %s",
		       name, when);
		return 0;
	}
	if (t > gnutls_x509_crt_get_expiration_time(crt)) {
		char until[40];
		accord_crt_cn(crt, name, sizeof name);
		accord_time_format(t, when, sizeof when);
		accord_time_format(gnutls_x509_crt_get_expiration_time(crt), until, sizeof until);
		judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_OUT_OF_BOUNDS_NO_POE,
		       "certificate '%s' expired at %s, before the time it is judged at (%s)", name,
		       until, when);
		return 0;
	}
	return 1;
}

static int crypto_ok(const accord_trust *t, gnutls_x509_crt_t crt, int is_anchor, time_t at,
		     accord_path *p)
{
	accord_crypto_verdict v;
	char name[256];

	memset(&v, 0, sizeof v);
	if (accord_crypto_crt_key_ok_in(t->memo, crt, at, &v) &&
	    (is_anchor || accord_crypto_crt_sign_ok(crt, at, t->allow_sha1, &v)))
		return 1;
	accord_crt_cn(crt, name, sizeof name);
	judged(p, ACCORD_INDETERMINATE, v.subindication, "certificate '%s': %s", name, v.message);
	return 0;
}

/* Does crt name a CRL distribution point or an OCSP responder (authorityInfoAccess)? */
static int names_status_source(gnutls_x509_crt_t crt)
{
	char buf[1024];
	size_t len = sizeof buf;
	unsigned reasons = 0, crit = 0;
	gnutls_datum_t d = {NULL, 0};
	int rc;

	rc = gnutls_x509_crt_get_crl_dist_points(crt, 0, buf, &len, &reasons, &crit);
	if (rc >= 0 || rc == GNUTLS_E_SHORT_MEMORY_BUFFER)
		return 1;
	/* Every access description (the extension bounds them); one GnuTLS cannot read might
	 * be the OCSP one: counted as naming a source (fail closed). */
	for (int seq = 0;; seq++) {
		rc = gnutls_x509_crt_get_authority_info_access(crt, seq, GNUTLS_IA_OCSP_URI, &d, &crit);
		gnutls_free(d.data);
		d.data = NULL;
		if (rc >= 0)
			return 1;
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return 0;
		if (rc != GNUTLS_E_UNKNOWN_ALGORITHM || seq >= 4096)
			return 1;
	}
}

static int purpose_ok(gnutls_x509_crt_t crt, accord_purpose purpose, accord_path *p)
{
	unsigned eku_crit = 0;
	int eku = accord_crt_eku_bits(crt, &eku_crit);
	char name[256];

	switch (purpose) {
	case ACCORD_PURPOSE_SIGNER: {
		/* The rule sign and pack also apply (keys/certinfo.c). */
		char why[300];
		if (!accord_crt_may_sign(crt, 0, why, sizeof why)) {
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE, "%s", why);
			return 0;
		}
		return 1;
	}
	case ACCORD_PURPOSE_TSA:
		if (eku != ACCORD_EKU_TS || !eku_crit) {
			accord_crt_cn(crt, name, sizeof name);
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE,
			       "TSA certificate '%s' needs a critical extended key usage of timeStamping only",
			       name);
			return 0;
		}
		return 1;
	case ACCORD_PURPOSE_OCSP:
		if (eku < 0 || !(eku & ACCORD_EKU_OCSP)) {
			accord_crt_cn(crt, name, sizeof name);
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE,
			       "OCSP responder certificate '%s' has no OCSPSigning extended key usage", name);
			return 0;
		}
		return 1;
	}
	return 0;
}

static int path_search(struct search *s, gnutls_x509_crt_t cert, accord_path *p)
{
	memset(p, 0, sizeof *p);
	p->chain[p->n++] = cert;
	if (!build(s, p)) {
		p->n = 0;
		return 0;
	}
	p->anchored = 1;
	return 1;
}

int accord_path_build(const accord_trust *t, gnutls_x509_crt_t cert,
		      const gnutls_x509_crt_t *helpers, size_t n_helpers, accord_path *p)
{
	struct search s = {t, helpers, n_helpers, 0, 0, ACCORD_PURPOSE_SIGNER, 0};

	return path_search(&s, cert, p);
}

static const char *purpose_name(accord_purpose purpose)
{
	return purpose == ACCORD_PURPOSE_TSA ? "timestamping" : purpose == ACCORD_PURPOSE_OCSP ? "OCSP" : "signing";
}

/* No path through anchors that serve this purpose at this time: if one exists through
 * other anchors (a trusted list's service of another type, or not granted then), say so. */
static void out_of_scope(const accord_trust *t, gnutls_x509_crt_t cert, const gnutls_x509_crt_t *helpers,
			 size_t n_helpers, accord_purpose purpose, time_t at, accord_path *p)
{
	char name[256], anchor[256], when[40];
	const char *source = "";
	accord_path any;

	if (!accord_path_build(t, cert, helpers, n_helpers, &any))
		return;
	for (size_t i = 0; i < t->n_anchors; i++)
		if (t->anchors[i] == any.chain[any.n - 1])
			source = t->scopes[i].source;
	accord_crt_cn(cert, name, sizeof name);
	accord_crt_cn(any.chain[any.n - 1], anchor, sizeof anchor);
	accord_time_format(at, when, sizeof when);
	judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND,
	       "no trusted path for '%s': its path ends at '%s' (%s), which is not trusted for %s at %s",
	       name, anchor, *source ? source : "trust anchor", purpose_name(purpose), when);
}

int accord_path_validate(const accord_trust *t, gnutls_x509_crt_t cert,
			 const gnutls_x509_crt_t *helpers, size_t n_helpers, time_t at,
			 time_t crypto_at, time_t fresh_after, accord_purpose purpose,
			 accord_path *p, accord_error *err)
{
	struct search s = {t, helpers, n_helpers, 0, 1, purpose, at};
	unsigned status = 0;
	char name[256];
	size_t top;

	/* The name is for the messages of a refusal: read when one is said. */
	if (t->n_anchors == 0) {
		accord_crt_cn(cert, name, sizeof name);
		memset(p, 0, sizeof *p);
		judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND,
		       "no trust anchors given for '%s' (use --trust, --tsl or accord keys trust)", name);
		return ACCORD_OK;
	}
	if (!path_search(&s, cert, p)) {
		/* Say where the path stops and how to go on: the highest certificate reached
		 * through verified links, and its issuer when that is not at hand. */
		gnutls_x509_crt_t top_c = cert;
		char issuer[512], topname[256], fp[65] = "";

		accord_crt_cn(cert, name, sizeof name);
		unsigned char d[32];
		size_t il = sizeof issuer;
		for (int depth = 0; depth < ACCORD_MAX_PATH; depth++) {
			gnutls_x509_crt_t up = NULL;
			if (gnutls_x509_crt_check_issuer(top_c, top_c))
				break;
			for (size_t i = 0; i < n_helpers && !up; i++)
				if (helpers[i] != top_c && link_ok(t, top_c, helpers[i]))
					up = helpers[i];
			if (!up)
				break;
			top_c = up;
		}
		if (gnutls_x509_crt_get_issuer_dn(top_c, issuer, &il) < 0)
			snprintf(issuer, sizeof issuer, "(unreadable)");
		accord_crt_cn(top_c, topname, sizeof topname);
		if (accord_crt_sha256(top_c, d) == 0)
			accord_hex(d, 16, fp);
		if (top_c != cert && gnutls_x509_crt_check_issuer(top_c, top_c))
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND,
			       "no trusted path for '%s': its path ends at '%s' (SHA-256 %s..., carried in the package), which is not a trust anchor; if you trust it, add it with `accord keys trust` or --trust",
			       name, topname, fp);
		else
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND,
			       "no trusted path for '%s': no trust anchor or verifiable issuer for '%s'%s%s%s (the certificate of that issuer was neither given nor carried in the package; add it with `accord keys trust` or --trust if you trust it)",
			       name, issuer, top_c != cert ? ", which issued '" : "", top_c != cert ? topname : "",
			       top_c != cert ? "'" : "");
		if (t->scopes)
			out_of_scope(t, cert, helpers, n_helpers, purpose, at, p);
		return ACCORD_OK;
	}
	p->indication = ACCORD_TOTAL_PASSED;
	snprintf(p->revocation, sizeof p->revocation, "no revocation data");
	top = p->n - 1; /* the anchor */
	/* GnuTLS's own checks of the path found (basic constraints, path length, name
	 * constraints, key usage of issuers). The anchor alone: a pinned certificate. */
	if (p->n > 1 && !path_verified(t, p, top, &status)) {
		/* In words, the rule each flag stands for (GnuTLS's own text starts with "The
		 * certificate is NOT trusted", which says nothing the indication does not). */
		static const struct { unsigned flag; const char *words; } why[] = {
			{GNUTLS_CERT_SIGNER_NOT_CA, "an issuer on the path is not a CA (basicConstraints)"},
			{GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "an issuer's constraints are broken (path length or key usage)"},
			{GNUTLS_CERT_UNEXPECTED_OWNER, "a name on the path is outside an issuer's name constraints"},
			{GNUTLS_CERT_PURPOSE_MISMATCH, "the key purpose does not fit"},
			{GNUTLS_CERT_INSECURE_ALGORITHM, "an insecure signature algorithm"},
			{GNUTLS_CERT_SIGNATURE_FAILURE, "a signature on the path does not verify"},
			{GNUTLS_CERT_SIGNER_NOT_FOUND, "an issuer cannot be found"},
			{GNUTLS_CERT_INVALID_OCSP_STATUS, "invalid OCSP status"},
		};
		char words[400] = "";
		accord_crt_cn(cert, name, sizeof name);
		for (size_t k = 0; k < sizeof why / sizeof why[0]; k++)
			if (status & why[k].flag) {
				size_t used = strlen(words);
				snprintf(words + used, sizeof words - used, "%s%s", used ? "; " : "", why[k].words);
			}
		judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE, "path of '%s' refused: %s", name,
		       words[0] ? words : "the path does not verify (RFC 5280 path validation)");
		return ACCORD_OK;
	}
	for (size_t i = 0; i < p->n; i++) {
		if (!time_ok(p->chain[i], at, p) || !crypto_ok(t, p->chain[i], i == top, crypto_at, p))
			return ACCORD_OK;
	}
	if (!purpose_ok(cert, purpose, p))
		return ACCORD_OK;
	/* Revocation of every certificate below the anchor, by its validated issuer. */
	for (size_t i = 0; i < top; i++) {
		accord_rev rev;
		int rc = accord_revocation_check(t, p->chain[i], p->chain[i + 1], at,
						 i == 0 ? fresh_after : 0, purpose == ACCORD_PURPOSE_TSA,
						 &rev, err);
		if (rc)
			return rc;
		if (i == 0) {
			snprintf(p->revocation, sizeof p->revocation, "%s", rev.text);
			p->leaf_rev_decided = rev.status == ACCORD_REV_GOOD || rev.status == ACCORD_REV_REVOKED;
		}
		{
			char c[96];
			size_t used = strlen(p->evidence);
			accord_crt_cn(p->chain[i], c, sizeof c);
			snprintf(p->evidence + used, sizeof p->evidence - used, "%s'%s': %s", used ? "; " : "",
				 c, rev.text);
		}
		if (rev.status == ACCORD_REV_REVOKED) {
			char c[256];
			accord_crt_cn(p->chain[i], c, sizeof c);
			if (i == 0)
				p->revoked_at = rev.revoked_at;
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_REVOKED_NO_POE, "certificate '%s' was %s", c, rev.text);
			return ACCORD_OK;
		}
		if (rev.status == ACCORD_REV_UNUSABLE) {
			char c[256];
			accord_crt_cn(p->chain[i], c, sizeof c);
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_REVOCATION_OUT_OF_BOUNDS_NO_POE,
			       "certificate '%s': %s", c, rev.text);
			return ACCORD_OK;
		}
		/* A signer whose certificate says where its status is published must come
		 * with that status (EN 319 102-1 5.2.6: no revocation data, TRY_LATER; DSS and
		 * DigiDoc require it). A certificate that names no source (an organisational
		 * CA's, like accord's) is judged on the evidence given, as before. */
		if (i == 0 && purpose == ACCORD_PURPOSE_SIGNER && rev.status == ACCORD_REV_NONE &&
		    names_status_source(p->chain[i])) {
			char c[256];
			accord_crt_cn(p->chain[i], c, sizeof c);
			judged(p, ACCORD_INDETERMINATE, ACCORD_SUB_TRY_LATER,
			       "certificate '%s' names where its revocation status is published (CRL distribution point or OCSP) and none was given or embedded (--crl, --ocsp, or extend --level LT)",
			       c);
			return ACCORD_OK;
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		unsigned char fp[32];
		if (accord_crt_sha256(p->chain[i], fp) == 0)
			accord_hex(fp, 32, p->fingerprints[i]);
	}
	{
		char c[96];
		size_t used = strlen(p->evidence);
		const char *source = "";
		accord_crt_cn(p->chain[top], c, sizeof c);
		for (size_t i = 0; t->scopes && i < t->n_anchors; i++)
			if (t->anchors[i] == p->chain[top] && t->scopes[i].source[0])
				source = t->scopes[i].source;
		snprintf(p->evidence + used, sizeof p->evidence - used, "%s'%s': trust anchor%s%s%s",
			 used ? "; " : "", c, *source ? " (" : "", source, *source ? ")" : "");
	}
	return ACCORD_OK;
}

int accord_evidence_cache_init(accord_evidence_cache *c, size_t n_crls, size_t n_ocsps)
{
	memset(c, 0, sizeof *c);
	c->crl_key = accord_calloc(n_crls + 1, sizeof *c->crl_key);
	c->crl_ok = accord_calloc(n_crls + 1, sizeof *c->crl_ok);
	c->ocsp_key = accord_calloc(n_ocsps + 1, sizeof *c->ocsp_key);
	c->ocsp_ok = accord_calloc(n_ocsps + 1, sizeof *c->ocsp_ok);
	c->ocsp_who = accord_calloc(n_ocsps + 1, sizeof *c->ocsp_who);
	if (!c->crl_key || !c->crl_ok || !c->ocsp_key || !c->ocsp_ok || !c->ocsp_who) {
		accord_evidence_cache_clear(c);
		return ACCORD_ERR_NOMEM;
	}
	return ACCORD_OK;
}

void accord_evidence_cache_clear(accord_evidence_cache *c)
{
	free(c->crl_key);
	free(c->crl_ok);
	free(c->ocsp_key);
	free(c->ocsp_ok);
	free(c->ocsp_who);
	memset(c, 0, sizeof *c);
}

void accord_finding_add(accord_report *r, const char *rule, const char *where, const char *fmt, ...)
{
	accord_finding f, *g;
	va_list ap;

	if (!r || r->n_findings >= 200)
		return;
	memset(&f, 0, sizeof f);
	snprintf(f.rule, sizeof f.rule, "%s", rule);
	snprintf(f.where, sizeof f.where, "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof f.message, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < r->n_findings; i++)
		if (!strcmp(r->findings[i].message, f.message) && !strcmp(r->findings[i].where, f.where))
			return;
	g = realloc(r->findings, (r->n_findings + 1) * sizeof *g);
	if (!g)
		return;
	r->findings = g;
	g[r->n_findings++] = f;
}
