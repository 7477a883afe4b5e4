/* tsa/tsa.c — the timestamp authority: its folder (key, certificate, configuration,
 * serial counter), answering requests, file mode and reply verification. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include "formats/tst.h"
#include "keys/keys.h"
#include "tsa/tsa_internal.h"
#include "verify/verify.h"

#define MAX_REQUEST (64 * 1024)
#define MAX_REPLY (1024 * 1024)
#define MAX_CONF (16 * 1024)

static int tsa_path(char *buf, size_t n, const char *dir, const char *file, accord_error *err)
{
	if (snprintf(buf, n, "%s/%s", dir, file) >= (int)n)
		return accord_err(err, ACCORD_ERR_USAGE, dir, "path too long");
	return ACCORD_OK;
}

/* ---- tsa.conf: "key = value" lines, '#' comments ---- */

static const char conf_template[] =
	"# accord TSA configuration (read by `accord tsa stamp` and `accord tsa serve`).\n"
	"# policy: the TSA policy OID written into every token. The default is a placeholder\n"
	"# under IANA enterprise number 32473, reserved for documentation (RFC 5612):\n"
	"# put the policy OID of your own arc here.\n"
	"policy = %s\n"
	"# accuracy_seconds: the accuracy claimed for genTime (0: no accuracy field).\n"
	"accuracy_seconds = 1\n"
	"# hash: digest of the CMS signature (sha256, sha384, sha512).\n"
	"hash = sha256\n"
	"# tsa_name: yes to name the TSA (its certificate subject) inside each token.\n"
	"tsa_name = yes\n";

/* One setting of tsa.conf. */
static int conf_setting(void *ud, const char *key, const char *val, int lineno,
			const char *path, accord_error *err)
{
	accord_tsa *tsa = ud;

	if (!strcmp(key, "policy")) {
		size_t i, dots = 0, digits = 0;
		/* dotted decimal, each arc short enough for libtasn1 (< 10^9) */
		for (i = 0; val[i]; i++) {
			if (val[i] == '.') {
				dots++;
				digits = 0;
			} else if (val[i] < '0' || val[i] > '9' || ++digits > 9) {
				break;
			}
		}
		if (val[i] || dots < 1 || i >= sizeof tsa->policy || val[0] == '.' ||
		    val[i - 1] == '.' || strstr(val, ".."))
			return accord_err(err, ACCORD_ERR_FORMAT, path,
					  "line %d: policy '%s' is not a dotted OID", lineno, val);
		snprintf(tsa->policy, sizeof tsa->policy, "%s", val);
	} else if (!strcmp(key, "accuracy_seconds")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);
		if (*end || !*val || v > 3600)
			return accord_err(err, ACCORD_ERR_FORMAT, path,
					  "line %d: accuracy_seconds '%s' is not 0..3600", lineno, val);
		tsa->accuracy_seconds = (unsigned)v;
	} else if (!strcmp(key, "hash")) {
		if (!strcasecmp(val, "sha256"))
			tsa->digest = GNUTLS_DIG_SHA256;
		else if (!strcasecmp(val, "sha384"))
			tsa->digest = GNUTLS_DIG_SHA384;
		else if (!strcasecmp(val, "sha512"))
			tsa->digest = GNUTLS_DIG_SHA512;
		else
			return accord_err(err, ACCORD_ERR_FORMAT, path,
					  "line %d: hash '%s' is not sha256, sha384 or sha512", lineno, val);
	} else if (!strcmp(key, "tsa_name")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return accord_err(err, ACCORD_ERR_FORMAT, path, "line %d: tsa_name is yes or no",
					  lineno);
		tsa->tsa_name = !strcmp(val, "yes");
	} else {
		return accord_err(err, ACCORD_ERR_FORMAT, path, "line %d: unknown setting '%s'", lineno,
				  key);
	}
	return ACCORD_OK;
}

static int conf_load(accord_tsa *tsa, const char *path, accord_error *err)
{
	snprintf(tsa->policy, sizeof tsa->policy, "%s", ACCORD_TSA_DEFAULT_POLICY);
	tsa->accuracy_seconds = 1;
	tsa->digest = GNUTLS_DIG_SHA256;
	tsa->tsa_name = 1;
	return accord_conf_read(path, MAX_CONF, conf_setting, tsa, err);
}

/* ---- the serial file: "PREFIX COUNTER\n", PREFIX 16 hex digits chosen at init ---- */

