/* SPDX-License-Identifier: ISC */
/* check_config.c: config parsing, validation, printing and units. */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define SEC XSM_USEC_PER_SEC
#define MS (SEC / 1000)

static struct xsm_config cfg;
static struct xsm_errlist errs;

static void
dump_errors(void)
{
	for (unsigned i = 0; i < errs.n; i++)
		fprintf(stderr, "  line %d: %s\n", errs.e[i].line, errs.e[i].msg);
}

/* Parses text that must be valid. */
static void
ok(const char *text)
{
	int r = xsm_config_parse(text, &cfg, &errs);

	if (r != 0)
		dump_errors();
	ck_assert_msg(r == 0, "rejected: \"%s\"", text);
	ck_assert_uint_eq(errs.n, 0);
}

/* Parses text that must fail with exactly n errors. */
static void
fails(const char *text, unsigned n)
{
	int r = xsm_config_parse(text, &cfg, &errs);

	ck_assert_msg(r == -EINVAL, "accepted: \"%s\"", text);
	if (errs.n != n)
		dump_errors();
	ck_assert_msg(errs.n == n, "\"%s\": %u errors, want %u", text, errs.n, n);
}

/* Error i is on line and its message contains part. */
static void
has(unsigned i, int line, const char *part)
{
	ck_assert_uint_lt(i, errs.n);
	ck_assert_msg(errs.e[i].line == line && strstr(errs.e[i].msg, part),
	    "error %u: line %d \"%s\", want line %d \"...%s...\"", i,
	    errs.e[i].line, errs.e[i].msg, line, part);
}

/* One key in its section; must parse. */
static void
set_ok(const char *section, const char *key, const char *value)
{
	char text[512];

	snprintf(text, sizeof(text), "[%s]\n%s = %s\n", section, key, value);
	ok(text);
}

/* One key in its section; must fail on line 2 with part in the message. */
static void
set_bad(const char *section, const char *key, const char *value,
    const char *part)
{
	char text[512];

	snprintf(text, sizeof(text), "[%s]\n%s = %s\n", section, key, value);
	fails(text, 1);
	has(0, 2, part);
}

START_TEST(defaults)
{
	struct xsm_config d;

	xsm_config_defaults(&d);
	ck_assert_str_eq(d.control.socket, "/run/xsmond/xsmond.sock");
	ck_assert_str_eq(d.control.group, "");
	ck_assert_uint_eq(d.control.max_clients, 16);
	ck_assert_uint_eq(d.control.request_max, 4096);
	ck_assert_uint_eq(d.control.idle_timeout_usec, 5 * SEC);
	ck_assert_uint_eq(d.control.output_max, 1024 * 1024);
	ck_assert_str_eq(d.logfs.path, "/var/log");
	ck_assert_double_eq(d.logfs.warning, 80);
	ck_assert_double_eq(d.logfs.critical, 90);
	ck_assert_double_eq(d.logfs.inodes_warning, 80);
	ck_assert_double_eq(d.logfs.inodes_critical, 90);
	ck_assert_double_eq(d.logfs.hysteresis, 2);
	ck_assert_uint_eq(d.logfs.rise, 1);
	ck_assert_uint_eq(d.logfs.fall, 1);
	ck_assert_uint_eq(d.logfs.ttf_warning_usec, 6 * 3600 * SEC);
	ck_assert_uint_eq(d.logfs.ttf_critical_usec, 3600 * SEC);
	ck_assert_double_eq(d.logfs.ttf_min_used, 20);
	ck_assert_uint_eq(d.logfs.trend_window_usec, 3600 * SEC);
	ck_assert_uint_eq(d.logfs.trend_min_span_usec, 15 * 60 * SEC);
	ck_assert_uint_eq(d.logfs.settle_usec, 200 * MS);
	ck_assert_uint_eq(d.logfs.safety_interval_usec, 60 * SEC);
	ck_assert_uint_eq(d.logfs.scan_interval_usec, 300 * SEC);
	ck_assert_uint_eq(d.logfs.top, 10);
	/* Empty text, comments only, and NULL all give exactly the defaults. */
	ok("");
	ck_assert(memcmp(&cfg, &d, sizeof(d)) == 0);
	ok("; nothing\n# here\n\n[control]\n[logfs]\n");
	ck_assert(memcmp(&cfg, &d, sizeof(d)) == 0);
	ck_assert_int_eq(xsm_config_parse(NULL, &cfg, &errs), 0);
	ck_assert(memcmp(&cfg, &d, sizeof(d)) == 0);
}
END_TEST

