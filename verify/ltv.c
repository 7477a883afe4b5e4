/* verify/ltv.c — long-term validation data embedded in a signature: CertificateValues
 * (untrusted path helpers), RevocationValues (CRLs, used only when their issuer's
 * signature verifies) and ArchiveTimeStamps (a proof that the whole signature existed at
 * their genTime). */
#include <string.h>
#include <gcrypt.h>
#include "verify/verify.h"
#include "formats/c14n.h"
#include "formats/tst.h"
#include "formats/xml_safe.h"

static int b64_children(xmlNodePtr parent, const char *name, unsigned char ***out, size_t **lens,
			size_t *n)
{
	for (xmlNodePtr k = accord_xml_first_element(parent); k; k = accord_xml_next_element(k)) {
		char *t;
		unsigned char *der = NULL, **g;
		size_t len = 0, *gl;
		if (!accord_xml_is(k, ACCORD_NS_XADES, name))
			continue;
		t = accord_xml_text(k);
		if (!t || accord_base64_decode(t, strlen(t), &der, &len)) {
			xmlFree(t);
			return ACCORD_ERR_FORMAT;
		}
		xmlFree(t);
		g = realloc(*out, (*n + 1) * sizeof *g);
		if (g)
			*out = g;
		gl = g ? realloc(*lens, (*n + 1) * sizeof *gl) : NULL;
		if (!g || !gl) {
			free(der);
			return ACCORD_ERR_NOMEM;
		}
		*lens = gl;
		g[*n] = der;
		gl[(*n)++] = len;
	}
	return ACCORD_OK;
}

int accord_ltv_load(const accord_xsig *s, accord_ltv *l, accord_error *err)
{
	unsigned char **der = NULL;
	size_t *lens = NULL, n = 0;
	int rc = ACCORD_OK;

	memset(l, 0, sizeof *l);
	for (xmlNodePtr k = accord_xml_first_element(s->unsigned_sig_props); k; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, ACCORD_NS_XADES, "CertificateValues")) {
			rc = b64_children(k, "EncapsulatedX509Certificate", &der, &lens, &n);
			for (size_t i = 0; !rc && i < n; i++) {
				gnutls_datum_t d = {der[i], (unsigned)lens[i]};
				gnutls_x509_crt_t *g = realloc(l->certs, (l->n_certs + 1) * sizeof *g);
				if (!g) {
					rc = ACCORD_ERR_NOMEM;
					break;
				}
				l->certs = g;
				if (gnutls_x509_crt_init(&g[l->n_certs]) < 0) {
					rc = ACCORD_ERR_NOMEM;
					break;
				}
				if (gnutls_x509_crt_import(g[l->n_certs], &d, GNUTLS_X509_FMT_DER) < 0) {
					gnutls_x509_crt_deinit(g[l->n_certs]);
					rc = ACCORD_ERR_FORMAT;
					break;
				}
				l->n_certs++;
			}
		} else if (accord_xml_is(k, ACCORD_NS_XADES, "RevocationValues")) {
			xmlNodePtr cv = accord_xml_first_element(k);
			if (accord_xml_is(cv, ACCORD_NS_XADES, "CRLValues"))
				rc = b64_children(cv, "EncapsulatedCRLValue", &der, &lens, &n);
			for (size_t i = 0; !rc && i < n; i++) {
				gnutls_datum_t d = {der[i], (unsigned)lens[i]};
				gnutls_x509_crl_t *g = realloc(l->crls, (l->n_crls + 1) * sizeof *g);
				if (!g) {
					rc = ACCORD_ERR_NOMEM;
					break;
				}
				l->crls = g;
				if (gnutls_x509_crl_init(&g[l->n_crls]) < 0) {
					rc = ACCORD_ERR_NOMEM;
					break;
				}
				if (gnutls_x509_crl_import(g[l->n_crls], &d, GNUTLS_X509_FMT_DER) < 0) {
					gnutls_x509_crl_deinit(g[l->n_crls]);
					rc = ACCORD_ERR_FORMAT;
					break;
				}
				l->n_crls++;
			}
		}
		for (size_t i = 0; i < n; i++)
			free(der[i]);
		free(der);
		free(lens);
		der = NULL;
		lens = NULL;
		n = 0;
		if (rc)
			break;
	}
	if (rc) {
		accord_ltv_clear(l);
		return accord_err(err, rc, s->id, rc == ACCORD_ERR_NOMEM ? "out of memory"
					   : "malformed long-term validation data");
	}
	return ACCORD_OK;
}

