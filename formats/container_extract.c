/* formats/container_extract.c — extraction: each checked data file written through a
 * temporary beside its target, never following a symlink, never overwriting unasked. */
#define _GNU_SOURCE
#include <dirent.h>
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

/* Remove the staging folder name under parent and what it holds (only what extraction
 * wrote there: files and folders, nothing followed). An entry name of NAME_MAX_BYTES
 * holds at most NAME_MAX_BYTES / 2 folders: the depth bound is above it, or a refused
 * package with a deeper name would leave the staging folder behind. */
static void remove_tree(int parent, const char *name, int depth)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *de;

	if (fd >= 0 && depth <= NAME_MAX_BYTES / 2 + 1 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (unlinkat(dirfd(d), de->d_name, 0) < 0 && (errno == EISDIR || errno == EPERM))
				remove_tree(dirfd(d), de->d_name, depth + 1);
		}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(parent, name, AT_REMOVEDIR);
}

/* Move one extracted file from the staging folder to its place in the destination. */
static int move_into_place(int stage, int dest, int force, const char *path, const char *name,
			   accord_error *err)
{
	const char *from_leaf, *to_leaf;
	int from = open_parent(stage, name, 0, &from_leaf), to, r, e;

	if (from < 0)
		return accord_entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
					"extracted file lost: %s", strerror(errno));
	to = open_parent(dest, name, 1, &to_leaf);
	if (to < 0) {
		e = errno;
		if (from != stage)
			close(from);
		return accord_entry_err(err, ACCORD_ERR_IO, path, name, strlen(name),
					"cannot create its folder in the destination (an existing symlink or file is not followed): %s",
					strerror(e));
	}
	/* linkat refuses an existing target; renameat replaces it (a symlink there is
	 * replaced, not followed). */
	r = force ? renameat(from, from_leaf, to, to_leaf) : linkat(from, from_leaf, to, to_leaf, 0);
	e = errno;
	if (r == 0) {
		if (!force)
			unlinkat(from, from_leaf, 0);
		fsync(to);
	}
	if (from != stage)
		close(from);
	if (to != dest)
		close(to);
	if (r < 0)
		return accord_entry_err(err, e == EEXIST ? ACCORD_ERR_EXISTS : ACCORD_ERR_IO, path,
					name, strlen(name),
					e == EEXIST ? "file exists in the destination, not overwritten (use --force)"
						    : "cannot put the extracted file in place: %s",
					strerror(e));
	return ACCORD_OK;
}

/* One pass (issue #12): every document is inflated, checked (limits, sizes, CRC, the
 * container's rules) and written once, into a staging folder inside DIR; only when the
 * whole package has been read without fault are the files moved into place. A refused
 * package leaves nothing behind (and DIR only if it existed). */
static int container_extract(const char *path, const char *dir, int force,
			     const accord_limits *limits, accord_note_fn on_note, void *ctx,
			     accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	extract_sink x;
	unsigned char rnd[8];
	char hex[17], stage_name[64] = "";
	int rc, made_dir = 0, dest = -1;

	memset(&x, 0, sizeof x);
	x.dirfd = x.fd = x.parent = -1;
	if (limits)
		lim = *limits;
	else
		accord_limits_default(&lim);
	c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	}
	c->tolerant = 1;
	if (mkdir(dir, 0755) == 0)
		made_dir = 1;
	else if (errno != EEXIST) {
		rc = accord_err(err, ACCORD_ERR_IO, dir, "cannot create folder: %s", strerror(errno));
		goto out;
	}
	dest = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dest < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, dir, "cannot open folder: %s", strerror(errno));
		goto out;
	}
	gcry_create_nonce(rnd, sizeof rnd);
	accord_hex(rnd, sizeof rnd, hex);
	snprintf(stage_name, sizeof stage_name, ".accord-extract-%s", hex);
	if (mkdirat(dest, stage_name, 0700) < 0 ||
	    (x.dirfd = openat(dest, stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, dir, "cannot create a folder in it: %s",
				strerror(errno));
		goto out;
	}
	x.force = 1; /* inside the fresh staging folder */
	x.one_pass = 1;
	rc = accord_container_pass(path, &lim, c, &x, NULL, err);
	if (rc != ACCORD_OK)
		goto out;
	for (size_t i = 0; on_note && i < c->n_notes; i++)
		on_note(ctx, &c->notes[i]);
	/* Refuse before moving anything when a target exists (with --force, when its
	 * folder is a symlink or a file, or the target is a folder: neither can be replaced,
	 * and the files moved before it would stay). */
	for (size_t i = 0; i < c->n_entries; i++) {
		const char *leaf;
		struct stat st;
		int p = open_parent(dest, c->entries[i].name, 0, &leaf);
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
		if (p != dest)
			close(p);
		if (exists && force && S_ISDIR(st.st_mode)) {
			rc = accord_entry_err(err, ACCORD_ERR_EXISTS, dir, c->entries[i].name,
					      strlen(c->entries[i].name),
					      "a folder of that name exists, not replaced");
			goto out;
		}
		if (exists && !force) {
			rc = accord_entry_err(err, ACCORD_ERR_EXISTS, dir, c->entries[i].name,
					      strlen(c->entries[i].name),
					      "file exists, not overwritten (use --force)");
			goto out;
		}
	}
	for (size_t i = 0; rc == ACCORD_OK && i < c->n_entries; i++)
		rc = move_into_place(x.dirfd, dest, force, path, c->entries[i].name, err);
out:
	if (x.dirfd >= 0)
		close(x.dirfd);
	if (stage_name[0])
		remove_tree(dest, stage_name, 0);
	if (dest >= 0)
		close(dest);
	if (rc != ACCORD_OK && made_dir)
		rmdir(dir); /* only if still empty */
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
