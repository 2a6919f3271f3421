/* SPDX-License-Identifier: ISC */
/*
 * nagios.c: a status document as one Nagios plugin line,
 * "XSMON CRITICAL - nics: ... | 'label'=value[UOM];warn;crit;min;max ...".
 *
 * Perfdata follows the plugin guidelines: labels always in single quotes
 * (so spaces are safe) with ' = | and control characters replaced, UOM one
 * of %, s, B, c or none, and numbers without exponents. The line must fit
 * the classic 4 KiB NRPE buffer, so items are added in two passes, every
 * check's key figures first, and an item that does not fit is left out
 * whole: a grapher would misread half an item.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "show.h"

#define LINE_BODY_MAX (CTL_NAGIOS_LINE_MAX - 1)   /* without the newline */
#define LABEL_MAX 96
#define ITEM_MAX 256
#define HAVE_WARN 1u
#define HAVE_CRIT 2u
#define HAVE_MIN 4u
#define HAVE_MAX 8u

struct line {
	char buf[CTL_NAGIOS_LINE_MAX + 1];
	size_t len;
	bool perf;                /* " |" written */
	bool full;                /* an item did not fit: add no more */
};

/* A perfdata value: absent ones (null in the document) are never added. */
struct perf {
	const char *label, *suffix;   /* label, or label_SUFFIX */
	double value;
	const char *uom;
	double warn, crit, min, max;  /* NAN: empty field */
	unsigned have;                /* HAVE_*: the fields given */
	bool integer;
};

