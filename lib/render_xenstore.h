/* SPDX-License-Identifier: ISC */
/* render_xenstore.h: the xenstore check's details (inside render.c's object). */
#ifndef XSM_RENDER_XENSTORE_H
#define XSM_RENDER_XENSTORE_H

#include "jsonw.h"
#include "xenstore.h"

/* Writes the xenstore detail keys into the open check object; full for "show". */
void xsm_render_xenstore(struct xsm_jsonw *w, const struct xsm_xenstore_view *v,
    bool full);

#endif
