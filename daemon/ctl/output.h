/* SPDX-License-Identifier: ISC */
/*
 * output.h: xsmonctl's printers. One vtable per output format, as bgpctl
 * does it: main picks text or json once and then only calls through it.
 * Printers get a validated struct ctl_doc (doc.h) and print to stdout;
 * they cannot fail except on write errors, which main checks at the end.
 */
#ifndef CTL_OUTPUT_H
#define CTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "alert_doc.h"
#include "doc.h"

struct ctl_out_opts {
	bool color;               /* ANSI colours for status words */
};

struct output {
	const char *name;
	void (*status)(const struct ctl_doc *d, const struct ctl_out_opts *o);
	void (*show)(const struct ctl_doc *d, const struct ctl_out_opts *o);
	void (*domains)(const struct ctl_doc *d, const struct ctl_out_opts *o);
	/* ping, version and reload: d->cmd says which. */
	void (*simple)(const struct ctl_doc *d, const struct ctl_out_opts *o);
	/* watch: the stream's acknowledgement, then each alert (watch.c
	 * flushes stdout after every call). */
	void (*subscribed)(const struct ctl_alert *a,
	    const struct ctl_out_opts *o);
	void (*alert)(const struct ctl_alert *a, const struct ctl_out_opts *o);
};

/* The text printers of watch (watch_text.c). */
void ctl_text_subscribed(const struct ctl_alert *a,
    const struct ctl_out_opts *o);
void ctl_text_alert(const struct ctl_alert *a, const struct ctl_out_opts *o);

extern const struct output ctl_output_text;
extern const struct output ctl_output_json;

/*
 * Writes s (NULL: "-") to f with every control character (C0, DEL and
 * the UTF-8 encoded C1 range) and every byte that is not well-formed
 * UTF-8 replaced by '?', so that text from the daemon cannot drive the
 * terminal. At most max characters (code points) are written: a longer
 * string is cut to max - 3 and ends in "...". Returns the characters
 * written, which is the width in a terminal for the usual single-width
 * characters, so callers pad columns with it.
 */
size_t ctl_put_safe(FILE *f, const char *s, size_t max);

/* What ctl_put_safe(f, s, max) returns, without writing anything. */
size_t ctl_safe_width(const char *s, size_t max);

#endif
