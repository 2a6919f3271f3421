/* SPDX-License-Identifier: ISC */
/*
 * nics_ovs.c: Open vSwitch bonds and bridge ports through a short-lived
 * ovs-appctl (nics_ovs.h).
 *
 * stderr goes into the same pipe as stdout: ovs-appctl's complaints
 * ("cannot connect to ovs-vswitchd") are the reason a run failed, so the
 * first line becomes ovs_state instead of flooding xsmond's log on every
 * poll. The child runs in a process group of its own, so the deadline
 * also kills anything it started, and the pipe is closed then even if
 * some grandchild escaped and still holds it.
 */
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "nics_bond.h"
#include "nics_ovs.h"
#include "nics_ovsdp.h"

#define OVS_OUTPUT_MAX (256 * 1024)
#define OVS_KICK_SEC 1.0

extern char **environ;

static const char *const step_cmd[XSMD_OVS_STEPS] = { "bond/show",
    "dpif/show" };

/* The state changed: log the edge once, and have the check judged. */
static void
set_state(struct xsmd_nics_ovs *o, const char *s)
{
	struct xsm_nics_view *v = o->v;

	if (strcmp(v->ovs_state, s) == 0)
		return;
	if (strcmp(s, "ok") == 0 || strcmp(s, "absent") == 0)
		log_info("nics: ovs: %s", s);
	else
		log_warnx("nics: %s", s);
	xsm_strlcpy(v->ovs_state, s, sizeof(v->ovs_state));
}

/* What the last run said is no longer known. */
static void
forget(struct xsm_nics_view *v)
{
	v->n_ovs_bonds = 0;
	v->n_ovs_ports = 0;
	v->ovs_ports_overflow = 0;
}

/* The first non-empty line of the output, printable, cut to fit. */
static void
first_line(const struct xsm_buf *b, char *out, size_t size)
{
	const char *s = b->data ? b->data : "";
	size_t n = 0;

	while (*s == '\n' || *s == '\r' || *s == ' ')
		s++;
	for (; s[n] != '\0' && s[n] != '\n' && n + 1 < size; n++)
		out[n] = isprint((unsigned char)s[n]) ? s[n] : '?';
	out[n] = '\0';
}

/* The output of a run that exited 0: parse it into the view. */
static int
parse(struct xsmd_nics_ovs *o)
{
	struct xsm_nics_view *v = o->v;
	const char *t = o->text.data ? o->text.data : "";
	unsigned n = 0;
	int r;

	if (o->step == XSMD_OVS_BONDS) {
		r = xsm_nics_parse_ovs_bonds(t, v->ovs_bonds,
		    XSM_NICS_OVS_BONDS_MAX, &n);
		v->n_ovs_bonds = r < 0 ? 0 : n;
	} else {
		r = xsm_nics_parse_ovs_dpif(t, v->ovs_ports,
		    XSM_NICS_OVS_PORTS_MAX, &n, &v->ovs_ports_overflow);
		v->n_ovs_ports = r < 0 ? 0 : n;
	}
	return r;
}

static int spawn(struct xsmd_nics_ovs *o);

/* Both the pipe's EOF and the exit seen: judge what it said. */
static void
finish(struct xsmd_nics_ovs *o)
{
	char st[XSM_NIC_REASON_MAX], line[120];
	const char *cmd = step_cmd[o->step];
	bool failed = true;

	if (!o->exited || !o->eof)
		return;
	ev_timer_stop(o->loop, &o->deadline);
	o->pid = 0;
	if (o->timed_out) {
		snprintf(st, sizeof(st), "ovs-appctl %s: timeout", cmd);
	} else if (!WIFEXITED(o->wstatus) || WEXITSTATUS(o->wstatus) != 0) {
		first_line(&o->text, line, sizeof(line));
		if (WIFEXITED(o->wstatus))
			snprintf(st, sizeof(st), "ovs-appctl %s: exit status "
			    "%d%s%s", cmd, WEXITSTATUS(o->wstatus),
			    line[0] ? ": " : "", line);
		else
			snprintf(st, sizeof(st), "ovs-appctl %s: killed by "
			    "signal %d", cmd, WTERMSIG(o->wstatus));
	} else if (parse(o) < 0) {
		snprintf(st, sizeof(st), "ovs-appctl %s: unparsable output",
		    cmd);
	} else {
		failed = false;
		xsm_strlcpy(st, "ok", sizeof(st));
	}
	xsm_buf_free(&o->text);   /* idle memory stays small */
	if (failed)
		forget(o->v);
	else if (o->step + 1 < XSMD_OVS_STEPS) {
		o->step++;
		if (spawn(o) == 0)
			return;   /* the state is set when the last step ends */
		snprintf(st, sizeof(st), "ovs-appctl %s: cannot run",
		    step_cmd[o->step]);
		forget(o->v);
	}
	set_state(o, st);
	if (o->changed != NULL)
		o->changed(o->arg);
}

static void
close_pipe(struct xsmd_nics_ovs *o)
{
	if (o->fd < 0)
		return;
	ev_io_stop(o->loop, &o->out);
	close(o->fd);
	o->fd = -1;
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
	close_pipe(o);
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

	if (o->pid <= 0)
		return;
	o->timed_out = true;
	if (!o->exited)
		kill(-o->pid, SIGKILL);
	/* A grandchild may hold the pipe: stop waiting for its EOF. */
	close_pipe(o);
	o->eof = true;
	finish(o);
}

static int
spawn(struct xsmd_nics_ovs *o)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char *argv[] = { o->path, (char *)step_cmd[o->step], NULL };
	int p[2], r;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	r = posix_spawn(&o->pid, o->path, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r != 0) {
		close(p[0]);
		o->pid = 0;
		return -r;
	}
	o->fd = p[0];
	o->exited = o->eof = o->timed_out = false;
	xsm_buf_init(&o->text, OVS_OUTPUT_MAX);
	ev_io_init(&o->out, out_cb, o->fd, EV_READ);
	o->out.data = o;
	ev_io_start(o->loop, &o->out);
	ev_child_init(&o->child, child_cb, o->pid, 0);
	o->child.data = o;
	ev_child_start(o->loop, &o->child);
	ev_timer_set(&o->deadline, XSMD_OVS_DEADLINE_SEC, 0.);
	ev_timer_start(o->loop, &o->deadline);
	return 0;
}

/*
 * Is ovs-vswitchd running? Its pid file is where ovs-appctl itself looks
 * (OVS_RUNDIR, as the OVS tools honour it). Installed but not running is
 * common on a host whose network backend is the Linux bridge: asking
 * then only fails.
 */
static bool
vswitchd_running(void)
{
	const char *dir = getenv("OVS_RUNDIR");
	char path[512];

	snprintf(path, sizeof(path), "%s/ovs-vswitchd.pid",
	    dir != NULL && *dir != '\0' ? dir : "/var/run/openvswitch");
	return access(path, F_OK) == 0;
}

/* An Open vSwitch datapath in the kernel: its ovs-system link or ports. */
static bool
datapath_present(const struct xsm_nics_view *v)
{
	for (unsigned i = 0; i < v->n_links; i++)
		if (strcmp(v->links[i].kind, "openvswitch") == 0 ||
		    strcmp(v->links[i].name, "ovs-system") == 0)
			return true;
	return false;
}

/* No poll: what the state says instead (see poll_now). */
static void
not_polled(struct xsmd_nics_ovs *o, const char *state)
{
	forget(o->v);
	set_state(o, state);
	if (o->changed != NULL)
		o->changed(o->arg);
}

static void
poll_now(struct xsmd_nics_ovs *o)
{
	char st[XSM_NIC_REASON_MAX];
	int r;

	if (o->pid > 0)
		return;   /* the last one is still running */
	if (access(o->path, X_OK) < 0) {
		not_polled(o, "absent");
		return;
	}
	/*
	 * Not running: nothing to judge, unless the kernel still has its
	 * datapath (bridges in use, their daemon dead: a real problem).
	 */
	if (!vswitchd_running()) {
		not_polled(o, datapath_present(o->v) ?
		    "ovs-vswitchd not running (its datapath is in use)" :
		    "absent");
		return;
	}
	o->step = XSMD_OVS_BONDS;
	if ((r = spawn(o)) < 0) {
		snprintf(st, sizeof(st), "ovs-appctl %s: cannot run: %s",
		    step_cmd[o->step], strerror(-r));
		forget(o->v);
		set_state(o, st);
		if (o->changed != NULL)
			o->changed(o->arg);
	}
}

static void
tick_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	poll_now(t->data);
}

void
xsmd_nics_ovs_kick(struct xsmd_nics_ovs *o)
{
	if (o->loop == NULL || !ev_is_active(&o->tick) ||
	    ev_is_active(&o->kick))
		return;
	ev_timer_set(&o->kick, OVS_KICK_SEC, 0.);
	ev_timer_start(o->loop, &o->kick);
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
	forget(v);
	xsm_strlcpy(v->ovs_state, "absent", sizeof(v->ovs_state));
	ev_init(&o->deadline, deadline_cb);
	o->deadline.data = o;
	ev_init(&o->kick, tick_cb);
	o->kick.data = o;
	ev_init(&o->tick, tick_cb);
	o->tick.data = o;
	o->tick.repeat = (double)interval_usec / XSM_USEC_PER_SEC;
	/* No Open vSwitch installed: no timer either (a reload looks again). */
	if (access(path, X_OK) < 0)
		return;
	ev_timer_again(loop, &o->tick);
	poll_now(o);
}

void
xsmd_nics_ovs_stop(struct xsmd_nics_ovs *o)
{
	int st;

	if (o->loop == NULL)
		return;
	ev_timer_stop(o->loop, &o->tick);
	ev_timer_stop(o->loop, &o->kick);
	ev_timer_stop(o->loop, &o->deadline);
	close_pipe(o);
	if (o->pid > 0) {
		ev_child_stop(o->loop, &o->child);
		kill(-o->pid, SIGKILL);
		/* SIGKILL is immediate: this reaps a zombie, never waits long. */
		while (waitpid(o->pid, &st, 0) < 0 && errno == EINTR)
			;
		o->pid = 0;
	}
	xsm_buf_free(&o->text);
	o->loop = NULL;
}
