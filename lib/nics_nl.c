/* SPDX-License-Identifier: ISC */
/*
 * nics_nl.c: the rtnetlink walker. Only the kernel's uapi headers are
 * used (no libmnl: lib/ is pure and fuzzed on its own).
 */
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <string.h>

#include "nics_nl.h"

/* Attribute iteration with every length checked against the parent. */
struct attr_it {
	const uint8_t *p, *end;
	bool bad;
};

static void
it_init(struct attr_it *it, const void *p, size_t len)
{
	it->p = p;
	it->end = (const uint8_t *)p + len;
	it->bad = false;
}

/* The next attribute: type (without flags), payload and its length. */
static bool
it_next(struct attr_it *it, unsigned *type, const void **data, size_t *len)
{
	struct rtattr rta;
	size_t left = (size_t)(it->end - it->p), step;

	if (left < sizeof(rta))
		return false;   /* trailing padding is allowed */
	memcpy(&rta, it->p, sizeof(rta));
	if (rta.rta_len < sizeof(rta) || rta.rta_len > left) {
		it->bad = true;
		return false;
	}
	*type = rta.rta_type & NLA_TYPE_MASK;
	*data = it->p + RTA_LENGTH(0);
	*len = rta.rta_len - RTA_LENGTH(0);
	step = RTA_ALIGN(rta.rta_len);
	it->p += step < left ? step : left;
	return true;
}

static bool
get_u32(const void *d, size_t len, uint32_t *v)
{
	if (len < sizeof(*v))
		return false;
	memcpy(v, d, sizeof(*v));
	return true;
}

static bool
get_u16(const void *d, size_t len, uint16_t *v)
{
	if (len < sizeof(*v))
		return false;
	memcpy(v, d, sizeof(*v));
	return true;
}

static bool
get_u8(const void *d, size_t len, uint8_t *v)
{
	if (len < 1)
		return false;
	*v = *(const uint8_t *)d;
	return true;
}

/* A NUL-terminated string attribute into out (cut to fit). */
static void
get_str(const void *d, size_t len, char *out, size_t size)
{
	size_t n = strnlen(d, len);

	if (n >= size)
		n = size - 1;
	memcpy(out, d, n);
	out[n] = '\0';
}

static bool
parse_slave_data(struct xsm_nl_link *l, const void *d, size_t len)
{
	struct attr_it it;
	const void *ad;
	size_t alen;
	unsigned t;
	uint8_t u8;
	uint16_t u16;

	it_init(&it, d, len);
	l->slave.actor_state = l->slave.partner_state = -1;
	while (it_next(&it, &t, &ad, &alen)) {
		switch (t) {
		case IFLA_BOND_SLAVE_STATE:
			if (get_u8(ad, alen, &u8))
				l->slave.state = u8, l->slave.valid = true;
			break;
		case IFLA_BOND_SLAVE_MII_STATUS:
			if (get_u8(ad, alen, &u8))
				l->slave.mii_status = u8;
			break;
		case IFLA_BOND_SLAVE_AD_AGGREGATOR_ID:
			if (get_u16(ad, alen, &u16))
				l->slave.aggregator_id = u16;
			break;
		case IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE:
			if (get_u8(ad, alen, &u8))
				l->slave.actor_state = u8;
			break;
		case IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE:
			if (get_u16(ad, alen, &u16))
				l->slave.partner_state = (int16_t)(u16 & 0xff);
			else if (get_u8(ad, alen, &u8))
				l->slave.partner_state = u8;
			break;
		default:
			break;
		}
	}
	return !it.bad;
}

static bool
parse_linkinfo(struct xsm_nl_link *l, const void *d, size_t len)
{
	struct attr_it it;
	const void *ad;
	size_t alen;
	unsigned t;
	bool ok = true;

	it_init(&it, d, len);
	while (it_next(&it, &t, &ad, &alen)) {
		if (t == IFLA_INFO_KIND)
			get_str(ad, alen, l->kind, sizeof(l->kind));
		else if (t == IFLA_INFO_SLAVE_KIND)
			get_str(ad, alen, l->slave_kind, sizeof(l->slave_kind));
		else if (t == IFLA_INFO_SLAVE_DATA)
			ok = parse_slave_data(l, ad, alen) && ok;
	}
	/* Slave data belongs to bonding only; bridge ports send their own. */
	if (strcmp(l->slave_kind, "bond") != 0)
		memset(&l->slave, 0, sizeof(l->slave));
	return ok && !it.bad;
}

static void
parse_stats64(struct xsm_nl_link *l, const void *d, size_t len)
{
	struct rtnl_link_stats64 s;

	if (len < offsetof(struct rtnl_link_stats64, multicast))
		return;
	memset(&s, 0, sizeof(s));
	memcpy(&s, d, len < sizeof(s) ? len : sizeof(s));
	l->has_stats = true;
	l->ctr.rx_bytes = s.rx_bytes;
	l->ctr.tx_bytes = s.tx_bytes;
	l->ctr.rx_packets = s.rx_packets;
	l->ctr.tx_packets = s.tx_packets;
	l->ctr.rx_errors = s.rx_errors;
	l->ctr.tx_errors = s.tx_errors;
	l->ctr.rx_dropped = s.rx_dropped;
	l->ctr.tx_dropped = s.tx_dropped;
}

static bool
parse_link(const struct nlmsghdr *h, const uint8_t *pl, size_t plen,
    struct xsm_nl_link *l)
{
	struct ifinfomsg ifi;
	struct attr_it it;
	const void *d;
	size_t len;
	unsigned t;
	uint32_t u32;
	uint8_t u8;
	bool ok = true;

