/* SPDX-License-Identifier: ISC */
/*
 * doc.c: turns a reply line into a validated struct ctl_doc.
 *
 * The daemon is a peer like any other: before anything is printed the
 * reply must be an object of our schema, every field we print must have
 * the type we print it as, and lists are cut at CTL_LIST_MAX. The first
 * problem found is reported, naming the field, and nothing is printed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "jval.h"

/*
 * Looks up where.key: NULL when absent or null (an error if required),
 * else the value, which the caller type-checks.
 */
static yajl_val
field(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key,
    bool required)
{
	yajl_val x = ctl_jget(obj, key);

	if (x == NULL || YAJL_IS_NULL(x)) {
		if (required)
			ctl_jfail(v, "%s%s%s is missing", where,
			    *where ? "." : "", key);
		return NULL;
	}
	return x;
}

static void
type_error(struct ctl_jctx *v, const char *where, const char *key,
    const char *want)
{
	ctl_jfail(v, "%s%s%s is not %s", where, *where ? "." : "", key, want);
}

static const char *
get_str(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key,
    bool required)
{
	yajl_val x = field(v, obj, where, key, required);

	if (x == NULL)
		return NULL;
	if (!YAJL_IS_STRING(x)) {
		type_error(v, where, key, "a string");
		return NULL;
	}
	return YAJL_GET_STRING(x);
}

/* An integer >= min, or -1 when absent. */
static int64_t
get_int(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key,
    bool required, int64_t min)
{
	yajl_val x = field(v, obj, where, key, required);

	if (x == NULL)
		return -1;
	if (!YAJL_IS_INTEGER(x) || YAJL_GET_INTEGER(x) < min) {
		type_error(v, where, key, min == 0 ?
		    "a non-negative integer" : "an integer");
		return -1;
	}
	return YAJL_GET_INTEGER(x);
}

/* A finite number, or NAN when absent. */
static double
get_dbl(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key)
{
	yajl_val x = field(v, obj, where, key, false);

	if (x == NULL)
		return NAN;
	if (!YAJL_IS_DOUBLE(x) || !isfinite(YAJL_GET_DOUBLE(x))) {
		type_error(v, where, key, "a number");
		return NAN;
	}
	return YAJL_GET_DOUBLE(x);
}

/* A percentage, 0 to 100, or NAN when absent. */
static double
get_pct(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key)
{
	double d = get_dbl(v, obj, where, key);

	if (d < 0 || d > 100) {
		type_error(v, where, key, "a percentage");
		return NAN;
	}
	return d;
}

/* 0 or 1, or -1 when absent. */
static int
get_bool(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key,
    bool required)
{
	yajl_val x = field(v, obj, where, key, required);

	if (x == NULL)
		return -1;
	if (!YAJL_IS_TRUE(x) && !YAJL_IS_FALSE(x)) {
		type_error(v, where, key, "a boolean");
		return -1;
	}
	return YAJL_IS_TRUE(x);
}

static yajl_val
get_obj(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key,
    bool required)
{
	yajl_val x = field(v, obj, where, key, required);

	if (x != NULL && !YAJL_IS_OBJECT(x)) {
		type_error(v, where, key, "an object");
		return NULL;
	}
	return x;
}

static yajl_val
get_arr(struct ctl_jctx *v, yajl_val obj, const char *where, const char *key)
{
	yajl_val x = field(v, obj, where, key, false);

	if (x != NULL && !YAJL_IS_ARRAY(x)) {
		type_error(v, where, key, "an array");
		return NULL;
	}
	return x;
}

static enum xsm_status
get_status(struct ctl_jctx *v, yajl_val obj, const char *where)
{
	const char *s = get_str(v, obj, where, "status", true);
	enum xsm_status st = XSM_UNKNOWN;

	if (s != NULL && xsm_status_parse(s, &st) < 0)
		ctl_jfail(v, "%s%sstatus is not a known status", where,
		    *where ? "." : "");
	return st;
}

static void
parse_check(struct ctl_jctx *v, const char *name, yajl_val obj,
    const char *where, struct ctl_check *c)
{
	if (!YAJL_IS_OBJECT(obj)) {
		ctl_jfail(v, "%s is not an object", where);
		return;
	}
	c->name = name;
	c->status = get_status(v, obj, where);
	c->reason = get_str(v, obj, where, "reason", true);
	c->since = get_str(v, obj, where, "since", false);
	c->since_age_s = get_int(v, obj, where, "since_age_s", false, 0);
	c->transitions = get_int(v, obj, where, "transitions", false, 0);
}

