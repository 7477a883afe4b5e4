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
#include "formats/incident.h"
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

/* Documents a writer deflated: names[i], and store[i] set once it must be stored. */
typedef struct deflated_docs {
	char **names;
	unsigned char *store;
	size_t n;
} deflated_docs;

/* Returned by tmp_zip_commit when a document deflated beyond the compression ratio the
 * reader accepts (a file of zeros does): its store flag is set, the temporary is gone,
 * and the caller writes the archive again. */
#define DEFLATED_TOO_FAR 1

/* Mark the documents of dd that deflated in the archive tmp beyond what the reader's
 * default limits accept (the rule of zip_central.c); the count marked, or -1. */
static int deflated_too_far(const char *tmp, deflated_docs *dd)
{
	accord_limits lim;
	zip_t *za;
	zip_stat_t zs;
	int zerr = 0, marked = 0;

	if (!dd || !dd->n)
		return 0;
	accord_limits_default(&lim);
	if (!(za = zip_open(tmp, ZIP_RDONLY, &zerr)))
		return -1;
	for (size_t i = 0; i < dd->n; i++) {
		if (dd->store[i] || zip_stat(za, dd->names[i], 0, &zs) < 0 ||
		    zs.comp_method == ZIP_CM_STORE)
			continue;
		if (zs.size > ACCORD_RATIO_FLOOR &&
		    (zs.comp_size == 0 || zs.size / zs.comp_size > lim.max_ratio)) {
			dd->store[i] = 1;
			marked++;
		}
	}
	zip_discard(za);
	return marked;
}

static void zip_progress(zip_t *za, double fraction, void *ud)
{
	(void)za;
	accord_progress_fraction(ud, fraction);
}

/* zip_close, fsync, then into place: link() when the target must not exist (no race
 * with a file appearing meanwhile), rename() otherwise. mode < 0 keeps libzip's. A
 * document of dd (may be NULL) deflated too far: DEFLATED_TOO_FAR, nothing written. */
static int tmp_zip_commit(zip_t *za, const char *tmp, const char *out, int exclusive, int mode,
			  deflated_docs *dd, accord_error *err)
{
	accord_progress p;
	int rc, closed;

	accord_progress_begin(&p, "writing", 0);
	zip_register_progress_callback_with_state(za, 0.01, zip_progress, NULL, &p);
	closed = zip_close(za);
	accord_progress_end(&p);
	if (closed < 0) {
		rc = accord_err(err, ACCORD_ERR_IO, out, "cannot write the archive: %s",
				zip_strerror(za));
		zip_discard(za);
		remove_tmp_family(tmp);
		return rc;
	}
	if ((rc = deflated_too_far(tmp, dd)) != 0) {
		remove_tmp_family(tmp);
		return rc > 0 ? DEFLATED_TOO_FAR
			      : accord_err(err, ACCORD_ERR_IO, out, "cannot read back the archive written");
	}
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

/* One document, read from file at zip_close, stored as name: stored when store (decided
 * by content, accord_pack_should_deflate, or because it deflated too far), else deflated
 * at level. (pack and add) */
static int add_document_file(zip_t *za, const char *file, const char *name, int store,
			     int level, accord_error *err)
{
	zip_source_t *src = zip_source_file(za, file, 0, -1);
	zip_int64_t idx;

	if (!src)
		return accord_err(err, ACCORD_ERR_IO, file, "cannot read: %s", zip_strerror(za));
	idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return accord_err(err, ACCORD_ERR_IO, file, "cannot add: %s", zip_strerror(za));
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     store ? 0 : (zip_uint32_t)level) < 0)
		return accord_err(err, ACCORD_ERR_IO, file, "%s", zip_strerror(za));
	return ACCORD_OK;
}

/* The documents args name (accord_pack_collect: folders walked, relative names, the
 * reader's name rules, the limits), and for each whether it is stored (store[i], by
 * content: accord_pack_should_deflate at level; 0 stores all). What pack and add check and
 * decide before writing anything. */
