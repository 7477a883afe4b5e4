/* util/name_index.c — names looked up by sorting once: the one way libaccord finds a name
 * among many (entries, references, covered documents, Ids). Building costs O(n log n),
 * each lookup O(log n), whatever the names: no hash to flood, no all-pairs comparison. */
#include <stdlib.h>
#include <string.h>
#include "util/internal.h"

int accord_name_index_add(accord_name_index *ix, const char *name, size_t idx)
{
	if (!name)
		return 0;
	if (ix->n == ix->cap) {
		size_t ncap = ix->cap ? ix->cap * 2 : 16;
		accord_name_ref *g;
		if (ncap < ix->cap || ncap > SIZE_MAX / sizeof *g)
			return -1;
		g = realloc(ix->v, ncap * sizeof *g);
		if (!g)
			return -1;
		ix->v = g;
		ix->cap = ncap;
	}
	ix->v[ix->n++] = (accord_name_ref){name, idx};
	return 0;
}

static int cmp_ref(const void *a, const void *b)
{
	const accord_name_ref *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

void accord_name_index_sort(accord_name_index *ix)
{
	if (ix->n > 1)
		qsort(ix->v, ix->n, sizeof *ix->v, cmp_ref);
}

/* The sign of strcmp(e, the first len bytes of k). */
static int cmp_prefix(const char *e, const char *k, size_t len)
{
	int r = strncmp(e, k, len);

	return r ? r : e[len] != '\0';
}

/* The first (lowest position) of the names equal to the first len bytes of name. */
static const accord_name_ref *find_n(const accord_name_index *ix, const char *name, size_t len)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_prefix(ix->v[mid].name, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && !cmp_prefix(ix->v[lo].name, name, len) ? &ix->v[lo] : NULL;
}

const accord_name_ref *accord_name_index_find(const accord_name_index *ix, const char *name)
{
	return name ? find_n(ix, name, strlen(name)) : NULL;
}

const accord_name_ref *accord_name_index_folder(const accord_name_index *ix, const char *name)
{
	for (const char *s = name ? strchr(name, '/') : NULL; s; s = strchr(s + 1, '/')) {
		const accord_name_ref *hit = find_n(ix, name, (size_t)(s - name));
		if (hit)
			return hit;
	}
	return NULL;
}

const accord_name_ref *accord_name_index_repeat(const accord_name_index *ix,
						const accord_name_ref **first)
{
	const accord_name_ref *best = NULL, *best_first = NULL, *group = NULL;

	for (size_t k = 0; k < ix->n; k++) {
		if (!k || strcmp(ix->v[k - 1].name, ix->v[k].name) != 0) {
			group = &ix->v[k];
			continue;
		}
		/* sorted by position within a group: the first repeat of each group */
		if (group != &ix->v[k - 1])
			continue;
		if (!best || ix->v[k].idx < best->idx) {
			best = &ix->v[k];
			best_first = group;
		}
	}
	if (first)
		*first = best_first;
	return best;
}

void accord_name_index_repeats(const accord_name_index *ix, unsigned char *mark)
{
	for (size_t k = 1; k < ix->n; k++)
		if (!strcmp(ix->v[k - 1].name, ix->v[k].name))
			mark[ix->v[k].idx] = 1;
}

void accord_name_index_free(accord_name_index *ix)
{
	free(ix->v);
	memset(ix, 0, sizeof *ix);
}
