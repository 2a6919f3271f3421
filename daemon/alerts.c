/* SPDX-License-Identifier: ISC */
/*
 * alerts.c: every edge leaves the host as one alert, a syslog datagram
 * (@cee JSON or RFC 5424, lib/alert_fmt.c), and goes to every stream
 * subscriber as an NDJSON line.
 *
 * Like log.c we keep our own SOCK_DGRAM|SOCK_NONBLOCK socket: a stalled
 * rsyslogd must never block the loop, so an alert that cannot go at once
 * is dropped and counted (alerts_dropped), never queued in memory. The
 * counts are separate from log_dropped: a lost alert is a lost page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"
#include "xsmd.h"

/* A datagram well under imuxsock's default 8 KiB maximum. */
#define ALERT_DGRAM_MAX 4096

struct xsmd_alerts {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char run[33];               /* 128 random bits, hex */
	uint64_t sent, dropped;
	uint64_t last_seq;          /* of the last alert published */
	struct xsm_buf dgram, line;
	/* Unresolved critical checks, for renotify. */
	ev_timer renotify;
	bool crit[XSM_CHECK__MAX];
	uint64_t crit_due[XSM_CHECK__MAX];  /* monotonic */
	struct xsm_edge crit_edge[XSM_CHECK__MAX];
};

/* control_sub.c defines the real one; this keeps a build without it linking. */
__attribute__((weak)) void
xsmd_control_broadcast(struct xsmd *d, const char *line, size_t len)
{
}

static void
run_id(char *out, size_t size)
{
	unsigned char r[16];
	uint64_t t = xsmd_now_wall() ^ ((uint64_t)getpid() << 32);

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(t >> (8 * (i % 8))) ^ (unsigned char)i;
	for (size_t i = 0; i < sizeof(r) && 2 * i + 2 < size; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static const char *
alerts_socket(const struct xsmd *d)
{
	return d->cfg.alerts.socket[0] != '\0' ? d->cfg.alerts.socket :
	    d->cfg.rsyslog.syslog_socket;
}

static void
sock_close(struct xsmd_alerts *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
}

/* connect(2) on a datagram unix socket never waits for the reader. */
static int
sock_open(struct xsmd_alerts *a)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	xsm_strlcpy(sun.sun_path, a->path, sizeof(sun.sun_path));
	a->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0)
		return -errno;
	if (connect(a->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int r = -errno;

		sock_close(a);
		return r;
	}
	return 0;
}

/* One datagram: sent, or dropped and counted. */
static void
sock_send(struct xsmd_alerts *a, const char *p, size_t n)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (a->fd < 0 && sock_open(a) < 0)
			break;
		if (send(a->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
			a->sent++;
			return;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			break;
		/* The reader went away (rsyslogd restarted): reconnect once. */
		sock_close(a);
	}
	a->dropped++;
}

static long
utc_offset(uint64_t wall_usec)
{
	time_t t = (time_t)(wall_usec / XSM_USEC_PER_SEC);
	struct tm tm;

	return localtime_r(&t, &tm) != NULL ? tm.tm_gmtoff : 0;
}

static void
to_syslog(struct xsmd *d, const struct xsm_alert *al)
{
	struct xsmd_alerts *a = d->alerts;
	struct xsm_alert_syslog s = {
		.host = d->hostname, .app = "xsmond", .pid = (int)getpid(),
		.run_id = a->run, .sd_id = d->cfg.alerts.sd_id,
		.utc_offset_s = utc_offset(al->at_usec),
	};
	int r;

	xsm_buf_reset(&a->dgram);
	if (strcmp(d->cfg.alerts.format, "rfc5424") == 0)
		r = xsm_alert_render_rfc5424(al, &s, &a->dgram);
	else
		r = xsm_alert_render_cee(al, &s, &a->dgram);
	if (r < 0) {
		a->dropped++;
		return;
	}
	sock_send(a, a->dgram.data, a->dgram.len);
}

static void
renotify_arm(struct xsmd *d)
{
	struct xsmd_alerts *a = d->alerts;
	uint64_t now = xsmd_now_mono(), next = 0;

	ev_timer_stop(d->loop, &a->renotify);
	if (d->cfg.alerts.renotify_usec == 0)
		return;
	for (int i = 0; i < XSM_CHECK__MAX; i++)
		if (a->crit[i] && (next == 0 || a->crit_due[i] < next))
			next = a->crit_due[i];
	if (next == 0)
		return;
	ev_timer_set(&a->renotify, next > now ? (double)(next - now) / 1e6 : 0., 0.);
	ev_timer_start(d->loop, &a->renotify);
}

/* A check's own edge: remember or forget it as unresolved critical. */
static void
renotify_note(struct xsmd *d, const struct xsm_edge *e)
{
	struct xsmd_alerts *a = d->alerts;

	if (e->subject[0] != '\0' || (unsigned)e->check >= XSM_CHECK__MAX)
		return;
	a->crit[e->check] = e->new_status == XSM_CRITICAL;
	if (a->crit[e->check]) {
		a->crit_edge[e->check] = *e;
		a->crit_due[e->check] = xsmd_now_mono() +
		    d->cfg.alerts.renotify_usec;
	}
	renotify_arm(d);
}

/* Reminders go through the edge queue: one path, in seq order. */
static void
renotify_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct xsmd *d = w->data;
	struct xsmd_alerts *a = d->alerts;
	uint64_t now = xsmd_now_mono();

	for (int i = 0; i < XSM_CHECK__MAX; i++) {
		const struct xsm_check *c = &d->state.checks[i];
		struct xsm_edge e;

		if (!a->crit[i] || a->crit_due[i] > now)
			continue;
		if (!c->present || c->status != XSM_CRITICAL) {
			a->crit[i] = false;
			continue;
		}
		e = a->crit_edge[i];
		e.old_status = XSM_CRITICAL;
		e.renotify = true;
		e.at_usec = xsmd_now_wall();
		xsm_strlcpy(e.reason, c->reason, sizeof(e.reason));
		/* Due again from now, in case the publish step is late. */
		a->crit_due[i] = now + d->cfg.alerts.renotify_usec;
		xsm_state_item(&d->state, &e);
	}
	renotify_arm(d);
}

