/* formats/xades_parse.c — strict parser of XAdES signature files: the fixed shape that
 * DigiDoc, the EU DSS and accord write, nothing generic. Anything else is refused with
 * the element and the rule, which is the first defence against signature wrapping. */
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include "formats/xades.h"
#include "formats/xml_safe.h"
#include "formats/c14n.h"

#define DS ACCORD_NS_DS
#define XA ACCORD_NS_XADES

typedef struct ctx {
	const char *file;
	accord_error *err;
} ctx;

static int bad(ctx *c, const xmlNode *n, const char *fmt, const char *arg)
{
	char where[600];

	if (n)
		snprintf(where, sizeof where, "%s: line %d: %s", c->file, (int)n->line,
			 (const char *)n->name);
	else
		snprintf(where, sizeof where, "%s", c->file);
	return accord_err(c->err, ACCORD_ERR_FORMAT, where, fmt, arg ? arg : "");
}

static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

/* Only the attributes listed may appear (no namespaced ones). */
static int only_attrs(ctx *c, const xmlNode *n, const char *const *allowed)
{
	for (xmlAttr *a = n->properties; a; a = a->next) {
		int ok = 0;
		for (size_t i = 0; allowed && allowed[i]; i++)
			if (!a->ns && !strcmp((const char *)a->name, allowed[i]))
				ok = 1;
		if (!ok)
			return bad(c, n, "unexpected attribute '%s'", (const char *)a->name);
	}
	return ACCORD_OK;
}

/* Text between elements must be blank, and no comment/PI may sit inside the signed
 * structure where it could shift canonicalisation. */
static int only_blank_text(ctx *c, const xmlNode *n)
{
	for (xmlNode *k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE) {
			for (const xmlChar *p = k->content; p && *p; p++)
				if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
					return bad(c, n, "unexpected text inside%s", "");
		} else if (k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE) {
			return bad(c, n, "comment or processing instruction inside%s", "");
		} else if (k->type != XML_ELEMENT_NODE) {
			return bad(c, n, "unexpected node inside%s", "");
		}
	}
	return ACCORD_OK;
}

static char *text_of(ctx *c, const xmlNode *n)
{
	char *t = accord_xml_text(n);
	if (!t)
		bad(c, n, "expected text, found elements%s", "");
	return t;
}

static int base64_of(ctx *c, const xmlNode *n, unsigned char **out, size_t *len)
{
	char *t = text_of(c, n);
	int rc;

	if (!t)
		return ACCORD_ERR_FORMAT;
	rc = accord_base64_decode(t, strlen(t), out, len);
	xmlFree(t);
	if (rc != ACCORD_OK)
		return bad(c, n, "invalid base64 content%s", "");
	return ACCORD_OK;
}

static int expect(ctx *c, const xmlNode *n, const char *ns, const char *name, const xmlNode *parent)
{
	if (!n) {
		char what[200];
		snprintf(what, sizeof what, "%s", name);
		return bad(c, parent, "missing child element '%s'", what);
	}
	if (!accord_xml_is(n, ns, name)) {
		char what[300];
		snprintf(what, sizeof what, "'%s' where '%s' belongs (or wrong namespace)",
			 (const char *)n->name, name);
		return bad(c, n, "unexpected element %s", what);
	}
	if (accord_xml_first_element(n))
		return only_blank_text(c, n);
	return ACCORD_OK;
}

/* A canonicalisation method element (CanonicalizationMethod or Transform). */
static int parse_c14n(ctx *c, const xmlNode *n, char **uri, char **prefixes)
{
	static const char *const a[] = {"Algorithm", NULL};
	xmlNode *k;

	if (only_attrs(c, n, a))
		return ACCORD_ERR_FORMAT;
	*uri = attr(n, "Algorithm");
	if (!*uri || !accord_c14n_known(*uri))
		return bad(c, n, "unknown or missing canonicalisation algorithm '%s'", *uri);
	k = accord_xml_first_element(n);
	if (k) {
		if (!accord_xml_is(k, "http://www.w3.org/2001/10/xml-exc-c14n#", "InclusiveNamespaces") ||
		    accord_xml_next_element(k) || strncmp(*uri, ACCORD_C14N_EXC, strlen(ACCORD_C14N_EXC)))
			return bad(c, k, "only exclusive c14n may carry InclusiveNamespaces%s", "");
		*prefixes = attr(k, "PrefixList");
	}
	return ACCORD_OK;
}

static int parse_digest(ctx *c, xmlNode *dm, const xmlNode *parent, const accord_digest_alg **alg,
			char **uri, unsigned char *digest, size_t *dlen)
{
	static const char *const a[] = {"Algorithm", NULL};
	xmlNode *dv;
	unsigned char *raw = NULL;
	size_t n = 0;

	if (expect(c, dm, DS, "DigestMethod", parent) || only_attrs(c, dm, a))
		return ACCORD_ERR_FORMAT;
	if (accord_xml_first_element(dm))
		return bad(c, dm, "DigestMethod must be empty%s", "");
	*uri = attr(dm, "Algorithm");
	*alg = accord_digest_by_uri(*uri);  /* NULL: unknown, judged by verify */
	dv = accord_xml_next_element(dm);
	if (expect(c, dv, DS, "DigestValue", parent) || base64_of(c, dv, &raw, &n))
		return ACCORD_ERR_FORMAT;
	if (n > 64 || (*alg && n != (*alg)->len)) {
		free(raw);
		return bad(c, dv, "digest value has the wrong length%s", "");
	}
	memcpy(digest, raw, n);
	*dlen = n;
	free(raw);
	if (accord_xml_next_element(dv))
		return bad(c, accord_xml_next_element(dv), "unexpected element after DigestValue%s", "");
	return ACCORD_OK;
}

/* Record a relaxation on signature s: verify/ reports it as a finding. */
static int note(ctx *c, accord_xsig *s, const xmlNode *n, const char *rule, const char *fmt,
		const char *arg) __attribute__((format(printf, 5, 0)));
static int note(ctx *c, accord_xsig *s, const xmlNode *n, const char *rule, const char *fmt,
		const char *arg)
{
	accord_xnote *g;

	if (s->n_notes >= 64)
		return ACCORD_OK;
	g = realloc(s->notes, (s->n_notes + 1) * sizeof *g);
	if (!g)
		return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
	s->notes = g;
	g = &s->notes[s->n_notes++];
	memset(g, 0, sizeof *g);
	snprintf(g->rule, sizeof g->rule, "%s", rule);
	snprintf(g->where, sizeof g->where, "%s: line %d: signature '%.80s'", c->file,
		 n ? (int)n->line : 0, s->id ? s->id : "");
	snprintf(g->message, sizeof g->message, fmt, arg ? arg : "");
	return ACCORD_OK;
}

#define RULE_TYPE "XML-DSig 1.1 4.4.3.1: Type is advisory"
#define RULE_NO_TRANSFORMS "XML-DSig 1.1 4.4.3.2-3: no Transforms, inclusive C14N 1.0 used"
#define RULE_ROOT "ETSI EN 319 162-1 (ASiC-E): asic:XAdESSignatures is a signature file's root"

/* One ds:Reference. The Type attribute is advisory (XML-DSig): what the URI points at
 * decides what a reference is. A Type accord does not know (or an empty one) is accepted
 * and noted; the SignedProperties reference is recognised in parse_signature by its
 * target, and a Type that claims SignedProperties must point there. */
static int parse_reference(ctx *c, xmlNode *r, accord_xref *x, accord_xsig *s)
{
	static const char *const a[] = {"Id", "URI", "Type", NULL};
	xmlNode *k;

	if (only_attrs(c, r, a) || only_blank_text(c, r))
		return ACCORD_ERR_FORMAT;
	x->id = attr(r, "Id");
	x->uri = attr(r, "URI");
	x->type = attr(r, "Type");
	if (!x->uri || !x->uri[0])
		return bad(c, r, "reference without URI (the whole document) is refused%s", "");
	x->is_signed_props = x->type && !strcmp(x->type, ACCORD_TYPE_SIGNED_PROPS);
	x->is_countersigned = x->type && !strcmp(x->type, ACCORD_TYPE_COUNTERSIGNED);
	if (x->type && !x->is_signed_props && !x->is_countersigned &&
	    strcmp(x->type, "http://www.w3.org/2000/09/xmldsig#Object")) {
		char msg[300];
		snprintf(msg, sizeof msg, "reference '%.100s' has Type '%.100s': ignored, the reference is judged by what it points at",
			 x->uri, x->type);
		if (note(c, s, r, RULE_TYPE, "%s", msg))
			return ACCORD_ERR_NOMEM;
	}
	k = accord_xml_first_element(r);
	if (accord_xml_is(k, DS, "Transforms")) {
		xmlNode *t = accord_xml_first_element(k);
		if (only_blank_text(c, k))
			return ACCORD_ERR_FORMAT;
		if (!accord_xml_is(t, DS, "Transform") || accord_xml_next_element(t))
			return bad(c, k, "exactly one canonicalisation Transform is allowed%s", "");
		if (parse_c14n(c, t, &x->transform, &x->transform_prefixes))
			return ACCORD_ERR_FORMAT;
		k = accord_xml_next_element(k);
	}
	if (x->uri[0] == '#') {
		/* Which element it points at is checked in parse_signature, once the Object
		 * has been read: this signature's SignedProperties, or (CountersignedSignature)
		 * the master's SignatureValue, checked in verify/. */
		if (!x->transform) {
			/* XML-DSig: a same-document node-set without transforms is converted to
			 * octets with inclusive Canonical XML 1.0, comments removed. */
			x->transform = (char *)xmlStrdup((const xmlChar *)ACCORD_C14N_10);
			if (!x->transform)
				return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
			x->implicit_c14n = 1;
			if (note(c, s, r, RULE_NO_TRANSFORMS,
				 "same-document reference '%.200s' has no Transforms: digested as inclusive C14N 1.0 without comments",
				 x->uri))
				return ACCORD_ERR_NOMEM;
		}
	} else {
		if (x->is_signed_props || x->is_countersigned)
			return bad(c, r, "typed reference '%s' must point inside the document", x->uri);
		if (x->transform)
			return bad(c, r, "a data-file reference '%s' may not carry transforms", x->uri);
		x->path = accord_uri_decode(x->uri);
		if (!x->path)
			return bad(c, r, "malformed reference URI '%s'", x->uri);
	}
	return parse_digest(c, k, r, &x->digest_alg, &x->digest_uri, x->digest, &x->digest_len);
}

