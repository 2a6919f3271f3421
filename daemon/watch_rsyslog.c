/* SPDX-License-Identifier: ISC */
/*
 * watch_rsyslog.c: is rsyslogd alive, writing, and forwarding?
 *
 * Alive: rsyslog_live.c (pid file, /proc, pidfd or polling, restarts).
 *
 * Writing (rsyslog_canary.h): every canary_interval, the first one second
 * after start or a restart, one tagged datagram goes to the syslog socket
 * and must show up in every target within canary_timeout. Before sending
 * we position each target at its end, so only bytes written after the
 * send are read; inotify IN_MODIFY watches on the targets exist only
 * while a canary is outstanding. Rotation and truncation are followed
 * (rsyslog_follow.c).
 *
 * Forwarding: the impstats file is followed the same way (IN_MODIFY on
 * the file, IN_CREATE/IN_MOVED_TO on its directory for a rotation),
 * started from its last 64 KiB, and its lines update the counters.
 *
 * Idle cost with a pidfd: one wakeup per canary_interval and one per
 * impstats write; without one, one /proc read per liveness_interval more.
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rsyslog_canary.h"
#include "rsyslog_eval.h"
#include "rsyslog_stats.h"
#include "rsyslog_watch.h"

#define UNSENT_RETRY_SEC 5.0
#define SETTLE_SEC 0.05
#define READ_MAX (1024 * 1024)          /* per file per wakeup */
#define TARGET_LINE_MAX 2048
#define STATS_LINE_MAX (64 * 1024)
#define STATS_TAIL (64 * 1024)

double
rs_secs(uint64_t usec)
{
	return (double)usec / XSM_USEC_PER_SEC;
}

struct xsm_rsyslog_view *
rs_view(struct rs_watch *w)
{
	return &w->d->state.rsyslog;
}

/* --- evaluation -------------------------------------------------------- */

static void
stat_file(const char *path, int *error, uint64_t *size, uint64_t *mtime)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		*error = errno;
		return;
	}
	*error = 0;
	*size = (uint64_t)st.st_size;
	*mtime = (uint64_t)st.st_mtim.tv_sec * XSM_USEC_PER_SEC +
	    (uint64_t)st.st_mtim.tv_nsec / 1000;
}

/* Sample the files, judge, apply: the one path into the state model. */
void
rs_check(struct rs_watch *w)
{
	struct xsm_rsyslog_view *v = rs_view(w);
	char reason[XSM_REASON_MAX];
	enum xsm_status st;
	uint64_t size;

	for (unsigned i = 0; i < v->n_files; i++)
		stat_file(v->files[i].path, &v->files[i].error,
		    &v->files[i].size, &v->files[i].mtime_usec);
	if (v->impstats[0] != '\0')
		stat_file(v->impstats, &v->impstats_error, &size,
		    &v->impstats_mtime_usec);
	v->bytes_read = w->sf.bytes_read;
	for (unsigned i = 0; i < w->n_targets; i++)
		v->bytes_read += w->t[i].f.bytes_read;
	v->log_dropped = log_dropped();
	st = xsm_rsyslog_evaluate(v, &w->cfg, xsmd_now_wall(), reason,
	    sizeof(reason));
	xsm_state_touch(&w->d->state);
	xsm_state_apply(&w->d->state, XSM_CHECK_RSYSLOG, st, reason,
	    xsmd_now_wall());
}

/* --- inotify ------------------------------------------------------------ */

/* Directory watches are shared (same dir, same wd): masks are added. */
int
rs_watch_dir_of(struct rs_watch *w, const char *path, uint32_t mask)
{
	char dir[XSM_PATH_MAX];

	if (w->ifd < 0)
		return -1;
	xsm_strlcpy(dir, path, sizeof(dir));
	return inotify_add_watch(w->ifd, dirname(dir),
	    mask | IN_MASK_ADD | IN_ONLYDIR);
}

bool
rs_wd_shared(struct rs_watch *w, int wd)
{
	for (unsigned i = 0; i < w->n_targets; i++)
		if (w->t[i].dir_wd == wd)
			return true;
	return w->stats_dir_wd == wd;
}

static void
file_watch(struct rs_watch *w, struct xsmd_rs_follow *f, bool on)
{
	if (w->ifd < 0)
		return;
	if (f->wd >= 0 && !on) {
		inotify_rm_watch(w->ifd, f->wd);
		f->wd = -1;
	} else if (on) {
		/* On the inode the fd follows now. */
		if (f->wd >= 0)
			inotify_rm_watch(w->ifd, f->wd);
		f->wd = inotify_add_watch(w->ifd, f->path, IN_MODIFY);
	}
}

