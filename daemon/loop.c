/* SPDX-License-Identifier: ISC */
/*
 * loop.c: the one event loop. Signals arrive as ev_signal watchers (no
 * work in signal handlers); once per iteration the publish step turns
 * state edges into log lines and sd_notify STATUS.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xsmd.h"

/* Each watcher, its check, and where its "enabled" key lives. */
static const struct {
	const struct xsmd_watcher_ops *ops;
	enum xsm_check_id check;
	size_t enabled_off;
} watcher_table[] = {
	{ &xsmd_watch_logfs_ops, XSM_CHECK_LOGFS,
	    offsetof(struct xsm_config, logfs.enabled) },
	{ &xsmd_watch_xenstore_ops, XSM_CHECK_XENSTORE,
	    offsetof(struct xsm_config, xenstore.enabled) },
	{ &xsmd_watch_rsyslog_ops, XSM_CHECK_RSYSLOG,
	    offsetof(struct xsm_config, rsyslog.enabled) },
	{ &xsmd_watch_nics_ops, XSM_CHECK_NICS,
	    offsetof(struct xsm_config, nics.enabled) },
};

static bool
watcher_enabled(const struct xsmd *d, unsigned i)
{
	return *(const bool *)((const char *)&d->cfg +
	    watcher_table[i].enabled_off);
}

static void
watcher_start(struct xsmd *d, unsigned i)
{
	struct xsmd_watcher *wt = &d->watchers[i];

	/* A watcher that cannot start leaves its check unknown with a
	 * reason; the daemon itself keeps running. */
	if (wt->ops->start(d, &wt->priv) < 0)
		log_warnx("%s: watcher failed to start", wt->ops->name);
	else
		wt->running = true;
}

/* Stopped and its check gone from the status: the admin turned it off. */
static void
watcher_disable(struct xsmd *d, unsigned i)
{
	struct xsmd_watcher *wt = &d->watchers[i];

	if (wt->running)
		wt->ops->stop(d, wt->priv);
	wt->priv = NULL;
	wt->running = false;
	xsm_state_unregister(&d->state, watcher_table[i].check);
}

uint64_t
xsmd_now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * XSM_USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
xsmd_now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * XSM_USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * Log edges, never levels: one line when a check changes status. Every
 * edge is an alert too; sent to syslog, the alert is that line (one
 * message per change, not two), but for -d, where the line goes to
 * stderr. Item edges (interfaces, domains) are alerts only.
 */
static void
publish_edges(struct xsmd *d)
{
	struct xsm_edge e;

	while (xsm_state_pop_edge(&d->state, &e)) {
		const char *name = xsm_check_name(e.check);

		if (xsmd_alerts_publish(d, &e) && !d->foreground)
			continue;
		if (e.subject[0] != '\0' || e.renotify)
			continue;
		if (e.new_status == XSM_OK)
			log_notice("%s: %s -> ok: %s", name,
			    xsm_status_name(e.old_status), e.reason);
		else
			log_warnx("%s: %s -> %s: %s", name,
			    xsm_status_name(e.old_status),
			    xsm_status_name(e.new_status), e.reason);
	}
}

/* The edge queue is full in the middle of a burst: publish it now. */
static void
edges_full(void *arg)
{
	publish_edges(arg);
}

/* STATUS= only when the one-line summary itself changes. */
static void
publish_status(struct xsmd *d)
{
	char line[512];
	int worst;
	enum xsm_status st = xsm_state_overall(&d->state, &worst);

	if (d->config_error[0] != '\0')
		snprintf(line, sizeof(line), "%s; reload failed: %s",
		    xsm_status_name(st), d->config_error);
	else if (worst < 0)
		snprintf(line, sizeof(line), "ok: all checks ok");
	else
		snprintf(line, sizeof(line), "%s: %s: %s", xsm_status_name(st),
		    xsm_check_name(worst), d->state.checks[worst].reason);
	if (strcmp(line, d->sd_status) == 0)
		return;
	xsm_strlcpy(d->sd_status, line, sizeof(d->sd_status));
	xsmd_sd_status("%s", line);
}

static void
publish_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct xsmd *d = w->data;

	if (d->state.generation == d->published_generation)
		return;
	d->published_generation = d->state.generation;
	publish_edges(d);
	publish_status(d);
	xsmd_textfile_changed(d);
	xsmd_sd_ready(d);
}

static void
stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	log_info("received signal %d, stopping", w->signum);
	ev_break(loop, EVBREAK_ALL);
}

static void
hup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	xsmd_reload(w->data);
}

/*
 * A watcher that cannot take the new config is stopped, so nothing half
 * set up stays armed; the next good reload starts it again. Its check
 * stays present as unknown with the reason, so the failure is visible.
 */
