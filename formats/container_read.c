/* formats/container_read.c — the reading pass and the container model. After the raw
 * ZIP pass (zip_central.c) one libarchive pass reads the entries in order, enforces the
 * limits on the bytes actually inflated and hashes each data file once (SHA-256; SHA-384
 * and SHA-512 in one more pass when needed). Two parsers that must agree leave no room
 * for archives that different readers see differently. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wctype.h>
#include <archive.h>
#include <archive_entry.h>
#include <gcrypt.h>
#include <gnutls/gnutls.h>
#include "formats/container_read.h"
#include "formats/hash_pipe.h"


#define READ_CHUNK 65536

/* The one place the limits are defined: every verb, reader and writer starts from
 * these (pack refuses what sign and verify would then refuse). The work is linear in the
 * entries, so 100,000 of them cost about ten times 10,000. */
static const accord_limits builtin_limits = {
	.max_entries = 100000,
	.max_entry_size = 4ull << 30,
	.max_total_size = 16ull << 30,
	.max_ratio = 1000,
	.max_meta_size = 64u << 20, /* a signature over 100,000 documents: ~35 MiB */
};
static accord_limits process_limits;
static int have_process_limits;

void accord_limits_default(accord_limits *l)
{
	*l = have_process_limits ? process_limits : builtin_limits;
}

void accord_limits_set_default(const accord_limits *l)
{
	have_process_limits = l != NULL;
	if (l)
		process_limits = *l;
}

int accord_limits_set(accord_limits *l, const char *name, const char *value,
		      accord_error *err)
{
	static const struct {
		const char *name;
		size_t off;
		int sized;
	} opts[] = {
		{"max-entries", offsetof(accord_limits, max_entries), 0},
		{"max-size", offsetof(accord_limits, max_entry_size), 1},
		{"max-total", offsetof(accord_limits, max_total_size), 1},
		{"max-ratio", offsetof(accord_limits, max_ratio), 0},
		{"max-meta", offsetof(accord_limits, max_meta_size), 1},
	};
	unsigned long long v, mul = 1;
	char *end;

	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (strcmp(name, opts[i].name) != 0)
			continue;
		errno = 0;
		v = strtoull(value, &end, 10);
		if (opts[i].sized && end != value && end[0] && !end[1]) {
			switch (end[0]) {
			case 'K': case 'k': mul = 1ull << 10; end++; break;
			case 'M': case 'm': mul = 1ull << 20; end++; break;
			case 'G': case 'g': mul = 1ull << 30; end++; break;
			default: break;
			}
		}
		if (errno || end == value || *end || value[0] == '-' || v == 0 ||
		    v > UINT64_MAX / mul)
			return accord_err(err, ACCORD_ERR_USAGE, name,
					  "'%s' is not a positive number%s", value,
					  opts[i].sized ? " (bytes, or with K, M or G)" : "");
		*(uint64_t *)((char *)l + opts[i].off) = (uint64_t)(v * mul);
		return ACCORD_OK;
	}
	return accord_err(err, ACCORD_ERR_USAGE, name, "unknown limit");
}


/* ------------------------------------------------------------------ streaming pass */

static int is_signature_name(const char *name)
{
	const char *base = name + 9;
	size_t len;

	if (strncmp(name, "META-INF/", 9) != 0 || strchr(base, '/'))
		return 0;
	len = strlen(base);
	return strstr(base, "signatures") && len > 4 && !strcmp(base + len - 4, ".xml");
}

static int cmp_meta(const void *a, const void *b)
{
	return strcmp(((const accord_meta_file *)a)->name, ((const accord_meta_file *)b)->name);
}


typedef struct walk_state {
	const char *path;
	const accord_limits *lim;
	accord_container *c;  /* filled when opening; checked against when extracting */
	extract_sink *x;      /* NULL when opening */
	int opening;          /* filling c: opening, or extracting in one pass */
	const accord_stream_sink *stream; /* data bytes handed out (checked like extracting) */
	unsigned char *descriptor;
	size_t descriptor_len;
	unsigned char *mimetype;  /* its content, tolerant opening only */
	size_t mimetype_len;
	uint64_t total;
	gcry_md_hd_t md;
	accord_hash_pipe *pipe; /* md fed on a second thread, for large entries */
	accord_progress progress; /* of the data files' bytes */
	unsigned char *buf;
	accord_error *err;
} walk_state;

static int meta_push(accord_container *c, char *name, unsigned char *data, size_t len)
{
	if (accord_array_grow(&c->signatures, c->n_signatures, sizeof *c->signatures) < 0)
		return -1;
	c->signatures[c->n_signatures++] = (accord_meta_file){name, data, len, NULL};
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}


