/* util/conf.c — the "key = value" configuration files of accord's services (tsa.conf,
 * ocsp.conf): '#' comments, blank lines, one setting a line. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "util/internal.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int accord_conf_read(const char *path, size_t max, accord_conf_fn fn, void *ud,
		     accord_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char *line, *save = NULL;
	int rc, lineno = 0;

	rc = accord_file_read(path, max, &data, &len, err);
	if (rc != ACCORD_OK)
		return rc;
	if (memchr(data, '\0', len)) {
		rc = accord_err(err, ACCORD_ERR_FORMAT, path, "holds a NUL byte: not a configuration file");
		goto out;
	}
	for (line = strtok_r((char *)data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *key, *val;
		lineno++;
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, path, "line %d: expected 'key = value'", lineno);
			goto out;
		}
		*eq = '\0';
		val = trim(eq + 1);
		key = trim(key);
		rc = fn(ud, key, val, lineno, path, err);
		if (rc != ACCORD_OK)
			goto out;
	}
	rc = ACCORD_OK;
out:
	free(data);
	return rc;
}
