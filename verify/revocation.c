/* verify/revocation.c — is a certificate revoked at a time? CRLs and OCSP responses
 * (given or embedded) count only when they verify with the key of the issuer in the
 * validated path (or of a responder that issuer authorised); evidence that does not
 * verify is a finding, never silently dropped. A revocation statement is honoured even
 * from weak cryptography (it can only deny); a "good" statement must pass the policy. */
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include "verify/verify.h"
#include "formats/ocsp.h"

#define MAX_SINGLES 1024
#define CRL_FLAGS (GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | \
		   GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_ALLOW_BROKEN)

static int same_datum(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && (!a->size || !memcmp(a->data, b->data, a->size));
}

static int crl_names_issuer(gnutls_x509_crl_t crl, gnutls_x509_crt_t crt)
{
	gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
	int same = 0;

	if (gnutls_x509_crt_get_raw_issuer_dn(crt, &a) >= 0 &&
	    gnutls_x509_crl_get_raw_issuer_dn(crl, &b) >= 0)
		same = same_datum(&a, &b);
	gnutls_free(a.data);
	gnutls_free(b.data);
	return same;
}

/* Does the CRL's authority key identifier name issuer's key? 1 yes, 0 no, -1 unknown. */
static int aki_matches(gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer)
{
	unsigned char aki[128], ski[128];
	size_t al = sizeof aki, sl = sizeof ski;
	unsigned crit = 0;

	if (gnutls_x509_crl_get_authority_key_id(crl, aki, &al, &crit) < 0 ||
	    gnutls_x509_crt_get_subject_key_id(issuer, ski, &sl, &crit) < 0)
		return -1;
	return al == sl && !memcmp(aki, ski, al);
}

/* The cache is keyed by the issuer certificate itself (SHA-256 of its DER): two
 * certificates of one key may differ in what they allow (cRLSign). */
static int key_id(gnutls_x509_crt_t c, unsigned char out[32])
{
	return accord_crt_sha256(c, out) == 0;
}

/* Does crl verify with issuer's key? Remembered per CRL and key, so that many
 * timestamps or signatures over many CRLs cost one check each. *first: 1 when this is
 * the first time the answer was computed (findings are said once). */
