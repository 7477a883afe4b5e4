/* formats/incident.c — recognising an incident report by its first bytes, and checking a
 * file before it is packed into an incident-report package. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "formats/incident.h"

#define HEAD_MAX (64u * 1024)
#define REPORT_MAX (64u * 1024 * 1024)

static const unsigned char *skip_space(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static const unsigned char *find(const unsigned char *p, const unsigned char *end, const char *s)
{
	const unsigned char *hit = memmem(p, (size_t)(end - p), s, strlen(s));

	return hit ? hit + strlen(s) : NULL;
}

/* The root element's local name: past the XML declaration, processing instructions,
 * comments and a DOCTYPE (which the parser refuses later anyway). */
static int xml_root_is(const unsigned char *p, const unsigned char *end, const char *local)
{
	while ((p = skip_space(p, end)) < end && *p == '<') {
		const unsigned char *name, *colon = NULL;
		if (end - p >= 2 && p[1] == '?')
			p = find(p, end, "?>");
		else if (end - p >= 4 && !memcmp(p, "<!--", 4))
			p = find(p + 4, end, "-->");
		else if (end - p >= 2 && p[1] == '!') {
			/* <!DOCTYPE ...>, or with an internal subset: <!DOCTYPE ... [ ... ]> */
			const unsigned char *gt = memchr(p, '>', (size_t)(end - p));
			const unsigned char *sub = memchr(p, '[', (size_t)(end - p));
			p = sub && gt && sub < gt ? find(sub, end, "]") : p;
			p = p ? find(p, end, ">") : NULL;
		}
		else {
			for (name = ++p; p < end && !strchr(" \t\r\n/>", *p); p++)
				if (*p == ':')
					colon = p;
			if (colon)
				name = colon + 1;
			return (size_t)(p - name) == strlen(local) && !memcmp(name, local, strlen(local));
		}
		if (!p)
			return 0;
	}
	return 0;
}

/* "type" : "bundle" somewhere in the head (a bundle says so first, in practice). */
static int json_says_bundle(const unsigned char *p, const unsigned char *end)
{
	while ((p = find(p, end, "\"type\"")) != NULL) {
		const unsigned char *q = skip_space(p, end);
		if (q < end && *q == ':') {
			q = skip_space(q + 1, end);
			if (end - q >= 8 && !memcmp(q, "\"bundle\"", 8))
				return 1;
		}
	}
	return 0;
}

/* The first byte past a BOM and white space opens a JSON object. */
static int starts_object(const unsigned char *head, size_t len)
{
	const unsigned char *end = head + len, *p = head;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	p = skip_space(p, end);
	return p < end && *p == '{';
}

accord_incident_format accord_incident_sniff(const unsigned char *head, size_t len)
{
	const unsigned char *end = head + len, *p = head;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	p = skip_space(p, end);
	if (p < end && *p == '<' && xml_root_is(p, end, "IODEF-Document"))
		return ACCORD_INCIDENT_IODEF;
	if (p < end && *p == '{' && json_says_bundle(p, end))
		return ACCORD_INCIDENT_STIX;
	return ACCORD_INCIDENT_NONE;
}

static int read_whole(int fd, const char *path, unsigned char **buf, size_t *len,
		      accord_error *err)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return accord_err(err, ACCORD_ERR_IO, path, "cannot read: %s", strerror(errno));
	return accord_fd_read(fd, REPORT_MAX, path, buf, len, err);
}

int accord_incident_file_check(const char *path, int validate, const char **media_type,
			       accord_incident_ids *ids, accord_error *err)
{
	unsigned char head[HEAD_MAX], *buf = NULL;
	size_t len = 0, got = 0;
	uint64_t size = 0;
	accord_incident_format f;
	int fd, rc;

	*media_type = NULL;
	if ((rc = accord_file_open_regular(path, &fd, &size, err)) != ACCORD_OK)
		return rc;
	while (got < sizeof head) {
		ssize_t n = read(fd, head + got, sizeof head - got);
		if (n < 0) {
			close(fd);
			return accord_err(err, ACCORD_ERR_IO, path, "cannot read: %s", strerror(errno));
		}
		if (!n)
			break;
		got += (size_t)n;
	}
	f = accord_incident_sniff(head, got);
	if (starts_object(head, got) && size <= REPORT_MAX) {
		/* JSON: a bundle is an object of type "bundle" at the top, wherever it says so
		 * (not one nested deeper); text that is not JSON but says "bundle" in its first
		 * bytes is a broken bundle, refused below. */
		rc = read_whole(fd, path, &buf, &len, err);
		if (rc == ACCORD_OK) {
			int bundle = accord_stix_is_bundle(buf, len);
			f = bundle > 0 || (bundle < 0 && f == ACCORD_INCIDENT_STIX) ? ACCORD_INCIDENT_STIX
										 : ACCORD_INCIDENT_NONE;
		}
	} else if (f != ACCORD_INCIDENT_NONE && validate) {
		rc = size > REPORT_MAX
			     ? accord_err(err, ACCORD_ERR_LIMIT, path,
					  "%s report larger than %u MiB cannot be validated (--no-validate packs it unchecked)",
					  f == ACCORD_INCIDENT_IODEF ? "an IODEF" : "a STIX", REPORT_MAX >> 20)
			     : read_whole(fd, path, &buf, &len, err);
	}
	close(fd);
	if (rc == ACCORD_OK && f != ACCORD_INCIDENT_NONE && validate)
		rc = f == ACCORD_INCIDENT_IODEF ? accord_iodef_validate(buf, len, path, ids, err)
						: accord_stix_validate(buf, len, path, err);
	free(buf);
	if (rc == ACCORD_OK && f != ACCORD_INCIDENT_NONE)
		*media_type = f == ACCORD_INCIDENT_IODEF ? ACCORD_IODEF_MEDIA_TYPE : ACCORD_STIX_MEDIA_TYPE;
	return rc;
}
