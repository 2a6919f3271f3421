/* SPDX-License-Identifier: ISC */
/*
 * show_nics.c: "xsmonctl show nics": the roles, one row per link (role
 * interfaces first), then the reason of each judged interface that is
 * not ok, and the netlink figures. Every field is type-checked.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "show.h"

#define NICS_ROWS_MAX 4096
#define NICS_ADDRS_SHOWN 2

static const char *
nics_yesno(yajl_val o, const char *key)
{
	int b = ctl_jbool(o, key);

	return b < 0 ? "-" : b ? "yes" : "no";
}

/* The first NICS_ADDRS_SHOWN addresses, comma-separated, "+N" for the rest. */
static void
nics_put_addrs(yajl_val ifc)
{
	yajl_val a = ctl_jarr(ifc, "addresses");
	size_t n = a ? a->u.array.len : 0, shown = 0;

	for (size_t i = 0; i < n && shown < NICS_ADDRS_SHOWN; i++) {
		if (!YAJL_IS_STRING(a->u.array.values[i]))
			continue;
		if (shown++)
			putchar(',');
		ctl_put_safe(stdout, YAJL_GET_STRING(a->u.array.values[i]), 45);
	}
	if (shown == 0)
		putchar('-');
	if (n > shown)
		printf(" +%zu", n - shown);
}

static void
nics_put_int(yajl_val o, const char *key, int width)
{
	int64_t v;

	if (ctl_jint(o, key, &v))
		printf("%-*" PRId64, width, v);
	else
		printf("%-*s", width, "-");
}

static void
nics_put_row(yajl_val ifc, const struct ctl_out_opts *o)
{
	const char *role = ctl_jstr(ifc, "role"), *lower = ctl_jstr(ifc, "lower_of");
	char rbuf[48];

	ctl_pad(ctl_put_safe(stdout, ctl_jstr(ifc, "name"), 15), 15);
	putchar(' ');
	nics_put_int(ifc, "ifindex", 6);
	putchar(' ');
	if (role != NULL && lower != NULL)
		snprintf(rbuf, sizeof(rbuf), "%s<%s", role, lower);
	else
		snprintf(rbuf, sizeof(rbuf), "%s", role ? role : "-");
	ctl_pad(ctl_put_safe(stdout, rbuf, 28), 28);
	putchar(' ');
	if (ctl_jstr(ifc, "status") != NULL)
		ctl_put_status_word(ctl_jstr(ifc, "status"), 8, o);
	else
		printf("%-8s", "-");
	printf(" %-4s ", nics_yesno(ifc, "admin_up"));
	ctl_pad(ctl_put_safe(stdout, ctl_jstr(ifc, "operstate"), 14), 14);
	printf(" %-7s ", nics_yesno(ifc, "carrier"));
	nics_put_int(ifc, "mtu", 6);
	putchar(' ');
	nics_put_int(ifc, "speed_mbps", 6);
	putchar(' ');
	nics_put_addrs(ifc);
	putchar('\n');
}

static void
nics_put_roles(yajl_val c)
{
	yajl_val st = ctl_jarr(c, "storage");
	size_t n = st ? st->u.array.len : 0;

	fputs("  management:   ", stdout);
	ctl_put_safe(stdout, ctl_jstr(c, "management"), 15);
	if (ctl_jstr(c, "role_source") != NULL) {
		fputs(" (from ", stdout);
		ctl_put_safe(stdout, ctl_jstr(c, "role_source"), 16);
		putchar(')');
	}
	if (ctl_jstr(c, "role_problem") != NULL) {
		fputs(": ", stdout);
		ctl_put_safe(stdout, ctl_jstr(c, "role_problem"), 200);
	}
	fputs("\n  storage:      ", stdout);
	for (size_t i = 0; i < n && i < 16; i++) {
		if (i)
			putchar(',');
		if (YAJL_IS_STRING(st->u.array.values[i]))
			ctl_put_safe(stdout, YAJL_GET_STRING(st->u.array.values[i]), 15);
	}
	if (n == 0)
		putchar('-');
	putchar('\n');
}

static void
nics_put_netlink(yajl_val c)
{
	int64_t links = -1, resyncs = -1, rcvbuf = -1, events = -1, bad = -1;
	yajl_val ovs = ctl_jobj(c, "ovs");

	ctl_jint(c, "links", &links);
	ctl_jint(c, "resyncs", &resyncs);
	ctl_jint(c, "rcvbuf", &rcvbuf);
	ctl_jint(c, "events", &events);
	ctl_jint(c, "bad_messages", &bad);
	printf("  netlink:      %" PRId64 " links, %" PRId64 " events, %" PRId64
	    " resyncs, %" PRId64 " bad messages, rcvbuf %" PRId64 "\n",
	    links, events, resyncs, bad, rcvbuf);
	fputs("  ovs:          ", stdout);
	ctl_put_safe(stdout, ctl_jstr(ovs, "state"), 160);   /* XSM_NIC_REASON_MAX */
	putchar('\n');
}

/* The reason under each judged interface that is not ok. */
static void
nics_put_reasons(yajl_val arr)
{
	for (size_t i = 0; arr && i < arr->u.array.len && i < NICS_ROWS_MAX; i++) {
		yajl_val ifc = arr->u.array.values[i];
		const char *st = ctl_jstr(ifc, "status");

		if (st == NULL || strcmp(st, "ok") == 0)
			continue;
		fputs("  ", stdout);
		ctl_put_safe(stdout, ctl_jstr(ifc, "name"), 15);
		fputs(": ", stdout);
		ctl_put_safe(stdout, ctl_jstr(ifc, "reason"), 200);
		putchar('\n');
	}
}

void
ctl_show_nics(yajl_val check, const struct ctl_out_opts *o)
{
	yajl_val arr = ctl_jarr(check, "interfaces");

	nics_put_roles(check);
	nics_put_netlink(check);
	printf("%-15s %-6s %-28s %-8s %-4s %-14s %-7s %-6s %-6s %s\n", "NAME",
	    "INDEX", "ROLE", "STATUS", "UP", "OPERSTATE", "CARRIER", "MTU",
	    "MBPS", "ADDRESSES");
	for (size_t i = 0; arr && i < arr->u.array.len && i < NICS_ROWS_MAX; i++)
		if (YAJL_IS_OBJECT(arr->u.array.values[i]))
			nics_put_row(arr->u.array.values[i], o);
	nics_put_reasons(arr);
}
