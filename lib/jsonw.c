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

void xsm_jsonw_open(struct xsm_jsonw *w) { jsonw_check(w, yajl_gen_map_open(w->g)); }
void xsm_jsonw_close(struct xsm_jsonw *w) { jsonw_check(w, yajl_gen_map_close(w->g)); }
void xsm_jsonw_array_open(struct xsm_jsonw *w) { jsonw_check(w, yajl_gen_array_open(w->g)); }
void xsm_jsonw_array_close(struct xsm_jsonw *w) { jsonw_check(w, yajl_gen_array_close(w->g)); }
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
	char clean[1024];

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

void
xsm_jsonw_fixed(struct xsm_jsonw *w, double v, int decimals)
{
	char num[64];

	if (!isfinite(v)) {
		xsm_jsonw_null(w);
		return;
	}
	snprintf(num, sizeof(num), "%.*f", decimals, v);
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

/* Length of the well-formed UTF-8 sequence at p (RFC 3629), or 0. */
static size_t
utf8_seq_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f))
			return 0;   /* overlong, or a surrogate */
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

char *
xsm_utf8_sanitize(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (size == 0)
		return out;
	while (*p != '\0') {
		size_t n = utf8_seq_len(p);

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
