/* formats/tsl_write.c — writes a trusted list (ETSI TS 119 612 v2.1, the shape DigiDoc and
 * DSS read) with libxml2's tree API: the scheme information, one trust service provider,
 * one service per certificate, and the template of its enveloped XML signature. */
#include <string.h>
#include "formats/tsl.h"
#include "formats/c14n.h"

static xmlNodePtr el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, (const xmlChar *)name, (const xmlChar *)text);
}

static void set(xmlNodePtr n, const char *attr, const char *value)
{
	xmlNewProp(n, (const xmlChar *)attr, (const xmlChar *)value);
}

/* <NAME><CHILD xml:lang="en">text</CHILD></NAME>: the multilingual lists of the schema. */
static xmlNodePtr names(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *child,
			const char *text)
{
	xmlNodePtr n = el(parent, ns, name, NULL);
	xmlNodeSetLang(el(n, ns, child, text), (const xmlChar *)"en");
	return n;
}

static void address(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *territory)
{
	xmlNodePtr a = el(parent, ns, name, NULL), p;

	p = el(el(a, ns, "PostalAddresses", NULL), ns, "PostalAddress", NULL);
	xmlNodeSetLang(p, (const xmlChar *)"en");
	el(p, ns, "StreetAddress", "-");
	el(p, ns, "Locality", "-");
	el(p, ns, "CountryName", territory);
	names(a, ns, "ElectronicAddress", "URI", "mailto:trust@invalid.example");
}

static void time_el(xmlNodePtr parent, xmlNsPtr ns, const char *name, time_t t)
{
	char when[40];

	accord_time_format(t, when, sizeof when);
	el(parent, ns, name, when);
}

/* ecc:Qualifications: every certificate under the service is a qualified certificate
 * whose key is on a QSCD (an empty CriteriaList with assert="all" matches them all). */
static void qualifications(xmlNodePtr info, xmlNsPtr tsl)
{
	xmlNodePtr ext = el(el(info, tsl, "ServiceInformationExtensions", NULL), tsl, "Extension", NULL);
	xmlNodePtr q, qe, qs;
	xmlNsPtr ecc;

	set(ext, "Critical", "true");
	q = xmlNewChild(ext, NULL, (const xmlChar *)"Qualifications", NULL);
	ecc = xmlNewNs(q, (const xmlChar *)ACCORD_NS_TSL_ECC, (const xmlChar *)"ecc");
	xmlSetNs(q, ecc);
	qe = el(q, ecc, "QualificationElement", NULL);
	qs = el(qe, ecc, "Qualifiers", NULL);
	set(el(qs, ecc, "Qualifier", NULL), "uri", ACCORD_TSL_QUALIFIER "QCStatement");
	set(el(qs, ecc, "Qualifier", NULL), "uri", ACCORD_TSL_QUALIFIER "QCWithQSCD");
	set(el(qe, ecc, "CriteriaList", NULL), "assert", "all");
}

static int service(xmlNodePtr services, xmlNsPtr tsl, const accord_tsl_entry *e)
{
	xmlNodePtr info = el(el(services, tsl, "TSPService", NULL), tsl, "ServiceInformation", NULL);
	char *b64 = NULL;

	el(info, tsl, "ServiceTypeIdentifier", e->type);
	names(info, tsl, "ServiceName", "Name", e->name);
	if (accord_base64_encode(e->cert_der, e->cert_len, &b64))
		return ACCORD_ERR_NOMEM;
	el(el(el(info, tsl, "ServiceDigitalIdentity", NULL), tsl, "DigitalId", NULL), tsl,
	   "X509Certificate", b64);
	free(b64);
	el(info, tsl, "ServiceStatus", ACCORD_TSL_SVCSTATUS "granted");
	time_el(info, tsl, "StatusStartingTime", e->since);
	if (e->qualified_qscd)
		qualifications(info, tsl);
	return ACCORD_OK;
}

/* The enveloped signature's template: exclusive C14N, one reference to the whole list
 * (URI "", enveloped-signature then exclusive C14N), the signer's certificate. */
