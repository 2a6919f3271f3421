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

struct xsm_edge {
	uint64_t seq;             /* per-daemon sequence number, from 1 */
	enum xsm_check_id check;
	enum xsm_status old_status;
	enum xsm_status new_status;
	uint64_t at_usec;         /* wall clock */
	char reason[XSM_REASON_MAX];
};

#define XSM_EDGE_QUEUE 64

struct xsm_state {
	struct xsm_check checks[XSM_CHECK__MAX];
	uint64_t generation;      /* bumped on every change a reader could see */
	uint64_t edge_seq;        /* last sequence number handed out */
	struct xsm_edge edges[XSM_EDGE_QUEUE];
	unsigned edge_head;       /* oldest queued edge */
	unsigned edge_count;
	uint64_t edges_dropped;   /* queue overflows (oldest dropped) */

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

/* Takes the oldest queued edge into *out: 1 if there was one, else 0. */
int xsm_state_pop_edge(struct xsm_state *st, struct xsm_edge *out);

#endif