static int documents_prepare(const char *const *args, size_t n_args, const char *base_dir,
			     const char *out_path, const accord_limits *lim, int level,
			     accord_pack_file **files, size_t *n_files, unsigned char **store,
			     accord_error *err)
{
	int rc = accord_pack_collect(args, n_args, base_dir, out_path, lim, files, n_files, err);

	*store = NULL;
	if (rc != ACCORD_OK)
		return rc;
	*store = calloc(*n_files ? *n_files : 1, 1);
	if (!*store)
		rc = accord_err(err, ACCORD_ERR_NOMEM, "pack", "out of memory");
	for (size_t i = 0; rc == ACCORD_OK && i < *n_files; i++) {
		int dfl = accord_pack_should_deflate((*files)[i].path, level, err);
		if (dfl < 0)
			rc = err && err->code ? err->code : ACCORD_ERR_IO;
		(*store)[i] = dfl <= 0;
	}
	if (rc != ACCORD_OK) {
		accord_pack_files_free(*files, *n_files);
		free(*store);
		*files = NULL;
		*n_files = 0;
		*store = NULL;
	}
	return rc;
}

/* The incident ID and the TLP marking of a new package: --incident-id, else the one
 * incident the IODEF reports name. */
static int descriptor_marking(const accord_pack_options *opt, const accord_incident_ids *ids,
			      accord_descriptor *d, accord_error *err)
{
	const char *id = opt->incident_id ? opt->incident_id : ids->first;

	if (opt->tlp == ACCORD_TLP_UNKNOWN || (unsigned)opt->tlp > ACCORD_TLP_UNKNOWN)
		return accord_err(err, ACCORD_ERR_USAGE, "tlp",
				  "the TLP marking must be clear, green, amber, amber+strict or red");
	d->tlp = opt->tlp;
	snprintf(d->tlp_text, sizeof d->tlp_text, "%s", accord_tlp_name(opt->tlp));
	if (opt->incident_id && opt->kind != ACCORD_KIND_INCIDENT_REPORT)
		return accord_err(err, ACCORD_ERR_USAGE, "incident-id",
				  "an incident ID is for packages of kind incident-report");
	if (opt->incident_id && accord_incident_id_problem(opt->incident_id))
		return accord_err(err, ACCORD_ERR_USAGE, "incident-id", "the incident ID %s",
				  accord_incident_id_problem(opt->incident_id));
	if (!opt->incident_id && ids->other[0])
		return accord_err(err, ACCORD_ERR_USAGE, "incident-id",
				  "the IODEF reports name more than one incident ('%s' and '%s'): give the package's with --incident-id",
				  ids->first, ids->other);
	snprintf(d->incident_id, sizeof d->incident_id, "%s", id);
	return ACCORD_OK;
}

