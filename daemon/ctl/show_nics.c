/* SPDX-License-Identifier: ISC */
/* show_nics.c: "xsmonctl show nics" (placeholder: nothing beyond the headline). */
#include "show.h"

void
ctl_show_nics(yajl_val check, const struct ctl_out_opts *o)
{
	(void)check;
	(void)o;
}
