/* SPDX-License-Identifier: ISC */
/*
 * nics_sock.c: rtnetlink for the nics watcher.
 *
 * Ordering: a dump's view of a link can be older than a multicast event
 * already applied (the two sockets are read independently). A resync
 * during which events arrived is therefore repeated, at most
 * RESYNC_REPEAT times in a row; counter dumps take only the counters, so
 * they can never roll a link's state back.
 */
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "nics_eval.h"
#include "nics_sock.h"
#include "nics_table.h"
#include "xsmd.h"

#define NL_BUFSIZE 32768       /* what iproute2 uses; dumps fill 32 KiB */
#define RESYNC_REPEAT 3
#define DRAIN_MAX 256          /* datagrams per wakeup, then yield */
#define EPISODE_QUIET_USEC (10 * XSM_USEC_PER_SEC) /* no overrun: it is over */
#define RETRY_MAX_SHIFT 6      /* the retry backs off up to 64 s */

static void start_next(struct xsmd_nics_nl *nl);
static void schedule_retry(struct xsmd_nics_nl *nl);

/* --- applying messages ------------------------------------------------- */

/* name is an OVS bridge's uplink or an OVS bond's member. */
static bool
ovs_port(const struct xsm_nics_view *v, const char *name)
{
	for (unsigned i = 0; i < v->n_ovs_ports; i++)
		if (strcmp(v->ovs_ports[i].name, name) == 0)
			return true;
	for (unsigned i = 0; i < v->n_ovs_bonds; i++)
		for (unsigned k = 0; k < v->ovs_bonds[i].n_slaves; k++)
			if (strcmp(v->ovs_bonds[i].slaves[k].name, name) == 0)
				return true;
	return false;
}

static void
sink_link(void *arg, const struct xsm_nl_link *l)
{
	struct xsmd_nics_nl *nl = arg;
	const struct xsm_nic *o = xsm_nics_find_const(nl->v, l->ifindex);
	int r;

	if (xsm_nics_judged_find(nl->v, l->ifindex) != NULL)
		nl->judged_touched = true;
	if (o != NULL && !l->del && o->carrier != l->carrier &&
	    ovs_port(nl->v, o->name))
		nl->ovs_carrier = true;
	r = xsm_nics_link_apply(nl->v, l);
	if (r == -ENOMEM)
		log_warnx("nics: no memory for link %d, ignoring", l->ifindex);
}

/* Counter dumps only refresh the counters of links we already know. */
static void
sink_counters(void *arg, const struct xsm_nl_link *l)
{
	struct xsmd_nics_nl *nl = arg;
	struct xsm_nic *n = xsm_nics_find(nl->v, l->ifindex);

	if (n != NULL && l->has_stats && !l->del) {
		n->ctr = l->ctr;
		n->has_stats = true;
	}
}

static void
sink_addr(void *arg, const struct xsm_nl_addr *a)
{
	struct xsmd_nics_nl *nl = arg;

	if (xsm_nics_judged_find(nl->v, a->ifindex) != NULL)
		nl->judged_touched = true;
	xsm_nics_addr_apply(nl->v, a);
}

/* --- dumps --------------------------------------------------------------- */

static int
send_dump(struct xsmd_nics_nl *nl, uint16_t type)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl->dq, h, h->nlmsg_len) < 0)
		return -errno;
	return 0;
}

static void
start_next(struct xsmd_nics_nl *nl)
{
	enum xsmd_nics_dump kind;
	int r;

	if (nl->dump != XSMD_NICS_DUMP_NONE)
		return;
	if (nl->want_resync)
		kind = XSMD_NICS_DUMP_RESYNC;
	else if (nl->want_counters)
		kind = XSMD_NICS_DUMP_COUNTERS;
	else
		return;
	if (ev_is_active(&nl->retry))
		return;   /* backing off: the retry timer starts it */
	if ((r = send_dump(nl, RTM_GETLINK)) < 0) {
		errno = -r;
		if (nl->failures == 0)
			log_warn("nics: cannot ask for a link dump");
		schedule_retry(nl);
		return;
	}
	if (kind == XSMD_NICS_DUMP_RESYNC) {
		nl->want_resync = false;
		nl->events_during = false;
		xsm_nics_mark_links(nl->v);
	}
	nl->want_counters = false;
	nl->addrs_phase = false;
	nl->intr = false;
	nl->dump = kind;
}

/* A dump failed or stayed inconsistent: ask again later, backing off. */
static void
schedule_retry(struct xsmd_nics_nl *nl)
{
	unsigned shift = nl->failures < RETRY_MAX_SHIFT ? nl->failures :
	    RETRY_MAX_SHIFT;

	nl->failures++;
	nl->v->dump_failures++;
	if (ev_is_active(&nl->retry))
		return;
	ev_timer_set(&nl->retry, (double)(1u << shift), 0.);
	ev_timer_start(nl->loop, &nl->retry);
}

