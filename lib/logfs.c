/* SPDX-License-Identifier: ISC */
/* logfs.c: pure evaluation of one /var/log sample into status and reason. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "logfs.h"

#define BURST_FACTOR 8.0

void
xsm_logfs_eval_init(struct xsm_logfs_eval *ev)
{
	xsm_hyst_init(&ev->bytes);
	xsm_hyst_init(&ev->inodes);
	xsm_hyst_init(&ev->ttf);
	xsm_trend_init(&ev->trend);
}

double
xsm_logfs_used_pct(uint64_t used, uint64_t avail)
{
	uint64_t total, tenths;

	/*
	 * Halving both keeps the ratio (to 1e-15 at 8 PiB) and keeps
	 * used * 1000 + total in range.
	 */
	while (used > UINT64_MAX / 2002 || avail > UINT64_MAX / 2002) {
		used >>= 1;
		avail >>= 1;
	}
	total = used + avail;
	if (total == 0)
		return 0.0;
	/* Integer ceiling, as df does, so 79.91% reads 80.0 in both. */
	tenths = (used * 1000 + total - 1) / total;
	return (double)tenths / 10.0;
}

/* Both the reset drop and the burst floor: 0.5% of the fs, at least 1 MiB. */
static uint64_t
noise_bytes(uint64_t total)
{
	uint64_t half_pct = total / 200;

	return half_pct > XSM_MIB ? half_pct : XSM_MIB;
}

static void
cfg_pct(struct xsm_hyst_cfg *h, const struct xsm_logfs_cfg *cfg,
    double warning, double critical)
{
	*h = (struct xsm_hyst_cfg){
		.warn_on = warning, .warn_off = warning - cfg->hysteresis,
		.crit_on = critical, .crit_off = critical - cfg->hysteresis,
		.rise = cfg->rise, .fall = cfg->fall,
	};
}

/* Time to full is predicted: it clears only at twice its levels. */
static void
cfg_ttf(struct xsm_hyst_cfg *h, const struct xsm_logfs_cfg *cfg)
{
	double w = (double)cfg->ttf_warning_usec / XSM_USEC_PER_SEC;
	double c = (double)cfg->ttf_critical_usec / XSM_USEC_PER_SEC;

	*h = (struct xsm_hyst_cfg){
		.warn_on = w, .warn_off = 2 * w, .crit_on = c, .crit_off = 2 * c,
		.rise = cfg->rise, .fall = cfg->fall, .lower_is_worse = true,
	};
}

static void
fmt_bytes(double b, char *out, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned u = 0;

	if (fabs(b) < 1024) {
		snprintf(out, size, "%.0f B", b);
		return;
	}
	b /= 1024;
	while (fabs(b) >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		b /= 1024;
		u++;
	}
	snprintf(out, size, "%.1f %s", b, units[u]);
}

/* Rounded down: a prediction errs on the early side. */
static void
fmt_dur(int64_t s, char *out, size_t size)
{
	long long v = s;

	if (v < 60)
		snprintf(out, size, "%llds", v);
	else if (v < 3600)
		snprintf(out, size, "%lldm", v / 60);
	else if (v < 86400)
		snprintf(out, size, "%lldh%02lldm", v / 3600, v % 3600 / 60);
	else
		snprintf(out, size, "%lldd%02lldh", v / 86400, v % 86400 / 3600);
}

/*
 * "/var/log 91.3% used (critical at 90%)", and where it clears while the
 * hysteresis alone holds the level.
 */
static void
fmt_level(char *out, size_t size, const char *path, const char *what,
    double pct, enum xsm_status st, double warning, double critical,
    double hysteresis)
{
	double on = st == XSM_CRITICAL ? critical : warning;

	if (pct >= on)
		snprintf(out, size, "%s%s %.1f%% used (%s at %g%%)", path, what,
		    pct, xsm_status_name(st), on);
	else
		snprintf(out, size, "%s%s %.1f%% used (%s at %g%%, clears at %g%%)",
		    path, what, pct, xsm_status_name(st), on, on - hysteresis);
}

/*
 * After umount, statvfs("/var/log") succeeds on the parent fs and would
 * report its figures as ours, so a changed st_dev must be said plainly.
 */
static void
reason_mount(const struct xsm_logfs_cfg *cfg, const struct xsm_logfs_sample *s,
    char *out, size_t size)
{
	char where[XSM_PATH_MAX + 32];

	if (s->mountpoint[0] != '\0')
		snprintf(where, sizeof(where), "%s (dev %u:%u)", s->mountpoint,
		    major(s->dev), minor(s->dev));
	else
		snprintf(where, sizeof(where), "dev %u:%u", major(s->dev),
		    minor(s->dev));
	snprintf(out, size, "mount missing: filesystem under %s changed, "
	    "now on %s, expected dev %u:%u", cfg->path, where,
	    major(s->expected_dev), minor(s->expected_dev));
}

