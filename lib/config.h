/* SPDX-License-Identifier: ISC */
/*
 * config.h: xsmond's configuration, parsed from INI text with inih.
 *
 * Parsing is pure: the caller reads the file and passes the text. A config
 * is a value: parse into a fresh struct, validate, then swap it in.
 */
#ifndef XSM_CONFIG_H
#define XSM_CONFIG_H

#include "xsm.h"

#define XSM_PATH_MAX 256
#define XSM_SOCKET_PATH_MAX 108  /* sizeof(sun_path) */

struct xsm_control_cfg {
	char socket[XSM_SOCKET_PATH_MAX]; /* default /run/xsmond/xsmond.sock */
	char group[64];         /* may query besides root; "" = root only */
	unsigned max_clients;   /* 16 */
	unsigned request_max;   /* bytes, 4096 */
	uint64_t idle_timeout_usec; /* 5 s */
	uint64_t output_max;    /* bytes queued per client, 1 MiB */
};

struct xsm_logfs_cfg {
	bool enabled;             /* run this watcher, yes */
	char path[XSM_PATH_MAX];  /* /var/log */
	double warning;           /* percent of bytes used, 80 */
	double critical;          /* 90 */
	double inodes_warning;    /* percent of inodes used, 80 */
	double inodes_critical;   /* 90 */
	double hysteresis;        /* percentage points below a level to clear, 2 */
	unsigned rise;            /* samples to worsen, 1 */
	unsigned fall;            /* samples to improve, 1 */
	uint64_t ttf_warning_usec;  /* predicted full within: warning, 6 h */
	uint64_t ttf_critical_usec; /* critical, 1 h */
	double ttf_min_used;      /* no prediction below this % used, 20 */
	uint64_t trend_window_usec;   /* 1 h */
	uint64_t trend_min_span_usec; /* 15 min */
	uint64_t settle_usec;     /* delay after a write event, 200 ms */
	uint64_t safety_interval_usec; /* slow timer, 60 s */
	uint64_t scan_interval_usec;   /* tree walk and /proc scan, 5 min */
	unsigned top;             /* files and dirs listed, 10 */
};

/* Interface names (IFNAMSIZ is 16 with the NUL). */
#define XSM_IFNAME_MAX 16
#define XSM_IFNAMES_MAX 8        /* names in one list key */
#define XSM_PATHS_MAX 8          /* paths in one list key */

struct xsm_nics_cfg {
	bool enabled;             /* run this watcher, yes */
	char management[XSM_IFNAME_MAX]; /* "" = from the inventory */
	/* Comma-separated interface names, canonical "a,b" ("" = none). */
	char storage[XSM_IFNAMES_MAX * XSM_IFNAME_MAX];
	char inventory[XSM_PATH_MAX];    /* /etc/xensource-inventory */
	uint64_t counters_interval_usec; /* counter sampling, 10 s */
	double error_rate_warning;       /* rx+tx errors per second, 1 */
	double error_rate_critical;      /* 100 */
	double drop_rate_warning;        /* rx+tx drops per second, 10 */
	double drop_rate_critical;       /* 1000 */
	unsigned flap_count;             /* carrier changes ... 5 */
	uint64_t flap_window_usec;       /* ... within this: flapping, 60 s */
	uint64_t flap_quiet_usec;        /* no change this long clears it, 60 s */
	unsigned rcvbuf;                 /* netlink SO_RCVBUF asked, 1M */
	char ovs_appctl[XSM_PATH_MAX];   /* /usr/bin/ovs-appctl */
	uint64_t bond_interval_usec;     /* OVS bond/show poll, 10 s */
};

struct xsm_rsyslog_cfg {
	bool enabled;             /* run this watcher, yes */
	char pidfile[XSM_PATH_MAX];      /* "" = first existing default */
	char syslog_socket[XSM_PATH_MAX]; /* /dev/log */
	/* Comma-separated absolute paths, canonical "a,b". */
	char target[XSM_PATHS_MAX * XSM_PATH_MAX];
	uint64_t canary_interval_usec;   /* 5 min */
	uint64_t canary_timeout_usec;    /* 30 s */
	char impstats[XSM_PATH_MAX];     /* "" = none */
	uint64_t impstats_max_age_usec;  /* stale stats file: warning, 15 min */
	unsigned queue_warning;          /* messages queued in one queue, 1000 */
	unsigned queue_critical;         /* 10000 */
	uint64_t liveness_interval_usec; /* poll without pidfd, 5 s */
	bool use_pidfd;                  /* yes; no forces the poll fallback */
};

