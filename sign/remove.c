/* sign/remove.c — `accord remove --signature`: take one signature out of a package, as
 * DigiDoc users can. Its signature file goes when it held only that signature; otherwise
 * the ds:Signature element goes from the file. Refused when another signature covers the
 * file it is in, and, unless forced, when countersignatures would go with it. */
#include <string.h>
#include "sign/sign.h"
#include "formats/xml_safe.h"

/* Does a signature outside file f sign f's bytes (a signature over a signature file)? */
static const accord_xsig *signs_file(const accord_xsig_file *files, size_t nf, size_t f)
{
	for (size_t k = 0; k < nf; k++) {
		if (k == f)
			continue;
		for (size_t i = 0; i < files[k].n_sigs; i++)
			for (size_t r = 0; r < files[k].sigs[i].n_refs; r++)
				if (files[k].sigs[i].refs[r].path &&
				    !strcmp(files[k].sigs[i].refs[r].path, files[f].name))
					return &files[k].sigs[i];
	}
	return NULL;
}

static int remove_unlocked(const char *package, const char *id, int force, accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t nf = 0, fi = 0;
	int count = 0, rc;
	accord_xsig *s;
	const accord_xsig *over;
	xmlChar *text = NULL;
	int text_len = 0;
	accord_new_entry e;

	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (rc)
		return rc;
	rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (rc)
		goto out;
	s = accord_xades_find(files, nf, id, &fi, &count);
	if (!s || count != 1) {
		rc = count > 1 ? accord_err(err, ACCORD_ERR_FORMAT, id, "%d signatures carry this Id", count)
			       : accord_err(err, ACCORD_ERR_NOTFOUND, id,
					    "no signature with this Id in '%s' (accord list shows the Ids)", package);
		goto out;
	}
	if (s->master) {
		rc = accord_err(err, ACCORD_ERR_USAGE, id,
				"is a countersignature: it sits inside the signature it endorses, which would change (remove that one instead)");
		goto out;
	}
	if ((over = signs_file(files, nf, fi)) != NULL) {
		rc = accord_err(err, ACCORD_ERR_PERM, id,
				"signature %s signs %s, which holds it: removing it would break that signature",
				over->id ? over->id : "?", files[fi].name);
		goto out;
	}
	if (s->n_counters && !force) {
		rc = accord_err(err, ACCORD_ERR_PERM, id,
				"%zu countersignature%s endorse%s it and would go with it (--force to remove them too)",
				s->n_counters, s->n_counters == 1 ? "" : "s", s->n_counters == 1 ? "s" : "");
		goto out;
	}
	e.name = files[fi].name;
	if (files[fi].n_sigs == 1) {
		e.data = NULL; /* the file held only this signature: it goes */
		e.len = 0;
	} else {
		xmlUnlinkNode(s->node);
		xmlFreeNode(s->node);
		s->node = NULL;
		xmlDocDumpMemoryEnc(files[fi].doc, &text, &text_len, "UTF-8");
		if (!text) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, package, "cannot serialise");
			goto out;
		}
		e.data = text;
		e.len = (size_t)text_len;
	}
	rc = accord_signature_files_write(package, &e, 1, 1, err);
out:
	xmlFree(text);
	accord_xades_free_all(files, errs, nf);
	accord_container_free(c);
	return rc;
}

int accord_remove_signature(const char *package, const char *id, int force, accord_error *err)
{
	char *real = NULL;
	int fd = -1, rc = accord_writer_lock(package, &fd, &real, err);

	if (rc)
		return rc;
	rc = remove_unlocked(real, id, force, err);
	accord_writer_unlock(fd);
	free(real);
	return rc;
}