static int push_entry(accord_container *c, const raw_entry *re, gcry_md_hd_t md, uint64_t size)
{
	accord_entry *e;

	if (accord_array_grow(&c->entries, c->n_entries, sizeof *c->entries) < 0)
		return -1;
	e = &c->entries[c->n_entries];
	memset(e, 0, sizeof *e);
	e->name = strdup(re->name);
	if (!e->name)
		return -1;
	c->n_entries++;
	e->doc.name = e->name;
	e->doc.media_type = "";
	e->doc.size = size;
	e->csize = re->csize;
	e->lho = re->lho;
	e->method = re->method;
	memcpy(e->doc.sha256, gcry_md_read(md, GCRY_MD_SHA256), 32);
	return 0;
}

/* Read one entry's data, enforcing the limits on the bytes actually inflated. */
static int walk_entry(walk_state *w, struct archive *a, const raw_entry *re)
{
	const char *name = re->name, *path = w->path;
	int is_meta = !strncmp(name, "META-INF/", 9);
	int keep_sig = is_meta && !re->is_dir && is_signature_name(name);
	int keep_manifest = !strcmp(name, "META-INF/manifest.xml");
	int is_data = !is_meta && !re->is_dir && strcmp(name, "mimetype") != 0;
	int keep_desc = is_data && !strcmp(name, ACCORD_DESCRIPTOR_NAME);
	/* Tolerant opening: the mimetype content is read (bounded by the raw pass) and
	 * checked here, since a compressed one cannot be checked on the bytes. */
	int keep_mt = !strcmp(name, "mimetype") && w->c->tolerant && w->opening;
	int keep = keep_sig || keep_manifest || keep_desc || keep_mt, writing = 0;
	unsigned char *mem = NULL, *pbuf = NULL, *chunk;
	uint64_t got = 0;
	size_t fill = 0;
	char why[200];
	int rc = ACCORD_OK;
	accord_error *err = w->err;
	accord_hash_pipe *pipe = NULL;

	if (keep && (re->usize > w->lim->max_meta_size || re->usize >= SIZE_MAX))
		return accord_entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen,
					"entry of %llu bytes exceeds the %llu-byte limit for entries held in memory",
					(unsigned long long)re->usize,
					(unsigned long long)w->lim->max_meta_size);
	if (keep && !(mem = malloc((size_t)re->usize + 1)))
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	if (is_data)
		gcry_md_reset(w->md);
	/* A large document is hashed on the second core while the next part is inflated. */
	if (is_data && re->usize >= ACCORD_HASH_PIPE_MIN) {
		if (!w->pipe)
			w->pipe = accord_hash_pipe_new(w->md);
		pipe = w->pipe; /* NULL (no thread): hashed inline */
	}
	if (is_data && w->x) {
		if ((rc = accord_extract_begin(w->x, path, name, err)) != ACCORD_OK)
			goto out;
		writing = 1;
	}
	for (;;) {
		if (pipe && !pbuf) {
			pbuf = accord_hash_pipe_buffer(pipe);
			fill = 0;
		}
		chunk = pipe ? pbuf + fill : w->buf;
		la_ssize_t r = archive_read_data(a, chunk, pipe ? ACCORD_HASH_PIPE_BUF - fill
								: READ_CHUNK);
		if (r < 0) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
					      "corrupt entry data: %s", archive_error_string(a)
									? archive_error_string(a)
									: "read error");
			goto out;
		}
		if (r == 0)
			break;
		got += (uint64_t)r;
		if (accord_add_u64(w->total, (uint64_t)r, &w->total) < 0)
			w->total = UINT64_MAX; /* over any limit */
		if (got > re->usize) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
					      "entry holds more data than its header declares (%llu bytes)",
					      (unsigned long long)re->usize);
			goto out;
		}
		if (got > w->lim->max_entry_size) {
			rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen, "%s",
					      accord_limit_why(got, w->lim->max_entry_size, "entry size",
							       "--max-size", why, sizeof why));
			goto out;
		}
		if (w->total > w->lim->max_total_size) {
			rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen, "%s",
					      accord_limit_why(w->total, w->lim->max_total_size,
							       "total size", "--max-total", why, sizeof why));
			goto out;
		}
		if (got > ACCORD_RATIO_FLOOR &&
		    (re->csize == 0 || got / re->csize > w->lim->max_ratio)) {
			rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen,
					      "compression ratio %llu:1 exceeds limit %llu:1 (--max-ratio)",
					      (unsigned long long)(re->csize ? got / re->csize : got),
					      (unsigned long long)w->lim->max_ratio);
			goto out;
		}
		if (keep)
			memcpy(mem + got - (uint64_t)r, chunk, (size_t)r);
		if (is_data && !pipe)
			gcry_md_write(w->md, chunk, (size_t)r);
		if (is_data)
			accord_progress_add(&w->progress, (uint64_t)r);
		if (is_data && w->stream && w->stream->data(w->stream->ud, name, chunk, (size_t)r) < 0) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "stream consumer failed on '%s'", name);
			goto out;
		}
		if (writing && write_all(w->x->fd, chunk, (size_t)r) < 0) {
			rc = accord_entry_err(err, ACCORD_ERR_IO, path, name, re->nlen,
					      "cannot write the extracted file: %s", strerror(errno));
			goto out;
		}
		if (pipe && (fill += (size_t)r) == ACCORD_HASH_PIPE_BUF) {
			accord_hash_pipe_submit(pipe, fill);
			pbuf = NULL;
		}
	}
	if (pipe) {
		if (pbuf)
			accord_hash_pipe_submit(pipe, fill);
		accord_hash_pipe_drain(pipe); /* md holds the whole entry */
		pipe = NULL;
	}
	if (got != re->usize) {
		rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
				      "entry holds %llu bytes but its header declares %llu",
				      (unsigned long long)got, (unsigned long long)re->usize);
		goto out;
	}
	if (keep)
		mem[got] = '\0';
	if (!w->opening) {
		if (is_data) {
			const accord_entry *e = accord_container_find(w->c, name);
			if (!e || e->doc.size != got ||
			    memcmp(e->doc.sha256, gcry_md_read(w->md, GCRY_MD_SHA256), 32) != 0) {
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
						      "entry changed between checking and extraction");
				goto out;
			}
			if (w->stream && w->stream->end && w->stream->end(w->stream->ud, name) < 0)
				rc = accord_err(err, ACCORD_ERR_IO, path, "stream consumer failed on '%s'", name);
			if (w->x) {
				writing = 0;
				rc = accord_extract_end(w->x, path, name, 1, err);
			}
		}
		goto out;
	}
	/* Extracting in one pass: into the staging folder now, checked with the rest. */
	if (is_data && w->x) {
		writing = 0;
		if ((rc = accord_extract_end(w->x, path, name, 1, err)) != ACCORD_OK)
			goto out;
	}
	if (is_data && push_entry(w->c, re, w->md, got) < 0) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	if (keep_manifest) {
		w->c->manifest.name = strdup(name);
		w->c->manifest.data = mem;
		w->c->manifest.len = (size_t)got;
		mem = NULL;
		if (!w->c->manifest.name)
			rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	} else if (keep_sig) {
		char *n = strdup(name);
		if (!n || meta_push(w->c, n, mem, (size_t)got) < 0) {
			free(n);
			rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
			goto out;
		}
		mem = NULL;
	} else if (keep_desc) {
		w->descriptor = mem;
		w->descriptor_len = (size_t)got;
		mem = NULL;
	} else if (keep_mt) {
		w->mimetype = mem;
		w->mimetype_len = (size_t)got;
		mem = NULL;
	}
out:
	if (pipe)
		accord_hash_pipe_drain(pipe); /* stopped midway: md idle before anything else */
	if (writing)
		accord_extract_end(w->x, path, name, 0, NULL);
	free(mem);
	return rc;
}

/* libarchive hands UTF-8 names over in NFC: equal, or equal once normalised. */
static int same_name(const char *a, const char *b)
{
	gnutls_datum_t na = {NULL, 0}, nb = {NULL, 0};
	int same;

	if (!strcmp(a, b))
		return 1;
	same = gnutls_utf8_password_normalize((const unsigned char *)a, (unsigned)strlen(a), &na,
					      0) == 0 &&
	       gnutls_utf8_password_normalize((const unsigned char *)b, (unsigned)strlen(b), &nb,
					      0) == 0 &&
	       na.size == nb.size && !memcmp(na.data, nb.data, na.size);
	gnutls_free(na.data);
	gnutls_free(nb.data);
	return same;
}

/* The libarchive pass: entries in file order, each matched to its raw entry. */
static int walk(int fd, walk_state *w, const raw_zip *rz)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	accord_error *err = w->err;
	size_t i = 0;
	int rc = ACCORD_OK, r;
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), old = (locale_t)0;

	/* libarchive converts UTF-8 names to the current locale's charset and gives up
	 * (no name at all) in the C locale: read in C.UTF-8, for this thread only. */
	if (utf8)
		old = uselocale(utf8);
	if (!a) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, w->path, "out of memory");
		goto out;
	}
	/* The seekable reader trusts the central directory, as every ASiC-E reader does,
	 * and sees the Unix modes the streaming reader misses. */
	if (archive_read_support_format_zip_seekable(a) != ARCHIVE_OK ||
	    archive_read_open_fd(a, fd, READ_CHUNK) != ARCHIVE_OK) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, w->path, "cannot read the ZIP archive: %s",
				archive_error_string(a) ? archive_error_string(a) : "unknown error");
		goto out;
	}
	for (;; i++) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (i >= rz->n) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, w->path,
					"archive reader sees more entries than the central directory");
			goto out;
		}
		const raw_entry *re = &rz->e[i];
		if (r != ARCHIVE_OK) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
					      "corrupt entry header: %s",
					      archive_error_string(a) ? archive_error_string(a) : "read error");
			goto out;
		}
		const char *pn = archive_entry_pathname(ae);
		if (!pn || !same_name(pn, re->name)) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
					      "the archive reader and the central directory disagree on this entry");
			goto out;
		}
		if (archive_entry_is_encrypted(ae)) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
					      "entry is encrypted (encrypted entries are not allowed)");
			goto out;
		}
		if (archive_entry_filetype(ae) != (re->is_dir ? AE_IFDIR : AE_IFREG)) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
					      "entry is not a regular file");
			goto out;
		}
		if ((rc = walk_entry(w, a, re)) != ACCORD_OK)
			goto out;
	}
	if (i != rz->n)
		rc = accord_err(err, ACCORD_ERR_FORMAT, w->path,
				"archive reader sees %zu entries, the central directory %zu", i,
				rz->n);
