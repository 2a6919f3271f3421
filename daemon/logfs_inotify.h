/* SPDX-License-Identifier: ISC */
/*
 * logfs_inotify.h: the inotify watch set of the /var/log watcher: the
 * watched tree's directories (capped) and the inodes of the largest
 * deleted-but-open files, reached through /proc/PID/fd/N (the magic link
 * resolves to the unlinked inode, so writes into it wake us and its last
 * close, IN_IGNORED, tells us the space came back).
 */
#ifndef XSMD_LOGFS_INOTIFY_H
#define XSMD_LOGFS_INOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "logfs.h"
#include "logfs_scan.h"

#define XSMD_LOGFS_DIRS_MAX 256

struct xsmd_logfs_dwatch {
	int wd;
	unsigned depth;           /* 0 for the root */
	uint64_t ino;             /* on dev */
	bool seen;                /* met by the walk in progress */
	char *rel;                /* relative to the path, "" for the root */
};

struct xsmd_logfs_hwatch {
	int wd;
	int pid;
	int fd;
	uint64_t bytes;
	bool dirty;               /* written to since its size was taken */
};

struct xsmd_logfs_iwatch {
	int fd;                   /* inotify, non-blocking; -1 when closed */
	char path[XSM_PATH_MAX];
	bool watching;            /* root_wd is set, on dev */
	uint64_t dev;
	int root_wd;
	int parent_wd;            /* the parent, while the path is missing */
	struct xsmd_logfs_dwatch dirs[XSMD_LOGFS_DIRS_MAX];
	unsigned n_dirs;
	struct xsmd_logfs_hwatch held[XSMD_LOGFS_HELD_MAX];
	unsigned n_held;
	bool capped;              /* a directory was refused since the last
	                             complete walk */
	bool warned_cap;          /* the cap warning is out, until it clears */
	bool warned_watch;
};

/* What a batch of events asks the watcher to do. */
struct xsmd_logfs_ievents {
	uint64_t events;          /* events read */
	bool urgent;              /* sample now, do not wait for settle */
	bool rewatch;             /* the root went away: start afresh */
	bool rewalk;              /* events were lost (queue overflow), or a
	                             slot freed while capped: add what is
	                             missing, keep the rest */
	bool scan;                /* entries were deleted or moved away */
	bool freed;               /* a deleted-but-open file was released */
	bool released;            /* space may still be freed after the event */
};

/* fd = -1, nothing watched. */
void xsmd_logfs_iwatch_init(struct xsmd_logfs_iwatch *iw);

/* Closes the fd and forgets every watch. */
void xsmd_logfs_iwatch_close(struct xsmd_logfs_iwatch *iw);

/*
 * Closes, then opens a fresh inotify fd and watches path and the
 * directories below it on path's filesystem. If path is missing, watches
 * its parent for it to appear. Returns 0 when the root is watched, or a
 * negative errno; iw->fd may still be valid (parent watch) on error.
 * Logs once per failure streak.
 */
int xsmd_logfs_iwatch_open(struct xsmd_logfs_iwatch *iw, const char *path);

/*
 * Walks the watched tree again, keeping every watch that is still right
 * (the deleted-file ones too): adds missing directories, corrects the
 * paths of moved ones and drops those no longer in the tree. Cheap enough
 * for every queue overflow. Returns 0, or a negative errno when the root
 * itself is gone or replaced (then reopen).
 */
int xsmd_logfs_iwatch_rewalk(struct xsmd_logfs_iwatch *iw);

/*
 * Reads every queued event (a bounded number of reads), keeps the
 * directory set current (new subdirectories), and accumulates into *out.
 * A released deleted file is taken out of scan's figures.
 */
void xsmd_logfs_iwatch_drain(struct xsmd_logfs_iwatch *iw,
    struct xsm_logfs_scan *scan, struct xsmd_logfs_ievents *out);

/*
 * Updates scan for deleted files written to since the last call. Returns
 * true when a size changed.
 */
bool xsmd_logfs_iwatch_refresh(struct xsmd_logfs_iwatch *iw,
    struct xsm_logfs_scan *scan);

/*
 * Replaces the deleted-file watches with those of a new scan. A file
 * whose holder closed it meanwhile (scans take several loop turns) is
 * taken out of scan.
 */
void xsmd_logfs_iwatch_held(struct xsmd_logfs_iwatch *iw,
    const struct xsmd_logfs_held *held, unsigned n,
    struct xsm_logfs_scan *scan);

#endif
