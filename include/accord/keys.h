/* accord/keys.h — public API: keys, party certificates, a small CA, the trust store. */
#ifndef ACCORD_KEYS_H
#define ACCORD_KEYS_H
#include <stddef.h>
#include <time.h>
#include "accord/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	ACCORD_ALGO_ECDSA_P256 = 0, /* the default */
	ACCORD_ALGO_ED25519,
	ACCORD_ALGO_RSA3072
} accord_algo;

/* "ecdsa-p256", "ed25519", "rsa3072" -> accord_algo. */
int accord_algo_from_name(const char *name, accord_algo *out) ACCORD_WUR;

typedef enum {
	ACCORD_CERT_PARTY = 0, /* digitalSignature + nonRepudiation */
	ACCORD_CERT_CA,        /* CA:TRUE, keyCertSign + cRLSign */
	ACCORD_CERT_TSA,       /* digitalSignature + critical EKU timeStamping */
	ACCORD_CERT_OCSP       /* digitalSignature + EKU OCSPSigning + id-pkix-ocsp-nocheck */
} accord_cert_kind;

/* The name on a certificate; name is required, the others may be NULL. */
typedef struct accord_identity {
	const char *name;    /* CN */
	const char *org;     /* O */
	const char *country; /* C, two letters */
	const char *email;   /* rfc822Name in subjectAltName */
} accord_identity;

/* Who signs a new certificate: NULL for self-signed, else a CA key and certificate. */
typedef struct accord_issuer {
	const char *key_path;
	const char *cert_path;
	const char *passphrase; /* for the CA key */
} accord_issuer;

/* What accord_keys_generate makes; zero-initialised fields take the defaults. */
typedef struct accord_keygen_options {
	accord_identity id;          /* the certificate's subject; id.name is required */
	accord_algo algo;            /* default ACCORD_ALGO_ECDSA_P256 */
	accord_cert_kind kind;       /* default ACCORD_CERT_PARTY */
	unsigned days;               /* validity; 0: 3 years (10 years for a CA) */
	const accord_issuer *issuer; /* NULL: self-signed */
	const char *passphrase;      /* encrypts the new key; required */
} accord_keygen_options;

/* What accord_tsa_init and accord_ocsp_init make: a service's key and certificate.
 * Zero-initialised fields take the defaults; the strings and the issuer are only read
 * during the call (the caller keeps them). */
typedef struct accord_service_init_options {
	accord_identity id;          /* the certificate's subject; id.name is required */
	accord_algo algo;            /* default ACCORD_ALGO_ECDSA_P256 */
	const accord_issuer *ca;     /* the CA that issues the certificate; NULL: self-signed
	                                (a TSA only: an OCSP responder needs its CA) */
	const char *passphrase;      /* encrypts the new key; required */
} accord_service_init_options;

/* Generate a key pair and a certificate; writes PREFIX.key (passphrase-encrypted
 * PKCS#8 PEM, PBES2 AES-256, mode 0600) and PREFIX.crt (PEM). Refuses to overwrite.
 * A certificate issued by a CA is first added to that CA's records (CAKEY.index beside
 * the CA key, see accord_keys_revoke), which the OCSP responder answers from. */
int accord_keys_generate(const accord_keygen_options *opt, const char *out_prefix,
			 accord_error *err) ACCORD_WUR;

/* What `accord keys show` prints about a certificate. */
typedef struct accord_cert_info {
	char subject[512];
	char issuer[512];
	char name[256];        /* CN of the subject */
	time_t not_before, not_after;
	char algorithm[64];    /* "ECDSA P-256", "Ed25519", "RSA 3072" */
	char sha256[100];      /* "AB:CD:..." fingerprint of the DER certificate */
	char sha256_hex[65];   /* the same, lower-case hex without separators */
	int is_ca;
	int is_tsa;            /* RFC 3161: one critical extendedKeyUsage, timeStamping only */
	char key_usage[160];   /* "digitalSignature, nonRepudiation" */
	/* Added fields. */
	unsigned int key_usage_bits;  /* GNUTLS_KEY_* bits, 0 when the extension is absent */
	int has_eku_timestamping;     /* timeStamping in extendedKeyUsage (critical or not) */
	char serial_hex[81];          /* serial number, lower-case hex */
	char email[256];              /* first rfc822Name of subjectAltName, or "" */
	char org[256];                /* the subject's O, or "" */
	char country[8];              /* the subject's C, or "" */
	char issuer_name[256];        /* the issuer's CN (its O when it has none), or "" */
} accord_cert_info;

/* Read a PEM or DER certificate file and describe it. */
int accord_cert_info_load(const char *path, accord_cert_info *out, accord_error *err) ACCORD_WUR;
/* Describe DER bytes. */
int accord_cert_info_der(const unsigned char *der, size_t len, accord_cert_info *out,
			 accord_error *err) ACCORD_WUR;

/* Check that a private key (file or pkcs11: URL) opens with the passphrase
 * (ACCORD_ERR_PASSPHRASE when not) and matches the certificate (ACCORD_ERR_KEY_MISMATCH
 * when not). */
int accord_key_check(const char *key, const char *cert_path, const char *passphrase,
		     accord_error *err) ACCORD_WUR;

/* The trust store: a folder of trusted CA or pinned party certificates, one PEM file
 * per certificate named by its SHA-256 fingerprint ("<64 lower-case hex>.pem"), as
 * accord_truststore_add writes them. Every reader (list, remove, the anchors of verify,
 * extend and tsa verify) sees the same anchors: only such files, read without following
 * symbolic links, whose certificate's fingerprint is their name; anything else in the
 * folder is ignored (and told to the skipped callback). The folder and each anchor must
 * be owned by the user running accord and writable by nobody else (ACCORD_ERR_PERM,
 * naming the file, its mode or owner and the chmod/chown that fixes it).
 *
 * Where: GIVEN (--store) when not NULL, else $ACCORD_TRUST_DIR, else
 * $XDG_CONFIG_HOME/accord/trust, else ~/.config/accord/trust. *optional (may be NULL) is
 * 1 only for the last two: that default folder not existing yet is a store with no
 * anchors; a folder that was named (GIVEN, ACCORD_TRUST_DIR) must exist. */
int accord_truststore_locate(const char *given, char *buf, size_t n, int *optional,
			     accord_error *err) ACCORD_WUR;
/* accord_truststore_locate(NULL, ...). */
int accord_truststore_default_dir(char *buf, size_t n, accord_error *err) ACCORD_WUR;
/* How accord_truststore_add takes a certificate; zero-initialised (or a NULL pointer):
 * a CA certificate, whatever its fingerprint. Read during the call only. */
typedef struct accord_truststore_add_options {
	const char *fingerprint; /* if not NULL, the SHA-256 fingerprint the certificate must
	                            have (hex, colons or spaces allowed, any case) */
	int leaf;                /* take a certificate that is not a CA (pinning that party
	                            directly); else such a certificate is refused */
} accord_truststore_add_options;
/* Add the one certificate of CERT_PATH to the store DIR (creating the folder, mode 0700,
 * if needed). *added (added may be NULL) is filled in, the caller's. */
int accord_truststore_add(const char *dir, const char *cert_path,
			  const accord_truststore_add_options *opt, accord_cert_info *added,
			  accord_error *err) ACCORD_WUR;
/* fp: full fingerprint, or a unique prefix of at least 8 hex digits (colons allowed). */
int accord_truststore_remove(const char *dir, const char *fp, accord_cert_info *removed,
			     accord_error *err) ACCORD_WUR;
/* info, path and why are the library's, valid during the call only (copy what is kept). */
typedef int (*accord_cert_cb)(const accord_cert_info *info, void *ud);
/* What is in the store folder but is not an anchor: its path and why it is ignored. */
typedef void (*accord_store_skip_cb)(const char *path, const char *why, void *ud);
/* What accord_truststore_list tells; zero-initialised (or a NULL pointer): nothing, only
 * whether the store can be read. */
typedef struct accord_truststore_list_options {
	accord_cert_cb anchor;        /* each anchor (a non-zero return stops); may be NULL */
	accord_store_skip_cb skipped; /* each ignored entry; may be NULL */
	void *ud;                     /* given to both, the caller's */
	int optional;                 /* as accord_truststore_locate says: a default folder
	                                 that does not exist yet is a store with no anchors */
} accord_truststore_list_options;
/* The anchors and ignored entries of the store DIR, in file name order. */
int accord_truststore_list(const char *dir, const accord_truststore_list_options *opt,
			   accord_error *err) ACCORD_WUR;

/* CRLReason values (RFC 5280 5.3.1) a revocation may state; -1 states none. */
enum {
	ACCORD_REASON_NONE = -1,
	ACCORD_REASON_UNSPECIFIED = 0,
	ACCORD_REASON_KEY_COMPROMISE = 1,
	ACCORD_REASON_CA_COMPROMISE = 2,
	ACCORD_REASON_AFFILIATION_CHANGED = 3,
	ACCORD_REASON_SUPERSEDED = 4,
	ACCORD_REASON_CESSATION_OF_OPERATION = 5,
	ACCORD_REASON_CERTIFICATE_HOLD = 6,
	ACCORD_REASON_REMOVE_FROM_CRL = 8
};
/* "keyCompromise", ... (OpenSSL's spelling, case-insensitive) -> reason; hold and
 * removeFromCRL are not offered (accord never suspends a certificate). */
int accord_crl_reason_from_name(const char *name, int *reason) ACCORD_WUR;
/* The name of a reason, NULL if unknown. */
const char *accord_crl_reason_name(int reason);

/* What accord_keys_revoke revokes. */
typedef struct accord_revoke_options {
	const char *const *certs;     /* the certificate files of the certificates to revoke */
	size_t n_certs;
	time_t time;                  /* revocation time; 0: now */
	int has_reason;               /* 0: no reason is stated */
	int reason;                   /* ACCORD_REASON_* when has_reason */
} accord_revoke_options;

/* Issue a CRL for a CA: the serials of revoked certificates with their revocation time.
 * Writes PEM, next update in 30 days. When crl_out already holds a CRL signed by the
 * same CA its entries are kept (the list grows); any other existing file is refused with
 * ACCORD_ERR_EXISTS. Each revocation is also written to the CA's records (CAKEY.index
 * beside the CA key; beside the CA certificate for a pkcs11: key), one line per
 * certificate in OpenSSL's index.txt format, with the reason (the CRL entries carry no
 * reason). A revocation already recorded stands. */
int accord_keys_revoke(const accord_issuer *ca, const accord_revoke_options *opt,
		       const char *crl_out, accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif
