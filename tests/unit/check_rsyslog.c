/* SPDX-License-Identifier: ISC */
/*
 * check_rsyslog.c: the rsyslog check's pure parts: impstats lines, the
 * counter table, the line splitter, canaries, /proc/PID/stat and pid
 * files, and the evaluation.
 */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rsyslog_canary.h"
#include "rsyslog_eval.h"
#include "rsyslog_lines.h"
#include "rsyslog_proc.h"
#include "rsyslog_stats.h"
#include "state.h"

static int
parse(const char *s, struct xsm_impstats_rec *r)
{
	return xsm_impstats_parse_line(s, strlen(s), r);
}

START_TEST(json_action_with_date)
{
	struct xsm_impstats_rec r;

	ck_assert_int_eq(parse("Sun Nov 22 07:31:22 2026: { \"name\": \"fwd\", "
	    "\"origin\": \"core.action\", \"processed\": 6, \"failed\": 1, "
	    "\"suspended\": 2, \"suspended.duration\": 30, \"resumed\": 1 }",
	    &r), 0);
	ck_assert_int_eq(r.kind, XSM_IMPSTATS_ACTION);
	ck_assert_str_eq(r.name, "fwd");
	ck_assert_uint_eq(r.v[XSM_IS_PROCESSED], 6);
	ck_assert_uint_eq(r.v[XSM_IS_FAILED], 1);
	ck_assert_uint_eq(r.v[XSM_IS_SUSPENDED], 2);
	ck_assert_uint_eq(r.v[XSM_IS_SUSPENDED_DURATION], 30);
	ck_assert_uint_eq(r.v[XSM_IS_RESUMED], 1);
}
END_TEST

START_TEST(json_queue_elasticsearch_and_cee)
{
	struct xsm_impstats_rec r;

	ck_assert_int_eq(parse("{\"name\":\"fwd queue[DA]\",\"origin\":"
	    "\"core.queue\",\"size\":3,\"enqueued\":9,\"full\":0,"
	    "\"discarded!full\":4,\"discarded!nf\":5,\"maxqsize\":7}", &r), 0);
	ck_assert_int_eq(r.kind, XSM_IMPSTATS_QUEUE);
	ck_assert_str_eq(r.name, "fwd queue[DA]");
	ck_assert_uint_eq(r.v[XSM_IS_SIZE], 3);
	ck_assert_uint_eq(r.v[XSM_IS_DISCARDED_FULL], 4);
	ck_assert_uint_eq(r.v[XSM_IS_DISCARDED_NF], 5);
	ck_assert_uint_eq(r.v[XSM_IS_MAXQSIZE], 7);
	ck_assert_int_eq(parse("@cee: {\"name\":\"main Q\",\"origin\":"
	    "\"core.queue\",\"size\":1}", &r), 0);
	ck_assert_str_eq(r.name, "main Q");
	ck_assert_int_eq(parse("{ \"name\": \"global\", \"origin\": "
	    "\"dynstats\", \"values\": { \"a\": \"b\" } }", &r), 0);
	ck_assert_int_eq(r.kind, XSM_IMPSTATS_OTHER);
}
END_TEST

START_TEST(legacy_lines)
{
	struct xsm_impstats_rec r;

	ck_assert_int_eq(parse("Sun Nov 22 07:31:35 2026: action-14-builtin:"
	    "omfwd: origin=core.action processed=6 failed=0 suspended=3 "
	    "suspended.duration=0 resumed=2 ", &r), 0);
	ck_assert_int_eq(r.kind, XSM_IMPSTATS_ACTION);
	ck_assert_str_eq(r.name, "action-14-builtin:omfwd");
	ck_assert_uint_eq(r.v[XSM_IS_PROCESSED], 6);
	ck_assert_uint_eq(r.v[XSM_IS_SUSPENDED], 3);
	ck_assert_int_eq(parse("main Q: origin=core.queue size=12 enqueued=40 "
	    "full=0 discarded.full=1 discarded.nf=0 maxqsize=20", &r), 0);
	ck_assert_str_eq(r.name, "main Q");
	ck_assert_uint_eq(r.v[XSM_IS_SIZE], 12);
	ck_assert_uint_eq(r.v[XSM_IS_DISCARDED_FULL], 1);
	/* A syslog header before the name is not part of it. */
	ck_assert_int_eq(parse("2026-11-22T07:31:35 vm rsyslogd-pstats: fwd: "
	    "origin=core.action processed=1", &r), 0);
	ck_assert_str_eq(r.name, "fwd");
}
END_TEST

START_TEST(garbage_rejected)
{
	static const char *bad[] = {
		"", "   ", "garbage", "{", "}", "{}", "[1,2]",
		"{ \"name\": \"x\" }",                       /* no origin */
		"{ \"origin\": \"core.queue\", \"size\": 1 }", /* no name */
		"{ \"name\": 5, \"origin\": \"core.queue\" }",
		"{ \"name\": \"x\", \"origin\": \"core.queue\", \"size\": "
		    "99999999999999999999999 }",
		"{ \"name\": \"x\", \"origin\": \"core.queue\", \"size\": -1 }",
		"{ \"name\": \"x\", \"origin\": \"core.action\", \"processed\": "
		    "\"seven\" }",
		"{ \"name\": \"x\", \"origin\": \"core.queue\", \"size\": 1.5 }",
		"{ \"name\": \"x\", \"origin\": \"core.queue\" } trailing }",
		"Sun Nov 22: { \"name\": \"fwd\", \"origin\": \"core.action\", ",
		"main Q: origin=core.queue size=12x",
		"main Q: origin=core.queue size=99999999999999999999",
		"main Q: size=1",
		": origin=core.queue size=1",
		"main Q: origin=core.queue junk",
	};
	struct xsm_impstats_rec r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &r) == -EINVAL, "accepted: %s",
		    bad[i]);
}
END_TEST

START_TEST(duplicates_and_long_names)
{
	struct xsm_impstats_rec r;
	char line[400];

	ck_assert_int_eq(parse("{\"name\":\"q\",\"origin\":\"core.queue\","
	    "\"size\":1,\"size\":9}", &r), 0);
	ck_assert_uint_eq(r.v[XSM_IS_SIZE], 9);   /* the last wins */
	snprintf(line, sizeof(line), "{\"name\":\"%0200d\",\"origin\":"
	    "\"core.queue\",\"size\":1}", 0);
	ck_assert_int_eq(parse(line, &r), 0);
	ck_assert_uint_eq(strlen(r.name), XSM_RSYSLOG_NAME_MAX - 1);
}
END_TEST

static void
line(struct xsm_rsyslog_stats *s, const char *l)
{
	xsm_rsyslog_stats_line(s, l, strlen(l));
}

START_TEST(stats_deltas_reset_streaks)
{
	struct xsm_rsyslog_stats *s = calloc(1, sizeof(*s));
	const struct xsm_rsyslog_queue *q = &s->queues[0];
	const struct xsm_rsyslog_action *a = &s->actions[0];

	line(s, "fwd queue: origin=core.queue size=0 enqueued=10");
	ck_assert_uint_eq(s->n_queues, 1);
	ck_assert_uint_eq(q->stuck_streak, 0);
	line(s, "fwd queue: origin=core.queue size=5 enqueued=15");
	ck_assert_int_eq(q->d_size, 5);
	ck_assert_uint_eq(q->d_enqueued, 5);
	ck_assert_uint_eq(q->stuck_streak, 1);
	line(s, "fwd queue: origin=core.queue size=5 enqueued=15");
	line(s, "fwd queue: origin=core.queue size=7 enqueued=17");
	ck_assert_uint_eq(q->stuck_streak, 3);
	line(s, "fwd queue: origin=core.queue size=2 enqueued=17");
	ck_assert_uint_eq(q->stuck_streak, 0);   /* draining */
	/* rsyslogd restarted: counters start again. */
	line(s, "fwd queue: origin=core.queue size=0 enqueued=3");
	ck_assert_uint_eq(q->d_enqueued, 3);
	ck_assert_uint_eq(s->resets, 1);
	line(s, "{\"name\":\"fwd queue\",\"origin\":\"core.queue\","
	    "\"size\":0,\"enqueued\":3,\"discarded.full\":4}");
	ck_assert_uint_eq(q->d_discarded_full, 4);

	line(s, "fwd: origin=core.action processed=1 suspended=0 resumed=0");
	line(s, "fwd: origin=core.action processed=1 suspended=1 resumed=0");
	ck_assert_uint_eq(a->d_suspended, 1);
	ck_assert_uint_eq(a->suspended_streak, 1);
	line(s, "fwd: origin=core.action processed=1 suspended=1 resumed=0");
	ck_assert_uint_eq(a->d_suspended, 0);
	ck_assert_uint_eq(a->suspended_streak, 2);
	line(s, "fwd: origin=core.action processed=9 suspended=1 resumed=1");
	ck_assert_uint_eq(a->suspended_streak, 0);
	ck_assert_uint_eq(a->d_processed, 8);
	line(s, "junk");
	ck_assert_uint_eq(s->parse_errors, 1);
	ck_assert_uint_eq(s->lines, 11);
	free(s);
}
END_TEST

