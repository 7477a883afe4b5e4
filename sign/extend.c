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
#include "formats/ocsp.h"
#include "accord/ocsp.h"
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

/* A copy of der at the end of l, unless l holds it already. */
static int der_list_add_bytes(der_list *l, const unsigned char *der, size_t len)
{
	unsigned char **g, *copy;
	size_t *gl;

	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == len && !memcmp(l->der[i], der, len))
			return ACCORD_OK;
	g = realloc(l->der, (l->n + 1) * sizeof *g);
	if (g)
		l->der = g;
	gl = realloc(l->len, (l->n + 1) * sizeof *gl);
	if (gl)
		l->len = gl;
	copy = g && gl ? gnutls_malloc(len ? len : 1) : NULL;
	if (!copy)
		return ACCORD_ERR_NOMEM;
	memcpy(copy, der, len);
	l->der[l->n] = copy;
	l->len[l->n++] = len;
	return ACCORD_OK;
}

static int der_list_add(der_list *l, gnutls_x509_crt_t crt)
{
	gnutls_datum_t d = {NULL, 0};
	int rc;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d) < 0)
		return ACCORD_ERR_CRYPTO;
	rc = der_list_add_bytes(l, d.data, d.size);
	gnutls_free(d.data);
	return rc;
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

/* Is der already the content of an element named name (EncapsulatedX509Certificate,
 * EncapsulatedCRLValue, EncapsulatedOCSPValue) anywhere under parent? */
static int value_present(xmlNodePtr parent, const char *name, const unsigned char *der, size_t len)
{
	for (xmlNodePtr k = accord_xml_first_element(parent); k; k = accord_xml_next_element(k)) {
		if (accord_xml_is(k, ACCORD_NS_XADES, name)) {
			char *t = accord_xml_text(k);
			unsigned char *have = NULL;
			size_t hl = 0;
			int same = t && !accord_base64_decode(t, strlen(t), &have, &hl) && hl == len &&
				   !memcmp(have, der, len);
			xmlFree(t);
			free(have);
			if (same)
				return 1;
		} else if (value_present(k, name, der, len)) {
			return 1;
		}
	}
	return 0;
}

/* The values of l not yet under usp, as a list of pointers into l (not owned). */
static int der_list_missing(xmlNodePtr usp, const char *name, const der_list *l, der_list *out)
{
	memset(out, 0, sizeof *out);
	if (!l->n)
		return ACCORD_OK;
	out->der = calloc(l->n, sizeof *out->der);
	out->len = calloc(l->n, sizeof *out->len);
	if (!out->der || !out->len)
		return ACCORD_ERR_NOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (!value_present(usp, name, l->der[i], l->len[i])) {
			out->der[out->n] = l->der[i];
			out->len[out->n++] = l->len[i];
		}
	return ACCORD_OK;
}

static void der_list_unref(der_list *l)
{
	free(l->der);
	free(l->len);
	memset(l, 0, sizeof *l);
}

static xmlNodePtr child_named(xmlNodePtr parent, const char *ns, const char *name)
{
	for (xmlNodePtr k = accord_xml_first_element(parent); k; k = accord_xml_next_element(k))
		if (accord_xml_is(k, ns, name))
			return k;
	return NULL;
}

/* parent's child name (made when absent, before the child named before, if any, else
 * at the end). */
static xmlNodePtr child_make(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *before)
{
	xmlNodePtr k = child_named(parent, ACCORD_NS_XADES, name), b;

	if (k)
		return k;
	k = xmlNewNode(ns, (const xmlChar *)name);
	b = before ? child_named(parent, ACCORD_NS_XADES, before) : NULL;
	if (k && b)
		xmlAddPrevSibling(b, k);
	else if (k)
		xmlAddChild(parent, k);
	return k;
}

static int add_values(xmlNodePtr parent, xmlNsPtr ns, const char *name, const der_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (add_b64(parent, ns, name, l->der[i], l->len[i]))
			return ACCORD_ERR_NOMEM;
	return ACCORD_OK;
}

/* New validation data for a signature: certificates into its CertificateValues, CRLs and
 * OCSP responses into its one RevocationValues (CRLValues before OCSPValues), each made
 * when absent (DigiDoc refuses a second RevocationValues). Once an ArchiveTimeStamp
 * covers them, the new data goes into a new xadesv141:TimeStampValidationData after it
 * instead (EN 319 132-1 5.5.1), so that what the archive timestamp covers never changes.
 * The lists hold only values not embedded yet. */
