/* SPDX-License-Identifier: ISC */
/* rsyslog_proc.h: the fields of /proc/PID/stat and a pid file we need. */
#ifndef XSM_RSYSLOG_PROC_H
#define XSM_RSYSLOG_PROC_H

#include "xsm.h"

struct xsm_proc_stat {
	int pid;
	char comm[16];          /* the thread group leader's name, cut to 15 */
	char state;             /* R S D T t Z X ... */
	uint64_t starttime;     /* clock ticks after boot (field 22) */
};

/*
 * Parses the text of /proc/PID/stat (len bytes). comm is between the
 * first '(' and the LAST ')' (a name may hold ')' and spaces). Returns 0,
 * or -EINVAL for a malformed line.
 */
int xsm_proc_stat_parse(const char *buf, size_t len, struct xsm_proc_stat *ps);

/* Is this process gone for our purposes (zombie or dead)? */
bool xsm_proc_stat_dead(const struct xsm_proc_stat *ps);

/*
 * Parses a pid file's text: a positive decimal pid, optional surrounding
 * whitespace, nothing else. Returns the pid, or -EINVAL.
 */
int xsm_pidfile_parse(const char *buf, size_t len);

#endif
