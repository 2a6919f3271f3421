/* SPDX-License-Identifier: ISC */
/*
 * nics_sock.h: xsmond's two rtnetlink sockets. One is bound to the link and
 * address multicast groups and read until EAGAIN on every wakeup; the
 * other carries dumps (the initial table, resyncs after ENOBUFS, counter
 * samples), so the multicast one keeps running meanwhile. Both are
 * non-blocking; nothing here ever waits.
 */
#ifndef XSMD_NICS_SOCK_H
#define XSMD_NICS_SOCK_H

#include <ev.h>
#include <libmnl/libmnl.h>

#include "nics.h"

enum xsmd_nics_dump {
	XSMD_NICS_DUMP_NONE,
	XSMD_NICS_DUMP_RESYNC,     /* links and addresses replace the table */
	XSMD_NICS_DUMP_COUNTERS,   /* links: counters only */
};

struct xsmd_nics_nl {
	struct ev_loop *loop;
	struct xsm_nics_view *v;
	struct mnl_socket *mc, *dq;
	ev_io mc_io, dq_io;
	uint8_t *buf;
	size_t bufsize;

	enum xsmd_nics_dump dump;  /* under way */
	bool addrs_phase;          /* resync: the address half */
	uint32_t seq;
	bool want_resync, want_counters;
	bool events_during;        /* multicast news while a resync ran */
	unsigned redumps;          /* resyncs repeated for that, in a row */
	bool enobufs;              /* in an ENOBUFS episode (logged once) */
	uint64_t last_enobufs;     /* monotonic usec of the latest overrun */
	bool judged_touched;       /* a judged link changed in this batch */
	bool ovs_carrier;          /* an OVS port's carrier changed in it */
	bool intr;                 /* the dump under way was interrupted */
	ev_timer retry;            /* one-shot: a failed dump again */
	unsigned failures;         /* in a row: the retry backs off */

	/* Called after every batch of messages; done says which dump ended. */
	void (*batch)(void *arg, enum xsmd_nics_dump done);
	void *arg;
};

/*
 * Opens both sockets (mnl_socket_open, then O_NONBLOCK and FD_CLOEXEC by
 * fcntl: mnl_socket_open2 needs libmnl 1.0.4, EL7 ships 1.0.3; bound with
 * MNL_SOCKET_AUTOPID), asks rcvbuf for the multicast
 * one (the kernel caps it at net.core.rmem_max) and reads back the
 * effective size into v->rcvbuf, starts the watchers and the initial
 * dump. Returns 0 or -errno (everything closed again).
 */
int xsmd_nics_nl_open(struct xsmd_nics_nl *nl, struct ev_loop *loop,
    struct xsm_nics_view *v, unsigned rcvbuf);

/* Stops the watchers and closes both sockets. Safe twice. */
void xsmd_nics_nl_close(struct xsmd_nics_nl *nl);

/*
 * Asks for a dump; one runs at a time, a resync wins over counters. A
 * dump that fails (or that the kernel keeps flagging NLM_F_DUMP_INTR)
 * is asked again by a one-shot timer, 1 s then doubling up to 64 s.
 */
void xsmd_nics_nl_request(struct xsmd_nics_nl *nl, enum xsmd_nics_dump kind);

/* Asks the multicast socket for another receive buffer size. */
void xsmd_nics_nl_rcvbuf(struct xsmd_nics_nl *nl, unsigned rcvbuf);

#endif
