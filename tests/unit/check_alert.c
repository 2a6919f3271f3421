/* SPDX-License-Identifier: ISC */
/*
 * check_alert.c: alerts: the event ids and figures of check, interface
 * and domain edges, the edge queue, and the three formats (JSON, RFC
 * 5424 with its escaping, @cee over a traditional line) as goldens.
 * Flapping gives one alert per episode, through the real nics judge.
 */
#include <check.h>

#include "ck_run.h"
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "nics_eval.h"
#include "nics_nl.h"
#include "nics_table.h"
#include "xs_domain.h"

#define S XSM_SEC
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif
/* 2026-12-02T06:00:00.123Z */
#define T0 (1796191200ULL * S + 123456)

#include "nl_build.h"

static void
sink_link(void *arg, const struct xsm_nl_link *l)
{
	xsm_nics_link_apply(arg, l);
}

static void
sink_addr(void *arg, const struct xsm_nl_addr *a)
{
	xsm_nics_addr_apply(arg, a);
}

static void
feed(struct xsm_nics_view *v, struct msg *m)
{
	struct xsm_nl_sink sink = { sink_link, sink_addr, v };
	struct xsm_nl_result r;

	xsm_nl_walk(m->buf, m->len, &sink, &r);
	m->len = 0;
}

#define UP (IFF_UP | IFF_LOWER_UP | IFF_RUNNING)

static struct xsm_state *
state_new(void)
{
	struct xsm_state *st = malloc(sizeof(*st));

	ck_assert_ptr_nonnull(st);
	xsm_state_init(st);
	for (int i = 0; i < XSM_CHECK__MAX; i++)
		xsm_state_register(st, (enum xsm_check_id)i, 1);
	st->logfs.ttf_s = -1;
	st->xenstore.probe_latency_us = -1;
	st->rsyslog.canary.latency_ms = -1;
	return st;
}

static void
sample(struct xsm_alert *a)
{
	memset(a, 0, sizeof(*a));
	a->seq = 42;
	a->at_usec = T0;
	xsm_strlcpy(a->event, "xsmon.nic.carrier_lost", sizeof(a->event));
	a->check = XSM_CHECK_NICS;
	xsm_strlcpy(a->subject, "eth0", sizeof(a->subject));
	a->old_status = XSM_OK;
	a->new_status = XSM_CRITICAL;
	xsm_strlcpy(a->reason, "has \"no\" carrier [x] \\ ok", sizeof(a->reason));
	xsm_alert_fig_num(a, "carrier_changes", 3, 0);
	xsm_alert_fig_num(a, "mtu", 1500, 0);
	xsm_alert_fig_str(a, "address", "10.0.1.5/24");
}

static const struct xsm_alert_syslog SL = {
	.host = "dom0", .app = "xsmond", .pid = 4242, .run_id = "5f1c",
	.sd_id = "xsmon@32473", .utc_offset_s = 3600,
};

/* --- formats ------------------------------------------------------------ */

START_TEST(json_golden)
{
	struct xsm_alert a;
	struct xsm_buf b;

	sample(&a);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_alert_render_json(&a, "dom0", "5f1c", &b), 0);
	ck_assert_str_eq(b.data, "{\"schema\":1,\"event\":\"xsmon.nic.carrier_lost\","
	    "\"seq\":42,\"run\":\"5f1c\",\"host\":\"dom0\","
	    "\"time\":\"2026-12-02T06:00:00.123Z\",\"check\":\"nics\","
	    "\"subject\":\"eth0\",\"severity\":\"critical\",\"old\":\"ok\","
	    "\"new\":\"critical\",\"reason\":\"has \\\"no\\\" carrier [x] \\\\ ok\","
	    "\"renotify\":false,\"figures\":{\"carrier_changes\":3,\"mtu\":1500,"
	    "\"address\":\"10.0.1.5/24\"}}\n");
	/* No run id: left out. A cap too small: nothing appended. */
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_alert_render_json(&a, "h", NULL, &b), 0);
	ck_assert_ptr_null(strstr(b.data, "\"run\""));
	xsm_buf_free(&b);
	xsm_buf_init(&b, 64);
	ck_assert_int_lt(xsm_alert_render_json(&a, "h", NULL, &b), 0);
	ck_assert_uint_eq(b.len, 0);
	xsm_buf_free(&b);
}
END_TEST

