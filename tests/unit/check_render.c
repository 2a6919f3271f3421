/* SPDX-License-Identifier: ISC */
/*
 * check_render.c: the status JSON. A golden document for a fixed state
 * (files in tests/render/), then structural checks through yajl's parser.
 */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "jsonw.h"
#include "render.h"

#define T0 (1795316159ULL * XSM_USEC_PER_SEC)   /* 2026-11-22T02:55:59Z */

static void
fixed_state(struct xsm_state *st)
{
	struct xsm_logfs_view *v = &st->logfs;

	xsm_state_init(st);
	xsm_state_register(st, XSM_CHECK_LOGFS, T0);
	xsm_state_apply(st, XSM_CHECK_LOGFS, XSM_WARNING,
	    "/var/log 85.0% used (warning at 80%)", T0 + 5 * XSM_USEC_PER_SEC);
	xsm_strlcpy(v->path, "/var/log", sizeof(v->path));
	xsm_strlcpy(v->last.mountpoint, "/var/log", sizeof(v->last.mountpoint));
	xsm_strlcpy(v->last.fstype, "ext3", sizeof(v->last.fstype));
	v->last.bytes_total = 4294967296ULL;
	v->last.bytes_used = 3650722202ULL;
	v->last.bytes_avail = 644245094ULL;
	v->last.inodes_total = 262144;
	v->last.inodes_used = 1234;
	v->last.inodes_avail = 260910;
	v->used_pct = 85.0;
	v->inodes_used_pct = 0.5;
	v->warning = v->inodes_warning = 80;
	v->critical = v->inodes_critical = 90;
	v->bytes_status = XSM_WARNING;
	v->rate_valid = true;
	v->rate_bps = 1234.5;
	v->ttf_s = 521867;
	v->samples = 7;
	v->events = 3;
	v->scan.valid = true;
	v->scan.at_usec = T0;
	v->scan.window_usec = 300 * XSM_USEC_PER_SEC;
	v->scan.files_seen = 2;
	v->scan.deleted_count = 1;
	v->scan.deleted_bytes = 4096;
	v->scan.n_deleted = 1;
	v->scan.deleted[0] = (struct xsm_logfs_deleted){ .pid = 42, .comm = "rsyslogd",
	    .fd = 7, .path = "/var/log/messages.1", .bytes = 4096 };
	v->scan.n_files = 1;
	v->scan.files[0] = (struct xsm_logfs_file){ .path = "xensource.log", .bytes = 8192 };
	v->scan.n_dirs = 1;
	v->scan.dirs[0] = (struct xsm_logfs_file){ .path = "xen", .bytes = 4096 };
	v->scan.n_growers = 1;
	v->scan.growers[0] = (struct xsm_logfs_file){ .path = "xensource.log",
	    .bytes = 8192, .growth = 4096 };
}

static struct xsm_daemon_view dv = {
	.pid = 4242, .config_path = "/etc/xsmond.conf", .config_loaded_usec = T0,
	.config_error = "", .reloads = 1, .log_dropped = 2, .clients = 1,
};

static struct xsm_render_info ri = {
	.host = "dom0", .now_usec = T0 + 65 * XSM_USEC_PER_SEC, .uptime_s = 65,
	.daemon = &dv,
};

static char *
slurp(const char *name)
{
	char path[1024];
	const char *src = getenv("XSMON_SRC");
	FILE *f;
	char *data = calloc(1, 65536);

	snprintf(path, sizeof(path), "%s/tests/render/%s", src ? src : ".", name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fread(data, 1, 65535, f);
	fclose(f);
	return data;
}

static void
assert_golden(const char *name, const struct xsm_buf *b)
{
	char *want = slurp(name);

	ck_assert_msg(strcmp(want, b->data) == 0, "%s differs:\nwant %s\ngot  %s",
	    name, want, b->data);
	free(want);
}

START_TEST(test_status_golden)
{
	struct xsm_state st;
	struct xsm_buf b;

	fixed_state(&st);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_status(&st, &ri, &b), 0);
	assert_golden("status.json", &b);
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_render_check(&st, XSM_CHECK_LOGFS, &ri, &b), 0);
	assert_golden("show-logfs.json", &b);
	xsm_buf_free(&b);
}
END_TEST

