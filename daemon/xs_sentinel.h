/* SPDX-License-Identifier: ISC */
/*
 * xs_sentinel.h: a connection of our own to xenstored's socket, used
 * without libxenstore and without blocking, for two things libxenstore
 * cannot give the loop:
 *  - death: when xenstored dies, libxenstore's watch pipe stays silent,
 *    but this socket reads EOF at once;
 *  - the probe: one XS_READ sent non-blocking, its reply read when the
 *    socket becomes readable. An idle probe costs two wakeups of the loop
 *    thread and no thread at all, and a stopped xenstored simply never
 *    answers (the deadline is the caller's timer).
 * Replies are checked (header, payload size cap, request id): anything
 * else is a protocol error and the caller reconnects.
 */
#ifndef XSMD_XS_SENTINEL_H
#define XSMD_XS_SENTINEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XSMD_XS_MSG_MAX (16 + 4096)   /* header + XENSTORE_PAYLOAD_MAX */

struct xsmd_xs_sentinel {
	int fd;                       /* -1 when closed */
	uint32_t req_id;
	bool outstanding;             /* a probe is waiting for its reply */
	uint64_t sent_mono;
	size_t have;
	unsigned char buf[XSMD_XS_MSG_MAX];
};

/* Closed state. */
void xsmd_xs_sentinel_init(struct xsmd_xs_sentinel *s);

/* Connects (non-blocking) to the socket at path. Returns 0 or -errno. */
int xsmd_xs_sentinel_open(struct xsmd_xs_sentinel *s, const char *path);

void xsmd_xs_sentinel_close(struct xsmd_xs_sentinel *s);

/*
 * Sends one probe (XS_READ of /local/domain/0/domid) at now_mono.
 * Returns 0, -EALREADY (one is outstanding) or -errno (the socket is
 * dead or full).
 */
int xsmd_xs_sentinel_probe(struct xsmd_xs_sentinel *s, uint64_t now_mono);

/*
 * Reads what is there (call when readable). Returns 1 when the probe's
 * reply is complete (*latency_usec set; an error reply such as ENOENT
 * is an answer too), 0 when nothing complete arrived yet, -ECONNRESET on
 * EOF, -EPROTO for a malformed or unexpected reply, or -errno.
 */
int xsmd_xs_sentinel_read(struct xsmd_xs_sentinel *s, uint64_t now_mono,
    uint64_t *latency_usec);

#endif
