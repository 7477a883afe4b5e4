/* tests/unit/test_policy.c — the crypto policy's table (verify/crypto_policy.c): what is
 * never acceptable, what is acceptable only with proof of existence before an end date,
 * and what has no end date. */
#include <string.h>
#include <time.h>
#include "unit.h"
#include "verify/verify.h"

static time_t at(int year)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = 5;
	tm.tm_mday = 1;
	return timegm(&tm);
}

START_TEST(rsa_sizes_have_end_dates)
{
	accord_crypto_verdict v;

	ck_assert(!accord_crypto_key_ok(GNUTLS_PK_RSA, 512, 0, at(1995), &v));
	ck_assert_int_eq(v.subindication, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE);
	ck_assert(strstr(v.message, "512") != NULL);
	ck_assert(accord_crypto_key_ok(GNUTLS_PK_RSA, 1024, 0, at(2012), &v));
	ck_assert(!accord_crypto_key_ok(GNUTLS_PK_RSA, 1024, 0, at(2014), &v));
	ck_assert_int_eq(v.subindication, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
	ck_assert(strstr(v.message, "1900") != NULL);
	ck_assert(!accord_crypto_key_ok(GNUTLS_PK_RSA, 1536, 0, at(2026), &v));
	ck_assert(accord_crypto_key_ok(GNUTLS_PK_RSA, 2048, 0, at(2026), &v));
	ck_assert(!accord_crypto_key_ok(GNUTLS_PK_RSA, 2048, 0, at(2031), &v));
	ck_assert(accord_crypto_key_ok(GNUTLS_PK_RSA, 3072, 0, at(2100), &v));
}
END_TEST

START_TEST(curves_and_eddsa)
{
	accord_crypto_verdict v;

	ck_assert(accord_crypto_key_ok(GNUTLS_PK_ECDSA, 256, GNUTLS_ECC_CURVE_SECP256R1, at(2100), &v));
	ck_assert(accord_crypto_key_ok(GNUTLS_PK_ECDSA, 384, GNUTLS_ECC_CURVE_SECP384R1, at(2100), &v));
	ck_assert(!accord_crypto_key_ok(GNUTLS_PK_ECDSA, 192, GNUTLS_ECC_CURVE_SECP192R1, at(2026), &v));
	ck_assert(accord_crypto_key_ok(GNUTLS_PK_ECDSA, 192, GNUTLS_ECC_CURVE_SECP192R1, at(2010), &v));
	ck_assert(accord_crypto_key_ok(GNUTLS_PK_EDDSA_ED25519, 256, 0, at(2100), &v));
	ck_assert(!accord_crypto_key_ok(GNUTLS_PK_UNKNOWN, 0, 0, at(2000), &v));
}
END_TEST

START_TEST(digests)
{
	accord_crypto_verdict v;

	ck_assert(!accord_crypto_digest_ok(GNUTLS_DIG_MD5, at(2026), 1, &v));
	ck_assert(strstr(v.message, "MD5") != NULL);
	ck_assert(!accord_crypto_digest_ok(GNUTLS_DIG_SHA1, at(2026), 0, &v));
	ck_assert(accord_crypto_digest_ok(GNUTLS_DIG_SHA1, at(2026), 1, &v)); /* --allow-sha1 */
	ck_assert(accord_crypto_digest_ok(GNUTLS_DIG_SHA1, at(2008), 0, &v));
	ck_assert(accord_crypto_digest_ok(GNUTLS_DIG_SHA256, at(2100), 0, &v));
	ck_assert(!accord_crypto_sign_ok(GNUTLS_SIGN_ECDSA_SHA1, at(2026), 0, &v));
	ck_assert(accord_crypto_sign_ok(GNUTLS_SIGN_EDDSA_ED25519, at(2100), 0, &v));
	ck_assert(accord_crypto_sign_ok(GNUTLS_SIGN_RSA_SHA256, at(2100), 0, &v));
}
END_TEST

/* A certificate signed with SHA-1 (made here with GnuTLS): acceptable with proof of
 * existence before the end of 2016; the signer's own SHA-1 signatures keep 2009. */
START_TEST(sha1_in_certificates)
{
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	accord_crypto_verdict v;
	unsigned char serial = 1;

	ck_assert_int_ge(gnutls_x509_privkey_init(&key), 0);
	ck_assert_int_ge(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
						      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_init(&crt), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_version(crt, 3), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_serial(crt, &serial, 1), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_activation_time(crt, at(2010)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_expiration_time(crt, at(2030)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, "sha1", 4), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_key(crt, key), 0);
	ck_assert_int_ge(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA1, 0), 0);
	ck_assert(accord_crypto_crt_sign_ok(crt, at(2014), 0, &v));
	ck_assert(accord_crypto_crt_sign_ok(crt, at(2016), 0, &v));
	ck_assert(!accord_crypto_crt_sign_ok(crt, at(2017), 0, &v));
	ck_assert_int_eq(v.subindication, ACCORD_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
	ck_assert(strstr(v.message, "2016") != NULL);
	ck_assert(accord_crypto_crt_sign_ok(crt, at(2026), 1, &v)); /* --allow-sha1 */
	ck_assert(!accord_crypto_sign_ok(GNUTLS_SIGN_ECDSA_SHA1, at(2014), 0, &v));
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
}
END_TEST

/* A verdict nobody set never reads as passed: zero is INDETERMINATE, and a certificate
 * check that fails before judging (no such file) leaves INDETERMINATE. */
START_TEST(unset_verdicts_are_not_passed)
{
	accord_sig_report sr;
	accord_cert_verdict v;
	accord_error err;

	memset(&sr, 0, sizeof sr);
	ck_assert_int_eq(sr.indication, ACCORD_INDETERMINATE);
	ck_assert_int_ne(ACCORD_TOTAL_PASSED, 0);
	memset(&v, 0xff, sizeof v);
	memset(&err, 0, sizeof err);
	ck_assert_int_ne(accord_cert_verify("/nonexistent/cert.pem", NULL, &v, &err), ACCORD_OK);
	ck_assert_int_eq(v.indication, ACCORD_INDETERMINATE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	UNIT_ADD(s, rsa_sizes_have_end_dates);
	UNIT_ADD(s, curves_and_eddsa);
	UNIT_ADD(s, digests);
	UNIT_ADD(s, sha1_in_certificates);
	UNIT_ADD(s, unset_verdicts_are_not_passed);
	return unit_run(s);
}
