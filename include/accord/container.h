/* accord/container.h — public API: ASiC-E containers (pack, read, list, extract). */
#ifndef ACCORD_CONTAINER_H
#define ACCORD_CONTAINER_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "accord/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACCORD_MIMETYPE "application/vnd.etsi.asic-e+zip"
/* BDOC 1.0 packages used this type for the same ASiC-E layout; read with a note. */
#define ACCORD_MIMETYPE_BDOC10 "application/vnd.bdoc-1.0"
/* The package descriptor: an ordinary data file, listed in the manifest and signed. */
#define ACCORD_DESCRIPTOR_NAME "accord-package.xml"
#define ACCORD_DESCRIPTOR_MEDIA_TYPE "application/vnd.accord.package+xml"

/* Limits against hostile containers (zip bombs and the like). */
typedef struct accord_limits {
	uint64_t max_entries;    /* default 100000 */
	uint64_t max_entry_size; /* uncompressed bytes of one entry, default 4 GiB */
	uint64_t max_total_size; /* uncompressed bytes of all entries, default 16 GiB */
	uint64_t max_ratio;      /* uncompressed/compressed of one entry, default 1000 */
	uint64_t max_meta_size;  /* one META-INF entry held in memory, default 64 MiB */
} accord_limits;
void accord_limits_default(accord_limits *l);
/* Make l what accord_limits_default gives from now on (NULL: the built-in defaults
 * again): the limits of every reader and writer that is not given others (the CLI's
 * --max-* options). Not thread-safe: set it before starting work. */
void accord_limits_set_default(const accord_limits *l);
/* Set one limit from its option name ("max-entries", "max-size", "max-total",
 * "max-ratio", "max-meta") and a decimal value; sizes may end in K, M or G (1024-based). */
int accord_limits_set(accord_limits *l, const char *name, const char *value,
		      accord_error *err) ACCORD_WUR;

typedef enum { ACCORD_KIND_AGREEMENT = 0, ACCORD_KIND_INCIDENT_REPORT } accord_kind;
int accord_kind_from_name(const char *name, accord_kind *out) ACCORD_WUR;
const char *accord_kind_name(accord_kind k);

/* The Traffic Light Protocol marking of a package (FIRST TLP 2.0): who its recipients may
 * share it with. TLP:AMBER+STRICT is TLP:AMBER limited to the recipient's organisation. */
typedef enum {
	ACCORD_TLP_NONE = 0,     /* no marking (not given, or a package made before) */
	ACCORD_TLP_CLEAR,
	ACCORD_TLP_GREEN,
	ACCORD_TLP_AMBER,
	ACCORD_TLP_AMBER_STRICT,
	ACCORD_TLP_RED,
	ACCORD_TLP_UNKNOWN       /* a descriptor's value that is not a TLP 2.0 label (TLP 1.0's
	                            "white" among them): tlp_text holds it as written */
} accord_tlp;
/* "clear", "green", "amber", "amber+strict" or "red" (also "TLP:AMBER", any case) into
 * *out; anything else (ACCORD_TLP_UNKNOWN's text, TLP 1.0's "white") is ACCORD_ERR_USAGE. */
int accord_tlp_from_name(const char *name, accord_tlp *out) ACCORD_WUR;
/* The value the descriptor and the JSON reports hold ("amber+strict"), and the label
 * people read ("TLP:AMBER+STRICT"); "" for ACCORD_TLP_NONE and ACCORD_TLP_UNKNOWN. Static
 * strings. */
const char *accord_tlp_name(accord_tlp t);
const char *accord_tlp_label(accord_tlp t);

/* A party expected to sign: by certificate fingerprint (SHA-256, lower-case hex), or by
 * name (certificate CN) under a CA given by its fingerprint. */
typedef struct accord_party {
	char name[256];
	char fingerprint[65];    /* "" when identified by name under a CA */
	char ca_fingerprint[65]; /* "" when identified by fingerprint */
} accord_party;