static int parse_signed_info(ctx *c, xmlNode *si, accord_xsig *s)
{
	static const char *const a[] = {"Id", NULL};
	xmlNode *k = accord_xml_first_element(si), *r;
	size_t n = 0;

	if (only_attrs(c, si, a) || only_blank_text(c, si))
		return ACCORD_ERR_FORMAT;
	if (expect(c, k, DS, "CanonicalizationMethod", si) ||
	    parse_c14n(c, k, &s->c14n_uri, &s->c14n_prefixes))
		return ACCORD_ERR_FORMAT;
	k = accord_xml_next_element(k);
	if (expect(c, k, DS, "SignatureMethod", si))
		return ACCORD_ERR_FORMAT;
	s->sig_uri = attr(k, "Algorithm");
	s->sig_alg = accord_sig_alg_by_uri(s->sig_uri);
	if (accord_xml_first_element(k))
		return bad(c, k, "SignatureMethod parameters are not supported%s", "");
	for (r = accord_xml_next_element(k); r; r = accord_xml_next_element(r)) {
		if (!accord_xml_is(r, DS, "Reference"))
			return bad(c, r, "only Reference elements may follow SignatureMethod%s", "");
		n++;
	}
	if (n == 0)
		return bad(c, si, "SignedInfo has no Reference%s", "");
	if (n > 10000)
		return accord_err(c->err, ACCORD_ERR_LIMIT, c->file, "too many references");
	s->refs = accord_calloc(n, sizeof *s->refs);
	if (!s->refs)
		return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
	for (r = accord_xml_next_element(k); r; r = accord_xml_next_element(r))
		if (parse_reference(c, r, &s->refs[s->n_refs++], s))
			return ACCORD_ERR_FORMAT;
	return ACCORD_OK;
}

static int parse_key_info(ctx *c, xmlNode *ki, accord_xsig *s)
{
	static const char *const a[] = {"Id", NULL};
	xmlNode *xd = accord_xml_first_element(ki), *k;
	size_t n = 0;

	if (only_attrs(c, ki, a) || only_blank_text(c, ki))
		return ACCORD_ERR_FORMAT;
	if (expect(c, xd, DS, "X509Data", ki) || accord_xml_next_element(xd))
		return bad(c, ki, "KeyInfo must hold exactly one X509Data%s", "");
	if (only_blank_text(c, xd))
		return ACCORD_ERR_FORMAT;
	for (k = accord_xml_first_element(xd); k; k = accord_xml_next_element(k)) {
		if (!accord_xml_is(k, DS, "X509Certificate"))
			return bad(c, k, "X509Data may hold only X509Certificate elements%s", "");
		n++;
	}
	if (n == 0 || n > 16)
		return bad(c, xd, "X509Data must hold 1 to 16 certificates%s", "");
	s->certs = accord_calloc(n, sizeof *s->certs);
	s->cert_lens = accord_calloc(n, sizeof *s->cert_lens);
	if (!s->certs || !s->cert_lens)
		return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
	for (k = accord_xml_first_element(xd); k; k = accord_xml_next_element(k)) {
		if (base64_of(c, k, &s->certs[s->n_certs], &s->cert_lens[s->n_certs]))
			return ACCORD_ERR_FORMAT;
		s->n_certs++;
	}
	return ACCORD_OK;
}

static int parse_signing_cert(ctx *c, xmlNode *sc, accord_xsig *s, int v2)
{
	xmlNode *cert = accord_xml_first_element(sc), *cd, *k;

	if (s->cert_digest_len)
		return bad(c, sc, "more than one signing certificate property%s", "");
	if (only_blank_text(c, sc) || expect(c, cert, XA, "Cert", sc))
		return ACCORD_ERR_FORMAT;
	/* The first Cert is the signer's; more Cert elements (its chain) are allowed. */
	cd = accord_xml_first_element(cert);
	if (only_blank_text(c, cert) || expect(c, cd, XA, "CertDigest", cert) || only_blank_text(c, cd))
		return ACCORD_ERR_FORMAT;
	if (parse_digest(c, accord_xml_first_element(cd), cd, &s->cert_digest_alg,
			 &s->cert_digest_uri, s->cert_digest, &s->cert_digest_len))
		return ACCORD_ERR_FORMAT;
	k = accord_xml_next_element(cd);
	if (k && !accord_xml_is(k, XA, v2 ? "IssuerSerialV2" : "IssuerSerial"))
		return bad(c, k, "unexpected element in Cert%s", "");
	if (k && accord_xml_next_element(k))
		return bad(c, k, "unexpected element after the issuer serial%s", "");
	if (!v2 && !k)
		return bad(c, cert, "SigningCertificate needs IssuerSerial%s", "");
	for (k = accord_xml_next_element(cert); k; k = accord_xml_next_element(k))
		if (!accord_xml_is(k, XA, "Cert"))
			return bad(c, k, "unexpected element in the signing certificate%s", "");
	s->signing_cert_v2 = v2;
	return ACCORD_OK;
}

