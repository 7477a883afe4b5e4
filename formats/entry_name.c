/* formats/entry_name.c — the rules for a path inside a container, the collision key two
 * names share (NFC, lower case), and entry names made safe to print in errors. */
#define _GNU_SOURCE
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include <gnutls/gnutls.h>
#include "formats/container_read.h"

/* Decode one UTF-8 sequence strictly (no overlongs, no surrogates); -1 if invalid. */
static int utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	unsigned char c = s[*i];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return 0;
	}
	if ((c & 0xE0) == 0xC0) {
		n = 1, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3, v = c & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (*i + n >= len)
		return -1;
	for (size_t k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (s[*i + k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	*i += n + 1;
	return 0;
}

static int why_set(char *why, size_t n, const char *msg)
{
	snprintf(why, n, "%s", msg);
	return -1;
}

int accord_container_name_check(const char *name, size_t len, char *why, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t start = 0, i;

	if (len == 0)
		return why_set(why, n, "empty entry name");
	if (memchr(name, '\0', len))
		return why_set(why, n, "entry name contains a NUL byte");
	if (len > NAME_MAX_BYTES)
		return why_set(why, n, "entry name longer than 1024 bytes");
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] == 0x7F)
			return why_set(why, n, "entry name contains a control character");
	if (memchr(name, '\\', len))
		return why_set(why, n, "entry name contains a backslash");
	if (name[0] == '/')
		return why_set(why, n, "entry name is absolute (leading '/')");
	if (len >= 2 && ((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':')
		return why_set(why, n, "entry name starts with a drive letter");
	if (memchr(name, ':', len))
		return why_set(why, n, "entry name contains ':' (a drive or stream separator)");
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != '/')
			continue;
		size_t clen = i - start;
		if (clen == 0)
			return why_set(why, n, "entry name has an empty component ('//' or a trailing '/')");
		if (clen == 2 && !memcmp(name + start, "..", 2))
			return why_set(why, n, "entry name contains '..'");
		if (clen == 1 && name[start] == '.')
			return why_set(why, n, "entry name has a '.' component");
		if (clen > COMPONENT_MAX_BYTES)
			return why_set(why, n, "entry name component longer than 255 bytes");
		start = i + 1;
	}
	for (i = 0; i < len;) {
		uint32_t cp;
		if (utf8_next(s, len, &i, &cp) < 0)
			return why_set(why, n, "entry name is not valid UTF-8");
		if (cp >= 0x80 && cp <= 0x9F)
			return why_set(why, n, "entry name contains a control character");
		/* Bidirectional controls make "evil\u202Efdp.exe" display as "evilexe.pdf". */
		if (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return why_set(why, n,
				       "entry name contains a bidirectional control character");
	}
	return 0;
}

static locale_t fold_locale;
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_locale_init(void)
{
	/* C.UTF-8 carries the full Unicode case tables and is always there on glibc. */
	fold_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int accord_container_name_fold(const char *name, char **out)
{
	gnutls_datum_t nfc = {NULL, 0};
	unsigned char *buf = NULL;
	size_t i = 0, o = 0;

	*out = NULL;
	/* RFC 7613 OpaqueString: NFC, and non-ASCII spaces mapped to ' ' (stricter still). */
	if (gnutls_utf8_password_normalize((const unsigned char *)name, (unsigned)strlen(name),
					   &nfc, 0) < 0)
		return -1;
	pthread_once(&fold_once, fold_locale_init);
	buf = malloc(nfc.size * 2 + 8);
	if (!buf)
		goto fail;
	while (i < nfc.size) {
		uint32_t cp;
		if (utf8_next(nfc.data, nfc.size, &i, &cp) < 0)
			goto fail;
		if (cp < 0x80)
			cp = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
		else if (fold_locale)
			cp = (uint32_t)towlower_l((wint_t)towupper_l((wint_t)cp, fold_locale),
						  fold_locale);
		if (cp < 0x80) {
			buf[o++] = (unsigned char)cp;
		} else if (cp < 0x800) {
			buf[o++] = (unsigned char)(0xC0 | (cp >> 6));
			buf[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			buf[o++] = (unsigned char)(0xE0 | (cp >> 12));
			buf[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			buf[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			buf[o++] = (unsigned char)(0xF0 | (cp >> 18));
			buf[o++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
			buf[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			buf[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		}
		if (o + 4 >= nfc.size * 2 + 8)
			goto fail;
	}
	buf[o] = '\0';
	gnutls_free(nfc.data);
	*out = (char *)buf;
	return 0;
fail:
	gnutls_free(nfc.data);
	free(buf);
	return -1;
}

/* A name made safe to print: control bytes, bytes of invalid UTF-8 and bidirectional
 * controls escaped (\xHH, \u{HHHH}), cut at 200 bytes. */
void accord_name_printable(const char *name, size_t len, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t o = 0, i = 0;

	while (i < len && o + 12 < n && i < 200) {
		size_t start = i;
		uint32_t cp;
		if (s[i] < 0x20 || s[i] == 0x7F || s[i] == '\\') {
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", s[i]);
			i++;
		} else if (utf8_next(s, len, &i, &cp) < 0) {
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", s[i]);
			i++;
		} else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
			   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
			o += (size_t)snprintf(out + o, n - o, "\\u{%04x}", (unsigned)cp);
		} else {
			memcpy(out + o, s + start, i - start);
			o += i - start;
		}
	}
	if (i < len && o + 4 < n)
		o += (size_t)snprintf(out + o, n - o, "...");
	out[o] = '\0';
}

/* Error naming "PATH: ENTRY". */
int accord_entry_err(accord_error *err, int code, const char *path, const char *entry,
		     size_t entry_len, const char *fmt, ...)
{
	char where[400], shown[300], why[600];
	va_list ap;

	if (entry) {
		accord_name_printable(entry, entry_len, shown, sizeof shown);
		snprintf(where, sizeof where, "%s: %s", path, shown);
	} else {
		snprintf(where, sizeof where, "%s", path);
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return accord_err(err, code, where, "%s", why);
}

