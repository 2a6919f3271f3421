/* SPDX-License-Identifier: ISC */
/*
 * control.c: the control socket's listener. Binds (or takes systemd's
 * socket), checks each peer with SO_PEERCRED and hands it to
 * control_conn.c. The listener is never closed while the daemon runs.
 */
#include <sys/stat.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

/* After EMFILE/ENFILE: wait this long before accepting again. */
#define CTL_ACCEPT_PAUSE 1.0
/* Accepts per wakeup: a connect flood must not starve served clients. */
#define CTL_ACCEPT_BURST 128

static const char *
ctl_socket_path(const struct xsmd *d, const struct xsm_config *cfg)
{
	return d->socket_override != NULL ? d->socket_override :
	    cfg->control.socket;
}

/* Where clients reach us now: a reload does not move the socket. */
const char *
xsmd_control_path(const struct xsmd *d)
{
	return d->control != NULL ? d->control->path :
	    ctl_socket_path(d, &d->cfg);
}

/* Group lookup happens here, at start and reload, never per client. */
static void
ctl_lookup_group(struct xsmd_control *ctl, const char *group)
{
	struct group *gr;

	xsm_strlcpy(ctl->group, group, sizeof(ctl->group));
	ctl->have_gid = false;
	if (group[0] == '\0')
		return;
	gr = getgrnam(group);
	if (gr == NULL) {
		log_warnx("control: group %s not found; only root may query",
		    group);
		return;
	}
	ctl->gid = gr->gr_gid;
	ctl->have_gid = true;
}

static void
ctl_dirname(const char *path, char *dir, size_t size)
{
	char *slash;

	xsm_strlcpy(dir, path, size);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		xsm_strlcpy(dir, ".", size);
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
}

/* True when the open directory dfd holds nothing but the entry name. */
static bool
ctl_dir_holds_only(int dfd, const char *name)
{
	struct dirent *de;
	bool only = true;
	DIR *dp;
	int fd;

	if ((fd = dup(dfd)) < 0 || (dp = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (only && (de = readdir(dp)) != NULL)
		only = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, name) == 0;
	closedir(dp);
	return only;
}

/*
 * systemd's RuntimeDirectory= and the socket unit's DirectoryMode= make
 * the socket's directory root:root 0750, which locks the group out
 * before it reaches the socket; so does a directory a previous xsmond
 * made. Hand it to the group as root:group 0750, but only a directory
 * that is plainly ours: root's, closed to others, holding nothing but
 * the socket. /run, /tmp, /root or a user's directory are never touched.
 */
static void
ctl_group_dir(const struct xsmd_control *ctl, const char *sock)
{
	char dir[XSM_SOCKET_PATH_MAX];
	const char *base = strrchr(sock, '/');
	struct stat sb;
	int fd;

	ctl_dirname(sock, dir, sizeof(dir));
	base = base != NULL ? base + 1 : sock;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		log_warn("control: open %s", dir);
		return;
	}
	if (fstat(fd, &sb) == 0 && sb.st_uid == 0 &&
	    (sb.st_mode & (S_IRWXO | S_ISVTX)) == 0 &&
	    (sb.st_gid != ctl->gid || (sb.st_mode & 07777) != 0750) &&
	    ctl_dir_holds_only(fd, base)) {
		if (fchown(fd, 0, ctl->gid) < 0 || fchmod(fd, 0750) < 0)
			log_warn("control: chown/chmod %s", dir);
		else
			log_info("control: %s is now root:%s 0750", dir,
			    ctl->group);
	}
	close(fd);
}

/*
 * systemd made the socket: its group is the unit's SocketGroup=, which
 * is not ours to change behind systemd's back. Say so once per start or
 * group change rather than leave the group wondering why it is refused.
 */