START_TEST(paths_and_group)
{
	char text[256];

	set_ok("control", "socket", "/tmp/x.sock");
	ck_assert_str_eq(cfg.control.socket, "/tmp/x.sock");
	set_bad("control", "socket", "run/x.sock", "not an absolute path");
	set_bad("control", "socket", "", "not an absolute path");
	/* sun_path is 108 bytes with its NUL: 107 fit, 108 do not. */
	memset(text, 'a', sizeof(text));
	text[0] = '/';
	text[107] = '\0';
	set_ok("control", "socket", text);
	ck_assert_uint_eq(strlen(cfg.control.socket), 107);
	text[107] = 'a';
	text[108] = '\0';
	set_bad("control", "socket", text, "path too long (at most 107 bytes)");
	set_bad("logfs", "path", "/var/\x01log", "control character");
	set_ok("logfs", "path", "/srv/my logs");
	ck_assert_str_eq(cfg.logfs.path, "/srv/my logs");
	set_ok("logfs", "path", "/var/lo#g;x");  /* no space: not a comment */
	ck_assert_str_eq(cfg.logfs.path, "/var/lo#g;x");
	set_ok("logfs", "path", "/var/log ; old");
	ck_assert_str_eq(cfg.logfs.path, "/var/log");

	set_ok("control", "group", "xsmon");
	ck_assert_str_eq(cfg.control.group, "xsmon");
	set_ok("control", "group", "");
	ck_assert_str_eq(cfg.control.group, "");
	set_ok("control", "group", "A-z_0.9");
	set_ok("control", "group", "abcdefghijabcdefghijabcdefghij12");
	set_bad("control", "group", "abcdefghijabcdefghijabcdefghij123",
	    "invalid group name");
	set_bad("control", "group", "wheel staff", "invalid group name");
	set_bad("control", "group", "r\xc3\xb6ot", "invalid group name");
}
END_TEST

START_TEST(integers)
{
	set_ok("control", "max_clients", "1");
	ck_assert_uint_eq(cfg.control.max_clients, 1);
	set_ok("control", "max_clients", "1024");
	ck_assert_uint_eq(cfg.control.max_clients, 1024);
	set_ok("control", "max_clients", "0007");
	ck_assert_uint_eq(cfg.control.max_clients, 7);
	set_bad("control", "max_clients", "0", "0 is out of range (1..1024)");
	set_bad("control", "max_clients", "1025", "1025 is out of range");
	set_bad("control", "max_clients", "-1", "not a number");
	set_bad("control", "max_clients", "+1", "not a number");
	set_bad("control", "max_clients", "1.5", "not a number");
	set_bad("control", "max_clients", "0x10", "not a number");
	set_bad("control", "max_clients", "", "not a number");
	set_bad("control", "max_clients", "99999999999999999999", "too large");
	set_bad("control", "max_clients", "4294967297", "too large");
	set_ok("logfs", "top", "32");
	set_bad("logfs", "top", "33", "out of range (1..32)");
	set_bad("logfs", "rise", "0", "out of range (1..100)");
	set_ok("logfs", "fall", "100");
	ck_assert_uint_eq(cfg.logfs.fall, 100);
}
END_TEST

