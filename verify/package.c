/* verify/package.c — `accord verify`: the whole package offline. Each document was hashed
 * once when the container was read; every signature and countersignature is checked
 * against those digests; then declared parties, quorum and coverage decide whether the
 * package is valid and complete. */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "verify/verify.h"

const char *accord_indication_name(accord_indication i)
{
	switch (i) {
	case ACCORD_TOTAL_PASSED: return "TOTAL-PASSED";
	case ACCORD_TOTAL_FAILED: return "TOTAL-FAILED";
	case ACCORD_INDETERMINATE: return "INDETERMINATE";
	}
	return "?";
}

const char *accord_time_source_name(accord_time_source s)
{
	switch (s) {
	case ACCORD_TIME_NONE: return "";
	case ACCORD_TIME_TIMESTAMPED: return "timestamped";
	case ACCORD_TIME_ARCHIVED: return "archived";
	case ACCORD_TIME_MARK: return "time-mark";
	case ACCORD_TIME_GIVEN: return "given";
	case ACCORD_TIME_NOW: return "now";
	}
	return "";
}

const char *accord_subindication_name(accord_subindication s)
{
	switch (s) {
	case ACCORD_SUB_NONE: return "";
	case ACCORD_SUB_FORMAT_FAILURE: return "FORMAT_FAILURE";
	case ACCORD_SUB_HASH_FAILURE: return "HASH_FAILURE";
	case ACCORD_SUB_SIG_CRYPTO_FAILURE: return "SIG_CRYPTO_FAILURE";
	case ACCORD_SUB_SIGNED_DATA_NOT_FOUND: return "SIGNED_DATA_NOT_FOUND";
	case ACCORD_SUB_SIG_CONSTRAINTS_FAILURE: return "SIG_CONSTRAINTS_FAILURE";
	case ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE: return "CHAIN_CONSTRAINTS_FAILURE";
	case ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE: return "CRYPTO_CONSTRAINTS_FAILURE";
	case ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE: return "CRYPTO_CONSTRAINTS_FAILURE_NO_POE";
	case ACCORD_SUB_EXPIRED: return "EXPIRED";
	case ACCORD_SUB_NOT_YET_VALID: return "NOT_YET_VALID";
	case ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND: return "NO_SIGNING_CERTIFICATE_FOUND";
	case ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND: return "NO_CERTIFICATE_CHAIN_FOUND";
	case ACCORD_SUB_REVOKED_NO_POE: return "REVOKED_NO_POE";
	case ACCORD_SUB_REVOCATION_OUT_OF_BOUNDS_NO_POE: return "REVOCATION_OUT_OF_BOUNDS_NO_POE";
	case ACCORD_SUB_OUT_OF_BOUNDS_NO_POE: return "OUT_OF_BOUNDS_NO_POE";
	case ACCORD_SUB_TRY_LATER: return "TRY_LATER";
	}
	return "?";
}

int accord_crls_load_file(const char *path, int quiet_if_none, gnutls_x509_crl_t **list,
			  size_t *n, accord_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	gnutls_datum_t d;
	gnutls_x509_crl_t *got = NULL;
	unsigned count = 0;
	int rc = accord_file_read(path, 64u << 20, &buf, &len, err), grc;

	if (rc)
		return rc;
	d.data = buf;
	d.size = (unsigned)len;
	/* Every CRL of a PEM bundle, else one DER CRL. */
	grc = gnutls_x509_crl_list_import2(&got, &count, &d, GNUTLS_X509_FMT_PEM, 0);
	if (grc < 0 || !count) {
		got = NULL;
		count = 0;
		grc = gnutls_x509_crl_list_import2(&got, &count, &d, GNUTLS_X509_FMT_DER, 0);
	}
	free(buf);
	if (grc < 0 || !count) {
		if (quiet_if_none)
			return ACCORD_OK;
		return accord_err_gnutls(err, path, "gnutls_x509_crl_list_import2: no CRL", grc < 0 ? grc : 0);
	}
	{
		gnutls_x509_crl_t *g = realloc(*list, (*n + count) * sizeof *g);
		if (!g) {
			for (unsigned i = 0; i < count; i++)
				gnutls_x509_crl_deinit(got[i]);
			gnutls_free(got);
			return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		}
		*list = g;
		memcpy(g + *n, got, count * sizeof *g);
		*n += count;
	}
	gnutls_free(got);
	return ACCORD_OK;
}

