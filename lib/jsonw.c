/* SPDX-License-Identifier: ISC */
/* jsonw.c: yajl_gen into an xsm_buf, first error kept. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"

static void
jsonw_print(void *ctx, const char *s, size_t len)
{
	struct xsm_jsonw *w = ctx;
	int r;

	if (w->err != 0)
		return;
	r = xsm_buf_append(w->out, s, len);
	if (r < 0)
		w->err = r;
}

int
xsm_jsonw_begin(struct xsm_jsonw *w, struct xsm_buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->start_len = out->len;
	w->g = yajl_gen_alloc(NULL);
	if (w->g == NULL)
		return -ENOMEM;
	yajl_gen_config(w->g, yajl_gen_print_callback, jsonw_print, w);
	return 0;
}

int
xsm_jsonw_end(struct xsm_jsonw *w)
{
	int r;

	/* A map or array left open would go out as a cut document. */
	if (w->depth != 0 && w->err == 0)
		w->err = -EINVAL;
	jsonw_print(w, "\n", 1);
	r = w->err;
	yajl_gen_free(w->g);
	w->g = NULL;
	if (r < 0) {
		w->out->len = w->start_len;
		if (w->out->data != NULL)
			w->out->data[w->out->len] = '\0';
	}
	return r;
}

/* yajl only fails here on misuse (a bug) or a bad string, never on I/O. */
static void
jsonw_check(struct xsm_jsonw *w, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok && w->err == 0)
		w->err = -EINVAL;
}

static void
jsonw_opened(struct xsm_jsonw *w, yajl_gen_status st)
{
	jsonw_check(w, st);
	w->depth++;
}

/*
 * yajl never complains about a document left open, so the depth is
 * counted here for end() to check; a close without an open is a misuse
 * whatever yajl says about it.
 */
static void
jsonw_closed(struct xsm_jsonw *w, yajl_gen_status st)
{
	jsonw_check(w, st);
	if (w->depth > 0)
		w->depth--;
	else if (w->err == 0)
		w->err = -EINVAL;
}

void xsm_jsonw_open(struct xsm_jsonw *w) { jsonw_opened(w, yajl_gen_map_open(w->g)); }
void xsm_jsonw_close(struct xsm_jsonw *w) { jsonw_closed(w, yajl_gen_map_close(w->g)); }
void xsm_jsonw_array_open(struct xsm_jsonw *w) { jsonw_opened(w, yajl_gen_array_open(w->g)); }
void xsm_jsonw_array_close(struct xsm_jsonw *w) { jsonw_closed(w, yajl_gen_array_close(w->g)); }
void xsm_jsonw_null(struct xsm_jsonw *w) { jsonw_check(w, yajl_gen_null(w->g)); }
void xsm_jsonw_bool(struct xsm_jsonw *w, bool v) { jsonw_check(w, yajl_gen_bool(w->g, v)); }

void
xsm_jsonw_key(struct xsm_jsonw *w, const char *key)
{
	jsonw_check(w, yajl_gen_string(w->g, (const unsigned char *)key,
	    strlen(key)));
}

void
xsm_jsonw_str(struct xsm_jsonw *w, const char *s)
{
	char clean[XSM_JSONW_STR_MAX + 1];

	if (s == NULL) {
		xsm_jsonw_null(w);
		return;
	}
	xsm_utf8_sanitize(s, clean, sizeof(clean));
	jsonw_check(w, yajl_gen_string(w->g, (const unsigned char *)clean,
	    strlen(clean)));
}

static void
jsonw_number(struct xsm_jsonw *w, const char *num)
{
	jsonw_check(w, yajl_gen_number(w->g, num, strlen(num)));
}

void
xsm_jsonw_u64(struct xsm_jsonw *w, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	jsonw_number(w, num);
}

void
xsm_jsonw_i64(struct xsm_jsonw *w, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	jsonw_number(w, num);
}

/* Below this, "%.*f" stays short; above it the digits are noise anyway. */
#define FIXED_MAX 1e15
#define FIXED_DECIMALS_MAX 17

void
xsm_jsonw_fixed(struct xsm_jsonw *w, double v, int decimals)
{
	char num[64];
	int n;

	if (!isfinite(v)) {
		xsm_jsonw_null(w);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	else if (decimals > FIXED_DECIMALS_MAX)
		decimals = FIXED_DECIMALS_MAX;
	if (fabs(v) < FIXED_MAX)
		n = snprintf(num, sizeof(num), "%.*f", decimals, v);
	else
		n = snprintf(num, sizeof(num), "%.17g", v);
	/* Cannot happen with the bounds above; a cut number would be wrong. */
	if (n < 0 || (size_t)n >= sizeof(num)) {
		xsm_jsonw_null(w);
		return;
	}
	jsonw_number(w, num);
}

void
xsm_jsonw_time(struct xsm_jsonw *w, uint64_t wall_usec)
{
	char ts[32];

	if (wall_usec == 0) {
		xsm_jsonw_null(w);
		return;
	}
	xsm_jsonw_str(w, xsm_rfc3339(wall_usec, ts, sizeof(ts)));
}

void xsm_jsonw_kstr(struct xsm_jsonw *w, const char *k, const char *s) { xsm_jsonw_key(w, k); xsm_jsonw_str(w, s); }
void xsm_jsonw_ku64(struct xsm_jsonw *w, const char *k, uint64_t v) { xsm_jsonw_key(w, k); xsm_jsonw_u64(w, v); }
void xsm_jsonw_ki64(struct xsm_jsonw *w, const char *k, int64_t v) { xsm_jsonw_key(w, k); xsm_jsonw_i64(w, v); }
void xsm_jsonw_kbool(struct xsm_jsonw *w, const char *k, bool v) { xsm_jsonw_key(w, k); xsm_jsonw_bool(w, v); }
void xsm_jsonw_ktime(struct xsm_jsonw *w, const char *k, uint64_t t) { xsm_jsonw_key(w, k); xsm_jsonw_time(w, t); }

char *
xsm_utf8_sanitize(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (size == 0)
		return out;
	while (*p != '\0') {
		size_t n = xsm_utf8_len(p, strnlen((const char *)p, 4), 0);

		if (n == 0) {
			if (o + 1 >= size)
				break;
			out[o++] = '?';
			p++;
			continue;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return out;
}
