/* formats/descriptor.c — the package descriptor accord-package.xml (namespace
 * urn:accord:package:1): kind, title, reference, incident ID, TLP marking, creation time,
 * parties, quorum. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "formats/container.h"
#include "formats/xml_safe.h"

#define DESCRIPTOR_NS "urn:accord:package:1"
#define DESCRIPTOR_MAX_PARTIES 1000

static const char *const kind_names[] = {"agreement", "incident-report"};

int accord_kind_from_name(const char *name, accord_kind *out)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
		if (name && !strcmp(name, kind_names[i])) {
			*out = (accord_kind)i;
			return ACCORD_OK;
		}
	}
	return ACCORD_ERR_USAGE;
}

const char *accord_kind_name(accord_kind k)
{
	if ((size_t)k < sizeof kind_names / sizeof kind_names[0])
		return kind_names[k];
	return "unknown";
}

/* FIRST TLP 2.0's labels, in accord_tlp's order from ACCORD_TLP_CLEAR. */
static const char *const tlp_names[] = {"clear", "green", "amber", "amber+strict", "red"};
static const char *const tlp_labels[] = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER",
					 "TLP:AMBER+STRICT", "TLP:RED"};
#define N_TLP (sizeof tlp_names / sizeof tlp_names[0])

int accord_tlp_from_name(const char *name, accord_tlp *out)
{
	if (!name)
		return ACCORD_ERR_USAGE;
	if (!strncasecmp(name, "TLP:", 4))
		name += 4;
	for (size_t i = 0; i < N_TLP; i++)
		if (!strcasecmp(name, tlp_names[i])) {
			*out = (accord_tlp)(ACCORD_TLP_CLEAR + i);
			return ACCORD_OK;
		}
	return ACCORD_ERR_USAGE;
}

const char *accord_tlp_name(accord_tlp t)
{
	return t >= ACCORD_TLP_CLEAR && t <= ACCORD_TLP_RED ? tlp_names[t - ACCORD_TLP_CLEAR] : "";
}

const char *accord_tlp_label(accord_tlp t)
{
	return t >= ACCORD_TLP_CLEAR && t <= ACCORD_TLP_RED ? tlp_labels[t - ACCORD_TLP_CLEAR] : "";
}

/* The marking as read: a TLP 2.0 value exactly as the writer spells it, or unknown (kept
 * as written: it is signed data, shown with a warning rather than refused). */
static accord_tlp tlp_read(const char *text)
{
	for (size_t i = 0; i < N_TLP; i++)
		if (!strcmp(text, tlp_names[i]))
			return (accord_tlp)(ACCORD_TLP_CLEAR + i);
	return ACCORD_TLP_UNKNOWN;
}

const char *accord_incident_id_problem(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (!n)
		return "is empty";
	if (n >= sizeof ((accord_descriptor *)0)->incident_id)
		return "is longer than 255 bytes";
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "holds a control character";
	return NULL;
}

void accord_descriptor_clear(accord_descriptor *d)
{
	if (!d)
		return;
	free(d->parties);
	memset(d, 0, sizeof *d);
}

static int add_text(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text) ? 0 : -1;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

int accord_descriptor_to_xml(const accord_descriptor *d, unsigned char **out, size_t *len,
			     accord_error *err)
{
	const char *where = ACCORD_DESCRIPTOR_NAME;
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = NULL, parties, p;
	xmlNsPtr ns = NULL;
	int rc = ACCORD_OK, bad = 0;
	char when[40], num[24];

	*out = NULL;
	*len = 0;
	if (d->n_parties > DESCRIPTOR_MAX_PARTIES ||
	    (d->n_parties && d->quorum > d->n_parties) || (!d->n_parties && d->quorum)) {
		rc = accord_err(err, ACCORD_ERR_USAGE, where,
				"quorum %u does not fit %zu declared parties", d->quorum,
				d->n_parties);
		goto out;
	}
	if (d->tlp == ACCORD_TLP_UNKNOWN || (unsigned)d->tlp > ACCORD_TLP_UNKNOWN) {
		rc = accord_err(err, ACCORD_ERR_USAGE, where,
				"the TLP marking must be clear, green, amber, amber+strict or red");
		goto out;
	}
	if (d->incident_id[0] && accord_incident_id_problem(d->incident_id)) {
		rc = accord_err(err, ACCORD_ERR_USAGE, where, "the incident ID %s",
				accord_incident_id_problem(d->incident_id));
		goto out;
	}
	for (size_t i = 0; i < d->n_parties; i++) {
		const accord_party *pt = &d->parties[i];
		if (!pt->name[0] || (!pt->fingerprint[0]) == (!pt->ca_fingerprint[0]) ||
		    (pt->fingerprint[0] && !is_hex64(pt->fingerprint)) ||
		    (pt->ca_fingerprint[0] && !is_hex64(pt->ca_fingerprint))) {
			rc = accord_err(err, ACCORD_ERR_USAGE, where,
					"party %zu needs a name and one SHA-256 fingerprint", i + 1);
			goto out;
		}
	}
	if (doc)
		root = xmlNewNode(NULL, BAD_CAST "package");
	if (root) {
		xmlDocSetRootElement(doc, root);
		ns = xmlNewNs(root, BAD_CAST DESCRIPTOR_NS, NULL);
	}
	if (!ns) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
		goto out;
	}
	xmlSetNs(root, ns);
	accord_time_format(d->created, when, sizeof when);
	bad |= add_text(root, ns, "kind", accord_kind_name(d->kind));
	bad |= add_text(root, ns, "title", d->title);
	if (d->reference[0])
		bad |= add_text(root, ns, "reference", d->reference);
	if (d->incident_id[0])
		bad |= add_text(root, ns, "incident-id", d->incident_id);
	if (d->tlp != ACCORD_TLP_NONE)
		bad |= add_text(root, ns, "tlp", accord_tlp_name(d->tlp));
	bad |= add_text(root, ns, "created", when);
	if (d->n_parties) {
		parties = xmlNewChild(root, ns, BAD_CAST "parties", NULL);
		bad |= parties ? 0 : -1;
		for (size_t i = 0; parties && i < d->n_parties; i++) {
			const accord_party *pt = &d->parties[i];
			p = xmlNewChild(parties, ns, BAD_CAST "party", NULL);
			if (!p) {
				bad = -1;
				break;
			}
			bad |= add_text(p, ns, "name", pt->name);
			if (pt->fingerprint[0])
				bad |= add_text(p, ns, "fingerprint", pt->fingerprint);
			else
				bad |= add_text(p, ns, "ca-fingerprint", pt->ca_fingerprint);
		}
		snprintf(num, sizeof num, "%u", d->quorum ? d->quorum : (unsigned)d->n_parties);
		bad |= add_text(root, ns, "quorum", num);
	}
	if (bad) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
		goto out;
	}
	rc = accord_xml_serialise(doc, where, out, len, err);
