/* SPDX-License-Identifier: ISC */
/*
 * alert.h: one alert, the unit that leaves the host. Every state change
 * of a check, an interface or a domain becomes one struct xsm_alert with
 * a per-daemon sequence number; the daemon sends it to syslog (RFC 5424
 * structured data or @cee JSON) and to every subscriber (NDJSON). The
 * JSON object is the same everywhere:
 *
 *   {"schema":1,"event":"xsmon.nic.carrier_lost","seq":42,
 *    "run":"5f1c...","host":"dom0","time":"2026-12-02T06:00:00.123Z",
 *    "check":"nics","subject":"eth0","severity":"critical",
 *    "old":"ok","new":"critical","reason":"...","renotify":false,
 *    "figures":{"carrier_changes":3,"mtu":1500,"address":"10.0.1.5/24"}}
 *
 * "run" tells one daemon run from the next (seq starts at 1 in each);
 * "subject" is "" for the check itself, an interface name, or
 * "domain N" for a Xen domain; "severity" is the new status.
 */
#ifndef XSM_ALERT_H
#define XSM_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"
#include "xsm.h"

/* XSM_ALERT_* sizes and struct xsm_alert_fig live in state.h: edges
 * carry figures too. */

struct xsm_alert {
	uint64_t seq;                       /* per daemon run, from 1 */
	uint64_t at_usec;                   /* wall clock */
	char event[XSM_ALERT_EVENT_MAX];    /* "xsmon.nic.carrier_lost" */
	enum xsm_check_id check;
	char subject[XSM_ALERT_SUBJECT_MAX];
	enum xsm_status old_status;
	enum xsm_status new_status;
	char reason[XSM_REASON_MAX];
	bool renotify;                      /* a reminder, not a new change */
	unsigned n_figs;
	struct xsm_alert_fig figs[XSM_ALERT_FIGS];
};

/* Copies an edge (state.h) into an alert: the same fields. */
void xsm_alert_from_edge(const struct xsm_edge *e, struct xsm_alert *a);

/*
 * The event id of a check's own change to status to with reason, as
 * "xsmon.CHECK.CAUSE" into out: a cause the view tells (logfs
 * mount_missing; xenstore unreachable, hung; rsyslog down, not_writing,
 * forwarding), else the status word (recovered, warning, critical,
 * unknown). The check "nics" gives "xsmon.nics.*"; its interfaces
 * "xsmon.nic.*".
 */
void xsm_alert_check_event(const struct xsm_state *st, enum xsm_check_id id,
    enum xsm_status to, const char *reason, char *out, size_t size);

/*
 * Completes a check-level edge (check, statuses, reason set) with its
 * event id, subject "" and the check's key figures from st's view.
 * xsm_state_apply() calls it.
 */
void xsm_alert_check_edge(const struct xsm_state *st, struct xsm_edge *e);

/*
 * The cause word of an interface's change (nics_judge.c's reasons):
 * carrier_restored or recovered (to ok), flapping, carrier_lost,
 * admin_down, address_lost, deleted, missing, error_rate, degraded,
 * critical. Never NULL.
 */
const char *xsm_alert_nic_cause(enum xsm_status to, const char *old_reason,
    const char *reason);

/* Fills *e for judged interface j having changed from old (old_reason). */
void xsm_alert_nic_edge(const struct xsm_nics_view *v,
    const struct xsm_nics_judged *j, enum xsm_status old,
    const char *old_reason, uint64_t now_wall, struct xsm_edge *e);

/* The judged interfaces' statuses before an evaluation. */
struct xsm_alert_nics_prev {
	unsigned n;
	struct {
		char name[16];
		enum xsm_status status;
		char reason[XSM_NIC_REASON_MAX];
	} e[XSM_NICS_JUDGED_MAX];
};

/* Records every judged interface's status (those judged at least once). */
void xsm_alert_nics_snapshot(const struct xsm_nics_view *v,
    struct xsm_alert_nics_prev *p);

/*
 * After an evaluation: queues one item edge (xsm_state_item) for every
 * interface of p, matched by name, whose status changed. Interfaces new
 * since p give none (the check's own edge covers them). Returns how many.
 */
unsigned xsm_alert_nics_changes(struct xsm_state *st,
    const struct xsm_alert_nics_prev *p, uint64_t now_wall);

struct xsm_xs_domain;
/*
 * Fills *e for domain dom: what is "introduced" or "released", or NULL
 * for a change of its status from old ("xsmon.domain.warning", ...).
 * Subject "domain N"; figures domid, name, uuid, target_kib, entries.
 */
void xsm_alert_domain_edge(const struct xsm_xs_domain *dom, const char *what,
    enum xsm_status old, uint64_t now_wall, struct xsm_edge *e);

/* Figures, appended while they fit (later ones are dropped). */
void xsm_alert_fig_num(struct xsm_alert *a, const char *key, double v,
    int decimals);
void xsm_alert_fig_str(struct xsm_alert *a, const char *key, const char *v);

/*
 * Appends the alert as the one-line JSON object above, ending in '\n'
 * (an NDJSON line as it is, and the body of a @cee message without it).
 * host and run_id may be NULL ("run" is then left out, "host" is "").
 * Returns 0, -ENOMEM or -ENOBUFS (out's cap); on error out is unchanged.
 */
int xsm_alert_render_json(const struct xsm_alert *a, const char *host,
    const char *run_id, struct xsm_buf *out);

/* What a syslog datagram needs besides the alert. */
struct xsm_alert_syslog {
	const char *host;         /* HOSTNAME, and "host" in the JSON */
	const char *app;          /* APP-NAME / tag: "xsmond" */
	int pid;
	const char *run_id;       /* may be NULL */
	const char *sd_id;        /* RFC 5424 SD-ID: "xsmon@32473" */
	long utc_offset_s;        /* local time's offset, for the RFC 3164
	                           * timestamp of the cee format */
};

/* Facility daemon; ok notice, warning and unknown warning, critical crit. */
int xsm_alert_pri(const struct xsm_alert *a);

/*
 * Appends one RFC 5424 message (no trailing newline):
 *   <PRI>1 TIMESTAMP HOST APP PID EVENT [SD-ID event=".." seq=".." ...] MSG
 * with the alert's fields and figures as SD-PARAMs ('"', '\' and ']'
 * escaped with '\', RFC 5424 6.3.3) and "CHECK SUBJECT: OLD -> NEW:
 * REASON" as MSG. Returns 0, -ENOMEM, -ENOBUFS, or -EINVAL for an sd_id
 * that is not a valid SD-ID (xsm_alert_sd_id_valid()).
 */
int xsm_alert_render_rfc5424(const struct xsm_alert *a,
    const struct xsm_alert_syslog *s, struct xsm_buf *out);

/*
 * Appends one traditional (RFC 3164) message, as /dev/log readers
 * expect it, carrying the JSON object after the @cee cookie:
 *   <PRI>Mmm dd hh:mm:ss APP[PID]: @cee:{...}
 * Returns 0, -ENOMEM or -ENOBUFS.
 */
int xsm_alert_render_cee(const struct xsm_alert *a,
    const struct xsm_alert_syslog *s, struct xsm_buf *out);

/* An SD-ID is 1..32 printable US-ASCII but '=', ' ', ']' and '"'; a
 * private one has the form name@number. Returns true when s is one. */
bool xsm_alert_sd_id_valid(const char *s);

#endif
