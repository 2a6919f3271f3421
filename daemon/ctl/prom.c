/* SPDX-License-Identifier: ISC */
/*
 * prom.c: the status and domains documents as Prometheus text exposition
 * format 0.0.4.
 *
 * The format wants every sample of a family together, after its # HELP
 * and # TYPE, while the documents group figures by check and interface.
 * So the output is driven by a table of families (prom_table.c), each
 * naming where its samples live (a walker over the documents) and the
 * key to read; the header is written before a family's first sample
 * only, so a family with nothing to say leaves no trace. A value that is
 * null or absent is unknown and gives no sample: 0 would be a lie that
 * alerts and graphs believe.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "prom.h"
#include "show.h"

struct pctx {
	struct xsm_buf *b;
	const struct prom_family *f;
	bool header;
	int err;
};

static void
emit(struct pctx *p, const char *str)
{
	if (p->err == 0)
		p->err = xsm_buf_append(p->b, str, strlen(str));
}

/* A label value: \ " and newline escaped, malformed UTF-8 as '?'. */
static void
emit_value(struct pctx *p, const char *s)
{
	size_t n;

	for (; s != NULL && *s != '\0' && p->err == 0; s += n ? n : 1) {
		n = xsm_utf8_len(s, strnlen(s, 4), 0);
		if (*s == '\\')
			p->err = xsm_buf_append(p->b, "\\\\", 2);
		else if (*s == '"')
			p->err = xsm_buf_append(p->b, "\\\"", 2);
		else if (*s == '\n')
			p->err = xsm_buf_append(p->b, "\\n", 2);
		else
			p->err = n ? xsm_buf_append(p->b, s, n) :
			    xsm_buf_append(p->b, "?", 1);
	}
}

static void
emit_header(struct pctx *p)
{
	if (p->header)
		return;
	p->header = true;
	emit(p, "# HELP ");
	emit(p, p->f->name);
	emit(p, " ");
	emit(p, p->f->help);
	emit(p, "\n# TYPE ");
	emit(p, p->f->name);
	emit(p, p->f->type == PROM_COUNTER ? " counter\n" : " gauge\n");
}

/* One sample: labels are NULL-terminated name/value pairs. */
static void
sample(struct pctx *p, const char *const *labels, const struct prom_num *v)
{
	char num[48];

	emit_header(p);
	emit(p, p->f->name);
	for (size_t i = 0; labels[i] != NULL; i += 2) {
		emit(p, i == 0 ? "{" : ",");
		emit(p, labels[i]);
		emit(p, "=\"");
		emit_value(p, labels[i + 1] ? labels[i + 1] : "");
		emit(p, "\"");
	}
	if (labels[0] != NULL)
		emit(p, "}");
	if (v->integer)
		snprintf(num, sizeof(num), " %" PRId64 "\n", v->i);
	else
		snprintf(num, sizeof(num), " %.15g\n", v->d);
	emit(p, num);
}

/* Follows "a.b.c" from obj; NULL when a step is absent. */
static yajl_val
path(yajl_val obj, const char *key)
{
	char part[64];
	const char *dot;

	while ((dot = strchr(key, '.')) != NULL) {
		snprintf(part, sizeof(part), "%.*s", (int)(dot - key), key);
		obj = ctl_jget(obj, part);
		key = dot + 1;
	}
	return ctl_jget(obj, key);
}

/* A status word as its Nagios code, the order alerts compare with. */
static bool
status_code(yajl_val x, struct prom_num *v)
{
	enum xsm_status st;

	if (!YAJL_IS_STRING(x) || xsm_status_parse(YAJL_GET_STRING(x),
	    &st) < 0)
		return false;
	v->integer = true;
	v->i = st;
	return true;
}

static bool
number(yajl_val x, double scale, struct prom_num *v)
{
	if (YAJL_IS_TRUE(x) || YAJL_IS_FALSE(x)) {
		v->integer = true;
		v->i = YAJL_IS_TRUE(x);
		return true;
	}
	if (YAJL_IS_INTEGER(x) && scale == floor(scale) && scale <= 1e6) {
		int64_t i = YAJL_GET_INTEGER(x), s = (int64_t)scale;

		if (i > INT64_MAX / s || i < INT64_MIN / s)
			return false;
		v->integer = true;
		v->i = i * s;
		return true;
	}
	if (!YAJL_IS_NUMBER(x))
		return false;
	v->integer = false;
	v->d = (YAJL_IS_INTEGER(x) ? (double)YAJL_GET_INTEGER(x) :
	    YAJL_GET_DOUBLE(x)) * scale;
	return isfinite(v->d);
}

/*
 * The value of f at obj; false when there is none. lval is the value of
 * the family's own label (f->lname), if it has one.
 */
static bool
value(const struct prom_family *f, yajl_val obj, const char *lval,
    struct prom_num *v)
{
	char key[96];
	const char *pct = strstr(f->key, "%s"), *sv;
	yajl_val x;

