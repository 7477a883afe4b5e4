/* formats/zip_central.c — the raw ZIP pass: the mimetype rule at offset 0, the end
 * record and ZIP64, the central directory against every local header, names, limits. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "formats/container_read.h"

#define CD_MAX_BYTES (64u * 1024 * 1024)

void accord_zip_free(raw_zip *rz)
{
	for (size_t i = 0; i < rz->n; i++) {
		free(rz->e[i].name);
		free(rz->e[i].fold);
	}
	free(rz->e);
	memset(rz, 0, sizeof *rz);
}

int accord_zip_pread(int fd, void *buf, size_t len, uint64_t off)
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

	if (size < 30 || accord_zip_pread(fd, h, 30, 0) < 0 || le32(h) != 0x04034b50)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, NULL, 0,
					"mimetype must be the first entry: no ZIP local header at offset 0");
	if (le16(h + 26) != 8 || size < 38 || accord_zip_pread(fd, h + 30, 8, 30) < 0 ||
	    memcmp(h + 30, "mimetype", 8) != 0)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, NULL, 0,
					"mimetype must be the first entry (byte 30 must start \"mimetype\")");
	if (le16(h + 6) & 0x41)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
					"mimetype must not be encrypted");
	if (le16(h + 8) != 0)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
					"mimetype must be stored, not compressed (method %u)",
					le16(h + 8));
	if (le16(h + 6) & 0x08)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
					"mimetype must not use a data descriptor (flag bit 3)");
	if (le16(h + 28) != 0)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
					"mimetype must have no extra field (%u bytes found)",
					le16(h + 28));
	csize = le32(h + 18);
	usize = le32(h + 22);
	if (csize != usize || usize != want || size < 38 + want ||
	    accord_zip_pread(fd, h + 38, want, 38) < 0 || memcmp(h + 38, ACCORD_MIMETYPE, want) != 0)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
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

const char *accord_limit_why(uint64_t value, uint64_t limit, const char *what,
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
			return accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen, "%s", why);
		if (!e->is_dir && e->name[e->nlen - 1] == '/')
			return accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
						"entry name has an empty component ('//' or a trailing '/')");
		/* "meta-inf/x" is META-INF/x on a case-insensitive disk. */
		if (len >= 8 && strncasecmp(e->name, "META-INF", 8) == 0 &&
		    (len == 8 || e->name[8] == '/') && strncmp(e->name, "META-INF", 8) != 0)
			return accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
						"entry name differs from META-INF only by case");
		char *copy = strndup(e->name, len);
		if (!copy)
			return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		int fr = accord_container_name_fold(copy, &e->fold);
		free(copy);
		if (fr < 0)
			return accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
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
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, b->name, b->nlen,
					      "duplicate entry name");
		else {
			char sa[300], sb[300];
			accord_name_printable(a->name, a->nlen, sa, sizeof sa);
			accord_name_printable(b->name, b->nlen, sb, sizeof sb);
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, b->name, b->nlen,
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
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, rz->e[i].name,
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

/* A zip comment that holds ZIP record signatures could make readers disagree on where
 * the archive ends (a forged end record in the comment): refused in every mode. */
static int comment_has_records(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (p[i] == 'P' && p[i + 1] == 'K' &&
		    ((p[i + 2] == 1 && p[i + 3] == 2) || (p[i + 2] == 3 && p[i + 3] == 4) ||
		     (p[i + 2] == 5 && p[i + 3] == 6) || (p[i + 2] == 6 && p[i + 3] == 6) ||
		     (p[i + 2] == 6 && p[i + 3] == 7) || (p[i + 2] == 7 && p[i + 3] == 8)))
			return 1;
	return 0;
}

/* Tolerant reading: the mimetype entry's layout, noted (ETSI EN 319 162-1 A.1). Its
 * size is bounded here; its content is checked once read (container_read.c). */
static int note_mimetype(const raw_zip *rz, const char *path, accord_container *notes,
			 accord_error *err)
{
	const raw_entry *m = NULL;
	size_t at = 0;

	for (size_t i = 0; i < rz->n; i++)
		if (!strcmp(rz->e[i].name, "mimetype")) {
			m = &rz->e[i];
			at = i;
			break;
		}
	if (!m) {
		accord_container_note_add(notes, ACCORD_RULE_MT_PRESENT, "mimetype",
					  "the container has no mimetype entry");
		return ACCORD_OK;
	}
	if (m->usize > MIMETYPE_MAX_BYTES || m->csize > MIMETYPE_MAX_BYTES + 64)
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, "mimetype", 8,
					"mimetype entry is too large (%llu bytes declared, %llu compressed; at most %u are read)",
					(unsigned long long)m->usize, (unsigned long long)m->csize,
					MIMETYPE_MAX_BYTES);
	if (at != 0)
		accord_container_note_add(notes, ACCORD_RULE_MT_FIRST, "mimetype",
					  "mimetype is entry %zu, not the first entry ('%.200s' is)",
					  at + 1, rz->e[0].name);
	if (m->method != 0)
		accord_container_note_add(notes, ACCORD_RULE_MT_STORED, "mimetype",
					  "mimetype is compressed (method %u), not stored", m->method);
	if (m->flags & 0x08)
		accord_container_note_add(notes, ACCORD_RULE_MT_DESCRIPTOR, "mimetype",
					  "mimetype uses a data descriptor (flag bit 3)");
	return ACCORD_OK;
}