static int build_descriptor(const char *first_name, const accord_pack_options *opt,
			    const accord_incident_ids *ids, accord_descriptor *d, accord_error *err)
{
	int rc;

	memset(d, 0, sizeof *d);
	d->kind = opt->kind;
	d->created = time(NULL);
	if ((rc = descriptor_marking(opt, ids, d, err)) != ACCORD_OK)
		return rc;
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

int accord_pack(const char *out_path, const char *const *args, size_t n_args,
		const accord_pack_options *opt_in, accord_error *err)
{
	accord_pack_options defaults;
	const accord_pack_options *opt = opt_in;
	accord_descriptor d;
	accord_incident_ids ids;
	accord_limits lim;
	accord_pack_file *files = NULL;
	accord_manifest_item *items = NULL;
	deflated_docs dd = {NULL, NULL, 0};
	char **names = NULL, tmp[1100];
	unsigned char *desc_xml = NULL, *manifest_xml = NULL;
	size_t desc_len = 0, manifest_len = 0, n_files = 0;
	zip_t *za = NULL;
	int rc = ACCORD_OK, level;

	memset(&d, 0, sizeof d);
	memset(&ids, 0, sizeof ids);
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
	rc = documents_prepare(args, n_args, opt->base_dir, out_path, &lim, level, &files, &n_files,
			       &dd.store, err);
	if (rc != ACCORD_OK)
		return rc;
	names = calloc(n_files, sizeof *names);
	items = calloc(n_files + 1, sizeof *items);
	if (!names || !items) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, out_path, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_files; i++) {
		names[i] = files[i].name;
		items[i].path = files[i].name;
		items[i].media_type = (char *)accord_media_type_guess(files[i].name);
		if (opt->kind == ACCORD_KIND_INCIDENT_REPORT) {
			const char *report_type = NULL;
			if ((rc = accord_incident_file_check(files[i].path, !opt->no_validate, &report_type,
							     opt->incident_id ? NULL : &ids, err)) != ACCORD_OK)
				goto out;
			if (report_type)
				items[i].media_type = (char *)report_type;
		}
	}
	if ((rc = build_descriptor(files[0].name, opt, &ids, &d, err)) != ACCORD_OK)
		goto out;
	if ((rc = accord_descriptor_to_xml(&d, &desc_xml, &desc_len, err)) != ACCORD_OK)
		goto out;
	items[n_files].path = (char *)ACCORD_DESCRIPTOR_NAME;
	items[n_files].media_type = (char *)ACCORD_DESCRIPTOR_MEDIA_TYPE;
	rc = accord_manifest_to_xml(items, n_files + 1, &manifest_xml, &manifest_len, err);
	if (rc != ACCORD_OK)
		goto out;

	accord_tmp_cleanup_stale(out_path);
	dd.names = names;
	dd.n = n_files;
	do { /* twice when a document deflated too far: then it is stored */
		if ((rc = tmp_zip_open(out_path, tmp, sizeof tmp, &za, err)) != ACCORD_OK)
			goto out;
		/* mimetype first, stored, no extra field: byte 30 "mimetype", byte 38 the type. */
		rc = add_buffer(za, "mimetype", ACCORD_MIMETYPE, sizeof ACCORD_MIMETYPE - 1, 1,
				out_path, err);
		for (size_t i = 0; rc == ACCORD_OK && i < n_files; i++)
			rc = add_document_file(za, files[i].path, files[i].name, dd.store[i], level,
					       err);
		if (rc == ACCORD_OK)
			rc = add_buffer(za, ACCORD_DESCRIPTOR_NAME, desc_xml, desc_len, 0, out_path,
					err);
		if (rc == ACCORD_OK)
			rc = add_buffer(za, "META-INF/manifest.xml", manifest_xml, manifest_len, 0,
					out_path, err);
		if (rc != ACCORD_OK) {
			zip_discard(za);
			remove_tmp_family(tmp);
			goto out;
		}
		rc = tmp_zip_commit(za, tmp, out_path, !opt->force, -1, &dd, err);
	} while (rc == DEFLATED_TOO_FAR);
	if (rc == ACCORD_OK && opt->n_packed)
		*opt->n_packed = n_files;
out:
	free(dd.store);
	accord_pack_files_free(files, n_files);
	free(names);
	free(items);
	free(desc_xml);
	free(manifest_xml);
	accord_descriptor_clear(&d);
	return rc;
}

/* ------------------------------------------------------------------ rewrites */

/* Documents a rewrite adds (accord_container_add_documents): files[i].path stored as
 * files[i].name, files[i].fold the key it collides on (ix: the folds, sorted). A rewrite
 * with documents refuses any META-INF entry but the manifest: whatever signs or
 * timestamps the content would no longer match it. */
typedef struct doc_add {
	const accord_pack_file *files;
	char **names;         /* files[i].name, for deflated_docs */
	accord_name_index ix;
	unsigned char *store; /* by content, or because it deflated too far */
	int level;
	size_t n;
} doc_add;

/* Raw copy of entry i of src: the compressed bytes, method and CRC stay as they were. */
static int copy_raw(zip_t *dst, zip_t *src, zip_int64_t i, const char *name, const char *path,
		    accord_error *err)
{
	zip_source_t *s = zip_source_zip(dst, src, (zip_uint64_t)i, ZIP_FL_COMPRESSED, 0, -1);
	zip_int64_t idx;
	zip_stat_t zs;

	if (!s)
		return accord_err(err, ACCORD_ERR_IO, path, "cannot copy '%s': %s", name,
				  zip_strerror(dst));
	idx = zip_file_add(dst, name, s, ZIP_FL_ENC_GUESS);
	if (idx < 0) {
		zip_source_free(s);
		return accord_err(err, ACCORD_ERR_IO, path, "cannot copy '%s': %s", name,
				  zip_strerror(dst));
	}
	/* The same method as before: libzip then copies the bytes instead of compressing
	 * stored entries (mimetype!) with its default. */
	if (zip_stat_index(src, (zip_uint64_t)i, 0, &zs) < 0 ||
	    zip_set_file_compression(dst, (zip_uint64_t)idx, (zip_int32_t)zs.comp_method, 0) < 0)
		return accord_err(err, ACCORD_ERR_IO, path, "cannot copy '%s': %s", name,
				  zip_strerror(dst));
	return ACCORD_OK;
}

