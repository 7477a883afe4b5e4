/* accord/sign.h — public API: adding XAdES signatures and countersignatures. */
#ifndef ACCORD_SIGN_H
#define ACCORD_SIGN_H
#include <stddef.h>
#include "accord/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A private key (a PEM file, or a pkcs11: URL) with its certificate and the passphrase
 * that opens it; accord_signer_free releases it. */
typedef struct accord_signer accord_signer;
int accord_signer_open(const char *key, const char *cert, const char *passphrase,
		       accord_signer **out, accord_error *err) ACCORD_WUR;
/* As accord_signer_open, but an encrypted key file is decrypted on a second thread while
 * the caller goes on (the passphrase is copied into secure memory; the caller may wipe
 * its own at once): accord_sign and accord_countersign hash the package meanwhile and
 * wait for the key before they sign, failing as accord_signer_open would (a wrong
 * passphrase, a key that does not match the certificate) before anything is written.
 * What needs no decrypted key (the file, its mode, the certificate) fails here. */
int accord_signer_open_start(const char *key, const char *cert, const char *passphrase,
			     accord_signer **out, accord_error *err) ACCORD_WUR;
/* Waits for a signer of accord_signer_open_start: 0 once its key is open, else what
 * accord_signer_open would have returned (err filled). Immediate for other signers. */
int accord_signer_ready(accord_signer *s, accord_error *err) ACCORD_WUR;
/* Releases a signer (the key is wiped); NULL is accepted. */
void accord_signer_free(accord_signer *s);

/* A CommitmentTypeIndication (ETSI EN 319 122-1 5.2.3: ProofOfApproval, ...). */
typedef enum {
	ACCORD_COMMIT_NONE = 0,
	ACCORD_COMMIT_APPROVAL,
	ACCORD_COMMIT_ORIGIN,
	ACCORD_COMMIT_RECEIPT,
	ACCORD_COMMIT_OTHER       /* verify only: a commitment type accord does not name */
} accord_commitment;
/* "none", "approval", "origin", "receipt" -> accord_commitment (for signing). */
int accord_commitment_from_name(const char *name, accord_commitment *out) ACCORD_WUR;
/* "approval", "origin", "receipt", "other"; "" for ACCORD_COMMIT_NONE. Static; thread-safe. */
const char *accord_commitment_name(accord_commitment c);

typedef struct accord_sign_options {
	const char *role;          /* SignerRoleV2/ClaimedRole */
	const char *city;          /* SignatureProductionPlaceV2 */
	const char *country;
	accord_commitment commitment;
	int rsa_pss;               /* RSA keys: RSA-PSS instead of PKCS#1 v1.5 */
	const char *tsa_url;       /* B-T: ask this RFC 3161 TSA over HTTP */
	const char *tsa_dir;       /* B-T: use the local TSA in this folder */
	const char *tsa_passphrase;/* for the local TSA's key */
	int force;                 /* sign even though a signature already in the package fails
	                              (its references, signed properties or value), the same
	                              certificate signed already, or the certificate may not sign
	                              (verify still judges the result) */
	/* B-LT in the same write: after the timestamp, the validation data these options
	 * name (paths, CRLs, an OCSP response) as accord_extend adds it (level LT, for the
	 * new signature); NULL: none. With an OCSP source it needs a TSA. */
	const struct accord_extend_options *lt;
} accord_sign_options;

/* Add one XAdES B-B (B-T with a TSA) signature over every document and the package
 * descriptor, in a new META-INF/signaturesN.xml; atomic; existing entries are copied
 * raw. The new signature's Id is written to id_out. */
int accord_sign(const char *package, accord_signer *signer, const accord_sign_options *opt,
		char *id_out, size_t id_len, accord_error *err) ACCORD_WUR;

/* Remove the signature with that Id (not a countersignature): its signature file when it
 * held only that one, else the element. Refused when another signature signs that file,
 * and unless force when countersignatures endorse it. Atomic, like every writer. */
