/* SPDX-License-Identifier: ISC */
/*
 * state.h: xsmond's one state model.
 *
 * Every watcher ends in xsm_state_apply(): the check's status and reason
 * are set there, and a change of status becomes an edge in a bounded queue
 * that the daemon's publish step drains (log line, sd_notify STATUS, later
 * alerts). Details a watcher measures live in the per-check views below;
 * the watcher updates them and calls xsm_state_touch().
 */
#ifndef XSM_STATE_H
#define XSM_STATE_H

#include "logfs.h"
#include "nics.h"
#include "rsyslog.h"
#include "xenstore.h"
#include "xsm.h"

enum xsm_check_id {
	XSM_CHECK_LOGFS,
	XSM_CHECK_XENSTORE,
	XSM_CHECK_RSYSLOG,
	XSM_CHECK_NICS,
	XSM_CHECK__MAX
};

/* "logfs", "xenstore", "rsyslog", "nics". */
const char *xsm_check_name(enum xsm_check_id id);
/* Returns the id for a name, or -ENOENT. */
int xsm_check_lookup(const char *name);

#define XSM_REASON_MAX 256

struct xsm_check {
	bool present;             /* a watcher owns it; absent ones are not shown */
	enum xsm_status status;
	char reason[XSM_REASON_MAX];
	uint64_t since_usec;      /* wall clock when it entered this status */
	uint64_t updated_usec;    /* wall clock of the last evaluation */
	uint64_t transitions;     /* status changes since registration */
};

#define XSM_ALERT_EVENT_MAX 48
#define XSM_ALERT_SUBJECT_MAX 64
#define XSM_ALERT_FIGS 8
#define XSM_ALERT_FIG_KEY_MAX 32
#define XSM_ALERT_FIG_STR_MAX 64

/* A key figure (alert.h): a number, or a short string when is_num is false. */
struct xsm_alert_fig {
	char key[XSM_ALERT_FIG_KEY_MAX];
	bool is_num;
	double num;
	int decimals;             /* digits after the point, 0..3 */
	char str[XSM_ALERT_FIG_STR_MAX];
};

/*
 * A change of status of a check or of one of its items (an interface,
 * a domain), with all an alert needs (alert.h builds one from it).
 */
struct xsm_edge {
	uint64_t seq;             /* per-daemon sequence number, from 1 */
	enum xsm_check_id check;
	char event[XSM_ALERT_EVENT_MAX];     /* "xsmon.nic.carrier_lost" */
	char subject[XSM_ALERT_SUBJECT_MAX]; /* "" the check, "eth0", "domain 3" */
	enum xsm_status old_status;
	enum xsm_status new_status;
	uint64_t at_usec;         /* wall clock */
	char reason[XSM_REASON_MAX];
	bool renotify;            /* a reminder of an unresolved state */
	unsigned n_figs;
	struct xsm_alert_fig figs[XSM_ALERT_FIGS];
};

/*
 * Edges queued between two publish steps. An edge is ~1.4 KB (figures),
 * so the ring stays small (22 KB, resident once it has wrapped: xsmond's
 * idle PSS is ~1 MiB) and a burst (a resync finding every interface
 * changed, hundreds of domains released at once) is handed to edge_full,
 * which the daemon points at its publish step; only without one, or if
 * it takes nothing, is the oldest edge dropped and counted.
 */
#define XSM_EDGE_QUEUE 16

struct xsm_state {
	struct xsm_check checks[XSM_CHECK__MAX];
	uint64_t generation;      /* bumped on every change a reader could see */
	uint64_t edge_seq;        /* last sequence number handed out */
	struct xsm_edge edges[XSM_EDGE_QUEUE];
	unsigned edge_head;       /* oldest queued edge */
	unsigned edge_count;
	uint64_t edges_dropped;   /* queue overflows (oldest dropped) */
	/* Called when the queue is full, to drain it (may be NULL). */
	void (*edge_full)(void *arg);
	void *edge_full_arg;

	struct xsm_logfs_view logfs;
	struct xsm_nics_view nics;
	struct xsm_rsyslog_view rsyslog;
	struct xsm_xenstore_view xenstore;
};

/* Zeroes the state; no check is present. */
void xsm_state_init(struct xsm_state *st);

/* Makes a check present, unknown, reason "starting", since now. */
void xsm_state_register(struct xsm_state *st, enum xsm_check_id id,
    uint64_t now_usec);

/* Makes a check absent again (its watcher stopped). */
void xsm_state_unregister(struct xsm_state *st, enum xsm_check_id id);

/*
 * Sets a present check's status and reason at wall time now_usec.
 * Returns true when the status changed: since is reset and an edge is
 * queued (dropping the oldest edge when the queue is full). A new reason
 * with the same status bumps the generation but is not an edge. Applying
 * to an absent check does nothing and returns false.
 */
bool xsm_state_apply(struct xsm_state *st, enum xsm_check_id id,
    enum xsm_status status, const char *reason, uint64_t now_usec);

/* Marks details as changed (readers re-render). */
void xsm_state_touch(struct xsm_state *st);

/*
 * The overall status: the worst present check by xsm_status_rank(); ok
 * when none is present. If worst_id is not NULL it gets the id of the
 * check that decided it (or -1).
 */
enum xsm_status xsm_state_overall(const struct xsm_state *st, int *worst_id);

/*
 * Queues an edge for an item of a present check (a sub-item change: an
 * interface's or a domain's status, a domain introduced or released),
 * or a reminder. The caller fills check, subject, event, statuses,
 * reason, figures, at_usec and renotify; the seq is assigned here.
 * Returns the seq, or 0 when the check is absent (nothing queued).
 */
uint64_t xsm_state_item(struct xsm_state *st, const struct xsm_edge *e);

/* Takes the oldest queued edge into *out: 1 if there was one, else 0. */
int xsm_state_pop_edge(struct xsm_state *st, struct xsm_edge *out);

#endif