int accord_ocsp_load_file(const char *path, gnutls_ocsp_resp_t **list, size_t *n, accord_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	gnutls_datum_t d;
	gnutls_ocsp_resp_t r = NULL, *g;
	int rc = accord_file_read(path, 16u << 20, &buf, &len, err), grc;

	if (rc)
		return rc;
	d.data = buf;
	d.size = (unsigned)len;
	grc = gnutls_ocsp_resp_init(&r);
	if (grc >= 0)
		grc = gnutls_ocsp_resp_import(r, &d);
	free(buf);
	if (grc < 0) {
		if (r)
			gnutls_ocsp_resp_deinit(r);
		return accord_err_gnutls(err, path, "gnutls_ocsp_resp_import", grc);
	}
	g = realloc(*list, (*n + 1) * sizeof *g);
	if (!g) {
		gnutls_ocsp_resp_deinit(r);
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	}
	*list = g;
	g[(*n)++] = r;
	return ACCORD_OK;
}

/* --crl files (every CRL in each), CRLs inside --trust files, --ocsp files. */
int accord_trust_evidence_load(const accord_verify_options *opt, accord_trust *t, accord_error *err)
{
	int rc = ACCORD_OK;

	for (size_t i = 0; i < opt->n_crls && !rc; i++)
		rc = accord_crls_load_file(opt->crls[i], 0, &t->crls, &t->n_crls, err);
	for (size_t i = 0; i < opt->n_trust && !rc; i++) {
		struct stat st;
		if (stat(opt->trust[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = accord_crls_load_file(opt->trust[i], 1, &t->crls, &t->n_crls, err);
	}
	for (size_t i = 0; i < opt->n_ocsps && !rc; i++)
		rc = accord_ocsp_load_file(opt->ocsps[i], &t->ocsps, &t->n_ocsps, err);
	return rc;
}

/* --tsl lists, after the --trust and store anchors (which keep every purpose, always). */
static int load_tsls(const accord_verify_options *opt, accord_trust *t, accord_report *r,
		     accord_error *err)
{
	accord_anchor_scope *scopes;
	accord_tsl_anchors a = {&t->anchors, &scopes, &t->n_anchors};
	int rc = ACCORD_OK;

	if (!opt->n_tsl)
		return ACCORD_OK;
	scopes = accord_calloc(t->n_anchors + 1, sizeof *scopes);
	r->tsls = accord_calloc(opt->n_tsl, sizeof *r->tsls);
	if (!scopes || !r->tsls) {
		free(scopes);
		return accord_err(err, ACCORD_ERR_NOMEM, "trusted list", "out of memory");
	}
	for (size_t i = 0; i < t->n_anchors; i++)
		scopes[i].always = 1;
	for (size_t i = 0; i < opt->n_tsl && !rc; i++) {
		rc = accord_tsl_add(opt->tsl[i], opt->tsl_certs[i], &a, r, &r->tsls[i], err);
		if (!rc)
			r->n_tsls++;
	}
	t->scopes = scopes;
	return rc;
}

void accord_trust_clear(accord_trust *t)
{
	free((void *)t->scopes);
	accord_crt_list_free(t->anchors, t->n_anchors);
	for (size_t i = 0; i < t->n_crls; i++)
		gnutls_x509_crl_deinit(t->crls[i]);
	free(t->crls);
	for (size_t i = 0; i < t->n_ocsps; i++)
		gnutls_ocsp_resp_deinit(t->ocsps[i]);
	free(t->ocsps);
}

static accord_sig_report *new_sig(accord_report *r)
{
	accord_sig_report *g;

	if (accord_array_grow(&r->sigs, r->n_sigs, sizeof *r->sigs) < 0)
		return NULL;
	g = r->sigs;
	memset(&g[r->n_sigs], 0, sizeof *g);
	g[r->n_sigs].master = -1;
	g[r->n_sigs].party = -1;
	return &g[r->n_sigs++];
}

/* Does this valid signature satisfy declared party p? Only the path the trust engine
 * validated, link by link to its anchor, may say who vouches for the signer. */
static int satisfies(const accord_party *p, const accord_sig_report *s, const accord_path *path)
{
	if (path->indication != ACCORD_TOTAL_PASSED || !path->anchored)
		return 0;
	if (p->fingerprint[0])
		return !strcmp(p->fingerprint, s->signer_fingerprint) &&
		       !strcmp(p->fingerprint, path->fingerprints[0]);
	if (p->ca_fingerprint[0] && !strcmp(p->name, s->signer))
		for (size_t i = 1; i < path->n; i++)
			if (!strcmp(path->fingerprints[i], p->ca_fingerprint))
				return 1;
	return 0;
}

static int covers(const accord_sig_report *s, const char *name)
{
	for (size_t i = 0; i < s->n_covered; i++)
		if (!strcmp(s->covered[i], name))
			return 1;
	return 0;
}

/* Media types compare without case and without parameters ("text/plain; charset=utf-8"). */
static int media_types_agree(const char *a, const char *b)
{
	size_t la = strcspn(a, ";"), lb = strcspn(b, ";");

	while (la && (a[la - 1] == ' ' || a[la - 1] == '\t'))
		la--;
	while (lb && (b[lb - 1] == ' ' || b[lb - 1] == '\t'))
		lb--;
	return la == lb && !strncasecmp(a, b, la);
}

static int verify_tree(const accord_container *c, const accord_xsig *s, int master,
		       const accord_trust *trust, const accord_verify_options *opt,
		       accord_report *r, const char *file, accord_error *err)
{
	accord_path path;
	accord_sig_report *sr = new_sig(r);
	int idx, rc;

	if (!sr)
		return accord_err(err, ACCORD_ERR_NOMEM, file, "out of memory");
	idx = (int)(sr - r->sigs);
	sr->master = master;
	snprintf(sr->file, sizeof sr->file, "%s", file);
	rc = accord_verify_signature(c, s, trust, opt, sr, &path, err);
	if (rc)
		return rc;
	/* Shapes the standards allow that the parser read by a relaxation: findings only. */
	for (size_t i = 0; i < s->n_notes; i++)
		accord_finding_add(r, s->notes[i].rule, s->notes[i].where, "%s", s->notes[i].message);
	/* The descriptor's signed DataObjectFormat should say what it is; the manifest is
	 * never asked (it is unsigned). */
	if (sr->indication == ACCORD_TOTAL_PASSED && c->has_descriptor)
		for (size_t i = 0; i < s->n_refs; i++)
			if (s->refs[i].path && !strcmp(s->refs[i].path, ACCORD_DESCRIPTOR_NAME) &&
			    s->refs[i].mime_type &&
			    strcmp(s->refs[i].mime_type, ACCORD_DESCRIPTOR_MEDIA_TYPE))
				accord_finding_add(r, "accord: descriptor media type", file,
						   "signature '%s' declares '%s' as '%.120s', not '%s'", sr->id,
						   ACCORD_DESCRIPTOR_NAME, s->refs[i].mime_type,
						   ACCORD_DESCRIPTOR_MEDIA_TYPE);
	/* The manifest (unsigned) must not give a signed document another media type than
	 * the signature's DataObjectFormat: a viewer that trusts the manifest would show the
	 * bytes as something the signer did not sign (a polyglot file). Signatures whose
	 * references failed claim nothing. */
	if (sr->indication != ACCORD_TOTAL_FAILED)
		for (size_t i = 0; i < s->n_refs; i++) {
			const accord_xref *ref = &s->refs[i];
			const accord_entry *e = ref->path && ref->mime_type ? accord_container_find(c, ref->path) : NULL;
			if (!e || !e->media_type || media_types_agree(e->media_type, ref->mime_type))
				continue;
			accord_finding_add(r, "ETSI EN 319 162-1 (ASiC-E): manifest media type = signed MimeType", ref->path,
					   "META-INF/manifest.xml gives '%.100s', signature '%s' signed '%.100s'",
					   e->media_type, sr->id, ref->mime_type);
			/* application/octet-stream claims no format (DSS signs it by default):
			 * a finding, not a contradiction. */
			if (media_types_agree(e->media_type, "application/octet-stream") ||
			    media_types_agree(ref->mime_type, "application/octet-stream"))
				continue;
			if (!r->n_conflicts++)
				snprintf(r->conflict, sizeof r->conflict,
					 "'%.200s' is '%.100s' in the manifest but '%.100s' in signature '%.60s'",
					 ref->path, e->media_type, ref->mime_type, sr->id);
		}
	/* A valid main signature that covers the descriptor may satisfy a declared party. */
	if (master < 0 && sr->indication == ACCORD_TOTAL_PASSED &&
	    (!c->has_descriptor || covers(sr, ACCORD_DESCRIPTOR_NAME))) {
		for (size_t p = 0; p < r->n_parties; p++)
			if (satisfies(&r->parties[p].party, sr, &path)) {
				sr->party = (int)p;
				if (!r->parties[p].has_signed) {
					r->parties[p].has_signed = 1;
					snprintf(r->parties[p].signature_id, sizeof r->parties[p].signature_id,
						 "%s", sr->id);
				}
				break;
			}
	}
	for (size_t i = 0; i < s->n_counters; i++) {
		rc = verify_tree(c, &s->counters[i], idx, trust, opt, r, file, err);
		if (rc)
			return rc;
	}
	return ACCORD_OK;
}

/* "2 signatures", "1 countersignature", "1 signature and 2 countersignatures"; adj
 * ("valid ") before each noun. */
static const char *counted(const size_t n[2], const char *adj, char *buf, size_t len)
{
	if (n[0] && n[1])
		snprintf(buf, len, "%zu %ssignature%s and %zu %scountersignature%s", n[0], adj,
			 n[0] == 1 ? "" : "s", n[1], adj, n[1] == 1 ? "" : "s");
	else if (n[1])
		snprintf(buf, len, "%zu %scountersignature%s", n[1], adj, n[1] == 1 ? "" : "s");
	else
		snprintf(buf, len, "%zu %ssignature%s", n[0], adj, n[0] == 1 ? "" : "s");
	return buf;
}

/* How many valid and unconfirmed main signatures cover each document: the documents'
 * names sorted once, each covered name looked up (linear in the references, not
 * documents x signatures x references). */
static int count_coverage(accord_report *r)
{
	accord_name_index ix = {0};
	size_t *last = calloc(r->n_docs ? r->n_docs : 1, sizeof *last);
	int rc = last ? 0 : -1;

	for (size_t d = 0; !rc && d < r->n_docs; d++)
		rc = accord_name_index_add(&ix, r->docs[d].name, d);
	if (!rc)
		accord_name_index_sort(&ix);
	for (size_t i = 0; !rc && i < r->n_sigs; i++) {
		const accord_sig_report *s = &r->sigs[i];
		if (s->master >= 0 || s->indication == ACCORD_TOTAL_FAILED)
			continue;
		for (size_t k = 0; k < s->n_covered; k++) {
			const accord_name_ref *hit = accord_name_index_find(&ix, s->covered[k]);
			if (!hit || last[hit->idx] == i + 1)
				continue;
			last[hit->idx] = i + 1; /* a signature counts once per document */
			if (s->indication == ACCORD_TOTAL_PASSED)
				r->docs[hit->idx].valid_signatures++;
			else if (s->indication == ACCORD_INDETERMINATE)
				r->docs[hit->idx].unconfirmed_signatures++;
		}
	}
	accord_name_index_free(&ix);
	free(last);
	return rc;
}

static int decide(accord_report *r)
{
	/* Signatures [0] and countersignatures [1] are counted apart. */
	size_t failed[2] = {0, 0}, indeterminate[2] = {0, 0}, valid[2] = {0, 0}, uncovered = 0;
	const char *first_uncovered = NULL;
	char said[160];

	for (size_t i = 0; i < r->n_sigs; i++) {
		int k = r->sigs[i].master >= 0;
		if (r->sigs[i].indication == ACCORD_TOTAL_FAILED)
			failed[k]++;
		else if (r->sigs[i].indication == ACCORD_INDETERMINATE)
			indeterminate[k]++;
		else
			valid[k]++;
	}
	if (count_coverage(r) < 0)
		return ACCORD_ERR_NOMEM;
	for (size_t d = 0; d < r->n_docs; d++) {
		if (!r->docs[d].valid_signatures) {
			uncovered++;
			if (!first_uncovered)
				first_uncovered = r->docs[d].name;
		}
	}
	for (size_t p = 0; p < r->n_parties; p++) {
		accord_party_report *pr = &r->parties[p];
		r->parties_signed += pr->has_signed ? 1 : 0;
		/* Signed by the declared certificate, but not confirmed: said so, not MISSING. */
		for (size_t i = 0; !pr->has_signed && !pr->unconfirmed_id[0] && i < r->n_sigs; i++) {
			const accord_sig_report *s = &r->sigs[i];
			if (s->master < 0 && s->indication != ACCORD_TOTAL_PASSED && pr->party.fingerprint[0] &&
			    !strcmp(s->signer_fingerprint, pr->party.fingerprint)) {
				snprintf(pr->unconfirmed_id, sizeof pr->unconfirmed_id, "%s", s->id);
				snprintf(pr->unconfirmed_why, sizeof pr->unconfirmed_why, "%s%s%s: %.300s",
					 accord_indication_name(s->indication), s->subindication ? "/" : "",
					 accord_subindication_name(s->subindication), s->message);
			}
		}
	}
	if (failed[0] || failed[1]) {
		r->status = ACCORD_PACKAGE_INVALID;
		snprintf(r->summary, sizeof r->summary, "INVALID: %s failed", counted(failed, "", said, sizeof said));
	} else if (r->n_conflicts) {
		r->status = ACCORD_PACKAGE_INVALID;
		snprintf(r->summary, sizeof r->summary, "INVALID: %.480s%s", r->conflict,
			 r->n_conflicts > 1 ? " (and others)" : "");
	} else if (!r->n_sigs) {
		r->status = ACCORD_PACKAGE_INCOMPLETE;
		snprintf(r->summary, sizeof r->summary, "INCOMPLETE: the package has no signature");
	} else if (indeterminate[0] || indeterminate[1]) {
		r->status = ACCORD_PACKAGE_INCOMPLETE;
		snprintf(r->summary, sizeof r->summary, "INDETERMINATE: %s could not be confirmed",
			 counted(indeterminate, "", said, sizeof said));
	} else if (r->parties_signed < r->quorum) {
		r->status = ACCORD_PACKAGE_INCOMPLETE;
		snprintf(r->summary, sizeof r->summary,
			 "INCOMPLETE: %u of %u required declared parties have signed",
			 r->parties_signed, r->quorum);
	} else if (uncovered) {
		r->status = ACCORD_PACKAGE_INCOMPLETE;
		snprintf(r->summary, sizeof r->summary,
			 "INCOMPLETE: '%s'%s not covered by any valid signature", first_uncovered,
			 uncovered > 1 ? " and others are" : " is");
	} else if (r->n_findings && r->strict) {
		/* --strict: a warning fails what would otherwise be valid. */
		r->status = ACCORD_PACKAGE_INVALID;
		snprintf(r->summary, sizeof r->summary,
			 "INVALID under --strict: %zu warning%s (otherwise VALID and COMPLETE: %s)",
			 r->n_findings, r->n_findings == 1 ? "" : "s", counted(valid, "valid ", said, sizeof said));
	} else {
		r->status = ACCORD_PACKAGE_VALID;
		snprintf(r->summary, sizeof r->summary, "VALID and COMPLETE: %s%s",
			 counted(valid, "valid ", said, sizeof said),
			 r->n_parties ? ", quorum of declared parties met" : "");
		if (r->n_findings) {
			size_t len = strlen(r->summary);
			snprintf(r->summary + len, sizeof r->summary - len, ", with %zu warning%s",
				 r->n_findings, r->n_findings == 1 ? "" : "s");
		}
	}
	return ACCORD_OK;
}

int accord_verify(const char *package, const accord_verify_options *opt_in,
		  accord_report **out, accord_error *err)
{
	accord_verify_options opt;
	accord_container *c = NULL;
	accord_trust trust;
	accord_anchor_index index;
	accord_memo memo;
	accord_report *r = NULL;
	size_t n_given = 0, n_store = 0;
	char store_dir[1024] = "";
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t nf = 0;
	int rc;

	if (opt_in)
		opt = *opt_in;
	else
		memset(&opt, 0, sizeof opt);
	*out = NULL;
	memset(&trust, 0, sizeof trust);
	memset(&index, 0, sizeof index);
	memset(&memo, 0, sizeof memo);
	trust.memo = &memo;
	if (!opt.limits.max_entries)
		accord_limits_default(&opt.limits);
	/* The given anchors, then the store's (counted apart for the report). */
	rc = accord_trust_load(opt.trust, opt.n_trust, 0, &trust.anchors, &trust.n_anchors, err);
	if (rc)
		goto out;
	n_given = trust.n_anchors;
	if (!opt.no_trust_store) {
		gnutls_x509_crt_t *st = NULL, *all;
		size_t ns = 0;
		rc = accord_trust_load(NULL, 0, 1, &st, &ns, err);
		if (rc)
			goto out;
		all = ns ? realloc(trust.anchors, (trust.n_anchors + ns) * sizeof *all) : trust.anchors;
		if (ns && !all) {
			accord_crt_list_free(st, ns);
			rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
			goto out;
		}
		if (ns)
			memcpy(all + trust.n_anchors, st, ns * sizeof *st);
		free(st);
		trust.anchors = all;
		trust.n_anchors += ns;
		n_store = ns;
		if (accord_truststore_default_dir(store_dir, sizeof store_dir, err) != ACCORD_OK)
			store_dir[0] = '\0';
	}
	rc = accord_trust_evidence_load(&opt, &trust, err);
	if (rc)
		goto out;
	trust.allow_sha1 = opt.allow_weak;
	/* Read tolerantly: a layout non-conformance that does not change what is signed is
	 * a finding (below), not a refusal. */
	rc = accord_container_open_tolerant(package, &opt.limits, &c, err);
	if (rc)
		goto out;
	r = accord_calloc(1, sizeof *r);
	if (r)
		r->status = ACCORD_PACKAGE_INCOMPLETE; /* until decided: never VALID by default */
	if (!r) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
		goto out;
	}
	snprintf(r->package, sizeof r->package, "%s", package);
	trust.report = r;
	r->strict = opt.strict;
	r->n_given_anchors = n_given;
	r->n_store_anchors = n_store;
	snprintf(r->trust_store, sizeof r->trust_store, "%s", store_dir);
	rc = load_tsls(&opt, &trust, r, err);
	if (rc)
		goto out;
	r->n_tsl_anchors = trust.n_anchors - n_given - n_store;
	rc = accord_anchor_index_build(&trust, &index);
	if (rc) {
		rc = accord_err(err, rc, package, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->n_notes; i++)
		accord_finding_add(r, c->notes[i].rule, c->notes[i].where, "%s", c->notes[i].message);
	r->has_descriptor = c->has_descriptor;
	if (c->descriptor_note[0])
		accord_finding_add(r, "ETSI EN 319 162-1 (ASiC-E with XAdES): META-INF/manifest.xml is not signed", "META-INF/manifest.xml",
				   "%s", c->descriptor_note);
	if (c->has_descriptor) {
		r->descriptor = c->descriptor;
		r->descriptor.parties = NULL;
		r->descriptor.n_parties = 0;
		r->n_parties = c->descriptor.n_parties;
		r->parties = accord_calloc(r->n_parties, sizeof *r->parties);
		if (!r->parties) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
			goto out;
		}
		for (size_t p = 0; p < r->n_parties; p++)
			r->parties[p].party = c->descriptor.parties[p];
		r->quorum = c->descriptor.quorum ? c->descriptor.quorum : (unsigned)r->n_parties;
	}
	r->n_docs = c->n_entries;
	r->docs = accord_calloc(r->n_docs, sizeof *r->docs);
	if (!r->docs) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
		goto out;
	}
	for (size_t d = 0; d < r->n_docs; d++) {
		r->docs[d].name = accord_strdup(c->entries[d].name);
		r->docs[d].media_type = c->entries[d].media_type ? accord_strdup(c->entries[d].media_type) : NULL;
		r->docs[d].size = c->entries[d].doc.size;
		memcpy(r->docs[d].sha256, c->entries[d].doc.sha256, sizeof r->docs[d].sha256);
		r->docs[d].is_descriptor = c->entries[d].doc.is_descriptor;
	}
	rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (rc)
		goto out;
	/* Signatures made with SHA-384/512 over documents: one more pass for all of them. */
	if (accord_files_need_extra_digests(files, nf)) {
		rc = accord_container_hash_extra(c, err);
		if (rc)
			goto out;
	}
	for (size_t f = 0; f < nf; f++) {
		if (errs[f].code) {
			accord_sig_report *sr = new_sig(r);
			if (!sr) {
				rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
				goto out;
			}
			snprintf(sr->id, sizeof sr->id, "(unreadable)");
			snprintf(sr->file, sizeof sr->file, "%s", files[f].name);
			sr->indication = ACCORD_TOTAL_FAILED;
			sr->subindication = ACCORD_SUB_FORMAT_FAILURE;
			snprintf(sr->message, sizeof sr->message, "%.300s: %.400s", errs[f].where, errs[f].why);
			continue;
		}
		for (size_t i = 0; i < files[f].n_sigs; i++) {
			rc = verify_tree(c, &files[f].sigs[i], -1, &trust, &opt, r, files[f].name, err);
			if (rc)
				goto out;
		}
	}
	if (decide(r) != ACCORD_OK) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
		goto out;
	}
	*out = r;
	r = NULL;
out:
	accord_report_free(r);
	accord_xades_free_all(files, errs, nf);
	accord_container_free(c);
	accord_trust_clear(&trust);
	accord_anchor_index_free(&index);
	accord_memo_free(&memo);
	return rc;
}

void accord_report_free(accord_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_sigs; i++) {
		for (size_t j = 0; j < r->sigs[i].n_covered; j++)
			free(r->sigs[i].covered[j]);
		free(r->sigs[i].covered);
	}
	free(r->sigs);
	free(r->parties);
	for (size_t d = 0; d < r->n_docs; d++) {
		free(r->docs[d].name);
		free(r->docs[d].media_type);
	}
	free(r->docs);
	free(r->findings);
	free(r->tsls);
	free(r);
}
