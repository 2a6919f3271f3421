/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_watch.h: internal to the rsyslog watcher. watch_rsyslog.c runs
 * the canary, the files and impstats; rsyslog_live.c says whether
 * rsyslogd is alive (pid file, /proc, pidfd or polling, restarts). Both
 * share one inotify fd and one evaluation step, declared here.
 */
#ifndef XSMD_RSYSLOG_WATCH_H
#define XSMD_RSYSLOG_WATCH_H

#include <sys/inotify.h>

#include "rsyslog_io.h"
#include "xsmd.h"

#define RS_FIRST_CANARY_SEC 1.0     /* after start, or a restart seen */

/* Liveness: what rsyslog_live.c knows of rsyslogd. */
struct rs_live {
	char pidfile[XSM_PATH_MAX];     /* in use */
	int pid;                        /* 0 = none alive known */
	uint64_t starttime;
	int pidfd;
	ev_io pidfd_io;
	ev_timer poll_tm;
	bool pidfd_works;
	int piddir_wd;                  /* on the pid file's directory, or -1 */
	bool warned_pidfd;
};

struct rs_target {
	struct xsmd_rs_follow f;
	int dir_wd;
	bool seen;
};

struct rs_watch {
	struct xsmd *d;
	struct xsm_rsyslog_cfg cfg;     /* the config this runs with */

	struct rs_live live;

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

/* --- watch_rsyslog.c ----------------------------------------------------- */

struct xsm_rsyslog_view *rs_view(struct rs_watch *w);
double rs_secs(uint64_t usec);
/* Samples the files, judges, applies to the state model. */
void rs_check(struct rs_watch *w);
/* The next canary in sec, then every canary_interval. */
void rs_canary_soon(struct rs_watch *w, double sec);
/* A watch on path's directory (masks add up on a shared one), or -1. */
int rs_watch_dir_of(struct rs_watch *w, const char *path, uint32_t mask);
/* Is wd also a target's or the stats file's directory watch? */
bool rs_wd_shared(struct rs_watch *w, int wd);
/* Does the event name path's last component? */
bool rs_event_names(const struct inotify_event *ev, const char *path);

/* --- rsyslog_live.c ------------------------------------------------------ */

/* Before the first rs_live_check: nothing open, nothing armed. */
void rs_live_init(struct rs_watch *w);
/* Reads the pid file and /proc, records what changed, re-arms, judges. */
void rs_live_check(struct rs_watch *w);
/* Is this inotify event about the pid file? */
bool rs_live_event(struct rs_watch *w, const struct inotify_event *ev);
/* Closes the pidfd and stops the poll (the inotify fd is the caller's). */
void rs_live_stop(struct rs_watch *w);

#endif
