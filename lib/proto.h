/* SPDX-License-Identifier: ISC */
/*
 * proto.h: the control protocol: one request per line in, one JSON
 * document per line out.
 *
 * Grammar (case-sensitive, single spaces or tabs between words, an
 * optional trailing '\r'):
 *   status | show CHECK | domains | ping | version | reload | help |
 *   subscribe
 * CHECK is [a-z0-9_-]{1,32} (XSM_CHECK_NAME_MAX). Anything else is an
 * error with a code.
 * Exactly one blank separates words; leading, trailing or doubled blanks
 * are a usage error. Bytes must be printable UTF-8 (tab allowed as a
 * blank): control bytes, DEL, C1 controls and invalid UTF-8 are a
 * bad_request.
 */
#ifndef XSM_PROTO_H
#define XSM_PROTO_H

#include <sys/types.h>

#include "xsm.h"

#define XSM_CHECK_NAME_MAX 32

enum xsm_req_type {
	XSM_REQ_STATUS,
	XSM_REQ_SHOW,
	XSM_REQ_PING,
	XSM_REQ_VERSION,
	XSM_REQ_RELOAD,
	XSM_REQ_HELP,
	XSM_REQ_DOMAINS,  /* every xenstore domain with its facts */
	XSM_REQ_SUBSCRIBE, /* the connection becomes an alert stream */
};

struct xsm_request {
	enum xsm_req_type type;
	char arg[XSM_CHECK_NAME_MAX + 1]; /* CHECK for show, else "" */
};

/* Error codes carried in {"error":{"code":...}} replies. */
#define XSM_ECODE_BAD_REQUEST "bad_request"         /* not printable text */
#define XSM_ECODE_UNKNOWN     "unknown_request"     /* no such command */
#define XSM_ECODE_USAGE       "usage"               /* wrong arguments */
#define XSM_ECODE_NO_CHECK    "unknown_check"
#define XSM_ECODE_FORBIDDEN   "forbidden"
#define XSM_ECODE_TOO_LONG    "request_too_long"
#define XSM_ECODE_RELOAD      "reload_failed"
#define XSM_ECODE_INTERNAL    "internal"
#define XSM_ECODE_BUSY        "busy"                /* over the client cap */
#define XSM_ECODE_SLOW        "slow_subscriber"     /* stream cut off */

/*
 * Parses one request line of len bytes (no '\n'; NULs and other control
 * bytes make it a bad request). Returns 0, or -EINVAL with *code set to
 * one of the XSM_ECODE_* strings and err->msg saying why.
 */
int xsm_proto_parse(const char *line, size_t len, struct xsm_request *req,
    const char **code, struct xsm_err *err);

/*
 * Finds the first complete line in buf[0..len). Returns its length
 * without the '\n' and sets *consumed to length + 1; returns -EAGAIN when
 * there is no '\n' yet and len < max, and -EMSGSIZE when there is none
 * within the first max bytes (the peer is over the request cap).
 */
ssize_t xsm_proto_frame(const char *buf, size_t len, size_t max,
    size_t *consumed);

/*
 * True for a line the daemon skips without a reply: zero bytes, or a
 * lone '\r' (an empty line from a CRLF client). Everything else,
 * blanks included, goes to xsm_proto_parse().
 */
bool xsm_proto_empty(const char *line, size_t len);

/*
 * True when s[0..len) is a CHECK name by the grammar above: 1 to
 * XSM_CHECK_NAME_MAX bytes of [a-z0-9_-]. s need not be NUL-terminated.
 * xsmonctl checks its argument with this too, so both sides agree.
 */
bool xsm_proto_check_name(const char *s, size_t len);

/* The one-line help text listing the requests (for "help"). */
const char *xsm_proto_help(void);

#endif