/* The fields shared by every document but error, ping and reload. */
static void
parse_header(struct ctl_jctx *v, struct ctl_doc *d)
{
	d->version = get_str(v, d->root, "", "version", true);
	d->host = get_str(v, d->root, "", "host", true);
	d->generated_at = get_str(v, d->root, "", "generated_at", false);
	d->uptime_s = get_int(v, d->root, "", "uptime_s", false, 0);
}

static void
parse_status(struct ctl_jctx *v, struct ctl_doc *d)
{
	yajl_val checks, daemon;
	char where[64];

	parse_header(v, d);
	d->status = get_status(v, d->root, "");
	d->reason = get_str(v, d->root, "", "reason", true);
	checks = get_obj(v, d->root, "", "checks", true);
	if (checks != NULL) {
		d->total_checks = checks->u.object.len;
		for (size_t i = 0; i < d->total_checks &&
		    i < CTL_CHECKS_MAX; i++) {
			const char *name = checks->u.object.keys[i];

			snprintf(where, sizeof(where), "checks.%.40s", name);
			parse_check(v, name, checks->u.object.values[i],
			    where, &d->checks[d->n_checks++]);
		}
	}
	daemon = get_obj(v, d->root, "", "daemon", false);
	if (daemon != NULL)
		d->config_error = get_str(v, daemon, "daemon",
		    "config_error", false);
}


static void
parse_level(struct ctl_jctx *v, yajl_val obj, const char *key,
    struct ctl_level *lv)
{
	char where[32];
	yajl_val o;

	snprintf(where, sizeof(where), "logfs.%s", key);
	lv->total = lv->used = lv->avail = -1;
	lv->used_pct = NAN;
	o = get_obj(v, obj, "logfs", key, false);
	if (o == NULL)
		return;
	lv->total = get_int(v, o, where, "total", false, 0);
	lv->used = get_int(v, o, where, "used", false, 0);
	lv->avail = get_int(v, o, where, "avail", false, 0);
	lv->used_pct = get_pct(v, o, where, "used_pct");
	lv->status = get_str(v, o, where, "status", false);
}

static void
parse_file(struct ctl_jctx *v, yajl_val o, const char *where, bool growth,
    struct ctl_file *f)
{
	f->path = get_str(v, o, where, "path", true);
	f->bytes = get_int(v, o, where, "bytes", true, 0);
	f->growth = growth ? get_int(v, o, where, "growth", true, INT64_MIN) :
	    0;
}

static void
parse_deleted(struct ctl_jctx *v, yajl_val o, const char *where,
    struct ctl_deleted *dl)
{
	dl->pid = get_int(v, o, where, "pid", true, 0);
	dl->comm = get_str(v, o, where, "comm", false);
	dl->fd = get_int(v, o, where, "fd", true, 0);
	dl->path = get_str(v, o, where, "path", true);
	dl->bytes = get_int(v, o, where, "bytes", true, 0);
}

/*
 * Walks scan.key, validating at most CTL_LIST_MAX rows: the rest are
 * only counted, so a reply with a million rows costs nothing to print.
 */
static size_t
parse_list(struct ctl_jctx *v, yajl_val scan, const char *key, size_t *total)
{
	yajl_val a = get_arr(v, scan, "logfs.scan", key);

	*total = a != NULL ? a->u.array.len : 0;
	return *total < CTL_LIST_MAX ? *total : CTL_LIST_MAX;
}

static yajl_val
list_item(struct ctl_jctx *v, yajl_val scan, const char *key, size_t i,
    char *where, size_t wsize)
{
	yajl_val o = ctl_jget(scan, key)->u.array.values[i];

	snprintf(where, wsize, "logfs.scan.%s[%zu]", key, i);
	if (!YAJL_IS_OBJECT(o)) {
		ctl_jfail(v, "%s is not an object", where);
		return NULL;
	}
	return o;
}

static void
parse_files(struct ctl_jctx *v, yajl_val scan, const char *key,
    struct ctl_file *rows, size_t *n, size_t *total)
{
	size_t max = parse_list(v, scan, key, total);
	char where[64];
	yajl_val o;