out:
	archive_read_free(a);
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	return rc;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const accord_manifest_item *)a)->path,
		      ((const accord_manifest_item *)b)->path);
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prefix err->where with the container path. */
static int where_in(accord_error *err, const char *path, int rc)
{
	char w[1200];
	size_t n;

	if (err) {
		snprintf(w, sizeof w, "%s: %s", path, err->where);
		n = strlen(w);
		if (n >= sizeof err->where)
			n = sizeof err->where - 1;
		memcpy(err->where, w, n);
		err->where[n] = '\0';
	}
	return rc;
}

static int cmp_by_name(const void *a, const void *b, void *ud)
{
	const accord_entry *e = ud;

	return strcmp(e[*(const size_t *)a].name, e[*(const size_t *)b].name);
}

/* The name-ordered index accord_container_find searches. */
static int build_index(accord_container *c)
{
	c->by_name = malloc((c->n_entries ? c->n_entries : 1) * sizeof *c->by_name);
	if (!c->by_name)
		return -1;
	for (size_t i = 0; i < c->n_entries; i++)
		c->by_name[i] = i;
	qsort_r(c->by_name, c->n_entries, sizeof *c->by_name, cmp_by_name, c->entries);
	return 0;
}

void accord_container_note_add(accord_container *c, const char *rule, const char *where,
			       const char *fmt, ...)
{
	accord_container_note *g, *n;
	va_list ap;

	if (!c || c->n_notes >= ACCORD_NOTES_MAX)
		return;
	g = realloc(c->notes, (c->n_notes + 1) * sizeof *g);
	if (!g)
		return;
	c->notes = g;
	n = &g[c->n_notes++];
	memset(n, 0, sizeof *n);
	snprintf(n->rule, sizeof n->rule, "%s", rule);
	snprintf(n->where, sizeof n->where, "%s", where);
	va_start(ap, fmt);
	vsnprintf(n->message, sizeof n->message, fmt, ap);
	va_end(ap);
}

/* Tolerant opening: the mimetype content. The ASiC-E media type, perhaps followed by
 * whitespace (a note), or another container type (refused: not an ASiC-E container). */
