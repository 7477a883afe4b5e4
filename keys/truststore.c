/* keys/truststore.c — the trust store (one PEM file per trusted certificate, named by
 * its SHA-256 fingerprint) and loading trust anchors for verification. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "keys/keys.h"

#define STORE_MAX_FILES 10000
/* One certificate in PEM: a few KiB; far more is not something `keys trust` wrote. */
#define STORE_FILE_MAX (256u * 1024)

int accord_truststore_locate(const char *given, char *buf, size_t n, int *optional,
			     accord_error *err)
{
	const char *env = getenv("ACCORD_TRUST_DIR"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int w, named = 1;

	if (given)
		w = snprintf(buf, n, "%s", given);
	else if (env && *env)
		w = snprintf(buf, n, "%s", env);
	else if (xdg && *xdg)
		w = snprintf(buf, n, "%s/accord/trust", xdg), named = 0;
	else if (home && *home)
		w = snprintf(buf, n, "%s/.config/accord/trust", home), named = 0;
	else
		return accord_err(err, ACCORD_ERR_USAGE, "trust store",
				  "no folder: set ACCORD_TRUST_DIR, XDG_CONFIG_HOME or HOME");
	if (w < 0 || (size_t)w >= n)
		return accord_err(err, ACCORD_ERR_USAGE, "trust store", "folder name too long");
	if (optional)
		*optional = !named;
	return ACCORD_OK;
}

int accord_truststore_default_dir(char *buf, size_t n, accord_error *err)
{
	return accord_truststore_locate(NULL, buf, n, NULL, err);
}

/* A folder or file of the store must be the user's own and writable by nobody else:
 * whoever can write there decides what accord trusts. */
static int check_private(const char *path, const char *what, const struct stat *st,
			 const char *mode_fix, accord_error *err)
{
	uid_t me = geteuid();

	if (st->st_uid != me)
		return accord_err(err, ACCORD_ERR_PERM, path,
				  "%s is owned by uid %u, not by the user running accord (uid %u): "
				  "refused; run chown %u on it, or use a store of your own",
				  what, (unsigned)st->st_uid, (unsigned)me, (unsigned)me);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return accord_err(err, ACCORD_ERR_PERM, path,
				  "%s is writable by group or others (mode %04o): refused, anyone "
				  "could plant a trust anchor; run chmod %s on it",
				  what, (unsigned)(st->st_mode & 07777), mode_fix);
	return ACCORD_OK;
}

/* Open the store folder after the checks every reader shares. *dfd is -1 when it does not
 * exist and may not (optional). */
static int store_open(const char *dir, int optional, int *dfd, accord_error *err)
{
	struct stat st;
	int fd, rc;

	*dfd = -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && optional)
			return ACCORD_OK;
		if (errno == ENOENT)
			return accord_err(err, ACCORD_ERR_NOTFOUND, dir,
					  "the trust store folder does not exist (check --store or "
					  "ACCORD_TRUST_DIR; `accord keys trust` creates it)");
		return accord_err(err, ACCORD_ERR_IO, dir, "cannot open the trust store folder: %s",
				  strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, dir, "cannot open the trust store folder: %s",
				strerror(errno));
		close(fd);
		return rc;
	}
	rc = check_private(dir, "the trust store folder", &st, "700", err);
	if (rc != ACCORD_OK) {
		close(fd);
		return rc;
	}
	*dfd = fd;
	return ACCORD_OK;
}

/* mkdir -p with private folders for the ones we create. */
static int make_dirs(const char *dir, accord_error *err)
{
	char path[4096];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof path)
		return accord_err(err, ACCORD_ERR_USAGE, dir, "bad folder name");
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return accord_err(err, ACCORD_ERR_IO, path, "cannot create folder: %s",
					  strerror(errno));
		path[i] = c;
	}
	return ACCORD_OK;
}

/* A fingerprint as people copy it (hex, with or without colons or spaces, any case)
 * into lower-case hex; *len digits. */
static int fingerprint_parse(const char *fp, char want[65], size_t *len, accord_error *err)
{
	size_t n = 0;

	for (const char *p = fp; *p; p++) {
		if (*p == ':' || *p == ' ')
			continue;
		if (!isxdigit((unsigned char)*p) || n >= 64)
			return accord_err(err, ACCORD_ERR_USAGE, fp,
					  "not a SHA-256 fingerprint (hex digits, colons allowed)");
		want[n++] = (char)tolower((unsigned char)*p);
	}
	want[n] = '\0';
	*len = n;
	return ACCORD_OK;
}