	for (*n = 0; *n < max && !v->failed; (*n)++) {
		o = list_item(v, scan, key, *n, where, sizeof(where));
		if (o != NULL)
			parse_file(v, o, where, strcmp(key, "growers") == 0,
			    &rows[*n]);
	}
}

static void
parse_scan(struct ctl_jctx *v, yajl_val scan, struct ctl_logfs *l)
{
	size_t max;
	char where[64];
	yajl_val o;

	l->has_scan = true;
	l->scan_at = get_str(v, scan, "logfs.scan", "at", false);
	l->window_s = get_int(v, scan, "logfs.scan", "window_s", false, 0);
	l->files_seen = get_int(v, scan, "logfs.scan", "files_seen", false, 0);
	l->truncated = get_bool(v, scan, "logfs.scan", "truncated", false) ==
	    1;
	parse_files(v, scan, "largest_files", l->files.row, &l->files.n,
	    &l->files.total);
	parse_files(v, scan, "largest_dirs", l->dirs.row, &l->dirs.n,
	    &l->dirs.total);
	parse_files(v, scan, "growers", l->growers.row, &l->growers.n,
	    &l->growers.total);
	max = parse_list(v, scan, "deleted_open", &l->deleted.total);
	for (l->deleted.n = 0; l->deleted.n < max && !v->failed;
	    l->deleted.n++) {
		o = list_item(v, scan, "deleted_open", l->deleted.n, where,
		    sizeof(where));
		if (o != NULL)
			parse_deleted(v, o, where,
			    &l->deleted.row[l->deleted.n]);
	}
}

static void
parse_logfs(struct ctl_jctx *v, yajl_val obj, struct ctl_logfs *l)
{
	yajl_val o;

	l->path = get_str(v, obj, "logfs", "path", false);
	l->mountpoint = get_str(v, obj, "logfs", "mountpoint", false);
	l->fstype = get_str(v, obj, "logfs", "fstype", false);
	parse_level(v, obj, "bytes", &l->bytes);
	parse_level(v, obj, "inodes", &l->inodes);
	l->rate_bps = NAN;
	l->ttf_s = -1;
	o = get_obj(v, obj, "logfs", "growth", false);
	if (o != NULL) {
		l->has_growth = true;
		l->rate_bps = get_dbl(v, o, "logfs.growth", "rate_bps");
		l->ttf_s = get_int(v, o, "logfs.growth", "ttf_s", false, 0);
		l->growth_status = get_str(v, o, "logfs.growth", "status",
		    false);
	}
	l->deleted_bytes = l->deleted_count = l->deleted_unreadable = -1;
	o = get_obj(v, obj, "logfs", "deleted_open", false);
	if (o != NULL) {
		l->deleted_bytes = get_int(v, o, "logfs.deleted_open",
		    "bytes", false, 0);
		l->deleted_count = get_int(v, o, "logfs.deleted_open",
		    "count", false, 0);
		l->deleted_error = get_str(v, o, "logfs.deleted_open",
		    "error", false);
		l->deleted_unreadable = get_int(v, o, "logfs.deleted_open",
		    "unreadable", false, 0);
	}
	l->samples = get_int(v, obj, "logfs", "samples", false, 0);
	l->events = get_int(v, obj, "logfs", "events", false, 0);
	l->window_s = l->files_seen = -1;
	o = get_obj(v, obj, "logfs", "scan", false);
	if (o != NULL)
		parse_scan(v, o, l);
}

static void
parse_show(struct ctl_jctx *v, struct ctl_doc *d, const char *want)
{
	const char *name;
	char where[64];

	parse_header(v, d);
	name = get_str(v, d->root, "", "check", true);
	if (name == NULL)
		return;
	if (strcmp(name, want) != 0) {
		ctl_jfail(v, "reply is about another check than %s", want);
		return;
	}
	snprintf(where, sizeof(where), "%.40s", name);
	d->check_obj = get_obj(v, d->root, "", name, true);
	if (d->check_obj == NULL)
		return;
	parse_check(v, name, d->check_obj, where, &d->check);
	d->status = d->check.status;
	d->reason = d->check.reason;
	d->is_logfs = strcmp(name, "logfs") == 0;
	if (d->is_logfs)
		parse_logfs(v, d->check_obj, &d->logfs);
}

