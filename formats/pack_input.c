/* formats/pack_input.c — what goes into a new package: the documents named (folders
 * walked, sorted, never leaving them through a symlink), the path each is stored under
 * (relative, as given), the checks that make pack refuse what sign and verify would
 * then refuse (names, limits), and how each is compressed (by content, not by name). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "formats/container.h"

#define WALK_MAX_DEPTH 128
#define TRIAL_BYTES 65536

typedef struct collect {
	accord_pack_file *v;
	size_t n, cap;
	dev_t out_dev;    /* the output package, never packed into itself */
	ino_t out_ino;
	int have_out;
	accord_error *err;
} collect;

static char *join(const char *a, const char *b)
{
	char *s = NULL;

	if (!a || !a[0])
		return strdup(b);
	if (!b[0] || !strcmp(b, "."))
		return strdup(a);
	return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

static int push(collect *c, const char *path, const char *name, const struct stat *st)
{
	if (c->have_out && st->st_dev == c->out_dev && st->st_ino == c->out_ino)
		return ACCORD_OK;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 64;
		accord_pack_file *g = realloc(c->v, ncap * sizeof *g);
		if (!g)
			return accord_err(c->err, ACCORD_ERR_NOMEM, path, "out of memory");
		c->v = g;
		c->cap = ncap;
	}
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	c->v[c->n].path = strdup(path);
	c->v[c->n].name = strdup(name);
	c->v[c->n].size = (uint64_t)st->st_size;
	if (!c->v[c->n].path || !c->v[c->n].name) {
		free(c->v[c->n].path);
		free(c->v[c->n].name);
		return accord_err(c->err, ACCORD_ERR_NOMEM, path, "out of memory");
	}
	c->n++;
	return ACCORD_OK;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

/* Is real (a resolved path) root itself or inside it? */
static int inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return 1;
	return !strncmp(root, real, n) && (real[n] == '/' || !real[n]);
}

/* The files of folder path (stored under name), sorted by name, recursively. */
static int walk(collect *c, const char *root_real, const char *path, const char *name,
		int depth)
{
	struct dirent **list = NULL;
	int n, rc = ACCORD_OK;

	if (depth > WALK_MAX_DEPTH)
		return accord_err(c->err, ACCORD_ERR_LIMIT, path, "folders nested deeper than %d levels",
				  WALK_MAX_DEPTH);
	n = scandir(path, &list, skip_dots, by_name);
	if (n < 0)
		return accord_err(c->err, ACCORD_ERR_IO, path, "cannot read the folder: %s",
				  strerror(errno));
	for (int i = 0; i < n; i++) {
		char *p = rc ? NULL : join(path, list[i]->d_name);
		char *nm = rc ? NULL : join(name, list[i]->d_name);
		struct stat st;
		if (rc) {
			free(list[i]);
			continue;
		}
		if (!p || !nm)
			rc = accord_err(c->err, ACCORD_ERR_NOMEM, path, "out of memory");
		else if (lstat(p, &st) < 0)
			rc = accord_err(c->err, ACCORD_ERR_IO, p, "cannot read: %s", strerror(errno));
		else if (S_ISLNK(st.st_mode)) {
			/* Followed only to a file inside the folder packed. */
			char *real = realpath(p, NULL);
			if (!real || stat(real, &st) < 0)
				rc = accord_err(c->err, ACCORD_ERR_IO, p, "a symbolic link that leads nowhere (not packed)");
			else if (!inside(root_real, real))
				rc = accord_err(c->err, ACCORD_ERR_USAGE, p,
						"a symbolic link leading out of the folder packed (not followed)");
			else if (!S_ISREG(st.st_mode))
				rc = accord_err(c->err, ACCORD_ERR_USAGE, p,
						"a symbolic link to something other than a file (not followed)");
			else
				rc = push(c, p, nm, &st);
			free(real);
		} else if (S_ISDIR(st.st_mode))
			rc = walk(c, root_real, p, nm, depth + 1);
		else if (S_ISREG(st.st_mode))
			rc = push(c, p, nm, &st);
		else
			rc = accord_err(c->err, ACCORD_ERR_USAGE, p,
					"not a regular file (a FIFO, socket or device is not packed)");
		free(p);
		free(nm);
		free(list[i]);
	}
	free(list);
	return rc;
}

/* The name an argument is stored under: the path as given, without "." and empty
 * components; an absolute path or one through ".." gives only its last component (the
 * package holds nothing above the folder it was packed from; for "/x/.." the name of the
 * folder it leads to). "" for "." itself. path is where the argument is read from. */
