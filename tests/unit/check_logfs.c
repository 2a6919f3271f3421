/* SPDX-License-Identifier: ISC */
/* check_logfs.c: the /var/log evaluation on fixed timelines. */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "logfs.h"
#include "state.h"

#define S XSM_USEC_PER_SEC
#define MIN (60 * S)
#define HOUR (60 * MIN)
#define KIB 1024ULL
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)

/* A 4 GiB dom0 /var/log, no reserved blocks, 1M inodes. */
struct sim {
	struct xsm_logfs_cfg cfg;
	struct xsm_logfs_eval ev;
	struct xsm_logfs_view view;
	struct xsm_logfs_sample s;
	char reason[XSM_REASON_MAX];
	enum xsm_status st;
};

static void
sim_init(struct sim *m, uint64_t used)
{
	memset(m, 0, sizeof(*m));
	m->cfg = (struct xsm_logfs_cfg){
		.path = "/var/log", .warning = 80, .critical = 90,
		.inodes_warning = 80, .inodes_critical = 90, .hysteresis = 2,
		.rise = 1, .fall = 1, .ttf_warning_usec = 6 * HOUR,
		.ttf_critical_usec = 1 * HOUR, .ttf_min_used = 20,
		.trend_window_usec = 1 * HOUR, .trend_min_span_usec = 15 * MIN,
	};
	xsm_logfs_eval_init(&m->ev);
	m->s = (struct xsm_logfs_sample){
		.dev = makedev(8, 5), .expected_dev = makedev(8, 5),
		.mountpoint = "/var/log", .fstype = "ext3",
		.bytes_total = 4 * GIB, .inodes_total = 1000000,
		.inodes_used = 1000, .inodes_avail = 999000,
		.mono_usec = 1000 * S, .bytes_used = used,
	};
}

/* Evaluates the current sample as is. */
static enum xsm_status
sim_eval(struct sim *m)
{
	m->s.bytes_avail = m->s.bytes_total - m->s.bytes_used;
	memset(m->reason, 'x', sizeof(m->reason));
	m->st = xsm_logfs_evaluate(&m->ev, &m->cfg, &m->s, &m->view,
	    m->reason, sizeof(m->reason));
	ck_assert_ptr_nonnull(memchr(m->reason, '\0', sizeof(m->reason)));
	return m->st;
}

/* dt usec later, with used bytes. */
static enum xsm_status
sim_at(struct sim *m, uint64_t dt, uint64_t used)
{
	m->s.mono_usec += dt;
	m->s.bytes_used = used;
	return sim_eval(m);
}

/* Bytes used for a df percentage p on the 4 GiB fs (exact to 0.1). */
static uint64_t
pct(double p)
{
	return (uint64_t)(p / 100.0 * (double)(4 * GIB));
}

static char
letter(enum xsm_status s)
{
	return s == XSM_OK ? 'O' : s == XSM_WARNING ? 'W' :
	    s == XSM_CRITICAL ? 'C' : '?';
}

START_TEST(df_percentage)
{
	ck_assert(xsm_logfs_used_pct(0, 0) == 0.0);
	ck_assert(xsm_logfs_used_pct(0, 100) == 0.0);
	ck_assert(xsm_logfs_used_pct(100, 0) == 100.0);
	ck_assert(xsm_logfs_used_pct(80, 20) == 80.0);
	/* Rounded up like df: 79.91 reads 80.0, 33.33 reads 33.4. */
	ck_assert(xsm_logfs_used_pct(7991, 2009) == 80.0);
	ck_assert(xsm_logfs_used_pct(1, 2) == 33.4);
	ck_assert(xsm_logfs_used_pct(1, 999999) == 0.1);
	ck_assert(xsm_logfs_used_pct(799, 201) == 79.9);
	/* Root-reserved blocks are not in used + avail: 850 / 950. */
	ck_assert(xsm_logfs_used_pct(850, 100) == 89.5);
	ck_assert(xsm_logfs_used_pct(UINT64_MAX / 2, UINT64_MAX / 2) == 50.0);
	ck_assert(xsm_logfs_used_pct(UINT64_MAX, 0) == 100.0);
	ck_assert(xsm_logfs_used_pct(UINT64_MAX, UINT64_MAX) == 50.0);
	ck_assert(xsm_logfs_used_pct(pct(79.9), 4 * GIB - pct(79.9)) == 79.9);
}
END_TEST

/*
 * Up past 80 and 90 and back down, 10 s apart (under the trend's min
 * span, so only the byte levels speak).
 */
