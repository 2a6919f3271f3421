/* SPDX-License-Identifier: ISC */
/*
 * xs_worker.c: the worker thread and its jobs (see xs_worker.h).
 *
 * Thread count, measured with the shimmed xenstored: libxenstore starts a
 * reader thread on the first xs_watch of a handle. Watches live on their
 * own handle (its reader feeds the watch pipe the loop drains); requests
 * go through a second handle that never watches, so it has no reader and
 * a request costs ~14 us instead of ~47 us through a reader's hand-off.
 * The worker is created per job and exits after it: idle, xsmond has the
 * main thread and that one reader (measured: 2 threads). A persistent
 * worker would be a third thread asleep all day to save ~30 us per job;
 * jobs are rare when idle anyway, since the periodic probe goes through
 * xs_sentinel.c without libxenstore or a thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xs_worker.h"
#include "xsmd.h"

struct xsmd_xs_worker {
	pthread_mutex_t mu;
	struct ev_loop *loop;
	ev_async *async;
	struct xsmd_xs_job *job;
	bool busy;
	bool done;
	bool abandoned;
	struct xsmd_xs_conn *orphan;  /* to close when abandoned */
};

/*
 * One line of requests: a handle and what went wrong on it. A facts job
 * spreads its domains over XSMD_XS_LANES lanes, each on a thread and a
 * handle of its own: libxenstore waits for each reply before the next
 * request, and xenstored serves several connections in turn, so 4 lanes
 * read 1000 domains about 4 times faster than one (measured with the
 * shimmed C xenstored: 78 us per request on one handle, 16 us on four).
 */
struct lane {
	struct xsmd_xs_job *j;
	struct xs_handle *h;
	int err;
	const char *err_op;
	unsigned requests;
	unsigned first, step;         /* the job's ids first, first + step, ... */
	pthread_t tid;
};

/* Answers from xenstored (an error reply); anything else: handle dead. */
static bool
answered(int e)
{
	switch (e) {
	case ENOENT: case EACCES: case EPERM: case EINVAL: case EEXIST:
	case EISDIR: case ENOSPC: case EROFS: case EBUSY: case EAGAIN:
	case EISCONN: case E2BIG: case ENOMEM: case EDQUOT:
		return true;
	default:
		return false;
	}
}

static void
fail(struct lane *l, const char *op, int e)
{
	if (l->err == 0) {
		l->err = e != 0 ? e : EIO;
		l->err_op = op;
	}
}

/* xs_read; NULL for an answer like ENOENT, and on failure (l->err set). */
static char *
rd(struct lane *l, const char *path, unsigned *len)
{
	char *v;

	l->requests++;
	v = xs_read(l->h, XBT_NULL, path, len);
	if (v == NULL && !answered(errno))
		fail(l, "read", errno);
	return v;
}

static char **
ls(struct lane *l, const char *path, unsigned *num)
{
	char **v;

	l->requests++;
	v = xs_directory(l->h, XBT_NULL, path, num);
	if (v == NULL) {
		*num = 0;
		if (!answered(errno))
			fail(l, "directory", errno);
	}
	return v;
}

