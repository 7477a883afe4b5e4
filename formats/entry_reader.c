/* formats/entry_reader.c — random access to the data files of an open container: each
 * entry read at its local-header offset (zlib for deflate), checked against the first pass. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gcrypt.h>
#include <zlib.h>
#include "formats/container_read.h"

#define CHUNK 65536

struct accord_entry_reader {
	const accord_container *c;
	int fd;
	uint64_t size;          /* of the file when opened */
	unsigned char *in, *out;
	gcry_md_hd_t md;
};

/* len bytes at off, all of them, inside the file as it was opened. */
static int read_at(accord_entry_reader *r, void *buf, size_t len, uint64_t off)
{
	uint64_t end;

	if (accord_add_u64(off, len, &end) < 0 || end > r->size)
		return -1;
	return accord_zip_pread(r->fd, buf, len, off);
}

int accord_entry_reader_open(const accord_container *c, accord_entry_reader **out,
			     accord_error *err)
{
	accord_entry_reader *r = calloc(1, sizeof *r);
	int rc;

	*out = NULL;
	if (!r)
		return accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
	r->c = c;
	r->fd = -1;
	if ((rc = accord_file_open_regular(c->path, &r->fd, &r->size, err)) != ACCORD_OK) {
		accord_entry_reader_close(r);
		return rc;
	}
	r->in = malloc(CHUNK);
	r->out = malloc(CHUNK);
	if (!r->in || !r->out || gcry_md_open(&r->md, GCRY_MD_SHA256, 0) != 0) {
		accord_entry_reader_close(r);
		return accord_err(err, ACCORD_ERR_CRYPTO, c->path, "cannot set up reading");
	}
	*out = r;
	return ACCORD_OK;
}

void accord_entry_reader_close(accord_entry_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	gcry_md_close(r->md);
	free(r->in);
	free(r->out);
	free(r);
}

static int changed(accord_entry_reader *r, const accord_entry *e, const char *why,
		   accord_error *err)
{
	char where[1200];

	snprintf(where, sizeof where, "%s: %s", r->c->path, e->name);
	return accord_err(err, ACCORD_ERR_FORMAT, where, "entry changed since it was checked (%s)",
			  why);
}

int accord_entry_reader_read(accord_entry_reader *r, const accord_entry *e,
			     int (*data)(void *ud, const unsigned char *buf, size_t len), void *ud,
			     accord_error *err)
{
	unsigned char lh[30];
	size_t nlen = strlen(e->name);
	uint64_t off, end, left = e->csize, got = 0;
	z_stream z;
	int zr = Z_OK, rc = ACCORD_OK, inflating = 0;

	/* The local header the first pass matched to its central header. */
	if (read_at(r, lh, sizeof lh, e->lho) < 0 || le32(lh) != 0x04034b50 ||
	    le16(lh + 26) != nlen || le16(lh + 8) != e->method)
		return changed(r, e, "local header", err);
	if (nlen > CHUNK || read_at(r, r->in, nlen, e->lho + 30) < 0 ||
	    memcmp(r->in, e->name, nlen) != 0)
		return changed(r, e, "name", err);
	if (accord_add_u64(e->lho + 30 + nlen, le16(lh + 28), &off) < 0 ||
	    accord_add_u64(off, e->csize, &end) < 0 || end > r->size)
		return changed(r, e, "offsets", err);
	gcry_md_reset(r->md);
	if (e->method == 8) {
		memset(&z, 0, sizeof z);
		if (inflateInit2(&z, -15) != Z_OK)
			return accord_err(err, ACCORD_ERR_NOMEM, r->c->path, "cannot inflate");
		inflating = 1;
	}
	while (left > 0 || (inflating && zr != Z_STREAM_END)) {
		size_t n = left < CHUNK ? (size_t)left : CHUNK;
		if (n == 0 || read_at(r, r->in, n, off) < 0) {
			rc = changed(r, e, "data cut short", err);
			goto out;
		}
		off += n;
		left -= n;
		if (!inflating) {
			got += n;
			if (got > e->doc.size) {
				rc = changed(r, e, "size", err);
				goto out;
			}
			gcry_md_write(r->md, r->in, n);
			if (data(ud, r->in, n) < 0) {
				rc = accord_err(err, ACCORD_ERR_IO, r->c->path,
						"stream consumer failed on '%s'", e->name);
				goto out;
			}
			continue;
		}
		z.next_in = r->in;
		z.avail_in = (uInt)n;
		do {
			z.next_out = r->out;
			z.avail_out = CHUNK;
			zr = inflate(&z, Z_NO_FLUSH);
			if ((zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) ||
			    (zr == Z_BUF_ERROR && z.avail_in && z.avail_out)) {
				rc = changed(r, e, "corrupt deflate data", err);
				goto out;
			}
			size_t produced = CHUNK - z.avail_out;
			got += produced;
			if (got > e->doc.size) {
				rc = changed(r, e, "size", err);
				goto out;
			}
			if (produced) {
				gcry_md_write(r->md, r->out, produced);
				if (data(ud, r->out, produced) < 0) {
					rc = accord_err(err, ACCORD_ERR_IO, r->c->path,
							"stream consumer failed on '%s'", e->name);
					goto out;
				}
			}
		} while (zr != Z_STREAM_END && (z.avail_in > 0 || z.avail_out == 0));
		if (zr == Z_STREAM_END && (z.avail_in > 0 || left > 0))
			break; /* bytes after the end of the stream: checked below */
	}
	if (inflating && zr != Z_STREAM_END) {
		rc = changed(r, e, "deflate stream does not end", err);
		goto out;
	}
	if (got != e->doc.size ||
	    memcmp(gcry_md_read(r->md, GCRY_MD_SHA256), e->doc.sha256, 32) != 0)
		rc = changed(r, e, "size or SHA-256 differs from the first reading", err);
out:
	if (inflating)
		inflateEnd(&z);
	return rc;
}