#define CRL_BY_KEY_ONLY 2
static int crl_verified(const accord_trust *t, size_t i, gnutls_x509_crt_t issuer, int *first)
{
	accord_evidence_cache *c = t->cache;
	unsigned char k[32];
	unsigned status = 0;
	int have = key_id(issuer, k), ok;

	*first = 1;
	if (c && have && c->crl_ok[i] && !memcmp(c->crl_key[i], k, 32)) {
		*first = 0;
		return c->crl_ok[i] > 0 ? c->crl_ok[i] : 0;
	}
	if (gnutls_x509_crl_verify(t->crls[i], &issuer, 1, CRL_FLAGS, &status) < 0)
		ok = 0;
	else if (status == 0)
		ok = 1;
	else if (!(status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_INSECURE_ALGORITHM)) &&
		 (status & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
		/* Signed with the issuer's key, but this certificate of the key is not for
		 * CRLs (no cRLSign): what it revokes still counts; it never shows "good". */
		ok = CRL_BY_KEY_ONLY;
	else
		ok = 0;
	if (c && have) {
		memcpy(c->crl_key[i], k, 32);
		c->crl_ok[i] = ok ? (signed char)ok : -1;
	}
	return ok;
}

/* 1 listed (revocation time in *when), 0 not listed, -1 the CRL cannot be read to the end. */
static int serial_listed(gnutls_x509_crl_t crl, const unsigned char *serial, size_t serial_len,
			 time_t *when)
{
	gnutls_x509_crl_iter_t it = NULL;
	unsigned char s[ACCORD_MAX_SERIAL];
	size_t sl = sizeof s;
	time_t rt = 0;
	int found = 0, rc;

	while ((rc = gnutls_x509_crl_iter_crt_serial(crl, &it, s, &sl, &rt)) >= 0) {
		if (sl == serial_len && !memcmp(s, serial, sl)) {
			*when = rt;
			found = 1;
			break;
		}
		sl = sizeof s;
	}
	gnutls_x509_crl_iter_deinit(it);
	if (!found && rc != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return -1;
	return found;
}

static void where_of(gnutls_x509_crt_t crt, char *buf, size_t n)
{
	char cn[200];
	accord_crt_cn(crt, cn, sizeof cn);
	snprintf(buf, n, "certificate '%s'", cn);
}

/* CRLs: REVOKED, GOOD, UNUSABLE or NONE. any_time: a listing counts whenever it dates
 * from (GnuTLS does not give the reason code, so it may be keyCompromise). */
/* Does evidence issued at this_update (current until next_update, or for a day when it
 * names no next update) speak for the time judged? A "good" from before the time judged
 * that had already run out says nothing about it: a key revoked later would still look
 * good to a verifier offered only the old evidence. */
static int current_at(time_t this_update, time_t next_update, time_t at)
{
	if (next_update > 0)
		return next_update >= at;
	return this_update != (time_t)-1 && this_update + 24 * 3600 >= at;
}

static void by_crl(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
		   time_t at, int any_time, accord_rev *out)
{
	unsigned char serial[ACCORD_MAX_SERIAL];
	size_t serial_len = sizeof serial;
	char iname[96], when[40], where[256];

	if (!t->n_crls)
		return; /* nothing to look in (and no names to spend time on) */
	accord_crt_cn(issuer, iname, sizeof iname);
	where_of(crt, where, sizeof where);
	if (gnutls_x509_crt_get_serial(crt, serial, &serial_len) < 0) {
		/* Fail closed: a serial that cannot be read cannot be looked up. */
		for (size_t i = 0; i < t->n_crls; i++)
			if (crl_names_issuer(t->crls[i], crt)) {
				out->status = ACCORD_REV_UNUSABLE;
				snprintf(out->text, sizeof out->text,
					 "its serial number is too long to look up in the CRL from '%s'", iname);
				return;
			}
		return;
	}
	for (size_t i = 0; i < t->n_crls; i++) {
		gnutls_x509_crl_t crl = t->crls[i];
		time_t rt = 0;
		int first, listed, verified;
		accord_crypto_verdict v;

		if (!crl_names_issuer(crl, crt))
			continue;
		/* The signature decides; the key identifier only tells what to say. */
		verified = crl_verified(t, i, issuer, &first);
		if (!verified) {
			if (first) {
				accord_time_format(gnutls_x509_crl_get_this_update(crl), when, sizeof when);
				accord_finding_add(t->report, "RFC 5280 6.3.3 (f): CRL signature", where,
						   aki_matches(crl, issuer) == 0
							   ? "a CRL naming '%s' as issuer (thisUpdate %s) is signed by another key than that of '%s' on the validated path (a key rollover, or a forgery); it was not used"
							   : "a CRL naming '%s' as issuer (thisUpdate %s) does not verify with the signature key of '%s' on the validated path; it was not used",
						   iname, when, iname);
			}
			continue;
		}
		listed = serial_listed(crl, serial, serial_len, &rt);
		if (listed < 0) {
			out->status = ACCORD_REV_UNUSABLE;
			snprintf(out->text, sizeof out->text, "the CRL from '%s' cannot be read to its end", iname);
			return;
		}
		if (listed && (rt <= at || any_time)) {
			accord_time_format(rt, when, sizeof when);
			out->status = ACCORD_REV_REVOKED;
			out->revoked_at = rt;
			snprintf(out->text, sizeof out->text, "revoked by CRL from '%s' since %s", iname, when);
			return;
		}
		/* Not listed, or revoked only after the time judged: good as of then. */
		if (verified == CRL_BY_KEY_ONLY) {
			if (first)
				accord_finding_add(t->report, "RFC 5280 4.2.1.3: cRLSign", where,
						   "the CRL from '%s' is signed with its key, but the certificate of '%s' on the validated path does not allow CRL signing; it is not used to show good status",
						   iname, iname);
			continue;
		}
		memset(&v, 0, sizeof v);
		if (!accord_crypto_sign_ok((gnutls_sign_algorithm_t)gnutls_x509_crl_get_signature_algorithm(crl),
					   time(NULL), t->allow_sha1, &v)) {
			if (first)
				accord_finding_add(t->report, "ETSI TS 119 312: CRL signature algorithm", where,
						   "the CRL from '%s' is not used to show good status: %s", iname, v.message);
			continue;
		}
		if (!current_at(gnutls_x509_crl_get_this_update(crl), gnutls_x509_crl_get_next_update(crl), at)) {
			if (first) {
				accord_time_format(at, when, sizeof when);
				accord_finding_add(t->report, "RFC 5280 5.1.2.5: nextUpdate", where,
						   "the CRL from '%s' is not current at the time judged (%s): it is not used to show good status",
						   iname, when);
			}
			continue;
		}
		if (out->status != ACCORD_REV_GOOD) {
			accord_time_format(gnutls_x509_crl_get_this_update(crl), when, sizeof when);
			out->status = ACCORD_REV_GOOD;
			snprintf(out->text, sizeof out->text, "good by CRL from '%s' of %s", iname, when);
		}
	}
}

/* The issuer key hash of crt's CertID under digest d, computed by GnuTLS. */
static int cert_id_matches(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
			   gnutls_digest_algorithm_t d, const gnutls_datum_t *ikh)
{
	gnutls_ocsp_req_t req = NULL;
	gnutls_datum_t in = {NULL, 0}, ik = {NULL, 0}, sn = {NULL, 0};
	gnutls_digest_algorithm_t got;
	int ok = 0;

	if (gnutls_ocsp_req_init(&req) < 0)
		return 0;
	if (gnutls_ocsp_req_add_cert(req, d, issuer, crt) >= 0 &&
	    gnutls_ocsp_req_get_cert_id(req, 0, &got, &in, &ik, &sn) >= 0)
		ok = same_datum(&ik, ikh);
	gnutls_free(in.data);
	gnutls_free(ik.data);
	gnutls_free(sn.data);
	gnutls_ocsp_req_deinit(req);
	return ok;
}


static int has_ocsp_eku(gnutls_x509_crt_t c)
{
	for (unsigned k = 0; k < 16; k++) {
		char oid[128];
		size_t len = sizeof oid;
		unsigned crit;
		if (gnutls_x509_crt_get_key_purpose_oid(c, k, oid, &len, &crit) < 0)
			return 0;
		if (!strcmp(oid, ACCORD_OID_KP_OCSP_SIGNING))
			return 1;
	}
	return 0;
}

/* A responder the user trusts directly (RFC 6960 4.2.2.2, local configuration): an
 * anchor with the OCSPSigning purpose, or a re-issued copy of one (same subject and key),
 * that serves OCSP when the response was produced (a trusted list's Certstatus/OCSP
 * service; --trust anchors serve every purpose). */
static int trusted_responder(const accord_trust *t, gnutls_x509_crt_t c, time_t produced)
{
	for (size_t i = 0; i < t->n_anchors; i++)
		if ((accord_crt_equal(c, t->anchors[i]) || accord_crt_same_key_and_name(c, t->anchors[i])) &&
		    has_ocsp_eku(t->anchors[i]) && accord_anchor_serves(t, i, ACCORD_PURPOSE_OCSP, produced) &&
		    /* the anchor's own dates: a copy with the same name and key, which anyone can
		     * make, must not stretch them */
		    produced >= gnutls_x509_crt_get_activation_time(t->anchors[i]) &&
		    produced <= gnutls_x509_crt_get_expiration_time(t->anchors[i]))
			return 1;
	return 0;
}

/* Does the response's ResponderID (byName or byKey) name crt? */
static int responder_id_is(gnutls_ocsp_resp_t resp, gnutls_x509_crt_t crt)
{
	gnutls_datum_t id = {NULL, 0}, dn = {NULL, 0};
	unsigned char kid[64];
	size_t kl = sizeof kid;
	unsigned crit = 0;
	int same = 0;

	if (gnutls_ocsp_resp_get_responder_raw_id(resp, GNUTLS_OCSP_RESP_ID_DN, &id) >= 0) {
		if (gnutls_x509_crt_get_raw_dn(crt, &dn) >= 0)
			same = same_datum(&id, &dn);
	} else if (gnutls_ocsp_resp_get_responder_raw_id(resp, GNUTLS_OCSP_RESP_ID_KEY, &id) >= 0) {
		/* SHA-1 of the subjectPublicKey BIT STRING (RFC 6960 4.2.1); GnuTLS's key id
		 * (of the whole SubjectPublicKeyInfo) and the subject key identifier, which
		 * some responders write instead. */
		unsigned char nh[ACCORD_OCSP_MAX_HASH], kh[ACCORD_OCSP_MAX_HASH];
		size_t hl = 0;
		accord_error e;
		memset(&e, 0, sizeof e);
		if (accord_ocsp_issuer_hashes(crt, GNUTLS_DIG_SHA1, nh, kh, &hl, &e) == ACCORD_OK &&
		    hl == id.size && !memcmp(kh, id.data, hl))
			same = 1;
		if (!same && gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, kid, &kl) >= 0 &&
		    kl == id.size && !memcmp(kid, id.data, kl))
			same = 1;
		kl = sizeof kid;
		if (!same && gnutls_x509_crt_get_subject_key_id(crt, kid, &kl, &crit) >= 0 &&
		    kl == id.size && !memcmp(kid, id.data, kl))
			same = 1;
	}
	gnutls_free(id.data);
	gnutls_free(dn.data);
	return same;
}

/* A responder the issuer certified: the issuer's signature on its certificate acceptable
 * to the crypto policy (as on any certificate of a path), and not revoked by a CRL the
 * package or the user gives, at any time (its key might have signed anything since; a
 * time-mark makes it a time authority, and a timestamp authority is judged so too). */
static int delegation_ok(const accord_trust *t, gnutls_x509_crt_t c, gnutls_x509_crt_t issuer, time_t produced)
{
	accord_crypto_verdict v;
	accord_rev rev;

	memset(&v, 0, sizeof v);
	if (!accord_crypto_crt_sign_ok(c, time(NULL), t->allow_sha1, &v))
		return 0;
	memset(&rev, 0, sizeof rev);
	by_crl(t, c, issuer, produced, 1, &rev);
	return rev.status != ACCORD_REV_REVOKED && rev.status != ACCORD_REV_UNUSABLE;
}

/* Who may sign a response about certificates of issuer: issuer itself, a responder it
 * certified for OCSPSigning (valid when the response was produced), or a responder the
 * user trusts directly. Returns 1 and the responder's name when one verifies. */
static int responder_check(const accord_trust *t, gnutls_ocsp_resp_t resp, gnutls_x509_crt_t issuer,
			   char *who, size_t n)
{
	gnutls_x509_crt_t *certs = NULL;
	size_t nc = 0;
	unsigned v = 1;
	int ok = 0;
	time_t produced = gnutls_ocsp_resp_get_produced(resp);

	/* A delegated responder first (so that the report names it), then the issuer. */
	if (gnutls_ocsp_resp_get_certs(resp, &certs, &nc) < 0) {
		certs = NULL;
		nc = 0;
	}
	for (size_t i = 0; i < nc && !ok; i++) {
		gnutls_x509_crt_t c = certs[i];
		int delegated, in_time;
		if (accord_crt_equal(c, issuer))
			continue;
		/* Valid when it produced the response; certified for OCSP by the issuer, or
		 * trusted directly as a responder. */
		in_time = produced >= gnutls_x509_crt_get_activation_time(c) &&
			  produced <= gnutls_x509_crt_get_expiration_time(c);
		delegated = in_time && accord_link_ok(c, issuer) && has_ocsp_eku(c) && delegation_ok(t, c, issuer, produced);
		if (!delegated && !(in_time && trusted_responder(t, c, produced)))
			continue;
		v = 1;
		if (gnutls_ocsp_resp_verify_direct(resp, c, &v, CRL_FLAGS) >= 0 && v == 0) {
			accord_crt_cn(c, who, n);
			/* c does not outlive this function: its key is judged here. */
			accord_crypto_verdict cv;
			memset(&cv, 0, sizeof cv);
			ok = accord_crypto_crt_key_ok(c, time(NULL), &cv);
		}
	}
	for (size_t i = 0; i < nc; i++)
		gnutls_x509_crt_deinit(certs[i]);
	gnutls_free(certs);
	/* A responder trusted directly (an anchor with id-kp-OCSPSigning, RFC 6960 4.2.2.2
	 * "local configuration") that the response does not carry: named by its ResponderID. */
	for (size_t i = 0; i < t->n_anchors && !ok; i++) {
		gnutls_x509_crt_t c = t->anchors[i];
		if (!has_ocsp_eku(c) || !accord_anchor_serves(t, i, ACCORD_PURPOSE_OCSP, produced) ||
		    !responder_id_is(resp, c) || produced < gnutls_x509_crt_get_activation_time(c) ||
		    produced > gnutls_x509_crt_get_expiration_time(c))
			continue;
		v = 1;
		if (gnutls_ocsp_resp_verify_direct(resp, c, &v, CRL_FLAGS) >= 0 && v == 0) {
			accord_crypto_verdict cv;
			memset(&cv, 0, sizeof cv);
			accord_crt_cn(c, who, n);
			ok = accord_crypto_crt_key_ok(c, time(NULL), &cv);
		}
	}
	/* The issuer itself only when the ResponderID names it: otherwise GnuTLS would take a
	 * responder certificate from the response, unchecked by the rules above. */
	if (!ok && responder_id_is(resp, issuer) &&
	    gnutls_ocsp_resp_verify_direct(resp, issuer, &v, CRL_FLAGS) >= 0 && v == 0) {
		accord_crypto_verdict cv;
		memset(&cv, 0, sizeof cv);
		accord_crt_cn(issuer, who, n);
		ok = accord_crypto_crt_key_ok(issuer, time(NULL), &cv);
	}
	return ok;
}

/* responder_check, remembered per response and issuer key. */
static int responder_ok(const accord_trust *t, size_t i, gnutls_x509_crt_t issuer, char *who,
			size_t n)
{
	accord_evidence_cache *c = t->cache;
	unsigned char k[32];
	int have = key_id(issuer, k), ok;

	if (c && have && c->ocsp_ok[i] && !memcmp(c->ocsp_key[i], k, 32)) {
		snprintf(who, n, "%s", c->ocsp_who[i]);
		return c->ocsp_ok[i] > 0;
	}
	ok = responder_check(t, t->ocsps[i], issuer, who, n);
	if (c && have) {
		memcpy(c->ocsp_key[i], k, 32);
		c->ocsp_ok[i] = ok ? 1 : -1;
		snprintf(c->ocsp_who[i], sizeof c->ocsp_who[i], "%s", ok ? who : "");
	}
	return ok;
}

/* Reasons after which nothing the key signed can be believed, whenever it was signed
 * (RFC 3161 4: a TSA's key compromise; RFC 5280 5.3.1); none given counts as such. */
static int compromise(unsigned reason)
{
	return reason == GNUTLS_X509_CRLREASON_UNSPECIFIED || reason == GNUTLS_X509_CRLREASON_KEYCOMPROMISE ||
	       reason == GNUTLS_X509_CRLREASON_CACOMPROMISE || reason == GNUTLS_X509_CRLREASON_AACOMPROMISE;
}

/* What one response says about crt: the entry about it, a revoked one first wherever it
 * sits (a response that says both good and revoked does not say good). */
typedef struct ocsp_entry {
	unsigned status, reason;
	time_t this_update, next_update, rtime;
} ocsp_entry;

/* Every SingleResponse up to a bound; one that cannot be read (an unknown CertID hash)
 * or lies past the bound might be about this certificate (*unreadable). Returns the index
 * of the entry chosen, -1 for none. */
static int entry_for(gnutls_ocsp_resp_t resp, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
		     ocsp_entry *out, int *unreadable)
{
	int found = -1;

	memset(out, 0, sizeof *out);
	for (unsigned idx = 0;; idx++) {
		gnutls_digest_algorithm_t d;
		gnutls_datum_t inh = {NULL, 0}, ikh = {NULL, 0}, sn = {NULL, 0};
		ocsp_entry e;
		int rc;
		if (idx >= MAX_SINGLES) {
			*unreadable = 1;
			break;
		}
		memset(&e, 0, sizeof e);
		rc = gnutls_ocsp_resp_get_single(resp, idx, &d, &inh, &ikh, &sn, &e.status, &e.this_update,
						 &e.next_update, &e.rtime, &e.reason);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			*unreadable = 1;
			continue;
		}
		if (d == GNUTLS_DIG_UNKNOWN || gnutls_hash_get_len(d) == 0 || gnutls_hash_get_len(d) != ikh.size) {
			*unreadable = 1; /* a CertID hash GnuTLS cannot compute */
			rc = GNUTLS_E_OCSP_RESPONSE_ERROR;
		} else {
			rc = gnutls_ocsp_resp_check_crt(resp, idx, crt);
		}
		if (rc == 0 && cert_id_matches(crt, issuer, d, &ikh)) {
			if (found < 0 || (e.status == GNUTLS_OCSP_CERT_REVOKED && out->status != GNUTLS_OCSP_CERT_REVOKED)) {
				found = (int)idx;
				*out = e;
			}
		} else if (rc < 0 && rc != GNUTLS_E_OCSP_RESPONSE_ERROR) {
			*unreadable = 1;
		}
		gnutls_free(inh.data);
		gnutls_free(ikh.data);
		gnutls_free(sn.data);
	}
	return found;
}

static void by_ocsp(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
		    time_t at, time_t fresh_after, int any_time, accord_rev *out, int *unusable,
		    int *blocked, char *why, size_t whylen)
{
	char where[256], who[96], when[40], pwhen[40];

	where_of(crt, where, sizeof where);
	for (size_t i = 0; i < t->n_ocsps; i++) {
		gnutls_ocsp_resp_t resp = t->ocsps[i];
		time_t produced;
		int found, unreadable = 0;
		unsigned status, reason;
		time_t this_update, next_update, rtime;
		ocsp_entry e;
		accord_crypto_verdict v;

		if (gnutls_ocsp_resp_get_status(resp) != GNUTLS_OCSP_RESP_SUCCESSFUL)
			continue;
		found = entry_for(resp, crt, issuer, &e, &unreadable);
		status = e.status;
		reason = e.reason;
		this_update = e.this_update;
		next_update = e.next_update;
		rtime = e.rtime;
		if (found < 0 && !unreadable)
			continue;
		if (!responder_ok(t, i, issuer, who, sizeof who)) {
			if (found >= 0) {
				/* Evidence offered for this certificate that cannot be believed is
				 * not silence: unless other evidence decides, it is unusable. */
				accord_finding_add(t->report, "RFC 6960 4.2.2.2: authorized responders", where,
						   "an OCSP response about it is not signed by its issuer or a responder its issuer authorised (valid when it was produced); it was not used");
				*unusable = 1;
				snprintf(why, whylen, "no acceptable revocation data: its OCSP response is not from an authorised responder");
			}
			continue;
		}
		if (found < 0) {
			/* An authorised response that may speak of this certificate and cannot
			 * be read in full: fail closed. */
			*blocked = 1;
			snprintf(why, whylen, "an OCSP response from '%s' has entries accord cannot read (unknown CertID hash, or more than %d)",
				 who, MAX_SINGLES);
			return;
		}
		/* status, times and reason are those of the entry entry_for chose. */
		produced = gnutls_ocsp_resp_get_produced(resp);
		accord_time_format(produced, pwhen, sizeof pwhen);
		if (status == GNUTLS_OCSP_CERT_REVOKED && (rtime <= at || (any_time && compromise(reason)))) {
			accord_time_format(rtime, when, sizeof when);
			out->status = ACCORD_REV_REVOKED;
			out->revoked_at = rtime;
			snprintf(out->text, sizeof out->text, "revoked by OCSP from '%s' (produced %s) since %s",
				 who, pwhen, when);
			return;
		}
		if (status == GNUTLS_OCSP_CERT_UNKNOWN) {
			*unusable = 1;
			snprintf(why, whylen, "OCSP responder '%s' says its status is unknown (produced %s)", who, pwhen);
			continue;
		}
		memset(&v, 0, sizeof v);
		if (!accord_crypto_sign_ok((gnutls_sign_algorithm_t)gnutls_ocsp_resp_get_signature_algorithm(resp),
					   time(NULL), t->allow_sha1, &v)) {
			*unusable = 1;
			snprintf(why, whylen, "the OCSP response from '%s' cannot show good status: %.100s", who, v.message);
			continue;
		}
		if (fresh_after && produced < fresh_after) {
			accord_time_format(fresh_after, when, sizeof when);
			*unusable = 1;
			snprintf(why, whylen,
				 "the OCSP response from '%s' was produced at %s, before the signature timestamp (%s)",
				 who, pwhen, when);
			continue;
		}
		if (!current_at(this_update, next_update, at)) {
			accord_time_format(at, when, sizeof when);
			*unusable = 1;
			snprintf(why, whylen, "the OCSP response from '%s' (produced %s) is not current at the time judged (%s)",
				 who, pwhen, when);
			continue;
		}
		if (fresh_after && produced > fresh_after + 15 * 60)
			accord_finding_add(t->report, "DigiDoc: OCSP within 15 minutes of the timestamp", where,
					   "the OCSP response from '%s' was produced at %s, more than 15 minutes after the signature timestamp",
					   who, pwhen);
		out->status = ACCORD_REV_GOOD;
		snprintf(out->text, sizeof out->text, "good by OCSP from '%s', produced %s", who, pwhen);
	}
}

/* BDOC 2.1 time-mark: an OCSP response about crt whose nonce is the DigestInfo of the
 * signature value, from a responder authorised for issuer, proves that the signature
 * existed when the response was produced: the responder was asked about that very
 * value. Only a response that verifies as revocation evidence would (its responder
 * authorised, its signature acceptable, the entry for crt good) counts. */
int accord_ocsp_time_mark(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
			  const unsigned char *sig_value, size_t sig_len, time_t *when, char *who,
			  size_t whon)
{
	*when = 0;
	for (size_t i = 0; i < t->n_ocsps; i++) {
		gnutls_ocsp_resp_t resp = t->ocsps[i];
		gnutls_digest_algorithm_t d = GNUTLS_DIG_UNKNOWN;
		unsigned char nonce[ACCORD_OCSP_MAX_HASH], dg[ACCORD_OCSP_MAX_HASH];
		size_t nl = 0;
		time_t produced;
		int good, unreadable;
		ocsp_entry e;
		accord_crypto_verdict v;

		if (gnutls_ocsp_resp_get_status(resp) != GNUTLS_OCSP_RESP_SUCCESSFUL ||
		    accord_ocsp_resp_digest_nonce(resp, &d, nonce, &nl) != ACCORD_OK || d == GNUTLS_DIG_UNKNOWN ||
		    gnutls_hash_get_len(d) != nl || gnutls_hash_fast(d, sig_value, sig_len, dg) < 0 ||
		    memcmp(dg, nonce, nl))
			continue;
		produced = gnutls_ocsp_resp_get_produced(resp);
		memset(&v, 0, sizeof v);
		if (produced == (time_t)-1 || !accord_crypto_digest_ok(d, produced, t->allow_sha1, &v))
			continue;
		memset(&v, 0, sizeof v);
		if (!accord_crypto_sign_ok((gnutls_sign_algorithm_t)gnutls_ocsp_resp_get_signature_algorithm(resp),
					   time(NULL), t->allow_sha1, &v))
			continue;
		unreadable = 0;
		good = entry_for(resp, crt, issuer, &e, &unreadable) >= 0 && !unreadable &&
		       e.status == GNUTLS_OCSP_CERT_GOOD;
		if (!good || !responder_ok(t, i, issuer, who, whon))
			continue;
		if (!*when || produced < *when)
			*when = produced;
	}
	return *when != 0;
}