static int serial_read(const char *path, unsigned char prefix[8], uint64_t *counter,
		       accord_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char hex[17];
	int rc;

	rc = accord_file_read(path, 256, &data, &len, err);
	if (rc != ACCORD_OK)
		return rc;
	if (sscanf((char *)data, "%16[0-9a-f] %" SCNu64, hex, counter) != 2 || strlen(hex) != 16 ||
	    accord_unhex(hex, prefix, 8) != 8)
		rc = accord_err(err, ACCORD_ERR_FORMAT, path, "not a serial file ('PREFIX COUNTER')");
	free(data);
	return rc;
}

static int serial_write(const char *path, const unsigned char prefix[8], uint64_t counter,
			int exclusive, accord_error *err)
{
	char hex[17], line[64];
	int n;

	accord_hex(prefix, 8, hex);
	n = snprintf(line, sizeof line, "%s %" PRIu64 "\n", hex, counter);
	return accord_file_write_atomic(path, line, (size_t)n, 0600, exclusive, err);
}

/* The next serial number: counter + 1, written (fsync, rename) under an exclusive
 * flock BEFORE it is used, so neither a crash nor a second process ever reuses one. */
static int serial_next(accord_tsa *tsa, unsigned char out[16], accord_error *err)
{
	unsigned char prefix[8];
	uint64_t counter = 0;
	int rc;

	while (flock(tsa->lock_fd, LOCK_EX) < 0) {
		if (errno != EINTR)
			return accord_err(err, ACCORD_ERR_IO, tsa->serial_path, "flock: %s", strerror(errno));
	}
	/* Under the lock no other process writes the serial file: a temporary left by a
	 * killed run is stale and goes. */
	accord_tmp_cleanup_stale(tsa->serial_path);
	rc = serial_read(tsa->serial_path, prefix, &counter, err);
	if (rc == ACCORD_OK && counter == UINT64_MAX)
		rc = accord_err(err, ACCORD_ERR_LIMIT, tsa->serial_path, "serial counter exhausted");
	if (rc == ACCORD_OK)
		rc = serial_write(tsa->serial_path, prefix, ++counter, 0, err);
	flock(tsa->lock_fd, LOCK_UN);
	if (rc != ACCORD_OK)
		return rc;
	memcpy(out, prefix, 8);
	for (int i = 0; i < 8; i++)
		out[8 + i] = (unsigned char)(counter >> (56 - 8 * i));
	return ACCORD_OK;
}

/* ---- init and open ---- */

int accord_tsa_init(const char *dir, const accord_service_init_options *opt, accord_error *err)
{
	char prefix_path[4096], p[4096], conf[1024];
	static const char *const files[] = {"tsa.key", "tsa.crt", "tsa.conf", "serial", "chain.pem"};
	const accord_issuer *ca = opt ? opt->ca : NULL;
	unsigned char prefix[8];
	int rc, grc, n;

	if (!dir || !*dir || !opt || !opt->id.name || !*opt->id.name)
		return accord_err(err, ACCORD_ERR_USAGE, "tsa init", "a folder and a name are needed");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return accord_err(err, ACCORD_ERR_IO, dir, "cannot create folder: %s", strerror(errno));
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		rc = tsa_path(p, sizeof p, dir, files[i], err);
		if (rc != ACCORD_OK)
			return rc;
		if (access(p, F_OK) == 0)
			return accord_err(err, ACCORD_ERR_EXISTS, p, "file exists (a TSA lives here), not overwritten");
	}
	rc = tsa_path(prefix_path, sizeof prefix_path, dir, "tsa", err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_keys_generate(&(accord_keygen_options){.id = opt->id, .algo = opt->algo,
						  .kind = ACCORD_CERT_TSA, .issuer = ca,
						  .passphrase = opt->passphrase},
				  prefix_path, err);
	if (rc != ACCORD_OK)
		return rc;
	if (ca) {
		rc = tsa_path(p, sizeof p, dir, "chain.pem", err);
		if (rc == ACCORD_OK)
			rc = accord_crt_copy_first(ca->cert_path, p, err);
		if (rc != ACCORD_OK)
			return rc;
	}
	rc = tsa_path(p, sizeof p, dir, "tsa.conf", err);
	if (rc != ACCORD_OK)
		return rc;
	n = snprintf(conf, sizeof conf, conf_template, ACCORD_TSA_DEFAULT_POLICY);
	rc = accord_file_write_atomic(p, conf, (size_t)n, 0644, 1, err);
	if (rc != ACCORD_OK)
		return rc;
	/* A random prefix keeps serials unique even if the counter file were ever lost
	 * and the TSA set up again with the same certificate. */
	grc = gnutls_rnd(GNUTLS_RND_RANDOM, prefix, sizeof prefix);
	if (grc < 0)
		return accord_err_gnutls(err, dir, "gnutls_rnd", grc);
	prefix[0] = (unsigned char)((prefix[0] & 0x7f) | 0x40); /* positive, full 16 bytes */
	rc = tsa_path(p, sizeof p, dir, "serial", err);
	if (rc == ACCORD_OK)
		rc = serial_write(p, prefix, 0, 1, err);
	return rc;
}

