/* keys/signer.c — opening a signing key (encrypted key file or PKCS#11 URL) together
 * with its certificate, and checking that the two belong together. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs11.h>
#include "keys/keys.h"

#define KEY_FILE_MAX (1024u * 1024)

/* The PIN callback: hands the passphrase to the token once; a second request for the
 * same operation means the PIN was wrong, and retrying would only lock the token. */
static int pin_callback(void *ud, int attempt, const char *token_url, const char *token_label,
			unsigned int flags, char *pin, size_t pin_max)
{
	const char *secret = ud;
	size_t n;

	(void)token_url;
	(void)token_label;
	if (!secret || attempt > 0 || (flags & GNUTLS_PIN_WRONG))
		return GNUTLS_E_PKCS11_PIN_ERROR;
	n = strlen(secret);
	if (n + 1 > pin_max)
		return GNUTLS_E_PKCS11_PIN_ERROR;
	memcpy(pin, secret, n + 1);
	return 0;
}

/* GnuTLS's PKCS#11 layer is initialised once per process; two threads opening their
 * first PKCS#11 signers at once must not both do it. */
static pthread_mutex_t pkcs11_lock = PTHREAD_MUTEX_INITIALIZER;
static int pkcs11_initialised;

static int pkcs11_init_locked(accord_error *err)
{
	const char *module = getenv("ACCORD_PKCS11_MODULE");
	int rc;

	if (pkcs11_initialised)
		return ACCORD_OK;
	if (module && *module) {
		rc = gnutls_pkcs11_init(GNUTLS_PKCS11_FLAG_MANUAL, NULL);
		if (rc < 0)
			return accord_err_gnutls(err, module, "gnutls_pkcs11_init", rc);
		rc = gnutls_pkcs11_add_provider(module, NULL);
		if (rc < 0)
			return accord_err(err, ACCORD_ERR_IO, module,
					  "cannot load PKCS#11 module (ACCORD_PKCS11_MODULE): %s",
					  gnutls_strerror(rc));
	} else {
		rc = gnutls_pkcs11_init(GNUTLS_PKCS11_FLAG_AUTO, NULL);
		if (rc < 0)
			return accord_err_gnutls(err, "pkcs11", "gnutls_pkcs11_init", rc);
	}
	pkcs11_initialised = 1;
	return ACCORD_OK;
}

static int pkcs11_ready(accord_error *err)
{
	int rc;

	pthread_mutex_lock(&pkcs11_lock);
	rc = pkcs11_init_locked(err);
	pthread_mutex_unlock(&pkcs11_lock);
	return rc;
}

static int open_pkcs11_key(accord_signer *s, const char *url, const char *passphrase,
			   accord_error *err)
{
	int rc = pkcs11_ready(err);

	if (rc != ACCORD_OK)
		return rc;
	if (passphrase) {
		s->pin = accord_secret_strdup(passphrase);
		if (!s->pin)
			return accord_err(err, ACCORD_ERR_NOMEM, url, "out of memory");
	}
	rc = gnutls_privkey_init(&s->key);
	if (rc < 0)
		return accord_err_gnutls(err, url, "gnutls_privkey_init", rc);
	gnutls_privkey_set_pin_function(s->key, pin_callback, s->pin);
	rc = gnutls_privkey_import_url(s->key, url, 0);
	if (rc == GNUTLS_E_PKCS11_PIN_ERROR ||
	    rc == GNUTLS_E_PKCS11_PIN_LOCKED)
		return accord_err(err, ACCORD_ERR_PASSPHRASE, url, "wrong PIN for the token: %s",
				  gnutls_strerror(rc));
	if (rc < 0)
		return accord_err(err, rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ||
					       rc == GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE
				       ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_CRYPTO,
				  url, "cannot open the PKCS#11 key: %s", gnutls_strerror(rc));
	return ACCORD_OK;
}

/* The key file read and checked (mode, a passphrase for an encrypted one): its bytes
 * kept in s->key_data, the passphrase copied into secure memory (s->secret) for
 * import_key_file. *encrypted says whether it needs decrypting. */