static bool
has(char **names, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Reads base/key into the facts as key. */
static void
fact(struct lane *l, struct xsm_xs_facts *f, const char *base,
    const char *key)
{
	char path[512];
	unsigned len;
	char *v;

	snprintf(path, sizeof(path), "%s/%s", base, key);
	if ((v = rd(l, path, &len)) == NULL)
		return;
	xsm_xs_facts_set(f, key, v, len);
	free(v);
}

static void
read_control(struct lane *l, struct xsm_xs_facts *f, const char *base)
{
	char path[512], key[300];
	unsigned n;
	char **names;

	snprintf(path, sizeof(path), "%s/control", base);
	names = ls(l, path, &n);
	for (unsigned i = 0; i < n && l->err == 0; i++) {
		if (strncmp(names[i], "feature-", 8) != 0)
			continue;
		snprintf(key, sizeof(key), "control/%s", names[i]);
		fact(l, f, base, key);
	}
	free(names);
}

/* Feeds a backend state read from path (no-op when absent). */
static bool
backend_state(struct lane *l, struct xsm_xs_facts *f, const char *path,
    const char *kind, uint32_t devid)
{
	char key[64], *v;
	unsigned len;

	if ((v = rd(l, path, &len)) == NULL)
		return false;
	snprintf(key, sizeof(key), "device/%s/%u/backend-state", kind, devid);
	xsm_xs_facts_set(f, key, v, len);
	free(v);
	return true;
}

/*
 * The device's backend state: dom0's backend path first (one request,
 * where XenServer's backends live), else through the frontend's link
 * (a driver domain).
 */
static void
read_backend(struct lane *l, struct xsm_xs_facts *f, const char *base,
    const char *kind, uint32_t devid)
{
	char path[512], kb[16], *link;
	uint32_t bdom, fdom, bdev;
	unsigned len;

	snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u/%u/state",
	    kind, f->domid, devid);
	if (backend_state(l, f, path, kind, devid) || l->err != 0)
		return;
	snprintf(path, sizeof(path), "%s/device/%s/%u/backend", base, kind, devid);
	if ((link = rd(l, path, &len)) == NULL)
		return;
	/* A guest can point its link anywhere: it must name this device. */
	if (strlen(link) == len && len < 400 &&
	    xsm_xs_backend_path(link, &bdom, kb, sizeof(kb), &fdom, &bdev) == 0 &&
	    bdom != 0 && fdom == f->domid && bdev == devid) {
		snprintf(path, sizeof(path), "%s/state", link);
		backend_state(l, f, path, kind, devid);
	}
	free(link);
}

static void
read_devices(struct lane *l, struct xsm_xs_facts *f, const char *base)
{
	char path[512], key[64];
	unsigned nk, nd;
	char **kinds, **ids;

	snprintf(path, sizeof(path), "%s/device", base);
	kinds = ls(l, path, &nk);
	for (unsigned k = 0; k < nk && l->err == 0; k++) {
		if (!xsm_xs_name_ok(kinds[k], strlen(kinds[k])))
			continue;
		snprintf(path, sizeof(path), "%s/device/%s", base, kinds[k]);
		ids = ls(l, path, &nd);
		for (unsigned i = 0; i < nd && l->err == 0; i++) {
			uint64_t id;

			if (xsm_xs_parse_u64(ids[i], strlen(ids[i]), UINT32_MAX,
			    &id) < 0)
				continue;
			if (f->n_dev == XSM_XS_DEV_MAX) {
				f->dev_truncated = true;
				break;
			}
			snprintf(key, sizeof(key), "device/%s/%u/state",
			    kinds[k], (unsigned)id);
			fact(l, f, base, key);
			read_backend(l, f, base, kinds[k], (uint32_t)id);
		}
		free(ids);
	}
	free(kinds);
}

static void
read_facts(struct lane *l, struct xsm_xs_facts *f)
{
	static const char *const pv[] = { "MajorVersion", "MinorVersion",
	    "MicroVersion", "BuildVersion" };
	char base[64], key[64];
	unsigned n;
	char **top;

	snprintf(base, sizeof(base), "/local/domain/%u", f->domid);
	if ((top = ls(l, base, &n)) == NULL)
		return;  /* gone (ENOENT) or failed (l->err) */
	f->exists = true;
	fact(l, f, base, "name");
	fact(l, f, base, "vm");
	if (has(top, n, "memory")) {
		fact(l, f, base, "memory/target");
		fact(l, f, base, "memory/static-max");
	}
	if (has(top, n, "attr"))
		for (int i = 0; i < 4 && l->err == 0; i++) {
			snprintf(key, sizeof(key), "attr/PVAddons/%s", pv[i]);
			fact(l, f, base, key);
		}
	if (has(top, n, "data"))
		fact(l, f, base, "data/updated");
	if (has(top, n, "control"))
		read_control(l, f, base);
	if (has(top, n, "device"))
		read_devices(l, f, base);
	free(top);
}

/* Nodes at and under path (len bytes in a 4 KiB buffer), up to cap. */
static int64_t
count_nodes(struct lane *l, char *path, size_t len, int64_t cap,
    int depth)
{
	int64_t total = 1;
	unsigned n;
	char **names;

	if (depth > 32 || (names = ls(l, path, &n)) == NULL)
		return total;
	for (unsigned i = 0; i < n && l->err == 0 && total < cap; i++) {
		size_t nl = strlen(names[i]);

		if (len + 1 + nl >= 4096)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, names[i], nl + 1);
		total += count_nodes(l, path, len + 1 + nl, cap - total, depth + 1);
		path[len] = '\0';
	}
	free(names);
	return total < cap ? total : cap;
}

