/* sign/extend.c — `accord extend`: long-term validation data for offline verifiers years
 * later. LT adds CertificateValues (the certificate paths of the signer and of the TSAs,
 * up to the trust anchors) and RevocationValues (CRLs given as files: there is no network
 * to fetch them); LTA adds an ArchiveTimeStamp over the whole signature, repeatable before
 * the last one's TSA certificate expires. */
#include <string.h>
#include <gcrypt.h>
#include <gnutls/crypto.h>
#include "sign/sign.h"
#include "formats/c14n.h"
#include "formats/tst.h"
#include "formats/xml_safe.h"
#include "formats/container.h"
#include "verify/verify.h"

#define NS_XADES141 ACCORD_NS_XADES141

typedef struct der_list {
	unsigned char **der;
	size_t *len;
	size_t n;
} der_list;

static void der_list_clear(der_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		gnutls_free(l->der[i]);
	free(l->der);
	free(l->len);
	memset(l, 0, sizeof *l);
}

static int der_list_add(der_list *l, gnutls_x509_crt_t crt)
{
	gnutls_datum_t d = {NULL, 0};
	unsigned char **g;
	size_t *gl;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d) < 0)
		return ACCORD_ERR_CRYPTO;
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == d.size && !memcmp(l->der[i], d.data, d.size)) {
			gnutls_free(d.data);
			return ACCORD_OK;
		}
	g = realloc(l->der, (l->n + 1) * sizeof *g);
	if (g)
		l->der = g;
	gl = realloc(l->len, (l->n + 1) * sizeof *gl);
	if (gl)
		l->len = gl;
	if (!g || !gl) {
		gnutls_free(d.data);
		return ACCORD_ERR_NOMEM;
	}
	l->der[l->n] = d.data;
	l->len[l->n++] = d.size;
	return ACCORD_OK;
}

/* The issuers of crt up to its anchor, found by the trust engine's path builder. */
static int add_path(der_list *l, gnutls_x509_crt_t crt, const accord_trust *t,
		    const gnutls_x509_crt_t *helpers, size_t n_helpers)
{
	accord_path p;

	if (!accord_path_build(t, crt, helpers, n_helpers, &p))
		return ACCORD_OK;
	for (size_t i = 1; i < p.n; i++)
		if (der_list_add(l, p.chain[i]))
			return ACCORD_ERR_NOMEM;
	return ACCORD_OK;
}

static int has_child(xmlNodePtr usp, const char *ns, const char *name)
{
	for (xmlNodePtr k = accord_xml_first_element(usp); k; k = accord_xml_next_element(k))
		if (accord_xml_is(k, ns, name))
			return 1;
	return 0;
}

static int add_b64(xmlNodePtr parent, xmlNsPtr ns, const char *name, const unsigned char *der,
		   size_t len)
{
	char *b64 = NULL;

	if (accord_base64_encode(der, len, &b64))
		return ACCORD_ERR_NOMEM;
	xmlNewTextChild(parent, ns, (const xmlChar *)name, (const xmlChar *)b64);
	free(b64);
	return ACCORD_OK;
}

/* Is der (a CRL) already an EncapsulatedCRLValue anywhere under parent? */
static int crl_present(xmlNodePtr parent, const unsigned char *der, size_t len)
{
	for (xmlNodePtr k = accord_xml_first_element(parent); k; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, ACCORD_NS_XADES, "EncapsulatedCRLValue")) {
			char *t = accord_xml_text(k);
			unsigned char *have = NULL;
			size_t hl = 0;
			int same = t && !accord_base64_decode(t, strlen(t), &have, &hl) && hl == len &&
				   !memcmp(have, der, len);
			xmlFree(t);
			free(have);
			if (same)
				return 1;
		} else if (crl_present(k, der, len)) {
			return 1;
		}
	}
	return 0;
}

