/* formats/xades_archive.c — the input of a XAdES ArchiveTimeStamp (ETSI EN 319 132-1,
 * 5.5.2): the result of each ds:Reference in order (data-file bytes, canonical
 * SignedProperties or countersigned SignatureValue), then canonical SignedInfo,
 * SignatureValue and KeyInfo, then each unsigned signature property that comes before
 * the ArchiveTimeStamp, all hashed in one stream. */
#include <string.h>
#include <gcrypt.h>
#include "formats/xades.h"
#include "formats/c14n.h"
#include "formats/container.h"
#include "formats/xml_safe.h"

typedef struct archive_hash {
	const accord_xsig *s;
	gcry_md_hd_t md;
	size_t next;        /* index of the reference the stream waits for */
	int feeding;        /* the current entry is refs[next] */
	accord_error *err;
	int failed;
} archive_hash;

static int hash_node(gcry_md_hd_t md, xmlNodePtr n, const char *c14n, const char *prefixes,
		     accord_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = accord_c14n_node(n, c14n, prefixes, &buf, &len, err);

	if (rc)
		return rc;
	gcry_md_write(md, buf, len);
	xmlFree(buf);
	return ACCORD_OK;
}

/* Hash every same-document reference from refs[next] on, until a data reference. */
static int advance(archive_hash *h)
{
	const accord_xsig *s = h->s;

	while (h->next < s->n_refs && !s->refs[h->next].path) {
		const accord_xref *r = &s->refs[h->next];
		xmlNodePtr target = r->is_signed_props ? s->signed_props
				    : (r->is_countersigned && s->master) ? s->master->sig_value_node
									   : NULL;
		if (!target)
			return accord_err(h->err, ACCORD_ERR_FORMAT, r->uri, "reference does not resolve");
		if (hash_node(h->md, target, r->transform, r->transform_prefixes, h->err))
			return h->err->code;
		h->next++;
	}
	return ACCORD_OK;
}

static int on_data(void *ud, const char *name, const unsigned char *buf, size_t len)
{
	archive_hash *h = ud;

	if (h->next < h->s->n_refs && !strcmp(h->s->refs[h->next].path, name)) {
		gcry_md_write(h->md, buf, len);
		h->feeding = 1;
	}
	return 0;
}

static int on_end(void *ud, const char *name)
{
	archive_hash *h = ud;

	/* An empty file has no data chunk: it still answers its reference. */
	if (h->next < h->s->n_refs && !strcmp(h->s->refs[h->next].path, name)) {
		h->feeding = 0;
		h->next++;
		if (advance(h)) {
			h->failed = 1;
			return -1;
		}
	}
	return 0;
}

int accord_archive_imprint(const struct accord_container *c, const accord_xsig *s,
			   xmlNodePtr before, const char *c14n, int gcry_alg, unsigned char *out,
			   size_t *out_len, accord_error *err)
{
	archive_hash h;
	accord_stream_sink sink = {on_data, on_end, &h};
	xmlNodePtr key_info;
	int rc;

	memset(&h, 0, sizeof h);
	h.s = s;
	h.err = err;
	if (gcry_md_open(&h.md, gcry_alg, 0))
		return accord_err(err, ACCORD_ERR_CRYPTO, s->id, "cannot hash");
	rc = advance(&h);
	/* Data references in the container's order need one pass; another order needs
	 * one pass per change of order, never more than one per reference. */
	for (size_t passes = 0; !rc && h.next < s->n_refs; passes++) {
		size_t before_pass = h.next;
		if (!accord_container_find(c, s->refs[h.next].path)) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, s->refs[h.next].path,
					"referenced document is not in the package");
			break;
		}
		rc = accord_container_stream(c, NULL, &sink, err);
		if (!rc && h.next == before_pass)
			rc = accord_err(err, ACCORD_ERR_FORMAT, s->id, "cannot order the references");
		if (passes > s->n_refs)
			rc = accord_err(err, ACCORD_ERR_LIMIT, s->id, "too many passes");
	}
	if (rc)
		goto out;
	key_info = accord_xml_next_element(s->sig_value_node);
	if ((rc = hash_node(h.md, s->signed_info, c14n, NULL, err)) ||
	    (rc = hash_node(h.md, s->sig_value_node, c14n, NULL, err)) ||
	    (rc = hash_node(h.md, key_info, c14n, NULL, err)))
		goto out;
	for (xmlNodePtr k = accord_xml_first_element(s->unsigned_sig_props); k && k != before;
	     k = accord_xml_next_element(k))
		if ((rc = hash_node(h.md, k, c14n, NULL, err)))
			goto out;
	*out_len = gcry_md_get_algo_dlen(gcry_alg);
	memcpy(out, gcry_md_read(h.md, gcry_alg), *out_len);
out:
	gcry_md_close(h.md);
	return rc;
}
