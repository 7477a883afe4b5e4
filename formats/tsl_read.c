/* formats/tsl_read.c — reads a trusted list (ETSI TS 119 612) into typed structures under
 * limits, and checks the shape of its enveloped signature so that what is read is what is
 * signed: one ds:Signature, the root's last child, covering the root. Nothing is verified
 * here: verify/tsl.c computes the digests and checks the signature value. */
#include <string.h>
#include "formats/tsl.h"
#include "formats/xml_safe.h"
#include "formats/c14n.h"

struct reader {
	const char *where;
	accord_error *err;
};

static int bad(struct reader *r, const char *fmt, const char *what)
{
	return accord_err(r->err, ACCORD_ERR_FORMAT, r->where, fmt, what);
}

int accord_tsl_time_parse(const char *s, time_t *out)
{
	char buf[32];
	size_t n = 0;

	/* YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or +00:00: UTC only. */
	if (!s || strlen(s) < 20)
		return -1;
	memcpy(buf, s, 19);
	n = 19;
	s += 19;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (strcmp(s, "Z") && strcmp(s, "+00:00") && strcmp(s, "-00:00"))
		return -1;
	buf[n++] = 'Z';
	buf[n] = '\0';
	return accord_time_parse(buf, out) ? -1 : 0;
}

/* The text of element n, trimmed (base64 and URIs may be wrapped); NULL when it has
 * element children. */
static char *text_of(const xmlNode *n)
{
	char *t = accord_xml_text(n), *c;
	size_t a = 0, b;

	if (!t)
		return NULL;
	b = strlen(t);
	while (a < b && strchr(" \t\r\n", t[a]))
		a++;
	while (b > a && strchr(" \t\r\n", t[b - 1]))
		b--;
	c = accord_strndup(t + a, b - a);
	xmlFree(t);
	return c;
}

static xmlNode *child(const xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = accord_xml_first_element(n); c; c = accord_xml_next_element(c))
		if (accord_xml_is(c, ns, name))
			return c;
	return NULL;
}

/* The first Name of an InternationalNamesType. */
static char *first_name(const xmlNode *n)
{
	xmlNode *c = child(n, ACCORD_NS_TSL, "Name");
	return c ? text_of(c) : NULL;
}

static int time_of(struct reader *r, const xmlNode *n, const char *what, time_t *out)
{
	char *t = n ? text_of(n) : NULL;
	int bad_time = !t || accord_tsl_time_parse(t, out);

	free(t);
	return bad_time ? bad(r, "%s is missing or not a UTC xsd:dateTime", what) : ACCORD_OK;
}

static int b64_of(struct reader *r, const xmlNode *n, unsigned char **der, size_t *len)
{
	char *t = text_of(n);
	int rc = !t || !*t || accord_base64_decode(t, strlen(t), der, len);

	free(t);
	return rc ? bad(r, "%s is not base64", (const char *)n->name) : ACCORD_OK;
}

static int push_cert(unsigned char ***certs, size_t **lens, size_t *n, unsigned char *der, size_t len)
{
	unsigned char **c = realloc(*certs, (*n + 1) * sizeof *c);
	size_t *l;

	if (c)
		*certs = c;
	l = c ? realloc(*lens, (*n + 1) * sizeof *l) : NULL;
	if (!l) {
		free(der);
		return ACCORD_ERR_NOMEM;
	}
	*lens = l;
	c[*n] = der;
	l[(*n)++] = len;
	return ACCORD_OK;
}

/* ServiceTypeIdentifier, ServiceStatus and StatusStartingTime of a ServiceInformation or
 * ServiceHistoryInstance. */