/* The CRLs of crls not yet embedded in the signature's unsigned properties go into its one
 * RevocationValues (made when absent; DigiDoc refuses a second one). Once an
 * ArchiveTimeStamp covers RevocationValues, new data goes into a new
 * xadesv141:TimeStampValidationData after it instead (EN 319 132-1 5.5.1), so that what
 * the archive timestamp covers is never changed. *added: how many were added. */
static int add_revocation_values(xmlNodePtr usp, const der_list *crls, size_t *added)
{
	xmlNodePtr rv = NULL, cr = NULL, parent = usp;
	int rc = ACCORD_OK;

	*added = 0;
	for (size_t i = 0; i < crls->n; i++)
		if (!crl_present(usp, crls->der[i], crls->len[i]))
			break;
		else if (i + 1 == crls->n)
			return ACCORD_OK; /* every one is there already */
	if (!crls->n)
		return ACCORD_OK;
	if (has_child(usp, NS_XADES141, "ArchiveTimeStamp")) {
		xmlNsPtr ns141;
		parent = xmlNewChild(usp, NULL, (const xmlChar *)"TimeStampValidationData", NULL);
		if (!parent)
			return ACCORD_ERR_NOMEM;
		ns141 = xmlNewNs(parent, (const xmlChar *)NS_XADES141, (const xmlChar *)"xadesv141");
		xmlSetNs(parent, ns141);
	} else {
		for (xmlNodePtr k = accord_xml_first_element(usp); k && !rv; k = accord_xml_next_element(k))
			if (accord_xml_is(k, ACCORD_NS_XADES, "RevocationValues"))
				rv = k;
	}
	if (!rv)
		rv = xmlNewChild(parent, usp->ns, (const xmlChar *)"RevocationValues", NULL);
	for (xmlNodePtr k = rv ? accord_xml_first_element(rv) : NULL; k && !cr; k = accord_xml_next_element(k))
		if (accord_xml_is(k, ACCORD_NS_XADES, "CRLValues"))
			cr = k;
	if (rv && !cr) {
		/* CRLValues comes first in RevocationValues (before OCSPValues). */
		xmlNodePtr first = accord_xml_first_element(rv);
		cr = xmlNewNode(usp->ns, (const xmlChar *)"CRLValues");
		if (cr && first)
			xmlAddPrevSibling(first, cr);
		else if (cr)
			xmlAddChild(rv, cr);
	}
	if (!rv || !cr)
		return ACCORD_ERR_NOMEM;
	for (size_t i = 0; i < crls->n && !rc; i++) {
		if (crl_present(usp, crls->der[i], crls->len[i]))
			continue;
		rc = add_b64(cr, usp->ns, "EncapsulatedCRLValue", crls->der[i], crls->len[i]);
		if (!rc)
			(*added)++;
	}
	return rc;
}

/* LT for one signature: CertificateValues and RevocationValues (when CRLs are given). */
static int add_lt(accord_xsig *s, const accord_trust *tl, const der_list *crls,
		  int *changed, accord_error *err)
{
	der_list certs;
	gnutls_x509_crt_t crt = NULL;
	xmlNodePtr usp, cv;
	int rc = ACCORD_OK;

	memset(&certs, 0, sizeof certs);
	usp = accord_xades_unsigned_props(s->node, err);
	if (!usp)
		return err->code;
	s->unsigned_sig_props = usp;
	*changed = 0;
	if (has_child(usp, ACCORD_NS_XADES, "CertificateValues")) {
		/* Already LT: CRLs not embedded yet still go in (never twice, never a second
		 * RevocationValues). */
		size_t added = 0;
		if (add_revocation_values(usp, crls, &added))
			return accord_err(err, ACCORD_ERR_NOMEM, s->id, "out of memory");
		*changed = added > 0;
		return ACCORD_OK;
	}
	/* The signer's path: its issuers (the signer's own certificate is in KeyInfo). */
	for (size_t i = 0; i < s->n_certs && !rc; i++) {
		gnutls_datum_t d = {s->certs[i], (unsigned)s->cert_lens[i]};
		if (gnutls_x509_crt_init(&crt) < 0)
			return accord_err(err, ACCORD_ERR_NOMEM, s->id, "out of memory");
		if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0)
			rc = add_path(&certs, crt, tl, NULL, 0);
		gnutls_x509_crt_deinit(crt);
	}
	/* Each TSA certificate and its path. */
	for (size_t i = 0; i < s->n_ts && !rc; i++) {
		accord_tst_result res;
		gnutls_digest_algorithm_t alg = GNUTLS_DIG_UNKNOWN;
		unsigned char d[64];
		size_t dl = 0;
		memset(&res, 0, sizeof res);
		if (accord_tst_imprint_alg(s->ts_tokens[i], s->ts_lens[i], &alg, err) == ACCORD_OK &&
		    accord_sigvalue_imprint(s->sig_value_node, s->ts_c14n[i], alg, d, &dl, err) == ACCORD_OK &&
		    accord_tst_check(s->ts_tokens[i], s->ts_lens[i], alg, d, dl, NULL, 0, NULL, 0,
				     &res, err) == ACCORD_OK &&
		    res.tsa_cert_der) {
			gnutls_datum_t der = {res.tsa_cert_der, (unsigned)res.tsa_cert_der_len};
			if (gnutls_x509_crt_init(&crt) >= 0) {
				if (gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER) >= 0) {
					rc = der_list_add(&certs, crt);
					if (!rc)
						rc = add_path(&certs, crt, tl, NULL, 0);
				}
				gnutls_x509_crt_deinit(crt);
			}
		}
		accord_tst_result_clear(&res);
	}
	if (rc) {
		der_list_clear(&certs);
		return accord_err(err, rc, s->id, "cannot collect the certificate paths");
	}
	if (!certs.n && !crls->n) {
		der_list_clear(&certs);
		return accord_err(err, ACCORD_ERR_NOTFOUND, s->id,
				  "no issuer certificate found for the signer: give the trust anchors with --trust");
	}
	cv = xmlNewChild(usp, usp->ns, (const xmlChar *)"CertificateValues", NULL);
	for (size_t i = 0; i < certs.n && !rc; i++)
		rc = add_b64(cv, usp->ns, "EncapsulatedX509Certificate", certs.der[i], certs.len[i]);
	if (!rc) {
		size_t added = 0;
		rc = add_revocation_values(usp, crls, &added);
	}
	der_list_clear(&certs);
	*changed = 1;
	return rc ? accord_err(err, rc, s->id, "out of memory") : ACCORD_OK;
}

/* LTA for one signature of the (re-parsed) document: an ArchiveTimeStamp at the end. */
static int add_lta(const accord_container *c, accord_xsig *s, const accord_extend_options *opt,
		   accord_error *err)
{
	unsigned char d[64], *token = NULL;
	size_t dl = 0, tl = 0;
	xmlNodePtr usp = s->unsigned_sig_props, ats, cm;
	xmlNsPtr ns141, ds;
	char id[200], *b64 = NULL;
	accord_sign_options so;
	int rc;

	if (!usp)
		return accord_err(err, ACCORD_ERR_FORMAT, s->id, "the signature has no LT data");
	rc = accord_archive_imprint(c, s, NULL, ACCORD_C14N_EXC, GCRY_MD_SHA256, d, &dl, err);
	if (rc)
		return rc;
	memset(&so, 0, sizeof so);
	so.tsa_url = opt->tsa_url;
	so.tsa_dir = opt->tsa_dir;
	so.tsa_passphrase = opt->tsa_passphrase;
	rc = accord_timestamp_obtain(&so, d, &token, &tl, err);
	if (rc)
		return rc;
	ats = xmlNewChild(usp, NULL, (const xmlChar *)"ArchiveTimeStamp", NULL);
	ns141 = xmlNewNs(ats, (const xmlChar *)NS_XADES141, (const xmlChar *)"xadesv141");
	xmlSetNs(ats, ns141);
	{
		unsigned char r[4];
		char hex[9];
		gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r);
		accord_hex(r, sizeof r, hex);
		snprintf(id, sizeof id, "%s-ATS-%s", s->id, hex);
	}
	xmlNewProp(ats, (const xmlChar *)"Id", (const xmlChar *)id);
	ds = xmlSearchNsByHref(s->doc, s->node, (const xmlChar *)ACCORD_NS_DS);
	cm = xmlNewChild(ats, ds, (const xmlChar *)"CanonicalizationMethod", NULL);
	xmlNewProp(cm, (const xmlChar *)"Algorithm", (const xmlChar *)ACCORD_C14N_EXC);
	rc = accord_base64_encode(token, tl, &b64);
	if (!rc)
		xmlNewTextChild(ats, usp->ns, (const xmlChar *)"EncapsulatedTimeStamp", (const xmlChar *)b64);
	free(b64);
	free(token);
	return rc ? accord_err(err, rc, s->id, "out of memory") : ACCORD_OK;
}

