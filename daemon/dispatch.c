/* SPDX-License-Identifier: ISC */
/*
 * dispatch.c: one parsed request in, one JSON line out, from memory only.
 * The status document, but for its daemon counters, is cached per
 * (state generation, second) so a burst of queries renders it once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "render_xenstore.h"
#include "xsmd.h"

void
xsmd_daemon_view(struct xsmd *d, struct xsm_daemon_view *dv)
{
	memset(dv, 0, sizeof(*dv));
	dv->pid = (int)getpid();
	dv->config_path = d->config_path;
	dv->config_loaded_usec = d->config_loaded_usec;
	dv->config_error = d->config_error;
	dv->reloads = d->reloads;
	dv->reload_failures = d->reload_failures;
	dv->log_dropped = log_dropped();
	xsmd_alerts_counts(d, &dv->alerts_sent, &dv->alerts_dropped);
	dv->edges_dropped = d->state.edges_dropped;
	dv->clients = xsmd_control_clients(d);
	dv->clients_refused = xsmd_control_refused(d);
	dv->subscribers = xsmd_control_subscribers(d, &dv->subscribers_dropped);
}

static void
render_info(struct xsmd *d, struct xsm_render_info *ri,
    struct xsm_daemon_view *dv)
{
	xsmd_daemon_view(d, dv);
	ri->host = d->hostname;
	ri->now_usec = xsmd_now_wall();
	ri->uptime_s = (xsmd_now_mono() - d->started_mono_usec) / XSM_USEC_PER_SEC;
	ri->daemon = dv;
}

static int
reply_status(struct xsmd *d, struct xsm_buf *out)
{
	struct xsm_render_info ri;
	struct xsm_daemon_view dv;
	uint64_t sec;
	int r;

	render_info(d, &ri, &dv);
	sec = ri.now_usec / XSM_USEC_PER_SEC;
	/* The daemon object is left out of the cache and added to every
	 * reply: its client and subscriber counts change with every
	 * connection, and a count a second old misleads whoever just
	 * connected or subscribed. */
	ri.daemon = NULL;
	if (d->status_cache.len == 0 || d->status_cache_gen != d->state.generation ||
	    d->status_cache_sec != sec) {
		xsm_buf_reset(&d->status_cache);
		r = xsm_render_status(&d->state, &ri, &d->status_cache);
		if (r < 0)
			return r;
		d->status_cache_gen = d->state.generation;
		d->status_cache_sec = sec;
	}
	return xsm_render_status_daemon(d->status_cache.data,
	    d->status_cache.len, &dv, out);
}

/*
 * The domains document, cached like status: with 1000 domains it is the
 * largest reply, and a monitoring loop may ask for it every second.
 */
static int
reply_domains(struct xsmd *d, struct xsm_buf *out)
{
	struct xsm_render_info ri;
	struct xsm_daemon_view dv;
	uint64_t sec;
	int r;

	if (!d->state.checks[XSM_CHECK_XENSTORE].present)
		return xsm_render_error(XSM_ECODE_NO_CHECK,
		    "the xenstore check is not running", out);
	render_info(d, &ri, &dv);
	sec = ri.now_usec / XSM_USEC_PER_SEC;
	if (d->domains_cache.len == 0 ||
	    d->domains_cache_gen != d->state.generation ||
	    d->domains_cache_sec != sec) {
		xsm_buf_reset(&d->domains_cache);
		r = xsm_render_domains(&d->state, &ri, &d->domains_cache);
		if (r < 0) {
			xsm_buf_reset(&d->domains_cache);
			return r;
		}
		d->domains_cache_gen = d->state.generation;
		d->domains_cache_sec = sec;
	}
	return xsm_buf_append(out, d->domains_cache.data, d->domains_cache.len);
}

static int
reply_show(struct xsmd *d, const char *name, struct xsm_buf *out)
{
	struct xsm_render_info ri;
	struct xsm_daemon_view dv;
	char msg[96];
	int id = xsm_check_lookup(name);

	if (id < 0 || !d->state.checks[id].present) {
		snprintf(msg, sizeof(msg), "no such check: %s", name);
		return xsm_render_error(XSM_ECODE_NO_CHECK, msg, out);
	}
	render_info(d, &ri, &dv);
	return xsm_render_check(&d->state, id, &ri, out);
}

static int
reply_reload(struct xsmd *d, const struct ucred *peer, struct xsm_buf *out)
{
	if (peer->uid != 0)
		return xsm_render_error(XSM_ECODE_FORBIDDEN,
		    "reload needs uid 0", out);
	log_info("reload requested over the control socket (pid %d)",
	    (int)peer->pid);
	if (xsmd_reload(d) < 0)
		return xsm_render_error(XSM_ECODE_RELOAD, d->config_error, out);
	return xsm_render_reload_ok(out);
}

void
xsmd_dispatch(struct xsmd *d, const struct xsm_request *req,
    const struct ucred *peer, struct xsm_buf *out)
{
	int r = 0;

	switch (req->type) {
	case XSM_REQ_STATUS:
		r = reply_status(d, out);
		break;
	case XSM_REQ_SHOW:
		r = reply_show(d, req->arg, out);
		break;
	case XSM_REQ_PING:
		r = xsm_render_pong(out);
		break;
	case XSM_REQ_VERSION:
		r = xsm_render_version(out);
		break;
	case XSM_REQ_RELOAD:
		r = reply_reload(d, peer, out);
		break;
	case XSM_REQ_HELP:
		r = xsm_render_help(xsm_proto_help(), out);
		break;
	case XSM_REQ_DOMAINS:
		r = reply_domains(d, out);
		break;
	case XSM_REQ_SUBSCRIBE:
		/* The connection's business: control_conn.c answers it. */
		r = -EINVAL;
		break;
	}
	/* -ENOBUFS: the client's output cap; control.c drops that client. */
	if (r < 0 && r != -ENOBUFS)
		xsm_render_error(XSM_ECODE_INTERNAL, strerror(-r), out);
}
