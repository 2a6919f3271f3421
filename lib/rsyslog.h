/* SPDX-License-Identifier: ISC */
/*
 * rsyslog.h: the rsyslog check's view in the state model: is rsyslogd
 * alive (pid file, /proc), is it writing (the canary), what its targets
 * look like, and its forwarding actions and queues (impstats).
 *
 * The watcher (daemon/watch_rsyslog.c) fills it; xsm_rsyslog_evaluate()
 * (rsyslog_eval.h) judges it; render_rsyslog.c shows it.
 */
#ifndef XSM_RSYSLOG_H
#define XSM_RSYSLOG_H

#include "xsm.h"

#define XSM_RSYSLOG_FILES_MAX 8     /* = XSM_PATHS_MAX */
#define XSM_RSYSLOG_PATH_MAX 256    /* = XSM_PATH_MAX */
#define XSM_RSYSLOG_NAME_MAX 64     /* action or queue name kept */
#define XSM_RSYSLOG_ACTIONS_MAX 16
#define XSM_RSYSLOG_QUEUES_MAX 16
#define XSM_RSYSLOG_TOKEN_MAX 40

/* What the pid file and /proc say about rsyslogd. */
enum xsm_rsyslog_proc {
	XSM_RSYSLOG_NOT_FOUND,  /* no pid file, and never seen alive */
	XSM_RSYSLOG_ALIVE,
	XSM_RSYSLOG_DEAD,       /* gone, a zombie, another program, no pid file */
};

enum xsm_canary_state {
	XSM_CANARY_NONE,        /* none sent yet */
	XSM_CANARY_PENDING,     /* sent, not yet in every target */
	XSM_CANARY_DELIVERED,   /* in every target */
	XSM_CANARY_LATE,        /* not in every target within canary_timeout */
	XSM_CANARY_UNSENT,      /* the syslog socket refused it */
};

/* "none", "pending", "delivered", "late", "unsent". */
const char *xsm_canary_state_name(enum xsm_canary_state s);

struct xsm_rsyslog_canary {
	enum xsm_canary_state state;
	char token[XSM_RSYSLOG_TOKEN_MAX];
	uint64_t seq;
	uint64_t last_sent_usec;    /* wall; 0 = never */
	uint64_t last_seen_usec;    /* wall, the last canary found in all targets */
	int64_t latency_ms;         /* of the last delivered one; -1 = none */
	int send_errno;             /* when unsent */
	uint64_t sent, delivered, late, unsent;
	char missing[XSM_RSYSLOG_PATH_MAX]; /* a target still without it */
};

struct xsm_rsyslog_file {
	char path[XSM_RSYSLOG_PATH_MAX];
	int error;                  /* 0, or the errno of stat (ENOENT) */
	uint64_t size;
	uint64_t mtime_usec;        /* wall clock of its last write */
	int64_t age_s;              /* as of the last evaluation */
};

/* One named action's impstats counters (origin core.action). */
struct xsm_rsyslog_action {
	char name[XSM_RSYSLOG_NAME_MAX];
	uint64_t processed, failed, suspended, suspended_duration, resumed;
	/* Deltas of the last update (a counter that went down: its value). */
	uint64_t d_processed, d_failed, d_suspended, d_resumed;
	unsigned suspended_streak;  /* updates in a row with suspended > resumed */
	uint64_t updates;
};

/* One queue's impstats counters (origin core.queue). */
struct xsm_rsyslog_queue {
	char name[XSM_RSYSLOG_NAME_MAX];
	uint64_t size, enqueued, full, discarded_full, discarded_nf, maxqsize;
	int64_t d_size;
	uint64_t d_enqueued, d_full, d_discarded_full, d_discarded_nf;
	unsigned stuck_streak;      /* updates in a row non-empty, not shrinking */
	uint64_t updates;
};

/* Counters of every action and queue seen in the impstats file. */
struct xsm_rsyslog_stats {
	unsigned n_actions;
	struct xsm_rsyslog_action actions[XSM_RSYSLOG_ACTIONS_MAX];
	unsigned n_queues;
	struct xsm_rsyslog_queue queues[XSM_RSYSLOG_QUEUES_MAX];
	uint64_t lines;             /* lines parsed */
	uint64_t parse_errors;      /* garbage lines skipped */
	uint64_t too_long;          /* lines over the cap, skipped (also errors) */
	uint64_t resets;            /* counters that went down (rsyslogd restart) */
	uint64_t names_dropped;     /* updates for names over the table caps */
};

struct xsm_rsyslog_view {
	char pidfile[XSM_RSYSLOG_PATH_MAX]; /* in use, "" when none found */
	enum xsm_rsyslog_proc proc;
	char proc_why[160];         /* why dead: "pid 12 exited", ... */
	bool ever_alive;
	int pid;                    /* last seen alive; 0 = none */
	uint64_t started_at_usec;   /* wall; its start from /proc */
	uint64_t restarts;          /* new pid or start time seen */
	const char *liveness;       /* "pidfd" or "poll" (static strings) */
	char syslog_socket[XSM_RSYSLOG_PATH_MAX];

	struct xsm_rsyslog_canary canary;

	unsigned n_files;
	struct xsm_rsyslog_file files[XSM_RSYSLOG_FILES_MAX];

	char impstats[XSM_RSYSLOG_PATH_MAX]; /* "" = not read */
	int impstats_error;         /* errno of its stat, 0 */
	uint64_t impstats_mtime_usec;
	int64_t impstats_age_s;     /* as of the last evaluation */
	struct xsm_rsyslog_stats stats;

	uint64_t bytes_read;        /* from targets and stats file, all told */
	uint64_t log_dropped;       /* xsmond's own syslog lines dropped */
	uint64_t evaluated_usec;    /* wall clock of the last evaluation */
};

#endif
