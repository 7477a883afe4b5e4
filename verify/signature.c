/* verify/signature.c — one XAdES signature or countersignature, checked in the order of
 * ETSI EN 319 102-1: format, signing certificate identification, references (data files
 * by their single-pass digests, SignedProperties, the countersigned SignatureValue),
 * the signature value, then the certificate path at the time being checked. */
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <gnutls/crypto.h>
#include <gnutls/abstract.h>
#include "verify/verify.h"
#include "formats/c14n.h"
#include "formats/tst.h"

#define MAX_HELPERS 64

static int set_result(accord_sig_report *r, accord_indication ind, accord_subindication sub,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int set_result(accord_sig_report *r, accord_indication ind, accord_subindication sub,
		      const char *fmt, ...)
{
	va_list ap;

	r->indication = ind;
	r->subindication = sub;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
	return ACCORD_OK;
}

/* Is this digest algorithm acceptable? Unknown or weak ones are a crypto constraint. */
static int digest_ok(const accord_digest_alg *a, const char *uri, const accord_verify_options *opt,
		     accord_sig_report *r, const char *what)
{
	if (!a) {
		set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,
			   "unknown digest algorithm '%s' for %s", uri ? uri : "(none)", what);
		return 0;
	}
	if (a->weak && (!opt->allow_weak || a->gnutls == GNUTLS_DIG_MD5)) {
		set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,
			   "weak digest algorithm '%s' for %s is refused", a->uri, what);
		return 0;
	}
	return 1;
}

static const unsigned char *entry_digest(const accord_entry *e, const accord_digest_alg *a,
					 int c_has_extra)
{
	switch (a->gnutls) {
	case GNUTLS_DIG_SHA256:
		return e->doc.sha256;
	case GNUTLS_DIG_SHA384:
		return c_has_extra && e->extra ? e->extra : NULL;
	case GNUTLS_DIG_SHA512:
		return c_has_extra && e->extra ? e->extra + 48 : NULL;
	default:
		return NULL; /* SHA-1 is not computed in the reading pass */
	}
}

static int same_doc_digest(xmlNodePtr target, const accord_xref *ref, unsigned char *out,
			   accord_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = accord_c14n_node(target, ref->transform, ref->transform_prefixes, &buf, &len, err);

	if (rc)
		return rc;
	if (gnutls_hash_fast(ref->digest_alg->gnutls, buf, len, out) < 0)
		rc = accord_err(err, ACCORD_ERR_CRYPTO, "digest", "gnutls_hash_fast failed");
	xmlFree(buf);
	return rc;
}

static int add_covered(accord_sig_report *r, const char *name)
{
	if (accord_array_grow(&r->covered, r->n_covered, sizeof *r->covered) < 0)
		return ACCORD_ERR_NOMEM;
	r->covered[r->n_covered] = accord_strdup(name);
	if (!r->covered[r->n_covered])
		return ACCORD_ERR_NOMEM;
	r->n_covered++;
	return ACCORD_OK;
}

/* The META-INF file of c called name that a signature may cover: a signature file
 * (META-INF/...signatures...xml) or the manifest; NULL for anything else. */
static const accord_meta_file *signature_file(const accord_container *c, const char *name)
{
	for (size_t i = 0; i < c->n_signatures; i++)
		if (!strcmp(c->signatures[i].name, name))
			return &c->signatures[i];
	if (c->manifest.name && c->manifest.data && !strcmp(c->manifest.name, name))
		return &c->manifest;
	return NULL;
}

