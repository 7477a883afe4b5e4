/* verify/ltv.c — long-term validation data embedded in a signature: CertificateValues
 * (untrusted path helpers), RevocationValues (CRLs and OCSP responses, believed only by
 * the trust engine), the same inside TimeStampValidationData, and ArchiveTimeStamps (a
 * proof that the whole signature existed at their genTime). */
#include <string.h>
#include <gcrypt.h>
#include "verify/verify.h"
#include "formats/c14n.h"
#include "formats/tst.h"
#include "formats/xml_safe.h"

/* A value that cannot be read: skipped and counted. Unsigned data that could simply have
 * been left out, so skipping it gives nobody more than deleting it would; the caller
 * reports it and lets it block a verdict that evidence would have had to decide. */
static void malformed(accord_ltv *l, const char *what, size_t index)
{
	if (!l->n_malformed++)
		snprintf(l->malformed, sizeof l->malformed, "%s item %zu", what, index + 1);
}

static int b64_children(xmlNodePtr parent, const char *name, unsigned char ***out, size_t **lens,
			size_t *n, accord_ltv *l)
{
	size_t index = 0;

	for (xmlNodePtr k = accord_xml_first_element(parent); k; k = accord_xml_next_element(k)) {
		char *t;
		unsigned char *der = NULL, **g;
		size_t len = 0, *gl;
		if (!accord_xml_is(k, ACCORD_NS_XADES, name))
			continue;
		t = accord_xml_text(k);
		if (!t || accord_base64_decode(t, strlen(t), &der, &len)) {
			xmlFree(t);
			malformed(l, name, index++);
			continue;
		}
		xmlFree(t);
		index++;
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

static int add_certs(accord_ltv *l, unsigned char **der, size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		gnutls_datum_t d = {der[i], (unsigned)lens[i]};
		gnutls_x509_crt_t *g = realloc(l->certs, (l->n_certs + 1) * sizeof *g);
		if (!g)
			return ACCORD_ERR_NOMEM;
		l->certs = g;
		if (gnutls_x509_crt_init(&g[l->n_certs]) < 0)
			return ACCORD_ERR_NOMEM;
		if (gnutls_x509_crt_import(g[l->n_certs], &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(g[l->n_certs]);
			malformed(l, "EncapsulatedX509Certificate", i);
			continue;
		}
		l->n_certs++;
	}
	return ACCORD_OK;
}

static int add_crls(accord_ltv *l, unsigned char **der, size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		gnutls_datum_t d = {der[i], (unsigned)lens[i]};
		gnutls_x509_crl_t *g = realloc(l->crls, (l->n_crls + 1) * sizeof *g);
		if (!g)
			return ACCORD_ERR_NOMEM;
		l->crls = g;
		if (gnutls_x509_crl_init(&g[l->n_crls]) < 0)
			return ACCORD_ERR_NOMEM;
		if (gnutls_x509_crl_import(g[l->n_crls], &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crl_deinit(g[l->n_crls]);
			malformed(l, "EncapsulatedCRLValue", i);
			continue;
		}
		l->n_crls++;
	}
	return ACCORD_OK;
}

/* OCSPValues hold OCSPResponse structures (RFC 6960), read by GnuTLS. */
static int add_ocsps(accord_ltv *l, unsigned char **der, size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		gnutls_datum_t d = {der[i], (unsigned)lens[i]};
		gnutls_ocsp_resp_t *g = realloc(l->ocsps, (l->n_ocsps + 1) * sizeof *g);
		if (!g)
			return ACCORD_ERR_NOMEM;
		l->ocsps = g;
		if (gnutls_ocsp_resp_init(&g[l->n_ocsps]) < 0)
			return ACCORD_ERR_NOMEM;
		if (gnutls_ocsp_resp_import(g[l->n_ocsps], &d) < 0) {
			gnutls_ocsp_resp_deinit(g[l->n_ocsps]);
			malformed(l, "EncapsulatedOCSPValue", i);
			continue;
		}
		l->n_ocsps++;
	}
	return ACCORD_OK;
}

typedef int (*add_fn)(accord_ltv *, unsigned char **, size_t *, size_t);

/* The base64 children NAME of parent, decoded and handed to add. */
static int load_values(xmlNodePtr parent, const char *name, add_fn add, accord_ltv *l)
{
	unsigned char **der = NULL;
	size_t *lens = NULL, n = 0;
	int rc = b64_children(parent, name, &der, &lens, &n, l);

	if (!rc)
		rc = add(l, der, lens, n);
	for (size_t i = 0; i < n; i++)
		free(der[i]);
	free(der);
	free(lens);
	return rc;
}

/* CertificateValues and RevocationValues (CRLValues, OCSPValues) under parent. */
static int load_container(xmlNodePtr parent, accord_ltv *l)
{
	int rc = ACCORD_OK;

	for (xmlNodePtr k = accord_xml_first_element(parent); k && !rc; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, ACCORD_NS_XADES, "CertificateValues")) {
			rc = load_values(k, "EncapsulatedX509Certificate", add_certs, l);
		} else if (accord_xml_is(k, ACCORD_NS_XADES, "RevocationValues")) {
			for (xmlNodePtr v = accord_xml_first_element(k); v && !rc; v = accord_xml_next_element(v)) {
				if (accord_xml_is(v, ACCORD_NS_XADES, "CRLValues"))
					rc = load_values(v, "EncapsulatedCRLValue", add_crls, l);
				else if (accord_xml_is(v, ACCORD_NS_XADES, "OCSPValues"))
					rc = load_values(v, "EncapsulatedOCSPValue", add_ocsps, l);
			}
		}
	}
	return rc;
}

int accord_ltv_load(const accord_xsig *s, accord_ltv *l, accord_error *err)
{
	int rc;

	memset(l, 0, sizeof *l);
	rc = load_container(s->unsigned_sig_props, l);
	/* Validation data added after a timestamp (EN 319 132-1 5.5.1). */
	for (xmlNodePtr k = accord_xml_first_element(s->unsigned_sig_props); k && !rc;
	     k = accord_xml_next_element(k))
		if (accord_xml_is(k, ACCORD_NS_XADES141, "TimeStampValidationData"))
			rc = load_container(k, l);
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
	for (size_t i = 0; i < l->n_ocsps; i++)
		gnutls_ocsp_resp_deinit(l->ocsps[i]);
	free(l->ocsps);
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
			rc = accord_timestamp_validate(trust, token, tl, alg, d, dl, NULL, 0, extra,
						       n_extra, &res, err);
		xmlFree(c14n);
		xmlFree(b64);
		free(token);
		if (rc == ACCORD_ERR_NOMEM) {
			accord_tst_result_clear(&res);
			return rc;
		}
		if (rc || !res.valid) {
			accord_subindication sub = rc || res.sub_indication == ACCORD_SUB_NONE
							   ? ACCORD_SUB_FORMAT_FAILURE : res.sub_indication;
			int fatal = sub == ACCORD_SUB_HASH_FAILURE || sub == ACCORD_SUB_SIG_CRYPTO_FAILURE ||
				    sub == ACCORD_SUB_FORMAT_FAILURE;
			r->indication = fatal ? ACCORD_TOTAL_FAILED : ACCORD_INDETERMINATE;
			r->subindication = sub;
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
