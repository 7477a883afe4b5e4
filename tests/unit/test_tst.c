/* tests/unit/test_tst.c — RFC 3161: requests, replies, tokens from accord's TSA and their
 * verification (imprint, nonce, trust, EKU, validity at genTime, hostile bytes). */
#define _GNU_SOURCE
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include <gnutls/crypto.h>
#include "formats/tst.h"
#include "keys/keys.h"
#include "verify/verify.h"

/* A token judged as verify judges it: bytes by formats/, the TSA by the trust engine. */
static int tst_verify_trusted(const unsigned char *token, size_t len, gnutls_digest_algorithm_t alg,
			      const unsigned char *digest, size_t dlen, const unsigned char *nonce,
			      size_t nonce_len, const gnutls_x509_crt_t *anchors, size_t n_anchors,
			      const gnutls_x509_crt_t *extra, size_t n_extra, accord_tst_result *out,
			      accord_error *err)
{
	accord_trust t;

	memset(&t, 0, sizeof t);
	t.anchors = (gnutls_x509_crt_t *)anchors;
	t.n_anchors = n_anchors;
	return accord_timestamp_validate(&t, token, len, alg, digest, dlen, nonce, nonce_len, extra,
					 n_extra, out, err);
}

#define PASS "correct horse battery staple"

static char dir[256];
static char pathbuf[8][512];
static int pathnext;

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/accord-tst-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *P(const char *name)
{
	char *b = pathbuf[pathnext++ % 8];
	snprintf(b, 512, "%s/%s", dir, name);
	return b;
}

static void gen(const char *prefix, accord_algo algo, accord_cert_kind kind,
		const accord_issuer *iss)
{
	accord_identity id = {prefix, NULL, NULL, NULL};
	accord_error err;

	accord_error_clear(&err);
	ck_assert_msg(accord_keys_generate(&(accord_keygen_options){.id = id, .algo = algo, .kind = kind, .days = 0, .issuer = iss, .passphrase = PASS}, P(prefix), &err) == ACCORD_OK,
		      "generate %s: %s: %s", prefix, err.where, err.why);
}

/* A CA "ca" and a TSA in "tsa/" issued by it; returns the opened TSA. */
static accord_tsa *make_tsa(accord_algo algo)
{
	accord_issuer iss;
	accord_tsa *tsa = NULL;
	accord_error err;
	char ca_key[512], ca_crt[512];

	gen("ca", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_CA, NULL);
	snprintf(ca_key, sizeof ca_key, "%s", P("ca.key"));
	snprintf(ca_crt, sizeof ca_crt, "%s", P("ca.crt"));
	iss.key_path = ca_key;
	iss.cert_path = ca_crt;
	iss.passphrase = PASS;
	accord_error_clear(&err);
	ck_assert_msg(accord_tsa_init(P("tsa"), &(accord_service_init_options){.id.name = "Unit TSA", .algo = algo, .ca = &iss, .passphrase = PASS}, &err) == ACCORD_OK,
		      "tsa init: %s: %s", err.where, err.why);
	ck_assert_msg(accord_tsa_open(P("tsa"), PASS, &tsa, &err) == ACCORD_OK, "tsa open: %s: %s",
		      err.where, err.why);
	return tsa;
}

