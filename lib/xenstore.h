/* SPDX-License-Identifier: ISC */
/*
 * xenstore.h: the xenstore check: xenstored's health and the domains.
 * The view is what is rendered; the domain table it points to is owned
 * by the watcher (xsm_xs_table_new/free) and may be NULL.
 */
/*
 * This header has libxenstore's name and lib/ is on the include path, so
 * <xenstore.h> finds it first. The daemon (never lib/) defines
 * XSMD_LIBXENSTORE to get libxenstore's header as well.
 */
#if defined(XSMD_LIBXENSTORE) && !defined(XSMD_LIBXENSTORE_INCLUDED)
#define XSMD_LIBXENSTORE_INCLUDED
#include_next <xenstore.h>
#endif

#ifndef XSM_XENSTORE_H
#define XSM_XENSTORE_H

#include "config.h"
#include "xs_domain.h"
#include "xsm.h"

/* The "store grows unusually" window. */
#define XSM_XS_GROWTH_WINDOW (10 * XSM_MIN)
#define XSM_XS_GROWTH_MIN 1000

struct xsm_xenstore_view {
	char path[XSM_PATH_MAX];      /* the socket used ("" unknown) */
	bool connected;
	bool ever_connected;          /* since start or the last reload */
	bool synced;                  /* the first full listing is merged */
	int last_error;               /* errno of the last failure, 0 */
	char last_error_op[24];       /* "connect", "probe"... */
	bool hung;                    /* a request outlived probe_timeout */
	uint64_t hung_usec;           /* how long it has been waiting */
	int64_t probe_latency_us;     /* last probe, -1 none yet */
	uint64_t probes;
	uint64_t reconnects;          /* connections regained after a loss */
	uint64_t events;              /* watch events drained */
	uint64_t resyncs;             /* full re-reads */
	uint64_t reads;               /* domain re-reads */
	uint64_t sync_usec;           /* last full sync: connect to merged */
	uint64_t connected_since;     /* wall clock */
	int64_t entries_total;        /* sum of counted domains' entries */
	int64_t growth_base;          /* entries_total at the window start */
	uint64_t growth_base_wall;
	unsigned growth_base_domains;
	int64_t growth;               /* entries gained in the window, if unusual */
	unsigned domains_not_ok;
	struct xsm_xs_table *table;   /* the watcher's, or NULL */
};

/*
 * Recomputes entries_total from the table and runs the growth rule: the
 * store grows unusually when, within XSM_XS_GROWTH_WINDOW, the total
 * gained at least XSM_XS_GROWTH_MIN entries and a quarter of the total at
 * the window's start while the number of domains did not grow. A window
 * older than that starts again from the current total. Sets v->growth
 * (0 when usual). While a domain's entries are not counted yet there is
 * no window (the partial total would look like growth).
 */
void xsm_xs_growth(struct xsm_xenstore_view *v, uint64_t now_wall);

/*
 * The check's status and one-line reason, from the view (and the
 * domains' own evaluations, already done): unknown "no xenstore" when it
 * was never reachable; critical when it was and is gone (reconnecting)
 * or a request has waited over probe_timeout ("xenstored not
 * answering"); warning when the last probe took over probe_warning, the
 * store grows unusually or a domain is not ok (critical if one is
 * critical); else ok. Also sets v->domains_not_ok.
 */
enum xsm_status xsm_xs_evaluate(struct xsm_xenstore_view *v,
    const struct xsm_xenstore_cfg *cfg, char *reason, size_t size);

#endif
