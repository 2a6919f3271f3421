/* SPDX-License-Identifier: ISC */
/* check_trend.c: the burst-robust growth rate on fixed timelines. */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "trend.h"

#define S XSM_USEC_PER_SEC
#define MIN (60 * S)
#define KIB 1024ULL
#define MIB (1024 * KIB)

static const struct xsm_trend_cfg cfg = {
	.window_usec = 60 * MIN,
	.min_span_usec = 15 * MIN,
	.reset_drop_bytes = 20 * MIB,
	.burst_factor = 8,
	.burst_floor_bytes = 20 * MIB,
};

/* A series sampled every step usec, growing by inc per sample. */
struct feed {
	struct xsm_trend t;
	uint64_t now;
	uint64_t value;
};

static void
feed_init(struct feed *f, uint64_t value)
{
	xsm_trend_init(&f->t);
	f->now = 1000 * S;  /* monotonic time does not start at 0 */
	f->value = value;
	xsm_trend_add(&f->t, &cfg, f->now, f->value);
}

static void
feed_step(struct feed *f, uint64_t step, int64_t inc)
{
	f->now += step;
	f->value += (uint64_t)inc;
	xsm_trend_add(&f->t, &cfg, f->now, f->value);
}

static void
feed_n(struct feed *f, unsigned n, uint64_t step, int64_t inc)
{
	while (n-- > 0)
		feed_step(f, step, inc);
}

static double
rate_of(const struct feed *f)
{
	double r = NAN;

	ck_assert_int_eq(xsm_trend_rate(&f->t, &cfg, &r), 0);
	return r;
}

static void
assert_near(double got, double want, double rel)
{
	ck_assert_msg(fabs(got - want) <= fabs(want) * rel,
	    "rate %.3f, want %.3f within %.1f%%", got, want, rel * 100);
}

static uint64_t
span(const struct xsm_trend *t)
{
	const struct xsm_trend_point *a = &t->pts[t->head];
	const struct xsm_trend_point *b =
	    &t->pts[(t->head + t->n - 1) % XSM_TREND_POINTS];

	return b->t_usec - a->t_usec;
}

/* 100 KiB a minute for two hours: 1706.7 B/s, evenly or unevenly sampled. */
START_TEST(steady_growth)
{
	struct feed f;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 120, MIN, 100 * KIB);
	assert_near(rate_of(&f), 100.0 * KIB / 60, 0.01);
	ck_assert_uint_eq(f.t.bursts, 0);
	ck_assert_uint_eq(f.t.resets, 0);

	feed_init(&f, 1000 * MIB);
	for (int i = 0; i < 60; i++) {
		feed_step(&f, 20 * S, 100 * KIB / 3);
		feed_step(&f, 100 * S, 500 * KIB / 3);
	}
	assert_near(rate_of(&f), 100.0 * KIB / 60, 0.01);
}
END_TEST

START_TEST(warm_up)
{
	struct xsm_trend t;
	struct feed f;
	double r = -1;

	xsm_trend_init(&t);
	ck_assert_int_eq(xsm_trend_rate(&t, &cfg, &r), -EAGAIN);
	xsm_trend_add(&t, &cfg, 5 * S, 100);
	ck_assert_int_eq(xsm_trend_rate(&t, &cfg, &r), -EAGAIN);
	ck_assert(r == -1);

	feed_init(&f, 0);
	for (int i = 1; i < 15; i++) {
		feed_step(&f, MIN, 10 * MIB);
		ck_assert_int_eq(xsm_trend_rate(&f.t, &cfg, &r), -EAGAIN);
	}
	feed_step(&f, MIN, 10 * MIB);
	assert_near(rate_of(&f), 10.0 * MIB / 60, 0.001);
}
END_TEST

/* One 500 MB core dump in a slow series: left out, counted once. */
START_TEST(single_burst)
{
	struct feed f;
	double base = 10.0 * KIB / 60;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 30, MIN, 10 * KIB);
	assert_near(rate_of(&f), base, 0.001);
	feed_step(&f, MIN, 500 * 1000 * 1000);
	/* Provisional: the newest outlier is out until the next sample. */
	assert_near(rate_of(&f), base, 0.01);
	for (int i = 0; i < 5; i++) {
		feed_step(&f, MIN, 10 * KIB);
		assert_near(rate_of(&f), base, 0.01);
	}
	ck_assert_uint_eq(f.t.bursts, 1);
	/* Judged once: it does not count again as the window slides. */
	feed_n(&f, 200, MIN, 10 * KIB);
	ck_assert_uint_eq(f.t.bursts, 1);
	assert_near(rate_of(&f), base, 0.001);
	ck_assert_uint_eq(f.t.resets, 0);
}
END_TEST

/* On an idle fs the median is 0: a burst still stands out. */
START_TEST(burst_on_idle)
{
	struct feed f;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 30, MIN, 0);
	feed_step(&f, MIN, 300 * MIB);
	ck_assert(rate_of(&f) == 0);
	feed_n(&f, 30, MIN, 0);
	ck_assert(rate_of(&f) == 0);
	ck_assert_uint_eq(f.t.bursts, 1);
	/* An increment under the floor is growth, whatever the median. */
	feed_init(&f, 1000 * MIB);
	feed_n(&f, 30, MIN, 0);
	feed_step(&f, MIN, 19 * MIB);
	feed_n(&f, 5, MIN, 0);
	ck_assert(rate_of(&f) > 0);
	ck_assert_uint_eq(f.t.bursts, 0);
}
END_TEST

