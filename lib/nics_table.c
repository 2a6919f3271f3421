/* SPDX-License-Identifier: ISC */
/* nics_table.c: the link table, keyed by ifindex. */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nics_table.h"

/* Index of ifindex, or of where it would be inserted (*found false). */
static unsigned
lookup(const struct xsm_nics_view *v, int ifindex, bool *found)
{
	unsigned lo = 0, hi = v->n_links, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v->links[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < v->n_links && v->links[lo].ifindex == ifindex;
	return lo;
}

struct xsm_nic *
xsm_nics_find(struct xsm_nics_view *v, int ifindex)
{
	bool found;
	unsigned i = lookup(v, ifindex, &found);

	return found ? &v->links[i] : NULL;
}

const struct xsm_nic *
xsm_nics_find_const(const struct xsm_nics_view *v, int ifindex)
{
	bool found;
	unsigned i = lookup(v, ifindex, &found);

	return found ? &v->links[i] : NULL;
}

const struct xsm_nic *
xsm_nics_find_name(const struct xsm_nics_view *v, const char *name)
{
	for (unsigned i = 0; i < v->n_links; i++)
		if (strcmp(v->links[i].name, name) == 0)
			return &v->links[i];
	return NULL;
}

static void
remove_at(struct xsm_nics_view *v, unsigned i)
{
	memmove(&v->links[i], &v->links[i + 1],
	    (v->n_links - i - 1) * sizeof(v->links[0]));
	v->n_links--;
}

static int
grow(struct xsm_nics_view *v)
{
	unsigned cap = v->cap ? v->cap * 2 : 16;
	struct xsm_nic *n;

	if (cap > XSM_NICS_LINKS_MAX)
		cap = XSM_NICS_LINKS_MAX;
	n = realloc(v->links, cap * sizeof(*n));
	if (n == NULL)
		return -ENOMEM;
	v->links = n;
	v->cap = cap;
	return 0;
}

static void
fill(struct xsm_nic *n, const struct xsm_nl_link *l)
{
	n->ifindex = l->ifindex;
	if (l->name[0] != '\0')
		xsm_strlcpy(n->name, l->name, sizeof(n->name));
	xsm_strlcpy(n->kind, l->kind, sizeof(n->kind));
	xsm_strlcpy(n->slave_kind, l->slave_kind, sizeof(n->slave_kind));
	n->master = l->master;
	n->flags = l->flags;
	if (l->operstate >= 0)
		n->operstate = (uint8_t)l->operstate;
	n->carrier = (int8_t)l->carrier;
	if (l->carrier_changes >= 0) {
		n->carrier_changes = (uint32_t)l->carrier_changes;
		n->has_carrier_changes = true;
	}
	if (l->mtu >= 0)
		n->mtu = (uint32_t)l->mtu;
	n->slave = l->slave;
	if (l->has_stats) {
		n->has_stats = true;
		n->ctr = l->ctr;
	}
	n->stale = false;
}

int
xsm_nics_link_apply(struct xsm_nics_view *v, const struct xsm_nl_link *l)
{
	bool found;
	unsigned i = lookup(v, l->ifindex, &found);
	int r;

	if (l->del) {
		if (found)
			remove_at(v, i);
		return 0;
	}
	if (!found) {
		if (v->n_links >= XSM_NICS_LINKS_MAX) {
			v->links_overflow++;
			return -ENOSPC;
		}
		if (v->n_links == v->cap && (r = grow(v)) < 0)
			return r;
		memmove(&v->links[i + 1], &v->links[i],
		    (v->n_links - i) * sizeof(v->links[0]));
		memset(&v->links[i], 0, sizeof(v->links[i]));
		v->n_links++;
	}
	fill(&v->links[i], l);
	return 0;
}

static bool
same_addr(const struct xsm_nic_addr *a, const struct xsm_nic_addr *b)
{
	return a->family == b->family && a->prefixlen == b->prefixlen &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

bool
xsm_nics_addr_apply(struct xsm_nics_view *v, const struct xsm_nl_addr *a)
{
	struct xsm_nic *n = xsm_nics_find(v, a->ifindex);
	unsigned i;

	if (n == NULL)
		return false;
	for (i = 0; i < n->n_addrs; i++)
		if (same_addr(&n->addrs[i], &a->a))
			break;
	if (a->del) {
		if (i == n->n_addrs)
			return false;
		memmove(&n->addrs[i], &n->addrs[i + 1],
		    (n->n_addrs - i - 1) * sizeof(n->addrs[0]));
		n->n_addrs--;
		return true;
	}
	if (i < n->n_addrs) {
		bool changed = n->addrs[i].scope != a->a.scope;

		n->addrs[i] = a->a;
		n->addrs[i].stale = false;
		return changed;
	}
	if (n->n_addrs >= XSM_NIC_ADDRS_MAX) {
		n->addrs_dropped = true;
		v->addrs_overflow++;
		return false;
	}
	n->addrs[n->n_addrs] = a->a;
	n->addrs[n->n_addrs].stale = false;
	n->n_addrs++;
	return true;
}

void
xsm_nics_mark_links(struct xsm_nics_view *v)
{
	for (unsigned i = 0; i < v->n_links; i++)
		v->links[i].stale = true;
}

void
xsm_nics_mark_addrs(struct xsm_nics_view *v)
{
	for (unsigned i = 0; i < v->n_links; i++) {
		v->links[i].addrs_dropped = false;
		for (unsigned j = 0; j < v->links[i].n_addrs; j++)
			v->links[i].addrs[j].stale = true;
	}
}

unsigned
xsm_nics_sweep_links(struct xsm_nics_view *v)
{
	unsigned i = 0, dropped = 0;

	while (i < v->n_links) {
		if (v->links[i].stale) {
			remove_at(v, i);
			dropped++;
		} else {
			i++;
		}
	}
	return dropped;
}

unsigned
xsm_nics_sweep_addrs(struct xsm_nics_view *v)
{
	unsigned dropped = 0;

	for (unsigned i = 0; i < v->n_links; i++) {
		struct xsm_nic *n = &v->links[i];
		unsigned k = 0;

		for (unsigned j = 0; j < n->n_addrs; j++) {
			if (n->addrs[j].stale)
				dropped++;
			else
				n->addrs[k++] = n->addrs[j];
		}
		n->n_addrs = (uint8_t)k;
	}
	return dropped;
}

char *
xsm_nics_addr_str(const struct xsm_nic_addr *a, char *out, size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	if (inet_ntop(a->family == AF_INET ? AF_INET :
	    AF_INET6, a->addr, ip, sizeof(ip)) == NULL)
		xsm_strlcpy(ip, "?", sizeof(ip));
	snprintf(out, size, "%s/%u", ip, a->prefixlen);
	return out;
}

bool
xsm_nics_addr_usable(const struct xsm_nic_addr *a)
{
	return a->scope < 200;  /* RT_SCOPE_UNIVERSE or SITE, not LINK/HOST */
}

void
xsm_nics_view_free(struct xsm_nics_view *v)
{
	free(v->links);
	v->links = NULL;
	v->n_links = v->cap = 0;
}
