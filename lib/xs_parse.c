/* SPDX-License-Identifier: ISC */
/* xs_parse.c: xenstore numbers, uuids, domain and backend paths. */
#include <errno.h>
#include <string.h>

#include "xs_parse.h"

#define DOMAIN_PREFIX "/local/domain/"
#define DOMAIN_PREFIX_LEN (sizeof(DOMAIN_PREFIX) - 1)

int
xsm_xs_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || (s[0] == '0' && len > 1))
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned dig;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		dig = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - dig) / 10) {
			/* Still tell garbage from overflow. */
			for (size_t j = i + 1; j < len; j++)
				if (s[j] < '0' || s[j] > '9')
					return -EINVAL;
			return -ERANGE;
		}
		v = v * 10 + dig;
	}
	if (v > max) {
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int
xsm_xs_parse_domid(const char *s, size_t len, uint32_t *out)
{
	uint64_t v;
	int r;

	if ((r = xsm_xs_parse_u64(s, len, XSM_XS_DOMID_MAX, &v)) < 0)
		return r;
	*out = (uint32_t)v;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
xsm_xs_parse_uuid(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	if (len == 4 + XSM_XS_UUID_LEN && memcmp(s, "/vm/", 4) == 0) {
		s += 4;
		len -= 4;
	}
	if (len != XSM_XS_UUID_LEN)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		int h = hexval(s[i]);

		if (dash ? s[i] != '-' : h < 0)
			return -EINVAL;
		out[i] = dash ? '-' : hex[h];
	}
	out[len] = '\0';
	return 0;
}

/* Length of the path component at p (up to '/' or NUL). */
static size_t
comp_len(const char *p)
{
	return strcspn(p, "/");
}

int
xsm_xs_domain_path(const char *path, uint32_t *domid, const char **rest)
{
	const char *p;
	size_t n;

	if (strncmp(path, DOMAIN_PREFIX, DOMAIN_PREFIX_LEN) != 0)
		return -EINVAL;
	p = path + DOMAIN_PREFIX_LEN;
	n = comp_len(p);
	if (xsm_xs_parse_domid(p, n, domid) < 0)
		return -EINVAL;
	p += n;
	if (*p == '/') {
		p++;
		if (*p == '\0')
			return -EINVAL;   /* "/local/domain/5/" */
	}
	*rest = p;
	return 0;
}

bool
xsm_xs_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 15)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return false;
	}
	return true;
}

int
xsm_xs_backend_path(const char *path, uint32_t *bdom, char *kind,
    size_t kind_size, uint32_t *fdom, uint32_t *devid)
{
	const char *p = path;
	uint32_t b = 0;
	size_t n;

	if (path[0] == '/') {
		if (xsm_xs_domain_path(path, &b, &p) < 0)
			return -EINVAL;
	}
	if (strncmp(p, "backend/", 8) != 0)
		return -EINVAL;
	p += 8;
	n = comp_len(p);
	if (!xsm_xs_name_ok(p, n) || n + 1 > kind_size)
		return -EINVAL;
	memcpy(kind, p, n);
	kind[n] = '\0';
	p += n;
	if (*p++ != '/')
		return -EINVAL;
	n = comp_len(p);
	if (xsm_xs_parse_domid(p, n, fdom) < 0)
		return -EINVAL;
	p += n;
	if (*p++ != '/')
		return -EINVAL;
	n = comp_len(p);
	{
		uint64_t v;

		if (xsm_xs_parse_u64(p, n, UINT32_MAX, &v) < 0)
			return -EINVAL;
		*devid = (uint32_t)v;
	}
	p += n;
	if (*p != '\0' && (*p != '/' || p[1] == '\0'))
		return -EINVAL;
	if (bdom != NULL)
		*bdom = b;
	return 0;
}

enum xsm_xs_event
xsm_xs_classify(const char *path, uint32_t *domid)
{
	const char *rest;
	uint32_t d, b, dev;
	char kind[16];

	if (path[0] == '@')
		return XSM_XS_EV_RESCAN;
	if (strcmp(path, "/local/domain") == 0 ||
	    strcmp(path, "/local/domain/") == 0 || strcmp(path, "/local") == 0)
		return XSM_XS_EV_RESCAN;
	if (strncmp(path, DOMAIN_PREFIX, DOMAIN_PREFIX_LEN) != 0)
		return XSM_XS_EV_IGNORE;
	if (xsm_xs_domain_path(path, &d, &rest) < 0)
		return XSM_XS_EV_RESCAN;
	/* A backend's change belongs to the frontend's facts. */
	if (xsm_xs_backend_path(path, &b, kind, sizeof(kind), domid,
	    &dev) == 0)
		return XSM_XS_EV_DOMAIN;
	*domid = d;
	return XSM_XS_EV_DOMAIN;
}

static const char *const state_names[XSM_XS_STATE_MAX + 1] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

const char *
xsm_xs_state_name(int state)
{
	if (state < 0 || state > XSM_XS_STATE_MAX)
		return "invalid";
	return state_names[state];
}
