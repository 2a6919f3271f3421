/* SPDX-License-Identifier: ISC */
/* render_xenstore.h: the xenstore check's details and the domains document. */
#ifndef XSM_RENDER_XENSTORE_H
#define XSM_RENDER_XENSTORE_H

#include "jsonw.h"
#include "render.h"
#include "xenstore.h"

/* Domains listed under domains_not_ok in the status document. */
#define XSM_XS_NOT_OK_SHOWN 10

/*
 * Writes the xenstore detail keys into the open check object: connected,
 * probe_latency_us, reconnects, domains_count, domains_not_ok (at most
 * XSM_XS_NOT_OK_SHOWN: domid, name, status, reason) and
 * domains_not_ok_count; full ("show xenstore") adds the counters, the
 * socket path, the last error and the store's entry totals.
 */
void xsm_render_xenstore(struct xsm_jsonw *w, const struct xsm_xenstore_view *v,
    bool full);

/*
 * The domains document, one line: the header, "xenstore": {status,
 * reason, connected, synced}, and "domains": every domain of the table
 * by domid with its facts, status and devices (see README.md). A missing
 * table gives an empty list. Returns 0, -ENOMEM or -ENOBUFS (out's cap).
 */
int xsm_render_domains(const struct xsm_state *st,
    const struct xsm_render_info *ri, struct xsm_buf *out);

#endif