START_TEST(stats_table_caps)
{
	struct xsm_rsyslog_stats *s = calloc(1, sizeof(*s));
	char l[100];

	for (int i = 0; i < XSM_RSYSLOG_QUEUES_MAX + 5; i++) {
		snprintf(l, sizeof(l), "q%d: origin=core.queue size=1", i);
		line(s, l);
	}
	ck_assert_uint_eq(s->n_queues, XSM_RSYSLOG_QUEUES_MAX);
	ck_assert_uint_eq(s->names_dropped, 5);
	free(s);
}
END_TEST

struct lines_seen {
	char buf[4096];
	unsigned n;
};

static void
collect(void *ctx, const char *l, size_t len)
{
	struct lines_seen *ls = ctx;
	size_t have = strlen(ls->buf);

	snprintf(ls->buf + have, sizeof(ls->buf) - have, "[%.*s]", (int)len, l);
	ls->n++;
}

START_TEST(linebuf_partial_and_cap)
{
	struct xsm_linebuf lb;
	struct lines_seen ls = { "", 0 };
	char big[100];

	xsm_linebuf_init(&lb, 10);
	xsm_linebuf_feed(&lb, "ab", 2, collect, &ls);
	ck_assert_uint_eq(ls.n, 0);              /* held back */
	xsm_linebuf_feed(&lb, "c\nde", 4, collect, &ls);
	xsm_linebuf_feed(&lb, "f\n\n", 3, collect, &ls);
	ck_assert_str_eq(ls.buf, "[abc][def][]");
	memset(big, 'x', sizeof(big));
	xsm_linebuf_feed(&lb, big, 8, collect, &ls);
	xsm_linebuf_feed(&lb, big, 8, collect, &ls);  /* over 10: skipped */
	xsm_linebuf_feed(&lb, "yy\nok\n", 6, collect, &ls);
	ck_assert_str_eq(ls.buf, "[abc][def][][ok]");
	ck_assert_uint_eq(lb.too_long, 1);
	xsm_linebuf_feed(&lb, "0123456789ABC\nz\n", 16, collect, &ls);
	ck_assert_str_eq(ls.buf, "[abc][def][][ok][z]");
	ck_assert_uint_eq(lb.too_long, 2);
	xsm_linebuf_feed(&lb, "0123456789\n", 11, collect, &ls);  /* = cap */
	ck_assert_str_eq(ls.buf, "[abc][def][][ok][z][0123456789]");
	xsm_linebuf_feed(&lb, "part", 4, collect, &ls);
	xsm_linebuf_reset(&lb);                  /* file replaced */
	xsm_linebuf_feed(&lb, "new\n", 4, collect, &ls);
	ck_assert_str_eq(ls.buf, "[abc][def][][ok][z][0123456789][new]");
	xsm_linebuf_free(&lb);
	xsm_linebuf_free(&lb);
}
END_TEST

START_TEST(canary_token_message_match)
{
	char tok[XSM_RSYSLOG_TOKEN_MAX], tok2[XSM_RSYSLOG_TOKEN_MAX], msg[256];
	char l[300];

	xsm_canary_token(0xabc, 7, tok, sizeof(tok));
	ck_assert_str_eq(tok, "abc-7");
	xsm_canary_token(0xabc, 70, tok2, sizeof(tok2));
	ck_assert_int_gt(xsm_canary_message("Nov 22 07:31:22", 42, tok, msg,
	    sizeof(msg)), 0);
	ck_assert_str_eq(msg, "<29>Nov 22 07:31:22 xsmond-canary[42]: "
	    "xsmon canary abc-7");
	ck_assert_int_eq(xsm_canary_message("Nov 22 07:31:22", 42, tok, msg,
	    20), -ENOBUFS);
	snprintf(l, sizeof(l), "2026-11-22T07:31:22+00:00 vm xsmond-canary"
	    "[42]: xsmon canary %s", tok);
	ck_assert(xsm_canary_line_matches(l, strlen(l), tok));
	ck_assert(!xsm_canary_line_matches(l, strlen(l), tok2));
	ck_assert(!xsm_canary_line_matches(l, strlen(l) - 1, tok));
	snprintf(l, sizeof(l), "x xsmon canary %s", tok2);   /* a prefix */
	ck_assert(!xsm_canary_line_matches(l, strlen(l), tok));
	snprintf(l, sizeof(l), "xsmon canary xsmon canary %s extra", tok);
	ck_assert(xsm_canary_line_matches(l, strlen(l), tok));
	ck_assert(!xsm_canary_line_matches(l, strlen(l), ""));
	ck_assert_str_eq(xsm_canary_state_name(XSM_CANARY_LATE), "late");
}
END_TEST

