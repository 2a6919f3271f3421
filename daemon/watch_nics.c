/* SPDX-License-Identifier: ISC */
/*
 * watch_nics.c: the management and storage NICs.
 *
 * Event sources, all on the loop and non-blocking:
 *  - rtnetlink (nics_sock.c): link and address multicast, drained until
 *    EAGAIN; each batch ends in one evaluation, so a link going down is
 *    in the state model within the wakeup that brought the message;
 *  - the counters timer (counters_interval): a link dump for the
 *    counters and rates, only while a role link exists;
 *  - the flap timer: one-shot, at the moment a flapping interface will
 *    have been quiet for flap_quiet (no polling while it is not);
 *  - ovs-appctl bond/show and dpif/show as children with a deadline
 *    (nics_ovs.c), only when Open vSwitch is installed: every
 *    bond_interval, and a second after an OVS port's carrier changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nics_bond.h"
#include "nics_eval.h"
#include "nics_ovs.h"
#include "nics_sock.h"
#include "nics_sys.h"
#include "alert.h"
#include "xsmd.h"

struct nics_watch {
	struct xsmd *d;
	struct xsmd_nics_nl nl;
	struct xsmd_nics_ovs ovs;
	ev_timer counters;
	ev_timer quiet;
	bool synced;              /* the first dump is complete */
	bool sys_dirty;           /* re-read sysfs/procfs for judged links */
};

static double
secs(uint64_t usec)
{
	return (double)usec / XSM_USEC_PER_SEC;
}

static bool
any_role_link(const struct xsm_nics_view *v)
{
	for (unsigned i = 0; i < v->n_judged; i++)
		if (v->judged[i].ifindex > 0)
			return true;
	return false;
}

/* Evaluate and apply: the one path into the state model. */
static void
nics_check(struct nics_watch *w)
{
	struct xsmd *d = w->d;
	struct xsm_nics_view *v = &d->state.nics;
	char reason[XSM_REASON_MAX];
	struct xsm_alert_nics_prev prev;
	enum xsm_status st;
	uint64_t next, now = xsmd_now_mono();

	if (!w->synced)
		return;   /* judging a half-read table would raise false alarms */
	xsm_nics_bind(v);
	if (w->sys_dirty) {
		xsmd_nics_sys_refresh(v);
		w->sys_dirty = false;
	}
	/* Each interface's own change is an alert (flapping: one per
	 * episode, as the judge holds it in one warning). */
	xsm_alert_nics_snapshot(v, &prev);
	next = xsm_nics_evaluate(v, &d->cfg.nics, now, xsmd_now_wall(), &st,
	    reason, sizeof(reason));
	xsm_alert_nics_changes(&d->state, &prev, xsmd_now_wall());
	xsm_state_touch(&d->state);
	xsm_state_apply(&d->state, XSM_CHECK_NICS, st, reason, xsmd_now_wall());
	ev_timer_stop(d->loop, &w->quiet);
	if (next > 0) {
		ev_timer_set(&w->quiet, next > now ? secs(next - now) : 0., 0.);
		ev_timer_start(d->loop, &w->quiet);
	}
	if (any_role_link(v) && !ev_is_active(&w->counters))
		ev_timer_again(d->loop, &w->counters);
	else if (!any_role_link(v))
		ev_timer_stop(d->loop, &w->counters);
}

static void
batch_cb(void *arg, enum xsmd_nics_dump done)
{
	struct nics_watch *w = arg;
	struct xsm_nics_view *v = &w->d->state.nics;

	if (done == XSMD_NICS_DUMP_RESYNC && !w->synced) {
		w->synced = true;
		log_info("nics: %u links, rcvbuf %u", v->n_links, v->rcvbuf);
	}
	if (w->nl.judged_touched || done == XSMD_NICS_DUMP_RESYNC)
		w->sys_dirty = true;
	/* An OVS port lost or got carrier: what OVS says now, soon. */
	if (w->nl.ovs_carrier)
		xsmd_nics_ovs_kick(&w->ovs);
	/* Speed and /proc/net/bonding change on link edges, not counters. */
	if (done == XSMD_NICS_DUMP_COUNTERS) {
		xsm_nics_bind(v);
		xsm_nics_rates_update(v, xsmd_now_mono());
	}
	nics_check(w);
}

static void
counters_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct nics_watch *w = t->data;

	if (any_role_link(&w->d->state.nics))
		xsmd_nics_nl_request(&w->nl, XSMD_NICS_DUMP_COUNTERS);
}

static void
quiet_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	nics_check(t->data);
}

static void
ovs_changed(void *arg)
{
	struct nics_watch *w = arg;

	w->sys_dirty = true;   /* the bridges' ports may be others now */
	nics_check(w);
}

/* --- roles ---------------------------------------------------------------- */