static int check_mimetype_content(accord_container *c, const walk_state *w, accord_error *err)
{
	size_t want = sizeof ACCORD_MIMETYPE - 1, n = w->mimetype_len;
	const unsigned char *p = w->mimetype;
	char shown[300];

	if (!p) /* no mimetype entry: noted by the raw pass */
		return ACCORD_OK;
	while (n > want && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
			    p[n - 1] == '\n'))
		n--;
	if (n == want && !memcmp(p, ACCORD_MIMETYPE, want)) {
		if (n != w->mimetype_len)
			accord_container_note_add(c, ACCORD_RULE_MT_CONTENT, "mimetype",
						  "mimetype content is '%s' followed by %zu whitespace byte%s",
						  ACCORD_MIMETYPE, w->mimetype_len - n,
						  w->mimetype_len - n == 1 ? "" : "s");
		return ACCORD_OK;
	}
	/* BDOC 1.0's media type for the same layout (DSS reads it as ASiC-E): a note. */
	if (n == sizeof ACCORD_MIMETYPE_BDOC10 - 1 && !memcmp(p, ACCORD_MIMETYPE_BDOC10, n)) {
		accord_container_note_add(c, ACCORD_RULE_MT_CONTENT, "mimetype",
					  "mimetype content is BDOC 1.0's '%s', read as '%s'",
					  ACCORD_MIMETYPE_BDOC10, ACCORD_MIMETYPE);
		return ACCORD_OK;
	}
	accord_name_printable((const char *)p, w->mimetype_len, shown, sizeof shown);
	return accord_entry_err(err, ACCORD_ERR_FORMAT, c->path, "mimetype", 8,
				"mimetype content names another container type: '%s' (an ASiC-E container holds '%s')",
				shown, ACCORD_MIMETYPE);
}

/* A marking that is not a TLP 2.0 label is signed data: kept and shown, with a warning
 * (control characters as '?', so that it cannot forge a line of a report). */
static void note_unknown_tlp(accord_container *c)
{
	char shown[sizeof c->descriptor.tlp_text];

	snprintf(shown, sizeof shown, "%s", c->descriptor.tlp_text);
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	accord_container_note_add(c, ACCORD_RULE_TLP, ACCORD_DESCRIPTOR_NAME,
				  "the TLP marking '%s' is not a TLP 2.0 label (clear, green, amber, amber+strict, red); shown as written",
				  shown);
}

/* Every data file listed in the manifest, every listed file present; the descriptor.
 * A tolerant opening notes an unlisted data file or a listed absent one. */
