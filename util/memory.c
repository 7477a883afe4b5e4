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

int accord_array_grow(void *pp, size_t n, size_t elem)
{
	void **p = pp, *g;
	size_t cap = n ? 2 * n : 1;

	if (n & (n - 1))
		return 0; /* not a power of two: there is room */
	if (cap < n || (elem && cap > SIZE_MAX / elem))
		return -1;
	g = realloc(*p, cap * elem);
	if (!g)
		return -1;
	*p = g;
	return 0;
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
