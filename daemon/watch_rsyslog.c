/* SPDX-License-Identifier: ISC */
/*
 * watch_rsyslog.c: is rsyslogd alive, writing, and forwarding?
 *
 * Alive: the pid file names a process whose /proc/PID/stat says
 * "rsyslogd", not a zombie, with a start time we record (a new pid or
 * start time is a restart, and PID reuse cannot fool us). Its death is
 * seen at once through a pidfd (Linux 5.3+); without one (EL7-era dom0
 * kernels, or use_pidfd = no) /proc is read every liveness_interval. While
 * no live rsyslogd is known, an inotify watch on the pid file's directory
 * sees the new pid file as soon as it is written.
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
#include <sys/inotify.h>
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
#include "rsyslog_io.h"
#include "rsyslog_stats.h"
#include "xsmd.h"

#define FIRST_CANARY_SEC 1.0
#define UNSENT_RETRY_SEC 5.0
#define NOT_FOUND_POLL_SEC 60.0
#define SETTLE_SEC 0.05
#define READ_MAX (1024 * 1024)          /* per file per wakeup */
#define TARGET_LINE_MAX 2048
#define STATS_LINE_MAX (64 * 1024)
#define STATS_TAIL (64 * 1024)

static const char *const default_pidfiles[] = {
	"/run/rsyslogd.pid", "/var/run/rsyslogd.pid",
};

struct rs_target {
	struct xsmd_rs_follow f;
	int dir_wd;
	bool seen;
};

struct rs_watch {
	struct xsmd *d;
	struct xsm_rsyslog_cfg cfg;     /* the config this runs with */

	/* Liveness. */
	char pidfile[XSM_PATH_MAX];
	int pid;
	uint64_t starttime;
	int pidfd;
	ev_io pidfd_io;
	ev_timer poll_tm;
	bool pidfd_works;
	int piddir_wd;
	bool warned_pidfd;

	/* One inotify fd for everything. */
	int ifd;
	ev_io iio;
	ev_timer settle;
	bool targets_dirty, stats_dirty;

	/* Canary. */
	int sfd;
	uint64_t nonce;
	uint64_t sent_mono;
	bool outstanding;               /* a canary sent, not yet seen everywhere */
	ev_timer canary_tm;
	ev_timer timeout_tm;
	unsigned n_targets;
	struct rs_target t[XSM_PATHS_MAX];

	/* impstats. */
	bool stats_on;
	struct xsmd_rs_follow sf;
	int stats_dir_wd;
};

static double
secs(uint64_t usec)
{
	return (double)usec / XSM_USEC_PER_SEC;
}