static int add_validation_data(xmlNodePtr usp, const der_list *certs, const der_list *crls,
			       const der_list *ocsps)
{
	xmlNodePtr parent = usp, rv, v;

	if (!certs->n && !crls->n && !ocsps->n)
		return ACCORD_OK;
	if (has_child(usp, NS_XADES141, "ArchiveTimeStamp")) {
		xmlNsPtr ns141;
		parent = xmlNewChild(usp, NULL, (const xmlChar *)"TimeStampValidationData", NULL);
		if (!parent)
			return ACCORD_ERR_NOMEM;
		ns141 = xmlNewNs(parent, (const xmlChar *)NS_XADES141, (const xmlChar *)"xadesv141");
		xmlSetNs(parent, ns141);
	}
	if (certs->n) {
		v = child_make(parent, usp->ns, "CertificateValues", "RevocationValues");
		if (!v || add_values(v, usp->ns, "EncapsulatedX509Certificate", certs))
			return ACCORD_ERR_NOMEM;
	}
	if (!crls->n && !ocsps->n)
		return ACCORD_OK;
	rv = child_make(parent, usp->ns, "RevocationValues", NULL);
	if (!rv)
		return ACCORD_ERR_NOMEM;
	if (crls->n) {
		v = child_make(rv, usp->ns, "CRLValues", "OCSPValues");
		if (!v || add_values(v, usp->ns, "EncapsulatedCRLValue", crls))
			return ACCORD_ERR_NOMEM;
	}
	if (ocsps->n) {
		v = child_make(rv, usp->ns, "OCSPValues", NULL);
		if (!v || add_values(v, usp->ns, "EncapsulatedOCSPValue", ocsps))
			return ACCORD_ERR_NOMEM;
	}
	return ACCORD_OK;
}

/* What one run of extend (or sign's B-LT) embeds, shared by its signatures. */
typedef struct lt_sources {
	const accord_extend_options *opt;
	accord_trust tl;            /* the anchors, for building paths */
	gnutls_x509_crt_t *anchors;
	size_t n_anchors;
	der_list crls;              /* CRL files given */
	der_list ocsp_files;        /* OCSP responses given (DER) */
	size_t ocsp_attached;       /* how many signatures took one of them */
	char skipped[600];          /* why a signature could not take one */
} lt_sources;

static int load_crls(const accord_extend_options *opt, der_list *l, accord_error *err);

static int load_ocsp_files(const accord_extend_options *opt, der_list *l, accord_error *err)
{
	for (size_t i = 0; i < opt->n_ocsp_files; i++) {
		unsigned char *buf = NULL;
		size_t len = 0;
		gnutls_ocsp_resp_t r;
		gnutls_datum_t d;
		int rc = accord_file_read(opt->ocsp_files[i], 1u << 20, &buf, &len, err);
		if (rc)
			return rc;
		d.data = buf;
		d.size = (unsigned)len;
		rc = gnutls_ocsp_resp_init(&r);
		if (rc >= 0) {
			rc = gnutls_ocsp_resp_import(r, &d);
			gnutls_ocsp_resp_deinit(r);
		}
		if (rc < 0) {
			free(buf);
			return accord_err(err, ACCORD_ERR_FORMAT, opt->ocsp_files[i],
					  "not a DER OCSP response: %s", gnutls_strerror(rc));
		}
		rc = der_list_add_bytes(l, buf, len);
		free(buf);
		if (rc)
			return accord_err(err, rc, opt->ocsp_files[i], "out of memory");
	}
	return ACCORD_OK;
}

static void lt_sources_clear(lt_sources *src)
{
	der_list_clear(&src->crls);
	der_list_clear(&src->ocsp_files);
	accord_crt_list_free(src->anchors, src->n_anchors);
	memset(src, 0, sizeof *src);
}

/* The anchors (--trust, the trust store, the local responder's ca.crt), the CRLs and the
 * OCSP response files. */
