/* accord/verify.h — public API: offline verification of a package, and its report in
 * the ETSI EN 319 102-1 vocabulary. */
#ifndef ACCORD_VERIFY_H
#define ACCORD_VERIFY_H
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "accord/error.h"
#include "accord/container.h"
#include "accord/indication.h"
#include "accord/sign.h" /* accord_commitment */

#ifdef __cplusplus
extern "C" {
#endif

/* Where a signature's validation time (the time its certificate path is checked at)
 * came from, in this order of preference: */
typedef enum {
	ACCORD_TIME_NONE = 0,      /* not reached: the signature failed before its path was checked */
	ACCORD_TIME_TIMESTAMPED,   /* "timestamped": genTime of its earliest valid SignatureTimeStamp */
	ACCORD_TIME_ARCHIVED,      /* "archived": else genTime of its earliest valid ArchiveTimeStamp */
	ACCORD_TIME_MARK,          /* "time-mark": else, under the BDOC 2.1 time-mark policy, the
	                              producedAt of the OCSP response whose nonce binds the
	                              signature value */
	ACCORD_TIME_GIVEN,         /* "given": else accord_verify_options.at (`--at`) */
	ACCORD_TIME_NOW            /* "now": else the time of the verification */
} accord_time_source;
/* "timestamped", "archived", "time-mark", "given", "now"; "" for ACCORD_TIME_NONE.
 * Static; thread-safe. */
const char *accord_time_source_name(accord_time_source s);

/* The result for one signature or countersignature. */
typedef struct accord_sig_report {
	char id[128];
	char file[256];           /* META-INF/signaturesN.xml */
	int master;               /* index of the endorsed signature, -1 for a signature */
	accord_indication indication;
	accord_subindication subindication; /* ACCORD_SUB_NONE when TOTAL-PASSED */
	char message[768];        /* what failed, naming the document or certificate */
	char signer[256];         /* certificate CN */
	char signer_subject[512];
	char signer_fingerprint[65];
	char signer_org[256];     /* O of the signer's certificate, or "" */
	char signer_country[8];   /* C, or "" */
	char signer_issuer[256];  /* CN of its issuer */
	char signature_method[96];
	char role[256], city[128], country[64];
	accord_commitment commitment; /* its CommitmentTypeIndication (accord_commitment_name) */
	time_t claimed_time;      /* SigningTime, 0 if none */
	time_t validation_time;   /* the time the certificate path was checked at */
	accord_time_source time_source; /* where validation_time came from */
	time_t timestamp_time;    /* genTime of a valid SignatureTimeStamp, 0 if none */
	char timestamp_authority[256];
	int party;                /* index of the declared party it satisfies, -1 if none */
	time_t archive_time;      /* earliest valid ArchiveTimeStamp genTime, 0 if none */
	int has_ltv;              /* CertificateValues or RevocationValues embedded */
	char revocation[256];     /* what decided the signer's revocation status */
	char anchor[256];         /* the trust anchor the signer's path ends at */
	char path_evidence[1024]; /* each certificate of the validated path and what decided it */
	char crypto[192];         /* the crypto constraints applied to the signer's key and digest */
	size_t n_covered;         /* data files its references cover */
	char **covered;
} accord_sig_report;

/* A deviation found while reading or judging: the rule it breaks, and where. */
typedef struct accord_finding {
	char rule[96];
	char where[256];
	char message[512];
} accord_finding;

typedef struct accord_party_report {
	accord_party party;
	int has_signed;
	char signature_id[128];
	/* Not confirmed: a signature by the party's declared certificate exists but is not
	 * TOTAL-PASSED (an anchor is missing, ...): its Id, indication and reason. */
	char unconfirmed_id[128];
	char unconfirmed_why[400];
} accord_party_report;

typedef struct accord_doc_report {
	char *name;
	char *media_type;          /* from the manifest, or NULL */
	uint64_t size;             /* uncompressed bytes */
	unsigned char sha256[32];  /* SHA-256 of its content, as read */
	int is_descriptor;
	unsigned valid_signatures; /* valid signatures (not countersignatures) covering it */
	unsigned unconfirmed_signatures; /* INDETERMINATE ones covering it (not confirmed) */
} accord_doc_report;

/* A trusted list (ETSI TS 119 612) whose services gave trust anchors. */
typedef struct accord_tsl_report {
	char file[512];
	char operator_name[256];       /* SchemeOperatorName */
	char territory[16];            /* SchemeTerritory */
	unsigned long sequence;        /* TSLSequenceNumber */
	time_t issued, next_update;    /* ListIssueDateTime, NextUpdate (0: none) */
	char signer[256];              /* the certificate its signature verified with */
	char signer_fingerprint[65];
	char signer_org[256];     /* O of the signer's certificate, or "" */
	char signer_country[8];   /* C, or "" */
	char signer_issuer[256];  /* CN of its issuer */
	size_t n_services;             /* services in the list */
	size_t n_used;                 /* services that gave anchors */
	size_t n_anchors;              /* certificates that became anchors */
} accord_tsl_report;

typedef enum {
	ACCORD_PACKAGE_VALID = 0,   /* every signature valid, quorum met, all covered */
	ACCORD_PACKAGE_INVALID = 1, /* some signature TOTAL-FAILED or a file unreadable */
	ACCORD_PACKAGE_INCOMPLETE = 2 /* quorum not met, uncovered documents, INDETERMINATE */
} accord_package_status;

typedef struct accord_report {
	char package[1024];
	int has_descriptor;
	accord_descriptor descriptor;  /* kind, title, reference, created; parties is NULL: see parties below */
	accord_sig_report *sigs;
	size_t n_sigs;
	accord_party_report *parties;
	size_t n_parties;
	unsigned quorum;               /* effective quorum */
	unsigned parties_signed;
	accord_doc_report *docs;
	size_t n_docs;
	accord_package_status status;
	char summary[512];             /* one sentence: why this status */
	accord_finding *findings;      /* deviations that did not decide the status alone
	                                  (warnings; container notes are findings too) */
	size_t n_findings;
	int strict;                    /* verified with --strict: a warning fails */
	size_t n_conflicts;            /* documents whose manifest media type contradicts the
	                                  MimeType a signature signed for them: INVALID */
	char conflict[512];            /* the first of them, said plainly */
	accord_tsl_report *tsls;       /* the trusted lists used */
	size_t n_tsls;
	/* Where the trust anchors came from: --trust files, the trust store, trusted lists. */
	size_t n_given_anchors;
	size_t n_store_anchors;
	char trust_store[1024];        /* the store folder read, "" when not used */
	size_t n_tsl_anchors;
} accord_report;

typedef struct accord_verify_options {
	const char *const *trust;      /* files or folders of trust anchors */
	size_t n_trust;
	int no_trust_store;            /* ignore the default trust store */
	time_t at;                     /* check certificates as of this time when no timestamp
	                                  proves an earlier one (0: now). The order: the
	                                  earliest valid signature timestamp's genTime, else
	                                  the earliest archive timestamp's, else at, else now */
	int allow_weak;                /* accept SHA-1 (never MD5) */
	const char *const *crls;       /* CRL files, every CRL in each (offline revocation data) */
	size_t n_crls;
	const char *const *ocsps;      /* OCSP response files (DER) */
	size_t n_ocsps;
	accord_limits limits;          /* zero: defaults */
	int strict;                    /* any finding (warning) fails a valid package */
	const char *const *tsl;        /* trusted lists (ETSI TS 119 612), each signed by ... */
	const char *const *tsl_certs;  /* ... exactly this certificate (same index) */
	size_t n_tsl;
} accord_verify_options;

/* Verify a package offline. A bad signature is a result (report->status), not an error:
 * the return code is an error only when the package cannot be read at all.
 * The container is read once (SHA-256 of each document in that pass; once more for
 * SHA-384/512 only when a reference uses them). For each signature, in this order: its
 * references against those digests and its signed properties, the signature value, its
 * signature timestamps and archive timestamps (each TSA's path checked as of the token's
 * genTime), then the signer's certificate path and revocation as of the validation time
 * (accord_time_source: the earliest valid signature timestamp, else the earliest valid
 * archive timestamp, else opt->at, else now; a claimed SigningTime is never used);
 * countersignatures the same way, under the signature they endorse. Then the declared
 * parties, the quorum and the documents' coverage give the status.
 * *out is the caller's, released with accord_report_free; opt may be NULL (defaults). */
int accord_verify(const char *package, const accord_verify_options *opt,
		  accord_report **out, accord_error *err) ACCORD_WUR;
/* Releases a report and everything in it; NULL is accepted. */
void accord_report_free(accord_report *r);

/* One certificate judged alone by the same trust engine (`accord keys verify`): its path
 * to a trust anchor (opt's --trust files and, unless no_trust_store, the trust store),
 * every certificate valid at opt->at (0: now), acceptable to the crypto policy, not
 * revoked by the CRLs and OCSP responses given, and the certificate fit to sign
 * documents. Further certificates in cert_path after the first help build the path.
 * A refusal is a result (indication), not an error. */
typedef struct accord_cert_verdict {
	accord_indication indication;
	accord_subindication subindication;
	char message[512];
	char subject[512];
	char fingerprint[100];         /* SHA-256 of the DER, hex pairs with colons */
	char anchor[512];             /* the anchor's subject ("" without a path) */
	char anchor_fingerprint[100];
	char revocation[256];         /* what decided the certificate's revocation status */
	char path[1024];              /* each certificate of the path and what decided it */
	time_t at;                    /* the time it was judged at */
	size_t n_anchors;             /* anchors it was judged against */
} accord_cert_verdict;
int accord_cert_verify(const char *cert_path, const accord_verify_options *opt,
		       accord_cert_verdict *out, accord_error *err) ACCORD_WUR;

/* Report writers: a short text for people, JSON with the full detail for programs, and a
 * page for people who do not read terminals: one self-contained HTML document (inline
 * CSS, no script, nothing fetched), the verdict first, then the documents with their
 * digests, each signer with organisation, role, place, commitment, trusted time and
 * certificate, countersignatures under what they endorse, the parties still missing and
 * the warnings. Every text from the package or its certificates is escaped. */
void accord_report_write_text(const accord_report *r, FILE *f);
void accord_report_write_json(const accord_report *r, FILE *f);
void accord_report_write_html(const accord_report *r, FILE *f);
/* The HTML page written to path atomically (temporary file, fsync, rename; mode 0644,
 * an existing file is replaced). */
int accord_report_save_html(const accord_report *r, const char *path, accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif
