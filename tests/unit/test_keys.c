/* tests/unit/test_keys.c — key generation, encrypted storage, opening keys, the CA,
 * TSA certificates, the trust store and CRLs. */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "keys/keys.h"

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
	snprintf(dir, sizeof dir, "%s/accord-keys-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("ACCORD_TRUST_DIR");
}

static void teardown(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path in the test folder (a small ring of buffers, enough for one test). */
static const char *P(const char *name)
{
	char *b = pathbuf[pathnext++ % 8];
	snprintf(b, 512, "%s/%s", dir, name);
	return b;
}

static accord_identity ident(const char *name)
{
	accord_identity id = {name, "Acme", "DE", NULL};
	return id;
}

static void gen(const char *prefix, accord_algo algo, accord_cert_kind kind,
		const accord_issuer *iss)
{
	accord_error err;
	accord_identity id = ident(prefix);
	int rc;

	accord_error_clear(&err);
	id.email = "someone@example.org";
	rc = accord_keys_generate(&(accord_keygen_options){.id = id, .algo = algo, .kind = kind, .days = 0, .issuer = iss, .passphrase = PASS}, P(prefix), &err);
	ck_assert_msg(rc == ACCORD_OK, "generate %s: %s: %s", prefix, err.where, err.why);
}

static void check_generated(accord_algo algo, const char *want_algo)
{
	accord_cert_info info;
	accord_error err;
	unsigned char *data = NULL;
	size_t len = 0;
	struct stat st;

	setup();
	gen("alice", algo, ACCORD_CERT_PARTY, NULL);
	ck_assert_int_eq(accord_file_read(P("alice.key"), 1 << 20, &data, &len, &err), ACCORD_OK);
	ck_assert_ptr_nonnull(strstr((char *)data, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
	ck_assert_ptr_null(strstr((char *)data, "BEGIN PRIVATE KEY"));
	free(data);
	ck_assert_int_eq(stat(P("alice.key"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(accord_cert_info_load(P("alice.crt"), &info, &err), ACCORD_OK);
	ck_assert_str_eq(info.algorithm, want_algo);
	ck_assert_str_eq(info.name, "alice");
	ck_assert_str_eq(info.email, "someone@example.org");
	ck_assert_str_eq(info.key_usage, "digitalSignature, nonRepudiation");
	ck_assert_int_eq(info.is_ca, 0);
	ck_assert_int_eq(info.is_tsa, 0);
	ck_assert_str_eq(info.subject, info.issuer);
	ck_assert_ptr_nonnull(strstr(info.subject, "CN=alice"));
	ck_assert_ptr_nonnull(strstr(info.subject, "O=Acme"));
	ck_assert_ptr_nonnull(strstr(info.subject, "C=DE"));
	ck_assert_uint_eq(strlen(info.sha256_hex), 64);
	ck_assert_uint_eq(strlen(info.serial_hex), 40); /* 20 random bytes */
	ck_assert(info.not_after - info.not_before > 3 * 365 * 86400 - 86400);
	ck_assert_int_eq(accord_key_check(P("alice.key"), P("alice.crt"), PASS, &err), ACCORD_OK);
	teardown();
}

START_TEST(generate_ecdsa_p256)
{
	check_generated(ACCORD_ALGO_ECDSA_P256, "ECDSA P-256");
}
END_TEST

START_TEST(generate_ed25519)
{
	check_generated(ACCORD_ALGO_ED25519, "Ed25519");
}
END_TEST

START_TEST(generate_rsa3072)
{
	check_generated(ACCORD_ALGO_RSA3072, "RSA 3072");
}
END_TEST

START_TEST(algo_names)
{
	accord_algo a;

	ck_assert_int_eq(accord_algo_from_name("ed25519", &a), ACCORD_OK);
	ck_assert_int_eq(a, ACCORD_ALGO_ED25519);
	ck_assert_int_eq(accord_algo_from_name("rsa3072", &a), ACCORD_OK);
	ck_assert_int_eq(a, ACCORD_ALGO_RSA3072);
	ck_assert_int_eq(accord_algo_from_name("ecdsa-p256", &a), ACCORD_OK);
	ck_assert_int_eq(a, ACCORD_ALGO_ECDSA_P256);
	ck_assert_int_ne(accord_algo_from_name("dsa", &a), ACCORD_OK);
}
END_TEST

START_TEST(wrong_passphrase_is_named)
{
	accord_error err;

	setup();
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	accord_error_clear(&err);
	ck_assert_int_eq(accord_key_check(P("alice.key"), P("alice.crt"), "not it", &err),
			 ACCORD_ERR_PASSPHRASE);
	ck_assert_ptr_nonnull(strstr(err.why, "wrong passphrase"));
	teardown();
}
END_TEST

START_TEST(readable_key_file_refused)
{
	accord_error err;

	setup();
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	ck_assert_int_eq(chmod(P("alice.key"), 0644), 0);
	ck_assert_int_eq(accord_key_check(P("alice.key"), P("alice.crt"), PASS, &err),
			 ACCORD_ERR_PERM);
	ck_assert_int_eq(chmod(P("alice.key"), 0640), 0);
	ck_assert_int_eq(accord_key_check(P("alice.key"), P("alice.crt"), PASS, &err),
			 ACCORD_ERR_PERM);
	teardown();
}
END_TEST

START_TEST(mismatched_key_refused)
{
	accord_error err;

	setup();
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	gen("bob", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	gen("carol", ACCORD_ALGO_ED25519, ACCORD_CERT_PARTY, NULL);
	/* same algorithm: caught by the signature test, not by the key type */
	ck_assert_int_eq(accord_key_check(P("alice.key"), P("bob.crt"), PASS, &err),
			 ACCORD_ERR_KEY_MISMATCH);
	ck_assert_ptr_nonnull(strstr(err.why, "does not match"));
	ck_assert_int_eq(accord_key_check(P("carol.key"), P("bob.crt"), PASS, &err),
			 ACCORD_ERR_KEY_MISMATCH);
	teardown();
}
END_TEST

START_TEST(no_overwrite_no_empty_passphrase)
{
	accord_error err;
	accord_identity id = ident("alice");
	FILE *f;

	setup();
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	ck_assert_int_eq(accord_keys_generate(&(accord_keygen_options){.id = id, .algo = ACCORD_ALGO_ECDSA_P256, .kind = ACCORD_CERT_PARTY, .days = 0, .issuer = NULL, .passphrase = PASS}, P("alice"), &err),
			 ACCORD_ERR_EXISTS);
	/* only the certificate exists: still refused, and no key is left behind */
	f = fopen(P("bob.crt"), "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(accord_keys_generate(&(accord_keygen_options){.id = id, .algo = ACCORD_ALGO_ECDSA_P256, .kind = ACCORD_CERT_PARTY, .days = 0, .issuer = NULL, .passphrase = PASS}, P("bob"), &err),
			 ACCORD_ERR_EXISTS);
	ck_assert_int_ne(access(P("bob.key"), F_OK), 0);
	ck_assert_int_eq(accord_keys_generate(&(accord_keygen_options){.id = id, .algo = ACCORD_ALGO_ECDSA_P256, .kind = ACCORD_CERT_PARTY, .days = 0, .issuer = NULL, .passphrase = ""}, P("carol"), &err),
			 ACCORD_ERR_USAGE);
	ck_assert_int_ne(access(P("carol.key"), F_OK), 0);
	teardown();
}
END_TEST

static gnutls_x509_crt_t load_one(const char *path)
{
	gnutls_x509_crt_t *list = NULL, crt;
	size_t n = 0;
	accord_error err;

	ck_assert_int_eq(accord_crt_list_load(path, &list, &n, &err), ACCORD_OK);
	ck_assert_uint_eq(n, 1);
	crt = list[0];
	list[0] = NULL;
	accord_crt_list_free(list, n);
	return crt;
}

START_TEST(ca_issues_party_and_tsa)
{
	accord_issuer iss = {NULL, NULL, PASS};
	accord_cert_info ca, party, tsa;
	accord_error err;
	gnutls_x509_crt_t cacrt, crt;
	unsigned int status = 99, critical = 0, ku = 0;
	char oid[128];
	size_t sz = sizeof oid;

	setup();
	gen("ca", ACCORD_ALGO_ED25519, ACCORD_CERT_CA, NULL);
	iss.key_path = P("ca.key");
	iss.cert_path = P("ca.crt");
	gen("party", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, &iss);
	iss.key_path = P("ca.key");
	iss.cert_path = P("ca.crt");
	gen("tsa", ACCORD_ALGO_RSA3072, ACCORD_CERT_TSA, &iss);
	ck_assert_int_eq(accord_cert_info_load(P("ca.crt"), &ca, &err), ACCORD_OK);
	ck_assert_int_eq(ca.is_ca, 1);
	ck_assert_str_eq(ca.key_usage, "keyCertSign, cRLSign");
	ck_assert(ca.not_after - ca.not_before > 9 * 365 * 86400);
	ck_assert_int_eq(accord_cert_info_load(P("party.crt"), &party, &err), ACCORD_OK);
	ck_assert_str_eq(party.issuer, ca.subject);
	ck_assert_int_eq(party.is_ca, 0);

	cacrt = load_one(P("ca.crt"));
	crt = load_one(P("party.crt"));
	ck_assert_int_eq(gnutls_x509_crt_list_verify(&crt, 1, &cacrt, 1, NULL, 0, 0, &status), 0);
	ck_assert_uint_eq(status, 0);
	ck_assert_int_eq(gnutls_x509_crt_get_key_usage(crt, &ku, &critical), 0);
	ck_assert_uint_eq(critical, 1);
	ck_assert_uint_eq(ku, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION);
	gnutls_x509_crt_deinit(crt);

	/* a self-signed certificate does not verify against the CA */
	gen("mallory", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	crt = load_one(P("mallory.crt"));
	status = 0;
	ck_assert_int_eq(gnutls_x509_crt_list_verify(&crt, 1, &cacrt, 1, NULL, 0, 0, &status), 0);
	ck_assert_uint_ne(status, 0);
	gnutls_x509_crt_deinit(crt);

	ck_assert_int_eq(accord_cert_info_load(P("tsa.crt"), &tsa, &err), ACCORD_OK);
	ck_assert_int_eq(tsa.is_tsa, 1);
	ck_assert_str_eq(tsa.key_usage, "digitalSignature");
	crt = load_one(P("tsa.crt"));
	ck_assert_int_eq(gnutls_x509_crt_get_key_purpose_oid(crt, 0, oid, &sz, &critical), 0);
	ck_assert_str_eq(oid, GNUTLS_KP_TIME_STAMPING);
	ck_assert_uint_eq(critical, 1);
	status = 99;
	ck_assert_int_eq(gnutls_x509_crt_list_verify(&crt, 1, &cacrt, 1, NULL, 0, 0, &status), 0);
	ck_assert_uint_eq(status, 0);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(cacrt);

	/* a party certificate cannot issue */
	iss.key_path = P("party.key");
	iss.cert_path = P("party.crt");
	{
		accord_identity id = ident("eve");
		ck_assert_int_eq(accord_keys_generate(&(accord_keygen_options){.id = id, .algo = ACCORD_ALGO_ECDSA_P256, .kind = ACCORD_CERT_PARTY, .days = 0, .issuer = &iss, .passphrase = PASS}, P("eve"), &err),
				 ACCORD_ERR_USAGE);
	}
	teardown();
}
END_TEST

START_TEST(signer_reads_chain)
{
	accord_issuer iss = {NULL, NULL, PASS};
	accord_signer *s = NULL;
	accord_error err;
	unsigned char *a = NULL, *b = NULL;
	size_t alen, blen;
	FILE *f;

	setup();
	gen("ca", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_CA, NULL);
	iss.key_path = P("ca.key");
	iss.cert_path = P("ca.crt");
	gen("party", ACCORD_ALGO_ED25519, ACCORD_CERT_PARTY, &iss);
	ck_assert_int_eq(accord_file_read(P("party.crt"), 1 << 20, &a, &alen, &err), ACCORD_OK);
	ck_assert_int_eq(accord_file_read(P("ca.crt"), 1 << 20, &b, &blen, &err), ACCORD_OK);
	f = fopen(P("chain.pem"), "w");
	ck_assert_ptr_nonnull(f);
	fwrite(a, 1, alen, f);
	fwrite(b, 1, blen, f);
	fclose(f);
	free(a);
	free(b);
	ck_assert_int_eq(accord_signer_open(P("party.key"), P("chain.pem"), PASS, &s, &err),
			 ACCORD_OK);
	ck_assert_uint_eq(s->chain_len, 1);
	ck_assert_int_eq(s->pk_algo, GNUTLS_PK_EDDSA_ED25519);
	ck_assert_uint_gt(s->cert_der.size, 100);
	accord_signer_free(s);
	teardown();
}
END_TEST


/* The generator never writes them, but keys from elsewhere may be plain or DER. */
START_TEST(signer_accepts_other_key_forms)
{
	accord_error err;
	gnutls_x509_privkey_t k;
	gnutls_datum_t d, out = {NULL, 0};
	unsigned char *data = NULL;
	size_t len = 0;
	setup();
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	ck_assert_int_eq(accord_file_read(P("alice.key"), 1 << 20, &data, &len, &err), ACCORD_OK);
	ck_assert_int_eq(gnutls_x509_privkey_init(&k), 0);
	d.data = data;
	d.size = (unsigned)len;
	ck_assert_int_eq(gnutls_x509_privkey_import2(k, &d, GNUTLS_X509_FMT_PEM, PASS, 0), 0);
	free(data);

	/* encrypted DER PKCS#8 */
	ck_assert_int_eq(gnutls_x509_privkey_export2_pkcs8(k, GNUTLS_X509_FMT_DER, PASS,
							    GNUTLS_PKCS_PBES2_AES_128, &out), 0);
	ck_assert_int_eq(accord_file_write_atomic(P("enc.der"), out.data, out.size, 0600, 1, &err),
			 ACCORD_OK);
	gnutls_free(out.data);
	ck_assert_int_eq(accord_key_check(P("enc.der"), P("alice.crt"), PASS, &err), ACCORD_OK);
	ck_assert_int_eq(accord_key_check(P("enc.der"), P("alice.crt"), "nope", &err),
			 ACCORD_ERR_PASSPHRASE);

	/* plain PEM PKCS#8: opens with or without a passphrase */
	ck_assert_int_eq(gnutls_x509_privkey_export2_pkcs8(k, GNUTLS_X509_FMT_PEM, NULL,
							    GNUTLS_PKCS_PLAIN, &out), 0);
	ck_assert_int_eq(accord_file_write_atomic(P("plain.pem"), out.data, out.size, 0600, 1,
						  &err), ACCORD_OK);
	/* and a truncated copy of it is malformed, not a passphrase problem */
	ck_assert_int_eq(accord_file_write_atomic(P("trunc.pem"), out.data, out.size / 2, 0600, 1,
						  &err), ACCORD_OK);
	gnutls_memset(out.data, 0, out.size);
	gnutls_free(out.data);
	ck_assert_int_eq(accord_key_check(P("plain.pem"), P("alice.crt"), NULL, &err), ACCORD_OK);
	ck_assert_int_eq(accord_key_check(P("plain.pem"), P("alice.crt"), PASS, &err), ACCORD_OK);
	ck_assert_int_eq(accord_key_check(P("trunc.pem"), P("alice.crt"), PASS, &err),
			 ACCORD_ERR_FORMAT);
	/* an encrypted key without a passphrase */
	ck_assert_int_eq(accord_key_check(P("alice.key"), P("alice.crt"), NULL, &err),
			 ACCORD_ERR_PASSPHRASE);
	gnutls_x509_privkey_deinit(k);
	teardown();
}
END_TEST

static int count_cb(const accord_cert_info *info, void *ud)
{
	char **seen = ud;
	/* remember the order: the list must be sorted by fingerprint */
	if (seen[0][0])
		ck_assert(strcmp(seen[0], info->sha256_hex) < 0);
	snprintf(seen[0], 65, "%s", info->sha256_hex);
	(*(int *)seen[1])++;
	return 0;
}

static void skip_cb(const char *path, const char *why, void *ud)
{
	char (*seen)[300] = ud;
	snprintf(seen[0], 300, "%s", path);
	snprintf(seen[1], 300, "%s", why);
}

START_TEST(trust_store_add_list_remove)
{
	accord_cert_info a, b, removed;
	accord_error err;
	char last[65] = "", prefix[40];
	int count = 0;
	char *seen[2] = {last, (char *)&count};
	accord_truststore_list_options counted = {.anchor = count_cb, .ud = seen};
	accord_truststore_list_options counted_optional = {.anchor = count_cb, .ud = seen, .optional = 1};
	accord_truststore_add_options pin = {.leaf = 1};
	gnutls_x509_crt_t *anchors = NULL;
	size_t n = 0;
	const char *paths[1];
	char store[600];

	setup();
	snprintf(store, sizeof store, "%s/store/trust", dir);
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	gen("bob", ACCORD_ALGO_ED25519, ACCORD_CERT_PARTY, NULL);
	/* a default store not made yet has no anchors; a named one must exist */
	ck_assert_int_eq(accord_truststore_list(store, &counted_optional, &err), ACCORD_OK);
	ck_assert_int_eq(count, 0);
	ck_assert_int_eq(accord_truststore_list(store, &counted, &err),
			 ACCORD_ERR_NOTFOUND);
	/* a party is pinned only when asked (leaf); a fingerprint given must match */
	ck_assert_int_eq(accord_truststore_add(store, P("alice.crt"), NULL, &a, &err),
			 ACCORD_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.why, "--leaf"));
	ck_assert_int_eq(accord_truststore_add(store, P("alice.crt"), &pin, &a, &err), ACCORD_OK);
	pin.fingerprint = a.sha256;
	ck_assert_int_eq(accord_truststore_add(store, P("alice.crt"), &pin, &a, &err), ACCORD_OK);
	pin.fingerprint = a.sha256_hex;
	ck_assert_int_eq(accord_truststore_add(store, P("bob.crt"), &pin, &b, &err),
			 ACCORD_ERR_PERM);
	pin.fingerprint = NULL;
	ck_assert_int_eq(accord_truststore_add(store, P("bob.crt"), &pin, &b, &err), ACCORD_OK);
	ck_assert_int_eq(accord_truststore_add(store, P("bob.key"), &pin, NULL, &err), ACCORD_ERR_FORMAT);
	{
		char file[700];
		snprintf(file, sizeof file, "%s/%s.pem", store, a.sha256_hex);
		ck_assert_int_eq(access(file, R_OK), 0);
	}
	ck_assert_int_eq(accord_truststore_list(store, &counted, &err), ACCORD_OK);
	ck_assert_int_eq(count, 2);

	/* the store through accord_trust_load, with the store from the environment */
	setenv("ACCORD_TRUST_DIR", store, 1);
	ck_assert_int_eq(accord_trust_load(NULL, 0, 1, &anchors, &n, &err), ACCORD_OK);
	ck_assert_uint_eq(n, 2);
	accord_crt_list_free(anchors, n);
	paths[0] = P("alice.crt");
	ck_assert_int_eq(accord_trust_load(paths, 1, 1, &anchors, &n, &err), ACCORD_OK);
	ck_assert_uint_eq(n, 2); /* alice once, not twice */
	accord_crt_list_free(anchors, n);

	/* remove by a prefix in the colon form people copy from `keys show` */
	ck_assert_int_eq(accord_truststore_remove(store, "ab", &removed, &err), ACCORD_ERR_USAGE);
	memcpy(prefix, a.sha256, 11); /* "AB:CD:EF:01" = 8 hex digits */
	prefix[11] = '\0';
	ck_assert_int_eq(accord_truststore_remove(store, prefix, &removed, &err), ACCORD_OK);
	ck_assert_str_eq(removed.sha256_hex, a.sha256_hex);
	ck_assert_int_eq(accord_truststore_remove(store, prefix, &removed, &err),
			 ACCORD_ERR_NOTFOUND);
	count = 0;
	last[0] = '\0';
	ck_assert_int_eq(accord_truststore_list(store, &counted, &err), ACCORD_OK);
	ck_assert_int_eq(count, 1);
	ck_assert_str_eq(last, b.sha256_hex);

	/* a file planted under another name is no anchor, whatever it holds */
	{
		char evil[700], why[2][300] = {"", ""};
		unsigned char *data = NULL;
		size_t len = 0;
		snprintf(evil, sizeof evil, "%s/evil.crt", store);
		ck_assert_int_eq(accord_file_read(P("alice.crt"), 1 << 20, &data, &len, &err), ACCORD_OK);
		ck_assert_int_eq(accord_file_write_atomic(evil, data, len, 0644, 1, &err), ACCORD_OK);
		free(data);
		ck_assert_int_eq(accord_trust_load(NULL, 0, 1, &anchors, &n, &err), ACCORD_OK);
		ck_assert_uint_eq(n, 1);
		accord_crt_list_free(anchors, n);
		ck_assert_int_eq(accord_truststore_list(store, &(accord_truststore_list_options){.skipped = skip_cb, .ud = why},
							&err), ACCORD_OK);
		ck_assert_ptr_nonnull(strstr(why[0], "evil.crt"));
		/* a store others may write to is refused, naming the fix */
		ck_assert_int_eq(chmod(store, 0770), 0);
		ck_assert_int_eq(accord_trust_load(NULL, 0, 1, &anchors, &n, &err), ACCORD_ERR_PERM);
		ck_assert_ptr_nonnull(strstr(err.why, "chmod 700"));
		ck_assert_int_eq(chmod(store, 0700), 0);
	}

	/* a named store folder that does not exist is an error (a typo is not an empty
	 * store); the default one not made yet has no anchors */
	setenv("ACCORD_TRUST_DIR", P("nowhere"), 1);
	ck_assert_int_eq(accord_trust_load(NULL, 0, 1, &anchors, &n, &err), ACCORD_ERR_NOTFOUND);
	unsetenv("ACCORD_TRUST_DIR");
	setenv("XDG_CONFIG_HOME", P("config"), 1);
	ck_assert_int_eq(accord_trust_load(NULL, 0, 1, &anchors, &n, &err), ACCORD_OK);
	ck_assert_uint_eq(n, 0);
	accord_crt_list_free(anchors, n);
	unsetenv("XDG_CONFIG_HOME");
	paths[0] = P("nowhere.pem");
	ck_assert_int_eq(accord_trust_load(paths, 1, 0, &anchors, &n, &err), ACCORD_ERR_NOTFOUND);
	unsetenv("ACCORD_TRUST_DIR");
	teardown();
}
END_TEST

START_TEST(default_dir_rules)
{
	char buf[512];
	accord_error err;
	int optional = -1;

	setenv("ACCORD_TRUST_DIR", "/x/trust", 1);
	ck_assert_int_eq(accord_truststore_default_dir(buf, sizeof buf, &err), ACCORD_OK);
	ck_assert_str_eq(buf, "/x/trust");
	ck_assert_int_eq(accord_truststore_locate(NULL, buf, sizeof buf, &optional, &err), ACCORD_OK);
	ck_assert_int_eq(optional, 0); /* named: must exist */
	ck_assert_int_eq(accord_truststore_locate("/y", buf, sizeof buf, &optional, &err), ACCORD_OK);
	ck_assert_str_eq(buf, "/y");
	ck_assert_int_eq(optional, 0);
	unsetenv("ACCORD_TRUST_DIR");
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	ck_assert_int_eq(accord_truststore_default_dir(buf, sizeof buf, &err), ACCORD_OK);
	ck_assert_str_eq(buf, "/cfg/accord/trust");
	ck_assert_int_eq(accord_truststore_locate(NULL, buf, sizeof buf, &optional, &err), ACCORD_OK);
	ck_assert_int_eq(optional, 1); /* the default: may not exist yet */
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(accord_truststore_default_dir(buf, sizeof buf, &err), ACCORD_OK);
	ck_assert_str_eq(buf, "/home/u/.config/accord/trust");
}
END_TEST

START_TEST(crl_lists_revoked_serial)
{
	accord_issuer iss = {NULL, NULL, PASS};
	accord_error err;
	const char *certs[1];
	gnutls_x509_crl_t crl;
	gnutls_x509_crt_t cacrt, crt;
	unsigned char *data = NULL, serial[64], want[64];
	size_t len = 0, sz = sizeof serial, wsz = sizeof want;
	unsigned int verify = 99;
	time_t when = 0, at = 1767225600; /* 2026-01-01 */
	gnutls_datum_t d;

	setup();
	gen("ca", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_CA, NULL);
	iss.key_path = P("ca.key");
	iss.cert_path = P("ca.crt");
	gen("bob", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, &iss);
	gen("alice", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, &iss);
	gen("stranger", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	iss.key_path = P("ca.key");
	iss.cert_path = P("ca.crt");
	certs[0] = P("stranger.crt");
	ck_assert_int_eq(accord_keys_revoke(&iss, &(accord_revoke_options){.certs = certs, .n_certs = 1, .time = at}, P("crl.pem"), &err),
			 ACCORD_ERR_USAGE);
	certs[0] = P("bob.crt");
	ck_assert_int_eq(accord_keys_revoke(&iss, &(accord_revoke_options){.certs = certs, .n_certs = 1, .time = at}, P("crl.pem"), &err), ACCORD_OK);
	certs[0] = P("alice.crt");
	ck_assert_int_eq(accord_keys_revoke(&iss, &(accord_revoke_options){.certs = certs, .n_certs = 1, .time = 0}, P("crl.pem"), &err), ACCORD_OK);

	ck_assert_int_eq(accord_file_read(P("crl.pem"), 1 << 20, &data, &len, &err), ACCORD_OK);
	ck_assert_ptr_nonnull(strstr((char *)data, "-----BEGIN X509 CRL-----"));
	ck_assert_int_eq(gnutls_x509_crl_init(&crl), 0);
	d.data = data;
	d.size = (unsigned)len;
	ck_assert_int_eq(gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_PEM), 0);
	free(data);
	cacrt = load_one(P("ca.crt"));
	ck_assert_int_eq(gnutls_x509_crl_verify(crl, &cacrt, 1, 0, &verify), 0);
	ck_assert_uint_eq(verify, 0);
	ck_assert_int_eq(gnutls_x509_crl_get_crt_count(crl), 2); /* the first entry was kept */
	ck_assert(gnutls_x509_crl_get_next_update(crl) - gnutls_x509_crl_get_this_update(crl) ==
		  30 * 86400);
	crt = load_one(P("bob.crt"));
	ck_assert_int_eq(gnutls_x509_crt_get_serial(crt, want, &wsz), 0);
	ck_assert_int_eq(gnutls_x509_crl_get_crt_serial(crl, 0, serial, &sz, &when), 0);
	ck_assert_uint_eq(sz, wsz);
	ck_assert_mem_eq(serial, want, sz);
	ck_assert_int_eq(when, at);
	ck_assert_int_eq(gnutls_x509_crt_check_revocation(crt, &crl, 1), 1);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(cacrt);
	gnutls_x509_crl_deinit(crl);
	teardown();
}
END_TEST

START_TEST(describe_rejects_garbage)
{
	accord_cert_info info;
	accord_error err;
	const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};

	ck_assert_int_eq(accord_cert_info_der(junk, sizeof junk, &info, &err), ACCORD_ERR_FORMAT);
	ck_assert_int_eq(accord_cert_info_load("/nonexistent/x.crt", &info, &err),
			 ACCORD_ERR_NOTFOUND);
}
END_TEST

/* One certificate judged alone (accord keys verify): trusted through its CA; not without
 * an anchor, not a CA certificate (not for signing), not before it is valid. */
START_TEST(cert_verify_alone)
{
	accord_issuer iss = {NULL, NULL, PASS};
	const char *trust[1];
	accord_verify_options vo;
	accord_cert_verdict v;
	accord_cert_info ca, party;
	accord_error err;

	setup();
	gen("ca", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_CA, NULL);
	iss.key_path = P("ca.key");
	iss.cert_path = P("ca.crt");
	gen("party", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, &iss);
	gen("mallory", ACCORD_ALGO_ECDSA_P256, ACCORD_CERT_PARTY, NULL);
	ck_assert_int_eq(accord_cert_info_load(P("ca.crt"), &ca, &err), ACCORD_OK);
	ck_assert_int_eq(accord_cert_info_load(P("party.crt"), &party, &err), ACCORD_OK);
	memset(&vo, 0, sizeof vo);
	trust[0] = P("ca.crt");
	vo.trust = trust;
	vo.n_trust = 1;
	vo.no_trust_store = 1;
	accord_error_clear(&err);
	ck_assert_int_eq(accord_cert_verify(P("party.crt"), &vo, &v, &err), ACCORD_OK);
	ck_assert_int_eq(v.indication, ACCORD_TOTAL_PASSED);
	ck_assert_str_eq(v.subject, party.subject);
	ck_assert_str_eq(v.fingerprint, party.sha256);
	ck_assert_str_eq(v.anchor, ca.subject);
	ck_assert_str_eq(v.anchor_fingerprint, ca.sha256);
	ck_assert_uint_eq(v.n_anchors, 1);

	ck_assert_int_eq(accord_cert_verify(P("mallory.crt"), &vo, &v, &err), ACCORD_OK);
	ck_assert_int_eq(v.indication, ACCORD_INDETERMINATE);
	ck_assert_int_eq(v.subindication, ACCORD_SUB_NO_CERTIFICATE_CHAIN_FOUND);
	ck_assert_str_eq(v.anchor, "");

	ck_assert_int_eq(accord_cert_verify(P("ca.crt"), &vo, &v, &err), ACCORD_OK);
	ck_assert_int_ne(v.indication, ACCORD_TOTAL_PASSED);
	ck_assert_ptr_nonnull(strstr(v.message, "not for signing"));

	vo.at = party.not_before - 86400;
	ck_assert_int_eq(accord_cert_verify(P("party.crt"), &vo, &v, &err), ACCORD_OK);
	ck_assert_int_eq(v.indication, ACCORD_INDETERMINATE);
	ck_assert_int_eq(v.at, vo.at);

	vo.at = 0;
	vo.n_trust = 0;
	ck_assert_int_eq(accord_cert_verify(P("party.crt"), &vo, &v, &err), ACCORD_OK);
	ck_assert_int_eq(v.indication, ACCORD_INDETERMINATE);
	ck_assert_uint_eq(v.n_anchors, 0);

	ck_assert_int_ne(accord_cert_verify(P("absent.crt"), &vo, &v, &err), ACCORD_OK);
	teardown();
}
END_TEST

static Suite *keys_suite(void)
{
	Suite *s = suite_create("keys");

	UNIT_ADD(s, generate_ecdsa_p256);
	UNIT_ADD(s, generate_ed25519);
	UNIT_ADD(s, generate_rsa3072);
	UNIT_ADD(s, algo_names);
	UNIT_ADD(s, wrong_passphrase_is_named);
	UNIT_ADD(s, readable_key_file_refused);
	UNIT_ADD(s, mismatched_key_refused);
	UNIT_ADD(s, no_overwrite_no_empty_passphrase);
	UNIT_ADD(s, ca_issues_party_and_tsa);
	UNIT_ADD(s, signer_reads_chain);
	UNIT_ADD(s, signer_accepts_other_key_forms);
	UNIT_ADD(s, trust_store_add_list_remove);
	UNIT_ADD(s, default_dir_rules);
	UNIT_ADD(s, crl_lists_revoked_serial);
	UNIT_ADD(s, describe_rejects_garbage);
	UNIT_ADD(s, cert_verify_alone);
	return s;
}

UNIT_MAIN(keys_suite)
