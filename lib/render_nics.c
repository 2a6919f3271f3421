/* SPDX-License-Identifier: ISC */
/*
 * render_nics.c: checks.nics details. The status document lists the
 * judged (role) interfaces only; "show nics" (full) lists every link,
 * judged ones with their verdict.
 */
#include <net/if.h>

#include <string.h>

#include "nics_eval.h"
#include "nics_table.h"
#include "render_nics.h"

static void
kstr_or_null(struct xsm_jsonw *w, const char *k, const char *s)
{
	xsm_jsonw_kstr(w, k, s != NULL && s[0] != '\0' ? s : NULL);
}

static void
kdbl(struct xsm_jsonw *w, const char *k, double v)
{
	xsm_jsonw_key(w, k);
	xsm_jsonw_fixed(w, v, 1);
}

static const char *
link_name(const struct xsm_nics_view *v, int ifindex)
{
	const struct xsm_nic *n = ifindex > 0 ?
	    xsm_nics_find_const(v, ifindex) : NULL;

	return n != NULL ? n->name : NULL;
}

static void
render_counters(struct xsm_jsonw *w, const struct xsm_nic *n,
    const struct xsm_nics_judged *j)
{
	const struct xsm_nic_counters *c = &n->ctr;

	xsm_jsonw_key(w, "counters");
	if (!n->has_stats) {
		xsm_jsonw_null(w);
	} else {
		xsm_jsonw_open(w);
		xsm_jsonw_ku64(w, "rx_bytes", c->rx_bytes);
		xsm_jsonw_ku64(w, "tx_bytes", c->tx_bytes);
		xsm_jsonw_ku64(w, "rx_packets", c->rx_packets);
		xsm_jsonw_ku64(w, "tx_packets", c->tx_packets);
		xsm_jsonw_ku64(w, "rx_errors", c->rx_errors);
		xsm_jsonw_ku64(w, "tx_errors", c->tx_errors);
		xsm_jsonw_ku64(w, "rx_dropped", c->rx_dropped);
		xsm_jsonw_ku64(w, "tx_dropped", c->tx_dropped);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_key(w, "rates");
	if (j == NULL || !j->rates_valid) {
		xsm_jsonw_null(w);
		return;
	}
	xsm_jsonw_open(w);
	kdbl(w, "rx_bps", j->rx_bps);
	kdbl(w, "tx_bps", j->tx_bps);
	kdbl(w, "errors_ps", j->error_rate);
	kdbl(w, "drops_ps", j->drop_rate);
	xsm_jsonw_close(w);
}

static void
render_slave(struct xsm_jsonw *w, const struct xsm_nic *n)
{
	xsm_jsonw_key(w, "bond_slave");
	if (!n->slave.valid) {
		xsm_jsonw_null(w);
		return;
	}
	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "state", n->slave.state == 0 ? "active" : "backup");
	xsm_jsonw_kstr(w, "mii", n->slave.mii_status == 0 ? "up" : "down");
	xsm_jsonw_ku64(w, "aggregator_id", n->slave.aggregator_id);
	xsm_jsonw_ki64(w, "actor_state", n->slave.actor_state);
	xsm_jsonw_ki64(w, "partner_state", n->slave.partner_state);
	xsm_jsonw_close(w);
}

static void
render_bond(struct xsm_jsonw *w, const struct xsm_nics_judged *j)
{
	const struct xsm_nics_bond_proc *b = j ? &j->bond : NULL;

	xsm_jsonw_key(w, "bond");
	if (b == NULL || !b->valid) {
		xsm_jsonw_null(w);
		return;
	}
	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "mode", b->mode);
	kstr_or_null(w, "active_slave", b->active);
	xsm_jsonw_kstr(w, "mii", b->mii);
	xsm_jsonw_kbool(w, "lacp", b->lacp);
	xsm_jsonw_ku64(w, "aggregator_id", b->aggregator_id);
	xsm_jsonw_key(w, "slaves");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < b->n_slaves && i < XSM_NIC_SLAVES_MAX; i++) {
		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "name", b->slaves[i].name);
		xsm_jsonw_kstr(w, "mii", b->slaves[i].mii_up ? "up" : "down");
		xsm_jsonw_ku64(w, "aggregator_id", b->slaves[i].aggregator_id);
		xsm_jsonw_ku64(w, "link_failures", b->slaves[i].link_failures);
		kstr_or_null(w, "speed", b->slaves[i].speed);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
	xsm_jsonw_close(w);
}

