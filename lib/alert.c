/* SPDX-License-Identifier: ISC */
/*
 * alert.c: from a change of status to an alert: the stable event id and
 * the key figures. Event ids are part of the interface (README, "Event
 * ids"): collectors route and count on them, so a new cause gets a new
 * id and an old id never changes meaning.
 */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "nics_eval.h"
#include "nics_table.h"
#include "xs_domain.h"

/* The generic word for a new status: what a check says without a cause. */
static const char *
status_word(enum xsm_status st)
{
	switch (st) {
	case XSM_OK:
		return "recovered";
	case XSM_WARNING:
		return "warning";
	case XSM_CRITICAL:
		return "critical";
	default:
		return "unknown";
	}
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *
logfs_cause(const struct xsm_state *st, enum xsm_status to, const char *reason)
{
	if (to == XSM_CRITICAL && starts(reason, "mount missing"))
		return "mount_missing";
	return NULL;
}

static const char *
xenstore_cause(const struct xsm_state *st, enum xsm_status to,
    const char *reason)
{
	const struct xsm_xenstore_view *v = &st->xenstore;

	if (to != XSM_CRITICAL)
		return NULL;
	if (!v->connected)
		return "unreachable";
	return v->hung ? "hung" : NULL;
}

/* rsyslog's reasons for forwarding name an action or a queue. */
static bool
rsyslog_forwarding(const char *reason)
{
	return starts(reason, "action '") || starts(reason, "rsyslog queue '");
}

static const char *
rsyslog_cause(const struct xsm_state *st, enum xsm_status to,
    const char *reason)
{
	const struct xsm_rsyslog_view *v = &st->rsyslog;

	if (to == XSM_CRITICAL && v->proc == XSM_RSYSLOG_DEAD)
		return "down";
	if (to == XSM_CRITICAL && (v->canary.state == XSM_CANARY_LATE ||
	    v->canary.state == XSM_CANARY_UNSENT))
		return "not_writing";
	if ((to == XSM_CRITICAL || to == XSM_WARNING) &&
	    rsyslog_forwarding(reason))
		return "forwarding";
	return NULL;
}

static const char *const check_prefix[XSM_CHECK__MAX] = {
	[XSM_CHECK_LOGFS] = "xsmon.logfs",
	[XSM_CHECK_XENSTORE] = "xsmon.xenstore",
	[XSM_CHECK_RSYSLOG] = "xsmon.rsyslog",
	[XSM_CHECK_NICS] = "xsmon.nics",
};

void
xsm_alert_check_event(const struct xsm_state *st, enum xsm_check_id id,
    enum xsm_status to, const char *reason, char *out, size_t size)
{
	const char *cause = NULL;

	if ((unsigned)id >= XSM_CHECK__MAX) {
		xsm_strlcpy(out, "xsmon.unknown", size);
		return;
	}
	if (id == XSM_CHECK_LOGFS)
		cause = logfs_cause(st, to, reason);
	else if (id == XSM_CHECK_XENSTORE)
		cause = xenstore_cause(st, to, reason);
	else if (id == XSM_CHECK_RSYSLOG)
		cause = rsyslog_cause(st, to, reason);
	snprintf(out, size, "%s.%s", check_prefix[id],
	    cause != NULL ? cause : status_word(to));
}

static unsigned
nics_not_ok(const struct xsm_nics_view *v)
{
	unsigned n = 0;

	for (unsigned i = 0; i < v->n_judged && i < XSM_NICS_JUDGED_MAX; i++)
		n += v->judged[i].status != XSM_OK;
	return n;
}

/* The figures an admin reads first, for each check. */
static void
check_figs(const struct xsm_state *st, struct xsm_alert *a)
{
	const struct xsm_logfs_view *l = &st->logfs;
	const struct xsm_xenstore_view *x = &st->xenstore;
	const struct xsm_rsyslog_view *r = &st->rsyslog;

	switch (a->check) {
	case XSM_CHECK_LOGFS:
		xsm_alert_fig_num(a, "used_pct", l->used_pct, 1);
		xsm_alert_fig_num(a, "inodes_used_pct", l->inodes_used_pct, 1);
		if (l->ttf_s >= 0)
			xsm_alert_fig_num(a, "ttf_s", (double)l->ttf_s, 0);
		if (l->rate_valid)
			xsm_alert_fig_num(a, "rate_bps", l->rate_bps, 1);
		xsm_alert_fig_str(a, "path", l->path);
		break;
	case XSM_CHECK_XENSTORE:
		if (x->probe_latency_us >= 0)
			xsm_alert_fig_num(a, "probe_latency_us",
			    (double)x->probe_latency_us, 0);
		xsm_alert_fig_num(a, "domains", x->table != NULL ?
		    (double)x->table->n : 0, 0);
		xsm_alert_fig_num(a, "domains_not_ok", x->domains_not_ok, 0);
		xsm_alert_fig_num(a, "reconnects", (double)x->reconnects, 0);
		break;
	case XSM_CHECK_RSYSLOG:
		xsm_alert_fig_num(a, "pid", r->pid, 0);
		xsm_alert_fig_num(a, "restarts", (double)r->restarts, 0);
		if (r->canary.latency_ms >= 0)
			xsm_alert_fig_num(a, "canary_latency_ms",
			    (double)r->canary.latency_ms, 0);
		break;
	case XSM_CHECK_NICS:
		xsm_alert_fig_num(a, "interfaces", st->nics.n_judged, 0);
		xsm_alert_fig_num(a, "interfaces_not_ok", nics_not_ok(&st->nics),
		    0);
		break;
	default:
		break;
	}
}

/* The edge's fields that an alert shares, both ways. */
static void
edge_to_alert(const struct xsm_edge *e, struct xsm_alert *a)
{
	memset(a, 0, sizeof(*a));
	a->seq = e->seq;
	a->at_usec = e->at_usec;
	xsm_strlcpy(a->event, e->event, sizeof(a->event));
	a->check = e->check;
	xsm_strlcpy(a->subject, e->subject, sizeof(a->subject));
	a->old_status = e->old_status;
	a->new_status = e->new_status;
	xsm_strlcpy(a->reason, e->reason, sizeof(a->reason));
	a->renotify = e->renotify;
	a->n_figs = e->n_figs < XSM_ALERT_FIGS ? e->n_figs : XSM_ALERT_FIGS;
	memcpy(a->figs, e->figs, sizeof(a->figs));
}

void
xsm_alert_from_edge(const struct xsm_edge *e, struct xsm_alert *a)
{
	edge_to_alert(e, a);
}

void
xsm_alert_check_edge(const struct xsm_state *st, struct xsm_edge *e)
{
	struct xsm_alert a;

	xsm_alert_check_event(st, e->check, e->new_status, e->reason,
	    e->event, sizeof(e->event));
	e->subject[0] = '\0';
	edge_to_alert(e, &a);
	a.n_figs = 0;
	check_figs(st, &a);
	e->n_figs = a.n_figs;
	memcpy(e->figs, a.figs, sizeof(e->figs));
}

/* --- interfaces -------------------------------------------------------- */

const char *
xsm_alert_nic_cause(enum xsm_status to, const char *old_reason,
    const char *reason)
{
	if (to == XSM_OK)
		return starts(old_reason, "has no carrier") ?
		    "carrier_restored" : "recovered";
	if (starts(reason, "is flapping"))
		return "flapping";
	if (starts(reason, "has no carrier"))
		return "carrier_lost";
	if (starts(reason, "is admin down"))
		return "admin_down";
	if (starts(reason, "has no address"))
		return "address_lost";
	if (starts(reason, "was deleted"))
		return "deleted";
	if (starts(reason, "does not exist"))
		return "missing";
	/* "up, ..., 5.0 errors/s, 0.0 drops/s": only the rates are bad. */
	if (starts(reason, "up"))
		return "error_rate";
	return to == XSM_WARNING ? "degraded" : status_word(to);
}

void
xsm_alert_nic_edge(const struct xsm_nics_view *v,
    const struct xsm_nics_judged *j, enum xsm_status old,
    const char *old_reason, uint64_t now_wall, struct xsm_edge *e)
{
	const struct xsm_nic *n = j->ifindex > 0 ?
	    xsm_nics_find_const(v, j->ifindex) : NULL;
	struct xsm_alert a;
	char as[64];

	memset(e, 0, sizeof(*e));
	e->check = XSM_CHECK_NICS;
	xsm_strlcpy(e->subject, j->name, sizeof(e->subject));
	e->old_status = old;
	e->new_status = j->status;
	e->at_usec = now_wall;
	xsm_strlcpy(e->reason, j->reason, sizeof(e->reason));
	snprintf(e->event, sizeof(e->event), "xsmon.nic.%s",
	    xsm_alert_nic_cause(j->status, old_reason, j->reason));
	edge_to_alert(e, &a);
	if (j->role >= 0 && (unsigned)j->role < v->n_roles)
		xsm_alert_fig_str(&a, "role",
		    xsm_nics_role_name(v->roles[j->role].kind));
	if (n != NULL) {
		const struct xsm_nic_addr *ad = NULL;

		for (unsigned i = 0; i < n->n_addrs && ad == NULL; i++)
			if (xsm_nics_addr_usable(&n->addrs[i]))
				ad = &n->addrs[i];
		if (n->has_carrier_changes)
			xsm_alert_fig_num(&a, "carrier_changes",
			    n->carrier_changes, 0);
		xsm_alert_fig_num(&a, "mtu", n->mtu, 0);
		xsm_alert_fig_str(&a, "address", ad != NULL ?
		    xsm_nics_addr_str(ad, as, sizeof(as)) : "");
	}
	if (j->rates_valid) {
		xsm_alert_fig_num(&a, "error_rate", j->error_rate, 1);
		xsm_alert_fig_num(&a, "drop_rate", j->drop_rate, 1);
	}
	e->n_figs = a.n_figs;
	memcpy(e->figs, a.figs, sizeof(e->figs));
}

void
xsm_alert_nics_snapshot(const struct xsm_nics_view *v,
    struct xsm_alert_nics_prev *p)
{
	p->n = 0;
	for (unsigned i = 0; i < v->n_judged && i < XSM_NICS_JUDGED_MAX; i++) {
		const struct xsm_nics_judged *j = &v->judged[i];

		if (j->since_usec == 0)
			continue;       /* never judged: no status to change */
		xsm_strlcpy(p->e[p->n].name, j->name, sizeof(p->e[p->n].name));
		p->e[p->n].status = j->status;
		xsm_strlcpy(p->e[p->n].reason, j->reason,
		    sizeof(p->e[p->n].reason));
		p->n++;
	}
}

unsigned
xsm_alert_nics_changes(struct xsm_state *st,
    const struct xsm_alert_nics_prev *p, uint64_t now_wall)
{
	const struct xsm_nics_view *v = &st->nics;
	struct xsm_edge e;
	unsigned n = 0;

	for (unsigned i = 0; i < v->n_judged && i < XSM_NICS_JUDGED_MAX; i++) {
		const struct xsm_nics_judged *j = &v->judged[i];

		for (unsigned k = 0; k < p->n; k++) {
			if (strcmp(p->e[k].name, j->name) != 0)
				continue;
			if (p->e[k].status != j->status) {
				xsm_alert_nic_edge(v, j, p->e[k].status,
				    p->e[k].reason, now_wall, &e);
				n += xsm_state_item(st, &e) != 0;
			}
			break;
		}
	}
	return n;
}

/* --- domains ----------------------------------------------------------- */

void
xsm_alert_domain_edge(const struct xsm_xs_domain *dom, const char *what,
    enum xsm_status old, uint64_t now_wall, struct xsm_edge *e)
{
	struct xsm_alert a;

	memset(e, 0, sizeof(*e));
	e->check = XSM_CHECK_XENSTORE;
	snprintf(e->subject, sizeof(e->subject), "domain %u", dom->domid);
	e->old_status = old;
	e->new_status = dom->status;
	e->at_usec = now_wall;
	snprintf(e->event, sizeof(e->event), "xsmon.domain.%s",
	    what != NULL ? what : status_word(dom->status));
	xsm_strlcpy(e->reason, dom->reason, sizeof(e->reason));
	edge_to_alert(e, &a);
	xsm_alert_fig_num(&a, "domid", dom->domid, 0);
	xsm_alert_fig_str(&a, "name", dom->name);
	xsm_alert_fig_str(&a, "uuid", dom->uuid);
	if (dom->target_kib >= 0)
		xsm_alert_fig_num(&a, "target_kib", (double)dom->target_kib, 0);
	if (dom->entries >= 0)
		xsm_alert_fig_num(&a, "entries", (double)dom->entries, 0);
	e->n_figs = a.n_figs;
	memcpy(e->figs, a.figs, sizeof(e->figs));
}