static int read_key_file(accord_signer *s, const char *path, const char *passphrase,
			 int *encrypted, accord_error *err)
{
	struct stat st;
	int rc;

	*encrypted = 0;
	if (stat(path, &st) < 0)
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, path,
				  "cannot open key file: %s", strerror(errno));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return accord_err(err, ACCORD_ERR_PERM, path,
				  "key file is accessible by group or others (mode %04o); "
				  "run chmod 600 on it", (unsigned)(st.st_mode & 07777));
	rc = accord_file_read(path, KEY_FILE_MAX, &s->key_data, &s->key_len, err);
	if (rc != ACCORD_OK)
		return rc;
	s->key_pem = memmem(s->key_data, s->key_len, "-----BEGIN", 10) != NULL;
	*encrypted = s->key_pem && memmem(s->key_data, s->key_len, "ENCRYPTED", 9) != NULL;
	if (*encrypted && (!passphrase || !*passphrase))
		return accord_err(err, ACCORD_ERR_PASSPHRASE, path,
				  "key is encrypted: a passphrase is needed");
	if (passphrase && *passphrase && !(s->secret = accord_secret_strdup(passphrase)))
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	return ACCORD_OK;
}

/* The key file's bytes and passphrase gone, wiped. */
static void key_file_forget(accord_signer *s)
{
	if (s->key_data) {
		accord_wipe(s->key_data, s->key_len);
		free(s->key_data);
	}
	s->key_data = NULL;
	s->key_len = 0;
	accord_secret_free(s->secret);
	s->secret = NULL;
}

/* Import (and decrypt) what read_key_file read; then it is forgotten. */
static int import_key_file(accord_signer *s, const char *path, accord_error *err)
{
	int encrypted = s->key_pem && memmem(s->key_data, s->key_len, "ENCRYPTED", 9) != NULL;
	gnutls_datum_t d;
	int rc;

	rc = gnutls_privkey_init(&s->key);
	if (rc < 0) {
		rc = accord_err_gnutls(err, path, "gnutls_privkey_init", rc);
		goto out;
	}
	d.data = s->key_data;
	d.size = (unsigned int)s->key_len;
	rc = gnutls_privkey_import_x509_raw(s->key, &d,
					    s->key_pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER,
					    encrypted ? s->secret : NULL, 0);
	if (rc < 0 && !s->key_pem && s->secret) {
		/* A DER file does not say whether it is encrypted: try again as PKCS#8. */
		gnutls_privkey_deinit(s->key);
		s->key = NULL;
		rc = gnutls_privkey_init(&s->key);
		if (rc >= 0)
			rc = gnutls_privkey_import_x509_raw(s->key, &d, GNUTLS_X509_FMT_DER,
							    s->secret, 0);
	}
	if (rc == GNUTLS_E_DECRYPTION_FAILED) {
		rc = accord_err(err, ACCORD_ERR_PASSPHRASE, path, "wrong passphrase for %s", path);
		goto out;
	}
	if (rc < 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path, "not a readable private key: %s",
				gnutls_strerror(rc));
		goto out;
	}
	rc = ACCORD_OK;
out:
	key_file_forget(s);
	return rc;
}

/* Sign a random challenge with the key and verify it with the certificate: works for
 * keys on tokens too, where the public half may not be readable. */