START_TEST(sizes)
{
	set_ok("control", "request_max", "64");
	ck_assert_uint_eq(cfg.control.request_max, 64);
	set_ok("control", "request_max", "64K");
	ck_assert_uint_eq(cfg.control.request_max, 65536);
	set_bad("control", "request_max", "63", "63 is out of range (64..64K)");
	set_bad("control", "request_max", "65537", "65537 is out of range");
	set_bad("control", "request_max", "1G", "1G is out of range");
	set_bad("control", "request_max", "4k", "not a size");
	set_bad("control", "request_max", "4 K", "not a size");
	set_bad("control", "request_max", "4KB", "not a size");
	set_ok("control", "output_max", "64K");
	ck_assert_uint_eq(cfg.control.output_max, 65536);
	set_ok("control", "output_max", "64M");
	ck_assert_uint_eq(cfg.control.output_max, 64 << 20);
	set_bad("control", "output_max", "67108865", "out of range (64K..64M)");
	set_bad("control", "output_max", "65535", "out of range (64K..64M)");
	set_bad("control", "output_max", "17179869184G", "too large");
}
END_TEST

START_TEST(durations)
{
	set_ok("control", "idle_timeout", "100ms");
	ck_assert_uint_eq(cfg.control.idle_timeout_usec, 100 * MS);
	set_ok("control", "idle_timeout", "1h");
	set_ok("control", "idle_timeout", "60m");
	set_ok("control", "idle_timeout", "3600");   /* bare is seconds */
	ck_assert_uint_eq(cfg.control.idle_timeout_usec, 3600 * SEC);
	set_bad("control", "idle_timeout", "99ms", "99ms is out of range (100ms..1h)");
	set_bad("control", "idle_timeout", "3601s", "out of range");
	set_bad("control", "idle_timeout", "5 s", "not a duration");
	set_bad("control", "idle_timeout", "5x", "not a duration");
	set_bad("control", "idle_timeout", "s", "not a duration");
	set_bad("control", "idle_timeout", "-5s", "not a duration");
	set_bad("control", "idle_timeout", "5S", "not a duration");
	set_bad("control", "idle_timeout", "1.5s", "not a duration");
	set_bad("control", "idle_timeout", "213503983d", "too large");
	set_ok("logfs", "settle", "10ms");
	set_ok("logfs", "settle", "10s");
	set_bad("logfs", "settle", "10001ms", "out of range (10ms..10s)");
	set_ok("logfs", "trend_window", "7d");
	set_bad("logfs", "trend_window", "4m", "out of range (5m..7d)");
	set_bad("logfs", "trend_window", "169h", "out of range");
	set_ok("logfs", "safety_interval", "1s");
	set_bad("logfs", "safety_interval", "999ms", "out of range (1s..1h)");
	set_ok("logfs", "scan_interval", "1d");
	set_bad("logfs", "scan_interval", "9s", "out of range (10s..1d)");
}
END_TEST

START_TEST(percents)
{
	set_ok("logfs", "warning", "85.5");
	ck_assert_double_eq(cfg.logfs.warning, 85.5);
	set_ok("logfs", "warning", "85.125");
	ck_assert_double_eq(cfg.logfs.warning, 85.125);
	set_ok("logfs", "warning", "70%");
	ck_assert_double_eq(cfg.logfs.warning, 70);
	ok("[logfs]\nhysteresis = 0.5\nwarning = 1\n");
	ck_assert_double_eq(cfg.logfs.warning, 1);
	set_ok("logfs", "critical", "100");
	set_ok("logfs", "critical", "100.000");
	set_bad("logfs", "critical", "100.001", "100.001 is out of range (1..100)");
	set_bad("logfs", "warning", "0.999", "out of range (1..100)");
	set_bad("logfs", "warning", "85.1234", "more than 3 decimals");
	set_bad("logfs", "warning", "85.", "not a percentage");
	set_bad("logfs", "warning", ".5", "not a percentage");
	set_bad("logfs", "warning", "1e2", "not a percentage");
	set_bad("logfs", "warning", "nan", "not a percentage");
	set_bad("logfs", "warning", "-5", "not a percentage");
	set_bad("logfs", "warning", "85,5", "not a percentage");
	set_bad("logfs", "warning", "99999999999999999999999", "too large");
	set_ok("logfs", "hysteresis", "0");
	set_ok("logfs", "hysteresis", "0.25");
	set_bad("logfs", "hysteresis", "50.5", "out of range (0..50)");
	set_ok("logfs", "ttf_min_used", "0");
	set_bad("logfs", "ttf_min_used", "100.5", "out of range (0..100)");
}
END_TEST

