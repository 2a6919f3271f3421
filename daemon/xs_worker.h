/* SPDX-License-Identifier: ISC */
/*
 * xs_worker.h: every blocking libxenstore call, on a thread of its own.
 *
 * libxenstore blocks forever in a request when xenstored hangs, so the
 * loop thread never makes one. It hands one job at a time to a worker
 * thread created for that job (it exits when done, so an idle xsmond has
 * no worker: main + libxenstore's watch reader = 2 threads). The result
 * comes back through an ev_async and a mutex-protected slot. A job that
 * never ends (SIGSTOPped xenstored) just keeps the slot busy: the loop
 * notices the deadline, says so, and accepts the late result.
 */
#ifndef XSMD_XS_WORKER_H
#define XSMD_XS_WORKER_H

#include <ev.h>

#define XSMD_LIBXENSTORE 1   /* see lib/xenstore.h */
#include <xenstore.h>

#include "xs_domain.h"

#define XSMD_XS_BATCH 64          /* domains per facts job */
#define XSMD_XS_LANES 4           /* connections reading one job's facts */

/* Two handles: requests (no watches, so no reader thread) and watches. */
struct xsmd_xs_conn {
	struct xs_handle *req;
	struct xs_handle *watch;
};

enum {
	XSMD_XS_CONNECT = 1u << 0,   /* open both handles, register watches */
	XSMD_XS_PROBE = 1u << 1,     /* time one read */
	XSMD_XS_LIST = 1u << 2,      /* list /local/domain */
	XSMD_XS_FACTS = 1u << 3,     /* read ids' facts */
	XSMD_XS_ENTRIES = 1u << 4,   /* count ids' nodes */
};

struct xsmd_xs_job {
	/* In. */
	unsigned flags;
	struct xsmd_xs_conn *conn;
	unsigned n_ids;
	uint32_t ids[XSMD_XS_BATCH];
	unsigned entries_cap;        /* stop counting a domain here */
	/* Out. */
	int err;                     /* errno of a failure that kills the handle */
	const char *err_op;
	int64_t probe_usec;          /* -1 when not probed */
	bool list_ok;
	unsigned n_list;
	uint32_t *list;              /* malloc'd domids, n_list */
	struct xsm_xs_facts facts[XSMD_XS_BATCH];
	int64_t entries[XSMD_XS_BATCH];
	unsigned requests;
	uint64_t usec;               /* the job's duration */
};

struct xsmd_xs_worker;

/* The slot; async is sent (from the worker) when a job is done. */
struct xsmd_xs_worker *xsmd_xs_worker_new(struct ev_loop *loop, ev_async *async);

/*
 * Starts job on a new detached thread. The worker owns job until it is
 * taken back. Returns 0, -EBUSY (one job at a time) or -errno.
 */
int xsmd_xs_worker_run(struct xsmd_xs_worker *w, struct xsmd_xs_job *job);

/* The finished job (the caller owns it again), or NULL. */
struct xsmd_xs_job *xsmd_xs_worker_take(struct xsmd_xs_worker *w);
bool xsmd_xs_worker_busy(struct xsmd_xs_worker *w);

/*
 * Frees the worker. With a job still running (a hung xenstored), the
 * thread is left to finish it: it then frees the job, closes conn and the
 * worker itself, and sends nothing. conn (may be NULL) becomes its.
 */
void xsmd_xs_worker_free(struct xsmd_xs_worker *w, struct xsmd_xs_conn *conn);

/* Closes both handles (NULL ones too) and frees conn. */
void xsmd_xs_conn_close(struct xsmd_xs_conn *conn);

/* Frees a job and its list. */
void xsmd_xs_job_free(struct xsmd_xs_job *job);

#endif
