/* SPDX-License-Identifier: ISC */
/* render_nics.c: the nics check's details (placeholder). */
#include "render_nics.h"

void
xsm_render_nics(struct xsm_jsonw *w, const struct xsm_nics_view *v, bool full)
{
	(void)full;
	xsm_jsonw_ku64(w, "samples", v->samples);
}
