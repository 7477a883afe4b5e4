/* formats/tsl.h — ETSI TS 119 612 trusted lists as bytes: the strict reader (the
 * enveloped signature's shape, limits on size and counts) and the writer. No policy:
 * verify/tsl.c decides what a list and its services are worth. */
#ifndef ACCORD_TSL_H
#define ACCORD_TSL_H
#include <time.h>
#include <libxml/tree.h>
#include "util/internal.h"
#include "formats/xades.h"

#define ACCORD_NS_TSL "http://uri.etsi.org/02231/v2#"
#define ACCORD_NS_TSL_ECC "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
#define ACCORD_TSL_TAG "http://uri.etsi.org/19612/TSLTag"
#define ACCORD_TSL_TYPE_EUGENERIC "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric"
#define ACCORD_TSL_SVCTYPE "http://uri.etsi.org/TrstSvc/Svctype/"
#define ACCORD_TSL_SVCSTATUS "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
#define ACCORD_TSL_QUALIFIER "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"
#define ACCORD_XMLDSIG_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

/* Limits: a list is outside input. Member-state lists are a few megabytes with a few
 * hundred services; these bounds leave room for them and none for a bomb. */
#define ACCORD_TSL_MAX_BYTES (32u << 20)
#define ACCORD_TSL_MAX_SERVICES 4096
#define ACCORD_TSL_MAX_IDS 16      /* digital identities of one service */
#define ACCORD_TSL_MAX_HISTORY 64  /* ServiceHistoryInstance of one service */

/* One status of a service: the current one, or a ServiceHistoryInstance. */
typedef struct accord_tsl_status {
	char *type;      /* ServiceTypeIdentifier at that time */
	char *status;    /* ServiceStatus URI */
	time_t since;    /* StatusStartingTime */
} accord_tsl_status;

typedef struct accord_tsl_service {
	char *tsp;                 /* TSPName of its provider */
	char *name;                /* ServiceName */
	unsigned char **certs;     /* ServiceDigitalIdentity X509Certificate, DER */
	size_t *cert_lens;
	size_t n_certs;
	size_t n_other_ids;        /* X509SKI, X509SubjectName, KeyValue, Other */
	accord_tsl_status *statuses; /* [0] is the current one, then the history as written */
	size_t n_statuses;
	int qualified_qscd;        /* ecc:Qualifications with QCStatement and QCWithQSCD */
} accord_tsl_service;

/* One ds:Reference of the list's signature: the list itself (enveloped) or the XAdES
 * SignedProperties inside the signature's ds:Object. */
typedef struct accord_tsl_ref {
	xmlNodePtr target;
	int enveloped;             /* the enveloped-signature transform applies */
	char *c14n;                /* the canonicalisation applied (implicit: C14N 1.0) */
	char *prefixes;            /* exclusive C14N InclusiveNamespaces PrefixList */
	const accord_digest_alg *digest_alg;
	char *digest_uri;
	unsigned char digest[64];
	size_t digest_len;
} accord_tsl_ref;

typedef struct accord_tsl {
	xmlDocPtr doc;
	int version;               /* TSLVersionIdentifier */
	unsigned long sequence;    /* TSLSequenceNumber */
	char *type;                /* TSLType */
	char *operator_name;       /* SchemeOperatorName, the first Name */
	char *territory;           /* SchemeTerritory, or NULL */
	time_t issued;             /* ListIssueDateTime */
	time_t next_update;        /* NextUpdate/dateTime; 0 for a closed list */
	accord_tsl_service *services;
	size_t n_services;
	/* the enveloped ds:Signature, its shape checked, nothing verified */
	xmlNodePtr signature, signed_info;
	char *c14n_uri, *c14n_prefixes;
	char *sig_uri;
	const accord_sig_alg *sig_alg;
	accord_tsl_ref refs[2];    /* [0] the list; [1] SignedProperties when present */
	size_t n_refs;
	unsigned char *sig_value;
	size_t sig_value_len;
	unsigned char **key_certs; /* KeyInfo X509Certificate, DER */
	size_t *key_cert_lens;
	size_t n_key_certs;
} accord_tsl;

/* Parse a trusted list strictly: root tsl:TrustServiceStatusList, exactly one ds:Signature
 * in the document, the last child of the root, whose one list reference (URI "" or the
 * root's Id) has the enveloped-signature transform; at most one other reference, to an
 * element inside the signature's own ds:Object. XML limits as formats/xml_safe.h, plus
 * the ACCORD_TSL_MAX_* bounds. where names the file. accord_tsl_clear out afterwards,
 * also when the parse failed. */
int accord_tsl_parse(const unsigned char *buf, size_t len, const char *where, accord_tsl *out,
		     accord_error *err) ACCORD_WUR;
void accord_tsl_clear(accord_tsl *t);

/* An xsd:dateTime in UTC ("...Z" or "+00:00", fractions of a second dropped). */
int accord_tsl_time_parse(const char *s, time_t *out);

/* Writing a list (formats/tsl_write.c): one TSP, one TSPService per certificate,
 * granted since the given time, and an enveloped ds:Signature template (empty
 * DigestValue and SignatureValue, the signer's certificate in KeyInfo) that sign/
 * fills in. */
typedef struct accord_tsl_entry {
	const char *type;          /* ServiceTypeIdentifier */
	const char *name;          /* ServiceName */
	const unsigned char *cert_der;
	size_t cert_len;
	time_t since;              /* StatusStartingTime */
	int qualified_qscd;        /* add ecc:Qualifications (QCStatement, QCWithQSCD) */
} accord_tsl_entry;

typedef struct accord_tsl_build {
	const char *id;            /* the root's Id */
	const char *operator_name;
	const char *territory;     /* two letters */
	unsigned long sequence;
	time_t issued, next_update;
	const accord_tsl_entry *entries;
	size_t n_entries;
	const char *sig_alg_uri;
	const unsigned char *signer_der;
	size_t signer_len;
} accord_tsl_build;
int accord_tsl_build_doc(const accord_tsl_build *b, xmlDocPtr *out, accord_error *err) ACCORD_WUR;

#endif
