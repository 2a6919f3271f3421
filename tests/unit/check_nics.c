/* SPDX-License-Identifier: ISC */
/*
 * check_nics.c: the nics check's pure parts: the rtnetlink walker on
 * hand-built messages, the link table (rename, delete, resync sweep),
 * flap episodes, roles and the verdict, and the bond and inventory
 * parsers on the fixtures in tests/fixtures/nics.
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

#include "nics_bond.h"
#include "nics_eval.h"
#include "nics_flap.h"
#include "nics_nl.h"
#include "nics_ovsdp.h"
#include "nics_table.h"

#define S XSM_SEC
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#include "nl_build.h"

static struct xsm_nics_view V;

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

static struct xsm_nl_result
feed(struct msg *m)
{
	struct xsm_nl_sink sink = { sink_link, sink_addr, &V };
	struct xsm_nl_result r;

	xsm_nl_walk(m->buf, m->len, &sink, &r);
	m->len = 0;
	return r;
}

#define UP (IFF_UP | IFF_LOWER_UP | IFF_RUNNING)

static void
setup(void)
{
	xsm_nics_view_free(&V);
	memset(&V, 0, sizeof(V));
}

/* --- the walker and the table ---------------------------------------- */

START_TEST(walk_link_and_addr)
{
	struct msg m = { .len = 0 };
	struct xsm_nl_result r;
	const struct xsm_nic *n;
	char s[64];

	m_link(&m, RTM_NEWLINK, 7, UP, "eth1", 0, 2);
	m_addr(&m, RTM_NEWADDR, 7, "10.0.1.5", 24);
	r = feed(&m);
	ck_assert_uint_eq(r.messages, 2);
	ck_assert_uint_eq(r.bad, 0);
	n = xsm_nics_find_const(&V, 7);
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->name, "eth1");
	ck_assert_int_eq(n->carrier, 1);
	ck_assert_uint_eq(n->mtu, 1500);
	ck_assert_uint_eq(n->carrier_changes, 2);
	ck_assert_uint_eq(n->n_addrs, 1);
	ck_assert_str_eq(xsm_nics_addr_str(&n->addrs[0], s, sizeof(s)),
	    "10.0.1.5/24");
	m_addr(&m, RTM_DELADDR, 7, "10.0.1.5", 24);
	feed(&m);
	ck_assert_uint_eq(xsm_nics_find_const(&V, 7)->n_addrs, 0);
}
END_TEST

START_TEST(walk_rejects_bad_lengths)
{
	struct msg m = { .len = 0 };
	struct xsm_nl_result r;
	struct rtattr *a;

	m_link(&m, RTM_NEWLINK, 3, UP, "eth0", 0, 0);
	/* An attribute longer than its message: the message is skipped. */
	a = (struct rtattr *)(m.buf + NLMSG_HDRLEN +
	    NLMSG_ALIGN(sizeof(struct ifinfomsg)));
	a->rta_len = 4000;
	r = feed(&m);
	ck_assert_uint_eq(r.bad, 1);
	ck_assert_uint_eq(r.messages, 0);
	ck_assert_ptr_null(xsm_nics_find_const(&V, 3));
	/* nlmsg_len past the datagram: the walk stops there. */
	m_link(&m, RTM_NEWLINK, 3, UP, "eth0", 0, 0);
	((struct nlmsghdr *)m.buf)->nlmsg_len = 9999;
	r = feed(&m);
	ck_assert_uint_eq(r.bad, 1);
	ck_assert_ptr_null(xsm_nics_find_const(&V, 3));
}
END_TEST

START_TEST(rename_keeps_ifindex_delete_removes)
{
	struct msg m = { .len = 0 };

	m_link(&m, RTM_NEWLINK, 5, UP, "vb0", 0, 0);
	m_addr(&m, RTM_NEWADDR, 5, "192.0.2.1", 30);
	m_link(&m, RTM_NEWLINK, 5, 0, "stor0", 0, 1);
	feed(&m);
	ck_assert_uint_eq(V.n_links, 1);
	ck_assert_str_eq(V.links[0].name, "stor0");
	ck_assert_uint_eq(V.links[0].n_addrs, 1);
	m_link(&m, RTM_DELLINK, 5, 0, "stor0", 0, 1);
	feed(&m);
	ck_assert_uint_eq(V.n_links, 0);
}
END_TEST

