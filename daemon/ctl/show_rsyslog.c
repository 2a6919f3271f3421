/* SPDX-License-Identifier: ISC */
/*
 * show_rsyslog.c: "xsmonctl show rsyslog": rsyslogd's liveness, the
 * canary, the target files, then the actions and queues from impstats.
 */
#include <inttypes.h>
#include <stdio.h>

#include "show.h"

#define RS_TEXT_MAX 200
#define RS_ROWS_MAX 32

static void
rs_label(const char *l)
{
	printf("  %-14s", l);
}

static void
rs_put_str(yajl_val o, const char *k)
{
	ctl_put_safe(stdout, ctl_jstr(o, k), RS_TEXT_MAX);
}

static void
rs_put_int(yajl_val o, const char *k)
{
	int64_t v;

	if (ctl_jint(o, k, &v))
		printf("%" PRId64, v);
	else
		putchar('-');
}

static void
rs_put_process(yajl_val c)
{
	int64_t v;

	rs_label("rsyslogd:");
	if (ctl_jint(c, "pid", &v))
		printf("pid %" PRId64 ", started ", v);
	else
		fputs("not running, last started ", stdout);
	rs_put_str(c, "started_at");
	fputs(", restarts ", stdout);
	rs_put_int(c, "restarts");
	fputs(", liveness by ", stdout);
	rs_put_str(c, "liveness");
	putchar('\n');
	rs_label("pid file:");
	rs_put_str(c, "pidfile");
	putchar('\n');
}

static void
rs_put_canary(yajl_val c, const struct ctl_out_opts *o)
{
	yajl_val k = ctl_jobj(c, "canary");
	int64_t v;

	rs_label("canary:");
	rs_put_str(k, "state");
	if (ctl_jint(k, "latency_ms", &v))
		printf(", last delivered in %" PRId64 " ms", v);
	fputs(", sent ", stdout);
	rs_put_str(k, "last_sent");
	fputs(", seen ", stdout);
	rs_put_str(k, "last_seen");
	putchar('\n');
	rs_label("");
	fputs("to ", stdout);
	rs_put_str(c, "syslog_socket");
	fputs(": sent ", stdout);
	rs_put_int(k, "sent");
	fputs(", delivered ", stdout);
	rs_put_int(k, "delivered");
	fputs(", late ", stdout);
	rs_put_int(k, "late");
	fputs(", refused ", stdout);
	rs_put_int(k, "unsent");
	putchar('\n');
	rs_label("own syslog:");
	rs_put_int(c, "log_dropped");
	fputs(" lines dropped\n", stdout);
}

static void
rs_put_files(yajl_val c)
{
	yajl_val a = ctl_jarr(c, "files");
	char b[32], g[32];
	int64_t v;

	printf("\ntargets:\n");
	if (a == NULL || a->u.array.len == 0) {
		fputs("  (none)\n", stdout);
		return;
	}
	fputs("  SIZE        LAST WRITE  PATH\n", stdout);
	for (size_t i = 0; i < a->u.array.len && i < RS_ROWS_MAX; i++) {
		yajl_val f = a->u.array.values[i];

		printf("  %-10s  ", ctl_jint(f, "size", &v) ?
		    ctl_fmt_bytes((double)v, b, sizeof(b)) : "missing");
		printf("%-10s  ", ctl_jint(f, "age_s", &v) ?
		    ctl_fmt_age(v, g, sizeof(g)) : "-");
		rs_put_str(f, "path");
		putchar('\n');
	}
}

static void
rs_put_actions(yajl_val c)
{
	yajl_val a = ctl_jarr(c, "actions");

	printf("\nactions (impstats):\n");
	if (a == NULL || a->u.array.len == 0) {
		fputs("  (none)\n", stdout);
		return;
	}
	fputs("  PROCESSED   FAILED      SUSPENDED   RESUMED     NAME\n",
	    stdout);
	for (size_t i = 0; i < a->u.array.len && i < RS_ROWS_MAX; i++) {
		yajl_val x = a->u.array.values[i];
		int64_t p, f, s, r;

		if (!ctl_jint(x, "processed", &p)) p = -1;
		if (!ctl_jint(x, "failed", &f)) f = -1;
		if (!ctl_jint(x, "suspended", &s)) s = -1;
		if (!ctl_jint(x, "resumed", &r)) r = -1;
		printf("  %-10" PRId64 "  %-10" PRId64 "  %-10" PRId64 "  %-10"
		    PRId64 "  ", p, f, s, r);
		rs_put_str(x, "name");
		if (ctl_jbool(x, "suspended_now") == 1)
			fputs(" (suspended)", stdout);
		putchar('\n');
	}
}

static void
rs_put_queues(yajl_val c)
{
	yajl_val a = ctl_jarr(c, "queues");

	printf("\nqueues (impstats):\n");
	if (a == NULL || a->u.array.len == 0) {
		fputs("  (none)\n", stdout);
		return;
	}
	fputs("  SIZE        FULL        DISCARDED   NAME\n", stdout);
	for (size_t i = 0; i < a->u.array.len && i < RS_ROWS_MAX; i++) {
		yajl_val x = a->u.array.values[i];
		int64_t s, f, d1, d2;

		if (!ctl_jint(x, "size", &s)) s = -1;
		if (!ctl_jint(x, "full", &f)) f = -1;
		if (!ctl_jint(x, "discarded_full", &d1)) d1 = -1;
		if (!ctl_jint(x, "discarded_nf", &d2)) d2 = 0;
		printf("  %-10" PRId64 "  %-10" PRId64 "  %-10" PRId64 "  ",
		    s, f, d1 < 0 ? -1 : d1 + d2);
		rs_put_str(x, "name");
		putchar('\n');
	}
}

static void
rs_put_impstats(yajl_val c)
{
	yajl_val s = ctl_jobj(c, "impstats");
	char b[32];
	int64_t v;

	putchar('\n');
	rs_label("impstats:");
	if (ctl_jstr(s, "path") == NULL) {
		fputs("not read (impstats = )\n", stdout);
		return;
	}
	rs_put_str(s, "path");
	printf(", written %s ago, ", ctl_jint(s, "age_s", &v) ?
	    ctl_fmt_age(v, b, sizeof(b)) : "-");
	rs_put_int(s, "lines");
	fputs(" lines, ", stdout);
	rs_put_int(c, "parse_errors");
	fputs(" skipped (", stdout);
	rs_put_int(s, "too_long");
	fputs(" too long)\n", stdout);
}

void
ctl_show_rsyslog(yajl_val check, const struct ctl_out_opts *o)
{
	rs_put_process(check);
	rs_put_canary(check, o);
	rs_put_files(check);
	rs_put_actions(check);
	rs_put_queues(check);
	rs_put_impstats(check);
}