typedef struct accord_descriptor {
	accord_kind kind;
	char title[512];
	char reference[256];
	char incident_id[256];   /* the incident's ID (incident reports); "" when none */
	accord_tlp tlp;          /* the TLP marking; ACCORD_TLP_NONE when the descriptor has none */
	char tlp_text[64];       /* the marking as the descriptor writes it ("amber"; the
	                            unknown value as is); "" when none */
	time_t created;
	accord_party *parties;
	size_t n_parties;
	unsigned quorum;         /* how many declared parties must sign; 0 = all */
} accord_descriptor;

typedef struct accord_pack_options {
	accord_kind kind;
	const char *title;       /* default: the first document's name */
	const char *reference;   /* may be NULL */
	accord_tlp tlp;          /* the TLP marking recorded (any kind); ACCORD_TLP_NONE: none;
	                            ACCORD_TLP_UNKNOWN is refused */
	const char *incident_id; /* incident reports only (refused for an agreement): the
	                            incident's ID. NULL: the IncidentID of the IODEF reports
	                            packed, when they name one incident (several different
	                            ones are refused: give it); none without IODEF or with
	                            no_validate (the reports are not read then) */
	const char *const *party_certs; /* certificate files of declared parties */
	size_t n_party_certs;
	unsigned quorum;         /* 0 = all declared parties */
	int force;               /* overwrite an existing output file */
	int no_validate;         /* incident reports: recognise IODEF and STIX files (for their
	                            media types) but do not check them */
	const accord_limits *limits; /* NULL: accord_limits_default; refused when the package
	                                would hold more entries (counting one signature file
	                                to come) or bytes than these allow */
	const char *base_dir;    /* relative files are read from here (NULL: the current
	                            folder), and stored under the path given (`pack -C DIR`) */
	int level;               /* deflate level 1-9 for documents that compress; 0: the
	                            default, 6; ACCORD_PACK_STORE: store every document */
	size_t *n_packed;        /* if not NULL: how many documents were packed */
} accord_pack_options;
#define ACCORD_PACK_STORE (-1)

/* Write a new container at out_path (atomically; refuses to overwrite unless force)
 * holding the files, the descriptor and the manifest. Each file is stored under its
 * path as given ("folder/a.txt"; "./" and empty parts dropped; an absolute path or one
 * through ".." under its last component); a folder gives its files, recursively, sorted
 * by name. Compression is decided by content: formats known to be compressed already and
 * data whose first 64 KiB deflate saves less than 3% of are stored, the rest deflated.
 * In an incident report (ACCORD_KIND_INCIDENT_REPORT), an IODEF v2 document (RFC 7970)
 * gets the media type application/iodef+xml and a STIX 2.1 bundle
 * application/stix+json;version=2.1; each is checked first (unless no_validate) and a
 * report that breaks a rule is refused with ACCORD_ERR_FORMAT naming the line or object. */
int accord_pack(const char *out_path, const char *const *files, size_t n_files,
		const accord_pack_options *opt, accord_error *err) ACCORD_WUR;

/* A starting document to fill in for a package of this kind (`accord new`): a draft
 * agreement (plain text), or an IODEF v2 incident report that already passes pack's
 * check. Written to path atomically; an existing file is refused unless force. */
int accord_template_write(accord_kind kind, const char *path, int force,
			  accord_error *err) ACCORD_WUR;

/* A container read and checked (opaque; accord_container_free releases it). */
typedef struct accord_container accord_container;

typedef struct accord_document {
	const char *name;        /* path inside the container */
	const char *media_type;  /* from the manifest */
	uint64_t size;           /* uncompressed bytes */
	unsigned char sha256[32];
	int is_descriptor;
} accord_document;

/* Open and check a container: streaming read with libarchive, every rule of
 * ETSI EN 319 162-1 and every limit enforced; each data file is hashed with SHA-256 in
 * that same reading pass (accord_document.sha256). accord_verify reads the container a
 * second time, SHA-384 and SHA-512 together, only when a signature references a file with
 * one of them. Hostile input gives ACCORD_ERR_FORMAT or ACCORD_ERR_LIMIT naming the entry
 * and the rule. *out is the caller's, released with accord_container_free. */
