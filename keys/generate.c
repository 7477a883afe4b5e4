/* keys/generate.c — new key pairs with their certificates (self-signed or issued by an
 * accord CA), written as an encrypted PKCS#8 key and a PEM certificate. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include "keys/keys.h"

#define DEFAULT_DAYS 1095u     /* three years */
#define DEFAULT_CA_DAYS 3650u  /* ten years */
#define MAX_DAYS 36500u
#define OID_OCSP_NOCHECK "1.3.6.1.5.5.7.48.1.5"

int accord_algo_from_name(const char *name, accord_algo *out)
{
	if (!name)
		return ACCORD_ERR_USAGE;
	if (!strcasecmp(name, "ecdsa-p256") || !strcasecmp(name, "ecdsa") ||
	    !strcasecmp(name, "p256") || !strcasecmp(name, "p-256"))
		*out = ACCORD_ALGO_ECDSA_P256;
	else if (!strcasecmp(name, "ed25519"))
		*out = ACCORD_ALGO_ED25519;
	else if (!strcasecmp(name, "rsa3072") || !strcasecmp(name, "rsa") ||
		 !strcasecmp(name, "rsa-3072"))
		*out = ACCORD_ALGO_RSA3072;
	else
		return ACCORD_ERR_UNSUPPORTED;
	return ACCORD_OK;
}

/* GnuTLS signs with Ed25519 only when told GNUTLS_DIG_UNKNOWN (the hash is built in). */
static gnutls_digest_algorithm_t cert_digest_for(int pk)
{
	return pk == GNUTLS_PK_EDDSA_ED25519 || pk == GNUTLS_PK_EDDSA_ED448 ? GNUTLS_DIG_UNKNOWN
									      : GNUTLS_DIG_SHA256;
}

static int set_subject(gnutls_x509_crt_t crt, const accord_identity *id, const char *where,
		       accord_error *err)
{
	int rc;

	if (id->country && *id->country) {
		rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COUNTRY_NAME, 0,
						   id->country, (unsigned)strlen(id->country));
		if (rc < 0)
			return accord_err_gnutls(err, where, "gnutls_x509_crt_set_dn_by_oid", rc);
	}
	if (id->org && *id->org) {
		rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
						   id->org, (unsigned)strlen(id->org));
		if (rc < 0)
			return accord_err_gnutls(err, where, "gnutls_x509_crt_set_dn_by_oid", rc);
	}
	rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, id->name,
					   (unsigned)strlen(id->name));
	if (rc < 0)
		return accord_err_gnutls(err, where, "gnutls_x509_crt_set_dn_by_oid", rc);
	if (id->email && *id->email) {
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_RFC822NAME, id->email,
							  (unsigned)strlen(id->email),
							  GNUTLS_FSAN_SET);
		if (rc < 0)
			return accord_err_gnutls(err, where,
						 "gnutls_x509_crt_set_subject_alt_name", rc);
	}
	return ACCORD_OK;
}

