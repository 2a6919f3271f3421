/* SPDX-License-Identifier: ISC */
/*
 * nics_sys.h: the small files the nics watcher reads: sysfs speed and
 * duplex, /proc/net/bonding/NAME and /etc/xensource-inventory. Each is
 * a few hundred bytes on a pseudo or local filesystem, read only on
 * events that concern a role interface, at the counters tick and at
 * (re)start.
 */
#ifndef XSMD_NICS_SYS_H
#define XSMD_NICS_SYS_H

#include "nics.h"

/* Reads up to size - 1 bytes of path into buf (NUL-terminated). Returns
 * the length or -errno. */
ssize_t xsmd_nics_read_small(const char *path, char *buf, size_t size);

/* Speed, duplex and (for bonds) /proc/net/bonding of every judged link. */
void xsmd_nics_sys_refresh(struct xsm_nics_view *v);

#endif