static int lt_sources_open(const accord_extend_options *opt, lt_sources *src, accord_error *err)
{
	const char *paths[66];
	char ca[4096];
	size_t n = 0;
	int rc;

	memset(src, 0, sizeof *src);
	src->opt = opt;
	if (opt->n_trust > 64)
		return accord_err(err, ACCORD_ERR_USAGE, "trust", "at most 64 trust sources");
	for (; n < opt->n_trust; n++)
		paths[n] = opt->trust[n];
	if (opt->ocsp_dir) {
		if ((size_t)snprintf(ca, sizeof ca, "%s/ca.crt", opt->ocsp_dir) >= sizeof ca)
			return accord_err(err, ACCORD_ERR_USAGE, opt->ocsp_dir, "path too long");
		paths[n++] = ca;
	}
	rc = accord_trust_load(paths, n, !opt->no_trust_store, &src->anchors, &src->n_anchors, err);
	if (!rc)
		rc = load_crls(opt, &src->crls, err);
	if (!rc)
		rc = load_ocsp_files(opt, &src->ocsp_files, err);
	if (rc) {
		lt_sources_clear(src);
		return rc;
	}
	src->tl.anchors = src->anchors;
	src->tl.n_anchors = src->n_anchors;
	return ACCORD_OK;
}

/* The KeyInfo certificate SigningCertificate(V2) names (the first one when none does). */
static size_t signer_index(const accord_xsig *s)
{
	unsigned char dg[64];

	for (size_t i = 0; s->cert_digest_alg && i < s->n_certs; i++)
		if (gnutls_hash_fast(s->cert_digest_alg->gnutls, s->certs[i], s->cert_lens[i], dg) == 0 &&
		    s->cert_digest_len == s->cert_digest_alg->len && !memcmp(dg, s->cert_digest, s->cert_digest_len))
			return i;
	return 0;
}

/* The signer's certificate and its issuer (found through the anchors, the KeyInfo
 * certificates helping); crt and issuer are deinit by the caller. */
static int signer_and_issuer(const accord_xsig *s, const lt_sources *src, gnutls_x509_crt_t *crt,
			     gnutls_x509_crt_t *issuer, accord_error *err)
{
	gnutls_x509_crt_t helpers[16];
	size_t nh = 0, si = signer_index(s);
	accord_path p;
	char cn[200];
	int rc = ACCORD_OK;

	*crt = *issuer = NULL;
	if (!s->n_certs)
		return accord_err(err, ACCORD_ERR_NOTFOUND, s->id, "the signature carries no certificate");
	for (size_t i = 0; i < s->n_certs && nh < 16 && !rc; i++) {
		gnutls_datum_t d = {s->certs[i], (unsigned)s->cert_lens[i]};
		gnutls_x509_crt_t c = NULL;
		if (gnutls_x509_crt_init(&c) < 0)
			rc = ACCORD_ERR_NOMEM;
		else if (gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(c);
			if (i == si)
				rc = ACCORD_ERR_FORMAT;
		} else if (i == si)
			*crt = c;
		else
			helpers[nh++] = c;
	}
	if (rc || !*crt) {
		rc = accord_err(err, rc ? rc : ACCORD_ERR_FORMAT, s->id, "cannot read the signer's certificate");
		goto out;
	}
	accord_crt_cn(*crt, cn, sizeof cn);
	if (!accord_path_build(&src->tl, *crt, helpers, nh, &p) || p.n < 2) {
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, s->id,
				"the issuer of the signer's certificate '%s' is not among the trust anchors: give it with --trust (OCSP names a certificate by its issuer)",
				cn);
		goto out;
	}
	rc = gnutls_x509_crt_init(issuer) < 0 ? ACCORD_ERR_NOMEM : ACCORD_OK;
	if (!rc) {
		gnutls_datum_t d = {NULL, 0};
		if (gnutls_x509_crt_export2(p.chain[1], GNUTLS_X509_FMT_DER, &d) < 0 ||
		    gnutls_x509_crt_import(*issuer, &d, GNUTLS_X509_FMT_DER) < 0)
			rc = ACCORD_ERR_CRYPTO;
		gnutls_free(d.data);
	}
	if (rc)
		rc = accord_err(err, rc, s->id, "cannot copy the issuer certificate");
out:
	for (size_t i = 0; i < nh; i++)
		gnutls_x509_crt_deinit(helpers[i]);
	if (rc) {
		gnutls_x509_crt_deinit(*crt);
		gnutls_x509_crt_deinit(*issuer);
		*crt = *issuer = NULL;
	}
	return rc;
}

