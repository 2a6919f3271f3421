/* SPDX-License-Identifier: ISC */
/*
 * xs_domain.h: what xsmond knows about each domain, and the table that
 * holds it. The worker reads a domain's keys into a struct xsm_xs_facts
 * (xsm_xs_facts_set() parses each value); the loop merges facts into the
 * table and evaluates. Watch events only mark domids dirty in a bitmap
 * (4 KiB for every possible domid: it cannot overflow and costs nothing
 * per event), and batches of dirty domids are re-read.
 */
#ifndef XSM_XS_DOMAIN_H
#define XSM_XS_DOMAIN_H

#include "config.h"
#include "xs_parse.h"
#include "xsm.h"

#define XSM_XS_DEV_MAX 16          /* devices kept per domain */
#define XSM_XS_NAME_MAX 64
#define XSM_XS_REASON_MAX 96
#define XSM_XS_TABLE_MAX 4096      /* domains kept; more are counted */
#define XSM_XS_BITMAP_WORDS ((XSM_XS_DOMIDS + 63) / 64)

/* Feature flags from ~/control/feature-*. */
enum {
	XSM_XS_FEAT_POWEROFF = 1u << 0,
	XSM_XS_FEAT_REBOOT = 1u << 1,
	XSM_XS_FEAT_SUSPEND = 1u << 2,
	XSM_XS_FEAT_S3 = 1u << 3,
	XSM_XS_FEAT_S4 = 1u << 4,
	XSM_XS_FEAT__COUNT = 5,
};
/* "poweroff", "reboot", "suspend", "s3", "s4" for bit i; NULL past. */
const char *xsm_xs_feature_name(unsigned bit);

struct xsm_xs_dev {
	char kind[16];            /* "vif", "vbd", "qdisk"... */
	uint32_t devid;
	int8_t state;             /* frontend xenbus state, -1 unknown */
	int8_t bstate;            /* backend state, -1 unknown */
	uint64_t since_mono;      /* both states as they are since then */
	uint64_t since_wall;
};

/* One domain as read by the worker: raw facts, no history. */
struct xsm_xs_facts {
	uint32_t domid;
	bool exists;              /* /local/domain/N is there */
	char name[XSM_XS_NAME_MAX];
	char uuid[XSM_XS_UUID_LEN + 1];   /* "" unknown */
	int64_t target_kib;       /* -1 unknown */
	int64_t static_max_kib;
	int32_t pv_ver[4];        /* attr/PVAddons/{Major,Minor,Micro,Build}Version, -1 */
	bool data_updated;        /* data/updated present */
	uint32_t features;
	unsigned n_dev;
	bool dev_truncated;
	struct xsm_xs_dev dev[XSM_XS_DEV_MAX];
	int64_t entries;          /* nodes under ~, -1 not counted */
	unsigned bad_values;      /* values that failed to parse */
};

/* Empty facts for domid (everything unknown). */
void xsm_xs_facts_init(struct xsm_xs_facts *f, uint32_t domid);

/*
 * Feeds one value read from /local/domain/<domid>/<key>, val[0..len)
 * (no NUL needed). Known keys: name, vm, memory/target,
 * memory/static-max, attr/PVAddons/<X>Version, data/updated,
 * control/feature-<name>, device/<kind>/<devid>/state and the backend's
 * state as device/<kind>/<devid>/backend-state. Unknown keys are
 * ignored; bad values count in bad_values and leave the field unknown.
 * Returns 0, -ENOENT (not a key we use) or -EINVAL (bad value).
 */
int xsm_xs_facts_set(struct xsm_xs_facts *f, const char *key,
    const char *val, size_t len);

/* One domain in the table. */
struct xsm_xs_domain {
	uint32_t domid;
	char name[XSM_XS_NAME_MAX];
	char uuid[XSM_XS_UUID_LEN + 1];
	int64_t target_kib;
	int64_t static_max_kib;
	int32_t pv_ver[4];
	bool data_updated;
	uint8_t features;
	bool dev_truncated;
	uint16_t n_dev;
	struct xsm_xs_dev *dev;   /* n_dev entries, owned */
	int64_t entries;          /* -1 not counted yet */
	enum xsm_status status;
	char reason[XSM_XS_REASON_MAX];
	uint64_t since_wall;      /* in this status since */
	uint64_t seen_wall;       /* first seen */
};

