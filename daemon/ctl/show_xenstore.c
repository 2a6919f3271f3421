/* SPDX-License-Identifier: ISC */
/*
 * show_xenstore.c: "xsmonctl show xenstore": the connection, the probe,
 * the counters, then the domains that are not ok. The full table of
 * domains is "xsmonctl domains".
 */
#include <inttypes.h>
#include <stdio.h>

#include "show.h"

#define XS_ROWS_MAX 10

static void
xs_put_connection(yajl_val c)
{
	int v = ctl_jbool(c, "connected");
	int64_t us;

	ctl_put_label("xenstored:");
	ctl_put_jstr(c, "path");
	fputs(v == 1 ? ", connected since " : ", not connected", stdout);
	if (v == 1)
		ctl_put_jstr(c, "connected_since");
	if (ctl_jbool(c, "hung") == 1)
		fputs(", NOT ANSWERING", stdout);
	putchar('\n');
	if (ctl_jstr(c, "last_error") != NULL) {
		ctl_put_label("last error:");
		ctl_put_jstr(c, "last_error_op");
		fputs(": ", stdout);
		ctl_put_jstr(c, "last_error");
		putchar('\n');
	}
	ctl_put_label("probe:");
	if (ctl_jint(c, "probe_latency_us", &us))
		printf("%.1f ms", (double)us / 1000);
	else
		putchar('-');
	fputs(", probes ", stdout);
	ctl_put_jint(c, "probes");
	fputs(", reconnects ", stdout);
	ctl_put_jint(c, "reconnects");
	putchar('\n');
}

static void
xs_put_counts(yajl_val c)
{
	ctl_put_label("domains:");
	ctl_put_jint(c, "domains_count");
	fputs(", not ok ", stdout);
	ctl_put_jint(c, "domains_not_ok_count");
	fputs(ctl_jbool(c, "synced") == 1 ? ", synced in " : ", syncing, last sync ",
	    stdout);
	ctl_put_jint(c, "sync_ms");
	fputs(" ms\n", stdout);
	ctl_put_label("store:");
	ctl_put_jint(c, "entries_total");
	fputs(" entries counted, growth ", stdout);
	ctl_put_jint(c, "entries_growth");
	putchar('\n');
	ctl_put_label("events:");
	ctl_put_jint(c, "events");
	fputs(" watch events, ", stdout);
	ctl_put_jint(c, "reads");
	fputs(" domain reads, ", stdout);
	ctl_put_jint(c, "resyncs");
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
		ctl_put_jstr(d, "reason");
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
