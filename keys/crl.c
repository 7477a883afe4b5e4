/* keys/crl.c — certificate revocation lists issued by an accord CA. Re-running revoke
 * with the same output keeps the serials of the earlier list from the same CA. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "keys/keys.h"

#define CRL_NEXT_UPDATE_DAYS 30
#define CRL_FILE_MAX (16u * 1024 * 1024)

/* Copy the entries of an existing CRL at path (it must be signed by this CA). */
static int merge_previous(gnutls_x509_crl_t crl, const accord_signer *ca, const char *path,
			  accord_error *err)
{
	gnutls_x509_crl_t old = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	unsigned int verify = 0;
	gnutls_datum_t d;
	int rc, count;

	rc = accord_file_read(path, CRL_FILE_MAX, &data, &len, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = gnutls_x509_crl_init(&old);
	if (rc < 0) {
		rc = accord_err_gnutls(err, path, "gnutls_x509_crl_init", rc);
		goto out;
	}
	d.data = data;
	d.size = (unsigned int)len;
	rc = gnutls_x509_crl_import(old, &d, memmem(data, len, "-----BEGIN", 10)
						   ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER);
	if (rc >= 0)
		rc = gnutls_x509_crl_verify(old, &ca->cert, 1, 0, &verify);
	if (rc < 0 || verify != 0) {
		rc = accord_err(err, ACCORD_ERR_EXISTS, path,
				"file exists and is not a CRL of this CA, not overwritten");
		goto out;
	}
	count = gnutls_x509_crl_get_crt_count(old);
	for (int i = 0; i < count; i++) {
		unsigned char serial[64];
		size_t sz = sizeof serial;
		time_t when = 0;

		rc = gnutls_x509_crl_get_crt_serial(old, i, serial, &sz, &when);
		if (rc >= 0)
			rc = gnutls_x509_crl_set_crt_serial(crl, serial, sz, when);
		if (rc < 0) {
			rc = accord_err_gnutls(err, path, "gnutls_x509_crl_set_crt_serial", rc);
			goto out;
		}
	}
	rc = ACCORD_OK;
out:
	gnutls_x509_crl_deinit(old);
	free(data);
	return rc;
}

/* Is serial already listed in crl? */
static int crl_has_serial(gnutls_x509_crl_t crl, const unsigned char *serial, size_t len)
{
	int count = gnutls_x509_crl_get_crt_count(crl);

	for (int i = 0; i < count; i++) {
		unsigned char s[64];
		size_t sz = sizeof s;
		time_t t;
		if (gnutls_x509_crl_get_crt_serial(crl, i, s, &sz, &t) >= 0 && sz == len &&
		    !memcmp(s, serial, len))
			return 1;
	}
	return 0;
}

static int keys_revoke(const accord_issuer *ca_in, const char *const *cert_paths,
			      size_t n, time_t revocation_time, int reason, const char *crl_out,
			      accord_error *err)
{
	char records[4096];
	accord_signer *ca = NULL;
	gnutls_x509_crl_t crl = NULL;
	gnutls_datum_t pem = {NULL, 0};
	unsigned char keyid[64], number[8];
	size_t keyid_len = sizeof keyid;
	unsigned int critical = 0, is_ca = 0;
	time_t now = time(NULL);
	int rc, pathlen = -1;

	if (!ca_in || !crl_out || !*crl_out)
		return accord_err(err, ACCORD_ERR_USAGE, "revoke", "a CA and an output file are needed");
	if (n == 0)
		return accord_err(err, ACCORD_ERR_USAGE, "revoke", "no certificate to revoke");
	if (!revocation_time)
		revocation_time = now;
	if (reason != ACCORD_REASON_NONE && !accord_crl_reason_name(reason))
		return accord_err(err, ACCORD_ERR_USAGE, "revoke", "unknown revocation reason %d", reason);
	rc = accord_ca_records_path(ca_in->key_path, ca_in->cert_path, records, sizeof records, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_signer_open(ca_in->key_path, ca_in->cert_path, ca_in->passphrase, &ca, err);
	if (rc != ACCORD_OK)
		return rc;
	if (gnutls_x509_crt_get_basic_constraints(ca->cert, &critical, &is_ca, &pathlen) < 0 ||
	    !is_ca) {
		rc = accord_err(err, ACCORD_ERR_USAGE, ca_in->cert_path, "not a CA certificate");
		goto out;
	}
	rc = gnutls_x509_crl_init(&crl);
	if (rc < 0) {
		rc = accord_err_gnutls(err, crl_out, "gnutls_x509_crl_init", rc);
		goto out;
	}
	if (access(crl_out, F_OK) == 0) {
		rc = merge_previous(crl, ca, crl_out, err);
		if (rc != ACCORD_OK)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		gnutls_x509_crt_t *list = NULL;
		size_t count = 0;
		unsigned char serial[64];
		size_t sz = sizeof serial;

		rc = accord_crt_list_load(cert_paths[i], &list, &count, err);
		if (rc != ACCORD_OK)
			goto out;
		if (!gnutls_x509_crt_check_issuer(list[0], ca->cert)) {
			accord_crt_list_free(list, count);
			rc = accord_err(err, ACCORD_ERR_USAGE, cert_paths[i],
					"not issued by the CA '%s'", ca_in->cert_path);
			goto out;
		}
		rc = gnutls_x509_crt_get_serial(list[0], serial, &sz);
		if (rc >= 0 && !crl_has_serial(crl, serial, sz))
			rc = gnutls_x509_crl_set_crt_serial(crl, serial, sz, revocation_time);
		if (rc >= 0) {
			/* The records first: the OCSP responder answers from them. */
			rc = accord_ca_record_revoked(records, list[0], revocation_time, reason, err);
			if (rc != ACCORD_OK) {
				accord_crt_list_free(list, count);
				goto out;
			}
		}
		accord_crt_list_free(list, count);
		if (rc < 0) {
			rc = accord_err_gnutls(err, cert_paths[i], "gnutls_x509_crl_set_crt_serial",
					       rc);
			goto out;
		}
	}
	/* The CRL number grows with time, so a newer list always has a larger number. */
	for (int i = 0; i < 8; i++)
		number[i] = (unsigned char)((uint64_t)now >> (56 - 8 * i));
	if ((rc = gnutls_x509_crl_set_version(crl, 2)) < 0 ||
	    (rc = gnutls_x509_crl_set_this_update(crl, now)) < 0 ||
	    (rc = gnutls_x509_crl_set_next_update(crl, now + CRL_NEXT_UPDATE_DAYS * 86400)) < 0 ||
	    (rc = gnutls_x509_crl_set_number(crl, number, sizeof number)) < 0) {
		rc = accord_err_gnutls(err, crl_out, "gnutls_x509_crl_set", rc);
		goto out;
	}
	if (gnutls_x509_crt_get_subject_key_id(ca->cert, keyid, &keyid_len, &critical) >= 0) {
		rc = gnutls_x509_crl_set_authority_key_id(crl, keyid, keyid_len);
		if (rc < 0) {
			rc = accord_err_gnutls(err, crl_out, "gnutls_x509_crl_set_authority_key_id",
					       rc);
			goto out;
		}
	}
	rc = gnutls_x509_crl_privkey_sign(crl, ca->cert, ca->key,
					  ca->pk_algo == GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_DIG_UNKNOWN
										 : GNUTLS_DIG_SHA256,
					  0);
	if (rc < 0) {
		rc = accord_err_gnutls(err, crl_out, "gnutls_x509_crl_privkey_sign", rc);
		goto out;
	}
	rc = gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM, &pem);
	if (rc < 0) {
		rc = accord_err_gnutls(err, crl_out, "gnutls_x509_crl_export2", rc);
		goto out;
	}
	rc = accord_file_write_atomic(crl_out, pem.data, pem.size, 0644, 0, err);
out:
	gnutls_free(pem.data);
	gnutls_x509_crl_deinit(crl);
	accord_signer_free(ca);
	return rc;
}

int accord_keys_revoke(const accord_issuer *ca, const accord_revoke_options *opt,
		       const char *crl_out, accord_error *err)
{
	if (!opt)
		return accord_err(err, ACCORD_ERR_USAGE, "revoke", "no options given");
	return keys_revoke(ca, opt->certs, opt->n_certs, opt->time,
			   opt->has_reason ? opt->reason : ACCORD_REASON_NONE, crl_out, err);
}
