/* SPDX-License-Identifier: ISC */
/*
 * alert_doc.c: validates one line of an alert stream (alert_doc.h). The
 * daemon is trusted no more here than for a single reply: a line that is
 * not what the protocol says ends the stream before it is printed.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "alert_doc.h"
#include "doc.h"
#include "proto.h"

struct actx {
	char *err;
	size_t errsz;
	bool failed;
};

static void afail(struct actx *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
afail(struct actx *v, const char *fmt, ...)
{
	va_list ap;

	if (v->failed)
		return;
	v->failed = true;
	va_start(ap, fmt);
	vsnprintf(v->err, v->errsz, fmt, ap);
	va_end(ap);
}

static yajl_val
al_member(yajl_val obj, const char *key)
{
	for (size_t i = 0; YAJL_IS_OBJECT(obj) && i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

/* A string of at most max bytes; NULL (and a failure) otherwise. */
static const char *
al_req_str(struct actx *v, yajl_val obj, const char *key, size_t max)
{
	yajl_val x = al_member(obj, key);

	if (x == NULL) {
		afail(v, "%s is missing", key);
		return NULL;
	}
	if (!YAJL_IS_STRING(x) || strlen(x->u.string) > max) {
		afail(v, "%s is not a string of at most %zu bytes", key, max);
		return NULL;
	}
	return YAJL_GET_STRING(x);
}

static int64_t
al_req_int(struct actx *v, yajl_val obj, const char *key, int64_t min)
{
	yajl_val x = al_member(obj, key);

	if (x == NULL || !YAJL_IS_INTEGER(x) || YAJL_GET_INTEGER(x) < min) {
		afail(v, "%s is not an integer >= %lld", key, (long long)min);
		return -1;
	}
	return YAJL_GET_INTEGER(x);
}

static enum xsm_status
al_req_status(struct actx *v, yajl_val obj, const char *key)
{
	const char *s = al_req_str(v, obj, key, 16);
	enum xsm_status st = XSM_UNKNOWN;

	if (s != NULL && xsm_status_parse(s, &st) < 0)
		afail(v, "%s is not a known status", key);
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
al_check_figures(struct actx *v, yajl_val f)
{
	if (f == NULL)
		return;
	if (!YAJL_IS_OBJECT(f)) {
		afail(v, "figures is not an object");
		return;
	}
	for (size_t i = 0; i < f->u.object.len; i++) {
		yajl_val x = f->u.object.values[i];

		if (YAJL_IS_OBJECT(x) || YAJL_IS_ARRAY(x) ||
		    (YAJL_IS_DOUBLE(x) && !isfinite(YAJL_GET_DOUBLE(x)))) {
			afail(v, "figures.%.40s is not a number or a string",
			    f->u.object.keys[i]);
			return;
		}
	}
}

static void
al_parse_alert(struct actx *v, struct ctl_alert *a)
{
	yajl_val r = a->root, x;

	a->kind = CTL_STREAM_ALERT;
	a->event = al_req_str(v, r, "event", XSM_ALERT_EVENT_MAX - 1);
	if (a->event != NULL && !al_event_ok(a->event))
		afail(v, "event is not an event id");
	a->seq = al_req_int(v, r, "seq", 1);
	a->host = al_req_str(v, r, "host", 255);
	if (al_member(r, "run") != NULL)
		a->run = al_req_str(v, r, "run", 64);
	a->time = al_req_str(v, r, "time", 40);
	a->check = al_req_str(v, r, "check", XSM_CHECK_NAME_MAX);
	if (a->check != NULL && !xsm_proto_check_name(a->check,
	    strlen(a->check)))
		afail(v, "check is not a check name");
	a->subject = al_req_str(v, r, "subject", XSM_ALERT_SUBJECT_MAX - 1);
	a->severity = al_req_status(v, r, "severity");
	a->old_status = al_req_status(v, r, "old");
	a->new_status = al_req_status(v, r, "new");
	a->reason = al_req_str(v, r, "reason", 4 * XSM_REASON_MAX);
	x = al_member(r, "renotify");
	if (x != NULL && !YAJL_IS_TRUE(x) && !YAJL_IS_FALSE(x))
		afail(v, "renotify is not a boolean");
	a->renotify = x != NULL && YAJL_IS_TRUE(x);
	al_check_figures(v, al_member(r, "figures"));
}

static void
al_parse_ack(struct actx *v, struct ctl_alert *a)
{
	yajl_val s = al_member(a->root, "subscribed"), run;

	a->kind = CTL_STREAM_ACK;
	if (s == NULL || !YAJL_IS_TRUE(s)) {
		afail(v, "first line is not a subscribe acknowledgement");
		return;
	}
	al_req_str(v, a->root, "version", 64);
	a->host = al_req_str(v, a->root, "host", 255);
	a->seq = al_req_int(v, a->root, "seq", 0);
	run = al_member(a->root, "run");
	if (run != NULL)
		a->run = al_req_str(v, a->root, "run", 64);
}

static void
al_parse_error(struct actx *v, struct ctl_alert *a, yajl_val e)
{
	a->kind = CTL_STREAM_ERROR;
	if (!YAJL_IS_OBJECT(e)) {
		afail(v, "error is not an object");
		return;
	}
	a->err_code = al_req_str(v, e, "code", 64);
	a->err_message = al_req_str(v, e, "message", 1024);
}

/* Text to a tree: bounded shape, an object, no repeated key. */
static void
al_parse_json(struct actx *v, struct ctl_alert *a, const char *line,
    size_t len)
{
	char ebuf[256] = "";

	if (ctl_doc_shape(line, len, ebuf, sizeof(ebuf)) < 0) {
		afail(v, "%s", ebuf);
		return;
	}
	a->root = yajl_tree_parse(line, ebuf, sizeof(ebuf));
	if (a->root == NULL) {
		ebuf[strcspn(ebuf, "\n")] = '\0';
		afail(v, "line is not valid JSON (%s)",
		    *ebuf ? ebuf : "out of memory");
	} else if (!YAJL_IS_OBJECT(a->root)) {
		afail(v, "line is not a JSON object");
	} else if (ctl_doc_unique_keys(a->root, ebuf, sizeof(ebuf)) < 0) {
		afail(v, "%s", ebuf);
	}
}

int
ctl_alert_parse(struct ctl_alert *a, bool first, const char *line,
    size_t len, char *err, size_t errsz)
{
	struct actx v = { .err = err, .errsz = errsz };
	yajl_val e, s;

	memset(a, 0, sizeof(*a));
	a->raw = line;
	a->raw_len = len;
	a->seq = -1;
	al_parse_json(&v, a, line, len);
	if (v.failed)
		return -EPROTO;
	if ((e = al_member(a->root, "error")) != NULL) {
		al_parse_error(&v, a, e);
		return v.failed ? -EPROTO : 0;
	}
	s = al_member(a->root, "schema");
	if (s == NULL || !YAJL_IS_INTEGER(s))
		afail(&v, "line has no integer schema");
	else if (YAJL_GET_INTEGER(s) != XSM_SCHEMA)
		afail(&v, "unsupported schema %lld",
		    (long long)YAJL_GET_INTEGER(s));
	else if (first)
		al_parse_ack(&v, a);
	else if (al_member(a->root, "subscribed") != NULL)
		afail(&v, "a second acknowledgement in the stream");
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