out:
	xmlFreeDoc(doc);
	return rc;
}

/* Copy the text of element e into dst (size n), refusing children and overlong text. */
static int text_into(xmlNodePtr e, char *dst, size_t n, const char *where, accord_error *err)
{
	char *t = accord_xml_text(e);
	int rc = ACCORD_OK;

	if (!t)
		return accord_err(err, ACCORD_ERR_FORMAT, where, "element '%s' must hold text only",
				  (const char *)e->name);
	if (strlen(t) >= n)
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "element '%s' longer than %zu bytes",
				(const char *)e->name, n - 1);
	else
		memcpy(dst, t, strlen(t) + 1);
	xmlFree(t);
	return rc;
}

/* An optional element of the descriptor's fixed order: when *e is it, its text into dst
 * and *e moves past it. */
static int optional_text(xmlNodePtr *e, const char *name, char *dst, size_t n, const char *where,
			 accord_error *err)
{
	int rc;

	if (!accord_xml_is(*e, DESCRIPTOR_NS, name))
		return ACCORD_OK;
	if ((rc = text_into(*e, dst, n, where, err)) != ACCORD_OK)
		return rc;
	*e = accord_xml_next_element(*e);
	return ACCORD_OK;
}

static int no_stray_text(xmlNodePtr parent, const char *where, accord_error *err)
{
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE && !xmlIsBlankNode(c)) ||
		    c->type == XML_CDATA_SECTION_NODE)
			return accord_err(err, ACCORD_ERR_FORMAT, where,
					  "unexpected text inside '%s'", (const char *)parent->name);
	}
	return ACCORD_OK;
}

static int fingerprint_into(xmlNodePtr e, char dst[65], const char *where, accord_error *err)
{
	int rc = text_into(e, dst, 65, where, err);

	if (rc != ACCORD_OK)
		return rc;
	if (!is_hex64(dst))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "'%s' must be 64 hex digits (SHA-256)", (const char *)e->name);
	for (char *s = dst; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	return ACCORD_OK;
}

static int parse_party(xmlNodePtr p, accord_party *pt, const char *where, accord_error *err)
{
	xmlNodePtr e = accord_xml_first_element(p);
	int rc;

	if ((rc = no_stray_text(p, where, err)) != ACCORD_OK)
		return rc;
	if (!accord_xml_is(e, DESCRIPTOR_NS, "name"))
		return accord_err(err, ACCORD_ERR_FORMAT, where, "party must start with 'name'");
	if ((rc = text_into(e, pt->name, sizeof pt->name, where, err)) != ACCORD_OK)
		return rc;
	if (!pt->name[0])
		return accord_err(err, ACCORD_ERR_FORMAT, where, "party with an empty name");
	e = accord_xml_next_element(e);
	if (accord_xml_is(e, DESCRIPTOR_NS, "fingerprint"))
		rc = fingerprint_into(e, pt->fingerprint, where, err);
	else if (accord_xml_is(e, DESCRIPTOR_NS, "ca-fingerprint"))
		rc = fingerprint_into(e, pt->ca_fingerprint, where, err);
	else
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "party '%s' needs 'fingerprint' or 'ca-fingerprint'", pt->name);
	if (rc != ACCORD_OK)
		return rc;
	if (accord_xml_next_element(e))
		return accord_err(err, ACCORD_ERR_FORMAT, where,
				  "unexpected element '%s' in party '%s'",
				  (const char *)accord_xml_next_element(e)->name, pt->name);
	return ACCORD_OK;
}