/* The OCSP request for crt: SHA-1 CertID (RFC 5019 2.1.1: what every responder and
 * DigiDoc read; it only names the certificate), with a nonce when nonce is not NULL. */
static int ocsp_request_build(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
			      const unsigned char *nonce, size_t nonce_len, unsigned char **der,
			      size_t *len, accord_error *err)
{
	accord_ocsp_certid id;
	unsigned char ext[2 + 64];
	size_t sl = sizeof id.serial, hl = 0;
	int rc;

	memset(&id, 0, sizeof id);
	id.alg = GNUTLS_DIG_SHA1;
	snprintf(id.alg_oid, sizeof id.alg_oid, "1.3.14.3.2.26");
	id.params_null = 1;
	rc = accord_ocsp_issuer_hashes(issuer, GNUTLS_DIG_SHA1, id.name_hash, id.key_hash, &hl, err);
	if (rc)
		return rc;
	id.name_hash_len = id.key_hash_len = hl;
	if (gnutls_x509_crt_get_serial(crt, id.serial, &sl) < 0)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "OCSP request", "the certificate's serial number is too long");
	id.serial_len = sl;
	if (!nonce)
		return accord_ocsp_req_build(&id, 1, NULL, 0, der, len, err);
	/* the nonce extension's value: an OCTET STRING (RFC 8954) */
	if (nonce_len > 64)
		return accord_err(err, ACCORD_ERR_USAGE, "OCSP request", "nonce too long");
	ext[0] = 0x04;
	ext[1] = (unsigned char)nonce_len;
	memcpy(ext + 2, nonce, nonce_len);
	return accord_ocsp_req_build(&id, 1, ext, nonce_len + 2, der, len, err);
}

static const char *ocsp_status_name(int status)
{
	switch (status) {
	case GNUTLS_OCSP_RESP_MALFORMEDREQUEST: return "malformedRequest";
	case GNUTLS_OCSP_RESP_INTERNALERROR: return "internalError";
	case GNUTLS_OCSP_RESP_TRYLATER: return "tryLater";
	case GNUTLS_OCSP_RESP_SIGREQUIRED: return "sigRequired";
	case GNUTLS_OCSP_RESP_UNAUTHORIZED: return "unauthorized";
	default: return "an unknown status";
	}
}

/* Judge one OCSP response for crt with the trust engine (verify/revocation.c): it must
 * verify (issuer, a responder the issuer certified, or one trusted directly), speak of
 * crt, say good, pass the crypto policy and be produced at or after fresh_after (the
 * signature timestamp). *speaks: 0 when it does not speak of crt at all (no error then).
 * With nonce: the reply must echo it. */
static int ocsp_judge(const lt_sources *src, const unsigned char *der, size_t len,
		      gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, time_t fresh_after,
		      const unsigned char *nonce, size_t nonce_len, const char *where,
		      int *speaks, accord_error *err)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len}, got = {NULL, 0};
	accord_trust t = src->tl;
	accord_rev rev;
	char cn[200];
	unsigned crit = 0;
	int rc = ACCORD_OK, st;

	*speaks = 0;
	accord_crt_cn(crt, cn, sizeof cn);
	if (gnutls_ocsp_resp_init(&resp) < 0)
		return accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
	if (gnutls_ocsp_resp_import(resp, &d) < 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "the reply is not a DER OCSP response");
		goto out;
	}
	st = gnutls_ocsp_resp_get_status(resp);
	if (st != GNUTLS_OCSP_RESP_SUCCESSFUL) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "the OCSP responder answered %s for '%s'",
				ocsp_status_name(st), cn);
		goto out;
	}
	if (nonce) {
		if (gnutls_ocsp_resp_get_nonce(resp, &crit, &got) < 0 || got.size != nonce_len ||
		    memcmp(got.data, nonce, nonce_len)) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, where,
					"the OCSP response does not echo the request's nonce (a replayed or misdirected answer)");
			goto out;
		}
	}
	t.ocsps = &resp;
	t.n_ocsps = 1;
	t.crls = NULL;
	t.n_crls = 0;
	t.report = NULL;
	t.cache = NULL;
	rc = accord_revocation_check(&t, crt, issuer, time(NULL), fresh_after, 0, &rev, err);
	if (rc)
		goto out;
	switch (rev.status) {
	case ACCORD_REV_GOOD:
		*speaks = 1;
		break;
	case ACCORD_REV_REVOKED:
		*speaks = 1;
		rc = accord_err(err, ACCORD_ERR_PERM, where, "certificate '%s' is %s: not embedded", cn, rev.text);
		break;
	case ACCORD_REV_UNUSABLE:
		*speaks = 1;
		rc = accord_err(err, ACCORD_ERR_FORMAT, where, "no usable OCSP response for certificate '%s': %s; not embedded",
				cn, rev.text);
		break;
	default:
		if (nonce)
			rc = accord_err(err, ACCORD_ERR_FORMAT, where, "the OCSP response does not speak of certificate '%s'", cn);
		break;
	}
