/* SPDX-License-Identifier: ISC */
/*
 * nics_ovsdp.h: which ports belong to which Open vSwitch bridge, from
 * `ovs-appctl dpif/show`. An OVS bridge (xenbr0) is an internal port
 * whose physical NICs have master ovs-system, not the bridge, so netlink
 * alone cannot say which NICs carry a role. Pure text in, table out.
 */
#ifndef XSM_NICS_OVSDP_H
#define XSM_NICS_OVSDP_H

#include "nics.h"

/*
 * Parses dpif/show text:
 *
 *   system@ovs-system: hit:1 missed:2
 *     xenbr0:
 *       eth0 1/2: (system)
 *       xenbr0 65534/1: (internal)
 *
 * Keeps the uplinks: ports that are not internal, not patch ports and
 * not guests (vif*, tap*). Fills out[0..max) and *n; ports past max are
 * counted in *overflow. Returns 0, or -EINVAL when non-empty text names
 * no datapath.
 */
int xsm_nics_parse_ovs_dpif(const char *text, struct xsm_nics_ovs_port *out,
    unsigned max, unsigned *n, uint64_t *overflow);

#endif