static struct xsm_rsyslog_view *
view(struct rs_watch *w)
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
static void
rs_check(struct rs_watch *w)
{
	struct xsm_rsyslog_view *v = view(w);
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
static int
watch_dir_of(struct rs_watch *w, const char *path, uint32_t mask)
{
	char dir[XSM_PATH_MAX];

	if (w->ifd < 0)
		return -1;
	xsm_strlcpy(dir, path, sizeof(dir));
	return inotify_add_watch(w->ifd, dirname(dir),
	    mask | IN_MASK_ADD | IN_ONLYDIR);
}

static bool
wd_shared(struct rs_watch *w, int wd)
{
	for (unsigned i = 0; i < w->n_targets; i++)
		if (w->t[i].dir_wd == wd)
			return true;
	return w->stats_dir_wd == wd;
}

static void
piddir_watch(struct rs_watch *w, bool on)
{
	if (on && w->piddir_wd < 0) {
		w->piddir_wd = watch_dir_of(w, w->pidfile, IN_CLOSE_WRITE |
		    IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM);
	} else if (!on && w->piddir_wd >= 0) {
		if (!wd_shared(w, w->piddir_wd))
			inotify_rm_watch(w->ifd, w->piddir_wd);
		w->piddir_wd = -1;
	}
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

static bool
name_is(const struct inotify_event *ev, const char *path)
{
	const char *b = strrchr(path, '/');

	return ev->len > 0 && strcmp(ev->name, b != NULL ? b + 1 : path) == 0;
}

static void liveness_check(struct rs_watch *w);
static void reads(struct rs_watch *w);

/* Sorts one event into what must be looked at. */
static void
classify(struct rs_watch *w, const struct inotify_event *ev, bool *pid)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		*pid = w->targets_dirty = w->stats_dirty = true;
		return;
	}
	if (ev->wd == w->piddir_wd && name_is(ev, w->pidfile))
		*pid = true;
	if (w->stats_on && (ev->wd == w->sf.wd ||
	    (ev->wd == w->stats_dir_wd && name_is(ev, w->sf.path))))
		w->stats_dirty = true;
	for (unsigned i = 0; i < w->n_targets; i++)
		if (ev->wd == w->t[i].f.wd || (ev->wd == w->t[i].dir_wd &&
		    name_is(ev, w->t[i].f.path)))
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
		liveness_check(w);
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
	struct xsm_rsyslog_stats *s = &view(w)->stats;
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

	xsm_strlcpy(view(w)->impstats, path, sizeof(view(w)->impstats));
	if (path[0] == '\0')
		return;
	w->stats_on = true;
	xsmd_rs_follow_init(&w->sf, path, STATS_LINE_MAX);
	/* The latest counters, without reading a long history. */
	xsmd_rs_follow_skip(&w->sf, STATS_TAIL);
	stats_read(w);
	file_watch(w, &w->sf, true);
	w->stats_dir_wd = watch_dir_of(w, path, IN_CREATE | IN_MOVED_TO);
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
	    xsm_canary_line_matches(line, len, view(c->w)->canary.token))
		c->t->seen = true;
}

static void
canary_delivered(struct rs_watch *w)
{
	struct xsm_rsyslog_canary *c = &view(w)->canary;

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
	struct xsm_rsyslog_canary *c = &view(w)->canary;

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
	struct xsm_rsyslog_canary *c = &view(w)->canary;
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
		if (secs(w->cfg.canary_interval_usec) > UNSENT_RETRY_SEC) {
			ev_timer_set(&w->canary_tm, UNSENT_RETRY_SEC,
			    secs(w->cfg.canary_interval_usec));
			ev_timer_start(w->d->loop, &w->canary_tm);
		}
		return;
	}
	/* Late stays late (critical) until a canary gets through again. */
	if (c->state != XSM_CANARY_LATE)
		c->state = XSM_CANARY_PENDING;
	w->outstanding = true;
	c->sent++;
	ev_timer_set(&w->timeout_tm, secs(w->cfg.canary_timeout_usec), 0.);
	ev_timer_start(w->d->loop, &w->timeout_tm);
	/* Without inotify, only the timeout looks. */
}

static void
canary_cb(struct ev_loop *loop, ev_timer *tm, int revents)
{
	struct rs_watch *w = tm->data;

	ev_timer_stop(loop, tm);
	tm->repeat = secs(w->cfg.canary_interval_usec);
	ev_timer_again(loop, tm);
	if (w->stats_on)
		w->stats_dirty = true;
	liveness_check(w);      /* a cheap re-check, and pid reuse */
	if (view(w)->proc == XSM_RSYSLOG_ALIVE) {
		targets_read(w);  /* a late one may have come meanwhile */
		canary_send(w);
	}
	rs_check(w);
}

/* The next canary in sec, the interval after it. */
static void
canary_soon(struct rs_watch *w, double sec)
{
	ev_timer_stop(w->d->loop, &w->canary_tm);
	ev_timer_set(&w->canary_tm, sec, secs(w->cfg.canary_interval_usec));
	ev_timer_start(w->d->loop, &w->canary_tm);
}

/* --- liveness ----------------------------------------------------------- */

static void
pidfd_close(struct rs_watch *w)
{
	if (w->pidfd < 0)
		return;
	ev_io_stop(w->d->loop, &w->pidfd_io);
	close(w->pidfd);
	w->pidfd = -1;
}

