/* SPDX-License-Identifier: ISC */
/*
 * nics_nl.h: a pure walker over rtnetlink datagrams (RTM_NEWLINK,
 * RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR, NLMSG_DONE, NLMSG_ERROR). It
 * never trusts a length: a truncated header, an nlmsg_len past the
 * buffer, a short payload or an attribute that overruns its parent ends
 * or skips that message, counted in bad. It is the netlink fuzz target.
 */
#ifndef XSM_NICS_NL_H
#define XSM_NICS_NL_H

#include "nics.h"

/* One parsed link message; absent attributes keep their "unset" value. */
struct xsm_nl_link {
	bool del;                 /* RTM_DELLINK */
	int ifindex;
	unsigned flags;
	char name[16];            /* "" when IFLA_IFNAME was not sent */
	char kind[16];
	char slave_kind[16];
	int master;               /* 0 when not sent */
	int mtu;                  /* -1 when not sent */
	int operstate;            /* -1 when not sent */
	int carrier;              /* -1 when not sent */
	int64_t carrier_changes;  /* -1 when not sent */
	bool has_stats;
	struct xsm_nic_counters ctr;
	struct xsm_nic_slave slave;
};

struct xsm_nl_addr {
	bool del;                 /* RTM_DELADDR */
	int ifindex;
	struct xsm_nic_addr a;
};

enum xsm_nl_what { XSM_NL_LINK, XSM_NL_ADDR };

struct xsm_nl_sink {
	void (*link)(void *arg, const struct xsm_nl_link *l);
	void (*addr)(void *arg, const struct xsm_nl_addr *a);
	void *arg;
};

struct xsm_nl_result {
	unsigned messages;        /* link and address messages delivered */
	unsigned bad;             /* malformed messages skipped */
	unsigned foreign;         /* link messages with ifi_family other than
	                           * AF_UNSPEC (AF_BRIDGE port state): they
	                           * describe a bridge port, not the link, and
	                           * are skipped; not malformed */
	bool intr;                /* a part carried NLM_F_DUMP_INTR: the
	                           * dump is inconsistent, do it again */
	bool done;                /* NLMSG_DONE seen (end of a dump) */
	int error;                /* NLMSG_ERROR's -errno, 0 none */
	uint32_t done_seq;        /* nlmsg_seq of the DONE or ERROR */
};

/*
 * Walks len bytes of one datagram, calls the sink for every well-formed
 * link and address message, and fills *res. Other types are ignored,
 * and so are link messages of a family other than AF_UNSPEC: an
 * AF_BRIDGE RTM_DELLINK only says the link left a bridge.
 * Stops at the first header that does not fit (counted bad).
 */
void xsm_nl_walk(const void *buf, size_t len, const struct xsm_nl_sink *sink,
    struct xsm_nl_result *res);

#endif
