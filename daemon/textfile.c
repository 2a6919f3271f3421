/* SPDX-License-Identifier: ISC */
/*
 * textfile.c: xsmond keeps node_exporter's textfile up to date itself
 * ([metrics] textfile_dir; README, "Prometheus").
 *
 * When the state changes, and at most once per textfile_interval, xsmond
 * runs `xsmonctl -s SOCKET metrics --textfile DIR`: the exposition is
 * made by the same code that an admin runs by hand (one format, one set
 * of goldens), the file is replaced atomically by xsmonctl, and the
 * parsing of the status and domains documents, with 1000 domains a few
 * MiB for a moment, happens in a short-lived child instead of the
 * long-lived daemon's heap. Nothing is written while nothing changes.
 *
 * The child is asynchronous like every other job: its exit is an
 * ev_child event, and one that has not finished after
 * TEXTFILE_DEADLINE_SEC is killed. A failure is logged once, its
 * recovery once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "xsmd.h"

#define TEXTFILE_DEADLINE_SEC 10.

extern char **environ;

struct xsmd_textfile {
	struct xsmd *d;
	ev_timer delay;          /* until the next write may start */
	ev_timer deadline;       /* a child that runs too long is killed */
	ev_child child;
	pid_t pid;               /* > 0 while a child runs */
	ev_tstamp last_start;
	uint64_t gen_started;    /* state generation the child was run for */
	uint64_t gen_written;    /* ... that the last good write showed */
	bool failing;            /* the last write failed (logged once) */
	uint64_t writes, failures;
};

static bool
enabled(const struct xsmd *d)
{
	return d->cfg.metrics.textfile_dir[0] != '\0';
}

static int
spawn(struct xsmd_textfile *t)
{
	const struct xsm_metrics_cfg *mc = &t->d->cfg.metrics;
	char *argv[] = { (char *)mc->xsmonctl, "-s",
	    (char *)xsmd_control_path(t->d), "metrics", "--textfile",
	    (char *)mc->textfile_dir, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawnattr_init(&at);
	/* Its own group, so the deadline's kill reaches all it started. */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	r = posix_spawn(&t->pid, mc->xsmonctl, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		t->pid = 0;
		return -r;
	}
	ev_child_set(&t->child, t->pid, 0);
	ev_child_start(t->d->loop, &t->child);
	ev_timer_set(&t->deadline, TEXTFILE_DEADLINE_SEC, 0.);
	ev_timer_start(t->d->loop, &t->deadline);
	return 0;
}

static void
result(struct xsmd_textfile *t, bool ok, const char *why)
{
	if (ok) {
		t->writes++;
		t->gen_written = t->gen_started;
		if (t->failing)
			log_info("metrics: writing %s/xsmon.prom again",
			    t->d->cfg.metrics.textfile_dir);
	} else {
		t->failures++;
		if (!t->failing)
			log_warnx("metrics: cannot write %s/xsmon.prom: %s "
			    "(run `%s metrics --textfile %s` to see why)",
			    t->d->cfg.metrics.textfile_dir, why,
			    t->d->cfg.metrics.xsmonctl,
			    t->d->cfg.metrics.textfile_dir);
	}
	t->failing = !ok;
}

static void
start_write(struct xsmd_textfile *t)
{
	int r;

	if (!enabled(t->d) || t->pid > 0)
		return;
	t->last_start = ev_now(t->d->loop);
	t->gen_started = t->d->state.generation;
	if ((r = spawn(t)) < 0)
		result(t, false, strerror(-r));
}

/* A write is due for the current state: now, or once the interval is up. */
static void
schedule(struct xsmd_textfile *t)
{
	double interval = (double)t->d->cfg.metrics.textfile_interval_usec / 1e6;
	double wait = t->last_start + interval - ev_now(t->d->loop);

	if (!enabled(t->d) || t->pid > 0 || ev_is_active(&t->delay))
		return;
	if (t->gen_written == t->d->state.generation && !t->failing &&
	    t->writes > 0)
		return;
	if (t->last_start == 0 || wait <= 0) {
		start_write(t);
		return;
	}
	ev_timer_set(&t->delay, wait, 0.);
	ev_timer_start(t->d->loop, &t->delay);
}

static void
delay_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	start_write(w->data);
}

static void
child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct xsmd_textfile *t = w->data;
	char why[64];
	int st = w->rstatus;

	ev_child_stop(loop, w);
	ev_timer_stop(loop, &t->deadline);
	t->pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		result(t, true, NULL);
	} else {
		if (WIFEXITED(st))
			snprintf(why, sizeof(why), "xsmonctl exited %d",
			    WEXITSTATUS(st));
		else
			snprintf(why, sizeof(why), "xsmonctl killed by signal %d",
			    WTERMSIG(st));
		result(t, false, why);
	}
	/* Changes that came while it ran, or a retry after a failure. */
	schedule(t);
}

static void
deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct xsmd_textfile *t = w->data;

	if (t->pid > 0)
		kill(-t->pid, SIGKILL);   /* child_cb reports it */
}

int
xsmd_textfile_start(struct xsmd *d)
{
	struct xsmd_textfile *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -ENOMEM;
	t->d = d;
	ev_init(&t->delay, delay_cb);
	ev_init(&t->deadline, deadline_cb);
	ev_child_init(&t->child, child_cb, 0, 0);
	t->delay.data = t->deadline.data = t->child.data = t;
	d->textfile = t;
	return 0;
}

void
xsmd_textfile_changed(struct xsmd *d)
{
	if (d->textfile != NULL)
		schedule(d->textfile);
}

void
xsmd_textfile_stop(struct xsmd *d)
{
	struct xsmd_textfile *t = d->textfile;

	if (t == NULL)
		return;
	ev_timer_stop(d->loop, &t->delay);
	ev_timer_stop(d->loop, &t->deadline);
	if (t->pid > 0) {
		ev_child_stop(d->loop, &t->child);
		/* The control socket closes next: the child would fail
		 * anyway, and must not outlive xsmond as an orphan. */
		kill(-t->pid, SIGTERM);
		(void)waitpid(t->pid, NULL, 0);
	}
	free(t);
	d->textfile = NULL;
}