static void
do_list(struct lane *l)
{
	struct xsmd_xs_job *j = l->j;
	unsigned n;
	char **names = ls(l, "/local/domain", &n);

	if (l->err != 0)
		return;
	j->list_ok = true;
	if (n == 0)
		return;
	if ((j->list = calloc(n, sizeof(*j->list))) == NULL) {
		j->list_ok = false;
		free(names);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		if (xsm_xs_parse_domid(names[i], strlen(names[i]),
		    &j->list[j->n_list]) == 0)
			j->n_list++;
	free(names);
}

static bool
do_connect(struct lane *l)
{
	static const char *const w[][2] = {
		{ "@introduceDomain", "i" }, { "@releaseDomain", "r" },
		{ "/local/domain", "d" },
	};
	struct xsmd_xs_conn *c = l->j->conn;

	if ((c->req = xs_open(XS_OPEN_SOCKETONLY)) == NULL ||
	    (c->watch = xs_open(XS_OPEN_SOCKETONLY)) == NULL) {
		fail(l, "connect", errno);
		return false;
	}
	l->h = c->req;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		l->requests++;
		if (!xs_watch(c->watch, w[i][0], w[i][1])) {
			fail(l, "watch", errno);
			return false;
		}
	}
	return true;
}

static uint64_t
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * XSM_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The lane's share of the job's ids: first, first + step, ... */
static void
run_lane(struct lane *l)
{
	struct xsmd_xs_job *j = l->j;
	char path[4096];

	for (unsigned i = l->first; i < j->n_ids && l->err == 0; i += l->step) {
		if (j->flags & XSMD_XS_FACTS) {
			xsm_xs_facts_init(&j->facts[i], j->ids[i]);
			read_facts(l, &j->facts[i]);
		}
		if (j->flags & XSMD_XS_ENTRIES) {
			snprintf(path, sizeof(path), "/local/domain/%u", j->ids[i]);
			j->entries[i] = count_nodes(l, path, strlen(path),
			    j->entries_cap, 0);
		}
	}
}

static void *
lane_main(void *arg)
{
	run_lane(arg);
	return NULL;
}

/*
 * How many lanes a job gets. Counting entries stays on one lane on
 * purpose (it yields to facts and keeps xenstored at most half busy);
 * a few domains are not worth the extra connections.
 */
static unsigned
lanes_for(const struct xsmd_xs_job *j)
{
	unsigned n;

	if (!(j->flags & XSMD_XS_FACTS) || j->n_ids < 2 * XSMD_XS_LANES)
		return 1;
	n = j->n_ids / 4;
	return n < XSMD_XS_LANES ? (n > 0 ? n : 1) : XSMD_XS_LANES;
}

/* Opens the extra lanes' handles: returns the lanes usable, at least 1. */
static unsigned
open_lanes(struct xsmd_xs_job *j, struct lane *lanes, unsigned want)
{
	unsigned n = 1;

	while (n < want) {
		lanes[n] = (struct lane){ .j = j, .first = n };
		if ((lanes[n].h = xs_open(XS_OPEN_SOCKETONLY)) == NULL)
			break;
		n++;
	}
	return n;
}

/* Joins lanes 1..n-1 into lane 0: requests, and the first error. */
static void
join_lanes(struct lane *lanes, unsigned n)
{
	for (unsigned k = 1; k < n; k++) {
		pthread_join(lanes[k].tid, NULL);
		lanes[0].requests += lanes[k].requests;
		if (lanes[0].err == 0 && lanes[k].err != 0) {
			lanes[0].err = lanes[k].err;
			lanes[0].err_op = lanes[k].err_op;
		}
	}
}

static void
run_lanes(struct xsmd_xs_job *j, struct lane *lanes)
{
	unsigned n = open_lanes(j, lanes, lanes_for(j)), started = 1;

	for (unsigned k = 0; k < n; k++)
		lanes[k].step = n;
	while (started < n &&
	    pthread_create(&lanes[started].tid, NULL, lane_main,
	    &lanes[started]) == 0)
		started++;
	if (started == n) {
		run_lane(&lanes[0]);
		join_lanes(lanes, n);
	} else {
		/* Out of threads: lane 0 (re)reads every id alone. */
		join_lanes(lanes, started);
		lanes[0].first = 0;
		lanes[0].step = 1;
		if (lanes[0].err == 0)
			run_lane(&lanes[0]);
	}
	for (unsigned k = 1; k < n; k++)
		xs_close(lanes[k].h);
}

