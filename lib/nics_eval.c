/* SPDX-License-Identifier: ISC */
/*
 * nics_eval.c: roles, the judged set and the nics check's verdict.
 *
 * What an admin needs at 3 a.m.: which role is broken, which cable, and
 * whether the other path is up, with its address ("management xenbr0 has
 * no carrier (eth0 down); storage eth1 up, 10.0.1.5/24").
 */
#include <net/if.h>

#include <stdio.h>
#include <string.h>

#include "nics_eval.h"
#include "nics_flap.h"
#include "nics_table.h"

const char *
xsm_nics_role_name(enum xsm_nics_role_kind k)
{
	return k == XSM_NICS_ROLE_MANAGEMENT ? "management" : "storage";
}

const char *
xsm_nics_operstate_name(unsigned op)
{
	static const char *names[] = { "unknown", "notpresent", "down",
	    "lowerlayerdown", "testing", "dormant", "up" };

	return op < sizeof(names) / sizeof(names[0]) ? names[op] : "unknown";
}

/* The role fields of a view, to compare before and after a reload. */
struct roles {
	unsigned n_roles;
	struct xsm_nics_role roles[XSM_NICS_ROLES_MAX];
	char role_source[16];
	char role_problem[XSM_NIC_REASON_MAX];
};

static bool
same_roles(const struct roles *a, const struct xsm_nics_view *b)
{
	if (a->n_roles != b->n_roles ||
	    strcmp(a->role_source, b->role_source) != 0 ||
	    strcmp(a->role_problem, b->role_problem) != 0)
		return false;
	for (unsigned i = 0; i < a->n_roles; i++)
		if (a->roles[i].kind != b->roles[i].kind ||
		    strcmp(a->roles[i].name, b->roles[i].name) != 0)
			return false;
	return true;
}

void
xsm_nics_roles_set(struct xsm_nics_view *v, const char *mgmt,
    const char *source, const char *storage, const char *problem)
{
	const char *p = storage, *c;
	struct xsm_nics_role *r;
	size_t n;
	struct roles old;

	/* Same roles again (a reload): keep the bindings and the history. */
	old.n_roles = v->n_roles;
	memcpy(old.roles, v->roles, sizeof(old.roles));
	xsm_strlcpy(old.role_source, v->role_source, sizeof(old.role_source));
	xsm_strlcpy(old.role_problem, v->role_problem, sizeof(old.role_problem));
	v->n_roles = 0;
	memset(v->roles, 0, sizeof(v->roles));
	xsm_strlcpy(v->role_source, mgmt[0] ? source : "",
	    sizeof(v->role_source));
	xsm_strlcpy(v->role_problem, mgmt[0] ? "" : problem,
	    sizeof(v->role_problem));
	if (mgmt[0] != '\0') {
		r = &v->roles[v->n_roles++];
		r->kind = XSM_NICS_ROLE_MANAGEMENT;
		xsm_strlcpy(r->name, mgmt, sizeof(r->name));
	}
	while (*p != '\0' && v->n_roles < XSM_NICS_ROLES_MAX) {
		c = strchr(p, ',');
		n = c ? (size_t)(c - p) : strlen(p);
		if (n > 0 && n < sizeof(r->name)) {
			r = &v->roles[v->n_roles++];
			r->kind = XSM_NICS_ROLE_STORAGE;
			memcpy(r->name, p, n);
			r->name[n] = '\0';
		}
		p += n + (c ? 1 : 0);
	}
	if (same_roles(&old, v)) {
		memcpy(v->roles, old.roles, sizeof(v->roles));
		return;
	}
	v->n_judged = 0;
}

static void
bind_roles(struct xsm_nics_view *v)
{
	const struct xsm_nic *n;

	for (unsigned i = 0; i < v->n_roles; i++) {
		struct xsm_nics_role *r = &v->roles[i];

		if (r->ifindex > 0 && xsm_nics_find_const(v, r->ifindex))
			continue;   /* still there, whatever its name now */
		n = xsm_nics_find_name(v, r->name);
		r->ifindex = n ? n->ifindex : 0;
		if (n != NULL)
			r->ever_bound = true;
	}
}

/* --- the judged set ---------------------------------------------------- */

struct jset {
	struct xsm_nics_judged next[XSM_NICS_JUDGED_MAX];
	unsigned n;
	uint64_t overflow;
};

/* Carries the history of (ifindex, role) over from the previous set. */
static void
jadd(struct xsm_nics_view *v, struct jset *s, int ifindex, const char *name,
    int role, int lower_of)
{
	struct xsm_nics_judged *j;

	for (unsigned i = 0; i < s->n; i++)
		if (ifindex > 0 && s->next[i].ifindex == ifindex)
			return;   /* judged once, under its first role */
	if (s->n >= XSM_NICS_JUDGED_MAX) {
		s->overflow++;
		return;
	}
	j = &s->next[s->n++];
	memset(j, 0, sizeof(*j));
	for (unsigned i = 0; i < v->n_judged; i++) {
		struct xsm_nics_judged *o = &v->judged[i];

		if (o->ifindex == ifindex && o->role == role &&
		    (ifindex > 0 || strcmp(o->name, name) == 0)) {
			*j = *o;
			break;
		}
	}
	if (!j->in_use) {
		j->in_use = true;
		j->status = XSM_UNKNOWN;
		j->speed_mbps = -1;
	}
	j->ifindex = ifindex;
	j->role = role;
	j->lower_of = lower_of;
	j->direct = false;
	xsm_strlcpy(j->name, name, sizeof(j->name));
}