struct xsm_xenstore_cfg {
	bool enabled;             /* run this watcher, yes */
	char path[XSM_PATH_MAX];         /* "" = libxenstore's default */
	uint64_t probe_interval_usec;    /* 10 s */
	uint64_t probe_warning_usec;     /* slower answer: warning, 250 ms */
	uint64_t probe_timeout_usec;     /* no answer: critical, 5 s */
	uint64_t reconnect_max_usec;     /* longest retry backoff, 30 s */
	uint64_t device_stuck_usec;      /* device not connected, 60 s */
	unsigned quota_entries;          /* xenstored's per-domain entries, 1000 */
	double quota_warning;            /* percent of that, 80 */
};

/* [alerts]: every edge as one alert to syslog (README, "Alerts"). */
struct xsm_alerts_cfg {
	bool enabled;                    /* yes */
	char format[16];                 /* "cee" (default) or "rfc5424" */
	char socket[XSM_PATH_MAX];       /* "" = [rsyslog] syslog_socket */
	char sd_id[33];                  /* RFC 5424 SD-ID, xsmon@32473 */
	uint64_t renotify_usec;          /* re-send unresolved critical, 0 off */
};

/* [metrics]: xsmond keeps node_exporter's textfile itself (README). */
struct xsm_metrics_cfg {
	char textfile_dir[XSM_PATH_MAX]; /* "" = off (the default) */
	uint64_t textfile_interval_usec; /* at most one write per, 15 s */
	char xsmonctl[XSM_PATH_MAX];     /* /usr/bin/xsmonctl */
};

struct xsm_config {
	struct xsm_control_cfg control;
	struct xsm_logfs_cfg logfs;
	struct xsm_nics_cfg nics;
	struct xsm_rsyslog_cfg rsyslog;
	struct xsm_xenstore_cfg xenstore;
	struct xsm_alerts_cfg alerts;
	struct xsm_metrics_cfg metrics;
};

/* Every error of one parse, each with its line (0 for file-level ones). */
#define XSM_ERRLIST_MAX 32
struct xsm_errlist {
	unsigned n;
	unsigned dropped;   /* errors beyond XSM_ERRLIST_MAX */
	struct xsm_err e[XSM_ERRLIST_MAX];
};

/* Fills c with the documented defaults. */
void xsm_config_defaults(struct xsm_config *c);

/*
 * Parses INI text over the defaults into *out and validates it. Unknown
 * sections and keys, malformed and out-of-range values and inconsistent
 * combinations (warning >= critical) are errors; every one is added to
 * errs with its line. Returns 0, or -EINVAL when errs->n > 0 (out is then
 * unspecified and must not be used).
 */
int xsm_config_parse(const char *text, struct xsm_config *out,
    struct xsm_errlist *errs);

/*
 * Appends the normalised config (every key, canonical units, one section
 * after another) to out. Parsing that text again gives the same config.
 * Returns 0 or a negative errno from xsm_buf_append.
 */
int xsm_config_print(const struct xsm_config *c, struct xsm_buf *out);

/*
 * Durations: an integer with an optional unit ms, s, m, h or d (bare is
 * seconds). Returns 0 or -EINVAL / -ERANGE. Exposed for tests and reuse.
 */
int xsm_parse_duration(const char *s, uint64_t *usec);
/* Canonical form: the largest unit that divides it exactly ("250ms","5m"). */
void xsm_format_duration(uint64_t usec, char *out, size_t size);
/*
 * Sizes: an integer with an optional unit K, M, G (powers of 1024).
 * xsm_parse_size returns 0, or -EINVAL / -ERANGE (*bytes is then unspecified).
 * xsm_format_size writes the canonical form (the largest unit that
 * divides it exactly: "4K", "1M", "1000") into out, truncating to size.
 */
int xsm_parse_size(const char *s, uint64_t *bytes);
void xsm_format_size(uint64_t bytes, char *out, size_t size);

#endif
