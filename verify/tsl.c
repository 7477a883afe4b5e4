/* verify/tsl.c — trusted lists (ETSI TS 119 612) as trust sources. A list counts only when
 * its enveloped signature verifies with exactly the certificate the user names; then each
 * service's certificates become anchors of the one trust engine, scoped by the service's
 * type (CA: signer paths; TSA: timestamp paths; Certstatus/OCSP: OCSP responders) and by
 * the periods its status history grants. */
#include <string.h>
#include <gnutls/crypto.h>
#include "verify/verify.h"
#include "formats/tsl.h"

/* The purposes a service type gives (0: a type accord does not use). */
static unsigned type_purposes(const char *type)
{
	static const struct {
		const char *suffix;
		int prefix_only;
		accord_purpose purpose;
	} types[] = {
		{"CA/QC", 0, ACCORD_PURPOSE_SIGNER},
		{"CA/PKC", 0, ACCORD_PURPOSE_SIGNER},
		{"NationalRootCA-QC", 0, ACCORD_PURPOSE_SIGNER},
		{"TSA", 0, ACCORD_PURPOSE_TSA},
		{"TSA/", 1, ACCORD_PURPOSE_TSA},           /* QTST, TSS-QC, TSS-AdESQCandQES */
		{"Certstatus/OCSP", 0, ACCORD_PURPOSE_OCSP},
		{"Certstatus/OCSP/QC", 0, ACCORD_PURPOSE_OCSP},
	};
	size_t pl = strlen(ACCORD_TSL_SVCTYPE);

	if (!type || strncmp(type, ACCORD_TSL_SVCTYPE, pl))
		return 0;
	type += pl;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i].prefix_only ? !strncmp(type, types[i].suffix, strlen(types[i].suffix))
					 : !strcmp(type, types[i].suffix))
			return 1u << types[i].purpose;
	return 0;
}

/* Statuses under which a service is trusted: granted (EU, v5), and the earlier and
 * national forms that meant the same (under supervision, accredited, ...). Withdrawn,
 * revoked, ceased and deprecated are not. */
static int granted(const char *status)
{
	static const char *const ok[] = {"granted", "undersupervision", "supervisionincessation",
					 "accredited", "recognisedatnationallevel"};
	const char *last = status ? strrchr(status, '/') : NULL;

	if (!last || strncmp(status, "http://uri.etsi.org/TrstSvc/", 28))
		return 0;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(last + 1, ok[i]))
			return 1;
	return 0;
}

/* The periods of a service. The current status ([0]) holds from its StatusStartingTime
 * on, with no end: nothing in the history outlives it. A history entry counts only when it
 * started before the current status, and holds until the next newer history entry or the
 * current status, whichever comes first. The granted ones of a usable type become periods. */
static void add_period(accord_anchor_scope *scope, const accord_tsl_status *st, time_t until)
{
	unsigned purposes = granted(st->status) ? type_purposes(st->type) : 0;

	if (!purposes || scope->n_periods >= ACCORD_SCOPE_MAX_PERIODS)
		return;
	scope->periods[scope->n_periods].from = st->since;
	scope->periods[scope->n_periods].until = until;
	scope->periods[scope->n_periods++].purposes = purposes;
}

static void service_scope(const accord_tsl_service *s, const char *file, accord_anchor_scope *scope)
{
	size_t order[ACCORD_SCOPE_MAX_PERIODS], n = 0;
	const accord_tsl_status *cur = &s->statuses[0];

	memset(scope, 0, sizeof *scope);
	/* The history entries older than the current status, in time order. */
	for (size_t i = 1; i < s->n_statuses && n < ACCORD_SCOPE_MAX_PERIODS - 1; i++) {
		size_t k;
		if (s->statuses[i].since >= cur->since)
			continue;
		k = n++;
		while (k && s->statuses[order[k - 1]].since > s->statuses[i].since) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
	for (size_t k = 0; k < n; k++)
		add_period(scope, &s->statuses[order[k]],
			   k + 1 < n ? s->statuses[order[k + 1]].since : cur->since);
	add_period(scope, cur, 0);
	snprintf(scope->source, sizeof scope->source, "trusted list %.150s: %.90s", file,
		 cur->type + (strncmp(cur->type, ACCORD_TSL_SVCTYPE, strlen(ACCORD_TSL_SVCTYPE))
				      ? 0 : strlen(ACCORD_TSL_SVCTYPE)));
}

static int same_der(gnutls_x509_crt_t crt, const unsigned char *der, size_t len)
{
	gnutls_datum_t d = {NULL, 0};
	int same = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d) >= 0 && d.size == len &&
		   !memcmp(d.data, der, len);

	gnutls_free(d.data);
	return same;
}