static void
render_verdict(struct xsm_jsonw *w, const struct xsm_nics_view *v,
    const struct xsm_nics_judged *j)
{
	const struct xsm_nics_role *r = j ? &v->roles[j->role] : NULL;

	kstr_or_null(w, "role", r ? xsm_nics_role_name(r->kind) : NULL);
	kstr_or_null(w, "role_source", r == NULL ? NULL :
	    r->kind == XSM_NICS_ROLE_MANAGEMENT ? v->role_source : "config");
	kstr_or_null(w, "lower_of", j ? link_name(v, j->lower_of) : NULL);
	kstr_or_null(w, "status", j ? xsm_status_name(j->status) : NULL);
	kstr_or_null(w, "reason", j ? j->reason : NULL);
	xsm_jsonw_ktime(w, "since", j ? j->since_usec : 0);
	if (j)
		xsm_jsonw_ku64(w, "transitions", j->transitions);
	else
		kstr_or_null(w, "transitions", NULL);
	xsm_jsonw_kbool(w, "flapping", j ? j->flap.flapping : false);
}

static void
render_link(struct xsm_jsonw *w, const struct xsm_nics_view *v,
    const struct xsm_nic *n, const struct xsm_nics_judged *j)
{
	char as[64];

	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "name", n->name);
	xsm_jsonw_ki64(w, "ifindex", n->ifindex);
	kstr_or_null(w, "kind", n->kind);
	kstr_or_null(w, "master", link_name(v, n->master));
	render_verdict(w, v, j);
	xsm_jsonw_kbool(w, "admin_up", (n->flags & IFF_UP) != 0);
	xsm_jsonw_kstr(w, "operstate", xsm_nics_operstate_name(n->operstate));
	xsm_jsonw_key(w, "carrier");
	if (n->carrier < 0)
		xsm_jsonw_null(w);
	else
		xsm_jsonw_bool(w, n->carrier != 0);
	xsm_jsonw_ku64(w, "carrier_changes", n->carrier_changes);
	xsm_jsonw_ku64(w, "mtu", n->mtu);
	xsm_jsonw_key(w, "speed_mbps");
	if (j != NULL && j->speed_mbps >= 0)
		xsm_jsonw_i64(w, j->speed_mbps);
	else
		xsm_jsonw_null(w);
	kstr_or_null(w, "duplex", j ? j->duplex : NULL);
	xsm_jsonw_key(w, "addresses");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < n->n_addrs && i < XSM_NIC_ADDRS_MAX; i++)
		xsm_jsonw_str(w, xsm_nics_addr_str(&n->addrs[i], as, sizeof(as)));
	xsm_jsonw_array_close(w);
	xsm_jsonw_kbool(w, "addresses_truncated", n->addrs_dropped);
	render_counters(w, n, j);
	render_bond(w, j);
	render_slave(w, n);
	xsm_jsonw_close(w);
}

/* A role interface that does not exist (now). */
static void
render_missing(struct xsm_jsonw *w, const struct xsm_nics_view *v,
    const struct xsm_nics_judged *j)
{
	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "name", j->name);
	xsm_jsonw_kstr(w, "ifindex", NULL);
	render_verdict(w, v, j);
	xsm_jsonw_close(w);
}

static void
render_roles(struct xsm_jsonw *w, const struct xsm_nics_view *v)
{
	const char *mgmt = NULL;

	for (unsigned i = 0; i < v->n_roles; i++)
		if (v->roles[i].kind == XSM_NICS_ROLE_MANAGEMENT)
			mgmt = v->roles[i].name;
	kstr_or_null(w, "management", mgmt);
	kstr_or_null(w, "role_source", v->role_source);
	kstr_or_null(w, "role_problem", v->role_problem);
	xsm_jsonw_key(w, "storage");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < v->n_roles; i++)
		if (v->roles[i].kind == XSM_NICS_ROLE_STORAGE)
			xsm_jsonw_str(w, v->roles[i].name);
	xsm_jsonw_array_close(w);
}