static int load_crls(const accord_extend_options *opt, der_list *l, accord_error *err)
{
	for (size_t i = 0; i < opt->n_crls; i++) {
		unsigned char *buf = NULL;
		size_t len = 0;
		gnutls_x509_crl_t crl;
		gnutls_datum_t in, out = {NULL, 0};
		int rc = accord_file_read(opt->crls[i], 64u << 20, &buf, &len, err);
		if (rc)
			return rc;
		in.data = buf;
		in.size = (unsigned)len;
		rc = gnutls_x509_crl_init(&crl);
		if (rc >= 0) {
			rc = gnutls_x509_crl_import(crl, &in, GNUTLS_X509_FMT_PEM);
			if (rc < 0)
				rc = gnutls_x509_crl_import(crl, &in, GNUTLS_X509_FMT_DER);
			if (rc >= 0)
				rc = gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &out);
			gnutls_x509_crl_deinit(crl);
		}
		free(buf);
		if (rc < 0)
			return accord_err_gnutls(err, opt->crls[i], "gnutls_x509_crl_import", rc);
		{
			unsigned char **g = realloc(l->der, (l->n + 1) * sizeof *g);
			size_t *gl = g ? realloc(l->len, (l->n + 1) * sizeof *gl) : NULL;
			if (g)
				l->der = g;
			if (!g || !gl) {
				gnutls_free(out.data);
				return accord_err(err, ACCORD_ERR_NOMEM, opt->crls[i], "out of memory");
			}
			l->len = gl;
			l->der[l->n] = out.data;
			l->len[l->n++] = out.size;
		}
	}
	return ACCORD_OK;
}

/* Serialise and parse again, so that what is hashed is what the file will hold. */
static int reparse(accord_xsig_file *f, accord_error *err)
{
	xmlChar *text = NULL;
	int len = 0, rc;
	accord_xsig_file fresh;
	char *name = accord_strdup(f->name);

	xmlDocDumpMemoryEnc(f->doc, &text, &len, "UTF-8");
	if (!text || !name) {
		free(name);
		xmlFree(text);
		return accord_err(err, ACCORD_ERR_NOMEM, f->name, "cannot serialise");
	}
	rc = accord_xades_parse(text, (size_t)len, name, &fresh, err);
	xmlFree(text);
	free(name);
	if (rc) {
		accord_xades_file_clear(&fresh);
		return rc;
	}
	accord_xades_file_clear(f);
	*f = fresh;
	return ACCORD_OK;
}

