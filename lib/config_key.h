/* SPDX-License-Identifier: ISC */
/*
 * config_key.h: internal to lib/config*.c. A config key's type and where
 * it lives in struct xsm_config, and how one value goes between text and
 * the struct. config.c holds the table of keys; config_value.c the types.
 */
#ifndef XSM_CONFIG_KEY_H
#define XSM_CONFIG_KEY_H

#include "config.h"

enum xsm_cfg_type {
	XSM_CFG_PATH,      /* absolute path: char[] */
	XSM_CFG_GROUP,     /* group name or "": char[] */
	XSM_CFG_UINT,      /* unsigned */
	XSM_CFG_SIZE32,    /* bytes: unsigned */
	XSM_CFG_SIZE,      /* bytes: uint64_t */
	XSM_CFG_DURATION,  /* microseconds: uint64_t */
	XSM_CFG_PERCENT,   /* double, at most 3 decimals */
	XSM_CFG_NUMBER,    /* double >= 0, at most 3 decimals (rates) */
	XSM_CFG_OPTPATH,   /* absolute path or "": char[] */
	XSM_CFG_IFNAME,    /* interface name or "": char[] */
	XSM_CFG_IFNAMES,   /* comma-separated interface names: char[] */
	XSM_CFG_PATHS,     /* comma-separated absolute paths: char[] */
	XSM_CFG_BOOL,      /* yes/no, true/false, on/off, 1/0: bool */
	XSM_CFG_CHOICE,    /* one word of choices ("a|b"): char[] */
	XSM_CFG_SDID,      /* an RFC 5424 SD-ID: char[] */
};

struct xsm_cfg_key {
	const char *section;
	const char *name;
	enum xsm_cfg_type type;
	size_t off;         /* of the field in struct xsm_config */
	size_t size;        /* of the field */
	uint64_t min, max;  /* stored unit (usec, bytes, whole percent); for
	                     * XSM_CFG_GROUP max is the longest name */
	const char *def;    /* default, as written in the file */
	const char *choices; /* XSM_CFG_CHOICE: "cee|rfc5424" */
};

/*
 * Parses text as the value of k, checks its range and stores it in c.
 * Returns 0, or -EINVAL with the reason (no key, no line) in msg; c is
 * then unchanged.
 */
int xsm_cfg_set(const struct xsm_cfg_key *k, struct xsm_config *c,
    const char *text, char *msg, size_t size);

/* k's value in c in canonical form, as printed and re-parsed. */
void xsm_cfg_format(const struct xsm_cfg_key *k, const struct xsm_config *c,
    char *out, size_t size);

/* k's numeric value (usec, bytes, percent) for comparisons; 0 for text. */
double xsm_cfg_number(const struct xsm_cfg_key *k, const struct xsm_config *c);

#endif
