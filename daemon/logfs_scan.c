/* SPDX-License-Identifier: ISC */
/*
 * logfs_scan.c: tree walk and /proc/PID/fd walk for the /var/log watcher.
 *
 * Partition percent alone cannot say who filled /var/log, so on a usage
 * edge (and every scan_interval) we list the largest files and directories,
 * the files that grew most since the previous walk, and the files deleted
 * while still open (df shows more used than du). Memory is bounded: the
 * previous walk is kept as a sorted array of (path hash, bytes), 16 bytes
 * per entry, at most XSMD_LOGFS_SCAN_ENTRIES_MAX entries.
 *
 * Everything is read-only. Directories are opened with O_NOATIME where we
 * may, so walking the tree does not even update atimes on the watched fs.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logfs_scan.h"

#define DELETED_SUFFIX " (deleted)"
#define SEEN_INODES_MAX 4096

struct fent {
	uint64_t hash;
	uint64_t bytes;
};

struct xsmd_logfs_scanner {
	struct fent *prev;      /* sorted by hash */
	size_t n_prev;
	bool have_prev;         /* prev is a baseline for growth */
	bool prev_truncated;    /* prev missed files: "new" is unknowable */
	uint64_t prev_mono;
};

struct walk {
	const struct xsmd_logfs_scan_req *req;
	struct xsmd_logfs_scanner *sc;
	struct xsm_logfs_scan *out;
	unsigned top;
	unsigned entries;
	struct fent *cur;
	size_t n_cur, cap_cur;
	bool oom;
	size_t rel_len;
	char rel[PATH_MAX];
};

struct xsmd_logfs_scanner *
xsmd_logfs_scanner_new(void)
{
	return calloc(1, sizeof(struct xsmd_logfs_scanner));
}

void
xsmd_logfs_scanner_forget(struct xsmd_logfs_scanner *sc)
{
	free(sc->prev);
	sc->prev = NULL;
	sc->n_prev = 0;
	sc->have_prev = false;
}

void
xsmd_logfs_scanner_free(struct xsmd_logfs_scanner *sc)
{
	if (sc == NULL)
		return;
	xsmd_logfs_scanner_forget(sc);
	free(sc);
}

static unsigned
clamp_top(unsigned top)
{
	return top > XSM_LOGFS_TOP_MAX ? XSM_LOGFS_TOP_MAX : top;
}

/* FNV-1a: paths only need to be told apart, not protected from anyone. */
static uint64_t
hash_str(const char *s, size_t n, bool dir)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	if (dir)  /* "a" the file and "a/" the directory are distinct */
		h = (h ^ '/') * 0x100000001b3ULL;
	return h;
}

static int
fent_cmp(const void *a, const void *b)
{
	const struct fent *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* Sorted list of at most top entries, largest key first. */
static void
top_insert(struct xsm_logfs_file *list, unsigned *n, unsigned top,
    const char *path, uint64_t bytes, int64_t growth, bool by_growth)
{
	int64_t key = by_growth ? growth : (int64_t)bytes;
	unsigned pos = *n, keep;

	while (pos > 0 && key > (by_growth ? list[pos - 1].growth :
	    (int64_t)list[pos - 1].bytes))
		pos--;
	if (pos >= top)
		return;
	keep = *n < top ? *n : top - 1;
	memmove(&list[pos + 1], &list[pos], (keep - pos) * sizeof(*list));
	xsm_strlcpy(list[pos].path, path, sizeof(list[pos].path));
	list[pos].bytes = bytes;
	list[pos].growth = growth;
	if (*n < top)
		(*n)++;
}

static int64_t
growth_of(const struct xsmd_logfs_scanner *sc, uint64_t hash, uint64_t bytes)
{
	struct fent key = { .hash = hash };
	const struct fent *p;

	if (!sc->have_prev)
		return 0;
	p = sc->n_prev == 0 ? NULL :
	    bsearch(&key, sc->prev, sc->n_prev, sizeof(key), fent_cmp);
	if (p != NULL)
		return (int64_t)bytes - (int64_t)p->bytes;
	/* A file new since a complete walk grew by all of its size. */
	return sc->prev_truncated ? 0 : (int64_t)bytes;
}

static void
table_add(struct walk *w, uint64_t hash, uint64_t bytes)
{
	if (w->oom)
		return;
	if (w->n_cur == w->cap_cur) {
		size_t cap = w->cap_cur ? w->cap_cur * 2 : 256;
		struct fent *p = reallocarray(w->cur, cap, sizeof(*p));

		if (p == NULL) {
			/* Growth is only a hint: lose the baseline, not the scan. */
			w->oom = true;
			return;
		}
		w->cur = p;
		w->cap_cur = cap;
	}
	w->cur[w->n_cur].hash = hash;
	w->cur[w->n_cur].bytes = bytes;
	w->n_cur++;
}

static void
entry_done(struct walk *w, mode_t mode, uint64_t bytes)
{
	bool dir = S_ISDIR(mode);
	uint64_t h = hash_str(w->rel, w->rel_len, dir);
	int64_t growth = growth_of(w->sc, h, bytes);
	struct xsm_logfs_scan *o = w->out;

	table_add(w, h, bytes);
	if (dir) {
		top_insert(o->dirs, &o->n_dirs, w->top, w->rel, bytes,
		    growth, false);
	} else if (S_ISREG(mode)) {
		o->files_seen++;
		top_insert(o->files, &o->n_files, w->top, w->rel, bytes,
		    growth, false);
		if (growth > 0)
			top_insert(o->growers, &o->n_growers, w->top, w->rel,
			    bytes, growth, true);
	}
}

static bool
rel_push(struct walk *w, const char *name)
{
	size_t len = strlen(name), need = w->rel_len + (w->rel_len > 0) + len;

	if (need >= sizeof(w->rel))
		return false;
	if (w->rel_len > 0)
		w->rel[w->rel_len++] = '/';
	memcpy(w->rel + w->rel_len, name, len + 1);
	w->rel_len += len;
	return true;
}

static int
open_dir_at(int dfd, const char *name, int nofollow)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | nofollow;
	int fd = openat(dfd, name, flags | O_NOATIME);

	/* O_NOATIME needs ownership or CAP_FOWNER. */
	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, name, flags);
	return fd;
}

