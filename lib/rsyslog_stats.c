/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_stats.c: impstats lines to counters.
 *
 * JSON goes through yajl's callback parser rather than the tree: a line is
 * read in place (no NUL-terminated copy, no tree allocated), nested values
 * are skipped by depth, and an integer yajl cannot hold fails the line.
 */
#include <errno.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "rsyslog_stats.h"

struct field {
	const char *key;     /* as rsyslog names it; '!' is read as '.' */
	int slot;
};

static const struct field action_fields[] = {
	{ "processed", XSM_IS_PROCESSED }, { "failed", XSM_IS_FAILED },
	{ "suspended", XSM_IS_SUSPENDED },
	{ "suspended.duration", XSM_IS_SUSPENDED_DURATION },
	{ "resumed", XSM_IS_RESUMED }, { NULL, 0 },
};

static const struct field queue_fields[] = {
	{ "size", XSM_IS_SIZE }, { "enqueued", XSM_IS_ENQUEUED },
	{ "full", XSM_IS_FULL }, { "discarded.full", XSM_IS_DISCARDED_FULL },
	{ "discarded.nf", XSM_IS_DISCARDED_NF }, { "maxqsize", XSM_IS_MAXQSIZE },
	{ NULL, 0 },
};

/* Counters as we meet them, before the origin says which set they are. */
#define PENDING_MAX 16
struct pending {
	char key[24];
	uint64_t v;
	bool bad;            /* not a non-negative integer */
};

struct parse {
	struct xsm_impstats_rec *rec;
	int depth;
	char key[24];        /* current key at depth 1; "" when too long */
	bool key_ok;
	bool have_name, have_origin, bad;
	char origin[24];
	unsigned n;
	struct pending p[PENDING_MAX];
};

/* key (n bytes) into a NUL-terminated buffer, '!' turned into '.'. */
static bool
copy_key(char *dst, size_t size, const char *k, size_t n)
{
	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		dst[i] = k[i] == '!' ? '.' : k[i];
	dst[n] = '\0';
	return true;
}

static void
pending_add(struct parse *p, const char *key, uint64_t v, bool bad)
{
	for (unsigned i = 0; i < p->n; i++) {
		if (strcmp(p->p[i].key, key) == 0) {
			p->p[i].v = v;    /* a duplicate key: the last wins */
			p->p[i].bad = bad;
			return;
		}
	}
	if (p->n < PENDING_MAX) {
		xsm_strlcpy(p->p[p->n].key, key, sizeof(p->p[p->n].key));
		p->p[p->n].bad = bad;
		p->p[p->n++].v = v;
	}
}

static bool
is_name_or_origin(const struct parse *p)
{
	return strcmp(p->key, "name") == 0 || strcmp(p->key, "origin") == 0;
}

static int
cb_map_key(void *ctx, const unsigned char *k, size_t n)
{
	struct parse *p = ctx;

	if (p->depth == 1)
		p->key_ok = copy_key(p->key, sizeof(p->key), (const char *)k, n);
	return 1;
}

static int
cb_start_map(void *ctx)
{
	struct parse *p = ctx;

	p->depth++;
	p->key_ok = false;
	return 1;
}

static int
cb_end(void *ctx)
{
	struct parse *p = ctx;

	p->depth--;
	p->key_ok = false;
	return 1;
}

static int
cb_start_array(void *ctx)
{
	struct parse *p = ctx;

	if (p->depth == 0)
		return 0;       /* a top-level array is no stats line */
	p->depth++;
	return 1;
}

/*
 * A value of the wrong type fails the line if its key is name, origin or
 * a counter we use (known once the origin is); other keys are not ours.
 */
static int
cb_scalar(void *ctx)
{
	struct parse *p = ctx;

	if (p->depth == 0)
		return 0;
	if (p->depth == 1 && p->key_ok) {
		if (is_name_or_origin(p))
			p->bad = true;
		else
			pending_add(p, p->key, 0, true);
	}
	return 1;
}

static int cb_null(void *ctx) { return cb_scalar(ctx); }
static int cb_bool(void *ctx, int b) { return cb_scalar(ctx); }
static int cb_double(void *ctx, double d) { return cb_scalar(ctx); }

static int
cb_integer(void *ctx, long long v)
{
	struct parse *p = ctx;

	if (p->depth == 0)
		return 0;
	if (p->depth != 1 || !p->key_ok)
		return 1;
	if (is_name_or_origin(p))
		p->bad = true;
	else
		pending_add(p, p->key, v < 0 ? 0 : (uint64_t)v, v < 0);
	return 1;
}

