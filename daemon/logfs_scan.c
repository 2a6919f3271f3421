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
 * A scan is a state machine run in steps (the open directories are kept on
 * an explicit stack, at most SCAN_DEPTH_MAX deep), so the watcher can
 * spread 20000 entries and every fd link of a busy dom0 over many loop
 * turns. Results go to a buffer of our own and are handed over only when
 * the whole scan is done, so readers never see half a scan.
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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logfs_scan.h"

#define SCAN_CHUNK 250          /* units between two clock reads */

struct fent {
	uint64_t hash;
	uint64_t bytes;
};

/* One open directory of the tree walk. */
struct frame {
	DIR *dir;
	size_t rel_len;         /* rel before this directory's name */
	uint64_t self;          /* the directory's own blocks */
	uint64_t total;         /* what is below it so far */
};

struct walk {
	struct frame fr[XSMD_LOGFS_SCAN_DEPTH_MAX];
	unsigned n_fr;
	int err;
	unsigned entries;
	struct fent *cur;
	size_t n_cur, cap_cur;
	bool oom;
	size_t rel_len;
	char rel[PATH_MAX];
};

enum phase { PH_IDLE, PH_TREE, PH_DELETED, PH_DONE };

struct xsmd_logfs_scanner {
	struct fent *prev;      /* sorted by hash */
	size_t n_prev;
	bool have_prev;         /* prev is a baseline for growth */
	bool prev_truncated;    /* prev missed files: "new" is unknowable */
	uint64_t prev_mono;

	/* The scan in progress. */
	enum phase phase;
	struct xsmd_logfs_scan_req req;
	char root[PATH_MAX];
	unsigned top;
	struct walk w;
	struct xsmd_logfs_dwalk d;
	struct xsm_logfs_scan next;
	unsigned turns;
	uint64_t worst_usec;    /* the longest turn */
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
	xsmd_logfs_scan_abort(sc);
	xsmd_logfs_scanner_forget(sc);
	free(sc);
}

int
xsmd_logfs_open_dir(int dfd, const char *name, int extra)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | extra;
	int fd = openat(dfd, name, flags | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, name, flags);
	return fd;
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

void *
xsmd_logfs_capped_insert(void *base, unsigned *n, unsigned cap, size_t size,
    size_t key_off, int64_t key)
{
	char *b = base;
	unsigned pos = *n, keep;
	int64_t k;

	/* An 8-byte key (uint64_t bytes or int64_t growth) read as int64_t:
	 * no size we meet comes near 2^63. */
	for (; pos > 0; pos--) {
		memcpy(&k, b + (pos - 1) * size + key_off, sizeof(k));
		if (key <= k)
			break;
	}
	if (pos >= cap)
		return NULL;
	keep = *n < cap ? *n : cap - 1;
	memmove(b + (pos + 1) * size, b + pos * size, (keep - pos) * size);
	if (*n < cap)
		(*n)++;
	return b + pos * size;
}

static void
top_insert(struct xsm_logfs_file *list, unsigned *n, unsigned top,
    const char *path, uint64_t bytes, int64_t growth, bool by_growth)
{
	struct xsm_logfs_file *f = xsmd_logfs_capped_insert(list, n, top,
	    sizeof(*list), by_growth ? offsetof(struct xsm_logfs_file, growth) :
	    offsetof(struct xsm_logfs_file, bytes),
	    by_growth ? growth : (int64_t)bytes);

	if (f == NULL)
		return;
	xsm_strlcpy(f->path, path, sizeof(f->path));
	f->bytes = bytes;
	f->growth = growth;
}