static gnutls_x509_crt_t load_one(const char *path)
{
	gnutls_x509_crt_t *list = NULL, one;
	size_t n = 0;
	accord_error err;

	ck_assert_int_eq(accord_crt_list_load(path, &list, &n, &err), ACCORD_OK);
	ck_assert_uint_ge(n, 1);
	one = list[0];
	for (size_t i = 1; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return one;
}

static const unsigned char nonce8[8] = {0x81, 2, 3, 4, 5, 6, 7, 8};

/* Ask the TSA for a token over DIGEST (SHA-256); *token malloc'd. */
static void get_token(accord_tsa *tsa, const unsigned char *digest, const unsigned char *nonce,
		      int cert_req, unsigned char **token, size_t *token_len)
{
	unsigned char *req = NULL, *resp = NULL;
	size_t req_len = 0, resp_len = 0;
	accord_error err;
	int status = -1;

	accord_error_clear(&err);
	ck_assert_int_eq(accord_tsq_build(GNUTLS_DIG_SHA256, digest, 32, nonce, cert_req, &req,
					  &req_len, &err), ACCORD_OK);
	ck_assert_msg(accord_tsa_respond(tsa, req, req_len, &resp, &resp_len, &err) == ACCORD_OK,
		      "respond: %s", err.why);
	ck_assert_msg(accord_tsr_parse(resp, resp_len, &status, token, token_len, &err) == ACCORD_OK,
		      "parse reply: %s", err.why);
	ck_assert_int_eq(status, ACCORD_PKI_GRANTED);
	free(req);
	free(resp);
}

static void digest_of(const char *text, unsigned char out[32])
{
	ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, text, strlen(text), out), 0);
}

START_TEST(request_round_trip)
{
	unsigned char d[32], *der = NULL;
	size_t len = 0;
	accord_tsq q;
	accord_error err;

	digest_of("the treaty", d);
	ck_assert_int_eq(accord_tsq_build(GNUTLS_DIG_SHA256, d, 32, nonce8, 1, &der, &len, &err),
			 ACCORD_OK);
	ck_assert_int_eq(accord_tsq_parse(der, len, &q, &err), ACCORD_OK);
	ck_assert_int_eq(q.alg, GNUTLS_DIG_SHA256);
	ck_assert_uint_eq(q.digest_len, 32);
	ck_assert_mem_eq(q.digest, d, 32);
	ck_assert_int_eq(q.has_nonce, 1);
	ck_assert_uint_eq(q.nonce_len, 8);
	ck_assert_mem_eq(q.nonce, nonce8, 8);
	ck_assert_int_eq(q.cert_req, 1);
	ck_assert_str_eq(q.policy, "");
	ck_assert_int_eq(q.has_extensions, 0);
	/* version 2 is refused: TimeStampReq starts 30 LL 02 01 01 */
	ck_assert_int_eq(der[2], 0x02);
	ck_assert_int_eq(der[4], 0x01);
	der[4] = 0x02;
	ck_assert_int_eq(accord_tsq_parse(der, len, &q, &err), ACCORD_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err.why, "version"));
	der[4] = 0x01;
	/* truncated and trailing garbage are refused */
	ck_assert_int_eq(accord_tsq_parse(der, len - 1, &q, &err), ACCORD_ERR_FORMAT);
	free(der);

	/* no nonce, no certReq: both absent after parsing */
	ck_assert_int_eq(accord_tsq_build(GNUTLS_DIG_SHA256, d, 32, NULL, 0, &der, &len, &err),
			 ACCORD_OK);
	ck_assert_int_eq(accord_tsq_parse(der, len, &q, &err), ACCORD_OK);
	ck_assert_int_eq(q.has_nonce, 0);
	ck_assert_int_eq(q.cert_req, 0);
	free(der);
	/* a digest of the wrong length is refused by the builder */
	ck_assert_int_eq(accord_tsq_build(GNUTLS_DIG_SHA256, d, 20, NULL, 0, &der, &len, &err),
			 ACCORD_ERR_USAGE);
	ck_assert_int_eq(accord_tsq_parse((const unsigned char *)"garbage", 7, &q, &err),
			 ACCORD_ERR_FORMAT);
}
END_TEST

