/* formats/container_read.h — internal to the container reader (container_read.c,
 * zip_central.c, entry_name.c, container_extract.c, entry_reader.c), not for other modules. */
#ifndef ACCORD_CONTAINER_READ_H
#define ACCORD_CONTAINER_READ_H
#include "formats/container.h"

#define NAME_MAX_BYTES 1024
#define COMPONENT_MAX_BYTES 255

/* entry_name.c: a name made safe to print (control bytes, invalid UTF-8, bidirectional
 * controls escaped; cut at 200 bytes), and an error naming "PATH: ENTRY". */
void accord_name_printable(const char *name, size_t len, char *out, size_t n);
int accord_entry_err(accord_error *err, int code, const char *path, const char *entry,
		     size_t entry_len, const char *fmt, ...) ACCORD_PRINTF(6, 7);

/* Little-endian fields of ZIP headers. */
static inline uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

/* All len bytes at offset off (below 2^63), or -1. */
int accord_zip_pread(int fd, void *buf, size_t len, uint64_t off);

/* zip_central.c: the raw ZIP pass. accord_zip_check fills rz (entries sorted by
 * local-header offset) or refuses, naming the entry and the rule. Tolerant (reading
 * only): the mimetype layout rules and a zip comment become notes added to notes (when
 * not NULL) instead of refusals; everything else is checked as strictly. */
typedef struct raw_entry {
	char *name; /* as stored, NUL-terminated (a NUL inside is refused) */
	size_t nlen;
	char *fold; /* collision key, directories without their trailing '/' */
	uint16_t flags, method, made_by;
	uint32_t crc, eattr;
	uint64_t csize, usize, lho;
	uint16_t cxlen; /* central extra field length */
	int is_dir;
	uint64_t data_end; /* where its data ends (set by accord_zip_check) */
	uint64_t cd_pos;   /* its record's offset inside the central directory */
} raw_entry;

typedef struct raw_zip {
	raw_entry *e;
	size_t n;
	uint64_t cd_offset;
	uint64_t cd_size;
} raw_zip;

void accord_zip_free(raw_zip *rz);
int accord_zip_check(int fd, uint64_t size, const char *path, const accord_limits *lim,
		     int tolerant, accord_container *notes, raw_zip *rz, accord_error *err);
/* The most a tolerant reading reads of a mimetype entry. */
#define MIMETYPE_MAX_BYTES 256
/* "WHAT VALUE exceeds the limit of LIMIT (FLAG)" into buf. */
const char *accord_limit_why(uint64_t value, uint64_t limit, const char *what,
			     const char *flag, char *buf, size_t n);

/* container_extract.c: where the data of an entry goes during extraction. */
typedef struct extract_sink {
	int dirfd;     /* the destination folder, O_DIRECTORY */
	int force;
	int fd;        /* the temporary file being written, or -1 */
	int parent;    /* its folder */
	char tmp[64];
	char *leaf;
	int one_pass;  /* fill the container while extracting (accord_container_extract) */
} extract_sink;
int accord_extract_begin(extract_sink *x, const char *path, const char *name,
			 accord_error *err);
int accord_extract_end(extract_sink *x, const char *path, const char *name, int ok,
		       accord_error *err);

/* container_read.c: open path, check its structure and walk it: filling c (x and stream
 * NULL), extracting into x, or streaming the data files to stream, each checked
 * against c. */
int accord_container_pass(const char *path, const accord_limits *lim, accord_container *c,
			  extract_sink *x, const accord_stream_sink *stream, accord_error *err);

#endif
