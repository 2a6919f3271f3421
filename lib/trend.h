/* SPDX-License-Identifier: ISC */
/*
 * trend.h: growth rate of a quantity (bytes used) that is robust to bursts.
 *
 * Usage of /var/log is a sawtooth: it climbs between rotations, drops at a
 * rotation, and sees one-off bursts (a core dump, a bugtool run). The rate
 * is estimated over a long window on monotonic time. A drop larger than
 * reset_drop_bytes starts a new window (rotation). An isolated increment
 * that is an outlier (> burst_factor times the median increment and >
 * burst_floor_bytes) is a burst and is left out of the rate; two or more
 * outliers in a row are sustained growth (a runaway writer) and count.
 * The newest outlier is provisional: it is left out until the next sample
 * says whether it was isolated.
 */
#ifndef XSM_TREND_H
#define XSM_TREND_H

#include "xsm.h"

#define XSM_TREND_POINTS 128

struct xsm_trend_cfg {
	uint64_t window_usec;       /* span the rate is computed over */
	uint64_t min_span_usec;     /* no rate until the window covers this */
	uint64_t reset_drop_bytes;  /* a drop larger than this resets */
	double burst_factor;        /* outlier: > factor * median increment */
	uint64_t burst_floor_bytes; /* ... and larger than this */
};

struct xsm_trend_point {
	uint64_t t_usec;   /* monotonic */
	uint64_t value;
};

struct xsm_trend {
	struct xsm_trend_point pts[XSM_TREND_POINTS]; /* ring, oldest first */
	unsigned head;     /* index of the oldest point */
	unsigned n;        /* points held */
	uint64_t resets;   /* windows restarted by a drop */
	uint64_t bursts;   /* increments left out as isolated bursts */
};

/*
 * Empties t: no points, so no rate until min_span_usec of new samples;
 * the resets and bursts counters start at 0. Cannot fail; t is the
 * caller's (no memory is allocated, so there is nothing to free).
 */
void xsm_trend_init(struct xsm_trend *t);

/*
 * Adds a sample. Samples closer than window/(XSM_TREND_POINTS/2) to the
 * previous kept point replace it (so memory is fixed and a busy caller
 * cannot shrink the window). Time going backwards resets the trend.
 */
void xsm_trend_add(struct xsm_trend *t, const struct xsm_trend_cfg *c,
    uint64_t t_usec, uint64_t value);

/*
 * Rate in units per second over the current window, bursts left out.
 * Returns 0 and sets *rate, or -EAGAIN while the window spans less than
 * min_span_usec.
 */
int xsm_trend_rate(const struct xsm_trend *t, const struct xsm_trend_cfg *c,
    double *rate);

#endif
