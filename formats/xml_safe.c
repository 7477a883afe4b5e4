/* formats/xml_safe.c — parse outside XML with libxml2 under a strict, network-free
 * profile: DOCTYPE refused, no entities, limits on depth and size. */
#include <limits.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include "formats/xml_safe.h"
#include "accord/container.h" /* accord_limits_default */

static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
			   const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)ext;
	(void)sys;
	/* xmlStopParser alone would return an empty "well-formed" document. */
	ctxt->wellFormed = 0;
	ctxt->errNo = XML_ERR_USER_STOP;
	xmlStopParser(ctxt);
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

long accord_xml_max_nodes(void)
{
	accord_limits lim;

	accord_limits_default(&lim);
	if (lim.max_entries > (uint64_t)(LONG_MAX - ACCORD_XML_MAX_NODES) / 16)
		return LONG_MAX;
	return ACCORD_XML_MAX_NODES + 16 * (long)lim.max_entries;
}

static int check_tree(const xmlNode *n, int depth, long max, long *count)
{
	for (; n; n = n->next) {
		if (++*count > max)
			return -1;
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE ||
		    n->type == XML_DTD_NODE || n->type == XML_XINCLUDE_START)
			return -2;
		if (n->type == XML_ELEMENT_NODE) {
			if (depth > ACCORD_XML_MAX_DEPTH)
				return -3;
			int r = check_tree(n->children, depth + 1, max, count);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int accord_xml_parse(const unsigned char *buf, size_t len, const char *where, xmlDocPtr *out,
		     accord_error *err)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	long count = 0, max_nodes = accord_xml_max_nodes();
	int r, had_doctype;

	*out = NULL;
	if (len == 0)
		return accord_err(err, ACCORD_ERR_FORMAT, where, "empty XML document");
	if (len > 64u * 1024 * 1024 || len > (size_t)INT32_MAX)
		return accord_err(err, ACCORD_ERR_LIMIT, where, "XML document too large");
	ctxt = xmlCreateMemoryParserCtxt((const char *)buf, (int)len);
	if (!ctxt)
		return accord_err(err, ACCORD_ERR_NOMEM, where, "cannot create XML parser");
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->error = quiet;
	ctxt->sax->warning = quiet;
	ctxt->vctxt.error = quiet;
	ctxt->vctxt.warning = quiet;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ctxt->replaceEntities = 0;
	xmlParseDocument(ctxt);
	had_doctype = ctxt->errNo == XML_ERR_USER_STOP;
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (!ctxt->wellFormed || !doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		if (had_doctype)
			accord_err(err, ACCORD_ERR_FORMAT, where,
				   "XML with a DOCTYPE is refused (no DTDs or entities)");
		else {
			const char *msg = e && e->message ? e->message : "parse error";
			/* its first line (strtok would share state between threads) */
			accord_err(err, ACCORD_ERR_FORMAT, where, "not well-formed XML (line %d: %.*s)",
				   e ? e->line : 0, (int)strcspn(msg, "\n"), msg);
		}
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return ACCORD_ERR_FORMAT;
	}
	xmlFreeParserCtxt(ctxt);
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return accord_err(err, ACCORD_ERR_FORMAT, where, "XML with a DOCTYPE is refused");
	}
	r = check_tree(doc->children, 1, max_nodes, &count);
	if (r < 0) {
		xmlFreeDoc(doc);
		return accord_err(err, r == -2 ? ACCORD_ERR_FORMAT : ACCORD_ERR_LIMIT, where,
				  r == -1   ? "XML has too many nodes (limit %ld)"
				  : r == -2 ? "XML entities are refused%.0ld"
					    : "XML nested deeper than %ld levels",
				  r == -1 ? max_nodes : (long)ACCORD_XML_MAX_DEPTH);
	}
	*out = doc;
	return ACCORD_OK;
}

int accord_xml_is(const xmlNode *n, const char *ns, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	if (!ns)
		return n->ns == NULL;
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

xmlNode *accord_xml_first_element(const xmlNode *n)
{
	xmlNode *c = n ? n->children : NULL;

	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

xmlNode *accord_xml_next_element(const xmlNode *n)
{
	xmlNode *c = n ? n->next : NULL;

	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

char *accord_xml_text(const xmlNode *n)
{
	if (accord_xml_first_element(n))
		return NULL;
	return (char *)xmlNodeGetContent(n);
}

int accord_xml_serialise(xmlDocPtr doc, const char *where, unsigned char **out, size_t *len,
			 accord_error *err)
{
	xmlChar *buf = NULL;
	int size = 0;

	*out = NULL;
	xmlDocDumpFormatMemoryEnc(doc, &buf, &size, "UTF-8", 1);
	if (!buf || size <= 0 || !(*out = malloc((size_t)size + 1))) {
		xmlFree(buf);
		return accord_err(err, ACCORD_ERR_NOMEM, where, "cannot serialise XML");
	}
	memcpy(*out, buf, (size_t)size);
	(*out)[size] = '\0';
	*len = (size_t)size;
	xmlFree(buf);
	return ACCORD_OK;
}
