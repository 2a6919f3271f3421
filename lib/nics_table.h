/* SPDX-License-Identifier: ISC */
/*
 * nics_table.h: the link table of struct xsm_nics_view, keyed by ifindex
 * (sorted, binary search), fed by the netlink walker's messages. A
 * rename is a new name on the same ifindex: nothing else moves.
 */
#ifndef XSM_NICS_TABLE_H
#define XSM_NICS_TABLE_H

#include "nics.h"
#include "nics_nl.h"

/* The link with that ifindex, or NULL. */
struct xsm_nic *xsm_nics_find(struct xsm_nics_view *v, int ifindex);
const struct xsm_nic *xsm_nics_find_const(const struct xsm_nics_view *v,
    int ifindex);
/* The first link with that name, or NULL. */
const struct xsm_nic *xsm_nics_find_name(const struct xsm_nics_view *v,
    const char *name);

/*
 * Applies one link message: RTM_DELLINK removes the link, RTM_NEWLINK
 * inserts or replaces it (every field of a kernel RTM_NEWLINK is a full
 * fill; the addresses are kept) and clears its stale mark. Returns 0,
 * -ENOSPC when the table holds XSM_NICS_LINKS_MAX links (counted in
 * links_overflow), or -ENOMEM (the table is unchanged).
 */
int xsm_nics_link_apply(struct xsm_nics_view *v, const struct xsm_nl_link *l);

/*
 * Adds or removes one address of a known link. Adding one already there
 * clears its stale mark. More than XSM_NIC_ADDRS_MAX are counted in
 * addrs_overflow and flagged on the link. Returns true when the link's
 * address list changed.
 */
bool xsm_nics_addr_apply(struct xsm_nics_view *v, const struct xsm_nl_addr *a);

/* Resync: marks every link (or every address) stale ... */
void xsm_nics_mark_links(struct xsm_nics_view *v);
void xsm_nics_mark_addrs(struct xsm_nics_view *v);
/* ... and drops what a complete dump did not confirm; returns how many. */
unsigned xsm_nics_sweep_links(struct xsm_nics_view *v);
unsigned xsm_nics_sweep_addrs(struct xsm_nics_view *v);

/* "10.0.1.5/24" or "fd00::5/64" into out (>= 64 bytes). */
char *xsm_nics_addr_str(const struct xsm_nic_addr *a, char *out, size_t size);

/* True for an address the admin can reach the host at (not link-local,
 * not host scope). */
bool xsm_nics_addr_usable(const struct xsm_nic_addr *a);

#endif
