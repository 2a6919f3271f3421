/* SPDX-License-Identifier: ISC */
/* check_hyst.c: hysteresis levels on fixed timelines. */
#include <check.h>

#include "ck_run.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hyst.h"

#define H 3600.0

static const struct xsm_hyst_cfg pct = {
	.warn_on = 80, .warn_off = 78, .crit_on = 90, .crit_off = 88,
	.rise = 1, .fall = 1,
};

/* Time to full in seconds: small is bad, and it clears at twice its level. */
static const struct xsm_hyst_cfg ttf = {
	.warn_on = 6 * H, .warn_off = 12 * H, .crit_on = 1 * H,
	.crit_off = 2 * H, .rise = 1, .fall = 1, .lower_is_worse = true,
};

static char
letter(enum xsm_status s)
{
	return s == XSM_OK ? 'O' : s == XSM_WARNING ? 'W' :
	    s == XSM_CRITICAL ? 'C' : '?';
}

/*
 * Feeds a timeline from a fresh state and asserts the level after each
 * sample, written as one letter per sample (O, W, C).
 */
static void
run(const struct xsm_hyst_cfg *c, const double *v, size_t n, const char *want)
{
	struct xsm_hyst h;
	char got[128];

	ck_assert_uint_eq(strlen(want), n);
	ck_assert_uint_lt(n, sizeof(got));
	xsm_hyst_init(&h);
	for (size_t i = 0; i < n; i++)
		got[i] = letter(xsm_hyst_update(&h, c, v[i]));
	got[n] = '\0';
	ck_assert_str_eq(got, want);
}

#define RUN(c, want, ...) do { \
	const double v_[] = { __VA_ARGS__ }; \
	run((c), v_, sizeof(v_) / sizeof(v_[0]), (want)); \
} while (0)

START_TEST(init_ok)
{
	struct xsm_hyst h;

	memset(&h, 0xa5, sizeof(h));
	xsm_hyst_init(&h);
	ck_assert_int_eq(h.level, XSM_OK);
	ck_assert_int_eq(h.pending, XSM_OK);
	ck_assert_uint_eq(h.count, 0);
}
END_TEST

/* On at 80 inclusive, off only at 78 or below: no flapping in between. */
START_TEST(no_flap_around_80)
{
	RUN(&pct, "OWWWWWWWOO",
	    79.9, 80.0, 79.9, 80.1, 79.0, 80.0, 78.1, 79.9, 78.0, 79.9);
}
END_TEST

START_TEST(enter_exit_critical)
{
	/* Straight from ok to critical, held down to 88, then warning. */
	RUN(&pct, "OCCCWWOO", 50, 95, 90, 88.1, 88, 80, 78, 50);
	/* Leaving critical under warn_on but above warn_off: warning. */
	RUN(&pct, "CWWO", 95, 79, 78.5, 78);
	/* Leaving critical below warn_off goes straight to ok. */
	RUN(&pct, "CO", 99, 10);
	/* Warning to critical, and back to ok in one sample. */
	RUN(&pct, "WCO", 85, 90, 1);
}
END_TEST

/* rise=3: three samples in a row pointing higher, one back resets. */
START_TEST(rise_counts)
{
	struct xsm_hyst_cfg c = pct;

	c.rise = 3;
	RUN(&c, "OOOOOOOOW", 81, 81, 79, 81, 81, 50, 81, 81, 81);
	RUN(&c, "OOOOOW", 81, 81, 79, 81, 81, 81);
	/* A critical sample does not count toward a pending warning. */
	RUN(&c, "OOOOOOC", 81, 81, 95, 81, 95, 95, 95);
	RUN(&c, "OOOOC", 81, 81, 95, 95, 95);
	RUN(&c, "OOCOOO", 95, 95, 95, 50, 50, 95);
}
END_TEST

START_TEST(fall_counts)
{
	struct xsm_hyst_cfg c = pct;

	c.fall = 2;
	RUN(&c, "CCCWWO", 95, 50, 85, 85, 50, 50);
	RUN(&c, "WWWWO", 85, 50, 85, 50, 50);
	/* rise stays 1: a single bad sample still gets through at once. */
	RUN(&c, "OCCWW", 50, 95, 85, 85, 85);
}
END_TEST

START_TEST(zero_counts_as_one)
{
	struct xsm_hyst_cfg c = pct;

	c.rise = 0;
	c.fall = 0;
	RUN(&c, "WOCO", 85, 50, 95, 50);
}
END_TEST

/* NaN neither moves the level nor breaks a run of agreeing samples. */
START_TEST(nan_ignored)
{
	struct xsm_hyst_cfg c = pct;

	c.rise = 3;
	RUN(&c, "OOOOW", 81, NAN, 81, NAN, 81);
	RUN(&pct, "WWWO", 85, NAN, NAN, 50);
	RUN(&pct, "OO", NAN, NAN);
}
END_TEST

/* Time to full: small values are worse, +inf (no prediction) is ok. */
START_TEST(lower_is_worse)
{
	RUN(&ttf, "OWCCWWOO", INFINITY, 5 * H, 0.5 * H, 1.5 * H, 3 * H,
	    11.9 * H, 12 * H, INFINITY);
	RUN(&ttf, "OWWWO", 7 * H, 6 * H, 11 * H, 7 * H, 12.5 * H);
	RUN(&ttf, "CCO", 1 * H, 1.9 * H, INFINITY);
	RUN(&ttf, "CWO", 0.5 * H, 7 * H, 12 * H);
	RUN(&ttf, "CO", 0, INFINITY);
}
END_TEST

/* Many samples on the threshold: exactly one edge. */
START_TEST(one_edge_in_long_run)
{
	struct xsm_hyst h;
	unsigned edges = 0;
	enum xsm_status prev = XSM_OK, now;

	xsm_hyst_init(&h);
	for (int i = 0; i < 10000; i++) {
		now = xsm_hyst_update(&h, &pct, i % 2 ? 80.0 : 79.9);
		edges += now != prev;
		prev = now;
	}
	ck_assert_uint_eq(edges, 1);
	ck_assert_int_eq(prev, XSM_WARNING);
}
END_TEST

static Suite *
hyst_suite(void)
{
	Suite *s = suite_create("hyst");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, init_ok);
	tcase_add_test(tc, no_flap_around_80);
	tcase_add_test(tc, enter_exit_critical);
	tcase_add_test(tc, rise_counts);
	tcase_add_test(tc, fall_counts);
	tcase_add_test(tc, zero_counts_as_one);
	tcase_add_test(tc, nan_ignored);
	tcase_add_test(tc, lower_is_worse);
	tcase_add_test(tc, one_edge_in_long_run);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(hyst_suite());
}