/* Before the package's first META-INF entry or descriptor, the new documents (once). */
static int add_documents_once(zip_t *dst, const doc_add *docs, int *done, accord_error *err)
{
	int rc = ACCORD_OK;

	for (size_t k = 0; docs && !*done && rc == ACCORD_OK && k < docs->n; k++)
		rc = add_document_file(dst, docs->files[k].path, docs->files[k].name, docs->store[k],
				       docs->level, err);
	*done = 1;
	return rc;
}

/* The entries of src (count of them) into dst: entries replace, drop or add, docs (may
 * be NULL) go in before the first META-INF entry or descriptor; folds are the entries'
 * collision keys, used[] marks those met. */
static int rewrite_into(zip_t *dst, zip_t *src, zip_int64_t count, const char *path,
			const accord_new_entry *entries, size_t n, int replace, const doc_add *docs,
			char **folds, unsigned char *used, accord_error *err)
{
	char *fold = NULL;
	int rc = ACCORD_OK, docs_done = 0;

	memset(used, 0, n ? n : 1);
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name = zip_get_name(src, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		size_t hit = n;
		int folded;
		if (!name)
			return accord_err(err, ACCORD_ERR_FORMAT, path, "unreadable entry %lld",
					  (long long)i);
		if (docs && !strncmp(name, "META-INF/", 9) && name[9] &&
		    strcmp(name, "META-INF/manifest.xml") != 0)
			return accord_err(err, ACCORD_ERR_PERM, path,
					  "holds '%s': what signs or timestamps the documents would no longer match them (documents change only before anyone signs)",
					  name);
		folded = accord_container_name_fold(name, &fold) == 0;
		for (size_t k = 0; folded && k < n && hit == n; k++)
			if (!strcmp(fold, folds[k]))
				hit = k;
		if (folded && docs) {
			const accord_name_ref *same = accord_name_index_find(&docs->ix, fold);
			if (same)
				rc = accord_err(err, ACCORD_ERR_PERM, docs->files[same->idx].path,
						"the package already holds '%s'", name);
		}
		free(fold);
		fold = NULL;
		if (rc != ACCORD_OK)
			return rc;
		if (hit < n && (!replace || strcmp(name, entries[hit].name) != 0))
			return accord_err(err, ACCORD_ERR_EXISTS, path, "entry '%s' already exists",
					  entries[hit].name);
		if (i > 0 && (!strncmp(name, "META-INF/", 9) || !strcmp(name, ACCORD_DESCRIPTOR_NAME)) &&
		    (rc = add_documents_once(dst, docs, &docs_done, err)) != ACCORD_OK)
			return rc;
		if (hit < n) {
			used[hit] = 1;
			if (!entries[hit].data)
				continue; /* replace with nothing: the entry is dropped */
			rc = add_buffer(dst, entries[hit].name, entries[hit].data, entries[hit].len, 0,
					path, err);
		} else {
			rc = copy_raw(dst, src, i, name, path, err);
		}
		if (rc != ACCORD_OK)
			return rc;
	}
	rc = add_documents_once(dst, docs, &docs_done, err);
	for (size_t k = 0; rc == ACCORD_OK && k < n; k++)
		if (!used[k] && !entries[k].data)
			rc = accord_err(err, ACCORD_ERR_NOTFOUND, path, "no entry '%s' to remove",
					entries[k].name);
		else if (!used[k])
			rc = add_buffer(dst, entries[k].name, entries[k].data, entries[k].len, 0, path,
					err);
	return rc;
}