START_TEST(cross_field)
{
	fails("[logfs]\nwarning = 90\n", 1);
	has(0, 2, "logfs.warning (90) must be below logfs.critical (90)");
	fails("[logfs]\ncritical = 70\n\nwarning=75\n", 1);
	has(0, 4, "logfs.warning (75) must be below logfs.critical (70)");
	ok("[logfs]\nwarning = 89.999\n");
	fails("[logfs]\ninodes_critical = 80\n", 1);
	has(0, 2, "logfs.inodes_warning (80) must be below logfs.inodes_critical");
	fails("[logfs]\nhysteresis = 10\nwarning = 10\ninodes_warning = 50\n", 1);
	has(0, 3, "logfs.hysteresis (10) must be below logfs.warning (10)");
	fails("[logfs]\nhysteresis = 20\ninodes_warning = 20\n", 1);
	has(0, 3, "must be below logfs.inodes_warning (20)");
	fails("[logfs]\nttf_critical = 6h\n", 1);
	has(0, 2, "logfs.ttf_critical (6h) must be below logfs.ttf_warning (6h)");
	fails("[logfs]\ntrend_min_span = 61m\n", 1);
	has(0, 2, "logfs.trend_min_span (61m) must be at most logfs.trend_window (1h)");
	ok("[logfs]\ntrend_min_span = 1h\n");
	/* A rejected value is reported once, not again by the rules. */
	fails("[logfs]\nwarning = 95x\ncritical = 20\n", 1);
	has(0, 2, "not a percentage");
}
END_TEST

START_TEST(error_kinds)
{
	fails("[control]\nsockets = /x\n", 1);
	has(0, 2, "unknown key 'sockets' in [control]");
	fails("[logfs]\nSocket = /x\n", 1);      /* case matters */
	has(0, 2, "unknown key 'Socket' in [logfs]");
	fails("\n[nope]\nfoo = 1\nbar = 2\n", 1); /* keys inside are not noise */
	has(0, 2, "unknown section [nope]");
	fails("top = 3\n[logfs]\n", 1);
	has(0, 1, "'top' is outside any section");
	fails("[logfs]\ntop = 3\n\ntop = 4\n", 1);
	has(0, 4, "logfs.top: duplicate key (first on line 2)");
	fails("[logfs]\ntop\n", 1);
	has(0, 2, "syntax error: expected 'key = value'");
	fails("[logfs]\ntop ; = 3\n", 1);
	has(0, 2, "syntax error");
	fails("[logfs]\n = 3\n", 1);
	has(0, 2, "syntax error: no key before '='");
	fails("[logfs\ntop = 3\n", 1);
	has(0, 1, "missing ']' in section header");
	fails("[logfs ; x]\n", 1);
	has(0, 1, "missing ']'");
	fails("[logfs] top = 3\n", 1);
	has(0, 1, "unexpected text after section header");
	ok("[ logfs ]  ; trailing comment\ntop = 3\n");
	ck_assert_uint_eq(cfg.logfs.top, 3);
	ok("[logfs]#c\ntop: 4\n");               /* ':' works as '=' */
	ck_assert_uint_eq(cfg.logfs.top, 4);
	/* NULL errs is allowed and still fails. */
	ck_assert_int_eq(xsm_config_parse("[x]\n", &cfg, NULL), -EINVAL);
}
END_TEST

