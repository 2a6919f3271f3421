/* SPDX-License-Identifier: ISC */
/* render_xenstore.c: the xenstore check's details (placeholder). */
#include "render_xenstore.h"

void
xsm_render_xenstore(struct xsm_jsonw *w, const struct xsm_xenstore_view *v, bool full)
{
	(void)full;
	xsm_jsonw_ku64(w, "samples", v->samples);
}