static int status_of(struct reader *r, const xmlNode *n, accord_tsl_status *st)
{
	xmlNode *type = child(n, ACCORD_NS_TSL, "ServiceTypeIdentifier");
	xmlNode *status = child(n, ACCORD_NS_TSL, "ServiceStatus");

	st->type = type ? text_of(type) : NULL;
	st->status = status ? text_of(status) : NULL;
	if (!st->type || !st->status)
		return bad(r, "a %s has no ServiceTypeIdentifier or ServiceStatus", (const char *)n->name);
	return time_of(r, child(n, ACCORD_NS_TSL, "StatusStartingTime"), "StatusStartingTime", &st->since);
}

static int has_qualifier(const xmlNode *qs, const char *uri)
{
	for (xmlNode *q = accord_xml_first_element(qs); q; q = accord_xml_next_element(q)) {
		xmlChar *u = xmlGetNoNsProp(q, (const xmlChar *)"uri");
		int same = u && !strcmp((const char *)u, uri);
		xmlFree(u);
		if (same)
			return 1;
	}
	return 0;
}

/* Informational: does an ecc:Qualifications say QCStatement and QCWithQSCD? */
static int qualified_qscd(const xmlNode *info)
{
	xmlNode *exts = child(info, ACCORD_NS_TSL, "ServiceInformationExtensions");

	for (xmlNode *e = accord_xml_first_element(exts); e; e = accord_xml_next_element(e)) {
		xmlNode *q = child(e, ACCORD_NS_TSL_ECC, "Qualifications");
		for (xmlNode *qe = accord_xml_first_element(q); qe; qe = accord_xml_next_element(qe)) {
			xmlNode *qs = child(qe, ACCORD_NS_TSL_ECC, "Qualifiers");
			if (has_qualifier(qs, ACCORD_TSL_QUALIFIER "QCStatement") &&
			    has_qualifier(qs, ACCORD_TSL_QUALIFIER "QCWithQSCD"))
				return 1;
		}
	}
	return 0;
}

static int read_service(struct reader *r, const xmlNode *svc, const char *tsp, accord_tsl_service *s)
{
	xmlNode *info = child(svc, ACCORD_NS_TSL, "ServiceInformation");
	xmlNode *ids, *hist;
	int rc;

	if (!info)
		return bad(r, "a TSPService has no %s", "ServiceInformation");
	s->tsp = accord_strdup(tsp ? tsp : "");
	s->name = first_name(child(info, ACCORD_NS_TSL, "ServiceName"));
	s->statuses = accord_calloc(ACCORD_TSL_MAX_HISTORY + 1, sizeof *s->statuses);
	if (!s->tsp || !s->statuses)
		return accord_err(r->err, ACCORD_ERR_NOMEM, r->where, "out of memory");
	rc = status_of(r, info, &s->statuses[s->n_statuses++]);
	if (rc)
		return rc;
	ids = child(info, ACCORD_NS_TSL, "ServiceDigitalIdentity");
	for (xmlNode *d = accord_xml_first_element(ids); d; d = accord_xml_next_element(d)) {
		xmlNode *x = accord_xml_first_element(d);
		if (!accord_xml_is(d, ACCORD_NS_TSL, "DigitalId"))
			continue;
		if (s->n_certs + s->n_other_ids >= ACCORD_TSL_MAX_IDS)
			return accord_err(r->err, ACCORD_ERR_LIMIT, r->where,
					  "a service has more than %d digital identities", ACCORD_TSL_MAX_IDS);
		if (accord_xml_is(x, ACCORD_NS_TSL, "X509Certificate")) {
			unsigned char *der = NULL;
			size_t len = 0;
			rc = b64_of(r, x, &der, &len);
			if (!rc && push_cert(&s->certs, &s->cert_lens, &s->n_certs, der, len))
				rc = accord_err(r->err, ACCORD_ERR_NOMEM, r->where, "out of memory");
			if (rc)
				return rc;
		} else {
			s->n_other_ids++;
		}
	}
	hist = child(svc, ACCORD_NS_TSL, "ServiceHistory");
	for (xmlNode *h = accord_xml_first_element(hist); h; h = accord_xml_next_element(h)) {
		if (!accord_xml_is(h, ACCORD_NS_TSL, "ServiceHistoryInstance"))
			continue;
		if (s->n_statuses > ACCORD_TSL_MAX_HISTORY)
			return accord_err(r->err, ACCORD_ERR_LIMIT, r->where,
					  "a service has more than %d history instances", ACCORD_TSL_MAX_HISTORY);
		rc = status_of(r, h, &s->statuses[s->n_statuses++]);
		if (rc)
			return rc;
	}
	s->qualified_qscd = qualified_qscd(info);
	return ACCORD_OK;
}