START_TEST(many_errors)
{
	const char *text =
	    "[control]\n"                 /* 1 */
	    "socket = relative\n"         /* 2 */
	    "max_clients = 0\n"           /* 3 */
	    "bogus = 1\n"                 /* 4 */
	    "no equals sign\n"            /* 5 */
	    "[logfs]\n"                   /* 6 */
	    "warning = 95\n"              /* 7: >= critical */
	    "top = 5x\n"                  /* 8 */
	    "top = 6\n"                   /* 9 */
	    "[extra]\n"                   /* 10 */
	    "x = 1\n"                     /* 11 */
	    "[logfs\n";                   /* 12 */
	char big[XSM_ERRLIST_MAX * 20 + 200];
	size_t len = 0;

	fails(text, 9);
	has(0, 2, "not an absolute path");
	has(1, 3, "out of range");
	has(2, 4, "unknown key 'bogus'");
	has(3, 5, "syntax error");
	has(4, 7, "must be below logfs.critical");
	has(5, 8, "not a number");
	has(6, 9, "duplicate key (first on line 8)");
	has(7, 10, "unknown section [extra]");
	has(8, 12, "missing ']'");
	ck_assert_uint_eq(errs.dropped, 0);
	/* Beyond the list's capacity errors are counted, not lost silently. */
	len += (size_t)snprintf(big, sizeof(big), "[logfs]\n");
	for (unsigned i = 0; i < XSM_ERRLIST_MAX + 5; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "k%u = 1\n", i);
	fails(big, XSM_ERRLIST_MAX);
	ck_assert_uint_eq(errs.dropped, 5);
	has(XSM_ERRLIST_MAX - 1, XSM_ERRLIST_MAX + 1, "unknown key");
}
END_TEST

START_TEST(lines)
{
	char text[3000];
	int n;

	/* 1000 bytes are fine, 1001 are not; the lines after keep counting. */
	n = snprintf(text, sizeof(text), "[logfs]\n#%0999d\n", 0);
	ck_assert_int_eq(n, 8 + 1001);
	ok(text);
	n = snprintf(text, sizeof(text), "[logfs]\n#%01000d\ntop = 99\n"
	    "path = /%01500d\nrise = 3\nfall = 0", 0, 0);
	fails(text, 4);
	has(0, 2, "line too long (more than 1000 bytes)");
	has(1, 3, "logfs.top: 99 is out of range");
	has(2, 4, "line too long");
	has(3, 6, "logfs.fall: 0 is out of range");
	ck_assert_uint_eq(cfg.logfs.rise, 3);    /* line 5 was applied */
	/* Without a final newline the last line still counts. */
	ok("[logfs]\ntop = 7");
	ck_assert_uint_eq(cfg.logfs.top, 7);
	/* CRLF: no \r left in values, and line numbers stay right. */
	ok("[logfs]\r\npath = /var/log2\r\n\r\ntop = 8\r\n");
	ck_assert_str_eq(cfg.logfs.path, "/var/log2");
	ck_assert_uint_eq(cfg.logfs.top, 8);
	fails("[logfs]\r\n\r\ntop = 0\r\n", 1);
	has(0, 3, "out of range");
	/* A UTF-8 BOM is allowed at the start, nowhere else. */
	ok("\xEF\xBB\xBF[logfs]\ntop = 9\n");
	ck_assert_uint_eq(cfg.logfs.top, 9);
	ok("\xEF\xBB\xBF\n[logfs]\n");
	fails("[logfs]\n\xEF\xBB\xBFtop = 9\n", 1);
	has(0, 2, "unknown key");
	/* Indented lines are keys, never continuations of the last value. */
	ok("[logfs]\npath = /var/log\n    top = 11\n");
	ck_assert_str_eq(cfg.logfs.path, "/var/log");
	ck_assert_uint_eq(cfg.logfs.top, 11);
	ok("[logfs]\ntop = 12 ; twelve\nrise = 2 # two\n");
	ck_assert_uint_eq(cfg.logfs.top, 12);
	ck_assert_uint_eq(cfg.logfs.rise, 2);
}
END_TEST

