/* verify/cert_check.c — one certificate judged alone (`accord keys verify`): is there a
 * path from it to a trust anchor, through the one trust engine, for signing documents?
 * What a partner checks before naming someone as a party. */
#include <string.h>
#include "verify/verify.h"
#include "keys/keys.h"

/* Subject and fingerprint, as `accord keys show` prints them. */
static void name_of(gnutls_x509_crt_t crt, char *subject, size_t n, char fp[100])
{
	accord_cert_info info;
	accord_error ignored;

	if (accord_crt_describe(crt, &info, &ignored) == ACCORD_OK) {
		snprintf(subject, n, "%s", info.subject);
		snprintf(fp, 100, "%s", info.sha256);
	}
}

int accord_cert_verify(const char *cert_path, const accord_verify_options *opt,
		       accord_cert_verdict *out, accord_error *err)
{
	gnutls_x509_crt_t *certs = NULL;
	size_t n_certs = 0;
	accord_trust trust;
	accord_path path;
	time_t now = time(NULL);
	int rc;

	memset(out, 0, sizeof *out);
	out->indication = ACCORD_INDETERMINATE; /* until judged */
	memset(&trust, 0, sizeof trust);
	memset(&path, 0, sizeof path);
	rc = accord_crt_list_load(cert_path, &certs, &n_certs, err);
	if (rc != ACCORD_OK)
		return rc;
	if (n_certs == 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, cert_path, "no certificate in the file");
		goto done;
	}
	name_of(certs[0], out->subject, sizeof out->subject, out->fingerprint);
	rc = accord_trust_load(opt->trust, opt->n_trust, !opt->no_trust_store, &trust.anchors,
			       &trust.n_anchors, err);
	if (rc == ACCORD_OK)
		rc = accord_trust_evidence_load(opt, &trust, err);
	if (rc != ACCORD_OK)
		goto done;
	trust.allow_sha1 = opt->allow_weak;
	out->n_anchors = trust.n_anchors;
	out->at = opt->at ? opt->at : now;
	rc = accord_path_validate(&trust, certs[0], certs + 1, n_certs - 1, out->at, now, 0,
				  ACCORD_PURPOSE_SIGNER, &path, err);
	if (rc != ACCORD_OK)
		goto done;
	out->indication = path.indication;
	out->subindication = path.subindication;
	snprintf(out->message, sizeof out->message, "%s", path.message);
	snprintf(out->revocation, sizeof out->revocation, "%s", path.revocation);
	snprintf(out->path, sizeof out->path, "%s", path.evidence);
	if (path.n > 0 && path.anchored)
		name_of(path.chain[path.n - 1], out->anchor, sizeof out->anchor,
			out->anchor_fingerprint);
done:
	accord_trust_clear(&trust);
	accord_crt_list_free(certs, n_certs);
	return rc;
}
