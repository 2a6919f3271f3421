/* SPDX-License-Identifier: ISC */
/*
 * watch_xenstore.c: the xenstore watcher: xenstored's health and the
 * domains, without ever blocking the loop.
 *
 * The loop thread makes no blocking libxenstore call. It only drains the
 * watch handle's pipe with xs_check_watch() (non-blocking), and every
 * request runs in a job on xs_worker.c's thread; results come back via
 * an ev_async. Sources:
 *  - watches on @introduceDomain, @releaseDomain (both: list
 *    /local/domain again) and /local/domain (the domain's id is parsed
 *    from the path; dom0's backend paths count for their frontend). An
 *    event only sets a bit: no allocation, no I/O per event. Batches of
 *    marked domains are re-read by the next job, so a storm of writes
 *    costs one re-read per batch, not one per write;
 *  - a sentinel (xs_sentinel.c): a third connection to xenstored's
 *    socket, spoken to without libxenstore. When xenstored dies
 *    libxenstore's watch pipe never becomes readable (its reader just
 *    exits), but the sentinel reads EOF at once. It also carries the
 *    probe every probe_interval: one non-blocking XS_READ, timed to its
 *    reply, so an idle probe needs no thread;
 *  - a deadline on the probe and on every job (probe_timeout): past it
 *    xenstored is "not answering" (critical) while the socket and the
 *    watchdog go on; the late answer is taken when it comes (SIGCONT);
 *  - reconnection with exponential backoff (250 ms up to reconnect_max),
 *    then the watches are registered again and everything re-read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"
#include "xs_sentinel.h"
#include "xs_worker.h"
#include "xsmd.h"

#define BACKOFF_MIN_USEC (250 * XSM_MS)
#define DRAIN_MAX 1024             /* events per wakeup: let clients in */
#define ENTRIES_PER_JOB 16
#define ENTRIES_GAP_USEC (100 * XSM_MS)
#define DEFAULT_SOCKET "/var/run/xenstored/socket"

struct xs_watch {
	struct xsmd *d;
	struct xsm_xs_table *table;
	struct xsmd_xs_worker *worker;
	struct xsmd_xs_conn *conn;    /* NULL while disconnected */
	char sock[XSM_PATH_MAX];      /* the socket path libxenstore uses */

	ev_async done;
	ev_io wio;                    /* the watch handle's pipe */
	ev_io sio;                    /* the sentinel */
	struct xsmd_xs_sentinel sen;
	ev_timer probe_tm;
	ev_timer deadline;            /* the worker's job */
	ev_timer pdeadline;           /* the sentinel's probe */
	bool job_hung, probe_hung;
	ev_timer retry;
	ev_timer eval_tm;
	ev_timer kick;                /* schedule() once a recount may run */

	uint64_t backoff_usec;
	uint64_t job_start_mono;
	uint64_t sync_start_mono;
	uint64_t last_entries_mono;
	uint64_t entries_gap_usec;    /* at least the last recount's length */
	bool probe_due;
	bool full_list;               /* the next listing is a full resync */
	bool syncing;
	bool dead_pending;            /* the handle died during a job */
	bool restart_pending;         /* a reload changed the path */
	bool warned_down;
};

static void schedule(struct xs_watch *w);
static void connect_now(struct xs_watch *w);

static double
secs(uint64_t usec)
{
	return (double)usec / XSM_USEC_PER_SEC;
}

static struct xsm_xenstore_view *
view(struct xs_watch *w)
{
	return &w->d->state.xenstore;
}

/* --- evaluation -------------------------------------------------------- */

/*
 * Domain alerts: one when a domain enters or leaves the table, one when
 * its status changes. None while syncing: at start and after a
 * reconnect every domain "appears", and the check's own edge says so.
 */
static void
domain_alert(struct xs_watch *w, const struct xsm_xs_domain *dom,
    const char *what, enum xsm_status old)
{
	struct xsm_edge e;

	if (w->syncing)
		return;
	xsm_alert_domain_edge(dom, what, old, xsmd_now_wall(), &e);
	xsm_state_item(&w->d->state, &e);
}