START_TEST(rfc5424_golden_and_escaping)
{
	struct xsm_alert a;
	struct xsm_buf b;
	struct xsm_alert_syslog s = SL;

	sample(&a);
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_alert_render_rfc5424(&a, &s, &b), 0);
	ck_assert_str_eq(b.data, "<26>1 2026-12-02T06:00:00.123Z dom0 xsmond 4242 "
	    "xsmon.nic.carrier_lost [xsmon@32473 event=\"xsmon.nic.carrier_lost\" "
	    "seq=\"42\" run=\"5f1c\" check=\"nics\" subject=\"eth0\" "
	    "severity=\"critical\" old=\"ok\" new=\"critical\" "
	    "reason=\"has \\\"no\\\" carrier [x\\] \\\\ ok\" renotify=\"false\" "
	    "carrier_changes=\"3\" mtu=\"1500\" address=\"10.0.1.5/24\"] "
	    "nics eth0: ok -> critical: has \"no\" carrier [x] \\ ok");
	/* A newline in a reason must not split the datagram. */
	xsm_strlcpy(a.reason, "a\nb", sizeof(a.reason));
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_alert_render_rfc5424(&a, &s, &b), 0);
	ck_assert_ptr_null(strchr(b.data, '\n'));
	s.sd_id = "bad id";
	xsm_buf_reset(&b);
	ck_assert_int_eq(xsm_alert_render_rfc5424(&a, &s, &b), -EINVAL);
	ck_assert_uint_eq(b.len, 0);
	xsm_buf_free(&b);
}
END_TEST

START_TEST(cee_golden)
{
	struct xsm_alert a;
	struct xsm_buf b;

	sample(&a);
	a.new_status = XSM_OK;
	a.renotify = true;
	xsm_buf_init(&b, 0);
	ck_assert_int_eq(xsm_alert_render_cee(&a, &SL, &b), 0);
	/* Local time: UTC+1 here. One message: no newline. */
	ck_assert_str_eq(b.data, "<29>Dec  2 07:00:00 xsmond[4242]: @cee:"
	    "{\"schema\":1,\"event\":\"xsmon.nic.carrier_lost\",\"seq\":42,"
	    "\"run\":\"5f1c\",\"host\":\"dom0\",\"time\":\"2026-12-02T06:00:00.123Z\","
	    "\"check\":\"nics\",\"subject\":\"eth0\",\"severity\":\"ok\","
	    "\"old\":\"ok\",\"new\":\"ok\",\"reason\":\"has \\\"no\\\" carrier [x] "
	    "\\\\ ok\",\"renotify\":true,\"figures\":{\"carrier_changes\":3,"
	    "\"mtu\":1500,\"address\":\"10.0.1.5/24\"}}");
	xsm_buf_free(&b);
}
END_TEST

START_TEST(pri_and_sd_id)
{
	struct xsm_alert a;

	sample(&a);
	a.new_status = XSM_OK;
	ck_assert_int_eq(xsm_alert_pri(&a), 29);       /* daemon.notice */
	a.new_status = XSM_WARNING;
	ck_assert_int_eq(xsm_alert_pri(&a), 28);
	a.new_status = XSM_UNKNOWN;
	ck_assert_int_eq(xsm_alert_pri(&a), 28);
	a.new_status = XSM_CRITICAL;
	ck_assert_int_eq(xsm_alert_pri(&a), 26);       /* daemon.crit */
	ck_assert(xsm_alert_sd_id_valid("xsmon@32473"));
	ck_assert(!xsm_alert_sd_id_valid(""));
	ck_assert(!xsm_alert_sd_id_valid("a=b"));
	ck_assert(!xsm_alert_sd_id_valid("a]"));
	ck_assert(!xsm_alert_sd_id_valid("a\""));
	ck_assert(!xsm_alert_sd_id_valid("123456789012345678901234567890123"));
	/* Figures beyond the table are dropped, not overflowing it. */
	for (int i = 0; i < 20; i++)
		xsm_alert_fig_num(&a, "x", i, 0);
	ck_assert_uint_eq(a.n_figs, XSM_ALERT_FIGS);
}
END_TEST

/* --- mapping ------------------------------------------------------------ */

static const char *
check_event(struct xsm_state *st, enum xsm_check_id id, enum xsm_status to,
    const char *reason)
{
	static char ev[XSM_ALERT_EVENT_MAX];

	xsm_alert_check_event(st, id, to, reason, ev, sizeof(ev));
	return ev;
}

