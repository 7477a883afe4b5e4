/* sign/tsl_make.c — `accord tsl make`: a trusted list of the given CA, TSA and OCSP
 * responder certificates, sealed with accord's own XML-DSig: on the re-parsed bytes the
 * list less its signature is canonicalised (exclusive C14N) and digested, SignedInfo is
 * canonicalised and signed through GnuTLS; the file is written atomically. */
#include <string.h>
#include <gnutls/crypto.h>
#include "accord/tsl.h"
#include "sign/sign.h"
#include "formats/tsl.h"
#include "formats/xml_safe.h"
#include "verify/verify.h"

enum { KIND_CA, KIND_TSA, KIND_OCSP };

static const char *service_type(int kind, int qualified)
{
	switch (kind) {
	case KIND_CA:
		return qualified ? ACCORD_TSL_SVCTYPE "CA/QC" : ACCORD_TSL_SVCTYPE "CA/PKC";
	case KIND_TSA:
		return qualified ? ACCORD_TSL_SVCTYPE "TSA/QTST" : ACCORD_TSL_SVCTYPE "TSA";
	default:
		return qualified ? ACCORD_TSL_SVCTYPE "Certstatus/OCSP/QC" : ACCORD_TSL_SVCTYPE "Certstatus/OCSP";
	}
}

struct entries {
	accord_tsl_entry *list;
	size_t n;
	gnutls_datum_t *der;   /* owned DER, parallel to list */
	char (*names)[256];
};

static void entries_clear(struct entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		gnutls_free(e->der[i].data);
	free(e->der);
	free(e->list);
	free(e->names);
}

/* Every certificate of each file becomes one service of that kind. */
static int add_files(struct entries *e, const char *const *paths, size_t n_paths, int kind,
		     int qualified, accord_error *err)
{
	for (size_t p = 0; p < n_paths; p++) {
		gnutls_x509_crt_t *certs = NULL;
		size_t n = 0;
		int rc = accord_crt_list_load(paths[p], &certs, &n, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && !rc; i++) {
			accord_tsl_entry *l = realloc(e->list, (e->n + 1) * sizeof *l);
			gnutls_datum_t *d = l ? realloc(e->der, (e->n + 1) * sizeof *d) : NULL;
			char(*nm)[256] = d ? realloc(e->names, (e->n + 1) * sizeof *nm) : NULL;
			if (l)
				e->list = l;
			if (d)
				e->der = d;
			if (!nm) {
				rc = accord_err(err, ACCORD_ERR_NOMEM, paths[p], "out of memory");
				break;
			}
			e->names = nm;
			memset(&l[e->n], 0, sizeof l[e->n]);
			if (gnutls_x509_crt_export2(certs[i], GNUTLS_X509_FMT_DER, &d[e->n]) < 0) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, paths[p], "cannot export a certificate");
				break;
			}
			accord_crt_cn(certs[i], nm[e->n], sizeof nm[e->n]);
			l[e->n].type = service_type(kind, qualified);
			l[e->n].cert_der = d[e->n].data;
			l[e->n].cert_len = d[e->n].size;
			l[e->n].since = gnutls_x509_crt_get_activation_time(certs[i]);
			l[e->n].qualified_qscd = qualified && kind == KIND_CA;
			e->n++;
		}
		accord_crt_list_free(certs, n);
		if (rc)
			return rc;
	}
	return ACCORD_OK;
}

/* The sequence number after that of a readable list already at path; else 1. */
static unsigned long next_sequence(const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	accord_error e;
	accord_tsl t;
	unsigned long seq = 1;

	if (accord_file_read(path, ACCORD_TSL_MAX_BYTES, &buf, &len, &e))
		return 1;
	if (accord_tsl_parse(buf, len, path, &t, &e) == ACCORD_OK && t.sequence < 1000000000ul)
		seq = t.sequence + 1;
	accord_tsl_clear(&t);
	free(buf);
	return seq;
}