static int signature(xmlNodePtr root, const accord_tsl_build *b)
{
	xmlNodePtr sig = xmlNewChild(root, NULL, (const xmlChar *)"Signature", NULL), si, ref, tr;
	xmlNsPtr ds;
	char *b64 = NULL, id[200];

	ds = xmlNewNs(sig, (const xmlChar *)ACCORD_NS_DS, (const xmlChar *)"ds");
	xmlSetNs(sig, ds);
	snprintf(id, sizeof id, "%s-sig", b->id);
	set(sig, "Id", id);
	si = el(sig, ds, "SignedInfo", NULL);
	set(el(si, ds, "CanonicalizationMethod", NULL), "Algorithm", ACCORD_C14N_EXC);
	set(el(si, ds, "SignatureMethod", NULL), "Algorithm", b->sig_alg_uri);
	ref = el(si, ds, "Reference", NULL);
	set(ref, "URI", "");
	tr = el(ref, ds, "Transforms", NULL);
	set(el(tr, ds, "Transform", NULL), "Algorithm", ACCORD_XMLDSIG_ENVELOPED);
	set(el(tr, ds, "Transform", NULL), "Algorithm", ACCORD_C14N_EXC);
	set(el(ref, ds, "DigestMethod", NULL), "Algorithm", ACCORD_DIGEST_SHA256_URI);
	el(ref, ds, "DigestValue", "");
	el(sig, ds, "SignatureValue", "");
	if (accord_base64_encode(b->signer_der, b->signer_len, &b64))
		return ACCORD_ERR_NOMEM;
	el(el(el(sig, ds, "KeyInfo", NULL), ds, "X509Data", NULL), ds, "X509Certificate", b64);
	free(b64);
	return ACCORD_OK;
}

int accord_tsl_build_doc(const accord_tsl_build *b, xmlDocPtr *out, accord_error *err)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root, si, tsp, info, services;
	xmlNsPtr tsl;
	char seq[32], scheme[300];
	int rc = ACCORD_OK;

	*out = NULL;
	if (!doc)
		return accord_err(err, ACCORD_ERR_NOMEM, "trusted list", "out of memory");
	root = xmlNewDocNode(doc, NULL, (const xmlChar *)"TrustServiceStatusList", NULL);
	tsl = xmlNewNs(root, (const xmlChar *)ACCORD_NS_TSL, (const xmlChar *)"tsl");
	xmlSetNs(root, tsl);
	xmlDocSetRootElement(doc, root);
	set(root, "Id", b->id);
	set(root, "TSLTag", ACCORD_TSL_TAG);

	si = el(root, tsl, "SchemeInformation", NULL);
	el(si, tsl, "TSLVersionIdentifier", "5");
	snprintf(seq, sizeof seq, "%lu", b->sequence);
	el(si, tsl, "TSLSequenceNumber", seq);
	el(si, tsl, "TSLType", ACCORD_TSL_TYPE_EUGENERIC);
	names(si, tsl, "SchemeOperatorName", "Name", b->operator_name);
	address(si, tsl, "SchemeOperatorAddress", b->territory);
	snprintf(scheme, sizeof scheme, "%s:%s", b->territory, b->operator_name);
	names(si, tsl, "SchemeName", "Name", scheme);
	names(si, tsl, "SchemeInformationURI", "URI", "urn:accord:trusted-list");
	el(si, tsl, "StatusDeterminationApproach",
	   "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate");
	names(si, tsl, "SchemeTypeCommunityRules", "URI",
	      "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon");
	el(si, tsl, "SchemeTerritory", b->territory);
	names(si, tsl, "PolicyOrLegalNotice", "TSLLegalNotice",
	      "A trusted list an organisation gives its partners (made by accord).");
	el(si, tsl, "HistoricalInformationPeriod", "65535");
	time_el(si, tsl, "ListIssueDateTime", b->issued);
	time_el(el(si, tsl, "NextUpdate", NULL), tsl, "dateTime", b->next_update);

	tsp = el(el(root, tsl, "TrustServiceProviderList", NULL), tsl, "TrustServiceProvider", NULL);
	info = el(tsp, tsl, "TSPInformation", NULL);
	names(info, tsl, "TSPName", "Name", b->operator_name);
	address(info, tsl, "TSPAddress", b->territory);
	names(info, tsl, "TSPInformationURI", "URI", "urn:accord:trust-service-provider");
	services = el(tsp, tsl, "TSPServices", NULL);
	for (size_t i = 0; i < b->n_entries && !rc; i++)
		rc = service(services, tsl, &b->entries[i]);
	if (!rc)
		rc = signature(root, b);
	if (rc) {
		xmlFreeDoc(doc);
		return accord_err(err, rc, "trusted list", "out of memory");
	}
	*out = doc;
	return ACCORD_OK;
}