/* The cached body plus the live daemon object is the golden document. */
START_TEST(test_status_daemon_splice)
{
	struct xsm_render_info bare = ri;
	struct xsm_daemon_view now = dv;
	struct xsm_state st;
	struct xsm_buf body, b;

	fixed_state(&st);
	bare.daemon = NULL;
	xsm_buf_init(&body, 0);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_status(&st, &bare, &body), 0);
	ck_assert_ptr_null(strstr(body.data, "\"daemon\""));
	ck_assert_int_eq(xsm_render_status_daemon(body.data, body.len, &dv, &b), 0);
	assert_golden("status.json", &b);
	/* The counters are the ones passed now, not the cached ones. */
	xsm_buf_reset(&b);
	now.clients = 6;
	now.subscribers = 3;
	ck_assert_int_eq(xsm_render_status_daemon(body.data, body.len, &now, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data,
	    "\"clients\":6,\"clients_refused\":0,\"subscribers\":3,"));
	ck_assert_str_eq(b.data + b.len - 3, "}}\n");
	/* Not a document line: refused, nothing appended. */
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_render_status_daemon("{}", 2, &dv, &b), -EINVAL);
	ck_assert_int_eq(xsm_render_status_daemon("[1]\n", 4, &dv, &b), -EINVAL);
	ck_assert_uint_eq(b.len, 0);
	xsm_buf_free(&b);
	/* Over the cap: rolled back to what was there. */
	xsm_buf_init(&b, body.len + 16);
	ck_assert_int_eq(xsm_buf_append(&b, "keep", 4), 0);
	ck_assert_int_eq(xsm_render_status_daemon(body.data, body.len, &dv, &b), -ENOBUFS);
	ck_assert_str_eq(b.data, "keep");
	xsm_buf_free(&b);
	xsm_buf_free(&body);
}
END_TEST

static yajl_val
parse(const struct xsm_buf *b)
{
	char err[256];
	yajl_val v;

	/* One document, one line, newline-terminated. */
	ck_assert_uint_gt(b->len, 0);
	ck_assert_int_eq(b->data[b->len - 1], '\n');
	ck_assert_ptr_null(memchr(b->data, '\n', b->len - 1));
	v = yajl_tree_parse(b->data, err, sizeof(err));
	ck_assert_msg(v != NULL, "parse error: %s", err);
	return v;
}

START_TEST(test_status_structure)
{
	const char *p_status[] = { "status", NULL };
	const char *p_schema[] = { "schema", NULL };
	const char *p_logfs_pct[] = { "checks", "logfs", "bytes", "used_pct", NULL };
	const char *p_xen[] = { "checks", "xenstore", NULL };
	const char *p_cfgerr[] = { "daemon", "config_error", NULL };
	struct xsm_state st;
	struct xsm_buf b;
	yajl_val v;

	fixed_state(&st);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_status(&st, &ri, &b), 0);
	v = parse(&b);
	ck_assert_str_eq(YAJL_GET_STRING(yajl_tree_get(v, p_status, yajl_t_string)), "warning");
	ck_assert_int_eq(YAJL_GET_INTEGER(yajl_tree_get(v, p_schema, yajl_t_number)), 1);
	ck_assert(YAJL_GET_DOUBLE(yajl_tree_get(v, p_logfs_pct, yajl_t_number)) == 85.0);
	/* A check that is not built is absent, not faked. */
	ck_assert_ptr_null(yajl_tree_get(v, p_xen, yajl_t_any));
	ck_assert(YAJL_IS_NULL(yajl_tree_get(v, p_cfgerr, yajl_t_any)));
	yajl_tree_free(v);
	xsm_buf_free(&b);
}
END_TEST

START_TEST(test_hostile_strings)
{
	const char *p_path[] = { "logfs", "scan", "largest_files", NULL };
	struct xsm_state st;
	struct xsm_buf b;
	yajl_val v, files;

	fixed_state(&st);
	/* File names are bytes: invalid UTF-8, quotes, controls. */
	xsm_strlcpy(st.logfs.scan.files[0].path, "bad\xff\xfe\"name\n\x01",
	    sizeof(st.logfs.scan.files[0].path));
	xsm_state_apply(&st, XSM_CHECK_LOGFS, XSM_CRITICAL, "quote \" \\ \t", T0);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_check(&st, XSM_CHECK_LOGFS, &ri, &b), 0);
	v = parse(&b);
	files = yajl_tree_get(v, p_path, yajl_t_array);
	ck_assert_ptr_nonnull(files);
	ck_assert_str_eq(YAJL_GET_STRING(yajl_tree_get(files->u.array.values[0],
	    (const char *[]){ "path", NULL }, yajl_t_string)), "bad??\"name\n\x01");
	yajl_tree_free(v);
	xsm_buf_free(&b);
}
END_TEST