int accord_descriptor_parse(const unsigned char *xml, size_t len, const char *where,
			    accord_descriptor *out, accord_error *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, e, p;
	accord_descriptor d;
	char buf[64];
	int rc, have_quorum = 0;

	memset(&d, 0, sizeof d);
	memset(out, 0, sizeof *out);
	if (!where)
		where = ACCORD_DESCRIPTOR_NAME;
	rc = accord_xml_parse(xml, len, where, &doc, err);
	if (rc != ACCORD_OK)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!accord_xml_is(root, DESCRIPTOR_NS, "package")) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where,
				"root element must be 'package' in namespace %s", DESCRIPTOR_NS);
		goto out;
	}
	if ((rc = no_stray_text(root, where, err)) != ACCORD_OK)
		goto out;
	/* Fixed order: kind, title, reference?, incident-id?, tlp?, created, (parties, quorum)?
	 * (incident-id and tlp may be absent: packages made before they existed). */
	e = accord_xml_first_element(root);
	if (!accord_xml_is(e, DESCRIPTOR_NS, "kind")) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "first element must be 'kind'");
		goto out;
	}
	if ((rc = text_into(e, buf, sizeof buf, where, err)) != ACCORD_OK)
		goto out;
	if (accord_kind_from_name(buf, &d.kind) != ACCORD_OK) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where,
				"unknown kind '%s' (agreement or incident-report)", buf);
		goto out;
	}
	e = accord_xml_next_element(e);
	if (!accord_xml_is(e, DESCRIPTOR_NS, "title")) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "'title' must follow 'kind'");
		goto out;
	}
	if ((rc = text_into(e, d.title, sizeof d.title, where, err)) != ACCORD_OK)
		goto out;
	e = accord_xml_next_element(e);
	if ((rc = optional_text(&e, "reference", d.reference, sizeof d.reference, where, err)) ||
	    (rc = optional_text(&e, "incident-id", d.incident_id, sizeof d.incident_id, where, err)))
		goto out;
	if (accord_xml_is(e, DESCRIPTOR_NS, "tlp")) { /* "<tlp/>" too is a marking, unknown */
		if ((rc = text_into(e, d.tlp_text, sizeof d.tlp_text, where, err)) != ACCORD_OK)
			goto out;
		d.tlp = tlp_read(d.tlp_text);
		e = accord_xml_next_element(e);
	}
	if (!accord_xml_is(e, DESCRIPTOR_NS, "created")) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "'created' is missing");
		goto out;
	}
	if ((rc = text_into(e, buf, sizeof buf, where, err)) != ACCORD_OK)
		goto out;
	if (accord_time_parse(buf, &d.created) != 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where,
				"'created' must be a UTC time like 2026-01-31T10:00:00Z");
		goto out;
	}
	e = accord_xml_next_element(e);
	if (accord_xml_is(e, DESCRIPTOR_NS, "parties")) {
		size_t cap = 0;
		if ((rc = no_stray_text(e, where, err)) != ACCORD_OK)
			goto out;
		for (p = accord_xml_first_element(e); p; p = accord_xml_next_element(p))
			cap++;
		if (cap == 0 || cap > DESCRIPTOR_MAX_PARTIES) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, where,
					"'parties' must hold 1 to %d parties", DESCRIPTOR_MAX_PARTIES);
			goto out;
		}
		d.parties = calloc(cap, sizeof *d.parties);
		if (!d.parties) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
			goto out;
		}
		for (p = accord_xml_first_element(e); p; p = accord_xml_next_element(p)) {
			if (!accord_xml_is(p, DESCRIPTOR_NS, "party")) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, where,
						"unexpected element '%s' in 'parties'",
						(const char *)p->name);
				goto out;
			}
			rc = parse_party(p, &d.parties[d.n_parties], where, err);
			if (rc != ACCORD_OK)
				goto out;
			d.n_parties++;
		}
		e = accord_xml_next_element(e);
		if (accord_xml_is(e, DESCRIPTOR_NS, "quorum")) {
			char *end;
			unsigned long q;
			if ((rc = text_into(e, buf, sizeof buf, where, err)) != ACCORD_OK)
				goto out;
			errno = 0;
			q = strtoul(buf, &end, 10);
			if (errno || end == buf || *end || !isdigit((unsigned char)buf[0]) ||
			    q < 1 || q > d.n_parties) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, where,
						"quorum '%s' must be 1..%zu", buf, d.n_parties);
				goto out;
			}
			d.quorum = (unsigned)q;
			have_quorum = 1;
			e = accord_xml_next_element(e);
		}
		if (!have_quorum)
			d.quorum = 0;
	}
	if (e) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "unexpected element '%s'",
				(const char *)e->name);
		goto out;
	}
	*out = d;
	memset(&d, 0, sizeof d);
out:
	accord_descriptor_clear(&d);
	xmlFreeDoc(doc);
	return rc;
}
