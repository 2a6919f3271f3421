/* SPDX-License-Identifier: ISC */
/*
 * xs_table.c: the domain table (sorted by domid), its dirty and stale
 * bitmaps, merging what the worker read, and each domain's evaluation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_domain.h"

#define BIT_WORDS XSM_XS_BITMAP_WORDS

struct xsm_xs_table *
xsm_xs_table_new(unsigned max)
{
	struct xsm_xs_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	if (max == 0)
		max = 1;
	t->max = max > XSM_XS_TABLE_MAX ? XSM_XS_TABLE_MAX : max;
	return t;
}

static void
domain_free(struct xsm_xs_domain *d)
{
	free(d->dev);
	d->dev = NULL;
	d->n_dev = 0;
}

void
xsm_xs_table_clear(struct xsm_xs_table *t)
{
	for (unsigned i = 0; i < t->n; i++)
		domain_free(&t->dom[i]);
	t->n = 0;
	memset(t->dirty, 0, sizeof(t->dirty));
	memset(t->stale, 0, sizeof(t->stale));
	t->n_dirty = t->n_stale = 0;
	t->rescan = false;
}

void
xsm_xs_table_free(struct xsm_xs_table *t)
{
	if (t == NULL)
		return;
	xsm_xs_table_clear(t);
	free(t->dom);
	free(t);
}

/* Index of domid, or of where it would go (and *found false). */
static unsigned
find_index(const struct xsm_xs_table *t, uint32_t domid, bool *found)
{
	unsigned lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->dom[mid].domid < domid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->dom[lo].domid == domid;
	return lo;
}

const struct xsm_xs_domain *
xsm_xs_table_cfind(const struct xsm_xs_table *t, uint32_t domid)
{
	bool found;
	unsigned i = find_index(t, domid, &found);

	return found ? &t->dom[i] : NULL;
}

struct xsm_xs_domain *
xsm_xs_table_find(struct xsm_xs_table *t, uint32_t domid)
{
	return (struct xsm_xs_domain *)xsm_xs_table_cfind(t, domid);
}

static void
mark(uint64_t *bits, unsigned *count, uint32_t domid)
{
	uint64_t b;

	if (domid > XSM_XS_DOMID_MAX)
		return;
	b = 1ULL << (domid % 64);
	if (!(bits[domid / 64] & b)) {
		bits[domid / 64] |= b;
		(*count)++;
	}
}

void
xsm_xs_mark_dirty(struct xsm_xs_table *t, uint32_t domid)
{
	mark(t->dirty, &t->n_dirty, domid);
}

void
xsm_xs_mark_stale(struct xsm_xs_table *t, uint32_t domid)
{
	mark(t->stale, &t->n_stale, domid);
}

void
xsm_xs_mark_all(struct xsm_xs_table *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		xsm_xs_mark_dirty(t, t->dom[i].domid);
		xsm_xs_mark_stale(t, t->dom[i].domid);
	}
	t->rescan = true;
}

unsigned
xsm_xs_take(struct xsm_xs_table *t, bool stale, uint32_t *ids, unsigned max)
{
	uint64_t *bits = stale ? t->stale : t->dirty;
	unsigned *count = stale ? &t->n_stale : &t->n_dirty;
	unsigned n = 0;

	for (unsigned w = 0; w < BIT_WORDS && n < max && *count > 0; w++) {
		while (bits[w] != 0 && n < max) {
			unsigned bit = (unsigned)__builtin_ctzll(bits[w]);

			bits[w] &= bits[w] - 1;
			(*count)--;
			ids[n++] = w * 64 + bit;
		}
	}
	return n;
}

static void
tell(struct xsm_xs_table *t, const struct xsm_xs_domain *d, bool added)
{
	if (t->on_change != NULL)
		t->on_change(t->on_change_arg, d, added);
}

static void
domain_remove(struct xsm_xs_table *t, unsigned i)
{
	domain_free(&t->dom[i]);
	memmove(&t->dom[i], &t->dom[i + 1], (t->n - i - 1) * sizeof(t->dom[0]));
	t->n--;
}

unsigned
xsm_xs_table_list(struct xsm_xs_table *t, const uint32_t *ids, unsigned n,
    bool all)
{
	uint64_t listed[BIT_WORDS];
	unsigned gone = 0;

	memset(listed, 0, sizeof(listed));
	for (unsigned i = 0; i < n; i++) {
		if (ids[i] > XSM_XS_DOMID_MAX)
			continue;
		listed[ids[i] / 64] |= 1ULL << (ids[i] % 64);
		if (all || xsm_xs_table_cfind(t, ids[i]) == NULL) {
			xsm_xs_mark_dirty(t, ids[i]);
			xsm_xs_mark_stale(t, ids[i]);
		}
	}
	for (unsigned i = t->n; i-- > 0;) {
		uint32_t id = t->dom[i].domid;

		if (!(listed[id / 64] & (1ULL << (id % 64)))) {
			tell(t, &t->dom[i], false);
			domain_remove(t, i);
			gone++;
		}
	}
	return gone;
}