/* A runaway writer: left out once, in the rate from the second sample. */
START_TEST(runaway_writer)
{
	struct feed f;
	double base = 10.0 * KIB / 60, r;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 30, MIN, 10 * KIB);
	feed_step(&f, MIN, 200 * MIB);
	assert_near(rate_of(&f), base, 0.01);
	feed_step(&f, MIN, 200 * MIB);
	r = rate_of(&f);
	/* 400 MiB over the 32 min kept: about 218 KiB/s. */
	ck_assert_msg(r > 400.0 * MIB / (32 * 60) * 0.99, "rate %.0f", r);
	feed_n(&f, 10, MIN, 200 * MIB);
	r = rate_of(&f);
	ck_assert_msg(r > 2400.0 * MIB / (42 * 60) * 0.99, "rate %.0f", r);
	ck_assert_uint_eq(f.t.bursts, 0);
}
END_TEST

/* A rotation drops usage: new window, and no rate until min span again. */
START_TEST(rotation_resets)
{
	struct feed f;
	double r;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 60, MIN, 1 * MIB);
	assert_near(rate_of(&f), 1.0 * MIB / 60, 0.001);
	/* A small drop (a file deleted) stays in the window. */
	feed_step(&f, MIN, -(int64_t)(5 * MIB));
	ck_assert_uint_eq(f.t.resets, 0);
	ck_assert_int_eq(xsm_trend_rate(&f.t, &cfg, &r), 0);
	feed_step(&f, MIN, -(int64_t)(300 * MIB));
	ck_assert_uint_eq(f.t.resets, 1);
	ck_assert_uint_eq(f.t.n, 1);
	for (int i = 1; i < 15; i++) {
		feed_step(&f, MIN, 2 * MIB);
		ck_assert_int_eq(xsm_trend_rate(&f.t, &cfg, &r), -EAGAIN);
	}
	feed_step(&f, MIN, 2 * MIB);
	assert_near(rate_of(&f), 2.0 * MIB / 60, 0.001);
	ck_assert_uint_eq(f.t.resets, 1);
}
END_TEST

/* Files unlinked one by one: each drop is small, the sum is a rotation. */
START_TEST(stepwise_drop_resets)
{
	struct feed f;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 30, MIN, 1 * MIB);
	for (int i = 0; i < 3; i++)
		feed_step(&f, 1 * S, -(int64_t)(8 * MIB));
	ck_assert_uint_eq(f.t.resets, 1);
}
END_TEST

START_TEST(time_backwards)
{
	struct feed f;
	double r;

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 30, MIN, 1 * MIB);
	ck_assert_int_eq(xsm_trend_rate(&f.t, &cfg, &r), 0);
	f.now -= 10 * MIN;
	feed_step(&f, 0, 1 * MIB);
	ck_assert_uint_eq(f.t.n, 1);
	ck_assert_int_eq(xsm_trend_rate(&f.t, &cfg, &r), -EAGAIN);
	/* The same instant again replaces, it never makes a zero interval. */
	feed_step(&f, 0, 1 * MIB);
	ck_assert_uint_eq(f.t.n, 1);
	ck_assert_uint_eq(f.t.pts[f.t.head].value, f.value);
	feed_n(&f, 20, MIN, 1 * MIB);
	assert_near(rate_of(&f), 1.0 * MIB / 60, 0.001);
}
END_TEST

/*
 * 10,000 samples a second apart: the ring never grows past its fixed
 * size, the window keeps its span, and the newest sample is never lost.
 */
START_TEST(fixed_memory)
{
	struct feed f;
	uint64_t gap = cfg.window_usec / (XSM_TREND_POINTS / 2);
	const struct xsm_trend_point *last;

	ck_assert_uint_eq(sizeof(f.t.pts) / sizeof(f.t.pts[0]), XSM_TREND_POINTS);
	feed_init(&f, 1000 * MIB);
	for (int i = 0; i < 10000; i++) {
		feed_step(&f, 1 * S, 1 * KIB);
		ck_assert_uint_le(f.t.n, XSM_TREND_POINTS / 2 + 2);
		ck_assert_uint_le(span(&f.t), cfg.window_usec);
	}
	ck_assert_uint_ge(span(&f.t), cfg.window_usec - gap - S);
	last = &f.t.pts[(f.t.head + f.t.n - 1) % XSM_TREND_POINTS];
	ck_assert_uint_eq(last->t_usec, f.now);
	ck_assert_uint_eq(last->value, f.value);
	assert_near(rate_of(&f), 1.0 * KIB, 0.001);

	feed_init(&f, 1000 * MIB);
	feed_n(&f, 10000, MIN, 1 * KIB);
	ck_assert_uint_eq(f.t.n, 61);
	ck_assert_uint_eq(span(&f.t), cfg.window_usec);
	assert_near(rate_of(&f), 1.0 * KIB / 60, 0.001);
}
END_TEST

static Suite *
trend_suite(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, steady_growth);
	tcase_add_test(tc, warm_up);
	tcase_add_test(tc, single_burst);
	tcase_add_test(tc, burst_on_idle);
	tcase_add_test(tc, runaway_writer);
	tcase_add_test(tc, rotation_resets);
	tcase_add_test(tc, stepwise_drop_resets);
	tcase_add_test(tc, time_backwards);
	tcase_add_test(tc, fixed_memory);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(trend_suite());
}