START_TEST(check_events)
{
	struct xsm_state *st = state_new();

	ck_assert_str_eq(check_event(st, XSM_CHECK_LOGFS, XSM_WARNING, "x 85%"),
	    "xsmon.logfs.warning");
	ck_assert_str_eq(check_event(st, XSM_CHECK_LOGFS, XSM_CRITICAL,
	    "mount missing: filesystem under /var/log changed"),
	    "xsmon.logfs.mount_missing");
	ck_assert_str_eq(check_event(st, XSM_CHECK_LOGFS, XSM_OK, "fine"),
	    "xsmon.logfs.recovered");
	st->xenstore.connected = false;
	ck_assert_str_eq(check_event(st, XSM_CHECK_XENSTORE, XSM_CRITICAL, "x"),
	    "xsmon.xenstore.unreachable");
	st->xenstore.connected = true;
	st->xenstore.hung = true;
	ck_assert_str_eq(check_event(st, XSM_CHECK_XENSTORE, XSM_CRITICAL, "x"),
	    "xsmon.xenstore.hung");
	ck_assert_str_eq(check_event(st, XSM_CHECK_XENSTORE, XSM_UNKNOWN, "x"),
	    "xsmon.xenstore.unknown");
	st->rsyslog.proc = XSM_RSYSLOG_DEAD;
	ck_assert_str_eq(check_event(st, XSM_CHECK_RSYSLOG, XSM_CRITICAL, "x"),
	    "xsmon.rsyslog.down");
	st->rsyslog.proc = XSM_RSYSLOG_ALIVE;
	st->rsyslog.canary.state = XSM_CANARY_LATE;
	ck_assert_str_eq(check_event(st, XSM_CHECK_RSYSLOG, XSM_CRITICAL, "x"),
	    "xsmon.rsyslog.not_writing");
	st->rsyslog.canary.state = XSM_CANARY_DELIVERED;
	ck_assert_str_eq(check_event(st, XSM_CHECK_RSYSLOG, XSM_WARNING,
	    "action 'fwd' suspended"), "xsmon.rsyslog.forwarding");
	ck_assert_str_eq(check_event(st, XSM_CHECK_RSYSLOG, XSM_OK, "x"),
	    "xsmon.rsyslog.recovered");
	ck_assert_str_eq(check_event(st, XSM_CHECK_NICS, XSM_CRITICAL, "x"),
	    "xsmon.nics.critical");
	free(st);
}
END_TEST

START_TEST(nic_causes)
{
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_CRITICAL, "up", "has no carrier"),
	    "carrier_lost");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_OK, "has no carrier", "up"),
	    "carrier_restored");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_OK, "is admin down", "up"),
	    "recovered");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_WARNING, "up",
	    "is flapping (5 carrier changes within 60s)"), "flapping");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_CRITICAL, "", "is admin down"),
	    "admin_down");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_CRITICAL, "", "has no address"),
	    "address_lost");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_CRITICAL, "", "was deleted"),
	    "deleted");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_CRITICAL, "", "does not exist"),
	    "missing");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_WARNING, "",
	    "up, 10.0.1.5/24, 5.0 errors/s, 0.0 drops/s"), "error_rate");
	ck_assert_str_eq(xsm_alert_nic_cause(XSM_WARNING, "", "?"), "degraded");
}
END_TEST

/* A check's edge carries its event and the view's figures. */
START_TEST(check_edge_figures)
{
	struct xsm_state *st = state_new();
	struct xsm_edge e;
	struct xsm_alert a;

	st->logfs.used_pct = 85.04;
	st->logfs.ttf_s = 3600;
	xsm_strlcpy(st->logfs.path, "/var/log", sizeof(st->logfs.path));
	ck_assert(xsm_state_apply(st, XSM_CHECK_LOGFS, XSM_WARNING, "85%", T0));
	ck_assert_int_eq(xsm_state_pop_edge(st, &e), 1);
	xsm_alert_from_edge(&e, &a);
	ck_assert_str_eq(a.event, "xsmon.logfs.warning");
	ck_assert_str_eq(a.subject, "");
	ck_assert_int_eq(a.old_status, XSM_UNKNOWN);
	ck_assert_str_eq(a.figs[0].key, "used_pct");
	ck_assert(a.figs[0].num > 85.0 && a.figs[0].decimals == 1);
	ck_assert_str_eq(a.figs[2].key, "ttf_s");
	ck_assert_str_eq(a.figs[3].key, "path");
	ck_assert_str_eq(a.figs[3].str, "/var/log");
	free(st);
}
END_TEST

START_TEST(items_and_queue)
{
	struct xsm_state *st = state_new();
	struct xsm_xs_domain dom = { .domid = 7, .name = "vm7", .entries = -1,
	    .target_kib = 1024, .status = XSM_OK };
	struct xsm_edge e;
	uint64_t seq;

	xsm_alert_domain_edge(&dom, "introduced", XSM_OK, T0, &e);
	seq = xsm_state_item(st, &e);
	ck_assert_uint_eq(seq, 1);
	xsm_state_unregister(st, XSM_CHECK_XENSTORE);
	ck_assert_uint_eq(xsm_state_item(st, &e), 0);   /* absent: nothing */
	ck_assert_int_eq(xsm_state_pop_edge(st, &e), 1);
	ck_assert_str_eq(e.event, "xsmon.domain.introduced");
	ck_assert_str_eq(e.subject, "domain 7");
	ck_assert_str_eq(e.figs[1].str, "vm7");
	ck_assert_uint_eq(e.seq, 1);
	/* A burst: the newest XSM_EDGE_QUEUE stay, the rest are counted. */
	xsm_state_register(st, XSM_CHECK_XENSTORE, 1);
	for (unsigned i = 0; i < XSM_EDGE_QUEUE + 5; i++)
		xsm_state_item(st, &e);
	ck_assert_uint_eq(st->edges_dropped, 5);
	ck_assert_int_eq(xsm_state_pop_edge(st, &e), 1);
	ck_assert_uint_eq(e.seq, 2 + 5);
	free(st);
}
END_TEST