static void
watchers_reload(struct xsmd *d, const struct xsm_config *old)
{
	for (unsigned i = 0; i < d->n_watchers; i++) {
		struct xsmd_watcher *wt = &d->watchers[i];

		if (!watcher_enabled(d, i)) {
			watcher_disable(d, i);
			continue;
		}
		if (!wt->running) {
			watcher_start(d, i);
			continue;
		}
		if (wt->ops->reload == NULL || wt->ops->reload(d, wt->priv, old) == 0)
			continue;
		log_warnx("%s: reload failed, watcher stopped", wt->ops->name);
		wt->ops->stop(d, wt->priv);
		wt->priv = NULL;
		wt->running = false;
	}
}

int
xsmd_reload(struct xsmd *d)
{
	struct xsm_config fresh, old;
	char first[256];
	int r;

	xsmd_sd_reloading();
	r = xsmd_config_load(d->config_path, d->config_optional, &fresh, first,
	    sizeof(first), false);
	if (r < 0) {
		/* Transaction: the running config stays as it was. */
		xsm_strlcpy(d->config_error, first, sizeof(d->config_error));
		d->reload_failures++;
		log_warnx("reload rejected, keeping the running config: %s", first);
	} else {
		old = d->cfg;
		d->cfg = fresh;
		d->config_error[0] = '\0';
		d->config_loaded_usec = xsmd_now_wall();
		d->reloads++;
		xsmd_control_reload(d, &old);
		xsmd_alerts_reload(d);
		watchers_reload(d, &old);
		log_info("configuration reloaded from %s", d->config_path);
	}
	xsm_state_touch(&d->state);
	d->ready_sent = false;  /* READY=1 again after RELOADING=1 */
	return r;
}

static void
watchers_start(struct xsmd *d)
{
	size_t n = sizeof(watcher_table) / sizeof(watcher_table[0]);

	for (unsigned i = 0; i < n && i < XSMD_MAX_WATCHERS; i++) {
		d->watchers[d->n_watchers++].ops = watcher_table[i].ops;
		if (watcher_enabled(d, i))
			watcher_start(d, i);
	}
}

static void
watchers_stop(struct xsmd *d)
{
	for (unsigned i = d->n_watchers; i-- > 0;) {
		struct xsmd_watcher *wt = &d->watchers[i];

		if (wt->running)
			wt->ops->stop(d, wt->priv);
		wt->running = false;
	}
	d->n_watchers = 0;
}

static void
signals_start(struct xsmd *d)
{
	ev_signal_init(&d->sig_term, stop_cb, SIGTERM);
	ev_signal_init(&d->sig_int, stop_cb, SIGINT);
	ev_signal_init(&d->sig_hup, hup_cb, SIGHUP);
	d->sig_hup.data = d;
	ev_signal_start(d->loop, &d->sig_term);
	ev_signal_start(d->loop, &d->sig_int);
	ev_signal_start(d->loop, &d->sig_hup);
}

int
xsmd_run(struct xsmd *d)
{
	d->loop = ev_default_loop(EVFLAG_AUTO);
	if (d->loop == NULL) {
		log_warnx("cannot initialise the event loop");
		return -ENOMEM;
	}
	xsm_state_init(&d->state);
	d->state.edge_full = edges_full;
	d->state.edge_full_arg = d;
	xsm_buf_init(&d->status_cache, 0);
	xsm_buf_init(&d->domains_cache, 0);
	d->started_mono_usec = xsmd_now_mono();
	d->config_loaded_usec = xsmd_now_wall();
	if (gethostname(d->hostname, sizeof(d->hostname)) < 0)
		xsm_strlcpy(d->hostname, "unknown", sizeof(d->hostname));
	d->hostname[sizeof(d->hostname) - 1] = '\0';

	if (xsmd_control_start(d) < 0) {
		log_warnx("cannot open the control socket, not starting");
		return -EIO;
	}
	if (xsmd_alerts_start(d) < 0)
		log_warnx("cannot set up alerts, running without them");
	if (xsmd_textfile_start(d) < 0)
		log_warnx("cannot set up the metrics textfile, running without it");
	signals_start(d);
	ev_prepare_init(&d->publish, publish_cb);
	d->publish.data = d;
	ev_prepare_start(d->loop, &d->publish);
	watchers_start(d);
	xsmd_sd_watchdog_start(d);
	/* Watchers evaluate synchronously in start(): this is after the first
	 * full evaluation, even when no check could register. */
	xsmd_sd_ready(d);
	log_info("xsmond %s started (config %s)", XSM_VERSION, d->config_path);

	ev_run(d->loop, 0);

	xsmd_sd_stopping();
	watchers_stop(d);
	publish_edges(d);       /* the last changes still go out */
	xsmd_textfile_stop(d);
	xsmd_alerts_stop(d);
	xsmd_control_stop(d);
	xsm_buf_free(&d->status_cache);
	xsm_buf_free(&d->domains_cache);
	ev_loop_destroy(d->loop);
	log_info("stopped");
	return 0;
}