out:
	gnutls_free(got.data);
	gnutls_ocsp_resp_deinit(resp);
	return rc;
}

/* Ask the OCSP source (URL or local responder folder) about crt; *der malloc'd, checked. */
static int ocsp_obtain(const lt_sources *src, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
		       time_t fresh_after, unsigned char **der, size_t *len, accord_error *err)
{
	const accord_extend_options *opt = src->opt;
	const char *where = opt->ocsp_url ? opt->ocsp_url : opt->ocsp_dir;
	unsigned char nonce[32], *req = NULL;
	size_t req_len = 0;
	int speaks = 0, rc;

	*der = NULL;
	*len = 0;
	if (gnutls_rnd(GNUTLS_RND_NONCE, nonce, sizeof nonce) < 0)
		return accord_err(err, ACCORD_ERR_CRYPTO, "random", "gnutls_rnd failed");
	rc = ocsp_request_build(crt, issuer, nonce, sizeof nonce, &req, &req_len, err);
	if (!rc && opt->ocsp_url)
		rc = accord_ocsp_http_query(opt->ocsp_url, req, req_len, der, len, err);
	else if (!rc)
		rc = accord_ocsp_respond_dir(opt->ocsp_dir, opt->ocsp_passphrase, req, req_len, der, len, err);
	if (!rc)
		rc = ocsp_judge(src, *der, *len, crt, issuer, fresh_after, nonce, sizeof nonce, where, &speaks, err);
	free(req);
	if (rc) {
		free(*der);
		*der = NULL;
	}
	return rc;
}

/* Does the signature already embed a good response for crt? Then nothing is asked. */
static int has_good_ocsp(const accord_xsig *s, const lt_sources *src, gnutls_x509_crt_t crt,
			 gnutls_x509_crt_t issuer, time_t fresh_after)
{
	accord_ltv l;
	accord_error e;
	accord_rev rev;
	accord_trust t = src->tl;
	int good = 0;

	accord_error_clear(&e);
	if (accord_ltv_load(s, &l, &e))
		return 0;
	t.ocsps = l.ocsps;
	t.n_ocsps = l.n_ocsps;
	good = l.n_ocsps && !accord_revocation_check(&t, crt, issuer, time(NULL), fresh_after, 0, &rev, &e) &&
	       rev.status == ACCORD_REV_GOOD;
	accord_ltv_clear(&l);
	return good;
}

/* der's certificates (an OCSP response's, the responder's) and their paths into certs. */
static int add_ocsp_certs(der_list *certs, const unsigned char *der, size_t len, const lt_sources *src)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	gnutls_x509_crt_t *rc_certs = NULL;
	size_t nc = 0;
	int rc = ACCORD_OK;

	if (gnutls_ocsp_resp_init(&resp) < 0)
		return ACCORD_ERR_NOMEM;
	if (gnutls_ocsp_resp_import(resp, &d) >= 0 && gnutls_ocsp_resp_get_certs(resp, &rc_certs, &nc) >= 0)
		for (size_t i = 0; i < nc; i++) {
			if (!rc)
				rc = der_list_add(certs, rc_certs[i]);
			if (!rc)
				rc = add_path(certs, rc_certs[i], &src->tl, NULL, 0);
			gnutls_x509_crt_deinit(rc_certs[i]);
		}
	gnutls_free(rc_certs);
	gnutls_ocsp_resp_deinit(resp);
	return rc;
}

/* The OCSP responses for the signer: the files given that speak of it, or one asked
 * from the source, unless a good one is embedded already. */
