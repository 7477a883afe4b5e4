/* formats/xades_package.c — all the signature files of one container, parsed. */
#include <string.h>
#include "formats/xades.h"
#include "formats/container.h"
#include "accord/keys.h"

int accord_xades_parse_all(const struct accord_container *c, accord_xsig_file **files,
			   accord_error **errs, size_t *n, accord_error *err)
{
	size_t k = c->n_signatures;

	*files = accord_calloc(k, sizeof **files);
	*errs = accord_calloc(k, sizeof **errs);
	*n = k;
	if (!*files || !*errs) {
		free(*files);
		free(*errs);
		*files = NULL;
		*errs = NULL;
		return accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
	}
	for (size_t i = 0; i < k; i++) {
		const accord_meta_file *m = &c->signatures[i];
		if (accord_xades_parse(m->data, m->len, m->name, &(*files)[i], &(*errs)[i]) != ACCORD_OK) {
			/* keep the name, drop the half-parsed signatures */
			char *name = accord_strdup(m->name);
			accord_xades_file_clear(&(*files)[i]);
			(*files)[i].name = name;
			if (!(*errs)[i].code)
				(*errs)[i].code = ACCORD_ERR_FORMAT;
		}
	}
	return ACCORD_OK;
}

void accord_xades_free_all(accord_xsig_file *files, accord_error *errs, size_t n)
{
	for (size_t i = 0; files && i < n; i++)
		accord_xades_file_clear(&files[i]);
	free(files);
	free(errs);
}

static accord_xsig *find_in(accord_xsig *sigs, size_t n, const char *id, int *count)
{
	accord_xsig *found = NULL, *f;

	for (size_t i = 0; i < n; i++) {
		if (sigs[i].id && !strcmp(sigs[i].id, id)) {
			found = &sigs[i];
			(*count)++;
		}
		if ((f = find_in(sigs[i].counters, sigs[i].n_counters, id, count)))
			found = f;
	}
	return found;
}

accord_xsig *accord_xades_find(accord_xsig_file *files, size_t n, const char *id,
			       size_t *file_index, int *count)
{
	accord_xsig *found = NULL;
	int c = 0;

	for (size_t i = 0; i < n; i++) {
		int before = c;
		accord_xsig *f = find_in(files[i].sigs, files[i].n_sigs, id, &c);
		if (c > before) {
			found = f;
			if (file_index)
				*file_index = i;
		}
	}
	if (count)
		*count = c;
	return found;
}

static int add_info(accord_signature_info **out, size_t *n, const accord_xsig *s,
		    const char *file, const char *master)
{
	accord_signature_info *g = realloc(*out, (*n + 1) * sizeof *g), *i;
	accord_cert_info ci;
	accord_error e;

	if (!g)
		return ACCORD_ERR_NOMEM;
	*out = g;
	i = &g[(*n)++];
	memset(i, 0, sizeof *i);
	snprintf(i->id, sizeof i->id, "%s", s->id);
	snprintf(i->file, sizeof i->file, "%s", file);
	snprintf(i->master_id, sizeof i->master_id, "%s", master ? master : "");
	if (s->n_certs && accord_cert_info_der(s->certs[0], s->cert_lens[0], &ci, &e) == ACCORD_OK)
		snprintf(i->signer, sizeof i->signer, "%s", ci.name);
	i->signing_time = s->has_signing_time ? s->signing_time : 0;
	for (size_t k = 0; k < s->n_refs; k++)
		if (s->refs[k].path)
			i->n_covered++;
	for (size_t k = 0; k < s->n_counters; k++)
		if (add_info(out, n, &s->counters[k], file, s->id))
			return ACCORD_ERR_NOMEM;
	return ACCORD_OK;
}

int accord_container_signatures(const accord_container *c, accord_signature_info **out,
				size_t *n, accord_error *err)
{
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t nf = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (rc)
		return rc;
	for (size_t f = 0; f < nf && !rc; f++) {
		if (errs[f].code) {
			accord_signature_info *g = realloc(*out, (*n + 1) * sizeof *g);
			if (!g) {
				rc = ACCORD_ERR_NOMEM;
				break;
			}
			*out = g;
			memset(&g[*n], 0, sizeof *g);
			snprintf(g[*n].file, sizeof g[*n].file, "%s", files[f].name);
			snprintf(g[*n].error, sizeof g[*n].error, "%.200s: %.300s", errs[f].where, errs[f].why);
			(*n)++;
			continue;
		}
		for (size_t i = 0; i < files[f].n_sigs && !rc; i++)
			rc = add_info(out, n, &files[f].sigs[i], files[f].name, NULL);
	}
	accord_xades_free_all(files, errs, nf);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
		return accord_err(err, rc, c->path, "out of memory");
	}
	return ACCORD_OK;
}