START_TEST(proc_stat_and_pidfile)
{
	static const char ok[] = "8169 (rsyslogd) S 8167 8161 28078 0 -1 "
	    "4194304 380 0 1 0 0 0 0 0 20 0 5 0 1536426 302682112 1076 "
	    "18446744073709551615 0\n";
	static const char odd[] = "12 (a) b) c) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 "
	    "0 20 0 1 0 99 0 0";
	struct xsm_proc_stat ps;

	ck_assert_int_eq(xsm_proc_stat_parse(ok, strlen(ok), &ps), 0);
	ck_assert_int_eq(ps.pid, 8169);
	ck_assert_str_eq(ps.comm, "rsyslogd");
	ck_assert_int_eq(ps.state, 'S');
	ck_assert_uint_eq(ps.starttime, 1536426);
	ck_assert(!xsm_proc_stat_dead(&ps));
	ck_assert_int_eq(xsm_proc_stat_parse(odd, strlen(odd), &ps), 0);
	ck_assert_str_eq(ps.comm, "a) b) c");
	ck_assert_uint_eq(ps.starttime, 99);
	ck_assert(xsm_proc_stat_dead(&ps));
	ck_assert_int_eq(xsm_proc_stat_parse("12 (x) S 1", 10, &ps), -EINVAL);
	ck_assert_int_eq(xsm_proc_stat_parse("", 0, &ps), -EINVAL);
	ck_assert_int_eq(xsm_proc_stat_parse("x (y) S", 7, &ps), -EINVAL);
	ck_assert_int_eq(xsm_proc_stat_parse(ok, 30, &ps), -EINVAL);

	ck_assert_int_eq(xsm_pidfile_parse("1234\n", 5), 1234);
	ck_assert_int_eq(xsm_pidfile_parse(" 7 ", 3), 7);
	ck_assert_int_eq(xsm_pidfile_parse("", 0), -EINVAL);
	ck_assert_int_eq(xsm_pidfile_parse("0\n", 2), -EINVAL);
	ck_assert_int_eq(xsm_pidfile_parse("12a\n", 4), -EINVAL);
	ck_assert_int_eq(xsm_pidfile_parse("99999999999\n", 12), -EINVAL);
}
END_TEST

/* A view of a healthy rsyslogd with one target and the stats file. */
static void
healthy(struct xsm_rsyslog_view *v, struct xsm_config *c)
{
	xsm_config_defaults(c);
	memset(v, 0, sizeof(*v));
	v->proc = XSM_RSYSLOG_ALIVE;
	v->pid = 42;
	v->canary.state = XSM_CANARY_DELIVERED;
	v->canary.delivered = 1;
	v->canary.latency_ms = 12;
	xsm_strlcpy(v->syslog_socket, "/dev/log", sizeof(v->syslog_socket));
	v->n_files = 1;
	xsm_strlcpy(v->files[0].path, "/var/log/messages",
	    sizeof(v->files[0].path));
	v->files[0].mtime_usec = 1000 * XSM_SEC;
	xsm_strlcpy(v->impstats, "/var/log/stats", sizeof(v->impstats));
	v->impstats_mtime_usec = 1000 * XSM_SEC;
}

static enum xsm_status
eval(struct xsm_rsyslog_view *v, struct xsm_config *c, char *r)
{
	return xsm_rsyslog_evaluate(v, &c->rsyslog, 1010 * XSM_SEC, r,
	    XSM_REASON_MAX);
}

