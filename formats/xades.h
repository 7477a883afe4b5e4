/* formats/xades.h — the XAdES signature model: algorithm identifiers, the strict parser
 * of META-INF/signatures*.xml and the builder of new signatures. No policy here: verify/
 * decides what a parsed signature is worth. */
#ifndef ACCORD_XADES_H
#define ACCORD_XADES_H
#include <time.h>
#include <libxml/tree.h>
#include <gnutls/gnutls.h>
#include "util/internal.h"
#include "formats/c14n.h"

#define ACCORD_NS_ASIC "http://uri.etsi.org/02918/v1.2.1#"
#define ACCORD_NS_DS "http://www.w3.org/2000/09/xmldsig#"
#define ACCORD_NS_XADES "http://uri.etsi.org/01903/v1.3.2#"
#define ACCORD_NS_XADES141 "http://uri.etsi.org/01903/v1.4.1#"
#define ACCORD_TYPE_SIGNED_PROPS "http://uri.etsi.org/01903#SignedProperties"
#define ACCORD_TYPE_COUNTERSIGNED "http://uri.etsi.org/01903#CountersignedSignature"

/* Algorithm identifiers (formats/xmldsig_algs.c). */
typedef struct accord_digest_alg {
	const char *uri;
	gnutls_digest_algorithm_t gnutls;
	int gcry;          /* GCRY_MD_* */
	size_t len;
	int weak;          /* SHA-1, MD5: refused by default */
} accord_digest_alg;
const accord_digest_alg *accord_digest_by_uri(const char *uri);
const accord_digest_alg *accord_digest_by_gnutls(gnutls_digest_algorithm_t d);

typedef struct accord_sig_alg {
	const char *uri;
	gnutls_sign_algorithm_t gnutls;
	gnutls_pk_algorithm_t pk;
	int raw_ecdsa;     /* XML-DSig carries r||s, not DER */
	int weak;
} accord_sig_alg;
const accord_sig_alg *accord_sig_alg_by_uri(const char *uri);

/* One ds:Reference. */
typedef struct accord_xref {
	char *id;
	char *uri;          /* as written */
	char *path;         /* percent-decoded, for data-file references */
	char *type;
	const accord_digest_alg *digest_alg;
	char *digest_uri;   /* as written, for messages */
	unsigned char digest[64];
	size_t digest_len;
	char *transform;    /* the single c14n transform, or NULL (data files); for a same-
			     * document reference without Transforms, inclusive C14N 1.0 */
	char *transform_prefixes;
	int implicit_c14n;  /* same-document reference without Transforms (XML-DSig default) */
	char *mime_type;    /* from DataObjectFormat, or NULL */
	int is_signed_props;
	int is_countersigned;
} accord_xref;

typedef struct accord_xsig accord_xsig;

/* A shape the standards allow that the parser accepted by a relaxation: verify/ reports
 * each one as a finding; none of them changes the verdict. */
typedef struct accord_xnote {
	char rule[96];      /* the clause, e.g. "XML-DSig 1.1 4.4.3.1: Type is advisory" */
	char where[200];    /* file, line and signature */
	char message[300];
} accord_xnote;

/* One ds:Signature with its XAdES properties, parsed strictly. Nodes point into doc. */
struct accord_xsig {
	xmlDocPtr doc;            /* owner (not freed by a countersignature) */
	xmlNodePtr node;          /* ds:Signature */
	char *id;
	xmlNodePtr signed_info;
	char *c14n_uri;
	char *c14n_prefixes;
	char *sig_uri;
	const accord_sig_alg *sig_alg;
	accord_xref *refs;
	size_t n_refs;
	xmlNodePtr sig_value_node;
	char *sig_value_id;
	unsigned char *sig_value;
	size_t sig_value_len;
	unsigned char **certs;    /* KeyInfo X509Certificate DER, in order */
	size_t *cert_lens;
	size_t n_certs;
	xmlNodePtr signed_props;
	xmlNodePtr unsigned_sig_props; /* may be NULL */
	time_t signing_time;
	int has_signing_time;
	/* SigningCertificate (v1) or SigningCertificateV2: digest of the signer's certificate. */
	const accord_digest_alg *cert_digest_alg;
	char *cert_digest_uri;
	unsigned char cert_digest[64];
	size_t cert_digest_len;
	int signing_cert_v2;
	char *role;
	char *city;
	char *country;
	char *commitment;         /* commitment type URI */
	char *policy_id;          /* SignaturePolicyId's Identifier as written (an OID or
				   * urn:oid: URN); NULL when implied or absent */
	/* countersignatures found in UnsignedSignatureProperties */
	accord_xsig *counters;
	size_t n_counters;
	/* SignatureTimeStamp tokens (DER) and their c14n methods */
	unsigned char **ts_tokens;
	size_t *ts_lens;
	char **ts_c14n;
	size_t n_ts;
	/* for a countersignature: the ds:Signature it endorses */
	accord_xsig *master;
	/* relaxations the parser applied to this signature (not to its countersignatures) */
	accord_xnote *notes;
	size_t n_notes;
};

