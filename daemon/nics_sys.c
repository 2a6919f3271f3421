/* SPDX-License-Identifier: ISC */
/* nics_sys.c: sysfs and procfs facts about the judged links. */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nics_bond.h"
#include "nics_sys.h"
#include "nics_table.h"

ssize_t
xsmd_nics_read_small(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

/*
 * Speed reads EINVAL on a link that is down (and on veth before 5.x it
 * reads 10000 regardless): whatever the kernel says, else unknown (-1).
 */
static void
read_speed(const char *name, struct xsm_nics_judged *j)
{
	char path[64], buf[32];
	long s;

	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", name);
	j->speed_mbps = -1;
	if (xsmd_nics_read_small(path, buf, sizeof(buf)) > 0) {
		s = strtol(buf, NULL, 10);
		if (s > 0 && s < 10000000)
			j->speed_mbps = (int32_t)s;
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/duplex", name);
	j->duplex[0] = '\0';
	if (xsmd_nics_read_small(path, buf, sizeof(buf)) > 0 &&
	    j->speed_mbps >= 0) {
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, "unknown") != 0)
			xsm_strlcpy(j->duplex, buf, sizeof(j->duplex));
	}
}

static void
read_bond(const char *name, struct xsm_nics_judged *j)
{
	char path[64], *buf;
	size_t size = 16384;

	snprintf(path, sizeof(path), "/proc/net/bonding/%s", name);
	if ((buf = malloc(size)) == NULL)
		return;
	if (xsmd_nics_read_small(path, buf, size) > 0)
		xsm_nics_parse_proc_bonding(buf, &j->bond);
	else
		memset(&j->bond, 0, sizeof(j->bond));
	free(buf);
}

void
xsmd_nics_sys_refresh(struct xsm_nics_view *v)
{
	for (unsigned i = 0; i < v->n_judged; i++) {
		struct xsm_nics_judged *j = &v->judged[i];
		const struct xsm_nic *n = j->ifindex ?
		    xsm_nics_find_const(v, j->ifindex) : NULL;

		if (n == NULL)
			continue;
		read_speed(n->name, j);
		if (strcmp(n->kind, "bond") == 0)
			read_bond(n->name, j);
	}
}
