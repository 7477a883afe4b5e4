/* formats/container.h — internal view of a container, for sign/ and verify/. */
#ifndef ACCORD_CONTAINER_INTERNAL_H
#define ACCORD_CONTAINER_INTERNAL_H
#include "accord/container.h"
#include "util/internal.h"
#include <gnutls/crypto.h>
#include <time.h>

/* Digest algorithms computed for each data file in the single reading pass. */
enum { ACCORD_DIGEST_SHA256 = 0, ACCORD_DIGEST_SHA384, ACCORD_DIGEST_SHA512, ACCORD_DIGEST_COUNT };

#define ACCORD_EXTRA_DIGESTS_LEN (48 + 64)
typedef struct accord_entry {
	accord_document doc;              /* public view; doc.name points at name */
	char *name;
	char *media_type;
	unsigned char *extra;             /* SHA-384 (48 bytes) then SHA-512 (64), in the
					   * container's extra_digests; NULL until
					   * accord_container_hash_extra (most packages never
					   * need them: not held per entry, issue #12) */
	uint64_t csize;                   /* compressed size */
	uint64_t lho;                     /* offset of its local header in the file */
	uint16_t method;                  /* 0 stored, 8 deflate */
} accord_entry;

/* Digests of a META-INF file, each computed once, on first use (a signature may cover a
 * signature file or the manifest; many signatures covering one big file cost one pass). */
typedef struct accord_meta_digests {
	unsigned char d[3][64];           /* SHA-256, SHA-384, SHA-512 */
	unsigned char have[3];
} accord_meta_digests;

typedef struct accord_meta_file {
	char *name;                       /* e.g. "META-INF/signatures0.xml" */
	unsigned char *data;              /* NUL-terminated copy */
	size_t len;
	accord_meta_digests *digests;     /* the cache (owned); NULL until first use */
} accord_meta_file;

/* The digest of f with alg (SHA-256/384/512), computed at most once per file: out gets
 * gnutls_hash_get_len(alg) bytes. Returns 0, or an ACCORD_ERR code. */
int accord_meta_file_digest(const accord_meta_file *f, gnutls_digest_algorithm_t alg,
			    unsigned char *out);

struct accord_container {
	char *path;
	accord_entry *entries;            /* data files (not mimetype, not META-INF/) */
	size_t n_entries;
	size_t *by_name;                  /* indexes of entries in name order (strcmp) */
	accord_meta_file *signatures;     /* META-INF/ *signatures*.xml, in name order */
	size_t n_signatures;
	accord_meta_file manifest;        /* META-INF/manifest.xml */
	int has_descriptor;
	/* The descriptor is known by its reserved name, not by the unsigned manifest; when
	 * the manifest says otherwise, what it says (verify reports it as a finding). */
	char descriptor_note[320];
	accord_descriptor descriptor;
	int has_extra_digests;            /* every entry's extra digests are filled */
	unsigned char *extra_digests;     /* n_entries * ACCORD_EXTRA_DIGESTS_LEN (owned) */
	int tolerant;                     /* opened for reading only: see
	                                     accord_container_open_tolerant */
	accord_container_note *notes;     /* the non-conformances tolerated (capped) */
	size_t n_notes;
	size_t n_zip_entries;             /* every entry of the ZIP (mimetype, META-INF/) */
};

/* Add a note to c (NULL: nothing; capped at ACCORD_NOTES_MAX). */
#define ACCORD_NOTES_MAX 100
void accord_container_note_add(accord_container *c, const char *rule, const char *where,
			       const char *fmt, ...) ACCORD_PRINTF(4, 5);

/* The rules of ETSI EN 319 162-1 (V1.1.1) that a tolerant reading notes. */
#define ACCORD_RULE_MT_PRESENT "ETSI EN 319 162-1 4.4.1: a mimetype entry is present"
#define ACCORD_RULE_MT_FIRST "ETSI EN 319 162-1 A.1: mimetype is the first entry"
#define ACCORD_RULE_MT_STORED "ETSI EN 319 162-1 A.1: mimetype is stored, not compressed"
#define ACCORD_RULE_MT_EXTRA "ETSI EN 319 162-1 A.1: mimetype has no extra field"
#define ACCORD_RULE_MT_DESCRIPTOR "ETSI EN 319 162-1 A.1: mimetype has no data descriptor"
#define ACCORD_RULE_MT_CONTENT "ETSI EN 319 162-1 4.4.1: mimetype holds exactly the media type"
#define ACCORD_RULE_COMMENT "ETSI EN 319 162-1 4.4.1: a zip comment is \"mimetype=\" the media type"
#define ACCORD_RULE_MANIFEST "ETSI EN 319 162-1 4.4.2: META-INF/manifest.xml lists every data file"
#define ACCORD_RULE_MANIFEST_NS "ETSI EN 319 162-1 4.4.2 (ODF 1.2 manifest): full-path and media-type are manifest: attributes"
#define ACCORD_RULE_TLP "FIRST TLP 2.0: the labels are TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT and TLP:RED"
#define ACCORD_RULE_MANIFEST_ABSENT "ETSI EN 319 162-1 4.4.2: META-INF/manifest.xml lists only files present"

/* Look a data file up by its exact container path; NULL if absent. A binary search
 * (the reading pass sorts an index), so a lookup per reference stays O(log n). */
const accord_entry *accord_container_find(const accord_container *c, const char *name);

/* Add new entries (name, bytes) to an existing container, copying every existing
 * entry raw (no recompression), atomically: temporary file, fsync, rename. The new
 * entries are stored deflated. Fails with ACCORD_ERR_EXISTS if a name is taken. */
typedef struct accord_new_entry {
	const char *name;
	const unsigned char *data; /* accord_container_update_entries: NULL drops the entry */
	size_t len;
} accord_new_entry;
int accord_container_add_entries(const char *path, const accord_new_entry *entries, size_t n,
				 accord_error *err);
/* Replace the bytes of existing META-INF entries (used to add unsigned properties such
 * as countersignatures and timestamps to a signature file), and add new ones, in one
 * atomic rewrite. Every other entry is copied raw. */
int accord_container_update_entries(const char *path, const accord_new_entry *entries,
				    size_t n, accord_error *err);

/* The same rewrite without libzip (formats/container_update.c): every byte before the
 * first entry replaced (all of them when only adding) copied by the kernel, then the
 * rest, the new entries, a new central directory; temporary file, fsync, rename. folds
 * are the new names' collision keys. Returns ACCORD_REWRITE_GENERAL, having written
 * nothing, when an entry that moves has its offset in a ZIP64 field (libzip then). */
#define ACCORD_REWRITE_GENERAL 1
int accord_container_rewrite_fast(const char *path, const accord_new_entry *entries, size_t n,
				  char *const *folds, int replace, accord_error *err);
/* A writer that holds the package's lock calls prepare before reading the package: the
 * copy of its bytes into the temporary file the rewrite above will finish starts on a
 * second thread while the documents are hashed. abandon (after the write, or on any
 * failure) stops and removes what the rewrite did not use. One package at a time. */
void accord_container_write_prepare(const char *path);
void accord_container_write_abandon(void);

/* Documents before anyone signs (the caller refuses a signed package first): add files
 * (stored as pack stores them: base names, media types, compression) with their manifest
 * entries, or drop one document and its entry, in one atomic rewrite of c->path that
 * copies every other entry raw. Both refuse a package holding any META-INF entry but
 * the manifest (signatures, timestamps, another tool's evidence), a name taken (add), and
 * the mimetype, META-INF, the descriptor, an absent name or the last document (remove). */
int accord_container_add_documents(const accord_container *c, const char *const *files, size_t n,
				   accord_error *err);
int accord_container_remove_document(const accord_container *c, const char *name,
				     accord_error *err);

/* The next free signature file name: "META-INF/signatures<N>.xml". */
int accord_container_next_signature_name(const accord_container *c, char *buf, size_t n);

/* Descriptor XML (formats/descriptor.c). */
int accord_descriptor_to_xml(const accord_descriptor *d, unsigned char **out, size_t *len,
			     accord_error *err);
int accord_descriptor_parse(const unsigned char *xml, size_t len, const char *where,
			    accord_descriptor *out, accord_error *err);
void accord_descriptor_clear(accord_descriptor *d);
/* Why an incident ID cannot be in the descriptor ("is empty", "is longer than 255 bytes",
 * "holds a control character"), or NULL when it can. */
const char *accord_incident_id_problem(const char *id);

/* Manifest XML (formats/manifest.c). */
typedef struct accord_manifest_item {
	char *path;
	char *media_type;
} accord_manifest_item;
int accord_manifest_to_xml(const accord_manifest_item *items, size_t n, unsigned char **out,
			   size_t *len, accord_error *err);
int accord_manifest_parse(const unsigned char *xml, size_t len, accord_manifest_item **items,
			  size_t *n, accord_error *err);
/* The same, also reading full-path and media-type without the manifest: prefix (counted
 * in *unqualified: the caller notes them). */
int accord_manifest_parse_tolerant(const unsigned char *xml, size_t len,
				   accord_manifest_item **items, size_t *n, size_t *unqualified,
				   accord_error *err);
void accord_manifest_free(accord_manifest_item *items, size_t n);

/* Media type guessed from a file name (".pdf" -> "application/pdf", ...). */
const char *accord_media_type_guess(const char *name);


/* --- Added by the container module (formats/container_*.c, media_type.c). --- */

