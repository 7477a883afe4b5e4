/* formats/container_update.c — adding and replacing META-INF entries of an existing
 * container without re-reading it through libzip (issue #12): the bytes before the first
 * entry that changes are copied in the kernel (copy_file_range), on a second thread that
 * a writer starts as soon as it holds the lock, while its own thread hashes the documents;
 * then the entries after it, the new entries, a new central directory and end record are
 * written behind them. Still a temporary file next to the package, fsync'ed and renamed
 * into place: a kill leaves the package as it was or complete. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "formats/container_read.h"

#define COPY_CHUNK (16u * 1024 * 1024)  /* per copy_file_range call */
#define PLAIN_CHUNK (1024u * 1024)       /* the buffer when the kernel cannot copy */

/* Copy len bytes from in at off_in to out at off_out: copy_file_range, else through a
 * buffer (another file system, an old kernel). 0 or -1 (errno set); stops early, with
 * -1 and ECANCELED, when *cancel becomes set. */
static int copy_range(int in, uint64_t off_in, int out, uint64_t off_out, uint64_t len,
		      const volatile int *cancel)
{
	loff_t oi = (loff_t)off_in, oo = (loff_t)off_out;
	unsigned char *buf = NULL;
	int plain = 0;

	while (len > 0) {
		size_t want = len < COPY_CHUNK ? (size_t)len : COPY_CHUNK;
		ssize_t r;
		if (cancel && *cancel) {
			free(buf);
			errno = ECANCELED;
			return -1;
		}
		if (!plain) {
			r = copy_file_range(in, &oi, out, &oo, want, 0);
			if (r < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				      errno == EOPNOTSUPP)) {
				plain = 1;
				continue;
			}
		} else {
			if (!buf && !(buf = malloc(PLAIN_CHUNK)))
				return -1;
			if (want > PLAIN_CHUNK)
				want = PLAIN_CHUNK;
			r = pread(in, buf, want, oi);
			if (r > 0) {
				ssize_t w = 0;
				while (w < r) {
					ssize_t k = pwrite(out, buf + w, (size_t)(r - w), oo + w);
					if (k < 0 && errno == EINTR)
						continue;
					if (k <= 0) {
						free(buf);
						return -1;
					}
					w += k;
				}
				oi += r;
				oo += r;
			}
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO; /* the file is shorter than it was */
			free(buf);
			return -1;
		}
		len -= (uint64_t)r;
	}
	free(buf);
	return 0;
}

/* ------------------------------------------------------------------ the head start */

static struct {
	int active;
	pthread_t thread;
	char *path;
	int src, tmp;                 /* the package as locked, and the temporary file */
	char tmp_name[1100];
	struct stat st;               /* of src when the copy started */
	volatile int cancel;
	int failed;                   /* the copy did not complete */
} head;

static void *head_copy(void *unused)
{
	(void)unused;
	if (copy_range(head.src, 0, head.tmp, 0, (uint64_t)head.st.st_size, &head.cancel) < 0 ||
	    fdatasync(head.tmp) < 0) /* written back while the documents are hashed */
		head.failed = 1;
	return NULL;
}

void accord_container_write_prepare(const char *path)
{
	accord_container_write_abandon();
	memset(&head, 0, sizeof head);
	head.src = head.tmp = -1;
	head.path = strdup(path);
	if (!head.path)
		return;
	head.src = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (head.src < 0 || fstat(head.src, &head.st) < 0 || !S_ISREG(head.st.st_mode))
		goto fail;
	/* A temporary of this package left by a killed run is stale (the lock is held). */
	accord_tmp_cleanup_stale(path);
	if (accord_tmp_template(path, head.tmp_name, sizeof head.tmp_name) < 0)
		goto fail;
	head.tmp = mkostemp(head.tmp_name, O_CLOEXEC);
	if (head.tmp < 0) {
		head.tmp_name[0] = '\0';
		goto fail;
	}
	if (pthread_create(&head.thread, NULL, head_copy, NULL) != 0)
		goto fail;
	head.active = 1;
	return;
fail:
	head.active = 1;
	head.failed = 1;
	head.thread = pthread_self();
	accord_container_write_abandon();
}

/* Wait for the copy; then the thread is gone and head.failed is final. */
static void head_join(void)
{
	if (head.active && !pthread_equal(head.thread, pthread_self())) {
		pthread_join(head.thread, NULL);
		head.thread = pthread_self();
	}
}

