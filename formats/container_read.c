/* formats/container_read.c — the one module that reads containers. A raw pass checks
 * the ZIP structure (the mimetype rule at offset 0, the central directory against every
 * local header, names, limits on declared sizes); then one libarchive pass reads the
 * entries in order, enforces the limits on the bytes actually inflated and hashes each
 * data file once (SHA-256, SHA-384 and SHA-512 together). Two parsers that must agree
 * leave no room for archives that different readers see differently. */
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
#include "formats/container.h"

#define NAME_MAX_BYTES 1024
#define COMPONENT_MAX_BYTES 255
#define CD_MAX_BYTES (64u * 1024 * 1024)
#define READ_CHUNK 65536

void accord_limits_default(accord_limits *l)
{
	l->max_entries = 10000;
	l->max_entry_size = 4ull << 30;
	l->max_total_size = 16ull << 30;
	l->max_ratio = 1000;
	l->max_meta_size = 16u << 20;
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

/* ------------------------------------------------------------------ names */

/* Decode one UTF-8 sequence strictly (no overlongs, no surrogates); -1 if invalid. */
static int utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	unsigned char c = s[*i];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return 0;
	}
	if ((c & 0xE0) == 0xC0) {
		n = 1, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3, v = c & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (*i + n >= len)
		return -1;
	for (size_t k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (s[*i + k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	*i += n + 1;
	return 0;
}

static int why_set(char *why, size_t n, const char *msg)
{
	snprintf(why, n, "%s", msg);
	return -1;
}

int accord_container_name_check(const char *name, size_t len, char *why, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t start = 0, i;

	if (len == 0)
		return why_set(why, n, "empty entry name");
	if (memchr(name, '\0', len))
		return why_set(why, n, "entry name contains a NUL byte");
	if (len > NAME_MAX_BYTES)
		return why_set(why, n, "entry name longer than 1024 bytes");
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] == 0x7F)
			return why_set(why, n, "entry name contains a control character");
	if (memchr(name, '\\', len))
		return why_set(why, n, "entry name contains a backslash");
	if (name[0] == '/')
		return why_set(why, n, "entry name is absolute (leading '/')");
	if (len >= 2 && ((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':')
		return why_set(why, n, "entry name starts with a drive letter");
	if (memchr(name, ':', len))
		return why_set(why, n, "entry name contains ':' (a drive or stream separator)");
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != '/')
			continue;
		size_t clen = i - start;
		if (clen == 0)
			return why_set(why, n, "entry name has an empty component ('//' or a trailing '/')");
		if (clen == 2 && !memcmp(name + start, "..", 2))
			return why_set(why, n, "entry name contains '..'");
		if (clen == 1 && name[start] == '.')
			return why_set(why, n, "entry name has a '.' component");
		if (clen > COMPONENT_MAX_BYTES)
			return why_set(why, n, "entry name component longer than 255 bytes");
		start = i + 1;
	}
	for (i = 0; i < len;) {
		uint32_t cp;
		if (utf8_next(s, len, &i, &cp) < 0)
			return why_set(why, n, "entry name is not valid UTF-8");
		if (cp >= 0x80 && cp <= 0x9F)
			return why_set(why, n, "entry name contains a control character");
		/* Bidirectional controls make "evil\u202Efdp.exe" display as "evilexe.pdf". */
		if (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return why_set(why, n,
				       "entry name contains a bidirectional control character");
	}
	return 0;
}

static locale_t fold_locale;
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_locale_init(void)
{
	/* C.UTF-8 carries the full Unicode case tables and is always there on glibc. */
	fold_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int accord_container_name_fold(const char *name, char **out)
{
	gnutls_datum_t nfc = {NULL, 0};
	unsigned char *buf = NULL;
	size_t i = 0, o = 0;

	*out = NULL;
	/* RFC 7613 OpaqueString: NFC, and non-ASCII spaces mapped to ' ' (stricter still). */
	if (gnutls_utf8_password_normalize((const unsigned char *)name, (unsigned)strlen(name),
					   &nfc, 0) < 0)
		return -1;
	pthread_once(&fold_once, fold_locale_init);
	buf = malloc(nfc.size * 2 + 8);
	if (!buf)
		goto fail;
	while (i < nfc.size) {
		uint32_t cp;
		if (utf8_next(nfc.data, nfc.size, &i, &cp) < 0)
			goto fail;
		if (cp < 0x80)
			cp = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
		else if (fold_locale)
			cp = (uint32_t)towlower_l((wint_t)towupper_l((wint_t)cp, fold_locale),
						  fold_locale);
		if (cp < 0x80) {
			buf[o++] = (unsigned char)cp;
		} else if (cp < 0x800) {
			buf[o++] = (unsigned char)(0xC0 | (cp >> 6));
			buf[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			buf[o++] = (unsigned char)(0xE0 | (cp >> 12));
			buf[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			buf[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			buf[o++] = (unsigned char)(0xF0 | (cp >> 18));
			buf[o++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
			buf[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			buf[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		}
		if (o + 4 >= nfc.size * 2 + 8)
			goto fail;
	}
	buf[o] = '\0';
	gnutls_free(nfc.data);
	*out = (char *)buf;
	return 0;
fail:
	gnutls_free(nfc.data);
	free(buf);
	return -1;
}

/* A name made safe to print: control bytes, bytes of invalid UTF-8 and bidirectional
 * controls escaped (\xHH, \u{HHHH}), cut at 200 bytes. */
static void name_printable(const char *name, size_t len, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t o = 0, i = 0;

	while (i < len && o + 12 < n && i < 200) {
		size_t start = i;
		uint32_t cp;
		if (s[i] < 0x20 || s[i] == 0x7F || s[i] == '\\') {
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", s[i]);
			i++;
		} else if (utf8_next(s, len, &i, &cp) < 0) {
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", s[i]);
			i++;
		} else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
			   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
			o += (size_t)snprintf(out + o, n - o, "\\u{%04x}", (unsigned)cp);
		} else {
			memcpy(out + o, s + start, i - start);
			o += i - start;
		}
	}
	if (i < len && o + 4 < n)
		o += (size_t)snprintf(out + o, n - o, "...");
	out[o] = '\0';
}

/* Error naming "PATH: ENTRY". */
static int entry_err(accord_error *err, int code, const char *path, const char *entry,
		     size_t entry_len, const char *fmt, ...) ACCORD_PRINTF(6, 7);
static int entry_err(accord_error *err, int code, const char *path, const char *entry,
		     size_t entry_len, const char *fmt, ...)
{
	char where[400], shown[300], why[600];
	va_list ap;

	if (entry) {
		name_printable(entry, entry_len, shown, sizeof shown);
		snprintf(where, sizeof where, "%s: %s", path, shown);
	} else {
		snprintf(where, sizeof where, "%s", path);
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return accord_err(err, code, where, "%s", why);
}

/* ------------------------------------------------------------------ raw ZIP pass */

typedef struct raw_entry {
	char *name; /* as stored, NUL-terminated (a NUL inside is refused) */
	size_t nlen;
	char *fold; /* collision key, directories without their trailing '/' */
	uint16_t flags, method, made_by;
	uint32_t crc, eattr;
	uint64_t csize, usize, lho;
	int is_dir;
} raw_entry;

typedef struct raw_zip {
	raw_entry *e;
	size_t n;
	uint64_t cd_offset;
} raw_zip;

static void raw_zip_free(raw_zip *rz)
{
	for (size_t i = 0; i < rz->n; i++) {
		free(rz->e[i].name);
		free(rz->e[i].fold);
	}
	free(rz->e);
	memset(rz, 0, sizeof *rz);
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t have = 0;

	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -1;
	while (have < len) {
		ssize_t r = pread(fd, (char *)buf + have, len - have, (off_t)(off + have));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		have += (size_t)r;
	}
	return 0;
}

/* The mimetype rule of ETSI EN 319 162-1, on the bytes: the local header at offset 0
 * is "mimetype", stored, no extra field, content exactly the ASiC-E media type. */
static int check_mimetype_bytes(int fd, uint64_t size, const char *path, accord_error *err)
{
	unsigned char h[30 + 8 + 64];
	size_t want = sizeof ACCORD_MIMETYPE - 1;
	uint32_t csize, usize;

	if (size < 30 || pread_full(fd, h, 30, 0) < 0 || le32(h) != 0x04034b50)
		return entry_err(err, ACCORD_ERR_FORMAT, path, NULL, 0,
				 "mimetype must be the first entry: no ZIP local header at offset 0");
	if (le16(h + 26) != 8 || size < 38 || pread_full(fd, h + 30, 8, 30) < 0 ||
	    memcmp(h + 30, "mimetype", 8) != 0)
		return entry_err(err, ACCORD_ERR_FORMAT, path, NULL, 0,
				 "mimetype must be the first entry (byte 30 must start \"mimetype\")");
	if (le16(h + 6) & 0x41)
		return entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
				 "mimetype must not be encrypted");
	if (le16(h + 8) != 0)
		return entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
				 "mimetype must be stored, not compressed (method %u)",
				 le16(h + 8));
	if (le16(h + 6) & 0x08)
		return entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
				 "mimetype must not use a data descriptor (flag bit 3)");
	if (le16(h + 28) != 0)
		return entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
				 "mimetype must have no extra field (%u bytes found)",
				 le16(h + 28));
	csize = le32(h + 18);
	usize = le32(h + 22);
	if (csize != usize || usize != want || size < 38 + want ||
	    pread_full(fd, h + 38, want, 38) < 0 || memcmp(h + 38, ACCORD_MIMETYPE, want) != 0)
		return entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
				 "mimetype content must be exactly '%s' (%u bytes found)",
				 ACCORD_MIMETYPE, usize);
	return ACCORD_OK;
}

/* Values 0xFFFF... in the central header are in the ZIP64 extra field, in order. */
static int zip64_extra(const unsigned char *x, size_t xlen, raw_entry *e, int need_u,
		       int need_c, int need_o)
{
	size_t i = 0;

	while (i + 4 <= xlen) {
		uint16_t id = le16(x + i), sz = le16(x + i + 2);
		if (i + 4 + sz > xlen)
			return -1;
		if (id == 0x0001) {
			const unsigned char *p = x + i + 4, *end = p + sz;
			if (need_u) {
				if (p + 8 > end)
					return -1;
				e->usize = le64(p), p += 8;
			}
			if (need_c) {
				if (p + 8 > end)
					return -1;
				e->csize = le64(p), p += 8;
			}
			if (need_o) {
				if (p + 8 > end)
					return -1;
				e->lho = le64(p);
			}
			return 0;
		}
		i += 4 + (size_t)sz;
	}
	return (need_u || need_c || need_o) ? -1 : 0;
}

static int cmp_lho(const void *a, const void *b)
{
	const raw_entry *x = a, *y = b;

	return x->lho < y->lho ? -1 : x->lho > y->lho;
}

typedef struct fold_ref {
	const char *fold;
	size_t idx;
} fold_ref;

static int cmp_fold(const void *a, const void *b)
{
	const fold_ref *x = a, *y = b;
	int c = strcmp(x->fold, y->fold);

	return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int cmp_fold_key(const void *key, const void *b)
{
	return strcmp(key, ((const fold_ref *)b)->fold);
}

static const char *limit_flag_why(uint64_t value, uint64_t limit, const char *what,
				  const char *flag, char *buf, size_t n)
{
	snprintf(buf, n, "%s %llu exceeds the limit of %llu (%s)", what,
		 (unsigned long long)value, (unsigned long long)limit, flag);
	return buf;
}

/* Names: the rules, exact and folded duplicates, a file used as a folder. */
static int check_names(raw_zip *rz, const char *path, accord_error *err)
{
	fold_ref *refs = NULL;
	char why[200];
	int rc = ACCORD_OK;

	for (size_t i = 0; i < rz->n; i++) {
		raw_entry *e = &rz->e[i];
		size_t len = e->nlen;
		if (e->is_dir && len > 1 && e->name[len - 1] == '/')
			len--;
		if (accord_container_name_check(e->name, e->nlen ? len : 0, why, sizeof why) < 0)
			return entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen, "%s", why);
		if (!e->is_dir && e->name[e->nlen - 1] == '/')
			return entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					 "entry name has an empty component ('//' or a trailing '/')");
		/* "meta-inf/x" is META-INF/x on a case-insensitive disk. */
		if (len >= 8 && strncasecmp(e->name, "META-INF", 8) == 0 &&
		    (len == 8 || e->name[8] == '/') && strncmp(e->name, "META-INF", 8) != 0)
			return entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					 "entry name differs from META-INF only by case");
		char *copy = strndup(e->name, len);
		if (!copy)
			return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		int fr = accord_container_name_fold(copy, &e->fold);
		free(copy);
		if (fr < 0)
			return entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					 "entry name has characters that cannot be normalised (Unicode NFC)");
	}
	refs = calloc(rz->n ? rz->n : 1, sizeof *refs);
	if (!refs)
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	for (size_t i = 0; i < rz->n; i++)
		refs[i] = (fold_ref){rz->e[i].fold, i};
	qsort(refs, rz->n, sizeof *refs, cmp_fold);
	for (size_t i = 1; i < rz->n; i++) {
		if (strcmp(refs[i - 1].fold, refs[i].fold) != 0)
			continue;
		const raw_entry *a = &rz->e[refs[i - 1].idx], *b = &rz->e[refs[i].idx];
		if (a->nlen == b->nlen && !memcmp(a->name, b->name, a->nlen))
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, b->name, b->nlen,
				       "duplicate entry name");
		else {
			char sa[300], sb[300];
			name_printable(a->name, a->nlen, sa, sizeof sa);
			name_printable(b->name, b->nlen, sb, sizeof sb);
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, b->name, b->nlen,
				       "duplicate entry name (case-insensitive or Unicode-normalised) '%s' and '%s'",
				       sa, sb);
		}
		goto out;
	}
	/* A file "a" and an entry "a/b": "a" cannot be both a file and a folder. */
	for (size_t i = 0; i < rz->n; i++) {
		char *f = strdup(rz->e[i].fold);
		if (!f) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
			goto out;
		}
		for (char *s = strchr(f, '/'); s; s = strchr(s + 1, '/')) {
			*s = '\0';
			const fold_ref *hit = bsearch(f, refs, rz->n, sizeof *refs, cmp_fold_key);
			*s = '/';
			if (hit && !rz->e[hit->idx].is_dir)
				free(f);
			if (hit && !rz->e[hit->idx].is_dir) {
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, rz->e[i].name,
					       rz->e[i].nlen,
					       "entry sits inside '%s', which is a file",
					       rz->e[hit->idx].name);
				goto out;
			}
		}
		free(f);
	}