START_TEST(fill_and_drain)
{
	static const double p[] = { 70, 79.9, 80, 85, 89.9, 90, 95, 88.1, 88,
	    80, 78.1, 78, 70 };
	const char *want = "OOWWWCCCWWWOO";
	char got[sizeof(p) / sizeof(p[0]) + 1] = "";
	struct sim m;

	sim_init(&m, 0);
	for (unsigned i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		got[i] = letter(sim_at(&m, 10 * S, pct(p[i])));
		ck_assert_int_eq(m.view.bytes_status, m.st);
		ck_assert_int_eq(m.view.ttf_status, XSM_OK);
		ck_assert(!m.view.rate_valid);
		ck_assert_int_eq(m.view.ttf_s, -1);
		ck_assert(m.view.used_pct == p[i]);
		if (p[i] == 95)
			ck_assert_str_eq(m.reason,
			    "/var/log 95.0% used (critical at 90%)");
		if (p[i] == 88.1)
			ck_assert_str_eq(m.reason, "/var/log 88.1% used "
			    "(critical at 90%, clears at 88%)");
		if (p[i] == 85)
			ck_assert_str_eq(m.reason,
			    "/var/log 85.0% used (warning at 80%)");
	}
	ck_assert_str_eq(got, want);
	ck_assert_str_eq(m.reason, "/var/log 70.0% used, 1.2 GiB free");
	ck_assert_uint_eq(m.view.samples, sizeof(p) / sizeof(p[0]));
	ck_assert_str_eq(m.view.path, "/var/log");
	ck_assert_uint_eq(m.view.last.bytes_used, pct(70));
}
END_TEST

/* 79.9 / 80.0 back and forth: one edge, not one per sample. */
START_TEST(no_flap)
{
	struct sim m;
	unsigned edges = 0;
	enum xsm_status prev = XSM_OK;

	sim_init(&m, 0);
	for (int i = 0; i < 100; i++) {
		sim_at(&m, 1 * S, pct(i % 2 ? 80.0 : 79.9));
		edges += m.st != prev;
		prev = m.st;
	}
	ck_assert_uint_eq(edges, 1);
	ck_assert_int_eq(m.st, XSM_WARNING);
}
END_TEST

START_TEST(inodes)
{
	struct sim m;

	sim_init(&m, pct(50));
	m.s.inodes_used = 850000;
	m.s.inodes_avail = 150000;
	ck_assert_int_eq(sim_eval(&m), XSM_WARNING);
	ck_assert_int_eq(m.view.inodes_status, XSM_WARNING);
	ck_assert_int_eq(m.view.bytes_status, XSM_OK);
	ck_assert(m.view.inodes_used_pct == 85.0);
	ck_assert_str_eq(m.reason, "/var/log inodes 85.0% used (warning at 80%)");
	m.s.inodes_used = 910000;
	m.s.inodes_avail = 90000;
	ck_assert_int_eq(sim_at(&m, S, pct(85)), XSM_CRITICAL);
	ck_assert_str_eq(m.reason,
	    "/var/log inodes 91.0% used (critical at 90%)");
	/* Bytes and inodes both warning: the bytes are named first. */
	m.s.inodes_used = 850000;
	m.s.inodes_avail = 150000;
	ck_assert_int_eq(sim_at(&m, S, pct(85)), XSM_WARNING);
	ck_assert_str_eq(m.reason, "/var/log 85.0% used (warning at 80%)");
	m.s.inodes_used = 780000;
	m.s.inodes_avail = 220000;
	ck_assert_int_eq(sim_at(&m, S, pct(50)), XSM_OK);
	ck_assert_int_eq(m.view.inodes_status, XSM_OK);
}
END_TEST

/*
 * After umount, statvfs reports the parent fs: the daemon flags the
 * changed st_dev and the check must be critical, with its levels and its
 * trend left alone.
 */
START_TEST(mount_changed)
{
	struct sim m;

	sim_init(&m, 2 * GIB);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(sim_at(&m, MIN, 2 * GIB + i * MIB), XSM_OK);
	ck_assert(m.view.rate_valid);
	m.s.mount_changed = true;
	m.s.dev = makedev(8, 1);
	strcpy(m.s.mountpoint, "/");
	m.s.bytes_total = 18 * GIB;
	ck_assert_int_eq(sim_at(&m, MIN, 17 * GIB), XSM_CRITICAL);
	ck_assert_str_eq(m.reason, "mount missing: filesystem under /var/log "
	    "changed, now on / (dev 8:1), expected dev 8:5");
	ck_assert(!m.view.rate_valid);
	ck_assert_int_eq(m.view.ttf_s, -1);
	ck_assert_int_eq(m.view.bytes_status, XSM_OK);
	m.s.mountpoint[0] = '\0';
	ck_assert_int_eq(sim_at(&m, MIN, 17 * GIB), XSM_CRITICAL);
	ck_assert_str_eq(m.reason, "mount missing: filesystem under /var/log "
	    "changed, now on dev 8:1, expected dev 8:5");
	ck_assert_uint_eq(m.view.samples, 22);
	/* Back on the right fs: the trend carries on where it was. */
	m.s.mount_changed = false;
	m.s.dev = m.s.expected_dev;
	m.s.bytes_total = 4 * GIB;
	ck_assert_int_eq(sim_at(&m, MIN, 2 * GIB + 22 * MIB), XSM_OK);
	ck_assert(m.view.rate_valid);
	ck_assert_uint_eq(m.view.trend_resets, 0);
	ck_assert(fabs(m.view.rate_bps - (double)MIB / 60) < MIB / 60 * 0.01);
}
END_TEST

