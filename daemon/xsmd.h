/* SPDX-License-Identifier: ISC */
/*
 * xsmd.h: xsmond's owning context. One struct xsmd owns the loop, the
 * active config, the state model, the control socket and the watchers.
 */
#ifndef XSMD_H
#define XSMD_H

#include <sys/socket.h>
#include <ev.h>

#include "config.h"
#include "proto.h"
#include "render.h"
#include "state.h"
#include "xsm.h"

struct xsmd;
struct xsmd_control;
struct xsmd_alerts;
struct xsmd_textfile;

/*
 * A watcher: start() registers its check and its event sources, stop()
 * releases everything, reload() adapts to a new config (d->cfg is already
 * the new one; old is the previous). Every watcher feeds the state model
 * through xsm_state_apply() only: watchers never call each other or the
 * control code.
 */
struct xsmd_watcher_ops {
	const char *name;
	int (*start)(struct xsmd *d, void **priv);
	void (*stop)(struct xsmd *d, void *priv);
	int (*reload)(struct xsmd *d, void *priv, const struct xsm_config *old);
};

struct xsmd_watcher {
	const struct xsmd_watcher_ops *ops;
	void *priv;
	bool running;
};

#define XSMD_MAX_WATCHERS 8

struct xsmd {
	struct ev_loop *loop;

	/* Options. */
	const char *config_path;
	bool config_optional;         /* the default path: absent = defaults */
	const char *socket_override;  /* -s */
	bool foreground;              /* -d */

	/* Active config and what happened to the last reload. */
	struct xsm_config cfg;
	uint64_t config_loaded_usec;
	char config_error[256];       /* "" when the last reload was good */
	uint64_t reloads;
	uint64_t reload_failures;

	struct xsm_state state;
	char hostname[256];
	uint64_t started_mono_usec;

	struct xsmd_control *control;
	struct xsmd_alerts *alerts;   /* alerts.c */
	struct xsmd_textfile *textfile; /* textfile.c */
	struct xsmd_watcher watchers[XSMD_MAX_WATCHERS];
	unsigned n_watchers;

	/* Signals, the publish step and the systemd watchdog. */
	ev_signal sig_term;
	ev_signal sig_int;
	ev_signal sig_hup;
	ev_prepare publish;
	ev_timer watchdog;
	uint64_t published_generation;
	bool ready_sent;
	char sd_status[512];          /* last STATUS= sent */

	/* Rendered status, reused while neither state nor second changed. */
	struct xsm_buf status_cache;
	uint64_t status_cache_gen;
	uint64_t status_cache_sec;

	/* The same for the domains document. */
	struct xsm_buf domains_cache;
	uint64_t domains_cache_gen;
	uint64_t domains_cache_sec;
};

/* Sets up, runs the loop until SIGTERM/SIGINT, tears down (loop.c). */
int xsmd_run(struct xsmd *d);

/* Clocks, in microseconds. */
uint64_t xsmd_now_mono(void);
uint64_t xsmd_now_wall(void);

/* The watchers: watch_logfs.c, watch_xenstore.c, watch_rsyslog.c, watch_nics.c. */
extern const struct xsmd_watcher_ops xsmd_watch_logfs_ops;
extern const struct xsmd_watcher_ops xsmd_watch_xenstore_ops;
extern const struct xsmd_watcher_ops xsmd_watch_rsyslog_ops;
extern const struct xsmd_watcher_ops xsmd_watch_nics_ops;

/*
 * Reads and parses path into *out. When optional (the default path, not
 * one named with -f) and the file does not exist, *out gets the defaults.
 * Every error is printed (print_errors: stderr) or logged as
 * "file:line: message" and the first is kept in first_err. Returns 0 or
 * -EINVAL / -errno.
 */
int xsmd_config_load(const char *path, bool optional, struct xsm_config *out,
    char *first_err, size_t first_err_size, bool print_errors);

/*
 * Reload as a transaction: parse the file into a fresh config; on error
 * keep the old one, record the error (status and log) and return it;
 * on success swap it in and tell each watcher and the control socket.
 */
int xsmd_reload(struct xsmd *d);

/*
 * Builds the reply to one parsed request from in-memory state only, and
 * appends it to out (one JSON line). peer is the client's SO_PEERCRED.
 */
void xsmd_dispatch(struct xsmd *d, const struct xsm_request *req,
    const struct ucred *peer, struct xsm_buf *out);

/* Fills the daemon facts for rendering. */
void xsmd_daemon_view(struct xsmd *d, struct xsm_daemon_view *dv);

/*
 * The control socket (control.c). start binds (or takes systemd's
 * socket), stop closes every client and removes the socket file when it
 * made it. clients/refused feed the daemon view.
 */
int xsmd_control_start(struct xsmd *d);
void xsmd_control_stop(struct xsmd *d);
int xsmd_control_reload(struct xsmd *d, const struct xsm_config *old);
unsigned xsmd_control_clients(const struct xsmd *d);
const char *xsmd_control_path(const struct xsmd *d);
uint64_t xsmd_control_refused(const struct xsmd *d);
/* Subscribers streaming now; *dropped gets those cut off as slow. */
unsigned xsmd_control_subscribers(const struct xsmd *d, uint64_t *dropped);

/*
 * Queues one NDJSON alert line (len bytes, its '\n' included) to every
 * subscriber (control_sub.c); the publish step calls it once per alert,
 * in seq order. Never blocks and never grows memory past each
 * subscriber's cap: a subscriber that falls behind is cut off with a
 * slow_subscriber error line instead.
 */
void xsmd_control_broadcast(struct xsmd *d, const char *line, size_t len);

/*
 * For the subscribe acknowledgement (alerts.c): the seq of the last
 * alert published (0 before the first), and this run's id (NULL if
 * none), so a subscriber knows where it joins.
 */
uint64_t xsmd_alerts_seq(const struct xsmd *d);
const char *xsmd_alerts_run(const struct xsmd *d);

/*
 * Alerts (alerts.c): start picks this run's id and opens nothing yet
 * (the socket is connected on the first alert); reload follows [alerts];
 * stop frees everything. publish turns one edge into one alert: the
 * NDJSON line to every subscriber, and, when [alerts] is enabled, the
 * syslog datagram; it returns true when that datagram stands in for the
 * edge's log line. counts: datagrams sent, and dropped (socket full or
 * gone, never queued).
 */
int xsmd_alerts_start(struct xsmd *d);
void xsmd_alerts_reload(struct xsmd *d);
void xsmd_alerts_stop(struct xsmd *d);
bool xsmd_alerts_publish(struct xsmd *d, const struct xsm_edge *e);
void xsmd_alerts_counts(const struct xsmd *d, uint64_t *sent,
    uint64_t *dropped);

/* textfile.c: [metrics] textfile_dir kept up to date on change. */
int xsmd_textfile_start(struct xsmd *d);
void xsmd_textfile_changed(struct xsmd *d);
void xsmd_textfile_stop(struct xsmd *d);

/* memory.c: glibc malloc tuned for a small idle heap; giving it back. */
void xsmd_memory_tune(void);
void xsmd_memory_release(void);

/* systemd glue (sd.c): every call is a no-op outside systemd. */
void xsmd_sd_ready(struct xsmd *d);
void xsmd_sd_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xsmd_sd_reloading(void);
void xsmd_sd_stopping(void);
void xsmd_sd_watchdog_start(struct xsmd *d);
/* Returns a listening fd passed by systemd, or -1. */
int xsmd_sd_listen_fd(void);

#endif
