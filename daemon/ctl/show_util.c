/* SPDX-License-Identifier: ISC */
/*
 * show_util.c: what every text printer shares: typed reads of a reply's
 * JSON tree (a wrong type reads as absent), the status word in colour,
 * column padding, labels, fields, ages and byte counts.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "show.h"

const char *
ctl_jstr(yajl_val obj, const char *key)
{
	yajl_val v = ctl_jget(obj, key);

	return YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
}

bool
ctl_jint(yajl_val obj, const char *key, int64_t *out)
{
	yajl_val v = ctl_jget(obj, key);

	if (!YAJL_IS_INTEGER(v))
		return false;
	*out = YAJL_GET_INTEGER(v);
	return true;
}

bool
ctl_jdbl(yajl_val obj, const char *key, double *out)
{
	yajl_val v = ctl_jget(obj, key);

	if (!YAJL_IS_NUMBER(v))
		return false;
	*out = YAJL_IS_INTEGER(v) ? (double)YAJL_GET_INTEGER(v) :
	    YAJL_GET_DOUBLE(v);
	return isfinite(*out);
}

int
ctl_jbool(yajl_val obj, const char *key)
{
	yajl_val v = ctl_jget(obj, key);

	return YAJL_IS_TRUE(v) ? 1 : YAJL_IS_FALSE(v) ? 0 : -1;
}

yajl_val
ctl_jobj(yajl_val obj, const char *key)
{
	yajl_val v = ctl_jget(obj, key);

	return YAJL_IS_OBJECT(v) ? v : NULL;
}

yajl_val
ctl_jarr(yajl_val obj, const char *key)
{
	yajl_val v = ctl_jget(obj, key);

	return YAJL_IS_ARRAY(v) ? v : NULL;
}

void
ctl_pad(size_t written, size_t width)
{
	for (; written < width; written++)
		putchar(' ');
}

void
ctl_put_label(const char *l)
{
	printf("  %-14s", l);
}

void
ctl_put_jint(yajl_val obj, const char *key)
{
	int64_t v;

	if (ctl_jint(obj, key, &v))
		printf("%" PRId64, v);
	else
		putchar('-');
}

void
ctl_put_jstr(yajl_val obj, const char *key)
{
	ctl_put_safe(stdout, ctl_jstr(obj, key), CTL_SHOW_TEXT_MAX);
}

static const char *
status_color(enum xsm_status s)
{
	switch (s) {
	case XSM_OK:
		return "\033[32m";
	case XSM_WARNING:
		return "\033[33m";
	case XSM_CRITICAL:
		return "\033[31m";
	case XSM_UNKNOWN:
		break;
	}
	return "\033[90m";
}

/* The status word, coloured on a terminal, padded to width. */
void
ctl_put_status(enum xsm_status s, bool upper, size_t width,
    const struct ctl_out_opts *o)
{
	const char *name = xsm_status_name(s);
	size_t i;

	if (o->color)
		fputs(status_color(s), stdout);
	for (i = 0; name[i] != '\0'; i++)
		putchar(upper ? name[i] - 'a' + 'A' : name[i]);
	if (o->color)
		fputs("\033[0m", stdout);
	ctl_pad(i, width);
}

/* "9s", "3m12s", "2h5m", "3d4h"; "-" when unknown. */
char *
ctl_fmt_age(int64_t s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 60)
		snprintf(buf, size, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, size, "%" PRId64 "m%" PRId64 "s", s / 60,
		    s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%" PRId64 "h%" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(buf, size, "%" PRId64 "d%" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
	return buf;
}

/* Binary units, one decimal: "512 B", "870.4 KiB"; "-" when unknown. */
char *
ctl_fmt_bytes(double v, char *buf, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	double a = fabs(v);
	int u = -1;

	if (isnan(v)) {
		snprintf(buf, size, "-");
		return buf;
	}
	while (a >= 1024 && u < 5) {
		a /= 1024;
		u++;
	}
	/* Past EiB only a broken daemon: keep it short, not 300 digits. */
	if (u < 0)
		snprintf(buf, size, "%.0f B", v);
	else
		snprintf(buf, size, a < 1024 ? "%s%.1f %s" : "%s%.3g %s",
		    v < 0 ? "-" : "", a, units[u]);
	return buf;
}

/* A status word named by a string: coloured when known, padded. */
void
ctl_put_status_word(const char *s, size_t width, const struct ctl_out_opts *o)
{
	enum xsm_status st;

	if (s != NULL && xsm_status_parse(s, &st) == 0)
		ctl_put_status(st, false, width, o);
	else
		ctl_pad(ctl_put_safe(stdout, s, 16), width);
}
