/* SPDX-License-Identifier: ISC */
/*
 * xsm.h: the few types every part of xsmon shares.
 *
 * lib/ is pure: no I/O, no clock reads, no logging. Callers pass time in as
 * microseconds (uint64_t *_usec): wall clock where a value is reported to a
 * person, CLOCK_MONOTONIC where it is used for rates and deadlines.
 */
#ifndef XSM_H
#define XSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XSM_VERSION "0.1.0"
#define XSM_SCHEMA 1

#define XSM_USEC_PER_SEC 1000000ULL

/*
 * Units, once for all of lib/: durations in microseconds (the unit every
 * *_usec value is in), sizes in bytes (powers of 1024). All are unsigned
 * long long, so products like 30 * XSM_DAY do not overflow int.
 */
#define XSM_MS 1000ULL
#define XSM_SEC XSM_USEC_PER_SEC
#define XSM_MIN (60 * XSM_SEC)
#define XSM_HOUR (60 * XSM_MIN)
#define XSM_DAY (24 * XSM_HOUR)
#define XSM_KIB 1024ULL
#define XSM_MIB (1024 * XSM_KIB)
#define XSM_GIB (1024 * XSM_MIB)

/*
 * Status of a check. The numeric values are the Nagios plugin exit codes,
 * so xsmonctl can exit with them directly. They are NOT the severity order:
 * use xsm_status_worse() to combine.
 */
enum xsm_status {
	XSM_OK = 0,
	XSM_WARNING = 1,
	XSM_CRITICAL = 2,
	XSM_UNKNOWN = 3,
};

/*
 * Severity rank: ok < unknown < warning < critical. Unknown ranks above ok
 * (something could not be checked) but below warning: on a host that is not
 * a dom0 the xenstore check is unknown, and that must not hide a real
 * warning or critical elsewhere.
 */
int xsm_status_rank(enum xsm_status s);

/* The worse of two statuses by xsm_status_rank(). */
enum xsm_status xsm_status_worse(enum xsm_status a, enum xsm_status b);

/* "ok", "warning", "critical", "unknown". Never NULL. */
const char *xsm_status_name(enum xsm_status s);

/* Parses a status name; returns 0, or -EINVAL for anything else. */
int xsm_status_parse(const char *name, enum xsm_status *out);

/* Error report filled in by a lib callee: line is 0 when not applicable. */
struct xsm_err {
	int line;
	char msg[128];
};

/* printf into err->msg (truncating) and set err->line. err may be NULL. */
void xsm_err_set(struct xsm_err *err, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A growable byte buffer with a hard cap (max, 0 for none). Appends that
 * would exceed max fail with -ENOBUFS and leave the buffer unchanged; an
 * allocation failure gives -ENOMEM. data is always NUL-terminated when
 * non-NULL (the NUL is not counted in len). The buffer owns data; the
 * struct itself belongs to the caller (on the stack or embedded).
 */
struct xsm_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

/*
 * Makes b empty with cap max (0: none). Allocates nothing (data is NULL
 * until the first append) and cannot fail. Must not be used on a buffer
 * that holds memory: that leaks it; use xsm_buf_reset() or free first.
 */
void xsm_buf_init(struct xsm_buf *b, size_t max);

/*
 * Frees data and leaves b empty (len 0, data NULL), with max kept, so b
 * can be reused. Safe on an initialised buffer that never allocated, and
 * twice.
 */
void xsm_buf_free(struct xsm_buf *b);

/* len = 0, keeping the memory (and the NUL) for the next document. */
void xsm_buf_reset(struct xsm_buf *b);

/*
 * Appends n bytes of p (which may hold NULs, and may be NULL when n is 0).
 * Returns 0, -ENOBUFS when len + n would pass max, or -ENOMEM; on error
 * b is unchanged.
 */
int xsm_buf_append(struct xsm_buf *b, const void *p, size_t n);

/*
 * Appends printf output, without its NUL. Returns 0, -ENOBUFS (over max),
 * -ENOMEM, or -EINVAL when fmt cannot be formatted; on error b is
 * unchanged: a cut line is never appended.
 */
int xsm_buf_printf(struct xsm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Drops the first n bytes (n > len drops all), moving the rest to the
 * front. Never fails and never frees. */
void xsm_buf_consume(struct xsm_buf *b, size_t n);

/*
 * memset(p, 0, n) that writes only the parts not already zero. The state
 * is sized for the worst case (32 judged NICs, the top holders of deleted
 * files...) and lives in static storage: a memset would make every page of
 * it resident, while reading a page never written costs no memory.
 */
void xsm_zero(void *p, size_t n);

/* Bounded string copy that always terminates; returns strlen(src). */
size_t xsm_strlcpy(char *dst, const char *src, size_t size);

/*
 * Copies the next line of the NUL-terminated text *p into line (cut to
 * size - 1, no newline, trailing white space and CR dropped) and moves *p
 * past it. Returns false at the end of the text. For the line-oriented
 * outputs we parse (/proc/net/bonding, ovs-appctl).
 */
bool xsm_next_line(const char **p, char *line, size_t size);

/*
 * Formats a wall-clock time (usec since the epoch) as RFC 3339 UTC with
 * second precision, "2026-11-22T03:15:59Z", into out (>= 21 bytes).
 * Returns out.
 */
char *xsm_rfc3339(uint64_t wall_usec, char *out, size_t size);

/* xsm_utf8_len() flag: treat C1 controls (U+0080..U+009F) as invalid. */
#define XSM_UTF8_NO_C1 0x1u

/*
 * Length (1 to 4) of the well-formed UTF-8 sequence (RFC 3629) at p,
 * reading at most n bytes; 0 when n is 0 or the bytes there are not one:
 * a stray continuation byte, a truncated sequence, an overlong form, a
 * surrogate or a code point past U+10FFFF. Any byte below 0x80 (NUL and
 * controls too) is a sequence of 1: callers judge ASCII themselves. With
 * XSM_UTF8_NO_C1, C1 controls give 0 too: they are not text, and U+009B
 * is CSI, a terminal escape. One validator serves the protocol parser,
 * the JSON writer and xsmonctl, so they never disagree on what is text.
 */
size_t xsm_utf8_len(const void *p, size_t n, unsigned flags);

#endif /* XSM_H */
