/* SPDX-License-Identifier: ISC */
/*
 * alert_fmt.c: an alert as JSON (NDJSON and @cee), as RFC 5424 with
 * structured data, and as a traditional /dev/log line. Pure: the caller
 * passes the host, pid and local time offset in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "alert.h"
#include "jsonw.h"

#define ALERT_FIG_DECIMALS_MAX 3

static struct xsm_alert_fig *
fig_slot(struct xsm_alert *a, const char *key)
{
	struct xsm_alert_fig *f;

	if (a->n_figs >= XSM_ALERT_FIGS)
		return NULL;
	f = &a->figs[a->n_figs++];
	memset(f, 0, sizeof(*f));
	xsm_strlcpy(f->key, key, sizeof(f->key));
	return f;
}

void
xsm_alert_fig_num(struct xsm_alert *a, const char *key, double v,
    int decimals)
{
	struct xsm_alert_fig *f = fig_slot(a, key);

	if (f == NULL)
		return;
	f->is_num = true;
	f->num = v;
	f->decimals = decimals < 0 ? 0 : decimals > ALERT_FIG_DECIMALS_MAX ?
	    ALERT_FIG_DECIMALS_MAX : decimals;
}

void
xsm_alert_fig_str(struct xsm_alert *a, const char *key, const char *v)
{
	struct xsm_alert_fig *f = fig_slot(a, key);

	if (f != NULL)
		xsm_strlcpy(f->str, v, sizeof(f->str));
}

/* RFC 3339 UTC with milliseconds: collectors order alerts within a second. */
static char *
stamp_ms(uint64_t wall_usec, char *out, size_t size)
{
	time_t secs = (time_t)(wall_usec / XSM_USEC_PER_SEC);
	unsigned ms = (unsigned)(wall_usec % XSM_USEC_PER_SEC / 1000);
	char base[24];
	struct tm tm;

	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		xsm_strlcpy(base, "1970-01-01T00:00:00", sizeof(base));
	snprintf(out, size, "%s.%03uZ", base, ms);
	return out;
}

static void
figs_json(struct xsm_jsonw *w, const struct xsm_alert *a)
{
	xsm_jsonw_key(w, "figures");
	xsm_jsonw_open(w);
	for (unsigned i = 0; i < a->n_figs && i < XSM_ALERT_FIGS; i++) {
		const struct xsm_alert_fig *f = &a->figs[i];

		xsm_jsonw_key(w, f->key);
		if (f->is_num)
			xsm_jsonw_fixed(w, f->num, f->decimals);
		else
			xsm_jsonw_str(w, f->str);
	}
	xsm_jsonw_close(w);
}

int
xsm_alert_render_json(const struct xsm_alert *a, const char *host,
    const char *run_id, struct xsm_buf *out)
{
	struct xsm_jsonw w;
	char ts[40];
	int r;

	if ((r = xsm_jsonw_begin(&w, out)) < 0)
		return r;
	xsm_jsonw_open(&w);
	xsm_jsonw_ku64(&w, "schema", XSM_SCHEMA);
	xsm_jsonw_kstr(&w, "event", a->event);
	xsm_jsonw_ku64(&w, "seq", a->seq);
	if (run_id != NULL)
		xsm_jsonw_kstr(&w, "run", run_id);
	xsm_jsonw_kstr(&w, "host", host != NULL ? host : "");
	xsm_jsonw_kstr(&w, "time", stamp_ms(a->at_usec, ts, sizeof(ts)));
	xsm_jsonw_kstr(&w, "check", xsm_check_name(a->check));
	xsm_jsonw_kstr(&w, "subject", a->subject);
	xsm_jsonw_kstr(&w, "severity", xsm_status_name(a->new_status));
	xsm_jsonw_kstr(&w, "old", xsm_status_name(a->old_status));
	xsm_jsonw_kstr(&w, "new", xsm_status_name(a->new_status));
	xsm_jsonw_kstr(&w, "reason", a->reason);
	xsm_jsonw_kbool(&w, "renotify", a->renotify);
	figs_json(&w, a);
	xsm_jsonw_close(&w);
	return xsm_jsonw_end(&w);
}

int
xsm_alert_pri(const struct xsm_alert *a)
{
	switch (a->new_status) {
	case XSM_OK:
		return LOG_DAEMON | LOG_NOTICE;
	case XSM_CRITICAL:
		return LOG_DAEMON | LOG_CRIT;
	default:
		return LOG_DAEMON | LOG_WARNING;
	}
}

bool
xsm_alert_sd_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"')
			return false;
	}
	return true;
}

/*
 * Text for a datagram: valid UTF-8 (xsm_utf8_sanitize), and no control
 * characters, which would split or garble the line at the reader.
 */
