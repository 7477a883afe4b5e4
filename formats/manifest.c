/* formats/manifest.c — META-INF/manifest.xml (OpenDocument manifest 1.2), written with
 * libxml2 and read strictly through accord_xml_parse. */
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "formats/container.h"
#include "formats/xml_safe.h"

#define MANIFEST_NS "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define MANIFEST_WHERE "META-INF/manifest.xml"

static xmlNodePtr manifest_add_entry(xmlNodePtr root, xmlNsPtr ns, const char *path,
				     const char *media_type)
{
	xmlNodePtr e = xmlNewChild(root, ns, BAD_CAST "file-entry", NULL);

	if (!e || !xmlNewNsProp(e, ns, BAD_CAST "full-path", BAD_CAST path) ||
	    !xmlNewNsProp(e, ns, BAD_CAST "media-type", BAD_CAST media_type))
		return NULL;
	return e;
}

int accord_manifest_to_xml(const accord_manifest_item *items, size_t n, unsigned char **out,
			   size_t *len, accord_error *err)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = NULL;
	xmlNsPtr ns = NULL;
	int rc = ACCORD_OK;

	*out = NULL;
	*len = 0;
	if (doc)
		root = xmlNewNode(NULL, BAD_CAST "manifest");
	if (root) {
		xmlDocSetRootElement(doc, root);
		ns = xmlNewNs(root, BAD_CAST MANIFEST_NS, BAD_CAST "manifest");
	}
	if (!ns) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, MANIFEST_WHERE, "out of memory");
		goto out;
	}
	xmlSetNs(root, ns);
	if (!xmlNewNsProp(root, ns, BAD_CAST "version", BAD_CAST "1.2") ||
	    !manifest_add_entry(root, ns, "/", ACCORD_MIMETYPE)) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, MANIFEST_WHERE, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!items[i].path || !items[i].media_type) {
			rc = accord_err(err, ACCORD_ERR_USAGE, MANIFEST_WHERE,
					"manifest item %zu has no path or media type", i);
			goto out;
		}
		if (!manifest_add_entry(root, ns, items[i].path, items[i].media_type)) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, MANIFEST_WHERE, "out of memory");
			goto out;
		}
	}
	rc = accord_xml_serialise(doc, MANIFEST_WHERE, out, len, err);
out:
	xmlFreeDoc(doc);
	return rc;
}

void accord_manifest_free(accord_manifest_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		free(items[i].path);
		free(items[i].media_type);
	}
	free(items);
}

/* A manifest:* attribute of e, NULL if absent (caller xmlFree). A tolerant reading
 * (unqualified != NULL) also takes the attribute without a namespace, as DSS writes it
 * under a default xmlns, and counts it. */
static char *manifest_attr(xmlNodePtr e, const char *name, size_t *unqualified, int *ambiguous)
{
	char *v = (char *)xmlGetNsProp(e, BAD_CAST name, BAD_CAST MANIFEST_NS), *bare;

	if (!unqualified)
		return v;
	bare = (char *)xmlGetNoNsProp(e, BAD_CAST name);
	/* Both forms with different values: readers that take the other one would see
	 * another file or another media type. Refused. */
	if (v && bare && strcmp(v, bare))
		*ambiguous = 1;
	if (!v && bare) {
		(*unqualified)++;
		return bare;
	}
	xmlFree(bare);
	return v;
}

/* Only whitespace may sit between the elements. */
static int only_blank_text(xmlNodePtr parent)
{
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && !xmlIsBlankNode(c))
			return 0;
		if (c->type == XML_CDATA_SECTION_NODE)
			return 0;
	}
	return 1;
}