static void
run_job(struct xsmd_xs_job *j)
{
	struct lane lanes[XSMD_XS_LANES];
	struct lane *l = &lanes[0];
	uint64_t t0 = mono(), t;
	unsigned len;
	char *v;

	*l = (struct lane){ .j = j, .h = j->conn->req, .step = 1 };
	j->probe_usec = -1;
	if ((j->flags & XSMD_XS_CONNECT) && !do_connect(l))
		goto out;
	if (j->flags & XSMD_XS_PROBE) {
		t = mono();
		v = rd(l, "/local/domain/0/domid", &len);
		free(v);
		if (l->err == 0)
			j->probe_usec = (int64_t)(mono() - t);
	}
	if ((j->flags & XSMD_XS_LIST) && l->err == 0)
		do_list(l);
	if (l->err == 0 && j->n_ids > 0)
		run_lanes(j, lanes);
out:
	j->err = l->err;
	j->err_op = l->err_op;
	j->requests += l->requests;
	j->usec = mono() - t0;
}

/* Frees a job nobody will take; a connect job's new handles too. */
static void
drop_job(struct xsmd_xs_job *j, struct xsmd_xs_conn *owned)
{
	if (j->conn != owned)
		xsmd_xs_conn_close(j->conn);
	xsmd_xs_job_free(j);
}

static void *
worker_main(void *arg)
{
	struct xsmd_xs_worker *w = arg;
	bool abandoned;

	run_job(w->job);
	pthread_mutex_lock(&w->mu);
	w->done = true;
	abandoned = w->abandoned;
	if (!abandoned)
		ev_async_send(w->loop, w->async);
	pthread_mutex_unlock(&w->mu);
	if (abandoned) {
		drop_job(w->job, w->orphan);
		xsmd_xs_conn_close(w->orphan);
		pthread_mutex_destroy(&w->mu);
		free(w);
	}
	return NULL;
}

struct xsmd_xs_worker *
xsmd_xs_worker_new(struct ev_loop *loop, ev_async *async)
{
	struct xsmd_xs_worker *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	pthread_mutex_init(&w->mu, NULL);
	w->loop = loop;
	w->async = async;
	return w;
}

int
xsmd_xs_worker_run(struct xsmd_xs_worker *w, struct xsmd_xs_job *job)
{
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (w->busy)
		return -EBUSY;
	w->job = job;
	w->busy = true;
	w->done = false;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Small stack: count_nodes recurses 32 deep with small frames. */
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		w->busy = false;
		w->job = NULL;
		return -r;
	}
	return 0;
}

struct xsmd_xs_job *
xsmd_xs_worker_take(struct xsmd_xs_worker *w)
{
	struct xsmd_xs_job *j = NULL;

	pthread_mutex_lock(&w->mu);
	if (w->busy && w->done) {
		j = w->job;
		w->job = NULL;
		w->busy = false;
	}
	pthread_mutex_unlock(&w->mu);
	return j;
}

bool
xsmd_xs_worker_busy(struct xsmd_xs_worker *w)
{
	return w->busy;
}

void
xsmd_xs_worker_free(struct xsmd_xs_worker *w, struct xsmd_xs_conn *conn)
{
	bool running;

	if (w == NULL) {
		xsmd_xs_conn_close(conn);
		return;
	}
	pthread_mutex_lock(&w->mu);
	running = w->busy && !w->done;
	if (running) {
		w->abandoned = true;
		w->orphan = conn;
	}
	pthread_mutex_unlock(&w->mu);
	if (running)
		return;  /* the thread frees everything when it returns */
	if (w->busy)
		drop_job(w->job, conn);
	xsmd_xs_conn_close(conn);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

void
xsmd_xs_conn_close(struct xsmd_xs_conn *c)
{
	if (c == NULL)
		return;
	if (c->watch != NULL)
		xs_close(c->watch);
	if (c->req != NULL)
		xs_close(c->req);
	free(c);
}

void
xsmd_xs_job_free(struct xsmd_xs_job *j)
{
	if (j == NULL)
		return;
	free(j->list);
	free(j);
}