static char *
clean_text(const char *s, char *out, size_t size)
{
	xsm_utf8_sanitize(s, out, size);
	for (char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

/* One SD-PARAM, value escaped as RFC 5424 6.3.3 says. */
static int
sd_param(struct xsm_buf *b, const char *name, const char *value)
{
	char clean[XSM_REASON_MAX * 2], esc[XSM_REASON_MAX * 4];
	size_t o = 0;

	clean_text(value, clean, sizeof(clean));
	for (const char *p = clean; *p != '\0' && o + 2 < sizeof(esc); p++) {
		if (*p == '"' || *p == '\\' || *p == ']')
			esc[o++] = '\\';
		esc[o++] = *p;
	}
	esc[o] = '\0';
	return xsm_buf_printf(b, " %s=\"%s\"", name, esc);
}

static int
sd_figs(struct xsm_buf *b, const struct xsm_alert *a)
{
	char num[64];
	int r = 0;

	for (unsigned i = 0; i < a->n_figs && i < XSM_ALERT_FIGS && r == 0; i++) {
		const struct xsm_alert_fig *f = &a->figs[i];

		if (!xsm_alert_sd_id_valid(f->key))
			continue;       /* not a valid PARAM-NAME: ours never are */
		if (f->is_num)
			snprintf(num, sizeof(num), "%.*f", f->decimals, f->num);
		r = sd_param(b, f->key, f->is_num ? num : f->str);
	}
	return r;
}

static int
sd_element(struct xsm_buf *b, const struct xsm_alert *a,
    const struct xsm_alert_syslog *s)
{
	char seq[24];
	int r;

	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)a->seq);
	r = xsm_buf_printf(b, "[%s", s->sd_id);
	if (r == 0)
		r = sd_param(b, "event", a->event);
	if (r == 0)
		r = sd_param(b, "seq", seq);
	if (r == 0 && s->run_id != NULL)
		r = sd_param(b, "run", s->run_id);
	if (r == 0)
		r = sd_param(b, "check", xsm_check_name(a->check));
	if (r == 0)
		r = sd_param(b, "subject", a->subject);
	if (r == 0)
		r = sd_param(b, "severity", xsm_status_name(a->new_status));
	if (r == 0)
		r = sd_param(b, "old", xsm_status_name(a->old_status));
	if (r == 0)
		r = sd_param(b, "new", xsm_status_name(a->new_status));
	if (r == 0)
		r = sd_param(b, "reason", a->reason);
	if (r == 0)
		r = sd_param(b, "renotify", a->renotify ? "true" : "false");
	if (r == 0)
		r = sd_figs(b, a);
	if (r == 0)
		r = xsm_buf_append(b, "]", 1);
	return r;
}

/* A header field: printable US-ASCII without spaces, at most max, or "-". */
static const char *
header_field(const char *s, size_t max, char *out, size_t size)
{
	size_t n = 0;

	for (; s != NULL && s[n] != '\0' && n < max && n + 1 < size; n++) {
		if ((unsigned char)s[n] < 33 || (unsigned char)s[n] > 126)
			break;
		out[n] = s[n];
	}
	if (n == 0 || (s[n] != '\0'))
		return "-";
	out[n] = '\0';
	return out;
}

int
xsm_alert_render_rfc5424(const struct xsm_alert *a,
    const struct xsm_alert_syslog *s, struct xsm_buf *out)
{
	char ts[40], host[256], app[49], msgid[33], msg[XSM_REASON_MAX + 128];
	size_t start = out->len;
	int r;

	if (!xsm_alert_sd_id_valid(s->sd_id))
		return -EINVAL;
	snprintf(msg, sizeof(msg), "%s%s%s: %s -> %s: %s",
	    xsm_check_name(a->check), a->subject[0] ? " " : "", a->subject,
	    xsm_status_name(a->old_status), xsm_status_name(a->new_status),
	    a->reason);
	r = xsm_buf_printf(out, "<%d>1 %s %s %s %d %s ", xsm_alert_pri(a),
	    stamp_ms(a->at_usec, ts, sizeof(ts)),
	    header_field(s->host, 255, host, sizeof(host)),
	    header_field(s->app, 48, app, sizeof(app)), s->pid,
	    header_field(a->event, 32, msgid, sizeof(msgid)));
	if (r == 0)
		r = sd_element(out, a, s);
	if (r == 0)
		r = xsm_buf_printf(out, " %s", clean_text(msg, msg, sizeof(msg)));
	if (r < 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
	}
	return r;
}

int
xsm_alert_render_cee(const struct xsm_alert *a,
    const struct xsm_alert_syslog *s, struct xsm_buf *out)
{
	time_t local = (time_t)(a->at_usec / XSM_USEC_PER_SEC) + s->utc_offset_s;
	size_t start = out->len;
	char ts[32], app[49];
	struct tm tm;
	int r;

	/* gmtime of the shifted time is local time, without reading the
	 * zone files (lib/ does no I/O). */
	if (gmtime_r(&local, &tm) == NULL ||
	    strftime(ts, sizeof(ts), "%b %e %H:%M:%S", &tm) == 0)
		xsm_strlcpy(ts, "Jan  1 00:00:00", sizeof(ts));
	r = xsm_buf_printf(out, "<%d>%s %s[%d]: @cee:", xsm_alert_pri(a), ts,
	    header_field(s->app, 48, app, sizeof(app)), s->pid);
	if (r == 0)
		r = xsm_alert_render_json(a, s->host, s->run_id, out);
	if (r < 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		return r;
	}
	/* A datagram is one message: the NDJSON newline does not belong. */
	if (out->len > start && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
	return 0;
}
