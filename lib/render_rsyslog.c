/* SPDX-License-Identifier: ISC */
/* render_rsyslog.c: the rsyslog check's details (placeholder). */
#include "render_rsyslog.h"

void
xsm_render_rsyslog(struct xsm_jsonw *w, const struct xsm_rsyslog_view *v, bool full)
{
	(void)full;
	xsm_jsonw_ku64(w, "samples", v->samples);
}