START_TEST(stat_error)
{
	struct sim m;

	sim_init(&m, pct(85));
	ck_assert_int_eq(sim_eval(&m), XSM_WARNING);
	m.s = (struct xsm_logfs_sample){ .error = ENOENT };
	ck_assert_int_eq(sim_eval(&m), XSM_CRITICAL);
	ck_assert_str_eq(m.reason,
	    "/var/log: cannot stat: No such file or directory");
	ck_assert_int_eq(m.view.bytes_status, XSM_WARNING);
	ck_assert_int_eq(m.view.last.error, ENOENT);
	/* A NULL reason buffer is allowed. */
	ck_assert_int_eq(xsm_logfs_evaluate(&m.ev, &m.cfg, &m.s, &m.view,
	    NULL, 0), XSM_CRITICAL);
}
END_TEST

/*
 * Filling at 1 MiB/s from 50%: full in about 34 min. Nothing is said for
 * the first 15 min (min span), then critical with the figures.
 */
START_TEST(steady_fill_critical_after_min_span)
{
	struct sim m;

	sim_init(&m, 2 * GIB);
	ck_assert_int_eq(sim_eval(&m), XSM_OK);
	for (int i = 1; i < 15; i++) {
		ck_assert_int_eq(sim_at(&m, MIN, 2 * GIB + i * 60 * MIB), XSM_OK);
		ck_assert(!m.view.rate_valid);
	}
	ck_assert_int_eq(sim_at(&m, MIN, 2 * GIB + 900 * MIB), XSM_CRITICAL);
	ck_assert_int_eq(m.view.bytes_status, XSM_OK);
	ck_assert_int_eq(m.view.ttf_status, XSM_CRITICAL);
	ck_assert(m.view.rate_valid);
	ck_assert(fabs(m.view.rate_bps - MIB) < MIB * 0.001);
	ck_assert_int_eq(m.view.ttf_s, 1148);
	ck_assert_str_eq(m.reason, "/var/log full in 19m at 1.0 MiB/s");
	/* Rotation frees 1 GiB: new window, no prediction, ttf relaxes. */
	ck_assert_int_eq(sim_at(&m, MIN, 2 * GIB), XSM_OK);
	ck_assert_int_eq(m.view.ttf_s, -1);
	ck_assert_uint_eq(m.view.trend_resets, 1);
	ck_assert_str_eq(m.reason, "/var/log 50.0% used, 2.0 GiB free");
}
END_TEST

/*
 * A mostly idle fs (10 KiB a minute) and one 500 MB write. Counted, the
 * burst alone would read 139 KB/s and full in 3 h: a warning. It must
 * never give one.
 */
START_TEST(burst_no_warning)
{
	struct sim m;
	uint64_t used = 2 * GIB;

	sim_init(&m, used);
	sim_eval(&m);
	for (int i = 1; i <= 180; i++) {
		used += i == 30 ? 500 * 1000 * 1000 : 10 * KIB;
		ck_assert_int_eq(sim_at(&m, MIN, used), XSM_OK);
		ck_assert_int_eq(m.view.ttf_status, XSM_OK);
		if (m.view.rate_valid)
			ck_assert(m.view.rate_bps < 10.0 * KIB / 60 * 1.01);
	}
	ck_assert_uint_eq(m.view.bursts_ignored, 1);
	ck_assert_int_gt(m.view.ttf_s, 100 * 24 * 3600);
}
END_TEST

/*
 * Hourly rotation for a day at 60%: 2 MiB a minute (full in ~13 h, no
 * warning), then the rotation, either compress-then-unlink (burst, then
 * drop) or unlink-then-compress (drop, then a burst opening the new
 * window). Neither may raise an alarm.
 */
START_TEST(logrotate_sawtooth)
{
	struct sim m;
	uint64_t base = pct(60), used = base;

	sim_init(&m, used);
	sim_eval(&m);
	for (int h = 0; h < 24; h++) {
		for (int i = 0; i < 58; i++) {
			used += 2 * MIB;
			ck_assert_int_eq(sim_at(&m, MIN, used), XSM_OK);
		}
		if (h % 2 == 0) {
			ck_assert_int_eq(sim_at(&m, MIN, used + 100 * MIB), XSM_OK);
			used = base;
			ck_assert_int_eq(sim_at(&m, MIN, used), XSM_OK);
		} else {
			ck_assert_int_eq(sim_at(&m, MIN, base - 100 * MIB), XSM_OK);
			used = base;
			ck_assert_int_eq(sim_at(&m, MIN, used), XSM_OK);
		}
		ck_assert_int_eq(m.view.ttf_status, XSM_OK);
	}
	ck_assert_uint_eq(m.view.trend_resets, 24);
}
END_TEST

