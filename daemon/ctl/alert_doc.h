/* SPDX-License-Identifier: ISC */
/*
 * alert_doc.h: one line of an alert stream ("xsmonctl watch"), parsed
 * and validated before anything is printed, as doc.h does for replies:
 * the line is a JSON object, bounded in shape, with no repeated keys,
 * either an error document or of schema 1, and every field xsmonctl
 * prints has the right type. Fields it does not know are allowed (a new
 * field is not a schema change).
 *
 * The first line must be the acknowledgement ("subscribed": true and the
 * seq the client joins at) or an error; every later line an alert or an
 * error. Strings point into the parsed tree: raw text, to be sanitised
 * for a terminal (output.h).
 */
#ifndef CTL_ALERT_DOC_H
#define CTL_ALERT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "xsm.h"

/* A stream line longer than this (its '\n' excluded) is refused. */
#define CTL_STREAM_LINE_MAX (64 * 1024)

enum ctl_stream_kind {
	CTL_STREAM_ACK,
	CTL_STREAM_ALERT,
	CTL_STREAM_ERROR,
};

struct ctl_alert {
	yajl_val root;
	const char *raw;          /* the line as received */
	size_t raw_len;
	enum ctl_stream_kind kind;

	const char *host, *run;   /* ack and alert; run may be NULL */
	int64_t seq;              /* ack: last before joining; alert: >= 1 */

	const char *event, *time, *check, *subject, *reason;
	enum xsm_status severity, old_status, new_status;
	bool renotify;

	const char *err_code, *err_message;
};

/*
 * Parses line (len bytes, NUL-terminated, no NUL inside) as the first
 * line of a stream (first) or a later one. a keeps pointers into line.
 * Returns 0, or -EPROTO with a one-line reason naming the field in err.
 * Call ctl_alert_free() in every case.
 */
int ctl_alert_parse(struct ctl_alert *a, bool first, const char *line,
    size_t len, char *err, size_t errsz);

void ctl_alert_free(struct ctl_alert *a);

#endif