START_TEST(test_cap_rolls_back)
{
	struct xsm_state st;
	struct xsm_buf b;

	fixed_state(&st);
	xsm_buf_init(&b, 64);
	ck_assert_int_eq(xsm_buf_append(&b, "keep", 4), 0);
	ck_assert_int_eq(xsm_render_status(&st, &ri, &b), -ENOBUFS);
	ck_assert_str_eq(b.data, "keep");   /* no half document left behind */
	xsm_buf_free(&b);
}
END_TEST

START_TEST(test_small_replies)
{
	struct xsm_state st;
	struct xsm_buf b;

	xsm_state_init(&st);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_check(&st, XSM_CHECK_LOGFS, &ri, &b), -ENOENT);
	ck_assert_int_eq(xsm_render_error("unknown_request", "no \"such\"", &b), 0);
	ck_assert_str_eq(b.data,
	    "{\"error\":{\"code\":\"unknown_request\",\"message\":\"no \\\"such\\\"\"}}\n");
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_render_pong(&b), 0);
	ck_assert_str_eq(b.data, "{\"schema\":1,\"version\":\"" XSM_VERSION "\",\"pong\":true}\n");
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_render_reload_ok(&b), 0);
	ck_assert_str_eq(b.data, "{\"schema\":1,\"version\":\"" XSM_VERSION "\",\"reload\":\"ok\"}\n");
	xsm_buf_reset(&b);
	/* No checks at all: ok, and an empty checks object. */
	ck_assert_int_eq(xsm_render_status(&st, &ri, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\"status\":\"ok\",\"reason\":\"all checks ok\",\"checks\":{}"));
	xsm_buf_free(&b);
}
END_TEST

START_TEST(test_utf8_sanitize)
{
	char out[16];

	ck_assert_str_eq(xsm_utf8_sanitize("h\xc3\xa9llo", out, sizeof(out)), "h\xc3\xa9llo");
	ck_assert_str_eq(xsm_utf8_sanitize("\xc0\xaf", out, sizeof(out)), "??");       /* overlong */
	ck_assert_str_eq(xsm_utf8_sanitize("\xed\xa0\x80", out, sizeof(out)), "???");  /* surrogate */
	ck_assert_str_eq(xsm_utf8_sanitize("\xe2\x82", out, sizeof(out)), "??");       /* truncated */
	ck_assert_str_eq(xsm_utf8_sanitize("\xf0\x9f\x98\x80", out, sizeof(out)), "\xf0\x9f\x98\x80");
	ck_assert_str_eq(xsm_utf8_sanitize("0123456789abcdefgh", out, sizeof(out)), "0123456789abcde");
}
END_TEST

/* Writes one document with fn and returns what end() says; out keeps it. */
static int
write_doc(struct xsm_buf *out, void (*fn)(struct xsm_jsonw *))
{
	struct xsm_jsonw w;

	ck_assert_int_eq(xsm_jsonw_begin(&w, out), 0);
	fn(&w);
	return xsm_jsonw_end(&w);
}

static void
doc_balanced(struct xsm_jsonw *w)
{
	xsm_jsonw_open(w);
	xsm_jsonw_key(w, "a");
	xsm_jsonw_array_open(w);
	xsm_jsonw_u64(w, 1);
	xsm_jsonw_array_close(w);
	xsm_jsonw_close(w);
}

static void
doc_map_left_open(struct xsm_jsonw *w)
{
	xsm_jsonw_open(w);
	xsm_jsonw_kstr(w, "a", "b");
}

static void
doc_array_left_open(struct xsm_jsonw *w)
{
	xsm_jsonw_open(w);
	xsm_jsonw_key(w, "a");
	xsm_jsonw_array_open(w);
	xsm_jsonw_close(w);   /* closes the array's count, not the map's */
}

static void
doc_extra_close(struct xsm_jsonw *w)
{
	xsm_jsonw_open(w);
	xsm_jsonw_close(w);
	xsm_jsonw_close(w);
}

START_TEST(test_jsonw_unbalanced)
{
	struct xsm_buf b;

	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_buf_append(&b, "keep", 4), 0);
	ck_assert_int_eq(write_doc(&b, doc_balanced), 0);
	ck_assert_str_eq(b.data, "keep{\"a\":[1]}\n");
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_buf_append(&b, "keep", 4), 0);
	/* A renderer that forgot a close must not send a cut document. */
	ck_assert_int_eq(write_doc(&b, doc_map_left_open), -EINVAL);
	ck_assert_str_eq(b.data, "keep");
	ck_assert_int_eq(write_doc(&b, doc_array_left_open), -EINVAL);
	ck_assert_str_eq(b.data, "keep");
	ck_assert_int_eq(write_doc(&b, doc_extra_close), -EINVAL);
	ck_assert_str_eq(b.data, "keep");
	xsm_buf_free(&b);
}
END_TEST

