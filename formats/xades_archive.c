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

static int md_data(void *ud, const unsigned char *buf, size_t len)
{
	gcry_md_write(*(gcry_md_hd_t *)ud, buf, len);
	return 0;
}

/* The references in their order. A data file is read at its offset in the container
 * (not by walking the archive again), so any order costs one read of each referenced
 * file: no pass per change of order. */
static int hash_references(const struct accord_container *c, const accord_xsig *s,
			   gcry_md_hd_t md, accord_error *err)
{
	accord_entry_reader *reader = NULL;
	int rc = ACCORD_OK;

	for (size_t i = 0; !rc && i < s->n_refs; i++) {
		const accord_xref *r = &s->refs[i];
		if (!r->path) {
			xmlNodePtr target = r->is_signed_props ? s->signed_props
					    : (r->is_countersigned && s->master) ? s->master->sig_value_node
										   : NULL;
			if (!target)
				rc = accord_err(err, ACCORD_ERR_FORMAT, r->uri, "reference does not resolve");
			else
				rc = hash_node(md, target, r->transform, r->transform_prefixes, err);
			continue;
		}
		const accord_entry *e = accord_container_find(c, r->path);
		if (!e) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, r->path,
					"referenced document is not in the package");
			break;
		}
		if (!reader && (rc = accord_entry_reader_open(c, &reader, err)) != ACCORD_OK)
			break;
		rc = accord_entry_reader_read(reader, e, md_data, &md, err);
	}
	accord_entry_reader_close(reader);
	return rc;
}

int accord_archive_imprint(const struct accord_container *c, const accord_xsig *s,
			   xmlNodePtr before, const char *c14n, int gcry_alg, unsigned char *out,
			   size_t *out_len, accord_error *err)
{
	gcry_md_hd_t md;
	xmlNodePtr key_info;
	int rc;

	if (gcry_md_open(&md, gcry_alg, 0))
		return accord_err(err, ACCORD_ERR_CRYPTO, s->id, "cannot hash");
	if ((rc = hash_references(c, s, md, err)) != ACCORD_OK)
		goto out;
	key_info = accord_xml_next_element(s->sig_value_node);
	if ((rc = hash_node(md, s->signed_info, c14n, NULL, err)) ||
	    (rc = hash_node(md, s->sig_value_node, c14n, NULL, err)) ||
	    (rc = hash_node(md, key_info, c14n, NULL, err)))
		goto out;
	for (xmlNodePtr k = accord_xml_first_element(s->unsigned_sig_props); k && k != before;
	     k = accord_xml_next_element(k))
		if ((rc = hash_node(md, k, c14n, NULL, err)))
			goto out;
	*out_len = gcry_md_get_algo_dlen(gcry_alg);
	memcpy(out, gcry_md_read(md, gcry_alg), *out_len);
out:
	gcry_md_close(md);
	return rc;
}