struct xsm_xs_table {
	struct xsm_xs_domain *dom;  /* sorted by domid */
	unsigned n, cap;
	unsigned max;               /* <= XSM_XS_TABLE_MAX */
	uint64_t dropped;           /* domains not kept: table full */
	uint64_t dirty[XSM_XS_BITMAP_WORDS];  /* facts to re-read */
	uint64_t stale[XSM_XS_BITMAP_WORDS];  /* entries to recount */
	unsigned n_dirty, n_stale;
	bool rescan;                /* list /local/domain again */
	/*
	 * Told of a domain entering the table (its facts merged the first
	 * time: added) or leaving it (not listed any more, or its facts say
	 * it is gone), before it is freed; never by xsm_xs_table_clear().
	 * May be NULL. The daemon turns these into alerts.
	 */
	void (*on_change)(void *arg, const struct xsm_xs_domain *d, bool added);
	void *on_change_arg;
};

/*
 * Allocates an empty table keeping at most max domains (clamped to
 * 1..XSM_XS_TABLE_MAX). NULL with errno ENOMEM.
 */
struct xsm_xs_table *xsm_xs_table_new(unsigned max);
/* Frees t and every domain's devices; NULL is fine. */
void xsm_xs_table_free(struct xsm_xs_table *t);
/* Drops every domain and mark (a reconnect starts from scratch). */
void xsm_xs_table_clear(struct xsm_xs_table *t);

/* The domain with domid, or NULL. */
struct xsm_xs_domain *xsm_xs_table_find(struct xsm_xs_table *t,
    uint32_t domid);
const struct xsm_xs_domain *xsm_xs_table_cfind(const struct xsm_xs_table *t,
    uint32_t domid);

/* Marks: facts dirty, entries stale (domid out of range: ignored). */
void xsm_xs_mark_dirty(struct xsm_xs_table *t, uint32_t domid);
void xsm_xs_mark_stale(struct xsm_xs_table *t, uint32_t domid);
/* Every domain in the table dirty and stale, and a rescan (full resync). */
void xsm_xs_mark_all(struct xsm_xs_table *t);

/*
 * Takes up to max marked domids (lowest first) from the dirty (stale:
 * false) or stale (true) set into ids, clearing them. Returns the count.
 */
unsigned xsm_xs_take(struct xsm_xs_table *t, bool stale, uint32_t *ids,
    unsigned max);

/*
 * The listing of /local/domain: ids[0..n) (any order, duplicates fine).
 * Domains not listed leave the table; listed ones not in it are marked
 * dirty (and stale); with all, every listed one is. Returns how many
 * domains left.
 */
unsigned xsm_xs_table_list(struct xsm_xs_table *t, const uint32_t *ids,
    unsigned n, bool all);

/*
 * Merges facts read at now: a domain that no longer exists leaves; a new
 * one is added (or counted in dropped when the table is full). A device
 * keeps its since times while its two states stay the same. entries is
 * taken only when f->entries >= 0. Returns 1 when something a reader
 * sees changed, 0 if not, -ENOMEM (the table is unchanged).
 */
int xsm_xs_table_merge(struct xsm_xs_table *t, const struct xsm_xs_facts *f,
    uint64_t now_wall, uint64_t now_mono);

/* Sets a domain's entry count; 1 when it changed, 0 if not (or absent). */
int xsm_xs_table_entries(struct xsm_xs_table *t, uint32_t domid,
    int64_t entries);

/*
 * Evaluates one domain at now: warning for a device outside Connected
 * (frontend or backend) for device_stuck or longer, and for entries at
 * quota_warning % of quota_entries; critical at the quota. dom0 has no
 * quota. Sets status, reason and since (on a change). Returns true when
 * status or reason changed. *next_mono (if not NULL) is lowered to the
 * time a device would cross device_stuck (0 stays "none").
 */
bool xsm_xs_domain_eval(struct xsm_xs_domain *d,
    const struct xsm_xenstore_cfg *cfg, uint64_t now_wall,
    uint64_t now_mono, uint64_t *next_mono);

/* "8.2.1" or "8.2.1-1234" from pv_ver; "" when unknown. */
void xsm_xs_tools_version(const struct xsm_xs_domain *d, char *out,
    size_t size);
/* Guest tools present: any PVAddons version or data/updated. */
bool xsm_xs_tools_present(const struct xsm_xs_domain *d);

#endif