static void
reason_normal(const struct xsm_logfs_cfg *cfg, const struct xsm_logfs_view *v,
    enum xsm_status worst, char *out, size_t size)
{
	char b1[32], b2[32];

	if (worst == XSM_OK) {
		fmt_bytes((double)v->last.bytes_avail, b1, sizeof(b1));
		snprintf(out, size, "%s %.1f%% used, %s free", cfg->path,
		    v->used_pct, b1);
	} else if (v->bytes_status == worst) {
		fmt_level(out, size, cfg->path, "", v->used_pct, worst,
		    cfg->warning, cfg->critical, cfg->hysteresis);
	} else if (v->inodes_status == worst) {
		fmt_level(out, size, cfg->path, " inodes", v->inodes_used_pct,
		    worst, cfg->inodes_warning, cfg->inodes_critical,
		    cfg->hysteresis);
	} else if (v->ttf_s >= 0) {
		fmt_dur(v->ttf_s, b1, sizeof(b1));
		fmt_bytes(v->rate_bps, b2, sizeof(b2));
		snprintf(out, size, "%s full in %s at %s/s", cfg->path, b1, b2);
	} else {
		/* Held by the fall count after the prediction went away. */
		snprintf(out, size, "%s filling fast (no current prediction)",
		    cfg->path);
	}
}

static enum xsm_status
eval_ttf(struct xsm_logfs_eval *ev, const struct xsm_logfs_cfg *cfg,
    const struct xsm_logfs_sample *s, struct xsm_logfs_view *v)
{
	struct xsm_trend_cfg tc = {
		.window_usec = cfg->trend_window_usec,
		.min_span_usec = cfg->trend_min_span_usec,
		.reset_drop_bytes = noise_bytes(s->bytes_total),
		.burst_factor = BURST_FACTOR,
		.burst_floor_bytes = noise_bytes(s->bytes_total),
	};
	struct xsm_hyst_cfg hc;
	double rate = 0, ttf = INFINITY;

	xsm_trend_add(&ev->trend, &tc, s->mono_usec, s->bytes_used);
	v->rate_valid = xsm_trend_rate(&ev->trend, &tc, &rate) == 0;
	v->rate_bps = v->rate_valid ? rate : 0;
	if (v->rate_valid && rate > 0 && v->used_pct >= cfg->ttf_min_used)
		ttf = (double)s->bytes_avail / rate;
	/* 9.2e18 s is beyond any real horizon; clamp before the cast. */
	v->ttf_s = isinf(ttf) ? -1 : ttf > 9e18 ? INT64_MAX : (int64_t)ttf;
	/* No prediction feeds +inf, so the level relaxes through fall. */
	cfg_ttf(&hc, cfg);
	return xsm_hyst_update(&ev->ttf, &hc, ttf);
}

enum xsm_status
xsm_logfs_evaluate(struct xsm_logfs_eval *ev, const struct xsm_logfs_cfg *cfg,
    const struct xsm_logfs_sample *s, struct xsm_logfs_view *view,
    char *reason, size_t reason_size)
{
	struct xsm_hyst_cfg hc;
	enum xsm_status worst;
	char scratch[1];

	if (reason == NULL || reason_size == 0) {
		reason = scratch;
		reason_size = sizeof(scratch);
	}
	xsm_strlcpy(view->path, cfg->path, sizeof(view->path));
	view->warning = cfg->warning;
	view->critical = cfg->critical;
	view->inodes_warning = cfg->inodes_warning;
	view->inodes_critical = cfg->inodes_critical;
	view->last = *s;
	view->samples++;
	view->used_pct = xsm_logfs_used_pct(s->bytes_used, s->bytes_avail);
	view->inodes_used_pct = xsm_logfs_used_pct(s->inodes_used,
	    s->inodes_avail);
	if (s->error != 0 || s->mount_changed) {
		/* The figures are not ours: leave levels and trend alone. */
		view->rate_valid = false;
		view->rate_bps = 0;
		view->ttf_s = -1;
		if (s->error != 0)
			snprintf(reason, reason_size, "%s: cannot stat: %s",
			    cfg->path, strerror(abs(s->error)));
		else
			reason_mount(cfg, s, reason, reason_size);
		return XSM_CRITICAL;
	}
	cfg_pct(&hc, cfg, cfg->warning, cfg->critical);
	view->bytes_status = xsm_hyst_update(&ev->bytes, &hc, view->used_pct);
	cfg_pct(&hc, cfg, cfg->inodes_warning, cfg->inodes_critical);
	view->inodes_status = xsm_hyst_update(&ev->inodes, &hc,
	    view->inodes_used_pct);
	view->ttf_status = eval_ttf(ev, cfg, s, view);
	view->bursts_ignored = ev->trend.bursts;
	view->trend_resets = ev->trend.resets;
	worst = xsm_status_worse(view->bytes_status,
	    xsm_status_worse(view->inodes_status, view->ttf_status));
	reason_normal(cfg, view, worst, reason, reason_size);
	return worst;
}