static int parse_ssp(ctx *c, xmlNode *ssp, accord_xsig *s)
{
	if (only_blank_text(c, ssp))
		return ACCORD_ERR_FORMAT;
	for (xmlNode *k = accord_xml_first_element(ssp); k; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, XA, "SigningTime")) {
			char *t = text_of(c, k);
			int r = t ? accord_time_parse(t, &s->signing_time) : ACCORD_ERR_FORMAT;
			xmlFree(t);
			if (r || s->has_signing_time)
				return bad(c, k, "invalid or repeated SigningTime (UTC expected)%s", "");
			s->has_signing_time = 1;
		} else if (accord_xml_is(k, XA, "SigningCertificateV2")) {
			if (parse_signing_cert(c, k, s, 1))
				return ACCORD_ERR_FORMAT;
		} else if (accord_xml_is(k, XA, "SigningCertificate")) {
			if (parse_signing_cert(c, k, s, 0))
				return ACCORD_ERR_FORMAT;
		} else if (accord_xml_is(k, XA, "SignatureProductionPlaceV2") ||
			   accord_xml_is(k, XA, "SignatureProductionPlace")) {
			for (xmlNode *p = accord_xml_first_element(k); p; p = accord_xml_next_element(p)) {
				if (accord_xml_is(p, XA, "City") && !s->city)
					s->city = text_of(c, p);
				else if (accord_xml_is(p, XA, "CountryName") && !s->country)
					s->country = text_of(c, p);
			}
		} else if (accord_xml_is(k, XA, "SignerRoleV2") || accord_xml_is(k, XA, "SignerRole")) {
			xmlNode *cr = accord_xml_first_element(k);
			xmlNode *role = accord_xml_first_element(cr);
			if (!accord_xml_is(cr, XA, "ClaimedRoles") || !accord_xml_is(role, XA, "ClaimedRole"))
				return bad(c, k, "SignerRole must hold ClaimedRoles/ClaimedRole%s", "");
			if (s->role)
				return bad(c, k, "repeated SignerRole%s", "");
			s->role = text_of(c, role);
			if (!s->role)
				return ACCORD_ERR_FORMAT;
		} else if (accord_xml_is(k, XA, "SignaturePolicyIdentifier")) {
			/* accord applies its own validation policy; the policy's identifier is kept
			 * (BDOC 2.1's time-mark policy changes what proves the time). */
			xmlNode *pid = accord_xml_first_element(k);
			xmlNode *spid = accord_xml_is(pid, XA, "SignaturePolicyId") ? accord_xml_first_element(pid) : NULL;
			xmlNode *idn = accord_xml_is(spid, XA, "SigPolicyId") ? accord_xml_first_element(spid) : NULL;
			if (s->policy_id)
				return bad(c, k, "repeated SignaturePolicyIdentifier%s", "");
			if (accord_xml_is(idn, XA, "Identifier") && !(s->policy_id = text_of(c, idn)))
				return ACCORD_ERR_FORMAT;
		} else {
			return bad(c, k, "unexpected signed signature property%s", "");
		}
	}
	if (!s->cert_digest_len)
		return bad(c, ssp, "no SigningCertificate or SigningCertificateV2%s", "");
	return ACCORD_OK;
}

typedef struct ref_id {
	const char *id;
	size_t i;
} ref_id;

static int cmp_ref_id(const void *a, const void *b)
{
	const ref_id *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : (x->i < y->i ? -1 : x->i > y->i);
}

/* The references that have an Id, sorted by it: a DataObjectFormat finds its reference
 * by binary search, not by a scan per format (n formats x n references). */
static ref_id *ref_index(const accord_xsig *s, size_t *n)
{
	ref_id *v = malloc((s->n_refs ? s->n_refs : 1) * sizeof *v);

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->n_refs; i++)
		if (s->refs[i].id)
			v[(*n)++] = (ref_id){s->refs[i].id, i};
	qsort(v, *n, sizeof *v, cmp_ref_id);
	return v;
}