static int finish_open(accord_container *c, walk_state *w, accord_error *err)
{
	accord_manifest_item *items = NULL;
	size_t n_items = 0;
	char **names = NULL;
	int rc = ACCORD_OK;

	if (c->tolerant && (rc = check_mimetype_content(c, w, err)) != ACCORD_OK)
		return rc;
	if (!c->manifest.name)
		return accord_err(err, ACCORD_ERR_FORMAT, c->path,
				  "META-INF/manifest.xml is missing (ASiC-E requires a manifest)");
	if (c->n_entries == 0)
		return accord_err(err, ACCORD_ERR_FORMAT, c->path,
				  "the container holds no documents");
	if (build_index(c) < 0)
		return accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
	if (c->tolerant) {
		size_t unqualified = 0;
		rc = accord_manifest_parse_tolerant(c->manifest.data, c->manifest.len, &items,
						    &n_items, &unqualified, err);
		if (rc == ACCORD_OK && unqualified)
			accord_container_note_add(c, ACCORD_RULE_MANIFEST_NS, "META-INF/manifest.xml",
						  "%zu file-entry attribute%s without the manifest: namespace, read as manifest attributes",
						  unqualified, unqualified == 1 ? "" : "s");
	} else {
		rc = accord_manifest_parse(c->manifest.data, c->manifest.len, &items, &n_items, err);
	}
	if (rc != ACCORD_OK)
		return where_in(err, c->path, rc);
	if (n_items > 1)
		qsort(items, n_items, sizeof *items, cmp_item);
	for (size_t i = 1; i < n_items; i++) {
		if (!strcmp(items[i - 1].path, items[i].path)) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, c->path,
					"META-INF/manifest.xml lists '%s' twice", items[i].path);
			goto out;
		}
	}
	names = calloc(c->n_entries, sizeof *names);
	if (!names) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->n_entries; i++) {
		accord_entry *e = &c->entries[i];
		accord_manifest_item key = {e->name, NULL};
		const accord_manifest_item *it =
			n_items ? bsearch(&key, items, n_items, sizeof *items, cmp_item) : NULL;
		names[i] = e->name;
		if (!it && c->tolerant) {
			char shown[300];
			accord_name_printable(e->name, strlen(e->name), shown, sizeof shown);
			accord_container_note_add(c, ACCORD_RULE_MANIFEST, shown,
						  "data file '%s' is not listed in META-INF/manifest.xml", shown);
			continue;
		}
		if (!it) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, c->path, e->name, strlen(e->name),
					      "data file is not listed in META-INF/manifest.xml");
			goto out;
		}
		e->media_type = strdup(it->media_type);
		if (!e->media_type) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
			goto out;
		}
		e->doc.media_type = e->media_type;
	}
	qsort(names, c->n_entries, sizeof *names, cmp_str_ptr);
	for (size_t i = 0; i < n_items; i++) {
		const char *p = items[i].path;
		size_t len = strlen(p);
		if (len && p[len - 1] == '/') /* folder entries of OpenDocument manifests */
			continue;
		if (!bsearch(&p, names, c->n_entries, sizeof *names, cmp_str_ptr)) {
			char shown[300];
			accord_name_printable(p, len, shown, sizeof shown);
			if (c->tolerant) {
				accord_container_note_add(c, ACCORD_RULE_MANIFEST_ABSENT,
							  "META-INF/manifest.xml",
							  "META-INF/manifest.xml lists '%s', which is not a data file in the container",
							  shown);
				continue;
			}
			rc = accord_err(err, ACCORD_ERR_FORMAT, c->path,
					"META-INF/manifest.xml lists '%s', which is not a data file in the container",
					shown);
			goto out;
		}
	}
	if (w->descriptor) {
		accord_entry *e = (accord_entry *)accord_container_find(c, ACCORD_DESCRIPTOR_NAME);
		/* Known by its reserved name: the manifest is unsigned, so its media type
		 * must not decide whether the declared parties and quorum exist. */
		if (e) {
			int ours = !strcmp(e->media_type, ACCORD_DESCRIPTOR_MEDIA_TYPE);
			accord_error perr;
			accord_error_clear(&perr);
			rc = accord_descriptor_parse(w->descriptor, w->descriptor_len,
						     ACCORD_DESCRIPTOR_NAME, &c->descriptor, &perr);
			if (rc == ACCORD_OK) {
				c->has_descriptor = 1;
				e->doc.is_descriptor = 1;
				if (c->descriptor.tlp == ACCORD_TLP_UNKNOWN)
					note_unknown_tlp(c);
				if (!ours)
					snprintf(c->descriptor_note, sizeof c->descriptor_note,
						 "META-INF/manifest.xml gives '%s' the media type '%.120s', not '%s'; it is the package descriptor by its name",
						 ACCORD_DESCRIPTOR_NAME, e->media_type, ACCORD_DESCRIPTOR_MEDIA_TYPE);
			} else if (ours || rc == ACCORD_ERR_NOMEM) {
				*err = perr;
				where_in(err, c->path, rc);
				goto out;
			} else {
				/* Not a descriptor at all (another tool's file of that name). */
				rc = ACCORD_OK;
				snprintf(c->descriptor_note, sizeof c->descriptor_note,
					 "'%s' is not a package descriptor (%.200s); it is treated as a document",
					 ACCORD_DESCRIPTOR_NAME, perr.why);
			}
		}
	}
	if (c->n_signatures > 1)
		qsort(c->signatures, c->n_signatures, sizeof *c->signatures, cmp_meta);
out:
	free(names);
	accord_manifest_free(items, n_items);
	return rc;
}

/* Open path, check its structure and walk it (filling c, or extracting into x). */
int accord_container_pass(const char *path, const accord_limits *lim, accord_container *c,
			  extract_sink *x, const accord_stream_sink *stream, accord_error *err)
{
	walk_state w;
	raw_zip rz;
	uint64_t size;
	int fd, rc;

	memset(&w, 0, sizeof w);
	memset(&rz, 0, sizeof rz);
	/* Never blocks: a FIFO or a device is refused before anything is read. */
	if ((rc = accord_file_open_regular(path, &fd, &size, err)) != ACCORD_OK)
		return rc;
	w.opening = (!x || x->one_pass) && !stream;
	/* Notes only when opening: the later passes of the same container read it again. */
	if ((rc = accord_zip_check(fd, size, path, lim, c->tolerant, w.opening ? c : NULL, &rz,
				   err)) != ACCORD_OK)
		goto out;
	w.path = path;
	w.lim = lim;
	w.c = c;
	w.x = x;
	w.stream = stream;
	w.err = err;
	w.buf = malloc(READ_CHUNK);
	/* SHA-256 only: what accord and DigiDoc sign with. SHA-384/512 cost about four
	 * times as much and are computed in a second pass only when a signature uses them
	 * (accord_container_hash_extra). */
	if (!w.buf || gcry_md_open(&w.md, GCRY_MD_SHA256, 0) != 0) {
		rc = accord_err(err, ACCORD_ERR_CRYPTO, path, "cannot set up hashing");
		goto out;
	}
	{
		uint64_t total = 0;
		for (size_t i = 0; i < rz.n; i++)
			if (strncmp(rz.e[i].name, "META-INF/", 9) != 0 && !rz.e[i].is_dir)
				total += rz.e[i].usize;
		accord_progress_begin(&w.progress, x ? "extracting" : stream ? "reading" : "hashing",
				      total);
	}
	rc = walk(fd, &w, &rz);
	accord_progress_end(&w.progress);
	if (rc != ACCORD_OK)
		goto out;
	if (w.opening) {
		c->n_zip_entries = rz.n;
		rc = finish_open(c, &w, err);
	}
out:
	accord_hash_pipe_free(w.pipe);
	gcry_md_close(w.md);
	free(w.buf);
	free(w.descriptor);
	free(w.mimetype);
	accord_zip_free(&rz);
	close(fd);
	return rc;
}

