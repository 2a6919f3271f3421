/* SPDX-License-Identifier: ISC */
/*
 * xs_parse.h: xenstore values and paths. Everything under ~/data and much
 * under /local/domain/N is written by the guest: nothing here trusts a
 * value's length, digits or range.
 */
#ifndef XSM_XS_PARSE_H
#define XSM_XS_PARSE_H

#include "xsm.h"

/* Domids 0..0x7fef; 0x7ff0 and up are reserved (DOMID_FIRST_RESERVED). */
#define XSM_XS_DOMID_MAX 0x7fef
#define XSM_XS_DOMIDS (XSM_XS_DOMID_MAX + 1)
#define XSM_XS_UUID_LEN 36

/*
 * Parses s[0..len) (len may be 0..; no NUL needed) as a decimal number
 * without sign, spaces or leading zeros ("0" itself is fine), at most max.
 * Returns 0, -EINVAL (not such a number) or -ERANGE (over max).
 */
int xsm_xs_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);

/* A domid: a number by xsm_xs_parse_u64 up to XSM_XS_DOMID_MAX. */
int xsm_xs_parse_domid(const char *s, size_t len, uint32_t *out);

/*
 * A VM uuid in canonical 8-4-4-4-12 hex form, from either the bare uuid
 * or the value of ~/vm ("/vm/<uuid>", as xl and xapi write it). out gets
 * the lower-case uuid (XSM_XS_UUID_LEN + 1 bytes). Returns 0 or -EINVAL.
 */
int xsm_xs_parse_uuid(const char *s, size_t len, char *out);

/*
 * "/local/domain/<domid>" followed by "" or "/<rest>". *rest points into
 * path after the slash (or at the final NUL). Returns 0 or -EINVAL.
 */
int xsm_xs_domain_path(const char *path, uint32_t *domid, const char **rest);

/*
 * A backend device path, absolute ("/local/domain/B/backend/KIND/F/DEV")
 * or relative to a domain ("backend/KIND/F/DEV"), optionally followed by
 * "/<more>". kind gets KIND (kind_size >= 2; at most 15 chars of
 * [a-z0-9_-]). bdom may be NULL for the relative form. Returns 0 or
 * -EINVAL.
 */
int xsm_xs_backend_path(const char *path, uint32_t *bdom, char *kind,
    size_t kind_size, uint32_t *fdom, uint32_t *devid);

/*
 * What a watch event on path means for the domain table:
 * XSM_XS_EV_RESCAN: list /local/domain again (the special watches,
 *   /local/domain itself, and anything unparsable under it);
 * XSM_XS_EV_DOMAIN: *domid changed (for a dom0 backend path under
 *   /local/domain/B/backend/KIND/F/..., the frontend F);
 * XSM_XS_EV_IGNORE: outside what we watch.
 */
enum xsm_xs_event {
	XSM_XS_EV_IGNORE,
	XSM_XS_EV_RESCAN,
	XSM_XS_EV_DOMAIN,
};
enum xsm_xs_event xsm_xs_classify(const char *path, uint32_t *domid);

/*
 * Xenbus states: 0 Unknown, 1 Initialising, 2 InitWait, 3 Initialised,
 * 4 Connected, 5 Closing, 6 Closed, 7 Reconfiguring, 8 Reconfigured.
 * Returns the name, or "invalid" for anything else.
 */
#define XSM_XS_STATE_CONNECTED 4
#define XSM_XS_STATE_MAX 8
const char *xsm_xs_state_name(int state);

/* A device kind or feature name: 1..15 chars of [a-z0-9_-]. */
bool xsm_xs_name_ok(const char *s, size_t len);

#endif
