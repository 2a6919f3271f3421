/* SPDX-License-Identifier: ISC */
/* check_proto.c: the control request grammar and the line framer. */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

/* Parses a C string (length from strlen) or n explicit bytes. */
static int
parse_n(const char *s, size_t n, struct xsm_request *req, const char **code)
{
	struct xsm_err err = { 0, "" };
	int r;

	r = xsm_proto_parse(s, n, req, code, &err);
	if (r < 0)
		ck_assert_msg(err.msg[0] != '\0', "no message for \"%s\"", s);
	return r;
}

static int
parse(const char *s, struct xsm_request *req, const char **code)
{
	return parse_n(s, strlen(s), req, code);
}

/* Asserts that s fails with the expected code. */
static void
expect_code(const char *s, size_t n, const char *want)
{
	struct xsm_request req;
	const char *code = NULL;

	ck_assert_int_eq(parse_n(s, n, &req, &code), -EINVAL);
	ck_assert_ptr_nonnull(code);
	ck_assert_msg(strcmp(code, want) == 0, "\"%.*s\": got %s, want %s",
	    (int)n, s, code, want);
}

#define EXPECT(s, want) expect_code((s), strlen(s), (want))

START_TEST(every_request)
{
	static const struct {
		const char *line;
		enum xsm_req_type type;
	} ok[] = {
		{ "status", XSM_REQ_STATUS },
		{ "ping", XSM_REQ_PING },
		{ "version", XSM_REQ_VERSION },
		{ "reload", XSM_REQ_RELOAD },
		{ "help", XSM_REQ_HELP },
		{ "domains", XSM_REQ_DOMAINS },
		{ "subscribe", XSM_REQ_SUBSCRIBE },
	};
	struct xsm_request req;
	const char *code = "x";

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_int_eq(parse(ok[i].line, &req, &code), 0);
		ck_assert_int_eq(req.type, ok[i].type);
		ck_assert_str_eq(req.arg, "");
		ck_assert_ptr_null(code);
	}
	ck_assert_int_eq(parse("show logfs", &req, &code), 0);
	ck_assert_int_eq(req.type, XSM_REQ_SHOW);
	ck_assert_str_eq(req.arg, "logfs");
	ck_assert_int_eq(parse("show a-b_9", &req, &code), 0);
	ck_assert_str_eq(req.arg, "a-b_9");
}
END_TEST

START_TEST(whitespace)
{
	struct xsm_request req;
	const char *code;

	/* One space or one tab separates words. */
	ck_assert_int_eq(parse("show\tlogfs", &req, &code), 0);
	ck_assert_str_eq(req.arg, "logfs");
	EXPECT("show  logfs", XSM_ECODE_USAGE);
	EXPECT("show \tlogfs", XSM_ECODE_USAGE);
	EXPECT(" status", XSM_ECODE_USAGE);
	EXPECT("\tstatus", XSM_ECODE_USAGE);
	EXPECT("status ", XSM_ECODE_USAGE);
	EXPECT("status\t", XSM_ECODE_USAGE);
	EXPECT("status \r", XSM_ECODE_USAGE);
	EXPECT(" ", XSM_ECODE_USAGE);
	EXPECT("\t\t", XSM_ECODE_USAGE);
}
END_TEST

START_TEST(trailing_cr)
{
	struct xsm_request req;
	const char *code;

	ck_assert_int_eq(parse("status\r", &req, &code), 0);
	ck_assert_int_eq(req.type, XSM_REQ_STATUS);
	ck_assert_int_eq(parse("show logfs\r", &req, &code), 0);
	ck_assert_str_eq(req.arg, "logfs");
	/* Only one trailing CR is framing; any other CR is a control byte. */
	EXPECT("status\r\r", XSM_ECODE_BAD_REQUEST);
	EXPECT("sta\rtus", XSM_ECODE_BAD_REQUEST);
	EXPECT("\rstatus", XSM_ECODE_BAD_REQUEST);
}
END_TEST

