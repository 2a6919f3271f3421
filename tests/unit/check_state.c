/* SPDX-License-Identifier: ISC */
/* check_state.c: the check table, edges, overall status, util helpers. */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

START_TEST(test_rank_and_worse)
{
	ck_assert_int_lt(xsm_status_rank(XSM_OK), xsm_status_rank(XSM_UNKNOWN));
	ck_assert_int_lt(xsm_status_rank(XSM_UNKNOWN), xsm_status_rank(XSM_WARNING));
	ck_assert_int_lt(xsm_status_rank(XSM_WARNING), xsm_status_rank(XSM_CRITICAL));
	ck_assert_int_eq(xsm_status_worse(XSM_UNKNOWN, XSM_WARNING), XSM_WARNING);
	ck_assert_int_eq(xsm_status_worse(XSM_CRITICAL, XSM_UNKNOWN), XSM_CRITICAL);
	ck_assert_int_eq(xsm_status_worse(XSM_OK, XSM_UNKNOWN), XSM_UNKNOWN);
	/* Numeric values are Nagios exit codes. */
	ck_assert_int_eq(XSM_OK, 0);
	ck_assert_int_eq(XSM_WARNING, 1);
	ck_assert_int_eq(XSM_CRITICAL, 2);
	ck_assert_int_eq(XSM_UNKNOWN, 3);
}
END_TEST

START_TEST(test_status_names)
{
	enum xsm_status s;

	ck_assert_str_eq(xsm_status_name(XSM_WARNING), "warning");
	ck_assert_str_eq(xsm_status_name((enum xsm_status)42), "unknown");
	ck_assert_int_eq(xsm_status_parse("critical", &s), 0);
	ck_assert_int_eq(s, XSM_CRITICAL);
	ck_assert_int_eq(xsm_status_parse("bad", &s), -EINVAL);
	ck_assert_int_eq(xsm_check_lookup("logfs"), XSM_CHECK_LOGFS);
	ck_assert_int_eq(xsm_check_lookup("nics"), XSM_CHECK_NICS);
	ck_assert_int_eq(xsm_check_lookup("nope"), -ENOENT);
}
END_TEST

/* xsm_zero clears whatever is not zero, block edges and tail included,
 * and nothing outside the range it was given. */
START_TEST(test_zero)
{
	static const size_t at[] = { 0, 255, 256, 511, 512, 997 };
	unsigned char buf[1000];

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]) + 1; i++) {
		memset(buf, 0, sizeof(buf));
		if (i < sizeof(at) / sizeof(at[0]))
			buf[1 + at[i]] = 0x5a;
		else
			memset(buf, 0xff, sizeof(buf));
		buf[0] = buf[999] = 0xaa;   /* guards */
		xsm_zero(buf + 1, 998);
		ck_assert_uint_eq(buf[0], 0xaa);
		ck_assert_uint_eq(buf[999], 0xaa);
		for (size_t j = 1; j < 999; j++)
			ck_assert_msg(buf[j] == 0, "byte %zu left at %#x (case %zu)",
			    j, buf[j], i);
	}
	xsm_zero(buf, 0);
	ck_assert_uint_eq(buf[0], 0xaa);
}
END_TEST

START_TEST(test_register_apply_edges)
{
	struct xsm_state st;
	struct xsm_edge e;
	uint64_t g;

	xsm_state_init(&st);
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, "x", 1));
	xsm_state_register(&st, XSM_CHECK_LOGFS, 100);
	ck_assert(st.checks[XSM_CHECK_LOGFS].present);
	ck_assert_int_eq(st.checks[XSM_CHECK_LOGFS].status, XSM_UNKNOWN);
	ck_assert_str_eq(st.checks[XSM_CHECK_LOGFS].reason, "starting");

	ck_assert(xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, "fine", 200));
	ck_assert_uint_eq(st.checks[XSM_CHECK_LOGFS].since_usec, 200);
	/* Same status, new reason: no edge, but readers must re-render. */
	g = st.generation;
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, "still fine", 300));
	ck_assert_uint_gt(st.generation, g);
	ck_assert_uint_eq(st.checks[XSM_CHECK_LOGFS].since_usec, 200);
	ck_assert_uint_eq(st.checks[XSM_CHECK_LOGFS].updated_usec, 300);
	/* Same status, same reason: nothing visible changes. */
	g = st.generation;
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, "still fine", 400));
	ck_assert_uint_eq(st.generation, g);

	ck_assert(xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_CRITICAL, "full", 500));
	ck_assert_uint_eq(st.checks[XSM_CHECK_LOGFS].transitions, 2);

	ck_assert_int_eq(xsm_state_pop_edge(&st, &e), 1);
	ck_assert_uint_eq(e.seq, 1);
	ck_assert_int_eq(e.old_status, XSM_UNKNOWN);
	ck_assert_int_eq(e.new_status, XSM_OK);
	ck_assert_int_eq(xsm_state_pop_edge(&st, &e), 1);
	ck_assert_uint_eq(e.seq, 2);
	ck_assert_int_eq(e.new_status, XSM_CRITICAL);
	ck_assert_str_eq(e.reason, "full");
	ck_assert_uint_eq(e.at_usec, 500);
	ck_assert_int_eq(xsm_state_pop_edge(&st, &e), 0);
}
END_TEST

START_TEST(test_long_reason_is_stable)
{
	struct xsm_state st;
	char longer[XSM_REASON_MAX + 100], other[XSM_REASON_MAX + 100];
	uint64_t g;

	memset(longer, 'r', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	xsm_state_init(&st);
	xsm_state_register(&st, XSM_CHECK_LOGFS, 0);
	xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, longer, 1);
	ck_assert_uint_eq(strlen(st.checks[XSM_CHECK_LOGFS].reason),
	    XSM_REASON_MAX - 1);
	/* The same over-long reason again: stored cut, but unchanged. */
	g = st.generation;
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, longer, 2));
	ck_assert_uint_eq(st.generation, g);
	/* A change past the cap is invisible, so it is no change either. */
	memcpy(other, longer, sizeof(other));
	other[XSM_REASON_MAX + 10] = 'x';
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, other, 3));
	ck_assert_uint_eq(st.generation, g);
	/* Within the cap it is: the last stored byte, and the length. */
	other[XSM_REASON_MAX - 2] = 'x';
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, other, 4));
	ck_assert_uint_gt(st.generation, g);
	g = st.generation;
	other[XSM_REASON_MAX - 2] = '\0';
	ck_assert(!xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, other, 5));
	ck_assert_uint_gt(st.generation, g);
	ck_assert_uint_eq(strlen(st.checks[XSM_CHECK_LOGFS].reason),
	    XSM_REASON_MAX - 2);
}
END_TEST

START_TEST(test_edge_queue_overflow_keeps_newest)
{
	struct xsm_state st;
	struct xsm_edge e;
	unsigned n = 0;

	xsm_state_init(&st);
	xsm_state_register(&st, XSM_CHECK_LOGFS, 0);
	for (int i = 0; i < XSM_EDGE_QUEUE + 10; i++)
		xsm_state_apply(&st, XSM_CHECK_LOGFS,
		    i % 2 ? XSM_WARNING : XSM_OK, "flip", (uint64_t)i + 1);
	ck_assert_uint_eq(st.edges_dropped, 10);
	ck_assert_uint_eq(st.edge_count, XSM_EDGE_QUEUE);
	ck_assert_int_eq(xsm_state_pop_edge(&st, &e), 1);
	ck_assert_uint_eq(e.seq, 11);   /* 1..10 were dropped */
	n = 1;
	while (xsm_state_pop_edge(&st, &e))
		n++;
	ck_assert_uint_eq(n, XSM_EDGE_QUEUE);
	ck_assert_uint_eq(e.seq, XSM_EDGE_QUEUE + 10);
}
END_TEST

/* What a full queue hands over: the daemon's publish step drains it. */
struct drained {
	struct xsm_state *st;
	unsigned calls;
	uint64_t last_seq;
	unsigned edges;
};

static void
drain(void *arg)
{
	struct drained *dr = arg;
	struct xsm_edge e;

	dr->calls++;
	while (xsm_state_pop_edge(dr->st, &e)) {
		ck_assert_uint_eq(e.seq, dr->last_seq + 1);  /* in order */
		dr->last_seq = e.seq;
		dr->edges++;
	}
}

START_TEST(test_edge_queue_full_is_drained_not_dropped)
{
	struct xsm_state st;
	struct drained dr = { .st = &st };
	unsigned burst = 5 * XSM_EDGE_QUEUE + 3;

	xsm_state_init(&st);
	st.edge_full = drain;
	st.edge_full_arg = &dr;
	xsm_state_register(&st, XSM_CHECK_LOGFS, 0);
	for (unsigned i = 0; i < burst; i++)
		xsm_state_apply(&st, XSM_CHECK_LOGFS,
		    i % 2 ? XSM_WARNING : XSM_OK, "flip", (uint64_t)i + 1);
	ck_assert_uint_eq(st.edges_dropped, 0);
	ck_assert_uint_eq(dr.calls, 5);
	drain(&dr);                       /* the publish step's own turn */
	ck_assert_uint_eq(dr.edges, burst);
	ck_assert_uint_eq(dr.last_seq, burst);
}
END_TEST

START_TEST(test_overall)
{
	struct xsm_state st;
	int worst;

	xsm_state_init(&st);
	ck_assert_int_eq(xsm_state_overall(&st, &worst), XSM_OK);
	ck_assert_int_eq(worst, -1);
	xsm_state_register(&st, XSM_CHECK_LOGFS, 0);
	xsm_state_register(&st, XSM_CHECK_XENSTORE, 0);
	xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_OK, "ok", 1);
	/* Not a dom0: xenstore unknown, overall unknown. */
	ck_assert_int_eq(xsm_state_overall(&st, &worst), XSM_UNKNOWN);
	ck_assert_int_eq(worst, XSM_CHECK_XENSTORE);
	/* A real warning outranks unknown. */
	xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_WARNING, "85%", 2);
	ck_assert_int_eq(xsm_state_overall(&st, &worst), XSM_WARNING);
	ck_assert_int_eq(worst, XSM_CHECK_LOGFS);
	/* Absent checks do not count. */
	xsm_state_unregister(&st, XSM_CHECK_LOGFS);
	ck_assert_int_eq(xsm_state_overall(&st, &worst), XSM_UNKNOWN);
	xsm_state_apply(&st, XSM_CHECK_XENSTORE, XSM_OK, "ok", 3);
	ck_assert_int_eq(xsm_state_overall(&st, &worst), XSM_OK);
	ck_assert_int_eq(worst, -1);
}
END_TEST

