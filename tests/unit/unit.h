/* SPDX-License-Identifier: GPL-2.0-only */
/* unit.h: the smallest test harness: one PASS/FAIL line per test case. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <stdio.h>

static int unit_failed_cases;
static int unit_case_failed;

/* Inside a test case: record a failure with its location, keep going. */
#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("  %s:%d: expected %s\n", __FILE__,	\
			       __LINE__, #cond);			\
			unit_case_failed = 1;				\
		}							\
	} while (0)

/* Run one test case: a function taking no argument. */
#define RUN(fn)								\
	do {								\
		unit_case_failed = 0;					\
		fn();							\
		printf("%s %s\n", unit_case_failed ? "FAIL" : "PASS", #fn); \
		unit_failed_cases += unit_case_failed;			\
	} while (0)

#define UNIT_EXIT() (unit_failed_cases ? 1 : 0)

#endif /* TESTS_UNIT_H */
