/* SPDX-License-Identifier: ISC */
/*
 * nics_ovs.h: Open vSwitch through a short-lived ovs-appctl, run every
 * bond_interval when ovs_appctl exists: `bond/show` (the bonds), then
 * `dpif/show` (which ports belong to which bridge). Each child's output
 * (stdout and stderr) is read through a non-blocking pipe on the loop,
 * its exit through ev_child, and a deadline kills its process group, so
 * a hung ovs-vswitchd can never stall xsmond. A failure or a timeout
 * clears what the last run said and becomes ovs_state.
 */
#ifndef XSMD_NICS_OVS_H
#define XSMD_NICS_OVS_H

#include <sys/types.h>
#include <ev.h>

#include "xsm.h"
#include "nics.h"

enum xsmd_ovs_step { XSMD_OVS_BONDS, XSMD_OVS_PORTS, XSMD_OVS_STEPS };

struct xsmd_nics_ovs {
	struct ev_loop *loop;
	struct xsm_nics_view *v;
	char path[256];
	uint64_t interval_usec;
	ev_timer tick;            /* the poll */
	ev_timer kick;            /* a poll soon, after a carrier change */
	ev_timer deadline;        /* kill a child that takes too long */
	ev_io out;                /* its stdout and stderr */
	ev_child child;
	pid_t pid;
	int fd;
	enum xsmd_ovs_step step;  /* the command running */
	bool exited, eof, timed_out;
	int wstatus;
	struct xsm_buf text;      /* capped */
	void (*changed)(void *arg);
	void *arg;
};

/* Starts polling (state "absent" when path is not executable). */
void xsmd_nics_ovs_start(struct xsmd_nics_ovs *o, struct ev_loop *loop,
    struct xsm_nics_view *v, const char *path, uint64_t interval_usec);

/* Polls again within a second (several calls in that second: one poll). */
void xsmd_nics_ovs_kick(struct xsmd_nics_ovs *o);

/* Stops polling and kills a running child (SIGKILL, reaped). */
void xsmd_nics_ovs_stop(struct xsmd_nics_ovs *o);

/* Seconds a child may run before it is killed. */
#define XSMD_OVS_DEADLINE_SEC 5.0

#endif
