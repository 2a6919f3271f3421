/* SPDX-License-Identifier: ISC */
/*
 * show_xenstore.c: "xsmonctl show xenstore": the connection, the probe,
 * the counters, then the domains that are not ok. The full table of
 * domains is "xsmonctl domains".
 */
#include <inttypes.h>
#include <stdio.h>

#include "show.h"

#define XS_TEXT_MAX 200
#define XS_ROWS_MAX 10

static void
xs_label(const char *l)
{
	printf("  %-14s", l);
}

static void
xs_put_int(yajl_val o, const char *k)
{
	int64_t v;

	if (ctl_jint(o, k, &v))
		printf("%" PRId64, v);
	else
		putchar('-');
}

static void
xs_put_str(yajl_val o, const char *k)
{
	ctl_put_safe(stdout, ctl_jstr(o, k), XS_TEXT_MAX);
}

static void
xs_put_connection(yajl_val c)
{
	int v = ctl_jbool(c, "connected");
	int64_t us;

	xs_label("xenstored:");
	xs_put_str(c, "path");
	fputs(v == 1 ? ", connected since " : ", not connected", stdout);
	if (v == 1)
		xs_put_str(c, "connected_since");
	if (ctl_jbool(c, "hung") == 1)
		fputs(", NOT ANSWERING", stdout);
	putchar('\n');
	if (ctl_jstr(c, "last_error") != NULL) {
		xs_label("last error:");
		xs_put_str(c, "last_error_op");
		fputs(": ", stdout);
		xs_put_str(c, "last_error");
		putchar('\n');
	}
	xs_label("probe:");
	if (ctl_jint(c, "probe_latency_us", &us))
		printf("%.1f ms", (double)us / 1000);
	else
		putchar('-');
	fputs(", probes ", stdout);
	xs_put_int(c, "probes");
	fputs(", reconnects ", stdout);
	xs_put_int(c, "reconnects");
	putchar('\n');
}

static void
xs_put_counts(yajl_val c)
{
	xs_label("domains:");
	xs_put_int(c, "domains_count");
	fputs(", not ok ", stdout);
	xs_put_int(c, "domains_not_ok_count");
	fputs(ctl_jbool(c, "synced") == 1 ? ", synced in " : ", syncing, last sync ",
	    stdout);
	xs_put_int(c, "sync_ms");
	fputs(" ms\n", stdout);
	xs_label("store:");
	xs_put_int(c, "entries_total");
	fputs(" entries counted, growth ", stdout);
	xs_put_int(c, "entries_growth");
	putchar('\n');
	xs_label("events:");
	xs_put_int(c, "events");
	fputs(" watch events, ", stdout);
	xs_put_int(c, "reads");
	fputs(" domain reads, ", stdout);
	xs_put_int(c, "resyncs");
	fputs(" full resyncs\n", stdout);
}

static void
xs_put_not_ok(yajl_val c, const struct ctl_out_opts *o)
{
	yajl_val a = ctl_jarr(c, "domains_not_ok");
	size_t n = a != NULL ? YAJL_GET_ARRAY(a)->len : 0;

	if (n == 0)
		return;
	printf("\n  %-7s %-20s %-9s %s\n", "DOMID", "NAME", "STATUS", "REASON");
	for (size_t i = 0; i < n && i < XS_ROWS_MAX; i++) {
		yajl_val d = YAJL_GET_ARRAY(a)->values[i];
		int64_t id;
		size_t w;

		fputs("  ", stdout);
		if (ctl_jint(d, "domid", &id))
			printf("%-7" PRId64 " ", id);
		else
			printf("%-7s ", "-");
		w = ctl_put_safe(stdout, ctl_jstr(d, "name"), 20);
		ctl_pad(w, 21);
		ctl_put_status_word(ctl_jstr(d, "status"), 10, o);
		xs_put_str(d, "reason");
		putchar('\n');
	}
}

void
ctl_show_xenstore(yajl_val check, const struct ctl_out_opts *o)
{
	xs_put_connection(check);
	xs_put_counts(check);
	xs_put_not_ok(check, o);
}
