/* SPDX-License-Identifier: ISC */
/*
 * export.h: xsmonctl's interfaces for other monitoring systems, as pure
 * formatters from validated documents (doc.h) to text: a Nagios/Icinga
 * plugin line (nagios.c) and the Prometheus text exposition format 0.0.4
 * (prom.c). No I/O here: export_run.c asks xsmond and writes the result,
 * and tests/ctl/golden_export.c feeds the formatters fixed documents.
 */
#ifndef CTL_EXPORT_H
#define CTL_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"

/* The classic NRPE buffer: the whole plugin line, its newline included. */
#define CTL_NAGIOS_LINE_MAX 4096
/* Characters of the reason kept before "..." (room for perfdata). */
#define CTL_NAGIOS_REASON_MAX 1024

/*
 * The plugin line for d, a validated reply to "status" (cmd
 * CTL_CMD_STATUS, not an error document): "XSMON STATUS - reason |
 * perfdata\n". check NULL: the overall status and reason, with the
 * perfdata of every check; else that check's status, reason and perfdata
 * (a check the document lacks is UNKNOWN). The line never exceeds
 * CTL_NAGIOS_LINE_MAX bytes: perfdata items that would pass it are left
 * out whole, the key figures of every check first. Control characters,
 * '|' and malformed UTF-8 in the reason are replaced. Writes the line to
 * out (NUL-terminated; size >= CTL_NAGIOS_LINE_MAX + 1, else it is cut)
 * and returns the plugin's exit code, 0 to 3.
 */
int ctl_nagios_line(const struct ctl_doc *d, const char *check, char *out,
    size_t size);

/* "XSMON UNKNOWN - why\n" into out, sanitised like a reason; returns 3. */
int ctl_nagios_unknown(const char *why, char *out, size_t size);

/*
 * Appends the exposition of status (a validated reply to "status") and
 * of domains (a validated reply to "domains", or NULL when there is none,
 * e.g. the xenstore check is disabled) to out: each metric family once,
 * with its # HELP and # TYPE lines, families without a sample left out,
 * values that are null in the documents left out (never shown as 0).
 * Returns 0, or -ENOMEM/-ENOBUFS from out (then out holds a prefix).
 */
int ctl_prom_render(const struct ctl_doc *status,
    const struct ctl_doc *domains, struct xsm_buf *out);

/* The exposition when xsmond gave no usable answer: xsmon_up 0 only. */
int ctl_prom_render_down(struct xsm_buf *out);

/*
 * Runs "xsmonctl check [CHECK]" and "xsmonctl metrics [--textfile DIR]"
 * against the socket at path (export_run.c); returns the exit code.
 */
int ctl_run_check(const char *path, const char *check);
int ctl_run_metrics(const char *path, const char *textfile_dir);

#endif