	if (pct != NULL)
		snprintf(key, sizeof(key), "%.*s%s%s", (int)(pct - f->key),
		    f->key, lval, pct + 2);
	else
		xsm_strlcpy(key, f->key, sizeof(key));
	x = path(obj, key);
	v->integer = true;
	switch (f->conv) {
	case PROM_NUM:
		return x != NULL && number(x, f->scale, v);
	case PROM_STATUS:
		return status_code(x, v);
	case PROM_NONNULL:        /* e.g. pid: null unless alive */
		if (x == NULL)
			return false;
		v->i = !YAJL_IS_NULL(x);
		return true;
	case PROM_EQ:             /* one-hot over f->lvals */
		sv = YAJL_IS_STRING(x) ? YAJL_GET_STRING(x) : NULL;
		if (sv == NULL || lval == NULL)
			return false;
		v->i = strcmp(sv, lval) == 0;
		return true;
	}
	return false;
}

/* The samples of f for one object with its walker's labels. */
static void
at(struct pctx *p, yajl_val obj, const char *const *labels)
{
	const struct prom_family *f = p->f;
	const char *all[16];
	struct prom_num v;
	size_t n = 0;

	while (labels[n] != NULL && n < 12) {
		all[n] = labels[n];
		n++;
	}
	if (f->lname == NULL) {
		all[n] = NULL;
		if (value(f, obj, f->lvals ? f->lvals[0] : NULL, &v))
			sample(p, all, &v);
		return;
	}
	all[n] = f->lname;
	all[n + 2] = NULL;
	for (size_t i = 0; f->lvals[i] != NULL; i++) {
		all[n + 1] = f->lvals[i];
		if (value(f, obj, f->lvals[i], &v))
			sample(p, all, &v);
	}
}

static yajl_val
check_obj(const struct ctl_doc *s, const char *name)
{
	return ctl_jobj(ctl_jobj(s->root, "checks"), name);
}

/* Every element of the array key of obj, labelled by its lkey field. */
static void
each(struct pctx *p, yajl_val obj, const char *key, const char *lname,
    const char *lkey)
{
	yajl_val a = ctl_jarr(obj, key);

	for (size_t i = 0; a != NULL && i < a->u.array.len; i++) {
		yajl_val x = a->u.array.values[i];
		const char *labels[] = { lname, ctl_jstr(x, lkey), NULL };

		at(p, x, labels);
	}
}

static void
each_nic(struct pctx *p, const struct ctl_doc *s)
{
	yajl_val a = ctl_jarr(check_obj(s, "nics"), "interfaces");

	for (size_t i = 0; a != NULL && i < a->u.array.len; i++) {
		yajl_val x = a->u.array.values[i];
		const char *labels[] = { "interface", ctl_jstr(x, "name"),
		    "role", ctl_jstr(x, "role"), NULL };

		at(p, x, labels);
	}
}

static void
each_domain(struct pctx *p, const struct ctl_doc *dom)
{
	for (size_t i = 0; dom != NULL && dom->domains != NULL &&
	    i < dom->domains->u.array.len; i++) {
		yajl_val x = dom->domains->u.array.values[i];
		char id[24];
		int64_t domid = -1;
		const char *labels[] = { "domid", id, "name",
		    ctl_jstr(x, "name"), NULL };

		ctl_jint(x, "domid", &domid);
		snprintf(id, sizeof(id), "%" PRId64, domid);
		at(p, x, labels);
	}
}

static void
each_check(struct pctx *p, const struct ctl_doc *s)
{
	for (size_t i = 0; i < s->n_checks; i++) {
		const char *labels[] = { "check", s->checks[i].name, NULL };

		at(p, check_obj(s, s->checks[i].name), labels);
	}
}

static void
walk(struct pctx *p, const struct ctl_doc *s, const struct ctl_doc *dom)
{
	static const char *const none[] = { NULL };
	yajl_val rs = check_obj(s, "rsyslog");

	switch (p->f->walker) {
	case PROM_W_ROOT:
		at(p, s->root, none);
		break;
	case PROM_W_INFO: {
		const char *labels[] = { "version", s->version, "host",
		    s->host, NULL };

		at(p, s->root, labels);
		break;
	}
	case PROM_W_CHECK:
		each_check(p, s);
		break;
	case PROM_W_LOGFS:
	case PROM_W_NICS:
	case PROM_W_RSYSLOG:
	case PROM_W_XENSTORE:
		at(p, check_obj(s, p->f->walker == PROM_W_LOGFS ? "logfs" :
		    p->f->walker == PROM_W_NICS ? "nics" :
		    p->f->walker == PROM_W_RSYSLOG ? "rsyslog" : "xenstore"),
		    none);
		break;
	case PROM_W_NIC:
		each_nic(p, s);
		break;
	case PROM_W_ACTION:
		each(p, rs, "actions", "action", "name");
		break;
	case PROM_W_QUEUE:
		each(p, rs, "queues", "queue", "name");
		break;
	case PROM_W_FILE:
		each(p, rs, "files", "path", "path");
		break;
	case PROM_W_DOMAIN:
		each_domain(p, dom);
		break;
	}
}

int
ctl_prom_render(const struct ctl_doc *status, const struct ctl_doc *domains,
    struct xsm_buf *out)
{
	struct pctx p = { .b = out };

	for (size_t i = 0; i < prom_families_n && p.err == 0; i++) {
		p.f = &prom_families[i];
		p.header = false;
		walk(&p, status, domains);
	}
	return p.err;
}

int
ctl_prom_render_down(struct xsm_buf *out)
{
	static const char *const none[] = { NULL };
	struct pctx p = { .b = out, .f = &prom_families[0] };
	struct prom_num v = { .integer = true, .i = 0 };

	sample(&p, none, &v);
	return p.err;
}