out:
	free(refs);
	return rc;
}

static int raw_check(int fd, uint64_t size, const char *path, const accord_limits *lim,
		     raw_zip *rz, accord_error *err)
{
	unsigned char *tail = NULL, *cd = NULL, lh[30];
	size_t tail_len, pos, found = (size_t)-1;
	uint64_t count, cd_size, cd_offset, eocd_at, total = 0;
	int rc = ACCORD_OK;
	char why[200];

	memset(rz, 0, sizeof *rz);
	if ((rc = check_mimetype_bytes(fd, size, path, err)) != ACCORD_OK)
		return rc;
	/* End of central directory: the last record whose comment reaches the end. */
	tail_len = size < 22 + 65535 ? (size_t)size : 22 + 65535;
	tail = malloc(tail_len);
	if (!tail)
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	if (pread_full(fd, tail, tail_len, size - tail_len) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "read failed");
		goto out;
	}
	for (pos = tail_len - 22 + 1; pos-- > 0;) {
		if (le32(tail + pos) == 0x06054b50 && pos + 22 + le16(tail + pos + 20) == tail_len) {
			found = pos;
			break;
		}
	}
	if (found == (size_t)-1) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"no end of central directory record: truncated or not a ZIP file");
		goto out;
	}
	eocd_at = size - tail_len + found;
	{
		const unsigned char *e = tail + found;
		if (le16(e + 4) != 0 || le16(e + 6) != 0 || le16(e + 8) != le16(e + 10)) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, path,
					"multi-volume ZIP archives are not supported");
			goto out;
		}
		count = le16(e + 10);
		cd_size = le32(e + 12);
		cd_offset = le32(e + 16);
		if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
			unsigned char loc[20], z[56];
			uint64_t z_end;
			if (eocd_at < 20 || pread_full(fd, loc, 20, eocd_at - 20) < 0 ||
			    le32(loc) != 0x07064b50 || accord_add_u64(le64(loc + 8), 56, &z_end) < 0 ||
			    z_end > eocd_at - 20 ||
			    pread_full(fd, z, 56, le64(loc + 8)) < 0 || le32(z) != 0x06064b50) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, path,
						"ZIP64 end of central directory missing or corrupt");
				goto out;
			}
			count = le64(z + 32);
			cd_size = le64(z + 40);
			cd_offset = le64(z + 48);
			eocd_at = le64(loc + 8);
		}
	}
	if (count > lim->max_entries) {
		rc = entry_err(err, ACCORD_ERR_LIMIT, path, NULL, 0, "%s",
			       limit_flag_why(count, lim->max_entries, "entry count",
					      "--max-entries", why, sizeof why));
		goto out;
	}
	/* Nothing may sit between the central directory and its end record, and the
	 * directory must fit: catches prepended junk, truncation and corruption. */
	if (cd_offset > eocd_at || cd_size != eocd_at - cd_offset || cd_size > CD_MAX_BYTES) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"central directory offset or size is wrong: corrupt, truncated or junk before the first entry");
		goto out;
	}
	cd = malloc(cd_size ? (size_t)cd_size : 1);
	rz->e = calloc(count ? (size_t)count : 1, sizeof *rz->e);
	if (!cd || !rz->e) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	if (pread_full(fd, cd, (size_t)cd_size, cd_offset) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "read failed");
		goto out;
	}
	rz->cd_offset = cd_offset;
	pos = 0;
	for (uint64_t k = 0; k < count; k++) {
		const unsigned char *c = cd + pos;
		raw_entry *e = &rz->e[rz->n];
		if (pos + 46 > cd_size || le32(c) != 0x02014b50) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, path,
					"corrupt central directory (entry %llu)",
					(unsigned long long)k + 1);
			goto out;
		}
		size_t nlen = le16(c + 28), xlen = le16(c + 30), clen = le16(c + 32);
		if (pos + 46 + nlen + xlen + clen > cd_size) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, path,
					"corrupt central directory (entry %llu overruns it)",
					(unsigned long long)k + 1);
			goto out;
		}
		e->name = malloc(nlen + 1);
		if (!e->name) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
			goto out;
		}
		memcpy(e->name, c + 46, nlen);
		e->name[nlen] = '\0';
		e->nlen = nlen;
		rz->n++;
		e->made_by = le16(c + 4);
		e->flags = le16(c + 8);
		e->method = le16(c + 10);
		e->crc = le32(c + 16);
		e->csize = le32(c + 20);
		e->usize = le32(c + 24);
		e->eattr = le32(c + 38);
		e->lho = le32(c + 42);
		if (le16(c + 34) != 0 && le16(c + 34) != 0xFFFF) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
				       "entry on another disk (multi-volume ZIP)");
			goto out;
		}
		if (zip64_extra(c + 46 + nlen, xlen, e, e->usize == 0xFFFFFFFF,
				e->csize == 0xFFFFFFFF, e->lho == 0xFFFFFFFF) < 0) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
				       "corrupt ZIP64 extra field");
			goto out;
		}
		pos += 46 + nlen + xlen + clen;
		if (e->flags & 0x41) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
				       "entry is encrypted (encrypted entries are not allowed)");
			goto out;
		}
		if (e->method != 0 && e->method != 8) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
				       "compression method %u not allowed (only stored and deflate)",
				       e->method);
			goto out;
		}
		e->is_dir = nlen > 0 && e->name[nlen - 1] == '/';
		/* Unix file types in the external attributes. */
		if ((e->made_by >> 8) == 3) {
			unsigned mode = e->eattr >> 16, type = mode & S_IFMT;
			if (type == S_IFDIR)
				e->is_dir = 1;
			else if (type == S_IFLNK)
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					       "entry is a symbolic link (only regular files allowed)");
			else if (type == S_IFCHR || type == S_IFBLK)
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					       "entry is a device (only regular files allowed)");
			else if (type == S_IFIFO || type == S_IFSOCK)
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					       "entry is a fifo or socket (only regular files allowed)");
			else if (type != 0 && type != S_IFREG)
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					       "entry is not a regular file (mode %06o)", mode);
			if (rc != ACCORD_OK)
				goto out;
		}
		if (e->is_dir && (e->usize || e->csize > 2)) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
				       "directory entry with content");
			goto out;
		}
		if (e->usize > lim->max_entry_size) {
			rc = entry_err(err, ACCORD_ERR_LIMIT, path, e->name, nlen, "%s",
				       limit_flag_why(e->usize, lim->max_entry_size,
						      "declared size", "--max-size", why, sizeof why));
			goto out;
		}
		if (accord_add_u64(total, e->usize, &total) < 0 || total > lim->max_total_size) {
			rc = entry_err(err, ACCORD_ERR_LIMIT, path, e->name, nlen, "%s",
				       limit_flag_why(total, lim->max_total_size,
						      "declared total size", "--max-total", why,
						      sizeof why));
			goto out;
		}
		if (e->usize > ACCORD_RATIO_FLOOR &&
		    (e->csize == 0 || e->usize / e->csize > lim->max_ratio)) {
			rc = entry_err(err, ACCORD_ERR_LIMIT, path, e->name, nlen,
				       "compression ratio %llu:1 exceeds limit %llu:1 (--max-ratio)",
				       (unsigned long long)(e->csize ? e->usize / e->csize : e->usize),
				       (unsigned long long)lim->max_ratio);
			goto out;
		}
	}
	if (pos != cd_size) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"corrupt central directory (%llu stray bytes)",
				(unsigned long long)(cd_size - pos));
		goto out;
	}
	if ((rc = check_names(rz, path, err)) != ACCORD_OK)
		goto out;
	/* Local headers in file order: each must repeat its central header, and the data
	 * of one entry must end before the next begins (overlapping entries are a bomb). */
	qsort(rz->e, rz->n, sizeof *rz->e, cmp_lho);
	if (rz->n == 0 || rz->e[0].lho != 0 || strcmp(rz->e[0].name, "mimetype") != 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"mimetype must be the first entry (central directory disagrees)");
		goto out;
	}
	for (size_t i = 0; i < rz->n; i++) {
		raw_entry *e = &rz->e[i];
		uint64_t next = i + 1 < rz->n ? rz->e[i + 1].lho : cd_offset, data_end, lh_end;
		unsigned char lname[NAME_MAX_BYTES];
		if (accord_add_u64(e->lho, 30, &lh_end) < 0) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
				       "local header offset %llu wraps around (corrupt ZIP64 field)",
				       (unsigned long long)e->lho);
			goto out;
		}
		if (lh_end > next || pread_full(fd, lh, 30, e->lho) < 0 ||
		    le32(lh) != 0x04034b50) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
				       "local header missing or out of place (corrupt archive)");
			goto out;
		}
		if (le16(lh + 26) != e->nlen || e->nlen > sizeof lname ||
		    pread_full(fd, lname, e->nlen, e->lho + 30) < 0 ||
		    memcmp(lname, e->name, e->nlen) != 0) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
				       "local and central headers disagree on the name");
			goto out;
		}
		if (le16(lh + 8) != e->method || ((le16(lh + 6) ^ e->flags) & 0x49)) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
				       "local and central headers disagree on method or flags");
			goto out;
		}
		if (!(e->flags & 0x08)) {
			uint32_t lc = le32(lh + 18), lu = le32(lh + 22);
			if (le32(lh + 14) != e->crc ||
			    (lc != 0xFFFFFFFF && lc != e->csize) ||
			    (lu != 0xFFFFFFFF && lu != e->usize)) {
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					       "local and central headers disagree on size or CRC");
				goto out;
			}
		}
		if (accord_add_u64(lh_end + e->nlen + le16(lh + 28), e->csize, &data_end) < 0) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
				       "offset %llu plus compressed size %llu wraps around (corrupt ZIP64 field)",
				       (unsigned long long)e->lho, (unsigned long long)e->csize);
			goto out;
		}
		if (data_end > next) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
				       "entry data overlaps the next entry or runs past the archive");
			goto out;
		}
	}