static void
ctl_check_activated(const struct xsmd_control *ctl)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	struct stat sb;

	memset(&sun, 0, sizeof(sun));
	if (getsockname(ctl->fd, (struct sockaddr *)&sun, &len) < 0 ||
	    len <= offsetof(struct sockaddr_un, sun_path) ||
	    sun.sun_path[0] == '\0')
		return;                 /* unnamed or abstract: no file */
	sun.sun_path[sizeof(sun.sun_path) - 1] = '\0';
	if (stat(sun.sun_path, &sb) == 0 && sb.st_gid != ctl->gid)
		log_warnx("control: systemd's socket %s has gid %u, not group "
		    "%s, so the group cannot connect; set SocketGroup=%s in "
		    "xsmond.socket", sun.sun_path, (unsigned)sb.st_gid,
		    ctl->group, ctl->group);
	if (ctl->euid == 0)
		ctl_group_dir(ctl, sun.sun_path);
}

/* The socket and its directory belong to root:group. */
static void
ctl_apply_group(struct xsmd_control *ctl)
{
	if (!ctl->have_gid)
		return;
	if (ctl->activated) {
		ctl_check_activated(ctl);
		return;
	}
	if (ctl->euid != 0 || !ctl->bound)
		return;
	ctl_group_dir(ctl, ctl->path);
	if (chown(ctl->path, 0, ctl->gid) < 0)
		log_warn("control: chown %s", ctl->path);
}

/* Removes a stale socket; anything else at the path is not ours. */
static int
ctl_unlink_stale(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(sb.st_mode)) {
		log_warnx("control: %s exists and is not a socket", path);
		return -EEXIST;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* Logs "what path: strerror" and returns -errno. */
static int
ctl_syserr(const char *what, const char *path)
{
	int r = -errno;

	log_warn("control: %s %s", what, path);
	return r;
}

static int
ctl_bind(struct xsmd_control *ctl)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[XSM_SOCKET_PATH_MAX];
	struct stat sb;
	int r;

	ctl_dirname(ctl->path, dir, sizeof(dir));
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return ctl_syserr("mkdir", dir);
	if ((r = ctl_unlink_stale(ctl->path)) < 0)
		return r;
	xsm_strlcpy(sun.sun_path, ctl->path, sizeof(sun.sun_path));
	ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->fd < 0)
		return ctl_syserr("socket for", ctl->path);
	if (bind(ctl->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return ctl_syserr("bind", ctl->path);
	ctl->bound = true;
	/* Remember which file we made, so stop never removes a successor's. */
	if (lstat(ctl->path, &sb) == 0) {
		ctl->sock_dev = sb.st_dev;
		ctl->sock_ino = sb.st_ino;
	}
	if (chmod(ctl->path, 0660) < 0)
		return ctl_syserr("chmod", ctl->path);
	ctl_apply_group(ctl);
	if (listen(ctl->fd, SOMAXCONN) < 0)
		return ctl_syserr("listen on", ctl->path);
	return 0;
}

static int
ctl_take_activated(struct xsmd_control *ctl, int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return ctl_syserr("fcntl", "on the systemd socket");
	ctl->fd = fd;
	ctl->activated = true;
	log_info("control: using the socket passed by systemd");
	ctl_apply_group(ctl);
	return 0;
}

/* -------------------------------------------------------------------- */
/* Peer checks and refusals. */

/*
 * Supplementary groups as of connect(), from the kernel: no /proc.
 * SO_PEERGROUPS came with Linux 4.13; XenServer 7.x dom0 runs 4.4, where
 * it fails with ENOPROTOOPT and only the primary gid (SO_PEERCRED)
 * counts. Say so once, so a member by supplementary group only knows why
 * it is refused.
 */
static bool
peer_in_group(struct xsmd_control *ctl, int fd, gid_t gid)
{
	gid_t small[64], *groups = small;
	socklen_t len = sizeof(small);
	bool found = false;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		if (errno == ENOPROTOOPT && !ctl->no_peergroups) {
			ctl->no_peergroups = true;
			log_warnx("control: no SO_PEERGROUPS on this kernel "
			    "(before Linux 4.13): only a client's primary "
			    "group counts for group %s", ctl->group);
		}
		if (errno != ERANGE || (groups = malloc(len)) == NULL)
			return false;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
			len = 0;
	}
	for (size_t i = 0; i < len / sizeof(gid_t) && !found; i++)
		found = groups[i] == gid;
	if (groups != small)
		free(groups);
	return found;
}

