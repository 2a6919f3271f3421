/* SPDX-License-Identifier: ISC */
/*
 * render.h: state snapshot to JSON with yajl. Each document is appended to
 * a caller buffer as one line ending in '\n' (the control protocol's
 * framing). Wire documents are built here from the state; internal
 * structs are never dumped as they are.
 */
#ifndef XSM_RENDER_H
#define XSM_RENDER_H

#include "state.h"
#include "xsm.h"

/* Daemon facts shown under "daemon". Strings may be NULL or "". */
struct xsm_daemon_view {
	int pid;
	const char *config_path;
	uint64_t config_loaded_usec;  /* wall clock */
	const char *config_error;     /* last rejected reload, or NULL */
	uint64_t reloads;             /* successful reloads */
	uint64_t reload_failures;
	uint64_t log_dropped;         /* syslog lines dropped (stalled syslog) */
	uint64_t alerts_sent;         /* alert datagrams sent to syslog */
	uint64_t alerts_dropped;      /* ... dropped (stalled or gone syslog) */
	uint64_t edges_dropped;       /* edges lost to a full queue */
	unsigned clients;             /* control clients connected now */
	uint64_t clients_refused;     /* over the cap or failing SO_PEERCRED */
	unsigned subscribers;         /* of clients, those streaming alerts */
	uint64_t subscribers_dropped; /* cut off as slow_subscriber */
};

struct xsm_render_info {
	const char *host;
	uint64_t now_usec;            /* wall clock: generated_at */
	uint64_t uptime_s;
	const struct xsm_daemon_view *daemon;
};

/*
 * The status document: schema, version, host, generated_at, uptime_s,
 * status, reason, checks{...} (present checks only, each with status,
 * reason, since and its summary details) and daemon{...}.
 * Returns 0, -ENOMEM, or -ENOBUFS when out's cap is hit.
 */
int xsm_render_status(const struct xsm_state *st,
    const struct xsm_render_info *ri, struct xsm_buf *out);

/*
 * Appends to out the status document body (as xsm_render_status made
 * it with ri->daemon NULL: one object ending in "}\n") with dv's
 * "daemon" object added as its last member: the same bytes that
 * xsm_render_status with ri->daemon = dv gives. The body can then be
 * cached while the daemon's counters, which change with every
 * connection, are always current. -EINVAL if body is not such a line.
 */
int xsm_render_status_daemon(const char *body, size_t len,
    const struct xsm_daemon_view *dv, struct xsm_buf *out);

/*
 * One check in full ("show CHECK"): the header fields of the status
 * document, then "check": name and the check's object with every detail
 * (for logfs the largest files and directories, growers and
 * deleted-but-open files). -ENOENT if the check is absent.
 */
int xsm_render_check(const struct xsm_state *st, enum xsm_check_id id,
    const struct xsm_render_info *ri, struct xsm_buf *out);

struct xsm_jsonw;
/*
 * The header every document starts with, into an open object: schema,
 * version, host, generated_at, uptime_s.
 */
void xsm_render_header(struct xsm_jsonw *w, const struct xsm_render_info *ri);

/* {"error":{"code":code,"message":message}} */
int xsm_render_error(const char *code, const char *message,
    struct xsm_buf *out);

/* {"schema":1,"version":...,"pong":true} for ping, or the version reply. */
int xsm_render_pong(struct xsm_buf *out);
int xsm_render_version(struct xsm_buf *out);

/* {"schema":1,"reload":"ok"} */
int xsm_render_reload_ok(struct xsm_buf *out);

/* {"schema":1,"version":...,"help":text} */
int xsm_render_help(const char *text, struct xsm_buf *out);

/*
 * The first line of an alert stream (the reply to "subscribe"):
 * {"schema":1,"version":...,"host":host,["run":run_id,]"subscribed":true,
 *  "seq":seq}, seq being the last alert published before the client
 * joined (0: none yet), so the first alert it gets has a greater one.
 * run_id may be NULL (left out). Returns 0, -ENOMEM or -ENOBUFS.
 */
int xsm_render_subscribed(const char *host, const char *run_id,
    uint64_t seq, struct xsm_buf *out);

#endif