void accord_container_write_abandon(void)
{
	if (!head.active)
		return;
	head.cancel = 1;
	head_join();
	if (head.tmp >= 0)
		close(head.tmp);
	if (head.tmp_name[0])
		unlink(head.tmp_name);
	if (head.src >= 0)
		close(head.src);
	free(head.path);
	memset(&head, 0, sizeof head);
	head.src = head.tmp = -1;
}

/* The head start's temporary file, if it copied exactly the file now at path (the same
 * inode, size and time: the lock kept other writers out): its descriptor and name move
 * to the caller. -1 otherwise. */
static int head_take(const char *path, const struct stat *now, char *tmp, size_t n)
{
	int fd;

	if (!head.active || strcmp(head.path, path) != 0)
		return -1;
	head_join();
	if (head.failed || head.st.st_dev != now->st_dev || head.st.st_ino != now->st_ino ||
	    head.st.st_size != now->st_size || head.st.st_mtim.tv_sec != now->st_mtim.tv_sec ||
	    head.st.st_mtim.tv_nsec != now->st_mtim.tv_nsec || strlen(head.tmp_name) >= n)
		return -1;
	fd = head.tmp;
	snprintf(tmp, n, "%s", head.tmp_name);
	head.tmp = -1;
	head.tmp_name[0] = '\0';
	accord_container_write_abandon();
	return fd;
}

/* ------------------------------------------------------------------ the tail */

typedef struct outbuf {
	unsigned char *p;
	size_t len, cap;
	int bad;
} outbuf;

