/* SPDX-License-Identifier: ISC */
/* render_xenstore.c: checks.xenstore details and the domains document. */
#include <string.h>

#include "render_xenstore.h"

static void
render_not_ok(struct xsm_jsonw *w, const struct xsm_xs_table *t)
{
	unsigned shown = 0, n = 0;

	xsm_jsonw_key(w, "domains_not_ok");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; t != NULL && i < t->n; i++) {
		const struct xsm_xs_domain *d = &t->dom[i];

		if (d->status == XSM_OK)
			continue;
		n++;
		if (shown++ >= XSM_XS_NOT_OK_SHOWN)
			continue;
		xsm_jsonw_open(w);
		xsm_jsonw_ku64(w, "domid", d->domid);
		xsm_jsonw_kstr(w, "name", d->name[0] ? d->name : NULL);
		xsm_jsonw_kstr(w, "status", xsm_status_name(d->status));
		xsm_jsonw_kstr(w, "reason", d->reason);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
	xsm_jsonw_ku64(w, "domains_not_ok_count", n);
}

static void
kopt_i64(struct xsm_jsonw *w, const char *k, int64_t v)
{
	xsm_jsonw_key(w, k);
	if (v < 0)
		xsm_jsonw_null(w);
	else
		xsm_jsonw_i64(w, v);
}

static void
render_full(struct xsm_jsonw *w, const struct xsm_xenstore_view *v)
{
	const struct xsm_xs_table *t = v->table;

	xsm_jsonw_kstr(w, "path", v->path[0] ? v->path : NULL);
	xsm_jsonw_kbool(w, "synced", v->synced);
	xsm_jsonw_kbool(w, "hung", v->hung);
	xsm_jsonw_ktime(w, "connected_since", v->connected ?
	    v->connected_since : 0);
	xsm_jsonw_kstr(w, "last_error", v->last_error ?
	    strerror(v->last_error) : NULL);
	xsm_jsonw_kstr(w, "last_error_op", v->last_error ?
	    v->last_error_op : NULL);
	xsm_jsonw_ku64(w, "probes", v->probes);
	xsm_jsonw_ku64(w, "events", v->events);
	xsm_jsonw_ku64(w, "resyncs", v->resyncs);
	xsm_jsonw_ku64(w, "reads", v->reads);
	xsm_jsonw_ku64(w, "sync_ms", v->sync_usec / XSM_MS);
	xsm_jsonw_ki64(w, "entries_total", v->entries_total);
	xsm_jsonw_ki64(w, "entries_growth", v->growth);
	xsm_jsonw_ku64(w, "domains_dropped", t != NULL ? t->dropped : 0);
	xsm_jsonw_ku64(w, "dirty", t != NULL ? t->n_dirty : 0);
}

void
xsm_render_xenstore(struct xsm_jsonw *w, const struct xsm_xenstore_view *v,
    bool full)
{
	xsm_jsonw_kbool(w, "connected", v->connected);
	kopt_i64(w, "probe_latency_us", v->probe_latency_us);
	xsm_jsonw_ku64(w, "reconnects", v->reconnects);
	xsm_jsonw_ku64(w, "domains_count", v->table != NULL ? v->table->n : 0);
	render_not_ok(w, v->table);
	if (full)
		render_full(w, v);
}

static void
render_devices(struct xsm_jsonw *w, const struct xsm_xs_domain *d,
    uint64_t now_wall)
{
	xsm_jsonw_key(w, "devices");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < d->n_dev; i++) {
		const struct xsm_xs_dev *v = &d->dev[i];
		bool conn = v->state == XSM_XS_STATE_CONNECTED &&
		    (v->bstate < 0 || v->bstate == XSM_XS_STATE_CONNECTED);

		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "kind", v->kind);
		xsm_jsonw_ku64(w, "devid", v->devid);
		kopt_i64(w, "state", v->state);
		xsm_jsonw_kstr(w, "state_name", v->state < 0 ? NULL :
		    xsm_xs_state_name(v->state));
		kopt_i64(w, "backend_state", v->bstate);
		xsm_jsonw_ku64(w, "stuck_s", conn || now_wall < v->since_wall ?
		    0 : (now_wall - v->since_wall) / XSM_USEC_PER_SEC);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
}

static void
render_domain(struct xsm_jsonw *w, const struct xsm_xs_domain *d,
    uint64_t now_wall)
{
	char ver[48];

	xsm_jsonw_open(w);
	xsm_jsonw_ku64(w, "domid", d->domid);
	xsm_jsonw_kstr(w, "name", d->name[0] ? d->name : NULL);
	xsm_jsonw_kstr(w, "uuid", d->uuid[0] ? d->uuid : NULL);
	xsm_jsonw_kstr(w, "status", xsm_status_name(d->status));
	xsm_jsonw_kstr(w, "reason", d->reason);
	xsm_jsonw_ktime(w, "since", d->since_wall);
	kopt_i64(w, "memory_target_kib", d->target_kib);
	kopt_i64(w, "memory_static_max_kib", d->static_max_kib);
	xsm_xs_tools_version(d, ver, sizeof(ver));
	xsm_jsonw_key(w, "tools");
	xsm_jsonw_open(w);
	xsm_jsonw_kbool(w, "present", xsm_xs_tools_present(d));
	xsm_jsonw_kstr(w, "version", ver[0] ? ver : NULL);
	xsm_jsonw_kbool(w, "data_updated", d->data_updated);
	xsm_jsonw_close(w);
	xsm_jsonw_key(w, "features");
	xsm_jsonw_array_open(w);
	for (unsigned b = 0; b < XSM_XS_FEAT__COUNT; b++)
		if (d->features & (1u << b))
			xsm_jsonw_str(w, xsm_xs_feature_name(b));
	xsm_jsonw_array_close(w);
	render_devices(w, d, now_wall);
	xsm_jsonw_kbool(w, "devices_truncated", d->dev_truncated);
	kopt_i64(w, "entries", d->entries);
	xsm_jsonw_close(w);
}

int
xsm_render_domains(const struct xsm_state *st, const struct xsm_render_info *ri,
    struct xsm_buf *out)
{
	const struct xsm_check *c = &st->checks[XSM_CHECK_XENSTORE];
	const struct xsm_xenstore_view *v = &st->xenstore;
	struct xsm_jsonw w;
	int r;

	if ((r = xsm_jsonw_begin(&w, out)) < 0)
		return r;
	xsm_jsonw_open(&w);
	xsm_render_header(&w, ri);
	xsm_jsonw_key(&w, "xenstore");
	xsm_jsonw_open(&w);
	xsm_jsonw_kstr(&w, "status", xsm_status_name(c->status));
	xsm_jsonw_kstr(&w, "reason", c->reason);
	xsm_jsonw_kbool(&w, "connected", v->connected);
	xsm_jsonw_kbool(&w, "synced", v->synced);
	xsm_jsonw_close(&w);
	xsm_jsonw_key(&w, "domains");
	xsm_jsonw_array_open(&w);
	for (unsigned i = 0; v->table != NULL && i < v->table->n; i++)
		render_domain(&w, &v->table->dom[i], ri->now_usec);
	xsm_jsonw_array_close(&w);
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}