void accord_tsa_free(accord_tsa *tsa)
{
	if (!tsa)
		return;
	accord_signer_free(tsa->signer);
	accord_crt_list_free(tsa->chain, tsa->chain_len);
	if (tsa->lock_fd >= 0)
		close(tsa->lock_fd);
	pthread_mutex_destroy(&tsa->lock);
	free(tsa);
}

/* RFC 3161 2.3: the TSA certificate's only extended key usage is timeStamping,
 * critical. Refuse to issue tokens nobody could accept. */
static int check_tsa_cert(gnutls_x509_crt_t cert, const char *path, accord_error *err)
{
	char oid[128];
	size_t n;
	unsigned critical = 0;
	int count = 0, ok = 0, rc;

	for (unsigned i = 0;; i++) {
		n = sizeof oid;
		rc = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &n, &critical);
		if (rc < 0)
			break;
		count++;
		ok = critical && !strcmp(oid, ACCORD_OID_KP_TIMESTAMPING);
	}
	if (count != 1 || !ok)
		return accord_err(err, ACCORD_ERR_USAGE, path,
				  "not a TSA certificate: its extended key usage must be timeStamping "
				  "only, marked critical (RFC 3161 2.3)");
	return ACCORD_OK;
}

int accord_tsa_open(const char *dir, const char *passphrase, accord_tsa **out,
		    accord_error *err)
{
	char key[4096], crt[4096], p[4096];
	accord_tsa *tsa;
	unsigned char prefix[8];
	uint64_t counter;
	int rc;

	*out = NULL;
	tsa = accord_calloc(1, sizeof *tsa);
	if (!tsa)
		return accord_err(err, ACCORD_ERR_NOMEM, dir, "out of memory");
	tsa->lock_fd = -1;
	pthread_mutex_init(&tsa->lock, NULL);
	if ((rc = tsa_path(key, sizeof key, dir, "tsa.key", err)) != ACCORD_OK ||
	    (rc = tsa_path(crt, sizeof crt, dir, "tsa.crt", err)) != ACCORD_OK ||
	    (rc = tsa_path(tsa->serial_path, sizeof tsa->serial_path, dir, "serial", err)) != ACCORD_OK ||
	    (rc = tsa_path(p, sizeof p, dir, "tsa.conf", err)) != ACCORD_OK)
		goto out;
	rc = conf_load(tsa, p, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = serial_read(tsa->serial_path, prefix, &counter, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = accord_signer_open(key, crt, passphrase, &tsa->signer, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = check_tsa_cert(tsa->signer->cert, crt, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = tsa_path(p, sizeof p, dir, "chain.pem", err);
	if (rc != ACCORD_OK)
		goto out;
	if (access(p, F_OK) == 0) {
		rc = accord_crt_list_load(p, &tsa->chain, &tsa->chain_len, err);
		if (rc != ACCORD_OK)
			goto out;
	}
	rc = tsa_path(p, sizeof p, dir, ".serial.lock", err);
	if (rc != ACCORD_OK)
		goto out;
	tsa->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (tsa->lock_fd < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, p, "cannot open: %s", strerror(errno));
		goto out;
	}
	*out = tsa;
	tsa = NULL;
out:
	accord_tsa_free(tsa);
	return rc;
}

/* ---- answering ---- */

static int imprint_alg_accepted(gnutls_digest_algorithm_t alg)
{
	switch (alg) {
	case GNUTLS_DIG_SHA256:
	case GNUTLS_DIG_SHA384:
	case GNUTLS_DIG_SHA512:
	case GNUTLS_DIG_SHA3_256:
	case GNUTLS_DIG_SHA3_384:
	case GNUTLS_DIG_SHA3_512:
		return 1;
	default:
		return 0;
	}
}

static int reject(int fail_bit, const char *text, unsigned char **resp, size_t *resp_len,
		  accord_error *err)
{
	return accord_tsr_build(ACCORD_PKI_REJECTION, text, fail_bit, NULL, 0, resp, resp_len, err);
}

static int respond_locked(accord_tsa *tsa, const unsigned char *req, size_t len,
			  unsigned char **resp, size_t *resp_len, accord_error *err)
{
	accord_tsq q;
	accord_tst_params p;
	accord_error perr;
	unsigned char serial[16], *token = NULL;
	size_t token_len = 0;
	char text[300];
	int rc;

	accord_error_clear(&perr);
	if (len > MAX_REQUEST)
		return reject(ACCORD_FAIL_BAD_REQUEST, "request too large", resp, resp_len, err);
	if (accord_tsq_parse(req, len, &q, &perr) != ACCORD_OK) {
		snprintf(text, sizeof text, "malformed request: %.250s", perr.why);
		return reject(ACCORD_FAIL_BAD_DATA_FORMAT, text, resp, resp_len, err);
	}
	if (!imprint_alg_accepted(q.alg)) {
		snprintf(text, sizeof text, "hash algorithm %s is not accepted (use SHA-256, SHA-384, "
			 "SHA-512 or SHA3)", q.alg_oid);
		return reject(ACCORD_FAIL_BAD_ALG, text, resp, resp_len, err);
	}
	if (q.has_extensions)
		return reject(ACCORD_FAIL_UNACCEPTED_EXTENSION, "request extensions are not supported",
			      resp, resp_len, err);
	if (q.policy[0] && strcmp(q.policy, tsa->policy) != 0) {
		snprintf(text, sizeof text, "policy %.100s is not offered (this TSA: %.100s)", q.policy,
			 tsa->policy);
		return reject(ACCORD_FAIL_UNACCEPTED_POLICY, text, resp, resp_len, err);
	}
	rc = serial_next(tsa, serial, err);
	if (rc != ACCORD_OK)
		goto fail;
	memset(&p, 0, sizeof p);
	p.policy = tsa->policy;
	p.digest = tsa->digest;
	p.imprint_alg = q.alg;
	p.imprint_params_null = q.alg_params_null;
	p.imprint = q.digest;
	p.imprint_len = q.digest_len;
	p.serial = serial;
	p.serial_len = sizeof serial;
	p.gen_time = time(NULL);
	p.accuracy_seconds = tsa->accuracy_seconds;
	p.nonce = q.has_nonce ? q.nonce : NULL;
	p.nonce_len = q.nonce_len;
	p.include_tsa_name = tsa->tsa_name;
	p.include_cert = q.cert_req;
	rc = accord_tst_build(&p, tsa->signer->key, tsa->signer->cert, &tsa->signer->cert_der,
			      &token, &token_len, err);
	if (rc != ACCORD_OK)
		goto fail;
	rc = accord_tsr_build(ACCORD_PKI_GRANTED, NULL, -1, token, token_len, resp, resp_len, err);
	free(token);
	return rc;
fail:
	/* Still answer (systemFailure), and report the failure to the operator. */
	(void)reject(ACCORD_FAIL_SYSTEM_FAILURE, "the TSA could not issue a token", resp, resp_len,
		     &perr);
	return rc;
}

int accord_tsa_respond(accord_tsa *tsa, const unsigned char *req, size_t len,
		       unsigned char **resp, size_t *resp_len, accord_error *err)
{
	int rc;

	*resp = NULL;
	*resp_len = 0;
	pthread_mutex_lock(&tsa->lock);
	rc = respond_locked(tsa, req, len, resp, resp_len, err);
	pthread_mutex_unlock(&tsa->lock);
	return rc;
}

int accord_tsa_stamp_file(accord_tsa *tsa, const char *request_path, const char *reply_path,
			  int overwrite, accord_error *err)
{
	unsigned char *req = NULL, *resp = NULL, *token = NULL;
	size_t req_len = 0, resp_len = 0, token_len = 0;
	int rc, status;

	if (!overwrite && access(reply_path, F_OK) == 0)
		return accord_err(err, ACCORD_ERR_EXISTS, reply_path, "file exists, not overwritten");
	rc = accord_file_read(request_path, MAX_REQUEST, &req, &req_len, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_tsa_respond(tsa, req, req_len, &resp, &resp_len, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = accord_file_write_atomic(reply_path, resp, resp_len, 0644, !overwrite, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = accord_tsr_parse(resp, resp_len, &status, &token, &token_len, err);
	if (rc != ACCORD_OK)
		snprintf(err->where, sizeof err->where, "%s", request_path);
out:
	free(req);
	free(resp);
	free(token);
	return rc;
}

/* ---- verifying a reply file ---- */

static int hash_file(const char *path, gnutls_digest_algorithm_t alg, unsigned char *out,
		     accord_error *err)
{
	gnutls_hash_hd_t h = NULL;
	unsigned char buf[65536];
	int fd, rc = ACCORD_OK, grc;
	ssize_t r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, path,
				  "cannot open: %s", strerror(errno));
	grc = gnutls_hash_init(&h, alg);
	if (grc < 0) {
		rc = accord_err_gnutls(err, path, "gnutls_hash_init", grc);
		goto out;
	}
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "read failed: %s", strerror(errno));
			goto out;
		}
		gnutls_hash(h, buf, (size_t)r);
	}
out:
	if (h)
		gnutls_hash_deinit(h, rc == ACCORD_OK ? out : NULL);
	close(fd);
	return rc;
}

static int tsa_verify_reply(const char *reply_path, const char *data_path,
			    const char *const *trust_paths, size_t n_trust, int use_store,
			    const char *const *untrusted_paths, size_t n_untrusted,
			    accord_tst_result *out, accord_error *err)
{
	unsigned char *reply = NULL, *token = NULL, digest[64];
	size_t reply_len = 0, token_len = 0, n_anchors = 0, n_extra = 0;
	gnutls_x509_crt_t *anchors = NULL, *extra = NULL;
	gnutls_digest_algorithm_t alg = GNUTLS_DIG_UNKNOWN;
	accord_error perr;
	int rc, status;

	memset(out, 0, sizeof *out);
	accord_error_clear(&perr);
	rc = accord_file_read(reply_path, MAX_REPLY, &reply, &reply_len, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_tsr_parse(reply, reply_len, &status, &token, &token_len, &perr);
	if (rc != ACCORD_OK && status >= 0) { /* a real rejection: nothing to verify */
		*err = perr;
		snprintf(err->where, sizeof err->where, "%s", reply_path);
		goto out;
	}
	if (rc != ACCORD_OK) { /* not a TimeStampResp: maybe a bare token */
		token = reply;
		token_len = reply_len;
		reply = NULL;
	}
	rc = accord_trust_load(trust_paths, n_trust, use_store, &anchors, &n_anchors, err);
	if (rc != ACCORD_OK)
		goto out;
	for (size_t i = 0; i < n_untrusted; i++) {
		gnutls_x509_crt_t *list = NULL, *grown;
		size_t n = 0;
		rc = accord_crt_list_load(untrusted_paths[i], &list, &n, err);
		if (rc != ACCORD_OK)
			goto out;
		grown = realloc(extra, (n_extra + n + 1) * sizeof *extra);
		if (!grown) {
			accord_crt_list_free(list, n);
			rc = accord_err(err, ACCORD_ERR_NOMEM, untrusted_paths[i], "out of memory");
			goto out;
		}
		extra = grown;
		memcpy(extra + n_extra, list, n * sizeof *list);
		n_extra += n;
		gnutls_free(list);
	}
	/* Hash the data the way the token says; an unreadable token is judged below. */
	if (accord_tst_imprint_alg(token, token_len, &alg, &perr) == ACCORD_OK) {
		rc = hash_file(data_path, alg, digest, err);
		if (rc != ACCORD_OK)
			goto out;
	} else {
		alg = GNUTLS_DIG_SHA256;
		memset(digest, 0, sizeof digest);
	}
	{
		accord_trust trust;
		memset(&trust, 0, sizeof trust);
		trust.anchors = anchors;
		trust.n_anchors = n_anchors;
		rc = accord_timestamp_validate(&trust, token, token_len, alg, digest,
					       (size_t)gnutls_hash_get_len(alg), NULL, 0, extra, n_extra,
					       out, err);
	}
out:
	free(reply);
	free(token);
	accord_crt_list_free(anchors, n_anchors);
	for (size_t i = 0; i < n_extra; i++)
		gnutls_x509_crt_deinit(extra[i]);
	free(extra);
	return rc;
}

int accord_tsa_verify_reply(const char *reply_path, const char *data_path,
			    const accord_tsa_verify_options *opt, accord_tst_result *out,
			    accord_error *err)
{
	const accord_tsa_verify_options none = {NULL, 0, 0, NULL, 0};

	if (!opt)
		opt = &none;
	return tsa_verify_reply(reply_path, data_path, opt->trust, opt->n_trust, opt->use_store,
				opt->untrusted, opt->n_untrusted, out, err);
}
