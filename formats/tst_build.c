/* formats/tst_build.c — building and signing a TimeStampToken (CMS SignedData over a
 * TSTInfo, with an ESS signingCertificateV2): accord_tst_build. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/crypto.h>
#include "formats/tst_internal.h"

/* Write GeneralNames at PREFIX holding one directoryName (DN is DER of a Name). */
static int write_dirname(asn1_node node, const char *prefix, const gnutls_datum_t *dn,
			 accord_error *err)
{
	char name[160];
	int rc;

	snprintf(name, sizeof name, "%s.directoryName", prefix);
	rc = tst_write_str(node, prefix, "directoryName", err);
	if (rc == ACCORD_OK)
		rc = tst_write(node, name, dn->data, dn->size, err);
	return rc;
}

/* signingCertificateV2 value: ESSCertIDv2 { SHA-256 (default, so omitted), certHash,
 * issuerSerial }. */
static int build_signing_cert_v2(gnutls_x509_crt_t cert, const gnutls_datum_t *cert_der,
				 unsigned char **out, size_t *len, accord_error *err)
{
	asn1_node sc = NULL;
	unsigned char hash[32], serial[64];
	size_t serial_len = sizeof serial;
	gnutls_datum_t issuer = {NULL, 0};
	int rc, grc;

	grc = gnutls_hash_fast(GNUTLS_DIG_SHA256, cert_der->data, cert_der->size, hash);
	if (grc < 0)
		return accord_err_gnutls(err, "timestamp", "gnutls_hash_fast", grc);
	grc = gnutls_x509_crt_get_raw_issuer_dn(cert, &issuer);
	if (grc < 0)
		return accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_raw_issuer_dn", grc);
	grc = gnutls_x509_crt_get_serial(cert, serial, &serial_len);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_serial", grc);
		goto out;
	}
	rc = tst_node_new("SigningCertificateV2", &sc, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sc, "certs", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "certs.?1.hashAlgorithm", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "certs.?1.certHash", hash, sizeof hash, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sc, "certs.?1.issuerSerial.issuer", "NEW", err);
	if (rc == ACCORD_OK)
		rc = write_dirname(sc, "certs.?1.issuerSerial.issuer.?1", &issuer, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "certs.?1.issuerSerial.serialNumber", serial, serial_len, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sc, "policies", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(sc, "", out, len, err);
out:
	gnutls_free(issuer.data);
	asn1_delete_structure(&sc);
	return rc;
}

