/* SPDX-License-Identifier: ISC */
/*
 * control_conn.c: one control client. Bytes in are framed and parsed by
 * lib/proto.c, answered by xsmd_dispatch() from memory, and queued in a
 * capped output buffer. Limits: a request over request_max gets
 * request_too_long and a close; a reply that would take the backlog
 * past output_max drops the client; past out_high the client is not
 * read (backpressure), so one that never reads stalls until the idle
 * deadline (idle_timeout from its last complete request) closes it.
 *
 * The client cap (max_clients) never turns away a real query for long.
 * When an authorised newcomer finds every slot taken, one connected
 * client is closed to make room, the first that fits of:
 *  1. the least recently active client that has not yet sent a complete
 *     request (idle or slowloris); it gets a "busy" error line;
 *  2. the least recently active client that has had every reply (it is
 *     done but has not closed); it is closed without a line;
 *  3. the client owed a reply whose output has not moved for the
 *     longest, once that is CTL_STUCK_EVICT or more: it pipelines
 *     requests and does not read them; it is closed without a line.
 * Only when no client qualifies (all are owed replies that are still
 * moving) is the newcomer itself refused with "busy". Subscribers are
 * never evicted; they hold at most half the slots (control_sub.c). Every "busy"
 * line, to an evicted client or a refused newcomer, counts in
 * clients_refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

/* Stop reading a client whose replies pile up past this (backpressure). */
#define CTL_OUT_HIGH (64 * 1024)
/* At the cap, a client owed a reply whose output has not moved for this
 * long is not reading it, and may be closed to admit a newcomer. Any
 * shorter and a reader in mid-reply could lose its answer. */
#define CTL_STUCK_EVICT 1.0

static void
conn_touch(struct ctl_conn *c)
{
	struct xsmd_control *ctl = c->ctl;

	/* The deadline is per request: a slow reader or writer gets
	 * idle_timeout from its last complete request. */
	ev_timer_again(ctl->d->loop, &c->idle);
	c->requests++;
	/* Keep the list in activity order for eviction at the cap. */
	TAILQ_REMOVE(&ctl->conns, c, entry);
	TAILQ_INSERT_TAIL(&ctl->conns, c, entry);
}

void
xsmd_ctl_conn_close(struct ctl_conn *c)
{
	struct xsmd_control *ctl = c->ctl;
	struct ev_loop *loop = ctl->d->loop;

	ev_io_stop(loop, &c->rio);
	ev_io_stop(loop, &c->wio);
	ev_timer_stop(loop, &c->idle);
	close(c->fd);
	xsm_buf_free(&c->in);
	xsm_buf_free(&c->out);
	TAILQ_REMOVE(&ctl->conns, c, entry);
	ctl->nconns--;
	if (c->subscriber)
		ctl->nsubs--;
	free(c);
	xsmd_ctl_fd_freed(ctl);
}

/* False (and the partial reply undone) when it did not fit the cap. */
static bool
conn_reply_fits(struct ctl_conn *c, size_t before)
{
	if (c->out.len > before && c->out.data[c->out.len - 1] == '\n')
		return true;
	c->out.len = before;
	if (c->out.data != NULL)
		c->out.data[before] = '\0';
	log_debug("control: client pid %d over the %zu byte output cap, "
	    "dropping it", (int)c->peer.pid, c->out.max);
	return false;
}

/* Answers one framed line; false when the client must be dropped. */
static bool
conn_line(struct ctl_conn *c, const char *line, size_t len)
{
	struct xsm_request req;
	struct xsm_err err = { 0, "" };
	const char *code;
	size_t before = c->out.len;

	if (xsm_proto_empty(line, len))
		return true;
	if (xsm_proto_parse(line, len, &req, &code, &err) < 0)
		xsm_render_error(code, err.msg, &c->out);
	else if (req.type == XSM_REQ_SUBSCRIBE)
		xsmd_ctl_subscribe(c);
	else
		xsmd_dispatch(c->ctl->d, &req, &c->peer, &c->out);
	return conn_reply_fits(c, before);
}

static bool
conn_too_long(struct ctl_conn *c)
{
	size_t before = c->out.len;
	char msg[64];

	snprintf(msg, sizeof(msg), "request over %zu bytes", c->in.max);
	c->closing = true;
	xsm_buf_reset(&c->in);
	xsm_render_error(XSM_ECODE_TOO_LONG, msg, &c->out);
	return conn_reply_fits(c, before);
}

/*
 * Answers complete lines until the output backlog reaches out_high (the
 * rest wait in the input buffer for the client to read) and, at EOF,
 * an unterminated last line too. Returns false when the client is over
 * a cap and must be dropped at once.
 */
static bool
conn_process(struct ctl_conn *c)
{
	size_t used;
	ssize_t n;

	while (!c->closing && !c->subscriber && c->out.len < c->out_high) {
		n = xsm_proto_frame(c->in.data, c->in.len, c->in.max, &used);
		if (n == -EMSGSIZE)
			return conn_too_long(c);
		if (n == -EAGAIN) {
			if (!c->eof || c->in.len == 0)
				break;
			n = (ssize_t)c->in.len;
			used = c->in.len;
		}
		conn_touch(c);
		if (!conn_line(c, c->in.data, (size_t)n))
			return false;
		xsm_buf_consume(&c->in, used);
	}
	if (c->subscriber && !c->closing && c->in.len > 0)
		xsmd_ctl_sub_stray(c);
	return true;
}

/* Reads until EAGAIN or backpressure. False when c must be closed. */
static bool
conn_read(struct ctl_conn *c)
{
	char tmp[4096];

	if (c->subscriber)
		return xsmd_ctl_sub_read(c);
	while (!c->eof && !c->closing && !c->subscriber &&
	    c->out.len < c->out_high) {
		size_t room = c->in.max - c->in.len;
		ssize_t n;

		if (room == 0)
			break;
		if (room > sizeof(tmp))
			room = sizeof(tmp);
		n = recv(c->fd, tmp, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK;
		if (n == 0)
			c->eof = true;
		else if (xsm_buf_append(&c->in, tmp, (size_t)n) < 0)
			return false;
		if (!conn_process(c))
			return false;
		/* A short read drained the socket; epoll tells us of more. */
		if ((size_t)n < room)
			break;
	}
	return true;
}

/* Arms the watchers for the connection's state, or closes it. */
static void
conn_update(struct ctl_conn *c)
{
	struct ev_loop *loop = c->ctl->d->loop;

	if (c->out.len == 0 && (c->closing || (c->eof && c->in.len == 0))) {
		xsmd_ctl_conn_close(c);
		return;
	}
	if (c->out.len > 0)
		ev_io_start(loop, &c->wio);
	else
		ev_io_stop(loop, &c->wio);
	/* A subscriber is read only to see it go (or misbehave). */
	if (c->subscriber) {
		if (c->eof || c->closing)
			ev_io_stop(loop, &c->rio);
		else
			ev_io_start(loop, &c->rio);
		return;
	}
	/* Resume reading once the backlog halves, not at every byte. */
	if (c->eof || c->closing || c->out.len >= c->out_high)
		ev_io_stop(loop, &c->rio);
	else if (c->out.len < c->out_high / 2)
		ev_io_start(loop, &c->rio);
}

/* Sends until EAGAIN; false when the peer is gone. */
static bool
conn_send(struct ctl_conn *c)
{
	bool moved = false;

	while (c->out.len > 0) {
		ssize_t n = send(c->fd, c->out.data, c->out.len,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			log_debug("control: send to pid %d: %s",
			    (int)c->peer.pid, strerror(errno));
			return false;
		}
		/* A subscriber's cut-off keeps a line in mid-send whole. */
		c->head_mid = n > 0 && c->out.data[n - 1] != '\n';
		xsm_buf_consume(&c->out, (size_t)n);
		c->moved = ev_now(c->ctl->d->loop);
		moved = true;
	}
	if (moved && c->subscriber)
		xsmd_ctl_sub_moved(c);
	return true;
}

/*
 * Sends, and while the backlog stays under out_high answers the lines
 * that backpressure held back. Closes c when it is done or gone.
 */
static void
conn_flush(struct ctl_conn *c)
{
	for (;;) {
		size_t pending = c->in.len;

		if (!conn_send(c)) {
			xsmd_ctl_conn_close(c);
			return;
		}
		if (pending == 0 || c->closing || c->out.len >= c->out_high)
			break;
		if (!conn_process(c)) {
			xsmd_ctl_conn_close(c);
			return;
		}
		if (c->in.len == pending)
			break;          /* only a partial line is left */
	}
	conn_update(c);
}

static void
conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *c = w->data;

	if (!conn_read(c)) {
		xsmd_ctl_conn_close(c);
		return;
	}
	/* Write at once: most replies fit the socket buffer, so the write
	 * watcher is only needed for a slow reader. */
	conn_flush(c);
}