static int set_kind(gnutls_x509_crt_t crt, accord_cert_kind kind, const char *where,
		    accord_error *err)
{
	unsigned int usage;
	int rc;

	/* GnuTLS marks basicConstraints and keyUsage critical. */
	rc = gnutls_x509_crt_set_basic_constraints(crt, kind == ACCORD_CERT_CA, -1);
	if (rc < 0)
		return accord_err_gnutls(err, where, "gnutls_x509_crt_set_basic_constraints", rc);
	switch (kind) {
	case ACCORD_CERT_CA:
		usage = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
		break;
	case ACCORD_CERT_TSA:
	case ACCORD_CERT_OCSP:
		usage = GNUTLS_KEY_DIGITAL_SIGNATURE;
		break;
	default:
		usage = GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION;
		break;
	}
	rc = gnutls_x509_crt_set_key_usage(crt, usage);
	if (rc < 0)
		return accord_err_gnutls(err, where, "gnutls_x509_crt_set_key_usage", rc);
	if (kind == ACCORD_CERT_TSA) {
		/* RFC 3161 2.3: the only purpose, and critical. */
		rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TIME_STAMPING, 1);
		if (rc < 0)
			return accord_err_gnutls(err, where,
						 "gnutls_x509_crt_set_key_purpose_oid", rc);
	}
	if (kind == ACCORD_CERT_OCSP) {
		/* RFC 6960 4.2.2.2: a delegated responder has id-kp-OCSPSigning; and
		 * id-pkix-ocsp-nocheck (4.2.2.2.1) tells clients not to ask about the
		 * responder itself (its value is NULL). */
		rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_OCSP_SIGNING, 0);
		if (rc >= 0)
			rc = gnutls_x509_crt_set_extension_by_oid(crt, OID_OCSP_NOCHECK, "\x05\x00", 2,
								  0);
		if (rc < 0)
			return accord_err_gnutls(err, where, "gnutls_x509_crt_set_extension_by_oid",
						 rc);
	}
	return ACCORD_OK;
}

/* A positive 20-byte serial (RFC 5280 4.1.2.2 allows at most 20 octets). */
static int set_random_serial(gnutls_x509_crt_t crt, const char *where, accord_error *err)
{
	unsigned char serial[20];
	int rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial);

	if (rc < 0)
		return accord_err_gnutls(err, where, "gnutls_rnd", rc);
	serial[0] &= 0x7f;
	if (serial[0] == 0)
		serial[0] = 0x01;
	rc = gnutls_x509_crt_set_serial(crt, serial, sizeof serial);
	if (rc < 0)
		return accord_err_gnutls(err, where, "gnutls_x509_crt_set_serial", rc);
	return ACCORD_OK;
}

static int check_identity(const accord_identity *id, const char *where, accord_error *err)
{
	if (!id || !id->name || !*id->name)
		return accord_err(err, ACCORD_ERR_USAGE, where, "a name (CN) is required");
	if (strlen(id->name) > 64)
		return accord_err(err, ACCORD_ERR_USAGE, where, "name longer than 64 characters");
	if (id->org && strlen(id->org) > 64)
		return accord_err(err, ACCORD_ERR_USAGE, where,
				  "organisation longer than 64 characters");
	if (id->country && *id->country &&
	    (strlen(id->country) != 2 || id->country[0] < 'A' || id->country[0] > 'Z' ||
	     id->country[1] < 'A' || id->country[1] > 'Z'))
		return accord_err(err, ACCORD_ERR_USAGE, where,
				  "country '%s' is not two upper-case letters", id->country);
	if (id->email && *id->email && (!strchr(id->email, '@') || strlen(id->email) > 255))
		return accord_err(err, ACCORD_ERR_USAGE, where, "'%s' is not an e-mail address",
				  id->email);
	return ACCORD_OK;
}

