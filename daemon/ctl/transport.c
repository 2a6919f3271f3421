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

/* ------------------------------------------------------------------ */
/* A stream of lines ("subscribe"). */

/* Waits for input: 0, -ETIMEDOUT, -EINTR (a signal: check stop), -errno. */
static int
wait_stream(int fd, int ms, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	int n = ppoll(&pfd, 1, ms < 0 ? NULL : &ts, waitmask);

	if (n > 0)
		return 0;
	return n == 0 ? -ETIMEDOUT : -errno;
}

static int
stream_too_long(const char *path, size_t max, char *err, size_t errsz)
{
	snprintf(err, errsz, "%s: stream line longer than %zu bytes", path,
	    max);
	return -EMSGSIZE;
}

/*
 * Hands every complete line in acc to fn and keeps the partial rest.
 * A line is checked before fn sees it: its length, and no NUL inside
 * (the NUL written over its '\n' ends it).
 */
static int
stream_lines(struct xsm_buf *acc, size_t max, ctl_line_fn *fn, void *ctx,
    size_t *nlines, const char *path, char *err, size_t errsz)
{
	size_t off = 0, n;
	char *line, *nl;
	int r = 0;

	while (r == 0 && (nl = memchr(acc->data + off, '\n',
	    acc->len - off)) != NULL) {
		line = acc->data + off;
		n = (size_t)(nl - line);
		if (n > max)
			return stream_too_long(path, max, err, errsz);
		*nl = '\0';
		if (memchr(line, '\0', n) != NULL) {
			snprintf(err, errsz, "%s: stream line contains a NUL "
			    "byte", path);
			return -EPROTO;
		}
		(*nlines)++;
		r = fn(line, n, ctx);
		off += n + 1;
	}
	xsm_buf_consume(acc, off);
	/* With r == 0 no '\n' is left: the rest is one partial line. */
	if (r == 0 && acc->len > max)
		return stream_too_long(path, max, err, errsz);
	return r;
}

/* recv() returned 0: the daemon ended the stream (or never began it). */
static int
stream_closed(const char *path, size_t nlines, size_t partial, char *err,
    size_t errsz)
{
	if (partial > 0)
		snprintf(err, errsz, "%s: stream ended in mid-line (%zu "
		    "bytes)", path, partial);
	else if (nlines == 0)
		snprintf(err, errsz, "%s: connection closed without a reply",
		    path);
	else
		snprintf(err, errsz, "%s: xsmond closed the stream", path);
	return partial > 0 ? -EPROTO : -ECONNRESET;
}

static int
stream_read(int fd, const char *path, int timeout_ms, size_t max,
    const sigset_t *waitmask, volatile sig_atomic_t *stop,
    ctl_line_fn *fn, void *ctx, char *err, size_t errsz)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	char chunk[CHUNK];
	struct xsm_buf acc;
	size_t nlines = 0;
	ssize_t n;
	int r = 0;

	/* Room for one whole line and a chunk behind it. */
	xsm_buf_init(&acc, max + 1 + sizeof(chunk));
	while (r == 0) {
		if (*stop) {
			r = 1;
			break;
		}
		n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n > 0) {
			if (xsm_buf_append(&acc, chunk, (size_t)n) < 0) {
				snprintf(err, errsz, "out of memory");
				r = -ENOMEM;
			} else {
				r = stream_lines(&acc, max, fn, ctx, &nlines,
				    path, err, errsz);
			}
			continue;
		}
		if (n == 0) {
			r = stream_closed(path, nlines, acc.len, err, errsz);
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			r = -errno;
			snprintf(err, errsz, "%s: read: %s", path, strerror(-r));
			break;
		}
		/* Only the acknowledgement is due by a deadline: alerts come
		 * when something changes, maybe never. */
		r = wait_stream(fd, nlines > 0 ? -1 : remaining_ms(deadline),
		    waitmask);
		if (r == -EINTR)
			r = 0;
		else if (r == -ETIMEDOUT)
			snprintf(err, errsz, "%s: no reply within %d ms", path,
			    timeout_ms);
		else if (r < 0)
			snprintf(err, errsz, "%s: poll: %s", path, strerror(-r));
	}
	xsm_buf_free(&acc);
	return r;
}

int
ctl_transport_stream(const char *path, const char *req, int timeout_ms,
    size_t max, const sigset_t *waitmask, volatile sig_atomic_t *stop,
    ctl_line_fn *fn, void *ctx, char *err, size_t errsz)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	int fd, r;

	fd = open_socket(path, deadline, err, errsz);
	if (fd < 0)
		return fd;
	r = send_line(fd, path, req, deadline, err, errsz);
	/* A refusal ("busy") may be queued behind a failed send. */
	if (r == 0 || r == -EPIPE || r == -ECONNRESET)
		r = stream_read(fd, path, remaining_ms(deadline), max,
		    waitmask, stop, fn, ctx, err, errsz);
	close(fd);
	return r;
}
