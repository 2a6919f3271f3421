/* SPDX-License-Identifier: ISC */
/*
 * nics_judge.c: judging each role interface and the interfaces beneath
 * it, then the whole check (xsm_nics_evaluate, nics_eval.h).
 *
 * A role link is critical when it is missing, admin down, without
 * carrier or without a usable address. A flapping link is one warning
 * while the episode lasts, whatever its carrier does. A port or bond
 * slave that fails while its role link still works costs redundancy: a
 * warning ("degraded"); when the role link fails it is named as the
 * cause. Error and drop rates add warnings and criticals of their own.
 */
#include <net/if.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nics_eval.h"
#include "nics_flap.h"
#include "nics_table.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000  /* linux/if.h; glibc's net/if.h lacks it */
#endif

/* Appends printf output to a bounded string (cut silently). */
static void
cat(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
cat(char *out, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(out, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, size - len, fmt, ap);
	va_end(ap);
}

static bool
carrier_ok(const struct xsm_nic *n)
{
	if (!(n->flags & IFF_UP))
		return false;
	if (n->carrier >= 0)
		return n->carrier != 0;
	return (n->flags & IFF_LOWER_UP) != 0;
}

/* The first usable address, IPv4 before IPv6, or NULL. */
static const struct xsm_nic_addr *
usable_addr(const struct xsm_nic *n)
{
	const struct xsm_nic_addr *v6 = NULL;

	for (unsigned i = 0; i < n->n_addrs; i++) {
		if (!xsm_nics_addr_usable(&n->addrs[i]))
			continue;
		if (n->addrs[i].family == 2)   /* AF_INET */
			return &n->addrs[i];
		if (v6 == NULL)
			v6 = &n->addrs[i];
	}
	return v6;
}

static void
set_status(struct xsm_nics_judged *j, enum xsm_status st, uint64_t now_wall)
{
	if (j->since_usec == 0) {
		j->since_usec = now_wall;
	} else if (st != j->status) {
		j->since_usec = now_wall;
		j->transitions++;
	}
	j->status = st;
}

/* Error and drop rates against their levels; OK when none is reached. */
static enum xsm_status
judge_rates(const struct xsm_nics_judged *j, const struct xsm_nics_cfg *c,
    char *why, size_t size)
{
	enum xsm_status st = XSM_OK;

	if (!j->rates_valid)
		return XSM_OK;
	if (j->error_rate >= c->error_rate_critical ||
	    j->drop_rate >= c->drop_rate_critical)
		st = XSM_CRITICAL;
	else if (j->error_rate >= c->error_rate_warning ||
	    j->drop_rate >= c->drop_rate_warning)
		st = XSM_WARNING;
	if (st != XSM_OK)
		snprintf(why, size, "%.1f errors/s, %.1f drops/s",
		    j->error_rate, j->drop_rate);
	return st;
}

/* One judged interface on its own: status and j->reason. */
static void
judge_one(struct xsm_nics_view *v, const struct xsm_nics_cfg *c,
    struct xsm_nics_judged *j, uint64_t now_mono, uint64_t now_wall)
{
	const struct xsm_nics_role *r = &v->roles[j->role];
	const struct xsm_nic *n = j->ifindex ?
	    xsm_nics_find_const(v, j->ifindex) : NULL;
	const struct xsm_nic_addr *a;
	char why[96] = "", as[64];
	enum xsm_status st, rst;
	unsigned in;

	if (n == NULL) {
		set_status(j, XSM_CRITICAL, now_wall);
		snprintf(j->reason, sizeof(j->reason), "%s", r->ever_bound ?
		    "was deleted" : "does not exist");
		return;
	}
	xsm_strlcpy(j->name, n->name, sizeof(j->name));
	if (n->has_carrier_changes)
		xsm_nic_flap_note(&j->flap, n->carrier_changes, now_mono);
	in = xsm_nic_flap_eval(&j->flap, c->flap_count, c->flap_window_usec,
	    c->flap_quiet_usec, now_mono);
	a = usable_addr(n);
	if (!(n->flags & IFF_UP)) {
		st = XSM_CRITICAL;
		xsm_strlcpy(j->reason, "is admin down", sizeof(j->reason));
	} else if (j->flap.flapping) {
		st = XSM_WARNING;
		snprintf(j->reason, sizeof(j->reason), "is flapping (%u carrier "
		    "changes within %llus)", in > j->flap.episode_count ? in :
		    j->flap.episode_count,
		    (unsigned long long)(c->flap_window_usec / XSM_SEC));
		if (!carrier_ok(n))
			cat(j->reason, sizeof(j->reason), ", carrier down now");
	} else if (!carrier_ok(n)) {
		st = XSM_CRITICAL;
		xsm_strlcpy(j->reason, "has no carrier", sizeof(j->reason));
	} else if (j->lower_of == 0 && a == NULL) {
		st = XSM_CRITICAL;
		xsm_strlcpy(j->reason, "has no address", sizeof(j->reason));
	} else {
		st = XSM_OK;
		if (a != NULL)
			snprintf(j->reason, sizeof(j->reason), "up, %s",
			    xsm_nics_addr_str(a, as, sizeof(as)));
		else
			xsm_strlcpy(j->reason, "up", sizeof(j->reason));
	}
	/* Bad rates add to the base reason; they never hide it. */
	rst = judge_rates(j, c, why, sizeof(why));
	if (rst != XSM_OK)
		cat(j->reason, sizeof(j->reason), ", %s", why);
	st = xsm_status_worse(st, rst);
	set_status(j, st, now_wall);
}

/* --- a role as a whole ------------------------------------------------- */

/* Slaves of the bond at ifindex: how many, how many up, names down. */
static void
bond_summary(const struct xsm_nics_view *v, const struct xsm_nic *bond,
    const struct xsm_nics_judged *bj, enum xsm_status *st, char *out,
    size_t size)
{
	unsigned total = 0, up = 0;
	char down[96] = "";

	for (unsigned i = 0; i < v->n_links; i++) {
		const struct xsm_nic *s = &v->links[i];
		bool ok = carrier_ok(s);

		if (s->master != bond->ifindex)
			continue;
		total++;
		if (s->slave.valid && s->slave.mii_status != 0)
			ok = false;
		if (ok)
			up++;
		else
			cat(down, sizeof(down), "%s%s", down[0] ? ", " : "",
			    s->name);
	}
	if (total == 0 && bj != NULL && bj->bond.valid) {
		for (unsigned i = 0; i < bj->bond.n_slaves; i++) {
			total++;
			if (bj->bond.slaves[i].mii_up)
				up++;
			else
				cat(down, sizeof(down), "%s%s", down[0] ?
				    ", " : "", bj->bond.slaves[i].name);
		}
	}
	if (total == 0 || up == total)
		return;
	*st = xsm_status_worse(*st, up == 0 ? XSM_CRITICAL : XSM_WARNING);
	if (up == 0)
		cat(out, size, ", %s: all %u slaves down", bond->name, total);
	else
		cat(out, size, ", %s degraded: %u/%u slaves up (%s down)",
		    bond->name, up, total, down);
}

/*
 * The role has uplinks (bridge ports, OVS bridge ports; guests left out)
 * and none has carrier: the host is cut off on that role, whatever the
 * role link itself says (an OVS internal port always has carrier).
 */
static bool
all_uplinks_down(const struct xsm_nics_view *v, unsigned ri)
{
	unsigned uplinks = 0;

	for (unsigned i = 0; i < v->n_judged; i++) {
		const struct xsm_nics_judged *j = &v->judged[i];
		const struct xsm_nic *n;

		if (j->role != (int)ri || !j->direct)
			continue;
		n = xsm_nics_find_const(v, j->ifindex);
		if (n != NULL && carrier_ok(n))
			return false;
		uplinks++;
	}
	return uplinks > 0;
}

/*
 * The role at index ri: its status, and "management xenbr0 has no
 * carrier (eth0 down)" appended to out.
 */
static enum xsm_status
judge_role(const struct xsm_nics_view *v, unsigned ri, char *out, size_t size)
{
	const struct xsm_nics_role *r = &v->roles[ri];
	const struct xsm_nics_judged *top = NULL;
	const struct xsm_nic *n;
	enum xsm_status st;
	char down[96] = "", extra[160] = "";

	for (unsigned i = 0; i < v->n_judged && top == NULL; i++)
		if (v->judged[i].role == (int)ri && v->judged[i].lower_of == 0)
			top = &v->judged[i];
	if (top == NULL)
		return XSM_UNKNOWN;   /* the judged table was full */
	st = top->status;
	for (unsigned i = 0; i < v->n_judged; i++) {
		const struct xsm_nics_judged *j = &v->judged[i];

		if (j->role != (int)ri || j->lower_of == 0)
			continue;
		n = xsm_nics_find_const(v, j->ifindex);
		if (n != NULL && strcmp(n->kind, "bond") == 0)
			bond_summary(v, n, j, &st, extra, sizeof(extra));
		if (j->status == XSM_OK)
			continue;
		cat(down, sizeof(down), "%s%s %s", down[0] ? ", " : "",
		    j->name, j->flap.flapping ? "flapping" :
		    j->status == XSM_CRITICAL ? "down" : "degraded");
		/* A lower that fails under a working role costs redundancy. */
		if (top->status == XSM_OK && n != NULL && n->master > 0 &&
		    !(strcmp(n->slave_kind, "bond") == 0))
			st = xsm_status_worse(st, XSM_WARNING);
	}
	n = top->ifindex ? xsm_nics_find_const(v, top->ifindex) : NULL;
	if (n != NULL && strcmp(n->kind, "bond") == 0)
		bond_summary(v, n, top, &st, extra, sizeof(extra));
	/*
	 * Every uplink is down: a Linux bridge's own carrier follows through
	 * the kernel's linkwatch, up to a second later (say it now); an OVS
	 * internal port keeps its carrier for ever.
	 */
	if (top->status == XSM_OK && n != NULL && all_uplinks_down(v, ri)) {
		cat(out, size, "%s%s %s has no %s (%s)", out[0] ? "; " :
		    "", xsm_nics_role_name(r->kind), top->name,
		    strcmp(n->kind, "bridge") == 0 ? "carrier" : "working uplink",
		    down);
		return XSM_CRITICAL;
	}
	cat(out, size, "%s%s %s %s", out[0] ? "; " : "",
	    xsm_nics_role_name(r->kind), top->name, top->reason);
	if (top->status != XSM_OK && down[0])
		cat(out, size, " (%s)", down);
	else if (down[0] && extra[0] == '\0')
		cat(out, size, ", %s", down);
	cat(out, size, "%s", extra);
	return st;
}

static enum xsm_status
judge_ovs(const struct xsm_nics_view *v, char *out, size_t size)
{
	enum xsm_status st = XSM_OK;

	/* ovs-appctl failing or hanging: the bonds are not known. */
	if (v->ovs_state[0] != '\0' && strcmp(v->ovs_state, "ok") != 0 &&
	    strcmp(v->ovs_state, "absent") != 0) {
		st = XSM_WARNING;
		cat(out, size, "%s%s", out[0] ? "; " : "", v->ovs_state);
	}
	for (unsigned i = 0; i < v->n_ovs_bonds; i++) {
		const struct xsm_nics_ovs_bond *b = &v->ovs_bonds[i];
		unsigned up = 0;
		char down[96] = "";

		for (unsigned k = 0; k < b->n_slaves; k++) {
			if (b->slaves[k].enabled)
				up++;
			else
				cat(down, sizeof(down), "%s%s", down[0] ?
				    ", " : "", b->slaves[k].name);
		}
		if (b->n_slaves == 0 || up == b->n_slaves)
			continue;
		st = xsm_status_worse(st, up ? XSM_WARNING : XSM_CRITICAL);
		cat(out, size, "%sovs bond %s %s: %u/%u members enabled "
		    "(%s disabled)", out[0] ? "; " : "", b->name,
		    up ? "degraded" : "down", up, b->n_slaves, down);
	}
	return st;
}

uint64_t
xsm_nics_evaluate(struct xsm_nics_view *v, const struct xsm_nics_cfg *cfg,
    uint64_t now_mono, uint64_t now_wall, enum xsm_status *status,
    char *reason, size_t size)
{
	uint64_t next = 0, at;
	enum xsm_status st = XSM_OK;

	xsm_nics_bind(v);
	for (unsigned i = 0; i < v->n_judged; i++) {
		struct xsm_nics_judged *j = &v->judged[i];

		judge_one(v, cfg, j, now_mono, now_wall);
		if (j->flap.flapping) {
			at = j->flap.last_mono + cfg->flap_quiet_usec;
			if (next == 0 || at < next)
				next = at;
		}
	}
	reason[0] = '\0';
	if (v->role_problem[0] != '\0') {
		st = XSM_UNKNOWN;
		cat(reason, size, "management unknown: %s", v->role_problem);
	}
	for (unsigned i = 0; i < v->n_roles; i++)
		st = xsm_status_worse(st, judge_role(v, i, reason, size));
	st = xsm_status_worse(st, judge_ovs(v, reason, size));
	if (v->judged_overflow > 0)
		cat(reason, size, "%s%llu uplinks not judged (more than %u)",
		    reason[0] ? "; " : "",
		    (unsigned long long)v->judged_overflow, XSM_NICS_JUDGED_MAX);
	if (reason[0] == '\0')
		xsm_strlcpy(reason, "no role interfaces", size);
	v->samples++;
	*status = st;
	return next;
}