void accord_ltv_clear(accord_ltv *l)
{
	for (size_t i = 0; i < l->n_certs; i++)
		gnutls_x509_crt_deinit(l->certs[i]);
	free(l->certs);
	for (size_t i = 0; i < l->n_crls; i++)
		gnutls_x509_crl_deinit(l->crls[i]);
	free(l->crls);
	memset(l, 0, sizeof *l);
}

int accord_archive_timestamps_check(const accord_container *c, const accord_xsig *s,
				    const accord_trust *trust, const gnutls_x509_crt_t *extra,
				    size_t n_extra, accord_sig_report *r, accord_error *err)
{
	for (xmlNodePtr k = accord_xml_first_element(s->unsigned_sig_props); k; k = accord_xml_next_element(k)) {
		xmlNodePtr et = NULL, cm = NULL;
		char *c14n = NULL, *b64 = NULL;
		unsigned char *token = NULL, d[64];
		size_t tl = 0, dl = 0;
		gnutls_digest_algorithm_t alg = GNUTLS_DIG_UNKNOWN;
		const accord_digest_alg *da;
		accord_tst_result res;
		int rc;

		if (!accord_xml_is(k, ACCORD_NS_XADES141, "ArchiveTimeStamp"))
			continue;
		for (xmlNodePtr p = accord_xml_first_element(k); p; p = accord_xml_next_element(p)) {
			if (accord_xml_is(p, ACCORD_NS_DS, "CanonicalizationMethod"))
				cm = p;
			else if (accord_xml_is(p, ACCORD_NS_XADES, "EncapsulatedTimeStamp"))
				et = p;
		}
		c14n = cm ? (char *)xmlGetNoNsProp(cm, (const xmlChar *)"Algorithm")
			  : (char *)xmlStrdup((const xmlChar *)ACCORD_C14N_10);
		b64 = et ? accord_xml_text(et) : NULL;
		memset(&res, 0, sizeof res);
		rc = (!b64 || !accord_c14n_known(c14n) ||
		      accord_base64_decode(b64, strlen(b64), &token, &tl) ||
		      accord_tst_imprint_alg(token, tl, &alg, err) ||
		      !(da = accord_digest_by_gnutls(alg)))
			     ? ACCORD_ERR_FORMAT
			     : accord_archive_imprint(c, s, k, c14n, da->gcry, d, &dl, err);
		if (!rc)
			rc = accord_tst_verify(token, tl, alg, d, dl, NULL, 0, trust->anchors,
					       trust->n_anchors, extra, n_extra, &res, err);
		xmlFree(c14n);
		xmlFree(b64);
		free(token);
		if (rc == ACCORD_ERR_NOMEM) {
			accord_tst_result_clear(&res);
			return rc;
		}
		if (rc || !res.valid) {
			const char *sub = rc ? "FORMAT_FAILURE"
					     : res.sub_indication ? res.sub_indication : "FORMAT_FAILURE";
			int fatal = !strcmp(sub, "HASH_FAILURE") || !strcmp(sub, "SIG_CRYPTO_FAILURE") ||
				    !strcmp(sub, "FORMAT_FAILURE");
			r->indication = fatal ? ACCORD_TOTAL_FAILED : ACCORD_INDETERMINATE;
			snprintf(r->subindication, sizeof r->subindication, "%s", sub);
			snprintf(r->message, sizeof r->message, "archive timestamp: %s",
				 rc ? "cannot be read or recomputed" : res.reason);
			accord_tst_result_clear(&res);
			return ACCORD_OK;
		}
		if (!r->archive_time || res.gen_time < r->archive_time)
			r->archive_time = res.gen_time;
		accord_tst_result_clear(&res);
	}
	return ACCORD_OK;
}
