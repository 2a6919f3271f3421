/* SPDX-License-Identifier: ISC */
/*
 * logfs_fs.c: facts about the watched filesystem for the /var/log
 * watcher, and the mount policy built on them (see watch_logfs.c): which
 * mount a dev is (from /proc/self/mountinfo, read only when the dev
 * changes), whether the path is a mount point of its own, the statvfs
 * figures clamped the way df clamps them, and who holds space on it in
 * files deleted while still open (the /proc/PID/fd walk, in steps).
 */
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "logfs_scan.h"

#define DELETED_SUFFIX " (deleted)"

int
xsmd_logfs_stat_path(const char *path, struct stat *st, struct statvfs *sv,
    bool *mnt)
{
	struct stat pst;
	int fd, r = 0;

	/*
	 * One lookup: separate stat() and statvfs() calls could straddle a
	 * mount or an umount and mix two filesystems into one sample. O_PATH
	 * reads nothing (no atime), and the fd is closed at once.
	 */
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, st) < 0 || (sv != NULL && fstatvfs(fd, sv) < 0))
		r = -errno;
	/* ".." of a mount root crosses into the parent mount. Same inode as
	 * its parent: "/" itself. */
	if (r == 0 && mnt != NULL)
		*mnt = fstatat(fd, "..", &pst, 0) == 0 &&
		    (pst.st_dev != st->st_dev || pst.st_ino == st->st_ino);
	close(fd);
	return r;
}

static void
refresh_info(struct xsmd_logfs_mount *m, const char *path, uint64_t dev)
{
	if (m->info_valid && m->info_dev == dev)
		return;
	xsmd_logfs_mountinfo(dev, path, m->mountpoint, sizeof(m->mountpoint),
	    m->fstype, sizeof(m->fstype));
	m->info_valid = true;
	m->info_dev = dev;
}

bool
xsmd_logfs_sample(struct xsmd_logfs_mount *m, const char *path,
    uint64_t now_mono, struct xsm_logfs_sample *s)
{
	struct statvfs sv;
	struct stat st;
	bool mnt;
	int r;

	memset(s, 0, sizeof(*s));
	s->mono_usec = now_mono;
	s->expected_dev = m->expected_dev;
	if ((r = xsmd_logfs_stat_path(path, &st, &sv, &mnt)) < 0) {
		s->error = -r;
		return false;
	}
	if (!m->have_dev) {
		/* The first dev seen is the one expected (start, or the first
		 * appearance of a path missing at start). */
		m->have_dev = true;
		m->expected_dev = st.st_dev;
	}
	s->dev = st.st_dev;
	s->expected_dev = m->expected_dev;
	refresh_info(m, path, st.st_dev);
	xsm_strlcpy(s->mountpoint, m->mountpoint, sizeof(s->mountpoint));
	xsm_strlcpy(s->fstype, m->fstype, sizeof(s->fstype));
	xsmd_logfs_fill_statvfs(s, &sv);
	if (st.st_dev == m->expected_dev)
		return false;
	s->mount_changed = !mnt;
	return mnt;
}

bool
xsmd_logfs_sample_differs(const struct xsm_logfs_sample *x,
    const struct xsm_logfs_sample *y)
{
	return x->error != y->error || x->dev != y->dev ||
	    x->mount_changed != y->mount_changed ||
	    x->bytes_total != y->bytes_total || x->bytes_used != y->bytes_used ||
	    x->bytes_avail != y->bytes_avail ||
	    x->inodes_used != y->inodes_used ||
	    x->inodes_avail != y->inodes_avail ||
	    strcmp(x->mountpoint, y->mountpoint) != 0;
}

int
xsmd_logfs_mount_watch(int *mfd)
{
	struct epoll_event ev = { .events = EPOLLPRI };
	int ep, err;

	if ((*mfd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) >= 0 &&
	    epoll_ctl(ep, EPOLL_CTL_ADD, *mfd, &ev) == 0)
		return ep;
	err = errno;
	if (ep >= 0)
		close(ep);
	close(*mfd);
	*mfd = -1;
	return -err;
}

