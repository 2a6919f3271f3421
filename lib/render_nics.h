/* SPDX-License-Identifier: ISC */
/* render_nics.h: the nics check's details (inside render.c's object). */
#ifndef XSM_RENDER_NICS_H
#define XSM_RENDER_NICS_H

#include "jsonw.h"
#include "nics.h"

/* Writes the nics detail keys into the open check object; full for "show". */
void xsm_render_nics(struct xsm_jsonw *w, const struct xsm_nics_view *v,
    bool full);

#endif
