/* tests/unit/unit.h — runs a Check suite and prints one PASS/FAIL line per test,
 * the format tests/run.sh adds up. */
#ifndef ACCORD_UNIT_H
#define ACCORD_UNIT_H
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "accord.h"

static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	TestResult **results;
	int n, failed;

	srunner_run_all(sr, CK_SILENT);
	n = srunner_ntests_run(sr);
	results = srunner_results(sr);
	for (int i = 0; i < n; i++) {
		TestResult *r = results[i];
		if (tr_rtype(r) == CK_PASS)
			printf("PASS: %s\n", tr_tcname(r));
		else
			printf("FAIL: %s (%s:%d: %s)\n", tr_tcname(r), tr_lfile(r), tr_lno(r),
			       tr_msg(r));
	}
	free(results);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

/* One TCase per test so that each line names its test function. */
#define UNIT_ADD(suite, fn)                                                              \
	do {                                                                             \
		TCase *tc_ = tcase_create(#fn);                                          \
		tcase_set_timeout(tc_, 120);                                             \
		tcase_add_test(tc_, fn);                                                 \
		suite_add_tcase(suite, tc_);                                             \
	} while (0)

#define UNIT_MAIN(make_suite)                                                            \
	int main(void)                                                                   \
	{                                                                                \
		accord_error e;                                                          \
		if (accord_init(&e) != ACCORD_OK)                                        \
			return 2;                                                        \
		int rc = unit_run(make_suite());                                         \
		accord_deinit();                                                         \
		return rc;                                                               \
	}
#endif
