/* SPDX-License-Identifier: ISC */
/* rsyslog_lines.c: bounded line splitting over a byte stream. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rsyslog_lines.h"

void
xsm_linebuf_init(struct xsm_linebuf *lb, size_t cap)
{
	memset(lb, 0, sizeof(*lb));
	lb->cap = cap > 0 ? cap : 1;
}

void
xsm_linebuf_free(struct xsm_linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->len = 0;
	lb->skipping = false;
}

void
xsm_linebuf_reset(struct xsm_linebuf *lb)
{
	lb->len = 0;
	lb->skipping = false;
}

/* Keeps p[0..n) (no newline in it) as the partial line. */
static int
hold(struct xsm_linebuf *lb, const char *p, size_t n)
{
	if (lb->skipping)
		return 0;
	if (lb->len + n > lb->cap) {
		lb->too_long++;
		lb->skipping = true;
		lb->len = 0;
		return 0;
	}
	if (lb->buf == NULL && (lb->buf = malloc(lb->cap)) == NULL) {
		lb->too_long++;
		lb->skipping = true;
		return -ENOMEM;
	}
	memcpy(lb->buf + lb->len, p, n);
	lb->len += n;
	return 0;
}

int
xsm_linebuf_feed(struct xsm_linebuf *lb, const char *p, size_t n,
    xsm_line_fn *fn, void *ctx)
{
	const char *end = p + n, *nl;
	int r;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		size_t seg = (size_t)(nl - p);

		if (lb->skipping) {
			lb->skipping = false;
		} else if (lb->len == 0) {
			if (seg <= lb->cap)
				fn(ctx, p, seg);   /* whole in the chunk: no copy */
			else
				lb->too_long++;
		} else if ((r = hold(lb, p, seg)) < 0) {
			lb->skipping = false;
		} else if (lb->skipping) {
			lb->skipping = false;  /* completed, but over the cap */
		} else {
			fn(ctx, lb->buf, lb->len);
		}
		lb->len = 0;
		p = nl + 1;
	}
	return p < end ? hold(lb, p, (size_t)(end - p)) : 0;
}
