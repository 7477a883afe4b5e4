/* ocsp/responder.c — the OCSP responder: its folder (key, certificate, the CA's
 * certificate, configuration), and answering requests from the CA's records. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include "ocsp/ocsp_internal.h"
#include "verify/verify.h" /* ACCORD_OID_KP_OCSP_SIGNING */

#define MAX_CONF (16 * 1024)
#define DEFAULT_NEXT_UPDATE_HOURS 24
#define MAX_NEXT_UPDATE_HOURS (24 * 31)

static const gnutls_digest_algorithm_t issuer_digests[OCSP_ISSUER_DIGESTS] = {
	GNUTLS_DIG_SHA1, GNUTLS_DIG_SHA256, GNUTLS_DIG_SHA384, GNUTLS_DIG_SHA512,
};

static int ocsp_path(char *buf, size_t n, const char *dir, const char *file, accord_error *err)
{
	if (snprintf(buf, n, "%s/%s", dir, file) >= (int)n)
		return accord_err(err, ACCORD_ERR_USAGE, dir, "path too long");
	return ACCORD_OK;
}

/* ---- ocsp.conf ---- */

static const char conf_template[] =
	"# accord OCSP responder configuration (read by `accord ocsp respond` and `serve`).\n"
	"# records: the CA's records of what it issued and revoked (OpenSSL index.txt\n"
	"# format, kept by `accord keys issue` and `accord keys revoke` beside the CA key).\n"
	"# The responder reads them for every request: a revocation counts at once.\n"
	"records = %s\n"
	"# next_update_hours: nextUpdate = thisUpdate + this (1..744).\n"
	"next_update_hours = %d\n";

static int conf_setting(void *ud, const char *key, const char *val, int lineno,
			const char *path, accord_error *err)
{
	accord_ocsp *o = ud;

	if (!strcmp(key, "records")) {
		if (val[0] != '/' || strlen(val) >= sizeof o->records)
			return accord_err(err, ACCORD_ERR_FORMAT, path,
					  "line %d: records must be an absolute path", lineno);
		snprintf(o->records, sizeof o->records, "%s", val);
	} else if (!strcmp(key, "next_update_hours")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);
		if (*end || !*val || v < 1 || v > MAX_NEXT_UPDATE_HOURS)
			return accord_err(err, ACCORD_ERR_FORMAT, path,
					  "line %d: next_update_hours '%s' is not 1..%d", lineno, val,
					  MAX_NEXT_UPDATE_HOURS);
		o->next_update_hours = (unsigned)v;
	} else {
		return accord_err(err, ACCORD_ERR_FORMAT, path, "line %d: unknown setting '%s'", lineno,
				  key);
	}
	return ACCORD_OK;
}

/* ---- init ---- */

/* The records' absolute path: the folder resolved, the file name kept (the file itself
 * may not exist yet). */
static int absolute_records(const accord_issuer *ca, char *out, size_t n, accord_error *err)
{
	char rel[4096], dir[4096], real[PATH_MAX];
	const char *slash;
	int rc;

	rc = accord_ca_records_path(ca->key_path, ca->cert_path, rel, sizeof rel, err);
	if (rc != ACCORD_OK)
		return rc;
	slash = strrchr(rel, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - rel) : 1, slash ? rel : ".");
	if (slash == rel)
		snprintf(dir, sizeof dir, "/");
	if (!realpath(dir, real))
		return accord_err(err, ACCORD_ERR_IO, dir, "cannot resolve: %s", strerror(errno));
	if (snprintf(out, n, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : rel) >= (int)n)
		return accord_err(err, ACCORD_ERR_USAGE, rel, "path too long");
	return ACCORD_OK;
}