START_TEST(test_buf_cap)
{
	struct xsm_buf b;

	xsm_buf_init(&b, 10);
	ck_assert_int_eq(xsm_buf_append(&b, "12345", 5), 0);
	ck_assert_int_eq(xsm_buf_printf(&b, "%s", "67890"), 0);
	ck_assert_str_eq(b.data, "1234567890");
	ck_assert_int_eq(xsm_buf_append(&b, "x", 1), -ENOBUFS);
	ck_assert_int_eq(xsm_buf_printf(&b, "%d", 1), -ENOBUFS);
	ck_assert_uint_eq(b.len, 10);
	xsm_buf_consume(&b, 4);
	ck_assert_str_eq(b.data, "567890");
	xsm_buf_consume(&b, 100);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	xsm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_edges)
{
	struct xsm_buf b;

	xsm_buf_init(&b, 0);
	ck_assert_ptr_null(b.data);
	xsm_buf_free(&b);               /* nothing allocated: fine */
	ck_assert_int_eq(xsm_buf_append(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(b.data[3], '\0');
	xsm_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	xsm_buf_free(&b);
	xsm_buf_free(&b);               /* twice: fine */
	ck_assert_ptr_null(b.data);
}
END_TEST

/* Asserts xsm_utf8_len over a whole literal (n = its length). */
#define UTF8(s, flags, want) \
	ck_assert_uint_eq(xsm_utf8_len((s), sizeof(s) - 1, (flags)), (want))

START_TEST(test_utf8_len)
{
	UTF8("a", 0, 1);
	UTF8("\x01", 0, 1);             /* ASCII is the caller's call */
	ck_assert_uint_eq(xsm_utf8_len("", 0, 0), 0);
	UTF8("\xc3\xa9", 0, 2);
	UTF8("\xe2\x82\xac", 0, 3);
	UTF8("\xf0\x9f\x98\x80", 0, 4);
	UTF8("\xf4\x8f\xbf\xbf", 0, 4);  /* U+10FFFF */
	UTF8("\x80", 0, 0);             /* stray continuation */
	UTF8("\xc0\xaf", 0, 0);         /* overlong */
	UTF8("\xc1\xbf", 0, 0);
	UTF8("\xe0\x80\xaf", 0, 0);
	UTF8("\xf0\x80\x80\xaf", 0, 0);
	UTF8("\xed\xa0\x80", 0, 0);     /* surrogate */
	UTF8("\xf4\x90\x80\x80", 0, 0); /* past U+10FFFF */
	UTF8("\xf5\x80\x80\x80", 0, 0);
	UTF8("\xff", 0, 0);
	UTF8("\xe2\x82", 0, 0);         /* truncated by n */
	ck_assert_uint_eq(xsm_utf8_len("\xe2\x82\xac", 2, 0), 0);
	UTF8("\xe2\x82" "a", 0, 0);      /* or by a non-continuation */
	/* C1 controls are UTF-8, but not text when the caller says so. */
	UTF8("\xc2\x9b", 0, 2);
	UTF8("\xc2\x9b", XSM_UTF8_NO_C1, 0);
	UTF8("\xc2\x80", XSM_UTF8_NO_C1, 0);
	UTF8("\xc2\xa0", XSM_UTF8_NO_C1, 2);
	UTF8("\xc3\x80", XSM_UTF8_NO_C1, 2);
}
END_TEST

START_TEST(test_strlcpy_rfc3339)
{
	char small[4], ts[32];

	ck_assert_uint_eq(xsm_strlcpy(small, "abcdef", sizeof(small)), 6);
	ck_assert_str_eq(small, "abc");
	ck_assert_str_eq(xsm_rfc3339(0, ts, sizeof(ts)), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(xsm_rfc3339(1795316159ULL * 1000000 + 999999, ts,
	    sizeof(ts)), "2026-11-22T02:55:59Z");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_rank_and_worse);
	tcase_add_test(tc, test_status_names);
	tcase_add_test(tc, test_register_apply_edges);
	tcase_add_test(tc, test_long_reason_is_stable);
	tcase_add_test(tc, test_edge_queue_overflow_keeps_newest);
	tcase_add_test(tc, test_edge_queue_full_is_drained_not_dropped);
	tcase_add_test(tc, test_overall);
	tcase_add_test(tc, test_buf_cap);
	tcase_add_test(tc, test_buf_edges);
	tcase_add_test(tc, test_utf8_len);
	tcase_add_test(tc, test_strlcpy_rfc3339);
	tcase_add_test(tc, test_zero);
	suite_add_tcase(s, tc);
	return ck_run(s);
}
