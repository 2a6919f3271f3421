/* SPDX-License-Identifier: ISC */
/* show_rsyslog.c: "xsmonctl show rsyslog" (placeholder: nothing beyond the headline). */
#include "show.h"

void
ctl_show_rsyslog(yajl_val check, const struct ctl_out_opts *o)
{
	(void)check;
	(void)o;
}