static int read_scheme(struct reader *r, const xmlNode *si, accord_tsl *t)
{
	xmlNode *n;
	char *v;
	int rc;

	v = (n = child(si, ACCORD_NS_TSL, "TSLVersionIdentifier")) ? text_of(n) : NULL;
	t->version = v ? atoi(v) : 0;
	free(v);
	v = (n = child(si, ACCORD_NS_TSL, "TSLSequenceNumber")) ? text_of(n) : NULL;
	t->sequence = v ? strtoul(v, NULL, 10) : 0;
	free(v);
	t->type = (n = child(si, ACCORD_NS_TSL, "TSLType")) ? text_of(n) : NULL;
	t->operator_name = first_name(child(si, ACCORD_NS_TSL, "SchemeOperatorName"));
	t->territory = (n = child(si, ACCORD_NS_TSL, "SchemeTerritory")) ? text_of(n) : NULL;
	if (!t->type || !t->operator_name)
		return bad(r, "SchemeInformation lacks %s", "TSLType or SchemeOperatorName");
	rc = time_of(r, child(si, ACCORD_NS_TSL, "ListIssueDateTime"), "ListIssueDateTime", &t->issued);
	if (rc)
		return rc;
	n = child(si, ACCORD_NS_TSL, "NextUpdate");
	if (!n)
		return bad(r, "SchemeInformation lacks %s", "NextUpdate");
	n = child(n, ACCORD_NS_TSL, "dateTime");
	return n ? time_of(r, n, "NextUpdate", &t->next_update) : ACCORD_OK;
}

static int read_providers(struct reader *r, const xmlNode *list, accord_tsl *t)
{
	t->services = accord_calloc(ACCORD_TSL_MAX_SERVICES, sizeof *t->services);
	if (!t->services)
		return accord_err(r->err, ACCORD_ERR_NOMEM, r->where, "out of memory");
	for (xmlNode *p = accord_xml_first_element(list); p; p = accord_xml_next_element(p)) {
		char *tsp;
		if (!accord_xml_is(p, ACCORD_NS_TSL, "TrustServiceProvider"))
			return bad(r, "unexpected element '%s' in TrustServiceProviderList", (const char *)p->name);
		tsp = first_name(child(child(p, ACCORD_NS_TSL, "TSPInformation"), ACCORD_NS_TSL, "TSPName"));
		for (xmlNode *s = accord_xml_first_element(child(p, ACCORD_NS_TSL, "TSPServices")); s;
		     s = accord_xml_next_element(s)) {
			int rc;
			if (!accord_xml_is(s, ACCORD_NS_TSL, "TSPService"))
				continue;
			if (t->n_services >= ACCORD_TSL_MAX_SERVICES) {
				free(tsp);
				return accord_err(r->err, ACCORD_ERR_LIMIT, r->where,
						  "the list has more than %d services", ACCORD_TSL_MAX_SERVICES);
			}
			rc = read_service(r, s, tsp, &t->services[t->n_services++]);
			if (rc) {
				free(tsp);
				return rc;
			}
		}
		free(tsp);
	}
	return ACCORD_OK;
}

static char *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *c = v ? accord_strdup((const char *)v) : NULL;

	xmlFree(v);
	return c;
}

static int count_signatures(const xmlNode *n)
{
	int c = 0;

	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			c += accord_xml_is(n, ACCORD_NS_DS, "Signature") + count_signatures(n->children);
	return c;
}

