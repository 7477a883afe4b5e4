/* formats/container_write.c — the one module that writes containers, with libzip: new
 * packages (accord_pack) and rewrites that add or replace META-INF entries while copying
 * every other entry raw. Always through a temporary file next to the target, fsync'ed
 * and renamed into place; on failure the target is untouched and no temporary remains. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <strings.h>
#include <zip.h>
#include "accord/keys.h"
#include "formats/container.h"
#include "keys/keys.h"

/* Remove tmp and what libzip's zip_close may leave beside it ("<tmp>.XXXXXX"). */
static void remove_tmp_family(const char *tmp)
{
	char *d = strdup(tmp), *b = strdup(tmp);
	DIR *dir;
	struct dirent *de;

	unlink(tmp);
	if (d && b && (dir = opendir(dirname(d))) != NULL) {
		const char *base = basename(b);
		size_t len = strlen(base);
		while ((de = readdir(dir)) != NULL)
			if (!strncmp(de->d_name, base, len) && de->d_name[len] == '.')
				unlinkat(dirfd(dir), de->d_name, 0);
		closedir(dir);
	}
	free(d);
	free(b);
}

/* A fresh, unused temporary name next to out, and a new libzip archive on it. */
static int tmp_zip_open(const char *out, char *tmp, size_t n, zip_t **za, accord_error *err)
{
	int fd, zerr = 0;

	*za = NULL;
	if (accord_tmp_template(out, tmp, n) < 0)
		return accord_err(err, ACCORD_ERR_USAGE, out, "path too long");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return accord_err(err, ACCORD_ERR_IO, out, "cannot create a temporary file: %s",
				  strerror(errno));
	close(fd);
	/* libzip creates the file itself at zip_close: free the reserved name, and let
	 * ZIP_EXCL refuse if anything took it meanwhile. */
	unlink(tmp);
	*za = zip_open(tmp, ZIP_CREATE | ZIP_EXCL, &zerr);
	if (!*za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		accord_err(err, ACCORD_ERR_IO, out, "cannot start the archive: %s",
			   zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return ACCORD_ERR_IO;
	}
	return ACCORD_OK;
}

/* A written temporary file: fsync, then into place: link() when the target must not
 * exist (no race with a file appearing meanwhile), rename() otherwise. mode < 0 keeps
 * libzip's. */
static int tmp_commit(const char *tmp, const char *out, int exclusive, int mode,
		      accord_error *err)
{
	int rc;

	if (mode >= 0 && chmod(tmp, (mode_t)mode) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, out, "chmod failed: %s", strerror(errno));
		goto fail;
	}
	if ((rc = accord_fsync_path(tmp, err)) != ACCORD_OK)
		goto fail;
	if (!exclusive)
		return accord_commit_rename(tmp, out, err);
	if (link(tmp, out) < 0) {
		rc = accord_err(err, errno == EEXIST ? ACCORD_ERR_EXISTS : ACCORD_ERR_IO, out,
				errno == EEXIST ? "file exists, not overwritten (use --force)"
						: "cannot create: %s",
				strerror(errno));
		goto fail;
	}
	unlink(tmp);
	return accord_fsync_dir_of(out, err);
fail:
	remove_tmp_family(tmp);
	return rc;
}

static int tmp_zip_close(zip_t *za, const char *tmp, const char *out, accord_error *err)
{
	int rc;

	if (zip_close(za) < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, out, "cannot write the archive: %s",
				zip_strerror(za));
		zip_discard(za);
		remove_tmp_family(tmp);
		return rc;
	}
	return ACCORD_OK;
}

/* zip_close, then tmp_commit. */
static int tmp_zip_commit(zip_t *za, const char *tmp, const char *out, int exclusive, int mode,
			  accord_error *err)
{
	int rc = tmp_zip_close(za, tmp, out, err);

	return rc ? rc : tmp_commit(tmp, out, exclusive, mode, err);
}