/* The list's signature: KeyInfo names exactly the given certificate; every reference's
 * digest matches; the value verifies with that certificate's key; the algorithms pass the
 * crypto policy now (a list is judged as of today). */
static int check_signature(const accord_tsl *l, gnutls_x509_crt_t cert, const char *file,
			   accord_error *err)
{
	accord_crypto_verdict v;
	char why[300];
	int named = 0;

	for (size_t i = 0; i < l->n_key_certs; i++)
		named |= same_der(cert, l->key_certs[i], l->key_cert_lens[i]);
	if (!named)
		return accord_err(err, ACCORD_ERR_CRYPTO, file,
				  "the trusted list is not signed with the given --tsl-cert (its KeyInfo names %s)",
				  l->n_key_certs ? "another certificate" : "no certificate");
	memset(&v, 0, sizeof v);
	if (!l->sig_alg || l->sig_alg->weak || !accord_crypto_sign_ok(l->sig_alg->gnutls, time(NULL), 0, &v) ||
	    !accord_crypto_crt_key_ok(cert, time(NULL), &v))
		return accord_err(err, ACCORD_ERR_CRYPTO, file, "the trusted list's signature method '%s' is refused%s%s",
				  l->sig_uri ? l->sig_uri : "", v.message[0] ? ": " : "", v.message);
	for (size_t i = 0; i < l->n_refs; i++) {
		const accord_tsl_ref *r = &l->refs[i];
		unsigned char *canon = NULL, d[64];
		size_t len = 0;
		int rc;
		if (!r->digest_alg || r->digest_alg->weak)
			return accord_err(err, ACCORD_ERR_CRYPTO, file, "the trusted list's digest method '%s' is refused",
					  r->digest_uri ? r->digest_uri : "");
		rc = accord_c14n_node_without(r->target, r->enveloped ? l->signature : NULL, r->c14n,
					      r->prefixes, &canon, &len, err);
		if (rc)
			return rc;
		rc = gnutls_hash_fast(r->digest_alg->gnutls, canon, len, d);
		xmlFree(canon);
		if (rc < 0)
			return accord_err(err, ACCORD_ERR_CRYPTO, file, "gnutls_hash_fast failed");
		if (r->digest_len != r->digest_alg->len || gnutls_memcmp(d, r->digest, r->digest_len))
			return accord_err(err, ACCORD_ERR_CRYPTO, file, "the trusted list was changed after it was signed (%s does not match its digest)",
					  r->enveloped ? "the list" : "the signed properties");
	}
	if (accord_xmldsig_value_check(cert, l->sig_alg, l->sig_uri, l->signed_info, l->c14n_uri,
				       l->c14n_prefixes, l->sig_value, l->sig_value_len, why,
				       sizeof why) != ACCORD_XMLDSIG_OK)
		return accord_err(err, ACCORD_ERR_CRYPTO, file, "the trusted list's signature: %s", why);
	return ACCORD_OK;
}

/* Append one anchor and its scope. */
static int add_anchor(accord_tsl_anchors *a, const unsigned char *der, size_t len,
		      const accord_anchor_scope *scope)
{
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	gnutls_x509_crt_t crt = NULL, *g;
	accord_anchor_scope *sg;

	if (gnutls_x509_crt_init(&crt) < 0)
		return ACCORD_ERR_NOMEM;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(crt);
		return ACCORD_ERR_FORMAT;
	}
	g = gnutls_realloc(*a->anchors, (*a->n + 1) * sizeof *g);
	if (g)
		*a->anchors = g;
	sg = g ? realloc(*a->scopes, (*a->n + 1) * sizeof *sg) : NULL;
	if (!sg) {
		gnutls_x509_crt_deinit(crt);
		return ACCORD_ERR_NOMEM;
	}
	*a->scopes = sg;
	g[*a->n] = crt;
	sg[(*a->n)++] = *scope;
	return ACCORD_OK;
}