out:
	free(tail);
	free(cd);
	if (rc != ACCORD_OK)
		raw_zip_free(rz);
	return rc;
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

/* Where the data of an entry goes during extraction. */
typedef struct extract_sink {
	int dirfd;     /* the destination folder, O_DIRECTORY */
	int force;
	int fd;        /* the temporary file being written, or -1 */
	int parent;    /* its folder */
	char tmp[64];
	char *leaf;
} extract_sink;

static int extract_begin(extract_sink *x, const char *path, const char *name,
			 accord_error *err);
static int extract_end(extract_sink *x, const char *path, const char *name, int ok,
		       accord_error *err);

typedef struct walk_state {
	const char *path;
	const accord_limits *lim;
	accord_container *c;  /* filled when opening; checked against when extracting */
	extract_sink *x;      /* NULL when opening */
	const accord_stream_sink *stream; /* data bytes handed out (checked like extracting) */
	unsigned char *descriptor;
	size_t descriptor_len;
	uint64_t total;
	gcry_md_hd_t md;
	unsigned char *buf;
	accord_error *err;
} walk_state;

static int meta_push(accord_container *c, char *name, unsigned char *data, size_t len)
{
	accord_meta_file *n = realloc(c->signatures, (c->n_signatures + 1) * sizeof *n);

	if (!n)
		return -1;
	c->signatures = n;
	n[c->n_signatures++] = (accord_meta_file){name, data, len};
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
	accord_entry *n = realloc(c->entries, (c->n_entries + 1) * sizeof *n), *e;

	if (!n)
		return -1;
	c->entries = n;
	e = &n[c->n_entries];
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
	int keep = keep_sig || keep_manifest || keep_desc, writing = 0;
	unsigned char *mem = NULL;
	uint64_t got = 0;
	char why[200];
	int rc = ACCORD_OK;
	accord_error *err = w->err;

	if (keep && (re->usize > w->lim->max_meta_size || re->usize >= SIZE_MAX))
		return entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen,
				 "entry of %llu bytes exceeds the %llu-byte limit for entries held in memory",
				 (unsigned long long)re->usize,
				 (unsigned long long)w->lim->max_meta_size);
	if (keep && !(mem = malloc((size_t)re->usize + 1)))
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	if (is_data)
		gcry_md_reset(w->md);
	if (is_data && w->x) {
		if ((rc = extract_begin(w->x, path, name, err)) != ACCORD_OK)
			goto out;
		writing = 1;
	}
	for (;;) {
		la_ssize_t r = archive_read_data(a, w->buf, READ_CHUNK);
		if (r < 0) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
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
			rc = entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
				       "entry holds more data than its header declares (%llu bytes)",
				       (unsigned long long)re->usize);
			goto out;
		}
		if (got > w->lim->max_entry_size) {
			rc = entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen, "%s",
				       limit_flag_why(got, w->lim->max_entry_size, "entry size",
						      "--max-size", why, sizeof why));
			goto out;
		}
		if (w->total > w->lim->max_total_size) {
			rc = entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen, "%s",
				       limit_flag_why(w->total, w->lim->max_total_size,
						      "total size", "--max-total", why, sizeof why));
			goto out;
		}
		if (got > ACCORD_RATIO_FLOOR &&
		    (re->csize == 0 || got / re->csize > w->lim->max_ratio)) {
			rc = entry_err(err, ACCORD_ERR_LIMIT, path, name, re->nlen,
				       "compression ratio %llu:1 exceeds limit %llu:1 (--max-ratio)",
				       (unsigned long long)(re->csize ? got / re->csize : got),
				       (unsigned long long)w->lim->max_ratio);
			goto out;
		}
		if (keep)
			memcpy(mem + got - (uint64_t)r, w->buf, (size_t)r);
		if (is_data)
			gcry_md_write(w->md, w->buf, (size_t)r);
		if (is_data && w->stream && w->stream->data(w->stream->ud, name, w->buf, (size_t)r) < 0) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "stream consumer failed on '%s'", name);
			goto out;
		}
		if (writing && write_all(w->x->fd, w->buf, (size_t)r) < 0) {
			rc = entry_err(err, ACCORD_ERR_IO, path, name, re->nlen,
				       "cannot write the extracted file: %s", strerror(errno));
			goto out;
		}
	}
	if (got != re->usize) {
		rc = entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
			       "entry holds %llu bytes but its header declares %llu",
			       (unsigned long long)got, (unsigned long long)re->usize);
		goto out;
	}
	if (keep)
		mem[got] = '\0';
	if (w->x || w->stream) {
		if (is_data) {
			const accord_entry *e = accord_container_find(w->c, name);
			if (!e || e->doc.size != got ||
			    memcmp(e->doc.sha256, gcry_md_read(w->md, GCRY_MD_SHA256), 32) != 0) {
				rc = entry_err(err, ACCORD_ERR_FORMAT, path, name, re->nlen,
					       "entry changed between checking and extraction");
				goto out;
			}
			if (w->stream && w->stream->end && w->stream->end(w->stream->ud, name) < 0)
				rc = accord_err(err, ACCORD_ERR_IO, path, "stream consumer failed on '%s'", name);
			if (w->x) {
				writing = 0;
				rc = extract_end(w->x, path, name, 1, err);
			}
		}
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
	}
