/* SPDX-License-Identifier: ISC */
/*
 * transport.h: xsmonctl's one round trip to xsmond: connect to the UNIX
 * socket, send one request line, read one reply line. The daemon's framing
 * is not trusted: the reply is capped, bounded in time and must be exactly
 * one line without NUL bytes.
 */
#ifndef CTL_TRANSPORT_H
#define CTL_TRANSPORT_H

#include <stddef.h>

#include "xsm.h"

#define CTL_REPLY_MAX (8u << 20)   /* bytes, the newline included */
#define CTL_TIMEOUT_MS 5000        /* for connect, send and reply together */

/*
 * Sends req (one line, without '\n') to the daemon listening on path and
 * reads its reply into reply, which must be freshly initialised with
 * xsm_buf_init() and is freed by the caller. On success reply holds the
 * line without its '\n' (NUL-terminated, no NUL inside) and 0 is returned.
 * On failure returns -errno (ECONNREFUSED, ETIMEDOUT, EMSGSIZE for an
 * oversized reply, EPROTO for bad framing...) and writes a one-line message
 * that names path into err; nothing is printed.
 */
int ctl_transport_request(const char *path, const char *req, int timeout_ms,
    struct xsm_buf *reply, char *err, size_t errsz);

#endif
