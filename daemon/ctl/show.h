/* SPDX-License-Identifier: ISC */
/*
 * show.h: per-check text printers for "xsmonctl show CHECK", after the
 * headline. Each gets the check's object from a reply that doc.c has
 * already bounded (depth, sizes, unique keys) and checks the type of
 * every field it prints itself: a missing or mistyped field prints "-",
 * never crashes. Strings go through ctl_put_safe().
 */
#ifndef CTL_SHOW_H
#define CTL_SHOW_H

#include <stdbool.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "jval.h"
#include "output.h"

#define CTL_SHOW_TEXT_MAX 200 /* characters of one string in a show printer */

/*
 * Typed reads (show_util.c, over ctl_jget() of jval.h): NULL, false or
 * -1 when the key is absent or of another type (ctl_jdbl also for a
 * non-finite number); obj may be NULL or not an object.
 */
const char *ctl_jstr(yajl_val obj, const char *key);
bool ctl_jint(yajl_val obj, const char *key, int64_t *out);
bool ctl_jdbl(yajl_val obj, const char *key, double *out);
int ctl_jbool(yajl_val obj, const char *key);
yajl_val ctl_jobj(yajl_val obj, const char *key);
yajl_val ctl_jarr(yajl_val obj, const char *key);

/* Spaces from written up to width. */
void ctl_pad(size_t written, size_t width);
/* "  label:       ": a key figure's label, padded to its column. */
void ctl_put_label(const char *l);
/* obj.key as an integer; "-" when absent or of another type. */
void ctl_put_jint(yajl_val obj, const char *key);
/* obj.key through ctl_put_safe(), at most CTL_SHOW_TEXT_MAX characters. */
void ctl_put_jstr(yajl_val obj, const char *key);
/* The status word (upper: "WARNING"), coloured when o->color, padded. */
void ctl_put_status(enum xsm_status s, bool upper, size_t width,
    const struct ctl_out_opts *o);
/* The same for a status named by a string; unknown words plain. */
void ctl_put_status_word(const char *s, size_t width,
    const struct ctl_out_opts *o);
/* "9s", "3m12s", "2h5m", "3d4h"; "-" when negative. Returns buf. */
char *ctl_fmt_age(int64_t s, char *buf, size_t size);
/* "512 B", "870.4 KiB"; "-" for NAN. Returns buf. */
char *ctl_fmt_bytes(double v, char *buf, size_t size);

typedef void ctl_show_fn(yajl_val check, const struct ctl_out_opts *o);

ctl_show_fn ctl_show_nics;
ctl_show_fn ctl_show_rsyslog;
ctl_show_fn ctl_show_xenstore;

/* "xsmonctl domains": a table of every domain (show_domains.c). */
void ctl_show_domains(const struct ctl_doc *d, const struct ctl_out_opts *o);

#endif