out:
	if (writing)
		extract_end(w->x, path, name, 0, NULL);
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
			rc = entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
				       "corrupt entry header: %s",
				       archive_error_string(a) ? archive_error_string(a) : "read error");
			goto out;
		}
		const char *pn = archive_entry_pathname(ae);
		if (!pn || !same_name(pn, re->name)) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
				       "the archive reader and the central directory disagree on this entry");
			goto out;
		}
		if (archive_entry_is_encrypted(ae)) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
				       "entry is encrypted (encrypted entries are not allowed)");
			goto out;
		}
		if (archive_entry_filetype(ae) != (re->is_dir ? AE_IFDIR : AE_IFREG)) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, w->path, re->name, re->nlen,
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

/* Every data file listed in the manifest, every listed file present; the descriptor. */
static int finish_open(accord_container *c, walk_state *w, accord_error *err)
{
	accord_manifest_item *items = NULL;
	size_t n_items = 0;
	char **names = NULL;
	int rc = ACCORD_OK;

	if (!c->manifest.name)
		return accord_err(err, ACCORD_ERR_FORMAT, c->path,
				  "META-INF/manifest.xml is missing (ASiC-E requires a manifest)");
	if (c->n_entries == 0)
		return accord_err(err, ACCORD_ERR_FORMAT, c->path,
				  "the container holds no documents");
	if (build_index(c) < 0)
		return accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
	rc = accord_manifest_parse(c->manifest.data, c->manifest.len, &items, &n_items, err);
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
		if (!it) {
			rc = entry_err(err, ACCORD_ERR_FORMAT, c->path, e->name, strlen(e->name),
				       "data file is not listed in META-INF/manifest.xml");
			goto out;
		}
		e->media_type = strdup(it->media_type);
		if (!e->media_type) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
			goto out;
		}
		e->doc.media_type = e->media_type;
		names[i] = e->name;
	}
	qsort(names, c->n_entries, sizeof *names, cmp_str_ptr);
	for (size_t i = 0; i < n_items; i++) {
		const char *p = items[i].path;
		size_t len = strlen(p);
		if (len && p[len - 1] == '/') /* folder entries of OpenDocument manifests */
			continue;
		if (!bsearch(&p, names, c->n_entries, sizeof *names, cmp_str_ptr)) {
			char shown[300];
			name_printable(p, len, shown, sizeof shown);
			rc = accord_err(err, ACCORD_ERR_FORMAT, c->path,
					"META-INF/manifest.xml lists '%s', which is not a data file in the container",
					shown);
			goto out;
		}
	}
	if (w->descriptor) {
		accord_entry *e = (accord_entry *)accord_container_find(c, ACCORD_DESCRIPTOR_NAME);
		if (e && !strcmp(e->media_type, ACCORD_DESCRIPTOR_MEDIA_TYPE)) {
			rc = accord_descriptor_parse(w->descriptor, w->descriptor_len,
						     ACCORD_DESCRIPTOR_NAME, &c->descriptor, err);
			if (rc != ACCORD_OK) {
				where_in(err, c->path, rc);
				goto out;
			}
			c->has_descriptor = 1;
			e->doc.is_descriptor = 1;
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
static int container_pass(const char *path, const accord_limits *lim, accord_container *c,
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
	if ((rc = raw_check(fd, size, path, lim, &rz, err)) != ACCORD_OK)
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
	if ((rc = walk(fd, &w, &rz)) != ACCORD_OK)
		goto out;
	if (!x && !stream)
		rc = finish_open(c, &w, err);
out:
	gcry_md_close(w.md);
	free(w.buf);
	free(w.descriptor);
	raw_zip_free(&rz);
	close(fd);
	return rc;
}

int accord_container_open(const char *path, const accord_limits *limits,
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
	rc = container_pass(path, &lim, c, NULL, NULL, err);
	if (rc != ACCORD_OK) {
		accord_container_free(c);
		return rc;
	}
	*out = c;
	return ACCORD_OK;
}

void accord_container_free(accord_container *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_entries; i++) {
		free(c->entries[i].name);
		free(c->entries[i].media_type);
	}
	free(c->entries);
	free(c->by_name);
	for (size_t i = 0; i < c->n_signatures; i++) {
		free(c->signatures[i].name);
		free(c->signatures[i].data);
	}
	free(c->signatures);
	free(c->manifest.name);
	free(c->manifest.data);
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

/* ------------------------------------------------------------------ extraction */

/* Walk to the folder holding name under dirfd, never following a symlink; creates
 * the folders when create. Returns the folder's fd (dirfd itself or a new one), or -1
 * with errno (ENOENT when !create and a folder is missing). */
static int open_parent(int dirfd, const char *name, int create, const char **leaf)
{
	char comp[COMPONENT_MAX_BYTES + 1];
	const char *s = name, *slash;
	int cur = dirfd;

	while ((slash = strchr(s, '/')) != NULL) {
		size_t len = (size_t)(slash - s);
		int next;
		if (len == 0 || len > COMPONENT_MAX_BYTES) {
			errno = EINVAL;
			goto fail;
		}
		memcpy(comp, s, len);
		comp[len] = '\0';
		if (create && mkdirat(cur, comp, 0755) < 0 && errno != EEXIST)
			goto fail;
		next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			goto fail;
		if (cur != dirfd)
			close(cur);
		cur = next;
		s = slash + 1;
	}
	*leaf = s;
	return cur;
fail:
	if (cur != dirfd) {
		int e = errno;
		close(cur);
		errno = e;
	}
	return -1;
}

static int extract_begin(extract_sink *x, const char *path, const char *name,
			 accord_error *err)
{
	const char *leaf;
	struct stat st;
	unsigned char rnd[8];
	char hex[17];

	x->fd = -1;
	x->parent = open_parent(x->dirfd, name, 1, &leaf);
	if (x->parent < 0)
		return entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
				 "cannot create its folder in the destination (an existing symlink or file is not followed): %s",
				 strerror(errno));
	if (!x->force && fstatat(x->parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0)
		goto exists;
	x->leaf = strdup(leaf);
	if (!x->leaf)
		goto nomem;
	gcry_create_nonce(rnd, sizeof rnd);
	accord_hex(rnd, sizeof rnd, hex);
	snprintf(x->tmp, sizeof x->tmp, ".accord-extract-tmp-%s", hex);
	x->fd = openat(x->parent, x->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		       0644);
	if (x->fd < 0) {
		int e = errno;
		extract_end(x, path, name, 0, NULL);
		return entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
				 "cannot create a file in the destination: %s", strerror(e));
	}
	return ACCORD_OK;
exists:
	if (x->parent != x->dirfd)
		close(x->parent);
	return entry_err(err, ACCORD_ERR_EXISTS, path, name, strlen(name),
			 "file exists in the destination, not overwritten (use --force)");
nomem:
	if (x->parent != x->dirfd)
		close(x->parent);
	return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
}

static int extract_end(extract_sink *x, const char *path, const char *name, int ok,
		       accord_error *err)
{
	int rc = ACCORD_OK;

	if (ok && (fsync(x->fd) < 0 || close(x->fd) < 0)) {
		rc = entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
			       "cannot write the extracted file: %s", strerror(errno));
		ok = 0;
		x->fd = -1;
	}
	if (ok) {
		x->fd = -1;
		/* linkat refuses an existing target; renameat replaces it (a symlink there is
		 * replaced, not followed). */
		int r = x->force ? renameat(x->parent, x->tmp, x->parent, x->leaf)
				 : linkat(x->parent, x->tmp, x->parent, x->leaf, 0);
		if (r < 0) {
			int e = errno;
			rc = entry_err(err, e == EEXIST ? ACCORD_ERR_EXISTS : ACCORD_ERR_IO, path,
				       name, strlen(name),
				       e == EEXIST ? "file exists in the destination, not overwritten (use --force)"
						   : "cannot put the extracted file in place: %s",
				       strerror(e));
			ok = 0;
		} else if (!x->force) {
			unlinkat(x->parent, x->tmp, 0);
		}
		if (ok)
			fsync(x->parent);
	}
	if (!ok) {
		if (x->fd >= 0)
			close(x->fd);
		if (x->tmp[0])
			unlinkat(x->parent, x->tmp, 0);
	}
	x->fd = -1;
	x->tmp[0] = '\0';
	free(x->leaf);
	x->leaf = NULL;
	if (x->parent >= 0 && x->parent != x->dirfd)
		close(x->parent);
	x->parent = -1;
	return rc;
}

