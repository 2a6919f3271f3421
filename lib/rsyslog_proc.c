/* SPDX-License-Identifier: ISC */
/* rsyslog_proc.c: /proc/PID/stat and pid file parsing. */
#include <errno.h>
#include <string.h>

#include "rsyslog_proc.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* A decimal number of at most 19 digits at *p, moving *p past it. */
static bool
number(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	while (*p < end && **p >= '0' && **p <= '9' && *p - s < 19)
		x = x * 10 + (uint64_t)(*(*p)++ - '0');
	if (*p == s || (*p < end && **p >= '0' && **p <= '9'))
		return false;
	*v = x;
	return true;
}

int
xsm_proc_stat_parse(const char *buf, size_t len, struct xsm_proc_stat *ps)
{
	const char *end = buf + len, *p = buf, *open, *close = NULL;
	uint64_t v;
	size_t n;
	int field;

	memset(ps, 0, sizeof(*ps));
	if (!number(&p, end, &v) || v == 0 || v > INT32_MAX)
		return -EINVAL;
	ps->pid = (int)v;
	if (end - p < 2 || p[0] != ' ' || p[1] != '(')
		return -EINVAL;
	open = p + 1;
	for (const char *q = open; q < end; q++)
		if (*q == ')')
			close = q;
	if (close == NULL || end - close < 3 || close[1] != ' ')
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(ps->comm))
		n = sizeof(ps->comm) - 1;
	memcpy(ps->comm, open + 1, n);
	ps->comm[n] = '\0';
	ps->state = close[2];
	if (ps->state == ' ' || ps->state == '\0')
		return -EINVAL;
	/* Fields after the state: 4 (ppid) ... 22 (starttime). */
	p = close + 3;
	for (field = 4; field <= 22; field++) {
		if (p >= end || *p != ' ')
			return -EINVAL;
		p++;
		if (p < end && *p == '-')  /* a few fields are signed */
			p++;
		if (!number(&p, end, &v))
			return -EINVAL;
	}
	ps->starttime = v;
	return 0;
}

bool
xsm_proc_stat_dead(const struct xsm_proc_stat *ps)
{
	return ps->state == 'Z' || ps->state == 'X' || ps->state == 'x';
}

int
xsm_pidfile_parse(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	while (p < end && is_space(*p))
		p++;
	if (!number(&p, end, &v) || v == 0 || v > INT32_MAX)
		return -EINVAL;
	while (p < end && is_space(*p))
		p++;
	return p == end ? (int)v : -EINVAL;
}