/* The domains reply: the xenstore check's summary and one object each. */
static void
parse_domains(struct ctl_jctx *v, struct ctl_doc *d)
{
	char where[48];

	parse_header(v, d);
	d->xenstore = get_obj(v, d->root, "", "xenstore", true);
	if (d->xenstore != NULL) {
		d->status = get_status(v, d->xenstore, "xenstore");
		d->reason = get_str(v, d->xenstore, "xenstore", "reason",
		    false);
	}
	d->domains = get_arr(v, d->root, "", "domains");
	if (d->domains == NULL) {
		if (!v->failed)
			ctl_jfail(v, "domains is missing");
		return;
	}
	for (size_t i = 0; i < d->domains->u.array.len && !v->failed; i++) {
		yajl_val dom = d->domains->u.array.values[i];

		snprintf(where, sizeof(where), "domains[%zu]", i);
		if (!YAJL_IS_OBJECT(dom)) {
			ctl_jfail(v, "%s is not an object", where);
			return;
		}
		get_int(v, dom, where, "domid", true, 0);
		get_status(v, dom, where);
	}
}

static void
parse_simple(struct ctl_jctx *v, struct ctl_doc *d)
{
	const char *r;

	switch (d->cmd) {
	case CTL_CMD_PING:
		d->version = get_str(v, d->root, "", "version", false);
		if (get_bool(v, d->root, "", "pong", true) == 0)
			ctl_jfail(v, "pong is false");
		break;
	case CTL_CMD_VERSION:
		d->version = get_str(v, d->root, "", "version", true);
		break;
	case CTL_CMD_RELOAD:
		r = get_str(v, d->root, "", "reload", true);
		if (r != NULL && strcmp(r, "ok") != 0)
			ctl_jfail(v, "reload is not \"ok\"");
		break;
	default:
		break;
	}
}

/* {"error":{"code":...,"message":...}}: a valid answer, not a failure. */
static void
parse_error(struct ctl_jctx *v, struct ctl_doc *d, yajl_val e)
{
	d->is_error = true;
	if (!YAJL_IS_OBJECT(e)) {
		ctl_jfail(v, "error is not an object");
		return;
	}
	d->err_code = get_str(v, e, "error", "code", true);
	d->err_message = get_str(v, e, "error", "message", true);
}

static void
parse_schema(struct ctl_jctx *v, struct ctl_doc *d)
{
	yajl_val s = ctl_jget(d->root, "schema");

	if (s == NULL)
		ctl_jfail(v, "reply has no schema");
	else if (!YAJL_IS_INTEGER(s))
		ctl_jfail(v, "schema is not an integer");
	else if (YAJL_GET_INTEGER(s) != XSM_SCHEMA)
		ctl_jfail(v, "unsupported schema %lld",
		    (long long)YAJL_GET_INTEGER(s));
}

int
ctl_doc_parse(struct ctl_doc *doc, enum ctl_cmd cmd, const char *check,
    const char *line, size_t len, char *err, size_t errsz)
{
	struct ctl_jctx v = { .err = err, .errsz = errsz };
	yajl_val e;

	memset(doc, 0, sizeof(*doc));
	doc->cmd = cmd;
	doc->raw = line;
	doc->raw_len = len;
	doc->status = XSM_UNKNOWN;
	doc->uptime_s = -1;
	ctl_jparse(&v, "reply", line, len, &doc->root);
	if (v.failed)
		return -EPROTO;
	e = ctl_jget(doc->root, "error");
	if (e != NULL)
		parse_error(&v, doc, e);
	else
		parse_schema(&v, doc);
	if (!v.failed && !doc->is_error) {
		if (cmd == CTL_CMD_STATUS)
			parse_status(&v, doc);
		else if (cmd == CTL_CMD_SHOW)
			parse_show(&v, doc, check);
		else if (cmd == CTL_CMD_DOMAINS)
			parse_domains(&v, doc);
		else
			parse_simple(&v, doc);
	}
	return v.failed ? -EPROTO : 0;
}

void
ctl_doc_free(struct ctl_doc *doc)
{
	yajl_tree_free(doc->root);
	doc->root = NULL;
}