int accord_truststore_add(const char *dir, const char *cert_path,
			  const accord_truststore_add_options *opt, accord_cert_info *added,
			  accord_error *err)
{
	static const accord_truststore_add_options defaults;
	const char *fingerprint = (opt ? opt : &defaults)->fingerprint;
	int leaf = (opt ? opt : &defaults)->leaf;
	gnutls_x509_crt_t *list = NULL;
	gnutls_datum_t pem = {NULL, 0};
	accord_cert_info info;
	char target[4096], want[65];
	size_t n = 0, want_len = 0;
	int rc, dfd = -1;

	if (fingerprint) {
		rc = fingerprint_parse(fingerprint, want, &want_len, err);
		if (rc == ACCORD_OK && want_len != 64)
			rc = accord_err(err, ACCORD_ERR_USAGE, fingerprint,
					"give the whole SHA-256 fingerprint (64 hex digits)");
		if (rc != ACCORD_OK)
			return rc;
	}
	rc = accord_crt_list_load(cert_path, &list, &n, err);
	if (rc != ACCORD_OK)
		return rc;
	if (n != 1) {
		rc = accord_err(err, ACCORD_ERR_USAGE, cert_path,
				"file holds %zu certificates: trust them one file at a time", n);
		goto out;
	}
	rc = accord_crt_describe(list[0], &info, err);
	if (rc != ACCORD_OK)
		goto out;
	if (fingerprint && strcmp(want, info.sha256_hex) != 0) {
		rc = accord_err(err, ACCORD_ERR_PERM, cert_path,
				"its SHA-256 fingerprint is %s, not the one given: not trusted "
				"(is it the certificate you meant?)", info.sha256);
		goto out;
	}
	if (!info.is_ca && !leaf) {
		rc = accord_err(err, ACCORD_ERR_USAGE, cert_path,
				"%s is not a CA certificate: trusting it pins this one party "
				"directly; give --leaf if that is what you mean", info.subject);
		goto out;
	}
	rc = make_dirs(dir, err);
	if (rc == ACCORD_OK)
		rc = store_open(dir, 0, &dfd, err);
	if (rc != ACCORD_OK)
		goto out;
	if (snprintf(target, sizeof target, "%s/%s.pem", dir, info.sha256_hex) >=
	    (int)sizeof target) {
		rc = accord_err(err, ACCORD_ERR_USAGE, dir, "folder name too long");
		goto out;
	}
	rc = gnutls_x509_crt_export2(list[0], GNUTLS_X509_FMT_PEM, &pem);
	if (rc < 0) {
		rc = accord_err_gnutls(err, cert_path, "gnutls_x509_crt_export2", rc);
		goto out;
	}
	rc = accord_file_write_atomic(target, pem.data, pem.size, 0644, 1, err);
	if (rc == ACCORD_ERR_EXISTS)
		rc = ACCORD_OK; /* same fingerprint, same certificate: already trusted */
	if (rc == ACCORD_OK && added)
		*added = info;
out:
	if (dfd >= 0)
		close(dfd);
	gnutls_free(pem.data);
	accord_crt_list_free(list, n);
	return rc;
}

/* A store file name: 64 lower-case hex digits and ".pem". */
static int is_store_name(const char *name)
{
	size_t len = strlen(name);

	if (len != 68 || strcmp(name + 64, ".pem") != 0)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)name[i]) || isupper((unsigned char)name[i]))
			return 0;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int is_any_entry(const char *name)
{
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* Sorted names in dir accepted by keep(). */
static int list_names(const char *dir, int (*keep)(const char *), char ***out, size_t *count,
		      accord_error *err)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = ACCORD_OK;

	*out = NULL;
	*count = 0;
	d = opendir(dir);
	if (!d) {
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, dir,
				  "cannot open folder: %s", strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		if (!keep(e->d_name))
			continue;
		if (n >= STORE_MAX_FILES) {
			rc = accord_err(err, ACCORD_ERR_LIMIT, dir, "more than %d files",
					STORE_MAX_FILES);
			goto out;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **tmp = realloc(names, ncap * sizeof *names);
			if (!tmp) {
				rc = accord_err(err, ACCORD_ERR_NOMEM, dir, "out of memory");
				goto out;
			}
			names = tmp;
			cap = ncap;
		}
		names[n] = accord_strdup(e->d_name);
		if (!names[n]) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, dir, "out of memory");
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
out:
	closedir(d);
	if (rc != ACCORD_OK) {
		free_names(names, n);
		return rc;
	}
	*out = names;
	*count = n;
	return ACCORD_OK;
}