static void
roles_setup(struct nics_watch *w)
{
	const struct xsm_nics_cfg *c = &w->d->cfg.nics;
	char buf[4096], mgmt[XSM_IFNAME_MAX] = "", problem[XSM_PATH_MAX + 128];
	const char *source = "config";
	ssize_t n;
	int r;

	problem[0] = '\0';
	if (c->management[0] != '\0') {
		xsm_strlcpy(mgmt, c->management, sizeof(mgmt));
	} else if ((n = xsmd_nics_read_small(c->inventory, buf,
	    sizeof(buf))) < 0) {
		snprintf(problem, sizeof(problem), "no [nics] management, and "
		    "%s: %s", c->inventory, strerror((int)-n));
	} else if ((r = xsm_nics_inventory_management(buf, mgmt,
	    sizeof(mgmt))) < 0) {
		snprintf(problem, sizeof(problem), "no [nics] management, and "
		    "%s has %s MANAGEMENT_INTERFACE", c->inventory,
		    r == -ENOENT ? "no" : "an invalid");
	} else {
		source = "inventory";
	}
	xsm_nics_roles_set(&w->d->state.nics, mgmt, source, c->storage,
	    problem);
	if (problem[0] != '\0')
		log_info("nics: management unknown: %s", problem);
	w->sys_dirty = true;
}

/* --- start, stop, reload ----------------------------------------------- */

static int
nics_start(struct xsmd *d, void **priv)
{
	struct nics_watch *w = calloc(1, sizeof(*w));
	char reason[XSM_REASON_MAX];
	int r;

	xsm_nics_view_free(&d->state.nics);
	xsm_zero(&d->state.nics, sizeof(d->state.nics));
	xsm_state_register(&d->state, XSM_CHECK_NICS, xsmd_now_wall());
	if (w == NULL) {
		xsm_state_apply(&d->state, XSM_CHECK_NICS, XSM_UNKNOWN,
		    "cannot start: out of memory", xsmd_now_wall());
		*priv = NULL;
		return -ENOMEM;
	}
	w->d = d;
	ev_init(&w->counters, counters_cb);
	w->counters.repeat = secs(d->cfg.nics.counters_interval_usec);
	w->counters.data = w;
	ev_init(&w->quiet, quiet_cb);
	w->quiet.data = w;
	roles_setup(w);
	w->nl.batch = batch_cb;
	w->nl.arg = w;
	if ((r = xsmd_nics_nl_open(&w->nl, d->loop, &d->state.nics,
	    d->cfg.nics.rcvbuf)) < 0) {
		snprintf(reason, sizeof(reason), "rtnetlink: %s", strerror(-r));
		log_warnx("nics: %s", reason);
		xsm_state_apply(&d->state, XSM_CHECK_NICS, XSM_UNKNOWN, reason,
		    xsmd_now_wall());
	}
	w->ovs.changed = ovs_changed;
	w->ovs.arg = w;
	xsmd_nics_ovs_start(&w->ovs, d->loop, &d->state.nics,
	    d->cfg.nics.ovs_appctl, d->cfg.nics.bond_interval_usec);
	*priv = w;
	return 0;
}

static void
nics_stop(struct xsmd *d, void *priv)
{
	struct nics_watch *w = priv;

	if (w != NULL) {
		xsmd_nics_ovs_stop(&w->ovs);
		xsmd_nics_nl_close(&w->nl);
		ev_timer_stop(d->loop, &w->counters);
		ev_timer_stop(d->loop, &w->quiet);
		free(w);
	}
	xsm_nics_view_free(&d->state.nics);
	xsm_state_unregister(&d->state, XSM_CHECK_NICS);
}

static int
nics_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	struct nics_watch *w = priv;
	const struct xsm_nics_cfg *c = &d->cfg.nics, *o = &old->nics;

	char reason[XSM_REASON_MAX];
	int r;

	if (w == NULL)
		return -ENOMEM;
	if (w->nl.mc == NULL && (r = xsmd_nics_nl_open(&w->nl, d->loop,
	    &d->state.nics, c->rcvbuf)) < 0) {
		snprintf(reason, sizeof(reason), "rtnetlink: %s", strerror(-r));
		xsm_state_apply(&d->state, XSM_CHECK_NICS, XSM_UNKNOWN, reason,
		    xsmd_now_wall());
		return r;
	}
	if (strcmp(c->management, o->management) != 0 ||
	    strcmp(c->storage, o->storage) != 0 ||
	    strcmp(c->inventory, o->inventory) != 0 || c->management[0] == '\0')
		roles_setup(w);
	if (c->rcvbuf != o->rcvbuf)
		xsmd_nics_nl_rcvbuf(&w->nl, c->rcvbuf);
	w->counters.repeat = secs(c->counters_interval_usec);
	if (ev_is_active(&w->counters))
		ev_timer_again(d->loop, &w->counters);
	if (strcmp(c->ovs_appctl, o->ovs_appctl) != 0 ||
	    c->bond_interval_usec != o->bond_interval_usec ||
	    strcmp(d->state.nics.ovs_state, "absent") == 0) {
		xsmd_nics_ovs_stop(&w->ovs);
		xsmd_nics_ovs_start(&w->ovs, d->loop, &d->state.nics,
		    c->ovs_appctl, c->bond_interval_usec);
	}
	nics_check(w);
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_nics_ops = {
	.name = "nics",
	.start = nics_start,
	.stop = nics_stop,
	.reload = nics_reload,
};