void
xsmd_logfs_reason_replaced(const struct xsmd_logfs_mount *m, uint64_t dev,
    enum xsm_status st, char *reason, size_t size)
{
	char why[128];
	size_t len = strlen(reason);

	snprintf(why, sizeof(why), "filesystem replaced: dev %u:%u, was %u:%u "
	    "(reload to accept)", major(dev), minor(dev),
	    major(m->expected_dev), minor(m->expected_dev));
	if (st == XSM_OK)
		xsm_strlcpy(reason, why, size);
	else if (len < size)
		snprintf(reason + len, size - len, "; %s", why);
}

void
xsmd_logfs_accept_replaced(struct xsmd_logfs_mount *m, const char *path)
{
	struct stat st;
	bool mnt;

	if (xsmd_logfs_stat_path(path, &st, NULL, &mnt) < 0 ||
	    st.st_dev == m->expected_dev || !mnt)
		return;
	log_info("logfs: accepting dev %u:%u for %s", major(st.st_dev),
	    minor(st.st_dev), path);
	m->expected_dev = st.st_dev;
}

void
xsmd_logfs_fill_statvfs(struct xsm_logfs_sample *s, const struct statvfs *sv)
{
	uint64_t fr = sv->f_frsize ? sv->f_frsize : sv->f_bsize;
	uint64_t blocks = sv->f_blocks, bfree = sv->f_bfree;
	uint64_t bavail = sv->f_bavail, files = sv->f_files;
	uint64_t ffree = sv->f_ffree, favail = sv->f_favail;

	/* Some filesystems report more free than total: clamp, as df does. */
	bfree = bfree > blocks ? blocks : bfree;
	bavail = bavail > bfree ? bfree : bavail;
	ffree = ffree > files ? files : ffree;
	favail = favail > ffree ? ffree : favail;
	s->bytes_total = blocks * fr;
	s->bytes_used = (blocks - bfree) * fr;
	s->bytes_avail = bavail * fr;
	s->inodes_total = files;
	s->inodes_used = files - ffree;
	s->inodes_avail = favail;
}

/* Mount points escape space, tab, newline and backslash as \ooo. */
static void
unescape_octal(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else {
			*o = *s;
		}
	}
	*o = '\0';
}