static void
conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	conn_flush(w->data);
}

static void
conn_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_conn *c = w->data;

	if (c->subscriber) {
		xsmd_ctl_sub_timer(c);
		return;
	}
	log_debug("control: client pid %d idle, closing", (int)c->peer.pid);
	xsmd_ctl_conn_close(c);
}

static void
conn_evict(struct ctl_conn *c)
{
	struct xsmd_control *ctl = c->ctl;

	log_debug("control: at %u clients, evicting pid %d", ctl->nconns,
	    (int)c->peer.pid);
	/* A served client has had every reply, and one owed a reply is in
	 * mid-line: a bare close reads to either as the end of the
	 * conversation. Others learn why. */
	if (c->requests == 0 && c->out.len == 0) {
		xsmd_ctl_send_error(c->fd, XSM_ECODE_BUSY, "too many clients");
		ctl->refused++;
	}
	xsmd_ctl_conn_close(c);
}

/*
 * At the cap, a quiet client makes room, in the order given at the top
 * of this file. One that never completed a request is the likeliest to
 * be stuck or a slowloris peer, and would hit the idle deadline anyway;
 * it goes only once a last read shows its request is not in yet.
 * Refusing the newcomer instead would let idle peers, or peers that
 * pipeline requests and never read, lock out a real query until that
 * deadline.
 */
static bool
conn_make_room(struct xsmd_control *ctl)
{
	struct ctl_conn *c, *next, *served = NULL, *stuck = NULL;
	unsigned n = ctl->nconns;

	for (c = TAILQ_FIRST(&ctl->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->subscriber)
			continue;       /* never evicted: see control_sub.c */
		if (c->out.len != 0) {
			if (stuck == NULL || c->moved < stuck->moved)
				stuck = c;
			continue;
		}
		if (c->requests != 0) {
			served = served != NULL ? served : c;
			continue;
		}
		conn_read_cb(ctl->d->loop, &c->rio, EV_READ);
		if (ctl->nconns < n)
			return true;            /* it finished and closed */
		if (c->requests == 0 && c->out.len == 0) {
			conn_evict(c);
			return true;
		}
	}
	if (served == NULL && stuck != NULL &&
	    ev_now(ctl->d->loop) - stuck->moved >= CTL_STUCK_EVICT)
		served = stuck;
	if (served == NULL)
		return false;
	conn_evict(served);
	return true;
}

void
xsmd_ctl_conn_new(struct xsmd_control *ctl, int fd, const struct ucred *peer)
{
	const struct xsm_control_cfg *cc = &ctl->d->cfg.control;
	struct ctl_conn *c;

	if (ctl->nconns >= cc->max_clients && !conn_make_room(ctl)) {
		log_debug("control: %u clients, refusing pid %d", ctl->nconns,
		    (int)peer->pid);
		xsmd_ctl_refuse(ctl, fd, XSM_ECODE_BUSY, "too many clients");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		xsmd_ctl_refuse(ctl, fd, XSM_ECODE_INTERNAL, "out of memory");
		return;
	}
	c->ctl = ctl;
	c->fd = fd;
	c->peer = *peer;
	/* Limits are read per connection: a reload affects new ones. */
	xsm_buf_init(&c->in, cc->request_max);
	xsm_buf_init(&c->out, cc->output_max);
	c->out_high = cc->output_max / 2 < CTL_OUT_HIGH ?
	    cc->output_max / 2 : CTL_OUT_HIGH;
	ev_io_init(&c->rio, conn_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, conn_write_cb, fd, EV_WRITE);
	ev_init(&c->idle, conn_idle_cb);
	c->idle.repeat = (double)cc->idle_timeout_usec / 1e6;
	c->rio.data = c->wio.data = c->idle.data = c;
	c->moved = ev_now(ctl->d->loop);
	TAILQ_INSERT_TAIL(&ctl->conns, c, entry);
	ctl->nconns++;
	ev_io_start(ctl->d->loop, &c->rio);
	ev_timer_again(ctl->d->loop, &c->idle);
	/* Clients write right after connect, so the request is usually
	 * here already: answering now saves a loop turn and, under a
	 * connect flood, keeps a real query from being the one evicted
	 * before it was read. */
	conn_read_cb(ctl->d->loop, &c->rio, EV_READ);
}
