/* SPDX-License-Identifier: ISC */
/* rsyslog_proc.c: rsyslogd's pid file, /proc entry and pidfd. */
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rsyslog_io.h"
#include "xsmd.h"

/* Reads a small file whole into buf (NUL-terminated). */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int
xsmd_rs_pidfile_read(const char *path)
{
	char buf[32];
	ssize_t n = read_small(path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return xsm_pidfile_parse(buf, (size_t)n);
}

int
xsmd_rs_proc_read(int pid, struct xsm_proc_stat *ps)
{
	char path[64], buf[1024];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((n = read_small(path, buf, sizeof(buf))) < 0)
		return n == -ESRCH ? -ENOENT : (int)n;
	return xsm_proc_stat_parse(buf, (size_t)n, ps);
}

int
xsmd_rs_proc_find(const char *comm, struct xsm_proc_stat *ps)
{
	struct xsm_proc_stat cur;
	struct dirent *de;
	DIR *proc = opendir("/proc");
	int best = -ENOENT;

	if (proc == NULL)
		return -errno;
	while ((de = readdir(proc)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end != '\0' || pid <= 0 || pid > INT32_MAX)
			continue;
		if (xsmd_rs_proc_read((int)pid, &cur) < 0 ||
		    strcmp(cur.comm, comm) != 0 || xsm_proc_stat_dead(&cur))
			continue;
		/* The oldest: the host's own, not a later private one. */
		if (best < 0 || cur.starttime < ps->starttime) {
			*ps = cur;
			best = (int)pid;
		}
	}
	closedir(proc);
	return best;
}

int
xsmd_rs_pidfd_open(int pid)
{
#ifdef SYS_pidfd_open
	long fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return -errno;
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;

		close((int)fd);
		return -e;
	}
	return (int)fd;
#else
	(void)pid;
	return -ENOSYS;
#endif
}

/* btime from /proc/stat: boot time in seconds since the epoch. */
static uint64_t
boot_wall_sec(void)
{
	static uint64_t btime;
	char buf[8192], *p;

	if (btime != 0)
		return btime;
	if (read_small("/proc/stat", buf, sizeof(buf)) < 0)
		return 0;
	if ((p = strstr(buf, "\nbtime ")) != NULL)
		btime = strtoull(p + 7, NULL, 10);
	return btime;
}

uint64_t
xsmd_rs_start_wall(uint64_t ticks)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t b = boot_wall_sec();

	if (b == 0 || hz <= 0)
		return 0;
	return b * XSM_USEC_PER_SEC + ticks * XSM_USEC_PER_SEC / (uint64_t)hz;
}
