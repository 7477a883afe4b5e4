/* formats/c14n.h — canonical XML (C14N 1.0, 1.1, exclusive; with or without
 * comments) of one element subtree, through libxml2. */
#ifndef ACCORD_C14N_H
#define ACCORD_C14N_H
#include <libxml/tree.h>
#include "util/internal.h"

#define ACCORD_C14N_10 "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
#define ACCORD_C14N_10_COMMENTS "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
#define ACCORD_C14N_11 "http://www.w3.org/2006/12/xml-c14n11"
#define ACCORD_C14N_11_COMMENTS "http://www.w3.org/2006/12/xml-c14n11#WithComments"
#define ACCORD_C14N_EXC "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ACCORD_C14N_EXC_COMMENTS "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"

/* Is this a canonicalisation algorithm URI accord accepts? */
int accord_c14n_known(const char *uri);

/* Canonicalise the subtree rooted at node with the method named by uri.
 * inclusive_prefixes: the PrefixList of exclusive C14N, or NULL.
 * *out is xmlFree'd by the caller. */
int accord_c14n_node(xmlNodePtr node, const char *uri, const char *inclusive_prefixes,
		     unsigned char **out, size_t *len, accord_error *err);

/* The same, leaving out the subtree at exclude (an enveloped signature: the
 * enveloped-signature transform of XML-DSig 6.6.4, applied to a node-set). */
int accord_c14n_node_without(xmlNodePtr node, xmlNodePtr exclude, const char *uri,
			     const char *inclusive_prefixes, unsigned char **out, size_t *len,
			     accord_error *err);

/* Digest (alg) of the canonical SignatureValue element: what a SignatureTimeStamp covers. */
#include <gnutls/gnutls.h>
int accord_sigvalue_imprint(xmlNodePtr sig_value, const char *c14n, gnutls_digest_algorithm_t alg,
			    unsigned char *out, size_t *len, accord_error *err);

#endif
