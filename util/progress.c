/* util/progress.c — progress of long work (hashing, packing, signing, extracting) on
 * stderr: only when the program turned it on (the CLI does when stderr is a terminal and
 * -q was not given), and only for work that lasts more than half a second. One line,
 * rewritten in place, cleared at the end: nothing is left in what a terminal shows. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "util/internal.h"

static int enabled;

static double delay = 0.5;

void accord_progress_enable(int on)
{
	/* ACCORD_PROGRESS_DELAY_MS: after how long a line appears (tests: 0). */
	const char *d = getenv("ACCORD_PROGRESS_DELAY_MS");

	enabled = on;
	if (d && *d)
		delay = atof(d) / 1000;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void accord_progress_begin(accord_progress *p, const char *what, uint64_t total)
{
	p->what = what;
	p->total = total;
	p->done = 0;
	p->shown = 0;
	p->start = enabled ? now() : 0;
	p->last = p->start;
}

/* Draw when due: after the first half second, then five times a second. */
static void draw(accord_progress *p, double fraction)
{
	double t;

	if (!enabled || p->start == 0)
		return;
	t = now();
	if (t - p->start < delay || (p->shown && t - p->last < 0.2))
		return;
	p->last = t;
	p->shown = 1;
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	if (p->total)
		fprintf(stderr, "\r%s: %3d%% (%llu of %llu MiB)\033[K", p->what,
			(int)(fraction * 100), (unsigned long long)(p->done >> 20),
			(unsigned long long)(p->total >> 20));
	else
		fprintf(stderr, "\r%s: %3d%%\033[K", p->what, (int)(fraction * 100));
	fflush(stderr);
}

void accord_progress_add(accord_progress *p, uint64_t n)
{
	p->done += n;
	draw(p, p->total ? (double)p->done / (double)p->total : 0);
}

void accord_progress_fraction(accord_progress *p, double fraction)
{
	draw(p, fraction);
}

void accord_progress_end(accord_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->shown = 0;
	p->start = 0;
}