bool
xsm_nics_guest_name(const char *name)
{
	/* Xen netback vifs are vifDOMID.DEV; emulated NICs are tapDOMID.DEV. */
	return strncmp(name, "vif", 3) == 0 || strncmp(name, "tap", 3) == 0;
}

bool
xsm_nics_is_guest(const struct xsm_nic *n)
{
	return xsm_nics_guest_name(n->name) || strcmp(n->kind, "vif") == 0 ||
	    strcmp(n->kind, "tun") == 0;
}

/*
 * The uplinks beneath a role link: links whose master is ifindex (guest
 * ports left out: they are not the host's way out), and the slaves of
 * bonds among them.
 */
static void
add_lowers(struct xsm_nics_view *v, struct jset *s, int top, int ifindex,
    int role, int depth)
{
	for (unsigned i = 0; i < v->n_links; i++) {
		const struct xsm_nic *n = &v->links[i];

		if (n->master != ifindex || n->ifindex == ifindex ||
		    xsm_nics_is_guest(n))
			continue;
		jadd(v, s, n->ifindex, n->name, role, top);
		if (depth == 0 && s->n > 0 &&
		    s->next[s->n - 1].ifindex == n->ifindex)
			s->next[s->n - 1].direct = true;
		if (depth < 2 && strcmp(n->kind, "bond") == 0)
			add_lowers(v, s, top, n->ifindex, role, depth + 1);
	}
}

/*
 * An OVS bridge's uplinks: its physical ports have master ovs-system,
 * not the bridge, so dpif/show says which ones belong to it.
 */
static void
add_ovs_ports(struct xsm_nics_view *v, struct jset *s,
    const struct xsm_nic *top, int role)
{
	const struct xsm_nic *n;

	for (unsigned i = 0; i < v->n_ovs_ports; i++) {
		const struct xsm_nics_ovs_port *p = &v->ovs_ports[i];

		if (strcmp(p->bridge, top->name) != 0 ||
		    strcmp(p->name, top->name) == 0)
			continue;
		n = xsm_nics_find_name(v, p->name);
		if (n == NULL || xsm_nics_is_guest(n))
			continue;
		jadd(v, s, n->ifindex, n->name, role, top->ifindex);
		if (s->n > 0 && s->next[s->n - 1].ifindex == n->ifindex)
			s->next[s->n - 1].direct = true;
	}
}

/*
 * Every role's own interface first, so that a bridge with many ports can
 * never crowd another role out of the table; then the uplinks.
 */
static void
build_judged(struct xsm_nics_view *v)
{
	struct jset s;
	const struct xsm_nic *n;

	s.n = 0;
	s.overflow = 0;
	for (unsigned i = 0; i < v->n_roles; i++) {
		const struct xsm_nics_role *r = &v->roles[i];

		n = r->ifindex ? xsm_nics_find_const(v, r->ifindex) : NULL;
		jadd(v, &s, r->ifindex, n ? n->name : r->name, (int)i, 0);
	}
	for (unsigned i = 0; i < v->n_roles; i++) {
		const struct xsm_nics_role *r = &v->roles[i];

		n = r->ifindex ? xsm_nics_find_const(v, r->ifindex) : NULL;
		if (n == NULL)
			continue;
		add_lowers(v, &s, n->ifindex, n->ifindex, (int)i, 0);
		add_ovs_ports(v, &s, n, (int)i);
	}
	memcpy(v->judged, s.next, s.n * sizeof(s.next[0]));
	v->n_judged = s.n;
	v->judged_overflow = s.overflow;
}

void
xsm_nics_bind(struct xsm_nics_view *v)
{
	bind_roles(v);
	build_judged(v);
}

const struct xsm_nics_judged *
xsm_nics_judged_find(const struct xsm_nics_view *v, int ifindex)
{
	for (unsigned i = 0; i < v->n_judged; i++)
		if (v->judged[i].ifindex == ifindex)
			return &v->judged[i];
	return NULL;
}

/* --- rates --------------------------------------------------------------- */

static bool
delta(uint64_t now, uint64_t before, double *out, double secs)
{
	if (now < before)
		return false;
	*out += (double)(now - before) / secs;
	return true;
}

void
xsm_nics_rates_update(struct xsm_nics_view *v, uint64_t now_mono)
{
	for (unsigned i = 0; i < v->n_judged; i++) {
		struct xsm_nics_judged *j = &v->judged[i];
		const struct xsm_nic *n = j->ifindex ?
		    xsm_nics_find_const(v, j->ifindex) : NULL;
		const struct xsm_nic_counters *c, *p = &j->prev;
		double secs;
		bool ok = true;

		if (n == NULL || !n->has_stats) {
			j->prev_valid = j->rates_valid = false;
			continue;
		}
		c = &n->ctr;
		secs = (double)(now_mono - j->prev_mono) / XSM_USEC_PER_SEC;
		if (j->prev_valid && secs > 0.5) {
			j->rx_bps = j->tx_bps = j->error_rate = j->drop_rate = 0;
			ok &= delta(c->rx_bytes, p->rx_bytes, &j->rx_bps, secs);
			ok &= delta(c->tx_bytes, p->tx_bytes, &j->tx_bps, secs);
			ok &= delta(c->rx_errors, p->rx_errors, &j->error_rate, secs);
			ok &= delta(c->tx_errors, p->tx_errors, &j->error_rate, secs);
			ok &= delta(c->rx_dropped, p->rx_dropped, &j->drop_rate, secs);
			ok &= delta(c->tx_dropped, p->tx_dropped, &j->drop_rate, secs);
			j->rates_valid = ok;
		} else if (j->prev_valid) {
			continue;   /* too soon for a meaningful rate */
		}
		j->prev = *c;
		j->prev_mono = now_mono;
		j->prev_valid = true;
	}
}