static bool
peer_allowed(struct xsmd_control *ctl, int fd, const struct ucred *uc)
{
	/* Our own euid lets unprivileged test runs query their daemon. */
	if (uc->uid == 0 || uc->uid == ctl->euid)
		return true;
	if (!ctl->have_gid)
		return false;
	return uc->gid == ctl->gid || peer_in_group(ctl, fd, ctl->gid);
}

/*
 * Draining what the peer already sent makes it see EOF after our line
 * rather than ECONNRESET.
 */
void
xsmd_ctl_send_error(int fd, const char *code, const char *msg)
{
	struct xsm_buf b;
	char sink[512];

	xsm_buf_init(&b, 512);
	if (xsm_render_error(code, msg, &b) == 0)
		(void)send(fd, b.data, b.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	xsm_buf_free(&b);
	(void)recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
}

void
xsmd_ctl_refuse(struct xsmd_control *ctl, int fd, const char *code,
    const char *msg)
{
	ctl->refused++;
	xsmd_ctl_send_error(fd, code, msg);
	close(fd);
}

/* Authorises a fresh client and hands it to control_conn.c. */
static void
ctl_peer(struct xsmd_control *ctl, int fd)
{
	socklen_t len = sizeof(struct ucred);
	struct ucred uc;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0) {
		log_warn("control: SO_PEERCRED");
		xsmd_ctl_refuse(ctl, fd, XSM_ECODE_INTERNAL,
		    "no peer credentials");
		return;
	}
	if (!peer_allowed(ctl, fd, &uc)) {
		log_debug("control: refusing uid %u gid %u pid %d",
		    (unsigned)uc.uid, (unsigned)uc.gid, (int)uc.pid);
		xsmd_ctl_refuse(ctl, fd, XSM_ECODE_FORBIDDEN, "not authorized");
		return;
	}
	xsmd_ctl_conn_new(ctl, fd, &uc);
}

/* -------------------------------------------------------------------- */
/* The listener. */

/*
 * Out of descriptors or memory: the pending connection stays queued and
 * the level-triggered watcher would spin, so stop it and retry from a
 * timer. The listener itself stays open; closing it would leave the
 * socket dead until a restart.
 */
static void
ctl_pause_accept(struct xsmd_control *ctl, int err)
{
	if (!ctl->paused_logged)
		log_warnx("control: accept: %s; pausing for %.0fs",
		    strerror(err), CTL_ACCEPT_PAUSE);
	ctl->paused_logged = true;
	ev_io_stop(ctl->d->loop, &ctl->accept_io);
	ev_timer_set(&ctl->accept_pause, CTL_ACCEPT_PAUSE, 0.);
	ev_timer_start(ctl->d->loop, &ctl->accept_pause);
}

static void
ctl_resume_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct xsmd_control *ctl = w->data;

	ev_io_start(loop, &ctl->accept_io);
}

static void
ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct xsmd_control *ctl = w->data;

	for (int i = 0; i < CTL_ACCEPT_BURST; i++) {
		int fd;

		/* At the cap, one newcomer per loop turn: client I/O runs
		 * first (accept has the lowest priority), so clients that
		 * are done get reaped before anyone is evicted for room. */
		if (i > 0 && ctl->nconns >= ctl->d->cfg.control.max_clients)
			return;
		fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			ctl_peer(ctl, fd);
			continue;
		}
		switch (errno) {
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
			continue;
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
			/* Caught up: only now is the shortage over (an edge,
			 * not a line per pause). */
			if (ctl->paused_logged)
				log_info("control: accepting clients again");
			ctl->paused_logged = false;
			return;
		default:
			/* EMFILE, ENFILE, ENOBUFS, ENOMEM, and anything
			 * unexpected: back off rather than spin. */
			ctl_pause_accept(ctl, errno);
			return;
		}
	}
}

/* A client closed, so a descriptor is free: no need to sit out the
 * pause. */
