/* util/memory.c — allocation helpers that fail softly, and secret wiping. */
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gcrypt.h>
#include "util/internal.h"

void accord_free(void *p)
{
	free(p);
}

void *accord_calloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size ? size : 1);
}

char *accord_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *accord_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void accord_wipe(void *p, size_t n)
{
	if (p && n)
		gnutls_memset(p, 0, n);
}

char *accord_secret_strdup(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s);
	p = gcry_malloc_secure(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n + 1);
	return p;
}

void accord_secret_free(char *s)
{
	if (!s)
		return;
	accord_wipe(s, strlen(s));
	gcry_free(s);
}