static void
render_ovs(struct xsm_jsonw *w, const struct xsm_nics_view *v)
{
	xsm_jsonw_key(w, "ovs");
	xsm_jsonw_open(w);
	kstr_or_null(w, "state", v->ovs_state);
	xsm_jsonw_key(w, "bonds");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < v->n_ovs_bonds && i < XSM_NICS_OVS_BONDS_MAX;
	    i++) {
		const struct xsm_nics_ovs_bond *b = &v->ovs_bonds[i];

		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "name", b->name);
		kstr_or_null(w, "mode", b->mode);
		kstr_or_null(w, "lacp", b->lacp);
		xsm_jsonw_key(w, "members");
		xsm_jsonw_array_open(w);
		for (unsigned k = 0; k < b->n_slaves && k < XSM_NIC_SLAVES_MAX;
		    k++) {
			xsm_jsonw_open(w);
			xsm_jsonw_kstr(w, "name", b->slaves[k].name);
			xsm_jsonw_kbool(w, "enabled", b->slaves[k].enabled);
			xsm_jsonw_kbool(w, "active", b->slaves[k].active);
			xsm_jsonw_close(w);
		}
		xsm_jsonw_array_close(w);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
	/* Uplinks of OVS bridges (dpif/show), judged under a bridge's role. */
	xsm_jsonw_key(w, "ports");
	xsm_jsonw_array_open(w);
	for (unsigned i = 0; i < v->n_ovs_ports && i < XSM_NICS_OVS_PORTS_MAX;
	    i++) {
		xsm_jsonw_open(w);
		xsm_jsonw_kstr(w, "bridge", v->ovs_ports[i].bridge);
		xsm_jsonw_kstr(w, "name", v->ovs_ports[i].name);
		xsm_jsonw_close(w);
	}
	xsm_jsonw_array_close(w);
	xsm_jsonw_ku64(w, "ports_overflow", v->ovs_ports_overflow);
	xsm_jsonw_close(w);
}

void
xsm_render_nics(struct xsm_jsonw *w, const struct xsm_nics_view *v, bool full)
{
	const struct xsm_nic *n;

	render_roles(w, v);
	xsm_jsonw_ku64(w, "links", v->n_links);
	xsm_jsonw_ku64(w, "links_overflow", v->links_overflow);
	xsm_jsonw_ku64(w, "judged_overflow", v->judged_overflow);
	xsm_jsonw_ku64(w, "resyncs", v->resyncs);
	xsm_jsonw_ku64(w, "events", v->events);
	xsm_jsonw_ku64(w, "bad_messages", v->bad_messages);
	xsm_jsonw_ku64(w, "foreign_messages", v->foreign_messages);
	xsm_jsonw_ku64(w, "dump_intr", v->dump_intr);
	xsm_jsonw_ku64(w, "dump_failures", v->dump_failures);
	xsm_jsonw_ku64(w, "counter_dumps", v->dumps);
	xsm_jsonw_ku64(w, "rcvbuf", v->rcvbuf);
	render_ovs(w, v);
	xsm_jsonw_key(w, "interfaces");
	xsm_jsonw_array_open(w);
	/* Role interfaces first, in role order, as the reason names them. */
	for (unsigned i = 0; i < v->n_judged && i < XSM_NICS_JUDGED_MAX; i++) {
		const struct xsm_nics_judged *j = &v->judged[i];

		n = j->ifindex ? xsm_nics_find_const(v, j->ifindex) : NULL;
		if (n != NULL)
			render_link(w, v, n, j);
		else
			render_missing(w, v, j);
	}
	for (unsigned i = 0; full && i < v->n_links; i++)
		if (xsm_nics_judged_find(v, v->links[i].ifindex) == NULL)
			render_link(w, v, &v->links[i], NULL);
	xsm_jsonw_array_close(w);
}
