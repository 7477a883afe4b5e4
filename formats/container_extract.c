/* formats/container_extract.c — extraction: each checked data file written through a
 * temporary beside its target, never following a symlink, never overwriting unasked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gcrypt.h>
#include "formats/container_read.h"

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

int accord_extract_begin(extract_sink *x, const char *path, const char *name,
			 accord_error *err)
{
	const char *leaf;
	struct stat st;
	unsigned char rnd[8];
	char hex[17];

	x->fd = -1;
	x->parent = open_parent(x->dirfd, name, 1, &leaf);
	if (x->parent < 0)
		return accord_entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
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
		accord_extract_end(x, path, name, 0, NULL);
		return accord_entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
					"cannot create a file in the destination: %s", strerror(e));
	}
	return ACCORD_OK;
exists:
	if (x->parent != x->dirfd)
		close(x->parent);
	return accord_entry_err(err, ACCORD_ERR_EXISTS, path, name, strlen(name),
				"file exists in the destination, not overwritten (use --force)");
nomem:
	if (x->parent != x->dirfd)
		close(x->parent);
	return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
}

int accord_extract_end(extract_sink *x, const char *path, const char *name, int ok,
		       accord_error *err)
{
	int rc = ACCORD_OK;

	if (ok && (fsync(x->fd) < 0 || close(x->fd) < 0)) {
		rc = accord_entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
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
			rc = accord_entry_err(err, e == EEXIST ? ACCORD_ERR_EXISTS : ACCORD_ERR_IO, path,
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

static int container_extract(const char *path, const char *dir, int force,
			     const accord_limits *limits, accord_note_fn on_note, void *ctx,
			     accord_error *err)
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
	rc = accord_container_open_tolerant(path, &lim, &c, err);
	if (rc != ACCORD_OK)
		return rc;
	for (size_t i = 0; on_note && i < c->n_notes; i++)
		on_note(ctx, &c->notes[i]);
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
			rc = accord_entry_err(err, ACCORD_ERR_IO, path, c->entries[i].name,
					      strlen(c->entries[i].name),
					      "its folder in the destination is a symlink or a file (not followed): %s",
					      strerror(errno));
			goto out;
		}
		int exists = fstatat(p, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (p != x.dirfd)
			close(p);
		if (exists) {
			rc = accord_entry_err(err, ACCORD_ERR_EXISTS, dir, c->entries[i].name,
					      strlen(c->entries[i].name),
					      "file exists, not overwritten (use --force)");
			goto out;
		}
	}
	rc = accord_container_pass(path, &lim, c, &x, NULL, err);
out:
	if (x.dirfd >= 0)
		close(x.dirfd);
	accord_container_free(c);
	return rc;
}


int accord_container_extract(const char *path, const char *dir,
			     const accord_extract_options *opt, accord_error *err)
{
	const accord_extract_options none = {0, NULL, NULL, NULL};

	if (!opt)
		opt = &none;
	return container_extract(path, dir, opt->force, opt->limits, opt->on_note, opt->ctx, err);
}
