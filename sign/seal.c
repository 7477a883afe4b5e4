/* sign/seal.c — the last step of making a signature: on the re-parsed file, digest the
 * same-document references (SignedProperties, the countersigned SignatureValue),
 * canonicalise SignedInfo and sign it with the signer's key through GnuTLS. */
#include <string.h>
#include <gnutls/crypto.h>
#include <libxml/parser.h>
#include "sign/sign.h"
#include "formats/c14n.h"
#include "formats/xml_safe.h"
#include "formats/container.h"
#include "verify/verify.h"

const accord_sig_alg *accord_signer_xml_alg(const accord_signer *s, int rsa_pss)
{
	const char *uri;

	switch (s->pk_algo) {
	case GNUTLS_PK_ECDSA:
		uri = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
		break;
	case GNUTLS_PK_EDDSA_ED25519:
		uri = "http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519";
		break;
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		uri = rsa_pss || s->pk_algo == GNUTLS_PK_RSA_PSS
			      ? "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
			      : "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
		break;
	default:
		return NULL;
	}
	return accord_sig_alg_by_uri(uri);
}

int accord_signer_sign_xml(accord_signer *s, const accord_sig_alg *alg, const unsigned char *data,
			   size_t len, unsigned char **sig, size_t *sig_len, accord_error *err)
{
	gnutls_datum_t d = {(unsigned char *)data, (unsigned)len}, out = {NULL, 0}, r = {NULL, 0},
		       sv = {NULL, 0};
	accord_crypto_verdict v;
	int rc = accord_signer_ready(s, err); /* a key still being decrypted */

	*sig = NULL;
	if (rc)
		return rc;
	/* What verify would refuse is never made: the same crypto policy, as of now. */
	memset(&v, 0, sizeof v);
	if (!accord_crypto_crt_key_ok(s->cert, time(NULL), &v) ||
	    !accord_crypto_sign_ok(alg->gnutls, time(NULL), 0, &v))
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "signing key",
				  "refused by the crypto policy: %s", v.message);
	rc = gnutls_privkey_sign_data2(s->key, alg->gnutls, 0, &d, &out);
	if (rc < 0)
		return accord_err_gnutls(err, "signing key", "gnutls_privkey_sign_data2", rc);
	if (!alg->raw_ecdsa) {
		*sig = malloc(out.size);
		if (*sig) {
			memcpy(*sig, out.data, out.size);
			*sig_len = out.size;
		}
		gnutls_free(out.data);
		return *sig ? ACCORD_OK : accord_err(err, ACCORD_ERR_NOMEM, "sign", "out of memory");
	}
	/* ECDSA: XML-DSig wants r||s, each half left-padded to the curve size. */
	rc = gnutls_decode_rs_value(&out, &r, &sv);
	gnutls_free(out.data);
	if (rc < 0)
		return accord_err_gnutls(err, "signing key", "gnutls_decode_rs_value", rc);
	{
		unsigned bits = s->bits;
		size_t half;
		if (!bits) /* token keys may not tell their size: the certificate does */
			gnutls_x509_crt_get_pk_algorithm(s->cert, &bits);
		half = (bits + 7) / 8;
		const unsigned char *rp = r.data, *sp = sv.data;
		size_t rl = r.size, sl = sv.size;
		while (rl > half && *rp == 0) {
			rp++;
			rl--;
		}
		while (sl > half && *sp == 0) {
			sp++;
			sl--;
		}
		*sig = calloc(1, 2 * half);
		if (*sig && rl <= half && sl <= half) {
			memcpy(*sig + half - rl, rp, rl);
			memcpy(*sig + 2 * half - sl, sp, sl);
			*sig_len = 2 * half;
			rc = ACCORD_OK;
		} else {
			rc = accord_err(err, ACCORD_ERR_CRYPTO, "signing key", "unexpected ECDSA signature size");
		}
	}
	gnutls_free(r.data);
	gnutls_free(sv.data);
	if (rc) {
		free(*sig);
		*sig = NULL;
	}
	return rc;
}

int accord_digest_node(xmlNodePtr target, xmlNodePtr exclude, const char *c14n,
		       gnutls_digest_algorithm_t alg, unsigned char *out, accord_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = accord_c14n_node_without(target, exclude, c14n, NULL, &buf, &len, err);

	if (rc)
		return rc;
	if (gnutls_hash_fast(alg, buf, len, out) < 0)
		rc = accord_err(err, ACCORD_ERR_CRYPTO, "digest", "gnutls_hash_fast failed");
	xmlFree(buf);
	return rc;
}

int accord_xml_set_base64(xmlNodePtr n, const unsigned char *data, size_t len)
{
	char *b64 = NULL;

	if (accord_base64_encode(data, len, &b64))
		return ACCORD_ERR_NOMEM;
	xmlNodeSetContent(n, (const xmlChar *)b64);
	free(b64);
	return ACCORD_OK;
}