static int collect_ocsp(const accord_xsig *s, lt_sources *src, time_t fresh_after,
			der_list *certs, der_list *ocsps, accord_error *err)
{
	const accord_extend_options *opt = src->opt;
	gnutls_x509_crt_t crt = NULL, issuer = NULL;
	int rc, have_good;

	if (!opt->ocsp_url && !opt->ocsp_dir && !src->ocsp_files.n)
		return ACCORD_OK;
	if (!s->n_ts)
		rc = accord_err(err, ACCORD_ERR_USAGE, s->id,
				"the signature has no timestamp: OCSP evidence must be produced after one (DigiDoc checks it); timestamp it first (--tsa, --tsa-dir, or accord timestamp request/attach)");
	else
		rc = signer_and_issuer(s, src, &crt, &issuer, err);
	if (rc && !opt->ocsp_url && !opt->ocsp_dir && !opt->signature_id) {
		/* response files only, for whichever signature they speak of: this one cannot
		 * take one; said only if no signature does */
		size_t wl = strnlen(err->where, 100);
		snprintf(src->skipped, sizeof src->skipped, "%.*s: %.400s", (int)wl, err->where, err->why);
		accord_error_clear(err);
		return ACCORD_OK;
	}
	have_good = !rc && has_good_ocsp(s, src, crt, issuer, fresh_after);
	for (size_t i = 0; !rc && i < src->ocsp_files.n; i++) {
		int speaks = 0;
		rc = ocsp_judge(src, src->ocsp_files.der[i], src->ocsp_files.len[i], crt, issuer, fresh_after,
				NULL, 0, opt->ocsp_files[i], &speaks, err);
		if (!rc && speaks) {
			/* one good response per signer is what verifiers read: a second one
			 * (or the same one again) is not added */
			src->ocsp_attached++;
			if (!have_good && !value_present(s->unsigned_sig_props, "EncapsulatedOCSPValue", src->ocsp_files.der[i],
					   src->ocsp_files.len[i])) {
				rc = der_list_add_bytes(ocsps, src->ocsp_files.der[i], src->ocsp_files.len[i]);
				if (!rc)
					rc = add_ocsp_certs(certs, src->ocsp_files.der[i], src->ocsp_files.len[i], src);
				if (rc)
					rc = accord_err(err, rc, s->id, "out of memory");
			}
		}
	}
	if (!rc && (opt->ocsp_url || opt->ocsp_dir) && !have_good && !ocsps->n) {
		unsigned char *der = NULL;
		size_t len = 0;
		rc = ocsp_obtain(src, crt, issuer, fresh_after, &der, &len, err);
		if (!rc) {
			rc = der_list_add_bytes(ocsps, der, len);
			if (!rc)
				rc = add_ocsp_certs(certs, der, len, src);
			if (rc)
				rc = accord_err(err, rc, s->id, "out of memory");
		}
		free(der);
	}
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(issuer);
	return rc;
}

/* LT for one signature: the certificate paths of the signer, its TSAs and OCSP
 * responders, the CRLs and OCSP responses, each unless it is embedded already. */