static int is_inside(const xmlNode *apex, const xmlNode *n)
{
	for (; n; n = n->parent)
		if (n == apex)
			return 1;
	return 0;
}

/* One ds:Reference: the list itself (URI "" or "#<root Id>", enveloped-signature then at
 * most one canonicalisation), or an element inside this signature's ds:Object. */
static int read_ref(struct reader *r, accord_tsl *t, const xmlNode *ref, accord_tsl_ref *out)
{
	xmlNode *root = xmlDocGetRootElement(t->doc), *n = accord_xml_first_element(ref);
	char *uri = attr(ref, "URI"), *v;
	int rc = ACCORD_OK, count = 0;

	if (!uri)
		return bad(r, "a signature reference has no %s", "URI");
	if (!*uri) {
		out->target = root;
	} else if (uri[0] == '#') {
		out->target = accord_xml_find_id(root, uri + 1, &count);
		if (!out->target)
			rc = bad(r, count ? "signature reference '%s' names several elements"
					  : "signature reference '%s' names no element", uri);
	} else {
		rc = bad(r, "signature reference '%s' points outside the list", uri);
	}
	if (rc)
		goto out;
	if (accord_xml_is(n, ACCORD_NS_DS, "Transforms")) {
		for (xmlNode *tr = accord_xml_first_element(n); tr; tr = accord_xml_next_element(tr)) {
			xmlNode *inner = accord_xml_first_element(tr);
			v = attr(tr, "Algorithm");
			/* enveloped-signature first, then at most one canonicalisation (without
			 * comments: a same-document reference drops them anyway), whose only
			 * child may be exclusive C14N's InclusiveNamespaces. */
			if (accord_xml_is(tr, ACCORD_NS_DS, "Transform") && v && !out->c14n && !inner &&
			    !strcmp(v, ACCORD_XMLDSIG_ENVELOPED) && !out->enveloped) {
				out->enveloped = 1;
				free(v);
				continue;
			}
			if (accord_xml_is(tr, ACCORD_NS_DS, "Transform") && v && !out->c14n &&
			    accord_c14n_known(v) && !strstr(v, "WithComments") &&
			    (!inner || (!strcmp(v, ACCORD_C14N_EXC) && !strcmp((const char *)inner->name, "InclusiveNamespaces") &&
					!accord_xml_next_element(inner)))) {
				out->c14n = v;
				out->prefixes = inner ? attr(inner, "PrefixList") : NULL;
				continue;
			}
			free(v);
			rc = bad(r, "signature reference '%s' has an unexpected transform", uri);
			goto out;
		}
		n = accord_xml_next_element(n);
	}
	if (!out->c14n)
		out->c14n = accord_strdup(ACCORD_C14N_10); /* XML-DSig: node-set to octets */
	if (!accord_xml_is(n, ACCORD_NS_DS, "DigestMethod")) {
		rc = bad(r, "signature reference '%s' has no DigestMethod", uri);
		goto out;
	}
	out->digest_uri = attr(n, "Algorithm");
	out->digest_alg = accord_digest_by_uri(out->digest_uri);
	n = accord_xml_next_element(n);
	if (!accord_xml_is(n, ACCORD_NS_DS, "DigestValue") || accord_xml_next_element(n)) {
		rc = bad(r, "signature reference '%s' has no DigestValue", uri);
		goto out;
	}
	{
		unsigned char *d = NULL;
		size_t dl = 0;
		rc = b64_of(r, n, &d, &dl);
		if (!rc && dl > sizeof out->digest)
			rc = bad(r, "signature reference '%s' has an oversized digest", uri);
		if (!rc) {
			memcpy(out->digest, d, dl);
			out->digest_len = dl;
		}
		free(d);
	}
out:
	free(uri);
	return rc;
}

/* Which reference is which: the list's covers the root with the enveloped transform; the
 * other must sit inside this signature's ds:Object (the XAdES SignedProperties). */
