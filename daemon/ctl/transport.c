/* SPDX-License-Identifier: ISC */
/*
 * transport.c: one request, one reply line, over the control socket.
 *
 * Everything here is bounded: one deadline covers connect, send and the
 * reply, and the reply may not exceed CTL_REPLY_MAX bytes. The daemon is
 * trusted no more than any peer: a reply that is cut short, runs past one
 * line or carries a NUL byte is rejected before anyone parses it.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"

#define CHUNK 16384

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
remaining_ms(uint64_t deadline)
{
	uint64_t now = mono_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* Waits for events on fd until the deadline: 0, -ETIMEDOUT or -errno. */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ms, n;

	for (;;) {
		ms = remaining_ms(deadline);
		if (ms == 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, ms);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/*
 * A UNIX stream connect blocks while the listener's backlog is full, for
 * at most the socket's send timeout; so the send timeout bounds it, and
 * the socket turns non-blocking only once connected.
 */
static int
open_socket(const char *path, uint64_t deadline, char *err, size_t errsz)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int ms = remaining_ms(deadline), fd, r;
	struct timeval tv;

	/* A zero timeout would mean "wait forever". */
	if (ms < 1)
		ms = 1;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errsz, "cannot connect to %s: socket path too "
		    "long (max %zu bytes)", path, sizeof(sun.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errsz, "socket: %s", strerror(-r));
		return r;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		/* EAGAIN here means the backlog stayed full until the end. */
		r = errno == EAGAIN || errno == EINPROGRESS ? -ETIMEDOUT :
		    -errno;
		snprintf(err, errsz, "cannot connect to %s: %s", path,
		    strerror(-r));
		close(fd);
		return r;
	}
	return fd;
}

static int
send_line(int fd, const char *path, const char *req, uint64_t deadline,
    char *err, size_t errsz)
{
	char line[512];
	size_t len, off = 0;
	ssize_t n;
	int r;

	len = (size_t)snprintf(line, sizeof(line), "%s\n", req);
	if (len >= sizeof(line)) {
		snprintf(err, errsz, "request too long");
		return -EMSGSIZE;
	}
	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		r = errno == EAGAIN ? wait_fd(fd, POLLOUT, deadline) : -errno;
		if (r < 0) {
			snprintf(err, errsz, "cannot send to %s: %s", path,
			    strerror(-r));
			return r;
		}
	}
	return 0;
}

/*
 * The reply is complete at its first '\n'. Bytes after it, in the same
 * read or already queued behind it, mean a second line: the daemon answers
 * one request with exactly one document, so that is a protocol violation.
 */
static int
finish_line(int fd, const char *path, struct xsm_buf *reply,
    const char *chunk, size_t n, const char *nl, char *err, size_t errsz)
{
	char extra;
	size_t head = (size_t)(nl - chunk);

	if (xsm_buf_append(reply, chunk, head) < 0 ||
	    reply->len + 1 > CTL_REPLY_MAX) {
		snprintf(err, errsz, "%s: reply larger than %u MiB", path,
		    CTL_REPLY_MAX >> 20);
		return -EMSGSIZE;
	}
	if (head + 1 < n || recv(fd, &extra, 1, MSG_DONTWAIT) > 0) {
		snprintf(err, errsz, "%s: reply has more than one line", path);
		return -EPROTO;
	}
	if (memchr(reply->data, '\0', reply->len) != NULL) {
		snprintf(err, errsz, "%s: reply contains a NUL byte", path);
		return -EPROTO;
	}
	return 0;
}

static int
read_reply(int fd, const char *path, int timeout_ms, uint64_t deadline,
    struct xsm_buf *reply, char *err, size_t errsz)
{
	char chunk[CHUNK];
	const char *nl;
	ssize_t n;
	int r;

	for (;;) {
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n > 0) {
			nl = memchr(chunk, '\n', (size_t)n);
			if (nl != NULL)
				return finish_line(fd, path, reply, chunk,
				    (size_t)n, nl, err, errsz);
			if (xsm_buf_append(reply, chunk, (size_t)n) < 0 ||
			    reply->len >= CTL_REPLY_MAX) {
				snprintf(err, errsz, "%s: reply larger than "
				    "%u MiB", path, CTL_REPLY_MAX >> 20);
				return -EMSGSIZE;
			}
			continue;
		}
		if (n == 0) {
			if (reply->len == 0)
				snprintf(err, errsz, "%s: connection closed "
				    "without a reply", path);
			else
				snprintf(err, errsz, "%s: reply has no final "
				    "newline (%zu bytes)", path, reply->len);
			return -EPROTO;
		}
		if (errno == EINTR)
			continue;
		r = errno == EAGAIN ? wait_fd(fd, POLLIN, deadline) : -errno;
		if (r == -ETIMEDOUT) {
			snprintf(err, errsz, "%s: no complete reply within "
			    "%d ms", path, timeout_ms);
			return r;
		}
		if (r < 0) {
			snprintf(err, errsz, "%s: read: %s", path,
			    strerror(-r));
			return r;
		}
	}
}

int
ctl_transport_request(const char *path, const char *req, int timeout_ms,
    struct xsm_buf *reply, char *err, size_t errsz)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	int fd, r;

	fd = open_socket(path, deadline, err, errsz);
	if (fd < 0)
		return fd;
	reply->max = CTL_REPLY_MAX;
	r = send_line(fd, path, req, deadline, err, errsz);
	/*
	 * A daemon that refuses us (too many clients, SO_PEERCRED) may have
	 * written its error reply and closed before our request went out:
	 * the reply is still queued, and it says more than EPIPE does.
	 */
	if (r == 0 || r == -EPIPE || r == -ECONNRESET) {
		char rerr[256] = "";
		int rr = read_reply(fd, path, timeout_ms, deadline, reply,
		    rerr, sizeof(rerr));

		if (r == 0 || rr == 0 || reply->len > 0) {
			r = rr;
			snprintf(err, errsz, "%s", rerr);
		}
	}
	close(fd);
	return r;
}
