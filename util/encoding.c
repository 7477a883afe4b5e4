/* util/encoding.c — hex, base64 (through GnuTLS), UTF-8 checks, UTC time strings and
 * text made safe to print. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include "util/internal.h"

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), or 0. */
size_t accord_utf8_length(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void accord_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

const char *accord_text_shown(const char *in, char *out, size_t n)
{
	size_t o = 0;

	if (!n)
		return out;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 5 < n; p++) {
		if (*p < 0x20 || *p == 0x7f)
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	return out;
}

void accord_hex_colons(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (i)
			out[o++] = ':';
		out[o++] = digits[in[i] >> 4];
		out[o++] = digits[in[i] & 15];
	}
	out[o] = '\0';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int accord_unhex(const char *in, unsigned char *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *in; in++) {
		int v;
		if (*in == ':' || *in == ' ')
			continue;
		v = hexval((unsigned char)*in);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= max)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

int accord_base64_encode(const unsigned char *in, size_t len, char **out)
{
	gnutls_datum_t d = {(unsigned char *)in, (unsigned)len}, r = {NULL, 0};
	int rc = gnutls_base64_encode2(&d, &r);

	if (rc < 0)
		return ACCORD_ERR_NOMEM;
	*out = malloc(r.size + 1);
	if (!*out) {
		gnutls_free(r.data);
		return ACCORD_ERR_NOMEM;
	}
	memcpy(*out, r.data, r.size);
	(*out)[r.size] = '\0';
	gnutls_free(r.data);
	return ACCORD_OK;
}

int accord_base64_decode(const char *in, size_t len, unsigned char **out, size_t *outlen)
{
	/* XML base64 may carry line breaks and spaces: strip them first. */
	char *clean = malloc(len + 1);
	size_t n = 0;
	gnutls_datum_t d, r = {NULL, 0};
	int rc;

	if (!clean)
		return ACCORD_ERR_NOMEM;
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)in[i]))
			clean[n++] = in[i];
	clean[n] = '\0';
	d.data = (unsigned char *)clean;
	d.size = (unsigned)n;
	rc = gnutls_base64_decode2(&d, &r);
	free(clean);
	if (rc < 0)
		return ACCORD_ERR_FORMAT;
	*out = malloc(r.size ? r.size : 1);
	if (!*out) {
		gnutls_free(r.data);
		return ACCORD_ERR_NOMEM;
	}
	memcpy(*out, r.data, r.size);
	*outlen = r.size;
	gnutls_free(r.data);
	return ACCORD_OK;
}

void accord_time_format(time_t t, char *buf, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int accord_time_parse(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end) {
		memset(&tm, 0, sizeof tm);
		end = strptime(s, "%Y-%m-%d", &tm);
		if (!end)
			return ACCORD_ERR_FORMAT;
	}
	if (*end == '.') /* fractional seconds are ignored */
		while (*++end >= '0' && *end <= '9')
			;
	if (*end != '\0' && strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0)
		return ACCORD_ERR_FORMAT;
	*out = timegm(&tm);
	return ACCORD_OK;
}