static int classify_refs(struct reader *r, accord_tsl *t)
{
	xmlNode *root = xmlDocGetRootElement(t->doc);
	int lists = 0;

	for (size_t i = 0; i < t->n_refs; i++) {
		accord_tsl_ref *ref = &t->refs[i];
		if (ref->target == root && ref->enveloped) {
			lists++;
			if (i) { /* keep the list's reference first */
				accord_tsl_ref tmp = t->refs[0];
				t->refs[0] = *ref;
				*ref = tmp;
			}
			continue;
		}
		if (ref->enveloped || !is_inside(t->signature, ref->target) ||
		    !ref->target->parent || ref->target == t->signature)
			return bad(r, "a signature reference covers %s, neither the whole list nor this signature's own properties",
				   (const char *)ref->target->name);
		{
			const xmlNode *o = ref->target;
			while (o && o->parent != t->signature)
				o = o->parent;
			if (!accord_xml_is(o, ACCORD_NS_DS, "Object"))
				return bad(r, "a signature reference covers '%s', which is not inside the signature's ds:Object",
					   (const char *)ref->target->name);
		}
	}
	if (lists != 1)
		return bad(r, "the signature must have exactly one reference to the whole list with the enveloped-signature transform%s", "");
	return ACCORD_OK;
}

static int read_signature(struct reader *r, accord_tsl *t)
{
	xmlNode *sig = t->signature, *n = accord_xml_first_element(sig), *si, *k;
	int rc;

	if (!accord_xml_is(n, ACCORD_NS_DS, "SignedInfo"))
		return bad(r, "the signature has no %s", "SignedInfo");
	t->signed_info = si = n;
	n = accord_xml_first_element(si);
	if (!accord_xml_is(n, ACCORD_NS_DS, "CanonicalizationMethod"))
		return bad(r, "SignedInfo has no %s", "CanonicalizationMethod");
	t->c14n_uri = attr(n, "Algorithm");
	if (!accord_c14n_known(t->c14n_uri))
		return bad(r, "unknown canonicalisation method '%s'", t->c14n_uri ? t->c14n_uri : "");
	if ((k = accord_xml_first_element(n)) && !strcmp((const char *)k->name, "InclusiveNamespaces"))
		t->c14n_prefixes = attr(k, "PrefixList");
	n = accord_xml_next_element(n);
	if (!accord_xml_is(n, ACCORD_NS_DS, "SignatureMethod"))
		return bad(r, "SignedInfo has no %s", "SignatureMethod");
	t->sig_uri = attr(n, "Algorithm");
	t->sig_alg = accord_sig_alg_by_uri(t->sig_uri);
	for (n = accord_xml_next_element(n); n; n = accord_xml_next_element(n)) {
		if (!accord_xml_is(n, ACCORD_NS_DS, "Reference"))
			return bad(r, "unexpected element '%s' in SignedInfo", (const char *)n->name);
		if (t->n_refs == 2)
			return bad(r, "the signature has more than two references%s", "");
		rc = read_ref(r, t, n, &t->refs[t->n_refs++]);
		if (rc)
			return rc;
	}
	rc = classify_refs(r, t);
	if (rc)
		return rc;
	n = accord_xml_next_element(si);
	if (!accord_xml_is(n, ACCORD_NS_DS, "SignatureValue"))
		return bad(r, "the signature has no %s", "SignatureValue");
	rc = b64_of(r, n, &t->sig_value, &t->sig_value_len);
	if (rc)
		return rc;
	n = accord_xml_next_element(n);
	if (!accord_xml_is(n, ACCORD_NS_DS, "KeyInfo"))
		return bad(r, "the signature has no %s", "KeyInfo");
	for (xmlNode *x = accord_xml_first_element(n); x; x = accord_xml_next_element(x))
		for (xmlNode *c = accord_xml_first_element(x); c; c = accord_xml_next_element(c)) {
			unsigned char *der = NULL;
			size_t len = 0;
			if (!accord_xml_is(x, ACCORD_NS_DS, "X509Data") ||
			    !accord_xml_is(c, ACCORD_NS_DS, "X509Certificate"))
				continue;
			if (t->n_key_certs >= ACCORD_TSL_MAX_IDS)
				return accord_err(r->err, ACCORD_ERR_LIMIT, r->where, "KeyInfo holds too many certificates");
			rc = b64_of(r, c, &der, &len);
			if (!rc && push_cert(&t->key_certs, &t->key_cert_lens, &t->n_key_certs, der, len))
				rc = accord_err(r->err, ACCORD_ERR_NOMEM, r->where, "out of memory");
			if (rc)
				return rc;
		}
	for (n = accord_xml_next_element(n); n; n = accord_xml_next_element(n))
		if (!accord_xml_is(n, ACCORD_NS_DS, "Object"))
			return bad(r, "unexpected element '%s' in the signature", (const char *)n->name);
	return ACCORD_OK;
}

