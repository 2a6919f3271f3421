/* SPDX-License-Identifier: ISC */
/*
 * nl_build.h: rtnetlink messages built by hand for the unit tests (the
 * link and address messages the kernel sends), shared by check_nics.c
 * and check_alert.c. Include after the linux/ and arpa/inet headers.
 */
#ifndef XSM_TEST_NL_BUILD_H
#define XSM_TEST_NL_BUILD_H

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct msg {
	uint8_t buf[4096];
	size_t len;       /* bytes of complete messages */
	size_t start;     /* the message being built */
};

static inline void
m_begin(struct msg *m, uint16_t type, const void *hdr, size_t hlen)
{
	struct nlmsghdr h = { .nlmsg_type = type };

	m->start = m->len;
	memcpy(m->buf + m->len, &h, sizeof(h));
	m->len += NLMSG_HDRLEN;
	memcpy(m->buf + m->len, hdr, hlen);
	m->len += NLMSG_ALIGN(hlen);
}

static inline void
m_attr(struct msg *m, uint16_t type, const void *d, size_t len)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(len),
	    .rta_type = type };

	memcpy(m->buf + m->len, &a, sizeof(a));
	memcpy(m->buf + m->len + sizeof(a), d, len);
	m->len += RTA_ALIGN(a.rta_len);
}

static inline void
m_end(struct msg *m)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->buf + m->start);

	h->nlmsg_len = (uint32_t)(m->len - m->start);
}

static inline void
m_link(struct msg *m, uint16_t type, int ifindex, unsigned flags,
    const char *name, int master, uint32_t changes)
{
	struct ifinfomsg ifi = { .ifi_index = ifindex, .ifi_flags = flags };
	uint32_t mtu = 1500, u = (uint32_t)master;
	uint8_t carrier = (flags & IFF_LOWER_UP) != 0, op = carrier ? 6 : 2;

	m_begin(m, type, &ifi, sizeof(ifi));
	m_attr(m, IFLA_IFNAME, name, strlen(name) + 1);
	m_attr(m, IFLA_MTU, &mtu, 4);
	m_attr(m, IFLA_OPERSTATE, &op, 1);
	m_attr(m, IFLA_CARRIER, &carrier, 1);
	m_attr(m, IFLA_CARRIER_CHANGES, &changes, 4);
	if (master)
		m_attr(m, IFLA_MASTER, &u, 4);
	m_end(m);
}

static inline void
m_addr(struct msg *m, uint16_t type, int ifindex, const char *ip, int plen)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen =
	    (uint8_t)plen, .ifa_index = (unsigned)ifindex };
	uint8_t a[4];

	inet_pton(AF_INET, ip, a);
	m_begin(m, type, &ifa, sizeof(ifa));
	m_attr(m, IFA_LOCAL, a, 4);
	m_end(m);
}

#endif
