/* SPDX-License-Identifier: ISC */
/*
 * logfs_scan.h: the slow part of the /var/log watcher (logfs_scan.c): a
 * tree walk of the watched path (largest files and directories, growth
 * between scans) and a walk of /proc/PID/fd for files deleted while still
 * open; and the filesystem facts it shares with the watcher (logfs_fs.c).
 * All of it only reads: nothing is ever written to the watched fs.
 */
#ifndef XSMD_LOGFS_SCAN_H
#define XSMD_LOGFS_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "logfs.h"

#define XSMD_LOGFS_SCAN_ENTRIES_MAX 20000 /* files + dirs per walk */
#define XSMD_LOGFS_SCAN_DEPTH_MAX 16
#define XSMD_LOGFS_HELD_MAX 64            /* deleted files handed back */

/* The scanner keeps the previous walk (path hash -> bytes) for growth. */
struct xsmd_logfs_scanner;

/* One deleted-but-open file, so the watcher can watch its inode. */
struct xsmd_logfs_held {
	int pid;
	int fd;
	uint64_t ino;
	uint64_t bytes;
};

struct xsmd_logfs_scan_req {
	const char *root;     /* the watched path */
	uint64_t dev;         /* only this filesystem is walked and matched */
	bool need_prefix;     /* root shares its fs with its parent: also
	                         require the deleted file's path under root */
	unsigned top;         /* entries per list, capped at TOP_MAX */
	uint64_t now_mono;
	uint64_t now_wall;
};

/* Returns NULL with errno ENOMEM. */
struct xsmd_logfs_scanner *xsmd_logfs_scanner_new(void);
void xsmd_logfs_scanner_free(struct xsmd_logfs_scanner *sc);

/*
 * Drops the previous walk: growth across two different filesystems (a
 * remount) means nothing.
 */
void xsmd_logfs_scanner_forget(struct xsmd_logfs_scanner *sc);

/*
 * Walks req->root and fills the tree part of *out (at_usec, window_usec,
 * files_seen, truncated, files, dirs, growers); valid is set on success.
 * Returns 0 or -errno when root cannot be opened (out then keeps its
 * previous tree lists but valid reflects nothing new).
 */
int xsmd_logfs_scan_tree(struct xsmd_logfs_scanner *sc,
    const struct xsmd_logfs_scan_req *req, struct xsm_logfs_scan *out);

/*
 * Walks /proc and fills the deleted-but-open part of *out (deleted_error,
 * deleted_bytes, deleted_count, deleted), one entry per inode, largest
 * first. held gets up to XSMD_LOGFS_HELD_MAX of them (largest first) and
 * *n_held their number. EACCES on another process's fd directory (not
 * root) sets deleted_error and is not an error. Returns 0 or -errno when
 * /proc itself cannot be read.
 */
int xsmd_logfs_scan_deleted(const struct xsmd_logfs_scan_req *req,
    struct xsm_logfs_scan *out, struct xsmd_logfs_held *held,
    unsigned *n_held);

struct stat;
struct statvfs;

/* logfs_fs.c. True when path (whose stat is st) is a mount of its own. */
bool xsmd_logfs_is_mountpoint(const char *path, const struct stat *st);

/* Fills the bytes and inodes of s from sv, clamping free to total. */
void xsmd_logfs_fill_statvfs(struct xsm_logfs_sample *s,
    const struct statvfs *sv);

/*
 * Looks dev up in /proc/self/mountinfo (its major:minor field). Of several
 * mounts of the same dev (bind mounts, the parent fs after an umount) the
 * one whose mount point is the longest prefix of path wins. Fills
 * mountpoint and fstype (octal escapes decoded). Returns 0, -ENOENT when
 * no mount has that dev, or -errno when mountinfo cannot be read.
 */
int xsmd_logfs_mountinfo(uint64_t dev, const char *path, char *mountpoint,
    size_t mp_size, char *fstype, size_t fs_size);

#endif
