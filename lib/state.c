/* SPDX-License-Identifier: ISC */
/*
 * state.c: the check table, edges and the overall status.
 *
 * Every watcher ends in xsm_state_apply(); a change of status is an edge
 * kept in a small ring that the daemon drains once per loop iteration, so
 * logging and notification happen in one place and only on edges.
 */
#include <errno.h>
#include <string.h>

#include "alert.h"
#include "state.h"

static const char *const check_names[XSM_CHECK__MAX] = {
	[XSM_CHECK_LOGFS] = "logfs",
	[XSM_CHECK_XENSTORE] = "xenstore",
	[XSM_CHECK_RSYSLOG] = "rsyslog",
	[XSM_CHECK_NICS] = "nics",
};

const char *
xsm_check_name(enum xsm_check_id id)
{
	if ((unsigned)id >= XSM_CHECK__MAX)
		return "?";
	return check_names[id];
}

int
xsm_check_lookup(const char *name)
{
	for (int i = 0; i < XSM_CHECK__MAX; i++)
		if (strcmp(name, check_names[i]) == 0)
			return i;
	return -ENOENT;
}

void
xsm_state_init(struct xsm_state *st)
{
	xsm_zero(st, sizeof(*st));
	for (int i = 0; i < XSM_CHECK__MAX; i++)
		st->checks[i].status = XSM_UNKNOWN;
}

void
xsm_state_register(struct xsm_state *st, enum xsm_check_id id,
    uint64_t now_usec)
{
	struct xsm_check *c = &st->checks[id];

	memset(c, 0, sizeof(*c));
	c->present = true;
	c->status = XSM_UNKNOWN;
	xsm_strlcpy(c->reason, "starting", sizeof(c->reason));
	c->since_usec = now_usec;
	c->updated_usec = now_usec;
	st->generation++;
}

void
xsm_state_unregister(struct xsm_state *st, enum xsm_check_id id)
{
	st->checks[id].present = false;
	st->generation++;
}

/* The slot for a new edge, with its seq; the oldest goes when full. */
static struct xsm_edge *
queue_slot(struct xsm_state *st)
{
	struct xsm_edge *e;

	if (st->edge_count == XSM_EDGE_QUEUE && st->edge_full != NULL)
		st->edge_full(st->edge_full_arg);
	if (st->edge_count == XSM_EDGE_QUEUE) {
		/* Keep the newest: the oldest edge is already outdated. */
		st->edge_head = (st->edge_head + 1) % XSM_EDGE_QUEUE;
		st->edge_count--;
		st->edges_dropped++;
	}
	e = &st->edges[(st->edge_head + st->edge_count) % XSM_EDGE_QUEUE];
	st->edge_count++;
	st->generation++;
	memset(e, 0, sizeof(*e));
	e->seq = ++st->edge_seq;
	return e;
}

static void
queue_edge(struct xsm_state *st, enum xsm_check_id id, enum xsm_status old,
    const struct xsm_check *c)
{
	struct xsm_edge *e = queue_slot(st);

	e->check = id;
	e->old_status = old;
	e->new_status = c->status;
	e->at_usec = c->since_usec;
	xsm_strlcpy(e->reason, c->reason, sizeof(e->reason));
	/* The event id and figures from the check's view, as it is now. */
	xsm_alert_check_edge(st, e);
}

uint64_t
xsm_state_item(struct xsm_state *st, const struct xsm_edge *in)
{
	struct xsm_edge *e;
	uint64_t seq;

	if ((unsigned)in->check >= XSM_CHECK__MAX || !st->checks[in->check].present)
		return 0;
	e = queue_slot(st);
	seq = e->seq;
	*e = *in;
	e->seq = seq;
	e->event[sizeof(e->event) - 1] = '\0';
	e->subject[sizeof(e->subject) - 1] = '\0';
	e->reason[sizeof(e->reason) - 1] = '\0';
	if (e->n_figs > XSM_ALERT_FIGS)
		e->n_figs = XSM_ALERT_FIGS;
	return seq;
}

bool
xsm_state_apply(struct xsm_state *st, enum xsm_check_id id,
    enum xsm_status status, const char *reason, uint64_t now_usec)
{
	struct xsm_check *c;
	enum xsm_status old;

	if ((unsigned)id >= XSM_CHECK__MAX || !st->checks[id].present)
		return false;
	c = &st->checks[id];
	c->updated_usec = now_usec;
	/*
	 * c->reason holds at most sizeof - 1 bytes of a longer reason, so
	 * compare only those: a full strcmp would always differ and bump
	 * the generation (re-rendering the cached status) on every apply.
	 */
	if (strncmp(c->reason, reason, sizeof(c->reason) - 1) != 0) {
		xsm_strlcpy(c->reason, reason, sizeof(c->reason));
		st->generation++;
	}
	if (c->status == status)
		return false;
	old = c->status;
	c->status = status;
	c->since_usec = now_usec;
	c->transitions++;
	st->generation++;
	queue_edge(st, id, old, c);
	return true;
}

void
xsm_state_touch(struct xsm_state *st)
{
	st->generation++;
}

enum xsm_status
xsm_state_overall(const struct xsm_state *st, int *worst_id)
{
	enum xsm_status worst = XSM_OK;
	int id = -1;

	for (int i = 0; i < XSM_CHECK__MAX; i++) {
		const struct xsm_check *c = &st->checks[i];

		if (!c->present)
			continue;
		if (id < 0 || xsm_status_rank(c->status) > xsm_status_rank(worst)) {
			worst = c->status;
			id = i;
		}
	}
	if (worst_id != NULL)
		*worst_id = worst == XSM_OK ? -1 : id;
	return worst;
}

int
xsm_state_pop_edge(struct xsm_state *st, struct xsm_edge *out)
{
	if (st->edge_count == 0)
		return 0;
	*out = st->edges[st->edge_head];
	st->edge_head = (st->edge_head + 1) % XSM_EDGE_QUEUE;
	st->edge_count--;
	return 1;
}
