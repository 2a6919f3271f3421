/* SPDX-License-Identifier: ISC */
/*
 * log.c: stderr in the foreground, else the syslog socket.
 *
 * syslog(3) blocks when rsyslogd is stalled and its datagram queue is full
 * (net.unix.max_dgram_qlen), which would freeze the whole loop. So we keep
 * our own SOCK_DGRAM|SOCK_NONBLOCK socket: a line that cannot go at once
 * is dropped and counted, and the count is shown in status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xsm.h"

static struct {
	const char *ident;
	bool foreground;
	bool debug;
	char path[108];
	int fd;
	uint64_t dropped;
} logger = { .ident = "xsmond", .foreground = true, .fd = -1 };

void
log_init(const char *ident, bool foreground, bool debug, const char *path)
{
	logger.ident = ident;
	logger.foreground = foreground;
	logger.debug = debug;
	xsm_strlcpy(logger.path, path, sizeof(logger.path));
	log_close();
}

void
log_close(void)
{
	if (logger.fd >= 0)
		close(logger.fd);
	logger.fd = -1;
}

uint64_t
log_dropped(void)
{
	return logger.dropped;
}

static int
syslog_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	xsm_strlcpy(sun.sun_path, logger.path, sizeof(sun.sun_path));
	logger.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (logger.fd < 0)
		return -errno;
	if (connect(logger.fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int r = -errno;

		log_close();
		return r;
	}
	return 0;
}

/* One RFC 3164 line, as syslog(3) would send it to the local socket. */
static void
syslog_send(int pri, const char *msg)
{
	char line[1024], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "<%d>%s %s[%d]: %s",
	    LOG_DAEMON | pri, stamp, logger.ident, (int)getpid(), msg);
	if (n < 0)
		return;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (logger.fd < 0 && syslog_connect() < 0)
			break;
		if (send(logger.fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			break;
		/* The reader went away (rsyslogd restarted): reconnect once. */
		log_close();
	}
	logger.dropped++;
}

static void __attribute__((format(printf, 2, 0)))
log_vwrite(int pri, const char *fmt, va_list ap, int errnum)
{
	char msg[900];
	int saved = errno;
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum != 0) {
		len = strlen(msg);
		snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(errnum));
	}
	if (logger.foreground) {
		fprintf(stderr, "%s\n", msg);
		fflush(stderr);
	} else {
		syslog_send(pri, msg);
	}
	errno = saved;
}

#define LOG_FN(name, pri, with_errno)					\
void									\
name(const char *fmt, ...)						\
{									\
	int e = errno;							\
	va_list ap;							\
	va_start(ap, fmt);						\
	log_vwrite(pri, fmt, ap, (with_errno) ? e : 0);		\
	va_end(ap);							\
}

LOG_FN(log_warn, LOG_WARNING, 1)
LOG_FN(log_warnx, LOG_WARNING, 0)
LOG_FN(log_info, LOG_INFO, 0)
LOG_FN(log_notice, LOG_NOTICE, 0)

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!logger.debug)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, e);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