static void
retry_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct xsmd_nics_nl *nl = t->data;

	start_next(nl);
}

void
xsmd_nics_nl_request(struct xsmd_nics_nl *nl, enum xsmd_nics_dump kind)
{
	if (kind == XSMD_NICS_DUMP_RESYNC)
		nl->want_resync = true;
	else if (kind == XSMD_NICS_DUMP_COUNTERS)
		nl->want_counters = true;
	start_next(nl);
}

/*
 * The resync's links or addresses came back flagged NLM_F_DUMP_INTR: the
 * kernel's list changed under the dump, so sweeping would drop what is
 * there. Do it again at once a few times, then on the retry timer.
 */
static void
resync_interrupted(struct xsmd_nics_nl *nl)
{
	nl->v->dump_intr++;
	nl->want_resync = true;
	if (nl->redumps < RESYNC_REPEAT) {
		nl->redumps++;
		return;
	}
	nl->redumps = 0;
	schedule_retry(nl);
}

/* The dump under way ended (DONE or an error): the next step. */
static enum xsmd_nics_dump
dump_done(struct xsmd_nics_nl *nl, int err)
{
	enum xsmd_nics_dump kind = nl->dump;
	int r;

	nl->dump = XSMD_NICS_DUMP_NONE;
	if (err < 0) {
		errno = -err;
		if (nl->failures == 0)
			log_warn("nics: dump failed, retrying");
		if (kind == XSMD_NICS_DUMP_RESYNC)
			nl->want_resync = true;
		else
			nl->want_counters = true;
		schedule_retry(nl);
		return XSMD_NICS_DUMP_NONE;
	}
	if (kind == XSMD_NICS_DUMP_RESYNC && nl->intr) {
		resync_interrupted(nl);
		return XSMD_NICS_DUMP_NONE;
	}
	if (kind == XSMD_NICS_DUMP_RESYNC && !nl->addrs_phase) {
		xsm_nics_sweep_links(nl->v);
		if ((r = send_dump(nl, RTM_GETADDR)) == 0) {
			xsm_nics_mark_addrs(nl->v);
			nl->addrs_phase = true;
			nl->dump = kind;
			return XSMD_NICS_DUMP_NONE;   /* not complete yet */
		}
		errno = -r;
		log_warn("nics: cannot ask for an address dump");
		nl->want_resync = true;
		schedule_retry(nl);
		return XSMD_NICS_DUMP_NONE;
	}
	if (kind == XSMD_NICS_DUMP_RESYNC) {
		xsm_nics_sweep_addrs(nl->v);
		if (nl->events_during && nl->redumps < RESYNC_REPEAT) {
			nl->redumps++;
			nl->want_resync = true;
		} else {
			nl->redumps = 0;
		}
	} else {
		nl->v->dumps++;
	}
	nl->failures = 0;
	return kind;
}

/* --- reading ------------------------------------------------------------- */

static void
dq_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct xsmd_nics_nl *nl = io->data;
	struct xsm_nl_sink sink = { sink_link, sink_addr, nl };
	struct xsm_nl_result res;
	enum xsmd_nics_dump done = XSMD_NICS_DUMP_NONE;
	ssize_t n;

	for (unsigned i = 0; i < DRAIN_MAX; i++) {
		n = recv(mnl_socket_get_fd(nl->dq), nl->buf, nl->bufsize,
		    MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0) {
			log_warn("nics: reading a dump");
			done = dump_done(nl, -errno);
			break;
		}
		if ((size_t)n > nl->bufsize) {
			nl->v->bad_messages++;   /* truncated datagram */
			continue;
		}
		if (nl->dump == XSMD_NICS_DUMP_NONE)
			continue;   /* leftovers of an abandoned dump */
		if (nl->dump == XSMD_NICS_DUMP_COUNTERS)
			sink.link = sink_counters;
		else
			sink.link = sink_link;
		xsm_nl_walk(nl->buf, (size_t)n, &sink, &res);
		nl->v->bad_messages += res.bad;
		nl->v->foreign_messages += res.foreign;
		if (res.intr)
			nl->intr = true;
		if (res.done && res.done_seq == nl->seq) {
			enum xsmd_nics_dump k = dump_done(nl, res.error);

			if (k != XSMD_NICS_DUMP_NONE)
				done = k;
			start_next(nl);
			if (done != XSMD_NICS_DUMP_NONE)
				break;
		}
	}
	if (nl->batch != NULL)
		nl->batch(nl->arg, done);
	nl->judged_touched = nl->ovs_carrier = false;
}