static int container_open(const char *path, const accord_limits *limits, int tolerant,
			  accord_container **out, accord_error *err)
{
	accord_limits lim;
	accord_container *c;
	int rc;

	*out = NULL;
	if (limits)
		lim = *limits;
	else
		accord_limits_default(&lim);
	c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	}
	c->tolerant = tolerant;
	rc = accord_container_pass(path, &lim, c, NULL, NULL, err);
	if (rc != ACCORD_OK) {
		accord_container_free(c);
		return rc;
	}
	*out = c;
	return ACCORD_OK;
}

int accord_container_open(const char *path, const accord_limits *limits,
			  accord_container **out, accord_error *err)
{
	return container_open(path, limits, 0, out, err);
}

int accord_container_open_tolerant(const char *path, const accord_limits *limits,
				   accord_container **out, accord_error *err)
{
	return container_open(path, limits, 1, out, err);
}

size_t accord_container_note_count(const accord_container *c)
{
	return c ? c->n_notes : 0;
}

const accord_container_note *accord_container_note_get(const accord_container *c, size_t i)
{
	return c && i < c->n_notes ? &c->notes[i] : NULL;
}

void accord_container_free(accord_container *c)
{
	if (!c)
		return;
	free(c->notes);
	for (size_t i = 0; i < c->n_entries; i++) {
		free(c->entries[i].name);
		free(c->entries[i].media_type);
	}
	free(c->entries);
	free(c->extra_digests);
	free(c->by_name);
	for (size_t i = 0; i < c->n_signatures; i++) {
		free(c->signatures[i].name);
		free(c->signatures[i].data);
		free(c->signatures[i].digests);
	}
	free(c->signatures);
	free(c->manifest.name);
	free(c->manifest.data);
	free(c->manifest.digests);
	accord_descriptor_clear(&c->descriptor);
	free(c->path);
	free(c);
}

size_t accord_container_document_count(const accord_container *c)
{
	return c ? c->n_entries : 0;
}

const accord_document *accord_container_document(const accord_container *c, size_t i)
{
	return c && i < c->n_entries ? &c->entries[i].doc : NULL;
}

const accord_descriptor *accord_container_descriptor(const accord_container *c)
{
	return c && c->has_descriptor ? &c->descriptor : NULL;
}

size_t accord_container_signature_file_count(const accord_container *c)
{
	return c ? c->n_signatures : 0;
}

const char *accord_container_signature_file_name(const accord_container *c, size_t i)
{
	return c && i < c->n_signatures ? c->signatures[i].name : NULL;
}

