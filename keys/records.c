/* keys/records.c — what a CA has issued and revoked, the OCSP responder's source of truth.
 *
 * The records of the CA whose key is DIR/NAME.key are DIR/NAME.index (for a pkcs11: key,
 * beside the certificate: DIR/NAME.crt gives DIR/NAME.index), in the format of OpenSSL's
 * CA database ("index.txt", read by `openssl ca` and `openssl ocsp -index`): one line per
 * certificate, six fields separated by tabs:
 *   status      V (valid) or R (revoked)
 *   notAfter    YYMMDDHHMMSSZ (YYYYMMDDHHMMSSZ from 2050)
 *   revoked     empty, or YYMMDDHHMMSSZ[,reason] (reason as OpenSSL names it)
 *   serial      upper-case hex, no leading zero bytes
 *   file        "unknown"
 *   subject     /C=../O=../CN=.. (for people; never read back)
 * Lines starting with '#' are comments. Every change is a read-modify-write under an
 * exclusive flock of the file, written atomically (temporary file, fsync, rename). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <unistd.h>
#include "keys/keys.h"

#define RECORDS_MAX (64u * 1024 * 1024)
#define SERIAL_MAX 32

static const char records_header[] =
	"# accord CA records (OpenSSL index.txt format): status, notAfter, revoked[,reason],\n"
	"# serial, file, subject; tab-separated. Written by `accord keys issue` and\n"
	"# `accord keys revoke`, read by `accord ocsp`. Edit only with those commands.\n";

/* OpenSSL's names of the CRLReason values (crl_reasons in apps/lib/apps.c). */
static const char *const reason_names[] = {
	"unspecified", "keyCompromise", "CACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", NULL, "removeFromCRL",
};

const char *accord_crl_reason_name(int reason)
{
	if (reason < 0 || (size_t)reason >= sizeof reason_names / sizeof reason_names[0])
		return NULL;
	return reason_names[reason];
}

int accord_crl_reason_from_name(const char *name, int *reason)
{
	for (size_t i = 0; i < sizeof reason_names / sizeof reason_names[0]; i++) {
		if (reason_names[i] && !strcasecmp(name, reason_names[i]) &&
		    i != ACCORD_REASON_CERTIFICATE_HOLD && i != ACCORD_REASON_REMOVE_FROM_CRL) {
			*reason = (int)i;
			return ACCORD_OK;
		}
	}
	return ACCORD_ERR_USAGE;
}

int accord_ca_records_path(const char *ca_key, const char *ca_cert, char *buf, size_t n,
			   accord_error *err)
{
	const char *base = strncmp(ca_key, "pkcs11:", 7) ? ca_key : ca_cert;
	size_t len = strlen(base);

	if (len > 4 && (!strcmp(base + len - 4, ".key") || !strcmp(base + len - 4, ".crt") ||
			!strcmp(base + len - 4, ".pem")))
		len -= 4;
	if (snprintf(buf, n, "%.*s.index", (int)len, base) >= (int)n)
		return accord_err(err, ACCORD_ERR_USAGE, base, "path too long");
	return ACCORD_OK;
}

/* Serial of a certificate as the records write it: upper-case hex, leading zero bytes
 * dropped ("00" for zero). */
static int serial_hex(const unsigned char *s, size_t len, char *out, size_t size)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t j = 0;

	while (len > 1 && s[0] == 0) {
		s++;
		len--;
	}
	if (len == 0 || 2 * len + 1 > size)
		return -1;
	for (size_t i = 0; i < len; i++) {
		out[j++] = digits[s[i] >> 4];
		out[j++] = digits[s[i] & 15];
	}
	out[j] = '\0';
	return 0;
}

int accord_ca_serial_hex(const unsigned char *serial, size_t len, char *out, size_t size)
{
	return serial_hex(serial, len, out, size);
}

/* YYMMDDHHMMSSZ before 2050, YYYYMMDDHHMMSSZ after (RFC 5280 4.1.2.5). */
static void index_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	int year;

	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	snprintf(buf, n, "%0*d%02d%02d%02d%02d%02dZ", year < 2050 ? 2 : 4,
		 year < 2050 ? year % 100 : year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

static int parse_index_time(const char *s, size_t len, time_t *out)
{
	struct tm tm;
	int year;

	memset(&tm, 0, sizeof tm);
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (len == 13 && s[12] == 'Z') {
		year = (s[0] - '0') * 10 + (s[1] - '0');
		tm.tm_year = (year < 50 ? 2000 + year : 1900 + year) - 1900;
		s += 2;
	} else if (len == 15 && s[14] == 'Z') {
		year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		tm.tm_year = year - 1900;
		s += 4;
	} else {
		return -1;
	}
	tm.tm_mon = (s[0] - '0') * 10 + (s[1] - '0') - 1;
	tm.tm_mday = (s[2] - '0') * 10 + (s[3] - '0');
	tm.tm_hour = (s[4] - '0') * 10 + (s[5] - '0');
	tm.tm_min = (s[6] - '0') * 10 + (s[7] - '0');
	tm.tm_sec = (s[8] - '0') * 10 + (s[9] - '0');
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	*out = timegm(&tm);
	return 0;
}

/* One record line, split in place. */
struct record_line {
	char *fields[6];
};

static int split_line(char *line, struct record_line *r)
{
	int i = 0;
	char *p = line;

	for (; i < 6; i++) {
		r->fields[i] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return i == 5 ? 0 : -1; /* exactly six fields */
}

/* Parse one line into a record; -1 with why when malformed. */
static int parse_record(char *line, accord_ca_record *out, char *why, size_t whylen)
{
	struct record_line r;
	char *comma;
	size_t slen;

	memset(out, 0, sizeof *out);
	out->reason = -1;
	if (split_line(line, &r) != 0) {
		snprintf(why, whylen, "expected six tab-separated fields");
		return -1;
	}
	if (strcmp(r.fields[0], "V") && strcmp(r.fields[0], "R") && strcmp(r.fields[0], "E")) {
		snprintf(why, whylen, "status '%.8s' is not V, R or E", r.fields[0]);
		return -1;
	}
	out->revoked = r.fields[0][0] == 'R';
	if (parse_index_time(r.fields[1], strlen(r.fields[1]), &out->not_after) != 0) {
		snprintf(why, whylen, "expiry '%.20s' is not a time", r.fields[1]);
		return -1;
	}
	if (out->revoked) {
		comma = strchr(r.fields[2], ',');
		if (parse_index_time(r.fields[2], comma ? (size_t)(comma - r.fields[2]) : strlen(r.fields[2]),
				     &out->revoked_at) != 0) {
			snprintf(why, whylen, "revocation time '%.20s' is not a time", r.fields[2]);
			return -1;
		}
		if (comma && accord_crl_reason_from_name(comma + 1, &out->reason) != ACCORD_OK) {
			snprintf(why, whylen, "revocation reason '%.30s' is not known", comma + 1);
			return -1;
		}
	} else if (r.fields[2][0]) {
		snprintf(why, whylen, "a certificate that is not revoked has a revocation time");
		return -1;
	}
	slen = strlen(r.fields[3]);
	if (slen == 0 || slen % 2 || slen > 2 * SERIAL_MAX ||
	    strspn(r.fields[3], "0123456789ABCDEFabcdef") != slen) {
		snprintf(why, whylen, "serial '%.70s' is not hex", r.fields[3]);
		return -1;
	}
	snprintf(out->serial_hex, sizeof out->serial_hex, "%s", r.fields[3]);
	for (char *c = out->serial_hex; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	return 0;
}

/* The next line of [*p, end) without its newline (and a trailing CR); 0 at the end. */
static int next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char *nl;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p += *len + (nl ? 1 : 0);
	if (*len && (*line)[*len - 1] == '\r')
		(*len)--;
	return 1;
}

/* Copy a line and parse it. 0: a record; 1: blank or a comment; -1: malformed (why). */
static int read_record(const char *src, size_t n, accord_ca_record *r, char *why, size_t whylen)
{
	char line[1024];

	if (n >= sizeof line) {
		snprintf(why, whylen, "longer than %zu bytes", sizeof line - 1);
		return -1;
	}
	if (memchr(src, '\0', n)) {
		snprintf(why, whylen, "holds a NUL byte");
		return -1;
	}
	memcpy(line, src, n);
	line[n] = '\0';
	if (!line[0] || line[0] == '#')
		return 1;
	return parse_record(line, r, why, whylen);
}

/* Walk the records: cb for each one (0 continue, 1 stop). A malformed line is an error
 * naming the file and line: a responder must not guess. */
typedef int (*record_cb)(const accord_ca_record *r, void *ud);

static int records_walk(const char *path, const unsigned char *data, size_t len, record_cb cb,
			void *ud, accord_error *err)
{
	const char *p = (const char *)data, *end = p + len, *line;
	char why[160];
	size_t n;
	int lineno = 0, got;

	while (next_line(&p, end, &line, &n)) {
		accord_ca_record r;

		lineno++;
		got = read_record(line, n, &r, why, sizeof why);
		if (got < 0)
			return accord_err(err, ACCORD_ERR_FORMAT, path, "line %d: %s", lineno, why);
		if (got == 0 && cb(&r, ud))
			break;
	}
	return ACCORD_OK;
}

struct find_ctx {
	const char *const *serials;
	size_t n;
	accord_ca_record *out;
	int *found;
	size_t left;
};

static int find_cb(const accord_ca_record *r, void *ud)
{
	struct find_ctx *f = ud;

	for (size_t i = 0; i < f->n; i++) {
		if (f->found[i] || strcmp(r->serial_hex, f->serials[i]) != 0)
			continue;
		f->out[i] = *r;
		f->found[i] = 1;
		f->left--;
	}
	return f->left == 0;
}

int accord_ca_records_find(const char *path, const char *const *serials, size_t n,
			   accord_ca_record *out, int *found, accord_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	struct find_ctx f = {serials, n, out, found, n};
	int rc;

	memset(out, 0, n * sizeof *out);
	memset(found, 0, n * sizeof *found);
	rc = accord_file_read(path, RECORDS_MAX, &data, &len, err);
	if (rc != ACCORD_OK)
		return rc;
	rc = n ? records_walk(path, data, len, find_cb, &f, err) : ACCORD_OK;
	free(data);
	return rc;
}

/* The subject for people: /C=../O=../CN=.., tabs, newlines and slashes in values made
 * harmless (the field is never read back). */
static void subject_line(gnutls_x509_crt_t crt, char *out, size_t size)
{
	static const struct {
		const char *oid, *label;
	} parts[] = {
		{GNUTLS_OID_X520_COUNTRY_NAME, "C"},
		{GNUTLS_OID_X520_ORGANIZATION_NAME, "O"},
		{GNUTLS_OID_X520_COMMON_NAME, "CN"},
	};
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		char v[256];
		size_t vn = sizeof v;
		int w;

		if (gnutls_x509_crt_get_dn_by_oid(crt, parts[i].oid, 0, 0, v, &vn) < 0)
			continue;
		for (char *c = v; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == '/' || *c == 0x7f)
				*c = '_';
		w = snprintf(out + used, size - used, "/%s=%s", parts[i].label, v);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
}

/* Read-modify-write under the lock: the old content (may be empty), a new line for
 * SERIAL or a replacement of its line, written atomically. */
static int records_lock(const char *path, int *fd, accord_error *err)
{
	int created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (created >= 0) {
		/* A new file: the header first, so that it is never empty. */
		ssize_t w = write(created, records_header, sizeof records_header - 1);
		int ok = w == (ssize_t)(sizeof records_header - 1) && fsync(created) == 0;
		close(created);
		if (!ok) {
			unlink(path);
			return accord_err(err, ACCORD_ERR_IO, path, "cannot write: %s", strerror(errno));
		}
		(void)accord_fsync_dir_of(path, NULL);
	} else if (errno != EEXIST) {
		return accord_err(err, ACCORD_ERR_IO, path, "cannot create: %s", strerror(errno));
	}
	{
		char *real = NULL;
		int rc = accord_package_lock(path, fd, &real, err);
		free(real);
		return rc;
	}
}

/* One record line: V or R, notAfter, revocation time[,reason], serial, file, subject. */
static size_t format_record(char *buf, size_t size, int revoked, time_t not_after, time_t when,
			    int reason, const char *hex, const char *subject)
{
	char exp[20], rev[64] = "";
	int n;

	index_time(not_after, exp, sizeof exp);
	if (revoked) {
		index_time(when, rev, sizeof rev);
		if (reason >= 0 && accord_crl_reason_name(reason))
			snprintf(rev + strlen(rev), sizeof rev - strlen(rev), ",%s",
				 accord_crl_reason_name(reason));
	}
	n = snprintf(buf, size, "%s\t%s\t%s\t%s\tunknown\t%s\n", revoked ? "R" : "V", exp, rev, hex,
		     subject);
	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* Read-modify-write under the lock: a new line for the certificate's serial, or (when
 * revoking) its line turned into R; a revocation already recorded stands, as in the CRL. */
static int records_update(const char *path, gnutls_x509_crt_t crt, int revoke, time_t when,
			  int reason, accord_error *err)
{
	unsigned char *data = NULL, serial[64];
	size_t len = 0, sz = sizeof serial, out_len = 0, n;
	char hex[2 * SERIAL_MAX + 1], subject[400], why[160];
	char *out = NULL;
	const char *p, *end, *line;
	time_t not_after = gnutls_x509_crt_get_expiration_time(crt);
	int rc, fd = -1, found = 0, lineno = 0, got;

	if (gnutls_x509_crt_get_serial(crt, serial, &sz) < 0 || serial_hex(serial, sz, hex, sizeof hex))
		return accord_err(err, ACCORD_ERR_FORMAT, path, "certificate serial unreadable or too long");
	subject_line(crt, subject, sizeof subject);
	rc = records_lock(path, &fd, err);
	if (rc != ACCORD_OK)
		return rc;
	accord_tmp_cleanup_stale(path);
	rc = accord_file_read(path, RECORDS_MAX, &data, &len, err);
	if (rc != ACCORD_OK)
		goto out;
	out = malloc(len + 1024 + 1);
	if (!out) {
		rc = accord_err(err, ACCORD_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	for (p = (const char *)data, end = p + len; next_line(&p, end, &line, &n);) {
		accord_ca_record cur;

		lineno++;
		got = read_record(line, n, &cur, why, sizeof why);
		if (got < 0) {
			rc = accord_err(err, ACCORD_ERR_FORMAT, path, "line %d: %s", lineno, why);
			goto out;
		}
		if (got == 0 && !strcmp(cur.serial_hex, hex)) {
			found = 1;
			if (!revoke) {
				rc = accord_err(err, ACCORD_ERR_EXISTS, path,
						"line %d: serial %s is already recorded", lineno, hex);
				goto out;
			}
			if (!cur.revoked) {
				out_len += format_record(out + out_len, 1024, 1, not_after, when, reason,
							 hex, subject);
				continue;
			}
		}
		memcpy(out + out_len, line, n);
		out_len += n;
		out[out_len++] = '\n';
	}
	if (!found)
		out_len += format_record(out + out_len, 1024, revoke, not_after, when, reason, hex,
					 subject);
	rc = accord_file_write_atomic(path, out, out_len, 0644, 0, err);
out:
	free(out);
	free(data);
	accord_package_unlock(fd);
	return rc;
}

int accord_ca_record_issued(const char *path, gnutls_x509_crt_t crt, accord_error *err)
{
	return records_update(path, crt, 0, 0, -1, err);
}

int accord_ca_record_revoked(const char *path, gnutls_x509_crt_t crt, time_t when, int reason,
			     accord_error *err)
{
	return records_update(path, crt, 1, when, reason, err);
}
