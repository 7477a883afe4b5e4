/* util/file.c — reading files with a size limit and writing them atomically
 * (temporary file in the same folder, fsync, rename, fsync of the folder). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/internal.h"

int accord_file_open_regular(const char *path, int *fd_out, uint64_t *size,
			     accord_error *err)
{
	struct stat st;
	int fd, fl;

	*fd_out = -1;
	/* O_NONBLOCK: open() of a FIFO without a writer would otherwise wait forever,
	 * before fstat could say what it is. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, path,
				  "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return accord_err(err, ACCORD_ERR_IO, path, "not a regular file");
	}
	if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		return accord_err(err, ACCORD_ERR_IO, path, "cannot open: %s", strerror(e));
	}
	*fd_out = fd;
	if (size)
		*size = (uint64_t)st.st_size;
	return ACCORD_OK;
}

int accord_fd_read(int fd, size_t max, const char *where, unsigned char **out, size_t *len,
		   accord_error *err)
{
	unsigned char *buf = malloc(max + 1);
	size_t have = 0;

	*out = NULL;
	*len = 0;
	if (!buf)
		return accord_err(err, ACCORD_ERR_NOMEM, where, "out of memory");
	for (;;) {
		/* one byte more than max may come in: that is how a file too large shows */
		ssize_t r = read(fd, buf + have, max + 1 - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return accord_err(err, ACCORD_ERR_IO, where, "read failed: %s", strerror(errno));
		}
		if (r == 0)
			break;
		have += (size_t)r;
		if (have > max) {
			free(buf);
			return accord_err(err, ACCORD_ERR_LIMIT, where, "file is larger than %zu bytes",
					  max);
		}
	}
	buf[have] = '\0';
	*out = buf;
	*len = have;
	return ACCORD_OK;
}

int accord_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
		     accord_error *err)
{
	int fd = -1, rc;
	uint64_t size;

	*out = NULL;
	*len = 0;
	if ((rc = accord_file_open_regular(path, &fd, &size, err)) != ACCORD_OK)
		return rc;
	if (size > max)
		rc = accord_err(err, ACCORD_ERR_LIMIT, path, "file is larger than %zu bytes", max);
	else
		rc = accord_fd_read(fd, max, path, out, len, err);
	close(fd);
	return rc;
}

int accord_tmp_template(const char *path, char *buf, size_t n)
{
	char *d = strdup(path), *b = strdup(path);
	int w = -1;

	if (d && b)
		w = snprintf(buf, n, "%s/.%s.accord-tmp-XXXXXX", dirname(d), basename(b));
	free(d);
	free(b);
	return (w < 0 || (size_t)w >= n) ? -1 : 0;
}

void accord_tmp_cleanup_stale(const char *path)
{
	char *d = strdup(path), *b = strdup(path), prefix[600];
	DIR *dir = NULL;
	struct dirent *de;
	const char *dn, *bn;

	if (!d || !b)
		goto out;
	dn = dirname(d);
	bn = basename(b);
	if (snprintf(prefix, sizeof prefix, ".%s.accord-tmp-", bn) >= (int)sizeof prefix)
		goto out;
	dir = opendir(dn);
	if (!dir)
		goto out;
	while ((de = readdir(dir)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			unlinkat(dirfd(dir), de->d_name, 0);
	}
out:
	if (dir)
		closedir(dir);
	free(d);
	free(b);
}

int accord_fsync_path(const char *path, accord_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return accord_err(err, ACCORD_ERR_IO, path, "cannot open to sync: %s", strerror(errno));
	if (fsync(fd) < 0 && errno != EINVAL) {
		int e = errno;
		close(fd);
		return accord_err(err, ACCORD_ERR_IO, path, "fsync failed: %s", strerror(e));
	}
	close(fd);
	return ACCORD_OK;
}

int accord_fsync_dir_of(const char *path, accord_error *err)
{
	char *d = strdup(path);
	int rc;

	if (!d)
		return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
	rc = accord_fsync_path(dirname(d), err);
	free(d);
	return rc;
}

int accord_commit_rename(const char *tmp, const char *path, accord_error *err)
{
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return accord_err(err, ACCORD_ERR_IO, path, "cannot rename into place: %s",
				  strerror(e));
	}
	return accord_fsync_dir_of(path, err);
}