/* Fill the list reference's digest and the SignatureValue of the re-parsed list. */
static int seal(xmlDocPtr doc, accord_signer *signer, const accord_sig_alg *alg, const char *where,
		accord_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), sig = NULL, si, ref, dv, sv;
	unsigned char d[32], *canon = NULL, *value = NULL;
	size_t canon_len = 0, value_len = 0;
	int rc;

	for (xmlNodePtr n = accord_xml_first_element(root); n; n = accord_xml_next_element(n))
		sig = n;
	si = accord_xml_first_element(sig);
	ref = accord_xml_next_element(accord_xml_next_element(accord_xml_first_element(si)));
	dv = accord_xml_next_element(accord_xml_next_element(accord_xml_first_element(ref)));
	sv = accord_xml_next_element(si);
	if (!accord_xml_is(sig, ACCORD_NS_DS, "Signature") || !accord_xml_is(dv, ACCORD_NS_DS, "DigestValue") ||
	    !accord_xml_is(sv, ACCORD_NS_DS, "SignatureValue"))
		return accord_err(err, ACCORD_ERR_FORMAT, where, "the signature template is not where it should be");
	rc = accord_digest_node(root, sig, ACCORD_C14N_EXC, GNUTLS_DIG_SHA256, d, err);
	if (!rc && accord_xml_set_base64(dv, d, sizeof d))
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
	if (!rc)
		rc = accord_c14n_node(si, ACCORD_C14N_EXC, NULL, &canon, &canon_len, err);
	if (!rc)
		rc = accord_signer_sign_xml(signer, alg, canon, canon_len, &value, &value_len, err);
	if (!rc && accord_xml_set_base64(sv, value, value_len))
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
	xmlFree(canon);
	free(value);
	return rc;
}

int accord_tsl_make(const char *out, accord_signer *signer, const accord_tsl_make_options *opt,
		    accord_error *err)
{
	struct entries e = {NULL, 0, NULL, NULL};
	const accord_sig_alg *alg = accord_signer_xml_alg(signer, 0);
	accord_tsl_build b;
	xmlDocPtr doc = NULL, parsed = NULL;
	xmlChar *text = NULL;
	int text_len = 0, rc;
	char operator_name[256], id[40];
	unsigned char rnd[6];

	memset(&b, 0, sizeof b);
	if (!alg)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "signing key", "no XML signature method for this key");
	if (opt->territory && (strlen(opt->territory) != 2 || opt->territory[0] < 'A' || opt->territory[0] > 'Z' ||
			       opt->territory[1] < 'A' || opt->territory[1] > 'Z'))
		return accord_err(err, ACCORD_ERR_USAGE, opt->territory, "the territory is two capital letters (ISO 3166-1)");
	rc = add_files(&e, opt->ca, opt->n_ca, KIND_CA, opt->qualified, err);
	if (!rc)
		rc = add_files(&e, opt->tsa, opt->n_tsa, KIND_TSA, opt->qualified, err);
	if (!rc)
		rc = add_files(&e, opt->ocsp, opt->n_ocsp, KIND_OCSP, opt->qualified, err);
	if (rc)
		goto out;
	if (!e.n) {
		rc = accord_err(err, ACCORD_ERR_USAGE, out, "give at least one --ca, --tsa or --ocsp certificate");
		goto out;
	}
	for (size_t i = 0; i < e.n; i++)
		e.list[i].name = e.names[i];
	accord_crt_cn(signer->cert, operator_name, sizeof operator_name);
	if (gnutls_rnd(GNUTLS_RND_NONCE, rnd, sizeof rnd) < 0) {
		rc = accord_err(err, ACCORD_ERR_CRYPTO, "random", "gnutls_rnd failed");
		goto out;
	}
	memcpy(id, "TSL-", 4);
	accord_hex(rnd, sizeof rnd, id + 4);
	b.id = id;
	b.operator_name = opt->operator_name && *opt->operator_name ? opt->operator_name : operator_name;
	b.territory = opt->territory ? opt->territory : "EU";
	b.sequence = next_sequence(out);
	b.issued = time(NULL);
	b.next_update = b.issued + (time_t)(opt->next_update_days ? opt->next_update_days : 180) * 86400;
	b.entries = e.list;
	b.n_entries = e.n;
	b.sig_alg_uri = alg->uri;
	b.signer_der = signer->cert_der.data;
	b.signer_len = signer->cert_der.size;
	rc = accord_tsl_build_doc(&b, &doc, err);
	if (rc)
		goto out;
	/* What is signed is the bytes of the file: serialise, parse back, then seal. */
	xmlDocDumpFormatMemoryEnc(doc, &text, &text_len, "UTF-8", 1);
	if (!text) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, out, "cannot serialise the list");
		goto out;
	}
	rc = accord_xml_parse(text, (size_t)text_len, out, &parsed, err);
	xmlFree(text);
	text = NULL;
	if (!rc)
		rc = seal(parsed, signer, alg, out, err);
	if (rc)
		goto out;
	xmlDocDumpMemoryEnc(parsed, &text, &text_len, "UTF-8");
	if (!text) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, out, "cannot serialise the list");
		goto out;
	}
	rc = accord_file_write_atomic(out, text, (size_t)text_len, 0644, 0, err);
out:
	xmlFree(text);
	xmlFreeDoc(parsed);
	xmlFreeDoc(doc);
	entries_clear(&e);
	return rc;
}
