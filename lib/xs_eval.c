/* SPDX-License-Identifier: ISC */
/* xs_eval.c: the xenstore check's status from xenstored's health and the domains. */
#include <stdio.h>
#include <string.h>

#include "xenstore.h"

void
xsm_xs_growth(struct xsm_xenstore_view *v, uint64_t now_wall)
{
	const struct xsm_xs_table *t = v->table;
	int64_t total = 0, gained;
	unsigned n = t != NULL ? t->n : 0;
	bool complete = true;

	for (unsigned i = 0; i < n; i++) {
		if (t->dom[i].entries >= 0)
			total += t->dom[i].entries;
		else
			complete = false;
	}
	v->entries_total = total;
	if (!complete) {
		/* Counting under way: a partial total only ever "grows". */
		v->growth = 0;
		v->growth_base_wall = 0;
		return;
	}
	if (v->growth_base_wall == 0 || now_wall < v->growth_base_wall ||
	    now_wall - v->growth_base_wall >= XSM_XS_GROWTH_WINDOW) {
		v->growth_base = total;
		v->growth_base_wall = now_wall;
		v->growth_base_domains = n;
	}
	if (n > v->growth_base_domains) {
		/* New domains bring their entries: not unusual. */
		v->growth_base = total;
		v->growth_base_domains = n;
	}
	gained = total - v->growth_base;
	v->growth = gained >= XSM_XS_GROWTH_MIN && gained * 4 >= v->growth_base ?
	    gained : 0;
}

/* The worst domain and how many are not ok. */
static const struct xsm_xs_domain *
worst_domain(const struct xsm_xs_table *t, unsigned *not_ok)
{
	const struct xsm_xs_domain *w = NULL;

	*not_ok = 0;
	for (unsigned i = 0; t != NULL && i < t->n; i++) {
		const struct xsm_xs_domain *d = &t->dom[i];

		if (d->status == XSM_OK)
			continue;
		(*not_ok)++;
		if (w == NULL || xsm_status_rank(d->status) >
		    xsm_status_rank(w->status))
			w = d;
	}
	return w;
}

static enum xsm_status
unreachable(const struct xsm_xenstore_view *v, char *reason, size_t size)
{
	const char *err = v->last_error ? strerror(v->last_error) : "not yet";

	if (!v->ever_connected) {
		snprintf(reason, size, "no xenstore: %s: %s",
		    v->path[0] ? v->path : "libxenstore default", err);
		return XSM_UNKNOWN;
	}
	snprintf(reason, size, "xenstored unreachable, reconnecting: %s %s",
	    v->last_error_op, err);
	return XSM_CRITICAL;
}

enum xsm_status
xsm_xs_evaluate(struct xsm_xenstore_view *v, const struct xsm_xenstore_cfg *cfg,
    char *reason, size_t size)
{
	const struct xsm_xs_domain *w = worst_domain(v->table, &v->domains_not_ok);
	unsigned n = v->table != NULL ? v->table->n : 0;

	if (!v->connected)
		return unreachable(v, reason, size);
	if (v->hung) {
		snprintf(reason, size, "xenstored not answering for %.1f s",
		    (double)v->hung_usec / XSM_USEC_PER_SEC);
		return XSM_CRITICAL;
	}
	if (w != NULL && w->status == XSM_CRITICAL) {
		snprintf(reason, size, "domain %u (%s): %s", w->domid,
		    w->name[0] ? w->name : "?", w->reason);
		return XSM_CRITICAL;
	}
	if (v->probe_latency_us >= 0 &&
	    (uint64_t)v->probe_latency_us > cfg->probe_warning_usec) {
		snprintf(reason, size, "xenstored slow: the probe took %.1f ms "
		    "(warning at %.1f ms)", (double)v->probe_latency_us / 1000,
		    (double)cfg->probe_warning_usec / 1000);
		return XSM_WARNING;
	}
	if (v->growth > 0) {
		snprintf(reason, size, "the store grew by %lld entries to %lld "
		    "within %llu min", (long long)v->growth,
		    (long long)v->entries_total,
		    (unsigned long long)(XSM_XS_GROWTH_WINDOW / XSM_MIN));
		return XSM_WARNING;
	}
	if (w != NULL) {
		snprintf(reason, size, "%u of %u domains not ok; domain %u (%s): %s",
		    v->domains_not_ok, n, w->domid, w->name[0] ? w->name : "?",
		    w->reason);
		return w->status;
	}
	snprintf(reason, size, "connected, %u domain%s%s", n, n == 1 ? "" : "s",
	    v->synced ? "" : ", syncing");
	return XSM_OK;
}
