/* SPDX-License-Identifier: ISC */
/*
 * logfs_fs.c: facts about the watched filesystem for the /var/log
 * watcher: which mount a dev is (from /proc/self/mountinfo, read only when
 * the dev changes), whether the path is a mount point of its own, and the
 * statvfs figures clamped the way df clamps them.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfs_scan.h"

bool
xsmd_logfs_is_mountpoint(const char *path, const struct stat *st)
{
	char parent[PATH_MAX];
	struct stat pst;

	snprintf(parent, sizeof(parent), "%s/..", path);
	if (stat(parent, &pst) < 0)
		return false;
	/* Same inode as its parent: "/" itself. */
	return pst.st_dev != st->st_dev || pst.st_ino == st->st_ino;
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