int accord_truststore_remove(const char *dir, const char *fp, accord_cert_info *removed,
			     accord_error *err)
{
	char want[65], path[4096];
	char **names = NULL;
	size_t n = 0, len = 0, match = 0, hit = 0;
	int rc, dfd;

	if (!fp)
		return accord_err(err, ACCORD_ERR_USAGE, "untrust", "a fingerprint is needed");
	rc = fingerprint_parse(fp, want, &len, err);
	if (rc != ACCORD_OK)
		return rc;
	if (len < 8)
		return accord_err(err, ACCORD_ERR_USAGE, fp,
				  "give at least 8 hex digits of the fingerprint");
	rc = store_open(dir, 0, &dfd, err);
	if (rc != ACCORD_OK)
		return rc;
	close(dfd);
	rc = list_names(dir, is_store_name, &names, &n, err);
	if (rc != ACCORD_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(names[i], want, len)) {
			match++;
			hit = i;
		}
	}
	if (match == 0) {
		rc = accord_err(err, ACCORD_ERR_NOTFOUND, fp, "no such certificate in the trust store");
		goto out;
	}
	if (match > 1) {
		rc = accord_err(err, ACCORD_ERR_USAGE, fp,
				"%zu certificates start with this prefix: give more digits", match);
		goto out;
	}
	snprintf(path, sizeof path, "%s/%s", dir, names[hit]);
	if (removed) {
		accord_error ignored;
		if (accord_cert_info_load(path, removed, &ignored) != ACCORD_OK) {
			memset(removed, 0, sizeof *removed);
			snprintf(removed->sha256_hex, sizeof removed->sha256_hex, "%.64s", names[hit]);
		}
	}
	if (unlink(path) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, path, "cannot remove: %s", strerror(errno));
		goto out;
	}
	rc = accord_fsync_path(dir, err);
out:
	free_names(names, n);
	return rc;
}

/* Called with each anchor of the store (owned by the callee) and its path. */
typedef int (*store_anchor_fn)(gnutls_x509_crt_t crt, const char *path, void *ud,
			       accord_error *err);

/* One entry of the store folder: *crt set when it is an anchor; else *why says why it is
 * ignored. An error only for what is refused outright (an anchor unsafe to read). */
static int store_entry_read(int dfd, const char *dir, const char *name, gnutls_x509_crt_t *crt,
			    char *why, size_t why_n, accord_error *err)
{
	char path[4096], hex[65];
	unsigned char sha[32], *data = NULL;
	gnutls_x509_crt_t *list = NULL;
	size_t len = 0, n = 0;
	struct stat st;
	accord_error ignored;
	int fd, rc;

	*crt = NULL;
	why[0] = '\0';
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!is_store_name(name)) {
		snprintf(why, why_n, "not an anchor: the trust store holds only the "
			 "<sha256>.pem files `accord keys trust` writes");
		return ACCORD_OK;
	}
	/* O_NOFOLLOW: a link would make the anchor whatever it points at; O_NONBLOCK: a
	 * FIFO must not block the open before fstat says what it is. */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(why, why_n, "a symbolic link: not followed");
		else
			snprintf(why, why_n, "cannot open: %s", strerror(errno));
		return ACCORD_OK;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, why_n, "not a regular file");
		close(fd);
		return ACCORD_OK;
	}
	rc = check_private(path, "the trust store file", &st, "644", err);
	if (rc == ACCORD_OK && accord_fd_read(fd, STORE_FILE_MAX, path, &data, &len, &ignored))
		snprintf(why, why_n, "%.200s", ignored.why);
	close(fd);
	if (rc != ACCORD_OK || why[0])
		goto out;
	if (accord_crt_list_parse(data, len, path, &list, &n, &ignored) != ACCORD_OK) {
		snprintf(why, why_n, "not a readable certificate");
		goto out;
	}
	if (n != 1) {
		snprintf(why, why_n, "holds %zu certificates, not one", n);
		goto out;
	}
	if (accord_crt_sha256(list[0], sha) != ACCORD_OK) {
		snprintf(why, why_n, "no fingerprint could be computed");
		goto out;
	}
	for (size_t i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sha[i]);
	if (strncmp(hex, name, 64) != 0) {
		snprintf(why, why_n, "its certificate's SHA-256 fingerprint is %s, not its name", hex);
		goto out;
	}
	*crt = list[0];
	list[0] = NULL;
out:
	accord_crt_list_free(list, n);
	free(data);
	return rc;
}

/* Every anchor of the store to on_anchor, every other entry to skipped, by name order. */
static int store_scan(const char *dir, int optional, store_anchor_fn on_anchor,
		      void *anchor_ud, accord_store_skip_cb skipped, void *skip_ud,
		      accord_error *err)
{
	char **names = NULL, path[4096], why[300];
	size_t n = 0;
	int rc, dfd;

	rc = store_open(dir, optional, &dfd, err);
	if (rc != ACCORD_OK || dfd < 0)
		return rc;
	rc = list_names(dir, is_any_entry, &names, &n, err);
	for (size_t i = 0; rc == ACCORD_OK && i < n; i++) {
		gnutls_x509_crt_t crt;

		rc = store_entry_read(dfd, dir, names[i], &crt, why, sizeof why, err);
		if (rc != ACCORD_OK)
			break;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (crt)
			rc = on_anchor(crt, path, anchor_ud, err);
		else if (skipped)
			skipped(path, why, skip_ud);
	}
	free_names(names, n);
	close(dfd);
	return rc > 0 ? ACCORD_OK : rc; /* > 0: the caller stopped early */
}

