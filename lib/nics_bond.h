/* SPDX-License-Identifier: ISC */
/*
 * nics_bond.h: parsers for what the kernel and Open vSwitch say about
 * bonds, and for XenServer's inventory. Pure text in, structs out; every
 * field is bounded, unknown lines are skipped.
 */
#ifndef XSM_NICS_BOND_H
#define XSM_NICS_BOND_H

#include "nics.h"

/*
 * /proc/net/bonding/NAME (bonding driver v3.x to v5.x/6.x). Fills *out
 * (zeroed first; valid set when the text names a bonding mode). Slaves
 * beyond XSM_NIC_SLAVES_MAX are left out. Returns 0 or -EINVAL.
 */
int xsm_nics_parse_proc_bonding(const char *text, struct xsm_nics_bond_proc *out);

/*
 * `ovs-appctl bond/show` (all bonds: "---- NAME ----" sections; "slave"
 * in OVS < 2.15, "member" later). Fills out[0..max) and *n. Returns 0, or
 * -EINVAL when no bond section was found in non-empty text.
 */
int xsm_nics_parse_ovs_bonds(const char *text, struct xsm_nics_ovs_bond *out,
    unsigned max, unsigned *n);

/*
 * MANAGEMENT_INTERFACE from /etc/xensource-inventory text
 * (KEY='value' lines, quotes optional). Returns 0, -ENOENT when absent
 * or empty, -EINVAL when the value is not a valid interface name.
 */
int xsm_nics_inventory_management(const char *text, char *out, size_t size);

/* Valid Linux interface name: 1..15 bytes, no '/', ':', whitespace. */
bool xsm_nics_ifname_valid(const char *s);

#endif