int accord_container_open(const char *path, const accord_limits *limits,
			  accord_container **out, accord_error *err) ACCORD_WUR;
/* Open for reading only (verify, list): a container-level non-conformance that does not
 * change what is signed (the mimetype entry compressed, not first, with an extra field
 * or a data descriptor, missing, or its content followed by whitespace; a zip comment
 * other than "mimetype=..."; a data file the manifest does not list; a manifest entry
 * for an absent file) becomes a note instead of a refusal. Everything that cannot be
 * read safely (overlaps, ZIP64 tricks, bad or duplicate names, bombs, CRC or header
 * disagreements, another container type in mimetype) is still refused. Writers (sign,
 * countersign, extend, timestamp attach) use accord_container_open, which refuses them. */
int accord_container_open_tolerant(const char *path, const accord_limits *limits,
				   accord_container **out, accord_error *err) ACCORD_WUR;
/* A container note: the rule (ETSI EN 319 162-1 clause), where, and what was found. */
typedef struct accord_container_note {
	char rule[96];
	char where[256];
	char message[512];
} accord_container_note;
/* Getters: the pointers they return belong to the container (valid until
 * accord_container_free; never freed by the caller). */
size_t accord_container_note_count(const accord_container *c);
const accord_container_note *accord_container_note_get(const accord_container *c, size_t i);
/* NULL is accepted. */
void accord_container_free(accord_container *c);
size_t accord_container_document_count(const accord_container *c);
const accord_document *accord_container_document(const accord_container *c, size_t i);
/* The descriptor, or NULL when the container has none (made by other software). */
const accord_descriptor *accord_container_descriptor(const accord_container *c);
size_t accord_container_signature_file_count(const accord_container *c);
const char *accord_container_signature_file_name(const accord_container *c, size_t i);

/* Who signed what, as the signature files say (parsed strictly, not verified: use
 * accord_verify for that). */
typedef struct accord_signature_info {
	char id[128];
	char file[256];
	char master_id[128];   /* for a countersignature: the Id it endorses; "" otherwise */
	char signer[256];      /* CN of the signing certificate (KeyInfo) */
	time_t signing_time;   /* claimed */
	size_t n_covered;      /* data files referenced */
	char error[512];       /* the file could not be read: why ("" otherwise) */
} accord_signature_info;
/* *out (an array of *n) is the caller's, released with accord_free. */
int accord_container_signatures(const accord_container *c, accord_signature_info **out,
				size_t *n, accord_error *err) ACCORD_WUR;

/* The container as one JSON object, "format": "accord-list/1" (docs/accord-list-1.schema.json):
 * descriptor, parties, quorum, documents with their SHA-256, the signature files as
 * accord_container_signatures read them (sigs, ns; may be NULL, 0), the layout warnings.
 * What `accord list --json` prints. */
void accord_container_write_json(const accord_container *c, const char *package,
				 const accord_signature_info *sigs, size_t ns, FILE *f);

/* Which JSON document an error object stands in for. */
typedef enum { ACCORD_JSON_VERIFY = 0, ACCORD_JSON_LIST } accord_json_doc;
/* The JSON object for a package that could not be read at all: that document's "format",
 * "package", "status": "error", exit_code and "error": {kind, where, message}. */
void accord_error_write_json(accord_json_doc doc, const char *package, const accord_error *err,
			     int exit_code, FILE *f);

typedef void (*accord_note_fn)(void *ctx, const accord_container_note *note);
/* How accord_container_extract works; zero-initialised (or NULL): the defaults. */
typedef struct accord_extract_options {
	int force;                    /* overwrite files that exist in dir */
	const accord_limits *limits;  /* NULL: accord_limits_default */
	accord_note_fn on_note;       /* each layout deviation, before anything is written */
	void *ctx;                    /* for on_note */
} accord_extract_options;
/* Write the documents into dir: never outside it, no symlinks, no overwrite unless force.
 * The container is read tolerantly, like accord_container_open_tolerant (hostile shapes
 * are still refused). */
int accord_container_extract(const char *path, const char *dir,
			     const accord_extract_options *opt, accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif
