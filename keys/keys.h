/* keys/keys.h — internal API of the keys module, used by sign/, verify/ and tsa/. */
#ifndef ACCORD_KEYS_INTERNAL_H
#define ACCORD_KEYS_INTERNAL_H
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include "accord/keys.h"
#include "util/internal.h"
#include <pthread.h>

/* A key that signs, with its certificate (and optional chain). */
typedef struct accord_signer {
	gnutls_privkey_t key;
	gnutls_x509_crt_t cert;
	gnutls_datum_t cert_der;   /* DER of cert, owned (gnutls_free) */
	gnutls_x509_crt_t *chain;  /* further certificates from the cert file, may be NULL */
	size_t chain_len;
	int pk_algo;               /* GNUTLS_PK_ECDSA, GNUTLS_PK_RSA, GNUTLS_PK_EDDSA_ED25519 */
	unsigned bits;
	/* Added fields. */
	char *pin;                 /* secret copy of the PIN for a pkcs11: key (may be asked again) */
	/* An encrypted key file being decrypted on a second thread (accord_signer_open_start)
	 * until accord_signer_ready joins it. */
	int opening;
	pthread_t opener;
	int open_rc;
	accord_error open_err;
	char *key_name, *cert_name; /* copies, for the opener's messages */
	unsigned char *key_data;   /* the key file read, wiped once imported */
	size_t key_len;
	int key_pem;
	char *secret;              /* the passphrase, in secure memory, until imported */
} accord_signer;

/* Open KEY (a PEM/DER file, encrypted or not, or a "pkcs11:" URL with the passphrase
 * as PIN; the PKCS#11 module is $ACCORD_PKCS11_MODULE when set, else p11-kit's
 * configured modules) and the certificate file CERT (PEM may hold a chain: the first is the signer).
 * A key file readable by group or others is refused (ACCORD_ERR_PERM); a wrong
 * passphrase gives ACCORD_ERR_PASSPHRASE; a key that does not match the certificate
 * ACCORD_ERR_KEY_MISMATCH. */
int accord_signer_open(const char *key, const char *cert, const char *passphrase,
		       accord_signer **out, accord_error *err);
void accord_signer_free(accord_signer *s);
/* (accord/sign.h: accord_signer_open_start, accord_signer_ready.) */

/* Load every certificate of a PEM or DER file. *out is gnutls_free'd array; each crt
 * deinit by caller (accord_crt_list_free). */
int accord_crt_list_load(const char *path, gnutls_x509_crt_t **out, size_t *n, accord_error *err);
void accord_crt_list_free(gnutls_x509_crt_t *list, size_t n);
/* The same from memory (PEM: every certificate; else one DER); where names the source. */
int accord_crt_list_parse(const unsigned char *data, size_t len, const char *where,
			  gnutls_x509_crt_t **out, size_t *n, accord_error *err);
/* Write the first certificate of SRC to DST as PEM (atomically; DST must not exist). */
int accord_crt_copy_first(const char *src, const char *dst, accord_error *err);
/* SHA-256 of the DER certificate. */
int accord_crt_sha256(gnutls_x509_crt_t crt, unsigned char out[32]);
/* Fill accord_cert_info from a parsed certificate. */
int accord_crt_describe(gnutls_x509_crt_t crt, accord_cert_info *out, accord_error *err);

/* Trust anchors: every certificate of the files or folders given, plus (when
 * use_store) the trust store's anchors (accord_truststore_list's rules: what is not an
 * anchor is ignored here, silently; an unsafe or missing store is an error). */
int accord_trust_load(const char *const *paths, size_t n, int use_store,
		      gnutls_x509_crt_t **out, size_t *count, accord_error *err);

/* The certificate's common name ("(no name)" when it has none). */
void accord_crt_cn(gnutls_x509_crt_t crt, char *buf, size_t n);
/* What a certificate is for. accord_crt_eku_bits: -1 when it has no extended key usage,
 * else a set of ACCORD_EKU_* bits (*critical: the extension's flag). */
enum { ACCORD_EKU_EMAIL = 1, ACCORD_EKU_DOCSIGN = 2, ACCORD_EKU_ANY = 4, ACCORD_EKU_TS = 8,
       ACCORD_EKU_OCSP = 16, ACCORD_EKU_OTHER = 32 };
int accord_crt_eku_bits(gnutls_x509_crt_t crt, unsigned *critical);
/* May crt sign documents? Its key usage must allow digitalSignature or nonRepudiation and
 * an extended key usage, if any, emailProtection, documentSigning or anyExtendedKeyUsage;
 * with refuse_ca, a CA certificate (basicConstraints CA:TRUE) may not either (sign and
 * pack refuse it; verify judges the key usages). 1 when it may; else 0 and why. */
int accord_crt_may_sign(gnutls_x509_crt_t crt, int refuse_ca, char *why, size_t n);
/* ---- keys/records.c: what a CA issued and revoked (OpenSSL index.txt format) ---- */

/* One certificate in the records. */
typedef struct accord_ca_record {
	char serial_hex[65];   /* upper-case, no leading zero bytes */
	int revoked;
	time_t not_after;
	time_t revoked_at;
	int reason;            /* ACCORD_REASON_*, -1 when none was stated */
} accord_ca_record;

/* Where the records of the CA with this key (and certificate) live: the key's path with
 * ".key" (or ".pem") replaced by ".index"; for a pkcs11: key, the certificate's. */
int accord_ca_records_path(const char *ca_key, const char *ca_cert, char *buf, size_t n,
			   accord_error *err);
/* The serial as the records write it (upper-case hex, no leading zero bytes); -1 when
 * it does not fit. */
int accord_ca_serial_hex(const unsigned char *serial, size_t len, char *out, size_t size);
/* Record a newly issued certificate (a serial recorded twice is ACCORD_ERR_EXISTS). */
int accord_ca_record_issued(const char *path, gnutls_x509_crt_t crt, accord_error *err);
/* Record a revocation (the certificate need not have been recorded when issued). */
int accord_ca_record_revoked(const char *path, gnutls_x509_crt_t crt, time_t when, int reason,
			     accord_error *err);
/* Look N serials (as accord_ca_serial_hex writes them) up in one reading: found[i] 1 and
 * out[i] filled for each one recorded. An error when the records cannot be read (a
 * malformed line names its number). */
int accord_ca_records_find(const char *path, const char *const *serials, size_t n,
			   accord_ca_record *out, int *found, accord_error *err);

#endif