int accord_remove_signature(const char *package, const char *id, int force, accord_error *err) ACCORD_WUR;

/* Add documents (files, stored under their base names, with manifest entries, as
 * accord_pack stores them) to a package, or remove one (by its name in the package),
 * before anyone has signed: refused once the package holds a signature (remove those
 * first), for a name taken, and for what is not a document. Atomic, locked, through
 * symlinks, like every writer. */
int accord_add_documents(const char *package, const char *const *files, size_t n,
			 accord_error *err) ACCORD_WUR;
int accord_remove_document(const char *package, const char *name, accord_error *err) ACCORD_WUR;

/* Add a countersignature to the signature with that Id (its ds:Signature Id). */
int accord_countersign(const char *package, const char *target_id, accord_signer *signer,
		       const accord_sign_options *opt, char *id_out, size_t id_len,
		       accord_error *err) ACCORD_WUR;

/* B-T in two steps, for an air gap: write an RFC 3161 request for the signature with
 * that Id (NULL: the newest) to out_path; later embed the TSA's reply file. The signed
 * part of the signature is never touched. id_out receives the signature's Id. */
int accord_timestamp_request(const char *package, const char *sig_id, const char *out_path,
			     char *id_out, size_t id_len, accord_error *err) ACCORD_WUR;
int accord_timestamp_attach(const char *package, const char *reply_path, const char *sig_id,
			    char *id_out, size_t id_len, accord_error *err) ACCORD_WUR;

/* Long-term validation data (XAdES B-LT, B-LTA), offline. */
typedef enum { ACCORD_LEVEL_LT = 1, ACCORD_LEVEL_LTA = 2 } accord_level;
typedef struct accord_extend_options {
	accord_level level;
	const char *signature_id;      /* NULL: every signature */
	const char *const *crls;       /* CRL files to embed (RevocationValues) */
	size_t n_crls;
	const char *const *trust;      /* where the issuers of the paths are found */
	size_t n_trust;
	int no_trust_store;
	const char *tsa_url;           /* LTA: the TSA for the ArchiveTimeStamp */
	const char *tsa_dir;
	const char *tsa_passphrase;
	/* OCSP for each signer's certificate, asked after its signature timestamp (a
	 * signature without one is refused): over HTTP, or from the local responder in a
	 * folder (`accord ocsp init`; its ca.crt also serves to find the signer's issuer). */
	const char *ocsp_url;
	const char *ocsp_dir;
	const char *ocsp_passphrase;   /* for the local responder's key */
	const char *const *ocsp_files; /* OCSP responses (DER) carried over an air gap: each is
	                                  embedded in the signatures whose signer it speaks of */
	size_t n_ocsp_files;
} accord_extend_options;

/* LT: add CertificateValues (issuer paths of signer, TSAs and OCSP responders) and
 * RevocationValues (the CRL files; OCSPValues with one "good" response per signer, checked:
 * nonce, signature by the issuer or a responder it certified, status good, produced after
 * the signature timestamp; a revoked or unknown status is refused) to each signature,
 * adding only what it does not hold yet (one RevocationValues; after an ArchiveTimeStamp
 * into a xadesv141:TimeStampValidationData); LTA: also an ArchiveTimeStamp (repeatable).
 * The signed parts are not touched; atomic. */
int accord_extend(const char *package, const accord_extend_options *opt, size_t *n_extended,
		  accord_error *err) ACCORD_WUR;

/* B-LT across an air gap: write a DER OCSP request (SHA-1 CertID, as RFC 5019 asks; no
 * nonce: freshness is producedAt after the signature timestamp, checked when attached)
 * for the signer's certificate of the signature with that Id (NULL: the newest
 * timestamped one without OCSP values), its issuer found among the anchors opt names
 * (trust, trust store, ocsp_dir's ca.crt) or in the signature. Answer it with `accord ocsp
 * respond` and embed the response with accord_extend (opt->ocsp_files). */
int accord_ocsp_request(const char *package, const accord_extend_options *opt,
			const char *out_path, char *id_out, size_t id_len, accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif
