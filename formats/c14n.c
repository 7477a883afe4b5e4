/* formats/c14n.c — canonicalise one element subtree with libxml2's xmlC14NExecute and a
 * visibility callback that selects the element, its descendants and their namespace nodes. */
#include <string.h>
#include <libxml/c14n.h>
#include <gnutls/crypto.h>
#include "formats/c14n.h"

static const struct {
	const char *uri;
	int mode;
	int comments;
} methods[] = {
	{ACCORD_C14N_10, XML_C14N_1_0, 0},	  {ACCORD_C14N_10_COMMENTS, XML_C14N_1_0, 1},
	{ACCORD_C14N_11, XML_C14N_1_1, 0},	  {ACCORD_C14N_11_COMMENTS, XML_C14N_1_1, 1},
	{ACCORD_C14N_EXC, XML_C14N_EXCLUSIVE_1_0, 0}, {ACCORD_C14N_EXC_COMMENTS, XML_C14N_EXCLUSIVE_1_0, 1},
};

static int find(const char *uri)
{
	for (size_t i = 0; uri && i < sizeof methods / sizeof methods[0]; i++)
		if (!strcmp(uri, methods[i].uri))
			return (int)i;
	return -1;
}

int accord_c14n_known(const char *uri)
{
	return find(uri) >= 0;
}

static int is_inside(xmlNodePtr apex, xmlNodePtr n)
{
	for (; n; n = n->parent)
		if (n == apex)
			return 1;
	return 0;
}

/* The node-set: the apex's subtree, less the excluded subtree (the enveloped signature). */
struct subtree {
	xmlNodePtr apex, exclude;
};

static int visible(void *ud, xmlNodePtr node, xmlNodePtr parent)
{
	const struct subtree *st = ud;
	xmlNodePtr at = node == NULL || node->type == XML_NAMESPACE_DECL ? parent : node;

	/* Namespace nodes come as xmlNsPtr with the element as parent. */
	return is_inside(st->apex, at) && !(st->exclude && is_inside(st->exclude, at));
}

int accord_c14n_node(xmlNodePtr node, const char *uri, const char *inclusive_prefixes,
		     unsigned char **out, size_t *len, accord_error *err)
{
	return accord_c14n_node_without(node, NULL, uri, inclusive_prefixes, out, len, err);
}

int accord_c14n_node_without(xmlNodePtr node, xmlNodePtr exclude, const char *uri,
			     const char *inclusive_prefixes, unsigned char **out, size_t *len,
			     accord_error *err)
{
	struct subtree st = {node, exclude};
	int m = find(uri), n, rc = ACCORD_OK;
	xmlChar **prefixes = NULL;
	xmlOutputBufferPtr obuf = NULL;
	size_t size;
	char *copy = NULL;

	*out = NULL;
	*len = 0;
	if (m < 0)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, uri ? uri : "(none)",
				  "unknown canonicalisation method");
	if (inclusive_prefixes && methods[m].mode == XML_C14N_EXCLUSIVE_1_0) {
		size_t k = 0;
		char *save = NULL, *tok;
		copy = accord_strdup(inclusive_prefixes);
		prefixes = accord_calloc(strlen(inclusive_prefixes) / 2 + 2, sizeof *prefixes);
		if (!copy || !prefixes) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, "c14n", "out of memory");
			goto out;
		}
		for (tok = strtok_r(copy, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save))
			prefixes[k++] = (xmlChar *)(strcmp(tok, "#default") ? tok : "");
	}
	obuf = xmlAllocOutputBuffer(NULL);
	if (!obuf) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, "c14n", "out of memory");
		goto out;
	}
	n = xmlC14NExecute(node->doc, visible, &st, methods[m].mode, prefixes,
			   methods[m].comments, obuf);
	if (n < 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, (const char *)node->name,
				"canonicalisation failed");
		goto out;
	}
	xmlOutputBufferFlush(obuf);
	size = xmlOutputBufferGetSize(obuf);
	*out = xmlMalloc(size + 1);
	if (!*out) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, "c14n", "out of memory");
		goto out;
	}
	memcpy(*out, xmlOutputBufferGetContent(obuf), size);
	(*out)[size] = 0;
	*len = size;
out:
	if (obuf)
		xmlOutputBufferClose(obuf);
	free(prefixes);
	free(copy);
	return rc;
}

/* The digest of a canonical ds:SignatureValue: what a SignatureTimeStamp covers. */
int accord_sigvalue_imprint(xmlNodePtr sig_value, const char *c14n, gnutls_digest_algorithm_t alg,
			    unsigned char *out, size_t *len, accord_error *err)
{
	unsigned char *buf = NULL;
	size_t n = 0;
	int rc = accord_c14n_node(sig_value, c14n, NULL, &buf, &n, err);

	if (rc)
		return rc;
	*len = gnutls_hash_get_len(alg);
	if (!*len || gnutls_hash_fast(alg, buf, n, out) < 0)
		rc = accord_err(err, ACCORD_ERR_CRYPTO, "SignatureValue", "cannot hash");
	xmlFree(buf);
	return rc;
}