static int rewrite(const char *path, const accord_new_entry *entries, size_t n, int replace,
		   doc_add *docs, accord_error *err)
{
	zip_t *src = NULL, *dst = NULL;
	char tmp[1100], why[200], **folds = NULL;
	unsigned char *used = NULL;
	deflated_docs dd = {docs ? docs->names : NULL, docs ? docs->store : NULL, docs ? docs->n : 0};
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
		/* META-INF entries only, but for a document edit: dropping a data file. */
		int allowed = name && (!strncmp(name, "META-INF/", 9) || (docs && !entries[i].data));
		if (!allowed || accord_container_name_check(name, strlen(name), why, sizeof why) < 0 ||
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
	/* Signature files: copied by the kernel, started early
	 * (accord_container_write_prepare); libzip for documents and what that cannot do. */
	if (!docs) {
		rc = accord_container_rewrite_fast(path, entries, n, folds, replace, err);
		if (rc != ACCORD_REWRITE_GENERAL)
			goto out;
		rc = ACCORD_OK;
	}
	accord_container_write_abandon();
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
	do { /* twice when a new document deflated too far: then it is stored */
		if ((rc = tmp_zip_open(path, tmp, sizeof tmp, &dst, err)) != ACCORD_OK)
			goto out;
		rc = rewrite_into(dst, src, count, path, entries, n, replace, docs, folds, used, err);
		if (rc != ACCORD_OK) {
			zip_discard(dst);
			remove_tmp_family(tmp);
			goto out;
		}
		rc = tmp_zip_commit(dst, tmp, path, 0, (int)(st.st_mode & 07777), &dd, err);
	} while (rc == DEFLATED_TOO_FAR);
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
	return rewrite(path, entries, n, 0, NULL, err);
}

int accord_container_update_entries(const char *path, const accord_new_entry *entries,
				    size_t n, accord_error *err)
{
	return rewrite(path, entries, n, 1, NULL, err);
}

/* ------------------------------------------------------- documents before signing */

/* The manifest of c with its items, less the one named drop (NULL: none), plus n_add new
 * ones (names; media types from types[k] when set, else guessed as pack does) before the
 * descriptor's, serialised. */
static int manifest_edit(const accord_container *c, const char *drop, char *const *add,
			 const char *const *types, size_t n_add, unsigned char **out, size_t *len,
			 accord_error *err)
{
	accord_manifest_item *items = NULL, *next = NULL;
	size_t n = 0, m = 0, at;
	int rc;

	rc = accord_manifest_parse(c->manifest.data, c->manifest.len, &items, &n, err);
	if (rc != ACCORD_OK)
		return rc;
	next = calloc(n + n_add + 1, sizeof *next);
	if (!next) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
		goto out;
	}
	for (at = 0; at < n && strcmp(items[at].path, ACCORD_DESCRIPTOR_NAME) != 0; at++)
		;
	for (size_t i = 0; i <= n; i++) {
		if (i == at)
			for (size_t k = 0; k < n_add; k++) {
				next[m].path = add[k];
				next[m++].media_type = (char *)(types && types[k] ? types[k]
									   : accord_media_type_guess(add[k]));
			}
		if (i < n && !(drop && !strcmp(items[i].path, drop)))
			next[m++] = items[i];
	}
	rc = accord_manifest_to_xml(next, m, out, len, err);
out:
	free(next);
	accord_manifest_free(items, n);
	return rc;
}