static int add_lt(accord_xsig *s, lt_sources *src, int *changed, accord_error *err)
{
	der_list certs, ocsps, new_certs, new_crls, new_ocsps;
	gnutls_x509_crt_t crt = NULL;
	xmlNodePtr usp;
	time_t first_ts = 0;
	int rc = ACCORD_OK, was_lt;

	memset(&certs, 0, sizeof certs);
	memset(&ocsps, 0, sizeof ocsps);
	memset(&new_certs, 0, sizeof new_certs);
	memset(&new_crls, 0, sizeof new_crls);
	memset(&new_ocsps, 0, sizeof new_ocsps);
	usp = accord_xades_unsigned_props(s->node, err);
	if (!usp)
		return err->code;
	s->unsigned_sig_props = usp;
	*changed = 0;
	was_lt = has_child(usp, ACCORD_NS_XADES, "CertificateValues");
	/* The signer's path: its issuers (the signer's own certificate is in KeyInfo). */
	for (size_t i = 0; i < s->n_certs && !rc; i++) {
		gnutls_datum_t d = {s->certs[i], (unsigned)s->cert_lens[i]};
		if (gnutls_x509_crt_init(&crt) < 0)
			return accord_err(err, ACCORD_ERR_NOMEM, s->id, "out of memory");
		if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0)
			rc = add_path(&certs, crt, &src->tl, NULL, 0);
		gnutls_x509_crt_deinit(crt);
	}
	/* Each TSA certificate and its path; the first genTime. */
	for (size_t i = 0; i < s->n_ts && !rc; i++) {
		accord_tst_result res;
		gnutls_digest_algorithm_t alg = GNUTLS_DIG_UNKNOWN;
		unsigned char d[64];
		size_t dl = 0;
		memset(&res, 0, sizeof res);
		if (accord_tst_imprint_alg(s->ts_tokens[i], s->ts_lens[i], &alg, err) == ACCORD_OK &&
		    accord_sigvalue_imprint(s->sig_value_node, s->ts_c14n[i], alg, d, &dl, err) == ACCORD_OK &&
		    accord_tst_check(s->ts_tokens[i], s->ts_lens[i], alg, d, dl, NULL, 0, NULL, 0,
				     &res, err) == ACCORD_OK) {
			if (res.gen_time && (!first_ts || res.gen_time < first_ts))
				first_ts = res.gen_time;
			if (res.tsa_cert_der) {
				gnutls_datum_t der = {res.tsa_cert_der, (unsigned)res.tsa_cert_der_len};
				if (gnutls_x509_crt_init(&crt) >= 0) {
					if (gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER) >= 0) {
						rc = der_list_add(&certs, crt);
						if (!rc)
							rc = add_path(&certs, crt, &src->tl, NULL, 0);
					}
					gnutls_x509_crt_deinit(crt);
				}
			}
		}
		accord_tst_result_clear(&res);
	}
	if (rc) {
		rc = accord_err(err, rc, s->id, "cannot collect the certificate paths");
		goto out;
	}
	rc = collect_ocsp(s, src, first_ts, &certs, &ocsps, err);
	if (rc)
		goto out;
	if (!was_lt && !certs.n && !src->crls.n && !ocsps.n) {
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, s->id,
				"no issuer certificate found for the signer: give the trust anchors with --trust");
		goto out;
	}
	if (der_list_missing(usp, "EncapsulatedX509Certificate", &certs, &new_certs) ||
	    der_list_missing(usp, "EncapsulatedCRLValue", &src->crls, &new_crls) ||
	    der_list_missing(usp, "EncapsulatedOCSPValue", &ocsps, &new_ocsps)) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, s->id, "out of memory");
		goto out;
	}
	/* Already LT: only new revocation data (and the certificates it brings) go in. */
	if (was_lt && !new_crls.n && !new_ocsps.n)
		goto out;
	if (!was_lt && !new_certs.n) {
		/* an empty CertificateValues still marks the signature as LT */
		if (!xmlNewChild(usp, usp->ns, (const xmlChar *)"CertificateValues", NULL))
			rc = ACCORD_ERR_NOMEM;
	}
	if (!rc)
		rc = add_validation_data(usp, &new_certs, &new_crls, &new_ocsps);
	if (rc)
		rc = accord_err(err, rc, s->id, "out of memory");
	else
		*changed = 1;
out:
	der_list_unref(&new_certs);
	der_list_unref(&new_crls);
	der_list_unref(&new_ocsps);
	der_list_clear(&certs);
	der_list_clear(&ocsps);
	return rc;
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
		rc = der_list_add_bytes(l, out.data, out.size);
		gnutls_free(out.data);
		if (rc)
			return accord_err(err, rc, opt->crls[i], "out of memory");
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
	lt_sources src;
	accord_new_entry *entries = NULL;
	xmlChar **texts = NULL;
	int rc;

	memset(&src, 0, sizeof src);
	if (opt->level == ACCORD_LEVEL_LTA && !opt->tsa_url && !opt->tsa_dir)
		return accord_err(err, ACCORD_ERR_USAGE, package, "LTA needs a TSA (--tsa or --tsa-dir)");
	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (!rc)
		rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (!rc)
		rc = lt_sources_open(opt, &src, err);
	if (rc)
		goto out;
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
			rc = add_lt(&files[f].sigs[i], &src, &changed, err);
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
	if (src.ocsp_files.n && !src.ocsp_attached) {
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, opt->ocsp_files[0],
				"the OCSP response speaks of no signer of %s%s%s", opt->signature_id ? opt->signature_id : package,
				src.skipped[0] ? "; skipped " : "", src.skipped);
		goto out;
	}
	if (!count) {
		int any = 0;
		for (size_t f = 0; f < nf; f++)
			for (size_t i = 0; i < files[f].n_sigs; i++)
				any |= !opt->signature_id || !strcmp(files[f].sigs[i].id, opt->signature_id);
		rc = any ? accord_err(err, ACCORD_ERR_EXISTS, package,
				      src.ocsp_attached ? "a good OCSP response for the signer is embedded already; nothing to add"
							: "the signatures already carry LT data; nothing to add (--crl and --ocsp add revocation data)")
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
	lt_sources_clear(&src);
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
	int fd = -1, rc = accord_writer_lock(package, &fd, &real, err);

	if (rc)
		return rc;
	rc = accord_extend_unlocked(real, opt, n_extended, err);
	accord_writer_unlock(fd);
	free(real);
	return rc;
}

