/* SPDX-License-Identifier: ISC */
/*
 * watch.c: "xsmonctl watch". Sends subscribe, then validates and prints
 * each line as it arrives: the acknowledgement first, then alerts in
 * strictly increasing seq, or an error that ends the stream (busy,
 * slow_subscriber). stdout is flushed per line so a pipe sees each alert
 * at once. SIGINT and SIGTERM end it with 0: they are blocked but while
 * the transport waits in ppoll(), so one arriving between two checks of
 * the flag is not lost.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "transport.h"
#include "watch.h"

#define EXIT_UNKNOWN ((int)XSM_UNKNOWN)
/* watch_line(): the daemon sent an error document, already printed. */
#define WATCH_ERROR_DOC 2

struct watch_ctx {
	const struct output *out;
	const struct ctl_out_opts *oo;
	size_t lines;
	int64_t last_seq;
	char run[72];             /* the acknowledgement's, "" if none */
	bool invalid;             /* err is about a line, not the socket */
	char err[512];
};

static volatile sig_atomic_t watch_stop;

static void
on_stop(int sig)
{
	watch_stop = 1;
}

/* Blocks SIGINT/SIGTERM, and gives the mask that lets them through. */
static void
watch_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Stream order: seq grows, and the run is the one we joined. */
static int
watch_order(struct watch_ctx *w, const struct ctl_alert *a)
{
	if (a->seq <= w->last_seq) {
		snprintf(w->err, sizeof(w->err), "alert seq %lld after %lld",
		    (long long)a->seq, (long long)w->last_seq);
		return -EPROTO;
	}
	if (w->run[0] != '\0' && (a->run == NULL ||
	    strcmp(a->run, w->run) != 0)) {
		snprintf(w->err, sizeof(w->err), "alert of another run");
		return -EPROTO;
	}
	w->last_seq = a->seq;
	return 0;
}

static int
watch_print(struct watch_ctx *w, const struct ctl_alert *a)
{
	switch (a->kind) {
	case CTL_STREAM_ACK:
		w->last_seq = a->seq;
		if (a->run != NULL)
			snprintf(w->run, sizeof(w->run), "%s", a->run);
		w->out->subscribed(a, w->oo);
		break;
	case CTL_STREAM_ALERT:
		if (watch_order(w, a) < 0)
			return -EPROTO;
		w->out->alert(a, w->oo);
		break;
	case CTL_STREAM_ERROR:
		/* Scripts get the document too; people get the message. */
		if (w->out == &ctl_output_json)
			w->out->alert(a, w->oo);
		fflush(stdout);
		fputs("xsmonctl: ", stderr);
		ctl_put_safe(stderr, a->err_code, 64);
		fputs(": ", stderr);
		ctl_put_safe(stderr, a->err_message, 512);
		fputc('\n', stderr);
		return WATCH_ERROR_DOC;
	}
	return 0;
}

static int
watch_line(char *line, size_t len, void *arg)
{
	struct watch_ctx *w = arg;
	struct ctl_alert a;
	int r;

	r = ctl_alert_parse(&a, w->lines++ == 0, line, len, w->err,
	    sizeof(w->err));
	if (r == 0)
		r = watch_print(w, &a);
	ctl_alert_free(&a);
	if (r < 0) {
		w->invalid = true;
		return r;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		snprintf(w->err, sizeof(w->err), "stdout: %s",
		    strerror(errno));
		return -EIO;
	}
	return r;
}

int
ctl_watch(const char *socket, const struct output *out,
    const struct ctl_out_opts *oo)
{
	struct watch_ctx w = { .out = out, .oo = oo };
	char err[512] = "";
	sigset_t waitmask;
	int r;

	watch_signals(&waitmask);
	r = ctl_transport_stream(socket, "subscribe", CTL_TIMEOUT_MS,
	    CTL_STREAM_LINE_MAX, &waitmask, &watch_stop, watch_line, &w,
	    err, sizeof(err));
	if (r == 1)
		return 0;
	if (r == WATCH_ERROR_DOC)
		return EXIT_UNKNOWN;
	fputs("xsmonctl: ", stderr);
	if (w.invalid) {
		fputs("invalid stream from ", stderr);
		ctl_put_safe(stderr, socket, 256);
		fputs(": ", stderr);
	}
	ctl_put_safe(stderr, w.err[0] != '\0' ? w.err : err, 512);
	fputc('\n', stderr);
	return EXIT_UNKNOWN;
}