int accord_container_add_documents(const accord_container *c, const char *const *args, size_t n,
				   accord_error *err)
{
	doc_add docs;
	accord_pack_file *files = NULL;
	unsigned char *manifest = NULL;
	size_t manifest_len = 0, n_files = 0;
	accord_limits lim;
	uint64_t max_entries;
	accord_new_entry e;
	const char **types = NULL;
	char **have = NULL; /* the folded names of the documents the package holds */
	accord_name_index have_ix = {0};
	int rc;

	memset(&docs, 0, sizeof docs);
	if (!n)
		return accord_err(err, ACCORD_ERR_USAGE, c->path, "no documents to add");
	/* Named and compressed as pack names and compresses them; within the limits with
	 * what the package holds already and a signature file to come. */
	accord_limits_default(&lim);
	max_entries = lim.max_entries;
	lim.max_entries = UINT64_MAX;
	rc = documents_prepare(args, n, NULL, c->path, &lim, 6, &files, &n_files, &docs.store, err);
	if (rc != ACCORD_OK)
		return rc;
	if ((uint64_t)c->n_zip_entries + n_files + 1 > max_entries) {
		rc = accord_err(err, ACCORD_ERR_LIMIT, c->path,
				"holds %zu entries: %zu documents and a signature file more would exceed the limit of %llu (--max-entries)",
				c->n_zip_entries, n_files, (unsigned long long)max_entries);
		goto out;
	}
	docs.files = files;
	docs.n = n_files;
	docs.level = 6;
	docs.names = calloc(n_files, sizeof *docs.names);
	if (!docs.names) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < n_files; k++) {
		docs.names[k] = files[k].name;
		if (accord_name_index_add(&docs.ix, files[k].fold, k) < 0) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
			goto out;
		}
	}
	accord_name_index_sort(&docs.ix);
	if (!(have = calloc(c->n_entries ? c->n_entries : 1, sizeof *have))) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
		goto out;
	}
	/* Named for the file given; the rewrite checks again against what it copies. */
	for (size_t i = 0; i < c->n_entries; i++) {
		const accord_name_ref *same;
		if (accord_container_name_fold(c->entries[i].name, &have[i]) < 0)
			continue;
		if (accord_name_index_add(&have_ix, have[i], i) < 0) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
			goto out;
		}
		/* A new document that is the folder of one the package holds: the reader
		 * refuses a document inside another (zip_central.c). */
		if ((same = accord_name_index_folder(&docs.ix, have[i])) != NULL) {
			rc = accord_err(err, ACCORD_ERR_PERM, files[same->idx].path,
					"would be stored as '%s', a folder of '%s' the package holds (a document cannot also be a folder)",
					files[same->idx].name, c->entries[i].name);
			goto out;
		}
		same = accord_name_index_find(&docs.ix, have[i]);
		if (!same)
			continue;
		rc = strcmp(c->entries[i].name, files[same->idx].name)
			     ? accord_err(err, ACCORD_ERR_PERM, files[same->idx].path,
					  "would be stored as '%s', which the package already holds as '%s' (names must differ beyond case and Unicode normalisation)",
					  files[same->idx].name, c->entries[i].name)
			     : accord_err(err, ACCORD_ERR_PERM, files[same->idx].path,
					  "the package already holds a document '%s' (remove it first: accord remove --document)",
					  files[same->idx].name);
		goto out;
	}
	/* ... or one inside a document the package holds. */
	accord_name_index_sort(&have_ix);
	for (size_t k = 0; k < n_files; k++) {
		const accord_name_ref *doc = accord_name_index_folder(&have_ix, files[k].fold);
		if (doc) {
			rc = accord_err(err, ACCORD_ERR_PERM, files[k].path,
					"would be stored as '%s', inside '%s', a document the package holds (a document cannot also be a folder)",
					files[k].name, c->entries[doc->idx].name);
			goto out;
		}
	}
	/* Into an incident report, IODEF and STIX reports are checked and typed as pack does. */
	if (c->has_descriptor && c->descriptor.kind == ACCORD_KIND_INCIDENT_REPORT) {
		if (!(types = calloc(n_files, sizeof *types))) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, c->path, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < n_files; k++)
			if ((rc = accord_incident_file_check(files[k].path, 1, &types[k], NULL, err)) != ACCORD_OK)
				goto out;
	}
	if ((rc = manifest_edit(c, NULL, docs.names, types, n_files, &manifest, &manifest_len,
				err)) != ACCORD_OK)
		goto out;
	e.name = "META-INF/manifest.xml";
	e.data = manifest;
	e.len = manifest_len;
	rc = rewrite(c->path, &e, 1, 1, &docs, err);
out:
	accord_name_index_free(&have_ix);
	for (size_t i = 0; have && i < c->n_entries; i++)
		free(have[i]);
	free(have);
	accord_name_index_free(&docs.ix);
	accord_pack_files_free(files, n_files);
	free(docs.names);
	free(docs.store);
	free(types);
	free(manifest);
	return rc;
}

int accord_container_remove_document(const accord_container *c, const char *name,
				     accord_error *err)
{
	doc_add none = {0};
	unsigned char *manifest = NULL;
	size_t manifest_len = 0;
	accord_new_entry e[2];
	char why[200];
	int rc;

	if (accord_container_name_check(name, strlen(name), why, sizeof why) < 0)
		return accord_err(err, ACCORD_ERR_PERM, name, "not a name inside a package: %s", why);
	if (!strcmp(name, "mimetype") || !strncmp(name, "META-INF/", 9) ||
	    !strcmp(name, "META-INF") || !strcmp(name, ACCORD_DESCRIPTOR_NAME))
		return accord_err(err, ACCORD_ERR_PERM, name,
				  "is part of the package, not a document: it cannot be removed");
	if (!accord_container_find(c, name))
		return accord_err(err, ACCORD_ERR_NOTFOUND, name,
				  "no document of this name in '%s' (accord list shows them)", c->path);
	if (c->n_entries - (c->has_descriptor ? 1 : 0) <= 1)
		return accord_err(err, ACCORD_ERR_PERM, name,
				  "is the only document of '%s': a package holds at least one (add another first)",
				  c->path);
	if ((rc = manifest_edit(c, name, NULL, NULL, 0, &manifest, &manifest_len, err)) != ACCORD_OK)
		return rc;
	e[0].name = "META-INF/manifest.xml";
	e[0].data = manifest;
	e[0].len = manifest_len;
	e[1].name = name;
	e[1].data = NULL; /* dropped */
	e[1].len = 0;
	rc = rewrite(c->path, e, 2, 1, &none, err);
	free(manifest);
	return rc;
}
