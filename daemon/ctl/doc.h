/* SPDX-License-Identifier: ISC */
/*
 * doc.h: a reply from xsmond, parsed and validated before anything is
 * printed. Validation checks that the reply is a JSON object with no key
 * repeated in any of its objects (parsers disagree on which one counts),
 * either an error document or one with "schema": 1, and that every field
 * xsmonctl prints has the right type and range; lists are capped. The printers then read the
 * plain struct below and never the daemon's bytes.
 *
 * Numbers: an int64_t field is -1 when the daemon left it out (or sent
 * null), a double field is NAN. Strings point into the parsed tree and are
 * NULL when absent; they are raw text and must be sanitised for a
 * terminal (see output.h).
 */
#ifndef CTL_DOC_H
#define CTL_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "xsm.h"

#define CTL_LIST_MAX 32       /* rows printed per list; more are counted */
#define CTL_CHECKS_MAX 64     /* checks printed by status */
#define CTL_DEPTH_MAX 32      /* JSON nesting accepted */
#define CTL_ITEMS_MAX 10000   /* elements of one array or object */
#define CTL_VALUES_MAX 200000 /* containers and elements in a reply */

enum ctl_cmd {
	CTL_CMD_STATUS,
	CTL_CMD_SHOW,
	CTL_CMD_PING,
	CTL_CMD_VERSION,
	CTL_CMD_RELOAD,
	CTL_CMD_DOMAINS,
	CTL_CMD_WATCH,            /* a stream: watch.c, not ctl_doc_parse */
};

/* The fields every check has, in status and in show. */
struct ctl_check {
	const char *name;
	enum xsm_status status;
	const char *reason;
	const char *since;        /* RFC 3339 */
	int64_t since_age_s;
	int64_t transitions;
};

struct ctl_level {            /* logfs bytes or inodes */
	int64_t total, used, avail;
	double used_pct;
	const char *status;
};

struct ctl_file {             /* a largest file or dir, or a grower */
	const char *path;
	int64_t bytes;
	int64_t growth;           /* growers only; may be negative */
};

struct ctl_deleted {
	int64_t pid;
	const char *comm;
	int64_t fd;
	const char *path;
	int64_t bytes;
};

/* A list of rows: n printed (<= CTL_LIST_MAX) of total sent. */
#define CTL_LIST(type, name) \
	struct { size_t n, total; type row[CTL_LIST_MAX]; } name

struct ctl_logfs {
	const char *path, *mountpoint, *fstype;
	struct ctl_level bytes, inodes;
	bool has_growth;
	double rate_bps;          /* NAN while the trend warms up */
	int64_t ttf_s;            /* -1: no prediction */
	const char *growth_status;
	int64_t deleted_bytes, deleted_count;
	int64_t deleted_unreadable;   /* processes whose fds were unreadable, -1 */
	const char *deleted_error;
	int64_t samples, events;
	bool has_scan;
	const char *scan_at;      /* NULL: no scan completed yet */
	int64_t window_s, files_seen;
	bool truncated;
	CTL_LIST(struct ctl_file, files);
	CTL_LIST(struct ctl_file, dirs);
	CTL_LIST(struct ctl_file, growers);
	CTL_LIST(struct ctl_deleted, deleted);
};

struct ctl_doc {
	yajl_val root;
	const char *raw;          /* the reply line as received */
	size_t raw_len;
	enum ctl_cmd cmd;

	/* {"error":{...}}: nothing below is set. */
	bool is_error;
	const char *err_code, *err_message;

	const char *version, *host, *generated_at;
	int64_t uptime_s;

	/* status */
	enum xsm_status status;   /* overall, or the shown check's */
	const char *reason;
	size_t n_checks, total_checks;
	struct ctl_check checks[CTL_CHECKS_MAX];
	const char *config_error; /* the daemon's last failed reload */

	/* show */
	struct ctl_check check;
	yajl_val check_obj;       /* for the generic dump of other checks */
	bool is_logfs;
	struct ctl_logfs logfs;

	/* domains: status and reason are the xenstore check's; every
	 * element of domains is an object with a status word. */
	yajl_val domains;
	yajl_val xenstore;
};

/*
 * Parses and validates line (len bytes, NUL-terminated, no NUL inside) as
 * the reply to cmd; for CTL_CMD_SHOW, check is the name asked for. doc
 * keeps pointers into line, which must outlive it. Returns 0 (check
 * doc->is_error), or -EPROTO with a one-line reason in err (naming the
 * offending field; also for out of memory).
 * Call ctl_doc_free() in every case.
 */
int ctl_doc_parse(struct ctl_doc *doc, enum ctl_cmd cmd, const char *check,
    const char *line, size_t len, char *err, size_t errsz);

void ctl_doc_free(struct ctl_doc *doc);

/*
 * doc_shape.c, for ctl_doc_parse(). Both return 0, or -EPROTO (-ENOMEM)
 * with a one-line reason in err.
 * ctl_doc_shape: s[0..len) as text nests at most CTL_DEPTH_MAX deep and
 * holds at most CTL_ITEMS_MAX items per container and CTL_VALUES_MAX in
 * all, so that parsing it into a tree is bounded.
 * ctl_doc_unique_keys: no object in the tree under root repeats a key.
 */
int ctl_doc_shape(const char *s, size_t len, char *err, size_t errsz);
int ctl_doc_unique_keys(yajl_val root, char *err, size_t errsz);

#endif