int accord_revocation_check(const accord_trust *t, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
			    time_t at, time_t fresh_after, int any_time, accord_rev *out, accord_error *err)
{
	accord_rev crl, ocsp;
	int unusable = 0, blocked = 0;
	char why[256] = "";

	(void)err;
	memset(out, 0, sizeof *out);
	memset(&crl, 0, sizeof crl);
	memset(&ocsp, 0, sizeof ocsp);
	snprintf(out->text, sizeof out->text, "no revocation data");
	by_ocsp(t, crt, issuer, at, fresh_after, any_time, &ocsp, &unusable, &blocked, why, sizeof why);
	if (blocked) {
		out->status = ACCORD_REV_UNUSABLE;
		snprintf(out->text, sizeof out->text, "%s", why);
		return ACCORD_OK;
	}
	if (ocsp.status == ACCORD_REV_REVOKED) {
		*out = ocsp;
		return ACCORD_OK;
	}
	by_crl(t, crt, issuer, at, any_time, &crl);
	if (crl.status == ACCORD_REV_REVOKED || crl.status == ACCORD_REV_UNUSABLE) {
		*out = crl;
		return ACCORD_OK;
	}
	if (ocsp.status == ACCORD_REV_GOOD) {
		*out = ocsp;
		return ACCORD_OK;
	}
	if (unusable) {
		/* The package offered OCSP evidence for this certificate and none of it can be
		 * used: that is not silence, it is evidence that fails. */
		out->status = ACCORD_REV_UNUSABLE;
		snprintf(out->text, sizeof out->text, "%s", why);
		return ACCORD_OK;
	}
	if (crl.status == ACCORD_REV_GOOD)
		*out = crl;
	return ACCORD_OK;
}
