/* SPDX-License-Identifier: ISC */
/*
 * logfs_inotify.c: the inotify watch set of the /var/log watcher.
 *
 * Re-establishing is done on a fresh fd rather than by removing watches
 * one by one: after an umount or a queue overflow nothing in the old set
 * can be trusted, and closing the fd drops it all at once.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "logfs_inotify.h"

#define DRAIN_READS_MAX 64
#define DIR_MASK (IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | \
	IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | \
	IN_ATTRIB | IN_ONLYDIR)

void
xsmd_logfs_iwatch_init(struct xsmd_logfs_iwatch *iw)
{
	memset(iw, 0, sizeof(*iw));
	iw->fd = -1;
	iw->root_wd = iw->parent_wd = -1;
}

static struct xsmd_logfs_dwatch *
dir_find(struct xsmd_logfs_iwatch *iw, int wd)
{
	for (unsigned i = 0; i < iw->n_dirs; i++)
		if (iw->dirs[i].wd == wd)
			return &iw->dirs[i];
	return NULL;
}

static void
dir_remove(struct xsmd_logfs_iwatch *iw, struct xsmd_logfs_dwatch *dw)
{
	free(dw->rel);
	*dw = iw->dirs[--iw->n_dirs];
}

static int
held_find(struct xsmd_logfs_iwatch *iw, int wd)
{
	for (unsigned i = 0; i < iw->n_held; i++)
		if (iw->held[i].wd == wd)
			return (int)i;
	return -1;
}

void
xsmd_logfs_iwatch_close(struct xsmd_logfs_iwatch *iw)
{
	if (iw->fd >= 0)
		close(iw->fd);
	iw->fd = -1;
	while (iw->n_dirs > 0)
		dir_remove(iw, &iw->dirs[iw->n_dirs - 1]);
	iw->n_held = 0;
	iw->watching = false;
	iw->root_wd = iw->parent_wd = -1;
}

static bool
dir_add(struct xsmd_logfs_iwatch *iw, const char *full, const char *rel)
{
	int wd;

	if (iw->n_dirs >= XSMD_LOGFS_DIRS_MAX) {
		if (!iw->warned_cap)
			log_warnx("logfs: watching only the first %d directories "
			    "under %s; the safety timer covers the rest",
			    XSMD_LOGFS_DIRS_MAX, iw->path);
		iw->warned_cap = true;
		return false;
	}
	wd = inotify_add_watch(iw->fd, full, DIR_MASK |
	    (*rel ? IN_DONT_FOLLOW : 0));
	if (wd < 0 || dir_find(iw, wd) != NULL)
		return false;
	if ((iw->dirs[iw->n_dirs].rel = strdup(rel)) == NULL) {
		inotify_rm_watch(iw->fd, wd);
		return false;
	}
	iw->dirs[iw->n_dirs++].wd = wd;
	return true;
}

/* Watches rel and the directories below it on the same filesystem. */
static void
add_tree(struct xsmd_logfs_iwatch *iw, const char *rel, unsigned depth)
{
	char full[2 * XSM_PATH_MAX], sub[2 * XSM_PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *dir;

	snprintf(full, sizeof(full), "%s%s%s", iw->path, *rel ? "/" : "", rel);
	if (!dir_add(iw, full, rel))
		return;
	if (depth + 1 >= XSMD_LOGFS_SCAN_DEPTH_MAX ||
	    (dir = opendir(full)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(dir), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_dev != iw->dev)
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		add_tree(iw, sub, depth + 1);
	}
	closedir(dir);
}

/* So that the path appearing (mkdir, mv) wakes us. */
static void
watch_parent(struct xsmd_logfs_iwatch *iw)
{
	char parent[XSM_PATH_MAX];
	char *slash;

	xsm_strlcpy(parent, iw->path, sizeof(parent));
	if ((slash = strrchr(parent, '/')) == NULL)
		return;
	slash[slash == parent] = '\0';
	iw->parent_wd = inotify_add_watch(iw->fd, parent,
	    IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
}

static int
open_failed(struct xsmd_logfs_iwatch *iw, int err, const char *what)
{
	if (!iw->warned_watch) {
		errno = err;
		log_warn("logfs: %s %s", what, iw->path);
	}
	iw->warned_watch = true;
	return -err;
}

int
xsmd_logfs_iwatch_open(struct xsmd_logfs_iwatch *iw, const char *path)
{
	struct stat st;

	xsmd_logfs_iwatch_close(iw);
	xsm_strlcpy(iw->path, path, sizeof(iw->path));
	iw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (iw->fd < 0)
		return open_failed(iw, errno, "inotify_init1 for");
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		int err = errno ? errno : ENOTDIR;

		watch_parent(iw);
		return open_failed(iw, err, "cannot watch");
	}
	iw->dev = st.st_dev;
	iw->warned_cap = false;
	add_tree(iw, "", 0);
	if (iw->n_dirs == 0 || iw->dirs[0].rel[0] != '\0') {
		watch_parent(iw);
		return open_failed(iw, errno, "cannot watch");
	}
	iw->root_wd = iw->dirs[0].wd;
	iw->watching = true;
	iw->warned_watch = false;
	return 0;
}

/* Takes a released deleted-but-open file out of the last scan. */
static void
held_gone(struct xsmd_logfs_iwatch *iw, unsigned i,
    struct xsm_logfs_scan *sc)
{
	struct xsmd_logfs_hwatch h = iw->held[i];

	iw->held[i] = iw->held[--iw->n_held];
	if (sc->deleted_count > 0)
		sc->deleted_count--;
	sc->deleted_bytes -= h.bytes < sc->deleted_bytes ? h.bytes :
	    sc->deleted_bytes;
	for (unsigned j = 0; j < sc->n_deleted; j++) {
		if (sc->deleted[j].pid != h.pid || sc->deleted[j].fd != h.fd)
			continue;
		memmove(&sc->deleted[j], &sc->deleted[j + 1],
		    (sc->n_deleted - j - 1) * sizeof(sc->deleted[0]));
		sc->n_deleted--;
		break;
	}
}

bool
xsmd_logfs_iwatch_refresh(struct xsmd_logfs_iwatch *iw,
    struct xsm_logfs_scan *sc)
{
	bool changed = false;
	struct stat st;
	char p[64];

	for (unsigned i = 0; i < iw->n_held; i++) {
		struct xsmd_logfs_hwatch *h = &iw->held[i];
		uint64_t bytes;

		if (!h->dirty)
			continue;
		h->dirty = false;
		snprintf(p, sizeof(p), "/proc/%d/fd/%d", h->pid, h->fd);
		if (stat(p, &st) < 0)
			continue;  /* closed: IN_IGNORED or the next scan says */
		bytes = (uint64_t)st.st_blocks * 512;
		if (bytes == h->bytes)
			continue;
		sc->deleted_bytes += bytes - h->bytes;  /* modular: may shrink */
		h->bytes = bytes;
		for (unsigned j = 0; j < sc->n_deleted; j++)
			if (sc->deleted[j].pid == h->pid &&
			    sc->deleted[j].fd == h->fd)
				sc->deleted[j].bytes = bytes;
		changed = true;
	}
	return changed;
}

static void
dir_event(struct xsmd_logfs_iwatch *iw, struct xsmd_logfs_dwatch *dw,
    const struct inotify_event *e, struct xsmd_logfs_ievents *out)
{
	char sub[2 * XSM_PATH_MAX];

	if (e->wd == iw->root_wd && (e->mask & (IN_UNMOUNT | IN_DELETE_SELF |
	    IN_MOVE_SELF | IN_IGNORED))) {
		/* The mount (or the directory) went away: say so at once. */
		out->urgent = out->rewatch = true;
	}
	if (e->mask & IN_IGNORED) {
		dir_remove(iw, dw);
		return;
	}
	if ((e->mask & (IN_CREATE | IN_MOVED_TO)) && (e->mask & IN_ISDIR) &&
	    e->len > 0) {
		snprintf(sub, sizeof(sub), "%s%s%s", dw->rel, *dw->rel ? "/" : "",
		    e->name);
		add_tree(iw, sub, 0);
	}
	/* Rotation leaves the old file open in its writer: rescan soon. */
	if (e->mask & (IN_DELETE | IN_MOVED_FROM))
		out->scan = out->released = true;
}

static const char *
basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static void
handle_event(struct xsmd_logfs_iwatch *iw, const struct inotify_event *e,
    struct xsm_logfs_scan *sc, struct xsmd_logfs_ievents *out)
{
	struct xsmd_logfs_dwatch *dw;
	int h;

	out->events++;
	if (e->mask & IN_Q_OVERFLOW) {
		/* Directory creations may have been lost with the queue. */
		out->rewatch = true;
	} else if (iw->parent_wd >= 0 && e->wd == iw->parent_wd) {
		/* Only our name appearing matters, not all of /var. */
		if (e->len > 0 && strcmp(e->name, basename_of(iw->path)) == 0)
			out->urgent = out->rewatch = true;
	} else if ((h = held_find(iw, e->wd)) >= 0) {
		if (e->mask & IN_IGNORED) {
			/* Sent before the inode is evicted: its blocks are
			 * freed just after, so no urgent sample here. */
			held_gone(iw, (unsigned)h, sc);
			out->freed = out->released = true;
		} else {
			iw->held[h].dirty = true;
		}
	} else if ((dw = dir_find(iw, e->wd)) != NULL) {
		dir_event(iw, dw, e, out);
	}
}

void
xsmd_logfs_iwatch_drain(struct xsmd_logfs_iwatch *iw,
    struct xsm_logfs_scan *sc, struct xsmd_logfs_ievents *out)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	ssize_t n;

	/* Bounded: a writer faster than us must not keep us here. */
	for (int i = 0; i < DRAIN_READS_MAX && iw->fd >= 0; i++) {
		n = read(iw->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n; p += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)p;
			handle_event(iw, e, sc, out);
		}
	}
}

