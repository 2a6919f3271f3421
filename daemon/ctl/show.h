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

#include <yajl/yajl_tree.h>

#include "output.h"

typedef void ctl_show_fn(yajl_val check, const struct ctl_out_opts *o);

ctl_show_fn ctl_show_nics;
ctl_show_fn ctl_show_rsyslog;
ctl_show_fn ctl_show_xenstore;

#endif
