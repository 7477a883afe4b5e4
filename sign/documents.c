/* sign/documents.c — `accord add` and `accord remove --document`: change the documents of
 * a package before anyone has signed, as DigiDoc users can. Every accord signature covers
 * every document and the descriptor: once one exists, an added document would not be
 * covered by it and a removed one would break it, so both are refused, naming the
 * signatures to remove first. The container rewrite itself is formats/container_write.c. */
#include <string.h>
#include "sign/sign.h"

/* Refuse (ACCORD_ERR_PERM) when c holds a signature file: what changes, and the Ids. */
static int refuse_signed(const accord_container *c, const char *package, const char *what,
			 accord_error *err)
{
	accord_signature_info *info = NULL;
	accord_error ignored;
	char ids[300] = "";
	size_t n = 0, shown = 0, len = 0;

	if (!c->n_signatures)
		return ACCORD_OK;
	accord_error_clear(&ignored);
	if (accord_container_signatures(c, &info, &n, &ignored) == ACCORD_OK)
		for (size_t i = 0; i < n; i++) {
			if (info[i].master_id[0] || !info[i].id[0])
				continue; /* countersignatures go with the signature they endorse */
			if (shown++ < 3 && len < sizeof ids)
				len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%s", len ? ", " : "",
							info[i].id);
		}
	free(info);
	if (!shown) /* unreadable signature files: name the files instead */
		for (size_t i = 0; i < c->n_signatures && len < sizeof ids; i++, shown++)
			len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%s", len ? ", " : "",
						c->signatures[i].name);
	return accord_err(err, ACCORD_ERR_PERM, package,
			  "is signed (%s%s): %s; documents change only before anyone signs (remove the signatures first: accord remove --signature ID)",
			  ids, shown > 3 ? ", ..." : "", what);
}

/* Add files (n of them), or drop the document named drop, under the package's lock. */
static int edit_unlocked(const char *package, const char *const *files, size_t n,
			 const char *drop, accord_error *err)
{
	accord_container *c = NULL;
	accord_limits lim;
	char what[400];
	int rc;

	accord_limits_default(&lim);
	rc = accord_container_open(package, &lim, &c, err);
	if (rc)
		return rc;
	if (drop)
		snprintf(what, sizeof what, "removing '%s' would break %s", drop,
			 c->n_signatures > 1 ? "them" : "it");
	else
		snprintf(what, sizeof what, "%s%s would not be covered by %s", files[0],
			 n > 1 ? " and the others" : "", c->n_signatures > 1 ? "them" : "it");
	rc = refuse_signed(c, package, what, err);
	if (!rc)
		rc = drop ? accord_container_remove_document(c, drop, err)
			  : accord_container_add_documents(c, files, n, err);
	accord_container_free(c);
	return rc;
}

static int edit(const char *package, const char *const *files, size_t n, const char *drop,
		accord_error *err)
{
	char *real = NULL;
	int fd = -1, rc = accord_package_lock(package, &fd, &real, err);

	if (rc)
		return rc;
	rc = edit_unlocked(real, files, n, drop, err);
	accord_package_unlock(fd);
	free(real);
	return rc;
}

int accord_add_documents(const char *package, const char *const *files, size_t n,
			 accord_error *err)
{
	if (!package || !files || !n)
		return accord_err(err, ACCORD_ERR_USAGE, "add", "no documents to add");
	return edit(package, files, n, NULL, err);
}

int accord_remove_document(const char *package, const char *name, accord_error *err)
{
	if (!package || !name)
		return accord_err(err, ACCORD_ERR_USAGE, "remove", "no document to remove");
	return edit(package, NULL, 0, name, err);
}
