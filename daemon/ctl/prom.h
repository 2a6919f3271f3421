/* SPDX-License-Identifier: ISC */
/*
 * prom.h: the metric families of "xsmonctl metrics" (prom_table.c) and
 * how prom.c finds their samples in the documents.
 */
#ifndef CTL_PROM_H
#define CTL_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum prom_type { PROM_GAUGE, PROM_COUNTER };

/* Where the samples are; the labels each walker adds. */
enum prom_walker {
	PROM_W_ROOT,      /* the status document */
	PROM_W_INFO,      /* the same, {version, host} */
	PROM_W_CHECK,     /* each check object, {check} */
	PROM_W_LOGFS,     /* checks.logfs */
	PROM_W_NICS,      /* checks.nics */
	PROM_W_RSYSLOG,   /* checks.rsyslog */
	PROM_W_XENSTORE,  /* checks.xenstore */
	PROM_W_NIC,       /* each judged interface, {interface, role} */
	PROM_W_ACTION,    /* each rsyslog action, {action} */
	PROM_W_QUEUE,     /* each rsyslog queue, {queue} */
	PROM_W_FILE,      /* each rsyslog target file, {path} */
	PROM_W_DOMAIN,    /* each domain of the domains document, {domid, name} */
};

/* How the value at key becomes a sample. */
enum prom_conv {
	PROM_NUM,         /* a number times scale; a boolean is 0 or 1 */
	PROM_STATUS,      /* a status word: 0 ok, 1 warning, 2 critical, 3 unknown */
	PROM_NONNULL,     /* 1 unless null (e.g. pid: null unless alive) */
	PROM_EQ,          /* one-hot: 1 when the string equals the lval */
};

struct prom_family {
	const char *name, *help;
	enum prom_type type;
	enum prom_walker walker;
	const char *key;          /* a dotted path; "%s" takes the lval */
	enum prom_conv conv;
	double scale;             /* to base units (bytes, seconds, ratio) */
	const char *lname;        /* a label of the family's own, or NULL */
	const char *const *lvals; /* its values, NULL-terminated; without
	                           * lname, lvals[0] is what PROM_EQ wants */
};

struct prom_num {
	bool integer;
	int64_t i;
	double d;
};

/* The families in output order; prom_families[0] is xsmon_up. */
extern const struct prom_family prom_families[];
extern const size_t prom_families_n;

#endif
