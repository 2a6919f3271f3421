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

struct xsm_config {
	struct xsm_control_cfg control;
	struct xsm_logfs_cfg logfs;
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
