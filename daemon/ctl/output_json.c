/* SPDX-License-Identifier: ISC */
/*
 * output_json.c: --json prints the reply exactly as the daemon sent it,
 * one line, but only after doc.c validated it: scripts get the same
 * guarantees as a person reading the text output.
 */
#include <stdio.h>

#include "output.h"

static void
json_print(const struct ctl_doc *d, const struct ctl_out_opts *o)
{
	fwrite(d->raw, 1, d->raw_len, stdout);
	putchar('\n');
}

/* Each stream line as received: NDJSON in, NDJSON out. */
static void
json_line(const struct ctl_alert *a, const struct ctl_out_opts *o)
{
	fwrite(a->raw, 1, a->raw_len, stdout);
	putchar('\n');
}

const struct output ctl_output_json = {
	.name = "json",
	.status = json_print,
	.show = json_print,
	.domains = json_print,
	.simple = json_print,
	.subscribed = json_line,
	.alert = json_line,
};
