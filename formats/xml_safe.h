/* formats/xml_safe.h — parsing XML that comes from outside, safely. */
#ifndef ACCORD_XML_SAFE_H
#define ACCORD_XML_SAFE_H
#include <libxml/tree.h>
#include "util/internal.h"

#define ACCORD_XML_MAX_DEPTH 64
#define ACCORD_XML_MAX_NODES 200000
/* The node limit in force: ACCORD_XML_MAX_NODES, raised with --max-entries (a manifest
 * or a signature over every entry holds a few nodes per entry; 16 allow indentation). */
long accord_xml_max_nodes(void);

/* Parse untrusted XML from memory: no network, no entity expansion, any DOCTYPE
 * refused (so no DTD, no external or recursive entities), depth and node-count
 * limits. WHERE names the entry for error messages. The tree is returned as
 * parsed: no blank removal or namespace cleaning, which would break signatures. */
int accord_xml_parse(const unsigned char *buf, size_t len, const char *where, xmlDocPtr *out,
		     accord_error *err);

/* Serialise a document accord built (UTF-8, indented) into malloc'ed, NUL-terminated
 * bytes; for files no signature covers yet (manifest, descriptor). */
int accord_xml_serialise(xmlDocPtr doc, const char *where, unsigned char **out, size_t *len,
			 accord_error *err);

/* Helpers for walking a parsed tree strictly. */
int accord_xml_is(const xmlNode *n, const char *ns, const char *name);
/* First element child (skipping text, comments and PIs); NULL if none. */
xmlNode *accord_xml_first_element(const xmlNode *n);
xmlNode *accord_xml_next_element(const xmlNode *n);
/* Text content of an element, malloc'ed (xmlFree); NULL when it has element children. */
char *accord_xml_text(const xmlNode *n);

#endif