static int
dev_cmp(const void *a, const void *b)
{
	const struct xsm_xs_dev *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	if (c != 0)
		return c;
	return x->devid < y->devid ? -1 : x->devid > y->devid;
}

/*
 * Devices as read, sorted by kind and devid (daemons list in their own
 * orders), with since carried over from the old list.
 */
static int
merge_devices(struct xsm_xs_domain *d, const struct xsm_xs_facts *f,
    uint64_t now_wall, uint64_t now_mono, bool *changed)
{
	struct xsm_xs_dev *nd = NULL;

	if (f->n_dev > 0 && (nd = calloc(f->n_dev, sizeof(*nd))) == NULL)
		return -ENOMEM;
	for (unsigned i = 0; i < f->n_dev; i++) {
		const struct xsm_xs_dev *old = NULL;

		nd[i] = f->dev[i];
		nd[i].since_mono = now_mono;
		nd[i].since_wall = now_wall;
		for (unsigned j = 0; j < d->n_dev && old == NULL; j++)
			if (d->dev[j].devid == f->dev[i].devid &&
			    strcmp(d->dev[j].kind, f->dev[i].kind) == 0)
				old = &d->dev[j];
		if (old != NULL && old->state == nd[i].state &&
		    old->bstate == nd[i].bstate) {
			nd[i].since_mono = old->since_mono;
			nd[i].since_wall = old->since_wall;
		} else
			*changed = true;
	}
	if (d->n_dev != f->n_dev)
		*changed = true;
	if (nd != NULL)
		qsort(nd, f->n_dev, sizeof(*nd), dev_cmp);
	free(d->dev);
	d->dev = nd;
	d->n_dev = (uint16_t)f->n_dev;
	return 0;
}

static bool
copy_facts(struct xsm_xs_domain *d, const struct xsm_xs_facts *f)
{
	bool changed = strcmp(d->name, f->name) != 0 ||
	    strcmp(d->uuid, f->uuid) != 0 || d->target_kib != f->target_kib ||
	    d->static_max_kib != f->static_max_kib ||
	    memcmp(d->pv_ver, f->pv_ver, sizeof(d->pv_ver)) != 0 ||
	    d->data_updated != f->data_updated ||
	    d->features != f->features || d->dev_truncated != f->dev_truncated;

	memcpy(d->name, f->name, sizeof(d->name));
	memcpy(d->uuid, f->uuid, sizeof(d->uuid));
	d->target_kib = f->target_kib;
	d->static_max_kib = f->static_max_kib;
	memcpy(d->pv_ver, f->pv_ver, sizeof(d->pv_ver));
	d->data_updated = f->data_updated;
	d->features = (uint8_t)f->features;
	d->dev_truncated = f->dev_truncated;
	return changed;
}

/* Room for one more, growing by half; -ENOMEM or -ENOSPC (full). */
static int
reserve(struct xsm_xs_table *t)
{
	struct xsm_xs_domain *nd;
	unsigned cap;

	if (t->n == t->max)
		return -ENOSPC;
	if (t->n < t->cap)
		return 0;
	cap = t->cap < 8 ? 8 : t->cap + t->cap / 2;
	if (cap > t->max)
		cap = t->max;
	if ((nd = realloc(t->dom, cap * sizeof(*nd))) == NULL)
		return -ENOMEM;
	t->dom = nd;
	t->cap = cap;
	return 0;
}

static struct xsm_xs_domain *
domain_add(struct xsm_xs_table *t, uint32_t domid, uint64_t now_wall, int *err)
{
	struct xsm_xs_domain *d;
	bool found;
	unsigned i;

	if ((*err = reserve(t)) < 0)
		return NULL;
	i = find_index(t, domid, &found);
	memmove(&t->dom[i + 1], &t->dom[i], (t->n - i) * sizeof(t->dom[0]));
	t->n++;
	d = &t->dom[i];
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	d->target_kib = d->static_max_kib = d->entries = -1;
	for (int k = 0; k < 4; k++)
		d->pv_ver[k] = -1;
	d->status = XSM_OK;
	d->since_wall = d->seen_wall = now_wall;
	return d;
}