/* Encode a single value of type TYPE (AttrOID, AttrOctets, AttrUTCTime). */
static int encode_value(const char *type, const void *v, size_t vlen, unsigned char **out,
			size_t *len, accord_error *err)
{
	asn1_node node = NULL;
	int rc = tst_node_new(type, &node, err);

	if (rc == ACCORD_OK)
		rc = tst_write(node, "", v, vlen, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(node, "", out, len, err);
	asn1_delete_structure(&node);
	return rc;
}

/* Append one signed attribute (OID, one DER value) to signerInfos.?1.signedAttrs. */
static int add_attr(asn1_node sd, const char *oid, const unsigned char *value, size_t vlen,
		    accord_error *err)
{
	int rc = tst_write_str(sd, "signerInfos.?1.signedAttrs", "NEW", err);

	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.signedAttrs.?LAST.attrType", oid, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.signedAttrs.?LAST.attrValues", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.signedAttrs.?LAST.attrValues.?LAST", value, vlen, err);
	return rc;
}

static int build_tstinfo(const accord_tst_params *p, gnutls_x509_crt_t cert, unsigned char **out,
			 size_t *len, accord_error *err)
{
	asn1_node tst = NULL;
	unsigned char ibuf[ACCORD_TST_MAX_NONCE + 40];
	gnutls_datum_t subject = {NULL, 0};
	char when[32];
	struct tm tm;
	int rc, grc;

	if (!gmtime_r(&p->gen_time, &tm) || strftime(when, sizeof when, "%Y%m%d%H%M%SZ", &tm) != 15)
		return accord_err(err, ACCORD_ERR_USAGE, "timestamp", "time out of range");
	if (p->serial_len == 0 || p->serial_len > 20 || p->nonce_len > ACCORD_TST_MAX_NONCE)
		return accord_err(err, ACCORD_ERR_USAGE, "timestamp", "bad serial or nonce length");
	rc = tst_node_new("TSTInfo", &tst, err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(tst, "version", "1", err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(tst, "policy", p->policy, err);
	if (rc == ACCORD_OK)
		rc = tst_write_digest_alg(tst, "messageImprint.hashAlgorithm", p->imprint_alg,
					  p->imprint_params_null, err);
	if (rc == ACCORD_OK)
		rc = tst_write(tst, "messageImprint.hashedMessage", p->imprint, p->imprint_len, err);
	if (rc == ACCORD_OK)
		rc = tst_write(tst, "serialNumber", ibuf,
			       tst_int_positive(p->serial, p->serial_len, ibuf), err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(tst, "genTime", when, err);
	if (rc == ACCORD_OK && p->accuracy_seconds) {
		char secs[16];
		snprintf(secs, sizeof secs, "%u", p->accuracy_seconds);
		rc = tst_write_int(tst, "accuracy.seconds", secs, err);
		if (rc == ACCORD_OK)
			rc = tst_write(tst, "accuracy.millis", NULL, 0, err);
		if (rc == ACCORD_OK)
			rc = tst_write(tst, "accuracy.micros", NULL, 0, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(tst, "accuracy", NULL, 0, err);
	}
	if (rc == ACCORD_OK && p->nonce)
		rc = tst_write(tst, "nonce", ibuf, tst_int_positive(p->nonce, p->nonce_len, ibuf), err);
	else if (rc == ACCORD_OK)
		rc = tst_write(tst, "nonce", NULL, 0, err);
	if (rc == ACCORD_OK && p->include_tsa_name) {
		grc = gnutls_x509_crt_get_raw_dn(cert, &subject);
		if (grc < 0)
			rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_raw_dn", grc);
		else
			rc = write_dirname(tst, "tsa", &subject, err);
	} else if (rc == ACCORD_OK) {
		rc = tst_write(tst, "tsa", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(tst, "extensions", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(tst, "", out, len, err);
	gnutls_free(subject.data);
	asn1_delete_structure(&tst);
	return rc;
}

int accord_tst_build(const accord_tst_params *p, gnutls_privkey_t key, gnutls_x509_crt_t cert,
		     const gnutls_datum_t *cert_der, unsigned char **token, size_t *token_len,
		     accord_error *err)
{
	asn1_node sd = NULL, ci = NULL;
	unsigned char *tstinfo = NULL, *v = NULL, *attrs = NULL, *sd_der = NULL;
	size_t tstinfo_len = 0, vlen = 0, attrs_len = 0, sd_len = 0;
	unsigned char md[64], serial[64];
	size_t serial_len = sizeof serial;
	gnutls_datum_t issuer = {NULL, 0}, sig = {NULL, 0}, tbs;
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_SHA256;
	gnutls_sign_algorithm_t salg;
	unsigned bits = 0;
	int pk, rc, grc;
	const char *soid;
	char when[32];
	struct tm tm;

	*token = NULL;
	*token_len = 0;
	if (p->digest != GNUTLS_DIG_UNKNOWN)
		dig = p->digest;
	pk = gnutls_privkey_get_pk_algorithm(key, &bits);
	if (pk == GNUTLS_PK_EDDSA_ED25519) {
		dig = GNUTLS_DIG_SHA512; /* RFC 8419: SHA-512 with Ed25519 and signed attributes */
		salg = GNUTLS_SIGN_EDDSA_ED25519;
	} else {
		salg = gnutls_pk_to_sign(pk, dig);
	}
	soid = gnutls_sign_get_oid(salg);
	if (salg == GNUTLS_SIGN_UNKNOWN || !soid)
		return accord_err(err, ACCORD_ERR_UNSUPPORTED, "timestamp",
				  "no CMS signature algorithm for key type %s",
				  gnutls_pk_get_name(pk));

	rc = build_tstinfo(p, cert, &tstinfo, &tstinfo_len, err);
	if (rc != ACCORD_OK)
		goto out;
	grc = gnutls_x509_crt_get_raw_issuer_dn(cert, &issuer);
	if (grc >= 0)
		grc = gnutls_x509_crt_get_serial(cert, serial, &serial_len);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_get_serial", grc);
		goto out;
	}

	rc = tst_node_new("SignedData", &sd, err);
	/* version 3: the eContentType is not id-data (RFC 5652 5.1) */
	if (rc == ACCORD_OK)
		rc = tst_write_int(sd, "version", "3", err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "digestAlgorithms", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write_digest_alg(sd, "digestAlgorithms.?LAST", dig, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "encapContentInfo.eContentType", ACCORD_OID_TSTINFO, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "encapContentInfo.eContent", tstinfo, tstinfo_len, err);
	if (rc == ACCORD_OK && (p->include_cert || p->chain_len)) {
		if (p->include_cert) {
			rc = tst_write_str(sd, "certificates", "NEW", err);
			if (rc == ACCORD_OK)
				rc = tst_write(sd, "certificates.?LAST", cert_der->data, cert_der->size, err);
		}
		for (size_t i = 0; rc == ACCORD_OK && i < p->chain_len; i++) {
			gnutls_datum_t d = {NULL, 0};
			grc = gnutls_x509_crt_export2(p->chain[i], GNUTLS_X509_FMT_DER, &d);
			if (grc < 0) {
				rc = accord_err_gnutls(err, "timestamp", "gnutls_x509_crt_export2", grc);
				break;
			}
			rc = tst_write_str(sd, "certificates", "NEW", err);
			if (rc == ACCORD_OK)
				rc = tst_write(sd, "certificates.?LAST", d.data, d.size, err);
			gnutls_free(d.data);
		}
	} else if (rc == ACCORD_OK) {
		rc = tst_write(sd, "certificates", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "crls", NULL, 0, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos", "NEW", err);
	if (rc == ACCORD_OK)
		rc = tst_write_int(sd, "signerInfos.?1.version", "1", err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.sid", "issuerAndSerialNumber", err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.sid.issuerAndSerialNumber.issuer", issuer.data,
			       issuer.size, err);
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.sid.issuerAndSerialNumber.serialNumber", serial,
			       serial_len, err);
	if (rc == ACCORD_OK)
		rc = tst_write_digest_alg(sd, "signerInfos.?1.digestAlgorithm", dig, 0, err);

	/* Signed attributes: contentType, messageDigest, signingTime, signingCertificateV2. */
	if (rc == ACCORD_OK)
		rc = encode_value("AttrOID", ACCORD_OID_TSTINFO, strlen(ACCORD_OID_TSTINFO), &v, &vlen, err);
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_CONTENT_TYPE, v, vlen, err);
	free(v);
	v = NULL;
	if (rc == ACCORD_OK) {
		grc = gnutls_hash_fast(dig, tstinfo, tstinfo_len, md);
		if (grc < 0)
			rc = accord_err_gnutls(err, "timestamp", "gnutls_hash_fast", grc);
	}
	if (rc == ACCORD_OK)
		rc = encode_value("AttrOctets", md, gnutls_hash_get_len(dig), &v, &vlen, err);
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_MESSAGE_DIGEST, v, vlen, err);
	free(v);
	v = NULL;
	if (rc == ACCORD_OK) {
		/* UTCTime until 2049 (RFC 5652 11.3), GeneralizedTime after. */
		int utc = gmtime_r(&p->gen_time, &tm) && tm.tm_year < 150;
		if (utc)
			snprintf(when, sizeof when, "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		else
			strftime(when, sizeof when, "%Y%m%d%H%M%SZ", &tm);
		rc = encode_value(utc ? "AttrUTCTime" : "AttrGeneralizedTime", when, strlen(when), &v,
				  &vlen, err);
	}
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_SIGNING_TIME, v, vlen, err);
	free(v);
	v = NULL;
	if (rc == ACCORD_OK)
		rc = build_signing_cert_v2(cert, cert_der, &v, &vlen, err);
	if (rc == ACCORD_OK)
		rc = add_attr(sd, OID_ATTR_SIGNING_CERT_V2, v, vlen, err);
	free(v);
	v = NULL;

	if (rc == ACCORD_OK)
		rc = tst_write_str(sd, "signerInfos.?1.signatureAlgorithm.algorithm", soid, err);
	if (rc == ACCORD_OK) {
		/* RSA AlgorithmIdentifiers carry NULL parameters; ECDSA and EdDSA none. */
		if (pk == GNUTLS_PK_RSA)
			rc = tst_write(sd, "signerInfos.?1.signatureAlgorithm.parameters", "\x05\x00", 2, err);
		else
			rc = tst_write(sd, "signerInfos.?1.signatureAlgorithm.parameters", NULL, 0, err);
	}
	if (rc == ACCORD_OK)
		rc = tst_write(sd, "signerInfos.?1.unsignedAttrs", NULL, 0, err);
	/* The signature covers the DER SET OF the attributes: the stored [0] with tag 0x31. */
	if (rc == ACCORD_OK)
		rc = tst_encode(sd, "signerInfos.?1.signedAttrs", &attrs, &attrs_len, err);
	if (rc != ACCORD_OK)
		goto out;
	if (attrs_len < 2 || attrs[0] != 0xa0) {
		rc = accord_err(err, ACCORD_ERR_CRYPTO, "timestamp", "unexpected signed attributes encoding");
		goto out;
	}
	attrs[0] = 0x31;
	tbs.data = attrs;
	tbs.size = (unsigned)attrs_len;
	grc = gnutls_privkey_sign_data2(key, salg, 0, &tbs, &sig);
	if (grc < 0) {
		rc = accord_err_gnutls(err, "timestamp", "gnutls_privkey_sign_data2", grc);
		goto out;
	}
	rc = tst_write(sd, "signerInfos.?1.signature", sig.data, sig.size, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(sd, "", &sd_der, &sd_len, err);
	if (rc == ACCORD_OK)
		rc = tst_node_new("ContentInfo", &ci, err);
	if (rc == ACCORD_OK)
		rc = tst_write_str(ci, "contentType", OID_SIGNED_DATA, err);
	if (rc == ACCORD_OK)
		rc = tst_write(ci, "content", sd_der, sd_len, err);
	if (rc == ACCORD_OK)
		rc = tst_encode(ci, "", token, token_len, err);
out:
	free(tstinfo);
	free(v);
	free(attrs);
	free(sd_der);
	gnutls_free(issuer.data);
	gnutls_free(sig.data);
	asn1_delete_structure(&sd);
	asn1_delete_structure(&ci);
	return rc;
}