int accord_tsl_parse(const unsigned char *buf, size_t len, const char *where, accord_tsl *t,
		     accord_error *err)
{
	struct reader r = {where, err};
	xmlNode *root, *n;
	int rc;

	memset(t, 0, sizeof *t);
	if (len > ACCORD_TSL_MAX_BYTES)
		return accord_err(err, ACCORD_ERR_LIMIT, where, "a trusted list over %u bytes is refused",
				  ACCORD_TSL_MAX_BYTES);
	rc = accord_xml_parse(buf, len, where, &t->doc, err);
	if (rc)
		return rc;
	root = xmlDocGetRootElement(t->doc);
	if (!accord_xml_is(root, ACCORD_NS_TSL, "TrustServiceStatusList"))
		return bad(&r, "the root is '%s', not tsl:TrustServiceStatusList",
			   root ? (const char *)root->name : "(none)");
	if (count_signatures(root) != 1)
		return bad(&r, "the list must hold exactly one ds:Signature%s", "");
	n = accord_xml_first_element(root);
	if (!accord_xml_is(n, ACCORD_NS_TSL, "SchemeInformation"))
		return bad(&r, "the list has no %s", "SchemeInformation");
	rc = read_scheme(&r, n, t);
	if (rc)
		return rc;
	n = accord_xml_next_element(n);
	if (accord_xml_is(n, ACCORD_NS_TSL, "TrustServiceProviderList")) {
		rc = read_providers(&r, n, t);
		if (rc)
			return rc;
		n = accord_xml_next_element(n);
	}
	if (!accord_xml_is(n, ACCORD_NS_DS, "Signature") || accord_xml_next_element(n))
		return bad(&r, "the list's ds:Signature must be the last child of the root%s", "");
	t->signature = n;
	return read_signature(&r, t);
}

void accord_tsl_clear(accord_tsl *t)
{
	for (size_t i = 0; i < t->n_services; i++) {
		accord_tsl_service *s = &t->services[i];
		for (size_t j = 0; j < s->n_certs; j++)
			free(s->certs[j]);
		free(s->certs);
		free(s->cert_lens);
		for (size_t j = 0; j < s->n_statuses; j++) {
			free(s->statuses[j].type);
			free(s->statuses[j].status);
		}
		free(s->statuses);
		free(s->tsp);
		free(s->name);
	}
	free(t->services);
	for (size_t i = 0; i < t->n_refs; i++) {
		free(t->refs[i].c14n);
		free(t->refs[i].prefixes);
		free(t->refs[i].digest_uri);
	}
	for (size_t i = 0; i < t->n_key_certs; i++)
		free(t->key_certs[i]);
	free(t->key_certs);
	free(t->key_cert_lens);
	free(t->type);
	free(t->operator_name);
	free(t->territory);
	free(t->c14n_uri);
	free(t->c14n_prefixes);
	free(t->sig_uri);
	free(t->sig_value);
	xmlFreeDoc(t->doc);
	memset(t, 0, sizeof *t);
}
