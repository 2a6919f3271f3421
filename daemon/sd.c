/* SPDX-License-Identifier: ISC */
/*
 * sd.c: systemd glue. Every call is a no-op when NOTIFY_SOCKET or
 * LISTEN_FDS are unset, so xsmond runs the same by hand, in tests and on
 * systemd 219 (XCP-ng 8.x), whose sd_notify protocol is the same.
 */
#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "xsmd.h"

void
xsmd_sd_ready(struct xsmd *d)
{
	if (d->ready_sent)
		return;
	d->ready_sent = true;
	sd_notify(0, "READY=1");
}

void
xsmd_sd_status(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", msg);
}

void
xsmd_sd_reloading(void)
{
	sd_notify(0, "RELOADING=1");
}

void
xsmd_sd_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	sd_notify(0, "WATCHDOG=1");
}

/*
 * Pings at half the interval the manager asked for: being fed from the
 * loop itself, the watchdog also proves the loop is not stuck.
 */
void
xsmd_sd_watchdog_start(struct xsmd *d)
{
	uint64_t usec = 0;
	double interval;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	interval = (double)usec / 2e6;
	ev_timer_init(&d->watchdog, watchdog_cb, interval, interval);
	ev_timer_start(d->loop, &d->watchdog);
	log_info("systemd watchdog every %.3fs", interval);
	sd_notify(0, "WATCHDOG=1");
}

int
xsmd_sd_listen_fd(void)
{
	int n = sd_listen_fds(0);

	if (n < 1)
		return -1;
	if (n > 1)
		log_warnx("systemd passed %d sockets, using the first", n);
	if (sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_STREAM, 1, NULL, 0) <= 0) {
		log_warnx("systemd socket is not a listening UNIX stream, ignoring");
		return -1;
	}
	return SD_LISTEN_FDS_START;
}
