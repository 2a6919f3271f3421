/* SPDX-License-Identifier: ISC */
/*
 * jsonw.h: a thin writer over yajl_gen that appends to an xsm_buf and
 * remembers the first error, so renderers read as straight-line code.
 * Strings are made valid UTF-8 (bad bytes become '?') because file names
 * and xenstore values are not to be trusted.
 */
#ifndef XSM_JSONW_H
#define XSM_JSONW_H

#include <yajl/yajl_gen.h>

#include "xsm.h"

/*
 * Longest string value written, in bytes: xsm_jsonw_str() cuts longer
 * strings at the last whole UTF-8 character that fits. Nothing we render
 * is near it (paths are XSM_PATH_MAX, reasons XSM_REASON_MAX); it bounds
 * the stack copy that makes a string valid UTF-8.
 */
#define XSM_JSONW_STR_MAX 1023

struct xsm_jsonw {
	yajl_gen g;
	struct xsm_buf *out;
	size_t start_len;   /* to roll back a failed document */
	int err;            /* first error: -ENOMEM, -ENOBUFS or -EINVAL */
	unsigned depth;     /* maps and arrays open; 0 at a complete end */
};

/* Starts a document appended to out. Returns 0 or -ENOMEM. */
int xsm_jsonw_begin(struct xsm_jsonw *w, struct xsm_buf *out);
/*
 * Ends the document with '\n' and frees the generator. Returns 0, or the
 * first error: -ENOBUFS or -ENOMEM from out, -EINVAL for a misuse (a
 * value where a key belongs, a close without its open, or a map or array
 * still open here: a renderer bug that would otherwise go out as a
 * truncated document). On error out is rolled back to where begin found it.
 */
int xsm_jsonw_end(struct xsm_jsonw *w);

void xsm_jsonw_open(struct xsm_jsonw *w);          /* { */
void xsm_jsonw_close(struct xsm_jsonw *w);         /* } */
void xsm_jsonw_array_open(struct xsm_jsonw *w);    /* [ */
void xsm_jsonw_array_close(struct xsm_jsonw *w);   /* ] */
void xsm_jsonw_key(struct xsm_jsonw *w, const char *key);
/*
 * A string, made valid UTF-8 by xsm_utf8_sanitize() and cut to at most
 * XSM_JSONW_STR_MAX bytes (silently: callers pass bounded fields). NULL
 * writes null.
 */
void xsm_jsonw_str(struct xsm_jsonw *w, const char *s);
void xsm_jsonw_u64(struct xsm_jsonw *w, uint64_t v);
void xsm_jsonw_i64(struct xsm_jsonw *w, int64_t v);
/*
 * A number with decimals (0..17, clamped) digits after the point, as
 * "%.*f" prints it, for |v| < 1e15; a larger magnitude, where fixed
 * notation would run to hundreds of digits, in exponent form ("%.17g",
 * e.g. 1.0000000000000001e+300). NaN and infinities write null: JSON has
 * no such numbers.
 */
void xsm_jsonw_fixed(struct xsm_jsonw *w, double v, int decimals);
void xsm_jsonw_bool(struct xsm_jsonw *w, bool v);
void xsm_jsonw_null(struct xsm_jsonw *w);
/* RFC 3339 UTC string, or null when wall_usec is 0. */
void xsm_jsonw_time(struct xsm_jsonw *w, uint64_t wall_usec);

/* key + value shorthands. */
void xsm_jsonw_kstr(struct xsm_jsonw *w, const char *k, const char *s);
void xsm_jsonw_ku64(struct xsm_jsonw *w, const char *k, uint64_t v);
void xsm_jsonw_ki64(struct xsm_jsonw *w, const char *k, int64_t v);
void xsm_jsonw_kbool(struct xsm_jsonw *w, const char *k, bool v);
void xsm_jsonw_ktime(struct xsm_jsonw *w, const char *k, uint64_t wall_usec);

/*
 * Copies s into out (size bytes) as valid UTF-8, replacing every byte
 * that is not part of a well-formed sequence with '?'. A string that does
 * not fit is cut before the first character that does not fit whole, so
 * out is always valid UTF-8 and NUL-terminated (size > 0). Returns out.
 */
char *xsm_utf8_sanitize(const char *s, char *out, size_t size);

#endif