bool
rs_event_names(const struct inotify_event *ev, const char *path)
{
	const char *b = strrchr(path, '/');

	return ev->len > 0 && strcmp(ev->name, b != NULL ? b + 1 : path) == 0;
}

static void reads(struct rs_watch *w);

/* Sorts one event into what must be looked at. */
static void
classify(struct rs_watch *w, const struct inotify_event *ev, bool *pid)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		*pid = w->targets_dirty = w->stats_dirty = true;
		return;
	}
	if (rs_live_event(w, ev))
		*pid = true;
	if (w->stats_on && (ev->wd == w->sf.wd ||
	    (ev->wd == w->stats_dir_wd && rs_event_names(ev, w->sf.path))))
		w->stats_dirty = true;
	for (unsigned i = 0; i < w->n_targets; i++)
		if (ev->wd == w->t[i].f.wd || (ev->wd == w->t[i].dir_wd &&
		    rs_event_names(ev, w->t[i].f.path)))
			w->targets_dirty = true;
}

static void
inotify_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct rs_watch *w = io->data;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool pid = false;
	ssize_t n;

	while ((n = read(w->ifd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			classify(w, ev, &pid);
			p += sizeof(*ev) + ev->len;
		}
	}
	if (pid)
		rs_live_check(w);
	/*
	 * Read at once (the canary's latency is what we measure), then
	 * coalesce: more writes within SETTLE cost one more read, at its end.
	 */
	if ((w->targets_dirty || w->stats_dirty) &&
	    !ev_is_active(&w->settle))
		reads(w);
}

/* --- impstats ------------------------------------------------------------ */

static void
stats_line(void *ctx, const char *line, size_t len)
{
	xsm_rsyslog_stats_line(ctx, line, len);
}

/* Reads what the stats file gained; true when more is waiting. */
static bool
stats_read(struct rs_watch *w)
{
	struct xsm_rsyslog_stats *s = &rs_view(w)->stats;
	uint64_t too_long = w->sf.lb.too_long;
	bool more, switched;
	ssize_t n;

	n = xsmd_rs_follow_read(&w->sf, READ_MAX, stats_line, s, &more,
	    &switched);
	if (switched)
		file_watch(w, &w->sf, true);
	s->too_long += w->sf.lb.too_long - too_long;
	s->parse_errors += w->sf.lb.too_long - too_long;
	return n > 0 && more;
}

static void
stats_start(struct rs_watch *w)
{
	const char *path = w->cfg.impstats;

	xsm_strlcpy(rs_view(w)->impstats, path, sizeof(rs_view(w)->impstats));
	if (path[0] == '\0')
		return;
	w->stats_on = true;
	xsmd_rs_follow_init(&w->sf, path, STATS_LINE_MAX);
	/* The latest counters, without reading a long history. */
	xsmd_rs_follow_skip(&w->sf, STATS_TAIL);
	stats_read(w);
	file_watch(w, &w->sf, true);
	w->stats_dir_wd = rs_watch_dir_of(w, path, IN_CREATE | IN_MOVED_TO);
}

/* --- canary ------------------------------------------------------------- */

struct target_ctx {
	struct rs_watch *w;
	struct rs_target *t;
};

static void
match_line(void *ctx, const char *line, size_t len)
{
	struct target_ctx *c = ctx;

	if (!c->t->seen &&
	    xsm_canary_line_matches(line, len, rs_view(c->w)->canary.token))
		c->t->seen = true;
}

static void
canary_delivered(struct rs_watch *w)
{
	struct xsm_rsyslog_canary *c = &rs_view(w)->canary;

	c->state = XSM_CANARY_DELIVERED;
	c->latency_ms = (int64_t)((xsmd_now_mono() - w->sent_mono) / 1000);
	c->last_seen_usec = xsmd_now_wall();
	c->missing[0] = '\0';
	c->delivered++;
	w->outstanding = false;
	ev_timer_stop(w->d->loop, &w->timeout_tm);
	for (unsigned i = 0; i < w->n_targets; i++)
		file_watch(w, &w->t[i].f, false);
}

/* Reads the targets' new bytes; true when more is waiting. */
static bool
targets_read(struct rs_watch *w)
{
	bool more_any = false, all = true;

	if (!w->outstanding)
		return false;
	for (unsigned i = 0; i < w->n_targets; i++) {
		struct rs_target *t = &w->t[i];
		struct target_ctx ctx = { w, t };
		bool more = false, switched = false;

		if (!t->seen) {
			xsmd_rs_follow_read(&t->f, READ_MAX, match_line, &ctx,
			    &more, &switched);
			if (switched)
				file_watch(w, &t->f, true);
		}
		more_any |= more;
		all &= t->seen;
	}
	if (all)
		canary_delivered(w);
	return more_any && !all;
}

