/* SPDX-License-Identifier: ISC */
/*
 * jval.h: what the validators of the daemon's JSON share: doc.c for a
 * reply, alert_doc.c for a line of the alert stream, and the printers
 * (show.h) for their lookups. One copy, so that a reply and a stream
 * line are held to the same bounds and report a problem the same way.
 */
#ifndef CTL_JVAL_H
#define CTL_JVAL_H

#include <stdbool.h>
#include <stddef.h>

#include <yajl/yajl_tree.h>

/* A validation in progress: err (errsz bytes) gets the first problem. */
struct ctl_jctx {
	char *err;
	size_t errsz;
	bool failed;
};

/*
 * Records a problem in v->err and sets v->failed, unless one is already
 * recorded: later problems are usually echoes of the first.
 */
void ctl_jfail(struct ctl_jctx *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The value of key in obj; NULL when absent or obj is not an object. */
yajl_val ctl_jget(yajl_val obj, const char *key);

/*
 * Parses line (len bytes, NUL-terminated) into *root, bounded first by
 * ctl_doc_shape(), and requires an object with no repeated key. On a
 * problem, ctl_jfail()s naming the text as what ("reply", "line");
 * *root may be set even then and is the caller's to yajl_tree_free().
 */
void ctl_jparse(struct ctl_jctx *v, const char *what, const char *line,
    size_t len, yajl_val *root);

#endif