int accord_lt_file(const unsigned char *xml, size_t len, const char *name, const char *sig_id,
		   const accord_extend_options *opt, unsigned char **out, size_t *out_len,
		   accord_error *err)
{
	accord_xsig_file f;
	accord_xsig *s = NULL;
	lt_sources src;
	xmlChar *text = NULL;
	int changed = 0, text_len = 0, rc;

	*out = NULL;
	*out_len = 0;
	memset(&f, 0, sizeof f);
	rc = lt_sources_open(opt, &src, err);
	if (rc)
		return rc;
	rc = accord_xades_parse(xml, len, name, &f, err);
	for (size_t i = 0; !rc && i < f.n_sigs; i++)
		if (!strcmp(f.sigs[i].id, sig_id))
			s = &f.sigs[i];
	if (!rc && !s)
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, name, "signature '%s' not found", sig_id);
	if (!rc)
		rc = add_lt(s, &src, &changed, err);
	if (!rc && src.ocsp_files.n && !src.ocsp_attached)
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, opt->ocsp_files[0],
				"the OCSP response does not speak of the signer of %s", sig_id);
	if (!rc) {
		xmlDocDumpMemoryEnc(f.doc, &text, &text_len, "UTF-8");
		if (!text)
			rc = accord_err(err, ACCORD_ERR_NOMEM, name, "cannot serialise");
	}
	if (!rc) {
		*out = text;
		*out_len = (size_t)text_len;
	}
	accord_xades_file_clear(&f);
	lt_sources_clear(&src);
	return rc;
}

static int has_element(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr k = accord_xml_first_element(parent); k; k = accord_xml_next_element(k))
		if (accord_xml_is(k, ACCORD_NS_XADES, name) || has_element(k, name))
			return 1;
	return 0;
}

/* A timestamped signature without OCSP values yet: what `accord ocsp request` picks. */
static int wants_ocsp(const accord_xsig *s)
{
	return s->n_ts && !(s->unsigned_sig_props && has_element(s->unsigned_sig_props, "EncapsulatedOCSPValue"));
}

int accord_ocsp_request(const char *package, const accord_extend_options *opt,
			const char *out_path, char *id_out, size_t id_len, accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	accord_xsig_file *files = NULL;
	accord_error *errs = NULL;
	accord_xsig *s = NULL;
	size_t nf = 0, fi = 0, req_len = 0;
	lt_sources src;
	gnutls_x509_crt_t crt = NULL, issuer = NULL;
	unsigned char *req = NULL;
	int rc;

	memset(&src, 0, sizeof src);
	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (!rc)
		rc = accord_xades_parse_all(c, &files, &errs, &nf, err);
	if (!rc)
		rc = accord_pick_signature(c, files, nf, opt->signature_id, wants_ocsp,
					   "no timestamped signature without OCSP values (name one with --signature)",
					   &s, &fi, err);
	if (!rc && !s->n_ts)
		rc = accord_err(err, ACCORD_ERR_USAGE, s->id,
				"the signature has no timestamp: OCSP evidence must be produced after one; timestamp it first");
	if (!rc)
		rc = lt_sources_open(opt, &src, err);
	if (!rc)
		rc = signer_and_issuer(s, &src, &crt, &issuer, err);
	if (!rc)
		rc = ocsp_request_build(crt, issuer, NULL, 0, &req, &req_len, err);
	if (!rc)
		rc = accord_file_write_atomic(out_path, req, req_len, 0644, 1, err);
	if (!rc && id_out)
		snprintf(id_out, id_len, "%s", s->id);
	free(req);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(issuer);
	lt_sources_clear(&src);
	accord_xades_free_all(files, errs, nf);
	accord_container_free(c);
	return rc;
}