int accord_ocsp_init(const char *dir, const accord_service_init_options *opt, accord_error *err)
{
	static const char *const files[] = {"ocsp.key", "ocsp.crt", "ocsp.conf", "ca.crt"};
	const accord_issuer *ca = opt ? opt->ca : NULL;
	char records[4096], p[4096], conf[4096 + 1024];
	int rc, n;

	if (!dir || !*dir || !opt || !opt->id.name || !*opt->id.name)
		return accord_err(err, ACCORD_ERR_USAGE, "ocsp init", "a folder and a name are needed");
	if (!ca)
		return accord_err(err, ACCORD_ERR_USAGE, "ocsp init",
				  "a responder is issued by its CA: --ca-key and --ca-cert are needed");
	if (opt->algo == ACCORD_ALGO_ED25519)
		return accord_err(err, ACCORD_ERR_USAGE, "ocsp init",
				  "the responder signs with SHA-256: ecdsa-p256 or rsa3072, not ed25519");
	rc = absolute_records(ca, records, sizeof records, err);
	if (rc != ACCORD_OK)
		return rc;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return accord_err(err, ACCORD_ERR_IO, dir, "cannot create folder: %s", strerror(errno));
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		rc = ocsp_path(p, sizeof p, dir, files[i], err);
		if (rc != ACCORD_OK)
			return rc;
		if (access(p, F_OK) == 0)
			return accord_err(err, ACCORD_ERR_EXISTS, p,
					  "file exists (a responder lives here), not overwritten");
	}
	rc = ocsp_path(p, sizeof p, dir, "ocsp", err);
	if (rc == ACCORD_OK)
		rc = accord_keys_generate(&(accord_keygen_options){.id = opt->id, .algo = opt->algo,
							  .kind = ACCORD_CERT_OCSP, .issuer = ca,
							  .passphrase = opt->passphrase},
					  p, err);
	if (rc == ACCORD_OK)
		rc = ocsp_path(p, sizeof p, dir, "ca.crt", err);
	if (rc == ACCORD_OK)
		rc = accord_crt_copy_first(ca->cert_path, p, err);
	if (rc == ACCORD_OK)
		rc = ocsp_path(p, sizeof p, dir, "ocsp.conf", err);
	if (rc != ACCORD_OK)
		return rc;
	n = snprintf(conf, sizeof conf, conf_template, records, DEFAULT_NEXT_UPDATE_HOURS);
	return accord_file_write_atomic(p, conf, (size_t)n, 0644, 1, err);
}

/* ---- open ---- */

void accord_ocsp_free(accord_ocsp *o)
{
	if (!o)
		return;
	accord_signer_free(o->signer);
	if (o->ca)
		gnutls_x509_crt_deinit(o->ca);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

/* RFC 6960 4.2.2.2: a delegated responder's certificate has id-kp-OCSPSigning and is
 * issued (and signed) by the CA it answers for. */
static int check_responder(const accord_ocsp *o, const char *crt_path, const char *ca_path,
			   accord_error *err)
{
	char oid[128];
	size_t n;
	unsigned critical = 0, verify = 0;
	int ok = 0;

	for (unsigned i = 0;; i++) {
		n = sizeof oid;
		if (gnutls_x509_crt_get_key_purpose_oid(o->signer->cert, i, oid, &n, &critical) < 0)
			break;
		ok |= !strcmp(oid, ACCORD_OID_KP_OCSP_SIGNING);
	}
	if (!ok)
		return accord_err(err, ACCORD_ERR_USAGE, crt_path,
				  "not an OCSP responder certificate: no OCSPSigning extended key usage");
	if (gnutls_x509_crt_verify(o->signer->cert, &o->ca, 1, 0, &verify) < 0 || verify != 0)
		return accord_err(err, ACCORD_ERR_USAGE, crt_path, "not issued by the CA in %s", ca_path);
	return ACCORD_OK;
}

int accord_ocsp_open(const char *dir, const char *passphrase, accord_ocsp **out,
		     accord_error *err)
{
	char key[4096], crt[4096], ca[4096], conf[4096];
	gnutls_x509_crt_t *list = NULL;
	size_t n = 0;
	accord_ocsp *o;
	int rc;

	*out = NULL;
	o = accord_calloc(1, sizeof *o);
	if (!o)
		return accord_err(err, ACCORD_ERR_NOMEM, dir, "out of memory");
	pthread_mutex_init(&o->lock, NULL);
	o->next_update_hours = DEFAULT_NEXT_UPDATE_HOURS;
	if ((rc = ocsp_path(key, sizeof key, dir, "ocsp.key", err)) != ACCORD_OK ||
	    (rc = ocsp_path(crt, sizeof crt, dir, "ocsp.crt", err)) != ACCORD_OK ||
	    (rc = ocsp_path(ca, sizeof ca, dir, "ca.crt", err)) != ACCORD_OK ||
	    (rc = ocsp_path(conf, sizeof conf, dir, "ocsp.conf", err)) != ACCORD_OK)
		goto out;
	rc = accord_conf_read(conf, MAX_CONF, conf_setting, o, err);
	if (rc == ACCORD_OK && !o->records[0])
		rc = accord_err(err, ACCORD_ERR_FORMAT, conf, "no 'records = PATH' setting");
	if (rc != ACCORD_OK)
		goto out;
	rc = accord_crt_list_load(ca, &list, &n, err);
	if (rc != ACCORD_OK)
		goto out;
	if (n == 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, ca, "no certificate");
		goto out;
	}
	o->ca = list[0];
	list[0] = NULL;
	rc = accord_signer_open(key, crt, passphrase, &o->signer, err);
	if (rc == ACCORD_OK)
		rc = check_responder(o, crt, ca, err);
	for (int i = 0; i < OCSP_ISSUER_DIGESTS && rc == ACCORD_OK; i++) {
		o->issuer[i].alg = issuer_digests[i];
		rc = accord_ocsp_issuer_hashes(o->ca, issuer_digests[i], o->issuer[i].name,
					       o->issuer[i].key, &o->issuer[i].len, err);
	}
	if (rc != ACCORD_OK)
		goto out;
	*out = o;
	o = NULL;
out:
	accord_crt_list_free(list, n);
	accord_ocsp_free(o);
	return rc;
}