/* The references in order, repeated[i] when an earlier reference has the same path. */
static int check_refs_in(const accord_container *c, const accord_xsig *s,
			 const accord_verify_options *opt, const unsigned char *repeated,
			 accord_sig_report *r, accord_error *err)
{
	for (size_t i = 0; i < s->n_refs; i++) {
		const accord_xref *ref = &s->refs[i];
		unsigned char d[64];
		const unsigned char *want = NULL;

		if (!digest_ok(ref->digest_alg, ref->digest_uri, opt, r, ref->uri))
			return ACCORD_OK;
		if (ref->is_signed_props || ref->is_countersigned) {
			xmlNodePtr target = ref->is_signed_props ? s->signed_props : NULL;
			if (ref->is_countersigned) {
				if (!s->master || !s->master->sig_value_id ||
				    strcmp(ref->uri + 1, s->master->sig_value_id))
					return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE,
							  "countersignature reference '%s' is not the SignatureValue of the signature that holds it",
							  ref->uri);
				target = s->master->sig_value_node;
			}
			if (same_doc_digest(target, ref, d, err))
				return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE,
						  "cannot canonicalise '%s': %s", ref->uri, err->why);
			want = d;
		} else {
			const accord_entry *e = accord_container_find(c, ref->path);
			const accord_meta_file *sf = e ? NULL : signature_file(c, ref->path);
			if (sf) {
				/* A signature over another signature file or over the manifest (DSS
				 * writes these): its bytes as stored; reported for what it is. */
				int drc = accord_meta_file_digest(sf, ref->digest_alg->gnutls, d);
				if (drc == ACCORD_ERR_NOMEM)
					return accord_err(err, drc, ref->path, "out of memory");
				if (drc)
					return set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,
							  "digest algorithm '%s' is not supported", ref->digest_alg->uri);
				if (repeated[i])
					return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE,
							  "'%s' is referenced twice", ref->path);
				if (add_covered(r, ref->path))
					return accord_err(err, ACCORD_ERR_NOMEM, ref->path, "out of memory");
				want = d;
				if (ref->digest_len != ref->digest_alg->len ||
				    gnutls_memcmp(want, ref->digest, ref->digest_len) != 0)
					return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_HASH_FAILURE,
							  "'%s' does not match its signed digest (it was changed)",
							  ref->path);
				continue;
			}
			if (!e)
				return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_SIGNED_DATA_NOT_FOUND,
						  "signed document '%s' is not in the package", ref->path);
			if (repeated[i])
				return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE,
						  "document '%s' is referenced twice", ref->path);
			want = entry_digest(e, ref->digest_alg, c->has_extra_digests);
			if (!want)
				return set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,
						  "digest algorithm '%s' is not supported for documents",
						  ref->digest_alg->uri);
			if (add_covered(r, ref->path))
				return accord_err(err, ACCORD_ERR_NOMEM, ref->path, "out of memory");
		}
		if (ref->digest_len != ref->digest_alg->len ||
		    gnutls_memcmp(want, ref->digest, ref->digest_len) != 0)
			return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_HASH_FAILURE,
					  ref->path ? "document '%s' does not match its signed digest (it was changed)"
					  : ref->is_countersigned
						  ? "the countersigned SignatureValue '%s' does not match its digest"
						  : "signed properties '%s' do not match their digest",
					  ref->path ? ref->path : ref->uri);
	}
	return ACCORD_OK;
}

/* The references: every digest must match, every data file must be referenced once
 * (the repeats found by sorting the paths once, not by comparing every pair). */
static int check_references(const accord_container *c, const accord_xsig *s,
			    const accord_verify_options *opt, accord_sig_report *r, accord_error *err)
{
	accord_name_index ix = {0};
	unsigned char *repeated = calloc(s->n_refs ? s->n_refs : 1, 1);
	int rc = ACCORD_OK;

	for (size_t i = 0; repeated && i < s->n_refs; i++)
		if (accord_name_index_add(&ix, s->refs[i].path, i) < 0) {
			free(repeated);
			repeated = NULL;
		}
	if (!repeated) {
		accord_name_index_free(&ix);
		return accord_err(err, ACCORD_ERR_NOMEM, r->file, "out of memory");
	}
	accord_name_index_sort(&ix);
	accord_name_index_repeats(&ix, repeated);
	accord_name_index_free(&ix);
	rc = check_refs_in(c, s, opt, repeated, r, err);
	free(repeated);
	return rc;
}