/* Reads what is dirty, then holds further reads for SETTLE. */
static void
reads(struct rs_watch *w)
{
	bool more = false;

	if (w->stats_dirty) {
		w->stats_dirty = false;
		if (w->stats_on && stats_read(w))
			w->stats_dirty = more = true;
	}
	if (w->targets_dirty) {
		w->targets_dirty = false;
		if (targets_read(w))
			w->targets_dirty = more = true;
	}
	ev_timer_set(&w->settle, more ? 0. : SETTLE_SEC, 0.);
	ev_timer_start(w->d->loop, &w->settle);
	rs_check(w);
}

static void
settle_cb(struct ev_loop *loop, ev_timer *tm, int revents)
{
	struct rs_watch *w = tm->data;

	if (w->targets_dirty || w->stats_dirty)
		reads(w);
}

static void
timeout_cb(struct ev_loop *loop, ev_timer *tm, int revents)
{
	struct rs_watch *w = tm->data;
	struct xsm_rsyslog_canary *c = &rs_view(w)->canary;

	targets_read(w);
	if (w->outstanding) {
		c->state = XSM_CANARY_LATE;
		c->late++;
		for (unsigned i = 0; i < w->n_targets; i++) {
			if (!w->t[i].seen) {
				xsm_strlcpy(c->missing, w->t[i].f.path,
				    sizeof(c->missing));
				break;
			}
		}
	}
	rs_check(w);
}

/* "Nov 22 07:31:22": RFC 3164 local time, as syslog(3) sends it. */
static void
stamp(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(out, size, "%b %e %H:%M:%S", &tm) == 0)
		xsm_strlcpy(out, "Jan  1 00:00:00", size);
}

static void
canary_send(struct rs_watch *w)
{
	struct xsm_rsyslog_canary *c = &rs_view(w)->canary;
	char msg[256], ts[32];
	int len, r;

	/* Only what is written from now on can hold this canary. */
	for (unsigned i = 0; i < w->n_targets; i++) {
		struct rs_target *t = &w->t[i];

		t->seen = false;
		if (xsmd_rs_follow_skip(&t->f, 0) < 0 && t->f.fd >= 0)
			xsmd_rs_follow_close(&t->f);  /* reopened when it appears */
		file_watch(w, &t->f, t->f.fd >= 0);
	}
	c->seq++;
	xsm_canary_token(w->nonce, c->seq, c->token, sizeof(c->token));
	stamp(ts, sizeof(ts));
	len = xsm_canary_message(ts, (int)getpid(), c->token, msg,
	    sizeof(msg));
	w->sent_mono = xsmd_now_mono();
	c->last_sent_usec = xsmd_now_wall();
	r = len < 0 ? len : xsmd_rs_send(&w->sfd, w->cfg.syslog_socket, msg,
	    (size_t)len);
	if (r < 0) {
		c->state = XSM_CANARY_UNSENT;
		w->outstanding = false;
		c->send_errno = -r;
		c->unsent++;
		for (unsigned i = 0; i < w->n_targets; i++)
			file_watch(w, &w->t[i].f, false);
		/* Sooner than a full interval: it is a problem until it works. */
		if (rs_secs(w->cfg.canary_interval_usec) > UNSENT_RETRY_SEC) {
			ev_timer_set(&w->canary_tm, UNSENT_RETRY_SEC,
			    rs_secs(w->cfg.canary_interval_usec));
			ev_timer_start(w->d->loop, &w->canary_tm);
		}
		return;
	}
	/* Late stays late (critical) until a canary gets through again. */
	if (c->state != XSM_CANARY_LATE)
		c->state = XSM_CANARY_PENDING;
	w->outstanding = true;
	c->sent++;
	ev_timer_set(&w->timeout_tm, rs_secs(w->cfg.canary_timeout_usec), 0.);
	ev_timer_start(w->d->loop, &w->timeout_tm);
	/* Without inotify, only the timeout looks. */
}

static void
canary_cb(struct ev_loop *loop, ev_timer *tm, int revents)
{
	struct rs_watch *w = tm->data;

	ev_timer_stop(loop, tm);
	tm->repeat = rs_secs(w->cfg.canary_interval_usec);
	ev_timer_again(loop, tm);
	if (w->stats_on)
		w->stats_dirty = true;
	rs_live_check(w);      /* a cheap re-check, and pid reuse */
	if (rs_view(w)->proc == XSM_RSYSLOG_ALIVE) {
		targets_read(w);  /* a late one may have come meanwhile */
		canary_send(w);
	}
	rs_check(w);
}