int accord_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			     int exclusive, accord_error *err)
{
	char tmp[1024];
	int fd, rc = ACCORD_OK;
	size_t done = 0;

	if (exclusive && access(path, F_OK) == 0)
		return accord_err(err, ACCORD_ERR_EXISTS, path, "file exists, not overwritten");
	/* A temporary of this path left by a killed run is stale: remove it first. */
	accord_tmp_cleanup_stale(path);
	if (accord_tmp_template(path, tmp, sizeof tmp) < 0)
		return accord_err(err, ACCORD_ERR_USAGE, path, "path too long");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return accord_err(err, ACCORD_ERR_IO, path, "cannot create temporary file: %s",
				  strerror(errno));
	if (fchmod(fd, mode) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "chmod failed: %s", strerror(errno));
		goto fail;
	}
	while (done < len) {
		ssize_t w = write(fd, (const char *)data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "write failed: %s",
					strerror(errno));
			goto fail;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "fsync failed: %s", strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = accord_err(err, ACCORD_ERR_IO, path, "close failed: %s", strerror(errno));
		goto fail;
	}
	fd = -1;
	if (exclusive) {
		/* link() fails if path appeared meanwhile: no silent overwrite. */
		if (link(tmp, path) < 0) {
			rc = accord_err(err, errno == EEXIST ? ACCORD_ERR_EXISTS : ACCORD_ERR_IO,
					path, "cannot create: %s", strerror(errno));
			goto fail;
		}
		unlink(tmp);
		return accord_fsync_dir_of(path, err);
	}
	return accord_commit_rename(tmp, path, err);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}

static int lock_file(const char *path, int *fd_out, accord_error *err);

int accord_package_lock(const char *given, int *fd_out, char **real_out, accord_error *err)
{
	char *path = NULL;
	int rc;

	/* A package reached through a symlink is written where the link points (the atomic
	 * replace happens beside the target): replacing the link itself would leave the
	 * shared package untouched while reporting success. */
	*real_out = NULL;
	rc = accord_resolve_symlink(given, &path, err);
	if (rc)
		return rc;
	rc = lock_file(path, fd_out, err);
	if (rc)
		free(path);
	else
		*real_out = path;
	return rc;
}

int accord_resolve_symlink(const char *given, char **out, accord_error *err)
{
	struct stat st;

	*out = NULL;
	if (lstat(given, &st) == 0 && S_ISLNK(st.st_mode)) {
		*out = realpath(given, NULL);
		if (!*out)
			return accord_err(err, ACCORD_ERR_IO, given, "cannot resolve the symlink: %s",
					  strerror(errno));
		return ACCORD_OK;
	}
	*out = strdup(given);
	return *out ? ACCORD_OK : accord_err(err, ACCORD_ERR_NOMEM, given, "out of memory");
}

static int lock_file(const char *path, int *fd_out, accord_error *err)
{
	/* flock the file itself; if it was replaced (renamed over) while we waited, the lock
	 * is on the old inode: take it again on the new one. */
	for (int tries = 0; tries < 100; tries++) {
		struct stat a, b;
		int fd, rc = accord_file_open_regular(path, &fd, NULL, err);
		if (rc != ACCORD_OK)
			return rc;
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				int e = errno;
				close(fd);
				return accord_err(err, ACCORD_ERR_IO, path, "cannot lock: %s", strerror(e));
			}
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			*fd_out = fd;
			return ACCORD_OK;
		}
		close(fd);
	}
	return accord_err(err, ACCORD_ERR_IO, path, "cannot lock: the file keeps changing");
}

void accord_package_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}
