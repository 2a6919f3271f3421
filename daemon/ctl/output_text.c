/* SPDX-License-Identifier: ISC */
/*
 * output_text.c: the human output. Every string from the daemon goes
 * through ctl_put_safe(); columns are sized from the data; colour only
 * ever wraps a status word, so it never shifts a column.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "show.h"

#define NAME_MAX_SHOWN 32     /* widest check name column */
#define TEXT_MAX 512          /* bytes of one string printed */
#define DUMP_ROWS_MAX 200     /* generic show: lines */
#define DUMP_DEPTH_MAX 4

/*
 * The character at p: its length in bytes (0 at the end of the string),
 * and in *repl the byte printed in its place when it must be defused,
 * else 0. A byte that is not UTF-8 is a character of its own.
 */
static size_t
safe_char(const unsigned char *p, unsigned char *repl)
{
	size_t n;

	*repl = 0;
	if (*p == '\0')
		return 0;
	if (*p < 0x20 || *p == 0x7f) {
		*repl = '?';
		return 1;
	}
	n = xsm_utf8_len(p, strnlen((const char *)p, 4), 0);
	if (n == 0) {
		*repl = '?';
		return 1;
	}
	if (p[0] == 0xc2 && p[1] <= 0x9f)
		*repl = '?';    /* C1: CSI is ESC's 8-bit twin */
	return n;
}

/* Characters in s, counting no further than limit. */
static size_t
safe_count(const unsigned char *p, size_t limit)
{
	size_t chars = 0, n;
	unsigned char repl;

	while (chars < limit && (n = safe_char(p, &repl)) > 0) {
		p += n;
		chars++;
	}
	return chars;
}

/* Characters kept before the "..." of a cut string, and the dots. */
static size_t
safe_keep(const unsigned char *p, size_t max, size_t *dots)
{
	*dots = 0;
	if (safe_count(p, max + 1) <= max)
		return max;
	*dots = max < 3 ? max : 3;
	return max - *dots;
}

size_t
ctl_safe_width(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "-");
	size_t dots, keep = safe_keep(p, max, &dots);

	return safe_count(p, keep) + dots;
}

size_t
ctl_put_safe(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "-");
	size_t dots, keep = safe_keep(p, max, &dots), i, n;
	unsigned char repl;

	for (i = 0; i < keep && (n = safe_char(p, &repl)) > 0; i++) {
		if (repl != 0)
			putc(repl, f);
		else
			fwrite(p, 1, n, f);
		p += n;
	}
	fwrite("...", 1, dots, f);
	return i + dots;
}

static char *
fmt_size(int64_t v, char *buf, size_t size)
{
	return ctl_fmt_bytes(v < 0 ? NAN : (double)v, buf, size);
}

/* CHECK: STATUS (reason), since AGE: the first line of status and show. */
static void
put_headline(const char *who, enum xsm_status st, const char *reason,
    int64_t age, const struct ctl_out_opts *o)
{
	char b[32];

	ctl_put_safe(stdout, who, TEXT_MAX);
	fputs(": ", stdout);
	ctl_put_status(st, true, 0, o);
	if (reason != NULL && *reason != '\0') {
		fputs(" (", stdout);
		ctl_put_safe(stdout, reason, TEXT_MAX);
		putchar(')');
	}
	if (age >= 0)
		printf(", since %s", ctl_fmt_age(age, b, sizeof(b)));
	putchar('\n');
}

static void
text_status(const struct ctl_doc *d, const struct ctl_out_opts *o)
{
	size_t wname = 5, wsince = 5, n;
	char b[32];

	fputs("xsmond ", stdout);
	ctl_put_safe(stdout, d->version, 32);
	fputs(" on ", stdout);
	ctl_put_safe(stdout, d->host, 64);
	put_headline("", d->status, d->reason, -1, o);
	for (size_t i = 0; i < d->n_checks; i++) {
		/* Columns, as printed: cut at the cap, characters not bytes. */
		n = ctl_safe_width(d->checks[i].name, NAME_MAX_SHOWN);
		wname = n > wname ? n : wname;
		n = strlen(ctl_fmt_age(d->checks[i].since_age_s, b, sizeof(b)));
		wsince = n > wsince ? n : wsince;
	}
	printf("%-*s  %-8s  %-*s  %s\n", (int)wname, "CHECK", "STATUS",
	    (int)wsince, "SINCE", "REASON");
	for (size_t i = 0; i < d->n_checks; i++) {
		const struct ctl_check *c = &d->checks[i];

		ctl_pad(ctl_put_safe(stdout, c->name, NAME_MAX_SHOWN), wname);
		fputs("  ", stdout);
		ctl_put_status(c->status, false, 8, o);
		printf("  %-*s  ", (int)wsince,
		    ctl_fmt_age(c->since_age_s, b, sizeof(b)));
		ctl_put_safe(stdout, c->reason, TEXT_MAX);
		putchar('\n');
	}
	if (d->total_checks > d->n_checks)
		printf("(%zu more checks not shown)\n",
		    d->total_checks - d->n_checks);
	if (d->config_error != NULL && *d->config_error != '\0') {
		fputs("config: last reload failed: ", stdout);
		ctl_put_safe(stdout, d->config_error, TEXT_MAX);
		putchar('\n');
	}
}

static void
put_level(const char *name, const struct ctl_level *lv, bool bytes,
    const struct ctl_out_opts *o)
{
	char u[32], a[32], t[32];

	ctl_put_label(name);
	if (bytes)
		printf("%s used, %s avail, %s total",
		    fmt_size(lv->used, u, sizeof(u)),
		    fmt_size(lv->avail, a, sizeof(a)),
		    fmt_size(lv->total, t, sizeof(t)));
	else
		printf("%" PRId64 " used, %" PRId64 " avail, %" PRId64
		    " total", lv->used, lv->avail, lv->total);
	if (!isnan(lv->used_pct))
		printf(" (%.1f%% used", lv->used_pct);
	else
		fputs(" (-", stdout);
	if (lv->status != NULL) {
		fputs(", ", stdout);
		ctl_put_status_word(lv->status, 0, o);
	}
	fputs(")\n", stdout);
}

static void
put_growth(const struct ctl_logfs *l, const struct ctl_out_opts *o)
{
	char r[32], t[32];

	ctl_put_label("growth:");
	if (!l->has_growth || isnan(l->rate_bps)) {
		fputs("n/a (warming up)\n", stdout);
		return;
	}
	/* Small rates matter here (a log trickling in), so keep a decimal. */
	if (fabs(l->rate_bps) < 1024)
		printf("%.1f B/s", l->rate_bps);
	else
		printf("%s/s", ctl_fmt_bytes(l->rate_bps, r, sizeof(r)));
	if (l->ttf_s >= 0)
		printf(", full in %s", ctl_fmt_age(l->ttf_s, t, sizeof(t)));
	else
		fputs(", not filling up", stdout);
	if (l->growth_status != NULL) {
		fputs(" (", stdout);
		ctl_put_status_word(l->growth_status, 0, o);
		putchar(')');
	}
	putchar('\n');
}

static void
put_figures(const struct ctl_logfs *l, const struct ctl_out_opts *o)
{
	char b[32];

	ctl_put_label("path:");
	ctl_put_safe(stdout, l->path, TEXT_MAX);
	putchar('\n');
	ctl_put_label("mount point:");
	ctl_put_safe(stdout, l->mountpoint, TEXT_MAX);
	fputs(" (", stdout);
	ctl_put_safe(stdout, l->fstype, 32);
	fputs(")\n", stdout);
	put_level("bytes:", &l->bytes, true, o);
	put_level("inodes:", &l->inodes, false, o);
	put_growth(l, o);
	ctl_put_label("deleted-open:");
	if (l->deleted_error != NULL) {
		fputs("unknown (", stdout);
		ctl_put_safe(stdout, l->deleted_error, TEXT_MAX);
		fputs(")\n", stdout);
	} else {
		printf("%s in %" PRId64 " file%s",
		    fmt_size(l->deleted_bytes, b, sizeof(b)),
		    l->deleted_count, l->deleted_count == 1 ? "" : "s");
		/* A lower bound: see README, "Installing" (CAP_SYS_PTRACE). */
		if (l->deleted_unreadable > 0)
			printf(" or more (%" PRId64 " process%s unreadable)",
			    l->deleted_unreadable,
			    l->deleted_unreadable == 1 ? "" : "es");
		fputc('\n', stdout);
	}
	ctl_put_label("last scan:");
	if (!l->has_scan || l->scan_at == NULL) {
		fputs("none yet\n", stdout);
		return;
	}
	ctl_put_safe(stdout, l->scan_at, 32);
	printf(", window %s, %" PRId64 " files seen%s\n",
	    ctl_fmt_age(l->window_s, b, sizeof(b)), l->files_seen,
	    l->truncated ? " (walk truncated)" : "");
}

/* A table title; false (and "(none)") when the table is empty. */
static bool
table_head(const char *title, size_t n, const char *columns)
{
	printf("\n%s:\n", title);
	if (n == 0) {
		fputs("  (none)\n", stdout);
		return false;
	}
	printf("  %s\n", columns);
	return true;
}

static void
table_tail(size_t n, size_t total)
{
	if (total > n)
		printf("  (%zu more not shown)\n", total - n);
}

static void
put_files(const char *title, const struct ctl_file *rows, size_t n,
    size_t total, bool growth)
{
	char b[32], g[32], sg[40];

	if (!table_head(title, n, growth ? "SIZE        GROWTH      PATH" :
	    "SIZE        PATH"))
		return;
	for (size_t i = 0; i < n; i++) {
		printf("  %-10s  ", fmt_size(rows[i].bytes, b, sizeof(b)));
		if (growth) {
			snprintf(sg, sizeof(sg), "%s%s",
			    rows[i].growth > 0 ? "+" : "",
			    ctl_fmt_bytes((double)rows[i].growth, g, sizeof(g)));
			printf("%-10s  ", sg);
		}
		ctl_put_safe(stdout, rows[i].path, TEXT_MAX);
		putchar('\n');
	}
	table_tail(n, total);
}