START_TEST(token_from_tsa_verifies)
{
	accord_tsa *tsa;
	unsigned char d[32], *token = NULL;
	size_t token_len = 0;
	gnutls_x509_crt_t ca;
	accord_tst_result r;
	accord_error err;
	time_t now = time(NULL);

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ca = load_one(P("ca.crt"));
	digest_of("the treaty", d);
	get_token(tsa, d, nonce8, 1, &token, &token_len);
	accord_error_clear(&err);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, nonce8, 8,
					   &ca, 1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_msg(r.valid == 1, "not valid: %s: %s", accord_subindication_name(r.sub_indication), r.reason);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_NONE);
	ck_assert_str_eq(r.policy, ACCORD_TSA_DEFAULT_POLICY);
	ck_assert_str_eq(r.tsa_name, "Unit TSA");
	ck_assert_uint_eq(strlen(r.serial_hex), 32);
	ck_assert_int_eq(r.has_nonce, 1);
	ck_assert_str_eq(r.nonce_hex, "8102030405060708");
	ck_assert_int_eq(r.has_accuracy, 1);
	ck_assert_uint_eq(r.accuracy_seconds, 1);
	ck_assert_int_ge(r.gen_time, now - 5);
	ck_assert_int_le(r.gen_time, now + 5);
	ck_assert_uint_eq(strlen(r.gen_time_text), 15); /* YYYYMMDDHHMMSSZ */
	ck_assert_ptr_nonnull(r.tsa_cert_der);
	ck_assert_str_eq(r.imprint_alg, "SHA256");
	accord_tst_result_clear(&r);
	free(token);
	gnutls_x509_crt_deinit(ca);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(wrong_imprint_is_hash_failure)
{
	accord_tsa *tsa;
	unsigned char d[32], other[32], *token = NULL;
	size_t token_len = 0;
	gnutls_x509_crt_t ca;
	accord_tst_result r;
	accord_error err;

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ca = load_one(P("ca.crt"));
	digest_of("the treaty", d);
	digest_of("the forged treaty", other);
	get_token(tsa, d, NULL, 1, &token, &token_len);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, other, 32, NULL, 0,
					   &ca, 1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.valid, 0);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_HASH_FAILURE);
	accord_tst_result_clear(&r);
	free(token);
	gnutls_x509_crt_deinit(ca);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(untrusted_anchor_is_no_chain)
{
	accord_tsa *tsa;
	unsigned char d[32], *token = NULL;
	size_t token_len = 0;
	gnutls_x509_crt_t stranger;
	accord_tst_result r;
	accord_error err;

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	gen("stranger", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_CA, NULL);
	stranger = load_one(P("stranger.crt"));
	digest_of("the treaty", d);
	get_token(tsa, d, NULL, 1, &token, &token_len);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0,
					   &stranger, 1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.valid, 0);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND);
	accord_tst_result_clear(&r);
	/* no anchors at all: the same */
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0,
					   NULL, 0, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND);
	accord_tst_result_clear(&r);
	free(token);
	gnutls_x509_crt_deinit(stranger);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(nonce_mismatch_refused)
{
	accord_tsa *tsa;
	unsigned char d[32], *token = NULL;
	size_t token_len = 0;
	const unsigned char other[8] = {1, 1, 1, 1, 1, 1, 1, 1};
	gnutls_x509_crt_t ca;
	accord_tst_result r;
	accord_error err;

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ca = load_one(P("ca.crt"));
	digest_of("the treaty", d);
	get_token(tsa, d, nonce8, 1, &token, &token_len);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, other, 8,
					   &ca, 1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.valid, 0);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_SIG_CONSTRAINTS_FAILURE);
	ck_assert_ptr_nonnull(strstr(r.reason, "nonce"));
	accord_tst_result_clear(&r);
	free(token);
	/* a token without nonce when one was asked for */
	get_token(tsa, d, NULL, 1, &token, &token_len);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, nonce8, 8,
					   &ca, 1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.valid, 0);
	accord_tst_result_clear(&r);
	free(token);
	gnutls_x509_crt_deinit(ca);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(hostile_tokens_are_format_failures)
{
	accord_tsa *tsa;
	unsigned char d[32], *token = NULL, *bad;
	size_t token_len = 0;
	gnutls_x509_crt_t ca;
	accord_tst_result r;
	accord_error err;

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ca = load_one(P("ca.crt"));
	digest_of("the treaty", d);
	get_token(tsa, d, NULL, 1, &token, &token_len);
	/* every truncation: judged as FORMAT_FAILURE, never valid, never a crash */
	for (size_t n = 0; n < token_len; n++) {
		bad = malloc(n + 1);
		memcpy(bad, token, n);
		ck_assert_int_eq(tst_verify_trusted(bad, n, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca, 1,
						   NULL, 0, &r, &err), ACCORD_OK);
		ck_assert_int_eq(r.valid, 0);
		ck_assert_msg(r.sub_indication == ACCORD_SUB_FORMAT_FAILURE, "length %zu: %s", n,
			      accord_subindication_name(r.sub_indication));
		accord_tst_result_clear(&r);
		free(bad);
	}
	/* every single-byte corruption: never valid */
	bad = malloc(token_len);
	for (size_t i = 0; i < token_len; i++) {
		memcpy(bad, token, token_len);
		bad[i] ^= 0x5a;
		ck_assert_int_eq(tst_verify_trusted(bad, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca,
						   1, NULL, 0, &r, &err), ACCORD_OK);
		ck_assert_msg(r.valid == 0, "byte %zu flipped still valid", i);
		ck_assert_int_ne(r.sub_indication, ACCORD_SUB_NONE);
		accord_tst_result_clear(&r);
	}
	/* the last byte is inside the signature: the crypto check names it */
	memcpy(bad, token, token_len);
	bad[token_len - 1] ^= 0x01;
	ck_assert_int_eq(tst_verify_trusted(bad, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca, 1,
					   NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_SIG_CRYPTO_FAILURE);
	accord_tst_result_clear(&r);
	free(bad);
	ck_assert_int_eq(tst_verify_trusted((const unsigned char *)"\x30\x80garbage", 9,
					   GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca, 1, NULL, 0, &r,
					   &err), ACCORD_OK);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_FORMAT_FAILURE);
	accord_tst_result_clear(&r);
	free(token);
	gnutls_x509_crt_deinit(ca);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(certificate_outside_token)
{
	accord_tsa *tsa;
	unsigned char d[32], *token = NULL;
	size_t token_len = 0;
	gnutls_x509_crt_t ca, tsa_crt;
	accord_tst_result r;
	accord_error err;

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ca = load_one(P("ca.crt"));
	tsa_crt = load_one(P("tsa/tsa.crt"));
	digest_of("the treaty", d);
	get_token(tsa, d, NULL, 0, &token, &token_len); /* certReq false: no certificate inside */
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca,
					   1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_NO_SIGNING_CERTIFICATE_FOUND);
	accord_tst_result_clear(&r);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca,
					   1, &tsa_crt, 1, &r, &err), ACCORD_OK);
	ck_assert_msg(r.valid == 1, "%s: %s", accord_subindication_name(r.sub_indication), r.reason);
	accord_tst_result_clear(&r);
	free(token);
	gnutls_x509_crt_deinit(ca);
	gnutls_x509_crt_deinit(tsa_crt);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

/* Build a token directly with a given key, certificate and genTime. */
static void build_with(const char *prefix, time_t when, const unsigned char *d,
		       unsigned char **token, size_t *len)
{
	accord_signer *s = NULL;
	accord_tst_params p;
	accord_error err;
	char key[512], crt[512];
	const unsigned char serial[2] = {0x01, 0x02};

	snprintf(key, sizeof key, "%s.key", P(prefix));
	snprintf(crt, sizeof crt, "%s.crt", P(prefix));
	ck_assert_int_eq(accord_signer_open(key, crt, PASS, &s, &err), ACCORD_OK);
	memset(&p, 0, sizeof p);
	p.policy = "1.2.3.4";
	p.imprint_alg = GNUTLS_DIG_SHA256;
	p.imprint = d;
	p.imprint_len = 32;
	p.serial = serial;
	p.serial_len = 2;
	p.gen_time = when;
	p.include_cert = 1;
	ck_assert_msg(accord_tst_build(&p, s->key, s->cert, &s->cert_der, token, len, &err) == ACCORD_OK,
		      "%s", err.why);
	accord_signer_free(s);
}

START_TEST(tsa_certificate_constraints)
{
	unsigned char d[32], *token = NULL;
	size_t len = 0;
	gnutls_x509_crt_t ca, party_ca;
	accord_issuer iss = {NULL, NULL, PASS};
	accord_tst_result r;
	accord_error err;
	char ca_key[512], ca_crt[512];
	time_t now = time(NULL);

	setup();
	gen("ca", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_CA, NULL);
	snprintf(ca_key, sizeof ca_key, "%s", P("ca.key"));
	snprintf(ca_crt, sizeof ca_crt, "%s", P("ca.crt"));
	iss.key_path = ca_key;
	iss.cert_path = ca_crt;
	gen("party", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, &iss);
	gen("tsa", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_TSA, &iss);
	ca = load_one(P("ca.crt"));
	party_ca = ca;
	digest_of("the treaty", d);

	/* a certificate without the timeStamping EKU cannot make timestamps */
	build_with("party", now, d, &token, &len);
	ck_assert_int_eq(tst_verify_trusted(token, len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &party_ca, 1,
					   NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.valid, 0);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_CHAIN_CONSTRAINTS_FAILURE);
	accord_tst_result_clear(&r);
	free(token);

	/* the right certificate, but genTime outside its validity */
	build_with("tsa", now, d, &token, &len);
	ck_assert_int_eq(tst_verify_trusted(token, len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca, 1,
					   NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_msg(r.valid == 1, "%s: %s", accord_subindication_name(r.sub_indication), r.reason);
	accord_tst_result_clear(&r);
	free(token);
	build_with("tsa", now + 20L * 365 * 86400, d, &token, &len);
	ck_assert_int_eq(tst_verify_trusted(token, len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca, 1,
					   NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_EXPIRED);
	accord_tst_result_clear(&r);
	free(token);
	build_with("tsa", now - 86400, d, &token, &len);
	ck_assert_int_eq(tst_verify_trusted(token, len, GNUTLS_DIG_SHA256, d, 32, NULL, 0, &ca, 1,
					   NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_int_eq(r.sub_indication, ACCORD_SUB_OUT_OF_BOUNDS_NO_POE);
	accord_tst_result_clear(&r);
	free(token);

	/* and the TSA itself refuses to run with a party certificate */
	{
		accord_tsa *tsa = NULL;
		ck_assert_int_eq(accord_tsa_init(P("t2"), &(accord_service_init_options){.id.name = "T2", .passphrase = PASS}, &err),
				 ACCORD_OK);
		ck_assert_int_eq(rename(P("party.key"), P("t2/tsa.key")), 0);
		ck_assert_int_eq(rename(P("party.crt"), P("t2/tsa.crt")), 0);
		ck_assert_int_eq(accord_tsa_open(P("t2"), PASS, &tsa, &err), ACCORD_ERR_USAGE);
		ck_assert_ptr_nonnull(strstr(err.why, "timeStamping"));
		ck_assert_ptr_null(tsa);
	}
	gnutls_x509_crt_deinit(ca);
	teardown();
}
END_TEST

START_TEST(bad_requests_get_rejections)
{
	accord_tsa *tsa;
	unsigned char d[32], *req = NULL, *resp = NULL, *token = NULL;
	size_t req_len = 0, resp_len = 0, token_len = 0;
	accord_error err;
	int status;

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ck_assert_int_eq(accord_tsa_respond(tsa, (const unsigned char *)"garbage", 7, &resp,
					    &resp_len, &err), ACCORD_OK);
	ck_assert_int_eq(accord_tsr_parse(resp, resp_len, &status, &token, &token_len, &err),
			 ACCORD_ERR_FORMAT);
	ck_assert_int_eq(status, ACCORD_PKI_REJECTION);
	ck_assert_ptr_null(token);
	ck_assert_msg(strstr(err.why, "badDataFormat") != NULL, "%s", err.why);
	free(resp);

	/* SHA-1 is not accepted: badAlg */
	ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA1, "x", 1, d), 0);
	ck_assert_int_eq(accord_tsq_build(GNUTLS_DIG_SHA1, d, 20, NULL, 0, &req, &req_len, &err),
			 ACCORD_OK);
	ck_assert_int_eq(accord_tsa_respond(tsa, req, req_len, &resp, &resp_len, &err), ACCORD_OK);
	ck_assert_int_eq(accord_tsr_parse(resp, resp_len, &status, &token, &token_len, &err),
			 ACCORD_ERR_FORMAT);
	ck_assert_msg(strstr(err.why, "badAlg") != NULL, "%s", err.why);
	free(req);
	free(resp);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(serials_never_repeat)
{
	accord_tsa *tsa;
	unsigned char d[32], *token = NULL;
	size_t token_len = 0;
	gnutls_x509_crt_t ca;
	accord_tst_result r;
	accord_error err;
	char seen[6][80];

	setup();
	tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	ca = load_one(P("ca.crt"));
	digest_of("the treaty", d);
	for (int i = 0; i < 6; i++) {
		if (i == 3) { /* a restart in between */
			accord_tsa_free(tsa);
			ck_assert_int_eq(accord_tsa_open(P("tsa"), PASS, &tsa, &err), ACCORD_OK);
		}
		get_token(tsa, d, NULL, 1, &token, &token_len);
		ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, NULL, 0,
						   &ca, 1, NULL, 0, &r, &err), ACCORD_OK);
		ck_assert_int_eq(r.valid, 1);
		snprintf(seen[i], sizeof seen[i], "%s", r.serial_hex);
		for (int k = 0; k < i; k++)
			ck_assert_str_ne(seen[k], seen[i]);
		accord_tst_result_clear(&r);
		free(token);
	}
	gnutls_x509_crt_deinit(ca);
	accord_tsa_free(tsa);
	teardown();
}
END_TEST

START_TEST(other_key_types_verify)
{
	static const accord_algo algos[] = {ACCORD_ALGO_ED25519, ACCORD_ALGO_RSA3072};
	for (size_t a = 0; a < 2; a++) {
		accord_tsa *tsa;
		unsigned char d[32], *token = NULL;
		size_t token_len = 0;
		gnutls_x509_crt_t ca;
		accord_tst_result r;
		accord_error err;

		setup();
		tsa = make_tsa(algos[a]);
		ca = load_one(P("ca.crt"));
		digest_of("the treaty", d);
		get_token(tsa, d, nonce8, 1, &token, &token_len);
		ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, nonce8,
						   8, &ca, 1, NULL, 0, &r, &err), ACCORD_OK);
		ck_assert_msg(r.valid == 1, "algo %zu: %s: %s", a, accord_subindication_name(r.sub_indication), r.reason);
		accord_tst_result_clear(&r);
		free(token);
		gnutls_x509_crt_deinit(ca);
		accord_tsa_free(tsa);
		teardown();
	}
}
END_TEST