/* ---- answering ---- */

/* Does the CertID name this responder's CA? */
static int names_our_ca(const accord_ocsp *o, const accord_ocsp_certid *id)
{
	for (int i = 0; i < OCSP_ISSUER_DIGESTS; i++) {
		if (o->issuer[i].alg != id->alg)
			continue;
		return id->name_hash_len == o->issuer[i].len && id->key_hash_len == o->issuer[i].len &&
		       !memcmp(id->name_hash, o->issuer[i].name, o->issuer[i].len) &&
		       !memcmp(id->key_hash, o->issuer[i].key, o->issuer[i].len);
	}
	return 0;
}

/* The status of each CertID from one reading of the records. */
static int lookup(const accord_ocsp *o, const accord_ocsp_req *q, accord_ocsp_single *singles,
		  time_t now, accord_error *err)
{
	char hex[ACCORD_OCSP_MAX_CERTIDS][2 * ACCORD_OCSP_MAX_SERIAL + 1];
	const char *serials[ACCORD_OCSP_MAX_CERTIDS];
	accord_ca_record recs[ACCORD_OCSP_MAX_CERTIDS];
	int found[ACCORD_OCSP_MAX_CERTIDS], rc;

	for (size_t i = 0; i < q->n_ids; i++) {
		if (accord_ca_serial_hex(q->ids[i].serial, q->ids[i].serial_len, hex[i], sizeof hex[i]))
			hex[i][0] = '\0';
		serials[i] = hex[i];
	}
	rc = accord_ca_records_find(o->records, serials, q->n_ids, recs, found, err);
	if (rc != ACCORD_OK)
		return rc;
	for (size_t i = 0; i < q->n_ids; i++) {
		accord_ocsp_single *s = &singles[i];
		memset(s, 0, sizeof *s);
		s->id = &q->ids[i];
		s->reason = -1;
		s->this_update = now;
		s->next_update = now + (time_t)o->next_update_hours * 3600;
		if (!found[i]) {
			s->status = ACCORD_OCSP_UNKNOWN; /* the CA never issued it */
		} else if (recs[i].revoked) {
			s->status = ACCORD_OCSP_REVOKED;
			s->revoked_at = recs[i].revoked_at;
			s->reason = recs[i].reason;
		} else {
			s->status = ACCORD_OCSP_GOOD;
		}
	}
	return ACCORD_OK;
}