static int add_buffer(zip_t *za, const char *name, const void *data, size_t len, int store,
		      const char *where, accord_error *err)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 0);
	zip_int64_t idx;

	if (!src)
		return accord_err(err, ACCORD_ERR_NOMEM, where, "%s", zip_strerror(za));
	idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return accord_err(err, ACCORD_ERR_IO, where, "cannot add '%s': %s", name,
				  zip_strerror(za));
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     store ? 0 : 9) < 0)
		return accord_err(err, ACCORD_ERR_IO, where, "cannot set compression of '%s': %s",
				  name, zip_strerror(za));
	return ACCORD_OK;
}

static int build_descriptor(const char *first_name, const accord_pack_options *opt,
			    accord_descriptor *d, accord_error *err)
{
	int rc;

	memset(d, 0, sizeof *d);
	d->kind = opt->kind;
	d->created = time(NULL);
	if (strlen(opt->title ? opt->title : first_name) >= sizeof d->title)
		return accord_err(err, ACCORD_ERR_USAGE, "title", "longer than %zu bytes",
				  sizeof d->title - 1);
	snprintf(d->title, sizeof d->title, "%s", opt->title ? opt->title : first_name);
	if (opt->reference) {
		if (strlen(opt->reference) >= sizeof d->reference)
			return accord_err(err, ACCORD_ERR_USAGE, "reference",
					  "longer than %zu bytes", sizeof d->reference - 1);
		snprintf(d->reference, sizeof d->reference, "%s", opt->reference);
	}
	if (opt->quorum > opt->n_party_certs)
		return accord_err(err, ACCORD_ERR_USAGE, "quorum",
				  "quorum %u is more than the %zu declared parties", opt->quorum,
				  opt->n_party_certs);
	if (!opt->n_party_certs)
		return ACCORD_OK;
	d->parties = calloc(opt->n_party_certs, sizeof *d->parties);
	if (!d->parties)
		return accord_err(err, ACCORD_ERR_NOMEM, "parties", "out of memory");
	for (size_t i = 0; i < opt->n_party_certs; i++) {
		accord_cert_info info;
		rc = accord_cert_info_load(opt->party_certs[i], &info, err);
		if (rc != ACCORD_OK)
			return rc;
		{
			/* A party signs with its certificate: one that may not sign (a CA's, or
			 * one whose key usages exclude signing) would leave the party unable to. */
			gnutls_x509_crt_t *list = NULL;
			size_t nl = 0;
			char why[300];
			int fit;
			rc = accord_crt_list_load(opt->party_certs[i], &list, &nl, err);
			if (rc != ACCORD_OK)
				return rc;
			fit = nl > 0 && accord_crt_may_sign(list[0], 1, why, sizeof why);
			accord_crt_list_free(list, nl);
			if (!fit)
				return accord_err(err, ACCORD_ERR_PERM, opt->party_certs[i], "%s",
						  nl ? why : "no certificate");
		}
		if (!info.name[0])
			return accord_err(err, ACCORD_ERR_USAGE, opt->party_certs[i],
					  "certificate has no common name (CN) to name the party");
		for (size_t k = 0; k < d->n_parties; k++)
			if (!strcmp(d->parties[k].fingerprint, info.sha256_hex))
				return accord_err(err, ACCORD_ERR_USAGE, opt->party_certs[i],
						  "the same party certificate is given twice");
		snprintf(d->parties[i].name, sizeof d->parties[i].name, "%s", info.name);
		snprintf(d->parties[i].fingerprint, sizeof d->parties[i].fingerprint, "%s",
			 info.sha256_hex);
		d->n_parties++;
	}
	d->quorum = opt->quorum;
	return ACCORD_OK;
}

/* The documents of a new package into tmp (closed, not yet in place): mimetype first,
 * stored, no extra field (byte 30 "mimetype", byte 38 the type), then each document
 * deflated at level when deflate[i], else stored, then descriptor and manifest. */