/* A domain introduced (old unknown: it did not exist) or released. */
static void
domain_changed(void *arg, const struct xsm_xs_domain *dom, bool added)
{
	struct xsm_xs_domain gone;

	if (added) {
		domain_alert(arg, dom, "introduced", XSM_UNKNOWN);
		return;
	}
	/* A domain going away is news, not a problem: severity ok. */
	gone = *dom;
	gone.status = XSM_OK;
	domain_alert(arg, &gone, "released", dom->status);
}

static void
evaluate(struct xs_watch *w)
{
	struct xsmd *d = w->d;
	struct xsm_xenstore_view *v = view(w);
	uint64_t now_wall = xsmd_now_wall(), now_mono = xsmd_now_mono();
	uint64_t next = 0;
	char reason[XSM_REASON_MAX];
	enum xsm_status st;
	bool changed = false;

	for (unsigned i = 0; i < w->table->n; i++) {
		struct xsm_xs_domain *dom = &w->table->dom[i];
		enum xsm_status old = dom->status;

		changed |= xsm_xs_domain_eval(dom, &d->cfg.xenstore,
		    now_wall, now_mono, &next);
		if (dom->status != old)
			domain_alert(w, dom, NULL, old);
	}
	xsm_xs_growth(v, now_wall);
	st = xsm_xs_evaluate(v, &d->cfg.xenstore, reason, sizeof(reason));
	if (changed)
		xsm_state_touch(&d->state);
	xsm_state_apply(&d->state, XSM_CHECK_XENSTORE, st, reason, now_wall);
	ev_timer_stop(d->loop, &w->eval_tm);
	if (next != 0) {
		ev_timer_set(&w->eval_tm, secs(next > now_mono ?
		    next - now_mono : 0) + 0.01, 0.);
		ev_timer_start(d->loop, &w->eval_tm);
	}
}

static void
eval_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	evaluate(t->data);
}

/* --- the sentinel ------------------------------------------------------ */

static void
set_hung(struct xs_watch *w)
{
	bool hung = w->job_hung || w->probe_hung;

	if (view(w)->hung && !hung)
		log_info("xenstore: xenstored answers again");
	view(w)->hung = hung;
}

static void
sentinel_close(struct xs_watch *w)
{
	ev_io_stop(w->d->loop, &w->sio);
	ev_timer_stop(w->d->loop, &w->pdeadline);
	xsmd_xs_sentinel_close(&w->sen);
	w->probe_hung = false;
	set_hung(w);
}

static void handle_dead(struct xs_watch *w, const char *op, int err);

static void
sentinel_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct xs_watch *w = io->data;
	struct xsm_xenstore_view *v = view(w);
	uint64_t lat;
	int r = xsmd_xs_sentinel_read(&w->sen, xsmd_now_mono(), &lat);

	if (r == 0)
		return;
	if (r < 0) {
		sentinel_close(w);
		handle_dead(w, r == -EPROTO ? "reply" : "connection", -r);
		return;
	}
	ev_timer_stop(loop, &w->pdeadline);
	v->probes++;
	/* A late answer measured the hang, already reported as such. */
	if (!w->probe_hung)
		v->probe_latency_us = (int64_t)lat;
	w->probe_hung = false;
	set_hung(w);
	xsm_state_touch(&w->d->state);
	evaluate(w);
}

/* Best effort: without it, death is seen by the next probe of a job. */
static void
sentinel_open(struct xs_watch *w)
{
	int r = xsmd_xs_sentinel_open(&w->sen, w->sock);

	if (r < 0) {
		log_warnx("xenstore: no sentinel connection to %s: %s; probing "
		    "through libxenstore", w->sock, strerror(-r));
		return;
	}
	ev_io_set(&w->sio, w->sen.fd, EV_READ);
	ev_io_start(w->d->loop, &w->sio);
}

static void
pdeadline_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct xs_watch *w = t->data;

	if (!w->sen.outstanding)
		return;
	log_warnx("xenstore: xenstored not answering the probe within %.1f s",
	    secs(w->d->cfg.xenstore.probe_timeout_usec));
	w->probe_hung = true;
	view(w)->hung_usec = xsmd_now_mono() - w->sen.sent_mono;
	set_hung(w);
	evaluate(w);
}

/* --- connection -------------------------------------------------------- */

/* libxenstore's own choice, unless the config names the socket. */
static void
resolve_socket(struct xs_watch *w)
{
	const char *p = w->d->cfg.xenstore.path, *env;

	if (p[0] != '\0') {
		/* libxenstore takes the path only from the environment. */
		setenv("XENSTORED_PATH", p, 1);
		xsm_strlcpy(w->sock, p, sizeof(w->sock));
	} else if ((env = getenv("XENSTORED_PATH")) != NULL && *env != '\0')
		xsm_strlcpy(w->sock, env, sizeof(w->sock));
	else if ((env = getenv("XENSTORED_RUNDIR")) != NULL && *env != '\0')
		snprintf(w->sock, sizeof(w->sock), "%s/socket", env);
	else
		xsm_strlcpy(w->sock, DEFAULT_SOCKET, sizeof(w->sock));
	xsm_strlcpy(view(w)->path, w->sock, sizeof(view(w)->path));
}

static void
disconnect(struct xs_watch *w)
{
	ev_io_stop(w->d->loop, &w->wio);
	sentinel_close(w);
	xsmd_xs_conn_close(w->conn);
	w->conn = NULL;
	view(w)->connected = false;
	view(w)->synced = false;
	w->syncing = false;
	w->dead_pending = false;
}

static void
retry_later(struct xs_watch *w)
{
	uint64_t max = w->d->cfg.xenstore.reconnect_max_usec;

	if (w->backoff_usec == 0)
		w->backoff_usec = BACKOFF_MIN_USEC;
	ev_timer_stop(w->d->loop, &w->retry);
	ev_timer_set(&w->retry, secs(w->backoff_usec), 0.);
	ev_timer_start(w->d->loop, &w->retry);
	w->backoff_usec = w->backoff_usec * 2 > max ? max : w->backoff_usec * 2;
}

static void
set_error(struct xs_watch *w, const char *op, int err)
{
	view(w)->last_error = err;
	xsm_strlcpy(view(w)->last_error_op, op, sizeof(view(w)->last_error_op));
}

static void
handle_dead(struct xs_watch *w, const char *op, int err)
{
	if (w->conn == NULL)
		return;
	set_error(w, op, err);
	if (xsmd_xs_worker_busy(w->worker)) {
		/* The job fails soon (the socket is gone); close after it. */
		w->dead_pending = true;
		return;
	}
	log_warnx("xenstore: lost xenstored (%s: %s), reconnecting", op,
	    strerror(err));
	disconnect(w);
	w->backoff_usec = 0;
	retry_later(w);
	evaluate(w);
}

static void
connect_now(struct xs_watch *w)
{
	struct xsmd_xs_job *j;
	int r;

	if (xsmd_xs_worker_busy(w->worker) || w->conn != NULL)
		return;
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->conn = calloc(1, sizeof(*j->conn))) == NULL) {
		free(j);
		set_error(w, "connect", ENOMEM);
		retry_later(w);
		return;
	}
	resolve_socket(w);
	j->flags = XSMD_XS_CONNECT | XSMD_XS_PROBE | XSMD_XS_LIST;
	w->sync_start_mono = w->job_start_mono = xsmd_now_mono();
	if ((r = xsmd_xs_worker_run(w->worker, j)) < 0) {
		xsmd_xs_conn_close(j->conn);
		xsmd_xs_job_free(j);
		set_error(w, "thread", -r);
		retry_later(w);
		return;
	}
	ev_timer_set(&w->deadline, secs(w->d->cfg.xenstore.probe_timeout_usec), 0.);
	ev_timer_start(w->d->loop, &w->deadline);
}

static void
retry_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	connect_now(t->data);
}

/* --- watch events ------------------------------------------------------ */

static void
watch_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct xs_watch *w = io->data;
	struct xsm_xenstore_view *v = view(w);
	uint32_t domid;

	for (int i = 0; i < DRAIN_MAX; i++) {
		char **ev = xs_check_watch(w->conn->watch);

		if (ev == NULL) {
			if (errno != EAGAIN)
				handle_dead(w, "watch", errno);
			break;
		}
		v->events++;
		switch (xsm_xs_classify(ev[XS_WATCH_PATH], &domid)) {
		case XSM_XS_EV_RESCAN:
			w->table->rescan = true;
			break;
		case XSM_XS_EV_DOMAIN:
			xsm_xs_mark_dirty(w->table, domid);
			xsm_xs_mark_stale(w->table, domid);
			break;
		case XSM_XS_EV_IGNORE:
			break;
		}
		free(ev);
	}
	if (w->conn != NULL)
		schedule(w);
}

