/* formats/xades_build.c — writes the XAdES baseline B-B structure of one signature (or
 * countersignature) with libxml2's tree API; the digests of same-document references and
 * the SignatureValue are filled in later by sign/seal.c on the re-parsed file. */
#include <string.h>
#include <gnutls/crypto.h>
#include "formats/xades.h"
#include "formats/c14n.h"
#include "formats/xml_safe.h"

static xmlNsPtr ns_for(xmlNodePtr at, const char *href, const char *prefix)
{
	xmlNsPtr ns = xmlSearchNsByHref(at->doc, at, (const xmlChar *)href);

	return ns ? ns : xmlNewNs(at, (const xmlChar *)href, (const xmlChar *)prefix);
}

xmlDocPtr accord_xades_new_file(void)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root;
	xmlNsPtr asic;

	if (!doc)
		return NULL;
	root = xmlNewDocNode(doc, NULL, (const xmlChar *)"XAdESSignatures", NULL);
	asic = xmlNewNs(root, (const xmlChar *)ACCORD_NS_ASIC, (const xmlChar *)"asic");
	xmlSetNs(root, asic);
	xmlNewNs(root, (const xmlChar *)ACCORD_NS_DS, (const xmlChar *)"ds");
	xmlNewNs(root, (const xmlChar *)ACCORD_NS_XADES, (const xmlChar *)"xades");
	xmlDocSetRootElement(doc, root);
	return doc;
}

static xmlNodePtr el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, (const xmlChar *)name, (const xmlChar *)text);
}

static void set(xmlNodePtr n, const char *attr, const char *value)
{
	xmlNewProp(n, (const xmlChar *)attr, (const xmlChar *)value);
}

static void digest_pair(xmlNodePtr parent, xmlNsPtr ds, const unsigned char *sha256)
{
	char *b64 = NULL;

	set(el(parent, ds, "DigestMethod", NULL), "Algorithm", ACCORD_DIGEST_SHA256_URI);
	if (sha256)
		accord_base64_encode(sha256, 32, &b64);
	el(parent, ds, "DigestValue", b64 ? b64 : "");
	free(b64);
}

static void same_doc_ref(xmlNodePtr si, xmlNsPtr ds, const char *type, const char *target)
{
	char uri[300];
	xmlNodePtr r = el(si, ds, "Reference", NULL), t;

	snprintf(uri, sizeof uri, "#%s", target);
	set(r, "Type", type);
	set(r, "URI", uri);
	t = el(r, ds, "Transforms", NULL);
	set(el(t, ds, "Transform", NULL), "Algorithm", ACCORD_C14N_EXC);
	digest_pair(r, ds, NULL);
}