struct list_ctx {
	accord_cert_cb cb;
	void *ud;
};

static int list_anchor(gnutls_x509_crt_t crt, const char *path, void *ud, accord_error *err)
{
	struct list_ctx *l = ud;
	accord_cert_info info;
	int rc = accord_crt_describe(crt, &info, err);

	(void)path;
	gnutls_x509_crt_deinit(crt);
	if (rc != ACCORD_OK)
		return rc;
	return l->cb && l->cb(&info, l->ud) != 0 ? 1 : ACCORD_OK;
}

int accord_truststore_list(const char *dir, const accord_truststore_list_options *opt,
			   accord_error *err)
{
	static const accord_truststore_list_options defaults;
	const accord_truststore_list_options *o = opt ? opt : &defaults;
	struct list_ctx l = {o->anchor, o->ud};

	return store_scan(dir, o->optional, list_anchor, &l, o->skipped, o->ud, err);
}

static int is_cert_file_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (name[0] == '.' || !dot)
		return 0;
	return !strcasecmp(dot, ".pem") || !strcasecmp(dot, ".crt") || !strcasecmp(dot, ".cer") ||
	       !strcasecmp(dot, ".der");
}

struct anchors {
	gnutls_x509_crt_t *list;
	size_t n, cap;
};

/* Append one certificate (owned from now on) unless it is already present. */
static int anchors_add_crt(gnutls_x509_crt_t crt, const char *path, void *ud, accord_error *err)
{
	struct anchors *a = ud;

	for (size_t j = 0; j < a->n; j++) {
		if (gnutls_x509_crt_equals(a->list[j], crt)) {
			gnutls_x509_crt_deinit(crt);
			return ACCORD_OK;
		}
	}
	if (a->n == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 16;
		gnutls_x509_crt_t *tmp = gnutls_realloc(a->list, ncap * sizeof *tmp);
		if (!tmp) {
			gnutls_x509_crt_deinit(crt);
			return accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		}
		a->list = tmp;
		a->cap = ncap;
	}
	a->list[a->n++] = crt;
	return ACCORD_OK;
}

/* Append the certificates of one file, skipping ones already present. */
static int anchors_add_file(struct anchors *a, const char *path, accord_error *err)
{
	gnutls_x509_crt_t *list = NULL;
	size_t n = 0;
	int rc = accord_crt_list_load(path, &list, &n, err);

	for (size_t i = 0; rc == ACCORD_OK && i < n; i++) {
		rc = anchors_add_crt(list[i], path, a, err);
		list[i] = NULL;
	}
	accord_crt_list_free(list, n);
	return rc;
}

/* A --trust file, or every certificate file of a --trust folder (the user's own choice:
 * unlike the store, read by extension). */
static int anchors_add_path(struct anchors *a, const char *path, accord_error *err)
{
	struct stat st;
	char **names = NULL, file[4096];
	size_t n = 0;
	int rc;

	if (stat(path, &st) < 0)
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, path,
				  "cannot open: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return anchors_add_file(a, path, err);
	rc = list_names(path, is_cert_file_name, &names, &n, err);
	for (size_t i = 0; rc == ACCORD_OK && i < n; i++) {
		if (snprintf(file, sizeof file, "%s/%s", path, names[i]) >= (int)sizeof file) {
			rc = accord_err(err, ACCORD_ERR_USAGE, path, "path too long");
			break;
		}
		rc = anchors_add_file(a, file, err);
	}
	free_names(names, n);
	return rc;
}

int accord_trust_load(const char *const *paths, size_t n, int use_store,
		      gnutls_x509_crt_t **out, size_t *count, accord_error *err)
{
	struct anchors a = {NULL, 0, 0};
	char store[4096];
	int rc = ACCORD_OK, optional = 0;

	*out = NULL;
	*count = 0;
	for (size_t i = 0; i < n && rc == ACCORD_OK; i++)
		rc = anchors_add_path(&a, paths[i], err);
	if (rc == ACCORD_OK && use_store) {
		rc = accord_truststore_locate(NULL, store, sizeof store, &optional, err);
		if (rc == ACCORD_OK)
			rc = store_scan(store, optional, anchors_add_crt, &a, NULL, NULL, err);
	}
	if (rc != ACCORD_OK) {
		accord_crt_list_free(a.list, a.n);
		return rc;
	}
	*out = a.list;
	*count = a.n;
	return ACCORD_OK;
}