int accord_container_extract(const char *path, const char *dir, int force,
			     const accord_limits *limits, accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	extract_sink x;
	int rc;

	memset(&x, 0, sizeof x);
	x.dirfd = x.fd = x.parent = -1;
	if (limits)
		lim = *limits;
	else
		accord_limits_default(&lim);
	rc = accord_container_open(path, &lim, &c, err);
	if (rc != ACCORD_OK)
		return rc;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rc = accord_err(err, ACCORD_ERR_IO, dir, "cannot create folder: %s", strerror(errno));
		goto out;
	}
	x.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x.dirfd < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, dir, "cannot open folder: %s", strerror(errno));
		goto out;
	}
	x.force = force;
	/* Refuse before writing anything when a target exists. */
	for (size_t i = 0; !force && i < c->n_entries; i++) {
		const char *leaf;
		struct stat st;
		int p = open_parent(x.dirfd, c->entries[i].name, 0, &leaf);
		if (p < 0 && errno == ENOENT)
			continue;
		if (p < 0) {
			rc = entry_err(err, ACCORD_ERR_IO, path, c->entries[i].name,
				       strlen(c->entries[i].name),
				       "its folder in the destination is a symlink or a file (not followed): %s",
				       strerror(errno));
			goto out;
		}
		int exists = fstatat(p, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (p != x.dirfd)
			close(p);
		if (exists) {
			rc = entry_err(err, ACCORD_ERR_EXISTS, dir, c->entries[i].name,
				       strlen(c->entries[i].name),
				       "file exists, not overwritten (use --force)");
			goto out;
		}
	}
	rc = container_pass(path, &lim, c, &x, NULL, err);
out:
	if (x.dirfd >= 0)
		close(x.dirfd);
	accord_container_free(c);
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
	return container_pass(c->path, &lim, (accord_container *)c, NULL, sink, err);
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
		memcpy(e->sha384, gcry_md_read(h->md, GCRY_MD_SHA384), 48);
		memcpy(e->sha512, gcry_md_read(h->md, GCRY_MD_SHA512), 64);
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
	if (gcry_md_open(&h.md, GCRY_MD_SHA384, 0) || gcry_md_enable(h.md, GCRY_MD_SHA512))
		return accord_err(err, ACCORD_ERR_CRYPTO, c->path, "cannot set up hashing");
	rc = accord_container_stream(c, NULL, &sink, err);
	gcry_md_close(h.md);
	if (!rc)
		c->has_extra_digests = 1;
	return rc;
}
