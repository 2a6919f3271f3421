/* SPDX-License-Identifier: ISC */
/* rsyslog_eval.c: the rsyslog check's rules (see rsyslog_eval.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rsyslog_eval.h"

struct verdict {
	enum xsm_status worst;
	unsigned problems;
	char *reason;
	size_t size;
};

static void
add(struct verdict *vd, enum xsm_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The first problem of the worst status gives the reason. */
static void
add(struct verdict *vd, enum xsm_status st, const char *fmt, ...)
{
	va_list ap;

	vd->problems++;
	if (vd->problems > 1 &&
	    xsm_status_rank(st) <= xsm_status_rank(vd->worst))
		return;
	vd->worst = st;
	va_start(ap, fmt);
	vsnprintf(vd->reason, vd->size, fmt, ap);
	va_end(ap);
}

static int64_t
age_s(uint64_t now, uint64_t then)
{
	return now > then ? (int64_t)((now - then) / XSM_USEC_PER_SEC) : 0;
}

static void
judge_canary(struct verdict *vd, const struct xsm_rsyslog_view *v,
    const struct xsm_rsyslog_cfg *cfg)
{
	const struct xsm_rsyslog_canary *c = &v->canary;
	char t[32];

	xsm_format_duration(cfg->canary_timeout_usec, t, sizeof(t));
	if (c->state == XSM_CANARY_LATE)
		add(vd, XSM_CRITICAL, "rsyslogd alive but %s did not receive "
		    "the canary within %s", c->missing, t);
	else if (c->state == XSM_CANARY_UNSENT)
		add(vd, XSM_CRITICAL, "%s refused the canary: %s%s",
		    v->syslog_socket, strerror(c->send_errno),
		    c->send_errno == EAGAIN ? " (rsyslogd stalled?)" : "");
}

/* No canary has had its chance yet (rsyslogd creates files on first write). */
static bool
first_canary_out(const struct xsm_rsyslog_view *v)
{
	const struct xsm_rsyslog_canary *c = &v->canary;

	return c->delivered + c->late + c->unsent == 0;
}

static void
judge_files(struct verdict *vd, struct xsm_rsyslog_view *v, uint64_t now)
{
	bool waiting = first_canary_out(v);

	for (unsigned i = 0; i < v->n_files && i < XSM_RSYSLOG_FILES_MAX;
	    i++) {
		struct xsm_rsyslog_file *f = &v->files[i];

		f->age_s = f->error == 0 ? age_s(now, f->mtime_usec) : -1;
		if (f->error != 0 && !waiting)
			add(vd, XSM_CRITICAL, "target %s: %s", f->path,
			    strerror(f->error));
	}
}

/* "fwd queue[DA]" and "fwd queue" belong to action "fwd". */
static void
queue_action(const char *q, char *out, size_t size)
{
	const char *sp = strstr(q, " queue");

	if (sp == NULL || sp == q)
		snprintf(out, size, "%s", q);
	else
		snprintf(out, size, "%.*s", (int)(sp - q), q);
}

static void
judge_queue(struct verdict *vd, const struct xsm_rsyslog_queue *q,
    const struct xsm_rsyslog_cfg *cfg)
{
	uint64_t lost = q->d_discarded_full + q->d_discarded_nf;
	char act[XSM_RSYSLOG_NAME_MAX];

	queue_action(q->name, act, sizeof(act));
	if (lost > 0)
		add(vd, XSM_CRITICAL, "rsyslog queue '%s' discarded %" PRIu64
		    " messages", q->name, lost);
	if (q->size >= cfg->queue_critical)
		add(vd, XSM_CRITICAL, "rsyslog queue '%s' holds %" PRIu64
		    " messages", q->name, q->size);
	else if (q->size >= cfg->queue_warning)
		add(vd, XSM_WARNING, "rsyslog queue '%s' holds %" PRIu64
		    " messages", q->name, q->size);
	if (q->stuck_streak >= XSM_RSYSLOG_STUCK_UPDATES)
		add(vd, XSM_WARNING, "action '%s' not delivering: queue '%s' "
		    "not draining (%" PRIu64 " messages)", act, q->name,
		    q->size);
}

