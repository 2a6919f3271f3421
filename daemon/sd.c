/* SPDX-License-Identifier: ISC */
/*
 * sd.c: the systemd service protocol, without libsystemd.
 *
 * We speak the two stable interfaces a Type=notify, socket-activated
 * service needs (sd_notify(3) and sd_listen_fds(3), unchanged since
 * systemd's first releases, so the same on XCP-ng's systemd 219):
 * datagrams to $NOTIFY_SOCKET, and fds from 3 announced by $LISTEN_FDS
 * and $LISTEN_PID. Linking libsystemd for these cost more than half of
 * xsmond's memory (libsystemd with libgcrypt, liblzma, libzstd, liblz4,
 * libcap, libgpg-error: ~1 MiB of 1.6 MiB PSS, measured) and brings a
 * compression stack into a dom0 monitor, the path of the 2024 xz
 * backdoor; OpenSSH dropped libsystemd for the same reason.
 * Every call is a no-op outside systemd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "xsmd.h"

#define LISTEN_FDS_START 3

/* Parses a decimal that must fill the whole string; -1 if it does not. */
static long long
env_number(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return -1;
	return v;
}

/* Sends one notify datagram; silently nothing when not under systemd. */
static void
sd_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	size_t plen;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return;
	plen = strlen(path);
	if (plen >= sizeof(sun.sun_path))
		return;
	memcpy(sun.sun_path, path, plen);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';   /* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	/* Non-blocking: a busy manager must not stall the loop. */
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len) < 0)
		log_debug("sd_notify %s: %s", msg, strerror(errno));
	close(fd);
}

void
xsmd_sd_ready(struct xsmd *d)
{
	if (d->ready_sent)
		return;
	d->ready_sent = true;
	sd_send("READY=1");
}

void
xsmd_sd_status(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	memcpy(msg, "STATUS=", 7);
	va_start(ap, fmt);
	vsnprintf(msg + 7, sizeof(msg) - 7, fmt, ap);
	va_end(ap);
	/* The protocol is newline-separated assignments. */
	for (char *p = msg; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	sd_send(msg);
}

void
xsmd_sd_reloading(void)
{
	char msg[64];

	/* Newer managers match RELOADING=1 to the reload by this stamp;
	 * older ones (219) ignore the extra assignment. */
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)xsmd_now_mono());
	sd_send(msg);
}

void
xsmd_sd_stopping(void)
{
	sd_send("STOPPING=1");
}

static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	sd_send("WATCHDOG=1");
}

/*
 * WATCHDOG_USEC (and WATCHDOG_PID, when set, naming us) asks for pings.
 * We ping at half the interval from the loop itself, so a stuck loop
 * stops the pings and systemd restarts us.
 */
void
xsmd_sd_watchdog_start(struct xsmd *d)
{
	long long usec = env_number("WATCHDOG_USEC");
	long long pid = env_number("WATCHDOG_PID");
	double interval;

	if (usec <= 0 || (pid >= 0 && pid != (long long)getpid()))
		return;
	interval = (double)usec / 2e6;
	ev_timer_init(&d->watchdog, watchdog_cb, interval, interval);
	ev_timer_start(d->loop, &d->watchdog);
	log_info("systemd watchdog every %.3fs", interval);
	sd_send("WATCHDOG=1");
}

/* True when fd is a listening AF_UNIX stream socket. */
static bool
is_unix_listener(int fd)
{
	int domain = 0, type = 0, listening = 0;
	socklen_t l1 = sizeof(domain), l2 = sizeof(type), l3 = sizeof(listening);

	return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &l1) == 0 &&
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l2) == 0 &&
	    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &l3) == 0 &&
	    domain == AF_UNIX && type == SOCK_STREAM && listening;
}

int
xsmd_sd_listen_fd(void)
{
	long long pid = env_number("LISTEN_PID");
	long long n = env_number("LISTEN_FDS");

	/* Consumed once: fd 3 may be closed below and its number reused. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	/* LISTEN_PID guards against fds meant for a parent we forked from. */
	if (pid != (long long)getpid() || n < 1)
		return -1;
	if (n > 1)
		log_warnx("systemd passed %lld sockets, using the first", n);
	/* Only the first is ours to use: close the rest, not leak them. */
	for (long long fd = LISTEN_FDS_START + 1; fd < LISTEN_FDS_START + n; fd++)
		close((int)fd);
	fcntl(LISTEN_FDS_START, F_SETFD, FD_CLOEXEC);
	if (!is_unix_listener(LISTEN_FDS_START)) {
		log_warnx("systemd socket is not a listening UNIX stream, ignoring");
		close(LISTEN_FDS_START);
		return -1;
	}
	return LISTEN_FDS_START;
}