static int parse(const unsigned char *xml, size_t len, accord_manifest_item **items, size_t *n,
		 size_t *unqualified, accord_error *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, e;
	accord_manifest_item *list = NULL;
	size_t count = 0, cap = 0;
	int rc, have_root_entry = 0, ambiguous = 0;
	char *path = NULL, *type = NULL;
	accord_limits lim;
	uint64_t max_items;

	accord_limits_default(&lim);
	max_items = lim.max_entries; /* a file entry per entry at most */
	*items = NULL;
	*n = 0;
	rc = accord_xml_parse(xml, len, MANIFEST_WHERE, &doc, err);
	if (rc != ACCORD_OK)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!accord_xml_is(root, MANIFEST_NS, "manifest")) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
				"root element must be manifest:manifest in namespace %s",
				MANIFEST_NS);
		goto out;
	}
	if (!only_blank_text(root)) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
				"unexpected text in manifest:manifest");
		goto out;
	}
	for (e = accord_xml_first_element(root); e; e = accord_xml_next_element(e)) {
		if (!accord_xml_is(e, MANIFEST_NS, "file-entry")) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
					"unexpected element '%s' (only manifest:file-entry)",
					(const char *)e->name);
			goto out;
		}
		/* manifest:encryption-data and the like: ASiC-E has no encrypted entries. */
		if (accord_xml_first_element(e)) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
					"manifest:file-entry has child elements (encryption is not allowed)");
			goto out;
		}
		path = manifest_attr(e, "full-path", unqualified, &ambiguous);
		type = manifest_attr(e, "media-type", unqualified, &ambiguous);
		if (ambiguous) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
					"manifest:file-entry '%.200s' gives full-path or media-type twice, with and without the manifest: prefix, with different values",
					path ? path : "?");
			goto out;
		}
		if (!path || !type) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
					"manifest:file-entry without full-path or media-type");
			goto out;
		}
		if (!strcmp(path, "/")) {
			if (have_root_entry || strcmp(type, ACCORD_MIMETYPE) != 0) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
						have_root_entry
							? "full-path \"/\" listed twice"
							: "full-path \"/\" must have media type %s",
						ACCORD_MIMETYPE);
				goto out;
			}
			have_root_entry = 1;
		} else {
			if (count >= max_items) {
				rc = accord_err(err, ACCORD_ERR_LIMIT, MANIFEST_WHERE,
						"more file entries than the package may hold entries (--max-entries %llu)",
						(unsigned long long)max_items);
				goto out;
			}
			if (count == cap) {
				size_t ncap = cap ? 2 * cap : 16;
				accord_manifest_item *nl = realloc(list, ncap * sizeof *nl);
				if (!nl) {
					rc = accord_err(err, ACCORD_ERR_NOMEM, MANIFEST_WHERE,
							"out of memory");
					goto out;
				}
				list = nl;
				cap = ncap;
			}
			list[count].path = strdup(path);
			list[count].media_type = strdup(type);
			count++;
			if (!list[count - 1].path || !list[count - 1].media_type) {
				rc = accord_err(err, ACCORD_ERR_NOMEM, MANIFEST_WHERE,
						"out of memory");
				goto out;
			}
		}
		xmlFree(path);
		xmlFree(type);
		path = type = NULL;
	}
	if (!have_root_entry) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, MANIFEST_WHERE,
				"no file-entry with full-path \"/\" and media type %s",
				ACCORD_MIMETYPE);
		goto out;
	}
	*items = list;
	*n = count;
	list = NULL;
	count = 0;
out:
	xmlFree(path);
	xmlFree(type);
	accord_manifest_free(list, count);
	xmlFreeDoc(doc);
	return rc;
}

int accord_manifest_parse(const unsigned char *xml, size_t len, accord_manifest_item **items,
			  size_t *n, accord_error *err)
{
	return parse(xml, len, items, n, NULL, err);
}

int accord_manifest_parse_tolerant(const unsigned char *xml, size_t len,
				   accord_manifest_item **items, size_t *n, size_t *unqualified,
				   accord_error *err)
{
	*unqualified = 0;
	return parse(xml, len, items, n, unqualified, err);
}
