/* SPDX-License-Identifier: ISC */
/*
 * config.c: xsmond's configuration. One table of keys drives defaults,
 * parsing, validation and printing, so a new key is one line.
 *
 * inih does the INI syntax. We feed it the text through our own reader,
 * one line per call, because Debian's inih is built without
 * INI_HANDLER_LINENO: counting lines in the reader is how every error gets
 * its line. The reader also reports over-long lines (a plain fgets reader
 * would silently split them into two "lines") and, since inih only
 * returns its first syntax error, finds every line that did not yield a
 * key/value pair itself.
 */
#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_key.h"
#include "logfs.h"

/* Longest accepted line, without its newline. */
#define CFG_LINE_MAX 1000

/* Line comments, and inline comments after whitespace. */
static char comment_chars[] = ";#";

#define FIELD(f) offsetof(struct xsm_config, f), \
	sizeof(((struct xsm_config *)0)->f)
#define K(sec, name, type, f, min, max, def) \
	{ sec, name, XSM_CFG_##type, FIELD(f), min, max, def, NULL }
#define KC(sec, name, f, choices, def) \
	{ sec, name, XSM_CFG_CHOICE, FIELD(f), 0, 0, def, choices }

/* Table order is print order; a section is known once it has a key. */
static const struct xsm_cfg_key keys[] = {
K("control", "socket", PATH, control.socket, 0, 0, "/run/xsmond/xsmond.sock"),
K("control", "group", GROUP, control.group, 0, 32, ""),
K("control", "max_clients", UINT, control.max_clients, 1, 1024, "16"),
K("control", "request_max", SIZE32, control.request_max, 64, 64 * XSM_KIB, "4K"),
K("control", "idle_timeout", DURATION, control.idle_timeout_usec, 100 * XSM_MS, XSM_HOUR, "5s"),
K("control", "output_max", SIZE, control.output_max, 64 * XSM_KIB, 64 * XSM_MIB, "1M"),
K("logfs", "enabled", BOOL, logfs.enabled, 0, 0, "yes"),
K("logfs", "path", PATH, logfs.path, 0, 0, "/var/log"),
K("logfs", "warning", PERCENT, logfs.warning, 1, 100, "80"),
K("logfs", "critical", PERCENT, logfs.critical, 1, 100, "90"),
K("logfs", "inodes_warning", PERCENT, logfs.inodes_warning, 1, 100, "80"),
K("logfs", "inodes_critical", PERCENT, logfs.inodes_critical, 1, 100, "90"),
K("logfs", "hysteresis", PERCENT, logfs.hysteresis, 0, 50, "2"),
K("logfs", "rise", UINT, logfs.rise, 1, 100, "1"),
K("logfs", "fall", UINT, logfs.fall, 1, 100, "1"),
K("logfs", "ttf_warning", DURATION, logfs.ttf_warning_usec, XSM_MIN, 30 * XSM_DAY, "6h"),
K("logfs", "ttf_critical", DURATION, logfs.ttf_critical_usec, XSM_MIN, 30 * XSM_DAY, "1h"),
K("logfs", "ttf_min_used", PERCENT, logfs.ttf_min_used, 0, 100, "20"),
K("logfs", "trend_window", DURATION, logfs.trend_window_usec, 5 * XSM_MIN, 7 * XSM_DAY, "1h"),
K("logfs", "trend_min_span", DURATION, logfs.trend_min_span_usec, XSM_MIN, 7 * XSM_DAY, "15m"),
K("logfs", "settle", DURATION, logfs.settle_usec, 10 * XSM_MS, 10 * XSM_SEC, "200ms"),
K("logfs", "safety_interval", DURATION, logfs.safety_interval_usec, XSM_SEC, XSM_HOUR, "60s"),
K("logfs", "scan_interval", DURATION, logfs.scan_interval_usec, 10 * XSM_SEC, XSM_DAY, "5m"),
K("logfs", "top", UINT, logfs.top, 1, XSM_LOGFS_TOP_MAX, "10"),
K("nics", "enabled", BOOL, nics.enabled, 0, 0, "yes"),
K("nics", "management", IFNAME, nics.management, 0, 0, ""),
K("nics", "storage", IFNAMES, nics.storage, 0, 0, ""),
K("nics", "inventory", PATH, nics.inventory, 0, 0, "/etc/xensource-inventory"),
K("nics", "counters_interval", DURATION, nics.counters_interval_usec, XSM_SEC, XSM_HOUR, "10s"),
K("nics", "error_rate_warning", NUMBER, nics.error_rate_warning, 0, 1000000, "1"),
K("nics", "error_rate_critical", NUMBER, nics.error_rate_critical, 0, 1000000, "100"),
K("nics", "drop_rate_warning", NUMBER, nics.drop_rate_warning, 0, 1000000, "10"),
K("nics", "drop_rate_critical", NUMBER, nics.drop_rate_critical, 0, 1000000, "1000"),
K("nics", "flap_count", UINT, nics.flap_count, 2, 64, "5"),
K("nics", "flap_window", DURATION, nics.flap_window_usec, XSM_SEC, XSM_DAY, "60s"),
K("nics", "flap_quiet", DURATION, nics.flap_quiet_usec, XSM_SEC, XSM_DAY, "60s"),
K("nics", "rcvbuf", SIZE32, nics.rcvbuf, 4 * XSM_KIB, 64 * XSM_MIB, "1M"),
K("nics", "ovs_appctl", PATH, nics.ovs_appctl, 0, 0, "/usr/bin/ovs-appctl"),
K("nics", "bond_interval", DURATION, nics.bond_interval_usec, XSM_SEC, XSM_HOUR, "60s"),
K("rsyslog", "enabled", BOOL, rsyslog.enabled, 0, 0, "yes"),
K("rsyslog", "pidfile", OPTPATH, rsyslog.pidfile, 0, 0, ""),
K("rsyslog", "syslog_socket", PATH, rsyslog.syslog_socket, 0, 0, "/dev/log"),
K("rsyslog", "target", PATHS, rsyslog.target, 0, 0, "/var/log/messages"),
K("rsyslog", "canary_interval", DURATION, rsyslog.canary_interval_usec, XSM_SEC, XSM_DAY, "5m"),
K("rsyslog", "canary_timeout", DURATION, rsyslog.canary_timeout_usec, 100 * XSM_MS, XSM_HOUR, "30s"),
K("rsyslog", "impstats", OPTPATH, rsyslog.impstats, 0, 0, ""),
K("rsyslog", "impstats_max_age", DURATION, rsyslog.impstats_max_age_usec, XSM_SEC, XSM_DAY, "15m"),
K("rsyslog", "queue_warning", UINT, rsyslog.queue_warning, 1, 100000000, "1000"),
K("rsyslog", "queue_critical", UINT, rsyslog.queue_critical, 1, 100000000, "10000"),
K("rsyslog", "liveness_interval", DURATION, rsyslog.liveness_interval_usec, 100 * XSM_MS, XSM_MIN, "5s"),
K("rsyslog", "use_pidfd", BOOL, rsyslog.use_pidfd, 0, 0, "yes"),
K("xenstore", "enabled", BOOL, xenstore.enabled, 0, 0, "yes"),
K("xenstore", "path", OPTPATH, xenstore.path, 0, 0, ""),
K("xenstore", "probe_interval", DURATION, xenstore.probe_interval_usec, 100 * XSM_MS, XSM_HOUR, "10s"),
K("xenstore", "probe_warning", DURATION, xenstore.probe_warning_usec, XSM_MS, XSM_MIN, "250ms"),
K("xenstore", "probe_timeout", DURATION, xenstore.probe_timeout_usec, 10 * XSM_MS, XSM_HOUR, "5s"),
K("xenstore", "reconnect_max", DURATION, xenstore.reconnect_max_usec, XSM_SEC, XSM_HOUR, "30s"),
K("xenstore", "device_stuck", DURATION, xenstore.device_stuck_usec, XSM_SEC, XSM_DAY, "60s"),
K("xenstore", "quota_entries", UINT, xenstore.quota_entries, 10, 10000000, "1000"),
K("xenstore", "quota_warning", PERCENT, xenstore.quota_warning, 1, 100, "80"),
K("alerts", "enabled", BOOL, alerts.enabled, 0, 0, "yes"),
KC("alerts", "format", alerts.format, "cee|rfc5424", "cee"),
K("alerts", "socket", OPTPATH, alerts.socket, 0, 0, ""),
K("alerts", "sd_id", SDID, alerts.sd_id, 0, 0, "xsmon@32473"),
K("alerts", "renotify", DURATION, alerts.renotify_usec, 0, 30 * XSM_DAY, "0"),
K("metrics", "textfile_dir", OPTPATH, metrics.textfile_dir, 0, 0, ""),
K("metrics", "textfile_interval", DURATION, metrics.textfile_interval_usec, XSM_SEC, XSM_HOUR, "15s"),
K("metrics", "xsmonctl", PATH, metrics.xsmonctl, 0, 0, "/usr/bin/xsmonctl"),
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* Cross-field rules: lo must be below hi (or equal, when allow_equal). */
struct rule {
	const char *section;
	const char *lo, *hi;
	bool allow_equal;
};

static const struct rule rules[] = {
	{ "logfs", "warning", "critical", false },
	{ "logfs", "inodes_warning", "inodes_critical", false },
	{ "logfs", "hysteresis", "warning", false },
	{ "logfs", "hysteresis", "inodes_warning", false },
	{ "logfs", "ttf_critical", "ttf_warning", false },
	{ "logfs", "trend_min_span", "trend_window", true },
	{ "nics", "error_rate_warning", "error_rate_critical", false },
	{ "nics", "drop_rate_warning", "drop_rate_critical", false },
	{ "rsyslog", "canary_timeout", "canary_interval", false },
	{ "rsyslog", "queue_warning", "queue_critical", false },
	{ "xenstore", "probe_warning", "probe_timeout", false },
};

struct parser {
	const char *next;       /* first unread byte of the text */
	int line;               /* the line last handed to inih */
	bool expect_pair;       /* that line should be "key = value" */
	bool pair_seen;         /* and the handler ran for it */
	const char *section;    /* known current section, or NULL */
	bool in_unknown;        /* inside a bad or unknown section */
	struct xsm_config *cfg;
	struct xsm_errlist *errs;
	int set_line[NKEYS];    /* where each key was set, 0 = default */
	bool bad[NKEYS];        /* its value was rejected */
};

static void
err_add(struct xsm_errlist *errs, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
err_add(struct xsm_errlist *errs, int line, const char *fmt, ...)
{
	struct xsm_err *e;
	va_list ap;

	if (errs->n >= XSM_ERRLIST_MAX) {
		errs->dropped++;
		return;
	}
	e = &errs->e[errs->n++];
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static int
find_key(const char *section, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The table's own copy of a section name, or NULL when unknown. */
static const char *
find_section(const char *name, size_t len)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(keys[i].section) == len &&
		    memcmp(keys[i].section, name, len) == 0)
			return keys[i].section;
	return NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * A "[section]" line, examined the way inih will see it: the name ends at
 * the first ']' unless an inline comment starts first.
 */
static void
section_line(struct parser *p, const char *s)
{
	const char *name = s + 1, *end = name, *rest;
	bool was_space = false;
	size_t len;

	while (*end != '\0' && *end != ']' &&
	    !(was_space && strchr(comment_chars, *end) != NULL)) {
		was_space = is_space(*end);
		end++;
	}
	p->section = NULL;
	p->in_unknown = true;
	if (*end != ']') {
		err_add(p->errs, p->line, "missing ']' in section header");
		return;
	}
	for (rest = end + 1; is_space(*rest); rest++)
		;
	if (*rest != '\0' && strchr(comment_chars, *rest) == NULL)
		err_add(p->errs, p->line,
		    "unexpected text after section header");
	while (name < end && is_space(*name))
		name++;
	while (end > name && is_space(end[-1]))
		end--;
	len = (size_t)(end - name);
	p->section = find_section(name, len);
	p->in_unknown = p->section == NULL;
	if (p->section == NULL)
		err_add(p->errs, p->line, "unknown section [%.*s]",
		    (int)(len > 40 ? 40 : len), name);
}

/* The previous line is done: did an expected pair fail to parse? */
static void
finish_line(struct parser *p)
{
	if (p->expect_pair && !p->pair_seen)
		err_add(p->errs, p->line,
		    "syntax error: expected 'key = value'");
	p->expect_pair = p->pair_seen = false;
}

/* Looks at a line before inih does (inih modifies the buffer). */
static void
classify(struct parser *p, const char *s)
{
	if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (is_space(*s))
		s++;
	if (*s == '\0' || strchr(comment_chars, *s) != NULL)
		return;
	if (*s == '[')
		section_line(p, s);
	else
		p->expect_pair = true;
}

/*
 * fgets-style reader over the text, one line per call. A line too long
 * for inih's buffer is reported and replaced by an empty one, so inih's
 * line count stays in step with ours.
 */
static char *
reader(char *buf, int size, void *stream)
{
	struct parser *p = stream;
	const char *s = p->next, *nl;
	size_t len;

	finish_line(p);
	if (*s == '\0')
		return NULL;
	nl = strchr(s, '\n');
	len = nl != NULL ? (size_t)(nl - s) : strlen(s);
	p->next = s + len + (nl != NULL);
	p->line++;
	if (len > CFG_LINE_MAX || size < 1 || len >= (size_t)size) {
		err_add(p->errs, p->line, "line too long (more than %d bytes)",
		    CFG_LINE_MAX);
		buf[0] = '\0';
		return buf;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	classify(p, buf);
	return buf;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	char msg[128];
	int i;

	p->pair_seen = true;
	if (p->in_unknown)
		return 1;   /* the section header was reported already */
	if (name[0] == '\0') {
		err_add(p->errs, p->line, "syntax error: no key before '='");
		return 1;
	}
	if (p->section == NULL) {
		err_add(p->errs, p->line, "'%.40s' is outside any section",
		    name);
		return 1;
	}
	i = find_key(p->section, name);
	if (i < 0) {
		err_add(p->errs, p->line, "unknown key '%.40s' in [%s]", name,
		    p->section);
		return 1;
	}
	if (p->set_line[i] != 0) {
		err_add(p->errs, p->line,
		    "%s.%s: duplicate key (first on line %d)",
		    p->section, name, p->set_line[i]);
		return 1;
	}
	p->set_line[i] = p->line;
	if (xsm_cfg_set(&keys[i], p->cfg, value, msg, sizeof(msg)) < 0) {
		p->bad[i] = true;
		err_add(p->errs, p->line, "%s.%s: %s", p->section, name, msg);
	}
	return 1;
}

/* Cross-field rules, each reported on the later of its two lines. */
static void
validate(struct parser *p)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];
		int lo = find_key(r->section, r->lo);
		int hi = find_key(r->section, r->hi);
		char a[64], b[64];
		double x, y;

		if (lo < 0 || hi < 0 || p->bad[lo] || p->bad[hi])
			continue;
		x = xsm_cfg_number(&keys[lo], p->cfg);
		y = xsm_cfg_number(&keys[hi], p->cfg);
		if (x < y || (r->allow_equal && x == y))
			continue;
		xsm_cfg_format(&keys[lo], p->cfg, a, sizeof(a));
		xsm_cfg_format(&keys[hi], p->cfg, b, sizeof(b));
		err_add(p->errs, p->set_line[lo] > p->set_line[hi] ?
		    p->set_line[lo] : p->set_line[hi],
		    "%s.%s (%s) must be %s %s.%s (%s)", r->section, r->lo, a,
		    r->allow_equal ? "at most" : "below", r->section, r->hi, b);
	}
}

/* Stable, by line: cross-field errors land among the others. */
static void
sort_errors(struct xsm_errlist *errs)
{
	for (unsigned i = 1; i < errs->n; i++) {
		struct xsm_err e = errs->e[i];
		unsigned j = i;

		for (; j > 0 && errs->e[j - 1].line > e.line; j--)
			errs->e[j] = errs->e[j - 1];
		errs->e[j] = e;
	}
}

static bool
has_error_at(const struct xsm_errlist *errs, int line)
{
	for (unsigned i = 0; i < errs->n; i++)
		if (errs->e[i].line == line)
			return true;
	return errs->dropped > 0;
}

void
xsm_config_defaults(struct xsm_config *c)
{
	char msg[128];

	memset(c, 0, sizeof(*c));
	/* The defaults are valid: the unit tests prove every one parses. */
	for (size_t i = 0; i < NKEYS; i++)
		(void)xsm_cfg_set(&keys[i], c, keys[i].def, msg, sizeof(msg));
}

/*
 * inih's knobs are process globals in Debian's build; set every one we
 * depend on, whatever someone else in the process set before.
 */
static void
ini_setup(void)
{
	ini_allow_multiline = false;  /* an indented line is a new key */
	ini_allow_bom = true;
	ini_start_comment_prefixes = comment_chars;
	ini_allow_inline_comments = true;
	ini_inline_comment_prefixes = comment_chars;
	ini_use_stack = true;
	ini_max_line = CFG_LINE_MAX + 2;  /* newline and NUL */
	ini_stop_on_first_error = false;
	ini_allow_no_value = false;
	ini_allow_realloc = false;
}

int
xsm_config_parse(const char *text, struct xsm_config *out,
    struct xsm_errlist *errs)
{
	struct xsm_errlist scratch;
	struct parser p;
	int r;

	if (errs == NULL)
		errs = &scratch;
	memset(&p, 0, sizeof(p));
	memset(errs, 0, sizeof(*errs));
	xsm_config_defaults(out);
	p.next = text != NULL ? text : "";
	p.cfg = out;
	p.errs = errs;
	ini_setup();
	r = ini_parse_stream(reader, &p, handler, &p);
	finish_line(&p);
	if (r < 0)
		err_add(errs, 0, "internal parser error %d", r);
	else if (r > 0 && !has_error_at(errs, r))
		/* inih saw a syntax error our line checks did not. */
		err_add(errs, r, "syntax error");
	validate(&p);
	sort_errors(errs);
	return errs->n > 0 || errs->dropped > 0 ? -EINVAL : 0;
}

int
xsm_config_print(const struct xsm_config *c, struct xsm_buf *out)
{
	const char *section = NULL;
	size_t len0 = out->len;
	char text[XSM_PATH_MAX];
	int r = 0;

	for (size_t i = 0; i < NKEYS && r == 0; i++) {
		const struct xsm_cfg_key *k = &keys[i];

		if (section == NULL || strcmp(section, k->section) != 0) {
			r = xsm_buf_printf(out, "%s[%s]\n",
			    section != NULL ? "\n" : "", k->section);
			section = k->section;
		}
		xsm_cfg_format(k, c, text, sizeof(text));
		if (r == 0)
			r = xsm_buf_printf(out, "%s = %s\n", k->name, text);
	}
	if (r < 0 && out->data != NULL) {
		/* All or nothing: drop the partial text. */
		out->len = len0;
		out->data[len0] = '\0';
	}
	return r;
}
