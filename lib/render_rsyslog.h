/* SPDX-License-Identifier: ISC */
/* render_rsyslog.h: the rsyslog check's details (inside render.c's object). */
#ifndef XSM_RENDER_RSYSLOG_H
#define XSM_RENDER_RSYSLOG_H

#include "jsonw.h"
#include "rsyslog.h"

/* Writes the rsyslog detail keys into the open check object; full for "show". */
void xsm_render_rsyslog(struct xsm_jsonw *w, const struct xsm_rsyslog_view *v,
    bool full);

#endif