/* The issuing CA: its key must open and its certificate must be a CA that may sign. */
static int open_issuer(const accord_issuer *issuer, accord_signer **ca, accord_error *err)
{
	unsigned int critical = 0, is_ca = 0, ku = 0;
	int pathlen = -1, rc;

	rc = accord_signer_open(issuer->key_path, issuer->cert_path, issuer->passphrase, ca, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = gnutls_x509_crt_get_basic_constraints((*ca)->cert, &critical, &is_ca, &pathlen);
	if (rc < 0 || !is_ca)
		goto not_ca;
	rc = gnutls_x509_crt_get_key_usage((*ca)->cert, &ku, &critical);
	if (rc >= 0 && !(ku & GNUTLS_KEY_KEY_CERT_SIGN))
		goto not_ca;
	return ACCORD_OK;
not_ca:
	accord_signer_free(*ca);
	*ca = NULL;
	return accord_err(err, ACCORD_ERR_USAGE, issuer->cert_path,
			  "not a CA certificate (basicConstraints CA:TRUE and keyCertSign needed)");
}

static int keys_generate(const accord_identity *id, accord_algo algo, accord_cert_kind kind,
			 unsigned days, const accord_issuer *issuer, const char *passphrase,
			 const char *out_prefix, accord_error *err)
{
	char key_path[4096], crt_path[4096], records[4096];
	gnutls_x509_privkey_t key = NULL;
	gnutls_privkey_t self = NULL;
	gnutls_x509_crt_t crt = NULL;
	accord_signer *ca = NULL;
	gnutls_datum_t key_pem = {NULL, 0}, crt_pem = {NULL, 0};
	unsigned char keyid[64];
	size_t keyid_len;
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	time_t now = time(NULL), not_after;
	int rc, key_written = 0;

	if (!out_prefix || !*out_prefix)
		return accord_err(err, ACCORD_ERR_USAGE, "generate", "an output prefix is needed");
	if (snprintf(key_path, sizeof key_path, "%s.key", out_prefix) >= (int)sizeof key_path ||
	    snprintf(crt_path, sizeof crt_path, "%s.crt", out_prefix) >= (int)sizeof crt_path)
		return accord_err(err, ACCORD_ERR_USAGE, out_prefix, "output path too long");
	rc = check_identity(id, out_prefix, err);
	if (rc != ACCORD_OK)
		return rc;
	if (!passphrase || !*passphrase)
		return accord_err(err, ACCORD_ERR_USAGE, key_path,
				  "an empty passphrase is refused: the key is always encrypted");
	if (days > MAX_DAYS)
		return accord_err(err, ACCORD_ERR_USAGE, out_prefix, "validity of %u days is too long",
				  days);
	if (access(key_path, F_OK) == 0)
		return accord_err(err, ACCORD_ERR_EXISTS, key_path, "file exists, not overwritten");
	if (access(crt_path, F_OK) == 0)
		return accord_err(err, ACCORD_ERR_EXISTS, crt_path, "file exists, not overwritten");
	switch (algo) {
	case ACCORD_ALGO_ECDSA_P256:
		pk = GNUTLS_PK_ECDSA;
		bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);
		break;
	case ACCORD_ALGO_ED25519:
		pk = GNUTLS_PK_EDDSA_ED25519;
		bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519);
		break;
	case ACCORD_ALGO_RSA3072:
		pk = GNUTLS_PK_RSA;
		bits = 3072;
		break;
	default:
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, out_prefix, "unknown key algorithm");
	}
	if (issuer) {
		rc = accord_ca_records_path(issuer->key_path, issuer->cert_path, records,
					    sizeof records, err);
		if (rc != ACCORD_OK)
			return rc;
		rc = open_issuer(issuer, &ca, err);
		if (rc != ACCORD_OK)
			return rc;
	}

	rc = gnutls_x509_privkey_init(&key);
	if (rc < 0) {
		rc = accord_err_gnutls(err, key_path, "gnutls_x509_privkey_init", rc);
		goto out;
	}
	rc = gnutls_x509_privkey_generate2(key, pk, bits, 0, NULL, 0);
	if (rc < 0) {
		rc = accord_err_gnutls(err, key_path, "gnutls_x509_privkey_generate2", rc);
		goto out;
	}
	rc = gnutls_x509_crt_init(&crt);
	if (rc < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_init", rc);
		goto out;
	}
	if ((rc = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (rc = gnutls_x509_crt_set_key(crt, key)) < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_set_key", rc);
		goto out;
	}
	if ((rc = set_random_serial(crt, crt_path, err)) != ACCORD_OK ||
	    (rc = set_subject(crt, id, crt_path, err)) != ACCORD_OK ||
	    (rc = set_kind(crt, kind, crt_path, err)) != ACCORD_OK)
		goto out;
	/* A minute of slack so a signature made right away is inside the validity. */
	if (!days)
		days = kind == ACCORD_CERT_CA ? DEFAULT_CA_DAYS : DEFAULT_DAYS;
	not_after = now + (time_t)days * 86400;
	if (ca) {
		time_t ca_end = gnutls_x509_crt_get_expiration_time(ca->cert);
		if (ca_end != (time_t)-1 && not_after > ca_end)
			not_after = ca_end; /* a certificate must not outlive its issuer */
	}
	if ((rc = gnutls_x509_crt_set_activation_time(crt, now - 60)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(crt, not_after)) < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_set_expiration_time", rc);
		goto out;
	}
	keyid_len = sizeof keyid;
	rc = gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, keyid, &keyid_len);
	if (rc < 0 || (rc = gnutls_x509_crt_set_subject_key_id(crt, keyid, keyid_len)) < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_set_subject_key_id", rc);
		goto out;
	}
	if (ca) {
		unsigned int critical = 0;
		keyid_len = sizeof keyid;
		rc = gnutls_x509_crt_get_subject_key_id(ca->cert, keyid, &keyid_len, &critical);
		if (rc < 0) {
			keyid_len = sizeof keyid;
			rc = gnutls_x509_crt_get_key_id(ca->cert, GNUTLS_KEYID_USE_SHA1, keyid,
							&keyid_len);
		}
		if (rc < 0) {
			rc = accord_err_gnutls(err, issuer->cert_path, "gnutls_x509_crt_get_key_id",
					       rc);
			goto out;
		}
	}
	rc = gnutls_x509_crt_set_authority_key_id(crt, keyid, keyid_len);
	if (rc < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_set_authority_key_id", rc);
		goto out;
	}

	if (ca) {
		rc = gnutls_x509_crt_privkey_sign(crt, ca->cert, ca->key, cert_digest_for(ca->pk_algo),
						  0);
	} else {
		rc = gnutls_privkey_init(&self);
		if (rc >= 0)
			rc = gnutls_privkey_import_x509(self, key, 0);
		if (rc >= 0)
			rc = gnutls_x509_crt_privkey_sign(crt, crt, self, cert_digest_for((int)pk), 0);
	}
	if (rc < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_privkey_sign", rc);
		goto out;
	}
	rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &crt_pem);
	if (rc < 0) {
		rc = accord_err_gnutls(err, crt_path, "gnutls_x509_crt_export2", rc);
		goto out;
	}
	/* Recorded before it is written: the CA's OCSP responder never says "unknown" for
	 * a certificate that exists (a failed write leaves a record of a certificate nobody
	 * holds, which harms no one). */
	if (ca) {
		rc = accord_ca_record_issued(records, crt, err);
		if (rc != ACCORD_OK)
			goto out;
	}
	rc = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, passphrase,
					       GNUTLS_PKCS_PBES2_AES_256, &key_pem);
	if (rc < 0) {
		rc = accord_err_gnutls(err, key_path, "gnutls_x509_privkey_export2_pkcs8", rc);
		goto out;
	}
	rc = accord_file_write_atomic(key_path, key_pem.data, key_pem.size, 0600, 1, err);
	if (rc != ACCORD_OK)
		goto out;
	key_written = 1;
	rc = accord_file_write_atomic(crt_path, crt_pem.data, crt_pem.size, 0644, 1, err);
	if (rc != ACCORD_OK)
		goto out;
	rc = ACCORD_OK;
out:
	/* Never leave a key without its certificate behind. */
	if (rc != ACCORD_OK && key_written)
		unlink(key_path);
	if (key_pem.data) {
		gnutls_memset(key_pem.data, 0, key_pem.size);
		gnutls_free(key_pem.data);
	}
	gnutls_free(crt_pem.data);
	gnutls_privkey_deinit(self);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	accord_signer_free(ca);
	return rc;
}

int accord_keys_generate(const accord_keygen_options *opt, const char *out_prefix,
			 accord_error *err)
{
	if (!opt)
		return accord_err(err, ACCORD_ERR_USAGE, "generate", "no options given");
	return keys_generate(&opt->id, opt->algo, opt->kind, opt->days, opt->issuer,
			     opt->passphrase, out_prefix, err);
}