static int check_key_matches(accord_signer *s, const char *key_name, const char *cert_path,
			     accord_error *err)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t data, sig = {NULL, 0};
	unsigned char challenge[32];
	gnutls_sign_algorithm_t salgo;
	unsigned int cert_bits = 0;
	int cert_pk, rc;

	cert_pk = gnutls_x509_crt_get_pk_algorithm(s->cert, &cert_bits);
	if (cert_pk != s->pk_algo && !(cert_pk == GNUTLS_PK_RSA_PSS && s->pk_algo == GNUTLS_PK_RSA))
		return accord_err(err, ACCORD_ERR_KEY_MISMATCH, key_name,
				  "the key does not match the certificate '%s' (%s key, %s certificate)",
				  cert_path, gnutls_pk_get_name((gnutls_pk_algorithm_t)s->pk_algo),
				  gnutls_pk_get_name((gnutls_pk_algorithm_t)cert_pk));
	if (cert_pk == GNUTLS_PK_EDDSA_ED25519)
		salgo = GNUTLS_SIGN_EDDSA_ED25519;
	else if (cert_pk == GNUTLS_PK_EDDSA_ED448)
		salgo = GNUTLS_SIGN_EDDSA_ED448;
	else if (cert_pk == GNUTLS_PK_RSA_PSS)
		salgo = GNUTLS_SIGN_RSA_PSS_SHA256;
	else
		salgo = gnutls_pk_to_sign((gnutls_pk_algorithm_t)cert_pk, GNUTLS_DIG_SHA256);
	rc = gnutls_rnd(GNUTLS_RND_NONCE, challenge, sizeof challenge);
	if (rc < 0)
		return accord_err_gnutls(err, key_name, "gnutls_rnd", rc);
	data.data = challenge;
	data.size = sizeof challenge;
	rc = gnutls_pubkey_init(&pub);
	if (rc < 0)
		return accord_err_gnutls(err, cert_path, "gnutls_pubkey_init", rc);
	rc = gnutls_pubkey_import_x509(pub, s->cert, 0);
	if (rc < 0) {
		rc = accord_err_gnutls(err, cert_path, "gnutls_pubkey_import_x509", rc);
		goto out;
	}
	rc = gnutls_privkey_sign_data2(s->key, salgo, 0, &data, &sig);
	if (rc == GNUTLS_E_PKCS11_PIN_ERROR) {
		rc = accord_err(err, ACCORD_ERR_PASSPHRASE, key_name, "wrong PIN for the token");
		goto out;
	}
	if (rc < 0) {
		rc = accord_err_gnutls(err, key_name, "gnutls_privkey_sign_data2", rc);
		goto out;
	}
	rc = gnutls_pubkey_verify_data2(pub, salgo, 0, &data, &sig);
	if (rc < 0) {
		rc = accord_err(err, ACCORD_ERR_KEY_MISMATCH, key_name,
				"the key does not match the certificate '%s'", cert_path);
		goto out;
	}
	rc = ACCORD_OK;
out:
	gnutls_free(sig.data);
	gnutls_pubkey_deinit(pub);
	return rc;
}

static int key_algorithm(accord_signer *s, const char *key, accord_error *err)
{
	int rc = gnutls_privkey_get_pk_algorithm(s->key, &s->bits);

	if (rc < 0)
		return accord_err_gnutls(err, key, "gnutls_privkey_get_pk_algorithm", rc);
	s->pk_algo = rc;
	return ACCORD_OK;
}

/* What the opener does: decrypt, then check the key against the certificate. */
static int key_file_open(accord_signer *s, const char *key, const char *cert, accord_error *err)
{
	int rc = import_key_file(s, key, err);

	if (rc == ACCORD_OK)
		rc = key_algorithm(s, key, err);
	if (rc == ACCORD_OK)
		rc = check_key_matches(s, key, cert, err);
	return rc;
}

static void *opener(void *ud)
{
	accord_signer *s = ud;

	accord_error_clear(&s->open_err);
	s->open_rc = key_file_open(s, s->key_name, s->cert_name, &s->open_err);
	return NULL;
}

int accord_signer_ready(accord_signer *s, accord_error *err)
{
	if (!s)
		return accord_err(err, ACCORD_ERR_USAGE, "signer", "no signer");
	if (s->opening) {
		pthread_join(s->opener, NULL);
		s->opening = 0;
	}
	if (s->open_rc != ACCORD_OK && err)
		*err = s->open_err;
	return s->open_rc;
}

/* accord_signer_open, and with background set an encrypted key file decrypted on a
 * second thread (opener): what is checked without the key (the file, its mode, the
 * passphrase given, the certificate) is checked now. */
