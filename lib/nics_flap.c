/* SPDX-License-Identifier: ISC */
/* nics_flap.c: carrier flap episodes. */
#include "nics_flap.h"

void
xsm_nic_flap_note(struct xsm_nic_flap *f, uint32_t carrier_changes,
    uint64_t now_mono)
{
	uint32_t delta;

	if (!f->primed) {
		f->primed = true;
		f->last_changes = carrier_changes;
		return;
	}
	/* uint32 arithmetic: a wrapped counter still gives the delta. */
	delta = carrier_changes - f->last_changes;
	f->last_changes = carrier_changes;
	if (delta == 0)
		return;
	if (delta > XSM_NIC_FLAP_RING)
		delta = XSM_NIC_FLAP_RING;
	while (delta-- > 0) {
		f->at[f->head] = now_mono;
		f->head = (f->head + 1) % XSM_NIC_FLAP_RING;
		if (f->n < XSM_NIC_FLAP_RING)
			f->n++;
	}
	f->last_mono = now_mono;
}

unsigned
xsm_nic_flap_eval(struct xsm_nic_flap *f, unsigned count, uint64_t window,
    uint64_t quiet, uint64_t now_mono)
{
	unsigned in = 0, i, idx;

	if (count > XSM_NIC_FLAP_RING)
		count = XSM_NIC_FLAP_RING;
	for (i = 0; i < f->n; i++) {
		idx = (f->head + XSM_NIC_FLAP_RING - 1 - i) % XSM_NIC_FLAP_RING;
		if (now_mono - f->at[idx] > window)
			break;
		in++;
	}
	if (!f->flapping && count > 0 && in >= count) {
		f->flapping = true;
		f->episode_count = in;
	} else if (f->flapping && now_mono - f->last_mono >= quiet) {
		f->flapping = false;
		f->n = 0;   /* a new episode counts from scratch */
	}
	if (f->flapping && in > f->episode_count)
		f->episode_count = in;
	return in;
}