int accord_xades_build_signature(xmlNodePtr parent, const accord_xades_build *b,
				 accord_error *err)
{
	xmlNodePtr sig, si, ki, xd, obj, qp, sp, ssp, sdop, n, m;
	xmlNsPtr ds, xa;
	char id[300], *b64 = NULL, when[40];
	unsigned char cert_sha[32];
	int rc = ACCORD_OK;

	sig = xmlNewChild(parent, NULL, (const xmlChar *)"Signature", NULL);
	if (!sig)
		return accord_err(err, ACCORD_ERR_NOMEM, b->sig_id, "out of memory");
	ds = ns_for(sig, ACCORD_NS_DS, "ds");
	xa = ns_for(sig, ACCORD_NS_XADES, "xades");
	xmlSetNs(sig, ds);
	set(sig, "Id", b->sig_id);

	si = el(sig, ds, "SignedInfo", NULL);
	set(el(si, ds, "CanonicalizationMethod", NULL), "Algorithm", ACCORD_C14N_EXC);
	set(el(si, ds, "SignatureMethod", NULL), "Algorithm", b->sig_alg_uri);
	for (size_t i = 0; i < b->n_data; i++) {
		char *uri = accord_uri_encode(b->data[i].path);
		if (!uri)
			return accord_err(err, ACCORD_ERR_NOMEM, b->sig_id, "out of memory");
		n = el(si, ds, "Reference", NULL);
		snprintf(id, sizeof id, "%s-ref-%zu", b->sig_id, i);
		set(n, "Id", id);
		set(n, "URI", uri);
		free(uri);
		digest_pair(n, ds, b->data[i].sha256);
	}
	if (b->countersigned_value_id)
		same_doc_ref(si, ds, ACCORD_TYPE_COUNTERSIGNED, b->countersigned_value_id);
	snprintf(id, sizeof id, "%s-SignedProperties", b->sig_id);
	same_doc_ref(si, ds, ACCORD_TYPE_SIGNED_PROPS, id);

	snprintf(id, sizeof id, "%s-SIG", b->sig_id);
	set(el(sig, ds, "SignatureValue", ""), "Id", id);

	ki = el(sig, ds, "KeyInfo", NULL);
	xd = el(ki, ds, "X509Data", NULL);
	if (accord_base64_encode(b->cert_der, b->cert_len, &b64))
		return accord_err(err, ACCORD_ERR_NOMEM, b->sig_id, "out of memory");
	el(xd, ds, "X509Certificate", b64);
	free(b64);
	b64 = NULL;
	for (size_t i = 0; i < b->n_chain; i++) {
		if (accord_base64_encode(b->chain_der[i], b->chain_lens[i], &b64))
			return accord_err(err, ACCORD_ERR_NOMEM, b->sig_id, "out of memory");
		el(xd, ds, "X509Certificate", b64);
		free(b64);
		b64 = NULL;
	}

	obj = el(sig, ds, "Object", NULL);
	qp = el(obj, xa, "QualifyingProperties", NULL);
	snprintf(id, sizeof id, "#%s", b->sig_id);
	set(qp, "Target", id);
	sp = el(qp, xa, "SignedProperties", NULL);
	snprintf(id, sizeof id, "%s-SignedProperties", b->sig_id);
	set(sp, "Id", id);
	ssp = el(sp, xa, "SignedSignatureProperties", NULL);
	accord_time_format(b->signing_time, when, sizeof when);
	el(ssp, xa, "SigningTime", when);
	n = el(ssp, xa, "SigningCertificateV2", NULL);
	n = el(n, xa, "Cert", NULL);
	n = el(n, xa, "CertDigest", NULL);
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, b->cert_der, b->cert_len, cert_sha) < 0)
		return accord_err(err, ACCORD_ERR_CRYPTO, b->sig_id, "gnutls_hash_fast failed");
	digest_pair(n, ds, cert_sha);
	if (b->city || b->country) {
		n = el(ssp, xa, "SignatureProductionPlaceV2", NULL);
		if (b->city)
			el(n, xa, "City", b->city);
		if (b->country)
			el(n, xa, "CountryName", b->country);
	}
	if (b->role) {
		n = el(ssp, xa, "SignerRoleV2", NULL);
		n = el(n, xa, "ClaimedRoles", NULL);
		el(n, xa, "ClaimedRole", b->role);
	}
	if (b->n_data || b->commitment_uri) {
		sdop = el(sp, xa, "SignedDataObjectProperties", NULL);
		for (size_t i = 0; i < b->n_data; i++) {
			n = el(sdop, xa, "DataObjectFormat", NULL);
			snprintf(id, sizeof id, "#%s-ref-%zu", b->sig_id, i);
			set(n, "ObjectReference", id);
			el(n, xa, "MimeType", b->data[i].mime_type);
		}
		if (b->commitment_uri) {
			n = el(sdop, xa, "CommitmentTypeIndication", NULL);
			m = el(n, xa, "CommitmentTypeId", NULL);
			el(m, xa, "Identifier", b->commitment_uri);
			el(n, xa, "AllSignedDataObjects", NULL);
		}
	}
	return rc;
}

xmlNodePtr accord_xades_unsigned_props(xmlNodePtr signature, accord_error *err)
{
	xmlNodePtr obj = NULL, qp, sp, up, usp;
	xmlNsPtr xa;

	for (xmlNodePtr k = accord_xml_first_element(signature); k; k = accord_xml_next_element(k))
		if (accord_xml_is(k, ACCORD_NS_DS, "Object"))
			obj = k;
	qp = accord_xml_first_element(obj);
	sp = accord_xml_first_element(qp);
	if (!qp || !sp) {
		accord_err(err, ACCORD_ERR_FORMAT, "signature", "no QualifyingProperties");
		return NULL;
	}
	xa = qp->ns;
	up = accord_xml_next_element(sp);
	if (!up)
		up = xmlNewChild(qp, xa, (const xmlChar *)"UnsignedProperties", NULL);
	usp = accord_xml_first_element(up);
	if (!usp)
		usp = xmlNewChild(up, xa, (const xmlChar *)"UnsignedSignatureProperties", NULL);
	if (!usp)
		accord_err(err, ACCORD_ERR_NOMEM, "signature", "out of memory");
	return usp;
}