/* One fixed value as a whole document. */
static const char *
fixed(struct xsm_buf *b, double v, int decimals)
{
	struct xsm_jsonw w;

	xsm_buf_reset(b);
	ck_assert_int_eq(xsm_jsonw_begin(&w, b), 0);
	xsm_jsonw_array_open(&w);
	xsm_jsonw_fixed(&w, v, decimals);
	xsm_jsonw_array_close(&w);
	ck_assert_int_eq(xsm_jsonw_end(&w), 0);
	return b->data;
}

START_TEST(test_jsonw_fixed)
{
	struct xsm_buf b;
	yajl_val v;

	xsm_buf_init(&b, 0);
	/* Ordinary values print as before (the goldens depend on it). */
	ck_assert_str_eq(fixed(&b, 1234.5, 1), "[1234.5]\n");
	ck_assert_str_eq(fixed(&b, 85.0, 1), "[85.0]\n");
	ck_assert_str_eq(fixed(&b, -0.25, 2), "[-0.25]\n");
	ck_assert_str_eq(fixed(&b, 3.0, 0), "[3]\n");
	ck_assert_str_eq(fixed(&b, 999999999999999.0, 1),
	    "[999999999999999.0]\n");
	ck_assert_str_eq(fixed(&b, 1.0 / 0.0, 1), "[null]\n");
	ck_assert_str_eq(fixed(&b, 0.0 / 0.0, 1), "[null]\n");
	/* Huge values: a short number that reads back as the same double,
	 * not 300 digits (cut at 63 they would be a different number). */
	ck_assert_str_eq(fixed(&b, 1e300, 1), "[1.0000000000000001e+300]\n");
	ck_assert_str_eq(fixed(&b, -1e15, 1), "[-1000000000000000]\n");
	v = yajl_tree_parse(fixed(&b, -1.7976931348623157e308, 1), NULL, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert(YAJL_GET_DOUBLE(v->u.array.values[0]) ==
	    -1.7976931348623157e308);
	yajl_tree_free(v);
	/* Silly decimals are clamped, not passed to printf. */
	ck_assert_str_eq(fixed(&b, 0.5, -3), "[0]\n");
	ck_assert_uint_lt(strlen(fixed(&b, 0.5, 500)), 30);
	xsm_buf_free(&b);
}
END_TEST

START_TEST(test_jsonw_str_cap)
{
	char big[XSM_JSONW_STR_MAX + 10];
	struct xsm_jsonw w;
	struct xsm_buf b;

	/* "aa...a" then a 3-byte character across the cap: cut before it. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + XSM_JSONW_STR_MAX - 2, "\xe2\x82\xac", 3);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_jsonw_begin(&w, &b), 0);
	xsm_jsonw_str(&w, big);
	ck_assert_int_eq(xsm_jsonw_end(&w), 0);
	/* Two quotes and the newline around XSM_JSONW_STR_MAX - 2 bytes. */
	ck_assert_uint_eq(b.len, XSM_JSONW_STR_MAX - 2 + 3);
	big[XSM_JSONW_STR_MAX - 2] = '\0';
	ck_assert_int_eq(memcmp(b.data + 1, big, XSM_JSONW_STR_MAX - 2), 0);
	/* Exactly the cap fits. */
	memset(big, 'b', XSM_JSONW_STR_MAX);
	big[XSM_JSONW_STR_MAX] = '\0';
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_jsonw_begin(&w, &b), 0);
	xsm_jsonw_str(&w, big);
	ck_assert_int_eq(xsm_jsonw_end(&w), 0);
	ck_assert_uint_eq(b.len, XSM_JSONW_STR_MAX + 3);
	xsm_buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_status_golden);
	tcase_add_test(tc, test_status_structure);
	tcase_add_test(tc, test_status_daemon_splice);
	tcase_add_test(tc, test_hostile_strings);
	tcase_add_test(tc, test_cap_rolls_back);
	tcase_add_test(tc, test_small_replies);
	tcase_add_test(tc, test_utf8_sanitize);
	tcase_add_test(tc, test_jsonw_unbalanced);
	tcase_add_test(tc, test_jsonw_fixed);
	tcase_add_test(tc, test_jsonw_str_cap);
	suite_add_tcase(s, tc);
	return ck_run(s);
}
