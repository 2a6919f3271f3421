/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: xenstore value and path parsing on arbitrary bytes (guest-
 * written values reach these parsers). The input is "KEY\0VALUE": VALUE
 * goes through the number, domid and uuid parsers, KEY through the path
 * parsers and both through xsm_xs_facts_set(). Results are checked, so a
 * wrong answer crashes too: a parsed number prints back to the same
 * digits, a uuid is canonical, a path's parts lie inside it, a domain's
 * name stays printable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_domain.h"
#include "xs_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(x) do { if (!(x)) abort(); } while (0)

static void
values(const char *v, size_t len)
{
	char buf[32], uuid[XSM_XS_UUID_LEN + 1];
	uint64_t n;
	uint32_t d;

	if (xsm_xs_parse_u64(v, len, UINT64_MAX, &n) == 0) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n);
		ASSERT(strlen(buf) == len && memcmp(buf, v, len) == 0);
	}
	if (xsm_xs_parse_domid(v, len, &d) == 0)
		ASSERT(d <= XSM_XS_DOMID_MAX);
	if (xsm_xs_parse_uuid(v, len, uuid) == 0) {
		ASSERT(strlen(uuid) == XSM_XS_UUID_LEN);
		for (int i = 0; i < XSM_XS_UUID_LEN; i++)
			ASSERT((i == 8 || i == 13 || i == 18 || i == 23) ?
			    uuid[i] == '-' : strchr("0123456789abcdef", uuid[i]) != NULL);
	}
}

static void
paths(const char *p)
{
	const char *rest;
	uint32_t d, b, f, dev;
	char kind[16];

	if (xsm_xs_domain_path(p, &d, &rest) == 0) {
		ASSERT(d <= XSM_XS_DOMID_MAX);
		ASSERT(rest > p && rest <= p + strlen(p));
	}
	if (xsm_xs_backend_path(p, &b, kind, sizeof(kind), &f, &dev) == 0) {
		ASSERT(xsm_xs_name_ok(kind, strlen(kind)));
		ASSERT(f <= XSM_XS_DOMID_MAX && b <= XSM_XS_DOMID_MAX);
	}
	switch (xsm_xs_classify(p, &d)) {
	case XSM_XS_EV_DOMAIN:
		ASSERT(d <= XSM_XS_DOMID_MAX);
		break;
	case XSM_XS_EV_RESCAN:
	case XSM_XS_EV_IGNORE:
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *key;
	const char *val;
	size_t klen, vlen;
	struct xsm_xs_facts f;

	if (size > 8192)
		return 0;
	if ((key = malloc(size + 1)) == NULL)
		return 0;
	memcpy(key, data, size);
	key[size] = '\0';
	klen = strlen(key);
	val = klen < size ? key + klen + 1 : "";
	vlen = klen < size ? size - klen - 1 : 0;
	values(val, vlen);
	values(key, klen);
	paths(key);
	xsm_xs_facts_init(&f, 5);
	xsm_xs_facts_set(&f, key, val, vlen);
	for (const char *c = f.name; *c != '\0'; c++)
		ASSERT(*c >= 0x20 && *c <= 0x7e);
	ASSERT(f.n_dev <= XSM_XS_DEV_MAX);
	ASSERT(f.target_kib >= -1 && f.static_max_kib >= -1);
	free(key);
	return 0;
}
