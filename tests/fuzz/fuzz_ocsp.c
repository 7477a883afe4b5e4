/* tests/fuzz/fuzz_ocsp.c — libFuzzer target: an OCSP response (RFC 6960) as verify reads
 * one embedded in RevocationValues/OCSPValues: GnuTLS imports it, then the trust engine
 * looks for the certificate's CertID, checks the responder and judges the status. The
 * issuer and the certificate are named in ACCORD_FUZZ_OCSP ("CA:LEAF"; run.sh passes the
 * seed CA and alice, whose responses from openssl are the seeds). */
#include "tests/fuzz/fuzz.h"
#include "verify/verify.h"

static gnutls_x509_crt_t ca, leaf;

static gnutls_x509_crt_t load(const char *path)
{
	gnutls_x509_crt_t *list = NULL, c = NULL;
	size_t n = 0;
	accord_error err;

	memset(&err, 0, sizeof err);
	if (accord_crt_list_load(path, &list, &n, &err) || !n)
		fuzz_die(path, &err);
	c = list[0];
	for (size_t i = 1; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("ACCORD_FUZZ_OCSP");

	(void)argc;
	(void)argv;
	fuzz_accord_init();
	if (env && *env) {
		char *copy = strdup(env), *colon = copy ? strchr(copy, ':') : NULL;
		if (colon) {
			*colon = 0;
			if (access(copy, R_OK) == 0 && access(colon + 1, R_OK) == 0) {
				ca = load(copy);
				leaf = load(colon + 1);
			}
		}
		free(copy);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d = {(unsigned char *)data, (unsigned)size};
	accord_trust t;
	accord_rev rev;
	accord_error err;

	if (gnutls_ocsp_resp_init(&resp) < 0)
		return 0;
	if (gnutls_ocsp_resp_import(resp, &d) < 0)
		goto out;
	if (!ca || !leaf)
		goto out;
	memset(&t, 0, sizeof t);
	memset(&err, 0, sizeof err);
	t.anchors = &ca;
	t.n_anchors = 1;
	t.ocsps = &resp;
	t.n_ocsps = 1;
	/* As of now and as of long ago; with a timestamp to be fresh after. */
	(void)accord_revocation_check(&t, leaf, ca, time(NULL), 0, 0, &rev, &err);
	fuzz_sink += rev.status;
	(void)accord_revocation_check(&t, leaf, ca, 1000000000, 999999999, 1, &rev, &err);
	fuzz_sink += rev.status;
out:
	gnutls_ocsp_resp_deinit(resp);
	return 0;
}
