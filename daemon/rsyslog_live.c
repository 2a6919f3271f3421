/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_live.c: is rsyslogd alive? The pid file names a process whose
 * /proc/PID/stat says "rsyslogd", not a zombie, with a start time we
 * record: a new pid or start time is a restart, and PID reuse cannot
 * fool us. Its death is seen at once through a pidfd (Linux 5.3+);
 * without one (EL7-era dom0 kernels, or use_pidfd = no) /proc is read
 * every liveness_interval. While no live rsyslogd is known, an inotify
 * watch on the pid file's directory sees the new pid file as soon as it
 * is written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "rsyslog_watch.h"

#define NOT_FOUND_POLL_SEC 60.0

/* Upstream's, then EL7's (XCP-ng 8.x: rsyslog 8.24 writes syslogd.pid). */
static const char *const default_pidfiles[] = {
	"/run/rsyslogd.pid", "/var/run/rsyslogd.pid", "/var/run/syslogd.pid",
};

static void
piddir_watch(struct rs_watch *w, bool on)
{
	if (on && w->live.piddir_wd < 0) {
		w->live.piddir_wd = rs_watch_dir_of(w, w->live.pidfile,
		    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
		    IN_MOVED_FROM);
	} else if (!on && w->live.piddir_wd >= 0) {
		if (!rs_wd_shared(w, w->live.piddir_wd))
			inotify_rm_watch(w->ifd, w->live.piddir_wd);
		w->live.piddir_wd = -1;
	}
}

static void
pidfd_close(struct rs_watch *w)
{
	if (w->live.pidfd < 0)
		return;
	ev_io_stop(w->d->loop, &w->live.pidfd_io);
	close(w->live.pidfd);
	w->live.pidfd = -1;
}

static void
pidfd_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct rs_watch *w = io->data;

	/* Readable means it exited: no pidfd again for this pid. */
	pidfd_close(w);
	w->live.pid = 0;
	rs_live_check(w);
}

static void
poll_cb(struct ev_loop *loop, ev_timer *tm, int revents)
{
	rs_live_check(tm->data);
}

/* Opens a pidfd for the pid, or falls back to polling (said once). */
static void
pidfd_open(struct rs_watch *w, int pid)
{
	int fd;

	pidfd_close(w);
	if (!w->cfg.use_pidfd) {
		w->live.pidfd_works = false;
		return;
	}
	fd = xsmd_rs_pidfd_open(pid);
	if (fd < 0) {
		if (fd != -ESRCH) {
			w->live.pidfd_works = false;
			if (!w->live.warned_pidfd)
				log_info("rsyslog: no pidfd (%s): polling "
				    "rsyslogd every %.1fs", strerror(-fd),
				    rs_secs(w->cfg.liveness_interval_usec));
			w->live.warned_pidfd = true;
		}
		return;
	}
	w->live.pidfd = fd;
	w->live.pidfd_works = true;
	ev_io_set(&w->live.pidfd_io, fd, EV_READ);
	ev_io_start(w->d->loop, &w->live.pidfd_io);
}

/* Timers and watches for what is known now (see the top comment). */
static void
liveness_arm(struct rs_watch *w)
{
	struct xsm_rsyslog_view *v = rs_view(w);
	bool alive = v->proc == XSM_RSYSLOG_ALIVE;
	double poll = rs_secs(w->cfg.liveness_interval_usec);

	v->liveness = w->live.pidfd_works ? "pidfd" : "poll";
	if (alive && w->live.pidfd >= 0)
		poll = 0;
	else if (v->proc == XSM_RSYSLOG_NOT_FOUND && poll < NOT_FOUND_POLL_SEC)
		poll = NOT_FOUND_POLL_SEC;  /* inotify sees it come */
	/*
	 * Only while none is alive: the directory is /run on a dom0, where
	 * other daemons' files would wake us; an alive one is watched by its
	 * pidfd or the poll, which reads the pid file too.
	 */
	piddir_watch(w, !alive);
	if (poll == 0) {
		ev_timer_stop(w->d->loop, &w->live.poll_tm);
	} else if (!ev_is_active(&w->live.poll_tm) ||
	    w->live.poll_tm.repeat != poll) {
		w->live.poll_tm.repeat = poll;
		ev_timer_again(w->d->loop, &w->live.poll_tm);
	}
}