/* --- jobs -------------------------------------------------------------- */

static void
start_job(struct xs_watch *w, struct xsmd_xs_job *j)
{
	int r;

	j->conn = w->conn;
	j->entries_cap = w->d->cfg.xenstore.quota_entries * 4;
	w->job_start_mono = xsmd_now_mono();
	if ((r = xsmd_xs_worker_run(w->worker, j)) < 0) {
		log_warnx("xenstore: cannot start a worker: %s", strerror(-r));
		xsmd_xs_job_free(j);
		return;  /* the next probe tries again */
	}
	ev_timer_set(&w->deadline, secs(w->d->cfg.xenstore.probe_timeout_usec), 0.);
	ev_timer_start(w->d->loop, &w->deadline);
}

/* The next job, if any: listing first, then dirty facts, then recounts. */
static void
schedule(struct xs_watch *w)
{
	struct xsm_xs_table *t = w->table;
	struct xsmd_xs_job *j;
	uint64_t now = xsmd_now_mono();
	/*
	 * Counting a domain's nodes takes one request per node: recounts
	 * (quota use) yield to facts and keep xenstored at most half busy.
	 */
	bool recount = t->n_stale > 0 &&
	    now - w->last_entries_mono >= w->entries_gap_usec;

	if (w->conn == NULL || xsmd_xs_worker_busy(w->worker))
		return;
	if (t->n_stale > 0 && !recount && !ev_is_active(&w->kick)) {
		ev_timer_set(&w->kick, secs(w->last_entries_mono +
		    w->entries_gap_usec - now), 0.);
		ev_timer_start(w->d->loop, &w->kick);
	}
	if (!w->probe_due && !t->rescan && t->n_dirty == 0 && !recount)
		return;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return;
	if (w->probe_due)
		j->flags |= XSMD_XS_PROBE;
	w->probe_due = false;
	if (t->rescan) {
		j->flags |= XSMD_XS_LIST;
		t->rescan = false;
	} else if (t->n_dirty > 0) {
		j->flags |= XSMD_XS_FACTS;
		j->n_ids = xsm_xs_take(t, false, j->ids, XSMD_XS_BATCH);
	} else if (recount) {
		j->flags |= XSMD_XS_ENTRIES;
		j->n_ids = xsm_xs_take(t, true, j->ids, ENTRIES_PER_JOB);
	}
	start_job(w, j);
}

static void
kick_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	schedule(t->data);
}

static void
connected(struct xs_watch *w, struct xsmd_xs_job *j)
{
	struct xsm_xenstore_view *v = view(w);

	w->conn = j->conn;
	j->conn = NULL;
	if (v->ever_connected)
		v->reconnects++;
	log_info("xenstore: connected to %s%s", w->sock,
	    v->ever_connected ? " again, resyncing" : "");
	v->ever_connected = true;
	v->connected = true;
	v->last_error = 0;
	v->connected_since = xsmd_now_wall();
	v->resyncs++;
	w->backoff_usec = 0;
	w->warned_down = false;
	w->syncing = true;
	w->full_list = true;
	ev_io_set(&w->wio, xs_fileno(w->conn->watch), EV_READ);
	ev_io_start(w->d->loop, &w->wio);
	sentinel_open(w);
}

static void
connect_failed(struct xs_watch *w, struct xsmd_xs_job *j)
{
	set_error(w, j->err_op, j->err);
	if (!w->warned_down)
		log_warnx("xenstore: cannot connect to %s: %s: %s; retrying",
		    w->sock, j->err_op, strerror(j->err));
	w->warned_down = true;
	xsmd_xs_conn_close(j->conn);
	j->conn = NULL;
	retry_later(w);
}