/* --- tree walk --------------------------------------------------------- */

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
entry_done(struct xsmd_logfs_scanner *sc, mode_t mode, uint64_t bytes)
{
	struct walk *w = &sc->w;
	bool dir = S_ISDIR(mode);
	uint64_t h = hash_str(w->rel, w->rel_len, dir);
	int64_t growth = growth_of(sc, h, bytes);
	struct xsm_logfs_scan *o = &sc->next;

	table_add(w, h, bytes);
	if (dir) {
		top_insert(o->dirs, &o->n_dirs, sc->top, w->rel, bytes,
		    growth, false);
	} else if (S_ISREG(mode)) {
		o->files_seen++;
		top_insert(o->files, &o->n_files, sc->top, w->rel, bytes,
		    growth, false);
		if (growth > 0)
			top_insert(o->growers, &o->n_growers, sc->top, w->rel,
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

static void
rel_pop(struct walk *w, size_t len)
{
	w->rel_len = len;
	w->rel[len] = '\0';
}

/* Descends into name (rel already names it). False: not entered. */
static bool
tree_push(struct xsmd_logfs_scanner *sc, int parent, const char *name,
    size_t rel_len, uint64_t self)
{
	struct walk *w = &sc->w;
	DIR *dir;
	int fd;

	if (w->n_fr >= XSMD_LOGFS_SCAN_DEPTH_MAX) {
		sc->next.truncated = true;
		return false;
	}
	if ((fd = xsmd_logfs_open_dir(parent, name, O_NOFOLLOW)) < 0)
		return false;  /* raced with a delete, or unreadable: skip it */
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return false;
	}
	w->fr[w->n_fr++] = (struct frame){ .dir = dir, .rel_len = rel_len,
	    .self = self };
	return true;
}

/* A directory is finished: it counts, with all below it, in its parent. */
static void
tree_pop(struct xsmd_logfs_scanner *sc)
{
	struct walk *w = &sc->w;
	struct frame f = w->fr[--w->n_fr];

	closedir(f.dir);
	if (w->n_fr == 0)
		return;  /* the root itself is not listed */
	entry_done(sc, S_IFDIR, f.self + f.total);
	w->fr[w->n_fr - 1].total += f.self + f.total;
	rel_pop(w, f.rel_len);
}

/* One directory entry of the walk. */
static void
tree_step(struct xsmd_logfs_scanner *sc)
{
	struct walk *w = &sc->w;
	struct frame *f = &w->fr[w->n_fr - 1];
	struct dirent *de;
	struct stat st;
	size_t saved;
	uint64_t bytes;

	if ((de = readdir(f->dir)) == NULL) {
		tree_pop(sc);
		return;
	}
	if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
		return;
	if (w->entries >= XSMD_LOGFS_SCAN_ENTRIES_MAX) {
		sc->next.truncated = true;
		tree_pop(sc);  /* and each parent at its next entry */
		return;
	}
	if (fstatat(dirfd(f->dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    st.st_dev != sc->req.dev)
		return;  /* gone, or another mount below ours: not our space */
	w->entries++;
	saved = w->rel_len;
	if (!rel_push(w, de->d_name)) {
		sc->next.truncated = true;
		return;
	}
	bytes = (uint64_t)st.st_blocks * 512;
	if (S_ISDIR(st.st_mode) &&
	    tree_push(sc, dirfd(f->dir), de->d_name, saved, bytes))
		return;  /* counted when it is finished */
	entry_done(sc, st.st_mode, bytes);
	f->total += bytes;
	rel_pop(w, saved);
}

static void
tree_begin(struct xsmd_logfs_scanner *sc)
{
	struct xsm_logfs_scan *o = &sc->next;
	struct stat st;
	DIR *dir;
	int fd;

	memset(&sc->w, 0, sizeof(sc->w));
	o->files_seen = 0;
	o->truncated = false;
	o->n_files = o->n_dirs = o->n_growers = 0;
	if ((fd = xsmd_logfs_open_dir(AT_FDCWD, sc->root, 0)) < 0) {
		sc->w.err = -errno;
		return;
	}
	if (fstat(fd, &st) < 0 || st.st_dev != sc->req.dev) {
		/* The path moved to another fs since the sample: next time. */
		close(fd);
		sc->w.err = -ESTALE;
		return;
	}
	if ((dir = fdopendir(fd)) == NULL) {
		sc->w.err = -errno;
		close(fd);
		return;
	}
	sc->w.fr[sc->w.n_fr++] = (struct frame){ .dir = dir };
}

/* The walk is complete: it becomes the baseline for the next growth. */
static void
tree_finish(struct xsmd_logfs_scanner *sc)
{
	struct walk *w = &sc->w;

	if (w->err < 0)
		return;
	sc->next.at_usec = sc->req.now_wall;
	sc->next.window_usec = sc->have_prev ?
	    sc->req.now_mono - sc->prev_mono : 0;
	free(sc->prev);
	sc->prev = NULL;
	sc->n_prev = 0;
	sc->have_prev = false;
	if (w->oom) {
		free(w->cur);
	} else {
		if (w->n_cur > 0)  /* qsort(NULL, 0) is undefined behaviour */
			qsort(w->cur, w->n_cur, sizeof(*w->cur), fent_cmp);
		sc->prev = w->cur;
		sc->n_prev = w->n_cur;
		sc->have_prev = true;
		sc->prev_truncated = sc->next.truncated;
		sc->prev_mono = sc->req.now_mono;
	}
	w->cur = NULL;
	w->n_cur = w->cap_cur = 0;
}

/* --- the scan as a whole ---------------------------------------------- */

void
xsmd_logfs_scan_abort(struct xsmd_logfs_scanner *sc)
{
	while (sc->w.n_fr > 0)
		closedir(sc->w.fr[--sc->w.n_fr].dir);
	free(sc->w.cur);
	sc->w.cur = NULL;
	sc->w.n_cur = sc->w.cap_cur = 0;
	xsmd_logfs_deleted_abort(&sc->d);
	sc->phase = PH_IDLE;
}

void
xsmd_logfs_scan_start(struct xsmd_logfs_scanner *sc,
    const struct xsmd_logfs_scan_req *req)
{
	xsmd_logfs_scan_abort(sc);
	sc->req = *req;
	xsm_strlcpy(sc->root, req->root, sizeof(sc->root));
	sc->req.root = sc->root;
	sc->top = req->top > XSM_LOGFS_TOP_MAX ? XSM_LOGFS_TOP_MAX : req->top;
	sc->turns = 0;
	sc->worst_usec = 0;
	tree_begin(sc);
	sc->phase = PH_TREE;
}

bool
xsmd_logfs_scan_busy(const struct xsmd_logfs_scanner *sc)
{
	return sc->phase == PH_TREE || sc->phase == PH_DELETED;
}

static bool
scan_step(struct xsmd_logfs_scanner *sc, unsigned budget)
{
	for (; budget > 0; budget--) {
		if (sc->phase == PH_TREE && sc->w.n_fr > 0) {
			tree_step(sc);
		} else if (sc->phase == PH_TREE) {
			tree_finish(sc);
			xsmd_logfs_deleted_begin(&sc->d, &sc->req, sc->top,
			    &sc->next);
			sc->phase = PH_DELETED;
		} else if (sc->phase == PH_DELETED) {
			if (!xsmd_logfs_deleted_step(&sc->d))
				sc->phase = PH_DONE;
		} else {
			break;
		}
	}
	return sc->phase == PH_DONE;
}

static uint64_t
mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

bool
xsmd_logfs_scan_turn(struct xsmd_logfs_scanner *sc, unsigned entries,
    uint64_t usec)
{
	uint64_t t0 = mono_usec(), spent;
	bool done;

	for (unsigned n = 0;; n += SCAN_CHUNK) {
		done = scan_step(sc, SCAN_CHUNK);
		spent = mono_usec() - t0;
		if (done || n + SCAN_CHUNK >= entries || spent >= usec)
			break;
	}
	sc->turns++;
	if (spent > sc->worst_usec)
		sc->worst_usec = spent;
	return done;
}

/*
 * Only the entries in use are copied (readers stop at the count): a whole
 * table copy would make every page of the state's tables resident.
 */
static unsigned
top_n(unsigned n)
{
	return n < XSM_LOGFS_TOP_MAX ? n : XSM_LOGFS_TOP_MAX;
}

static void
copy_top(struct xsm_logfs_file *dst, const struct xsm_logfs_file *src,
    unsigned n)
{
	memcpy(dst, src, top_n(n) * sizeof(*src));
}

void
xsmd_logfs_scan_result(struct xsmd_logfs_scanner *sc,
    struct xsm_logfs_scan *out, struct xsmd_logfs_scan_done *done)
{
	const struct xsm_logfs_scan *n = &sc->next;

	done->turns = sc->turns;
	done->worst_usec = sc->worst_usec;
	done->tree_err = sc->w.err;
	done->deleted_err = sc->d.err;
	done->n_held = sc->d.n_held;
	memcpy(done->held, sc->d.held, sc->d.n_held * sizeof(sc->d.held[0]));
	if (sc->w.err == 0) {
		out->valid = true;
		out->at_usec = n->at_usec;
		out->window_usec = n->window_usec;
		out->files_seen = n->files_seen;
		out->truncated = n->truncated;
		out->n_files = n->n_files;
		out->n_dirs = n->n_dirs;
		out->n_growers = n->n_growers;
		copy_top(out->files, n->files, n->n_files);
		copy_top(out->dirs, n->dirs, n->n_dirs);
		copy_top(out->growers, n->growers, n->n_growers);
	}
	out->deleted_error = n->deleted_error;
	out->deleted_unreadable = n->deleted_unreadable;
	out->deleted_bytes = n->deleted_bytes;
	out->deleted_count = n->deleted_count;
	out->n_deleted = n->n_deleted;
	memcpy(out->deleted, n->deleted,
	    top_n(n->n_deleted) * sizeof(n->deleted[0]));
	sc->phase = PH_IDLE;
}
