/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_canary.h: the canary line xsmond sends through the syslog
 * socket and looks for in the target files. It reads
 *   "<29>Nov 22 07:31:22 xsmond-canary[PID]: xsmon canary TOKEN"
 * (daemon.notice, the local format glibc's syslog(3) uses: imuxsock adds
 * the host) and lands in a file as, e.g.,
 *   "2026-11-22T07:31:22+00:00 host xsmond-canary[PID]: xsmon canary TOKEN".
 * TOKEN is "NONCE-SEQ" in hex and decimal: NONCE differs per daemon run,
 * SEQ per canary, so an old canary is never taken for the current one.
 */
#ifndef XSM_RSYSLOG_CANARY_H
#define XSM_RSYSLOG_CANARY_H

#include "rsyslog.h"

#define XSM_CANARY_TAG "xsmond-canary"
#define XSM_CANARY_TEXT "xsmon canary "
#define XSM_CANARY_PRI 29   /* LOG_DAEMON | LOG_NOTICE */

/* Writes the token for (nonce, seq) into out (XSM_RSYSLOG_TOKEN_MAX). */
void xsm_canary_token(uint64_t nonce, uint64_t seq, char *out, size_t size);

/*
 * Writes the datagram: stamp is the RFC 3164 time ("Nov 22 07:31:22",
 * the caller's local time), pid xsmond's. Returns its length, or -ENOBUFS
 * when it does not fit in size.
 */
int xsm_canary_message(const char *stamp, int pid, const char *token,
    char *out, size_t size);

/*
 * Does this line (len bytes) carry the canary with exactly this token,
 * "xsmon canary TOKEN" followed by the end of the line or a space?
 */
bool xsm_canary_line_matches(const char *line, size_t len, const char *token);

#endif
