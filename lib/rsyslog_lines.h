/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_lines.h: splits a byte stream read in arbitrary chunks into
 * lines, holding back a partial last line until its newline arrives.
 * Memory is bounded by the line cap: a longer line is skipped up to its
 * newline and counted, never buffered.
 */
#ifndef XSM_RSYSLOG_LINES_H
#define XSM_RSYSLOG_LINES_H

#include "xsm.h"

struct xsm_linebuf {
	char *buf;          /* the partial line; allocated on first need */
	size_t len;
	size_t cap;         /* longest line kept, without its newline */
	bool skipping;      /* inside a line over the cap */
	uint64_t too_long;  /* lines skipped for their length */
};

/* Called once per complete line (len bytes, no newline, not NUL-terminated). */
typedef void xsm_line_fn(void *ctx, const char *line, size_t len);

/* Empties lb with the given cap (> 0). Allocates nothing. */
void xsm_linebuf_init(struct xsm_linebuf *lb, size_t cap);

/* Frees the partial-line buffer. Safe twice. */
void xsm_linebuf_free(struct xsm_linebuf *lb);

/* Forgets a partial line (the file it came from was replaced). */
void xsm_linebuf_reset(struct xsm_linebuf *lb);

/*
 * Feeds n bytes: fn gets every line completed by them, in order; what
 * follows the last newline is kept for the next call. Returns 0, or
 * -ENOMEM when the partial-line buffer cannot be allocated (the partial
 * line is then dropped and counted as too long).
 */
int xsm_linebuf_feed(struct xsm_linebuf *lb, const char *p, size_t n,
    xsm_line_fn *fn, void *ctx);

#endif