bool
xsmd_alerts_publish(struct xsmd *d, const struct xsm_edge *e)
{
	struct xsmd_alerts *a = d->alerts;
	struct xsm_alert al;

	if (a == NULL)
		return false;
	xsm_alert_from_edge(e, &al);
	a->last_seq = al.seq;
	xsm_buf_reset(&a->line);
	if (xsm_alert_render_json(&al, d->hostname, a->run, &a->line) == 0)
		xsmd_control_broadcast(d, a->line.data, a->line.len);
	if (!d->cfg.alerts.enabled)
		return false;
	renotify_note(d, e);
	to_syslog(d, &al);
	return true;
}

static void
alerts_config(struct xsmd *d)
{
	struct xsmd_alerts *a = d->alerts;
	const char *path = alerts_socket(d);

	if (strcmp(path, a->path) != 0) {
		sock_close(a);
		xsm_strlcpy(a->path, path, sizeof(a->path));
	}
	if (!d->cfg.alerts.enabled) {
		sock_close(a);
		memset(a->crit, 0, sizeof(a->crit));
	}
	renotify_arm(d);
}

int
xsmd_alerts_start(struct xsmd *d)
{
	struct xsmd_alerts *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return -ENOMEM;
	a->fd = -1;
	run_id(a->run, sizeof(a->run));
	xsm_buf_init(&a->dgram, ALERT_DGRAM_MAX);
	xsm_buf_init(&a->line, ALERT_DGRAM_MAX);
	ev_timer_init(&a->renotify, renotify_cb, 0., 0.);
	a->renotify.data = d;
	d->alerts = a;
	alerts_config(d);
	return 0;
}

void
xsmd_alerts_reload(struct xsmd *d)
{
	if (d->alerts != NULL)
		alerts_config(d);
}

void
xsmd_alerts_stop(struct xsmd *d)
{
	struct xsmd_alerts *a = d->alerts;

	if (a == NULL)
		return;
	ev_timer_stop(d->loop, &a->renotify);
	sock_close(a);
	xsm_buf_free(&a->dgram);
	xsm_buf_free(&a->line);
	free(a);
	d->alerts = NULL;
}

void
xsmd_alerts_counts(const struct xsmd *d, uint64_t *sent, uint64_t *dropped)
{
	*sent = d->alerts != NULL ? d->alerts->sent : 0;
	*dropped = d->alerts != NULL ? d->alerts->dropped : 0;
}

uint64_t
xsmd_alerts_seq(const struct xsmd *d)
{
	return d->alerts != NULL ? d->alerts->last_seq : 0;
}

const char *
xsmd_alerts_run(const struct xsmd *d)
{
	return d->alerts != NULL ? d->alerts->run : NULL;
}
