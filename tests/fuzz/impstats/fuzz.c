/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: the impstats follower's pure half on arbitrary bytes. The input
 * is split into lines by the bounded line splitter in uneven chunks (as
 * reads would cut it), each line is parsed and applied to the counter
 * table, and the whole input is also parsed as one line. Invariants: the
 * table stays within its caps, names are NUL-terminated, every line is
 * either applied or counted as an error, and a parsed record parses the
 * same way twice.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rsyslog_lines.h"
#include "rsyslog_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(x) do { if (!(x)) abort(); } while (0)

struct ctx {
	struct xsm_rsyslog_stats s;
	uint64_t lines;
};

static void
one_line(void *p, const char *line, size_t len)
{
	struct ctx *c = p;
	struct xsm_impstats_rec a, b;
	int ra = xsm_impstats_parse_line(line, len, &a);
	int rb = xsm_impstats_parse_line(line, len, &b);

	ASSERT(ra == rb);
	if (ra == 0) {
		ASSERT(memchr(a.name, '\0', sizeof(a.name)) != NULL);
		ASSERT(strcmp(a.name, b.name) == 0 && a.kind == b.kind);
		ASSERT(memcmp(a.v, b.v, sizeof(a.v)) == 0);
	} else {
		ASSERT(ra == -EINVAL);
	}
	c->lines++;
	xsm_rsyslog_stats_line(&c->s, line, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct xsm_linebuf lb;
	struct xsm_impstats_rec r;
	size_t off = 0, step = 1;

	if (c == NULL)
		return 0;
	xsm_linebuf_init(&lb, 512);
	while (off < size) {
		size_t n = size - off < step ? size - off : step;

		xsm_linebuf_feed(&lb, (const char *)data + off, n, one_line, c);
		off += n;
		step = step * 3 % 61 + 1;
	}
	ASSERT(c->s.n_actions <= XSM_RSYSLOG_ACTIONS_MAX);
	ASSERT(c->s.n_queues <= XSM_RSYSLOG_QUEUES_MAX);
	ASSERT(c->s.lines + c->s.parse_errors == c->lines);
	ASSERT(lb.len <= lb.cap);
	for (unsigned i = 0; i < c->s.n_queues; i++)
		ASSERT(memchr(c->s.queues[i].name, '\0',
		    sizeof(c->s.queues[i].name)) != NULL);
	xsm_linebuf_free(&lb);
	(void)xsm_impstats_parse_line((const char *)data, size, &r);
	free(c);
	return 0;
}