static void
put(struct line *l, const char *s, size_t n)
{
	if (l->len + n > LINE_BODY_MAX)
		n = LINE_BODY_MAX - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void
puts_l(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/*
 * The reason as text a plugin line can carry: one line, no '|' (Nagios
 * would take the rest for perfdata), well-formed UTF-8, at most max
 * characters with "..." when cut.
 */
static void
put_text(struct line *l, const char *s, size_t max)
{
	size_t chars = 0, n;

	for (; *s != '\0'; s += n ? n : 1) {
		n = xsm_utf8_len(s, strnlen(s, 4), 0);
		if (chars == max - 3 && strlen(s) > 3) {
			puts_l(l, "...");
			return;
		}
		if (n == 0 || (unsigned char)*s < 0x20 || *s == 0x7f)
			puts_l(l, *s == '\t' || *s == '\n' ? " " : "?");
		else if (*s == '|')
			puts_l(l, "/");
		else
			put(l, s, n);
		chars++;
	}
}

static void
head(struct line *l, enum xsm_status st, const char *who, const char *why)
{
	char up[16];
	size_t i;

	xsm_strlcpy(up, xsm_status_name(st), sizeof(up));
	for (i = 0; up[i] != '\0'; i++)
		up[i] = (char)(up[i] - ('a' - 'A'));
	puts_l(l, "XSMON ");
	puts_l(l, up);
	puts_l(l, " - ");
	if (who != NULL) {
		put_text(l, who, 64);
		puts_l(l, ": ");
	}
	put_text(l, why != NULL && *why != '\0' ? why : "no reason given",
	    CTL_NAGIOS_REASON_MAX);
}

/* Numbers as the guidelines want them: [-0-9.], no exponent. */
static void
fmt_num(char *buf, size_t size, double v, bool integer)
{
	size_t n;

	if (integer || v == floor(v)) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	snprintf(buf, size, "%.6f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

/* A label char: printable ASCII but the quote, '=' and '|'. */
static void
put_label(char *out, size_t size, const char *a, const char *b)
{
	size_t o = 0;

	for (int part = 0; part < 2; part++) {
		const char *s = part == 0 ? a : b;

		if (s == NULL)
			continue;
		if (part == 1 && o + 1 < size)
			out[o++] = '_';
		for (; *s != '\0' && o + 1 < size && o < LABEL_MAX; s++) {
			unsigned char c = (unsigned char)*s;

			out[o++] = c < 0x20 || c >= 0x7f || c == '\'' ||
			    c == '=' || c == '|' ? '_' : (char)c;
		}
	}
	out[o] = '\0';
}

static void
add(struct line *l, const struct perf *p)
{
	char item[ITEM_MAX], label[LABEL_MAX + 8], num[5][40];
	const double f[4] = { p->warn, p->crit, p->min, p->max };
	int last = -1, n;

	if (l->full || isnan(p->value))
		return;
	put_label(label, sizeof(label), p->label, p->suffix);
	fmt_num(num[0], sizeof(num[0]), p->value, p->integer);
	for (int i = 0; i < 4; i++) {
		num[i + 1][0] = '\0';
		if ((p->have & (1u << i)) && !isnan(f[i])) {
			fmt_num(num[i + 1], sizeof(num[i + 1]), f[i], false);
			last = i;
		}
	}
	n = snprintf(item, sizeof(item), " '%s'=%s%s", label, num[0],
	    p->uom ? p->uom : "");
	/* Trailing empty fields are dropped, as the guidelines allow. */
	for (int i = 0; i <= last && n > 0 && (size_t)n < sizeof(item); i++)
		n += snprintf(item + n, sizeof(item) - (size_t)n, ";%s",
		    num[i + 1]);
	if (n < 0 || (size_t)n >= sizeof(item))
		return;
	if (l->len + (size_t)n + (l->perf ? 0 : 2) > LINE_BODY_MAX) {
		l->full = true;
		return;
	}
	if (!l->perf) {
		puts_l(l, " |");
		l->perf = true;
	}
	put(l, item, (size_t)n);
}

/* The number at key (a boolean counts 0/1), or NAN when absent. */
static double
num(yajl_val obj, const char *key)
{
	double v;
	int b;

	if (ctl_jdbl(obj, key, &v))
		return v;
	b = ctl_jbool(obj, key);
	return b >= 0 ? b : NAN;
}

#define P(...) (&(struct perf){ __VA_ARGS__ })

static void
perf_level(struct line *l, yajl_val lv, const char *label)
{
	/* Thresholds only when the document carries them. */
	add(l, P(.label = label, .value = num(lv, "used_pct"), .uom = "%",
	    .warn = num(lv, "warning"), .crit = num(lv, "critical"),
	    .min = 0, .max = 100,
	    .have = HAVE_WARN | HAVE_CRIT | HAVE_MIN | HAVE_MAX));
}

static void
perf_logfs(struct line *l, yajl_val c, int pass)
{
	yajl_val bytes = ctl_jobj(c, "bytes"), growth = ctl_jobj(c, "growth");

	if (pass == 0) {
		perf_level(l, bytes, "logfs_used_pct");
		perf_level(l, ctl_jobj(c, "inodes"), "logfs_inodes_used_pct");
		add(l, P(.label = "logfs_ttf_s", .value = num(growth, "ttf_s"),
		    .uom = "s", .integer = true));
		return;
	}
	add(l, P(.label = "logfs_used", .value = num(bytes, "used"),
	    .uom = "B", .min = 0, .max = num(bytes, "total"),
	    .integer = true,
	    .have = HAVE_MIN | HAVE_MAX));
	add(l, P(.label = "logfs_growth_bps", .value = num(growth,
	    "rate_bps")));
	add(l, P(.label = "logfs_deleted_open", .value =
	    num(ctl_jobj(c, "deleted_open"), "bytes"), .uom = "B",
	    .integer = true));
}

static void
perf_nics(struct line *l, yajl_val c, int pass)
{
	static const char *const key[] = { "errors_ps", "drops_ps" };
	static const char *const ctr[] = { "rx_errors", "tx_errors",
	    "rx_dropped", "tx_dropped", "rx_bytes", "tx_bytes" };
	yajl_val ifs = ctl_jarr(c, "interfaces");
	size_t n = ifs ? ifs->u.array.len : 0, i, k;

	/* Metric by metric across interfaces, so a cut drops details. */
	for (i = 0; pass == 0 && i < n; i++) {
		yajl_val x = ifs->u.array.values[i];
		const char *name = ctl_jstr(x, "name");

		add(l, P(.label = "nics_carrier", .suffix = name,
		    .value = num(x, "carrier"), .min = 0, .max = 1,
	    .have = HAVE_MIN | HAVE_MAX));
	}
	for (i = 0; pass == 0 && i < n; i++) {
		yajl_val x = ifs->u.array.values[i];

		add(l, P(.label = "nics_carrier_changes", .suffix =
		    ctl_jstr(x, "name"), .value = num(x, "carrier_changes"),
		    .uom = "c", .integer = true));
	}
	for (k = 0; pass == 1 && k < 2; k++)
		for (i = 0; i < n; i++) {
			yajl_val x = ifs->u.array.values[i];
			char lb[32];

			snprintf(lb, sizeof(lb), "nics_%s", key[k]);
			add(l, P(.label = lb, .suffix = ctl_jstr(x, "name"),
			    .value = num(ctl_jobj(x, "rates"), key[k])));
		}
	for (k = 0; pass == 1 && k < 6; k++)
		for (i = 0; i < n; i++) {
			yajl_val x = ifs->u.array.values[i];
			char lb[32];

			snprintf(lb, sizeof(lb), "nics_%s", ctr[k]);
			add(l, P(.label = lb, .suffix = ctl_jstr(x, "name"),
			    .value = num(ctl_jobj(x, "counters"), ctr[k]),
			    .uom = "c", .integer = true));
		}
}

static void
perf_rsyslog_lists(struct line *l, yajl_val c)
{
	yajl_val acts = ctl_jarr(c, "actions"), qs = ctl_jarr(c, "queues");

	for (size_t i = 0; acts != NULL && i < acts->u.array.len; i++) {
		yajl_val a = acts->u.array.values[i];
		const char *name = ctl_jstr(a, "name");

		add(l, P(.label = "rsyslog_action_failed", .suffix = name,
		    .value = num(a, "failed"), .uom = "c", .integer = true));
		add(l, P(.label = "rsyslog_action_suspended", .suffix = name,
		    .value = num(a, "suspended"), .uom = "c",
		    .integer = true));
	}
	for (size_t i = 0; qs != NULL && i < qs->u.array.len; i++) {
		yajl_val q = qs->u.array.values[i];
		const char *name = ctl_jstr(q, "name");

		add(l, P(.label = "rsyslog_queue_size", .suffix = name,
		    .value = num(q, "size"), .min = 0, .integer = true,
	    .have = HAVE_MIN));
		add(l, P(.label = "rsyslog_queue_discarded", .suffix = name,
		    .value = num(q, "discarded_full") + num(q, "discarded_nf"),
		    .uom = "c", .integer = true));
	}
}

static void
perf_rsyslog(struct line *l, yajl_val c, int pass)
{
	yajl_val pid = ctl_jget(c, "pid");

	if (pass == 1) {
		perf_rsyslog_lists(l, c);
		return;
	}
	/* pid is null unless rsyslogd is alive. */
	if (pid != NULL)
		add(l, P(.label = "rsyslog_up", .value = YAJL_IS_INTEGER(pid),
		    .min = 0, .max = 1,
	    .have = HAVE_MIN | HAVE_MAX));
	add(l, P(.label = "rsyslog_restarts", .value = num(c, "restarts"),
	    .uom = "c", .integer = true));
	add(l, P(.label = "rsyslog_canary_latency", .value =
	    num(ctl_jobj(c, "canary"), "latency_ms") / 1000, .uom = "s"));
}

static void
perf_xenstore(struct line *l, yajl_val c, int pass)
{
	if (pass == 1) {
		add(l, P(.label = "xenstore_domains", .value =
		    num(c, "domains_count"), .min = 0, .integer = true,
	    .have = HAVE_MIN));
		return;
	}
	add(l, P(.label = "xenstore_connected", .value = num(c, "connected"),
	    .min = 0, .max = 1,
	    .have = HAVE_MIN | HAVE_MAX));
	add(l, P(.label = "xenstore_probe_latency", .value =
	    num(c, "probe_latency_us") / 1e6, .uom = "s"));
	add(l, P(.label = "xenstore_reconnects", .value = num(c, "reconnects"),
	    .uom = "c", .integer = true));
	add(l, P(.label = "xenstore_domains_not_ok", .value =
	    num(c, "domains_not_ok_count"), .min = 0, .integer = true,
	    .have = HAVE_MIN));
}

static void
perf_check(struct line *l, const char *name, yajl_val c, int pass)
{
	static const struct {
		const char *name;
		void (*fn)(struct line *, yajl_val, int);
	} perfs[] = {
		{ "logfs", perf_logfs },
		{ "nics", perf_nics },
		{ "rsyslog", perf_rsyslog },
		{ "xenstore", perf_xenstore },
	};

	for (size_t i = 0; i < sizeof(perfs) / sizeof(perfs[0]); i++)
		if (strcmp(name, perfs[i].name) == 0)
			perfs[i].fn(l, c, pass);
}

static int
finish(struct line *l, enum xsm_status st, char *out, size_t size)
{
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	xsm_strlcpy(out, l->buf, size);
	return (int)st;
}

int
ctl_nagios_line(const struct ctl_doc *d, const char *check, char *out,
    size_t size)
{
	static struct line l;
	yajl_val checks = ctl_jobj(d->root, "checks");
	const struct ctl_check *c = NULL;

	memset(&l, 0, sizeof(l));
	for (size_t i = 0; check != NULL && i < d->n_checks; i++)
		if (strcmp(d->checks[i].name, check) == 0)
			c = &d->checks[i];
	if (check != NULL && c == NULL) {
		head(&l, XSM_UNKNOWN, NULL, "xsmond has no check ");
		put_text(&l, check, 64);
		return finish(&l, XSM_UNKNOWN, out, size);
	}
	if (c != NULL)
		head(&l, c->status, c->name, c->reason);
	else
		head(&l, d->status, NULL, d->reason);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->n_checks; i++)
			if (c == NULL || c == &d->checks[i])
				perf_check(&l, d->checks[i].name,
				    ctl_jobj(checks, d->checks[i].name), pass);
	return finish(&l, c != NULL ? c->status : d->status, out, size);
}

int
ctl_nagios_unknown(const char *why, char *out, size_t size)
{
	static struct line l;

	memset(&l, 0, sizeof(l));
	head(&l, XSM_UNKNOWN, NULL, why);
	return finish(&l, XSM_UNKNOWN, out, size);
}
