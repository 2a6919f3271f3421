/* SPDX-License-Identifier: ISC */
/*
 * watch_text.c: "xsmonctl watch" for people, one line per alert:
 *   TIME  SEVERITY  CHECK SUBJECT  EVENT  REASON
 * The severity is coloured as in the status table (on a terminal only);
 * every string from the daemon goes through ctl_put_safe().
 */
#include <stdio.h>
#include <unistd.h>

#include "output.h"
#include "show.h"

/* The acknowledgement is for people at a terminal, and goes to stderr:
 * stdout carries alerts only, so a pipe to grep sees nothing else. */
void
ctl_text_subscribed(const struct ctl_alert *a, const struct ctl_out_opts *o)
{
	if (!isatty(STDERR_FILENO))
		return;
	fputs("xsmonctl: watching ", stderr);
	ctl_put_safe(stderr, a->host, 64);
	fprintf(stderr, " for alerts after seq %lld (interrupt to stop)\n",
	    (long long)a->seq);
}

void
ctl_text_alert(const struct ctl_alert *a, const struct ctl_out_opts *o)
{
	size_t w;

	ctl_put_safe(stdout, a->time, 40);
	fputs("  ", stdout);
	ctl_put_status(a->severity, true, 8, o);
	fputs("  ", stdout);
	w = ctl_put_safe(stdout, a->check, 32);
	if (a->subject[0] != '\0') {
		putchar(' ');
		w += 1 + ctl_put_safe(stdout, a->subject, 64);
	}
	ctl_pad(w, 14);
	fputs("  ", stdout);
	ctl_put_safe(stdout, a->event, 64);
	fputs("  ", stdout);
	if (a->renotify)
		fputs("reminder: ", stdout);
	ctl_put_safe(stdout, a->reason, 1024);
	putchar('\n');
}
