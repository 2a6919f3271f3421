/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: the control request path as the daemon drives it. Bytes arrive
 * in chunks into a buffer capped at the request limit, are framed into
 * lines, and every non-empty line is parsed. Invariants are checked on
 * every result, so a wrong answer is a crash, not only a memory error.
 *
 * The first input byte picks the chunk size (1..256), so the corpus
 * covers lines split across reads.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define REQ_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(x) do { if (!(x)) abort(); } while (0)

static bool
known_code(const char *code)
{
	static const char *const codes[] = {
		XSM_ECODE_BAD_REQUEST, XSM_ECODE_UNKNOWN, XSM_ECODE_USAGE,
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* A parsed request printed back must parse to the same request. */
static void
round_trip(const struct xsm_request *req)
{
	static const char *const names[] = {
		[XSM_REQ_STATUS] = "status", [XSM_REQ_SHOW] = "show",
		[XSM_REQ_PING] = "ping", [XSM_REQ_VERSION] = "version",
		[XSM_REQ_RELOAD] = "reload", [XSM_REQ_HELP] = "help",
		[XSM_REQ_DOMAINS] = "domains", [XSM_REQ_SUBSCRIBE] = "subscribe",
	};
	struct xsm_request again;
	const char *code;
	char line[64];
	size_t n;

	/* Every request type has a name here: a new one must be added. */
	ASSERT((unsigned)req->type < sizeof(names) / sizeof(names[0]) &&
	    names[req->type] != NULL);
	n = xsm_strlcpy(line, names[req->type], sizeof(line));
	ASSERT((req->type == XSM_REQ_SHOW) == (req->arg[0] != '\0'));
	if (req->type == XSM_REQ_SHOW) {
		ASSERT(strlen(req->arg) <= 32);
		line[n++] = ' ';
		n += xsm_strlcpy(line + n, req->arg, sizeof(line) - n);
	}
	ASSERT(xsm_proto_parse(line, n, &again, &code, NULL) == 0);
	ASSERT(again.type == req->type && strcmp(again.arg, req->arg) == 0);
}

static void
parse_line(const char *line, size_t len)
{
	struct xsm_request req;
	struct xsm_err err;
	const char *code = "unset";
	int r;

	memset(&err, 0xa5, sizeof(err));
	r = xsm_proto_parse(line, len, &req, &code, &err);
	if (r == 0) {
		ASSERT(code == NULL);
		round_trip(&req);
		return;
	}
	ASSERT(r == -EINVAL);
	ASSERT(code != NULL && known_code(code));
	ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	ASSERT(err.msg[0] != '\0');
}

/* Frames everything buffered; returns false when the peer is over cap. */
static bool
drain(struct xsm_buf *in)
{
	size_t used;
	ssize_t n;

	while ((n = xsm_proto_frame(in->data, in->len, REQ_MAX, &used)) >= 0) {
		ASSERT((size_t)n < REQ_MAX && used == (size_t)n + 1);
		ASSERT(in->data[n] == '\n' &&
		    memchr(in->data, '\n', (size_t)n) == NULL);
		if (!xsm_proto_empty(in->data, (size_t)n))
			parse_line(in->data, (size_t)n);
		xsm_buf_consume(in, used);
	}
	ASSERT(n == -EAGAIN || n == -EMSGSIZE);
	ASSERT((n == -EMSGSIZE) == (in->len >= REQ_MAX));
	return n == -EAGAIN;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsm_buf in;
	size_t chunk, off = 1;

	if (size == 0)
		return 0;
	chunk = (size_t)data[0] + 1;
	xsm_buf_init(&in, REQ_MAX);
	while (off < size) {
		/* Like recv() into the room left under the cap. */
		size_t room = in.max - in.len;
		size_t n = size - off < chunk ? size - off : chunk;

		if (n > room)
			n = room;
		ASSERT(n > 0);
		ASSERT(xsm_buf_append(&in, data + off, n) == 0);
		off += n;
		if (!drain(&in))
			break;
	}
	xsm_buf_free(&in);
	return 0;
}
