/* SPDX-License-Identifier: ISC */
/*
 * xs_facts.c: one domain's xenstore values into struct xsm_xs_facts.
 * Values come from the guest as often as from the toolstack: every one is
 * length-checked and parsed with overflow checks, and a bad one leaves
 * its field unknown rather than guessing.
 */
#include <errno.h>
#include <string.h>

#include "xs_domain.h"

/* 2^40 KiB = 1 PiB: larger is garbage, not a domain. */
#define MEM_KIB_MAX (1ULL << 40)

static const char *const feature_names[XSM_XS_FEAT__COUNT] = {
	"poweroff", "reboot", "suspend", "s3", "s4",
};

static const char *const pv_keys[4] = {
	"MajorVersion", "MinorVersion", "MicroVersion", "BuildVersion",
};

const char *
xsm_xs_feature_name(unsigned bit)
{
	return bit < XSM_XS_FEAT__COUNT ? feature_names[bit] : NULL;
}

void
xsm_xs_facts_init(struct xsm_xs_facts *f, uint32_t domid)
{
	memset(f, 0, sizeof(*f));
	f->domid = domid;
	f->target_kib = f->static_max_kib = -1;
	for (int i = 0; i < 4; i++)
		f->pv_ver[i] = -1;
	f->entries = -1;
}

static int
bad(struct xsm_xs_facts *f)
{
	f->bad_values++;
	return -EINVAL;
}

static int
set_name(struct xsm_xs_facts *f, const char *val, size_t len)
{
	/* Printable ASCII only: a name goes into logs and tables. */
	if (len == 0 || len >= sizeof(f->name))
		return bad(f);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)val[i] < 0x20 || (unsigned char)val[i] > 0x7e)
			return bad(f);
	memcpy(f->name, val, len);
	f->name[len] = '\0';
	return 0;
}

static int
set_kib(struct xsm_xs_facts *f, int64_t *out, const char *val, size_t len)
{
	uint64_t v;

	if (xsm_xs_parse_u64(val, len, MEM_KIB_MAX, &v) < 0)
		return bad(f);
	*out = (int64_t)v;
	return 0;
}

static int
set_feature(struct xsm_xs_facts *f, const char *name, const char *val,
    size_t len)
{
	for (unsigned i = 0; i < XSM_XS_FEAT__COUNT; i++) {
		if (strcmp(name, feature_names[i]) != 0)
			continue;
		if (len == 1 && val[0] == '1')
			f->features |= 1u << i;
		else if (!(len == 1 && val[0] == '0') && len != 0)
			return bad(f);
		return 0;
	}
	return -ENOENT;
}

static struct xsm_xs_dev *
dev_get(struct xsm_xs_facts *f, const char *kind, size_t klen, uint32_t devid)
{
	struct xsm_xs_dev *d;

	for (unsigned i = 0; i < f->n_dev; i++) {
		d = &f->dev[i];
		if (d->devid == devid && strlen(d->kind) == klen &&
		    memcmp(d->kind, kind, klen) == 0)
			return d;
	}
	if (f->n_dev == XSM_XS_DEV_MAX) {
		f->dev_truncated = true;
		return NULL;
	}
	d = &f->dev[f->n_dev++];
	memset(d, 0, sizeof(*d));
	memcpy(d->kind, kind, klen);
	d->devid = devid;
	d->state = d->bstate = -1;
	return d;
}

/* device/<kind>/<devid>/{state,backend-state} */
static int
set_device(struct xsm_xs_facts *f, const char *key, const char *val,
    size_t len)
{
	const char *kind = key, *p;
	size_t klen = strcspn(kind, "/");
	uint64_t devid, st;
	struct xsm_xs_dev *d;
	bool backend;

	if (!xsm_xs_name_ok(kind, klen) || kind[klen] != '/')
		return -ENOENT;
	p = kind + klen + 1;
	if (xsm_xs_parse_u64(p, strcspn(p, "/"), UINT32_MAX, &devid) < 0)
		return -ENOENT;
	p += strcspn(p, "/");
	if (strcmp(p, "/state") == 0)
		backend = false;
	else if (strcmp(p, "/backend-state") == 0)
		backend = true;
	else
		return -ENOENT;
	if ((d = dev_get(f, kind, klen, (uint32_t)devid)) == NULL)
		return 0;
	if (xsm_xs_parse_u64(val, len, XSM_XS_STATE_MAX, &st) < 0)
		return bad(f);
	if (backend)
		d->bstate = (int8_t)st;
	else
		d->state = (int8_t)st;
	return 0;
}

static int
set_pv(struct xsm_xs_facts *f, const char *which, const char *val, size_t len)
{
	uint64_t v;

	for (int i = 0; i < 4; i++) {
		if (strcmp(which, pv_keys[i]) != 0)
			continue;
		if (xsm_xs_parse_u64(val, len, INT32_MAX, &v) < 0)
			return bad(f);
		f->pv_ver[i] = (int32_t)v;
		return 0;
	}
	return -ENOENT;
}

int
xsm_xs_facts_set(struct xsm_xs_facts *f, const char *key, const char *val,
    size_t len)
{
	if (strcmp(key, "name") == 0)
		return set_name(f, val, len);
	if (strcmp(key, "vm") == 0)
		return xsm_xs_parse_uuid(val, len, f->uuid) < 0 ? bad(f) : 0;
	if (strcmp(key, "memory/target") == 0)
		return set_kib(f, &f->target_kib, val, len);
	if (strcmp(key, "memory/static-max") == 0)
		return set_kib(f, &f->static_max_kib, val, len);
	if (strcmp(key, "data/updated") == 0) {
		f->data_updated = true;
		return 0;
	}
	if (strncmp(key, "attr/PVAddons/", 14) == 0)
		return set_pv(f, key + 14, val, len);
	if (strncmp(key, "control/feature-", 16) == 0)
		return set_feature(f, key + 16, val, len);
	if (strncmp(key, "device/", 7) == 0)
		return set_device(f, key + 7, val, len);
	return -ENOENT;
}