/* The parser sets inih's process-global knobs itself, whatever they were. */
START_TEST(inih_knobs)
{
	ini_allow_multiline = true;
	ini_allow_inline_comments = false;
	ini_max_line = 20;
	ini_stop_on_first_error = true;
	ok("[logfs]\npath = /var/log\n    top = 11 ; this line is longer than 20\n");
	ck_assert_uint_eq(cfg.logfs.top, 11);
	ck_assert_str_eq(cfg.logfs.path, "/var/log");
	fails("[logfs]\ntop = 0\nrise = 0\n", 2);
}
END_TEST

START_TEST(duration_units)
{
	static const struct {
		const char *in;
		uint64_t usec;
		const char *canon;
	} t[] = {
		{ "0", 0, "0s" }, { "0ms", 0, "0s" }, { "250ms", 250 * MS, "250ms" },
		{ "1000ms", SEC, "1s" }, { "90", 90 * SEC, "90s" },
		{ "120s", 120 * SEC, "2m" }, { "5m", 300 * SEC, "5m" },
		{ "36h", 36 * 3600 * SEC, "36h" }, { "48h", 2 * 86400 * SEC, "2d" },
		{ "1500us", 1500, "1500us" }, { "7d", 7 * 86400 * SEC, "7d" },
		{ "18446744073709551615us", UINT64_MAX, "18446744073709551615us" },
	};
	static const char *bad[] = { "", " 1s", "1s ", "1 s", "-1s", "+1s",
	    "1.5s", "1sec", "1M", "ms", "1hh", "0x1s" };
	char out[64];
	uint64_t u;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(xsm_parse_duration(t[i].in, &u), 0);
		ck_assert_uint_eq(u, t[i].usec);
		xsm_format_duration(u, out, sizeof(out));
		ck_assert_str_eq(out, t[i].canon);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(xsm_parse_duration(bad[i], &u) == -EINVAL, "%s", bad[i]);
	ck_assert_int_eq(xsm_parse_duration("18446744073709551616us", &u), -ERANGE);
	ck_assert_int_eq(xsm_parse_duration("18446744073710s", &u), -ERANGE);
	ck_assert_int_eq(xsm_parse_duration("213503982335d", &u), -ERANGE);
	/* Round trip over a spread of values. */
	for (uint64_t v = 1; v < UINT64_MAX / 3; v = v * 3 + (v & 7)) {
		xsm_format_duration(v, out, sizeof(out));
		ck_assert_int_eq(xsm_parse_duration(out, &u), 0);
		ck_assert_uint_eq(u, v);
	}
}
END_TEST

START_TEST(size_units)
{
	static const struct {
		const char *in;
		uint64_t bytes;
		const char *canon;
	} t[] = {
		{ "0", 0, "0" }, { "0K", 0, "0" }, { "1000", 1000, "1000" },
		{ "1024", 1024, "1K" }, { "1536", 1536, "1536" },
		{ "3072", 3072, "3K" }, { "2048K", 2 << 20, "2M" },
		{ "1G", 1 << 30, "1G" }, { "1025M", 1025ULL << 20, "1025M" },
		{ "16777215G", 16777215ULL << 30, "16777215G" },
		{ "18446744073709551615", UINT64_MAX, "18446744073709551615" },
	};
	static const char *bad[] = { "", "1k", "1KB", "1 K", "-1", "K", "1T",
	    "1.5K", " 1" };
	char out[64];
	uint64_t u;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(xsm_parse_size(t[i].in, &u), 0);
		ck_assert_uint_eq(u, t[i].bytes);
		xsm_format_size(u, out, sizeof(out));
		ck_assert_str_eq(out, t[i].canon);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(xsm_parse_size(bad[i], &u) == -EINVAL, "%s", bad[i]);
	ck_assert_int_eq(xsm_parse_size("17179869184G", &u), -ERANGE);
	ck_assert_int_eq(xsm_parse_size("18446744073709551616", &u), -ERANGE);
	for (uint64_t v = 1; v < UINT64_MAX / 5; v = v * 5 + (v & 3)) {
		xsm_format_size(v, out, sizeof(out));
		ck_assert_int_eq(xsm_parse_size(out, &u), 0);
		ck_assert_uint_eq(u, v);
	}
}
END_TEST