static void
set_alive(struct rs_watch *w, int pid, uint64_t starttime)
{
	struct xsm_rsyslog_view *v = rs_view(w);
	bool same = pid == w->live.pid && starttime == w->live.starttime;

	if (same && v->proc == XSM_RSYSLOG_ALIVE)
		return;
	if (!same && v->ever_alive) {
		v->restarts++;
		log_info("rsyslog: rsyslogd restarted, pid %d (was %d)", pid,
		    v->pid);
	}
	w->live.pid = v->pid = pid;
	w->live.starttime = starttime;
	v->started_at_usec = xsmd_rs_start_wall(starttime);
	v->proc = XSM_RSYSLOG_ALIVE;
	v->proc_why[0] = '\0';
	v->ever_alive = true;
	if (w->live.pidfd < 0 || !same)
		pidfd_open(w, pid);
	/* Prove the new one writes, soon rather than an interval away. */
	rs_canary_soon(w, RS_FIRST_CANARY_SEC);
}

static void
set_gone(struct rs_watch *w, const char *why)
{
	struct xsm_rsyslog_view *v = rs_view(w);

	pidfd_close(w);
	w->live.pid = 0;
	v->proc = v->ever_alive ? XSM_RSYSLOG_DEAD : XSM_RSYSLOG_NOT_FOUND;
	xsm_strlcpy(v->proc_why, why, sizeof(v->proc_why));
}

/*
 * The pid file in use: configured, or the first default that exists.
 * Returns false when none is configured and no default exists: then
 * rsyslogd is looked for in /proc (see find_unfiled).
 */
static bool
resolve_pidfile(struct rs_watch *w)
{
	const char *p = w->cfg.pidfile;
	bool found = p[0] != '\0';

	if (!found) {
		p = default_pidfiles[0];
		for (size_t i = 0; i < sizeof(default_pidfiles) /
		    sizeof(default_pidfiles[0]) && !found; i++) {
			if (access(default_pidfiles[i], F_OK) == 0) {
				p = default_pidfiles[i];
				found = true;
			}
		}
	}
	if (strcmp(p, w->live.pidfile) != 0) {
		piddir_watch(w, false);
		xsm_strlcpy(w->live.pidfile, p, sizeof(w->live.pidfile));
	}
	xsm_strlcpy(rs_view(w)->pidfile, found ? p : "",
	    sizeof(rs_view(w)->pidfile));
	return found;
}

/*
 * No pid file anywhere (Debian's rsyslog.service runs rsyslogd -iNONE):
 * the one already known if it still lives, else the oldest rsyslogd in
 * /proc. Returns its pid, or -ENOENT with why set.
 */
static int
find_unfiled(struct rs_watch *w, uint64_t *starttime, char *why, size_t size)
{
	struct xsm_proc_stat ps;
	int pid = w->live.pid;

	if (pid > 0 && xsmd_rs_proc_read(pid, &ps) == 0 &&
	    strcmp(ps.comm, "rsyslogd") == 0 && !xsm_proc_stat_dead(&ps) &&
	    ps.starttime == w->live.starttime) {
		*starttime = ps.starttime;
		return pid;
	}
	if ((pid = xsmd_rs_proc_find("rsyslogd", &ps)) > 0) {
		*starttime = ps.starttime;
		return pid;
	}
	snprintf(why, size, "no pid file (%s, ...) and no rsyslogd in /proc",
	    default_pidfiles[0]);
	return -ENOENT;
}

void
rs_live_check(struct rs_watch *w)
{
	struct xsm_proc_stat ps;
	char why[160];
	int pid, r;

	if (!resolve_pidfile(w)) {
		uint64_t starttime = 0;

		if ((pid = find_unfiled(w, &starttime, why, sizeof(why))) > 0)
			set_alive(w, pid, starttime);
		else
			set_gone(w, why);
		liveness_arm(w);
		rs_check(w);
		return;
	}
	pid = xsmd_rs_pidfile_read(w->live.pidfile);
	if (pid < 0) {
		snprintf(why, sizeof(why), "pid file %.100s: %s",
		    w->live.pidfile, strerror(-pid));
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


bool
rs_live_event(struct rs_watch *w, const struct inotify_event *ev)
{
	return ev->wd == w->live.piddir_wd &&
	    rs_event_names(ev, w->live.pidfile);
}

void
rs_live_init(struct rs_watch *w)
{
	memset(&w->live, 0, sizeof(w->live));
	w->live.pidfd = w->live.piddir_wd = -1;
	ev_init(&w->live.pidfd_io, pidfd_cb);
	ev_init(&w->live.poll_tm, poll_cb);
	w->live.pidfd_io.data = w->live.poll_tm.data = w;
}

void
rs_live_stop(struct rs_watch *w)
{
	pidfd_close(w);
	ev_timer_stop(w->d->loop, &w->live.poll_tm);
}
