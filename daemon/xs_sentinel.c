/* SPDX-License-Identifier: ISC */
/* xs_sentinel.c: xenstored's death and the probe, non-blocking (see xs_sentinel.h). */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#include "xs_sentinel.h"

#define PROBE_PATH "/local/domain/0/domid"

void
xsmd_xs_sentinel_init(struct xsmd_xs_sentinel *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

int
xsmd_xs_sentinel_open(struct xsmd_xs_sentinel *s, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(path);
	int fd, e;

	xsmd_xs_sentinel_close(s);
	if (n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, n + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
	    errno != EINPROGRESS) {
		e = errno;
		close(fd);
		return -e;
	}
	s->fd = fd;
	return 0;
}

void
xsmd_xs_sentinel_close(struct xsmd_xs_sentinel *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->outstanding = false;
	s->have = 0;
}

int
xsmd_xs_sentinel_probe(struct xsmd_xs_sentinel *s, uint64_t now_mono)
{
	unsigned char msg[sizeof(struct xsd_sockmsg) + sizeof(PROBE_PATH)];
	struct xsd_sockmsg h = {
		.type = XS_READ, .tx_id = 0, .len = sizeof(PROBE_PATH),
	};
	ssize_t n;

	if (s->fd < 0)
		return -ENOTCONN;
	if (s->outstanding)
		return -EALREADY;
	h.req_id = ++s->req_id;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), PROBE_PATH, sizeof(PROBE_PATH));
	/* 38 bytes into an empty socket buffer: all or nothing. */
	n = send(s->fd, msg, sizeof(msg), MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	if ((size_t)n != sizeof(msg))
		return -EIO;
	s->outstanding = true;
	s->sent_mono = now_mono;
	return 0;
}

int
xsmd_xs_sentinel_read(struct xsmd_xs_sentinel *s, uint64_t now_mono,
    uint64_t *latency_usec)
{
	struct xsd_sockmsg h;
	size_t total;
	ssize_t n;

	n = recv(s->fd, s->buf + s->have, sizeof(s->buf) - s->have, MSG_DONTWAIT);
	if (n == 0)
		return -ECONNRESET;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	s->have += (size_t)n;
	if (s->have < sizeof(h))
		return 0;
	memcpy(&h, s->buf, sizeof(h));
	/* Nothing unsolicited comes on a connection without watches. */
	if (h.len > XENSTORE_PAYLOAD_MAX || !s->outstanding ||
	    h.req_id != s->req_id || (h.type != (uint32_t)XS_READ &&
	    h.type != (uint32_t)XS_ERROR))
		return -EPROTO;
	total = sizeof(h) + h.len;
	if (s->have < total)
		return 0;
	if (s->have > total)
		return -EPROTO;   /* a second message we never asked for */
	s->have = 0;
	s->outstanding = false;
	*latency_usec = now_mono > s->sent_mono ? now_mono - s->sent_mono : 0;
	return 1;
}
