/* SPDX-License-Identifier: ISC */
/*
 * nics.h: the nics check's view in the state model: every link of the
 * namespace (keyed by ifindex), the roles bound to some of them, and the
 * per-interface judgement of the role interfaces.
 *
 * The link table is allocated (it grows with the links, up to
 * XSM_NICS_LINKS_MAX) and owned by the view: xsm_nics_view_free()
 * releases it. Everything else is fixed size.
 */
#ifndef XSM_NICS_H
#define XSM_NICS_H

#include "xsm.h"

#define XSM_NICS_LINKS_MAX 4096   /* links tracked; more are counted */
#define XSM_NIC_ADDRS_MAX 8       /* addresses kept per link */
#define XSM_NICS_ROLES_MAX 9      /* management + 8 storage names */
#define XSM_NICS_JUDGED_MAX 32    /* role interfaces and their lowers */
#define XSM_NIC_FLAP_RING 64      /* carrier changes remembered */
#define XSM_NIC_REASON_MAX 160
#define XSM_NICS_OVS_BONDS_MAX 8
#define XSM_NIC_SLAVES_MAX 8
#define XSM_NICS_OVS_PORTS_MAX 64 /* uplinks of OVS bridges (dpif/show) */

struct xsm_nic_addr {
	uint8_t family;           /* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	uint8_t scope;            /* RT_SCOPE_*: 0 universe, 253 link */
	bool stale;               /* not seen again by a resync dump yet */
	uint8_t addr[16];
};

struct xsm_nic_counters {
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_packets, tx_packets;
	uint64_t rx_errors, tx_errors;
	uint64_t rx_dropped, tx_dropped;
};

/* Linux bonding, per slave, as IFLA_INFO_SLAVE_DATA carries it. */
struct xsm_nic_slave {
	bool valid;
	uint8_t state;            /* 0 active, 1 backup */
	uint8_t mii_status;       /* 0 up, 1 fail, 2 down, 3 going back */
	uint16_t aggregator_id;   /* 802.3ad, 0 when not sent */
	int16_t actor_state;      /* LACP port state bits, -1 not sent */
	int16_t partner_state;
};

struct xsm_nic {
	int ifindex;
	char name[16];
	char kind[16];            /* IFLA_INFO_KIND: bridge, bond, veth, "" */
	char slave_kind[16];      /* IFLA_INFO_SLAVE_KIND: bond, bridge, "" */
	int master;               /* IFLA_MASTER ifindex, 0 none */
	unsigned flags;           /* ifi_flags: IFF_UP, IFF_LOWER_UP... */
	uint8_t operstate;        /* IF_OPER_* */
	int8_t carrier;           /* IFLA_CARRIER, -1 not sent */
	bool stale;               /* not seen again by a resync dump yet */
	uint32_t carrier_changes; /* IFLA_CARRIER_CHANGES */
	bool has_carrier_changes;
	uint32_t mtu;
	struct xsm_nic_slave slave;
	uint8_t n_addrs;
	bool addrs_dropped;       /* more than XSM_NIC_ADDRS_MAX */
	struct xsm_nic_addr addrs[XSM_NIC_ADDRS_MAX];
	bool has_stats;
	struct xsm_nic_counters ctr;
};

/* An uplink of an OVS bridge from `ovs-appctl dpif/show` (nics_ovsdp.h):
 * internal, patch and guest ports are left out. */
struct xsm_nics_ovs_port {
	char bridge[16];
	char name[16];
};

/* OVS bonds from `ovs-appctl bond/show` (nics_bond.h parses it). */
struct xsm_nics_ovs_slave {
	char name[16];
	bool enabled;
	bool active;
};

struct xsm_nics_ovs_bond {
	char name[32];
	char mode[24];            /* bond_mode: active-backup, balance-slb... */
	char lacp[16];            /* lacp_status: off, negotiated... */
	unsigned n_slaves;
	struct xsm_nics_ovs_slave slaves[XSM_NIC_SLAVES_MAX];
};

/* Linux bonding from /proc/net/bonding/NAME. */
struct xsm_nics_bond_proc {
	bool valid;
	char mode[48];
	char active[16];          /* "Currently Active Slave", "" none */
	char mii[8];              /* the bond's "MII Status" */
	bool lacp;                /* 802.3ad */
	uint16_t aggregator_id;   /* the active aggregator, 0 unknown */
	unsigned n_slaves;
	struct {
		char name[16];
		bool mii_up;
		uint16_t aggregator_id;
		char speed[16];
		unsigned link_failures;
	} slaves[XSM_NIC_SLAVES_MAX];
};