static void
judge_action(struct verdict *vd, const struct xsm_rsyslog_action *a)
{
	if (a->suspended_streak >= 2)
		add(vd, XSM_CRITICAL, "action '%s' suspended", a->name);
	else if (a->suspended_streak == 1 || a->d_suspended > 0)
		add(vd, XSM_WARNING, "action '%s' suspended", a->name);
	if (a->d_failed > 0)
		add(vd, XSM_WARNING, "action '%s' failed %" PRIu64
		    " messages", a->name, a->d_failed);
}

/*
 * rsyslogd writes the impstats file only after its first interval
 * (often 10 minutes or more), so a file still absent while rsyslogd has
 * run for less than impstats_max_age is not a problem yet: no warning at
 * every boot and restart.
 */
static bool
stats_first_due(const struct xsm_rsyslog_view *v,
    const struct xsm_rsyslog_cfg *cfg, uint64_t now)
{
	return v->impstats_error == ENOENT && v->started_at_usec != 0 &&
	    now >= v->started_at_usec &&
	    now - v->started_at_usec <= cfg->impstats_max_age_usec;
}

static void
judge_stats(struct verdict *vd, struct xsm_rsyslog_view *v,
    const struct xsm_rsyslog_cfg *cfg, uint64_t now)
{
	const struct xsm_rsyslog_stats *s = &v->stats;
	char t[32];

	if (v->impstats[0] == '\0')
		return;
	v->impstats_age_s = v->impstats_error == 0 ?
	    age_s(now, v->impstats_mtime_usec) : -1;
	if (v->impstats_error != 0) {
		if (!stats_first_due(v, cfg, now))
			add(vd, XSM_WARNING, "impstats file %s: %s",
			    v->impstats, strerror(v->impstats_error));
	} else if (now > v->impstats_mtime_usec &&
	    now - v->impstats_mtime_usec > cfg->impstats_max_age_usec) {
		xsm_format_duration(cfg->impstats_max_age_usec, t, sizeof(t));
		add(vd, XSM_WARNING, "impstats file %s not written for over %s",
		    v->impstats, t);
	}
	for (unsigned i = 0; i < s->n_queues && i < XSM_RSYSLOG_QUEUES_MAX; i++)
		judge_queue(vd, &s->queues[i], cfg);
	for (unsigned i = 0; i < s->n_actions && i < XSM_RSYSLOG_ACTIONS_MAX;
	    i++)
		judge_action(vd, &s->actions[i]);
}

static void
ok_reason(struct verdict *vd, const struct xsm_rsyslog_view *v)
{
	const struct xsm_rsyslog_canary *c = &v->canary;

	if (c->latency_ms >= 0)
		snprintf(vd->reason, vd->size, "rsyslogd pid %d, canary "
		    "delivered in %" PRId64 " ms", v->pid, c->latency_ms);
	else
		snprintf(vd->reason, vd->size, "rsyslogd pid %d, canary %s",
		    v->pid, xsm_canary_state_name(c->state));
}

enum xsm_status
xsm_rsyslog_evaluate(struct xsm_rsyslog_view *v,
    const struct xsm_rsyslog_cfg *cfg, uint64_t now, char *reason,
    size_t size)
{
	struct verdict vd = { XSM_OK, 0, reason, size };

	reason[0] = '\0';
	v->evaluated_usec = now;
	if (v->proc == XSM_RSYSLOG_NOT_FOUND) {
		snprintf(reason, size, "no rsyslogd found (%s)",
		    v->proc_why[0] != '\0' ? v->proc_why : "no pid file");
		return XSM_UNKNOWN;
	}
	if (v->proc == XSM_RSYSLOG_DEAD)
		add(&vd, XSM_CRITICAL, "rsyslogd not running (%s)", v->proc_why);
	else
		judge_canary(&vd, v, cfg);
	judge_files(&vd, v, now);
	judge_stats(&vd, v, cfg, now);
	if (vd.problems == 0 && first_canary_out(v)) {
		snprintf(reason, size, "rsyslogd pid %d, waiting for the first "
		    "canary", v->pid);
		return XSM_UNKNOWN;
	}
	if (vd.problems == 0)
		ok_reason(&vd, v);
	else if (vd.problems > 1) {
		size_t n = strlen(reason);

		if (n < size)
			snprintf(reason + n, size - n, " (+%u more)",
			    vd.problems - 1);
	}
	return vd.worst;
}