static void
put_deleted(const struct ctl_logfs *l)
{
	char b[32];

	if (!table_head("deleted but open files", l->deleted.n,
	    "PID      COMM             FD     SIZE        PATH"))
		return;
	for (size_t i = 0; i < l->deleted.n; i++) {
		const struct ctl_deleted *x = &l->deleted.row[i];

		printf("  %-7" PRId64 "  ", x->pid);
		ctl_pad(ctl_put_safe(stdout, x->comm, 15), 15);
		printf("  %-5" PRId64 "  %-10s  ", x->fd,
		    fmt_size(x->bytes, b, sizeof(b)));
		ctl_put_safe(stdout, x->path, TEXT_MAX);
		putchar('\n');
	}
	table_tail(l->deleted.n, l->deleted.total);
}

static void
show_logfs(const struct ctl_doc *d, const struct ctl_out_opts *o)
{
	const struct ctl_logfs *l = &d->logfs;

	put_figures(l, o);
	put_files("largest files", l->files.row, l->files.n, l->files.total,
	    false);
	put_files("largest directories", l->dirs.row, l->dirs.n,
	    l->dirs.total, false);
	put_files("growing files", l->growers.row, l->growers.n,
	    l->growers.total, true);
	put_deleted(l);
}

static void
put_scalar(yajl_val v)
{
	if (YAJL_IS_STRING(v))
		ctl_put_safe(stdout, YAJL_GET_STRING(v), TEXT_MAX);
	else if (YAJL_IS_INTEGER(v))
		printf("%lld", (long long)YAJL_GET_INTEGER(v));
	else if (YAJL_IS_DOUBLE(v))
		printf("%g", YAJL_GET_DOUBLE(v));
	else if (YAJL_IS_NUMBER(v))
		ctl_put_safe(stdout, YAJL_GET_NUMBER(v), 64);
	else if (YAJL_IS_TRUE(v))
		fputs("true", stdout);
	else if (YAJL_IS_FALSE(v))
		fputs("false", stdout);
	else if (YAJL_IS_ARRAY(v))
		printf("[%zu items]", v->u.array.len);
	else
		fputs("null", stdout);
}

/*
 * Checks without their own printer: every scalar as "a.b: value",
 * nested objects flattened with dotted keys. Bounded in rows and depth
 * (doc.c caps the nesting anyway).
 */
static void
dump(yajl_val obj, const char *prefix, int depth, unsigned *rows)
{
	char key[160];

	for (size_t i = 0; i < obj->u.object.len && *rows < DUMP_ROWS_MAX;
	    i++) {
		yajl_val v = obj->u.object.values[i];

		snprintf(key, sizeof(key), "%s%s%.48s", prefix,
		    *prefix ? "." : "", obj->u.object.keys[i]);
		if (YAJL_IS_OBJECT(v) && depth < DUMP_DEPTH_MAX) {
			dump(v, key, depth + 1, rows);
			continue;
		}
		fputs("  ", stdout);
		ctl_put_safe(stdout, key, sizeof(key));
		fputs(": ", stdout);
		if (YAJL_IS_OBJECT(v))
			fputs("{...}", stdout);
		else
			put_scalar(v);
		putchar('\n');
		(*rows)++;
	}
	if (depth == 0 && *rows >= DUMP_ROWS_MAX)
		fputs("  (more not shown)\n", stdout);
}

/* Checks with a printer of their own (show_*.c); others are dumped. */
static const struct {
	const char *name;
	ctl_show_fn *show;
} show_table[] = {
	{ "nics", ctl_show_nics },
	{ "rsyslog", ctl_show_rsyslog },
	{ "xenstore", ctl_show_xenstore },
};

static void
text_show(const struct ctl_doc *d, const struct ctl_out_opts *o)
{
	unsigned rows = 0;

	put_headline(d->check.name, d->check.status, d->check.reason,
	    d->check.since_age_s, o);
	if (d->is_logfs) {
		show_logfs(d, o);
		return;
	}
	for (size_t i = 0; i < sizeof(show_table) / sizeof(show_table[0]); i++) {
		if (strcmp(d->check.name, show_table[i].name) == 0) {
			show_table[i].show(d->check_obj, o);
			return;
		}
	}
	dump(d->check_obj, "", 0, &rows);
}

static void
text_simple(const struct ctl_doc *d, const struct ctl_out_opts *o)
{
	switch (d->cmd) {
	case CTL_CMD_PING:
		puts("pong");
		break;
	case CTL_CMD_VERSION:
		fputs("xsmonctl " XSM_VERSION ", xsmond ", stdout);
		ctl_put_safe(stdout, d->version, 32);
		printf(" (schema %d)\n", XSM_SCHEMA);
		break;
	case CTL_CMD_RELOAD:
		puts("reloaded");
		break;
	default:
		break;
	}
}

const struct output ctl_output_text = {
	.name = "text",
	.status = text_status,
	.show = text_show,
	.domains = ctl_show_domains,
	.simple = text_simple,
	.subscribed = ctl_text_subscribed,
	.alert = ctl_text_alert,
};