START_TEST(evaluate_rules)
{
	struct xsm_rsyslog_view *v = calloc(1, sizeof(*v));
	struct xsm_config c;
	char r[XSM_REASON_MAX];

	healthy(v, &c);
	ck_assert_int_eq(eval(v, &c, r), XSM_OK);
	ck_assert_str_eq(r, "rsyslogd pid 42, canary delivered in 12 ms");
	ck_assert_int_eq(v->files[0].age_s, 10);

	v->canary.state = XSM_CANARY_LATE;
	xsm_strlcpy(v->canary.missing, "/var/log/messages",
	    sizeof(v->canary.missing));
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "rsyslogd alive but /var/log/messages did not "
	    "receive the canary within 30s");

	healthy(v, &c);
	v->canary.state = XSM_CANARY_UNSENT;
	v->canary.send_errno = EAGAIN;
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(r, "/dev/log refused the canary"));
	ck_assert_ptr_nonnull(strstr(r, "stalled"));

	healthy(v, &c);
	v->proc = XSM_RSYSLOG_DEAD;
	xsm_strlcpy(v->proc_why, "pid 42 exited", sizeof(v->proc_why));
	v->files[0].error = ENOENT;
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "rsyslogd not running (pid 42 exited) (+1 more)");

	healthy(v, &c);
	v->proc = XSM_RSYSLOG_NOT_FOUND;
	ck_assert_int_eq(eval(v, &c, r), XSM_UNKNOWN);

	healthy(v, &c);
	v->files[0].error = ENOENT;
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "target /var/log/messages: No such file or "
	    "directory");
	/* Before the first canary, rsyslogd may not have created it. */
	v->canary.delivered = 0;
	v->canary.state = XSM_CANARY_PENDING;
	ck_assert_int_eq(eval(v, &c, r), XSM_UNKNOWN);
	free(v);
}
END_TEST

START_TEST(evaluate_impstats)
{
	struct xsm_rsyslog_view *v = calloc(1, sizeof(*v));
	struct xsm_rsyslog_queue *q = &v->stats.queues[0];
	struct xsm_rsyslog_action *a = &v->stats.actions[0];
	struct xsm_config c;
	char r[XSM_REASON_MAX];

	healthy(v, &c);
	v->stats.n_queues = 1;
	xsm_strlcpy(q->name, "fwd queue", sizeof(q->name));
	q->size = 5;
	q->stuck_streak = XSM_RSYSLOG_STUCK_UPDATES;
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	ck_assert_str_eq(r, "action 'fwd' not delivering: queue 'fwd queue' "
	    "not draining (5 messages)");
	q->stuck_streak = XSM_RSYSLOG_STUCK_UPDATES - 1;
	ck_assert_int_eq(eval(v, &c, r), XSM_OK);
	q->size = c.rsyslog.queue_warning;
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	q->size = c.rsyslog.queue_critical;
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	q->size = 0;
	q->d_discarded_nf = 3;
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "rsyslog queue 'fwd queue' discarded 3 messages");
	q->d_discarded_nf = 0;

	v->stats.n_actions = 1;
	xsm_strlcpy(a->name, "fwd", sizeof(a->name));
	a->suspended_streak = 1;
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	ck_assert_str_eq(r, "action 'fwd' suspended");
	a->suspended_streak = 2;
	ck_assert_int_eq(eval(v, &c, r), XSM_CRITICAL);
	a->suspended_streak = 0;
	ck_assert_int_eq(eval(v, &c, r), XSM_OK);

	v->impstats_mtime_usec = 1;   /* long ago */
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	ck_assert_ptr_nonnull(strstr(r, "not written for over 15m"));
	v->impstats_error = ENOENT;
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	/* Absent within impstats_max_age of rsyslogd's start: not yet due. */
	v->started_at_usec = 1000 * XSM_SEC;
	ck_assert_int_eq(eval(v, &c, r), XSM_OK);
	v->started_at_usec = 1010 * XSM_SEC - c.rsyslog.impstats_max_age_usec - 1;
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	ck_assert_ptr_nonnull(strstr(r, "No such file"));
	v->started_at_usec = 1000 * XSM_SEC;
	v->impstats_error = EACCES;    /* other errors are never waited for */
	ck_assert_int_eq(eval(v, &c, r), XSM_WARNING);
	v->impstats[0] = '\0';         /* not configured: not judged */
	ck_assert_int_eq(eval(v, &c, r), XSM_OK);
	free(v);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("rsyslog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, json_action_with_date);
	tcase_add_test(tc, json_queue_elasticsearch_and_cee);
	tcase_add_test(tc, legacy_lines);
	tcase_add_test(tc, garbage_rejected);
	tcase_add_test(tc, duplicates_and_long_names);
	tcase_add_test(tc, stats_deltas_reset_streaks);
	tcase_add_test(tc, stats_table_caps);
	tcase_add_test(tc, linebuf_partial_and_cap);
	tcase_add_test(tc, canary_token_message_match);
	tcase_add_test(tc, proc_stat_and_pidfile);
	tcase_add_test(tc, evaluate_rules);
	tcase_add_test(tc, evaluate_impstats);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(suite());
}