START_TEST(unknown)
{
	struct xsm_request req;
	struct xsm_err err;
	const char *code;

	EXPECT("STATUS", XSM_ECODE_UNKNOWN);
	EXPECT("Status", XSM_ECODE_UNKNOWN);
	EXPECT("stat", XSM_ECODE_UNKNOWN);
	EXPECT("statuss", XSM_ECODE_UNKNOWN);
	EXPECT("quit", XSM_ECODE_UNKNOWN);
	EXPECT("[[[[", XSM_ECODE_UNKNOWN);
	EXPECT("{\"cmd\":\"status\"}", XSM_ECODE_UNKNOWN);
	EXPECT("foo bar", XSM_ECODE_UNKNOWN);
	EXPECT("", XSM_ECODE_UNKNOWN);
	EXPECT("\r", XSM_ECODE_UNKNOWN);
	/* Valid non-ASCII text is text, just not a command. */
	EXPECT("st\xc3\xa4tus", XSM_ECODE_UNKNOWN);

	ck_assert_int_eq(xsm_proto_parse("quit", 4, &req, &code, &err),
	    -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"quit\""));
	/* Non-ASCII words are not echoed back. */
	ck_assert_int_eq(xsm_proto_parse("\xc3\xa4", 2, &req, &code, &err),
	    -EINVAL);
	ck_assert_ptr_null(strchr(err.msg, '"'));
	/* A NULL err is allowed. */
	ck_assert_int_eq(xsm_proto_parse("nope", 4, &req, &code, NULL),
	    -EINVAL);
	ck_assert_str_eq(code, XSM_ECODE_UNKNOWN);
}
END_TEST

START_TEST(usage_errors)
{
	EXPECT("show", XSM_ECODE_USAGE);
	EXPECT("show\r", XSM_ECODE_USAGE);
	EXPECT("show a b", XSM_ECODE_USAGE);
	EXPECT("show a\tb", XSM_ECODE_USAGE);
	EXPECT("show LOGFS", XSM_ECODE_USAGE);
	EXPECT("show log.fs", XSM_ECODE_USAGE);
	EXPECT("show ../x", XSM_ECODE_USAGE);
	EXPECT("show \xc3\xa4", XSM_ECODE_USAGE);
	EXPECT("status now", XSM_ECODE_USAGE);
	EXPECT("ping ping", XSM_ECODE_USAGE);
	EXPECT("version 1", XSM_ECODE_USAGE);
	EXPECT("reload now", XSM_ECODE_USAGE);
	EXPECT("help show", XSM_ECODE_USAGE);
	EXPECT("domains 5", XSM_ECODE_USAGE);
}
END_TEST

START_TEST(bad_bytes)
{
	expect_code("status\0", 7, XSM_ECODE_BAD_REQUEST);
	expect_code("\0status", 7, XSM_ECODE_BAD_REQUEST);
	expect_code("show lo\0gfs", 11, XSM_ECODE_BAD_REQUEST);
	expect_code("\0", 1, XSM_ECODE_BAD_REQUEST);
	for (unsigned c = 1; c < 0x20; c++) {
		char line[8] = "ping";

		if (c == '\t' || c == '\r')
			continue;
		line[1] = (char)c;
		expect_code(line, 4, XSM_ECODE_BAD_REQUEST);
	}
	EXPECT("pi\x7fng", XSM_ECODE_BAD_REQUEST);
	EXPECT("\x1b[2Jstatus", XSM_ECODE_BAD_REQUEST);
	/* Invalid UTF-8: stray continuation, truncated, overlong,
	 * surrogate, past U+10FFFF, 0xff, and a C1 control. */
	EXPECT("\x80status", XSM_ECODE_BAD_REQUEST);
	EXPECT("status\xc3", XSM_ECODE_BAD_REQUEST);
	EXPECT("status\xe2\x82", XSM_ECODE_BAD_REQUEST);
	EXPECT("\xc0\xafstatus", XSM_ECODE_BAD_REQUEST);
	EXPECT("\xe0\x80\xafx", XSM_ECODE_BAD_REQUEST);
	EXPECT("\xed\xa0\x80x", XSM_ECODE_BAD_REQUEST);
	EXPECT("\xf4\x90\x80\x80x", XSM_ECODE_BAD_REQUEST);
	EXPECT("\xf0\x80\x80\xafx", XSM_ECODE_BAD_REQUEST);
	EXPECT("\xff", XSM_ECODE_BAD_REQUEST);
	EXPECT("x\xc2\x85", XSM_ECODE_BAD_REQUEST);
	/* Bad bytes win over whitespace and unknown-word errors. */
	EXPECT(" \x01", XSM_ECODE_BAD_REQUEST);
	EXPECT("show \xff", XSM_ECODE_BAD_REQUEST);
	/* Good multi-byte sequences of each length pass the byte check. */
	EXPECT("x\xc2\xa0", XSM_ECODE_UNKNOWN);
	EXPECT("\xe2\x82\xac", XSM_ECODE_UNKNOWN);
	EXPECT("\xf0\x9f\x98\x80", XSM_ECODE_UNKNOWN);
	EXPECT("\xf4\x8f\xbf\xbf", XSM_ECODE_UNKNOWN);
}
END_TEST

