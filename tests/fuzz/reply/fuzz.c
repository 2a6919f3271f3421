/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: a reply from xsmond as xsmonctl handles it once the transport
 * has framed it (one line, no NUL): document parse and validation for
 * every command, then the text printers (status, show logfs, the generic
 * show dump, ping/version/reload) and the json one, all into /dev/null.
 * The strings the printers defuse are checked too: whatever the daemon
 * sends, what reaches a terminal is bounded, valid UTF-8 without control
 * characters.
 *
 * xsmonctl has no library of its own and this harness links only libxsmon
 * (tests/CMakeLists.txt), so the ctl sources are compiled in here.
 */
#include "../../../daemon/ctl/jval.c"
#include "../../../daemon/ctl/doc.c"
#include "../../../daemon/ctl/doc_shape.c"
#include "../../../daemon/ctl/output_json.c"
#include "../../../daemon/ctl/output_text.c"
#include "../../../daemon/ctl/show_util.c"
#include "../../../daemon/ctl/show_domains.c"
#include "../../../daemon/ctl/show_nics.c"
#include "../../../daemon/ctl/show_rsyslog.c"
#include "../../../daemon/ctl/show_xenstore.c"
#include "../../../daemon/ctl/alert_doc.c"
#include "../../../daemon/ctl/watch_text.c"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(x) do { if (!(x)) abort(); } while (0)

static FILE *devnull;

/*
 * ctl_put_safe(s, max) writes at most max characters, as many as
 * ctl_safe_width() says, of UTF-8 text without C0, DEL or C1.
 */
static void
check_safe(const char *s, size_t max)
{
	char out[4 * 64 + 8];
	size_t n, len, chars = 0, w;
	FILE *f;

	ASSERT(max <= 64);
	f = fmemopen(out, sizeof(out), "w");
	ASSERT(f != NULL);
	setvbuf(f, NULL, _IONBF, 0);
	n = ctl_put_safe(f, s, max);
	len = (size_t)ftell(f);
	fclose(f);
	ASSERT(len < sizeof(out));
	ASSERT(n <= max && n == ctl_safe_width(s, max));
	for (size_t i = 0; i < len; i += w, chars++) {
		w = xsm_utf8_len(out + i, len - i, XSM_UTF8_NO_C1);
		ASSERT(w > 0);
		ASSERT(w > 1 || ((unsigned char)out[i] >= 0x20 &&
		    (unsigned char)out[i] != 0x7f));
	}
	ASSERT(chars == n);
}

static void
check_doc(const struct ctl_doc *d)
{
	ASSERT(d->n_checks <= CTL_CHECKS_MAX);
	ASSERT(d->n_checks <= d->total_checks);
	ASSERT((unsigned)d->status <= XSM_UNKNOWN);
	ASSERT(d->logfs.files.n <= CTL_LIST_MAX &&
	    d->logfs.dirs.n <= CTL_LIST_MAX &&
	    d->logfs.growers.n <= CTL_LIST_MAX &&
	    d->logfs.deleted.n <= CTL_LIST_MAX);
	check_safe(d->reason, 16);
	check_safe(d->host, 64);
	for (size_t i = 0; i < d->n_checks; i++)
		check_safe(d->checks[i].name, NAME_MAX_SHOWN);
	if (d->logfs.files.n > 0)
		check_safe(d->logfs.files.row[0].path, 5);
}

/* A line of an alert stream as watch.c handles it. */
static void
one_stream(bool first, const char *line, size_t len, bool color)
{
	const struct ctl_out_opts o = { .color = color };
	struct ctl_alert a;
	FILE *real = stdout;
	char err[512];
	int r;

	r = ctl_alert_parse(&a, first, line, len, err, sizeof(err));
	stdout = devnull;
	if (r < 0)
		ctl_put_safe(stdout, err, 512);
	else if (a.kind == CTL_STREAM_ALERT)
		ctl_output_text.alert(&a, &o);
	else if (a.kind == CTL_STREAM_ERROR)
		ctl_put_safe(stdout, a.err_message, 512);
	stdout = real;
	if (r < 0)
		ASSERT(err[0] != '\0');
	else if (a.kind == CTL_STREAM_ALERT)
		check_safe(a.reason, 16);
	ctl_alert_free(&a);
}

/* What xsmonctl's main does with the reply to cmd, stdout on /dev/null. */
static void
one(enum ctl_cmd cmd, const char *check, const char *line, size_t len,
    bool color)
{
	static struct ctl_doc d;   /* 20 KiB: off the stack */
	const struct ctl_out_opts o = { .color = color };
	FILE *real = stdout;
	char err[512];
	int r;

	r = ctl_doc_parse(&d, cmd, check, line, len, err, sizeof(err));
	stdout = devnull;
	if (r < 0) {
		ASSERT(err[0] != '\0');
		ctl_put_safe(stdout, err, 512);
	} else if (d.is_error) {
		ctl_put_safe(stdout, d.err_code, 512);
		ctl_put_safe(stdout, d.err_message, 512);
	} else if (cmd == CTL_CMD_STATUS) {
		ctl_output_text.status(&d, &o);
		ctl_output_json.status(&d, &o);
	} else if (cmd == CTL_CMD_SHOW) {
		ctl_output_text.show(&d, &o);
	} else if (cmd == CTL_CMD_DOMAINS) {
		ctl_output_text.domains(&d, &o);
	} else {
		ctl_output_text.simple(&d, &o);
	}
	stdout = real;
	if (r == 0)
		check_doc(&d);
	ctl_doc_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line;

	if (devnull == NULL) {
		devnull = fopen("/dev/null", "w");
		ASSERT(devnull != NULL);
	}
	/* The transport's framing: one line, its '\n' dropped, no NUL. */
	if (size > 0 && data[size - 1] == '\n')
		size--;
	if (memchr(data, '\0', size) != NULL)
		return 0;
	line = malloc(size + 1);
	ASSERT(line != NULL);
	memcpy(line, data, size);
	line[size] = '\0';
	one(CTL_CMD_STATUS, NULL, line, size, size & 1);
	one(CTL_CMD_SHOW, "logfs", line, size, size & 2);
	one(CTL_CMD_SHOW, "nics", line, size, false);
	one(CTL_CMD_SHOW, "rsyslog", line, size, false);
	one(CTL_CMD_SHOW, "xenstore", line, size, false);
	one(CTL_CMD_DOMAINS, NULL, line, size, size & 4);
	one(CTL_CMD_PING, NULL, line, size, false);
	one(CTL_CMD_VERSION, NULL, line, size, false);
	one(CTL_CMD_RELOAD, NULL, line, size, false);
	one_stream(true, line, size, false);
	one_stream(false, line, size, size & 8);
	free(line);
	return 0;
}
