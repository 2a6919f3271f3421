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

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logfs.h"

#define XSMD_LOGFS_SCAN_ENTRIES_MAX 20000 /* files + dirs per walk */
#define XSMD_LOGFS_SCAN_DEPTH_MAX 16
#define XSMD_LOGFS_HELD_MAX 64            /* deleted files handed back */

/*
 * The scanner keeps the previous walk (path hash -> bytes) for growth, and
 * the scan in progress: a scan is done in steps, so that a large tree or
 * a dom0 with thousands of open fds never holds up the loop.
 */
struct xsmd_logfs_scanner;

/* One deleted-but-open file, so the watcher can watch its inode. */
struct xsmd_logfs_held {
	int pid;
	int fd;
	uint64_t ino;
	uint64_t bytes;
};

struct xsmd_logfs_scan_req {
	const char *root;     /* the watched path (copied by scan_start) */
	uint64_t dev;         /* only this filesystem is walked and matched */
	bool need_prefix;     /* root shares its fs with its parent: also
	                         require the deleted file's path under root */
	unsigned top;         /* entries per list, capped at TOP_MAX */
	uint64_t now_mono;
	uint64_t now_wall;
};

/* What a finished scan hands back (xsmd_logfs_scan_result). */
struct xsmd_logfs_scan_done {
	int tree_err;         /* 0, or -errno when root could not be walked */
	int deleted_err;      /* 0, or -errno when /proc could not be read */
	struct xsmd_logfs_held held[XSMD_LOGFS_HELD_MAX]; /* largest first */
	unsigned n_held;
	unsigned turns;       /* scan_turn calls it took */
	uint64_t worst_usec;  /* the longest of them */
};

/* Returns NULL with errno ENOMEM. */
struct xsmd_logfs_scanner *xsmd_logfs_scanner_new(void);
/* Abandons any scan in progress and frees everything. NULL is a no-op. */
void xsmd_logfs_scanner_free(struct xsmd_logfs_scanner *sc);

/*
 * Drops the previous walk: growth across two different filesystems (a
 * remount) means nothing.
 */
void xsmd_logfs_scanner_forget(struct xsmd_logfs_scanner *sc);

/*
 * Starts a scan of req (abandoning one in progress). Nothing is read yet;
 * xsmd_logfs_scan_step() does the work. The previous result stays where
 * the caller published it until the scan finishes.
 */
void xsmd_logfs_scan_start(struct xsmd_logfs_scanner *sc,
    const struct xsmd_logfs_scan_req *req);

/* True while a scan is started and not finished. */
bool xsmd_logfs_scan_busy(const struct xsmd_logfs_scanner *sc);

/*
 * One turn of the scan in progress: about entries units of work (one
 * directory entry or one fd link each) or usec of CLOCK_MONOTONIC time,
 * whichever comes first. Returns true when the scan is finished: then
 * call scan_result.
 */
bool xsmd_logfs_scan_turn(struct xsmd_logfs_scanner *sc, unsigned entries,
    uint64_t usec);

/*
 * Publishes a finished scan into *out: the tree part (at_usec,
 * window_usec, files_seen, truncated, files, dirs, growers; valid set)
 * when the walk succeeded, else out keeps its previous tree lists; the
 * deleted part (deleted_error, deleted_bytes, deleted_count, deleted) in
 * any case, one entry per inode, largest first. EACCES on another
 * process's fd directory (not root) sets deleted_error and is no error.
 */
void xsmd_logfs_scan_result(struct xsmd_logfs_scanner *sc,
    struct xsm_logfs_scan *out, struct xsmd_logfs_scan_done *done);

/* Stops a scan in progress: its directories are closed, nothing kept. */
void xsmd_logfs_scan_abort(struct xsmd_logfs_scanner *sc);

/*
 * Opens a directory to read it, with O_NOATIME where we may (it needs
 * ownership or CAP_FOWNER; EPERM falls back without it), so reading the
 * watched tree does not even update atimes there. extra: O_NOFOLLOW or 0.
 * Returns the fd or -1 with errno set.
 */
int xsmd_logfs_open_dir(int dfd, const char *name, int extra);

