/* SPDX-License-Identifier: ISC */
/* show_xenstore.c: "xsmonctl show xenstore" (placeholder: nothing beyond the headline). */
#include "show.h"

void
ctl_show_xenstore(yajl_val check, const struct ctl_out_opts *o)
{
	(void)check;
	(void)o;
}
