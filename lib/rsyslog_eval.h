/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_eval.h: the rsyslog check's verdict from its view. Pure: the
 * watcher fills the view and passes the wall clock.
 */
#ifndef XSM_RSYSLOG_EVAL_H
#define XSM_RSYSLOG_EVAL_H

#include "config.h"
#include "rsyslog.h"

/*
 * Judges v under cfg at wall time now_usec and writes the reason (the
 * first problem of the worst status, "(+N more)" when there are others)
 * into reason. Also refreshes the ages in v (files, impstats) and
 * v->evaluated_usec. The rules, worst first:
 *  - no rsyslogd ever found (no pid file): unknown;
 *  - rsyslogd dead (exited, zombie, pid file gone or foreign): critical;
 *  - canary late ("rsyslogd alive but FILE did not receive the canary
 *    within Ns") or refused by the syslog socket: critical;
 *  - a target missing: critical (once the first canary had its chance:
 *    rsyslogd creates its files on their first message);
 *  - impstats: a queue discarding messages or at queue_critical, an
 *    action suspended on two updates in a row: critical; an action newly
 *    suspended or failing, a queue at queue_warning or not draining
 *    (non-empty and not shrinking on 3 updates in a row), the stats file
 *    missing (once rsyslogd has run for impstats_max_age: it writes the
 *    file only after its first interval) or older than
 *    impstats_max_age: warning;
 *  - otherwise ok, or unknown until the first canary has been judged.
 */
enum xsm_status xsm_rsyslog_evaluate(struct xsm_rsyslog_view *v,
    const struct xsm_rsyslog_cfg *cfg, uint64_t now_usec, char *reason,
    size_t size);

/* Updates in a row a queue must hold messages without shrinking. */
#define XSM_RSYSLOG_STUCK_UPDATES 3

#endif
