/* SPDX-License-Identifier: ISC */
/*
 * transport.h: xsmonctl's one round trip to xsmond: connect to the UNIX
 * socket, send one request line, read one reply line. The daemon's framing
 * is not trusted: the reply is capped, bounded in time and must be exactly
 * one line without NUL bytes.
 */
#ifndef CTL_TRANSPORT_H
#define CTL_TRANSPORT_H

#include <signal.h>
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

/*
 * Called with each line of a stream: len bytes without the '\n',
 * NUL-terminated, no NUL inside. Non-zero stops the stream and is
 * returned by ctl_transport_stream().
 */
typedef int ctl_line_fn(char *line, size_t len, void *ctx);

/*
 * Sends req and hands every line the daemon sends back to fn, in order,
 * each at most max bytes: the first within timeout_ms of the call, the
 * others whenever they come. Waits with ppoll() under waitmask (the
 * caller blocks its stop signals elsewhere, so none is missed between
 * checks) and returns 1 as soon as *stop is set. Otherwise returns fn's
 * non-zero value, or -errno with a message naming path in err: EMSGSIZE
 * for an overlong line, EPROTO for a NUL or a stream cut in mid-line,
 * ECONNRESET when the daemon closed the stream.
 */
int ctl_transport_stream(const char *path, const char *req, int timeout_ms,
    size_t max, const sigset_t *waitmask, volatile sig_atomic_t *stop,
    ctl_line_fn *fn, void *ctx, char *err, size_t errsz);

#endif