/* Answer; *status is the OCSPResponseStatus sent, why says why it is not successful. */
static int respond(accord_ocsp *o, const unsigned char *req, size_t len, unsigned char **resp,
		   size_t *resp_len, int *status, char *why, size_t whylen, accord_error *err)
{
	accord_ocsp_req *q = NULL;
	accord_ocsp_single singles[ACCORD_OCSP_MAX_CERTIDS];
	accord_ocsp_resp_params p;
	accord_error perr;
	time_t now = time(NULL);
	int rc;

	*resp = NULL;
	*resp_len = 0;
	accord_error_clear(&perr);
	q = malloc(sizeof *q);
	if (!q)
		return accord_err(err, ACCORD_ERR_NOMEM, "OCSP request", "out of memory");
	if (accord_ocsp_req_parse(req, len, q, &perr) != ACCORD_OK) {
		*status = ACCORD_OCSP_MALFORMED_REQUEST;
		snprintf(why, whylen, "malformed request: %.300s", perr.why);
		goto error_status;
	}
	for (size_t i = 0; i < q->n_ids; i++) {
		if (!names_our_ca(o, &q->ids[i])) {
			*status = ACCORD_OCSP_UNAUTHORIZED;
			snprintf(why, whylen, "CertID %zu names another issuer (or hash %s)", i + 1,
				 q->ids[i].alg_oid);
			goto error_status;
		}
	}
	rc = lookup(o, q, singles, now, err);
	if (rc != ACCORD_OK) {
		/* Still answer (internalError), and report the failure to the operator. */
		*status = ACCORD_OCSP_INTERNAL_ERROR;
		snprintf(why, whylen, "the responder cannot read the CA's records");
		(void)accord_ocsp_resp_build_status(*status, resp, resp_len, &perr);
		free(q);
		return rc;
	}
	memset(&p, 0, sizeof p);
	p.produced_at = now;
	p.singles = singles;
	p.n_singles = q->n_ids;
	p.nonce = q->has_nonce ? q->nonce : NULL;
	p.nonce_len = q->nonce_len;
	p.key = o->signer->key;
	p.cert = o->signer->cert;
	p.cert_der = &o->signer->cert_der;
	*status = ACCORD_OCSP_SUCCESSFUL;
	pthread_mutex_lock(&o->lock);
	rc = accord_ocsp_resp_build(&p, resp, resp_len, err);
	pthread_mutex_unlock(&o->lock);
	if (rc != ACCORD_OK) {
		*status = ACCORD_OCSP_INTERNAL_ERROR;
		snprintf(why, whylen, "the responder could not sign");
		(void)accord_ocsp_resp_build_status(*status, resp, resp_len, &perr);
	}
	free(q);
	return rc;
error_status:
	free(q);
	return accord_ocsp_resp_build_status(*status, resp, resp_len, err);
}

int accord_ocsp_respond(accord_ocsp *o, const unsigned char *req, size_t len,
			unsigned char **resp, size_t *resp_len, accord_error *err)
{
	char why[400];
	int status;

	return respond(o, req, len, resp, resp_len, &status, why, sizeof why, err);
}

int accord_ocsp_respond_dir(const char *dir, const char *passphrase, const unsigned char *req,
			    size_t len, unsigned char **resp, size_t *resp_len, accord_error *err)
{
	accord_ocsp *o = NULL;
	int rc;

	*resp = NULL;
	*resp_len = 0;
	rc = accord_ocsp_open(dir, passphrase, &o, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_ocsp_respond(o, req, len, resp, resp_len, err);
	accord_ocsp_free(o);
	return rc;
}

int accord_ocsp_respond_file(accord_ocsp *o, const char *request_path,
			     const char *response_path, int overwrite, accord_error *err)
{
	unsigned char *req = NULL, *resp = NULL;
	size_t req_len = 0, resp_len = 0;
	char why[400] = "";
	int rc, status = ACCORD_OCSP_SUCCESSFUL;

	if (!overwrite && access(response_path, F_OK) == 0)
		return accord_err(err, ACCORD_ERR_EXISTS, response_path, "file exists, not overwritten");
	rc = accord_file_read(request_path, ACCORD_OCSP_MAX_REQUEST, &req, &req_len, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = respond(o, req, req_len, &resp, &resp_len, &status, why, sizeof why, err);
	if (resp) {
		int wrc = accord_file_write_atomic(response_path, resp, resp_len, 0644, !overwrite, err);
		if (rc == ACCORD_OK)
			rc = wrc;
	}
	if (rc == ACCORD_OK && status != ACCORD_OCSP_SUCCESSFUL)
		rc = accord_err(err, ACCORD_ERR_FORMAT, request_path, "the responder answered %s: %s",
				status == ACCORD_OCSP_UNAUTHORIZED ? "unauthorized" : "malformedRequest",
				why);
	free(req);
	free(resp);
	return rc;
}
