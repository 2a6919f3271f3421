/* SPDX-License-Identifier: ISC */
/*
 * control.h: private to control.c (the listener, peer checks, the
 * public xsmd_control_* API) and control_conn.c (one client's I/O).
 */
#ifndef XSMD_CONTROL_H
#define XSMD_CONTROL_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "xsmd.h"

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn) entry;  /* least recently active first */
	struct xsmd_control *ctl;
	int fd;
	struct ucred peer;
	struct xsm_buf in;            /* capped at request_max */
	struct xsm_buf out;           /* capped at output_max */
	size_t out_high;              /* stop reading above this */
	ev_io rio;
	ev_io wio;                    /* active only while out is pending */
	ev_timer idle;                /* idle_timeout from the last request */
	uint64_t requests;            /* complete requests answered */
	ev_tstamp moved;              /* reply bytes last left (or accept) */
	bool eof;                     /* peer shut down its side */
	bool closing;                 /* fatal reply queued: flush, close */
	bool subscriber;              /* after subscribe: an alert stream */
	bool head_mid;                /* out starts in mid-line (part sent) */
	size_t sub_max;               /* a subscriber's backlog cap */
};

TAILQ_HEAD(ctl_conn_list, ctl_conn);

struct xsmd_control {
	struct xsmd *d;
	int fd;
	bool activated;               /* systemd's socket: never unlink it */
	bool bound;                   /* we made path: unlink it on stop */
	dev_t sock_dev;
	ino_t sock_ino;
	char path[XSM_SOCKET_PATH_MAX];
	char group[64];
	bool have_gid;
	bool no_peergroups;           /* kernel < 4.13, said so once */
	gid_t gid;
	uid_t euid;
	ev_io accept_io;
	ev_timer accept_pause;
	bool paused_logged;
	struct ctl_conn_list conns;
	unsigned nconns;
	uint64_t refused;
	unsigned nsubs;               /* of nconns, subscribers */
	uint64_t subs_dropped;        /* cut off as slow_subscriber */
};

/*
 * Takes an accepted, authorised fd as a client with the limits of the
 * current config. At the client cap a client that is idle, done, or not
 * reading its replies is closed to make room (policy at the top of
 * control_conn.c); when there is none, the newcomer is refused with
 * "busy" instead.
 */
void xsmd_ctl_conn_new(struct xsmd_control *ctl, int fd,
    const struct ucred *peer);

/* Resumes a paused accept watcher: a client closed, a descriptor is free. */
void xsmd_ctl_fd_freed(struct xsmd_control *ctl);

/* Closes a client and frees everything it holds. */
void xsmd_ctl_conn_close(struct ctl_conn *c);

/*
 * Sends one best-effort error line on fd and discards what the peer has
 * sent. Only for sockets with nothing else queued (fresh, or with no
 * reply pending), so the line goes out whole or not at all.
 */
void xsmd_ctl_send_error(int fd, const char *code, const char *msg);

/*
 * control_sub.c: answers "subscribe" on c (the ack, or busy when half
 * the slots are subscribers already); from then on c only streams.
 */
void xsmd_ctl_subscribe(struct ctl_conn *c);

/* A subscriber is readable: EOF or stray bytes end it. False: close. */
bool xsmd_ctl_sub_read(struct ctl_conn *c);

/* A subscriber sent more than its request: usage error, then close. */
void xsmd_ctl_sub_stray(struct ctl_conn *c);

/* Bytes left c's backlog (or it emptied): re-arms the stall deadline. */
void xsmd_ctl_sub_moved(struct ctl_conn *c);

/* The idle timer of a subscriber: its backlog stalled, or its grace
 * period after a cut-off ended. */
void xsmd_ctl_sub_timer(struct ctl_conn *c);

/* xsmd_ctl_send_error(), then counts a refusal and closes fd. */
void xsmd_ctl_refuse(struct xsmd_control *ctl, int fd, const char *code,
    const char *msg);

#endif
