/* SPDX-License-Identifier: ISC */
/*
 * trend.c: burst-robust growth rate over a window of monotonic time.
 *
 * The estimator is the sum of the kept increments over the sum of their
 * durations. Bytes used is an exact counter, not a noisy measurement, so
 * there is no noise for a least-squares fit to average out: net growth
 * over the time it took is the mean rate by definition. Leaving a burst
 * out then removes exactly its bytes and its interval, which is the same
 * as assuming the fs grew at the mean rate while the burst was written.
 * A fit would also weight the window's ends more than its middle, so a
 * runaway writer would move the slope by where it sits in the window
 * rather than by the bytes it wrote. The sum is O(n) and exact in
 * integers up to the final division.
 *
 * Outliers are judged against the median increment *rate* (bytes per
 * second) so that an uneven gap between samples (the daemon samples on
 * write events and on a timer) is not mistaken for a burst. For evenly
 * spaced points this is exactly "factor times the median increment".
 */
#include <errno.h>
#include <stdlib.h>

#include "trend.h"

#define NINC (XSM_TREND_POINTS - 1)

/* Increments between consecutive points, oldest first. */
struct incs {
	unsigned m;
	int64_t d[NINC];
	uint64_t dt[NINC];
	bool out[NINC];
};

void
xsm_trend_init(struct xsm_trend *t)
{
	*t = (struct xsm_trend){ 0 };
}

static struct xsm_trend_point *
pt(struct xsm_trend *t, unsigned i)
{
	return &t->pts[(t->head + i) % XSM_TREND_POINTS];
}

static const struct xsm_trend_point *
cpt(const struct xsm_trend *t, unsigned i)
{
	return &t->pts[(t->head + i) % XSM_TREND_POINTS];
}

static void
trend_clear(struct xsm_trend *t)
{
	t->head = 0;
	t->n = 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Builds the increments and marks the outliers. The lower median is used
 * for an even count: with two increments, one idle and one burst, the
 * burst must still stand out.
 */
static void
incs_build(const struct xsm_trend *t, const struct xsm_trend_cfg *c,
    struct incs *x)
{
	double r[NINC], med;

	x->m = t->n > 1 ? t->n - 1 : 0;
	for (unsigned k = 0; k < x->m; k++) {
		const struct xsm_trend_point *a = cpt(t, k), *b = cpt(t, k + 1);

		x->dt[k] = b->t_usec - a->t_usec;
		x->d[k] = b->value >= a->value ? (int64_t)(b->value - a->value) :
		    -(int64_t)(a->value - b->value);
		r[k] = (double)x->d[k] / (double)x->dt[k];
	}
	if (x->m == 0)
		return;
	qsort(r, x->m, sizeof(r[0]), cmp_double);
	med = r[(x->m - 1) / 2];
	for (unsigned k = 0; k < x->m; k++)
		x->out[k] = x->d[k] > 0 &&
		    (uint64_t)x->d[k] > c->burst_floor_bytes &&
		    (double)x->d[k] > c->burst_factor * med * (double)x->dt[k];
}

/*
 * An outlier with no outlier next to it is a burst. The newest increment
 * has no right neighbour yet, so a newest outlier stays out until the next
 * point shows whether the writer kept going.
 */
static bool
incs_left_out(const struct incs *x, unsigned k)
{
	if (!x->out[k])
		return false;
	if (k > 0 && x->out[k - 1])
		return false;
	if (k + 1 < x->m && x->out[k + 1])
		return false;
	return true;
}

static uint64_t
drop_from_peak(const struct xsm_trend *t, uint64_t v)
{
	uint64_t peak = 0;

	for (unsigned i = 0; i < t->n; i++)
		if (cpt(t, i)->value > peak)
			peak = cpt(t, i)->value;
	return peak > v ? peak - v : 0;
}

/*
 * Counts a burst once, when its verdict is final: an increment is judged
 * when the increment after it is final, which is when the point two after
 * it is committed, i.e. when a third point is appended behind it.
 */
static void
count_burst(struct xsm_trend *t, const struct xsm_trend_cfg *c)
{
	struct incs x;

	if (t->n < 4)
		return;
	incs_build(t, c, &x);
	if (incs_left_out(&x, x.m - 3))
		t->bursts++;
}

void
xsm_trend_add(struct xsm_trend *t, const struct xsm_trend_cfg *c,
    uint64_t t_usec, uint64_t value)
{
	uint64_t gap = c->window_usec / (XSM_TREND_POINTS / 2);

	if (t->n > 0 && t_usec < pt(t, t->n - 1)->t_usec) {
		trend_clear(t);
	} else if (t->n > 0 && drop_from_peak(t, value) > c->reset_drop_bytes) {
		/*
		 * Measured from the window's peak, not the previous sample: a
		 * rotation that unlinks files one by one shows as several
		 * small drops.
		 */
		trend_clear(t);
		t->resets++;
	}
	/*
	 * The newest point is always the latest sample. It is committed
	 * (a new point appended after it) only once it lies gap or more
	 * past the last committed point; until then the next sample
	 * replaces it. Committed points are thus at least gap apart and a
	 * window fits in half the ring however often the caller samples.
	 */
	if (t->n > 0 && (t_usec == pt(t, t->n - 1)->t_usec ||
	    (t->n >= 2 && pt(t, t->n - 1)->t_usec -
	    pt(t, t->n - 2)->t_usec < gap))) {
		*pt(t, t->n - 1) = (struct xsm_trend_point){ t_usec, value };
	} else {
		if (t->n == XSM_TREND_POINTS) {
			t->head = (t->head + 1) % XSM_TREND_POINTS;
			t->n--;
		}
		*pt(t, t->n) = (struct xsm_trend_point){ t_usec, value };
		t->n++;
		count_burst(t, c);
	}
	while (t->n > 1 && pt(t, 0)->t_usec + c->window_usec < t_usec) {
		t->head = (t->head + 1) % XSM_TREND_POINTS;
		t->n--;
	}
}

int
xsm_trend_rate(const struct xsm_trend *t, const struct xsm_trend_cfg *c,
    double *rate)
{
	struct incs x;
	int64_t sum = 0;
	uint64_t kept = 0;

	if (t->n < 2 ||
	    cpt(t, t->n - 1)->t_usec - cpt(t, 0)->t_usec < c->min_span_usec)
		return -EAGAIN;
	incs_build(t, c, &x);
	for (unsigned k = 0; k < x.m; k++) {
		if (incs_left_out(&x, k))
			continue;
		sum += x.d[k];
		kept += x.dt[k];
	}
	if (kept == 0)
		return -EAGAIN;
	*rate = (double)sum * (double)XSM_USEC_PER_SEC / (double)kept;
	return 0;
}