static int pack_write(const char *out_path, char *tmp, size_t tmp_len,
		      const accord_pack_file *files, size_t n, const unsigned char *deflate,
		      int level, const unsigned char *desc_xml, size_t desc_len,
		      const unsigned char *manifest_xml, size_t manifest_len, accord_error *err)
{
	zip_t *za = NULL;
	int rc;

	if ((rc = tmp_zip_open(out_path, tmp, tmp_len, &za, err)) != ACCORD_OK)
		return rc;
	rc = add_buffer(za, "mimetype", ACCORD_MIMETYPE, sizeof ACCORD_MIMETYPE - 1, 1, out_path,
			err);
	for (size_t i = 0; rc == ACCORD_OK && i < n; i++) {
		zip_source_t *src = zip_source_file(za, files[i].path, 0, -1);
		zip_int64_t idx;
		if (!src) {
			rc = accord_err(err, ACCORD_ERR_IO, files[i].path, "cannot read: %s",
					zip_strerror(za));
			break;
		}
		idx = zip_file_add(za, files[i].name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(src);
			rc = accord_err(err, ACCORD_ERR_IO, files[i].path, "cannot add: %s",
					zip_strerror(za));
			break;
		}
		if (zip_set_file_compression(za, (zip_uint64_t)idx,
					     deflate[i] ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
					     deflate[i] ? (zip_uint32_t)level : 0) < 0)
			rc = accord_err(err, ACCORD_ERR_IO, files[i].path, "%s", zip_strerror(za));
	}
	if (rc == ACCORD_OK)
		rc = add_buffer(za, ACCORD_DESCRIPTOR_NAME, desc_xml, desc_len, 0, out_path, err);
	if (rc == ACCORD_OK)
		rc = add_buffer(za, "META-INF/manifest.xml", manifest_xml, manifest_len, 0, out_path,
				err);
	if (rc != ACCORD_OK) {
		zip_discard(za);
		remove_tmp_family(tmp);
		return rc;
	}
	return tmp_zip_close(za, tmp, out_path, err);
}

/* Documents in tmp that deflated beyond --max-ratio (verify would refuse them): their
 * deflate[i] cleared; 1 when there was one. */
static int over_ratio(const char *tmp, const accord_pack_file *files, size_t n,
		      unsigned char *deflate, const accord_limits *lim)
{
	zip_t *za = zip_open(tmp, ZIP_RDONLY, NULL);
	int found = 0;

	if (!za)
		return 0; /* the reader decides later */
	for (size_t i = 0; i < n; i++) {
		zip_stat_t zs;
		if (!deflate[i] || zip_stat_index(za, (zip_uint64_t)i + 1, 0, &zs) < 0 ||
		    !(zs.valid & ZIP_STAT_SIZE) || !(zs.valid & ZIP_STAT_COMP_SIZE) ||
		    strcmp(zs.name, files[i].name) != 0)
			continue;
		if (zs.size > ACCORD_RATIO_FLOOR &&
		    (zs.comp_size == 0 || zs.size / zs.comp_size > lim->max_ratio)) {
			deflate[i] = 0;
			found = 1;
		}
	}
	zip_discard(za);
	return found;
}

