/* SPDX-License-Identifier: ISC */
/*
 * nics_flap.h: carrier flap detection for one interface. count carrier
 * changes within window make one "flapping" episode; it ends after quiet
 * without a change. While it lasts the interface stays in one status, so
 * a link bouncing every second gives two edges (in, out), not a storm.
 */
#ifndef XSM_NICS_FLAP_H
#define XSM_NICS_FLAP_H

#include "nics.h"

/*
 * Notes the kernel's carrier_changes counter at now_mono: each change
 * since the last call goes into the ring (at most XSM_NIC_FLAP_RING).
 * The first call only primes the counter.
 */
void xsm_nic_flap_note(struct xsm_nic_flap *f, uint32_t carrier_changes,
    uint64_t now_mono);

/*
 * Updates f->flapping: starts when count changes fall within window of
 * now, ends once quiet has passed since the last change. count is capped
 * at XSM_NIC_FLAP_RING. Returns the changes within the window.
 */
unsigned xsm_nic_flap_eval(struct xsm_nic_flap *f, unsigned count,
    uint64_t window, uint64_t quiet, uint64_t now_mono);

#endif