static int signer_open(const char *key, const char *cert, const char *passphrase, int background,
		       accord_signer **out, accord_error *err)
{
	accord_signer *s;
	gnutls_x509_crt_t *list = NULL;
	size_t n = 0;
	int rc, encrypted = 0, later = 0;

	*out = NULL;
	if (!key || !cert)
		return accord_err(err, ACCORD_ERR_USAGE, "signer", "a key and a certificate are needed");
	s = accord_calloc(1, sizeof *s);
	if (!s)
		return accord_err(err, ACCORD_ERR_NOMEM, key, "out of memory");
	if (!strncmp(key, "pkcs11:", 7))
		rc = open_pkcs11_key(s, key, passphrase, err);
	else if ((rc = read_key_file(s, key, passphrase, &encrypted, err)) == ACCORD_OK) {
		later = background && encrypted;
		if (later && (!(s->key_name = strdup(key)) || !(s->cert_name = strdup(cert))))
			rc = accord_err(err, ACCORD_ERR_NOMEM, key, "out of memory");
		else if (!later)
			rc = import_key_file(s, key, err);
	}
	if (rc == ACCORD_OK && !later)
		rc = key_algorithm(s, key, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = accord_crt_list_load(cert, &list, &n, err);
	if (rc != ACCORD_OK)
		goto out;
	s->cert = list[0];
	list[0] = NULL;
	if (n > 1) {
		s->chain = gnutls_calloc(n - 1, sizeof *s->chain);
		if (!s->chain) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, cert, "out of memory");
			goto out;
		}
		for (size_t i = 1; i < n; i++) {
			s->chain[i - 1] = list[i];
			list[i] = NULL;
		}
		s->chain_len = n - 1;
	}
	rc = gnutls_x509_crt_export2(s->cert, GNUTLS_X509_FMT_DER, &s->cert_der);
	if (rc < 0) {
		rc = accord_err_gnutls(err, cert, "gnutls_x509_crt_export2", rc);
		goto out;
	}
	if (!later)
		rc = check_key_matches(s, key, cert, err);
	else if (pthread_create(&s->opener, NULL, opener, s) == 0)
		s->opening = 1;
	else
		rc = s->open_rc = key_file_open(s, key, cert, err);
out:
	accord_crt_list_free(list, n);
	if (rc != ACCORD_OK) {
		/* The key's own trouble first, as when it is opened before the certificate. */
		if (later && s->key_data) {
			accord_error kerr;
			accord_error_clear(&kerr);
			if (import_key_file(s, key, &kerr) != ACCORD_OK) {
				rc = kerr.code;
				if (err)
					*err = kerr;
			}
		}
		accord_signer_free(s);
		return rc;
	}
	*out = s;
	return ACCORD_OK;
}

int accord_signer_open(const char *key, const char *cert, const char *passphrase,
		       accord_signer **out, accord_error *err)
{
	return signer_open(key, cert, passphrase, 0, out, err);
}

int accord_signer_open_start(const char *key, const char *cert, const char *passphrase,
			     accord_signer **out, accord_error *err)
{
	return signer_open(key, cert, passphrase, 1, out, err);
}

void accord_signer_free(accord_signer *s)
{
	if (!s)
		return;
	if (s->opening)
		pthread_join(s->opener, NULL);
	key_file_forget(s);
	free(s->key_name);
	free(s->cert_name);
	if (s->key)
		gnutls_privkey_deinit(s->key);
	if (s->cert)
		gnutls_x509_crt_deinit(s->cert);
	gnutls_free(s->cert_der.data);
	accord_crt_list_free(s->chain, s->chain_len);
	accord_secret_free(s->pin);
	free(s);
}

int accord_key_check(const char *key, const char *cert_path, const char *passphrase,
		     accord_error *err)
{
	accord_signer *s = NULL;
	int rc = accord_signer_open(key, cert_path, passphrase, &s, err);

	accord_signer_free(s);
	return rc;
}