/* The next canary in sec, the interval after it. */
void
rs_canary_soon(struct rs_watch *w, double sec)
{
	ev_timer_stop(w->d->loop, &w->canary_tm);
	ev_timer_set(&w->canary_tm, sec, rs_secs(w->cfg.canary_interval_usec));
	ev_timer_start(w->d->loop, &w->canary_tm);
}

/* --- start, stop, reload ------------------------------------------------ */

static void
targets_setup(struct rs_watch *w)
{
	struct xsm_rsyslog_view *v = rs_view(w);
	char list[sizeof(w->cfg.target)], *save = NULL, *p;

	xsm_strlcpy(list, w->cfg.target, sizeof(list));
	for (p = strtok_r(list, ",", &save); p != NULL &&
	    w->n_targets < XSM_PATHS_MAX; p = strtok_r(NULL, ",", &save)) {
		struct rs_target *t = &w->t[w->n_targets++];

		xsmd_rs_follow_init(&t->f, p, TARGET_LINE_MAX);
		t->dir_wd = rs_watch_dir_of(w, p, IN_CREATE | IN_MOVED_TO);
		xsm_strlcpy(v->files[v->n_files++].path, p,
		    sizeof(v->files[0].path));
	}
}

static void
rs_setup(struct rs_watch *w, uint64_t restarts)
{
	struct xsmd *d = w->d;
	struct xsm_rsyslog_view *v = rs_view(w);

	w->cfg = d->cfg.rsyslog;
	w->sfd = w->stats_dir_wd = -1;
	w->sf.fd = w->sf.wd = -1;
	w->nonce = (xsmd_now_wall() ^ ((uint64_t)getpid() << 40)) &
	    0xffffffffffffULL;
	xsm_zero(v, sizeof(*v));
	v->restarts = restarts;
	v->canary.latency_ms = -1;
	v->liveness = "poll";
	xsm_strlcpy(v->syslog_socket, w->cfg.syslog_socket,
	    sizeof(v->syslog_socket));
	xsm_state_register(&d->state, XSM_CHECK_RSYSLOG, xsmd_now_wall());

	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd < 0)
		log_warn("rsyslog: inotify, polling only");
	ev_init(&w->iio, inotify_cb);
	ev_init(&w->settle, settle_cb);
	ev_init(&w->canary_tm, canary_cb);
	ev_init(&w->timeout_tm, timeout_cb);
	w->iio.data = w->settle.data = w;
	w->canary_tm.data = w->timeout_tm.data = w;
	rs_live_init(w);
	if (w->ifd >= 0) {
		ev_io_set(&w->iio, w->ifd, EV_READ);
		ev_io_start(d->loop, &w->iio);
	}
	targets_setup(w);
	stats_start(w);
	rs_live_check(w);
	rs_canary_soon(w, RS_FIRST_CANARY_SEC);
}

static void
rs_teardown(struct rs_watch *w)
{
	struct ev_loop *loop = w->d->loop;

	rs_live_stop(w);
	ev_io_stop(loop, &w->iio);
	ev_timer_stop(loop, &w->settle);
	ev_timer_stop(loop, &w->canary_tm);
	ev_timer_stop(loop, &w->timeout_tm);
	for (unsigned i = 0; i < w->n_targets; i++)
		xsmd_rs_follow_close(&w->t[i].f);
	w->n_targets = 0;
	if (w->stats_on)
		xsmd_rs_follow_close(&w->sf);
	w->stats_on = false;
	if (w->ifd >= 0)
		close(w->ifd);   /* and every watch with it */
	if (w->sfd >= 0)
		close(w->sfd);
	w->ifd = w->sfd = -1;
}

static int
rsyslog_start(struct xsmd *d, void **priv)
{
	struct rs_watch *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		log_warnx("rsyslog: cannot start: out of memory");
		return -ENOMEM;
	}
	w->d = d;
	rs_setup(w, 0);
	*priv = w;
	return 0;
}

static void
rsyslog_stop(struct xsmd *d, void *priv)
{
	struct rs_watch *w = priv;

	rs_teardown(w);
	xsm_state_unregister(&d->state, XSM_CHECK_RSYSLOG);
	free(w);
}

static int
rsyslog_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	struct rs_watch *w = priv;
	uint64_t restarts = rs_view(w)->restarts;

	if (memcmp(&old->rsyslog, &d->cfg.rsyslog, sizeof(old->rsyslog)) == 0)
		return 0;
	log_info("rsyslog: new settings, restarting the watcher");
	rs_teardown(w);
	memset(w, 0, sizeof(*w));
	w->d = d;
	rs_setup(w, restarts);
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_rsyslog_ops = {
	.name = "rsyslog",
	.start = rsyslog_start,
	.stop = rsyslog_stop,
	.reload = rsyslog_reload,
};
