/* verify/crypto_policy.c — which algorithms and key sizes are acceptable, and until when.
 * One table, after ETSI TS 119 312 and the EU DSS default validation policy: an item
 * past its end date is acceptable only with proof of existence (a timestamp) before it. */
#include <string.h>
#include <gnutls/abstract.h>
#include "verify/verify.h"

/* 23:59:59 UTC on 31 December of year y. */
static time_t end_of_year(int y)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = 11;
	tm.tm_mday = 31;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	return timegm(&tm);
}

/* End years: 0 means no end date is set; -1 means never acceptable. */
static int digest_end_year(gnutls_digest_algorithm_t d)
{
	switch (d) {
	case GNUTLS_DIG_MD5:
		return 2004;
	case GNUTLS_DIG_SHA1:
		return 2009;
	case GNUTLS_DIG_SHA224:
		return 2029;
	case GNUTLS_DIG_SHA256:
	case GNUTLS_DIG_SHA384:
	case GNUTLS_DIG_SHA512:
	case GNUTLS_DIG_SHA3_256:
	case GNUTLS_DIG_SHA3_384:
	case GNUTLS_DIG_SHA3_512:
		return 0;
	default:
		return -1;
	}
}

/* RSA and DSA by modulus size, elliptic curves by curve. */
static int key_end_year(gnutls_pk_algorithm_t pk, unsigned bits, gnutls_ecc_curve_t curve,
			unsigned *floor_bits)
{
	*floor_bits = 0;
	switch (pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
	case GNUTLS_PK_DSA:
		*floor_bits = ACCORD_MIN_RSA_BITS;
		if (bits < 1024)
			return -1;
		if (bits < 1536)
			return 2013;
		if (bits < ACCORD_MIN_RSA_BITS)
			return 2016;
		if (bits < 3000)
			return 2029;
		return 0;
	case GNUTLS_PK_ECDSA:
		switch (curve) {
		case GNUTLS_ECC_CURVE_SECP192R1:
			return 2013;
		case GNUTLS_ECC_CURVE_SECP224R1:
			return 2016;
		case GNUTLS_ECC_CURVE_SECP256R1:
		case GNUTLS_ECC_CURVE_SECP384R1:
		case GNUTLS_ECC_CURVE_SECP521R1:
			return 0;
		default:
			return -1;
		}
	case GNUTLS_PK_EDDSA_ED25519:
	case GNUTLS_PK_EDDSA_ED448:
		return 0;
	default:
		return -1;
	}
}

static int judge(int end, time_t poe, const char *what, accord_crypto_verdict *v)
{
	char when[40];

	if (end == 0)
		return 1;
	if (end < 0) {
		v->subindication = ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE;
		snprintf(v->message, sizeof v->message, "%s is not an acceptable algorithm", what);
		return 0;
	}
	if (poe <= end_of_year(end))
		return 1;
	accord_time_format(end_of_year(end), when, sizeof when);
	v->subindication = ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE;
	snprintf(v->message, sizeof v->message,
		 "%s is acceptable only with proof of existence before %s", what, when);
	return 0;
}

int accord_crypto_digest_ok(gnutls_digest_algorithm_t d, time_t poe, int allow_sha1,
			    accord_crypto_verdict *v)
{
	char what[96];

	v->subindication = ACCORD_SUB_NONE;
		v->message[0] = 0;
	if (d == GNUTLS_DIG_SHA1 && allow_sha1)
		return 1;
	snprintf(what, sizeof what, "digest %s",
		 d == GNUTLS_DIG_UNKNOWN ? "(unknown)" : gnutls_digest_get_name(d));
	return judge(digest_end_year(d), poe, what, v);
}

int accord_crypto_key_ok(gnutls_pk_algorithm_t pk, unsigned bits, gnutls_ecc_curve_t curve,
			 time_t poe, accord_crypto_verdict *v)
{
	unsigned floor_bits;
	int end = key_end_year(pk, bits, curve, &floor_bits);
	char what[160];

	if (pk == GNUTLS_PK_ECDSA)
		snprintf(what, sizeof what, "ECDSA key on curve %s",
			 gnutls_ecc_curve_get_name(curve) ? gnutls_ecc_curve_get_name(curve) : "(unknown)");
	else if (floor_bits && bits < floor_bits)
		snprintf(what, sizeof what, "%s %u-bit key (below the %u-bit minimum)",
			 gnutls_pk_get_name(pk) ? gnutls_pk_get_name(pk) : "?", bits, floor_bits);
	else
		snprintf(what, sizeof what, "%s %u-bit key",
			 gnutls_pk_get_name(pk) ? gnutls_pk_get_name(pk) : "(unknown)", bits);
	return judge(end, poe, what, v);
}

int accord_crypto_pubkey_ok(gnutls_pubkey_t pub, time_t poe, accord_crypto_verdict *v)
{
	unsigned bits = 0;
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	int pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);

	if (pk == GNUTLS_PK_ECDSA &&
	    gnutls_pubkey_export_ecc_raw2(pub, &curve, NULL, NULL, 0) < 0)
		curve = GNUTLS_ECC_CURVE_INVALID;
	return accord_crypto_key_ok((gnutls_pk_algorithm_t)(pk < 0 ? 0 : pk), bits, curve, poe, v);
}

/* The algorithm, size and curve of crt's key: 1, 0 when it cannot be read, -1 when no
 * key object could be made. Remembered in m (may be NULL) by crt's DER: the three
 * depend on nothing else. */
#define KEY_UNREADABLE (-1)
static int key_params(accord_memo *m, gnutls_x509_crt_t crt, int *pk, unsigned *bits,
		      gnutls_ecc_curve_t *curve)
{
	gnutls_pubkey_t pub = NULL;
	unsigned char key[32];
	unsigned st = 0;
	int rc, keyed = m && accord_memo_key(key, "key parameters", 0, 0, &crt, 1) == 0;

	if (keyed && accord_memo_get(m, key, &rc, &st)) {
		if (rc == KEY_UNREADABLE)
			return 0;
		*pk = rc >> 8;
		*curve = (gnutls_ecc_curve_t)(rc & 0xff);
		*bits = st;
		return 1;
	}
	if (gnutls_pubkey_init(&pub) < 0)
		return -1;
	if (gnutls_pubkey_import_x509(pub, crt, 0) < 0) {
		gnutls_pubkey_deinit(pub);
		if (keyed)
			accord_memo_put(m, key, KEY_UNREADABLE, 0);
		return 0;
	}
	*bits = 0;
	*curve = GNUTLS_ECC_CURVE_INVALID;
	*pk = gnutls_pubkey_get_pk_algorithm(pub, bits);
	if (*pk < 0)
		*pk = 0;
	if (*pk == GNUTLS_PK_ECDSA && gnutls_pubkey_export_ecc_raw2(pub, curve, NULL, NULL, 0) < 0)
		*curve = GNUTLS_ECC_CURVE_INVALID;
	gnutls_pubkey_deinit(pub);
	if (keyed && *pk < (1 << 22) && (unsigned)*curve < 256)
		accord_memo_put(m, key, (*pk << 8) | (int)*curve, *bits);
	return 1;
}

int accord_crypto_crt_key_ok_in(accord_memo *m, gnutls_x509_crt_t crt, time_t poe,
				accord_crypto_verdict *v)
{
	unsigned bits = 0;
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	int pk = 0, got = key_params(m, crt, &pk, &bits, &curve);

	if (got < 0)
		return 0;
	if (!got) {
		v->subindication = ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE;
		snprintf(v->message, sizeof v->message, "the certificate's public key cannot be read");
		return 0;
	}
	return accord_crypto_key_ok((gnutls_pk_algorithm_t)pk, bits, curve, poe, v);
}

int accord_crypto_crt_key_ok(gnutls_x509_crt_t crt, time_t poe, accord_crypto_verdict *v)
{
	return accord_crypto_crt_key_ok_in(NULL, crt, poe, v);
}

/* SHA-1 in a CA's signature on a certificate: public CAs stopped issuing such certificates
 * at the end of 2015 (CA/Browser Forum Baseline Requirements 7.1.3) and the first SHA-1
 * collision came in 2017 (SHAttered); forging a certificate that already exists needs a
 * second preimage, which nobody has. So a certificate signed with SHA-1 is acceptable with
 * proof of existence (the time its path is judged at) before the end of 2016. The
 * signer's own signatures, CRLs, OCSP responses and timestamps keep the 2009 date. */
#define SHA1_CERT_END_YEAR 2016

static int sign_ok(gnutls_sign_algorithm_t s, time_t poe, int allow_sha1, int on_certificate,
		   accord_crypto_verdict *v)
{
	gnutls_digest_algorithm_t d;
	int ok;

	if (s == GNUTLS_SIGN_UNKNOWN) {
		v->subindication = ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE;
		snprintf(v->message, sizeof v->message, "unknown signature algorithm");
		return 0;
	}
	d = gnutls_sign_get_hash_algorithm(s);
	/* EdDSA hashes inside the algorithm: nothing to judge beyond the key. */
	if (d == GNUTLS_DIG_UNKNOWN &&
	    (gnutls_sign_get_pk_algorithm(s) == GNUTLS_PK_EDDSA_ED25519 ||
	     gnutls_sign_get_pk_algorithm(s) == GNUTLS_PK_EDDSA_ED448))
		return 1;
	if (d == GNUTLS_DIG_SHA1 && on_certificate && !allow_sha1) {
		v->subindication = ACCORD_SUB_NONE;
		v->message[0] = 0;
		ok = judge(SHA1_CERT_END_YEAR, poe, "digest SHA1 (in a certificate)", v);
	} else
		ok = accord_crypto_digest_ok(d, poe, allow_sha1, v);
	if (!ok) {
		char m[sizeof v->message];
		snprintf(m, sizeof m, "%s", v->message);
		snprintf(v->message, sizeof v->message, "signature algorithm %.40s: %.180s",
			 gnutls_sign_get_name(s) ? gnutls_sign_get_name(s) : "?", m);
		return 0;
	}
	return 1;
}

int accord_crypto_sign_ok(gnutls_sign_algorithm_t s, time_t poe, int allow_sha1,
			  accord_crypto_verdict *v)
{
	return sign_ok(s, poe, allow_sha1, 0, v);
}

int accord_crypto_crt_sign_ok(gnutls_x509_crt_t crt, time_t poe, int allow_sha1,
			      accord_crypto_verdict *v)
{
	return sign_ok((gnutls_sign_algorithm_t)gnutls_x509_crt_get_signature_algorithm(crt), poe,
		       allow_sha1, 1, v);
}

static void until(int end, char *buf, size_t n)
{
	if (end == 0)
		snprintf(buf, n, "no end date");
	else if (end < 0)
		snprintf(buf, n, "never acceptable");
	else
		snprintf(buf, n, "acceptable until %d-12-31", end);
}

void accord_crypto_describe(gnutls_x509_crt_t crt, gnutls_digest_algorithm_t d, char *buf, size_t n)
{
	unsigned bits = 0, floor_bits;
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	gnutls_pubkey_t pub = NULL;
	char ku[40], du[40];
	int pk = GNUTLS_PK_UNKNOWN;

	if (gnutls_pubkey_init(&pub) >= 0 && gnutls_pubkey_import_x509(pub, crt, 0) >= 0) {
		pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);
		if (pk == GNUTLS_PK_ECDSA && gnutls_pubkey_export_ecc_raw2(pub, &curve, NULL, NULL, 0) < 0)
			curve = GNUTLS_ECC_CURVE_INVALID;
	}
	gnutls_pubkey_deinit(pub);
	if (pk < 0)
		pk = GNUTLS_PK_UNKNOWN;
	until(key_end_year((gnutls_pk_algorithm_t)pk, bits, curve, &floor_bits), ku, sizeof ku);
	until(d == GNUTLS_DIG_UNKNOWN ? 0 : digest_end_year(d), du, sizeof du);
	if (pk == GNUTLS_PK_ECDSA)
		snprintf(buf, n, "ECDSA %s key (%s)", gnutls_ecc_curve_get_name(curve) ? gnutls_ecc_curve_get_name(curve) : "?", ku);
	else
		snprintf(buf, n, "%s %u-bit key (%s)", gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : "?", bits, ku);
	if (d != GNUTLS_DIG_UNKNOWN) {
		size_t used = strlen(buf);
		snprintf(buf + used, n - used, ", %s (%s)", gnutls_digest_get_name(d), du);
	}
}