static bool
is_path_prefix(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	if (strcmp(mp, "/") == 0)
		return path[0] == '/';
	return strncmp(mp, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/*
 * One line: "36 35 98:0 /root /mnt/point opts [optional...] - fstype src
 * superopts". Returns the prefix match length + 1 for a line of dev, or 0.
 */
static size_t
mountinfo_line(char *line, uint64_t dev, const char *path, char *mp,
    size_t mp_size, char *fstype, size_t fs_size)
{
	char *sep, *save = NULL, *tok, *mnt;
	unsigned maj, min;
	size_t score;

	if ((sep = strstr(line, " - ")) == NULL)
		return 0;
	*sep = '\0';
	if (sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2 ||
	    makedev(maj, min) != dev)
		return 0;
	strtok_r(line, " ", &save);              /* mount id */
	strtok_r(NULL, " ", &save);              /* parent id */
	strtok_r(NULL, " ", &save);              /* major:minor */
	strtok_r(NULL, " ", &save);              /* root */
	if ((mnt = strtok_r(NULL, " ", &save)) == NULL)
		return 0;
	unescape_octal(mnt);
	score = is_path_prefix(mnt, path) ? strlen(mnt) + 1 : 1;
	xsm_strlcpy(mp, mnt, mp_size);
	tok = strtok_r(sep + 3, " \n", &save);
	xsm_strlcpy(fstype, tok != NULL ? tok : "", fs_size);
	return score;
}

int
xsmd_logfs_mountinfo(uint64_t dev, const char *path, char *mountpoint,
    size_t mp_size, char *fstype, size_t fs_size)
{
	char real[PATH_MAX], mp[PATH_MAX], fs[64];
	size_t len = 0, best = 0, score;
	char *line = NULL;
	FILE *f;

	mountpoint[0] = fstype[0] = '\0';
	if (realpath(path, real) == NULL)
		xsm_strlcpy(real, path, sizeof(real));
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -errno;
	while (getline(&line, &len, f) > 0) {
		score = mountinfo_line(line, dev, real, mp, sizeof(mp), fs,
		    sizeof(fs));
		/* >=: of equal matches the later mount is the visible one. */
		if (score > 0 && score >= best) {
			best = score;
			xsm_strlcpy(mountpoint, mp, mp_size);
			xsm_strlcpy(fstype, fs, fs_size);
		}
	}
	free(line);
	fclose(f);
	return best > 0 ? 0 : -ENOENT;
}

/* --- /proc/PID/fd walk ------------------------------------------------ */

static bool
seen_inode(struct xsmd_logfs_dwalk *w, uint64_t ino)
{
	for (unsigned i = 0; i < w->n_seen; i++)
		if (w->seen[i] == ino)
			return true;
	/* Past the cap a second holder may be counted twice; say so rather
	 * than allocate without bound. */
	if (w->n_seen < XSMD_LOGFS_SEEN_MAX)
		w->seen[w->n_seen++] = ino;
	return false;
}

static void
read_comm(int procfd, int pid, char *comm, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%d/comm", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, comm, size - 1);
	close(fd);
	if (n <= 0) {
		comm[0] = '\0';
		return;
	}
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
}

static void
found_deleted(struct xsmd_logfs_dwalk *w, int fd, const char *target,
    const struct stat *st)
{
	struct xsm_logfs_scan *o = w->out;
	uint64_t bytes = (uint64_t)st->st_blocks * 512;
	struct xsm_logfs_deleted *e;
	struct xsmd_logfs_held *h;

	if (seen_inode(w, st->st_ino))
		return;
	o->deleted_count++;
	o->deleted_bytes += bytes;
	e = xsmd_logfs_capped_insert(o->deleted, &o->n_deleted, w->top,
	    sizeof(*e), offsetof(struct xsm_logfs_deleted, bytes),
	    (int64_t)bytes);
	if (e != NULL) {
		e->pid = w->pid;
		e->fd = fd;
		e->bytes = bytes;
		xsm_strlcpy(e->path, target, sizeof(e->path));
		read_comm(dirfd(w->proc), w->pid, e->comm, sizeof(e->comm));
	}
	h = xsmd_logfs_capped_insert(w->held, &w->n_held, XSMD_LOGFS_HELD_MAX,
	    sizeof(*h), offsetof(struct xsmd_logfs_held, bytes),
	    (int64_t)bytes);
	if (h != NULL)
		*h = (struct xsmd_logfs_held){ .pid = w->pid, .fd = fd,
		    .ino = st->st_ino, .bytes = bytes };
}

/* Is the link target an unlinked regular file of ours? Strips the suffix. */
static bool
is_ours_deleted(struct xsmd_logfs_dwalk *w, const char *name, char *target,
    struct stat *st)
{
	size_t len = strlen(target), sl = strlen(DELETED_SUFFIX);

	if (len <= sl || strcmp(target + len - sl, DELETED_SUFFIX) != 0)
		return false;
	/* Follows the magic link to the open file itself. */
	if (fstatat(dirfd(w->fds), name, st, 0) < 0)
		return false;
	/* nlink 0: a name removed from a file with other links frees no
	 * space, and a live file may really be called "x (deleted)". */
	if (!S_ISREG(st->st_mode) || st->st_dev != w->req->dev ||
	    st->st_nlink != 0)
		return false;
	target[len - sl] = '\0';
	if (w->req->need_prefix &&
	    strncmp(target, w->prefix, w->prefix_len) != 0)
		return false;
	return true;
}

/* One fd link of the current process. */
static void
fd_step(struct xsmd_logfs_dwalk *w)
{
	char target[PATH_MAX];
	struct dirent *de;
	struct stat st;
	ssize_t n;

	if ((de = readdir(w->fds)) == NULL) {
		closedir(w->fds);
		w->fds = NULL;
		return;
	}
	if (de->d_name[0] == '.')
		return;
	n = readlinkat(dirfd(w->fds), de->d_name, target, sizeof(target) - 1);
	if (n <= 0) {
		/*
		 * EACCES: the holder has capabilities we lack (a hardened
		 * unit without CAP_SYS_PTRACE): say the scan is blind rather
		 * than report "0 deleted".
		 */
		if (n < 0 && errno == EACCES && w->unreadable_pid != w->pid) {
			w->unreadable_pid = w->pid;
			w->out->deleted_unreadable++;
		}
		return;
	}
	target[n] = '\0';
	if (is_ours_deleted(w, de->d_name, target, &st))
		found_deleted(w, atoi(de->d_name), target, &st);
}

/* One /proc entry: enters the fd directory of a process. */
static void
pid_step(struct xsmd_logfs_dwalk *w)
{
	struct dirent *de;
	char path[64];
	int fdd;

	if ((de = readdir(w->proc)) == NULL) {
		closedir(w->proc);
		w->proc = NULL;
		return;
	}
	if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
	    strspn(de->d_name, "0123456789") != strlen(de->d_name))
		return;
	w->pid = atoi(de->d_name);
	snprintf(path, sizeof(path), "%d/fd", w->pid);
	fdd = openat(dirfd(w->proc), path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0) {
		if (errno == EACCES)  /* not root: other users' fds are hidden */
			w->out->deleted_unreadable++;
		return;               /* ENOENT: the process exited */
	}
	if ((w->fds = fdopendir(fdd)) == NULL)
		close(fdd);
}

static void
set_prefix(struct xsmd_logfs_dwalk *w, const char *root)
{
	char real[PATH_MAX];

	/* Links name the file as the kernel resolved it: compare resolved. */
	if (realpath(root, real) == NULL)
		xsm_strlcpy(real, root, sizeof(real));
	w->prefix_len = strlen(real);
	while (w->prefix_len > 0 && real[w->prefix_len - 1] == '/')
		real[--w->prefix_len] = '\0';
	snprintf(w->prefix, sizeof(w->prefix), "%s/", real);
	w->prefix_len = strlen(w->prefix);
}

void
xsmd_logfs_deleted_begin(struct xsmd_logfs_dwalk *w,
    const struct xsmd_logfs_scan_req *req, unsigned top,
    struct xsm_logfs_scan *out)
{
	int fd;

	xsmd_logfs_deleted_abort(w);
	w->req = req;
	w->out = out;
	w->top = top;
	w->err = 0;
	w->n_held = w->n_seen = 0;
	out->deleted_error = 0;
	out->deleted_unreadable = 0;
	w->unreadable_pid = 0;
	out->deleted_bytes = 0;
	out->deleted_count = 0;
	out->n_deleted = 0;
	set_prefix(w, req->root);
	fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (w->proc = fdopendir(fd)) == NULL) {
		w->err = -errno;
		out->deleted_error = errno;
		if (fd >= 0)
			close(fd);
	}
}

bool
xsmd_logfs_deleted_step(struct xsmd_logfs_dwalk *w)
{
	if (w->fds != NULL)
		fd_step(w);
	else if (w->proc != NULL)
		pid_step(w);
	return w->fds != NULL || w->proc != NULL;
}

void
xsmd_logfs_deleted_abort(struct xsmd_logfs_dwalk *w)
{
	if (w->fds != NULL)
		closedir(w->fds);
	if (w->proc != NULL)
		closedir(w->proc);
	w->fds = w->proc = NULL;
}
