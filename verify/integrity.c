/* verify/integrity.c — before a writer adds to a package: does every signature already in
 * it still hold (its references, its signed properties, its signature value)? Trust is
 * not asked (the writer may not hold the other parties' anchors), so only a failure of
 * what was signed counts: the TOTAL-FAILED of EN 319 102-1. */
#include <string.h>
#include "verify/verify.h"

static int sig_needs_extra(const accord_xsig *s)
{
	for (size_t i = 0; i < s->n_refs; i++)
		if (s->refs[i].path && s->refs[i].digest_alg &&
		    (s->refs[i].digest_alg->gnutls == GNUTLS_DIG_SHA384 ||
		     s->refs[i].digest_alg->gnutls == GNUTLS_DIG_SHA512))
			return 1;
	for (size_t i = 0; i < s->n_counters; i++)
		if (sig_needs_extra(&s->counters[i]))
			return 1;
	return 0;
}

int accord_files_need_extra_digests(const accord_xsig_file *files, size_t nf)
{
	for (size_t f = 0; f < nf; f++)
		for (size_t i = 0; i < files[f].n_sigs; i++)
			if (sig_needs_extra(&files[f].sigs[i]))
				return 1;
	return 0;
}

/* s and its countersignatures, depth first; the first that fails fills bad. */
static int check_tree(const accord_container *c, const accord_xsig *s, const char *file,
		      accord_integrity *bad, accord_error *err)
{
	accord_trust none;
	accord_verify_options opt;
	accord_sig_report r;
	accord_path path;
	int rc;

	memset(&none, 0, sizeof none);
	memset(&opt, 0, sizeof opt);
	memset(&r, 0, sizeof r);
	snprintf(r.file, sizeof r.file, "%s", file);
	rc = accord_verify_signature(c, s, &none, &opt, &r, &path, err);
	for (size_t i = 0; i < r.n_covered; i++)
		free(r.covered[i]);
	free(r.covered);
	if (rc)
		return rc;
	if (r.indication == ACCORD_TOTAL_FAILED) {
		snprintf(bad->id, sizeof bad->id, "%s", r.id);
		snprintf(bad->file, sizeof bad->file, "%s", file);
		snprintf(bad->why, sizeof bad->why, "%.60s: %.700s", accord_subindication_name(r.subindication), r.message);
		return ACCORD_OK;
	}
	for (size_t i = 0; i < s->n_counters && !bad->id[0]; i++) {
		rc = check_tree(c, &s->counters[i], file, bad, err);
		if (rc)
			return rc;
	}
	return ACCORD_OK;
}

int accord_integrity_check(accord_container *c, accord_integrity *bad, accord_error *err)
{
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t nf = 0;
	int rc;

	memset(bad, 0, sizeof *bad);
	rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (rc)
		return rc;
	if (accord_files_need_extra_digests(files, nf) && !c->has_extra_digests) {
		rc = accord_container_hash_extra(c, err);
		if (rc)
			goto out;
	}
	for (size_t f = 0; f < nf && !bad->id[0]; f++) {
		if (errs[f].code) {
			snprintf(bad->id, sizeof bad->id, "(unreadable)");
			snprintf(bad->file, sizeof bad->file, "%s", files[f].name);
			snprintf(bad->why, sizeof bad->why, "%.300s: %.400s", errs[f].where, errs[f].why);
			break;
		}
		for (size_t i = 0; i < files[f].n_sigs && !bad->id[0]; i++) {
			rc = check_tree(c, &files[f].sigs[i], files[f].name, bad, err);
			if (rc)
				goto out;
		}
	}
out:
	accord_xades_free_all(files, errs, nf);
	return rc;
}
