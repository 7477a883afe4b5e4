/* tests/tools/faketime.c — LD_PRELOAD shim for the red-team tests: the wall clock reads
 * $ACCORD_FAKE_TIME (seconds since the epoch) plus the seconds elapsed since the process
 * started, so that a TSA (accord tsa, openssl ts) issues tokens with a genTime in the
 * past and a CA issues certificates valid since then. Build: cc -shared -fPIC -o X.so
 * faketime.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long offset(void)
{
	static long off;
	static int done;
	if (!done) {
		const char *e = getenv("ACCORD_FAKE_TIME");
		int (*real)(clockid_t, struct timespec *) = dlsym(RTLD_NEXT, "clock_gettime");
		struct timespec ts;
		real(CLOCK_REALTIME, &ts);
		off = e ? atol(e) - (long)ts.tv_sec : 0;
		done = 1;
	}
	return off;
}

int clock_gettime(clockid_t c, struct timespec *ts)
{
	int (*real)(clockid_t, struct timespec *) = dlsym(RTLD_NEXT, "clock_gettime");
	int rc = real(c, ts);
	if (rc == 0 && (c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE))
		ts->tv_sec += offset();
	return rc;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;
	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t time(time_t *t)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}
