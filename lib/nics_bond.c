/* SPDX-License-Identifier: ISC */
/* nics_bond.c: /proc/net/bonding, ovs-appctl bond/show and the inventory. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nics_bond.h"

#define LINE_MAX_LEN 256

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "Key: value" with the key matched exactly; returns the value or NULL. */
static const char *
kv(char *line, const char *key)
{
	char *s = trim(line);
	size_t n = strlen(key);

	if (strncmp(s, key, n) != 0 || s[n] != ':')
		return NULL;
	return trim(s + n + 1);
}

static unsigned
num(const char *s)
{
	unsigned long v = strtoul(s, NULL, 10);

	return v > 65535 ? 65535 : (unsigned)v;
}

bool
xsm_nics_ifname_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 16 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) ||
		    (unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* One line of /proc/net/bonding; slave is the current slave or NULL. */
static void
proc_line(struct xsm_nics_bond_proc *b, char *line, int *slave,
    bool *in_agg)
{
	char copy[LINE_MAX_LEN];
	const char *v;

	xsm_strlcpy(copy, line, sizeof(copy));
#define KV(k) (xsm_strlcpy(copy, line, sizeof(copy)), v = kv(copy, k))
	if (KV("Slave Interface") != NULL) {
		*in_agg = false;
		if (b->n_slaves >= XSM_NIC_SLAVES_MAX) {
			*slave = -2;  /* past the cap: ignore its lines */
			return;
		}
		*slave = (int)b->n_slaves++;
		xsm_strlcpy(b->slaves[*slave].name, v,
		    sizeof(b->slaves[*slave].name));
		return;
	}
	if (*slave == -2)
		return;
	if (*slave >= 0) {
		if (KV("MII Status") != NULL)
			b->slaves[*slave].mii_up = strcmp(v, "up") == 0;
		else if (KV("Speed") != NULL)
			xsm_strlcpy(b->slaves[*slave].speed, v,
			    sizeof(b->slaves[*slave].speed));
		else if (KV("Link Failure Count") != NULL)
			b->slaves[*slave].link_failures = num(v);
		else if (KV("Aggregator ID") != NULL)
			b->slaves[*slave].aggregator_id = (uint16_t)num(v);
		return;
	}
	if (KV("Bonding Mode") != NULL) {
		xsm_strlcpy(b->mode, v, sizeof(b->mode));
		b->valid = true;
		b->lacp = strstr(v, "802.3ad") != NULL;
	} else if (KV("Currently Active Slave") != NULL) {
		xsm_strlcpy(b->active, strcmp(v, "None") == 0 ? "" : v,
		    sizeof(b->active));
	} else if (KV("MII Status") != NULL) {
		xsm_strlcpy(b->mii, v, sizeof(b->mii));
	} else if (KV("Active Aggregator Info") != NULL) {
		*in_agg = true;
	} else if (*in_agg && KV("Aggregator ID") != NULL) {
		b->aggregator_id = (uint16_t)num(v);
		*in_agg = false;
	}
#undef KV
}

int
xsm_nics_parse_proc_bonding(const char *text, struct xsm_nics_bond_proc *out)
{
	char line[LINE_MAX_LEN];
	int slave = -1;
	bool in_agg = false;

	memset(out, 0, sizeof(*out));
	while (xsm_next_line(&text, line, sizeof(line)))
		proc_line(out, line, &slave, &in_agg);
	return out->valid ? 0 : -EINVAL;
}

/* "slave eth0: enabled" or "member eth0: disabled": the name and state. */
static bool
ovs_slave_line(char *s, struct xsm_nics_ovs_slave *sl)
{
	char *name, *colon;

	if (strncmp(s, "slave ", 6) == 0)
		name = s + 6;
	else if (strncmp(s, "member ", 7) == 0)
		name = s + 7;
	else
		return false;
	if ((colon = strchr(name, ':')) == NULL)
		return false;
	*colon = '\0';
	memset(sl, 0, sizeof(*sl));
	xsm_strlcpy(sl->name, trim(name), sizeof(sl->name));
	sl->enabled = strcmp(trim(colon + 1), "enabled") == 0;
	return true;
}

static void
ovs_line(struct xsm_nics_ovs_bond *b, char *line, bool *in_slave)
{
	char *s = trim(line), copy[LINE_MAX_LEN];
	const char *v;
	struct xsm_nics_ovs_slave sl;

	if (ovs_slave_line(s, &sl)) {
		*in_slave = b->n_slaves < XSM_NIC_SLAVES_MAX;
		if (*in_slave)
			b->slaves[b->n_slaves++] = sl;
		return;
	}
	if (*in_slave && (strcmp(s, "active slave") == 0 ||
	    strcmp(s, "active member") == 0)) {
		b->slaves[b->n_slaves - 1].active = true;
		return;
	}
	xsm_strlcpy(copy, s, sizeof(copy));
	if ((v = kv(copy, "bond_mode")) != NULL)
		xsm_strlcpy(b->mode, v, sizeof(b->mode));
	xsm_strlcpy(copy, s, sizeof(copy));
	if ((v = kv(copy, "lacp_status")) != NULL)
		xsm_strlcpy(b->lacp, v, sizeof(b->lacp));
}

/* "---- bond0 ----": the bond's name into name. */
static bool
ovs_header(const char *line, char *name, size_t size)
{
	const char *s = line, *e;

	if (strncmp(s, "---- ", 5) != 0)
		return false;
	s += 5;
	if ((e = strstr(s, " ----")) == NULL || e == s)
		return false;
	if ((size_t)(e - s) >= size)
		e = s + size - 1;
	memcpy(name, s, (size_t)(e - s));
	name[e - s] = '\0';
	return true;
}

int
xsm_nics_parse_ovs_bonds(const char *text, struct xsm_nics_ovs_bond *out,
    unsigned max, unsigned *n)
{
	char line[LINE_MAX_LEN], name[32];
	struct xsm_nics_ovs_bond *cur = NULL;
	bool in_slave = false, any = false;

	*n = 0;
	while (xsm_next_line(&text, line, sizeof(line))) {
		if (trim(line)[0] != '\0')
			any = true;
		if (ovs_header(line, name, sizeof(name))) {
			cur = *n < max ? &out[(*n)++] : NULL;
			if (cur != NULL) {
				memset(cur, 0, sizeof(*cur));
				xsm_strlcpy(cur->name, name, sizeof(cur->name));
			}
			in_slave = false;
			continue;
		}
		if (cur != NULL)
			ovs_line(cur, line, &in_slave);
	}
	return *n == 0 && any ? -EINVAL : 0;
}

int
xsm_nics_inventory_management(const char *text, char *out, size_t size)
{
	char line[LINE_MAX_LEN], *v, *e;
	static const char key[] = "MANAGEMENT_INTERFACE=";

	while (xsm_next_line(&text, line, sizeof(line))) {
		v = trim(line);
		if (strncmp(v, key, sizeof(key) - 1) != 0)
			continue;
		v = trim(v + sizeof(key) - 1);
		if (*v == '\'' || *v == '"') {
			if ((e = strchr(v + 1, *v)) == NULL)
				return -EINVAL;
			*e = '\0';
			v++;
		}
		if (*v == '\0')
			return -ENOENT;
		if (!xsm_nics_ifname_valid(v))
			return -EINVAL;
		xsm_strlcpy(out, v, size);
		return 0;
	}
	return -ENOENT;
}