static int parse_sdop_formats(ctx *c, xmlNode *k, accord_xsig *s, const ref_id *idx, size_t n_idx)
{
	char *target = attr(k, "ObjectReference");
	xmlNode *mt = NULL;
	size_t lo = 0, hi = n_idx;
	int found = 0;

	for (xmlNode *p = accord_xml_first_element(k); p; p = accord_xml_next_element(p))
		if (accord_xml_is(p, XA, "MimeType"))
			mt = p;
	/* the first index entry whose Id is not below target + 1 */
	while (target && target[0] == '#' && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(idx[mid].id, target + 1) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t j = lo; target && target[0] == '#' && j < n_idx && !strcmp(idx[j].id, target + 1); j++) {
		accord_xref *r = &s->refs[idx[j].i];
		if (r->mime_type || !mt) {
			xmlFree(target);
			return bad(c, k, "repeated DataObjectFormat or no MimeType%s", "");
		}
		r->mime_type = text_of(c, mt);
		found = 1;
	}
	if (!found) {
		bad(c, k, "DataObjectFormat refers to no reference of this signature ('%s')", target);
		xmlFree(target);
		return ACCORD_ERR_FORMAT;
	}
	xmlFree(target);
	return ACCORD_OK;
}

static int parse_sdop(ctx *c, xmlNode *sdop, accord_xsig *s)
{
	ref_id *idx = NULL;
	size_t n_idx = 0;
	int rc = ACCORD_OK;

	if (only_blank_text(c, sdop))
		return ACCORD_ERR_FORMAT;
	for (xmlNode *k = accord_xml_first_element(sdop); k && !rc; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, XA, "DataObjectFormat")) {
			if (!idx && !(idx = ref_index(s, &n_idx))) {
				rc = accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
				break;
			}
			rc = parse_sdop_formats(c, k, s, idx, n_idx);
		} else if (accord_xml_is(k, XA, "CommitmentTypeIndication")) {
			xmlNode *ctid = accord_xml_first_element(k);
			xmlNode *idn = accord_xml_first_element(ctid);
			if (!accord_xml_is(ctid, XA, "CommitmentTypeId") || !accord_xml_is(idn, XA, "Identifier"))
				rc = bad(c, k, "CommitmentTypeIndication needs CommitmentTypeId/Identifier%s", "");
			else if (s->commitment)
				rc = bad(c, k, "repeated CommitmentTypeIndication%s", "");
			else
				s->commitment = text_of(c, idn);
		} else if (accord_xml_is(k, XA, "AllDataObjectsTimeStamp") ||
			   accord_xml_is(k, XA, "IndividualDataObjectsTimeStamp")) {
			/* content timestamps: accepted, not evaluated */
		} else {
			rc = bad(c, k, "unexpected signed data object property%s", "");
		}
	}
	free(idx);
	return rc;
}

static int parse_signature(ctx *c, xmlNode *sig, accord_xsig *s, accord_xsig *master, int depth);

static int parse_timestamp(ctx *c, xmlNode *ts, accord_xsig *s)
{
	xmlNode *k = accord_xml_first_element(ts), *et = NULL;
	char *cm = NULL, *pre = NULL;
	unsigned char *tok = NULL;
	size_t len = 0;
	size_t n = s->n_ts;

	for (; k; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, DS, "CanonicalizationMethod")) {
			if (cm) {
				xmlFree(cm);
				xmlFree(pre);
				return bad(c, k, "repeated CanonicalizationMethod%s", "");
			}
			if (parse_c14n(c, k, &cm, &pre)) {
				xmlFree(cm);
				xmlFree(pre);
				return ACCORD_ERR_FORMAT;
			}
		} else if (accord_xml_is(k, XA, "EncapsulatedTimeStamp") && !et) {
			et = k;
		} else {
			xmlFree(cm);
			xmlFree(pre);
			return bad(c, k, "unexpected element in SignatureTimeStamp%s", "");
		}
	}
	xmlFree(pre);
	if (!et || base64_of(c, et, &tok, &len)) {
		xmlFree(cm);
		return et ? ACCORD_ERR_FORMAT : bad(c, ts, "SignatureTimeStamp without EncapsulatedTimeStamp%s", "");
	}
	{
		unsigned char **t = realloc(s->ts_tokens, (n + 1) * sizeof *t);
		size_t *l = t ? realloc(s->ts_lens, (n + 1) * sizeof *l) : NULL;
		char **m = l ? realloc(s->ts_c14n, (n + 1) * sizeof *m) : NULL;
		if (t)
			s->ts_tokens = t;
		if (l)
			s->ts_lens = l;
		if (m)
			s->ts_c14n = m;
		if (!t || !l || !m) {
			free(tok);
			xmlFree(cm);
			return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
		}
	}
	s->ts_tokens[n] = tok;
	s->ts_lens[n] = len;
	s->ts_c14n[n] = cm ? cm : (char *)xmlStrdup((const xmlChar *)ACCORD_C14N_10);
	s->n_ts = n + 1;
	return ACCORD_OK;
}

