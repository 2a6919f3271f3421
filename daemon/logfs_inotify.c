/* SPDX-License-Identifier: ISC */
/*
 * logfs_inotify.c: the inotify watch set of the /var/log watcher.
 *
 * After an umount (or the root replaced) nothing in the old set can be
 * trusted: we start afresh on a new fd, and closing the old one drops it
 * all at once. A queue overflow only loses events: the set is walked again
 * (inotify_add_watch on a watched inode returns its wd), missing
 * directories are added and the deleted-file watches stay. The queue does
 * overflow under a heavy writer, since the watcher leaves it unread for a
 * settle period to coalesce; that must stay cheap and quiet.
 *
 * Each directory watch records its depth, so a new subdirectory continues
 * the depth of its parent (a nested mkdir cannot escape the depth cap),
 * and a directory moved or deleted takes its subtree's watches with it.
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

static struct xsmd_logfs_dwatch *
dir_find_ino(struct xsmd_logfs_iwatch *iw, uint64_t ino)
{
	for (unsigned i = 0; i < iw->n_dirs; i++)
		if (iw->dirs[i].ino == ino)
			return &iw->dirs[i];
	return NULL;
}

/* Forgets dw; the array is compacted, so dw then names another entry. */
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

/* Log edges: once when the cap is first hit, once when it clears. */
static void
cap_log(struct xsmd_logfs_iwatch *iw, bool complete)
{
	if (iw->capped && !iw->warned_cap)
		log_warnx("logfs: watching only the first %d directories under "
		    "%s; the safety timer covers the rest", XSMD_LOGFS_DIRS_MAX,
		    iw->path);
	else if (complete && !iw->capped && iw->warned_cap)
		log_info("logfs: all %u directories under %s are watched again",
		    iw->n_dirs, iw->path);
	if (iw->capped || complete)
		iw->warned_cap = iw->capped;
}

static int
dir_set_rel(struct xsmd_logfs_dwatch *dw, const char *rel, unsigned depth)
{
	char *p;

	dw->seen = true;
	dw->depth = depth;
	if (strcmp(dw->rel, rel) == 0)
		return 0;
	/* Moved while its events were lost: follow it. */
	if ((p = strdup(rel)) == NULL)
		return -ENOMEM;
	free(dw->rel);
	dw->rel = p;
	return 0;
}

/* Watches full (rel, at depth; st is its lstat) unless it is already. */
static int
dir_add(struct xsmd_logfs_iwatch *iw, const char *full, const char *rel,
    unsigned depth, const struct stat *st)
{
	struct xsmd_logfs_dwatch *dw;
	int wd;

	if (dir_find_ino(iw, st->st_ino) == NULL &&
	    iw->n_dirs >= XSMD_LOGFS_DIRS_MAX) {
		iw->capped = true;
		return -ENOSPC;
	}
	wd = inotify_add_watch(iw->fd, full, DIR_MASK |
	    (*rel ? IN_DONT_FOLLOW : 0));
	if (wd < 0)
		return -errno;
	if ((dw = dir_find(iw, wd)) != NULL)
		return dir_set_rel(dw, rel, depth);
	if (iw->n_dirs >= XSMD_LOGFS_DIRS_MAX) {
		inotify_rm_watch(iw->fd, wd);  /* a new inode of a known ino */
		iw->capped = true;
		return -ENOSPC;
	}
	dw = &iw->dirs[iw->n_dirs];
	*dw = (struct xsmd_logfs_dwatch){ .wd = wd, .depth = depth,
	    .ino = st->st_ino, .seen = true, .rel = strdup(rel) };
	if (dw->rel == NULL) {
		inotify_rm_watch(iw->fd, wd);
		return -ENOMEM;
	}
	iw->n_dirs++;
	return 0;
}

/*
 * Watches rel (at depth; st is its lstat) and the directories below it on
 * the same filesystem. Returns rel's own error: below it, what cannot be
 * watched is skipped.
 */
