/* keys/truststore.c — the trust store (one PEM file per trusted certificate, named by
 * its SHA-256 fingerprint) and loading trust anchors for verification. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "keys/keys.h"

#define STORE_MAX_FILES 10000

int accord_truststore_default_dir(char *buf, size_t n, accord_error *err)
{
	const char *env = getenv("ACCORD_TRUST_DIR"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int w;

	if (env && *env)
		w = snprintf(buf, n, "%s", env);
	else if (xdg && *xdg)
		w = snprintf(buf, n, "%s/accord/trust", xdg);
	else if (home && *home)
		w = snprintf(buf, n, "%s/.config/accord/trust", home);
	else
		return accord_err(err, ACCORD_ERR_USAGE, "trust store",
				  "no folder: set ACCORD_TRUST_DIR, XDG_CONFIG_HOME or HOME");
	if (w < 0 || (size_t)w >= n)
		return accord_err(err, ACCORD_ERR_USAGE, "trust store", "folder name too long");
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

int accord_truststore_add(const char *dir, const char *cert_path, accord_cert_info *added,
			  accord_error *err)
{
	gnutls_x509_crt_t *list = NULL;
	gnutls_datum_t pem = {NULL, 0};
	accord_cert_info info;
	char target[4096];
	size_t n = 0;
	int rc;

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
	rc = make_dirs(dir, err);
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

/* Sorted names in dir accepted by keep(); a missing folder gives an empty list. */
static int list_names(const char *dir, int (*keep)(const char *), char ***out, size_t *count,
		      int missing_ok, accord_error *err)
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
		if (errno == ENOENT && missing_ok)
			return ACCORD_OK;
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, dir,
				  "cannot open folder: %s", strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		if (!keep(e->d_name))
			continue;
		if (n >= STORE_MAX_FILES) {
			rc = accord_err(err, ACCORD_ERR_LIMIT, dir, "more than %d certificate files",
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
	char want[80], path[4096];
	char **names = NULL;
	size_t n = 0, len = 0, match = 0, hit = 0;
	int rc;

	if (!fp)
		return accord_err(err, ACCORD_ERR_USAGE, "untrust", "a fingerprint is needed");
	for (const char *p = fp; *p; p++) {
		if (*p == ':' || *p == ' ')
			continue;
		if (!isxdigit((unsigned char)*p) || len >= 64)
			return accord_err(err, ACCORD_ERR_USAGE, fp,
					  "not a SHA-256 fingerprint (hex digits, colons allowed)");
		want[len++] = (char)tolower((unsigned char)*p);
	}
	want[len] = '\0';
	if (len < 8)
		return accord_err(err, ACCORD_ERR_USAGE, fp,
				  "give at least 8 hex digits of the fingerprint");
	rc = list_names(dir, is_store_name, &names, &n, 1, err);
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

int accord_truststore_list(const char *dir, accord_cert_cb cb, void *ud, accord_error *err)
{
	char **names = NULL;
	char path[4096];
	size_t n = 0;
	int rc;

	rc = list_names(dir, is_store_name, &names, &n, 1, err);
	if (rc != ACCORD_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		accord_cert_info info;
		accord_error ignored;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		/* A damaged file is skipped here; accord_trust_load reports it. */
		if (accord_cert_info_load(path, &info, &ignored) != ACCORD_OK)
			continue;
		if (cb && cb(&info, ud) != 0)
			break;
	}
	free_names(names, n);
	return ACCORD_OK;
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

/* Append the certificates of one file, skipping ones already present. */
static int anchors_add_file(struct anchors *a, const char *path, accord_error *err)
{
	gnutls_x509_crt_t *list = NULL;
	size_t n = 0;
	int rc = accord_crt_list_load(path, &list, &n, err);

	if (rc != ACCORD_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int dup = 0;
		for (size_t j = 0; j < a->n && !dup; j++)
			dup = gnutls_x509_crt_equals(a->list[j], list[i]);
		if (dup)
			continue;
		if (a->n == a->cap) {
			size_t ncap = a->cap ? a->cap * 2 : 16;
			gnutls_x509_crt_t *tmp = gnutls_realloc(a->list, ncap * sizeof *tmp);
			if (!tmp) {
				rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
				goto out;
			}
			a->list = tmp;
			a->cap = ncap;
		}
		a->list[a->n++] = list[i];
		list[i] = NULL;
	}
out:
	accord_crt_list_free(list, n);
	return rc;
}

static int anchors_add_path(struct anchors *a, const char *path, int missing_ok,
			    accord_error *err)
{
	struct stat st;
	char **names = NULL, file[4096];
	size_t n = 0;
	int rc;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT && missing_ok)
			return ACCORD_OK;
		return accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, path,
				  "cannot open: %s", strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return anchors_add_file(a, path, err);
	rc = list_names(path, is_cert_file_name, &names, &n, missing_ok, err);
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
	int rc = ACCORD_OK;

	*out = NULL;
	*count = 0;
	for (size_t i = 0; i < n && rc == ACCORD_OK; i++)
		rc = anchors_add_path(&a, paths[i], 0, err);
	if (rc == ACCORD_OK && use_store) {
		rc = accord_truststore_default_dir(store, sizeof store, err);
		if (rc == ACCORD_OK)
			rc = anchors_add_path(&a, store, 1, err);
	}
	if (rc != ACCORD_OK) {
		accord_crt_list_free(a.list, a.n);
		return rc;
	}
	*out = a.list;
	*count = a.n;
	return ACCORD_OK;
}