static void walk_dir(struct walk *w, int dfd, unsigned depth,
    uint64_t *total);

static uint64_t
walk_subdir(struct walk *w, int parent, const char *name, unsigned depth)
{
	uint64_t sub = 0;
	int fd;

	if (depth + 1 >= XSMD_LOGFS_SCAN_DEPTH_MAX) {
		w->out->truncated = true;
		return 0;
	}
	fd = open_dir_at(parent, name, O_NOFOLLOW);
	if (fd < 0)
		return 0;  /* raced with a delete, or unreadable: skip it */
	walk_dir(w, fd, depth + 1, &sub);
	return sub;
}

/* Takes ownership of dfd. Adds the allocated bytes below it to *total. */
static void
walk_dir(struct walk *w, int dfd, unsigned depth, uint64_t *total)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;

	if ((dir = fdopendir(dfd)) == NULL) {
		close(dfd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t saved = w->rel_len;
		uint64_t bytes;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (w->entries >= XSMD_LOGFS_SCAN_ENTRIES_MAX) {
			w->out->truncated = true;
			break;
		}
		if (fstatat(dirfd(dir), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (st.st_dev != w->req->dev)
			continue;  /* another mount below ours: not our space */
		w->entries++;
		if (!rel_push(w, de->d_name)) {
			w->out->truncated = true;
			continue;
		}
		bytes = (uint64_t)st.st_blocks * 512;
		if (S_ISDIR(st.st_mode))
			bytes += walk_subdir(w, dirfd(dir), de->d_name, depth);
		entry_done(w, st.st_mode, bytes);
		*total += bytes;
		w->rel_len = saved;
		w->rel[saved] = '\0';
	}
	closedir(dir);
}

static void
scan_reset_tree(struct xsm_logfs_scan *out)
{
	out->files_seen = 0;
	out->truncated = false;
	out->n_files = out->n_dirs = out->n_growers = 0;
}

int
xsmd_logfs_scan_tree(struct xsmd_logfs_scanner *sc,
    const struct xsmd_logfs_scan_req *req, struct xsm_logfs_scan *out)
{
	struct walk w = { .req = req, .sc = sc, .out = out };
	struct xsmd_logfs_scanner *s = sc;
	uint64_t total = 0;
	struct stat st;
	int fd;

	fd = open_dir_at(AT_FDCWD, req->root, 0);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_dev != req->dev) {
		/* The path moved to another fs since the sample: next time. */
		close(fd);
		return -ESTALE;
	}
	w.top = clamp_top(req->top);
	scan_reset_tree(out);
	walk_dir(&w, fd, 0, &total);

	out->valid = true;
	out->at_usec = req->now_wall;
	out->window_usec = s->have_prev ? req->now_mono - s->prev_mono : 0;
	free(s->prev);
	if (w.oom) {
		free(w.cur);
		s->prev = NULL;
		s->n_prev = 0;
		s->have_prev = false;
		return 0;
	}
	if (w.n_cur > 0)  /* qsort(NULL, 0) is undefined behaviour */
		qsort(w.cur, w.n_cur, sizeof(*w.cur), fent_cmp);
	s->prev = w.cur;
	s->n_prev = w.n_cur;
	s->have_prev = true;
	s->prev_truncated = out->truncated;
	s->prev_mono = req->now_mono;
	return 0;
}

/* --- /proc/PID/fd walk ------------------------------------------------ */

struct dwalk {
	const struct xsmd_logfs_scan_req *req;
	struct xsm_logfs_scan *out;
	struct xsmd_logfs_held *held;
	unsigned n_held;
	unsigned top;
	int procfd;
	uint64_t seen[SEEN_INODES_MAX];  /* inodes counted: one entry each */
	unsigned n_seen;
	size_t prefix_len;
	char prefix[PATH_MAX];
};

static bool
seen_inode(struct dwalk *w, uint64_t ino)
{
	for (unsigned i = 0; i < w->n_seen; i++)
		if (w->seen[i] == ino)
			return true;
	/* Past the cap a second holder may be counted twice; say so rather
	 * than allocate without bound. */
	if (w->n_seen < SEEN_INODES_MAX)
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
held_insert(struct dwalk *w, const struct xsmd_logfs_held *h)
{
	unsigned pos = w->n_held, keep;

	while (pos > 0 && h->bytes > w->held[pos - 1].bytes)
		pos--;
	if (pos >= XSMD_LOGFS_HELD_MAX)
		return;
	keep = w->n_held < XSMD_LOGFS_HELD_MAX ? w->n_held :
	    XSMD_LOGFS_HELD_MAX - 1;
	memmove(&w->held[pos + 1], &w->held[pos], (keep - pos) * sizeof(*h));
	w->held[pos] = *h;
	if (w->n_held < XSMD_LOGFS_HELD_MAX)
		w->n_held++;
}

static void
deleted_insert(struct dwalk *w, int pid, int fd, const char *target,
    uint64_t bytes)
{
	struct xsm_logfs_scan *o = w->out;
	struct xsm_logfs_deleted *e;
	unsigned pos = o->n_deleted, keep;

	while (pos > 0 && bytes > o->deleted[pos - 1].bytes)
		pos--;
	if (pos >= w->top)
		return;
	keep = o->n_deleted < w->top ? o->n_deleted : w->top - 1;
	memmove(&o->deleted[pos + 1], &o->deleted[pos],
	    (keep - pos) * sizeof(*e));
	e = &o->deleted[pos];
	e->pid = pid;
	e->fd = fd;
	e->bytes = bytes;
	xsm_strlcpy(e->path, target, sizeof(e->path));
	read_comm(w->procfd, pid, e->comm, sizeof(e->comm));
	if (o->n_deleted < w->top)
		o->n_deleted++;
}

static void
found_deleted(struct dwalk *w, int pid, int fd, const char *target,
    const struct stat *st)
{
	struct xsmd_logfs_held h = {
		.pid = pid, .fd = fd, .ino = st->st_ino,
		.bytes = (uint64_t)st->st_blocks * 512,
	};

	if (seen_inode(w, h.ino))
		return;
	w->out->deleted_count++;
	w->out->deleted_bytes += h.bytes;
	deleted_insert(w, pid, fd, target, h.bytes);
	held_insert(w, &h);
}

/* Is the link target an unlinked regular file of ours? Strips the suffix. */
static bool
is_ours_deleted(struct dwalk *w, int fdd, const char *name, char *target,
    struct stat *st)
{
	size_t len = strlen(target), sl = strlen(DELETED_SUFFIX);

	if (len <= sl || strcmp(target + len - sl, DELETED_SUFFIX) != 0)
		return false;
	/* Follows the magic link to the open file itself. */
	if (fstatat(fdd, name, st, 0) < 0)
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

static void
scan_pid(struct dwalk *w, const char *pid_s)
{
	char path[64], target[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fdd, pid = atoi(pid_s);

	snprintf(path, sizeof(path), "%s/fd", pid_s);
	fdd = openat(w->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0) {
		if (errno == EACCES)  /* not root: other users' fds are hidden */
			w->out->deleted_error = EACCES;
		return;               /* ENOENT: the process exited */
	}
	if ((dir = fdopendir(fdd)) == NULL) {
		close(fdd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(dir), de->d_name, target,
		    sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (is_ours_deleted(w, dirfd(dir), de->d_name, target, &st))
			found_deleted(w, pid, atoi(de->d_name), target, &st);
	}
	closedir(dir);
}

static void
set_prefix(struct dwalk *w, const char *root)
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

int
xsmd_logfs_scan_deleted(const struct xsmd_logfs_scan_req *req,
    struct xsm_logfs_scan *out, struct xsmd_logfs_held *held,
    unsigned *n_held)
{
	struct dwalk *w;
	struct dirent *de;
	DIR *proc;
	int fd, r = 0;

	out->deleted_error = 0;
	out->deleted_bytes = 0;
	out->deleted_count = 0;
	out->n_deleted = 0;
	*n_held = 0;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -ENOMEM;
	w->req = req;
	w->out = out;
	w->held = held;
	w->top = clamp_top(req->top);
	set_prefix(w, req->root);
	fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (proc = fdopendir(fd)) == NULL) {
		r = -errno;
		out->deleted_error = errno;
		if (fd >= 0)
			close(fd);
		free(w);
		return r;
	}
	w->procfd = fd;
	while ((de = readdir(proc)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    strspn(de->d_name, "0123456789") == strlen(de->d_name))
			scan_pid(w, de->d_name);
	closedir(proc);
	*n_held = w->n_held;
	free(w);
	return r;
}