/* Where the roles came from. */
enum xsm_nics_role_kind {
	XSM_NICS_ROLE_MANAGEMENT,
	XSM_NICS_ROLE_STORAGE,
};

struct xsm_nics_role {
	enum xsm_nics_role_kind kind;
	char name[16];            /* as configured or discovered */
	int ifindex;              /* bound link, 0 missing */
	bool ever_bound;          /* 0 after a bind: deleted, not absent */
};

/* Carrier changes of one judged link, in a ring (monotonic usec). */
struct xsm_nic_flap {
	uint64_t at[XSM_NIC_FLAP_RING];
	unsigned head, n;
	uint32_t last_changes;    /* kernel carrier_changes seen last */
	bool primed;              /* last_changes is meaningful */
	bool flapping;
	uint64_t last_mono;       /* the latest change */
	unsigned episode_count;   /* changes counted when flapping began */
};

/* One judged interface: a role interface or one beneath it. */
struct xsm_nics_judged {
	int ifindex;              /* 0: a missing role interface */
	char name[16];
	int role;                 /* index in roles[] */
	int lower_of;             /* ifindex of the role link above, 0 none */
	bool direct;              /* an uplink of the role link itself (its
	                           * port, or its OVS bridge's port), not a
	                           * bond slave further down */
	bool in_use;
	enum xsm_status status;
	char reason[XSM_NIC_REASON_MAX];
	uint64_t since_usec;      /* wall */
	uint64_t transitions;
	struct xsm_nic_flap flap;
	/* Counter rates over the last counters interval. */
	bool rates_valid;
	double rx_bps, tx_bps;    /* bytes per second */
	double error_rate, drop_rate;  /* rx+tx per second */
	struct xsm_nic_counters prev;
	uint64_t prev_mono;
	bool prev_valid;
	int32_t speed_mbps;       /* sysfs, -1 unknown */
	char duplex[8];           /* sysfs, "" unknown */
	struct xsm_nics_bond_proc bond;  /* when it is a Linux bond */
};

struct xsm_nics_view {
	/* Every link, sorted by ifindex. */
	struct xsm_nic *links;
	unsigned n_links, cap;
	uint64_t links_overflow;  /* links not tracked (table full) */
	uint64_t addrs_overflow;  /* addresses not kept */

	/* Roles and where they came from. */
	unsigned n_roles;
	struct xsm_nics_role roles[XSM_NICS_ROLES_MAX];
	char role_source[16];     /* "config", "inventory" or "" */
	char role_problem[XSM_NIC_REASON_MAX]; /* management unknown: why */

	unsigned n_judged;
	struct xsm_nics_judged judged[XSM_NICS_JUDGED_MAX];
	uint64_t judged_overflow;

	/* OVS, when ovs_appctl is present. */
	char ovs_state[XSM_NIC_REASON_MAX]; /* "absent", "ok", or what failed:
	                           * "ovs-appctl bond/show: timeout" */
	unsigned n_ovs_bonds;
	struct xsm_nics_ovs_bond ovs_bonds[XSM_NICS_OVS_BONDS_MAX];
	unsigned n_ovs_ports;
	struct xsm_nics_ovs_port ovs_ports[XSM_NICS_OVS_PORTS_MAX];
	uint64_t ovs_ports_overflow;  /* uplinks beyond the table */

	/* The netlink side. */
	uint64_t events;          /* netlink messages applied */
	uint64_t bad_messages;    /* skipped by the walker */
	uint64_t foreign_messages; /* link messages of another family
	                           * (AF_BRIDGE port info): not the link's */
	uint64_t resyncs;         /* receive buffer overruns (ENOBUFS), each
	                           * asking for a full dump */
	uint64_t dump_intr;       /* dumps the kernel flagged inconsistent
	                           * (NLM_F_DUMP_INTR), done again */
	uint64_t dump_failures;   /* dumps that failed, retried on a timer */
	uint64_t dumps;           /* counter dumps */
	unsigned rcvbuf;          /* effective SO_RCVBUF (read back) */
	uint64_t samples;         /* evaluations */
};

/* Frees the link table; the view is then empty but reusable. */
void xsm_nics_view_free(struct xsm_nics_view *v);

#endif
