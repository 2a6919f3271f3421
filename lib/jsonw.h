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

struct xsm_jsonw {
	yajl_gen g;
	struct xsm_buf *out;
	size_t start_len;   /* to roll back a failed document */
	int err;            /* first error: -ENOMEM or -ENOBUFS */
};

/* Starts a document appended to out. Returns 0 or -ENOMEM. */
int xsm_jsonw_begin(struct xsm_jsonw *w, struct xsm_buf *out);
/* Ends it with '\n'; on any error rolls out back and returns the error. */
int xsm_jsonw_end(struct xsm_jsonw *w);

void xsm_jsonw_open(struct xsm_jsonw *w);          /* { */
void xsm_jsonw_close(struct xsm_jsonw *w);         /* } */
void xsm_jsonw_array_open(struct xsm_jsonw *w);    /* [ */
void xsm_jsonw_array_close(struct xsm_jsonw *w);   /* ] */
void xsm_jsonw_key(struct xsm_jsonw *w, const char *key);
void xsm_jsonw_str(struct xsm_jsonw *w, const char *s);  /* NULL: null */
void xsm_jsonw_u64(struct xsm_jsonw *w, uint64_t v);
void xsm_jsonw_i64(struct xsm_jsonw *w, int64_t v);
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
 * that is not part of a well-formed sequence with '?'. Returns out.
 */
char *xsm_utf8_sanitize(const char *s, char *out, size_t size);

#endif