void
xsmd_ctl_fd_freed(struct xsmd_control *ctl)
{
	if (!ev_is_active(&ctl->accept_pause))
		return;
	ev_timer_stop(ctl->d->loop, &ctl->accept_pause);
	ev_io_start(ctl->d->loop, &ctl->accept_io);
}

static int
ctl_open(struct xsmd_control *ctl)
{
	int fd = xsmd_sd_listen_fd();

	if (fd >= 0)
		return ctl_take_activated(ctl, fd);
	return ctl_bind(ctl);
}

int
xsmd_control_start(struct xsmd *d)
{
	struct xsmd_control *ctl;
	int r;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL)
		return -ENOMEM;
	ctl->d = d;
	ctl->fd = -1;
	ctl->euid = geteuid();
	TAILQ_INIT(&ctl->conns);
	xsm_strlcpy(ctl->path, ctl_socket_path(d, &d->cfg), sizeof(ctl->path));
	ctl_lookup_group(ctl, d->cfg.control.group);
	ev_init(&ctl->accept_io, ctl_accept_cb);
	ev_init(&ctl->accept_pause, ctl_resume_cb);
	ctl->accept_io.data = ctl->accept_pause.data = ctl;
	d->control = ctl;
	if ((r = ctl_open(ctl)) < 0) {
		xsmd_control_stop(d);
		return r;
	}
	ev_io_set(&ctl->accept_io, ctl->fd, EV_READ);
	/* Clients' I/O runs before new accepts in each loop turn, so
	 * finished clients are reaped (EOF) before they count at the cap. */
	ev_set_priority(&ctl->accept_io, EV_MINPRI);
	ev_io_start(d->loop, &ctl->accept_io);
	if (!ctl->activated)
		log_info("control: listening on %s", ctl->path);
	return 0;
}

/* Unlinks the socket only if it is still the file we bound. */
static void
ctl_unlink_own(struct xsmd_control *ctl)
{
	struct stat sb;

	if (!ctl->bound || lstat(ctl->path, &sb) < 0)
		return;
	if (sb.st_dev == ctl->sock_dev && sb.st_ino == ctl->sock_ino &&
	    unlink(ctl->path) < 0)
		log_warn("control: unlink %s", ctl->path);
}

void
xsmd_control_stop(struct xsmd *d)
{
	struct xsmd_control *ctl = d->control;
	struct ctl_conn *c;

	if (ctl == NULL)
		return;
	while ((c = TAILQ_FIRST(&ctl->conns)) != NULL)
		xsmd_ctl_conn_close(c);
	if (ctl->fd >= 0) {
		ev_io_stop(d->loop, &ctl->accept_io);
		ev_timer_stop(d->loop, &ctl->accept_pause);
		close(ctl->fd);
	}
	ctl_unlink_own(ctl);
	free(ctl);
	d->control = NULL;
}

/*
 * Limits apply to new connections (each reads d->cfg when it comes).
 * A new path needs a restart: rebinding live would strand clients and,
 * under socket activation, is not ours to do. A new group applies now.
 */
int
xsmd_control_reload(struct xsmd *d, const struct xsm_config *old)
{
	struct xsmd_control *ctl = d->control;

	if (ctl == NULL)
		return 0;
	if (strcmp(ctl_socket_path(d, &d->cfg), ctl->path) != 0)
		log_warnx("control: socket path changed to %s; still "
		    "listening on %s until xsmond is restarted",
		    ctl_socket_path(d, &d->cfg), ctl->path);
	if (strcmp(d->cfg.control.group, ctl->group) != 0) {
		log_info("control: group changed from \"%s\" to \"%s\"",
		    ctl->group, d->cfg.control.group);
		ctl_lookup_group(ctl, d->cfg.control.group);
		ctl_apply_group(ctl);
	}
	return 0;
}

unsigned
xsmd_control_clients(const struct xsmd *d)
{
	return d->control != NULL ? d->control->nconns : 0;
}

uint64_t
xsmd_control_refused(const struct xsmd *d)
{
	return d->control != NULL ? d->control->refused : 0;
}
