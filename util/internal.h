/* util/internal.h — helpers shared by every module of libaccord (not public). */
#ifndef ACCORD_INTERNAL_H
#define ACCORD_INTERNAL_H
#ifndef ACCORD_INTERNAL
#error "util/internal.h is private to libaccord"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "accord/error.h"
#include "accord/util.h" /* accord_hex, accord_file_open_regular */
#include "util/banned.h"

#define ACCORD_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Fill err (if not NULL) and return code. WHERE is a file, entry or Id. */
int accord_err(accord_error *err, int code, const char *where, const char *fmt, ...)
	ACCORD_PRINTF(4, 5);
/* Same, naming the GnuTLS call and its error string. */
int accord_err_gnutls(accord_error *err, const char *where, const char *call, int gnutls_rc);

/* Memory: these never exit; they return NULL on failure. */
void *accord_calloc(size_t n, size_t size);
char *accord_strdup(const char *s);
char *accord_strndup(const char *s, size_t n);
/* Room for element n of the array *pp (n elements in use, elem bytes each): the
 * capacity doubles whenever n reaches a power of two, so appending n elements costs
 * O(n), not the O(n^2) copying of growing by one. -1 (array untouched) when out of
 * memory. */
int accord_array_grow(void *pp, size_t n, size_t elem);
/* Wipe memory the compiler may not elide. */
void accord_wipe(void *p, size_t n);
/* Secret strings: secure memory, wiped on free. */
char *accord_secret_strdup(const char *s);
void accord_secret_free(char *s);

/* Files. */
/* accord_file_open_regular: accord/util.h (public). */
/* a + b into *out; -1 (and *out untouched) when the sum does not fit 64 bits. */
static inline int accord_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}
/* Read what is left of an open file (at most max bytes, else ACCORD_ERR_LIMIT); where
 * names it in errors. *out is malloc'd and NUL-terminated. */
int accord_fd_read(int fd, size_t max, const char *where, unsigned char **out, size_t *len,
		   accord_error *err);
/* Read a whole file (at most max bytes, else ACCORD_ERR_LIMIT). *out is NUL-terminated. */
int accord_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
		     accord_error *err);
/* Write data to path atomically: temporary file in the same folder, fsync, rename,
 * fsync of the folder. mode is the file's permission bits (e.g. 0644, 0600).
 * If exclusive, an existing path is refused with ACCORD_ERR_EXISTS. */
int accord_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			     int exclusive, accord_error *err);
/* Progress of long work on stderr (util/progress.c): off unless turned on (the CLI does
 * when stderr is a terminal, not with -q); shown only once the work has lasted half a
 * second; the line is cleared by end. total 0: fractions only. */
typedef struct accord_progress {
	const char *what;
	uint64_t total, done;
	double start, last;
	int shown;
} accord_progress;
void accord_progress_begin(accord_progress *p, const char *what, uint64_t total);
void accord_progress_add(accord_progress *p, uint64_t n);
void accord_progress_fraction(accord_progress *p, double fraction);
void accord_progress_end(accord_progress *p);
/* A temporary name next to path: "<dir>/.<base>.accord-tmp-XXXXXX" (template for mkstemp). */
int accord_tmp_template(const char *path, char *buf, size_t n);
/* Remove leftovers ".<base>.accord-tmp-*" of an earlier, killed run next to path. */
void accord_tmp_cleanup_stale(const char *path);
/* rename(tmp, path) then fsync the folder of path. */
int accord_commit_rename(const char *tmp, const char *path, accord_error *err);
int accord_fsync_path(const char *path, accord_error *err);
/* fsync the folder that holds path (after a rename into it). */
int accord_fsync_dir_of(const char *path, accord_error *err);
/* Serialise read-modify-write of one package between processes (flock on the file,
 * retaken if the file was replaced meanwhile). Hold it from reading to renaming. */
/* Lock the package file for a writer. A symlink is resolved first: *real (malloc'd) is the
 * file to read and replace. */
int accord_package_lock(const char *path, int *fd_out, char **real, accord_error *err);
/* given, or the file a symlink at given points to (realpath); *out malloc'd. */
int accord_resolve_symlink(const char *given, char **out, accord_error *err);
void accord_package_unlock(int fd);

/* Configuration files: "key = value" lines, '#' comments. fn gets each setting (the
 * line number and path to name in an error) and returns ACCORD_OK or an error. */
typedef int (*accord_conf_fn)(void *ud, const char *key, const char *val, int lineno,
			      const char *path, accord_error *err);
int accord_conf_read(const char *path, size_t max, accord_conf_fn fn, void *ud,
		     accord_error *err);

/* Names found by sorting once (util/name_index.c): add (name, position) pairs, sort,
 * then find or look for repeats. Names are not copied: they must outlive the index.
 * A zeroed accord_name_index is empty and ready. */
typedef struct accord_name_ref {
	const char *name;
	size_t idx;
} accord_name_ref;
typedef struct accord_name_index {
	accord_name_ref *v;
	size_t n, cap;
} accord_name_index;
/* NULL names are skipped; -1 when out of memory. */
int accord_name_index_add(accord_name_index *ix, const char *name, size_t idx);
void accord_name_index_sort(accord_name_index *ix);
/* After sorting: the pair with this name and the lowest position, or NULL. Pairs with
 * the same name follow it in position order. */
const accord_name_ref *accord_name_index_find(const accord_name_index *ix, const char *name);
/* After sorting: a pair whose name is a folder of name ("a" or "a/b" for "a/b/c"), or
 * NULL: a document that would also be a folder, which the reader refuses. */
const accord_name_ref *accord_name_index_folder(const accord_name_index *ix, const char *name);
/* After sorting: the earliest position whose name an earlier position already has, or
 * NULL when all names differ; *first (if not NULL) the earlier one. */
const accord_name_ref *accord_name_index_repeat(const accord_name_index *ix,
						const accord_name_ref **first);
/* After sorting: mark[idx] = 1 for every position whose name an earlier one has. */
void accord_name_index_repeats(const accord_name_index *ix, unsigned char *mark);
void accord_name_index_free(accord_name_index *ix);

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), or 0; the report writers show what is not UTF-8 as U+FFFD. */
size_t accord_utf8_length(const unsigned char *p);
/* Hex: accord_hex (lower-case, no separators) is public: accord/util.h. */
/* "AB:CD:..." form for people. out must hold 3*len. */
void accord_hex_colons(const unsigned char *in, size_t len, char *out);
/* Parse hex with optional ':' or ' ' separators. Returns bytes written or -1. */
int accord_unhex(const char *in, unsigned char *out, size_t max);

/* Base64 (via GnuTLS). Caller frees *out with free(). */
int accord_base64_encode(const unsigned char *in, size_t len, char **out);
int accord_base64_decode(const char *in, size_t len, unsigned char **out, size_t *outlen);

/* Time: "2026-11-26T10:00:00Z" <-> time_t (UTC). */
void accord_time_format(time_t t, char *buf, size_t n);
int accord_time_parse(const char *s, time_t *out);

#endif