static int
cb_string(void *ctx, const unsigned char *s, size_t n)
{
	struct parse *p = ctx;

	if (p->depth == 0)
		return 0;
	if (p->depth != 1 || !p->key_ok)
		return 1;
	if (!is_name_or_origin(p)) {
		pending_add(p, p->key, 0, true);
	} else if (strcmp(p->key, "name") == 0) {
		size_t m = n < XSM_RSYSLOG_NAME_MAX - 1 ? n :
		    XSM_RSYSLOG_NAME_MAX - 1;

		memcpy(p->rec->name, s, m);
		p->rec->name[m] = '\0';
		p->have_name = n > 0 && memchr(s, '\0', n) == NULL;
	} else {
		p->have_origin = copy_key(p->origin, sizeof(p->origin),
		    (const char *)s, n);
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_bool,
	.yajl_integer = cb_integer,
	.yajl_double = cb_double,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

/* Fills rec's kind and counters from the keys collected. */
static int
finish(struct xsm_impstats_rec *rec, const char *origin,
    const struct pending *pv, unsigned n)
{
	const struct field *f;

	if (strcmp(origin, "core.action") == 0) {
		rec->kind = XSM_IMPSTATS_ACTION;
		f = action_fields;
	} else if (strcmp(origin, "core.queue") == 0) {
		rec->kind = XSM_IMPSTATS_QUEUE;
		f = queue_fields;
	} else {
		rec->kind = XSM_IMPSTATS_OTHER;
		return 0;
	}
	for (; f->key != NULL; f++) {
		for (unsigned i = 0; i < n; i++) {
			if (strcmp(pv[i].key, f->key) == 0) {
				if (pv[i].bad)
					return -EINVAL;
				rec->v[f->slot] = pv[i].v;
				rec->has[f->slot] = true;
			}
		}
	}
	return 0;
}

static int
parse_json(const char *s, size_t len, struct xsm_impstats_rec *rec)
{
	struct parse p = { .rec = rec };
	yajl_handle h = yajl_alloc(&callbacks, NULL, &p);
	yajl_status ys;

	if (h == NULL)
		return -ENOMEM;
	ys = yajl_parse(h, (const unsigned char *)s, len);
	if (ys == yajl_status_ok)
		ys = yajl_complete_parse(h);
	yajl_free(h);
	if (ys != yajl_status_ok || p.bad || !p.have_name || !p.have_origin)
		return -EINVAL;
	return finish(rec, p.origin, p.p, p.n);
}

/* Parses a decimal counter of exactly n bytes (below 2^63). */
static bool
parse_u63(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > INT64_MAX)
		return false;
	*out = v;
	return true;
}

/* "NAME: origin=X k=v k=v": the name ends at the ": " before "origin=". */
static int
parse_legacy(const char *s, size_t len, struct xsm_impstats_rec *rec)
{
	static const char tag[] = ": origin=";
	const char *o = NULL, *end = s + len, *name, *q;
	struct pending pv[PENDING_MAX];
	char origin[24] = "";
	unsigned n = 0;

	for (q = s; q + sizeof(tag) - 1 <= end; q++) {
		if (memcmp(q, tag, sizeof(tag) - 1) == 0) {
			o = q;
			break;
		}
	}
	if (o == NULL || o == s)
		return -EINVAL;
	for (name = o; name > s && !(name[-1] == ' ' && name - 1 > s &&
	    name[-2] == ':'); name--)
		;
	if (o - name <= 0)
		return -EINVAL;
	{
		size_t m = (size_t)(o - name) < XSM_RSYSLOG_NAME_MAX - 1 ?
		    (size_t)(o - name) : XSM_RSYSLOG_NAME_MAX - 1;

		if (memchr(name, '\0', (size_t)(o - name)) != NULL)
			return -EINVAL;
		memcpy(rec->name, name, m);
		rec->name[m] = '\0';
	}
	for (q = o + 2; q < end;) {
		const char *tok = q, *eq, *te;

		te = memchr(q, ' ', (size_t)(end - q));
		if (te == NULL)
			te = end;
		q = te + 1;
		if (te == tok)
			continue;
		eq = memchr(tok, '=', (size_t)(te - tok));
		if (eq == NULL)
			return -EINVAL;
		if (n == 0 && tok == o + 2) {
			if (!copy_key(origin, sizeof(origin), eq + 1,
			    (size_t)(te - eq - 1)))
				return -EINVAL;
			n = 1;  /* origin seen; counters follow */
			continue;
		}
		if (n - 1 < PENDING_MAX &&
		    copy_key(pv[n - 1].key, sizeof(pv[n - 1].key), tok,
		    (size_t)(eq - tok))) {
			pv[n - 1].bad = !parse_u63(eq + 1,
			    (size_t)(te - eq - 1), &pv[n - 1].v);
			n++;
		}
	}
	if (origin[0] == '\0')
		return -EINVAL;
	return finish(rec, origin, pv, n - 1);
}

int
xsm_impstats_parse_line(const char *line, size_t len,
    struct xsm_impstats_rec *rec)
{
	const char *brace;

	memset(rec, 0, sizeof(*rec));
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return -EINVAL;
	/* JSON ends in '}'; its start is the first '{' (after a date). */
	if (line[len - 1] == '}' && (brace = memchr(line, '{', len)) != NULL)
		return parse_json(brace, len - (size_t)(brace - line), rec);
	return parse_legacy(line, len, rec);
}

/* Delta of a cumulative counter; a counter that went down was reset. */
static uint64_t
delta(uint64_t old, uint64_t now, bool first, bool *reset)
{
	if (first)
		return 0;
	if (now < old) {
		*reset = true;
		return now;
	}
	return now - old;
}

static void
apply_action(struct xsm_rsyslog_action *a, const struct xsm_impstats_rec *r,
    bool *reset)
{
	bool first = a->updates == 0;
	uint64_t v[XSM_IS_FIELDS];

	for (int i = 0; i < XSM_IS_FIELDS; i++)
		v[i] = r->has[i] ? r->v[i] : 0;
	a->d_processed = delta(a->processed, v[XSM_IS_PROCESSED], first, reset);
	a->d_failed = delta(a->failed, v[XSM_IS_FAILED], first, reset);
	a->d_suspended = delta(a->suspended, v[XSM_IS_SUSPENDED], first, reset);
	a->d_resumed = delta(a->resumed, v[XSM_IS_RESUMED], first, reset);
	a->processed = v[XSM_IS_PROCESSED];
	a->failed = v[XSM_IS_FAILED];
	a->suspended = v[XSM_IS_SUSPENDED];
	a->suspended_duration = v[XSM_IS_SUSPENDED_DURATION];
	a->resumed = v[XSM_IS_RESUMED];
	/* Each suspension ends in a resume: more of the one means it is on. */
	if (a->suspended > a->resumed)
		a->suspended_streak++;
	else
		a->suspended_streak = 0;
	a->updates++;
}

static void
apply_queue(struct xsm_rsyslog_queue *q, const struct xsm_impstats_rec *r,
    bool *reset)
{
	bool first = q->updates == 0;
	uint64_t v[XSM_IS_FIELDS];

	for (int i = 0; i < XSM_IS_FIELDS; i++)
		v[i] = r->has[i] ? r->v[i] : 0;
	q->d_size = first ? 0 : (int64_t)v[XSM_IS_SIZE] - (int64_t)q->size;
	q->d_enqueued = delta(q->enqueued, v[XSM_IS_ENQUEUED], first, reset);
	q->d_full = delta(q->full, v[XSM_IS_FULL], first, reset);
	q->d_discarded_full = delta(q->discarded_full,
	    v[XSM_IS_DISCARDED_FULL], first, reset);
	q->d_discarded_nf = delta(q->discarded_nf, v[XSM_IS_DISCARDED_NF],
	    first, reset);
	/* A queue that holds messages and does not shrink is not draining. */
	if (v[XSM_IS_SIZE] > 0 && (first || q->d_size >= 0))
		q->stuck_streak++;
	else
		q->stuck_streak = 0;
	q->size = v[XSM_IS_SIZE];
	q->enqueued = v[XSM_IS_ENQUEUED];
	q->full = v[XSM_IS_FULL];
	q->discarded_full = v[XSM_IS_DISCARDED_FULL];
	q->discarded_nf = v[XSM_IS_DISCARDED_NF];
	q->maxqsize = v[XSM_IS_MAXQSIZE];
	q->updates++;
}

void
xsm_rsyslog_stats_apply(struct xsm_rsyslog_stats *s,
    const struct xsm_impstats_rec *r)
{
	bool reset = false;
	unsigned i;

	s->lines++;
	if (r->kind == XSM_IMPSTATS_ACTION) {
		for (i = 0; i < s->n_actions; i++)
			if (strcmp(s->actions[i].name, r->name) == 0)
				break;
		if (i == s->n_actions) {
			if (i == XSM_RSYSLOG_ACTIONS_MAX) {
				s->names_dropped++;
				return;
			}
			memset(&s->actions[i], 0, sizeof(s->actions[i]));
			xsm_strlcpy(s->actions[i].name, r->name,
			    sizeof(s->actions[i].name));
			s->n_actions++;
		}
		apply_action(&s->actions[i], r, &reset);
	} else if (r->kind == XSM_IMPSTATS_QUEUE) {
		for (i = 0; i < s->n_queues; i++)
			if (strcmp(s->queues[i].name, r->name) == 0)
				break;
		if (i == s->n_queues) {
			if (i == XSM_RSYSLOG_QUEUES_MAX) {
				s->names_dropped++;
				return;
			}
			memset(&s->queues[i], 0, sizeof(s->queues[i]));
			xsm_strlcpy(s->queues[i].name, r->name,
			    sizeof(s->queues[i].name));
			s->n_queues++;
		}
		apply_queue(&s->queues[i], r, &reset);
	}
	s->resets += reset;
}

void
xsm_rsyslog_stats_line(struct xsm_rsyslog_stats *s, const char *line,
    size_t len)
{
	struct xsm_impstats_rec rec;

	if (xsm_impstats_parse_line(line, len, &rec) < 0) {
		s->parse_errors++;
		return;
	}
	xsm_rsyslog_stats_apply(s, &rec);
}