const accord_entry *accord_container_find(const accord_container *c, const char *name)
{
	size_t lo = 0, hi;

	if (!c || !c->by_name)
		return NULL;
	hi = c->n_entries;
	while (lo < hi) { /* names are unique: the reading pass refuses duplicates */
		size_t mid = lo + (hi - lo) / 2;
		const accord_entry *e = &c->entries[c->by_name[mid]];
		int r = strcmp(name, e->name);
		if (!r)
			return e;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

#define SIG_NAME_MAX_K 100000u

/* K when name is "META-INF/signatures<K>.xml" (any case, K written without leading
 * zeros, below SIG_NAME_MAX_K), else -1. */
static long signature_number(const char *name)
{
	const char *p = name + 19;
	unsigned long k = 0;
	size_t digits = 0;

	if (strncasecmp(name, "META-INF/signatures", 19) != 0)
		return -1;
	for (; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
		k = k * 10 + (unsigned long)(*p - '0');
	if (!digits || (p[-digits] == '0' && digits > 1) || k >= SIG_NAME_MAX_K ||
	    strcasecmp(p, ".xml") != 0)
		return -1;
	return (long)k;
}

int accord_container_next_signature_name(const accord_container *c, char *buf, size_t n)
{
	/* One look at each signature file: which numbers are taken. */
	unsigned char *taken = calloc(SIG_NAME_MAX_K / 8 + 1, 1);
	int rc = ACCORD_ERR_LIMIT;

	if (!taken)
		return ACCORD_ERR_NOMEM;
	for (size_t i = 0; c && i < c->n_signatures; i++) {
		long k = signature_number(c->signatures[i].name);
		if (k >= 0)
			taken[k / 8] |= (unsigned char)(1u << (k % 8));
	}
	for (unsigned k = 0; k < SIG_NAME_MAX_K; k++) {
		if (taken[k / 8] & (1u << (k % 8)))
			continue;
		int w = snprintf(buf, n, "META-INF/signatures%u.xml", k);
		rc = (w < 0 || (size_t)w >= n) ? ACCORD_ERR_USAGE : ACCORD_OK;
		break;
	}
	free(taken);
	return rc;
}


int accord_container_stream(const accord_container *c, const accord_limits *limits,
			    const accord_stream_sink *sink, accord_error *err)
{
	accord_limits lim;

	if (limits)
		lim = *limits;
	else
		accord_limits_default(&lim);
	/* The container is read again and every entry checked against the first pass: a
	 * file swapped in between is refused, not streamed. */
	return accord_container_pass(c->path, &lim, (accord_container *)c, NULL, sink, err);
}

/* The second pass for SHA-384 and SHA-512, both in one stream. */
typedef struct extra_hash {
	accord_container *c;
	gcry_md_hd_t md;
} extra_hash;

static int extra_data(void *ud, const char *name, const unsigned char *buf, size_t len)
{
	(void)name;
	gcry_md_write(((extra_hash *)ud)->md, buf, len);
	return 0;
}

static int extra_end(void *ud, const char *name)
{
	extra_hash *h = ud;
	accord_entry *e = (accord_entry *)accord_container_find(h->c, name);

	if (e) {
		e->extra = h->c->extra_digests + (size_t)(e - h->c->entries) * ACCORD_EXTRA_DIGESTS_LEN;
		memcpy(e->extra, gcry_md_read(h->md, GCRY_MD_SHA384), 48);
		memcpy(e->extra + 48, gcry_md_read(h->md, GCRY_MD_SHA512), 64);
	}
	gcry_md_reset(h->md);
	return 0;
}

int accord_container_hash_extra(accord_container *c, accord_error *err)
{
	extra_hash h = {c, NULL};
	accord_stream_sink sink = {extra_data, extra_end, &h};
	int rc;

	if (c->has_extra_digests)
		return ACCORD_OK;
	if (!c->extra_digests &&
	    !(c->extra_digests = accord_calloc(c->n_entries ? c->n_entries : 1, ACCORD_EXTRA_DIGESTS_LEN)))
		return accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
	if (gcry_md_open(&h.md, GCRY_MD_SHA384, 0) || gcry_md_enable(h.md, GCRY_MD_SHA512))
		return accord_err(err, ACCORD_ERR_CRYPTO, c->path, "cannot set up hashing");
	rc = accord_container_stream(c, NULL, &sink, err);
	gcry_md_close(h.md);
	if (!rc)
		c->has_extra_digests = 1;
	return rc;
}

int accord_meta_file_digest(const accord_meta_file *f, gnutls_digest_algorithm_t alg,
			    unsigned char *out)
{
	/* The cache lives behind a pointer: a const view of the container may fill it. */
	accord_meta_file *m = (accord_meta_file *)f;
	int k = alg == GNUTLS_DIG_SHA256 ? 0 : alg == GNUTLS_DIG_SHA384 ? 1 : alg == GNUTLS_DIG_SHA512 ? 2 : -1;

	if (k < 0)
		return ACCORD_ERR_UNSUPPORTED;
	if (!m->digests && !(m->digests = calloc(1, sizeof *m->digests)))
		return ACCORD_ERR_NOMEM;
	if (!m->digests->have[k]) {
		if (gnutls_hash_fast(alg, f->data, f->len, m->digests->d[k]) < 0)
			return ACCORD_ERR_CRYPTO;
		m->digests->have[k] = 1;
	}
	memcpy(out, m->digests->d[k], gnutls_hash_get_len(alg));
	return ACCORD_OK;
}
