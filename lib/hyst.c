/* SPDX-License-Identifier: ISC */
/* hyst.c: threshold levels with on/off watermarks and rise/fall counts. */
#include <math.h>

#include "hyst.h"

void
xsm_hyst_init(struct xsm_hyst *h)
{
	h->level = XSM_OK;
	h->pending = XSM_OK;
	h->count = 0;
}

/*
 * The level this one sample points to, given where we are. Mirroring by
 * negation keeps a single set of comparisons for both directions, and an
 * infinite "no prediction" sample falls out as ok on either side.
 */
static enum xsm_status
hyst_target(enum xsm_status level, const struct xsm_hyst_cfg *c, double v)
{
	double s = c->lower_is_worse ? -1.0 : 1.0;
	double x = s * v;

	if (x >= s * c->crit_on)
		return XSM_CRITICAL;
	if (level == XSM_CRITICAL && x > s * c->crit_off)
		return XSM_CRITICAL;
	if (x >= s * c->warn_on)
		return XSM_WARNING;
	/* Leaving critical lands on warning while still above warn_off. */
	if (level != XSM_OK && x > s * c->warn_off)
		return XSM_WARNING;
	return XSM_OK;
}

enum xsm_status
xsm_hyst_update(struct xsm_hyst *h, const struct xsm_hyst_cfg *c, double v)
{
	enum xsm_status target;
	unsigned need;

	if (isnan(v))
		return h->level;
	target = hyst_target(h->level, c, v);
	if (target == h->level) {
		/* One sample back home cancels whatever was building up. */
		h->pending = h->level;
		h->count = 0;
		return h->level;
	}
	if (target != h->pending) {
		h->pending = target;
		h->count = 0;
	}
	h->count++;
	need = xsm_status_rank(target) > xsm_status_rank(h->level) ?
	    c->rise : c->fall;
	if (need == 0)
		need = 1;
	if (h->count >= need) {
		h->level = target;
		h->pending = target;
		h->count = 0;
	}
	return h->level;
}