int
xsm_xs_table_merge(struct xsm_xs_table *t, const struct xsm_xs_facts *f,
    uint64_t now_wall, uint64_t now_mono)
{
	struct xsm_xs_domain *d;
	bool found, changed = false;
	unsigned i = find_index(t, f->domid, &found);
	int r;

	if (!f->exists) {
		if (!found)
			return 0;
		tell(t, &t->dom[i], false);
		domain_remove(t, i);
		return 1;
	}
	if (!found) {
		if ((d = domain_add(t, f->domid, now_wall, &r)) == NULL) {
			if (r == -ENOSPC) {
				t->dropped++;
				return 0;
			}
			return r;
		}
		changed = true;
	} else
		d = &t->dom[i];
	if ((r = merge_devices(d, f, now_wall, now_mono, &changed)) < 0) {
		if (!found)
			domain_remove(t, find_index(t, f->domid, &found));
		return r;
	}
	changed |= copy_facts(d, f);
	if (f->entries >= 0 && f->entries != d->entries) {
		d->entries = f->entries;
		changed = true;
	}
	if (!found)
		tell(t, d, true);
	return changed ? 1 : 0;
}

int
xsm_xs_table_entries(struct xsm_xs_table *t, uint32_t domid, int64_t entries)
{
	struct xsm_xs_domain *d = xsm_xs_table_find(t, domid);

	if (d == NULL || d->entries == entries)
		return 0;
	d->entries = entries;
	return 1;
}

/* The worst device: outside Connected longest. NULL when none is. */
static const struct xsm_xs_dev *
worst_device(const struct xsm_xs_domain *d)
{
	const struct xsm_xs_dev *w = NULL;

	for (unsigned i = 0; i < d->n_dev; i++) {
		const struct xsm_xs_dev *v = &d->dev[i];

		if (v->state == XSM_XS_STATE_CONNECTED &&
		    (v->bstate == XSM_XS_STATE_CONNECTED || v->bstate < 0))
			continue;
		if (w == NULL || v->since_mono < w->since_mono)
			w = v;
	}
	return w;
}

bool
xsm_xs_domain_eval(struct xsm_xs_domain *d, const struct xsm_xenstore_cfg *cfg,
    uint64_t now_wall, uint64_t now_mono, uint64_t *next_mono)
{
	const struct xsm_xs_dev *v = worst_device(d);
	enum xsm_status st = XSM_OK;
	char reason[XSM_XS_REASON_MAX] = "";
	bool changed;

	if (d->domid != 0 && d->entries >= 0 && cfg->quota_entries > 0) {
		double pct = 100.0 * (double)d->entries / cfg->quota_entries;

		if (d->entries >= (int64_t)cfg->quota_entries)
			st = XSM_CRITICAL;
		else if (pct >= cfg->quota_warning)
			st = XSM_WARNING;
		if (st != XSM_OK)
			snprintf(reason, sizeof(reason), "%lld xenstore entries, "
			    "%.0f%% of the quota of %u", (long long)d->entries,
			    pct, cfg->quota_entries);
	}
	if (v != NULL) {
		uint64_t age = now_mono > v->since_mono ?
		    now_mono - v->since_mono : 0;
		int s = v->state != XSM_XS_STATE_CONNECTED ? v->state : v->bstate;

		if (age >= cfg->device_stuck_usec && st == XSM_OK) {
			st = XSM_WARNING;
			snprintf(reason, sizeof(reason), "%s/%u %s in %s for %llus",
			    v->kind, v->devid, v->state !=
			    XSM_XS_STATE_CONNECTED ? "frontend" : "backend",
			    xsm_xs_state_name(s),
			    (unsigned long long)(age / XSM_USEC_PER_SEC));
		} else if (age < cfg->device_stuck_usec && next_mono != NULL) {
			uint64_t at = v->since_mono + cfg->device_stuck_usec;

			if (*next_mono == 0 || at < *next_mono)
				*next_mono = at;
		}
	}
	changed = st != d->status || strcmp(reason, d->reason) != 0;
	if (st != d->status)
		d->since_wall = now_wall;
	d->status = st;
	memcpy(d->reason, reason, sizeof(d->reason));
	return changed;
}

bool
xsm_xs_tools_present(const struct xsm_xs_domain *d)
{
	return d->pv_ver[0] >= 0 || d->data_updated;
}

void
xsm_xs_tools_version(const struct xsm_xs_domain *d, char *out, size_t size)
{
	if (d->pv_ver[0] < 0) {
		xsm_strlcpy(out, "", size);
		return;
	}
	if (d->pv_ver[3] >= 0)
		snprintf(out, size, "%d.%d.%d-%d", d->pv_ver[0],
		    d->pv_ver[1] < 0 ? 0 : d->pv_ver[1],
		    d->pv_ver[2] < 0 ? 0 : d->pv_ver[2], d->pv_ver[3]);
	else
		snprintf(out, size, "%d.%d.%d", d->pv_ver[0],
		    d->pv_ver[1] < 0 ? 0 : d->pv_ver[1],
		    d->pv_ver[2] < 0 ? 0 : d->pv_ver[2]);
}
