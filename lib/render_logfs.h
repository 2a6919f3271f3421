/* SPDX-License-Identifier: ISC */
/* render_logfs.h: the logfs check's details (inside render.c's object). */
#ifndef XSM_RENDER_LOGFS_H
#define XSM_RENDER_LOGFS_H

#include "jsonw.h"
#include "logfs.h"

/*
 * Writes the logfs detail keys into the open check object. full adds the
 * "scan" object (largest files and directories, growers, deleted-open).
 */
void xsm_render_logfs(struct xsm_jsonw *w, const struct xsm_logfs_view *v,
    bool full);

#endif