static void
mc_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct xsmd_nics_nl *nl = io->data;
	struct xsm_nl_sink sink = { sink_link, sink_addr, nl };
	struct xsm_nl_result res;
	bool any = false;
	ssize_t n;

	for (unsigned i = 0; i < DRAIN_MAX; i++) {
		n = recv(mnl_socket_get_fd(nl->mc), nl->buf, nl->bufsize,
		    MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == ENOBUFS) {
			/* Lost events: only a full dump can say what is true. */
			nl->last_enobufs = xsmd_now_mono();
			if (!nl->enobufs)
				log_warnx("nics: netlink receive buffer overrun "
				    "(rcvbuf %u), resyncing with a full dump",
				    nl->v->rcvbuf);
			nl->enobufs = true;
			nl->v->resyncs++;
			xsmd_nics_nl_request(nl, XSMD_NICS_DUMP_RESYNC);
			continue;
		}
		if (n < 0)
			break;   /* EAGAIN, or nothing we can act on */
		if ((size_t)n > nl->bufsize) {
			nl->v->bad_messages++;
			continue;
		}
		xsm_nl_walk(nl->buf, (size_t)n, &sink, &res);
		nl->v->bad_messages += res.bad;
		nl->v->foreign_messages += res.foreign;
		nl->v->events += res.messages;
		any = true;
	}
	if (any && nl->dump == XSMD_NICS_DUMP_RESYNC)
		nl->events_during = true;
	if (any && nl->enobufs && nl->dump == XSMD_NICS_DUMP_NONE &&
	    !nl->want_resync &&
	    xsmd_now_mono() - nl->last_enobufs >= EPISODE_QUIET_USEC) {
		nl->enobufs = false;   /* the episode is over */
		log_info("nics: netlink overruns over, %llu resyncs so far, "
		    "%u links", (unsigned long long)nl->v->resyncs,
		    nl->v->n_links);
	}
	if (nl->batch != NULL)
		nl->batch(nl->arg, XSMD_NICS_DUMP_NONE);
	nl->judged_touched = nl->ovs_carrier = false;
}

/* --- open, close ----------------------------------------------------------- */

void
xsmd_nics_nl_rcvbuf(struct xsmd_nics_nl *nl, unsigned rcvbuf)
{
	int fd = mnl_socket_get_fd(nl->mc), v = (int)rcvbuf;
	socklen_t len = sizeof(v);

	/* SO_RCVBUFFORCE would need CAP_NET_ADMIN: stay within rmem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
		log_warn("nics: SO_RCVBUF %u", rcvbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0)
		nl->v->rcvbuf = (unsigned)v;
}

/* What mnl_socket_open2 would have done (libmnl >= 1.0.4 only). */
static int
fd_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

static int
open_sockets(struct xsmd_nics_nl *nl)
{
	unsigned groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;

	nl->mc = mnl_socket_open(NETLINK_ROUTE);
	nl->dq = mnl_socket_open(NETLINK_ROUTE);
	if (nl->mc == NULL || nl->dq == NULL)
		return -errno;
	if (fd_flags(mnl_socket_get_fd(nl->mc)) < 0 ||
	    fd_flags(mnl_socket_get_fd(nl->dq)) < 0)
		return -errno;
	/* AUTOPID: a second netlink socket in the process must not clash. */
	if (mnl_socket_bind(nl->mc, groups, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(nl->dq, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	return 0;
}

int
xsmd_nics_nl_open(struct xsmd_nics_nl *nl, struct ev_loop *loop,
    struct xsm_nics_view *v, unsigned rcvbuf)
{
	int r;

	nl->loop = loop;
	nl->v = v;
	nl->bufsize = NL_BUFSIZE;
	if ((nl->buf = malloc(nl->bufsize)) == NULL)
		return -ENOMEM;
	if ((r = open_sockets(nl)) < 0) {
		xsmd_nics_nl_close(nl);
		return r;
	}
	xsmd_nics_nl_rcvbuf(nl, rcvbuf);
	ev_io_init(&nl->mc_io, mc_cb, mnl_socket_get_fd(nl->mc), EV_READ);
	ev_io_init(&nl->dq_io, dq_cb, mnl_socket_get_fd(nl->dq), EV_READ);
	nl->mc_io.data = nl->dq_io.data = nl;
	ev_io_start(loop, &nl->mc_io);
	ev_io_start(loop, &nl->dq_io);
	ev_init(&nl->retry, retry_cb);
	nl->retry.data = nl;
	xsmd_nics_nl_request(nl, XSMD_NICS_DUMP_RESYNC);
	return 0;
}

void
xsmd_nics_nl_close(struct xsmd_nics_nl *nl)
{
	if (nl->loop != NULL) {
		ev_io_stop(nl->loop, &nl->mc_io);
		ev_io_stop(nl->loop, &nl->dq_io);
		ev_timer_stop(nl->loop, &nl->retry);
	}
	if (nl->mc != NULL)
		mnl_socket_close(nl->mc);
	if (nl->dq != NULL)
		mnl_socket_close(nl->dq);
	nl->mc = nl->dq = NULL;
	free(nl->buf);
	nl->buf = NULL;
}