static int parse_unsigned(ctx *c, xmlNode *up, accord_xsig *s, int depth)
{
	xmlNode *usp = accord_xml_first_element(up);

	if (!usp)
		return ACCORD_OK;
	if (!accord_xml_is(usp, XA, "UnsignedSignatureProperties") || accord_xml_next_element(usp))
		return bad(c, up, "UnsignedProperties may hold only UnsignedSignatureProperties%s", "");
	s->unsigned_sig_props = usp;
	/* The countersignatures are allocated once: nested ones keep a pointer to them. */
	{
		size_t n = 0;
		for (xmlNode *k = accord_xml_first_element(usp); k; k = accord_xml_next_element(k))
			if (accord_xml_is(k, XA, "CounterSignature"))
				n++;
		if (n && depth >= 4)
			return accord_err(c->err, ACCORD_ERR_LIMIT, c->file, "countersignatures nested too deep");
		if (n > 64)
			return accord_err(c->err, ACCORD_ERR_LIMIT, c->file, "too many countersignatures");
		if (n && !(s->counters = accord_calloc(n, sizeof *s->counters)))
			return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
	}
	for (xmlNode *k = accord_xml_first_element(usp); k; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, XA, "CounterSignature")) {
			xmlNode *inner = accord_xml_first_element(k);
			if (!accord_xml_is(inner, DS, "Signature") || accord_xml_next_element(inner))
				return bad(c, k, "CounterSignature must hold exactly one ds:Signature%s", "");
			if (parse_signature(c, inner, &s->counters[s->n_counters++], s, depth + 1))
				return ACCORD_ERR_FORMAT;
		} else if (accord_xml_is(k, XA, "SignatureTimeStamp")) {
			if (parse_timestamp(c, k, s))
				return ACCORD_ERR_FORMAT;
		} else if (accord_xml_is(k, XA, "CertificateValues") ||
			   accord_xml_is(k, XA, "RevocationValues") ||
			   accord_xml_is(k, ACCORD_NS_XADES141, "ArchiveTimeStamp") ||
			   accord_xml_is(k, ACCORD_NS_XADES141, "TimeStampValidationData") ||
			   accord_xml_is(k, XA, "CompleteCertificateRefs") ||
			   accord_xml_is(k, XA, "CompleteRevocationRefs")) {
			/* long-term validation data: kept in the tree for verify/ */
		} else {
			return bad(c, k, "unexpected unsigned signature property%s", "");
		}
	}
	return ACCORD_OK;
}

static int parse_object(ctx *c, xmlNode *obj, accord_xsig *s, int depth)
{
	xmlNode *qp = accord_xml_first_element(obj), *sp, *k, *up;
	char *target, *id;
	int rc = ACCORD_OK;

	if (expect(c, qp, XA, "QualifyingProperties", obj) || accord_xml_next_element(qp))
		return bad(c, obj, "the Object must hold exactly one xades:QualifyingProperties%s", "");
	target = attr(qp, "Target");
	if (!target || target[0] != '#' || !s->id || strcmp(target + 1, s->id)) {
		rc = bad(c, qp, "QualifyingProperties Target '%s' is not this signature", target);
		xmlFree(target);
		return rc;
	}
	xmlFree(target);
	sp = accord_xml_first_element(qp);
	if (expect(c, sp, XA, "SignedProperties", qp))
		return ACCORD_ERR_FORMAT;
	s->signed_props = sp;
	id = attr(sp, "Id");
	if (!id) {
		return bad(c, sp, "SignedProperties has no Id%s", "");
	}
	xmlFree(id);
	k = accord_xml_first_element(sp);
	if (expect(c, k, XA, "SignedSignatureProperties", sp) || parse_ssp(c, k, s))
		return ACCORD_ERR_FORMAT;
	k = accord_xml_next_element(k);
	if (k) {
		if (expect(c, k, XA, "SignedDataObjectProperties", sp) || parse_sdop(c, k, s))
			return ACCORD_ERR_FORMAT;
		if (accord_xml_next_element(k))
			return bad(c, accord_xml_next_element(k), "unexpected element in SignedProperties%s", "");
	}
	up = accord_xml_next_element(sp);
	if (up) {
		if (expect(c, up, XA, "UnsignedProperties", qp) || accord_xml_next_element(up))
			return bad(c, up, "unexpected element in QualifyingProperties%s", "");
		if (parse_unsigned(c, up, s, depth))
			return ACCORD_ERR_FORMAT;
	}
	return ACCORD_OK;
}

