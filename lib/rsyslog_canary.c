/* SPDX-License-Identifier: ISC */
/* rsyslog_canary.c: canary tokens, datagrams and matching. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rsyslog_canary.h"

const char *
xsm_canary_state_name(enum xsm_canary_state s)
{
	switch (s) {
	case XSM_CANARY_PENDING:
		return "pending";
	case XSM_CANARY_DELIVERED:
		return "delivered";
	case XSM_CANARY_LATE:
		return "late";
	case XSM_CANARY_UNSENT:
		return "unsent";
	default:
		return "none";
	}
}

void
xsm_canary_token(uint64_t nonce, uint64_t seq, char *out, size_t size)
{
	snprintf(out, size, "%" PRIx64 "-%" PRIu64, nonce, seq);
}

int
xsm_canary_message(const char *stamp, int pid, const char *token,
    char *out, size_t size)
{
	int n = snprintf(out, size, "<%d>%s " XSM_CANARY_TAG "[%d]: "
	    XSM_CANARY_TEXT "%s", XSM_CANARY_PRI, stamp, pid, token);

	if (n < 0 || (size_t)n >= size)
		return -ENOBUFS;
	return n;
}

bool
xsm_canary_line_matches(const char *line, size_t len, const char *token)
{
	static const char text[] = XSM_CANARY_TEXT;
	size_t tl = strlen(token), xl = sizeof(text) - 1;
	const char *p = line, *end = line + len;

	if (tl == 0)
		return false;
	while ((size_t)(end - p) >= xl + tl &&
	    (p = memmem(p, (size_t)(end - p), text, xl)) != NULL) {
		const char *t = p + xl;

		if ((size_t)(end - t) >= tl && memcmp(t, token, tl) == 0 &&
		    (t + tl == end || t[tl] == ' ' || t[tl] == '\r'))
			return true;
		p++;
	}
	return false;
}