int accord_pack(const char *out_path, const char *const *args, size_t n_args,
		const accord_pack_options *opt_in, accord_error *err)
{
	accord_pack_options defaults;
	const accord_pack_options *opt = opt_in;
	accord_descriptor d;
	accord_limits lim;
	accord_pack_file *files = NULL;
	accord_manifest_item *items = NULL;
	unsigned char *desc_xml = NULL, *manifest_xml = NULL, *deflate = NULL;
	size_t desc_len = 0, manifest_len = 0, n_files = 0;
	char tmp[1100];
	int rc = ACCORD_OK, level;

	memset(&d, 0, sizeof d);
	if (!opt) {
		memset(&defaults, 0, sizeof defaults);
		opt = &defaults;
	}
	if (!out_path || !args || n_args == 0)
		return accord_err(err, ACCORD_ERR_USAGE, "pack", "no documents to pack");
	if (opt->level < ACCORD_PACK_STORE || opt->level > 9)
		return accord_err(err, ACCORD_ERR_USAGE, "pack", "compression level %d is not 0-9",
				  opt->level);
	level = opt->level == ACCORD_PACK_STORE ? 0 : opt->level ? opt->level : 6;
	if (opt->limits)
		lim = *opt->limits;
	else
		accord_limits_default(&lim);
	if (!opt->force && access(out_path, F_OK) == 0)
		return accord_err(err, ACCORD_ERR_EXISTS, out_path,
				  "file exists, not overwritten (use --force)");
	rc = accord_pack_collect(args, n_args, opt->base_dir, out_path, &lim, &files, &n_files, err);
	if (rc != ACCORD_OK)
		return rc;
	items = calloc(n_files + 1, sizeof *items);
	deflate = calloc(n_files, 1);
	if (!items || !deflate) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, out_path, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_files; i++) {
		int dfl = accord_pack_should_deflate(files[i].path, level, err);
		if (dfl < 0) {
			rc = err && err->code ? err->code : ACCORD_ERR_IO;
			goto out;
		}
		deflate[i] = (unsigned char)dfl;
		items[i].path = files[i].name;
		items[i].media_type = (char *)accord_media_type_guess(files[i].name);
	}
	if ((rc = build_descriptor(files[0].name, opt, &d, err)) != ACCORD_OK)
		goto out;
	if ((rc = accord_descriptor_to_xml(&d, &desc_xml, &desc_len, err)) != ACCORD_OK)
		goto out;
	items[n_files].path = (char *)ACCORD_DESCRIPTOR_NAME;
	items[n_files].media_type = (char *)ACCORD_DESCRIPTOR_MEDIA_TYPE;
	rc = accord_manifest_to_xml(items, n_files + 1, &manifest_xml, &manifest_len, err);
	if (rc != ACCORD_OK)
		goto out;

	accord_tmp_cleanup_stale(out_path);
	rc = pack_write(out_path, tmp, sizeof tmp, files, n_files, deflate, level, desc_xml,
			desc_len, manifest_xml, manifest_len, err);
	/* Data that deflates beyond --max-ratio (a long run of one byte) is stored instead:
	 * one more write, only then. */
	if (rc == ACCORD_OK && over_ratio(tmp, files, n_files, deflate, &lim)) {
		remove_tmp_family(tmp);
		rc = pack_write(out_path, tmp, sizeof tmp, files, n_files, deflate, level, desc_xml,
				desc_len, manifest_xml, manifest_len, err);
	}
	if (rc == ACCORD_OK)
		rc = tmp_commit(tmp, out_path, !opt->force, -1, err);
	if (rc == ACCORD_OK && opt->n_packed)
		*opt->n_packed = n_files;
out:
	accord_pack_files_free(files, n_files);
	free(items);
	free(deflate);
	free(desc_xml);
	free(manifest_xml);
	accord_descriptor_clear(&d);
	return rc;
}

/* ------------------------------------------------------------------ rewrites */

static int rewrite(const char *path, const accord_new_entry *entries, size_t n, int replace,
		   accord_error *err)
{
	zip_t *src = NULL, *dst = NULL;
	char tmp[1100], why[200], **folds = NULL, *fold = NULL;
	unsigned char *used = NULL;
	struct stat st;
	zip_stat_t zs;
	zip_int64_t count;
	int rc = ACCORD_OK, zerr = 0;

	folds = calloc(n ? n : 1, sizeof *folds);
	used = calloc(n ? n : 1, 1);
	if (!folds || !used) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = entries[i].name;
		if (!name || strncmp(name, "META-INF/", 9) != 0 ||
		    accord_container_name_check(name, strlen(name), why, sizeof why) < 0 ||
		    accord_container_name_fold(name, &folds[i]) < 0) {
			rc = accord_err(err, ACCORD_ERR_USAGE, path,
					"cannot add entry '%s': only valid META-INF/ names can be added",
					name ? name : "(null)");
			goto out;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(folds[k], folds[i])) {
				rc = accord_err(err, ACCORD_ERR_USAGE, path,
						"entry '%s' given twice", name);
				goto out;
			}
	}
	if (stat(path, &st) < 0) {
		rc = accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO, path,
				"cannot open: %s", strerror(errno));
		goto out;
	}
	src = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!src) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path, "not a readable ZIP archive (libzip error %d)",
				zerr);
		goto out;
	}
	count = zip_get_num_entries(src, 0);
	if (count < 1 || zip_stat_index(src, 0, 0, &zs) < 0 || strcmp(zs.name, "mimetype") != 0 ||
	    zs.comp_method != ZIP_CM_STORE) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path,
				"mimetype must be the first entry, stored");
		goto out;
	}
	accord_tmp_cleanup_stale(path);
	if ((rc = tmp_zip_open(path, tmp, sizeof tmp, &dst, err)) != ACCORD_OK)
		goto out;
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name = zip_get_name(src, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		size_t hit = n;
		if (!name) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, path, "unreadable entry %lld",
					(long long)i);
			break;
		}
		if (accord_container_name_fold(name, &fold) == 0) {
			for (size_t k = 0; k < n && hit == n; k++)
				if (!strcmp(fold, folds[k]))
					hit = k;
		}
		free(fold);
		fold = NULL;
		if (hit < n && (!replace || strcmp(name, entries[hit].name) != 0)) {
			rc = accord_err(err, ACCORD_ERR_EXISTS, path, "entry '%s' already exists",
					entries[hit].name);
			break;
		}
		if (hit < n) {
			used[hit] = 1;
			if (!entries[hit].data)
				continue; /* replace with nothing: the entry is dropped */
			rc = add_buffer(dst, entries[hit].name, entries[hit].data, entries[hit].len, 0,
					path, err);
			if (rc != ACCORD_OK)
				break;
			continue;
		}
		/* Raw copy: the compressed bytes, method and CRC stay exactly as they were. */
		zip_source_t *s = zip_source_zip(dst, src, (zip_uint64_t)i, ZIP_FL_COMPRESSED, 0, -1);
		if (!s) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "cannot copy '%s': %s", name,
					zip_strerror(dst));
			break;
		}
		zip_int64_t idx = zip_file_add(dst, name, s, ZIP_FL_ENC_GUESS);
		if (idx < 0) {
			zip_source_free(s);
			rc = accord_err(err, ACCORD_ERR_IO, path, "cannot copy '%s': %s", name,
					zip_strerror(dst));
			break;
		}
		/* The same method as before: libzip then copies the bytes instead of
		 * compressing stored entries (mimetype!) with its default. */
		if (zip_stat_index(src, (zip_uint64_t)i, 0, &zs) < 0 ||
		    zip_set_file_compression(dst, (zip_uint64_t)idx, (zip_int32_t)zs.comp_method,
					     0) < 0) {
			rc = accord_err(err, ACCORD_ERR_IO, path, "cannot copy '%s': %s", name,
					zip_strerror(dst));
			break;
		}
	}
	for (size_t k = 0; rc == ACCORD_OK && k < n; k++)
		if (!used[k] && !entries[k].data)
			rc = accord_err(err, ACCORD_ERR_NOTFOUND, path, "no entry '%s' to remove",
					entries[k].name);
		else if (!used[k])
			rc = add_buffer(dst, entries[k].name, entries[k].data, entries[k].len, 0, path,
					err);
	if (rc != ACCORD_OK) {
		zip_discard(dst);
		remove_tmp_family(tmp);
		goto out;
	}
	rc = tmp_zip_commit(dst, tmp, path, 0, (int)(st.st_mode & 07777), err);
out:
	if (src)
		zip_discard(src);
	for (size_t i = 0; folds && i < n; i++)
		free(folds[i]);
	free(folds);
	free(used);
	return rc;
}

int accord_container_add_entries(const char *path, const accord_new_entry *entries, size_t n,
				 accord_error *err)
{
	return rewrite(path, entries, n, 0, err);
}

int accord_container_update_entries(const char *path, const accord_new_entry *entries,
				    size_t n, accord_error *err)
{
	return rewrite(path, entries, n, 1, err);
}