START_TEST(resync_sweeps_what_the_dump_missed)
{
	struct msg m = { .len = 0 };

	m_link(&m, RTM_NEWLINK, 2, UP, "a", 0, 0);
	m_link(&m, RTM_NEWLINK, 3, UP, "b", 0, 0);
	m_addr(&m, RTM_NEWADDR, 2, "10.0.0.1", 24);
	m_addr(&m, RTM_NEWADDR, 2, "10.0.0.2", 24);
	feed(&m);
	xsm_nics_mark_links(&V);
	m_link(&m, RTM_NEWLINK, 3, UP, "b", 0, 0);
	feed(&m);
	ck_assert_uint_eq(xsm_nics_sweep_links(&V), 1);
	ck_assert_ptr_null(xsm_nics_find_const(&V, 2));
	m_addr(&m, RTM_NEWADDR, 3, "10.0.0.1", 24);
	m_addr(&m, RTM_NEWADDR, 3, "10.0.0.2", 24);
	feed(&m);
	xsm_nics_mark_addrs(&V);
	m_addr(&m, RTM_NEWADDR, 3, "10.0.0.2", 24);
	feed(&m);
	ck_assert_uint_eq(xsm_nics_sweep_addrs(&V), 1);
	ck_assert_uint_eq(xsm_nics_find_const(&V, 3)->n_addrs, 1);
}
END_TEST

START_TEST(table_is_capped)
{
	struct xsm_nl_link l;

	memset(&l, 0, sizeof(l));
	for (int i = 1; i <= XSM_NICS_LINKS_MAX + 10; i++) {
		l.ifindex = i;
		snprintf(l.name, sizeof(l.name), "v%d", i);
		xsm_nics_link_apply(&V, &l);
	}
	ck_assert_uint_eq(V.n_links, XSM_NICS_LINKS_MAX);
	ck_assert_uint_eq(V.links_overflow, 10);
	ck_assert_int_eq(V.links[V.n_links - 1].ifindex, XSM_NICS_LINKS_MAX);
}
END_TEST

/* --- flaps ----------------------------------------------------------- */

START_TEST(flap_one_episode_then_quiet)
{
	struct xsm_nic_flap f;
	uint64_t t = 1000 * S;
	unsigned in = 0;

	memset(&f, 0, sizeof(f));
	xsm_nic_flap_note(&f, 10, t);   /* primes only */
	ck_assert_uint_eq(f.n, 0);
	for (unsigned i = 1; i <= 40; i++) {
		xsm_nic_flap_note(&f, 10 + i, t + i * S / 4);
		in = xsm_nic_flap_eval(&f, 5, 60 * S, 30 * S, t + i * S / 4);
		ck_assert(f.flapping == (i >= 5));
	}
	ck_assert_uint_eq(in, 40);
	ck_assert(xsm_nic_flap_eval(&f, 5, 60 * S, 30 * S, t + 10 * S + 29 * S) > 0);
	ck_assert(f.flapping);
	xsm_nic_flap_eval(&f, 5, 60 * S, 30 * S, t + 10 * S + 30 * S);
	ck_assert(!f.flapping);
	/* Slow changes, one a minute, never flap. */
	for (unsigned i = 1; i <= 10; i++) {
		xsm_nic_flap_note(&f, 50 + i, t + 100 * S + i * 61 * S);
		xsm_nic_flap_eval(&f, 2, 60 * S, 30 * S, t + 100 * S + i * 61 * S);
		ck_assert(!f.flapping);
	}
}
END_TEST

/* --- the verdict ----------------------------------------------------- */

static struct xsm_nics_cfg cfg = {
	.flap_count = 5, .flap_window_usec = 60 * S, .flap_quiet_usec = 60 * S,
	.error_rate_warning = 1, .error_rate_critical = 100,
	.drop_rate_warning = 10, .drop_rate_critical = 1000,
};

static enum xsm_status
judge(char *reason, size_t size)
{
	enum xsm_status st;

	xsm_nics_evaluate(&V, &cfg, 5000 * S, 1700000000 * S, &st, reason, size);
	return st;
}

/* xenbr0 (4) over eth0 (3); storage eth1 (6). */
static void
dom0(unsigned eth0_flags, unsigned eth1_flags)
{
	struct msg m = { .len = 0 };

	m_link(&m, RTM_NEWLINK, 3, eth0_flags, "eth0", 4, 0);
	m_link(&m, RTM_NEWLINK, 4, (eth0_flags & IFF_LOWER_UP) ? UP : IFF_UP,
	    "xenbr0", 0, 0);
	m_link(&m, RTM_NEWLINK, 6, eth1_flags, "eth1", 0, 0);
	m_addr(&m, RTM_NEWADDR, 4, "10.0.0.2", 24);
	m_addr(&m, RTM_NEWADDR, 6, "10.0.1.5", 24);
	feed(&m);
}