/* What pack puts into a new package (formats/pack_input.c). */
typedef struct accord_pack_file {
	char *path;     /* where it is read from */
	char *name;     /* the path it is stored under: relative, as given */
	char *fold;     /* name case-folded and normalised (duplicates) */
	uint64_t size;
} accord_pack_file;
/* The files named by args (folders walked recursively, sorted by name; a symlink inside
 * one followed only to a file inside it; FIFOs, sockets and devices refused), relative
 * args read from base_dir (NULL: the current folder), out_path itself skipped; refused
 * when a name breaks the reader's rules or is reserved, two names fold alike, a document
 * would also be a folder, or the package would exceed lim with a first signature file. */
int accord_pack_collect(const char *const *args, size_t n_args, const char *base_dir,
			const char *out_path, const accord_limits *lim, accord_pack_file **out,
			size_t *n_out, accord_error *err);
void accord_pack_files_free(accord_pack_file *v, size_t n);
/* How one document goes into a package, decided by its content (accord_pack_prepare). */
typedef struct accord_pack_data {
	int deflate;          /* 1: deflated at the level given, 0: stored */
	int held;             /* 1: the whole file is in bytes, as it is stored (deflated or
			       * not), with crc, size, mtime and mode: written without reading
			       * or compressing the file again */
	unsigned char *bytes; /* malloc'ed when held (NULL for an empty file) */
	size_t len;           /* of bytes */
	uint64_t size;        /* the file's size when held */
	uint32_t crc;         /* CRC-32 of the file when held */
	time_t mtime;
	unsigned mode;        /* st_mode when held */
} accord_pack_data;
/* Decide how the file at path goes into a package at level (0 stores all, 1-9): stored
 * when a format known by its first bytes to be compressed already (PDF, images, audio,
 * video, archives, office documents) or when deflate saves less than 3% of its first
 * 64 KiB; deflated otherwise. A file no larger than 64 KiB is read whole, and when
 * may_hold the result is kept in out (held): its one deflate serves both the decision
 * and the package. Returns 0, or -1 (err filled) when it cannot be read. */
int accord_pack_prepare(const char *path, int level, int may_hold, accord_pack_data *out,
			accord_error *err);

/* The reader's rules for a path inside a container (directory entries without their
 * trailing '/'): not empty, no NUL or control or bidirectional-control characters, no
 * backslash, not absolute, no drive letter or ':', no empty, '.' or '..' component,
 * valid UTF-8, at most 1024 bytes (255 per component). Returns 0, or -1 with the
 * rule broken written into why. */
int accord_container_name_check(const char *name, size_t len, char *why, size_t n);
/* The key two names collide on (Unicode NFC, then lower case): malloc'ed in *out.
 * Returns 0, or -1 when the name cannot be normalised (unassigned or disallowed
 * code points). */
int accord_container_name_fold(const char *name, char **out);

/* Entries smaller than this are not subject to the compression-ratio limit: the size
 * limits already bound them, and small repetitive files legitimately compress well. */
#define ACCORD_RATIO_FLOOR (64u * 1024)

/* Stream the bytes of every data file again, in container order, to a consumer:
 * data() for each chunk, end() after each file. Each file is checked against the
 * digests of the first pass. Used where the bytes themselves are signed over
 * (the archive timestamp of XAdES B-LTA). */
typedef struct accord_stream_sink {
	int (*data)(void *ud, const char *name, const unsigned char *buf, size_t len);
	int (*end)(void *ud, const char *name);
	void *ud;
} accord_stream_sink;
int accord_container_stream(const accord_container *c, const accord_limits *limits,
			    const accord_stream_sink *sink, accord_error *err);

/* Random access to the data files of an open container, for reading them in an order
 * other than the container's (the archive timestamp follows the references): one open
 * of the file, then each entry read at its offset, inflated and checked against the
 * size and SHA-256 of the first pass (a file changed since is refused). data() gets the
 * bytes in chunks. O(bytes read), whatever the order. (formats/entry_reader.c) */
typedef struct accord_entry_reader accord_entry_reader;
int accord_entry_reader_open(const accord_container *c, accord_entry_reader **out,
			     accord_error *err);
int accord_entry_reader_read(accord_entry_reader *r, const accord_entry *e,
			     int (*data)(void *ud, const unsigned char *buf, size_t len), void *ud,
			     accord_error *err);
void accord_entry_reader_close(accord_entry_reader *r);

/* Fill sha384 and sha512 of every data file in one more pass (the first pass computes
 * SHA-256 only); done once per container, only when a signature needs them. */
int accord_container_hash_extra(accord_container *c, accord_error *err);

/* The manifest helpers: accord_manifest_to_xml writes the root entry (full-path "/",
 * the ASiC-E media type) itself, then the items; accord_manifest_parse checks that
 * root entry and returns the other entries only. */

#endif