/* The HTTP client against the HTTP server, in one process: the server runs in a thread
 * and is stopped with a SIGTERM sent to that thread. */
struct served {
	accord_tsa *tsa;
	pthread_mutex_t m;
	pthread_cond_t c;
	char addr[96];
	int rc;
};

static void served_ready(const char *listen, void *ud)
{
	struct served *sv = ud;

	pthread_mutex_lock(&sv->m);
	snprintf(sv->addr, sizeof sv->addr, "%s", listen);
	pthread_cond_signal(&sv->c);
	pthread_mutex_unlock(&sv->m);
}

static void *serve_thread(void *ud)
{
	struct served *sv = ud;
	accord_error err;

	sv->rc = accord_tsa_serve(sv->tsa, "127.0.0.1:0", &err);
	return NULL;
}

START_TEST(http_client_and_server)
{
	struct served sv;
	pthread_t th;
	unsigned char d[32], *req = NULL, *reply = NULL, *token = NULL;
	size_t req_len = 0, reply_len = 0, token_len = 0;
	char url[128];
	gnutls_x509_crt_t ca;
	accord_tst_result r;
	accord_error err;
	int status;

	setup();
	memset(&sv, 0, sizeof sv);
	sv.tsa = make_tsa(ACCORD_ALGO_ECDSA_P256);
	pthread_mutex_init(&sv.m, NULL);
	pthread_cond_init(&sv.c, NULL);
	accord_tsa_set_ready_callback(sv.tsa, served_ready, &sv);
	ck_assert_int_eq(pthread_create(&th, NULL, serve_thread, &sv), 0);
	pthread_mutex_lock(&sv.m);
	while (!sv.addr[0])
		pthread_cond_wait(&sv.c, &sv.m);
	pthread_mutex_unlock(&sv.m);

	ca = load_one(P("ca.crt"));
	digest_of("the treaty", d);
	ck_assert_int_eq(accord_tsq_build(GNUTLS_DIG_SHA256, d, 32, nonce8, 1, &req, &req_len, &err),
			 ACCORD_OK);
	snprintf(url, sizeof url, "http://%s/", sv.addr);
	ck_assert_msg(accord_tsa_http_query(url, req, req_len, &reply, &reply_len, &err) == ACCORD_OK,
		      "%s: %s", err.where, err.why);
	ck_assert_int_eq(accord_tsr_parse(reply, reply_len, &status, &token, &token_len, &err),
			 ACCORD_OK);
	ck_assert_int_eq(tst_verify_trusted(token, token_len, GNUTLS_DIG_SHA256, d, 32, nonce8, 8, &ca,
					   1, NULL, 0, &r, &err), ACCORD_OK);
	ck_assert_msg(r.valid == 1, "%s: %s", accord_subindication_name(r.sub_indication), r.reason);
	accord_tst_result_clear(&r);
	free(reply);
	free(token);

	/* a refused connection and a non-HTTP URL are errors, not replies */
	ck_assert_int_eq(accord_tsa_http_query("http://127.0.0.1:1/", req, req_len, &reply,
					       &reply_len, &err), ACCORD_ERR_NETWORK);
	ck_assert_ptr_null(reply);
	ck_assert_int_eq(accord_tsa_http_query("file:///etc/passwd", req, req_len, &reply,
					       &reply_len, &err), ACCORD_ERR_USAGE);

	pthread_kill(th, SIGTERM);
	pthread_join(th, NULL);
	ck_assert_int_eq(sv.rc, ACCORD_OK);
	free(req);
	gnutls_x509_crt_deinit(ca);
	accord_tsa_free(sv.tsa);
	pthread_mutex_destroy(&sv.m);
	pthread_cond_destroy(&sv.c);
	teardown();
}
END_TEST

static Suite *tst_suite(void)
{
	Suite *s = suite_create("tst");

	UNIT_ADD(s, request_round_trip);
	UNIT_ADD(s, token_from_tsa_verifies);
	UNIT_ADD(s, wrong_imprint_is_hash_failure);
	UNIT_ADD(s, untrusted_anchor_is_no_chain);
	UNIT_ADD(s, nonce_mismatch_refused);
	UNIT_ADD(s, hostile_tokens_are_format_failures);
	UNIT_ADD(s, certificate_outside_token);
	UNIT_ADD(s, tsa_certificate_constraints);
	UNIT_ADD(s, bad_requests_get_rejections);
	UNIT_ADD(s, serials_never_repeat);
	UNIT_ADD(s, other_key_types_verify);
	UNIT_ADD(s, http_client_and_server);
	return s;
}

UNIT_MAIN(tst_suite)