	if (plen < sizeof(ifi))
		return false;
	memcpy(&ifi, pl, sizeof(ifi));
	if (ifi.ifi_index <= 0)
		return false;
	memset(l, 0, sizeof(*l));
	l->del = h->nlmsg_type == RTM_DELLINK;
	l->ifindex = ifi.ifi_index;
	l->flags = ifi.ifi_flags;
	l->mtu = l->operstate = l->carrier = -1;
	l->carrier_changes = -1;
	it_init(&it, pl + NLMSG_ALIGN(sizeof(ifi)),
	    plen > NLMSG_ALIGN(sizeof(ifi)) ? plen - NLMSG_ALIGN(sizeof(ifi)) : 0);
	while (it_next(&it, &t, &d, &len)) {
		switch (t) {
		case IFLA_IFNAME:
			get_str(d, len, l->name, sizeof(l->name));
			break;
		case IFLA_MTU:
			if (get_u32(d, len, &u32))
				l->mtu = (int)(u32 > 0x7fffffff ? 0x7fffffff : u32);
			break;
		case IFLA_MASTER:
			if (get_u32(d, len, &u32))
				l->master = (int)(u32 > 0x7fffffff ? 0 : u32);
			break;
		case IFLA_OPERSTATE:
			if (get_u8(d, len, &u8))
				l->operstate = u8;
			break;
		case IFLA_CARRIER:
			if (get_u8(d, len, &u8))
				l->carrier = u8 != 0;
			break;
		case IFLA_CARRIER_CHANGES:
			if (get_u32(d, len, &u32))
				l->carrier_changes = u32;
			break;
		case IFLA_STATS64:
			parse_stats64(l, d, len);
			break;
		case IFLA_LINKINFO:
			ok = parse_linkinfo(l, d, len) && ok;
			break;
		default:
			break;
		}
	}
	return ok && !it.bad;
}

static bool
parse_addr(const struct nlmsghdr *h, const uint8_t *pl, size_t plen,
    struct xsm_nl_addr *a)
{
	struct ifaddrmsg ifa;
	struct attr_it it;
	const void *d, *local = NULL, *address = NULL;
	size_t len, llen = 0, alen = 0, want;
	unsigned t;

	if (plen < sizeof(ifa))
		return false;
	memcpy(&ifa, pl, sizeof(ifa));
	if (ifa.ifa_family == AF_INET)
		want = 4;
	else if (ifa.ifa_family == AF_INET6)
		want = 16;
	else
		return true;    /* not ours; not malformed either */
	memset(a, 0, sizeof(*a));
	a->del = h->nlmsg_type == RTM_DELADDR;
	a->ifindex = (int)ifa.ifa_index;
	a->a.family = ifa.ifa_family;
	a->a.prefixlen = ifa.ifa_prefixlen;
	a->a.scope = ifa.ifa_scope;
	it_init(&it, pl + NLMSG_ALIGN(sizeof(ifa)),
	    plen > NLMSG_ALIGN(sizeof(ifa)) ? plen - NLMSG_ALIGN(sizeof(ifa)) : 0);
	while (it_next(&it, &t, &d, &len)) {
		if (t == IFA_LOCAL)
			local = d, llen = len;
		else if (t == IFA_ADDRESS)
			address = d, alen = len;
	}
	/* IFA_LOCAL is the host's own address on point-to-point links. */
	if (local != NULL && llen >= want)
		memcpy(a->a.addr, local, want);
	else if (address != NULL && alen >= want)
		memcpy(a->a.addr, address, want);
	else
		return false;
	return !it.bad && a->ifindex > 0;
}

/*
 * The bridge layer (and others) send RTM_NEWLINK/RTM_DELLINK of their
 * own family on the same group: an AF_BRIDGE RTM_DELLINK on "nomaster"
 * means the port left, not that the link is gone.
 */
static bool
foreign_family(const uint8_t *pl, size_t plen)
{
	struct ifinfomsg ifi;

	if (plen < sizeof(ifi))
		return false;   /* parse_link counts it bad */
	memcpy(&ifi, pl, sizeof(ifi));
	return ifi.ifi_family != AF_UNSPEC;
}

void
xsm_nl_walk(const void *buf, size_t len, const struct xsm_nl_sink *sink,
    struct xsm_nl_result *res)
{
	const uint8_t *p = buf;
	struct nlmsghdr h;
	struct xsm_nl_link l;
	struct xsm_nl_addr a;
	struct nlmsgerr e;
	size_t step, plen;

	memset(res, 0, sizeof(*res));
	while (len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len) {
			res->bad++;
			return;
		}
		plen = h.nlmsg_len - NLMSG_HDRLEN;
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			res->intr = true;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			res->done = true;
			res->done_seq = h.nlmsg_seq;
			break;
		case NLMSG_ERROR:
			if (plen >= sizeof(e)) {
				memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
				res->error = e.error < 0 ? e.error : 0;
				/* error 0 is an ack, not the end of a dump */
				if (e.error != 0) {
					res->done = true;
					res->done_seq = h.nlmsg_seq;
				}
			} else {
				res->bad++;
			}
			break;
		case RTM_NEWLINK:
		case RTM_DELLINK:
			if (foreign_family(p + NLMSG_HDRLEN, plen))
				res->foreign++;
			else if (parse_link(&h, p + NLMSG_HDRLEN, plen, &l)) {
				res->messages++;
				if (sink->link != NULL)
					sink->link(sink->arg, &l);
			} else {
				res->bad++;
			}
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			memset(&a, 0, sizeof(a));
			if (!parse_addr(&h, p + NLMSG_HDRLEN, plen, &a))
				res->bad++;
			else if (a.ifindex > 0) {
				res->messages++;
				if (sink->addr != NULL)
					sink->addr(sink->arg, &a);
			}
			break;
		default:
			break;
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
}
