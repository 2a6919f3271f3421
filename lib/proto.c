/* SPDX-License-Identifier: ISC */
/*
 * proto.c: the control request grammar and the line framer. Pure: the
 * daemon moves bytes, this file decides what they mean.
 */
#include <errno.h>
#include <string.h>

#include "proto.h"

struct proto_cmd {
	const char *name;
	enum xsm_req_type type;
	bool takes_check;
};

static const struct proto_cmd proto_cmds[] = {
	{ "status", XSM_REQ_STATUS, false },
	{ "show", XSM_REQ_SHOW, true },
	{ "ping", XSM_REQ_PING, false },
	{ "version", XSM_REQ_VERSION, false },
	{ "reload", XSM_REQ_RELOAD, false },
	{ "help", XSM_REQ_HELP, false },
	{ "domains", XSM_REQ_DOMAINS, false },
	{ "subscribe", XSM_REQ_SUBSCRIBE, false },
};

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Rejects anything that is not printable UTF-8 text (tab allowed). */
static int
check_text(const unsigned char *p, size_t len, struct xsm_err *err)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
			i++;
			continue;
		}
		if (c < 0x80) {
			xsm_err_set(err, 0, "control byte 0x%02x at offset %zu",
			    c, i);
			return -EINVAL;
		}
		n = xsm_utf8_len(p + i, len - i, XSM_UTF8_NO_C1);
		if (n == 0) {
			xsm_err_set(err, 0, "invalid UTF-8 at offset %zu", i);
			return -EINVAL;
		}
		i += n;
	}
	return 0;
}

/* Enforces exactly one blank between words and none around them. */
static int
check_blanks(const unsigned char *p, size_t len, struct xsm_err *err)
{
	if (is_blank(p[0])) {
		xsm_err_set(err, 0, "leading whitespace");
		return -EINVAL;
	}
	if (is_blank(p[len - 1])) {
		xsm_err_set(err, 0, "trailing whitespace");
		return -EINVAL;
	}
	for (size_t i = 1; i < len; i++) {
		if (is_blank(p[i]) && is_blank(p[i - 1])) {
			xsm_err_set(err, 0, "repeated whitespace at offset %zu",
			    i);
			return -EINVAL;
		}
	}
	return 0;
}

static bool
is_check_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-';
}

bool
xsm_proto_check_name(const char *s, size_t len)
{
	if (len == 0 || len > XSM_CHECK_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_check_char((unsigned char)s[i]))
			return false;
	return true;
}

static int
parse_check(const char *arg, size_t len, struct xsm_request *req,
    struct xsm_err *err)
{
	if (len > XSM_CHECK_NAME_MAX) {
		xsm_err_set(err, 0, "check name longer than %d bytes",
		    XSM_CHECK_NAME_MAX);
		return -EINVAL;
	}
	if (!xsm_proto_check_name(arg, len)) {
		xsm_err_set(err, 0, "check name must match "
		    "[a-z0-9_-]{1,%d}", XSM_CHECK_NAME_MAX);
		return -EINVAL;
	}
	memcpy(req->arg, arg, len);
	req->arg[len] = '\0';
	return 0;
}

static const struct proto_cmd *
lookup(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof(proto_cmds) / sizeof(proto_cmds[0]); i++)
		if (strlen(proto_cmds[i].name) == len &&
		    memcmp(proto_cmds[i].name, word, len) == 0)
			return &proto_cmds[i];
	return NULL;
}

/*
 * Names the unknown word in the message only when it is short printable
 * ASCII: the message goes back on the wire, and echoing arbitrary bytes
 * (or cutting a UTF-8 sequence in half) would help nobody.
 */
static void
unknown_msg(const char *word, size_t len, struct xsm_err *err)
{
	bool plain = len <= XSM_CHECK_NAME_MAX;

	for (size_t i = 0; plain && i < len; i++)
		plain = (unsigned char)word[i] >= 0x20 &&
		    (unsigned char)word[i] < 0x7f;
	if (plain)
		xsm_err_set(err, 0, "unknown request \"%.*s\"; try help",
		    (int)len, word);
	else
		xsm_err_set(err, 0, "unknown request; try help");
}

/* line is valid text with single blanks between words and len > 0. */
static int
parse_words(const char *line, size_t len, struct xsm_request *req,
    const char **code, struct xsm_err *err)
{
	const struct proto_cmd *cmd;
	size_t wlen = 0;
	const char *arg;
	size_t alen;

	while (wlen < len && !is_blank((unsigned char)line[wlen]))
		wlen++;
	cmd = lookup(line, wlen);
	if (cmd == NULL) {
		*code = XSM_ECODE_UNKNOWN;
		unknown_msg(line, wlen, err);
		return -EINVAL;
	}
	arg = wlen < len ? line + wlen + 1 : NULL;
	alen = arg != NULL ? len - wlen - 1 : 0;
	*code = XSM_ECODE_USAGE;
	if (!cmd->takes_check) {
		if (arg != NULL) {
			xsm_err_set(err, 0, "%s takes no argument", cmd->name);
			return -EINVAL;
		}
		req->type = cmd->type;
		return 0;
	}
	if (arg == NULL || memchr(arg, ' ', alen) != NULL ||
	    memchr(arg, '\t', alen) != NULL) {
		xsm_err_set(err, 0, "usage: %s CHECK", cmd->name);
		return -EINVAL;
	}
	if (parse_check(arg, alen, req, err) < 0)
		return -EINVAL;
	req->type = cmd->type;
	return 0;
}

int
xsm_proto_parse(const char *line, size_t len, struct xsm_request *req,
    const char **code, struct xsm_err *err)
{
	const unsigned char *p = (const unsigned char *)line;

	memset(req, 0, sizeof(*req));
	*code = NULL;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (check_text(p, len, err) < 0) {
		*code = XSM_ECODE_BAD_REQUEST;
		return -EINVAL;
	}
	if (len == 0) {
		*code = XSM_ECODE_UNKNOWN;
		xsm_err_set(err, 0, "empty request; try help");
		return -EINVAL;
	}
	if (check_blanks(p, len, err) < 0) {
		*code = XSM_ECODE_USAGE;
		return -EINVAL;
	}
	if (parse_words(line, len, req, code, err) < 0)
		return -EINVAL;
	*code = NULL;
	return 0;
}

ssize_t
xsm_proto_frame(const char *buf, size_t len, size_t max, size_t *consumed)
{
	size_t scan = len < max ? len : max;
	const char *nl = scan > 0 ? memchr(buf, '\n', scan) : NULL;

	*consumed = 0;
	if (nl != NULL) {
		*consumed = (size_t)(nl - buf) + 1;
		return nl - buf;
	}
	return len < max ? -EAGAIN : -EMSGSIZE;
}

bool
xsm_proto_empty(const char *line, size_t len)
{
	return len == 0 || (len == 1 && line[0] == '\r');
}

const char *
xsm_proto_help(void)
{
	return "requests: status | show CHECK | domains | ping | version | "
	    "reload | subscribe | help";
}