static void describe(const accord_tsl *l, const char *file, gnutls_x509_crt_t cert, accord_tsl_report *out)
{
	unsigned char fp[32];

	memset(out, 0, sizeof *out);
	snprintf(out->file, sizeof out->file, "%s", file);
	snprintf(out->operator_name, sizeof out->operator_name, "%s", l->operator_name);
	snprintf(out->territory, sizeof out->territory, "%s", l->territory ? l->territory : "");
	out->sequence = l->sequence;
	out->issued = l->issued;
	out->next_update = l->next_update;
	out->n_services = l->n_services;
	accord_crt_cn(cert, out->signer, sizeof out->signer);
	if (accord_crt_sha256(cert, fp) == 0)
		accord_hex(fp, 32, out->signer_fingerprint);
}

int accord_tsl_add(const char *file, const char *cert_file, accord_tsl_anchors *a,
		   accord_report *r, accord_tsl_report *out, accord_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0, n_certs = 0;
	gnutls_x509_crt_t *certs = NULL;
	accord_anchor_scope *scope = NULL;
	accord_tsl l;
	time_t now = time(NULL);
	int rc;

	memset(&l, 0, sizeof l);
	rc = accord_crt_list_load(cert_file, &certs, &n_certs, err);
	if (rc)
		return rc;
	if (n_certs != 1) {
		rc = accord_err(err, ACCORD_ERR_USAGE, cert_file, "--tsl-cert must hold exactly one certificate");
		goto out;
	}
	rc = accord_file_read(file, ACCORD_TSL_MAX_BYTES, &buf, &len, err);
	if (rc == ACCORD_ERR_LIMIT)
		rc = accord_err(err, ACCORD_ERR_LIMIT, file, "a trusted list over %u bytes is refused", ACCORD_TSL_MAX_BYTES);
	if (!rc)
		rc = accord_tsl_parse(buf, len, file, &l, err);
	if (!rc)
		rc = check_signature(&l, certs[0], file, err);
	if (rc)
		goto out;
	describe(&l, file, certs[0], out);
	if (!l.next_update)
		accord_finding_add(r, "ETSI TS 119 612 5.3.15: NextUpdate", file,
				   "the trusted list has no NextUpdate: it is a closed list (the scheme has ended); it was used, but nobody keeps it current");
	else if (l.next_update < now) {
		char when[40];
		accord_time_format(l.next_update, when, sizeof when);
		accord_finding_add(r, "ETSI TS 119 612 5.3.15: NextUpdate", file,
				   "the trusted list's NextUpdate (%s) has passed: it was used, but a newer list may withdraw what it grants", when);
	}
	if (now > gnutls_x509_crt_get_expiration_time(certs[0]) || now < gnutls_x509_crt_get_activation_time(certs[0]))
		accord_finding_add(r, "ETSI TS 119 612 5.7: scheme operator certificate", file,
				   "the certificate that signed the trusted list is not valid today");
	scope = accord_calloc(1, sizeof *scope);
	if (!scope) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, file, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < l.n_services; i++) {
		const accord_tsl_service *s = &l.services[i];
		size_t added = 0;
		if (!s->n_certs) {
			if (s->n_other_ids)
				accord_finding_add(r, "ETSI TS 119 612 5.5.3: service digital identity", file,
						   "service '%.100s' is identified without a certificate (X509SKI or another form): it was ignored",
						   s->name ? s->name : "");
			continue;
		}
		service_scope(s, file, scope);
		if (!scope->n_periods)
			continue; /* a type accord does not use, or never granted */
		for (size_t k = 0; k < s->n_certs; k++) {
			rc = add_anchor(a, s->certs[k], s->cert_lens[k], scope);
			if (rc == ACCORD_ERR_FORMAT) {
				accord_finding_add(r, "ETSI TS 119 612 5.5.3: service digital identity", file,
						   "a certificate of service '%.100s' cannot be read: it was ignored",
						   s->name ? s->name : "");
				continue;
			}
			if (rc) {
				rc = accord_err(err, rc, file, "out of memory");
				goto out;
			}
			added++;
		}
		out->n_anchors += added;
		out->n_used += added ? 1 : 0;
	}
	rc = ACCORD_OK;
out:
	free(scope);
	accord_tsl_clear(&l);
	free(buf);
	accord_crt_list_free(certs, n_certs);
	return rc;
}