static int parse_signature(ctx *c, xmlNode *sig, accord_xsig *s, accord_xsig *master, int depth)
{
	static const char *const a[] = {"Id", NULL};
	xmlNode *k;
	size_t n_sp = 0;

	s->doc = sig->doc;
	s->node = sig;
	s->master = master;
	if (only_attrs(c, sig, a) || only_blank_text(c, sig))
		return ACCORD_ERR_FORMAT;
	s->id = attr(sig, "Id");
	if (!s->id)
		return bad(c, sig, "ds:Signature has no Id%s", "");
	k = accord_xml_first_element(sig);
	if (expect(c, k, DS, "SignedInfo", sig) || parse_signed_info(c, k, s))
		return ACCORD_ERR_FORMAT;
	s->signed_info = k;
	k = accord_xml_next_element(k);
	if (expect(c, k, DS, "SignatureValue", sig))
		return ACCORD_ERR_FORMAT;
	{
		static const char *const av[] = {"Id", NULL};
		if (only_attrs(c, k, av) || base64_of(c, k, &s->sig_value, &s->sig_value_len))
			return ACCORD_ERR_FORMAT;
	}
	s->sig_value_node = k;
	s->sig_value_id = attr(k, "Id");
	k = accord_xml_next_element(k);
	if (expect(c, k, DS, "KeyInfo", sig) || parse_key_info(c, k, s))
		return ACCORD_ERR_FORMAT;
	k = accord_xml_next_element(k);
	if (expect(c, k, DS, "Object", sig) || parse_object(c, k, s, depth))
		return ACCORD_ERR_FORMAT;
	if (accord_xml_next_element(k))
		return bad(c, accord_xml_next_element(k), "unexpected element after the Object%s", "");
	/* Exactly one reference covers this signature's SignedProperties: the one whose URI
	 * names the Id of the SignedProperties found at its proper place (Object/
	 * QualifyingProperties/SignedProperties of this ds:Signature), whatever its Type. A
	 * Type that claims SignedProperties must point there; no other same-document target
	 * is accepted (a CountersignedSignature reference is checked by verify/). */
	{
		char *spid = attr(s->signed_props, "Id");
		for (size_t i = 0; i < s->n_refs; i++) {
			accord_xref *r = &s->refs[i];
			int same = r->uri[0] == '#' && spid && !strcmp(r->uri + 1, spid);
			if (r->is_countersigned) {
				if (!master) {
					xmlFree(spid);
					return bad(c, s->signed_info, "a CountersignedSignature reference '%s' outside a countersignature", r->uri);
				}
				continue;
			}
			if (r->uri[0] != '#')
				continue; /* a data-file reference: judged as data, never as SignedProperties */
			if (!same) {
				int rc = r->is_signed_props
					 ? bad(c, s->signed_info, "the SignedProperties reference '%s' does not resolve to this signature's SignedProperties", r->uri)
					 : bad(c, s->signed_info, "same-document reference '%s' to an element that is not the signed properties", r->uri);
				xmlFree(spid);
				return rc;
			}
			r->is_signed_props = 1;
			n_sp++;
		}
		xmlFree(spid);
	}
	if (n_sp != 1)
		return bad(c, s->signed_info, "exactly one SignedProperties reference is required%s", "");
	if (master) {
		size_t n_cs = 0;
		for (size_t i = 0; i < s->n_refs; i++)
			n_cs += s->refs[i].is_countersigned ? 1 : 0;
		if (n_cs != 1)
			return bad(c, s->signed_info,
				   "a countersignature needs exactly one CountersignedSignature reference%s", "");
	}
	return ACCORD_OK;
}

/* Every Id attribute in the file must be unique (wrapping often duplicates one). The
 * Ids are gathered in document order, then sorted: O(n log n), whatever their number. */
typedef struct seen_id {
	char *id;
	xmlNode *node;
	size_t order;
} seen_id;

typedef struct id_list {
	seen_id *v;
	size_t n, cap;
} id_list;

static int collect_ids(ctx *c, xmlNode *n, id_list *l)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		char *id = attr(n, "Id");
		if (id) {
			if (l->n == l->cap) {
				size_t ncap = l->cap ? l->cap * 2 : 64;
				seen_id *g = realloc(l->v, ncap * sizeof *g);
				if (!g) {
					xmlFree(id);
					return accord_err(c->err, ACCORD_ERR_NOMEM, c->file, "out of memory");
				}
				l->v = g;
				l->cap = ncap;
			}
			l->v[l->n] = (seen_id){id, n, l->n};
			l->n++;
		}
		int rc = collect_ids(c, n->children, l);
		if (rc)
			return rc;
	}
	return ACCORD_OK;
}

static int cmp_seen_id(const void *a, const void *b)
{
	const seen_id *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : (x->order < y->order ? -1 : x->order > y->order);
}

/* The first element, in document order, whose Id an earlier element already has. */
static int unique_ids(ctx *c, xmlNode *root)
{
	id_list l = {NULL, 0, 0};
	const seen_id *dup = NULL;
	int rc = collect_ids(c, root, &l);

	if (!rc && l.n > 1) {
		qsort(l.v, l.n, sizeof *l.v, cmp_seen_id);
		for (size_t i = 1; i < l.n; i++)
			if (!strcmp(l.v[i - 1].id, l.v[i].id) && (!dup || l.v[i].order < dup->order))
				dup = &l.v[i];
		if (dup)
			rc = bad(c, dup->node, "duplicate Id '%s'", dup->id);
	}
	for (size_t i = 0; i < l.n; i++)
		xmlFree(l.v[i].id);
	free(l.v);
	return rc;
}