/* Parse a signature file (root asic:XAdESSignatures holding one or more ds:Signature).
 * Strict profile: fixed shape, unique Id attributes in the file, references resolved
 * inside each signature, only c14n transforms. The doc is owned by the returned array. */
typedef struct accord_xsig_file {
	char *name;
	xmlDocPtr doc;
	accord_xsig *sigs;
	size_t n_sigs;
} accord_xsig_file;
int accord_xades_parse(const unsigned char *xml, size_t len, const char *name,
		       accord_xsig_file *out, accord_error *err);
void accord_xades_file_clear(accord_xsig_file *f);

/* Percent-encoding of container paths in reference URIs (RFC 3986, UTF-8 bytes). */
char *accord_uri_encode(const char *path);
char *accord_uri_decode(const char *uri);   /* NULL if malformed */

/* Find the one element with attribute Id == id under root (NULL if none or several). */
xmlNodePtr accord_xml_find_id(xmlNodePtr root, const char *id, int *count);


/* Building a signature (formats/xades_build.c). The builder writes the structure with
 * empty SignedProperties digest and SignatureValue; sign/ then re-parses the serialised
 * file, fills the digests of same-document references and signs (accord_xades_seal). */
typedef struct accord_xades_data_ref {
	const char *path;            /* container path; percent-encoded into the URI */
	const char *mime_type;
	const unsigned char *sha256; /* 32 bytes */
} accord_xades_data_ref;

typedef struct accord_xades_build {
	const char *sig_id;
	const char *sig_alg_uri;
	const unsigned char *cert_der;
	size_t cert_len;
	const unsigned char *const *chain_der; /* further certificates for KeyInfo */
	const size_t *chain_lens;
	size_t n_chain;
	time_t signing_time;
	const char *role, *city, *country, *commitment_uri;
	const accord_xades_data_ref *data;
	size_t n_data;
	const char *countersigned_value_id; /* countersignature: Id of the master's SignatureValue */
} accord_xades_build;

#define ACCORD_DIGEST_SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

/* A new, empty signature file: root asic:XAdESSignatures declaring asic, ds and xades. */
xmlDocPtr accord_xades_new_file(void);
/* Append a ds:Signature built from b under parent (the root, or a CounterSignature). */
int accord_xades_build_signature(xmlNodePtr parent, const accord_xades_build *b,
				 accord_error *err);
/* The UnsignedSignatureProperties of the signature with that Id, created if absent. */
xmlNodePtr accord_xades_unsigned_props(xmlNodePtr signature, accord_error *err);

/* Parse every signature file of a container (c->signatures); files that fail the strict
 * profile are kept with n_sigs == 0 and their error in errs[i] (may be NULL). */
struct accord_container;
int accord_xades_parse_all(const struct accord_container *c, accord_xsig_file **files,
			   accord_error **errs, size_t *n, accord_error *err);
void accord_xades_free_all(accord_xsig_file *files, accord_error *errs, size_t n);
/* Find a signature or countersignature by Id across the files; NULL if absent.
 * *count tells how many carry that Id. */
accord_xsig *accord_xades_find(accord_xsig_file *files, size_t n, const char *id,
			       size_t *file_index, int *count);

/* The hash of an ArchiveTimeStamp's input for signature s (formats/xades_archive.c):
 * references in order (data bytes streamed from the container), SignedInfo,
 * SignatureValue, KeyInfo, then the unsigned properties before `before` (NULL: all). */
int accord_archive_imprint(const struct accord_container *c, const accord_xsig *s,
			   xmlNodePtr before, const char *c14n, int gcry_alg, unsigned char *out,
			   size_t *out_len, accord_error *err);

/* Parse bytes about to be written as a signature file; refuse them if accord could not
 * read them back (a safety net before any signature file is committed). */
int accord_xades_check_bytes(const unsigned char *xml, size_t len, const char *name,
			     accord_error *err);

#endif