START_TEST(long_arg)
{
	char line[64];
	struct xsm_request req;
	const char *code;

	strcpy(line, "show ");
	memset(line + 5, 'a', 32);
	line[37] = '\0';
	ck_assert_int_eq(parse(line, &req, &code), 0);
	ck_assert_uint_eq(strlen(req.arg), 32);
	line[37] = 'a';
	line[38] = '\0';
	EXPECT(line, XSM_ECODE_USAGE);
}
END_TEST

START_TEST(check_name)
{
	char name[XSM_CHECK_NAME_MAX + 2];

	ck_assert(xsm_proto_check_name("logfs", 5));
	ck_assert(xsm_proto_check_name("a-b_9", 5));
	ck_assert(xsm_proto_check_name("logfs!", 5));   /* only len counts */
	ck_assert(!xsm_proto_check_name("", 0));
	ck_assert(!xsm_proto_check_name("Logfs", 5));
	ck_assert(!xsm_proto_check_name("log fs", 6));
	ck_assert(!xsm_proto_check_name("log\nfs", 6));
	ck_assert(!xsm_proto_check_name("log\0fs", 6));
	ck_assert(!xsm_proto_check_name("caf\xc3\xa9", 5));
	memset(name, 'a', sizeof(name));
	ck_assert(xsm_proto_check_name(name, XSM_CHECK_NAME_MAX));
	ck_assert(!xsm_proto_check_name(name, XSM_CHECK_NAME_MAX + 1));
}
END_TEST

START_TEST(long_line)
{
	size_t n = 1 << 20;
	char *line = malloc(n);

	ck_assert_ptr_nonnull(line);
	memset(line, '[', n);
	expect_code(line, n, XSM_ECODE_UNKNOWN);
	free(line);
}
END_TEST

START_TEST(empty_lines)
{
	ck_assert(xsm_proto_empty("", 0));
	ck_assert(xsm_proto_empty("\r", 1));
	ck_assert(!xsm_proto_empty("\r\r", 2));
	ck_assert(!xsm_proto_empty(" ", 1));
	ck_assert(!xsm_proto_empty("\0", 1));
	ck_assert(!xsm_proto_empty("x", 1));
}
END_TEST

START_TEST(frame_partial)
{
	size_t used = 99;

	ck_assert_int_eq(xsm_proto_frame("", 0, 16, &used), -EAGAIN);
	ck_assert_uint_eq(used, 0);
	ck_assert_int_eq(xsm_proto_frame("stat", 4, 16, &used), -EAGAIN);
	ck_assert_int_eq(xsm_proto_frame("status\n", 7, 16, &used), 6);
	ck_assert_uint_eq(used, 7);
	/* The '\r' stays in the line; the parser strips it. */
	ck_assert_int_eq(xsm_proto_frame("ping\r\n", 6, 16, &used), 5);
	ck_assert_uint_eq(used, 6);
	/* NUL bytes do not end a line. */
	ck_assert_int_eq(xsm_proto_frame("a\0b\n", 4, 16, &used), 3);
	ck_assert_uint_eq(used, 4);
}
END_TEST