void
xsmd_logfs_iwatch_held(struct xsmd_logfs_iwatch *iw,
    const struct xsmd_logfs_held *held, unsigned n)
{
	struct xsmd_logfs_hwatch nw[XSMD_LOGFS_HELD_MAX];
	unsigned nn = 0;
	char p[64];

	for (unsigned i = 0; i < n && iw->fd >= 0; i++) {
		int wd;

		snprintf(p, sizeof(p), "/proc/%d/fd/%d", held[i].pid,
		    held[i].fd);
		if ((wd = inotify_add_watch(iw->fd, p, IN_MODIFY)) < 0)
			continue;
		nw[nn++] = (struct xsmd_logfs_hwatch){ .wd = wd,
		    .pid = held[i].pid, .fd = held[i].fd,
		    .bytes = held[i].bytes };
	}
	/* Same inode, same wd: drop only the watches no longer wanted. */
	for (unsigned i = 0; i < iw->n_held; i++) {
		bool keep = false;

		for (unsigned j = 0; j < nn && !keep; j++)
			keep = nw[j].wd == iw->held[i].wd;
		if (!keep && dir_find(iw, iw->held[i].wd) == NULL)
			inotify_rm_watch(iw->fd, iw->held[i].wd);
	}
	memcpy(iw->held, nw, nn * sizeof(nw[0]));
	iw->n_held = nn;
}