static int
add_tree(struct xsmd_logfs_iwatch *iw, const char *rel, unsigned depth,
    const struct stat *st)
{
	char full[2 * XSM_PATH_MAX], sub[2 * XSM_PATH_MAX];
	struct dirent *de;
	struct stat sst;
	DIR *dir;
	int fd, r;

	if (depth >= XSMD_LOGFS_SCAN_DEPTH_MAX)
		return 0;  /* as deep as the scan goes */
	/* A truncated name could be another (watched) directory. */
	if (snprintf(full, sizeof(full), "%s%s%s", iw->path, *rel ? "/" : "",
	    rel) >= (int)sizeof(full))
		return -ENAMETOOLONG;
	if ((r = dir_add(iw, full, rel, depth, st)) < 0)
		return r;
	if (depth + 1 >= XSMD_LOGFS_SCAN_DEPTH_MAX)
		return 0;
	/* Reading a directory would update its atime: not on our fs. */
	fd = xsmd_logfs_open_dir(AT_FDCWD, full, *rel ? O_NOFOLLOW : 0);
	if (fd < 0)
		return 0;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(dir), de->d_name, &sst,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(sst.st_mode) ||
		    sst.st_dev != iw->dev)
			continue;
		if (snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name) < (int)sizeof(sub))
			add_tree(iw, sub, depth + 1, &sst);
	}
	closedir(dir);
	return 0;
}

/*
 * A complete walk from the root (st): what it does not meet is no longer
 * in the tree and loses its watch.
 */
static int
walk(struct xsmd_logfs_iwatch *iw, const struct stat *st)
{
	int r;

	for (unsigned i = 0; i < iw->n_dirs; i++)
		iw->dirs[i].seen = false;
	iw->capped = false;
	r = add_tree(iw, "", 0, st);
	for (unsigned i = iw->n_dirs; i-- > 0;) {
		if (iw->dirs[i].seen)
			continue;
		inotify_rm_watch(iw->fd, iw->dirs[i].wd);
		dir_remove(iw, &iw->dirs[i]);
	}
	if (r == 0)
		cap_log(iw, true);
	return r;
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
	int r;

	xsmd_logfs_iwatch_close(iw);
	xsm_strlcpy(iw->path, path, sizeof(iw->path));
	if ((iw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return open_failed(iw, errno, "inotify_init1 for");
	r = stat(path, &st) < 0 ? -errno : 0;
	if (r == 0 && !S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (r == 0) {
		iw->dev = st.st_dev;
		r = walk(iw, &st);
	}
	if (r < 0) {
		watch_parent(iw);
		return open_failed(iw, -r, "cannot watch");
	}
	iw->root_wd = iw->dirs[0].wd;  /* the first one added */
	iw->watching = true;
	iw->warned_watch = false;
	return 0;
}

int
xsmd_logfs_iwatch_rewalk(struct xsmd_logfs_iwatch *iw)
{
	struct xsmd_logfs_dwatch *root;
	struct stat st;
	int r;

	if (!iw->watching)
		return -ENOENT;
	if (stat(iw->path, &st) < 0)
		return -errno;
	if (st.st_dev != iw->dev)
		return -EXDEV;
	if ((r = walk(iw, &st)) < 0)
		return r;
	/* Another directory renamed over the root got a watch of its own. */
	root = dir_find(iw, iw->root_wd);
	return root != NULL && root->rel[0] == '\0' ? 0 : -ESTALE;
}

/* Takes a released deleted-but-open file out of the last scan. */
static void
scan_drop(struct xsm_logfs_scan *sc, int pid, int fd, uint64_t bytes)
{
	if (sc->deleted_count > 0)
		sc->deleted_count--;
	sc->deleted_bytes -= bytes < sc->deleted_bytes ? bytes :
	    sc->deleted_bytes;
	for (unsigned j = 0; j < sc->n_deleted; j++) {
		if (sc->deleted[j].pid != pid || sc->deleted[j].fd != fd)
			continue;
		memmove(&sc->deleted[j], &sc->deleted[j + 1],
		    (sc->n_deleted - j - 1) * sizeof(sc->deleted[0]));
		sc->n_deleted--;
		break;
	}
}

static void
held_gone(struct xsmd_logfs_iwatch *iw, unsigned i,
    struct xsm_logfs_scan *sc)
{
	struct xsmd_logfs_hwatch h = iw->held[i];

	iw->held[i] = iw->held[--iw->n_held];
	scan_drop(sc, h.pid, h.fd, h.bytes);
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

/* Drops the watches of rel and below. Returns true if there were any. */
static bool
drop_subtree(struct xsmd_logfs_iwatch *iw, const char *rel)
{
	size_t len = strlen(rel);
	bool any = false;

	for (unsigned i = iw->n_dirs; i-- > 0;) {
		const char *r = iw->dirs[i].rel;

		if (strncmp(r, rel, len) != 0 ||
		    (r[len] != '\0' && r[len] != '/'))
			continue;
		/* Harmless when already gone (rmdir); IN_IGNORED then finds
		 * no entry. */
		inotify_rm_watch(iw->fd, iw->dirs[i].wd);
		dir_remove(iw, &iw->dirs[i]);
		any = true;
	}
	return any;
}

/* A directory appeared (mkdir, mv into the tree) at rel, depth. */
static void
dir_new(struct xsmd_logfs_iwatch *iw, const char *rel, unsigned depth)
{
	char full[2 * XSM_PATH_MAX];
	struct stat st;

	if (snprintf(full, sizeof(full), "%s/%s", iw->path, rel) >=
	    (int)sizeof(full) || lstat(full, &st) < 0 ||
	    !S_ISDIR(st.st_mode) || st.st_dev != iw->dev)
		return;  /* too deep a name, gone again, or not ours */
	add_tree(iw, rel, depth, &st);
	cap_log(iw, false);
}

static void
dir_event(struct xsmd_logfs_iwatch *iw, struct xsmd_logfs_dwatch *dw,
    const struct inotify_event *e, struct xsmd_logfs_ievents *out)
{
	char sub[2 * XSM_PATH_MAX];
	unsigned depth = dw->depth + 1;

	if (e->wd == iw->root_wd && (e->mask & (IN_UNMOUNT | IN_DELETE_SELF |
	    IN_MOVE_SELF | IN_IGNORED))) {
		/* The mount (or the directory) went away: say so at once. */
		out->urgent = out->rewatch = true;
	}
	if (e->mask & IN_IGNORED) {
		dir_remove(iw, dw);
		out->rewalk |= iw->capped;  /* a slot is free */
		return;
	}
	/* Rotation leaves the old file open in its writer: rescan soon. */
	if (e->mask & (IN_DELETE | IN_MOVED_FROM))
		out->scan = out->released = true;
	if (!(e->mask & IN_ISDIR) || e->len == 0)
		return;
	if (snprintf(sub, sizeof(sub), "%s%s%s", dw->rel, *dw->rel ? "/" : "",
	    e->name) >= (int)sizeof(sub))
		return;
	/* dw is not to be used from here: the array may be compacted. */
	if ((e->mask & (IN_DELETE | IN_MOVED_FROM)) && drop_subtree(iw, sub))
		out->rewalk |= iw->capped;
	if (e->mask & (IN_CREATE | IN_MOVED_TO))
		dir_new(iw, sub, depth);
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
		/* Directory creations, deletions and releases may have been
		 * lost with the queue: walk again, rescan, sample again. */
		log_debug("logfs: inotify queue overflow");
		out->rewalk = out->scan = out->released = true;
		for (unsigned i = 0; i < iw->n_held; i++)
			iw->held[i].dirty = true;
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
    const struct xsmd_logfs_held *held, unsigned n, struct xsm_logfs_scan *sc)
{
	struct xsmd_logfs_hwatch nw[XSMD_LOGFS_HELD_MAX];
	unsigned nn = 0;
	char p[64];

	for (unsigned i = 0; i < n && iw->fd >= 0; i++) {
		int wd;

		snprintf(p, sizeof(p), "/proc/%d/fd/%d", held[i].pid,
		    held[i].fd);
		if ((wd = inotify_add_watch(iw->fd, p, IN_MODIFY)) < 0) {
			/* Closed since the scan saw it: no IN_IGNORED will
			 * tell us. */
			if (errno == ENOENT)
				scan_drop(sc, held[i].pid, held[i].fd,
				    held[i].bytes);
			continue;
		}
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
