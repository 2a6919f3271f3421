/* SPDX-License-Identifier: ISC */
/*
 * nics_eval.h: roles, the interfaces judged under them, flaps, rates and
 * the nics check's status and reason. Pure: the daemon feeds the link
 * table (nics_table.h), calls these with the time, and applies the
 * result to the state model.
 */
#ifndef XSM_NICS_EVAL_H
#define XSM_NICS_EVAL_H

#include "config.h"
#include "nics.h"

/*
 * Sets the roles afresh: management (may be "") from source ("config"
 * or "inventory"), storage from the canonical "a,b" list. problem says
 * why management is unknown when mgmt is "" (kept in role_problem).
 * Judged entries are dropped; bindings happen in xsm_nics_evaluate().
 */
void xsm_nics_roles_set(struct xsm_nics_view *v, const char *mgmt,
    const char *source, const char *storage, const char *problem);

/*
 * Counter rates of every judged link from its counters now and at the
 * previous call (the counters dump). Negative deltas (a driver reset)
 * give no rate for that interval.
 */
void xsm_nics_rates_update(struct xsm_nics_view *v, uint64_t now_mono);

/*
 * Binds roles to links (a bound ifindex is kept across renames; a role
 * whose link is gone binds again by name), rebuilds the judged set (role
 * links, their ports through IFLA_MASTER, the slaves of bonds among
 * them), counts carrier changes into each one's flap ring, judges each
 * and the check. Writes the check's status into *status and its reason
 * into reason. Per-interface status changes set since (now_wall) and
 * bump transitions. Returns the monotonic time at which a flapping
 * interface will have been quiet long enough (the caller evaluates again
 * then), or 0 when none is flapping.
 */
uint64_t xsm_nics_evaluate(struct xsm_nics_view *v,
    const struct xsm_nics_cfg *cfg, uint64_t now_mono, uint64_t now_wall,
    enum xsm_status *status, char *reason, size_t size);

/*
 * Binds roles to links and rebuilds the judged set (the first step of
 * xsm_nics_evaluate; the daemon calls it alone before a counters dump
 * to know whether any role link exists).
 */
void xsm_nics_bind(struct xsm_nics_view *v);

/*
 * A guest's port rather than an uplink of the host: kind vif or tun, or
 * named vif* (netback) or tap* (emulated NICs). Guest ports are never
 * judged: their carrier follows the guest, not the host's network.
 */
bool xsm_nics_is_guest(const struct xsm_nic *n);
bool xsm_nics_guest_name(const char *name);

/* "management" or "storage". */
const char *xsm_nics_role_name(enum xsm_nics_role_kind k);

/* The judged entry for ifindex (first one), or NULL. */
const struct xsm_nics_judged *xsm_nics_judged_find(
    const struct xsm_nics_view *v, int ifindex);

/* Names of RFC 2863 operstates: "up", "down", "lowerlayerdown"... */
const char *xsm_nics_operstate_name(unsigned op);

#endif
