/* SPDX-License-Identifier: ISC */
/*
 * show_domains.c: "xsmonctl domains", one row per domain, widths from the
 * data. A domain that is not ok gets its reason on the line below, so
 * the table stays narrow and the explanation is never cut.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "show.h"

#define NAME_SHOWN 32
#define REASON_SHOWN 200
#define ROWS_SHOWN 5000

/* Connected devices of all: "2/2", or "1/2 (1 stuck)"; "-" for none. */
static void
fmt_devices(yajl_val dom, char *buf, size_t size)
{
	yajl_val devs = ctl_jarr(dom, "devices");
	size_t n = devs != NULL ? devs->u.array.len : 0, up = 0, stuck = 0;

	if (n == 0) {
		snprintf(buf, size, "-");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		yajl_val dev = devs->u.array.values[i];
		int64_t state, stuck_s;

		if (ctl_jint(dev, "state", &state) && state == 4)
			up++;
		if (ctl_jint(dev, "stuck_s", &stuck_s) && stuck_s > 0)
			stuck++;
	}
	if (stuck > 0)
		snprintf(buf, size, "%zu/%zu (%zu stuck)", up, n, stuck);
	else
		snprintf(buf, size, "%zu/%zu", up, n);
}

/* "1.0 GiB/2.0 GiB": target over static-max, both in KiB on the wire. */
static void
fmt_memory(yajl_val dom, char *buf, size_t size)
{
	int64_t target, max;
	char a[32], b[32];
	bool has_t = ctl_jint(dom, "memory_target_kib", &target) && target >= 0;
	bool has_m = ctl_jint(dom, "memory_static_max_kib", &max) && max >= 0;

	snprintf(buf, size, "%s/%s",
	    has_t ? ctl_fmt_bytes((double)target * 1024, a, sizeof(a)) : "-",
	    has_m ? ctl_fmt_bytes((double)max * 1024, b, sizeof(b)) : "-");
}

/* "7.2.0" when the guest agent reported a version, "yes", or "no". */
static const char *
tools_text(yajl_val dom)
{
	yajl_val t = ctl_jobj(dom, "tools");
	const char *ver = ctl_jstr(t, "version");

	if (ver != NULL && *ver != '\0')
		return ver;
	switch (ctl_jbool(t, "present")) {
	case 1:
		return "yes";
	case 0:
		return "no";
	default:
		return "-";
	}
}

struct widths {
	size_t id, name, status, mem, tools, dev;
};

static void
measure(yajl_val doms, size_t n, struct widths *w)
{
	char buf[64];

	*w = (struct widths){ 5, 4, 8, 13, 5, 7 };
	for (size_t i = 0; i < n; i++) {
		yajl_val dom = doms->u.array.values[i];
		int64_t id = -1;
		size_t len;

		ctl_jint(dom, "domid", &id);
		len = (size_t)snprintf(buf, sizeof(buf), "%" PRId64, id);
		w->id = len > w->id ? len : w->id;
		len = ctl_safe_width(ctl_jstr(dom, "name"), NAME_SHOWN);
		w->name = len > w->name ? len : w->name;
		fmt_memory(dom, buf, sizeof(buf));
		w->mem = strlen(buf) > w->mem ? strlen(buf) : w->mem;
		len = ctl_safe_width(tools_text(dom), 16);
		w->tools = len > w->tools ? len : w->tools;
		fmt_devices(dom, buf, sizeof(buf));
		w->dev = strlen(buf) > w->dev ? strlen(buf) : w->dev;
	}
}

static void
put_row(yajl_val dom, const struct widths *w, const struct ctl_out_opts *o)
{
	const char *status = ctl_jstr(dom, "status");
	const char *reason = ctl_jstr(dom, "reason");
	char buf[64];
	int64_t id = -1;

	ctl_jint(dom, "domid", &id);
	printf("%*" PRId64 "  ", (int)w->id, id);
	ctl_pad(ctl_put_safe(stdout, ctl_jstr(dom, "name"), NAME_SHOWN),
	    w->name + 2);
	ctl_put_status_word(status, w->status + 2, o);
	fmt_memory(dom, buf, sizeof(buf));
	printf("%-*s  ", (int)w->mem, buf);
	ctl_pad(ctl_put_safe(stdout, tools_text(dom), 16), w->tools + 2);
	fmt_devices(dom, buf, sizeof(buf));
	printf("%-*s  ", (int)w->dev, buf);
	ctl_put_safe(stdout, ctl_jstr(dom, "uuid"), 36);
	putchar('\n');
	if (status != NULL && strcmp(status, "ok") != 0 && reason != NULL &&
	    *reason != '\0') {
		printf("%*s  ", (int)w->id, "");
		ctl_put_safe(stdout, reason, REASON_SHOWN);
		putchar('\n');
	}
}

void
ctl_show_domains(const struct ctl_doc *d, const struct ctl_out_opts *o)
{
	size_t total = d->domains->u.array.len;
	size_t n = total < ROWS_SHOWN ? total : ROWS_SHOWN;
	struct widths w;

	fputs("xenstore: ", stdout);
	ctl_put_status(d->status, true, 0, o);
	if (d->reason != NULL && *d->reason != '\0') {
		fputs(" (", stdout);
		ctl_put_safe(stdout, d->reason, REASON_SHOWN);
		putchar(')');
	}
	printf(", %zu domain%s\n", total, total == 1 ? "" : "s");
	if (n == 0)
		return;
	measure(d->domains, n, &w);
	printf("%*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", (int)w.id, "DOMID",
	    (int)w.name, "NAME", (int)w.status, "STATUS", (int)w.mem,
	    "MEMORY/MAX", (int)w.tools, "TOOLS", (int)w.dev, "DEVICES",
	    "UUID");
	for (size_t i = 0; i < n; i++)
		put_row(d->domains->u.array.values[i], &w, o);
	if (n < total)
		printf("(%zu more not shown; --json lists all)\n", total - n);
}