int accord_xmldsig_value_check(gnutls_x509_crt_t cert, const accord_sig_alg *alg,
			       const char *alg_uri, xmlNodePtr signed_info, const char *c14n,
			       const char *prefixes, const unsigned char *value, size_t value_len,
			       char *why, size_t n)
{
	gnutls_pubkey_t pub = NULL;
	unsigned char *canon = NULL;
	size_t canon_len = 0;
	gnutls_datum_t data, sig = {(unsigned char *)value, (unsigned)value_len}, der = {NULL, 0};
	unsigned bits = 0;
	int pk, res = ACCORD_XMLDSIG_SIG_FAILURE;
	accord_error e;

	if (gnutls_pubkey_init(&pub) < 0 || gnutls_pubkey_import_x509(pub, cert, 0) < 0) {
		snprintf(why, n, "cannot read the signer's public key");
		res = ACCORD_XMLDSIG_NO_KEY;
		goto out;
	}
	pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);
	if ((gnutls_pk_algorithm_t)pk != alg->pk && !(alg->pk == GNUTLS_PK_RSA && pk == GNUTLS_PK_RSA_PSS)) {
		snprintf(why, n, "signature method '%s' does not fit the signer's key", alg_uri);
		goto out;
	}
	if (accord_c14n_node(signed_info, c14n, prefixes, &canon, &canon_len, &e)) {
		snprintf(why, n, "cannot canonicalise SignedInfo: %s", e.why);
		res = ACCORD_XMLDSIG_FORMAT;
		goto out;
	}
	data.data = canon;
	data.size = (unsigned)canon_len;
	if (alg->raw_ecdsa) {
		size_t half = value_len / 2;
		gnutls_datum_t rr = {(unsigned char *)value, (unsigned)half},
			       ss = {(unsigned char *)value + half, (unsigned)half};
		if (value_len % 2 || half != (bits + 7) / 8 || gnutls_encode_rs_value(&der, &rr, &ss) < 0) {
			snprintf(why, n, "ECDSA signature value has the wrong size (raw r||s expected)");
			goto out;
		}
		sig = der;
	}
	if (gnutls_pubkey_verify_data2(pub, alg->gnutls, 0, &data, &sig) < 0)
		snprintf(why, n, "the signature value does not verify with the signer's key");
	else
		res = ACCORD_XMLDSIG_OK;
out:
	gnutls_free(der.data);
	xmlFree(canon);
	gnutls_pubkey_deinit(pub);
	return res;
}

static int check_value(const accord_xsig *s, gnutls_x509_crt_t cert, accord_sig_report *r)
{
	char why[300];

	switch (accord_xmldsig_value_check(cert, s->sig_alg, s->sig_uri, s->signed_info, s->c14n_uri,
					   s->c14n_prefixes, s->sig_value, s->sig_value_len, why,
					   sizeof why)) {
	case ACCORD_XMLDSIG_OK:
		return ACCORD_OK;
	case ACCORD_XMLDSIG_NO_KEY:
		return set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND, "%s", why);
	case ACCORD_XMLDSIG_FORMAT:
		return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE, "%s", why);
	default:
		return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_SIG_CRYPTO_FAILURE, "%s", why);
	}
}

/* SignatureTimeStamp tokens: each must cover this SignatureValue and come from a TSA the
 * trust engine believes at genTime; the earliest valid genTime becomes the time the
 * signer's certificate is judged at. */