START_TEST(verdict_ok_and_management_down)
{
	char r[256];

	xsm_nics_roles_set(&V, "xenbr0", "inventory", "eth1", "");
	dom0(UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
	ck_assert_str_eq(r, "management xenbr0 up, 10.0.0.2/24; storage eth1 "
	    "up, 10.0.1.5/24");
	ck_assert_uint_eq(V.n_judged, 3);   /* xenbr0, its port eth0, eth1 */
	dom0(IFF_UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
	ck_assert_str_eq(r, "management xenbr0 has no carrier (eth0 down); "
	    "storage eth1 up, 10.0.1.5/24");
	ck_assert_str_eq(V.role_source, "inventory");
}
END_TEST

START_TEST(verdict_admin_down_no_address_missing)
{
	struct msg m = { .len = 0 };
	char r[256];

	xsm_nics_roles_set(&V, "xenbr0", "config", "eth1,eth9", "");
	dom0(UP, IFF_LOWER_UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(r, "storage eth1 is admin down"));
	ck_assert_ptr_nonnull(strstr(r, "storage eth9 does not exist"));
	dom0(UP, UP);
	m_addr(&m, RTM_DELADDR, 6, "10.0.1.5", 24);
	feed(&m);
	judge(r, sizeof(r));
	ck_assert_ptr_nonnull(strstr(r, "storage eth1 has no address"));
	/* Deleted, then back under a new ifindex: bound again by name. */
	m_link(&m, RTM_DELLINK, 6, 0, "eth1", 0, 0);
	feed(&m);
	judge(r, sizeof(r));
	ck_assert_ptr_nonnull(strstr(r, "storage eth1 was deleted"));
	m_link(&m, RTM_NEWLINK, 16, UP, "eth1", 0, 0);
	m_addr(&m, RTM_NEWADDR, 16, "10.0.1.5", 24);
	feed(&m);
	judge(r, sizeof(r));
	ck_assert_ptr_nonnull(strstr(r, "storage eth1 up, 10.0.1.5/24"));
}
END_TEST

START_TEST(verdict_rename_follows_ifindex)
{
	struct msg m = { .len = 0 };
	char r[256];

	xsm_nics_roles_set(&V, "xenbr0", "config", "eth1", "");
	dom0(UP, UP);
	judge(r, sizeof(r));
	m_link(&m, RTM_NEWLINK, 6, UP, "stor0", 0, 0);
	feed(&m);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
	ck_assert_ptr_nonnull(strstr(r, "storage stor0 up, 10.0.1.5/24"));
}
END_TEST

START_TEST(verdict_management_unknown)
{
	char r[256];

	xsm_nics_roles_set(&V, "", "config", "eth1",
	    "no [nics] management, and /x: No such file or directory");
	dom0(UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(r, "management unknown: no [nics]"));
}
END_TEST

START_TEST(verdict_flapping_is_one_warning)
{
	struct msg m = { .len = 0 };
	enum xsm_status st, prev = XSM_OK;
	char r[256];
	unsigned edges = 0;
	uint64_t t = 5000 * S;

	xsm_nics_roles_set(&V, "", "config", "eth1", "x");
	xsm_nics_roles_set(&V, "eth1", "config", "", "");
	dom0(UP, UP);
	xsm_nics_evaluate(&V, &cfg, t, 1, &st, r, sizeof(r));
	for (unsigned i = 1; i <= 40; i++) {
		m_link(&m, RTM_NEWLINK, 6, i % 2 ? IFF_UP : UP, "eth1", 0, i);
		feed(&m);
		t += S / 4;
		xsm_nics_evaluate(&V, &cfg, t, 1, &st, r, sizeof(r));
		if (st != prev)
			edges++;
		prev = st;
	}
	/* down, up, ... then flapping at the 5th change, and it stays. */
	ck_assert_int_eq(st, XSM_WARNING);
	ck_assert_ptr_nonnull(strstr(r, "is flapping (40 carrier changes"));
	ck_assert_uint_le(edges, 5);
	ck_assert_uint_eq(xsm_nics_evaluate(&V, &cfg, t, 1, &st, r, sizeof(r)),
	    t + 60 * S);
	xsm_nics_evaluate(&V, &cfg, t + 60 * S, 1, &st, r, sizeof(r));
	ck_assert_int_eq(st, XSM_OK);   /* quiet, and it ended up */
}
END_TEST

/* --- parsers on the fixtures ------------------------------------------ */

static char *
fixture(const char *name)
{
	const char *src = getenv("XSMON_SRC");
	static char buf[16384];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/nics/%s",
	    src ? src : ".", name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(proc_bonding)
{
	struct xsm_nics_bond_proc b;

	ck_assert_int_eq(xsm_nics_parse_proc_bonding(
	    fixture("proc_bonding_ab_degraded"), &b), 0);
	ck_assert_str_eq(b.mode, "fault-tolerance (active-backup)");
	ck_assert_str_eq(b.active, "eth0");
	ck_assert(!b.lacp);
	ck_assert_uint_eq(b.n_slaves, 2);
	ck_assert(b.slaves[0].mii_up);
	ck_assert(!b.slaves[1].mii_up);
	ck_assert_uint_eq(b.slaves[1].link_failures, 3);
	ck_assert_int_eq(xsm_nics_parse_proc_bonding(
	    fixture("proc_bonding_8023ad"), &b), 0);
	ck_assert(b.lacp);
	ck_assert_uint_eq(b.aggregator_id, 2);
	ck_assert_uint_eq(b.slaves[1].aggregator_id, 2);
	ck_assert_str_eq(b.slaves[0].speed, "10000 Mbps");
	ck_assert_int_eq(xsm_nics_parse_proc_bonding("garbage\n", &b), -EINVAL);
}
END_TEST

START_TEST(ovs_bonds)
{
	struct xsm_nics_ovs_bond b[2];
	unsigned n;
	char r[256];

	ck_assert_int_eq(xsm_nics_parse_ovs_bonds(fixture("ovs_bond_show_slave"),
	    b, 2, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(b[0].name, "bond0");
	ck_assert_str_eq(b[0].mode, "active-backup");
	ck_assert_uint_eq(b[0].n_slaves, 2);
	ck_assert(b[0].slaves[0].enabled && b[0].slaves[0].active);
	ck_assert(!b[0].slaves[1].enabled);
	/* A degraded OVS bond is a warning of the check. */
	V.ovs_bonds[0] = b[0];
	V.n_ovs_bonds = 1;
	xsm_nics_roles_set(&V, "eth1", "config", "", "");
	dom0(UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_WARNING);
	ck_assert_ptr_nonnull(strstr(r, "ovs bond bond0 degraded: 1/2 "
	    "members enabled (eth1 disabled)"));
	ck_assert_int_eq(xsm_nics_parse_ovs_bonds(fixture("ovs_bond_show_member"),
	    b, 2, &n), 0);
	ck_assert_str_eq(b[0].lacp, "negotiated");
	ck_assert(b[0].slaves[0].active && b[0].slaves[1].enabled);
	ck_assert_int_eq(xsm_nics_parse_ovs_bonds("no bonds here\n", b, 2, &n),
	    -EINVAL);
}
END_TEST

START_TEST(linux_bond_degraded_and_down)
{
	struct msg m = { .len = 0 };
	char r[256];

	/* xenbr0 (4) over bond0 (10) over eth2 (11) and eth3 (12). */
	xsm_nics_roles_set(&V, "xenbr0", "config", "", "");
	m_link(&m, RTM_NEWLINK, 4, UP, "xenbr0", 0, 0);
	m_link(&m, RTM_NEWLINK, 10, UP, "bond0", 4, 0);
	m_link(&m, RTM_NEWLINK, 11, UP, "eth2", 10, 0);
	m_link(&m, RTM_NEWLINK, 12, IFF_UP, "eth3", 10, 0);
	m_addr(&m, RTM_NEWADDR, 4, "10.0.0.2", 24);
	feed(&m);
	xsm_strlcpy(xsm_nics_find(&V, 10)->kind, "bond", 16);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_WARNING);
	ck_assert_str_eq(r, "management xenbr0 up, 10.0.0.2/24, bond0 degraded: "
	    "1/2 slaves up (eth3 down)");
	m_link(&m, RTM_NEWLINK, 11, IFF_UP, "eth2", 10, 0);
	feed(&m);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
}
END_TEST

START_TEST(inventory)
{
	char out[16];

	ck_assert_int_eq(xsm_nics_inventory_management(
	    fixture("xensource-inventory"), out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xenbr0");
	ck_assert_int_eq(xsm_nics_inventory_management("A='b'\n", out,
	    sizeof(out)), -ENOENT);
	ck_assert_int_eq(xsm_nics_inventory_management(
	    "MANAGEMENT_INTERFACE=bond1\n", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "bond1");
	ck_assert_int_eq(xsm_nics_inventory_management(
	    "MANAGEMENT_INTERFACE='a/b'\n", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(xsm_nics_inventory_management(
	    "MANAGEMENT_INTERFACE=''\n", out, sizeof(out)), -ENOENT);
}
END_TEST

/* --- review fixes ------------------------------------------------------ */

/* The family of the message being built (AF_BRIDGE port info). */
static void
m_family(struct msg *m, uint8_t family)
{
	struct ifinfomsg *ifi = (struct ifinfomsg *)(m->buf + m->start +
	    NLMSG_HDRLEN);

	ifi->ifi_family = family;
}

static size_t
m_nest(struct msg *m, uint16_t type)
{
	struct rtattr a = { .rta_len = 0, .rta_type = type };
	size_t at = m->len;

	memcpy(m->buf + m->len, &a, sizeof(a));
	m->len += sizeof(a);
	return at;
}

static void
m_nest_end(struct msg *m, size_t at)
{
	struct rtattr *a = (struct rtattr *)(m->buf + at);

	a->rta_len = (unsigned short)(m->len - at);
}

START_TEST(walk_ignores_af_bridge)
{
	struct msg m = { .len = 0 };
	struct xsm_nl_result r;
	const struct xsm_nic *n;
	uint32_t br = 9;

	m_link(&m, RTM_NEWLINK, 7, UP, "eth1", 0, 2);
	feed(&m);
	/* ip link set eth1 nomaster: the bridge layer's RTM_DELLINK. */
	m_link(&m, RTM_DELLINK, 7, UP, "eth1", 9, 2);
	m_family(&m, AF_BRIDGE);
	r = feed(&m);
	ck_assert_uint_eq(r.foreign, 1);
	ck_assert_uint_eq(r.bad, 0);
	ck_assert_uint_eq(r.messages, 0);
	ck_assert_ptr_nonnull(xsm_nics_find_const(&V, 7));
	/* Its RTM_NEWLINK does not overwrite master, kind or carrier. */
	m_link(&m, RTM_NEWLINK, 7, IFF_UP, "eth1", 9, 3);
	m_family(&m, AF_BRIDGE);
	m_attr(&m, IFLA_MASTER, &br, 4);
	m_end(&m);
	r = feed(&m);
	ck_assert_uint_eq(r.foreign, 1);
	n = xsm_nics_find_const(&V, 7);
	ck_assert_int_eq(n->master, 0);
	ck_assert_int_eq(n->carrier, 1);
	ck_assert_uint_eq(n->carrier_changes, 2);
}
END_TEST

START_TEST(walk_slave_data)
{
	struct msg m = { .len = 0 };
	size_t li, sd;
	uint8_t state = 1, mii = 2, actor = 0x3d;
	uint16_t agg = 3, partner = 0x3f;
	const struct xsm_nic *n;

	m_link(&m, RTM_NEWLINK, 11, UP, "eth2", 10, 0);
	li = m_nest(&m, IFLA_LINKINFO);
	m_attr(&m, IFLA_INFO_SLAVE_KIND, "bond", 5);
	sd = m_nest(&m, IFLA_INFO_SLAVE_DATA);
	m_attr(&m, IFLA_BOND_SLAVE_STATE, &state, 1);
	m_attr(&m, IFLA_BOND_SLAVE_MII_STATUS, &mii, 1);
	m_attr(&m, IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, &agg, 2);
	m_attr(&m, IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, &actor, 1);
	m_attr(&m, IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, &partner, 2);
	m_nest_end(&m, sd);
	m_nest_end(&m, li);
	m_end(&m);
	ck_assert_uint_eq(feed(&m).bad, 0);
	n = xsm_nics_find_const(&V, 11);
	ck_assert_str_eq(n->slave_kind, "bond");
	ck_assert(n->slave.valid);
	ck_assert_uint_eq(n->slave.state, 1);
	ck_assert_uint_eq(n->slave.mii_status, 2);
	ck_assert_uint_eq(n->slave.aggregator_id, 3);
	ck_assert_int_eq(n->slave.actor_state, 0x3d);
	ck_assert_int_eq(n->slave.partner_state, 0x3f);
	/* A bridge port's slave data is not bonding's: dropped. */
	m_link(&m, RTM_NEWLINK, 12, UP, "eth3", 4, 0);
	li = m_nest(&m, IFLA_LINKINFO);
	m_attr(&m, IFLA_INFO_SLAVE_KIND, "bridge", 7);
	sd = m_nest(&m, IFLA_INFO_SLAVE_DATA);
	m_attr(&m, IFLA_BOND_SLAVE_STATE, &state, 1);
	m_nest_end(&m, sd);
	m_nest_end(&m, li);
	m_end(&m);
	feed(&m);
	ck_assert(!xsm_nics_find_const(&V, 12)->slave.valid);
}
END_TEST

static void
m_ctl(struct msg *m, uint16_t type, uint32_t seq, uint16_t flags, int err)
{
	struct nlmsgerr e = { .error = err };
	struct nlmsghdr *h;

	if (type == NLMSG_ERROR)
		m_begin(m, type, &e, sizeof(e));
	else
		m_begin(m, type, &err, sizeof(err));
	m_end(m);
	h = (struct nlmsghdr *)(m->buf + m->start);
	h->nlmsg_seq = seq;
	h->nlmsg_flags = flags;
}

START_TEST(walk_done_error_by_sequence)
{
	struct msg m = { .len = 0 };
	struct xsm_nl_result r;

	m_link(&m, RTM_NEWLINK, 3, UP, "eth0", 0, 0);
	m_ctl(&m, NLMSG_DONE, 5, NLM_F_MULTI, 0);
	r = feed(&m);
	ck_assert(r.done);
	ck_assert_uint_eq(r.done_seq, 5);
	ck_assert_int_eq(r.error, 0);
	ck_assert(!r.intr);
	m_ctl(&m, NLMSG_ERROR, 6, 0, -EBUSY);
	r = feed(&m);
	ck_assert(r.done);
	ck_assert_uint_eq(r.done_seq, 6);
	ck_assert_int_eq(r.error, -EBUSY);
	/* An ack (error 0) ends nothing. */
	m_ctl(&m, NLMSG_ERROR, 7, 0, 0);
	r = feed(&m);
	ck_assert(!r.done);
	/* A part of an inconsistent dump. */
	m_link(&m, RTM_NEWLINK, 3, UP, "eth0", 0, 0);
	((struct nlmsghdr *)(m.buf + m.start))->nlmsg_flags =
	    NLM_F_MULTI | NLM_F_DUMP_INTR;
	m_ctl(&m, NLMSG_DONE, 8, NLM_F_MULTI | NLM_F_DUMP_INTR, 0);
	r = feed(&m);
	ck_assert(r.intr);
	ck_assert_uint_eq(r.done_seq, 8);
}
END_TEST

/* xenbr0 (4) over eth0 (3) and nports more ports, prefix and a number
 * ("vif" gives vif1.0, vif2.0...), from ifindex 20. */
static void
bridge_with(const char *prefix, unsigned nports, unsigned eth0_flags,
    unsigned port_flags)
{
	struct msg m = { .len = 0 };
	char name[16];

	dom0(eth0_flags, UP);
	for (unsigned i = 0; i < nports; i++) {
		snprintf(name, sizeof(name), "%s%u%s", prefix, i + 1,
		    prefix[0] == 'p' ? "" : ".0");
		m_link(&m, RTM_NEWLINK, 20 + (int)i, port_flags, name, 4, 0);
		feed(&m);
	}
	/* With a port up the bridge keeps its carrier. */
	m_link(&m, RTM_NEWLINK, 4, nports && (port_flags & IFF_LOWER_UP) ?
	    UP : (eth0_flags & IFF_LOWER_UP) ? UP : IFF_UP, "xenbr0", 0, 0);
	feed(&m);
	xsm_strlcpy(xsm_nics_find(&V, 4)->kind, "bridge", 16);
}

static void
m_link_down_eth1(void)
{
	struct msg m = { .len = 0 };

	m_link(&m, RTM_NEWLINK, 6, IFF_UP, "eth1", 0, 1);
	feed(&m);
}

START_TEST(guest_vifs_are_not_uplinks)
{
	char r[256];

	xsm_nics_roles_set(&V, "xenbr0", "config", "eth1", "");
	/* A guest that is not up yet: its vif has no carrier. */
	bridge_with("vif", 1, UP, IFF_UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
	ck_assert_ptr_null(xsm_nics_judged_find(&V, 20));
	/* The guest is up, the host's cable is out: cut off. */
	bridge_with("vif", 1, IFF_UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
	ck_assert_str_eq(r, "management xenbr0 has no carrier (eth0 down); "
	    "storage eth1 up, 10.0.1.5/24");
	bridge_with("tap", 1, IFF_UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
}
END_TEST

START_TEST(roles_judged_before_uplinks)
{
	char r[512];

	/* 40 uplinks on xenbr0 (not guests): storage is still judged. */
	xsm_nics_roles_set(&V, "xenbr0", "config", "eth1", "");
	bridge_with("p", 40, UP, UP);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
	ck_assert_ptr_nonnull(xsm_nics_judged_find(&V, 6));
	ck_assert_uint_eq(V.n_judged, XSM_NICS_JUDGED_MAX);
	ck_assert_uint_eq(V.judged_overflow, 41 + 2 - XSM_NICS_JUDGED_MAX);
	ck_assert_ptr_nonnull(strstr(r, "; 11 uplinks not judged (more "
	    "than 32)"));
	m_link_down_eth1();
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(r, "storage eth1 has no carrier"));
}
END_TEST

START_TEST(ovs_dpif_parse)
{
	struct xsm_nics_ovs_port p[8];
	unsigned n;
	uint64_t over;

	ck_assert_int_eq(xsm_nics_parse_ovs_dpif(fixture("ovs_dpif_show"), p,
	    8, &n, &over), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(over, 0);
	ck_assert_str_eq(p[0].bridge, "xapi1");
	ck_assert_str_eq(p[0].name, "eth2");
	ck_assert_str_eq(p[1].name, "eth3");
	ck_assert_str_eq(p[2].bridge, "xenbr0");
	ck_assert_str_eq(p[2].name, "eth0");
	ck_assert_int_eq(xsm_nics_parse_ovs_dpif(fixture("ovs_dpif_show"), p,
	    2, &n, &over), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(over, 1);
	ck_assert_int_eq(xsm_nics_parse_ovs_dpif("", p, 8, &n, &over), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(xsm_nics_parse_ovs_dpif("ovs-vswitchd: no such "
	    "command\n", p, 8, &n, &over), -EINVAL);
}
END_TEST

START_TEST(ovs_bridge_uplinks_judged)
{
	struct msg m = { .len = 0 };
	char r[256];
	unsigned n;
	uint64_t over;

	/* xenbr0 (4): an internal port, always carrier; eth0 (3) has master
	 * ovs-system (2), and a guest vif1.0 (20) too. */
	xsm_nics_roles_set(&V, "xenbr0", "config", "", "");
	m_link(&m, RTM_NEWLINK, 2, IFF_UP, "ovs-system", 0, 0);
	m_link(&m, RTM_NEWLINK, 3, UP, "eth0", 2, 0);
	m_link(&m, RTM_NEWLINK, 4, UP, "xenbr0", 0, 0);
	m_link(&m, RTM_NEWLINK, 20, UP, "vif1.0", 2, 0);
	m_addr(&m, RTM_NEWADDR, 4, "10.0.0.2", 24);
	feed(&m);
	ck_assert_int_eq(xsm_nics_parse_ovs_dpif(fixture("ovs_dpif_show"),
	    V.ovs_ports, XSM_NICS_OVS_PORTS_MAX, &n, &over), 0);
	V.n_ovs_ports = n;
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
	ck_assert_ptr_nonnull(xsm_nics_judged_find(&V, 3));
	ck_assert_ptr_null(xsm_nics_judged_find(&V, 20));
	m_link(&m, RTM_NEWLINK, 3, IFF_UP, "eth0", 2, 1);
	feed(&m);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
	ck_assert_str_eq(r, "management xenbr0 has no working uplink "
	    "(eth0 down)");
}
END_TEST

START_TEST(ovs_failure_is_a_warning)
{
	char r[256];

	xsm_nics_roles_set(&V, "eth1", "config", "", "");
	dom0(UP, UP);
	xsm_strlcpy(V.ovs_state, "ovs-appctl bond/show: timeout",
	    sizeof(V.ovs_state));
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_WARNING);
	ck_assert_str_eq(r, "management eth1 up, 10.0.1.5/24; ovs-appctl "
	    "bond/show: timeout");
	xsm_strlcpy(V.ovs_state, "absent", sizeof(V.ovs_state));
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
}
END_TEST

START_TEST(flapping_says_carrier_down_now)
{
	struct msg m = { .len = 0 };
	enum xsm_status st;
	char r[256];
	uint64_t t = 5000 * S;

	xsm_nics_roles_set(&V, "eth1", "config", "", "");
	dom0(UP, UP);
	xsm_nics_evaluate(&V, &cfg, t, 1, &st, r, sizeof(r));
	for (unsigned i = 1; i <= 6; i++) {
		m_link(&m, RTM_NEWLINK, 6, i % 2 ? IFF_UP : UP, "eth1", 0, i);
		feed(&m);
		t += S;
		xsm_nics_evaluate(&V, &cfg, t, 1, &st, r, sizeof(r));
	}
	ck_assert_int_eq(st, XSM_WARNING);
	ck_assert_ptr_null(strstr(r, "carrier down now"));   /* up: 6 is even */
	m_link(&m, RTM_NEWLINK, 6, IFF_UP, "eth1", 0, 7);
	feed(&m);
	xsm_nics_evaluate(&V, &cfg, t + S, 1, &st, r, sizeof(r));
	ck_assert_int_eq(st, XSM_WARNING);
	ck_assert_ptr_nonnull(strstr(r, "is flapping (7 carrier changes within "
	    "60s), carrier down now"));
}
END_TEST

/* eth1's counters as a counters dump would leave them. */
static void
counters(uint64_t bytes, uint64_t errors, uint64_t drops)
{
	struct xsm_nic *n = xsm_nics_find(&V, 6);

	n->has_stats = true;
	n->ctr.rx_bytes = bytes;
	n->ctr.rx_errors = errors;
	n->ctr.tx_dropped = drops;
}

START_TEST(rates_first_backwards_thresholds)
{
	const struct xsm_nics_judged *j;
	char r[256];
	uint64_t t = 5000 * S;

	xsm_nics_roles_set(&V, "eth1", "config", "", "");
	dom0(UP, UP);
	xsm_nics_bind(&V);
	counters(1000, 0, 0);
	xsm_nics_rates_update(&V, t);
	j = xsm_nics_judged_find(&V, 6);
	ck_assert(!j->rates_valid);   /* one sample: no rate yet */
	counters(11000, 50, 0);       /* 5 errors/s: a warning */
	xsm_nics_rates_update(&V, t + 10 * S);
	ck_assert(j->rates_valid);
	ck_assert(j->rx_bps > 999.9 && j->rx_bps < 1000.1);
	ck_assert(j->error_rate > 4.99 && j->error_rate < 5.01);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_WARNING);
	/* The base reason stays, the rates are appended. */
	ck_assert_str_eq(r, "management eth1 up, 10.0.1.5/24, 5.0 errors/s, "
	    "0.0 drops/s");
	counters(12000, 50, 20000);   /* 2000 drops/s: critical */
	xsm_nics_rates_update(&V, t + 20 * S);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(r, "0.0 errors/s, 2000.0 drops/s"));
	counters(10, 0, 0);           /* a driver reset: backwards */
	xsm_nics_rates_update(&V, t + 30 * S);
	ck_assert(!j->rates_valid);
	ck_assert_int_eq(judge(r, sizeof(r)), XSM_OK);
	counters(1010, 0, 0);         /* from the new base: fine again */
	xsm_nics_rates_update(&V, t + 40 * S);
	ck_assert(j->rates_valid);
	ck_assert(j->rx_bps > 99.9 && j->rx_bps < 100.1);
	/* Less than half a second later: no new rate, the old one stays. */
	counters(100000, 0, 0);
	xsm_nics_rates_update(&V, t + 40 * S + S / 4);
	ck_assert(j->rx_bps > 99.9 && j->rx_bps < 100.1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("nics");
	TCase *tc = tcase_create("nics");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, walk_link_and_addr);
	tcase_add_test(tc, walk_rejects_bad_lengths);
	tcase_add_test(tc, rename_keeps_ifindex_delete_removes);
	tcase_add_test(tc, resync_sweeps_what_the_dump_missed);
	tcase_add_test(tc, table_is_capped);
	tcase_add_test(tc, flap_one_episode_then_quiet);
	tcase_add_test(tc, verdict_ok_and_management_down);
	tcase_add_test(tc, verdict_admin_down_no_address_missing);
	tcase_add_test(tc, verdict_rename_follows_ifindex);
	tcase_add_test(tc, verdict_management_unknown);
	tcase_add_test(tc, verdict_flapping_is_one_warning);
	tcase_add_test(tc, proc_bonding);
	tcase_add_test(tc, ovs_bonds);
	tcase_add_test(tc, linux_bond_degraded_and_down);
	tcase_add_test(tc, inventory);
	tcase_add_test(tc, walk_ignores_af_bridge);
	tcase_add_test(tc, walk_slave_data);
	tcase_add_test(tc, walk_done_error_by_sequence);
	tcase_add_test(tc, guest_vifs_are_not_uplinks);
	tcase_add_test(tc, roles_judged_before_uplinks);
	tcase_add_test(tc, ovs_dpif_parse);
	tcase_add_test(tc, ovs_bridge_uplinks_judged);
	tcase_add_test(tc, ovs_failure_is_a_warning);
	tcase_add_test(tc, flapping_says_carrier_down_now);
	tcase_add_test(tc, rates_first_backwards_thresholds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(suite());
}