static int stored_name(const char *arg, const char *path, char **out, accord_error *err)
{
	char *copy = strdup(arg), *res = calloc(strlen(arg) + 1, 1), *save = NULL, *tok;
	const char *last = NULL;
	int up = arg[0] == '/';

	*out = NULL;
	if (!copy || !res) {
		free(copy);
		free(res);
		return accord_err(err, ACCORD_ERR_NOMEM, arg, "out of memory");
	}
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		size_t at = strlen(res), tl = strlen(tok);
		last = tok;
		if (!strcmp(tok, ".."))
			up = 1;
		if (!strcmp(tok, ".") || !strcmp(tok, ".."))
			continue;
		if (at)
			res[at++] = '/';
		memcpy(res + at, tok, tl + 1); /* res holds strlen(arg) + 1: it fits */
	}
	if (up) {
		char *real = NULL, *base;
		if (last && strcmp(last, ".") && strcmp(last, ".."))
			base = (char *)last;
		else if ((real = realpath(path, NULL)) != NULL && strcmp(real, "/"))
			base = strrchr(real, '/') + 1;
		else
			base = NULL;
		if (base)
			memmove(res, base, strlen(base) + 1);
		free(real);
		if (!base) {
			free(copy);
			free(res);
			return accord_err(err, ACCORD_ERR_USAGE, arg,
					  "has no name to store it under (give a path inside the current folder, or use -C)");
		}
	}
	free(copy);
	*out = res;
	return ACCORD_OK;
}

static int reserved(const char *name)
{
	return !strcmp(name, "mimetype") || !strcmp(name, ACCORD_DESCRIPTOR_NAME) ||
	       (!strncasecmp(name, "META-INF", 8) && (!name[8] || name[8] == '/'));
}

/* The reader's rules on every name, no two alike beyond case and normalisation, no
 * document that is also a folder of another: what zip_central.c refuses on reading. */
static int check_names(accord_pack_file *v, size_t n, accord_error *err)
{
	accord_name_index ix = {0};
	const accord_name_ref *dup, *first;
	char why[200];
	int rc = ACCORD_OK;

	for (size_t i = 0; i < n; i++) {
		if (accord_container_name_check(v[i].name, strlen(v[i].name), why, sizeof why) < 0)
			return accord_err(err, ACCORD_ERR_USAGE, v[i].path, "cannot be stored as '%s': %s",
					  v[i].name, why);
		if (reserved(v[i].name))
			return accord_err(err, ACCORD_ERR_USAGE, v[i].path,
					  "the name '%s' is reserved in a container (rename the file)",
					  v[i].name);
		if (accord_container_name_fold(v[i].name, &v[i].fold) < 0)
			return accord_err(err, ACCORD_ERR_USAGE, v[i].path,
					  "cannot be stored: the name has characters that cannot be normalised");
		if (accord_name_index_add(&ix, v[i].fold, i) < 0) {
			accord_name_index_free(&ix);
			return accord_err(err, ACCORD_ERR_NOMEM, v[i].path, "out of memory");
		}
	}
	accord_name_index_sort(&ix);
	if ((dup = accord_name_index_repeat(&ix, &first)) != NULL) {
		rc = accord_err(err, ACCORD_ERR_USAGE, v[dup->idx].path,
				"two documents would be stored as '%s' and '%s' (names must differ beyond case and Unicode normalisation)",
				v[first->idx].name, v[dup->idx].name);
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const accord_name_ref *hit = accord_name_index_folder(&ix, v[i].fold);
		if (hit)
			rc = accord_err(err, ACCORD_ERR_USAGE, v[i].path,
					"'%s' would be both a document and the folder of '%s'",
					v[hit->idx].name, v[i].name);
	}
out:
	accord_name_index_free(&ix);
	return rc;
}

void accord_pack_files_free(accord_pack_file *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].path);
		free(v[i].name);
		free(v[i].fold);
	}
	free(v);
}