/*
 * The one capped sorted list: base holds *n elements of size, largest key
 * first, at most cap. The key is the 8-byte integer (uint64_t or int64_t)
 * at key_off in each element. Makes room for key and returns its slot,
 * which the caller fills, or NULL when key does not make the list.
 */
void *xsmd_logfs_capped_insert(void *base, unsigned *n, unsigned cap,
    size_t size, size_t key_off, int64_t key);

/* --- logfs_fs.c -------------------------------------------------------- */

struct stat;
struct statvfs;

/*
 * The mount policy of the watcher (see watch_logfs.c) and the mountinfo
 * facts behind it, reread only when the dev changes.
 */
struct xsmd_logfs_mount {
	bool have_dev;            /* expected_dev is set */
	uint64_t expected_dev;
	bool info_valid;
	uint64_t info_dev;
	char mountpoint[XSM_PATH_MAX];
	char fstype[32];
};

/*
 * Looks path up once and stats what it found: *st, *sv (if not NULL) and
 * *mnt (if not NULL: whether it is a mount of its own) all describe the
 * same directory, even across a concurrent mount or umount. Nothing is
 * kept open (an umount would get EBUSY). Returns 0 or -errno (-ENOTDIR
 * when path is no directory).
 */
int xsmd_logfs_stat_path(const char *path, struct stat *st, struct statvfs *sv,
    bool *mnt);

/*
 * Takes one sample of path at now_mono into *s. The first dev seen becomes
 * the expected one. Returns true when the filesystem was replaced: another
 * dev that is a mount point of its own (s->mount_changed says "mount
 * missing": another dev that is not).
 */
bool xsmd_logfs_sample(struct xsmd_logfs_mount *m, const char *path,
    uint64_t now_mono, struct xsm_logfs_sample *s);

/* True when a reader could see a difference between the two samples. */
bool xsmd_logfs_sample_differs(const struct xsm_logfs_sample *x,
    const struct xsm_logfs_sample *y);

/*
 * Opens /proc/self/mountinfo (*mfd) in an epoll set of its own: it signals
 * EPOLLPRI on any mount change in our namespace, which libev cannot ask
 * for. Returns the epoll fd (readable on a change), or -errno with
 * nothing left open.
 */
int xsmd_logfs_mount_watch(int *mfd);

/* Appends (or, when st is ok, sets) the "filesystem replaced" reason. */
void xsmd_logfs_reason_replaced(const struct xsmd_logfs_mount *m,
    uint64_t dev, enum xsm_status st, char *reason, size_t size);

/*
 * A reload is the admin accepting a replaced filesystem: a dev at path
 * that is a mount of its own becomes the expected one (logged).
 */
void xsmd_logfs_accept_replaced(struct xsmd_logfs_mount *m, const char *path);

/*
 * The /proc/PID/fd walk for files deleted while still open, in steps (one
 * /proc entry or one fd link each). A scan embeds one.
 */
#define XSMD_LOGFS_SEEN_MAX 4096

struct xsmd_logfs_dwalk {
	const struct xsmd_logfs_scan_req *req;
	struct xsm_logfs_scan *out;   /* the deleted part is filled */
	unsigned top;
	DIR *proc;
	DIR *fds;                     /* the fd directory of pid, or NULL */
	int pid;
	int unreadable_pid;           /* counted in deleted_unreadable */
	int err;                      /* -errno when /proc is unreadable */
	struct xsmd_logfs_held held[XSMD_LOGFS_HELD_MAX]; /* largest first */
	unsigned n_held;
	uint64_t seen[XSMD_LOGFS_SEEN_MAX]; /* inodes counted: one entry each */
	unsigned n_seen;
	size_t prefix_len;
	char prefix[PATH_MAX + 1];    /* the resolved root and a slash */
};

/* Resets out's deleted part and opens /proc (w->err on failure). */
void xsmd_logfs_deleted_begin(struct xsmd_logfs_dwalk *w,
    const struct xsmd_logfs_scan_req *req, unsigned top,
    struct xsm_logfs_scan *out);
/* One unit of work. Returns false when the walk is done. */
bool xsmd_logfs_deleted_step(struct xsmd_logfs_dwalk *w);
/* Closes whatever the walk has open. */
void xsmd_logfs_deleted_abort(struct xsmd_logfs_dwalk *w);

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
