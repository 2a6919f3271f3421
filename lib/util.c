/* SPDX-License-Identifier: ISC */
/* util.c: status names and ranks, errors, strings, time, UTF-8. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xsm.h"

static const char *const status_names[] = {
	[XSM_OK] = "ok",
	[XSM_WARNING] = "warning",
	[XSM_CRITICAL] = "critical",
	[XSM_UNKNOWN] = "unknown",
};

int
xsm_status_rank(enum xsm_status s)
{
	switch (s) {
	case XSM_OK:
		return 0;
	case XSM_UNKNOWN:
		return 1;
	case XSM_WARNING:
		return 2;
	case XSM_CRITICAL:
		return 3;
	}
	return 1;
}

enum xsm_status
xsm_status_worse(enum xsm_status a, enum xsm_status b)
{
	return xsm_status_rank(a) >= xsm_status_rank(b) ? a : b;
}

const char *
xsm_status_name(enum xsm_status s)
{
	if ((unsigned)s > XSM_UNKNOWN)
		return "unknown";
	return status_names[s];
}

int
xsm_status_parse(const char *name, enum xsm_status *out)
{
	for (unsigned i = 0; i <= XSM_UNKNOWN; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum xsm_status)i;
			return 0;
		}
	}
	return -EINVAL;
}

void
xsm_err_set(struct xsm_err *err, int line, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

bool
xsm_next_line(const char **p, char *line, size_t size)
{
	const char *s = *p, *e;
	size_t n;

	if (*s == '\0')
		return false;
	e = strchr(s, '\n');
	n = e ? (size_t)(e - s) : strlen(s);
	*p = e ? e + 1 : s + n;
	if (n >= size)
		n = size - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	return true;
}

/* A block is zero when its first byte is and every byte equals the next. */
static bool
all_zero(const unsigned char *b, size_t len)
{
	return len == 0 || (b[0] == 0 && memcmp(b, b + 1, len - 1) == 0);
}

void
xsm_zero(void *p, size_t n)
{
	unsigned char *b = p;
	const size_t block = 256;

	for (size_t off = 0; off < n; off += block) {
		size_t len = n - off < block ? n - off : block;

		if (!all_zero(b + off, len))
			memset(b + off, 0, len);
	}
}

size_t
xsm_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *
xsm_rfc3339(uint64_t wall_usec, char *out, size_t size)
{
	time_t secs = (time_t)(wall_usec / XSM_USEC_PER_SEC);
	struct tm tm;

	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		xsm_strlcpy(out, "1970-01-01T00:00:00Z", size);
	return out;
}

size_t
xsm_utf8_len(const void *p, size_t n, unsigned flags)
{
	const unsigned char *s = p;
	unsigned lo = 0x80, hi = 0xbf;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;   /* a continuation byte, 0xc0, 0xc1 or 0xf5.. */
	if (n < len)
		return 0;
	/* The second byte carries the overlong, surrogate and range rules. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	else if (s[0] == 0xc2 && (flags & XSM_UTF8_NO_C1))
		lo = 0xa0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}