int accord_xades_parse(const unsigned char *xml, size_t len, const char *name,
		       accord_xsig_file *out, accord_error *err)
{
	ctx c = {name, err};
	xmlNode *root, *k;
	size_t n = 0;
	int rc, bare;

	memset(out, 0, sizeof *out);
	out->name = accord_strdup(name);
	rc = accord_xml_parse(xml, len, name, &out->doc, err);
	if (rc)
		return rc;
	root = xmlDocGetRootElement(out->doc);
	bare = accord_xml_is(root, DS, "Signature");
	if (!bare && !accord_xml_is(root, ACCORD_NS_ASIC, "XAdESSignatures"))
		return bad(&c, root, "the root must be asic:XAdESSignatures (namespace %s)", ACCORD_NS_ASIC);
	for (xmlNode *p = out->doc->children; p; p = p->next)
		if (p->type == XML_PI_NODE || (p->type == XML_ELEMENT_NODE && p != root))
			return bad(&c, p, "unexpected node outside the root element%s", "");
	rc = unique_ids(&c, root);
	if (rc)
		return rc;
	if (bare) {
		/* One ds:Signature as the root, as some DSS versions write: read, with a note. */
		out->sigs = accord_calloc(1, sizeof *out->sigs);
		if (!out->sigs)
			return accord_err(err, ACCORD_ERR_NOMEM, name, "out of memory");
		rc = parse_signature(&c, root, &out->sigs[out->n_sigs++], NULL, 0);
		if (!rc)
			rc = note(&c, &out->sigs[0], root, RULE_ROOT,
				  "the signature file's root is ds:Signature, not asic:XAdESSignatures%s", "");
		return rc;
	}
	if (only_blank_text(&c, root))
		return ACCORD_ERR_FORMAT;
	for (k = accord_xml_first_element(root); k; k = accord_xml_next_element(k)) {
		if (!accord_xml_is(k, DS, "Signature"))
			return bad(&c, k, "only ds:Signature elements may sit in XAdESSignatures%s", "");
		n++;
	}
	if (n == 0)
		return bad(&c, root, "no ds:Signature in the signature file%s", "");
	if (n > 64)
		return accord_err(err, ACCORD_ERR_LIMIT, name, "too many signatures in one file");
	out->sigs = accord_calloc(n, sizeof *out->sigs);
	if (!out->sigs)
		return accord_err(err, ACCORD_ERR_NOMEM, name, "out of memory");
	for (k = accord_xml_first_element(root); k; k = accord_xml_next_element(k)) {
		rc = parse_signature(&c, k, &out->sigs[out->n_sigs++], NULL, 0);
		if (rc)
			return rc;
	}
	return ACCORD_OK;
}

static void xref_clear(accord_xref *r)
{
	xmlFree(r->id);
	xmlFree(r->uri);
	free(r->path);
	xmlFree(r->type);
	xmlFree(r->digest_uri);
	xmlFree(r->transform);
	xmlFree(r->transform_prefixes);
	xmlFree(r->mime_type);
}

static void xsig_clear(accord_xsig *s)
{
	for (size_t i = 0; i < s->n_refs; i++)
		xref_clear(&s->refs[i]);
	free(s->refs);
	for (size_t i = 0; i < s->n_certs; i++)
		free(s->certs[i]);
	free(s->certs);
	free(s->cert_lens);
	for (size_t i = 0; i < s->n_counters; i++)
		xsig_clear(&s->counters[i]);
	free(s->counters);
	for (size_t i = 0; i < s->n_ts; i++) {
		free(s->ts_tokens[i]);
		xmlFree(s->ts_c14n[i]);
	}
	free(s->ts_tokens);
	free(s->ts_lens);
	free(s->ts_c14n);
	xmlFree(s->id);
	xmlFree(s->c14n_uri);
	xmlFree(s->c14n_prefixes);
	xmlFree(s->sig_uri);
	free(s->sig_value);
	xmlFree(s->sig_value_id);
	xmlFree(s->cert_digest_uri);
	xmlFree(s->role);
	xmlFree(s->city);
	xmlFree(s->country);
	xmlFree(s->commitment);
	xmlFree(s->policy_id);
	free(s->notes);
}

void accord_xades_file_clear(accord_xsig_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_sigs; i++)
		xsig_clear(&f->sigs[i]);
	free(f->sigs);
	xmlFreeDoc(f->doc);
	free(f->name);
	memset(f, 0, sizeof *f);
}

int accord_xades_check_bytes(const unsigned char *xml, size_t len, const char *name,
			     accord_error *err)
{
	accord_xsig_file f;
	accord_error e;
	int rc = accord_xades_parse(xml, len, name, &f, &e);

	accord_xades_file_clear(&f);
	if (rc)
		return accord_err(err, ACCORD_ERR_FORMAT, name,
				  "refusing to write a signature file accord cannot read back: %s", e.why);
	return ACCORD_OK;
}
