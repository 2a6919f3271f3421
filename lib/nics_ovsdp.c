/* SPDX-License-Identifier: ISC */
/* nics_ovsdp.c: `ovs-appctl dpif/show` into bridge -> uplink ports. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "nics_bond.h"
#include "nics_eval.h"
#include "nics_ovsdp.h"

#define LINE_MAX_LEN 256

/* "  xenbr0:" (a bridge: one word and a colon); the name into out. */
static bool
bridge_line(const char *s, char *out, size_t size)
{
	size_t n = strlen(s);

	if (n < 2 || s[n - 1] != ':' || strpbrk(s, " \t@") != NULL)
		return false;
	if (n - 1 >= size)
		return false;
	memcpy(out, s, n - 1);
	out[n - 1] = '\0';
	return xsm_nics_ifname_valid(out);
}

/* "eth0 1/2: (system)": the name and the type ("system", "internal"). */
static bool
port_line(const char *s, char *name, size_t nsize, char *type, size_t tsize)
{
	const char *sp = strchr(s, ' '), *lp, *e;
	size_t n;

	if (sp == NULL || (size_t)(sp - s) >= nsize)
		return false;
	n = (size_t)(sp - s);
	memcpy(name, s, n);
	name[n] = '\0';
	if (!xsm_nics_ifname_valid(name) || (lp = strchr(sp, '(')) == NULL)
		return false;
	lp++;
	e = lp + strcspn(lp, ":)");
	n = (size_t)(e - lp);
	if (n >= tsize)
		n = tsize - 1;
	memcpy(type, lp, n);
	type[n] = '\0';
	return true;
}

int
xsm_nics_parse_ovs_dpif(const char *text, struct xsm_nics_ovs_port *out,
    unsigned max, unsigned *n, uint64_t *overflow)
{
	char line[LINE_MAX_LEN], bridge[16] = "", name[16], type[32];
	const char *s;
	bool datapath = false, seen = false, any = false;

	*n = 0;
	*overflow = 0;
	while (xsm_next_line(&text, line, sizeof(line))) {
		s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			continue;
		any = true;
		if (s == line) {
			/* "system@ovs-system: ..." or "netdev@ovs-netdev: ..." */
			datapath = strchr(s, '@') != NULL;
			seen = seen || datapath;
			bridge[0] = '\0';
			continue;
		}
		if (!datapath)
			continue;
		if (bridge_line(s, name, sizeof(name))) {
			xsm_strlcpy(bridge, name, sizeof(bridge));
			continue;
		}
		if (bridge[0] == '\0' || !port_line(s, name, sizeof(name),
		    type, sizeof(type)))
			continue;
		if (strcmp(type, "internal") == 0 || strcmp(type, "patch") == 0 ||
		    xsm_nics_guest_name(name))
			continue;
		if (*n >= max) {
			(*overflow)++;
			continue;
		}
		xsm_strlcpy(out[*n].bridge, bridge, sizeof(out[*n].bridge));
		xsm_strlcpy(out[*n].name, name, sizeof(out[*n].name));
		(*n)++;
	}
	return any && !seen ? -EINVAL : 0;
}