/*
 * A predicted time to full clears only at twice its level: full in 4.5 h
 * is a warning, and it stays one at 6.8 h, until the prediction passes
 * 12 h.
 */
START_TEST(ttf_clears_at_twice)
{
	struct sim m;
	uint64_t used = 2 * GIB;
	int i;

	sim_init(&m, used);
	sim_eval(&m);
	for (i = 1; i <= 20; i++) {
		used += 7 * MIB;
		sim_at(&m, MIN, used);
	}
	ck_assert_int_eq(m.st, XSM_WARNING);
	ck_assert_int_eq(m.view.ttf_status, XSM_WARNING);
	ck_assert_str_eq(m.reason, "/var/log full in 4h32m at 119.5 KiB/s");
	/* Idle from here: the window's mean rate falls, ttf grows. */
	for (i = 1; i <= 10; i++)
		sim_at(&m, MIN, used);
	ck_assert_int_gt(m.view.ttf_s, 6 * 3600);
	ck_assert_int_lt(m.view.ttf_s, 12 * 3600);
	ck_assert_int_eq(m.st, XSM_WARNING);
	for (; i <= 40; i++)
		sim_at(&m, MIN, used);
	ck_assert_int_gt(m.view.ttf_s, 12 * 3600);
	ck_assert_int_eq(m.st, XSM_OK);
}
END_TEST

/* Root-reserved blocks are neither used nor available, as in df. */
START_TEST(reserved_blocks)
{
	struct sim m;

	sim_init(&m, 0);
	m.s.bytes_used = pct(76);
	m.s.bytes_avail = pct(19);
	m.st = xsm_logfs_evaluate(&m.ev, &m.cfg, &m.s, &m.view, m.reason,
	    sizeof(m.reason));
	ck_assert_int_eq(m.st, XSM_WARNING);
	ck_assert(m.view.used_pct == 80.0);
	ck_assert_str_eq(m.reason, "/var/log 80.0% used (warning at 80%)");
}
END_TEST

/*
 * Growth in chunks under the burst floor (16 MiB every 4 min, 0.5% of
 * 4 GiB is 21 MB) is growth, not a string of bursts: full in ~5 h.
 */
START_TEST(chunky_growth_counts)
{
	struct sim m;
	uint64_t used = pct(70);

	sim_init(&m, used);
	sim_eval(&m);
	for (int i = 1; i <= 30; i++) {
		used += i % 4 == 0 ? 16 * MIB : 0;
		sim_at(&m, MIN, used);
	}
	ck_assert_int_eq(m.st, XSM_WARNING);
	ck_assert_int_eq(m.view.ttf_status, XSM_WARNING);
	ck_assert_uint_eq(m.view.bursts_ignored, 0);
}
END_TEST

/* Filling fast at 10%: no prediction until ttf_min_used (50 here). */
START_TEST(no_prediction_below_floor)
{
	struct sim m;
	uint64_t used = 410 * MIB;
	int i;

	sim_init(&m, used);
	m.cfg.ttf_min_used = 50;
	sim_eval(&m);
	for (i = 1; used + 60 * MIB < 2 * GIB; i++) {
		used += 60 * MIB;
		ck_assert_int_eq(sim_at(&m, MIN, used), XSM_OK);
		ck_assert_int_eq(m.view.ttf_s, -1);
		ck_assert_int_eq(m.view.rate_valid, i >= 15);
	}
	ck_assert_int_gt(i, 20);
	ck_assert_int_eq(sim_at(&m, MIN, used + 60 * MIB), XSM_CRITICAL);
	ck_assert_int_gt(m.view.ttf_s, 0);
}
END_TEST

static Suite *
logfs_suite(void)
{
	Suite *s = suite_create("logfs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, df_percentage);
	tcase_add_test(tc, fill_and_drain);
	tcase_add_test(tc, no_flap);
	tcase_add_test(tc, inodes);
	tcase_add_test(tc, mount_changed);
	tcase_add_test(tc, stat_error);
	tcase_add_test(tc, steady_fill_critical_after_min_span);
	tcase_add_test(tc, burst_no_warning);
	tcase_add_test(tc, logrotate_sawtooth);
	tcase_add_test(tc, ttf_clears_at_twice);
	tcase_add_test(tc, reserved_blocks);
	tcase_add_test(tc, chunky_growth_counts);
	tcase_add_test(tc, no_prediction_below_floor);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(logfs_suite());
}
