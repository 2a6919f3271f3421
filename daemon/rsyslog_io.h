/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_io.h: the rsyslog watcher's I/O pieces, kept out of its loop
 * logic: rsyslogd's pid file and /proc entry (rsyslog_proc.c), following
 * a file by name with incremental reads (rsyslog_follow.c), and the
 * canary sender (rsyslog_send.c). Errors are -errno.
 */
#ifndef XSMD_RSYSLOG_IO_H
#define XSMD_RSYSLOG_IO_H

#include <sys/types.h>

#include "config.h"
#include "rsyslog_lines.h"
#include "rsyslog_proc.h"

/* --- rsyslog_proc.c ---------------------------------------------------- */

/* Reads a pid file: the pid, or -ENOENT, -EINVAL (garbage), -errno. */
int xsmd_rs_pidfile_read(const char *path);

/* Reads and parses /proc/PID/stat. -ENOENT when the process is gone. */
int xsmd_rs_proc_read(int pid, struct xsm_proc_stat *ps);

/*
 * The oldest live (not zombie) process named comm, found by reading
 * every /proc/PID/stat: for an rsyslogd that writes no pid file (Debian
 * under systemd runs it with -iNONE). Returns its pid with *ps filled,
 * or -ENOENT.
 */
int xsmd_rs_proc_find(const char *comm, struct xsm_proc_stat *ps);

/* pidfd_open(2): an fd that polls readable when pid exits, or -errno
 * (-ENOSYS on kernels before 5.3, or when the libc does not know it). */
int xsmd_rs_pidfd_open(int pid);

/* Wall clock of a process start given in ticks after boot. */
uint64_t xsmd_rs_start_wall(uint64_t starttime_ticks);

/* --- rsyslog_follow.c -------------------------------------------------- */

/*
 * A file followed by name: an open fd, the inode it is on and the
 * offset read up to. Rotation (the name now on another inode) and
 * truncation (size below the offset) are followed; reads never go back
 * over what was skipped or read.
 */
struct xsmd_rs_follow {
	char path[XSM_PATH_MAX];
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off;
	struct xsm_linebuf lb;
	uint64_t bytes_read;
	uint64_t rotations, truncations;
	int wd;                 /* inotify watch on the file, or -1 */
};

void xsmd_rs_follow_init(struct xsmd_rs_follow *f, const char *path,
    size_t line_cap);
void xsmd_rs_follow_close(struct xsmd_rs_follow *f);

/*
 * Positions at the end of what the name holds now (opening or reopening
 * it): only bytes written from now on will be read. keep_tail > 0 keeps
 * the last keep_tail bytes to be read (the first, partial, line of them
 * is dropped). Returns 0 or -errno (-ENOENT: not there; follow_read
 * opens it when it appears and reads it whole, since it is new).
 */
int xsmd_rs_follow_skip(struct xsmd_rs_follow *f, off_t keep_tail);

/*
 * Reads what was appended since, at most max bytes, handing complete
 * lines to fn: first the rest of the open file, then, if the name moved
 * to a new inode, the new file from its start. Sets *more when max was
 * reached with data left. Returns bytes read (>= 0) or -errno.
 * *switched (may be NULL) is set when the fd moved to a new inode.
 */
ssize_t xsmd_rs_follow_read(struct xsmd_rs_follow *f, size_t max,
    xsm_line_fn *fn, void *ctx, bool *more, bool *switched);

/* --- rsyslog_send.c ---------------------------------------------------- */

/*
 * Sends one datagram to the AF_UNIX socket path without ever blocking,
 * on a socket of its own (*fd, created on first use, -1 initially).
 * Returns 0 or -errno (-EAGAIN: the receiver's queue is full).
 */
int xsmd_rs_send(int *fd, const char *path, const char *msg, size_t len);

#endif