static void put(outbuf *b, const void *data, size_t len)
{
	if (b->bad)
		return;
	if (b->len + len > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 4096) + len;
		unsigned char *p = realloc(b->p, cap);
		if (!p) {
			b->bad = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void put16(outbuf *b, uint32_t v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	put(b, x, 2);
}

static void put32(outbuf *b, uint32_t v)
{
	put16(b, v & 0xFFFF);
	put16(b, v >> 16);
}

static void put64(outbuf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

static void set32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

/* One new entry, deflated (level 9, as libzip wrote them): where its local header went
 * and what its central record repeats. */
typedef struct new_rec {
	const char *name;
	uint32_t crc;
	uint64_t csize, usize, lho;
} new_rec;

static int deflate_raw(const unsigned char *in, size_t len, unsigned char **out, size_t *olen)
{
	z_stream z;
	uLong cap = compressBound((uLong)len) + 64;
	int zr;

	memset(&z, 0, sizeof z);
	*out = malloc(cap);
	if (!*out || deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(*out);
		*out = NULL;
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	zr = deflate(&z, Z_FINISH);
	*olen = z.total_out;
	deflateEnd(&z);
	if (zr != Z_STREAM_END) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static void dos_time(uint16_t *t, uint16_t *d)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (tm.tm_year < 80)
		tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	*t = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*d = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* What local and central headers share, from "version needed" to the extra length:
 * UTF-8 name (flag 11), deflate, time, CRC, sizes. */
static void put_fields(outbuf *b, uint32_t need, const new_rec *r, uint16_t t, uint16_t d,
		       uint32_t xlen)
{
	put16(b, need);
	put16(b, 0x0800);
	put16(b, 8);
	put16(b, t);
	put16(b, d);
	put32(b, r->crc);
	put32(b, (uint32_t)r->csize);
	put32(b, (uint32_t)r->usize);
	put16(b, (uint32_t)strlen(r->name));
	put16(b, xlen);
}

/* The local header and data of e at b's end (the file offset base + b->len). */
static int put_local(outbuf *b, uint64_t base, const accord_new_entry *e, new_rec *r,
		     uint16_t t, uint16_t d)
{
	unsigned char *z = NULL;
	size_t zlen = 0, nlen = strlen(e->name);

	if (e->len > 0xFFFFFFFEu || nlen > 0xFFFF || deflate_raw(e->data, e->len, &z, &zlen) < 0 ||
	    zlen > 0xFFFFFFFEu) {
		free(z);
		return -1;
	}
	r->name = e->name;
	r->crc = (uint32_t)crc32(crc32(0, Z_NULL, 0), e->data, (uInt)e->len);
	r->csize = zlen;
	r->usize = e->len;
	r->lho = base + b->len;
	put32(b, 0x04034b50);
	put_fields(b, 20, r, t, d, 0);
	put(b, e->name, nlen);
	put(b, z, zlen);
	free(z);
	return 0;
}

static void put_central(outbuf *b, const new_rec *r, uint16_t t, uint16_t d)
{
	size_t nlen = strlen(r->name);
	int z64 = r->lho >= 0xFFFFFFFFu;

	put32(b, 0x02014b50);
	put16(b, (3u << 8) | (z64 ? 45 : 20)); /* made by Unix: the mode below is read */
	put_fields(b, z64 ? 45 : 20, r, t, d, z64 ? 12 : 0);
	put16(b, 0); /* comment */
	put16(b, 0); /* disk */
	put16(b, 0); /* internal attributes */
	put32(b, (uint32_t)(S_IFREG | 0644) << 16);
	put32(b, z64 ? 0xFFFFFFFFu : (uint32_t)r->lho);
	put(b, r->name, nlen);
	if (z64) {
		put16(b, 0x0001);
		put16(b, 8);
		put64(b, r->lho);
	}
}

/* The end records: ZIP64 ones when a field does not fit, then the classic one. */
static void put_end(outbuf *b, uint64_t base, uint64_t count, uint64_t cd_at, uint64_t cd_len)
{
	if (count >= 0xFFFF || cd_at >= 0xFFFFFFFFu || cd_len >= 0xFFFFFFFFu) {
		uint64_t z_at = base + b->len;
		put32(b, 0x06064b50);
		put64(b, 44);
		put16(b, (3u << 8) | 45);
		put16(b, 45);
		put32(b, 0);
		put32(b, 0);
		put64(b, count);
		put64(b, count);
		put64(b, cd_len);
		put64(b, cd_at);
		put32(b, 0x07064b50);
		put32(b, 0);
		put64(b, z_at);
		put32(b, 1);
		count = 0xFFFF;
		cd_at = cd_len = 0xFFFFFFFFu;
	}
	put32(b, 0x06054b50);
	put16(b, 0);
	put16(b, 0);
	put16(b, (uint32_t)count);
	put16(b, (uint32_t)count);
	put32(b, (uint32_t)cd_len);
	put32(b, (uint32_t)cd_at);
	put16(b, 0); /* no comment */
}

static int write_all(int fd, const unsigned char *p, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t w = pwrite(fd, p, len, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w, len -= (size_t)w, off += (uint64_t)w;
	}
	return 0;
}

/* Limits for re-reading the package being written: it was checked with the verb's
 * limits when opened; here only its structure matters. */
static void no_limits(accord_limits *l)
{
	accord_limits_default(l);
	l->max_entries = l->max_entry_size = l->max_total_size = l->max_ratio = UINT64_MAX;
}

int accord_container_rewrite_fast(const char *path, const accord_new_entry *entries, size_t n,
				  char *const *folds, int replace, accord_error *err)
{
	raw_zip rz;
	accord_limits lim;
	struct stat st;
	outbuf tail = {0};
	unsigned char *cd = NULL, *used = NULL;
	int *hit = NULL, src = -1, out = -1, rc = ACCORD_OK;
	uint64_t cut, at, *new_lho = NULL;
	new_rec *recs = NULL;
	size_t n_recs = 0, kept = 0;
	char tmp[1100] = "";
	uint16_t t, d;

	memset(&rz, 0, sizeof rz);
	no_limits(&lim);
	if ((rc = accord_file_open_regular(path, &src, NULL, err)) != ACCORD_OK)
		return rc;
	if (fstat(src, &st) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "cannot open: %s", strerror(errno));
		goto out;
	}
	if ((rc = accord_zip_check(src, (uint64_t)st.st_size, path, &lim, 0, NULL, &rz, err)))
		goto out;
	hit = malloc((rz.n ? rz.n : 1) * sizeof *hit);
	used = calloc(n ? n : 1, 1);
	new_lho = calloc(rz.n ? rz.n : 1, sizeof *new_lho);
	recs = calloc(n ? n : 1, sizeof *recs);
	cd = malloc(rz.cd_size ? (size_t)rz.cd_size : 1);
	if (!hit || !used || !new_lho || !recs || !cd) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	if (accord_zip_pread(src, cd, (size_t)rz.cd_size, rz.cd_offset) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "read failed");
		goto out;
	}
	/* Which entries the new ones replace, and where the first of them starts: the bytes
	 * before it stay as they are. */
	cut = rz.cd_offset;
	for (size_t i = 0; i < rz.n; i++) {
		const raw_entry *e = &rz.e[i];
		hit[i] = -1;
		for (size_t k = 0; k < n && hit[i] < 0; k++)
			if (!strcmp(e->fold, folds[k]))
				hit[i] = (int)k;
		if (hit[i] < 0)
			continue;
		if (!replace || strcmp(e->name, entries[hit[i]].name) != 0) {
			rc = accord_err(err, ACCORD_ERR_EXISTS, path, "entry '%s' already exists",
					entries[hit[i]].name);
			goto out;
		}
		used[hit[i]] = 1;
		if (e->lho < cut)
			cut = e->lho;
	}
	for (size_t k = 0; k < n; k++)
		if (!used[k] && !entries[k].data) {
			rc = accord_err(err, ACCORD_ERR_NOTFOUND, path, "no entry '%s' to remove",
					entries[k].name);
			goto out;
		}
	/* An entry that moves keeps its central record with a new offset: one kept in a
	 * ZIP64 field, or one that would need it, goes the general way. */
	at = cut;
	for (size_t i = 0; i < rz.n; i++) {
		const raw_entry *e = &rz.e[i];
		uint64_t end = i + 1 < rz.n ? rz.e[i + 1].lho : rz.cd_offset;
		if (hit[i] >= 0 || e->lho < cut)
			continue;
		if (le32(cd + e->cd_pos + 42) == 0xFFFFFFFFu || at >= 0xFFFFFFFFu) {
			rc = ACCORD_REWRITE_GENERAL;
			goto out;
		}
		new_lho[i] = at;
		at += end - e->lho;
	}

	out = head_take(path, &st, tmp, sizeof tmp);
	if (out < 0) {
		accord_tmp_cleanup_stale(path);
		if (accord_tmp_template(path, tmp, sizeof tmp) < 0) {
			tmp[0] = '\0';
			rc = accord_err(err, ACCORD_ERR_USAGE, path, "path too long");
			goto out;
		}
		out = mkostemp(tmp, O_CLOEXEC);
		if (out < 0) {
			tmp[0] = '\0';
			rc = accord_err(err, ACCORD_ERR_IO, path, "cannot create a temporary file: %s",
					strerror(errno));
			goto out;
		}
		if (copy_range(src, 0, out, 0, cut, NULL) < 0)
			goto io;
	}
	/* What the head start copied past the cut goes (ftruncate is also a no-op check). */
	if (ftruncate(out, (off_t)cut) < 0)
		goto io;
	for (size_t i = 0; i < rz.n; i++) {
		const raw_entry *e = &rz.e[i];
		uint64_t end = i + 1 < rz.n ? rz.e[i + 1].lho : rz.cd_offset;
		if (hit[i] < 0 && e->lho >= cut &&
		    copy_range(src, e->lho, out, new_lho[i], end - e->lho, NULL) < 0)
			goto io;
	}
	dos_time(&t, &d);
	for (size_t k = 0; k < n; k++) {
		if (!entries[k].data)
			continue;
		if (put_local(&tail, at, &entries[k], &recs[n_recs], t, d) < 0) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "cannot compress '%s'",
					entries[k].name);
			goto out;
		}
		n_recs++;
	}
	{
		uint64_t cd_at = at + tail.len, cd_len;
		for (size_t i = 0; i < rz.n; i++) {
			const raw_entry *e = &rz.e[i];
			size_t len = 46 + e->nlen + e->cxlen + le16(cd + e->cd_pos + 32);
			if (hit[i] >= 0)
				continue;
			if (e->lho >= cut)
				set32(cd + e->cd_pos + 42, (uint32_t)new_lho[i]);
			put(&tail, cd + e->cd_pos, len);
			kept++;
		}
		for (size_t k = 0; k < n_recs; k++)
			put_central(&tail, &recs[k], t, d);
		cd_len = at + tail.len - cd_at;
		put_end(&tail, at, kept + n_recs, cd_at, cd_len);
	}
	if (tail.bad) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	if (write_all(out, tail.p, tail.len, at) < 0 || fchmod(out, st.st_mode & 07777) < 0 ||
	    fsync(out) < 0)
		goto io;
	if (close(out) < 0) {
		out = -1;
		goto io;
	}
	out = -1;
	rc = accord_commit_rename(tmp, path, err);
	tmp[0] = '\0';
	goto out;
io:
	rc = accord_err(err, ACCORD_ERR_IO, path, "cannot write the archive: %s", strerror(errno));
out:
	if (out >= 0)
		close(out);
	if (tmp[0])
		unlink(tmp);
	if (src >= 0)
		close(src);
	accord_zip_free(&rz);
	free(tail.p);
	free(cd);
	free(hit);
	free(used);
	free(new_lho);
	free(recs);
	return rc;
}
