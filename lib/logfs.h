/* SPDX-License-Identifier: ISC */
/*
 * logfs.h: the /var/log partition check: what the watcher measures, what
 * is shown, and the pure evaluation between them.
 */
#ifndef XSM_LOGFS_H
#define XSM_LOGFS_H

#include "config.h"
#include "hyst.h"
#include "trend.h"
#include "xsm.h"

#define XSM_LOGFS_TOP_MAX 32

/* One statvfs/stat of the watched path, taken by the daemon. */
struct xsm_logfs_sample {
	int error;            /* 0, or the errno of stat/statvfs (ENOENT...) */
	bool mount_changed;   /* st_dev differs from the one seen at start */
	uint64_t dev;         /* st_dev of the path now */
	uint64_t expected_dev;/* st_dev recorded when watching began */
	char mountpoint[XSM_PATH_MAX]; /* from /proc/self/mountinfo, or "" */
	char fstype[32];      /* from /proc/self/mountinfo, or "" */
	uint64_t bytes_total; /* f_blocks * f_frsize */
	uint64_t bytes_used;  /* (f_blocks - f_bfree) * f_frsize */
	uint64_t bytes_avail; /* f_bavail * f_frsize: free to non-root */
	uint64_t inodes_total;
	uint64_t inodes_used;
	uint64_t inodes_avail;
	uint64_t mono_usec;   /* when it was taken */
};

struct xsm_logfs_file {
	char path[XSM_PATH_MAX];  /* relative to the watched path */
	uint64_t bytes;           /* allocated size (st_blocks * 512) */
	int64_t growth;           /* bytes gained since the previous scan */
};

struct xsm_logfs_deleted {
	int pid;
	char comm[16];
	int fd;
	char path[XSM_PATH_MAX];  /* the link target without " (deleted)" */
	uint64_t bytes;
};

/* The slower scan: tree walk and /proc/PID/fd walk. */
struct xsm_logfs_scan {
	bool valid;                 /* at least one scan completed */
	uint64_t at_usec;           /* wall clock of the scan */
	uint64_t window_usec;       /* time since the previous scan (growth) */
	uint64_t files_seen;
	bool truncated;             /* the walk hit its file cap */
	int deleted_error;          /* 0, or errno when /proc was unreadable */
	/*
	 * Processes whose fds could not be read (EACCES: xsmond without
	 * CAP_SYS_PTRACE, as the hardened unit runs it, cannot read the fds
	 * of a process holding capabilities it lacks). Their files are not
	 * in deleted_bytes: the figure is a lower bound when this is not 0.
	 */
	unsigned deleted_unreadable;
	uint64_t deleted_bytes;     /* sum over all deleted-but-open files */
	unsigned deleted_count;
	unsigned n_deleted;         /* entries listed below (largest first) */
	struct xsm_logfs_deleted deleted[XSM_LOGFS_TOP_MAX];
	unsigned n_files;           /* largest files, largest first */
	struct xsm_logfs_file files[XSM_LOGFS_TOP_MAX];
	unsigned n_dirs;            /* largest directories (recursive) */
	struct xsm_logfs_file dirs[XSM_LOGFS_TOP_MAX];
	unsigned n_growers;         /* largest growth first, growth > 0 */
	struct xsm_logfs_file growers[XSM_LOGFS_TOP_MAX];
};

/* What is rendered under checks.logfs. */
struct xsm_logfs_view {
	char path[XSM_PATH_MAX];
	struct xsm_logfs_sample last;
	double used_pct;            /* of bytes, as df computes it */
	double inodes_used_pct;
	double warning, critical;   /* the levels judged against (config) */
	double inodes_warning, inodes_critical;
	bool rate_valid;
	double rate_bps;            /* growth, bytes per second */
	int64_t ttf_s;              /* predicted seconds to full, -1 none */
	enum xsm_status bytes_status, inodes_status, ttf_status;
	uint64_t samples;           /* evaluations so far */
	uint64_t events;            /* filesystem events seen by the watcher */
	uint64_t bursts_ignored;
	uint64_t trend_resets;
	struct xsm_logfs_scan scan;
};

/* Evaluator memory that persists between samples. */
struct xsm_logfs_eval {
	struct xsm_hyst bytes;
	struct xsm_hyst inodes;
	struct xsm_hyst ttf;
	struct xsm_trend trend;
};

/*
 * Resets ev for a new watch: every hysteresis to ok with nothing pending
 * and an empty trend (no rate, so no time to full, until the trend's
 * min span has passed). Cannot fail; ev is the caller's and holds no
 * allocated memory.
 */
void xsm_logfs_eval_init(struct xsm_logfs_eval *ev);

/*
 * df's percentage: used / (used + avail), rounded up to 0.1 as df rounds,
 * so it matches what an admin sees in `df`. 0 when the fs reports nothing.
 */
double xsm_logfs_used_pct(uint64_t used, uint64_t avail);

/*
 * Evaluates one sample with cfg. Updates the hysteresis and trend in ev,
 * fills the sample-derived fields of view (not view->scan, not counters
 * other than samples), and writes a one-line reason. Returns the check's
 * status: critical for an error or a changed mount, else the worst of
 * bytes, inodes and time to full.
 */
enum xsm_status xsm_logfs_evaluate(struct xsm_logfs_eval *ev,
    const struct xsm_logfs_cfg *cfg, const struct xsm_logfs_sample *s,
    struct xsm_logfs_view *view, char *reason, size_t reason_size);

#endif
