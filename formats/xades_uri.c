/* formats/xades_uri.c — reference URIs of container paths (percent-encoded UTF-8, as
 * ETSI EN 319 162-1 and DigiDoc expect) and Id lookup inside one signature. */
#include <string.h>
#include <stdlib.h>
#include "formats/xades.h"

static int keep(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/';
}

char *accord_uri_encode(const char *path)
{
	size_t n = strlen(path), o = 0;
	char *out = malloc(3 * n + 1);
	static const char hex[] = "0123456789ABCDEF";

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)path[i];
		if (keep(ch)) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return out;
}

static int hexv(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

char *accord_uri_decode(const char *uri)
{
	size_t n = strlen(uri), o = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (uri[i] == '%') {
			int hi = i + 2 < n ? hexv(uri[i + 1]) : -1;
			int lo = hi >= 0 ? hexv(uri[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (uri[i] == '#' || uri[i] == '?' || (unsigned char)uri[i] < 0x20) {
			/* fragments and queries do not name container entries */
			free(out);
			return NULL;
		} else {
			out[o++] = uri[i];
		}
	}
	out[o] = '\0';
	return out;
}

static void find_id(xmlNodePtr n, const char *id, xmlNodePtr *found, int *count)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"Id");
		if (v && !strcmp((const char *)v, id)) {
			*found = n;
			(*count)++;
		}
		xmlFree(v);
		find_id(n->children, id, found, count);
	}
}

xmlNodePtr accord_xml_find_id(xmlNodePtr root, const char *id, int *count)
{
	xmlNodePtr found = NULL;
	int c = 0;

	if (root) {
		xmlChar *v = xmlGetNoNsProp(root, (const xmlChar *)"Id");
		if (v && !strcmp((const char *)v, id)) {
			found = root;
			c++;
		}
		xmlFree(v);
		find_id(root->children, id, &found, &c);
	}
	if (count)
		*count = c;
	return c == 1 ? found : NULL;
}
