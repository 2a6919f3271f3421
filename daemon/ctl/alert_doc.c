/* SPDX-License-Identifier: ISC */
/*
 * alert_doc.c: validates one line of an alert stream (alert_doc.h). The
 * daemon is trusted no more here than for a single reply: a line that is
 * not what the protocol says ends the stream before it is printed.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "alert.h"
#include "alert_doc.h"
#include "jval.h"
#include "proto.h"

/* A string of at most max bytes; NULL (and a failure) otherwise. */
static const char *
al_req_str(struct ctl_jctx *v, yajl_val obj, const char *key, size_t max)
{
	yajl_val x = ctl_jget(obj, key);

	if (x == NULL) {
		ctl_jfail(v, "%s is missing", key);
		return NULL;
	}
	if (!YAJL_IS_STRING(x) || strlen(x->u.string) > max) {
		ctl_jfail(v, "%s is not a string of at most %zu bytes", key,
		    max);
		return NULL;
	}
	return YAJL_GET_STRING(x);
}

static int64_t
al_req_int(struct ctl_jctx *v, yajl_val obj, const char *key, int64_t min)
{
	yajl_val x = ctl_jget(obj, key);

	if (x == NULL || !YAJL_IS_INTEGER(x) || YAJL_GET_INTEGER(x) < min) {
		ctl_jfail(v, "%s is not an integer >= %lld", key,
		    (long long)min);
		return -1;
	}
	return YAJL_GET_INTEGER(x);
}

static enum xsm_status
al_req_status(struct ctl_jctx *v, yajl_val obj, const char *key)
{
	const char *s = al_req_str(v, obj, key, 16);
	enum xsm_status st = XSM_UNKNOWN;

	if (s != NULL && xsm_status_parse(s, &st) < 0)
		ctl_jfail(v, "%s is not a known status", key);
	return st;
}

/* [a-z0-9_.], as event ids are: "xsmon.nic.carrier_lost". */
static bool
al_event_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '.'))
			return false;
	return true;
}

/* figures: an object of numbers, strings, booleans or nulls. */
static void
al_check_figures(struct ctl_jctx *v, yajl_val f)
{
	if (f == NULL)
		return;
	if (!YAJL_IS_OBJECT(f)) {
		ctl_jfail(v, "figures is not an object");
		return;
	}
	for (size_t i = 0; i < f->u.object.len; i++) {
		yajl_val x = f->u.object.values[i];

		if (YAJL_IS_OBJECT(x) || YAJL_IS_ARRAY(x) ||
		    (YAJL_IS_DOUBLE(x) && !isfinite(YAJL_GET_DOUBLE(x)))) {
			ctl_jfail(v,
			    "figures.%.40s is not a number or a string",
			    f->u.object.keys[i]);
			return;
		}
	}
}

static void
al_parse_alert(struct ctl_jctx *v, struct ctl_alert *a)
{
	yajl_val r = a->root, x;

	a->kind = CTL_STREAM_ALERT;
	a->event = al_req_str(v, r, "event", XSM_ALERT_EVENT_MAX - 1);
	if (a->event != NULL && !al_event_ok(a->event))
		ctl_jfail(v, "event is not an event id");
	a->seq = al_req_int(v, r, "seq", 1);
	a->host = al_req_str(v, r, "host", 255);
	if (ctl_jget(r, "run") != NULL)
		a->run = al_req_str(v, r, "run", 64);
	a->time = al_req_str(v, r, "time", 40);
	a->check = al_req_str(v, r, "check", XSM_CHECK_NAME_MAX);
	if (a->check != NULL && !xsm_proto_check_name(a->check,
	    strlen(a->check)))
		ctl_jfail(v, "check is not a check name");
	a->subject = al_req_str(v, r, "subject", XSM_ALERT_SUBJECT_MAX - 1);
	a->severity = al_req_status(v, r, "severity");
	a->old_status = al_req_status(v, r, "old");
	a->new_status = al_req_status(v, r, "new");
	a->reason = al_req_str(v, r, "reason", 4 * XSM_REASON_MAX);
	x = ctl_jget(r, "renotify");
	if (x != NULL && !YAJL_IS_TRUE(x) && !YAJL_IS_FALSE(x))
		ctl_jfail(v, "renotify is not a boolean");
	a->renotify = x != NULL && YAJL_IS_TRUE(x);
	al_check_figures(v, ctl_jget(r, "figures"));
}

static void
al_parse_ack(struct ctl_jctx *v, struct ctl_alert *a)
{
	yajl_val s = ctl_jget(a->root, "subscribed"), run;

	a->kind = CTL_STREAM_ACK;
	if (s == NULL || !YAJL_IS_TRUE(s)) {
		ctl_jfail(v, "first line is not a subscribe acknowledgement");
		return;
	}
	al_req_str(v, a->root, "version", 64);
	a->host = al_req_str(v, a->root, "host", 255);
	a->seq = al_req_int(v, a->root, "seq", 0);
	run = ctl_jget(a->root, "run");
	if (run != NULL)
		a->run = al_req_str(v, a->root, "run", 64);
}

static void
al_parse_error(struct ctl_jctx *v, struct ctl_alert *a, yajl_val e)
{
	a->kind = CTL_STREAM_ERROR;
	if (!YAJL_IS_OBJECT(e)) {
		ctl_jfail(v, "error is not an object");
		return;
	}
	a->err_code = al_req_str(v, e, "code", 64);
	a->err_message = al_req_str(v, e, "message", 1024);
}

int
ctl_alert_parse(struct ctl_alert *a, bool first, const char *line,
    size_t len, char *err, size_t errsz)
{
	struct ctl_jctx v = { .err = err, .errsz = errsz };
	yajl_val e, s;

	memset(a, 0, sizeof(*a));
	a->raw = line;
	a->raw_len = len;
	a->seq = -1;
	ctl_jparse(&v, "line", line, len, &a->root);
	if (v.failed)
		return -EPROTO;
	if ((e = ctl_jget(a->root, "error")) != NULL) {
		al_parse_error(&v, a, e);
		return v.failed ? -EPROTO : 0;
	}
	s = ctl_jget(a->root, "schema");
	if (s == NULL || !YAJL_IS_INTEGER(s))
		ctl_jfail(&v, "line has no integer schema");
	else if (YAJL_GET_INTEGER(s) != XSM_SCHEMA)
		ctl_jfail(&v, "unsupported schema %lld",
		    (long long)YAJL_GET_INTEGER(s));
	else if (first)
		al_parse_ack(&v, a);
	else if (ctl_jget(a->root, "subscribed") != NULL)
		ctl_jfail(&v, "a second acknowledgement in the stream");
	else
		al_parse_alert(&v, a);
	return v.failed ? -EPROTO : 0;
}

void
ctl_alert_free(struct ctl_alert *a)
{
	yajl_tree_free(a->root);
	a->root = NULL;
}