int accord_pack_collect(const char *const *args, size_t n_args, const char *base_dir,
			const char *out_path, const accord_limits *lim, accord_pack_file **out,
			size_t *n_out, accord_error *err)
{
	collect c;
	struct stat st;
	uint64_t total = 0;
	int rc = ACCORD_OK;

	memset(&c, 0, sizeof c);
	c.err = err;
	*out = NULL;
	*n_out = 0;
	if (out_path && stat(out_path, &st) == 0) {
		c.have_out = 1;
		c.out_dev = st.st_dev;
		c.out_ino = st.st_ino;
	}
	for (size_t i = 0; i < n_args && !rc; i++) {
		char *path = args[i][0] == '/' || !base_dir ? strdup(args[i]) : join(base_dir, args[i]);
		char *name = NULL;
		if (!path) {
			rc = accord_err(err, ACCORD_ERR_NOMEM, args[i], "out of memory");
			break;
		}
		if ((rc = stored_name(args[i], path, &name, err)) != ACCORD_OK) {
			free(path);
			break;
		}
		if (stat(path, &st) < 0)
			rc = accord_err(err, errno == ENOENT ? ACCORD_ERR_NOTFOUND : ACCORD_ERR_IO,
					args[i], "cannot read: %s", strerror(errno));
		else if (S_ISDIR(st.st_mode)) {
			char *real = realpath(path, NULL);
			rc = real ? walk(&c, real, path, name, 0)
				  : accord_err(err, ACCORD_ERR_IO, args[i], "cannot read the folder: %s",
					       strerror(errno));
			free(real);
		} else if (!S_ISREG(st.st_mode) || access(path, R_OK) < 0)
			rc = accord_err(err, ACCORD_ERR_IO, args[i], "not a readable regular file");
		else if (c.have_out && st.st_dev == c.out_dev && st.st_ino == c.out_ino)
			rc = accord_err(err, ACCORD_ERR_USAGE, args[i], "is the package being written");
		else if (!name[0])
			rc = accord_err(err, ACCORD_ERR_USAGE, args[i], "has no name to store it under");
		else
			rc = push(&c, path, name, &st);
		free(path);
		free(name);
	}
	if (!rc && c.n == 0)
		rc = accord_err(err, ACCORD_ERR_USAGE, "pack", "no documents to pack (the folders are empty)");
	/* The documents, the descriptor, the manifest, mimetype and a first signature file:
	 * what sign writes next must still open. */
	if (!rc && (lim->max_entries < 4 || (uint64_t)c.n > lim->max_entries - 4))
		rc = accord_err(err, ACCORD_ERR_LIMIT, "pack",
				"%zu documents: with the descriptor, the manifest, mimetype and a signature file the package would hold %llu entries, more than the limit of %llu (--max-entries)",
				c.n, (unsigned long long)c.n + 4, (unsigned long long)lim->max_entries);
	for (size_t i = 0; !rc && i < c.n; i++) {
		if (c.v[i].size > lim->max_entry_size)
			rc = accord_err(err, ACCORD_ERR_LIMIT, c.v[i].path,
					"%llu bytes, more than the limit of %llu per entry (--max-size)",
					(unsigned long long)c.v[i].size,
					(unsigned long long)lim->max_entry_size);
		else if (accord_add_u64(total, c.v[i].size, &total) < 0 || total > lim->max_total_size)
			rc = accord_err(err, ACCORD_ERR_LIMIT, c.v[i].path,
					"the documents exceed the limit of %llu bytes in all (--max-total)",
					(unsigned long long)lim->max_total_size);
	}
	if (!rc)
		rc = check_names(c.v, c.n, err);
	if (rc) {
		accord_pack_files_free(c.v, c.n);
		return rc;
	}
	*out = c.v;
	*n_out = c.n;
	return ACCORD_OK;
}

/* ------------------------------------------------------------------ compression */

/* Formats that are compressed already, known by their first bytes: PDF, images, audio
 * and video, and archives (office documents and packages are ZIP files). */
static int compressed_magic(const unsigned char *b, size_t n)
{
	static const struct {
		size_t off, len;
		const char *bytes;
	} magic[] = {
		{0, 5, "%PDF-"},
		{0, 4, "\x89PNG"},
		{0, 3, "\xff\xd8\xff"},         /* JPEG */
		{0, 4, "GIF8"},
		{0, 4, "PK\x03\x04"},           /* ZIP: office documents, ASiC, JAR, EPUB */
		{0, 2, "\x1f\x8b"},             /* gzip */
		{0, 3, "BZh"},
		{0, 6, "\xfd" "7zXZ\0"},
		{0, 6, "7z\xbc\xaf\x27\x1c"},
		{0, 4, "\x28\xb5\x2f\xfd"},     /* zstd */
		{0, 4, "Rar!"},
		{0, 4, "OggS"},
		{0, 3, "ID3"},                  /* MP3 */
		{0, 4, "fLaC"},
		{0, 4, "\x1a\x45\xdf\xa3"},     /* WebM, Matroska */
		{4, 4, "ftyp"},                 /* MP4, MOV, HEIC, AVIF */
		{8, 4, "WEBP"},
	};

	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (n >= magic[i].off + magic[i].len &&
		    !memcmp(b + magic[i].off, magic[i].bytes, magic[i].len))
			return 1;
	return 0;
}

/* Does deflating the first bytes save at least 3% (as zip tries before it stores)? */
static int trial_deflate_pays(const unsigned char *b, size_t n, int level)
{
	unsigned char out[TRIAL_BYTES + 1024];
	z_stream z;
	int r;

	int bits = 9;

	if (!n)
		return 0;
	/* A window and hash no larger than the data: zlib clears them on every start,
	 * which would cost more than a small file's trial itself. */
	while (bits < 15 && ((size_t)1 << bits) < n)
		bits++;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, -bits, bits - 7, Z_DEFAULT_STRATEGY) != Z_OK)
		return 1; /* undecided: deflate, as before */
	z.next_in = (unsigned char *)b;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = sizeof out;
	r = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (r != Z_STREAM_END)
		return 0; /* did not even fit: it grows */
	return (uint64_t)z.total_out * 100 <= (uint64_t)n * 97;
}

int accord_pack_should_deflate(const char *path, int level, accord_error *err)
{
	unsigned char head[TRIAL_BYTES];
	ssize_t got;
	size_t n = 0;
	int fd;

	if (level <= 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a regular file, checked */
	if (fd < 0)
		return accord_err(err, ACCORD_ERR_IO, path, "cannot read: %s", strerror(errno)), -1;
	while (n < sizeof head && (got = read(fd, head + n, sizeof head - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			accord_err(err, ACCORD_ERR_IO, path, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		n += (size_t)got;
	}
	close(fd);
	if (compressed_magic(head, n))
		return 0;
	return trial_deflate_pays(head, n, level > 9 ? 9 : level);
}