/* Merges a finished job's results into the table. */
static void
merge(struct xs_watch *w, struct xsmd_xs_job *j, bool late)
{
	struct xsm_xenstore_view *v = view(w);
	uint64_t wall = xsmd_now_wall(), mono = xsmd_now_mono();
	bool changed = false;

	/*
	 * A probe that outlived the deadline measured the hang, which was
	 * reported as such: probe again now rather than call it "slow".
	 */
	if (j->probe_usec >= 0 && late)
		w->probe_due = true;
	else if (j->probe_usec >= 0) {
		v->probe_latency_us = j->probe_usec;
		v->probes++;
	}
	if (j->list_ok) {
		changed |= xsm_xs_table_list(w->table, j->list, j->n_list,
		    w->full_list) > 0;
		w->full_list = false;
	}
	for (unsigned i = 0; i < j->n_ids; i++) {
		if (j->flags & XSMD_XS_FACTS) {
			int r = xsm_xs_table_merge(w->table, &j->facts[i], wall, mono);

			v->reads++;
			if (r < 0)   /* no memory: try that domain again later */
				xsm_xs_mark_dirty(w->table, j->ids[i]);
			changed |= r > 0;
		}
		if (j->flags & XSMD_XS_ENTRIES)
			changed |= xsm_xs_table_entries(w->table, j->ids[i],
			    j->entries[i]) > 0;
	}
	if (j->flags & XSMD_XS_ENTRIES) {
		w->last_entries_mono = mono;
		w->entries_gap_usec = j->usec > ENTRIES_GAP_USEC ? j->usec :
		    ENTRIES_GAP_USEC;
	}
	if (w->syncing && !w->table->rescan && w->table->n_dirty == 0 &&
	    !w->full_list) {
		w->syncing = false;
		v->synced = true;
		v->sync_usec = mono - w->sync_start_mono;
		log_debug("xenstore: %u domains synced in %.1f ms",
		    w->table->n, (double)v->sync_usec / 1000);
		xsmd_memory_release();   /* the sync's jobs are freed */
		changed = true;
	}
	if (changed || j->probe_usec >= 0)
		xsm_state_touch(&w->d->state);
}

static void
done_cb(struct ev_loop *loop, ev_async *a, int revents)
{
	struct xs_watch *w = a->data;
	struct xsmd_xs_job *j = xsmd_xs_worker_take(w->worker);
	bool late;

	if (j == NULL)
		return;
	ev_timer_stop(loop, &w->deadline);
	late = w->job_hung;
	w->job_hung = false;
	set_hung(w);
	if (j->flags & XSMD_XS_CONNECT) {
		if (j->err != 0)
			connect_failed(w, j);
		else
			connected(w, j);
	}
	if (w->conn != NULL && j->err == 0)
		merge(w, j, late);
	if (w->conn != NULL && (j->err != 0 || w->dead_pending)) {
		int err = j->err != 0 ? j->err : view(w)->last_error;
		const char *op = j->err != 0 ? j->err_op : view(w)->last_error_op;

		xsmd_xs_job_free(j);
		w->dead_pending = false;
		handle_dead(w, op, err);
		return;
	}
	xsmd_xs_job_free(j);
	if (w->restart_pending) {
		w->restart_pending = false;
		disconnect(w);
		xsm_xs_table_clear(w->table);
		connect_now(w);
	}
	evaluate(w);
	schedule(w);
}

static void
deadline_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct xs_watch *w = t->data;
	struct xsm_xenstore_view *v = view(w);

	if (!xsmd_xs_worker_busy(w->worker))
		return;
	if (w->conn == NULL) {
		/* connect itself hangs (a listening but stopped daemon) */
		set_error(w, "connect", ETIMEDOUT);
		evaluate(w);
		return;
	}
	log_warnx("xenstore: xenstored not answering within %.1f s",
	    secs(w->d->cfg.xenstore.probe_timeout_usec));
	w->job_hung = true;
	v->hung_usec = xsmd_now_mono() - w->job_start_mono;
	set_hung(w);
	evaluate(w);
}

static void
probe_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct xs_watch *w = t->data;
	int r;

	if (w->sen.fd < 0) {
		/* No sentinel: the probe rides on the next job. */
		w->probe_due = true;
		schedule(w);
		return;
	}
	if (w->sen.outstanding)
		return;   /* the deadline speaks for it */
	if ((r = xsmd_xs_sentinel_probe(&w->sen, xsmd_now_mono())) < 0) {
		sentinel_close(w);
		handle_dead(w, "probe", -r);
		return;
	}
	ev_timer_set(&w->pdeadline, secs(w->d->cfg.xenstore.probe_timeout_usec), 0.);
	ev_timer_start(w->d->loop, &w->pdeadline);
}

/* --- start, stop, reload ----------------------------------------------- */

static void
probe_timer(struct xs_watch *w)
{
	w->probe_tm.repeat = secs(w->d->cfg.xenstore.probe_interval_usec);
	ev_timer_again(w->d->loop, &w->probe_tm);
}

static int
xenstore_start(struct xsmd *d, void **priv)
{
	struct xs_watch *w = calloc(1, sizeof(*w));
	struct xsm_xenstore_view *v = &d->state.xenstore;

	memset(v, 0, sizeof(*v));
	v->probe_latency_us = -1;
	xsm_state_register(&d->state, XSM_CHECK_XENSTORE, xsmd_now_wall());
	if (w == NULL || (w->table = xsm_xs_table_new(XSM_XS_TABLE_MAX)) == NULL ||
	    (w->worker = xsmd_xs_worker_new(d->loop, &w->done)) == NULL) {
		if (w != NULL)
			xsm_xs_table_free(w->table);
		free(w);
		xsm_state_apply(&d->state, XSM_CHECK_XENSTORE, XSM_UNKNOWN,
		    "cannot start: out of memory", xsmd_now_wall());
		*priv = NULL;
		return -ENOMEM;
	}
	w->d = d;
	w->table->on_change = domain_changed;
	w->table->on_change_arg = w;
	xsmd_xs_sentinel_init(&w->sen);
	v->table = w->table;
	ev_async_init(&w->done, done_cb);
	ev_io_init(&w->wio, watch_cb, -1, EV_READ);
	ev_io_init(&w->sio, sentinel_cb, -1, EV_READ);
	ev_init(&w->probe_tm, probe_cb);
	ev_init(&w->deadline, deadline_cb);
	ev_init(&w->pdeadline, pdeadline_cb);
	ev_init(&w->kick, kick_cb);
	ev_init(&w->retry, retry_cb);
	ev_init(&w->eval_tm, eval_cb);
	w->done.data = w->wio.data = w->sio.data = w;
	w->probe_tm.data = w->deadline.data = w->retry.data = w->eval_tm.data = w;
	w->pdeadline.data = w->kick.data = w;
	ev_async_start(d->loop, &w->done);
	probe_timer(w);
	connect_now(w);
	*priv = w;
	return 0;
}

static void
xenstore_stop(struct xsmd *d, void *priv)
{
	struct xs_watch *w = priv;

	if (w == NULL) {
		xsm_state_unregister(&d->state, XSM_CHECK_XENSTORE);
		return;
	}
	ev_async_stop(d->loop, &w->done);
	ev_io_stop(d->loop, &w->wio);
	ev_timer_stop(d->loop, &w->probe_tm);
	ev_timer_stop(d->loop, &w->deadline);
	ev_timer_stop(d->loop, &w->retry);
	ev_timer_stop(d->loop, &w->eval_tm);
	ev_timer_stop(d->loop, &w->kick);
	sentinel_close(w);
	/* A job hung in xenstored keeps the handles; its thread frees them. */
	xsmd_xs_worker_free(w->worker, w->conn);
	d->state.xenstore.table = NULL;
	xsm_xs_table_free(w->table);
	xsm_state_unregister(&d->state, XSM_CHECK_XENSTORE);
	free(w);
}

static int
xenstore_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	struct xs_watch *w = priv;

	if (w == NULL)
		return 0;
	probe_timer(w);
	if (strcmp(old->xenstore.path, d->cfg.xenstore.path) != 0) {
		log_info("xenstore: socket %s (was %s), reconnecting",
		    d->cfg.xenstore.path[0] ? d->cfg.xenstore.path : "(default)",
		    old->xenstore.path[0] ? old->xenstore.path : "(default)");
		if (xsmd_xs_worker_busy(w->worker)) {
			w->restart_pending = true;
			return 0;
		}
		disconnect(w);
		xsm_xs_table_clear(w->table);
		view(w)->ever_connected = false;
		ev_timer_stop(d->loop, &w->retry);
		w->backoff_usec = 0;
		connect_now(w);
	}
	evaluate(w);
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_xenstore_ops = {
	.name = "xenstore",
	.start = xenstore_start,
	.stop = xenstore_stop,
	.reload = xenstore_reload,
};
