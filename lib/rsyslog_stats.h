/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_stats.h: rsyslog's impstats lines (json, json-elasticsearch,
 * cee and legacy formats, with or without log.file's date prefix) and the
 * table of action and queue counters they update.
 */
#ifndef XSM_RSYSLOG_STATS_H
#define XSM_RSYSLOG_STATS_H

#include "rsyslog.h"

enum xsm_impstats_kind {
	XSM_IMPSTATS_OTHER,     /* a well-formed line of another origin */
	XSM_IMPSTATS_ACTION,    /* origin core.action */
	XSM_IMPSTATS_QUEUE,     /* origin core.queue */
};

/* Counter slots: action and queue use their own meanings. */
enum {
	XSM_IS_PROCESSED = 0, XSM_IS_FAILED, XSM_IS_SUSPENDED,
	XSM_IS_SUSPENDED_DURATION, XSM_IS_RESUMED,
};
enum {
	XSM_IS_SIZE = 0, XSM_IS_ENQUEUED, XSM_IS_FULL, XSM_IS_DISCARDED_FULL,
	XSM_IS_DISCARDED_NF, XSM_IS_MAXQSIZE,
};
#define XSM_IS_FIELDS 6

struct xsm_impstats_rec {
	enum xsm_impstats_kind kind;
	char name[XSM_RSYSLOG_NAME_MAX];  /* cut to fit */
	uint64_t v[XSM_IS_FIELDS];
	bool has[XSM_IS_FIELDS];
};

/*
 * Parses one impstats line (len bytes, no newline; NUL not needed).
 * JSON lines ("{...}", optionally after "DATE: " or "@cee:") are parsed
 * with yajl; legacy ones are "NAME: origin=ORIGIN key=value ...", the
 * name being what follows the last ": " before "origin=" (so a syslog
 * header or date is not taken into it). Counter values must be
 * non-negative integers below 2^63. Returns 0 with *rec filled, or
 * -EINVAL for anything else (rec is then unspecified).
 */
int xsm_impstats_parse_line(const char *line, size_t len,
    struct xsm_impstats_rec *rec);

/*
 * Applies one parsed record to the table: finds the action or queue by
 * name (adding it while there is room; over the cap the update is
 * counted in names_dropped), stores the counters and their deltas and
 * updates the streaks. A counter below its previous value (rsyslogd
 * restarted, or resetCounters) counts a reset and its delta is its
 * new value. Other kinds only count the line.
 */
void xsm_rsyslog_stats_apply(struct xsm_rsyslog_stats *s,
    const struct xsm_impstats_rec *rec);

/* Parses and applies a line; a bad line counts a parse error. */
void xsm_rsyslog_stats_line(struct xsm_rsyslog_stats *s, const char *line,
    size_t len);

#endif
