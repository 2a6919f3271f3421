/* SPDX-License-Identifier: ISC */
/*
 * hyst.h: threshold levels with hysteresis and rise/fall counts.
 *
 * Hysteresis is data: a level is entered at one value and left at another,
 * and a change of level needs `rise` (worse) or `fall` (better) consecutive
 * samples that agree, so a value sitting on a threshold does not flap.
 */
#ifndef XSM_HYST_H
#define XSM_HYST_H

#include "xsm.h"

struct xsm_hyst_cfg {
	double warn_on;   /* enter warning at this value (inclusive) */
	double warn_off;  /* leave warning once past this value */
	double crit_on;   /* enter critical at this value (inclusive) */
	double crit_off;  /* leave critical once past this value */
	unsigned rise;    /* samples in a row needed to worsen (0 counts as 1) */
	unsigned fall;    /* samples in a row needed to improve (0 counts as 1) */
	bool lower_is_worse; /* e.g. time to full: small values are bad */
};

struct xsm_hyst {
	enum xsm_status level;    /* XSM_OK, XSM_WARNING or XSM_CRITICAL */
	enum xsm_status pending;  /* level the recent samples point to */
	unsigned count;           /* consecutive samples pointing to pending */
};

/* Starts at XSM_OK with nothing pending. */
void xsm_hyst_init(struct xsm_hyst *h);

/*
 * Feeds one sample; returns the (possibly new) level. With
 * lower_is_worse=false a level is entered when v >= *_on and kept while
 * v > *_off; with lower_is_worse=true the comparisons are mirrored.
 * NaN samples are ignored (the level and counts stay).
 */
enum xsm_status xsm_hyst_update(struct xsm_hyst *h,
    const struct xsm_hyst_cfg *c, double v);

#endif
