/* keys/certinfo.c — loading certificate files (PEM or DER, one or many) and describing
 * a certificate for people: names, validity, algorithm, usage, fingerprint. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>
#include "keys/keys.h"

/* Certificate files are small; a bundle of a few hundred certificates still fits. */
#define CERT_FILE_MAX (8u * 1024 * 1024)

void accord_crt_list_free(gnutls_x509_crt_t *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		if (list[i])
			gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
}

int accord_crt_list_parse(const unsigned char *data, size_t len, const char *where,
			  gnutls_x509_crt_t **out, size_t *n, accord_error *err)
{
	gnutls_datum_t d = {(unsigned char *)data, (unsigned int)len};
	gnutls_x509_crt_t *list = NULL;
	unsigned int count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (len > 0xffffffffu)
		return accord_err(err, ACCORD_ERR_LIMIT, where, "certificate file too large");
	if (memmem(data, len, "-----BEGIN", 10)) {
		rc = gnutls_x509_crt_list_import2(&list, &count, &d, GNUTLS_X509_FMT_PEM, 0);
		if (rc < 0 || count == 0) {
			if (list)
				accord_crt_list_free(list, count);
			return accord_err(err, ACCORD_ERR_FORMAT, where,
					  "no readable certificate in PEM file: %s",
					  rc < 0 ? gnutls_strerror(rc) : "empty");
		}
	} else {
		list = gnutls_calloc(1, sizeof *list);
		if (!list)
			return accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
		rc = gnutls_x509_crt_init(&list[0]);
		if (rc < 0) {
			gnutls_free(list);
			return accord_err_gnutls(err, where, "gnutls_x509_crt_init", rc);
		}
		rc = gnutls_x509_crt_import(list[0], &d, GNUTLS_X509_FMT_DER);
		if (rc < 0) {
			accord_crt_list_free(list, 1);
			return accord_err(err, ACCORD_ERR_FORMAT, where,
					  "not a PEM or DER certificate: %s", gnutls_strerror(rc));
		}
		count = 1;
	}
	*out = list;
	*n = count;
	return ACCORD_OK;
}

int accord_crt_list_load(const char *path, gnutls_x509_crt_t **out, size_t *n, accord_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = accord_file_read(path, CERT_FILE_MAX, &data, &len, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_crt_list_parse(data, len, path, out, n, err);
	free(data);
	return rc;
}

/* SHA-256 of the DER as read: gnutls_x509_crt_export2 hands back the bytes imported
 * (gnutls_x509_crt_get_fingerprint encodes the whole certificate again each time, the
 * largest cost of verifying many signatures after the signature checks; issue #12). */
int accord_crt_sha256(gnutls_x509_crt_t crt, unsigned char out[32])
{
	gnutls_datum_t der = {NULL, 0};
	int rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der);

	if (rc >= 0)
		rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, out);
	gnutls_free(der.data);
	return rc < 0 ? ACCORD_ERR_CRYPTO : ACCORD_OK;
}

static void copy_datum(char *dst, size_t n, const gnutls_datum_t *d)
{
	size_t len = d->size < n - 1 ? d->size : n - 1;

	memcpy(dst, d->data, len);
	dst[len] = '\0';
}

static void describe_algorithm(gnutls_x509_crt_t crt, char *buf, size_t n)
{
	unsigned int bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);

	switch (pk) {
	case GNUTLS_PK_RSA:
		snprintf(buf, n, "RSA %u", bits);
		break;
	case GNUTLS_PK_RSA_PSS:
		snprintf(buf, n, "RSA-PSS %u", bits);
		break;
	case GNUTLS_PK_EDDSA_ED25519:
		snprintf(buf, n, "Ed25519");
		break;
	case GNUTLS_PK_EDDSA_ED448:
		snprintf(buf, n, "Ed448");
		break;
	case GNUTLS_PK_ECDSA: {
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};
		const char *name;

		if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) >= 0) {
			gnutls_free(x.data);
			gnutls_free(y.data);
		}
		switch (curve) {
		case GNUTLS_ECC_CURVE_SECP256R1: name = "P-256"; break;
		case GNUTLS_ECC_CURVE_SECP384R1: name = "P-384"; break;
		case GNUTLS_ECC_CURVE_SECP521R1: name = "P-521"; break;
		default: name = gnutls_ecc_curve_get_name(curve); break;
		}
		snprintf(buf, n, "ECDSA %s", name ? name : "unknown curve");
		break;
	}
	default: {
		const char *name = gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)pk);
		snprintf(buf, n, "%s", name ? name : "unknown");
		break;
	}
	}
}

static void describe_key_usage(unsigned int ku, char *buf, size_t n)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{GNUTLS_KEY_DIGITAL_SIGNATURE, "digitalSignature"},
		{GNUTLS_KEY_NON_REPUDIATION, "nonRepudiation"},
		{GNUTLS_KEY_KEY_ENCIPHERMENT, "keyEncipherment"},
		{GNUTLS_KEY_DATA_ENCIPHERMENT, "dataEncipherment"},
		{GNUTLS_KEY_KEY_AGREEMENT, "keyAgreement"},
		{GNUTLS_KEY_KEY_CERT_SIGN, "keyCertSign"},
		{GNUTLS_KEY_CRL_SIGN, "cRLSign"},
		{GNUTLS_KEY_ENCIPHER_ONLY, "encipherOnly"},
		{GNUTLS_KEY_DECIPHER_ONLY, "decipherOnly"},
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(ku & names[i].bit))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", names[i].name);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

/* RFC 3161 2.3: a TSA certificate has one critical extendedKeyUsage holding only
 * id-kp-timeStamping. */
static int crt_is_tsa(gnutls_x509_crt_t crt, int *has_eku_ts)
{
	char oid[128];
	unsigned int critical = 0;
	int count = 0, ts = 0;

	*has_eku_ts = 0;
	for (unsigned int i = 0;; i++) {
		size_t sz = sizeof oid;
		unsigned int crit = 0;
		int rc = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &sz, &crit);
		if (rc < 0)
			break;
		critical = crit;
		count++;
		if (!strcmp(oid, GNUTLS_KP_TIME_STAMPING))
			ts = 1;
	}
	*has_eku_ts = ts;
	return ts && count == 1 && critical;
}

int accord_crt_describe(gnutls_x509_crt_t crt, accord_cert_info *out, accord_error *err)
{
	gnutls_datum_t d = {NULL, 0};
	unsigned char fp[32], serial[64];
	size_t sz;
	unsigned int ku = 0, crit = 0, ca = 0;
	int rc, pathlen = -1, eku_ts = 0;

	memset(out, 0, sizeof *out);
	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0) {
		copy_datum(out->subject, sizeof out->subject, &d);
		gnutls_free(d.data);
		d.data = NULL;
	}
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0) {
		copy_datum(out->issuer, sizeof out->issuer, &d);
		gnutls_free(d.data);
		d.data = NULL;
	}
	sz = sizeof out->name;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, out->name,
					  &sz) < 0)
		out->name[0] = '\0';
	sz = sizeof out->org;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, 0, out->org, &sz) < 0)
		out->org[0] = '\0';
	sz = sizeof out->country;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COUNTRY_NAME, 0, 0, out->country, &sz) < 0)
		out->country[0] = '\0';
	sz = sizeof out->issuer_name;
	if (gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, out->issuer_name, &sz) < 0) {
		sz = sizeof out->issuer_name;
		if (gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, 0,
							 out->issuer_name, &sz) < 0)
			out->issuer_name[0] = '\0';
	}
	out->not_before = gnutls_x509_crt_get_activation_time(crt);
	out->not_after = gnutls_x509_crt_get_expiration_time(crt);
	describe_algorithm(crt, out->algorithm, sizeof out->algorithm);
	rc = accord_crt_sha256(crt, fp);
	if (rc != ACCORD_OK)
		return accord_err(err, ACCORD_ERR_CRYPTO, out->subject,
				  "cannot compute the certificate fingerprint");
	accord_hex_colons(fp, sizeof fp, out->sha256);
	accord_hex(fp, sizeof fp, out->sha256_hex);
	rc = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca, &pathlen);
	out->is_ca = rc >= 0 && ca;
	out->is_tsa = crt_is_tsa(crt, &eku_ts);
	out->has_eku_timestamping = eku_ts;
	if (gnutls_x509_crt_get_key_usage(crt, &ku, &crit) >= 0) {
		describe_key_usage(ku, out->key_usage, sizeof out->key_usage);
		out->key_usage_bits = ku;
	}
	sz = sizeof serial;
	if (gnutls_x509_crt_get_serial(crt, serial, &sz) >= 0 && sz <= 40)
		accord_hex(serial, sz, out->serial_hex);
	for (unsigned int i = 0;; i++) {
		char buf[256];
		unsigned int type = 0;
		sz = sizeof buf - 1;
		rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, buf, &sz, &type, NULL);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0)
			continue;
		if (type == GNUTLS_SAN_RFC822NAME) {
			buf[sz < sizeof buf ? sz : sizeof buf - 1] = '\0';
			snprintf(out->email, sizeof out->email, "%s", buf);
			break;
		}
	}
	return ACCORD_OK;
}

int accord_cert_info_der(const unsigned char *der, size_t len, accord_cert_info *out,
			 accord_error *err)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned int)len};
	int rc;

	if (len > 0xffffffffu)
		return accord_err(err, ACCORD_ERR_LIMIT, "certificate", "certificate too large");
	rc = gnutls_x509_crt_init(&crt);
	if (rc < 0)
		return accord_err_gnutls(err, "certificate", "gnutls_x509_crt_init", rc);
	rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, "certificate",
				"not a DER certificate: %s", gnutls_strerror(rc));
		goto out;
	}
	rc = accord_crt_describe(crt, out, err);
out:
	gnutls_x509_crt_deinit(crt);
	return rc;
}

int accord_cert_info_load(const char *path, accord_cert_info *out, accord_error *err)
{
	gnutls_x509_crt_t *list = NULL;
	size_t n = 0;
	int rc;

	rc = accord_crt_list_load(path, &list, &n, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = accord_crt_describe(list[0], out, err);
	accord_crt_list_free(list, n);
	return rc;
}

void accord_crt_cn(gnutls_x509_crt_t crt, char *buf, size_t n)
{
	size_t len = n;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &len) < 0)
		snprintf(buf, n, "(no name)");
}

#define OID_KP_EMAIL "1.3.6.1.5.5.7.3.4"
#define OID_KP_DOCSIGN "1.3.6.1.5.5.7.3.36"
#define OID_KP_ANY "2.5.29.37.0"
#define OID_KP_TIMESTAMPING "1.3.6.1.5.5.7.3.8"
#define OID_KP_OCSP_SIGNING "1.3.6.1.5.5.7.3.9"

int accord_crt_eku_bits(gnutls_x509_crt_t crt, unsigned *critical)
{
	int bits = 0;

	for (unsigned i = 0; i < 32; i++) {
		char oid[128];
		size_t len = sizeof oid;
		int rc = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &len, critical);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return i == 0 ? -1 : bits;
		if (rc < 0)
			return ACCORD_EKU_OTHER;
		if (!strcmp(oid, OID_KP_EMAIL))
			bits |= ACCORD_EKU_EMAIL;
		else if (!strcmp(oid, OID_KP_DOCSIGN))
			bits |= ACCORD_EKU_DOCSIGN;
		else if (!strcmp(oid, OID_KP_ANY))
			bits |= ACCORD_EKU_ANY;
		else if (!strcmp(oid, OID_KP_TIMESTAMPING))
			bits |= ACCORD_EKU_TS;
		else if (!strcmp(oid, OID_KP_OCSP_SIGNING))
			bits |= ACCORD_EKU_OCSP;
		else
			bits |= ACCORD_EKU_OTHER;
	}
	return bits;
}

int accord_crt_may_sign(gnutls_x509_crt_t crt, int refuse_ca, char *why, size_t n)
{
	unsigned ku = 0, crit = 0, ca = 0;
	int eku = accord_crt_eku_bits(crt, &crit);
	int has_ku = gnutls_x509_crt_get_key_usage(crt, &ku, &crit) >= 0;
	char name[256];

	accord_crt_cn(crt, name, sizeof name);
	if (has_ku && !(ku & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION))) {
		snprintf(why, n, "certificate '%s' is not for signing (key usage has neither digitalSignature nor nonRepudiation)",
			 name);
		return 0;
	}
	if (eku >= 0 && !(eku & (ACCORD_EKU_EMAIL | ACCORD_EKU_DOCSIGN | ACCORD_EKU_ANY))) {
		snprintf(why, n, "certificate '%s' is not for signing documents (its extended key usage allows %s)",
			 name, eku & ACCORD_EKU_TS ? "timestamping" : eku & ACCORD_EKU_OCSP ? "OCSP signing" : "other purposes only");
		return 0;
	}
	if (refuse_ca && gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca, NULL) >= 0 && ca) {
		snprintf(why, n, "certificate '%s' is a CA certificate (basicConstraints CA:TRUE): a CA issues certificates, a party signs with its own",
			 name);
		return 0;
	}
	return 1;
}

int accord_crt_copy_first(const char *src, const char *dst, accord_error *err)
{
	gnutls_x509_crt_t *list = NULL;
	size_t n = 0;
	gnutls_datum_t pem = {NULL, 0};
	int rc, grc;

	rc = accord_crt_list_load(src, &list, &n, err);
	if (rc != ACCORD_OK)
		return rc;
	if (n == 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, src, "no certificate");
		goto out;
	}
	grc = gnutls_x509_crt_export2(list[0], GNUTLS_X509_FMT_PEM, &pem);
	if (grc < 0) {
		rc = accord_err_gnutls(err, src, "gnutls_x509_crt_export2", grc);
		goto out;
	}
	rc = accord_file_write_atomic(dst, pem.data, pem.size, 0644, 1, err);
out:
	gnutls_free(pem.data);
	accord_crt_list_free(list, n);
	return rc;
}