/* Are the bytes [from, to) exactly e's data descriptor (or nothing, without one)?
 * APPNOTE 4.3.9: optional signature, CRC-32, then 32-bit or (ZIP64) 64-bit sizes. */
static int descriptor_fills(int fd, const raw_entry *e, uint64_t from, uint64_t to)
{
	unsigned char d[24];
	size_t n = (size_t)(to - from), off = 0;

	if (to == from)
		return 1;
	if (!(e->flags & 0x08) || n > sizeof d || accord_zip_pread(fd, d, n, from) < 0)
		return 0;
	if (n >= 4 && le32(d) == 0x08074b50)
		off = 4;
	if (n - off == 12)
		return le32(d + off) == e->crc && le32(d + off + 4) == (e->csize & 0xFFFFFFFFu) &&
		       le32(d + off + 8) == (e->usize & 0xFFFFFFFFu);
	if (n - off == 20)
		return le32(d + off) == e->crc && le64(d + off + 4) == e->csize &&
		       le64(d + off + 12) == e->usize;
	return 0;
}

int accord_zip_check(int fd, uint64_t size, const char *path, const accord_limits *lim,
		     int tolerant, accord_container *notes, raw_zip *rz, accord_error *err)
{
	unsigned char *tail = NULL, *cd = NULL, lh[30];
	size_t tail_len, pos, found = (size_t)-1;
	uint64_t count, cd_size, cd_offset, eocd_at, total = 0;
	int rc = ACCORD_OK;
	char why[200];

	memset(rz, 0, sizeof *rz);
	if (!tolerant && (rc = check_mimetype_bytes(fd, size, path, err)) != ACCORD_OK)
		return rc;
	if (tolerant && (size < 30 || accord_zip_pread(fd, lh, 30, 0) < 0 || le32(lh) != 0x04034b50))
		return accord_entry_err(err, ACCORD_ERR_FORMAT, path, NULL, 0,
					"no ZIP local header at offset 0, where the mimetype entry should start (not a ZIP file, or bytes before the first entry)");
	/* End of central directory: the last record whose comment reaches the end. */
	tail_len = size < 22 + 65535 ? (size_t)size : 22 + 65535;
	tail = malloc(tail_len);
	if (!tail)
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	if (accord_zip_pread(fd, tail, tail_len, size - tail_len) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "read failed");
		goto out;
	}
	for (pos = tail_len < 22 ? 0 : tail_len - 22 + 1; pos-- > 0;) {
		if (le32(tail + pos) == 0x06054b50 && pos + 22 + le16(tail + pos + 20) == tail_len) {
			if (found != (size_t)-1) {
				rc = accord_err(err, ACCORD_ERR_FORMAT, path,
						"two end of central directory records could end the file (a forged one in the zip comment?)");
				goto out;
			}
			found = pos;
		}
	}
	if (found == (size_t)-1) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"no end of central directory record: truncated or not a ZIP file");
		goto out;
	}
	if (comment_has_records(tail + found + 22, tail_len - found - 22)) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"the zip comment holds ZIP record signatures (readers could disagree on the archive)");
		goto out;
	}
	if (tolerant && tail_len - found - 22 > 0) {
		size_t clen = tail_len - found - 22;
		char shown[300];
		static const char want[] = "mimetype=" ACCORD_MIMETYPE;
		if (clen != sizeof want - 1 || memcmp(tail + found + 22, want, clen) != 0) {
			accord_name_printable((const char *)tail + found + 22, clen < 200 ? clen : 200,
					      shown, sizeof shown);
			accord_container_note_add(notes, ACCORD_RULE_COMMENT, "zip comment",
						  "the archive has a %zu-byte zip comment: '%s'", clen, shown);
		}
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
			if (eocd_at < 20 || accord_zip_pread(fd, loc, 20, eocd_at - 20) < 0 ||
			    le32(loc) != 0x07064b50 || accord_add_u64(le64(loc + 8), 56, &z_end) < 0 ||
			    z_end > eocd_at - 20 ||
			    accord_zip_pread(fd, z, 56, le64(loc + 8)) < 0 || le32(z) != 0x06064b50) {
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
		rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, NULL, 0, "%s",
				      accord_limit_why(count, lim->max_entries, "entry count",
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
	if (accord_zip_pread(fd, cd, (size_t)cd_size, cd_offset) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "read failed");
		goto out;
	}
	rz->cd_offset = cd_offset;
	rz->cd_size = cd_size;
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
		e->cxlen = (uint16_t)xlen;
		e->cd_pos = pos;
		if (le16(c + 34) != 0 && le16(c + 34) != 0xFFFF) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					      "entry on another disk (multi-volume ZIP)");
			goto out;
		}
		if (zip64_extra(c + 46 + nlen, xlen, e, e->usize == 0xFFFFFFFF,
				e->csize == 0xFFFFFFFF, e->lho == 0xFFFFFFFF) < 0) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					      "corrupt ZIP64 extra field");
			goto out;
		}
		pos += 46 + nlen + xlen + clen;
		if (e->flags & 0x41) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					      "entry is encrypted (encrypted entries are not allowed)");
			goto out;
		}
		if (e->method != 0 && e->method != 8) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
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
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
						      "entry is a symbolic link (only regular files allowed)");
			else if (type == S_IFCHR || type == S_IFBLK)
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
						      "entry is a device (only regular files allowed)");
			else if (type == S_IFIFO || type == S_IFSOCK)
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
						      "entry is a fifo or socket (only regular files allowed)");
			else if (type != 0 && type != S_IFREG)
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
						      "entry is not a regular file (mode %06o)", mode);
			if (rc != ACCORD_OK)
				goto out;
		}
		if (e->is_dir && (e->usize || e->csize > 2)) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, nlen,
					      "directory entry with content");
			goto out;
		}
		if (e->usize > lim->max_entry_size) {
			rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, e->name, nlen, "%s",
					      accord_limit_why(e->usize, lim->max_entry_size,
							       "declared size", "--max-size", why, sizeof why));
			goto out;
		}
		if (accord_add_u64(total, e->usize, &total) < 0 || total > lim->max_total_size) {
			rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, e->name, nlen, "%s",
					      accord_limit_why(total, lim->max_total_size,
							       "declared total size", "--max-total", why,
							       sizeof why));
			goto out;
		}
		if (e->usize > ACCORD_RATIO_FLOOR &&
		    (e->csize == 0 || e->usize / e->csize > lim->max_ratio)) {
			rc = accord_entry_err(err, ACCORD_ERR_LIMIT, path, e->name, nlen,
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
	if (!tolerant &&
	    (rz->n == 0 || rz->e[0].lho != 0 || strcmp(rz->e[0].name, "mimetype") != 0)) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"mimetype must be the first entry (central directory disagrees)");
		goto out;
	}
	/* Tolerant or not, the first entry starts the file: nothing hides before it. */
	if (rz->n == 0 || rz->e[0].lho != 0) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"the central directory has no entry at offset 0 (bytes before the first entry, or no entries)");
		goto out;
	}
	if (tolerant && (rc = note_mimetype(rz, path, notes, err)) != ACCORD_OK)
		goto out;
	for (size_t i = 0; i < rz->n; i++) {
		raw_entry *e = &rz->e[i];
		uint64_t next = i + 1 < rz->n ? rz->e[i + 1].lho : cd_offset, data_end, lh_end;
		unsigned char lname[NAME_MAX_BYTES];
		if (accord_add_u64(e->lho, 30, &lh_end) < 0) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "local header offset %llu wraps around (corrupt ZIP64 field)",
					      (unsigned long long)e->lho);
			goto out;
		}
		if (lh_end > next || accord_zip_pread(fd, lh, 30, e->lho) < 0 ||
		    le32(lh) != 0x04034b50) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "local header missing or out of place (corrupt archive)");
			goto out;
		}
		if (le16(lh + 26) != e->nlen || e->nlen > sizeof lname ||
		    accord_zip_pread(fd, lname, e->nlen, e->lho + 30) < 0 ||
		    memcmp(lname, e->name, e->nlen) != 0) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "local and central headers disagree on the name");
			goto out;
		}
		if (le16(lh + 8) != e->method || ((le16(lh + 6) ^ e->flags) & 0x49)) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "local and central headers disagree on method or flags");
			goto out;
		}
		if (!(e->flags & 0x08)) {
			uint32_t lc = le32(lh + 18), lu = le32(lh + 22);
			if (le32(lh + 14) != e->crc ||
			    (lc != 0xFFFFFFFF && lc != e->csize) ||
			    (lu != 0xFFFFFFFF && lu != e->usize)) {
				rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
						      "local and central headers disagree on size or CRC");
				goto out;
			}
		}
		if (accord_add_u64(lh_end + e->nlen + le16(lh + 28), e->csize, &data_end) < 0) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "offset %llu plus compressed size %llu wraps around (corrupt ZIP64 field)",
					      (unsigned long long)e->lho, (unsigned long long)e->csize);
			goto out;
		}
		if (tolerant && !strcmp(e->name, "mimetype") && (le16(lh + 28) || e->cxlen))
			accord_container_note_add(notes, ACCORD_RULE_MT_EXTRA, "mimetype",
						  "mimetype has an extra field (%u bytes in the local header, %u in the central directory)",
						  le16(lh + 28), e->cxlen);
		if (data_end > next) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "entry data overlaps the next entry or runs past the archive");
			goto out;
		}
		e->data_end = data_end;
	}
	/* Nothing between one entry and the next but its data descriptor: an entry hidden
	 * there (absent from the central directory) is what a streaming reader would read
	 * instead of the signed one. */
	for (size_t i = 0; i < rz->n; i++) {
		raw_entry *e = &rz->e[i];
		uint64_t next = i + 1 < rz->n ? rz->e[i + 1].lho : cd_offset;
		if (!descriptor_fills(fd, e, e->data_end, next)) {
			rc = accord_entry_err(err, ACCORD_ERR_FORMAT, path, e->name, e->nlen,
					      "%llu unexplained bytes after the entry's data (a hidden entry?)",
					      (unsigned long long)(next - e->data_end));
			goto out;
		}
	}
out:
	free(tail);
	free(cd);
	if (rc != ACCORD_OK)
		accord_zip_free(rz);
	return rc;
}