/* print -> parse -> print gives the same text and the same struct. */
static void
round_trip(const char *text)
{
	struct xsm_config first;
	struct xsm_buf a, b;

	ok(text);
	first = cfg;
	xsm_buf_init(&a, 0);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_config_print(&first, &a), 0);
	ok(a.data);
	ck_assert(memcmp(&cfg, &first, sizeof(cfg)) == 0);
	ck_assert_int_eq(xsm_config_print(&cfg, &b), 0);
	ck_assert_str_eq(a.data, b.data);
	xsm_buf_free(&a);
	xsm_buf_free(&b);
}

START_TEST(print)
{
	struct xsm_buf out;
	struct xsm_config d;

	xsm_config_defaults(&d);
	xsm_buf_init(&out, 0);
	ck_assert_int_eq(xsm_buf_append(&out, "#", 1), 0);  /* it appends */
	ck_assert_int_eq(xsm_config_print(&d, &out), 0);
	ck_assert_ptr_nonnull(strstr(out.data,
	    "#[control]\nsocket = /run/xsmond/xsmond.sock\ngroup = \n"
	    "max_clients = 16\nrequest_max = 4K\nidle_timeout = 5s\n"
	    "output_max = 1M\n\n[logfs]\nenabled = yes\npath = /var/log\nwarning = 80\n"));
	ck_assert_ptr_nonnull(strstr(out.data,
	    "\nsettle = 200ms\nsafety_interval = 1m\nscan_interval = 5m\n"
	    "top = 10\n"));
	ck_assert_int_eq(out.data[out.len - 1], '\n');
	xsm_buf_free(&out);

	round_trip("");
	round_trip("[control]\nsocket=/s\ngroup=adm\nmax_clients=1024\n"
	    "request_max=65536\nidle_timeout=1500ms\noutput_max=67108864\n"
	    "[logfs]\npath=/a b/c#d\nwarning=33.333\ncritical=99.999\n"
	    "inodes_warning=1\ninodes_critical=100%\nhysteresis=0.001\n"
	    "rise=100\nfall=7\nttf_warning=30d\nttf_critical=61s\n"
	    "ttf_min_used=0\ntrend_window=10080m\ntrend_min_span=7d\n"
	    "settle=10000ms\nsafety_interval=3600\nscan_interval=86399\ntop=32\n");
	/* A failed print leaves the buffer as it was. */
	xsm_buf_init(&out, 40);
	ck_assert_int_eq(xsm_buf_append(&out, "keep", 4), 0);
	ck_assert_int_eq(xsm_config_print(&d, &out), -ENOBUFS);
	ck_assert_uint_eq(out.len, 4);
	ck_assert_str_eq(out.data, "keep");
	xsm_buf_free(&out);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, paths_and_group);
	tcase_add_test(tc, integers);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, percents);
	tcase_add_test(tc, cross_field);
	tcase_add_test(tc, error_kinds);
	tcase_add_test(tc, many_errors);
	tcase_add_test(tc, lines);
	tcase_add_test(tc, inih_knobs);
	tcase_add_test(tc, duration_units);
	tcase_add_test(tc, size_units);
	tcase_add_test(tc, print);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(config_suite());
}
