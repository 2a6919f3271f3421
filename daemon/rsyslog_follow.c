/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_follow.c: follow a log file by name, reading only new bytes.
 *
 * A target like /var/log/messages may be hundreds of MiB: we never read
 * what was there before we started looking (skip positions at the end),
 * and after that only what was appended. Rotation by rename leaves our fd
 * on the old inode: its last bytes are read, then the name's new inode
 * from its start. copytruncate shrinks the file under us: a size below
 * our offset means start again at 0. O_NOATIME, as logfs does: looking
 * must not write to the filesystem we watch.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rsyslog_io.h"
#include "xsmd.h"

#define CHUNK 16384

void
xsmd_rs_follow_init(struct xsmd_rs_follow *f, const char *path,
    size_t line_cap)
{
	memset(f, 0, sizeof(*f));
	xsm_strlcpy(f->path, path, sizeof(f->path));
	f->fd = -1;
	f->wd = -1;
	xsm_linebuf_init(&f->lb, line_cap);
}

void
xsmd_rs_follow_close(struct xsmd_rs_follow *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	xsm_linebuf_free(&f->lb);
}

static int
open_noatime(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOATIME);

	/* O_NOATIME needs ownership or CAP_FOWNER. */
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* Moves f to the inode the name has now, at offset 0. */
static int
reopen(struct xsmd_rs_follow *f, struct stat *st)
{
	int fd = open_noatime(f->path);

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (f->fd >= 0) {
		close(f->fd);
		f->rotations++;
	}
	f->fd = fd;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->off = 0;
	xsm_linebuf_reset(&f->lb);
	return 0;
}

/* Does the name still point at our inode? */
static bool
same_file(const struct xsmd_rs_follow *f)
{
	struct stat st;

	return stat(f->path, &st) == 0 && st.st_dev == f->dev &&
	    st.st_ino == f->ino;
}

int
xsmd_rs_follow_skip(struct xsmd_rs_follow *f, off_t keep_tail)
{
	struct stat st;
	int r;

	if (f->fd < 0 || !same_file(f)) {
		if ((r = reopen(f, &st)) < 0)
			return r;
	} else if (fstat(f->fd, &st) < 0) {
		return -errno;
	}
	xsm_linebuf_reset(&f->lb);
	f->off = st.st_size;
	if (keep_tail > 0 && st.st_size > 0) {
		f->off = st.st_size > keep_tail ? st.st_size - keep_tail : 0;
		/* Bytes before the first newline are the end of a line. */
		f->lb.skipping = f->off > 0;
	}
	return 0;
}

/* Reads the open fd from off to its end (or max). */
static ssize_t
drain(struct xsmd_rs_follow *f, size_t max, xsm_line_fn *fn, void *ctx,
    bool *more)
{
	char buf[CHUNK];
	struct stat st;
	size_t total = 0;
	ssize_t n;

	if (fstat(f->fd, &st) < 0)
		return -errno;
	if (st.st_size < f->off) {
		f->off = 0;          /* truncated (copytruncate) */
		f->truncations++;
		xsm_linebuf_reset(&f->lb);
	}
	while (f->off < st.st_size) {
		size_t want = sizeof(buf);

		if (total >= max) {
			*more = true;
			break;
		}
		if (want > max - total)
			want = max - total;
		n = pread(f->fd, buf, want, f->off);
		if (n < 0)
			return errno == EINTR ? (ssize_t)total : -errno;
		if (n == 0)
			break;
		f->off += n;
		total += (size_t)n;
		f->bytes_read += (uint64_t)n;
		xsm_linebuf_feed(&f->lb, buf, (size_t)n, fn, ctx);
	}
	return (ssize_t)total;
}

ssize_t
xsmd_rs_follow_read(struct xsmd_rs_follow *f, size_t max, xsm_line_fn *fn,
    void *ctx, bool *more, bool *switched)
{
	struct stat st;
	ssize_t n, total = 0;
	int r;

	*more = false;
	if (switched != NULL)
		*switched = false;
	if (f->fd >= 0) {
		if ((n = drain(f, max, fn, ctx, more)) < 0)
			return n;
		total = n;
		if (*more || same_file(f))
			return total;
	}
	/* First sight of the file, or it was rotated: all of it is new. */
	if ((r = reopen(f, &st)) < 0)
		return f->fd >= 0 ? total : r;
	if (switched != NULL)
		*switched = true;
	if ((n = drain(f, max - (size_t)total, fn, ctx, more)) < 0)
		return n;
	return total + n;
}