int accord_xades_seal(xmlDocPtr doc, const char *sig_id, accord_signer *signer,
		      const char *where, unsigned char **out, size_t *len, accord_error *err)
{
	xmlChar *text = NULL;
	int text_len = 0, rc = ACCORD_OK, count;
	xmlDocPtr parsed = NULL;
	xmlNodePtr sig, si, k, sv = NULL;
	unsigned char *canon = NULL, *value = NULL;
	size_t canon_len = 0, value_len = 0;
	const accord_sig_alg *alg;
	xmlChar *alg_uri = NULL;

	*out = NULL;
	xmlDocDumpMemoryEnc(doc, &text, &text_len, "UTF-8");
	if (!text)
		return accord_err(err, ACCORD_ERR_NOMEM, where, "cannot serialise the signature");
	rc = accord_xml_parse(text, (size_t)text_len, where, &parsed, err);
	xmlFree(text);
	text = NULL;
	if (rc)
		return rc;
	sig = accord_xml_find_id(xmlDocGetRootElement(parsed), sig_id, &count);
	if (!sig || !accord_xml_is(sig, ACCORD_NS_DS, "Signature")) {
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, where, "signature '%s' not found once", sig_id);
		goto out;
	}
	si = accord_xml_first_element(sig);
	/* Same-document references: digest the canonical target, fill DigestValue. */
	for (k = accord_xml_next_element(accord_xml_next_element(accord_xml_first_element(si))); k;
	     k = accord_xml_next_element(k)) {
		xmlChar *uri = xmlGetNoNsProp(k, (const xmlChar *)"URI");
		xmlNodePtr target, dv = NULL;
		unsigned char d[32];
		if (uri && uri[0] == '#') {
			target = accord_xml_find_id(xmlDocGetRootElement(parsed), (const char *)uri + 1, &count);
			for (xmlNodePtr c = accord_xml_first_element(k); c; c = accord_xml_next_element(c))
				if (accord_xml_is(c, ACCORD_NS_DS, "DigestValue"))
					dv = c;
			if (!target || !dv) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, where, "reference '%s' does not resolve", uri);
				xmlFree(uri);
				goto out;
			}
			rc = accord_digest_node(target, NULL, ACCORD_C14N_EXC, GNUTLS_DIG_SHA256, d, err);
			if (!rc)
				rc = accord_xml_set_base64(dv, d, sizeof d);
		}
		xmlFree(uri);
		if (rc)
			goto out;
	}
	alg_uri = xmlGetNoNsProp(accord_xml_next_element(accord_xml_first_element(si)),
				 (const xmlChar *)"Algorithm");
	alg = accord_sig_alg_by_uri((const char *)alg_uri);
	if (!alg) {
		rc = accord_err(err, ACCORD_ERR_UNSUPPORTED, where, "unknown signature method");
		goto out;
	}
	rc = accord_c14n_node(si, ACCORD_C14N_EXC, NULL, &canon, &canon_len, err);
	if (rc)
		goto out;
	rc = accord_signer_sign_xml(signer, alg, canon, canon_len, &value, &value_len, err);
	if (rc)
		goto out;
	sv = accord_xml_next_element(si);
	rc = accord_xml_set_base64(sv, value, value_len);
	if (rc) {
		accord_err(err, rc, where, "out of memory");
		goto out;
	}
	xmlDocDumpMemoryEnc(parsed, &text, &text_len, "UTF-8");
	if (!text) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, where, "cannot serialise the signature");
		goto out;
	}
	*out = (unsigned char *)text;
	*len = (size_t)text_len;
out:
	xmlFree(alg_uri);
	xmlFree(canon);
	free(value);
	xmlFreeDoc(parsed);
	return rc;
}

int accord_new_signature_id(const char *prefix, char *buf, size_t n, accord_error *err)
{
	unsigned char r[4];
	char hex[9];

	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r) < 0)
		return accord_err(err, ACCORD_ERR_CRYPTO, "random", "gnutls_rnd failed");
	accord_hex(r, sizeof r, hex);
	snprintf(buf, n, "%s-%s", prefix, hex);
	return ACCORD_OK;
}

int accord_xades_make(xmlDocPtr doc, xmlNodePtr parent, const accord_xades_build *b,
		      accord_signer *signer, const accord_sign_options *opt, const char *where,
		      unsigned char **out, size_t *len, accord_error *err)
{
	unsigned char *xml = NULL, *stamped = NULL;
	size_t xml_len = 0, stamped_len = 0;
	int rc = accord_xades_build_signature(parent, b, err);

	if (!rc)
		rc = accord_xades_seal(doc, b->sig_id, signer, where, &xml, &xml_len, err);
	if (!rc && opt && (opt->tsa_url || opt->tsa_dir)) {
		rc = accord_timestamp_file(xml, xml_len, where, b->sig_id, opt, &stamped, &stamped_len, err);
		xmlFree(xml);
		xml = stamped;
		xml_len = stamped_len;
	}
	if (rc) {
		xmlFree(xml);
		return rc;
	}
	*out = xml;
	*len = xml_len;
	return ACCORD_OK;
}

int accord_writer_lock(const char *package, int *fd, char **real, accord_error *err)
{
	int rc = accord_package_lock(package, fd, real, err);

	if (!rc)
		accord_container_write_prepare(*real);
	return rc;
}

void accord_writer_unlock(int fd)
{
	accord_container_write_abandon();
	accord_package_unlock(fd);
}

int accord_signature_files_write(const char *package, const accord_new_entry *entries, size_t n,
				 int replace, accord_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = entries[i].data ? accord_xades_check_bytes(entries[i].data, entries[i].len,
								     entries[i].name, err)
					 : ACCORD_OK; /* a removal */
		if (rc)
			return rc;
	}
	return replace ? accord_container_update_entries(package, entries, n, err)
		       : accord_container_add_entries(package, entries, n, err);
}
