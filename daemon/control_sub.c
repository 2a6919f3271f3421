/* SPDX-License-Identifier: ISC */
/*
 * control_sub.c: alert subscribers. "subscribe" turns a control client
 * into a stream: one acknowledgement line, then every alert as one
 * NDJSON line as the publish step hands it to xsmd_control_broadcast().
 *
 * The policy (README, "Control protocol"):
 *  - At most max_clients / 2 connections may subscribe; one more gets
 *    "busy" and stays an ordinary client. Subscribers are never evicted
 *    to admit a newcomer (conn_make_room() skips them). So subscribers
 *    cannot take the slots queries need, and a flood of queries cannot
 *    knock a watching collector off.
 *  - A subscriber is exempt from idle_timeout and must send nothing
 *    more: EOF closes it (its peer is gone: nothing else would tell us
 *    until the next alert), any other byte gets a usage error line and a
 *    close.
 *  - Its backlog is capped at min(256 KiB, output_max / 4). An alert
 *    that does not fit, or a backlog that has not moved for the stall
 *    deadline (idle_timeout, at least 1 s), cuts it off: what is queued
 *    is discarded but for a line already in mid-send, a slow_subscriber
 *    error line takes its place, and the connection is closed once that
 *    is sent or the stall deadline passes again. The socket's own send
 *    buffer is set to the cap too. Memory per subscriber stays bounded
 *    by twice its cap whatever the peer does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

#define CTL_SUB_MAX (256 * 1024)
#define CTL_SUB_STALL_MIN 1.0

static double
sub_stall(const struct xsm_control_cfg *cc)
{
	double s = (double)cc->idle_timeout_usec / 1e6;

	return s < CTL_SUB_STALL_MIN ? CTL_SUB_STALL_MIN : s;
}

/*
 * The kernel's queue counts too: with the default (about 200 KiB of
 * socket memory) a subscriber that never reads would hold that much
 * beyond its cap, and be noticed only once it is full. Failure is
 * harmless: the default stays.
 */
static void
sub_sndbuf(const struct ctl_conn *c)
{
	int sz = (int)c->sub_max;

	if (setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) < 0)
		log_debug("control: SO_SNDBUF: %s", strerror(errno));
}

void
xsmd_ctl_subscribe(struct ctl_conn *c)
{
	struct xsmd_control *ctl = c->ctl;
	struct xsmd *d = ctl->d;
	const struct xsm_control_cfg *cc = &d->cfg.control;
	char msg[64];

	if (ctl->nsubs >= cc->max_clients / 2) {
		snprintf(msg, sizeof(msg), "at most %u subscribers",
		    cc->max_clients / 2);
		xsm_render_error(XSM_ECODE_BUSY, msg, &c->out);
		ctl->refused++;
		return;
	}
	if (xsm_render_subscribed(d->hostname, xsmd_alerts_run(d),
	    xsmd_alerts_seq(d), &c->out) < 0)
		return;         /* over output_max: conn_reply_fits drops c */
	c->subscriber = true;
	ctl->nsubs++;
	c->sub_max = cc->output_max / 4 < CTL_SUB_MAX ? cc->output_max / 4 :
	    CTL_SUB_MAX;
	sub_sndbuf(c);
	/* From now on the timer is the stall deadline, armed only while
	 * the backlog is not empty. */
	ev_timer_stop(d->loop, &c->idle);
	c->idle.repeat = sub_stall(cc);
	log_debug("control: pid %d subscribed", (int)c->peer.pid);
}

/* Replaces the backlog, but for a line in mid-send, by one error line. */
static void
sub_final_line(struct ctl_conn *c, const char *code, const char *msg)
{
	const char *nl;
	size_t keep = 0;

	if (c->head_mid && c->out.len > 0) {
		nl = memchr(c->out.data, '\n', c->out.len);
		keep = nl != NULL ? (size_t)(nl - c->out.data) + 1 : c->out.len;
	}
	c->out.len = keep;
	if (c->out.data != NULL)
		c->out.data[keep] = '\0';
	/* The cap is for alerts: the last line must not be refused by it. */
	c->out.max = 0;
	(void)xsm_render_error(code, msg, &c->out);
	c->closing = true;
	ev_io_stop(c->ctl->d->loop, &c->rio);
	ev_io_start(c->ctl->d->loop, &c->wio);
	/* The peer gets as long to read its last line as it had for its
	 * alerts: the stall deadline. */
	ev_timer_again(c->ctl->d->loop, &c->idle);
}

static void
sub_cut_off(struct ctl_conn *c, const char *why)
{
	char msg[160];

	c->ctl->subs_dropped++;
	log_debug("control: subscriber pid %d %s, cutting it off",
	    (int)c->peer.pid, why);
	snprintf(msg, sizeof(msg), "%s; alerts were lost: reconnect and "
	    "read status", why);
	sub_final_line(c, XSM_ECODE_SLOW, msg);
}

void
xsmd_ctl_sub_stray(struct ctl_conn *c)
{
	xsm_buf_reset(&c->in);
	sub_final_line(c, XSM_ECODE_USAGE,
	    "a subscriber sends nothing after subscribe");
}

bool
xsmd_ctl_sub_read(struct ctl_conn *c)
{
	char tmp[256];
	ssize_t n;

	do
		n = recv(c->fd, tmp, sizeof(tmp), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK;
	if (n == 0)
		return false;
	xsmd_ctl_sub_stray(c);
	return true;
}

void
xsmd_ctl_sub_moved(struct ctl_conn *c)
{
	if (c->closing)
		return;                 /* the grace period runs on */
	if (c->out.len > 0)
		ev_timer_again(c->ctl->d->loop, &c->idle);
	else
		ev_timer_stop(c->ctl->d->loop, &c->idle);
}

void
xsmd_ctl_sub_timer(struct ctl_conn *c)
{
	char why[64];

	if (c->closing) {
		xsmd_ctl_conn_close(c);
		return;
	}
	if (c->out.len == 0)
		return;                 /* drained meanwhile: not stalled */
	snprintf(why, sizeof(why), "did not read its alerts for %.0fs",
	    c->idle.repeat);
	sub_cut_off(c, why);
}

/* Queues line for c, or cuts c off when its backlog would pass the cap. */
static void
sub_queue(struct ctl_conn *c, const char *line, size_t len)
{
	struct ev_loop *loop = c->ctl->d->loop;
	bool was_empty = c->out.len == 0;
	char why[64];

	if (c->out.len + len > c->sub_max ||
	    xsm_buf_append(&c->out, line, len) < 0) {
		snprintf(why, sizeof(why), "more than %zu bytes of alerts "
		    "unread", c->sub_max);
		sub_cut_off(c, why);
		return;
	}
	/* The write goes out after this prepare step, in this very loop
	 * turn, with every alert of the turn in one send. */
	ev_io_start(loop, &c->wio);
	if (was_empty)
		ev_timer_again(loop, &c->idle);
}

void
xsmd_control_broadcast(struct xsmd *d, const char *line, size_t len)
{
	struct xsmd_control *ctl = d->control;
	struct ctl_conn *c;

	if (ctl == NULL || ctl->nsubs == 0 || len == 0 ||
	    line[len - 1] != '\n')
		return;
	TAILQ_FOREACH(c, &ctl->conns, entry)
		if (c->subscriber && !c->closing)
			sub_queue(c, line, len);
}

unsigned
xsmd_control_subscribers(const struct xsmd *d, uint64_t *dropped)
{
	*dropped = d->control != NULL ? d->control->subs_dropped : 0;
	return d->control != NULL ? d->control->nsubs : 0;
}
