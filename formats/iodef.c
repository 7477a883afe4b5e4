/* formats/iodef.c — an IODEF v2 incident report (RFC 7970) checked with libxml2's XML
 * Schema validator against what the RFC requires of every report:
 * formats/iodef-2.0-required.xsd, compiled into the library. */
#include <string.h>
#include <libxml/xmlschemas.h>
#include "formats/container.h"
#include "formats/incident.h"
#include "formats/xml_safe.h"

/* The schema's bytes, embedded at build time: nothing to install or find at run time. */
__asm__(".pushsection .rodata\n"
	".globl accord_iodef_xsd\n"
	".hidden accord_iodef_xsd\n"
	"accord_iodef_xsd:\n"
	".incbin \"formats/iodef-2.0-required.xsd\"\n"
	".globl accord_iodef_xsd_end\n"
	".hidden accord_iodef_xsd_end\n"
	"accord_iodef_xsd_end:\n"
	".popsection\n");
extern const char accord_iodef_xsd[] __attribute__((visibility("hidden")));
extern const char accord_iodef_xsd_end[] __attribute__((visibility("hidden")));

/* The first problem the validator found (with its line), and how many there were. */
typedef struct problem {
	int count;
	int line;
	char element[64];
	char message[400];
} problem;

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
	problem *p = ctx;
	const xmlNode *n = e ? e->node : NULL;
	char *s, *at;

	if (!e || p->count++)
		return;
	p->line = n ? (int)xmlGetLineNo(n) : e->line;
	snprintf(p->message, sizeof p->message, "%s", e->message ? e->message : "does not match");
	/* An element out of place breaks the rule of the class that holds it. */
	if (n && strstr(p->message, "is not expected") && n->parent && n->parent->type == XML_ELEMENT_NODE)
		n = n->parent;
	if (n && n->type == XML_ELEMENT_NODE)
		snprintf(p->element, sizeof p->element, "%s", (const char *)n->name);
	/* "Element '{urn:ietf:params:xml:ns:iodef-2.0}Incident': ..." reads better without
	 * the namespace every element of the report has. */
	while ((at = strstr(p->message, "{" ACCORD_IODEF_NS "}")) != NULL)
		memmove(at, at + strlen(ACCORD_IODEF_NS) + 2, strlen(at + strlen(ACCORD_IODEF_NS) + 2) + 1);
	for (s = p->message + strlen(p->message); s > p->message && strchr("\n. ", s[-1]); s--)
		s[-1] = '\0';
}

/* The RFC 7970 class whose rule the element broke. */
static const char *rule_of(const char *element)
{
	static const char *const classes[][2] = {
		{"IODEF-Document", "RFC 7970, IODEF-Document class"},
		{"IncidentID", "RFC 7970, IncidentID class"},
		{"Contact", "RFC 7970, Contact class"},
	};

	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (!strcmp(element, classes[i][0]))
			return classes[i][1];
	return strstr(element, "Time") ? "RFC 7970: times are DATETIME (xs:dateTime)"
				       : "RFC 7970, Incident class";
}

/* The IncidentID of each Incident (the schema made sure each has one), into ids. */
static int incident_ids(const xmlNode *root, const char *where, accord_incident_ids *ids,
			accord_error *err)
{
	for (const xmlNode *inc = accord_xml_first_element(root); inc; inc = accord_xml_next_element(inc)) {
		const xmlNode *e = accord_xml_first_element(inc);
		char *text, *id, *end;
		int rc = ACCORD_OK;

		if (!accord_xml_is(inc, ACCORD_IODEF_NS, "Incident"))
			continue;
		while (e && !accord_xml_is(e, ACCORD_IODEF_NS, "IncidentID"))
			e = accord_xml_next_element(e);
		if (!e || !(text = accord_xml_text(e)))
			continue;
		for (id = text; *id == ' ' || *id == '\t' || *id == '\r' || *id == '\n'; id++)
			;
		for (end = id + strlen(id); end > id && strchr(" \t\r\n", end[-1]); end--)
			end[-1] = '\0';
		if (*id) {
			const char *why = accord_incident_id_problem(id);
			if (why)
				rc = accord_err(err, ACCORD_ERR_FORMAT, where,
						"line %ld: the IncidentID %s, so it cannot be the package's incident ID (give one with --incident-id)",
						xmlGetLineNo(e), why);
			else if (!ids->first[0])
				snprintf(ids->first, sizeof ids->first, "%s", id);
			else if (strcmp(ids->first, id) && !ids->other[0])
				snprintf(ids->other, sizeof ids->other, "%s", id);
		}
		xmlFree(text);
		if (rc != ACCORD_OK)
			return rc;
	}
	return ACCORD_OK;
}

int accord_iodef_validate(const unsigned char *buf, size_t len, const char *where,
			  accord_incident_ids *ids, accord_error *err)
{
	xmlSchemaParserCtxtPtr pctx = NULL;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vctx = NULL;
	xmlDocPtr doc = NULL;
	const xmlNode *root;
	problem p;
	int rc = accord_xml_parse(buf, len, where, &doc, err), v;

	if (rc != ACCORD_OK)
		return rc;
	memset(&p, 0, sizeof p);
	root = xmlDocGetRootElement(doc);
	if (!accord_xml_is(root, ACCORD_IODEF_NS, "IODEF-Document")) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where,
				"line %ld: IODEF-Document must be in namespace %s (RFC 7970, IODEF version 2; version 1 of RFC 5070 is not accepted)",
				root ? xmlGetLineNo(root) : 0L, ACCORD_IODEF_NS);
		goto out;
	}
	pctx = xmlSchemaNewMemParserCtxt(accord_iodef_xsd, (int)(accord_iodef_xsd_end - accord_iodef_xsd));
	schema = pctx ? xmlSchemaParse(pctx) : NULL;
	vctx = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	if (!vctx) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "cannot load the IODEF schema");
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vctx, on_error, &p);
	v = xmlSchemaValidateDoc(vctx, doc);
	if (v != 0) {
		if (!p.count)
			snprintf(p.message, sizeof p.message, "the schema validator failed (%d)", v);
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "line %d: %s (%s)%s", p.line,
				p.message, rule_of(p.element), p.count > 1 ? "; and more problems" : "");
	} else if (ids) {
		rc = incident_ids(root, where, ids, err);
	}
out:
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	xmlFreeDoc(doc);
	return rc;
}
