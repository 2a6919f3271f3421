/* SPDX-License-Identifier: ISC */
/*
 * watch_logfs.c: the /var/log partition watcher.
 *
 * Goals: a threshold crossing is visible in state within ~settle (200 ms),
 * an idle filesystem costs no wakeup beyond the slow safety timer, and we
 * never write to the watched filesystem. Event sources:
 *  - inotify on the path and its subdirectories (capped), coalesced: the
 *    first event stops the inotify watcher and arms a one-shot settle
 *    timer; we sample when it fires, and while events keep coming we stay
 *    on that timer. A busy log costs 1/settle wakeups per second (5), not
 *    one per write, and an idle one none;
 *  - inotify on each large deleted-but-open file (/proc/PID/fd/N follows
 *    the magic link to the unlinked inode), so writes into it wake us too
 *    and its holder exiting (IN_IGNORED) frees its entry at once;
 *  - /proc/self/mountinfo, which signals EPOLLPRI on any mount change in
 *    our namespace. libev cannot ask for EPOLLPRI (and mountinfo is always
 *    readable), so it sits in an epoll set of its own whose fd libev
 *    watches: umount -l and a mount on top of the path are seen at once,
 *    which inotify cannot see;
 *  - a slow safety timer (writes through mmap, anything missed).
 *
 * The slow scan (tree walk, /proc/PID/fd walk; logfs_scan.c) runs in
 * turns of at most SCAN_TURN_ENTRIES entries or SCAN_TURN_USEC, each
 * continued from a zero-delay timer, so control replies and events get in
 * between; the previous scan stays visible until the new one is complete.
 *
 * Mount policy (what a dom0 admin expects). The first st_dev seen for the
 * path is the expected one (at start, or when a path missing at start
 * first appears). Later:
 *  - same dev: normal. `umount /var/log; mount /var/log` of a block device
 *    brings the same dev back and recovers by itself;
 *  - another dev, and the path is no mount point of its own (its st_dev
 *    is its parent's): "mount missing", critical, from the evaluator.
 *    After umount statvfs would silently report the parent fs;
 *  - another dev that is a mount point of its own (a fresh tmpfs, another
 *    partition, or a partition mounted on a path that had none): "filesystem
 *    replaced", a warning on top of the normal evaluation, until `reload`
 *    (SIGHUP) accepts the new filesystem as the expected one.
 * The policy itself lives in logfs_fs.c (xsmd_logfs_sample).
 */
#include <sys/epoll.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "logfs_inotify.h"
#include "logfs_scan.h"
#include "xsmd.h"

#define SCAN_MIN_GAP_USEC (10 * XSM_USEC_PER_SEC)
#define RECHECK_SEC 1.0
#define ALERT_RESAMPLE_USEC (5 * XSM_USEC_PER_SEC)
#define SCAN_TURN_ENTRIES 2000
#define SCAN_TURN_USEC 5000

struct logfs_watch {
	struct xsmd *d;
	char path[XSM_PATH_MAX];
	struct xsm_logfs_eval eval;
	struct xsmd_logfs_scanner *scanner;
	uint64_t scanner_dev;
	bool failed;              /* a reload failed: all stopped, check kept */

	struct xsmd_logfs_mount mnt;  /* the mount policy above */

	struct xsmd_logfs_iwatch iw;
	ev_io iio;
	ev_timer settle;
	struct xsmd_logfs_ievents pending;

	int mfd, mep;             /* /proc/self/mountinfo in its own epoll */
	ev_io mio;

	ev_timer safety;
	ev_timer scan_tm;
	ev_timer scan_later;
	ev_timer scan_turn;       /* zero delay: the next turn of a scan */
	ev_timer recheck;         /* one more sample after a release */
	bool scanned;
	bool warned_scan;
	uint64_t last_scan_mono;
};

static double
secs(uint64_t usec)
{
	return (double)usec / XSM_USEC_PER_SEC;
}

/* --- sampling ---------------------------------------------------------- */

static void request_scan(struct logfs_watch *w);
static void timer_repeat(struct logfs_watch *w, ev_timer *t, uint64_t usec);

/*
 * While the check is not ok, sample at least every ALERT_RESAMPLE: space
 * can come back without any event we can see (the holder of a deleted
 * file the scan has not found yet closes it), and the admin fixing a full
 * /var/log wants to see it clear in seconds, not at the next safety tick.
 * When ok, the slow safety interval keeps an idle fs free of wakeups.
 */
static void
safety_pace(struct logfs_watch *w, enum xsm_status st)
{
	uint64_t usec = w->d->cfg.logfs.safety_interval_usec;

	if (st != XSM_OK && usec > ALERT_RESAMPLE_USEC)
		usec = ALERT_RESAMPLE_USEC;
	timer_repeat(w, &w->safety, usec);
}

/* Sample, evaluate, apply: the one path into the state model. */
static void
logfs_check(struct logfs_watch *w)
{
	struct xsmd *d = w->d;
	struct xsm_logfs_view *v = &d->state.logfs;
	struct xsm_logfs_sample s, before = v->last;
	bool rate_valid = v->rate_valid, replaced;
	int64_t ttf = v->ttf_s;
	char reason[XSM_REASON_MAX];
	enum xsm_status st;

	replaced = xsmd_logfs_sample(&w->mnt, w->path, xsmd_now_mono(), &s);
	st = xsm_logfs_evaluate(&w->eval, &d->cfg.logfs, &s, v, reason,
	    sizeof(reason));
	if (replaced) {
		xsmd_logfs_reason_replaced(&w->mnt, s.dev, st, reason,
		    sizeof(reason));
		st = xsm_status_worse(st, XSM_WARNING);
	}
	if (xsmd_logfs_sample_differs(&before, &v->last) ||
	    rate_valid != v->rate_valid || ttf != v->ttf_s)
		xsm_state_touch(&d->state);
	/* Who filled it is most useful right at the edge. */
	if (xsm_state_apply(&d->state, XSM_CHECK_LOGFS, st, reason,
	    xsmd_now_wall())) {
		request_scan(w);
		safety_pace(w, st);
	}
}

/* --- the slow scan ----------------------------------------------------- */

/* The scan is complete: publish it and watch its deleted files. */
static void
scan_done(struct logfs_watch *w)
{
	struct xsmd *d = w->d;
	struct xsm_logfs_scan *sc = &d->state.logfs.scan;
	struct xsmd_logfs_scan_done r;
	bool failed;

	xsmd_logfs_scan_result(w->scanner, sc, &r);
	if (r.tree_err == 0 || r.deleted_err == 0) {
		sc->valid = true;
		sc->at_usec = xsmd_now_wall();
	}
	xsmd_logfs_iwatch_held(&w->iw, r.held, r.n_held, sc);
	xsmd_memory_release();   /* the walk's buffers are freed */
	failed = r.tree_err < 0 || r.deleted_err < 0;
	if (failed && !w->warned_scan)
		log_warnx("logfs: scan of %s: %s", w->path,
		    strerror(-(r.tree_err < 0 ? r.tree_err : r.deleted_err)));
	w->warned_scan = failed;
	log_debug("logfs: scanned %llu files, %u deleted-open, in %.1f ms "
	    "over %u turns, the longest %.1f ms",
	    (unsigned long long)sc->files_seen, sc->deleted_count,
	    (double)(xsmd_now_mono() - w->last_scan_mono) / 1000,
	    r.turns, (double)r.worst_usec / 1000);
	xsm_state_touch(&d->state);
}

/* One turn: a bounded share of the scan, then back to the loop. */
static void
scan_turn_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct logfs_watch *w = t->data;

	if (!xsmd_logfs_scan_busy(w->scanner))
		return;  /* aborted meanwhile */
	if (xsmd_logfs_scan_turn(w->scanner, SCAN_TURN_ENTRIES,
	    SCAN_TURN_USEC)) {
		scan_done(w);
		return;
	}
	ev_timer_set(t, 0., 0.);
	ev_timer_start(loop, t);
}

static void
run_scan(struct logfs_watch *w)
{
	struct xsmd *d = w->d;
	struct xsmd_logfs_scan_req req = {
		.root = w->path, .top = d->cfg.logfs.top,
	};
	struct stat st;
	bool mnt;

	ev_timer_stop(d->loop, &w->scan_later);
	w->pending.scan = false;
	w->last_scan_mono = xsmd_now_mono();
	w->scanned = true;
	if (d->cfg.logfs.scan_interval_usec > 0)
		ev_timer_again(d->loop, &w->scan_tm);  /* a full interval on */
	if (xsmd_logfs_stat_path(w->path, &st, NULL, &mnt) < 0)
		return;  /* the sample already says why */
	if (st.st_dev != w->scanner_dev) {
		xsmd_logfs_scan_abort(w->scanner);
		xsmd_logfs_scanner_forget(w->scanner);
	}
	w->scanner_dev = st.st_dev;
	req.dev = st.st_dev;
	req.need_prefix = !mnt;
	req.now_mono = w->last_scan_mono;
	req.now_wall = xsmd_now_wall();
	xsmd_logfs_scan_start(w->scanner, &req);
	ev_timer_set(&w->scan_turn, 0., 0.);
	ev_timer_start(d->loop, &w->scan_turn);
}

/*
 * At most one scan per SCAN_MIN_GAP, never two at once: later requests
 * are deferred.
 */
static void
request_scan(struct logfs_watch *w)
{
	uint64_t since = xsmd_now_mono() - w->last_scan_mono;
	bool busy = xsmd_logfs_scan_busy(w->scanner);

	if (!busy && (!w->scanned || since >= SCAN_MIN_GAP_USEC)) {
		run_scan(w);
		return;
	}
	if (ev_is_active(&w->scan_later))
		return;
	ev_timer_set(&w->scan_later, secs(since < SCAN_MIN_GAP_USEC ?
	    SCAN_MIN_GAP_USEC - since : SCAN_MIN_GAP_USEC), 0.);
	ev_timer_start(w->d->loop, &w->scan_later);
}

/* --- event callbacks --------------------------------------------------- */

static void
drain(struct logfs_watch *w)
{
	xsmd_logfs_iwatch_drain(&w->iw, &w->d->state.logfs.scan, &w->pending);
}

/* (Re)establishes the watch set on whatever filesystem the path is now. */
static void
rewatch(struct logfs_watch *w)
{
	ev_io_stop(w->d->loop, &w->iio);
	ev_timer_stop(w->d->loop, &w->settle);
	xsmd_logfs_iwatch_open(&w->iw, w->path);
	if (w->iw.fd >= 0)
		ev_io_set(&w->iio, w->iw.fd, EV_READ);
	/* A scan under way may be walking the old fs (and keeping it busy). */
	ev_timer_stop(w->d->loop, &w->scan_turn);
	xsmd_logfs_scan_abort(w->scanner);
	w->pending.scan = true;  /* the deleted-file watches went with the fd */
}

/* The work every wakeup ends in. */
static void
tick(struct logfs_watch *w)
{
	struct xsmd_logfs_ievents ev = w->pending;
	struct xsm_state *st = &w->d->state;

	memset(&w->pending, 0, sizeof(w->pending));
	w->pending.scan = ev.scan;  /* cleared by any scan that runs first */
	st->logfs.events += ev.events;
	if (ev.rewatch)
		rewatch(w);
	else if (ev.rewalk && xsmd_logfs_iwatch_rewalk(&w->iw) < 0)
		rewatch(w);
	if (ev.freed || xsmd_logfs_iwatch_refresh(&w->iw, &st->logfs.scan))
		xsm_state_touch(st);
	logfs_check(w);
	if (w->pending.scan)
		request_scan(w);
	/*
	 * Events come before the blocks are freed (unlink, then the last
	 * iput; a big ext4 file takes a while): look once more, later.
	 */
	if (ev.released && !ev_is_active(&w->recheck)) {
		ev_timer_set(&w->recheck, RECHECK_SEC, 0.);
		ev_timer_start(w->d->loop, &w->recheck);
	}
	if (w->iw.fd >= 0 && !ev_is_active(&w->settle))
		ev_io_start(w->d->loop, &w->iio);
}

static void
inotify_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct logfs_watch *w = io->data;

	drain(w);
	ev_io_stop(loop, io);
	if (w->pending.urgent || w->pending.rewatch) {
		tick(w);
		return;
	}
	/* Coalesce: whatever else is written during settle costs nothing. */
	ev_timer_set(&w->settle, secs(w->d->cfg.logfs.settle_usec), 0.);
	ev_timer_start(loop, &w->settle);
}

static void
settle_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct logfs_watch *w = t->data;
	uint64_t before = w->pending.events;

	drain(w);
	if (w->pending.events == 0) {
		/* Quiet for a whole settle period: wait on inotify again. */
		ev_io_start(loop, &w->iio);
		return;
	}
	/*
	 * Still being written: stay on the timer, the inotify watcher
	 * stopped, so a busy log costs one wakeup per settle period.
	 */
	if (w->pending.events != before) {
		ev_timer_set(t, secs(w->d->cfg.logfs.settle_usec), 0.);
		ev_timer_start(loop, t);
	}
	tick(w);
}

/* Are the watches on another filesystem than the path is now? */
static bool
watch_stale(struct logfs_watch *w)
{
	struct stat st;

	if (stat(w->path, &st) < 0)
		return w->iw.watching;
	return !w->iw.watching || st.st_dev != w->iw.dev;
}

/* Runs tick now, outside the inotify/settle cycle. */
static void
tick_now(struct logfs_watch *w)
{
	ev_timer_stop(w->d->loop, &w->settle);
	ev_io_stop(w->d->loop, &w->iio);
	drain(w);
	tick(w);
}

static void
mount_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct logfs_watch *w = io->data;
	struct epoll_event ev[4];

	/* Only clears the inner set; the mountinfo change is already seen. */
	while (epoll_wait(w->mep, ev, 4, 0) > 0)
		;
	if (!watch_stale(w))
		return;  /* some other mount changed */
	w->pending.rewatch = true;
	tick_now(w);
}

static void
safety_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct logfs_watch *w = t->data;

	if (watch_stale(w))
		w->pending.rewatch = true;
	tick_now(w);
}

static void
recheck_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	tick_now(t->data);
}

static void
scan_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct logfs_watch *w = t->data;

	if (xsmd_logfs_scan_busy(w->scanner))
		request_scan(w);
	else
		run_scan(w);
}

/* --- start, stop, reload ----------------------------------------------- */

static void
mount_watch_open(struct logfs_watch *w)
{
	int r = xsmd_logfs_mount_watch(&w->mfd);

	if (r < 0) {
		errno = -r;
		log_warn("logfs: cannot follow mount changes, the safety "
		    "timer will notice them");
		w->mfd = w->mep = -1;
		return;
	}
	w->mep = r;
	ev_io_init(&w->mio, mount_cb, w->mep, EV_READ);
	w->mio.data = w;
	ev_io_start(w->d->loop, &w->mio);
}

/* ev_timer with a repeat: monotonic, immune to wall clock steps. */
static void
timer_repeat(struct logfs_watch *w, ev_timer *t, uint64_t usec)
{
	t->repeat = secs(usec);
	if (t->repeat > 0)
		ev_timer_again(w->d->loop, t);
	else
		ev_timer_stop(w->d->loop, t);
}

static void
logfs_setup(struct logfs_watch *w)
{
	struct xsmd *d = w->d;

	w->mfd = w->mep = -1;
	xsmd_logfs_iwatch_init(&w->iw);
	xsm_strlcpy(w->path, d->cfg.logfs.path, sizeof(w->path));
	xsm_logfs_eval_init(&w->eval);
	xsm_zero(&d->state.logfs, sizeof(d->state.logfs));
	xsm_strlcpy(d->state.logfs.path, w->path, sizeof(d->state.logfs.path));
	xsm_state_register(&d->state, XSM_CHECK_LOGFS, xsmd_now_wall());

	ev_init(&w->iio, inotify_cb);
	ev_init(&w->settle, settle_cb);
	ev_init(&w->safety, safety_cb);
	ev_init(&w->scan_tm, scan_cb);
	ev_init(&w->scan_later, scan_cb);
	ev_init(&w->scan_turn, scan_turn_cb);
	ev_init(&w->recheck, recheck_cb);
	w->recheck.data = w;
	w->iio.data = w->settle.data = w->safety.data = w;
	w->scan_tm.data = w->scan_later.data = w->scan_turn.data = w;

	mount_watch_open(w);
	w->pending.rewatch = true;
	tick(w);                /* watches, first sample, first scan */
	if (!w->scanned)
		run_scan(w);
	safety_pace(w, d->state.checks[XSM_CHECK_LOGFS].status);
	timer_repeat(w, &w->scan_tm, d->cfg.logfs.scan_interval_usec);
}

/* Releases every source and the scanner. Safe to call twice. */
static void
logfs_teardown(struct logfs_watch *w)
{
	struct ev_loop *loop = w->d->loop;

	ev_io_stop(loop, &w->iio);
	ev_timer_stop(loop, &w->settle);
	ev_timer_stop(loop, &w->safety);
	ev_timer_stop(loop, &w->scan_tm);
	ev_timer_stop(loop, &w->scan_later);
	ev_timer_stop(loop, &w->scan_turn);
	ev_timer_stop(loop, &w->recheck);
	xsmd_logfs_iwatch_close(&w->iw);
	if (w->mep >= 0) {
		ev_io_stop(loop, &w->mio);
		close(w->mep);
	}
	if (w->mfd >= 0)
		close(w->mfd);
	w->mfd = w->mep = -1;
	xsmd_logfs_scanner_free(w->scanner);
	w->scanner = NULL;
}

/*
 * The watcher cannot go on: everything is released, and the check stays,
 * unknown with the reason, until a reload starts it again (an absent
 * check would read as "nothing wrong").
 */
static int
logfs_failed(struct xsmd *d, int err, const char *what)
{
	char reason[XSM_REASON_MAX];

	snprintf(reason, sizeof(reason), "%s: %s; not watching until the "
	    "next reload", what, strerror(-err));
	log_warnx("logfs: %s", reason);
	if (!d->state.checks[XSM_CHECK_LOGFS].present)
		xsm_state_register(&d->state, XSM_CHECK_LOGFS, xsmd_now_wall());
	xsm_state_apply(&d->state, XSM_CHECK_LOGFS, XSM_UNKNOWN, reason,
	    xsmd_now_wall());
	return err;
}

static int
logfs_start(struct xsmd *d, void **priv)
{
	struct logfs_watch *w = calloc(1, sizeof(*w));

	if (w == NULL || (w->scanner = xsmd_logfs_scanner_new()) == NULL) {
		free(w);
		return logfs_failed(d, -ENOMEM, "cannot start");
	}
	w->d = d;
	logfs_setup(w);
	*priv = w;
	return 0;
}

static void
logfs_stop(struct xsmd *d, void *priv)
{
	struct logfs_watch *w = priv;

	logfs_teardown(w);
	if (!w->failed)
		xsm_state_unregister(&d->state, XSM_CHECK_LOGFS);
	free(w);
}

static int
logfs_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	struct logfs_watch *w = priv;
	struct xsmd_logfs_scanner *sc;

	if (w->failed || strcmp(old->logfs.path, d->cfg.logfs.path) != 0) {
		log_info("logfs: watching %s (was %s), restarting",
		    d->cfg.logfs.path, old->logfs.path);
		/* Allocate first: on failure nothing is left half set up. */
		if ((sc = xsmd_logfs_scanner_new()) == NULL) {
			logfs_teardown(w);
			w->failed = true;
			return logfs_failed(d, -ENOMEM, "reload failed");
		}
		logfs_teardown(w);
		memset(w, 0, sizeof(*w));
		w->d = d;
		w->scanner = sc;
		logfs_setup(w);
		return 0;
	}
	xsmd_logfs_accept_replaced(&w->mnt, w->path);
	safety_pace(w, d->state.checks[XSM_CHECK_LOGFS].status);
	timer_repeat(w, &w->scan_tm, d->cfg.logfs.scan_interval_usec);
	/* New thresholds apply now; the hysteresis state is kept. */
	tick_now(w);
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_logfs_ops = {
	.name = "logfs",
	.start = logfs_start,
	.stop = logfs_stop,
	.reload = logfs_reload,
};