static void
pidfd_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct rs_watch *w = io->data;

	/* Readable means it exited: no pidfd again for this pid. */
	pidfd_close(w);
	w->pid = 0;
	liveness_check(w);
}

static void
poll_cb(struct ev_loop *loop, ev_timer *tm, int revents)
{
	liveness_check(tm->data);
}

/* Opens a pidfd for the pid, or falls back to polling (said once). */
static void
pidfd_open(struct rs_watch *w, int pid)
{
	int fd;

	pidfd_close(w);
	if (!w->cfg.use_pidfd) {
		w->pidfd_works = false;
		return;
	}
	fd = xsmd_rs_pidfd_open(pid);
	if (fd < 0) {
		if (fd != -ESRCH) {
			w->pidfd_works = false;
			if (!w->warned_pidfd)
				log_info("rsyslog: no pidfd (%s): polling "
				    "rsyslogd every %.1fs", strerror(-fd),
				    secs(w->cfg.liveness_interval_usec));
			w->warned_pidfd = true;
		}
		return;
	}
	w->pidfd = fd;
	w->pidfd_works = true;
	ev_io_set(&w->pidfd_io, fd, EV_READ);
	ev_io_start(w->d->loop, &w->pidfd_io);
}

/* Timers and watches for what is known now (see the top comment). */
static void
liveness_arm(struct rs_watch *w)
{
	struct xsm_rsyslog_view *v = view(w);
	bool alive = v->proc == XSM_RSYSLOG_ALIVE;
	double poll = secs(w->cfg.liveness_interval_usec);

	v->liveness = w->pidfd_works ? "pidfd" : "poll";
	if (alive && w->pidfd >= 0)
		poll = 0;
	else if (v->proc == XSM_RSYSLOG_NOT_FOUND && poll < NOT_FOUND_POLL_SEC)
		poll = NOT_FOUND_POLL_SEC;  /* inotify sees it come */
	piddir_watch(w, !alive || w->pidfd < 0);
	if (poll == 0) {
		ev_timer_stop(w->d->loop, &w->poll_tm);
	} else if (!ev_is_active(&w->poll_tm) || w->poll_tm.repeat != poll) {
		w->poll_tm.repeat = poll;
		ev_timer_again(w->d->loop, &w->poll_tm);
	}
}

static void
set_alive(struct rs_watch *w, int pid, uint64_t starttime)
{
	struct xsm_rsyslog_view *v = view(w);
	bool same = pid == w->pid && starttime == w->starttime;

	if (same && v->proc == XSM_RSYSLOG_ALIVE)
		return;
	if (!same && v->ever_alive) {
		v->restarts++;
		log_info("rsyslog: rsyslogd restarted, pid %d (was %d)", pid,
		    v->pid);
	}
	w->pid = v->pid = pid;
	w->starttime = starttime;
	v->started_at_usec = xsmd_rs_start_wall(starttime);
	v->proc = XSM_RSYSLOG_ALIVE;
	v->proc_why[0] = '\0';
	v->ever_alive = true;
	if (w->pidfd < 0 || !same)
		pidfd_open(w, pid);
	/* Prove the new one writes, soon rather than an interval away. */
	canary_soon(w, FIRST_CANARY_SEC);
}

static void
set_gone(struct rs_watch *w, const char *why)
{
	struct xsm_rsyslog_view *v = view(w);

	pidfd_close(w);
	w->pid = 0;
	v->proc = v->ever_alive ? XSM_RSYSLOG_DEAD : XSM_RSYSLOG_NOT_FOUND;
	xsm_strlcpy(v->proc_why, why, sizeof(v->proc_why));
}

/* The pid file in use: configured, or the first default that exists. */
static void
resolve_pidfile(struct rs_watch *w)
{
	const char *p = w->cfg.pidfile;

	if (p[0] == '\0') {
		p = default_pidfiles[0];
		for (size_t i = 0; i < sizeof(default_pidfiles) /
		    sizeof(default_pidfiles[0]); i++) {
			if (access(default_pidfiles[i], F_OK) == 0) {
				p = default_pidfiles[i];
				break;
			}
		}
	}
	if (strcmp(p, w->pidfile) != 0) {
		piddir_watch(w, false);
		xsm_strlcpy(w->pidfile, p, sizeof(w->pidfile));
	}
	xsm_strlcpy(view(w)->pidfile, p, sizeof(view(w)->pidfile));
}

