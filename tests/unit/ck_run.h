/* SPDX-License-Identifier: ISC */
/* ck_run.h: the one main() body every Check suite shares. */
#ifndef XSM_CK_RUN_H
#define XSM_CK_RUN_H

#include <check.h>
#include <stdlib.h>

/* Runs the suite (taking ownership) and returns main()'s exit code. */
static inline int
ck_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
