/* SPDX-License-Identifier: ISC */
/* render_logfs.c: checks.logfs details. */
#include <string.h>

#include "render_logfs.h"

struct usage {
	uint64_t total, used, avail;
	double pct;
	double warning, critical;   /* the levels, for Nagios perfdata */
	enum xsm_status status;
};

static void
render_usage(struct xsm_jsonw *w, const char *key, const struct usage *u)
{
	xsm_jsonw_key(w, key);
	xsm_jsonw_open(w);
	xsm_jsonw_ku64(w, "total", u->total);
	xsm_jsonw_ku64(w, "used", u->used);
	xsm_jsonw_ku64(w, "avail", u->avail);
	xsm_jsonw_key(w, "used_pct");
	xsm_jsonw_fixed(w, u->pct, 1);
	xsm_jsonw_kstr(w, "status", xsm_status_name(u->status));
	xsm_jsonw_key(w, "warning");
	xsm_jsonw_fixed(w, u->warning, 1);
	xsm_jsonw_key(w, "critical");
	xsm_jsonw_fixed(w, u->critical, 1);
	xsm_jsonw_close(w);
}

static void
render_growth(struct xsm_jsonw *w, const struct xsm_logfs_view *v)
{
	xsm_jsonw_key(w, "growth");
	xsm_jsonw_open(w);
	xsm_jsonw_key(w, "rate_bps");
	if (v->rate_valid)
		xsm_jsonw_fixed(w, v->rate_bps, 1);
	else
		xsm_jsonw_null(w);
	xsm_jsonw_key(w, "ttf_s");
	if (v->ttf_s >= 0)
		xsm_jsonw_i64(w, v->ttf_s);
	else
		xsm_jsonw_null(w);
	xsm_jsonw_kstr(w, "status", xsm_status_name(v->ttf_status));
	xsm_jsonw_ku64(w, "bursts_ignored", v->bursts_ignored);
	xsm_jsonw_ku64(w, "trend_resets", v->trend_resets);
	xsm_jsonw_close(w);
}

static void
render_deleted_summary(struct xsm_jsonw *w, const struct xsm_logfs_scan *s)
{
	xsm_jsonw_key(w, "deleted_open");
	xsm_jsonw_open(w);
	if (s->valid && s->deleted_error == 0) {
		xsm_jsonw_ku64(w, "bytes", s->deleted_bytes);
		xsm_jsonw_ku64(w, "count", s->deleted_count);
		xsm_jsonw_kstr(w, "error", NULL);
		xsm_jsonw_ku64(w, "unreadable", s->deleted_unreadable);
	} else {
		xsm_jsonw_kstr(w, "bytes", NULL);
		xsm_jsonw_kstr(w, "count", NULL);
		xsm_jsonw_kstr(w, "error", !s->valid ? "not scanned yet" :
		    strerror(s->deleted_error));
		xsm_jsonw_kstr(w, "unreadable", NULL);
	}
	xsm_jsonw_close(w);
}

static void
render_files(struct xsm_jsonw *w, const char *key,
    const struct xsm_logfs_file *f, unsigned n, bool growth)
{
	xsm_jsonw_key(w, key);
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < n && i < XSM_LOGFS_TOP_MAX; i++) {
		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "path", f[i].path);
		xsm_jsonw_ku64(w, "bytes", f[i].bytes);
		if (growth)
			xsm_jsonw_ki64(w, "growth", f[i].growth);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
}

static void
render_deleted_list(struct xsm_jsonw *w, const struct xsm_logfs_scan *s)
{
	xsm_jsonw_key(w, "deleted_open");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < s->n_deleted && i < XSM_LOGFS_TOP_MAX; i++) {
		const struct xsm_logfs_deleted *d = &s->deleted[i];

		xsm_jsonw_open(w);
		xsm_jsonw_ki64(w, "pid", d->pid);
		xsm_jsonw_kstr(w, "comm", d->comm);
		xsm_jsonw_ki64(w, "fd", d->fd);
		xsm_jsonw_kstr(w, "path", d->path);
		xsm_jsonw_ku64(w, "bytes", d->bytes);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
}

static void
render_scan(struct xsm_jsonw *w, const struct xsm_logfs_scan *s)
{
	xsm_jsonw_key(w, "scan");
	xsm_jsonw_open(w);
	xsm_jsonw_ktime(w, "at", s->valid ? s->at_usec : 0);
	xsm_jsonw_ku64(w, "window_s", s->window_usec / XSM_USEC_PER_SEC);
	xsm_jsonw_ku64(w, "files_seen", s->files_seen);
	xsm_jsonw_kbool(w, "truncated", s->truncated);
	render_files(w, "largest_files", s->files, s->n_files, false);
	render_files(w, "largest_dirs", s->dirs, s->n_dirs, false);
	render_files(w, "growers", s->growers, s->n_growers, true);
	render_deleted_list(w, s);
	xsm_jsonw_close(w);
}

void
xsm_render_logfs(struct xsm_jsonw *w, const struct xsm_logfs_view *v,
    bool full)
{
	const struct xsm_logfs_sample *s = &v->last;

	xsm_jsonw_kstr(w, "path", v->path);
	xsm_jsonw_kstr(w, "mountpoint", s->mountpoint[0] ? s->mountpoint : NULL);
	xsm_jsonw_kstr(w, "fstype", s->fstype[0] ? s->fstype : NULL);
	render_usage(w, "bytes", &(struct usage){ s->bytes_total,
	    s->bytes_used, s->bytes_avail, v->used_pct, v->warning,
	    v->critical, v->bytes_status });
	render_usage(w, "inodes", &(struct usage){ s->inodes_total,
	    s->inodes_used, s->inodes_avail, v->inodes_used_pct,
	    v->inodes_warning, v->inodes_critical, v->inodes_status });
	render_growth(w, v);
	render_deleted_summary(w, &v->scan);
	xsm_jsonw_ku64(w, "samples", v->samples);
	xsm_jsonw_ku64(w, "events", v->events);
	if (full)
		render_scan(w, &v->scan);
}
