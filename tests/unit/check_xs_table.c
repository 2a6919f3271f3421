/* SPDX-License-Identifier: ISC */
/*
 * check_xs_table.c: the domain table (dirty marks, listing, merging,
 * device since times), each domain's evaluation, the check's evaluation,
 * the growth rule and the rendered documents.
 */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "config.h"
#include "jsonw.h"
#include "render.h"
#include "render_xenstore.h"
#include "xenstore.h"

#define S XSM_USEC_PER_SEC
#define W0 (1795316159ULL * S)   /* 2026-11-22T02:55:59Z */
#define M0 (1000 * S)

static struct xsm_config cfg;

static void
setup(void)
{
	xsm_config_defaults(&cfg);
}

static struct xsm_xs_facts
facts(uint32_t domid, const char *name)
{
	struct xsm_xs_facts f;

	xsm_xs_facts_init(&f, domid);
	f.exists = true;
	xsm_strlcpy(f.name, name, sizeof(f.name));
	return f;
}

START_TEST(test_marks_and_take)
{
	struct xsm_xs_table *t = xsm_xs_table_new(100);
	uint32_t ids[4];

	ck_assert_ptr_nonnull(t);
	for (int r = 0; r < 3; r++) {   /* repeats cost nothing */
		xsm_xs_mark_dirty(t, 32751);
		xsm_xs_mark_dirty(t, 5);
		xsm_xs_mark_dirty(t, 64);
		xsm_xs_mark_dirty(t, 63);
		xsm_xs_mark_dirty(t, 40000);   /* out of range: ignored */
	}
	ck_assert_uint_eq(t->n_dirty, 4);
	ck_assert_uint_eq(xsm_xs_take(t, false, ids, 3), 3);
	ck_assert_uint_eq(ids[0], 5);
	ck_assert_uint_eq(ids[1], 63);
	ck_assert_uint_eq(ids[2], 64);
	ck_assert_uint_eq(t->n_dirty, 1);
	ck_assert_uint_eq(xsm_xs_take(t, false, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 32751);
	ck_assert_uint_eq(xsm_xs_take(t, false, ids, 4), 0);
	ck_assert_uint_eq(t->n_stale, 0);
	xsm_xs_table_free(t);
}
END_TEST

START_TEST(test_list_and_merge)
{
	struct xsm_xs_table *t = xsm_xs_table_new(100);
	struct xsm_xs_facts f;
	uint32_t listed[] = { 7, 0, 3, 7 }, ids[8];

	ck_assert_uint_eq(xsm_xs_table_list(t, listed, 4, false), 0);
	ck_assert_uint_eq(t->n_dirty, 3);
	ck_assert_uint_eq(t->n_stale, 3);
	ck_assert_uint_eq(xsm_xs_take(t, false, ids, 8), 3);
	f = facts(7, "seven");
	ck_assert_int_eq(xsm_xs_table_merge(t, &f, W0, M0), 1);
	ck_assert_int_eq(xsm_xs_table_merge(t, &f, W0, M0), 0);  /* same again */
	f = facts(3, "three");
	ck_assert_int_eq(xsm_xs_table_merge(t, &f, W0, M0), 1);
	f = facts(0, "Domain-0");
	ck_assert_int_eq(xsm_xs_table_merge(t, &f, W0, M0), 1);
	ck_assert_uint_eq(t->n, 3);
	ck_assert_uint_eq(t->dom[0].domid, 0);   /* sorted */
	ck_assert_uint_eq(t->dom[1].domid, 3);
	ck_assert_uint_eq(t->dom[2].domid, 7);
	ck_assert_str_eq(xsm_xs_table_find(t, 7)->name, "seven");
	/* Facts change: seen. */
	f = facts(7, "seven");
	f.target_kib = 1024;
	ck_assert_int_eq(xsm_xs_table_merge(t, &f, W0, M0), 1);
	/* Gone when read: removed. */
	xsm_xs_facts_init(&f, 3);
	ck_assert_int_eq(xsm_xs_table_merge(t, &f, W0, M0), 1);
	ck_assert_ptr_null(xsm_xs_table_find(t, 3));
	/* A listing without 7 removes it; a full one marks every listed. */
	listed[0] = 0;
	ck_assert_uint_eq(xsm_xs_table_list(t, listed, 1, true), 1);
	ck_assert_uint_eq(t->n, 1);
	ck_assert_uint_eq(t->n_dirty, 1);
	/* Entries. */
	ck_assert_int_eq(xsm_xs_table_entries(t, 0, 42), 1);
	ck_assert_int_eq(xsm_xs_table_entries(t, 0, 42), 0);
	ck_assert_int_eq(xsm_xs_table_entries(t, 9, 42), 0);
	xsm_xs_table_free(t);
}
END_TEST

/* What the daemon is told: "+7 seven" added, "-3 three" gone. */
static char told[256];

static void
on_change(void *arg, const struct xsm_xs_domain *d, bool added)
{
	size_t n = strlen(told);

	(void)arg;
	snprintf(told + n, sizeof(told) - n, "%s%c%u %s", n ? " " : "",
	    added ? '+' : '-', d->domid, d->name);
}

START_TEST(test_on_change)
{
	struct xsm_xs_table *t = xsm_xs_table_new(100);
	struct xsm_xs_facts f;
	uint32_t listed[] = { 0, 3, 7 };

	told[0] = '\0';
	t->on_change = on_change;
	ck_assert_uint_eq(xsm_xs_table_list(t, listed, 3, false), 0);
	ck_assert_str_eq(told, "");              /* listed only: no facts yet */
	f = facts(7, "seven");
	xsm_xs_table_merge(t, &f, W0, M0);
	f = facts(3, "three");
	xsm_xs_table_merge(t, &f, W0, M0);
	f = facts(3, "three");
	f.target_kib = 2048;
	xsm_xs_table_merge(t, &f, W0, M0);      /* a change: not told */
	ck_assert_str_eq(told, "+7 seven +3 three");
	xsm_xs_facts_init(&f, 3);                /* its facts: gone */
	xsm_xs_table_merge(t, &f, W0, M0);
	xsm_xs_facts_init(&f, 9);                /* never known: nothing */
	xsm_xs_table_merge(t, &f, W0, M0);
	ck_assert_uint_eq(xsm_xs_table_list(t, listed, 1, false), 1);
	ck_assert_str_eq(told, "+7 seven +3 three -3 three -7 seven");
	f = facts(5, "five");
	xsm_xs_table_merge(t, &f, W0, M0);
	told[0] = '\0';
	xsm_xs_table_clear(t);                   /* a reconnect: not told */
	ck_assert_str_eq(told, "");
	xsm_xs_table_free(t);
}
END_TEST

START_TEST(test_table_full)
{
	struct xsm_xs_table *t = xsm_xs_table_new(2);
	struct xsm_xs_facts f;

	for (uint32_t i = 1; i <= 3; i++) {
		f = facts(i, "x");
		xsm_xs_table_merge(t, &f, W0, M0);
	}
	ck_assert_uint_eq(t->n, 2);
	ck_assert_uint_eq(t->dropped, 1);
	xsm_xs_table_clear(t);
	ck_assert_uint_eq(t->n, 0);
	xsm_xs_table_free(t);
	xsm_xs_table_free(NULL);
}
END_TEST

/* A device keeps its since while its states stay; stuck after device_stuck. */
START_TEST(test_device_stuck)
{
	struct xsm_xs_table *t = xsm_xs_table_new(10);
	struct xsm_xs_facts f = facts(4, "vm4");
	struct xsm_xs_domain *d;
	uint64_t next = 0;

	xsm_xs_facts_set(&f, "device/vbd/768/state", "3", 1);
	xsm_xs_facts_set(&f, "device/vif/0/state", "4", 1);
	xsm_xs_table_merge(t, &f, W0, M0);
	d = xsm_xs_table_find(t, 4);
	ck_assert(!xsm_xs_domain_eval(d, &cfg.xenstore, W0, M0, &next));
	ck_assert_int_eq(d->status, XSM_OK);
	ck_assert_uint_eq(next, M0 + cfg.xenstore.device_stuck_usec);
	/* Re-read 30 s later, same states: since kept, not stuck yet. */
	xsm_xs_table_merge(t, &f, W0 + 30 * S, M0 + 30 * S);
	d = xsm_xs_table_find(t, 4);
	ck_assert_uint_eq(d->dev[0].since_mono, M0);
	ck_assert(!xsm_xs_domain_eval(d, &cfg.xenstore, W0 + 59 * S, M0 + 59 * S, NULL));
	ck_assert(xsm_xs_domain_eval(d, &cfg.xenstore, W0 + 60 * S, M0 + 60 * S, NULL));
	ck_assert_int_eq(d->status, XSM_WARNING);
	ck_assert_str_eq(d->reason, "vbd/768 frontend in Initialised for 60s");
	ck_assert_uint_eq(d->since_wall, W0 + 60 * S);
	/* It connects: since restarts, ok again. */
	xsm_xs_facts_set(&f, "device/vbd/768/state", "4", 1);
	xsm_xs_table_merge(t, &f, W0 + 61 * S, M0 + 61 * S);
	d = xsm_xs_table_find(t, 4);
	ck_assert_uint_eq(d->dev[0].since_mono, M0 + 61 * S);
	ck_assert(xsm_xs_domain_eval(d, &cfg.xenstore, W0 + 61 * S, M0 + 61 * S, NULL));
	ck_assert_int_eq(d->status, XSM_OK);
	/* Backend stuck while the frontend is connected. */
	xsm_xs_facts_set(&f, "device/vif/0/backend-state", "5", 1);
	xsm_xs_table_merge(t, &f, W0 + 70 * S, M0 + 70 * S);
	d = xsm_xs_table_find(t, 4);
	xsm_xs_domain_eval(d, &cfg.xenstore, W0 + 200 * S, M0 + 200 * S, NULL);
	ck_assert_str_eq(d->reason, "vif/0 backend in Closing for 130s");
	xsm_xs_table_free(t);
}
END_TEST

START_TEST(test_quota)
{
	struct xsm_xs_table *t = xsm_xs_table_new(10);
	struct xsm_xs_facts f = facts(4, "vm4");
	struct xsm_xs_domain *d;

	xsm_xs_table_merge(t, &f, W0, M0);
	d = xsm_xs_table_find(t, 4);
	d->entries = 799;
	xsm_xs_domain_eval(d, &cfg.xenstore, W0, M0, NULL);
	ck_assert_int_eq(d->status, XSM_OK);
	d->entries = 800;
	xsm_xs_domain_eval(d, &cfg.xenstore, W0, M0, NULL);
	ck_assert_int_eq(d->status, XSM_WARNING);
	ck_assert_str_eq(d->reason, "800 xenstore entries, 80% of the quota of 1000");
	d->entries = 1000;
	xsm_xs_domain_eval(d, &cfg.xenstore, W0, M0, NULL);
	ck_assert_int_eq(d->status, XSM_CRITICAL);
	/* dom0 is exempt, as in oxenstored. */
	f = facts(0, "Domain-0");
	xsm_xs_table_merge(t, &f, W0, M0);
	d = xsm_xs_table_find(t, 0);
	d->entries = 5000;
	xsm_xs_domain_eval(d, &cfg.xenstore, W0, M0, NULL);
	ck_assert_int_eq(d->status, XSM_OK);
	xsm_xs_table_free(t);
}
END_TEST

static enum xsm_status
eval(struct xsm_xenstore_view *v, char *reason)
{
	return xsm_xs_evaluate(v, &cfg.xenstore, reason, XSM_REASON_MAX);
}

START_TEST(test_check_eval)
{
	struct xsm_xenstore_view v;
	struct xsm_xs_facts f;
	char r[XSM_REASON_MAX];

	memset(&v, 0, sizeof(v));
	v.probe_latency_us = -1;
	v.table = xsm_xs_table_new(10);
	xsm_strlcpy(v.path, "/run/xenstored/socket", sizeof(v.path));
	v.last_error = ENOENT;
	xsm_strlcpy(v.last_error_op, "connect", sizeof(v.last_error_op));
	ck_assert_int_eq(eval(&v, r), XSM_UNKNOWN);
	ck_assert_str_eq(r, "no xenstore: /run/xenstored/socket: No such file or directory");
	v.ever_connected = true;
	v.last_error = ECONNREFUSED;
	ck_assert_int_eq(eval(&v, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "xenstored unreachable, reconnecting: connect Connection refused");
	v.connected = v.synced = true;
	ck_assert_int_eq(eval(&v, r), XSM_OK);
	ck_assert_str_eq(r, "connected, 0 domains");
	v.hung = true;
	v.hung_usec = 5 * S;
	ck_assert_int_eq(eval(&v, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "xenstored not answering for 5.0 s");
	v.hung = false;
	v.probe_latency_us = 300000;
	ck_assert_int_eq(eval(&v, r), XSM_WARNING);
	ck_assert_str_eq(r, "xenstored slow: the probe took 300.0 ms (warning at 250.0 ms)");
	v.probe_latency_us = 100;
	f = facts(3, "web");
	xsm_xs_table_merge(v.table, &f, W0, M0);
	v.table->dom[0].status = XSM_WARNING;
	xsm_strlcpy(v.table->dom[0].reason, "why", sizeof(v.table->dom[0].reason));
	ck_assert_int_eq(eval(&v, r), XSM_WARNING);
	ck_assert_str_eq(r, "1 of 1 domains not ok; domain 3 (web): why");
	ck_assert_uint_eq(v.domains_not_ok, 1);
	v.table->dom[0].status = XSM_CRITICAL;
	ck_assert_int_eq(eval(&v, r), XSM_CRITICAL);
	ck_assert_str_eq(r, "domain 3 (web): why");
	xsm_xs_table_free(v.table);
}
END_TEST

START_TEST(test_growth)
{
	struct xsm_xenstore_view v;
	struct xsm_xs_facts f;
	char r[XSM_REASON_MAX];

	memset(&v, 0, sizeof(v));
	v.probe_latency_us = -1;
	v.connected = v.synced = true;
	v.table = xsm_xs_table_new(10);
	f = facts(3, "web");
	xsm_xs_table_merge(v.table, &f, W0, M0);
	/* Not counted yet: no window, no growth. */
	xsm_xs_growth(&v, W0 - 60 * S);
	ck_assert_int_eq(v.growth, 0);
	ck_assert_uint_eq(v.growth_base_wall, 0);
	v.table->dom[0].entries = 2000;
	xsm_xs_growth(&v, W0);
	ck_assert_int_eq(v.entries_total, 2000);
	ck_assert_int_eq(v.growth, 0);
	v.table->dom[0].entries = 2999;     /* +999: under the minimum */
	xsm_xs_growth(&v, W0 + 60 * S);
	ck_assert_int_eq(v.growth, 0);
	v.table->dom[0].entries = 3000;     /* +1000 and >= 25 % */
	xsm_xs_growth(&v, W0 + 120 * S);
	ck_assert_int_eq(v.growth, 1000);
	ck_assert_int_eq(eval(&v, r), XSM_WARNING);
	ck_assert_str_eq(r, "the store grew by 1000 entries to 3000 within 10 min");
	/* A new window from the current total: usual again. */
	xsm_xs_growth(&v, W0 + XSM_XS_GROWTH_WINDOW);
	ck_assert_int_eq(v.growth, 0);
	/* A new domain brings its entries: not unusual. */
	f = facts(4, "db");
	xsm_xs_table_merge(v.table, &f, W0, M0);
	xsm_xs_growth(&v, W0 + XSM_XS_GROWTH_WINDOW + S);   /* uncounted */
	ck_assert_int_eq(v.growth, 0);
	v.table->dom[1].entries = 5000;
	xsm_xs_growth(&v, W0 + XSM_XS_GROWTH_WINDOW + S);
	ck_assert_int_eq(v.growth, 0);
	xsm_xs_table_free(v.table);
}
END_TEST

static yajl_val
parse_line(struct xsm_buf *b)
{
	char err[128];
	yajl_val doc;

	ck_assert_uint_gt(b->len, 0);
	ck_assert_int_eq(b->data[b->len - 1], '\n');
	ck_assert_ptr_null(memchr(b->data, '\n', b->len - 1));
	doc = yajl_tree_parse(b->data, err, sizeof(err));
	ck_assert_msg(doc != NULL, "%s: %s", err, b->data);
	return doc;
}

static yajl_val
get(yajl_val v, const char *a, const char *b)
{
	const char *path[] = { a, b, NULL };

	return yajl_tree_get(v, path, yajl_t_any);
}

START_TEST(test_render_domains)
{
	struct xsm_state st;
	struct xsm_render_info ri = { .host = "dom0", .now_usec = W0 + 90 * S };
	struct xsm_xs_facts f;
	struct xsm_buf b;
	yajl_val doc, doms, d0, dev;

	xsm_state_init(&st);
	xsm_state_register(&st, XSM_CHECK_XENSTORE, W0);
	st.xenstore.table = xsm_xs_table_new(10);
	st.xenstore.connected = st.xenstore.synced = true;
	f = facts(5, "web-\"01\"");
	xsm_xs_facts_set(&f, "vm", "/vm/0b4e5d1c-aaaa-4bbb-8ccc-0123456789ab", 40);
	xsm_xs_facts_set(&f, "memory/target", "1048576", 7);
	xsm_xs_facts_set(&f, "attr/PVAddons/MajorVersion", "8", 1);
	xsm_xs_facts_set(&f, "attr/PVAddons/MinorVersion", "2", 1);
	xsm_xs_facts_set(&f, "control/feature-poweroff", "1", 1);
	xsm_xs_facts_set(&f, "control/feature-s4", "1", 1);
	xsm_xs_facts_set(&f, "device/vbd/768/state", "3", 1);
	xsm_xs_table_merge(st.xenstore.table, &f, W0, M0);
	f = facts(0, "Domain-0");
	xsm_xs_table_merge(st.xenstore.table, &f, W0, M0);
	xsm_xs_domain_eval(&st.xenstore.table->dom[1], &cfg.xenstore,
	    W0 + 90 * S, M0 + 90 * S, NULL);
	xsm_state_apply(&st, XSM_CHECK_XENSTORE, XSM_WARNING, "1 of 2", W0);

	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_domains(&st, &ri, &b), 0);
	doc = parse_line(&b);
	ck_assert_int_eq(YAJL_GET_INTEGER(get(doc, "schema", NULL)), 1);
	ck_assert_str_eq(YAJL_GET_STRING(get(doc, "host", NULL)), "dom0");
	ck_assert_str_eq(YAJL_GET_STRING(get(doc, "xenstore", "status")), "warning");
	ck_assert(YAJL_IS_TRUE(get(doc, "xenstore", "connected")));
	doms = get(doc, "domains", NULL);
	ck_assert(YAJL_IS_ARRAY(doms));
	ck_assert_uint_eq(YAJL_GET_ARRAY(doms)->len, 2);
	ck_assert_int_eq(YAJL_GET_INTEGER(get(YAJL_GET_ARRAY(doms)->values[0], "domid", NULL)), 0);
	d0 = YAJL_GET_ARRAY(doms)->values[1];
	ck_assert_str_eq(YAJL_GET_STRING(get(d0, "name", NULL)), "web-\"01\"");
	ck_assert_str_eq(YAJL_GET_STRING(get(d0, "uuid", NULL)),
	    "0b4e5d1c-aaaa-4bbb-8ccc-0123456789ab");
	ck_assert_str_eq(YAJL_GET_STRING(get(d0, "status", NULL)), "warning");
	ck_assert_str_eq(YAJL_GET_STRING(get(d0, "reason", NULL)),
	    "vbd/768 frontend in Initialised for 90s");
	ck_assert_str_eq(YAJL_GET_STRING(get(d0, "since", NULL)), "2026-11-22T02:57:29Z");
	ck_assert_int_eq(YAJL_GET_INTEGER(get(d0, "memory_target_kib", NULL)), 1048576);
	ck_assert(YAJL_IS_NULL(get(d0, "memory_static_max_kib", NULL)));
	ck_assert(YAJL_IS_TRUE(get(d0, "tools", "present")));
	ck_assert_str_eq(YAJL_GET_STRING(get(d0, "tools", "version")), "8.2.0");
	ck_assert_uint_eq(YAJL_GET_ARRAY(get(d0, "features", NULL))->len, 2);
	ck_assert_str_eq(YAJL_GET_STRING(YAJL_GET_ARRAY(get(d0, "features", NULL))->values[1]), "s4");
	dev = YAJL_GET_ARRAY(get(d0, "devices", NULL))->values[0];
	ck_assert_str_eq(YAJL_GET_STRING(get(dev, "kind", NULL)), "vbd");
	ck_assert_int_eq(YAJL_GET_INTEGER(get(dev, "devid", NULL)), 768);
	ck_assert_int_eq(YAJL_GET_INTEGER(get(dev, "state", NULL)), 3);
	ck_assert_str_eq(YAJL_GET_STRING(get(dev, "state_name", NULL)), "Initialised");
	ck_assert(YAJL_IS_NULL(get(dev, "backend_state", NULL)));
	ck_assert_int_eq(YAJL_GET_INTEGER(get(dev, "stuck_s", NULL)), 90);
	ck_assert(YAJL_IS_NULL(get(d0, "entries", NULL)));
	yajl_tree_free(doc);

	/* The status summary lists only the domain that is not ok. */
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_render_status(&st, &ri, &b), 0);
	doc = parse_line(&b);
	{
		const char *p[] = { "checks", "xenstore", "domains_not_ok", NULL };
		yajl_val a = yajl_tree_get(doc, p, yajl_t_array);

		ck_assert_ptr_nonnull(a);
		ck_assert_uint_eq(YAJL_GET_ARRAY(a)->len, 1);
		ck_assert_int_eq(YAJL_GET_INTEGER(get(YAJL_GET_ARRAY(a)->values[0],
		    "domid", NULL)), 5);
	}
	yajl_tree_free(doc);

	/* A cap too small: -ENOBUFS and nothing left behind. */
	xsm_buf_free(&b);
	xsm_buf_init(&b, 64);
	ck_assert_int_eq(xsm_render_domains(&st, &ri, &b), -ENOBUFS);
	ck_assert_uint_eq(b.len, 0);
	xsm_buf_free(&b);
	xsm_xs_table_free(st.xenstore.table);
}
END_TEST

/* No table (watcher not started): an empty list, not a crash. */
START_TEST(test_render_no_table)
{
	struct xsm_state st;
	struct xsm_render_info ri = { .host = "h", .now_usec = W0 };
	struct xsm_buf b;
	yajl_val doc;

	xsm_state_init(&st);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_render_domains(&st, &ri, &b), 0);
	doc = parse_line(&b);
	ck_assert_uint_eq(YAJL_GET_ARRAY(get(doc, "domains", NULL))->len, 0);
	yajl_tree_free(doc);
	xsm_buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("xs_table");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_marks_and_take);
	tcase_add_test(tc, test_list_and_merge);
	tcase_add_test(tc, test_on_change);
	tcase_add_test(tc, test_table_full);
	tcase_add_test(tc, test_device_stuck);
	tcase_add_test(tc, test_quota);
	tcase_add_test(tc, test_check_eval);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_render_domains);
	tcase_add_test(tc, test_render_no_table);
	suite_add_tcase(s, tc);
	return ck_run(s);
}
