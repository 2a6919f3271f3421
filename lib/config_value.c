/* SPDX-License-Identifier: ISC */
/*
 * config_value.c: the value types of config keys (paths, group names,
 * counts, sizes, durations, percentages): strict parsing, range checks and
 * the canonical text that re-parses to the same value.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "alert.h"
#include "config_key.h"

/* One value on its way between text and struct. */
struct val {
	uint64_t u;
	double d;
	const char *s;
};

struct unit {
	const char *name;
	uint64_t mult;
};

/* Largest first: formatting picks the first that divides exactly. */
static const struct unit dur_units[] = {
	{ "d", XSM_DAY }, { "h", XSM_HOUR }, { "m", XSM_MIN },
	{ "s", XSM_SEC }, { "ms", XSM_MS }, { "us", 1 },
};
#define NDUR (sizeof(dur_units) / sizeof(dur_units[0]))

static const struct unit size_units[] = {
	{ "G", XSM_GIB }, { "M", XSM_MIB }, { "K", XSM_KIB },
};
#define NSIZE (sizeof(size_units) / sizeof(size_units[0]))

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Reads the leading decimal digits of s. Returns the number of digits
 * (0 when there are none); *over is set when the value does not fit.
 */
static size_t
scan_digits(const char *s, uint64_t *out, bool *over)
{
	size_t i;

	*out = 0;
	*over = false;
	for (i = 0; is_digit(s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (*out > (UINT64_MAX - d) / 10)
			*over = true;
		else
			*out = *out * 10 + d;
	}
	return i;
}

/* An integer times the multiplier of its unit suffix (bare: mult0). */
static int
parse_scaled(const char *s, uint64_t *out, uint64_t mult0,
    const struct unit *units, size_t nunits)
{
	uint64_t n, mult = mult0;
	bool over;
	size_t len = scan_digits(s, &n, &over);
	size_t i;

	if (len == 0)
		return -EINVAL;
	if (s[len] != '\0') {
		for (i = 0; i < nunits; i++)
			if (strcmp(s + len, units[i].name) == 0)
				break;
		if (i == nunits)
			return -EINVAL;
		mult = units[i].mult;
	}
	if (over || (n != 0 && mult > UINT64_MAX / n))
		return -ERANGE;
	*out = n * mult;
	return 0;
}

int
xsm_parse_duration(const char *s, uint64_t *usec)
{
	return parse_scaled(s, usec, XSM_SEC, dur_units, NDUR);
}

int
xsm_parse_size(const char *s, uint64_t *bytes)
{
	return parse_scaled(s, bytes, 1, size_units, NSIZE);
}

void
xsm_format_duration(uint64_t usec, char *out, size_t size)
{
	size_t i;

	if (usec == 0) {
		snprintf(out, size, "0s");
		return;
	}
	/* The table ends with 1 us, which divides everything. */
	for (i = 0; usec % dur_units[i].mult != 0; i++)
		;
	snprintf(out, size, "%" PRIu64 "%s", usec / dur_units[i].mult,
	    dur_units[i].name);
}

void
xsm_format_size(uint64_t bytes, char *out, size_t size)
{
	for (size_t i = 0; bytes != 0 && i < NSIZE; i++) {
		if (bytes % size_units[i].mult == 0) {
			snprintf(out, size, "%" PRIu64 "%s",
			    bytes / size_units[i].mult, size_units[i].name);
			return;
		}
	}
	snprintf(out, size, "%" PRIu64, bytes);
}

/*
 * "85", "85.5", "85.125" or "85%". At most 3 decimals, so %g prints the
 * value back exactly and the printed config re-parses to the same double:
 * thousandths / 1000.0 is the correctly rounded value, as strtod's is.
 * -EDOM for too many decimals.
 */
static int
parse_percent(const char *s, double *out)
{
	uint64_t whole, frac = 0;
	bool over;
	size_t len = scan_digits(s, &whole, &over);
	unsigned nfrac = 0;

	if (len == 0)
		return -EINVAL;
	s += len;
	if (*s == '.') {
		for (s++; is_digit(*s); s++, nfrac++)
			if (nfrac < 3)
				frac = frac * 10 + (uint64_t)(*s - '0');
		if (nfrac == 0)
			return -EINVAL;
	}
	if (*s == '%')
		s++;
	if (*s != '\0')
		return -EINVAL;
	if (nfrac > 3)
		return -EDOM;
	if (over || whole > 1000000000)
		return -ERANGE;
	for (; nfrac < 3; nfrac++)
		frac *= 10;
	*out = (double)(whole * 1000 + frac) / 1000.0;
	return 0;
}

static void
val_load(const struct xsm_cfg_key *k, const struct xsm_config *c,
    struct val *v)
{
	const char *p = (const char *)c + k->off;
	unsigned u;

	memset(v, 0, sizeof(*v));
	switch (k->type) {
	case XSM_CFG_PATH:
	case XSM_CFG_GROUP:
	case XSM_CFG_OPTPATH:
	case XSM_CFG_IFNAME:
	case XSM_CFG_IFNAMES:
	case XSM_CFG_PATHS:
	case XSM_CFG_CHOICE:
	case XSM_CFG_SDID:
		v->s = p;
		break;
	case XSM_CFG_UINT:
	case XSM_CFG_SIZE32:
		memcpy(&u, p, sizeof(u));
		v->u = u;
		break;
	case XSM_CFG_SIZE:
	case XSM_CFG_DURATION:
		memcpy(&v->u, p, sizeof(v->u));
		break;
	case XSM_CFG_PERCENT:
	case XSM_CFG_NUMBER:
		memcpy(&v->d, p, sizeof(v->d));
		break;
	case XSM_CFG_BOOL:
		v->u = *(const bool *)p;
		break;
	}
}

static void
val_store(const struct xsm_cfg_key *k, struct xsm_config *c,
    const struct val *v)
{
	char *p = (char *)c + k->off;
	unsigned u = (unsigned)v->u;

	switch (k->type) {
	case XSM_CFG_PATH:
	case XSM_CFG_GROUP:
	case XSM_CFG_OPTPATH:
	case XSM_CFG_IFNAME:
	case XSM_CFG_IFNAMES:
	case XSM_CFG_PATHS:
	case XSM_CFG_CHOICE:
	case XSM_CFG_SDID:
		/* Zero the tail, so equal configs are equal bytewise. */
		memset(p, 0, k->size);
		memcpy(p, v->s, strlen(v->s));
		break;
	case XSM_CFG_UINT:
	case XSM_CFG_SIZE32:
		memcpy(p, &u, sizeof(u));
		break;
	case XSM_CFG_SIZE:
	case XSM_CFG_DURATION:
		memcpy(p, &v->u, sizeof(v->u));
		break;
	case XSM_CFG_PERCENT:
	case XSM_CFG_NUMBER:
		memcpy(p, &v->d, sizeof(v->d));
		break;
	case XSM_CFG_BOOL:
		*(bool *)p = v->u != 0;
		break;
	}
}

static void
val_format(const struct xsm_cfg_key *k, const struct val *v, char *out,
    size_t size)
{
	switch (k->type) {
	case XSM_CFG_PATH:
	case XSM_CFG_GROUP:
	case XSM_CFG_OPTPATH:
	case XSM_CFG_IFNAME:
	case XSM_CFG_IFNAMES:
	case XSM_CFG_PATHS:
	case XSM_CFG_CHOICE:
	case XSM_CFG_SDID:
		xsm_strlcpy(out, v->s, size);
		break;
	case XSM_CFG_BOOL:
		xsm_strlcpy(out, v->u ? "yes" : "no", size);
		break;
	case XSM_CFG_UINT:
		snprintf(out, size, "%" PRIu64, v->u);
		break;
	case XSM_CFG_SIZE32:
	case XSM_CFG_SIZE:
		xsm_format_size(v->u, out, size);
		break;
	case XSM_CFG_DURATION:
		xsm_format_duration(v->u, out, size);
		break;
	case XSM_CFG_PERCENT:
	case XSM_CFG_NUMBER:
		snprintf(out, size, "%g", v->d);
		break;
	}
}

/* min and max of k, formatted like its values. */
static void
format_bound(const struct xsm_cfg_key *k, uint64_t b, char *out,
    size_t size)
{
	struct val v = { .u = b, .d = (double)b, .s = "" };

	val_format(k, &v, out, size);
}

static bool
is_space_c(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_text_type(enum xsm_cfg_type t)
{
	return t == XSM_CFG_PATH || t == XSM_CFG_GROUP ||
	    t == XSM_CFG_OPTPATH || t == XSM_CFG_IFNAME ||
	    t == XSM_CFG_IFNAMES || t == XSM_CFG_PATHS || t == XSM_CFG_BOOL ||
	    t == XSM_CFG_CHOICE || t == XSM_CFG_SDID;
}

/* Whether the canonical list "a,b" already holds item. */
static bool
list_has(const char *list, const char *item)
{
	size_t len = strlen(item);

	for (const char *p = list; *p != '\0';) {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n == len && memcmp(p, item, len) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

static int
check_path(const struct xsm_cfg_key *k, const char *s, char *msg,
    size_t size)
{
	if (s[0] != '/') {
		snprintf(msg, size, "'%.40s' is not an absolute path", s);
		return -EINVAL;
	}
	if (strlen(s) >= k->size) {
		snprintf(msg, size, "path too long (at most %zu bytes)",
		    k->size - 1);
		return -EINVAL;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(msg, size, "control character in path");
			return -EINVAL;
		}
	}
	return 0;
}

static int
check_group(const struct xsm_cfg_key *k, const char *s, char *msg,
    size_t size)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.-");

	if (s[n] == '\0' && n <= k->max && n < k->size)
		return 0;
	snprintf(msg, size, "invalid group name '%.40s' (at most %" PRIu64
	    " of A-Z a-z 0-9 _ . -)", s, k->max);
	return -EINVAL;
}

/*
 * An interface name as the kernel accepts it (dev_valid_name): 1..15
 * bytes, not "." or "..", no '/', ':' (alias syntax, never a real link)
 * or whitespace. ',' is our list separator.
 */
static int
check_ifname(const char *s, size_t len, char *msg, size_t size)
{
	if (len == 0 || len >= XSM_IFNAME_MAX ||
	    (len == 1 && s[0] == '.') || (len == 2 && memcmp(s, "..", 2) == 0)) {
		snprintf(msg, size, "invalid interface name '%.*s'",
		    (int)(len > 40 ? 40 : len), s);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || c == '/' || c == ':' || c == ',') {
			snprintf(msg, size, "invalid interface name '%.*s'",
			    (int)(len > 40 ? 40 : len), s);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * A comma-separated list: each item trimmed and checked, written to out
 * as "a,b" with no spaces (the canonical form). An empty text is an
 * empty list. Items may not repeat.
 */
static int
check_list(const struct xsm_cfg_key *k, const char *s, char *out,
    size_t outsize, char *msg, size_t size)
{
	unsigned max = k->type == XSM_CFG_IFNAMES ? XSM_IFNAMES_MAX :
	    XSM_PATHS_MAX;
	size_t used = 0;
	unsigned n = 0;

	out[0] = '\0';
	while (is_space_c(*s))
		s++;
	if (*s == '\0')
		return 0;
	for (;;) {
		const char *end = strchr(s, ','), *b = s, *e;
		char item[XSM_PATH_MAX];
		size_t len;
		int r;

		e = end != NULL ? end : s + strlen(s);
		while (b < e && is_space_c(*b))
			b++;
		while (e > b && is_space_c(e[-1]))
			e--;
		len = (size_t)(e - b);
		if (len == 0) {
			snprintf(msg, size, "empty item in list");
			return -EINVAL;
		}
		if (++n > max) {
			snprintf(msg, size, "too many items (at most %u)", max);
			return -EINVAL;
		}
		if (len >= sizeof(item)) {
			snprintf(msg, size, "item too long (at most %zu bytes)",
			    sizeof(item) - 1);
			return -EINVAL;
		}
		memcpy(item, b, len);
		item[len] = '\0';
		r = k->type == XSM_CFG_IFNAMES ?
		    check_ifname(item, len, msg, size) :
		    check_path(k, item, msg, size);
		if (r < 0)
			return r;
		if (list_has(out, item)) {
			snprintf(msg, size, "'%.40s' is listed twice", item);
			return -EINVAL;
		}
		if (used + (used > 0) + len >= outsize || used + (used > 0) +
		    len >= k->size) {
			snprintf(msg, size, "list too long (at most %zu bytes)",
			    k->size - 1);
			return -EINVAL;
		}
		if (used > 0)
			out[used++] = ',';
		memcpy(out + used, item, len + 1);
		used += len;
		if (end == NULL)
			return 0;
		s = end + 1;
	}
}

/* One of k->choices, a '|'-separated list of words. */
static int
check_choice(const struct xsm_cfg_key *k, const char *s, char *msg,
    size_t size)
{
	const char *c = k->choices != NULL ? k->choices : "";
	size_t n = strlen(s);

	while (n > 0 && n < k->size) {
		const char *bar = strchr(c, '|');
		size_t len = bar != NULL ? (size_t)(bar - c) : strlen(c);

		if (len == n && memcmp(c, s, n) == 0)
			return 0;
		if (bar == NULL)
			break;
		c = bar + 1;
	}
	snprintf(msg, size, "'%.40s' is not one of %s", s,
	    k->choices != NULL ? k->choices : "(none)");
	return -EINVAL;
}

static int
parse_bool(const char *s, uint64_t *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

/* Checks and stores the text-valued types; 0 or -EINVAL with msg. */
static int
set_text(const struct xsm_cfg_key *k, struct xsm_config *c,
    const char *text, char *msg, size_t size)
{
	char canon[XSM_PATHS_MAX * XSM_PATH_MAX];
	struct val v = { .s = text };
	int r = 0;

	switch (k->type) {
	case XSM_CFG_PATH:
		r = check_path(k, text, msg, size);
		break;
	case XSM_CFG_OPTPATH:
		if (text[0] != '\0')
			r = check_path(k, text, msg, size);
		break;
	case XSM_CFG_GROUP:
		r = check_group(k, text, msg, size);
		break;
	case XSM_CFG_IFNAME:
		if (text[0] != '\0')
			r = check_ifname(text, strlen(text), msg, size);
		break;
	case XSM_CFG_IFNAMES:
	case XSM_CFG_PATHS:
		r = check_list(k, text, canon, sizeof(canon), msg, size);
		v.s = canon;
		break;
	case XSM_CFG_BOOL:
		r = parse_bool(text, &v.u);
		if (r < 0)
			snprintf(msg, size, "'%.40s' is not yes or no", text);
		break;
	case XSM_CFG_CHOICE:
		r = check_choice(k, text, msg, size);
		break;
	case XSM_CFG_SDID:
		if (!xsm_alert_sd_id_valid(text) || strlen(text) >= k->size) {
			snprintf(msg, size, "'%.40s' is not an SD-ID (1 to 32 "
			    "printable characters but '=', ']', '\"' and space, "
			    "e.g. xsmon@32473)", text);
			r = -EINVAL;
		}
		break;
	default:
		snprintf(msg, size, "internal error: not a text key");
		return -EINVAL;
	}
	if (r == 0)
		val_store(k, c, &v);
	return r;
}

static const char *
type_noun(enum xsm_cfg_type t)
{
	switch (t) {
	case XSM_CFG_UINT:
		return "number";
	case XSM_CFG_SIZE32:
	case XSM_CFG_SIZE:
		return "size (e.g. 512, 64K, 1M)";
	case XSM_CFG_DURATION:
		return "duration (e.g. 200ms, 30s, 5m, 1h, 1d)";
	case XSM_CFG_PERCENT:
		return "percentage (e.g. 85 or 85.5)";
	case XSM_CFG_NUMBER:
		return "number (e.g. 10 or 0.5)";
	default:
		return "value";
	}
}

static int
parse_number(const struct xsm_cfg_key *k, const char *s, struct val *v)
{
	bool over;
	size_t len;

	switch (k->type) {
	case XSM_CFG_UINT:
		len = scan_digits(s, &v->u, &over);
		if (len == 0 || s[len] != '\0')
			return -EINVAL;
		return over || v->u > UINT32_MAX ? -ERANGE : 0;
	case XSM_CFG_SIZE32:
	case XSM_CFG_SIZE:
		return xsm_parse_size(s, &v->u);
	case XSM_CFG_DURATION:
		return xsm_parse_duration(s, &v->u);
	case XSM_CFG_PERCENT:
		return parse_percent(s, &v->d);
	case XSM_CFG_NUMBER:
		if (s[0] == '\0' || s[strlen(s) - 1] == '%')
			return -EINVAL;
		return parse_percent(s, &v->d);
	default:
		return -EINVAL;
	}
}

/* The field has the width val_load/val_store use for k's type. */
static bool
field_fits(const struct xsm_cfg_key *k)
{
	switch (k->type) {
	case XSM_CFG_PATH:
	case XSM_CFG_GROUP:
	case XSM_CFG_OPTPATH:
	case XSM_CFG_IFNAME:
	case XSM_CFG_IFNAMES:
	case XSM_CFG_PATHS:
	case XSM_CFG_CHOICE:
	case XSM_CFG_SDID:
		return k->size > 0;
	case XSM_CFG_BOOL:
		return k->size == sizeof(bool);
	case XSM_CFG_UINT:
	case XSM_CFG_SIZE32:
		return k->size == sizeof(unsigned) && k->max <= UINT32_MAX;
	case XSM_CFG_SIZE:
	case XSM_CFG_DURATION:
		return k->size == sizeof(uint64_t);
	case XSM_CFG_PERCENT:
	case XSM_CFG_NUMBER:
		return k->size == sizeof(double);
	}
	return false;
}

int
xsm_cfg_set(const struct xsm_cfg_key *k, struct xsm_config *c,
    const char *text, char *msg, size_t size)
{
	struct val v = { .s = text };
	char got[64], lo[32], hi[32];
	bool in;
	int r;

	if (!field_fits(k)) {
		/* A table entry whose type does not match its field. */
		snprintf(msg, size, "internal error: bad key table entry");
		return -EINVAL;
	}
	if (is_text_type(k->type))
		return set_text(k, c, text, msg, size);
	r = parse_number(k, text, &v);
	if (r == -EDOM) {
		snprintf(msg, size, "'%.40s' has more than 3 decimals", text);
		return -EINVAL;
	}
	if (r == -ERANGE) {
		snprintf(msg, size, "'%.40s' is too large", text);
		return -EINVAL;
	}
	if (r < 0) {
		snprintf(msg, size, "'%.40s' is not a %s", text,
		    type_noun(k->type));
		return -EINVAL;
	}
	in = k->type == XSM_CFG_PERCENT || k->type == XSM_CFG_NUMBER ?
	    v.d >= (double)k->min && v.d <= (double)k->max :
	    v.u >= k->min && v.u <= k->max;
	if (!in) {
		val_format(k, &v, got, sizeof(got));
		format_bound(k, k->min, lo, sizeof(lo));
		format_bound(k, k->max, hi, sizeof(hi));
		snprintf(msg, size, "%.40s is out of range (%.24s..%.24s)", got,
		    lo, hi);
		return -EINVAL;
	}
	val_store(k, c, &v);
	return 0;
}

void
xsm_cfg_format(const struct xsm_cfg_key *k, const struct xsm_config *c,
    char *out, size_t size)
{
	struct val v;

	val_load(k, c, &v);
	val_format(k, &v, out, size);
}

double
xsm_cfg_number(const struct xsm_cfg_key *k, const struct xsm_config *c)
{
	struct val v;

	val_load(k, c, &v);
	return k->type == XSM_CFG_PERCENT || k->type == XSM_CFG_NUMBER ?
	    v.d : (double)v.u;
}
