/* SPDX-License-Identifier: ISC */
/*
 * show_rsyslog.c: "xsmonctl show rsyslog": rsyslogd's liveness, the
 * canary, the target files, then the actions and queues from impstats.
 */
#include <inttypes.h>
#include <stdio.h>

#include "show.h"

#define RS_ROWS_MAX 32

static void
rs_put_process(yajl_val c)
{
	int64_t v;

	ctl_put_label("rsyslogd:");
	if (ctl_jint(c, "pid", &v))
		printf("pid %" PRId64 ", started ", v);
	else
		fputs("not running, last started ", stdout);
	ctl_put_jstr(c, "started_at");
	fputs(", restarts ", stdout);
	ctl_put_jint(c, "restarts");
	fputs(", liveness by ", stdout);
	ctl_put_jstr(c, "liveness");
	putchar('\n');
	ctl_put_label("pid file:");
	ctl_put_jstr(c, "pidfile");
	putchar('\n');
}

static void
rs_put_canary(yajl_val c, const struct ctl_out_opts *o)
{
	yajl_val k = ctl_jobj(c, "canary");
	int64_t v;

	ctl_put_label("canary:");
	ctl_put_jstr(k, "state");
	if (ctl_jint(k, "latency_ms", &v))
		printf(", last delivered in %" PRId64 " ms", v);
	fputs(", sent ", stdout);
	ctl_put_jstr(k, "last_sent");
	fputs(", seen ", stdout);
	ctl_put_jstr(k, "last_seen");
	putchar('\n');
	ctl_put_label("");
	fputs("to ", stdout);
	ctl_put_jstr(c, "syslog_socket");
	fputs(": sent ", stdout);
	ctl_put_jint(k, "sent");
	fputs(", delivered ", stdout);
	ctl_put_jint(k, "delivered");
	fputs(", late ", stdout);
	ctl_put_jint(k, "late");
	fputs(", refused ", stdout);
	ctl_put_jint(k, "unsent");
	putchar('\n');
	ctl_put_label("own syslog:");
	ctl_put_jint(c, "log_dropped");
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
		ctl_put_jstr(f, "path");
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
		ctl_put_jstr(x, "name");
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
		ctl_put_jstr(x, "name");
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
	ctl_put_label("impstats:");
	if (ctl_jstr(s, "path") == NULL) {
		fputs("not read (impstats = )\n", stdout);
		return;
	}
	ctl_put_jstr(s, "path");
	printf(", written %s ago, ", ctl_jint(s, "age_s", &v) ?
	    ctl_fmt_age(v, b, sizeof(b)) : "-");
	ctl_put_jint(s, "lines");
	fputs(" lines, ", stdout);
	ctl_put_jint(c, "parse_errors");
	fputs(" skipped (", stdout);
	ctl_put_jint(s, "too_long");
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
