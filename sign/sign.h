/* sign/sign.h — internal helpers of the sign module. */
#ifndef ACCORD_SIGN_INTERNAL_H
#define ACCORD_SIGN_INTERNAL_H
#include <libxml/tree.h>
#include "accord/sign.h"
#include "keys/keys.h"
#include "formats/container.h"
#include "formats/xades.h"

/* The XML-DSig signature method for this signer ("ecdsa-sha256", "rsa-sha256",
 * "sha256-rsa-MGF1", "eddsa-ed25519"). */
const accord_sig_alg *accord_signer_xml_alg(const accord_signer *s, int rsa_pss);

/* Serialise doc, parse it back (the signed bytes must be those of the file, not of an
 * in-memory tree), fill the same-document reference digests of signature sig_id, sign
 * its SignedInfo and serialise the result into *out. */
int accord_xades_seal(xmlDocPtr doc, const char *sig_id, accord_signer *signer,
		      const char *where, unsigned char **out, size_t *len, accord_error *err);

/* Digest (alg) of target canonicalised with c14n, less the subtree at exclude (NULL: none). */
int accord_digest_node(xmlNodePtr target, xmlNodePtr exclude, const char *c14n,
		       gnutls_digest_algorithm_t alg, unsigned char *out, accord_error *err);
/* Set n's content to the base64 of data (ACCORD_ERR_NOMEM on failure). */
int accord_xml_set_base64(xmlNodePtr n, const unsigned char *data, size_t len);

/* Build the signature b under parent (in doc), seal it and, when opt names a TSA,
 * timestamp it (B-T): *out is the whole file, xmlFree'd by the caller. */
int accord_xades_make(xmlDocPtr doc, xmlNodePtr parent, const accord_xades_build *b,
		      accord_signer *signer, const accord_sign_options *opt, const char *where,
		      unsigned char **out, size_t *len, accord_error *err);

/* Lock the package for a writer (accord_package_lock) and start copying its bytes into
 * the temporary file of the coming write on a second thread, while the writer reads and
 * hashes it; unlock drops whatever the write did not use. Every writer of signature
 * files holds the package this way from reading it to renaming the new one in. */
int accord_writer_lock(const char *package, int *fd, char **real, accord_error *err);
void accord_writer_unlock(int fd);

/* Write signature files into the package (add new ones, or replace existing ones),
 * after checking that accord reads each back: a broken file is never committed. */
struct accord_new_entry;
int accord_signature_files_write(const char *package, const struct accord_new_entry *entries,
				 size_t n, int replace, accord_error *err);

/* A fresh signature Id "S-xxxxxxxx" (prefix given) not used in the container. */
int accord_new_signature_id(const char *prefix, char *buf, size_t n, accord_error *err);

/* Sign data with the signer's key as XML-DSig wants it (raw r||s for ECDSA). */
int accord_signer_sign_xml(accord_signer *s, const accord_sig_alg *alg, const unsigned char *data,
			   size_t len, unsigned char **sig, size_t *sig_len, accord_error *err);

/* Common fields of a signature or countersignature: algorithm, certificate and chain,
 * signing time, role, place, commitment. Free the chain with accord_chain_der_free. */
/* Unless opt->force: refuse (ACCORD_ERR_FORMAT, naming it) when a signature already in c
 * fails its references, signed properties or value (verify/integrity.c). */
int accord_sign_check_existing(accord_container *c, const accord_sign_options *opt,
			       const char *package, accord_error *err);
/* Refuse (ACCORD_ERR_PERM, naming the timestamp) an edit of target when an
 * ArchiveTimeStamp covers it: one after the unsigned property that holds it, at any depth. */
int accord_refuse_covered_edit(const accord_xsig *target, accord_error *err);
/* rc, unless signer (accord_signer_open_start) failed to open its key: then that error,
 * as if the key had been opened first. */
int accord_sign_key_first(accord_signer *signer, int rc, accord_error *err);
int accord_sign_fill_build(accord_signer *signer, const accord_sign_options *opt,
			   accord_xades_build *b, unsigned char ***chain, size_t **chain_lens,
			   accord_error *err);
void accord_chain_der_free(unsigned char **der, size_t *lens, size_t n);

/* A signature Id ("PREFIX-xxxxxxxx") that no signature file of the package uses yet. */
struct accord_container;
int accord_unused_signature_id(const struct accord_container *c, const char *prefix, char *id,
			       size_t n, accord_error *err);

/* The signature with that Id (one only), or without id the newest one wanted() accepts
 * (the last such of the signature file with the highest number); none_left is the
 * error when there is none. (sign/timestamp.c) */
int accord_pick_signature(const struct accord_container *c, accord_xsig_file *files, size_t nf,
			  const char *id, int (*wanted)(const accord_xsig *), const char *none_left,
			  accord_xsig **out, size_t *file_index, accord_error *err);

/* B-LT in the same write as the signature (sign/extend.c): the validation data opt names
 * added to signature sig_id of the serialised signature file xml; *out (xmlFree) gets
 * the new bytes. */
int accord_lt_file(const unsigned char *xml, size_t len, const char *name, const char *sig_id,
		   const accord_extend_options *opt, unsigned char **out, size_t *out_len,
		   accord_error *err);

/* B-T (sign/timestamp.c). */
int accord_timestamp_obtain(const accord_sign_options *opt, const unsigned char *sha256,
			    unsigned char **token, size_t *token_len, accord_error *err);
int accord_xades_add_timestamp(xmlNodePtr signature, const char *sig_id, const unsigned char *token,
			       size_t len, accord_error *err);
int accord_timestamp_file(const unsigned char *xml, size_t len, const char *where,
			  const char *sig_id, const accord_sign_options *opt, unsigned char **out,
			  size_t *out_len, accord_error *err);
#endif