static void
liveness_check(struct rs_watch *w)
{
	struct xsm_proc_stat ps;
	char why[160];
	int pid, r;

	resolve_pidfile(w);
	pid = xsmd_rs_pidfile_read(w->pidfile);
	if (pid < 0) {
		snprintf(why, sizeof(why), "pid file %.100s: %s", w->pidfile,
		    strerror(-pid));
		set_gone(w, why);
	} else if ((r = xsmd_rs_proc_read(pid, &ps)) < 0) {
		snprintf(why, sizeof(why), "pid %d %s", pid, r == -ENOENT ?
		    "exited" : strerror(-r));
		set_gone(w, why);
	} else if (strcmp(ps.comm, "rsyslogd") != 0) {
		snprintf(why, sizeof(why), "pid %d is '%.15s', not rsyslogd",
		    pid, ps.comm);
		set_gone(w, why);
	} else if (xsm_proc_stat_dead(&ps)) {
		snprintf(why, sizeof(why), "pid %d exited (a zombie)", pid);
		set_gone(w, why);
	} else {
		set_alive(w, pid, ps.starttime);
	}
	liveness_arm(w);
	rs_check(w);
}

/* --- start, stop, reload ------------------------------------------------ */

static void
targets_setup(struct rs_watch *w)
{
	struct xsm_rsyslog_view *v = view(w);
	char list[sizeof(w->cfg.target)], *save = NULL, *p;

	xsm_strlcpy(list, w->cfg.target, sizeof(list));
	for (p = strtok_r(list, ",", &save); p != NULL &&
	    w->n_targets < XSM_PATHS_MAX; p = strtok_r(NULL, ",", &save)) {
		struct rs_target *t = &w->t[w->n_targets++];

		xsmd_rs_follow_init(&t->f, p, TARGET_LINE_MAX);
		t->dir_wd = watch_dir_of(w, p, IN_CREATE | IN_MOVED_TO);
		xsm_strlcpy(v->files[v->n_files++].path, p,
		    sizeof(v->files[0].path));
	}
}

static void
rs_setup(struct rs_watch *w, uint64_t restarts)
{
	struct xsmd *d = w->d;
	struct xsm_rsyslog_view *v = view(w);

	w->cfg = d->cfg.rsyslog;
	w->pidfd = w->sfd = w->piddir_wd = w->stats_dir_wd = -1;
	w->sf.fd = w->sf.wd = -1;
	w->nonce = (xsmd_now_wall() ^ ((uint64_t)getpid() << 40)) &
	    0xffffffffffffULL;
	memset(v, 0, sizeof(*v));
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
	ev_init(&w->pidfd_io, pidfd_cb);
	ev_init(&w->poll_tm, poll_cb);
	ev_init(&w->canary_tm, canary_cb);
	ev_init(&w->timeout_tm, timeout_cb);
	w->iio.data = w->settle.data = w->pidfd_io.data = w;
	w->poll_tm.data = w->canary_tm.data = w->timeout_tm.data = w;
	if (w->ifd >= 0) {
		ev_io_set(&w->iio, w->ifd, EV_READ);
		ev_io_start(d->loop, &w->iio);
	}
	targets_setup(w);
	stats_start(w);
	liveness_check(w);
	canary_soon(w, FIRST_CANARY_SEC);
}

static void
rs_teardown(struct rs_watch *w)
{
	struct ev_loop *loop = w->d->loop;

	pidfd_close(w);
	ev_io_stop(loop, &w->iio);
	ev_timer_stop(loop, &w->settle);
	ev_timer_stop(loop, &w->poll_tm);
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
	uint64_t restarts = view(w)->restarts;

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