START_TEST(frame_many)
{
	const char *in = "status\n\nping\r\n\r\nshow logfs\nver";
	size_t len = strlen(in), off = 0, used;
	const char *want[] = { "status", "", "ping\r", "\r", "show logfs" };
	unsigned n = 0, empty = 0;
	ssize_t r;

	while ((r = xsm_proto_frame(in + off, len - off, 64, &used)) >= 0) {
		ck_assert_uint_lt(n, 5);
		ck_assert_uint_eq((size_t)r, strlen(want[n]));
		ck_assert(memcmp(in + off, want[n], (size_t)r) == 0);
		ck_assert_uint_eq(used, (size_t)r + 1);
		if (xsm_proto_empty(in + off, (size_t)r))
			empty++;
		off += used;
		n++;
	}
	ck_assert_int_eq(r, -EAGAIN);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(empty, 2);
	ck_assert_str_eq(in + off, "ver");
}
END_TEST

START_TEST(frame_cap)
{
	enum { MAX = 16 };
	char buf[MAX + 8];
	size_t used;

	memset(buf, 'x', sizeof(buf));
	/* max - 1 bytes without '\n' may still become a line. */
	ck_assert_int_eq(xsm_proto_frame(buf, MAX - 1, MAX, &used), -EAGAIN);
	/* Exactly max bytes, or more, without '\n' is over the cap. */
	ck_assert_int_eq(xsm_proto_frame(buf, MAX, MAX, &used), -EMSGSIZE);
	ck_assert_int_eq(xsm_proto_frame(buf, MAX + 1, MAX, &used),
	    -EMSGSIZE);
	/* A line whose '\n' is the max-th byte fits. */
	buf[MAX - 1] = '\n';
	ck_assert_int_eq(xsm_proto_frame(buf, MAX, MAX, &used), MAX - 1);
	ck_assert_uint_eq(used, MAX);
	ck_assert_int_eq(xsm_proto_frame(buf, MAX + 8, MAX, &used), MAX - 1);
	/* A '\n' one past the cap does not count, even if it was read. */
	buf[MAX - 1] = 'x';
	buf[MAX] = '\n';
	ck_assert_int_eq(xsm_proto_frame(buf, MAX + 1, MAX, &used),
	    -EMSGSIZE);
	ck_assert_uint_eq(used, 0);
	/* A zero cap never yields a line. */
	ck_assert_int_eq(xsm_proto_frame("\n", 1, 0, &used), -EMSGSIZE);
}
END_TEST

START_TEST(help_text)
{
	const char *h = xsm_proto_help();

	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(strstr(h, "show CHECK"));
	ck_assert_ptr_nonnull(strstr(h, "subscribe"));
	ck_assert_ptr_null(strchr(h, '\n'));
}
END_TEST

/* subscribe is a bare word like status: no argument, exact case. */
START_TEST(subscribe_grammar)
{
	struct xsm_request req;
	const char *code = "x";

	ck_assert_int_eq(parse("subscribe\r", &req, &code), 0);
	ck_assert_int_eq(req.type, XSM_REQ_SUBSCRIBE);
	ck_assert_ptr_null(code);
	EXPECT("subscribe nics", XSM_ECODE_USAGE);
	EXPECT("subscribe ", XSM_ECODE_USAGE);
	EXPECT(" subscribe", XSM_ECODE_USAGE);
	EXPECT("Subscribe", XSM_ECODE_UNKNOWN);
	EXPECT("subscribed", XSM_ECODE_UNKNOWN);
	EXPECT("subscrib", XSM_ECODE_UNKNOWN);
	expect_code("subscribe\0", 10, XSM_ECODE_BAD_REQUEST);
}
END_TEST

static Suite *
proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_request);
	tcase_add_test(tc, whitespace);
	tcase_add_test(tc, trailing_cr);
	tcase_add_test(tc, unknown);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, bad_bytes);
	tcase_add_test(tc, long_arg);
	tcase_add_test(tc, check_name);
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, empty_lines);
	tcase_add_test(tc, frame_partial);
	tcase_add_test(tc, frame_many);
	tcase_add_test(tc, frame_cap);
	tcase_add_test(tc, help_text);
	tcase_add_test(tc, subscribe_grammar);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(proto_suite());
}