static int check_timestamps(const accord_xsig *s, const accord_trust *trust,
			    const gnutls_x509_crt_t *certs, size_t n_certs, accord_sig_report *r,
			    accord_error *err)
{
	for (size_t i = 0; i < s->n_ts; i++) {
		gnutls_digest_algorithm_t alg = GNUTLS_DIG_UNKNOWN;
		unsigned char d[64];
		size_t dl = 0;
		accord_tst_result res;
		int rc, seen = 0;

		/* The same token again proves nothing more: judged once. */
		for (size_t j = 0; j < i && !seen; j++)
			seen = s->ts_lens[j] == s->ts_lens[i] &&
			       !memcmp(s->ts_tokens[j], s->ts_tokens[i], s->ts_lens[i]);
		if (seen)
			continue;
		memset(&res, 0, sizeof res);
		if (accord_tst_imprint_alg(s->ts_tokens[i], s->ts_lens[i], &alg, err) ||
		    accord_sigvalue_imprint(s->sig_value_node, s->ts_c14n[i], alg, d, &dl, err))
			return set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE,
					  "signature timestamp %zu cannot be read: %s", i + 1, err->why);
		rc = accord_timestamp_validate(trust, s->ts_tokens[i], s->ts_lens[i], alg, d, dl, NULL, 0,
					       certs, n_certs, &res, err);
		if (rc) {
			accord_tst_result_clear(&res);
			return rc;
		}
		if (!res.valid) {
			accord_subindication sub = res.sub_indication != ACCORD_SUB_NONE ? res.sub_indication
										 : ACCORD_SUB_FORMAT_FAILURE;
			int fatal = sub == ACCORD_SUB_HASH_FAILURE || sub == ACCORD_SUB_SIG_CRYPTO_FAILURE ||
				    sub == ACCORD_SUB_FORMAT_FAILURE || sub == ACCORD_SUB_SIGNED_DATA_NOT_FOUND;
			set_result(r, fatal ? ACCORD_TOTAL_FAILED : ACCORD_INDETERMINATE, sub,
				   "signature timestamp: %s", res.reason);
			accord_tst_result_clear(&res);
			return ACCORD_OK;
		}
		if (!r->timestamp_time || res.gen_time < r->timestamp_time) {
			r->timestamp_time = res.gen_time;
			snprintf(r->timestamp_authority, sizeof r->timestamp_authority, "%s", res.tsa_name);
		}
		accord_tst_result_clear(&res);
	}
	return ACCORD_OK;
}

/* The crypto policy for what the signer did, at the earliest proof of existence: the
 * signature method's digest, the signer's key, and every reference's digest. */
/* BDOC 2.1 (SK's profile of XAdES for DigiDoc, 2013): signatures under this policy are
 * time-marked (an OCSP response whose nonce is the digest of the signature value) rather
 * than timestamped. Identifier as an OID or a urn:oid: URN, surrounding blanks ignored. */
#define BDOC_TM_POLICY "1.3.6.1.4.1.10015.1000.3.2.1"
static int is_time_mark_policy(const char *id)
{
	size_t n;

	if (!id)
		return 0;
	while (*id == ' ' || *id == '\t' || *id == '\n' || *id == '\r')
		id++;
	if (!strncasecmp(id, "urn:oid:", 8))
		id += 8;
	n = strlen(BDOC_TM_POLICY);
	if (strncmp(id, BDOC_TM_POLICY, n))
		return 0;
	for (id += n; *id; id++)
		if (*id != ' ' && *id != '\t' && *id != '\n' && *id != '\r')
			return 0;
	return 1;
}

static int crypto_policy_ok(const accord_trust *t, const accord_xsig *s, gnutls_x509_crt_t signer,
			    time_t poe, const accord_verify_options *opt, accord_sig_report *r)
{
	accord_crypto_verdict v;

	memset(&v, 0, sizeof v);
	if (!accord_crypto_crt_key_ok_in(t->memo, signer, poe, &v) ||
	    (s->sig_alg->gnutls != GNUTLS_SIGN_EDDSA_ED25519 &&
	     !accord_crypto_digest_ok(gnutls_sign_get_hash_algorithm(s->sig_alg->gnutls), poe,
				      opt->allow_weak, &v))) {
		set_result(r, ACCORD_INDETERMINATE, v.subindication, "signer's %s", v.message);
		return 0;
	}
	for (size_t i = 0; i < s->n_refs; i++)
		if (!accord_crypto_digest_ok(s->refs[i].digest_alg->gnutls, poe, opt->allow_weak, &v)) {
			set_result(r, ACCORD_INDETERMINATE, v.subindication, "reference '%s': %s",
				   s->refs[i].uri ? s->refs[i].uri : "", v.message);
			return 0;
		}
	return 1;
}

/* A new array of a's na items then b's nb items (NULL when both are empty). */
static void *join(const void *a, size_t na, const void *b, size_t nb, size_t size)
{
	unsigned char *g;

	if (!na && !nb)
		return NULL;
	g = accord_calloc(na + nb, size);
	if (!g)
		return NULL;
	if (na)
		memcpy(g, a, na * size);
	if (nb)
		memcpy(g + na * size, b, nb * size);
	return g;
}

static void describe_signer(const accord_trust *t, gnutls_x509_crt_t cert, accord_sig_report *r)
{
	accord_cert_info info;
	accord_error e;

	if (accord_memo_describe(t->memo, cert, &info, &e) == ACCORD_OK) {
		snprintf(r->signer, sizeof r->signer, "%s", info.name);
		snprintf(r->signer_subject, sizeof r->signer_subject, "%s", info.subject);
		snprintf(r->signer_fingerprint, sizeof r->signer_fingerprint, "%s", info.sha256_hex);
		snprintf(r->signer_org, sizeof r->signer_org, "%s", info.org);
		snprintf(r->signer_country, sizeof r->signer_country, "%s", info.country);
		snprintf(r->signer_issuer, sizeof r->signer_issuer, "%s", info.issuer_name);
	}
}

static accord_commitment commitment_of(const char *uri)
{
	if (!uri)
		return ACCORD_COMMIT_NONE;
	if (strstr(uri, "ProofOfApproval"))
		return ACCORD_COMMIT_APPROVAL;
	if (strstr(uri, "ProofOfOrigin"))
		return ACCORD_COMMIT_ORIGIN;
	if (strstr(uri, "ProofOfReceipt"))
		return ACCORD_COMMIT_RECEIPT;
	return ACCORD_COMMIT_OTHER;
}

