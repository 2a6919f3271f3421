/* SPDX-License-Identifier: ISC */
/* nics_ovs.c: Open vSwitch bonds through a short-lived ovs-appctl. */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "nics_bond.h"
#include "nics_ovs.h"

#define OVS_OUTPUT_MAX (256 * 1024)
#define OVS_DEADLINE_SEC 5.0

extern char **environ;

static void
set_state(struct xsmd_nics_ovs *o, const char *s)
{
	if (strcmp(o->v->ovs_state, s) != 0) {
		xsm_strlcpy(o->v->ovs_state, s, sizeof(o->v->ovs_state));
		if (o->changed != NULL)
			o->changed(o->arg);
	}
}

/* Both the pipe's EOF and the exit seen: judge what it said. */
static void
finish(struct xsmd_nics_ovs *o)
{
	struct xsm_nics_view *v = o->v;
	char st[64];
	unsigned n = 0;

	if (!o->exited || !o->eof)
		return;
	ev_timer_stop(o->loop, &o->deadline);
	if (o->timed_out) {
		set_state(o, "timeout");
	} else if (!WIFEXITED(o->wstatus) || WEXITSTATUS(o->wstatus) != 0) {
		snprintf(st, sizeof(st), "ovs-appctl failed (status %d)",
		    WIFEXITED(o->wstatus) ? WEXITSTATUS(o->wstatus) : -1);
		set_state(o, st);
	} else if (xsm_nics_parse_ovs_bonds(o->text.data ? o->text.data : "",
	    v->ovs_bonds, XSM_NICS_OVS_BONDS_MAX, &n) < 0) {
		set_state(o, "unparsable bond/show output");
	} else {
		v->n_ovs_bonds = n;
		xsm_strlcpy(v->ovs_state, "ok", sizeof(v->ovs_state));
		if (o->changed != NULL)
			o->changed(o->arg);
	}
	xsm_buf_reset(&o->text);
	o->pid = 0;
}

static void
out_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct xsmd_nics_ovs *o = io->data;
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(o->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n > 0) {
			/* Past the cap the rest is dropped, not buffered. */
			(void)xsm_buf_append(&o->text, buf, (size_t)n);
			continue;
		}
		break;   /* EOF or error */
	}
	ev_io_stop(loop, io);
	close(o->fd);
	o->fd = -1;
	o->eof = true;
	finish(o);
}

static void
child_cb(struct ev_loop *loop, ev_child *c, int revents)
{
	struct xsmd_nics_ovs *o = c->data;

	ev_child_stop(loop, c);
	o->exited = true;
	o->wstatus = c->rstatus;
	finish(o);
}

static void
deadline_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct xsmd_nics_ovs *o = t->data;

	if (o->pid > 0 && !o->exited) {
		o->timed_out = true;
		kill(o->pid, SIGKILL);
	}
}

static int
spawn(struct xsmd_nics_ovs *o)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { o->path, "bond/show", NULL };
	int p[2], r;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	r = posix_spawn(&o->pid, o->path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r != 0) {
		close(p[0]);
		o->pid = 0;
		return -r;
	}
	o->fd = p[0];
	o->exited = o->eof = o->timed_out = false;
	ev_io_init(&o->out, out_cb, o->fd, EV_READ);
	o->out.data = o;
	ev_io_start(o->loop, &o->out);
	ev_child_init(&o->child, child_cb, o->pid, 0);
	o->child.data = o;
	ev_child_start(o->loop, &o->child);
	ev_timer_set(&o->deadline, OVS_DEADLINE_SEC, 0.);
	ev_timer_start(o->loop, &o->deadline);
	return 0;
}

static void
tick_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct xsmd_nics_ovs *o = t->data;
	int r;

	if (o->pid > 0)
		return;   /* the last one is still running */
	if (access(o->path, X_OK) < 0) {
		o->v->n_ovs_bonds = 0;
		set_state(o, "absent");
		return;
	}
	if ((r = spawn(o)) < 0) {
		errno = -r;
		set_state(o, "cannot run ovs-appctl");
	}
}

void
xsmd_nics_ovs_start(struct xsmd_nics_ovs *o, struct ev_loop *loop,
    struct xsm_nics_view *v, const char *path, uint64_t interval_usec)
{
	o->loop = loop;
	o->v = v;
	o->fd = -1;
	o->pid = 0;
	xsm_strlcpy(o->path, path, sizeof(o->path));
	xsm_buf_init(&o->text, OVS_OUTPUT_MAX);
	xsm_strlcpy(v->ovs_state, "absent", sizeof(v->ovs_state));
	ev_init(&o->deadline, deadline_cb);
	o->deadline.data = o;
	ev_init(&o->tick, tick_cb);
	o->tick.data = o;
	o->tick.repeat = (double)interval_usec / XSM_USEC_PER_SEC;
	/* No Open vSwitch installed: no timer either (a reload looks again). */
	if (access(path, X_OK) < 0)
		return;
	ev_timer_again(loop, &o->tick);
	tick_cb(loop, &o->tick, 0);
}

void
xsmd_nics_ovs_stop(struct xsmd_nics_ovs *o)
{
	int st;

	if (o->loop == NULL)
		return;
	ev_timer_stop(o->loop, &o->tick);
	ev_timer_stop(o->loop, &o->deadline);
	if (o->fd >= 0) {
		ev_io_stop(o->loop, &o->out);
		close(o->fd);
		o->fd = -1;
	}
	if (o->pid > 0) {
		ev_child_stop(o->loop, &o->child);
		kill(o->pid, SIGKILL);
		/* SIGKILL is immediate: this reaps a zombie, never waits long. */
		while (waitpid(o->pid, &st, 0) < 0 && errno == EINTR)
			;
		o->pid = 0;
	}
	xsm_buf_free(&o->text);
	o->loop = NULL;
}
