/* SPDX-License-Identifier: ISC */
/*
 * render_rsyslog.c: checks.rsyslog details. The summary carries what a
 * status reader needs (liveness, the canary, files, actions, queues);
 * "show rsyslog" adds the counters behind them.
 */
#include "render_rsyslog.h"
#include "rsyslog_canary.h"

static void
ki64_or_null(struct xsm_jsonw *w, const char *k, int64_t v)
{
	xsm_jsonw_key(w, k);
	if (v >= 0)
		xsm_jsonw_i64(w, v);
	else
		xsm_jsonw_null(w);
}

static void
render_canary(struct xsm_jsonw *w, const struct xsm_rsyslog_canary *c,
    bool full)
{
	xsm_jsonw_key(w, "canary");
	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "state", xsm_canary_state_name(c->state));
	xsm_jsonw_ktime(w, "last_sent", c->last_sent_usec);
	xsm_jsonw_ktime(w, "last_seen", c->last_seen_usec);
	ki64_or_null(w, "latency_ms", c->latency_ms);
	if (full) {
		xsm_jsonw_kstr(w, "token", c->token[0] ? c->token : NULL);
		xsm_jsonw_ku64(w, "sent", c->sent);
		xsm_jsonw_ku64(w, "delivered", c->delivered);
		xsm_jsonw_ku64(w, "late", c->late);
		xsm_jsonw_ku64(w, "unsent", c->unsent);
	}
	xsm_jsonw_close(w);
}

static void
render_files(struct xsm_jsonw *w, const struct xsm_rsyslog_view *v,
    bool full)
{
	xsm_jsonw_key(w, "files");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < v->n_files && i < XSM_RSYSLOG_FILES_MAX;
	    i++) {
		const struct xsm_rsyslog_file *f = &v->files[i];

		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "path", f->path);
		if (f->error == 0) {
			xsm_jsonw_ku64(w, "size", f->size);
			ki64_or_null(w, "age_s", f->age_s);
		} else {
			xsm_jsonw_key(w, "size");
			xsm_jsonw_null(w);
			xsm_jsonw_key(w, "age_s");
			xsm_jsonw_null(w);
		}
		if (full)
			xsm_jsonw_ktime(w, "mtime", f->error == 0 ?
			    f->mtime_usec : 0);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
}

static void
render_actions(struct xsm_jsonw *w, const struct xsm_rsyslog_stats *s,
    bool full)
{
	xsm_jsonw_key(w, "actions");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < s->n_actions && i < XSM_RSYSLOG_ACTIONS_MAX;
	    i++) {
		const struct xsm_rsyslog_action *a = &s->actions[i];

		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "name", a->name);
		xsm_jsonw_ku64(w, "processed", a->processed);
		xsm_jsonw_ku64(w, "failed", a->failed);
		xsm_jsonw_ku64(w, "suspended", a->suspended);
		xsm_jsonw_ku64(w, "resumed", a->resumed);
		xsm_jsonw_kbool(w, "suspended_now", a->suspended_streak > 0);
		if (full) {
			xsm_jsonw_ku64(w, "suspended_duration",
			    a->suspended_duration);
			xsm_jsonw_ku64(w, "d_processed", a->d_processed);
			xsm_jsonw_ku64(w, "d_failed", a->d_failed);
			xsm_jsonw_ku64(w, "d_suspended", a->d_suspended);
		}
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
}

static void
render_queues(struct xsm_jsonw *w, const struct xsm_rsyslog_stats *s,
    bool full)
{
	xsm_jsonw_key(w, "queues");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < s->n_queues && i < XSM_RSYSLOG_QUEUES_MAX;
	    i++) {
		const struct xsm_rsyslog_queue *q = &s->queues[i];

		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "name", q->name);
		xsm_jsonw_ku64(w, "size", q->size);
		xsm_jsonw_ku64(w, "full", q->full);
		xsm_jsonw_ku64(w, "discarded_full", q->discarded_full);
		xsm_jsonw_ku64(w, "discarded_nf", q->discarded_nf);
		if (full) {
			xsm_jsonw_ku64(w, "enqueued", q->enqueued);
			xsm_jsonw_ku64(w, "maxqsize", q->maxqsize);
			xsm_jsonw_ki64(w, "d_size", q->d_size);
			xsm_jsonw_ku64(w, "stuck_updates", q->stuck_streak);
		}
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
}

static void
render_impstats(struct xsm_jsonw *w, const struct xsm_rsyslog_view *v)
{
	const struct xsm_rsyslog_stats *s = &v->stats;

	xsm_jsonw_key(w, "impstats");
	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "path", v->impstats[0] ? v->impstats : NULL);
	ki64_or_null(w, "age_s", v->impstats[0] ? v->impstats_age_s : -1);
	xsm_jsonw_ku64(w, "lines", s->lines);
	xsm_jsonw_ku64(w, "too_long", s->too_long);
	xsm_jsonw_ku64(w, "resets", s->resets);
	xsm_jsonw_ku64(w, "names_dropped", s->names_dropped);
	xsm_jsonw_close(w);
}

void
xsm_render_rsyslog(struct xsm_jsonw *w, const struct xsm_rsyslog_view *v,
    bool full)
{
	/* The live one's: null while it is dead or not found. */
	xsm_jsonw_key(w, "pid");
	if (v->pid > 0 && v->proc == XSM_RSYSLOG_ALIVE)
		xsm_jsonw_i64(w, v->pid);
	else
		xsm_jsonw_null(w);
	xsm_jsonw_ktime(w, "started_at", v->started_at_usec);
	xsm_jsonw_ku64(w, "restarts", v->restarts);
	xsm_jsonw_kstr(w, "liveness", v->liveness);
	render_canary(w, &v->canary, full);
	render_files(w, v, full);
	render_actions(w, &v->stats, full);
	render_queues(w, &v->stats, full);
	xsm_jsonw_ku64(w, "parse_errors", v->stats.parse_errors);
	xsm_jsonw_ku64(w, "log_dropped", v->log_dropped);
	if (full) {
		xsm_jsonw_kstr(w, "pidfile", v->pidfile[0] ? v->pidfile : NULL);
		xsm_jsonw_kstr(w, "syslog_socket", v->syslog_socket);
		render_impstats(w, v);
		xsm_jsonw_ku64(w, "bytes_read", v->bytes_read);
	}
}