/* --- flapping, through the real judge ----------------------------------- */

static struct xsm_nics_cfg ncfg = {
	.flap_count = 5, .flap_window_usec = 60 * S, .flap_quiet_usec = 60 * S,
	.error_rate_warning = 1, .error_rate_critical = 100,
	.drop_rate_warning = 10, .drop_rate_critical = 1000,
};

static unsigned
nics_round(struct xsm_state *st, uint64_t t)
{
	struct xsm_alert_nics_prev prev;
	enum xsm_status s;
	char r[256];

	xsm_alert_nics_snapshot(&st->nics, &prev);
	xsm_nics_evaluate(&st->nics, &ncfg, t, T0, &s, r, sizeof(r));
	return xsm_alert_nics_changes(st, &prev, T0);
}

START_TEST(flapping_one_alert)
{
	struct xsm_state *st = state_new();
	struct msg m = { .len = 0 };
	struct xsm_edge e;
	unsigned flapping = 0, other = 0;
	uint64_t t = 5000 * S;

	xsm_nics_roles_set(&st->nics, "eth1", "config", "", "");
	m_link(&m, RTM_NEWLINK, 6, UP, "eth1", 0, 0);
	m_addr(&m, RTM_NEWADDR, 6, "10.0.1.5", 24);
	feed(&st->nics, &m);
	ck_assert_uint_eq(nics_round(st, t), 0);
	for (unsigned i = 1; i <= 40; i++) {
		m_link(&m, RTM_NEWLINK, 6, i % 2 ? IFF_UP : UP, "eth1", 0, i);
		feed(&st->nics, &m);
		t += S / 4;
		nics_round(st, t);
	}
	nics_round(st, t + 60 * S);     /* quiet: the episode ends */
	while (xsm_state_pop_edge(st, &e)) {
		ck_assert_str_eq(e.subject, "eth1");
		if (strcmp(e.event, "xsmon.nic.flapping") == 0)
			flapping++;
		else
			other++;
	}
	ck_assert_uint_eq(flapping, 1);
	/* carrier_lost/restored before the episode, one out of it. */
	ck_assert_uint_le(other, 6);
	ck_assert_uint_ge(other, 1);
	xsm_nics_view_free(&st->nics);
	free(st);
}
END_TEST

START_TEST(nic_edge_figures)
{
	struct xsm_state *st = state_new();
	struct msg m = { .len = 0 };
	struct xsm_edge e;

	xsm_nics_roles_set(&st->nics, "eth1", "config", "", "");
	m_link(&m, RTM_NEWLINK, 6, UP, "eth1", 0, 2);
	m_addr(&m, RTM_NEWADDR, 6, "10.0.1.5", 24);
	feed(&st->nics, &m);
	nics_round(st, 5000 * S);
	m_link(&m, RTM_NEWLINK, 6, IFF_UP, "eth1", 0, 3);
	feed(&st->nics, &m);
	ck_assert_uint_eq(nics_round(st, 5001 * S), 1);
	ck_assert_int_eq(xsm_state_pop_edge(st, &e), 1);
	ck_assert_str_eq(e.event, "xsmon.nic.carrier_lost");
	ck_assert_int_eq(e.old_status, XSM_OK);
	ck_assert_int_eq(e.new_status, XSM_CRITICAL);
	ck_assert_str_eq(e.figs[0].key, "role");
	ck_assert_str_eq(e.figs[0].str, "management");
	ck_assert_str_eq(e.figs[1].key, "carrier_changes");
	ck_assert(e.figs[1].num == 3);
	ck_assert_str_eq(e.figs[2].key, "mtu");
	ck_assert_str_eq(e.figs[3].str, "10.0.1.5/24");
	xsm_nics_view_free(&st->nics);
	free(st);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("alert");
	TCase *tc = tcase_create("alert");

	tcase_add_test(tc, json_golden);
	tcase_add_test(tc, rfc5424_golden_and_escaping);
	tcase_add_test(tc, cee_golden);
	tcase_add_test(tc, pri_and_sd_id);
	tcase_add_test(tc, check_events);
	tcase_add_test(tc, nic_causes);
	tcase_add_test(tc, check_edge_figures);
	tcase_add_test(tc, items_and_queue);
	tcase_add_test(tc, flapping_one_alert);
	tcase_add_test(tc, nic_edge_figures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(suite());
}
