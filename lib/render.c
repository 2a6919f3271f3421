/* SPDX-License-Identifier: ISC */
/*
 * render.c: status documents. The wire shape is documented in README.md
 * ("Status JSON"); a check's object always starts with the same header
 * fields so clients can show any check, known to them or not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "render.h"
#include "render_logfs.h"
#include "render_nics.h"
#include "render_rsyslog.h"
#include "render_xenstore.h"

void
xsm_render_header(struct xsm_jsonw *w, const struct xsm_render_info *ri)
{
	xsm_jsonw_ku64(w, "schema", XSM_SCHEMA);
	xsm_jsonw_kstr(w, "version", XSM_VERSION);
	xsm_jsonw_kstr(w, "host", ri->host);
	xsm_jsonw_ktime(w, "generated_at", ri->now_usec);
	xsm_jsonw_ku64(w, "uptime_s", ri->uptime_s);
}

static void
render_check_header(struct xsm_jsonw *w, const struct xsm_check *c,
    uint64_t now_usec)
{
	uint64_t age = now_usec > c->since_usec ? now_usec - c->since_usec : 0;

	xsm_jsonw_kstr(w, "status", xsm_status_name(c->status));
	xsm_jsonw_kstr(w, "reason", c->reason);
	xsm_jsonw_ktime(w, "since", c->since_usec);
	xsm_jsonw_ku64(w, "since_age_s", age / XSM_USEC_PER_SEC);
	xsm_jsonw_ktime(w, "updated", c->updated_usec);
	xsm_jsonw_ku64(w, "transitions", c->transitions);
}

/* One check's object; full adds what only "show CHECK" carries. */
static void
render_check(struct xsm_jsonw *w, const struct xsm_state *st,
    enum xsm_check_id id, const struct xsm_render_info *ri, bool full)
{
	xsm_jsonw_open(w);
	render_check_header(w, &st->checks[id], ri->now_usec);
	switch (id) {
	case XSM_CHECK_LOGFS:
		xsm_render_logfs(w, &st->logfs, full);
		break;
	case XSM_CHECK_NICS:
		xsm_render_nics(w, &st->nics, full);
		break;
	case XSM_CHECK_RSYSLOG:
		xsm_render_rsyslog(w, &st->rsyslog, full);
		break;
	case XSM_CHECK_XENSTORE:
		xsm_render_xenstore(w, &st->xenstore, full);
		break;
	default:
		break;
	}
	xsm_jsonw_close(w);
}

static void
render_daemon(struct xsm_jsonw *w, const struct xsm_daemon_view *dv)
{
	xsm_jsonw_open(w);
	xsm_jsonw_ki64(w, "pid", dv->pid);
	xsm_jsonw_kstr(w, "config", dv->config_path);
	xsm_jsonw_ktime(w, "config_loaded", dv->config_loaded_usec);
	xsm_jsonw_kstr(w, "config_error",
	    dv->config_error != NULL && dv->config_error[0] != '\0' ?
	    dv->config_error : NULL);
	xsm_jsonw_ku64(w, "reloads", dv->reloads);
	xsm_jsonw_ku64(w, "reload_failures", dv->reload_failures);
	xsm_jsonw_ku64(w, "log_dropped", dv->log_dropped);
	xsm_jsonw_ku64(w, "alerts_sent", dv->alerts_sent);
	xsm_jsonw_ku64(w, "alerts_dropped", dv->alerts_dropped);
	xsm_jsonw_ku64(w, "edges_dropped", dv->edges_dropped);
	xsm_jsonw_ku64(w, "clients", dv->clients);
	xsm_jsonw_ku64(w, "clients_refused", dv->clients_refused);
	xsm_jsonw_ku64(w, "subscribers", dv->subscribers);
	xsm_jsonw_ku64(w, "subscribers_dropped", dv->subscribers_dropped);
	xsm_jsonw_close(w);
}

/* "logfs: /var/log 91.0% used (critical at 90%)", or "all checks ok". */
static void
overall_reason(const struct xsm_state *st, char *out, size_t size)
{
	int worst;

	xsm_state_overall(st, &worst);
	if (worst < 0)
		xsm_strlcpy(out, "all checks ok", size);
	else
		snprintf(out, size, "%s: %s", xsm_check_name(worst),
		    st->checks[worst].reason);
}

int
xsm_render_status(const struct xsm_state *st,
    const struct xsm_render_info *ri, struct xsm_buf *out)
{
	struct xsm_jsonw w;
	char reason[XSM_REASON_MAX + 32];
	int r;

	if ((r = xsm_jsonw_begin(&w, out)) < 0)
		return r;
	overall_reason(st, reason, sizeof(reason));
	xsm_jsonw_open(&w);
	xsm_render_header(&w, ri);
	xsm_jsonw_kstr(&w, "status", xsm_status_name(xsm_state_overall(st, NULL)));
	xsm_jsonw_kstr(&w, "reason", reason);
	xsm_jsonw_key(&w, "checks");
	xsm_jsonw_open(&w);
	for (int i = 0; i < XSM_CHECK__MAX; i++) {
		if (!st->checks[i].present)
			continue;
		xsm_jsonw_key(&w, xsm_check_name(i));
		render_check(&w, st, i, ri, false);
	}
	xsm_jsonw_close(&w);
	if (ri->daemon != NULL) {
		xsm_jsonw_key(&w, "daemon");
		render_daemon(&w, ri->daemon);
	}
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}

int
xsm_render_status_daemon(const char *body, size_t len,
    const struct xsm_daemon_view *dv, struct xsm_buf *out)
{
	static const char key[] = ",\"daemon\":";
	size_t start = out->len;
	struct xsm_jsonw w;
	int r;

	if (len < 3 || body[0] != '{' || memcmp(body + len - 2, "}\n", 2) != 0)
		return -EINVAL;
	if ((r = xsm_buf_append(out, body, len - 2)) < 0 ||
	    (r = xsm_buf_append(out, key, sizeof(key) - 1)) < 0 ||
	    (r = xsm_jsonw_begin(&w, out)) < 0)
		goto undo;
	render_daemon(&w, dv);
	if ((r = xsm_jsonw_end(&w)) < 0)
		goto undo;
	/* The daemon object's own line end becomes the document's. */
	out->len--;
	if ((r = xsm_buf_append(out, "}\n", 2)) < 0)
		goto undo;
	return 0;
undo:
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return r;
}

int
xsm_render_check(const struct xsm_state *st, enum xsm_check_id id,
    const struct xsm_render_info *ri, struct xsm_buf *out)
{
	struct xsm_jsonw w;
	int r;

	if ((unsigned)id >= XSM_CHECK__MAX || !st->checks[id].present)
		return -ENOENT;
	if ((r = xsm_jsonw_begin(&w, out)) < 0)
		return r;
	xsm_jsonw_open(&w);
	xsm_render_header(&w, ri);
	xsm_jsonw_kstr(&w, "check", xsm_check_name(id));
	xsm_jsonw_key(&w, xsm_check_name(id));
	render_check(&w, st, id, ri, true);
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}

int
xsm_render_error(const char *code, const char *message, struct xsm_buf *out)
{
	struct xsm_jsonw w;
	int r;

	if ((r = xsm_jsonw_begin(&w, out)) < 0)
		return r;
	xsm_jsonw_open(&w);
	xsm_jsonw_key(&w, "error");
	xsm_jsonw_open(&w);
	xsm_jsonw_kstr(&w, "code", code);
	xsm_jsonw_kstr(&w, "message", message);
	xsm_jsonw_close(&w);
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}

/* {"schema":1,"version":V: how the small replies and the ack start. */
static int
open_versioned(struct xsm_jsonw *w, struct xsm_buf *out)
{
	int r;

	if ((r = xsm_jsonw_begin(w, out)) < 0)
		return r;
	xsm_jsonw_open(w);
	xsm_jsonw_ku64(w, "schema", XSM_SCHEMA);
	xsm_jsonw_kstr(w, "version", XSM_VERSION);
	return 0;
}

/* {"schema":1,"version":V[,key:true|"ok"]} */
static int
render_simple(struct xsm_buf *out, const char *key, const char *str_value)
{
	struct xsm_jsonw w;
	int r;

	if ((r = open_versioned(&w, out)) < 0)
		return r;
	if (key != NULL && str_value == NULL)
		xsm_jsonw_kbool(&w, key, true);
	else if (key != NULL)
		xsm_jsonw_kstr(&w, key, str_value);
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}

int xsm_render_pong(struct xsm_buf *out) { return render_simple(out, "pong", NULL); }
int xsm_render_version(struct xsm_buf *out) { return render_simple(out, NULL, NULL); }
int xsm_render_reload_ok(struct xsm_buf *out) { return render_simple(out, "reload", "ok"); }
int xsm_render_help(const char *text, struct xsm_buf *out) { return render_simple(out, "help", text); }

int
xsm_render_subscribed(const char *host, const char *run_id, uint64_t seq,
    struct xsm_buf *out)
{
	struct xsm_jsonw w;
	int r;

	if ((r = open_versioned(&w, out)) < 0)
		return r;
	xsm_jsonw_kstr(&w, "host", host);
	if (run_id != NULL)
		xsm_jsonw_kstr(&w, "run", run_id);
	xsm_jsonw_kbool(&w, "subscribed", true);
	xsm_jsonw_ku64(&w, "seq", seq);
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}