static int accord_extend_unlocked(const char *package, const accord_extend_options *opt, size_t *n_extended,
		  accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	size_t nf = 0, n_new = 0, count = 0;
	gnutls_x509_crt_t *anchors = NULL;
	size_t n_anchors = 0;
	accord_trust tl;
	der_list crls;
	accord_new_entry *entries = NULL;
	xmlChar **texts = NULL;
	int rc;

	memset(&crls, 0, sizeof crls);
	memset(&tl, 0, sizeof tl);
	if (opt->level == ACCORD_LEVEL_LTA && !opt->tsa_url && !opt->tsa_dir)
		return accord_err(err, ACCORD_ERR_USAGE, package, "LTA needs a TSA (--tsa or --tsa-dir)");
	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (!rc)
		rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (!rc)
		rc = accord_trust_load(opt->trust, opt->n_trust, !opt->no_trust_store, &anchors,
				       &n_anchors, err);
	if (!rc)
		rc = load_crls(opt, &crls, err);
	if (rc)
		goto out;
	tl.anchors = anchors;
	tl.n_anchors = n_anchors;
	entries = accord_calloc(nf, sizeof *entries);
	texts = accord_calloc(nf, sizeof *texts);
	if (!entries || !texts) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, package, "out of memory");
		goto out;
	}
	for (size_t f = 0; f < nf; f++) {
		int touched = 0, len = 0;
		if (errs[f].code) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, files[f].name, "cannot extend: %s", errs[f].why);
			goto out;
		}
		for (size_t i = 0; i < files[f].n_sigs; i++) {
			if (opt->signature_id && strcmp(files[f].sigs[i].id, opt->signature_id))
				continue;
			int changed = 0;
			rc = add_lt(&files[f].sigs[i], &tl, &crls, &changed, err);
			if (rc)
				goto out;
			if (!changed && opt->level == ACCORD_LEVEL_LT)
				continue;
			touched = 1;
			count++;
		}
		if (!touched)
			continue;
		if (opt->level == ACCORD_LEVEL_LTA) {
			rc = reparse(&files[f], err);
			for (size_t i = 0; !rc && i < files[f].n_sigs; i++) {
				if (opt->signature_id && strcmp(files[f].sigs[i].id, opt->signature_id))
					continue;
				rc = add_lta(c, &files[f].sigs[i], opt, err);
			}
			if (rc)
				goto out;
		}
		xmlDocDumpMemoryEnc(files[f].doc, &texts[n_new], &len, "UTF-8");
		if (!texts[n_new]) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, files[f].name, "cannot serialise");
			goto out;
		}
		entries[n_new].name = files[f].name;
		entries[n_new].data = texts[n_new];
		entries[n_new].len = (size_t)len;
		n_new++;
	}
	if (!count) {
		int any = 0;
		for (size_t f = 0; f < nf; f++)
			for (size_t i = 0; i < files[f].n_sigs; i++)
				any |= !opt->signature_id || !strcmp(files[f].sigs[i].id, opt->signature_id);
		rc = any ? accord_err(err, ACCORD_ERR_EXISTS, package,
				      "the signatures already carry LT data; nothing to add (--crl adds revocation data)")
			 : accord_err(err, ACCORD_ERR_NOTFOUND,
				      opt->signature_id ? opt->signature_id : package, "no signature to extend");
		goto out;
	}
	rc = accord_signature_files_write(package, entries, n_new, 1, err);
	if (!rc && n_extended)
		*n_extended = count;
out:
	for (size_t i = 0; texts && i < n_new; i++)
		xmlFree(texts[i]);
	free(texts);
	free(entries);
	der_list_clear(&crls);
	accord_crt_list_free(anchors, n_anchors);
	accord_xades_free_all(files, errs, nf);
	accord_container_free(c);
	return rc;
}

/* Two writers of one package run one after the other: the second reads what the first
 * wrote, so neither signature is lost. */
int accord_extend(const char *package, const accord_extend_options *opt, size_t *n_extended,
		  accord_error *err)
{
	char *real = NULL;
	int fd = -1, rc = accord_package_lock(package, &fd, &real, err);

	if (rc)
		return rc;
	rc = accord_extend_unlocked(real, opt, n_extended, err);
	accord_package_unlock(fd);
	free(real);
	return rc;
}
