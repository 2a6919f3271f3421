/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: the config parser on arbitrary text. The bytes are parsed as a
 * NUL-terminated copy (as the daemon hands over a file). Invariants are
 * checked on every result, so a wrong answer is a crash, not only a memory
 * error: a config that parsed prints, re-parses to the same struct and
 * prints to the same text; a rejected one has at least one error, each
 * with a message and a line inside the text.
 *
 * Short inputs also go through the duration and size parsers, whose
 * canonical form must parse back to the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(x) do { if (!(x)) abort(); } while (0)

static void
check_errors(const struct xsm_errlist *errs, const char *text)
{
	int lines = 1;

	for (const char *p = text; *p != '\0'; p++)
		lines += *p == '\n';
	ASSERT(errs->n > 0 || errs->dropped > 0);
	ASSERT(errs->n <= XSM_ERRLIST_MAX);
	for (unsigned i = 0; i < errs->n; i++) {
		ASSERT(errs->e[i].line >= 0 && errs->e[i].line <= lines);
		ASSERT(memchr(errs->e[i].msg, '\0', sizeof(errs->e[i].msg)));
		ASSERT(errs->e[i].msg[0] != '\0');
		if (i > 0)   /* sorted by line */
			ASSERT(errs->e[i - 1].line <= errs->e[i].line);
	}
}

static void
round_trip(const struct xsm_config *cfg)
{
	struct xsm_config again;
	struct xsm_errlist errs;
	struct xsm_buf a, b;

	xsm_buf_init(&a, 0);
	xsm_buf_init(&b, 0);
	if (xsm_config_print(cfg, &a) < 0)
		goto out;   /* out of memory is not a bug */
	ASSERT(a.data != NULL && a.len == strlen(a.data));
	ASSERT(xsm_config_parse(a.data, &again, &errs) == 0);
	ASSERT(errs.n == 0 && errs.dropped == 0);
	ASSERT(memcmp(cfg, &again, sizeof(again)) == 0);
	if (xsm_config_print(&again, &b) < 0)
		goto out;
	ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
out:
	xsm_buf_free(&a);
	xsm_buf_free(&b);
}

static void
units(const char *s)
{
	char out[64];
	uint64_t v, w;

	if (xsm_parse_duration(s, &v) == 0) {
		xsm_format_duration(v, out, sizeof(out));
		ASSERT(xsm_parse_duration(out, &w) == 0 && v == w);
	}
	if (xsm_parse_size(s, &v) == 0) {
		xsm_format_size(v, out, sizeof(out));
		ASSERT(xsm_parse_size(out, &w) == 0 && v == w);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsm_config cfg;
	struct xsm_errlist errs;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (xsm_config_parse(text, &cfg, &errs) == 0) {
		ASSERT(errs.n == 0 && errs.dropped == 0);
		round_trip(&cfg);
	} else {
		check_errors(&errs, text);
	}
	if (size < 64)
		units(text);
	free(text);
	return 0;
}