int accord_verify_signature(const accord_container *c, const accord_xsig *s,
			    const accord_trust *trust, const accord_verify_options *opt,
			    accord_sig_report *r, accord_path *path, accord_error *err)
{
	gnutls_x509_crt_t *certs = NULL, signer = NULL, helpers[MAX_HELPERS];
	int *owned = NULL;                /* certs[i] is this signature's to free */
	gnutls_x509_crl_t *crls = NULL;
	gnutls_ocsp_resp_t *ocsps = NULL;
	accord_trust local;
	accord_evidence_cache cache;
	accord_ltv ltv;
	size_t n = 0, nh = 0;
	time_t poe, mark = 0;
	char mark_by[96] = "";
	int rc = ACCORD_OK;

	memset(path, 0, sizeof *path);
	path->indication = ACCORD_INDETERMINATE;
	memset(&ltv, 0, sizeof ltv);
	memset(&cache, 0, sizeof cache);
	r->indication = ACCORD_TOTAL_PASSED;
	snprintf(r->id, sizeof r->id, "%s", s->id);
	snprintf(r->signature_method, sizeof r->signature_method, "%s", s->sig_uri ? s->sig_uri : "");
	snprintf(r->role, sizeof r->role, "%s", s->role ? s->role : "");
	snprintf(r->city, sizeof r->city, "%s", s->city ? s->city : "");
	snprintf(r->country, sizeof r->country, "%s", s->country ? s->country : "");
	r->commitment = commitment_of(s->commitment);
	r->claimed_time = s->has_signing_time ? s->signing_time : 0;
	r->party = -1;

	/* The signing certificate: the KeyInfo certificate whose digest SigningCertificate(V2)
	 * names; the others are path helpers. */
	certs = accord_calloc(s->n_certs, sizeof *certs);
	owned = accord_calloc(s->n_certs, sizeof *owned);
	if (!certs || !owned) {
		free(certs);
		free(owned);
		return accord_err(err, ACCORD_ERR_NOMEM, s->id, "out of memory");
	}
	for (size_t i = 0; i < s->n_certs; i++) {
		unsigned char dg[64];
		int irc = accord_memo_import(trust->memo, s->certs[i], s->cert_lens[i], &certs[n], &owned[n]);
		if (irc == ACCORD_MEMO_NO_OBJECT)
			break;
		if (irc < 0) {
			set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE,
				   "KeyInfo certificate %zu is not a valid X.509 certificate", i + 1);
			goto out;
		}
		if (s->cert_digest_alg && !signer &&
		    gnutls_hash_fast(s->cert_digest_alg->gnutls, s->certs[i], s->cert_lens[i], dg) == 0 &&
		    s->cert_digest_len == s->cert_digest_alg->len &&
		    !memcmp(dg, s->cert_digest, s->cert_digest_len))
			signer = certs[n];
		n++;
	}
	if (!s->sig_alg) {
		set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,
			   "unknown signature method '%s'", s->sig_uri ? s->sig_uri : "(none)");
		goto out;
	}
	if (s->sig_alg->weak && !opt->allow_weak) {
		set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE,
			   "weak signature method '%s' is refused", s->sig_uri);
		goto out;
	}
	/* The SigningCertificate digest only names which certificate signed: the signature
	 * must still verify with that certificate's key and its path is judged on its own,
	 * so a SHA-1 digest here cannot make another signer appear. As in the DSS and
	 * DigiDoc policies (SigningCertificateDigestAlgorithm: WARN) it is a finding. MD5
	 * and unknown algorithms stay refused. */
	if (s->cert_digest_alg && s->cert_digest_alg->gnutls == GNUTLS_DIG_SHA1) {
		char where[300];
		snprintf(where, sizeof where, "%s: signature '%s'", r->file[0] ? r->file : "(signature)",
			 s->id ? s->id : "");
		accord_finding_add(trust->report, "ETSI TS 119 312: SHA-1 in SigningCertificate", where,
				   "the signing certificate is named by a SHA-1 digest (weak); the certificate is identified and its path judged on its own");
	} else if (!digest_ok(s->cert_digest_alg, s->cert_digest_uri, opt, r, "the signing certificate"))
		goto out;
	if (!signer) {
		if (n)
			describe_signer(trust, certs[0], r);
		set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND,
			   "no KeyInfo certificate matches the signed SigningCertificate digest%s", "");
		goto out;
	}
	describe_signer(trust, signer, r);
	rc = check_references(c, s, opt, r, err);
	if (rc || r->indication != ACCORD_TOTAL_PASSED)
		goto out;
	rc = check_value(s, signer, r);
	if (rc || r->indication != ACCORD_TOTAL_PASSED)
		goto out;
	/* Long-term validation data: more path helpers, CRLs and OCSP responses, archive
	 * timestamps. All of it is unsigned: it can only help build a path whose every link
	 * verifies, or be evidence that verifies with the key of an issuer on that path. */
	rc = accord_ltv_load(s, &ltv, err);
	if (rc) {
		if (rc == ACCORD_ERR_NOMEM)
			goto out;
		rc = ACCORD_OK;
		set_result(r, ACCORD_TOTAL_FAILED, ACCORD_SUB_FORMAT_FAILURE, "%s", err->why);
		goto out;
	}
	r->has_ltv = ltv.n_certs || ltv.n_crls || ltv.n_ocsps;
	for (size_t i = 0; i < n && nh < MAX_HELPERS; i++)
		if (certs[i] != signer)
			helpers[nh++] = certs[i];
	for (size_t i = 0; i < ltv.n_certs && nh < MAX_HELPERS; i++)
		helpers[nh++] = ltv.certs[i];
	/* The given evidence, then this signature's own (never another signature's). */
	local = *trust;
	crls = join(trust->crls, trust->n_crls, ltv.crls, ltv.n_crls, sizeof *crls);
	ocsps = join(trust->ocsps, trust->n_ocsps, ltv.ocsps, ltv.n_ocsps, sizeof *ocsps);
	if ((trust->n_crls + ltv.n_crls && !crls) || (trust->n_ocsps + ltv.n_ocsps && !ocsps)) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, s->id, "out of memory");
		goto out;
	}
	local.crls = crls;
	local.n_crls = trust->n_crls + ltv.n_crls;
	local.ocsps = ocsps;
	local.n_ocsps = trust->n_ocsps + ltv.n_ocsps;
	rc = accord_evidence_cache_init(&cache, local.n_crls, local.n_ocsps);
	if (rc) {
		rc = accord_err(err, rc, s->id, "out of memory");
		goto out;
	}
	local.cache = &cache;
	rc = check_timestamps(s, &local, helpers, nh, r, err);
	if (rc || r->indication != ACCORD_TOTAL_PASSED)
		goto out;
	rc = accord_archive_timestamps_check(c, s, &local, helpers, nh, r, err);
	if (rc || r->indication != ACCORD_TOTAL_PASSED)
		goto out;
	/* A BDOC 2.1 time-mark stands in for the signature timestamp it does without. */
	if (!r->timestamp_time && !r->archive_time && is_time_mark_policy(s->policy_id)) {
		accord_path found;
		if (accord_path_build(&local, signer, helpers, nh, &found) && found.n > 1)
			accord_ocsp_time_mark(&local, signer, found.chain[1], s->sig_value, s->sig_value_len,
					      &mark, mark_by, sizeof mark_by);
	}
	/* The time the certificate is judged at: what a valid timestamp proves first; --at
	 * only where no timestamp proves anything, else now. A claimed SigningTime is the
	 * signer's word, not proof of existence (EN 319 102-1): a backdated signature
	 * cannot hide an expired or revoked certificate. */
	if (r->timestamp_time) {
		r->validation_time = r->timestamp_time;
		r->time_source = ACCORD_TIME_TIMESTAMPED;
	} else if (r->archive_time) {
		r->validation_time = r->archive_time;
		r->time_source = ACCORD_TIME_ARCHIVED;
	} else if (mark) {
		r->validation_time = mark;
		r->time_source = ACCORD_TIME_MARK;
	} else if (opt->at) {
		r->validation_time = opt->at;
		r->time_source = ACCORD_TIME_GIVEN;
	} else {
		r->validation_time = time(NULL);
		r->time_source = ACCORD_TIME_NOW;
	}
	/* Proof of existence for the crypto policy: a timestamp or a time-mark. */
	poe = r->timestamp_time ? r->timestamp_time : r->archive_time ? r->archive_time : mark ? mark : time(NULL);
	accord_crypto_describe(signer,
			       s->sig_alg->gnutls == GNUTLS_SIGN_EDDSA_ED25519
				       ? GNUTLS_DIG_UNKNOWN
				       : gnutls_sign_get_hash_algorithm(s->sig_alg->gnutls),
			       r->crypto, sizeof r->crypto);
	if (!crypto_policy_ok(trust, s, signer, poe, opt, r))
		goto out;
	rc = accord_path_validate(&local, signer, helpers, nh, r->validation_time, poe,
				  r->timestamp_time, ACCORD_PURPOSE_SIGNER, path, err);
	if (rc)
		goto out;
	snprintf(r->revocation, sizeof r->revocation, "%s", path->revocation);
	snprintf(r->path_evidence, sizeof r->path_evidence, "%s", path->evidence);
	/* Embedded validation data that cannot be read was skipped: reported, and where no
	 * other evidence decided the signer's status it may have been that evidence. */
	if (ltv.n_malformed) {
		char where[300];
		snprintf(where, sizeof where, "%s: signature '%s'", r->file[0] ? r->file : "(signature)",
			 s->id ? s->id : "");
		accord_finding_add(trust->report, "ETSI EN 319 132-1 5.5: long-term validation data", where,
				   "%zu embedded validation value%s cannot be read (the first: %s); skipped",
				   ltv.n_malformed, ltv.n_malformed == 1 ? "" : "s", ltv.malformed);
		if (path->indication == ACCORD_TOTAL_PASSED && !path->leaf_rev_decided) {
			set_result(r, ACCORD_INDETERMINATE, ACCORD_SUB_REVOCATION_OUT_OF_BOUNDS_NO_POE,
				   "embedded revocation data cannot be read (%s) and no other evidence decides the signer's status",
				   ltv.malformed);
			goto out;
		}
	}
	if (path->anchored)
		accord_crt_cn(path->chain[path->n - 1], r->anchor, sizeof r->anchor);
	if (path->indication != ACCORD_TOTAL_PASSED)
		set_result(r, path->indication, path->subindication, "%s", path->message);
out:
	accord_evidence_cache_clear(&cache);
	free(crls);
	free(ocsps);
	accord_ltv_clear(&ltv);
	for (size_t i = 0; i < n; i++)
		if (owned[i])
			gnutls_x509_crt_deinit(certs[i]);
	free(certs);
	free(owned);
	return rc;
}
