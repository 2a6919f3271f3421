/* SPDX-License-Identifier: ISC */
/*
 * nics_ovs.h: `ovs-appctl bond/show`, run as a child every bond_interval
 * when ovs_appctl exists: its output is read through a non-blocking pipe
 * on the loop, its exit through ev_child, and a deadline kills it, so
 * a hung ovs-vswitchd can never stall xsmond.
 */
#ifndef XSMD_NICS_OVS_H
#define XSMD_NICS_OVS_H

#include <sys/types.h>
#include <ev.h>

#include "xsm.h"
#include "nics.h"

struct xsmd_nics_ovs {
	struct ev_loop *loop;
	struct xsm_nics_view *v;
	char path[256];
	uint64_t interval_usec;
	ev_timer tick;            /* the poll */
	ev_timer deadline;        /* kill a child that takes too long */
	ev_io out;                /* its stdout */
	ev_child child;
	pid_t pid;
	int fd;
	bool exited, eof, timed_out;
	int wstatus;
	struct xsm_buf text;      /* capped */
	void (*changed)(void *arg);
	void *arg;
};

/* Starts polling (state "absent" when path is not executable). */
void xsmd_nics_ovs_start(struct xsmd_nics_ovs *o, struct ev_loop *loop,
    struct xsm_nics_view *v, const char *path, uint64_t interval_usec);

/* Stops polling and kills a running child (SIGKILL, reaped). */
void xsmd_nics_ovs_stop(struct xsmd_nics_ovs *o);

#endif
