/* SPDX-License-Identifier: ISC */
/*
 * log.h: OpenBSD-style logging. Foreground (-d) logs to stderr; otherwise
 * lines go to the syslog socket on a non-blocking datagram socket of our
 * own, so a stalled rsyslogd can never block the loop: a line that cannot
 * be sent at once is dropped and counted (log_dropped()).
 * Every function preserves errno.
 */
#ifndef XSMD_LOG_H
#define XSMD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* ident is the syslog tag; path the syslog socket ("/dev/log"). */
void log_init(const char *ident, bool foreground, bool debug,
    const char *path);
void log_close(void);
uint64_t log_dropped(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif
