/* SPDX-License-Identifier: ISC */
/*
 * export_run.c: "xsmonctl check" and "xsmonctl metrics": ask xsmond,
 * validate its replies like every other command (doc.c), then hand them
 * to the pure formatters of export.h and write the result.
 *
 * check is a Nagios plugin: whatever goes wrong, its one line on stdout
 * says so and the exit code is 3; stderr stays empty, because NRPE and
 * check_by_ssh would mix it into the output. metrics --textfile replaces
 * DIR/xsmon.prom with rename(2), so node_exporter reads the old file or
 * the new one, never half of one; on any failure the old file stays.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "output.h"
#include "transport.h"

#define EXIT_UNKNOWN ((int)XSM_UNKNOWN)
#define TEXTFILE_NAME "xsmon.prom"
#define METRICS_MAX (16u << 20)

/* One reply, validated; on failure err says why (naming path). */
static int
ask(const char *path, const char *req, enum ctl_cmd cmd,
    struct xsm_buf *reply, struct ctl_doc *doc, char *err, size_t errsz)
{
	char why[512];
	int r;

	memset(doc, 0, sizeof(*doc));
	r = ctl_transport_request(path, req, CTL_TIMEOUT_MS, reply, err,
	    errsz);
	if (r < 0)
		return r;
	r = ctl_doc_parse(doc, cmd, NULL, reply->data, reply->len, why,
	    sizeof(why));
	if (r < 0)
		snprintf(err, errsz, "invalid reply from %s: %s", path, why);
	else if (doc->is_error)
		snprintf(err, errsz, "xsmond: %s: %s", doc->err_code,
		    doc->err_message);
	return r < 0 ? r : doc->is_error ? -EPROTO : 0;
}

int
ctl_run_check(const char *path, const char *check)
{
	static char line[CTL_NAGIOS_LINE_MAX + 1];
	struct xsm_buf reply;
	struct ctl_doc doc;
	char err[768];
	int code;

	xsm_buf_init(&reply, 0);
	if (ask(path, "status", CTL_CMD_STATUS, &reply, &doc, err,
	    sizeof(err)) < 0)
		code = ctl_nagios_unknown(err, line, sizeof(line));
	else
		code = ctl_nagios_line(&doc, check, line, sizeof(line));
	ctl_doc_free(&doc);
	xsm_buf_free(&reply);
	if (fputs(line, stdout) == EOF || fflush(stdout) != 0)
		return EXIT_UNKNOWN;
	return code;
}

/* Writes all of b to fd; 0 or -errno. */
static int
write_all(int fd, const struct xsm_buf *b)
{
	size_t off = 0;
	ssize_t n;

	while (off < b->len) {
		n = write(fd, b->data + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

/*
 * DIR/xsmon.prom replaced atomically: a temporary file in DIR (same
 * filesystem, and a name node_exporter ignores: it reads *.prom only),
 * written, fsynced and renamed over the old one; then DIR is fsynced so
 * the rename survives a crash.
 */
static int
write_textfile(const char *dir, const struct xsm_buf *b)
{
	char tmp[4096], dst[4096];
	int fd, r = 0, dfd;

	if ((size_t)snprintf(dst, sizeof(dst), "%s/%s", dir, TEXTFILE_NAME) >=
	    sizeof(dst) || (size_t)snprintf(tmp, sizeof(tmp),
	    "%s/.%s.XXXXXX", dir, TEXTFILE_NAME) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0644) < 0 || (r = write_all(fd, b)) < 0 ||
	    fsync(fd) < 0)
		r = r < 0 ? r : -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, dst) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* The domains document, or none when the xenstore check does not run. */
static int
ask_domains(const char *path, struct xsm_buf *reply, struct ctl_doc *doc,
    bool *have, char *err, size_t errsz)
{
	int r = ask(path, "domains", CTL_CMD_DOMAINS, reply, doc, err, errsz);

	*have = r == 0;
	if (r < 0 && doc->is_error && doc->err_code != NULL &&
	    strcmp(doc->err_code, "unknown_check") == 0)
		return 0;
	return r;
}

static int
render(const char *path, struct xsm_buf *out, char *err, size_t errsz)
{
	struct xsm_buf r1, r2;
	struct ctl_doc status, domains;
	bool have = false;
	int r;

	xsm_buf_init(&r1, 0);
	xsm_buf_init(&r2, 0);
	memset(&domains, 0, sizeof(domains));
	r = ask(path, "status", CTL_CMD_STATUS, &r1, &status, err, errsz);
	if (r == 0)
		r = ask_domains(path, &r2, &domains, &have, err, errsz);
	if (r == 0) {
		r = ctl_prom_render(&status, have ? &domains : NULL, out);
		if (r < 0)
			snprintf(err, errsz, "metrics: %s", strerror(-r));
	}
	ctl_doc_free(&status);
	ctl_doc_free(&domains);
	xsm_buf_free(&r1);
	xsm_buf_free(&r2);
	return r;
}

int
ctl_run_metrics(const char *path, const char *textfile_dir)
{
	struct xsm_buf out;
	char err[768];
	int r, code = 0;

	xsm_buf_init(&out, METRICS_MAX);
	r = render(path, &out, err, sizeof(err));
	if (r < 0) {
		fputs("xsmonctl: ", stderr);
		ctl_put_safe(stderr, err, sizeof(err));
		fputc('\n', stderr);
		code = EXIT_UNKNOWN;
		/* A scrape of stdout still learns that xsmond is down. */
		xsm_buf_reset(&out);
		if (textfile_dir == NULL && ctl_prom_render_down(&out) < 0)
			xsm_buf_reset(&out);
	} else if (textfile_dir != NULL) {
		r = write_textfile(textfile_dir, &out);
		if (r < 0) {
			fprintf(stderr, "xsmonctl: %s/%s: %s\n", textfile_dir,
			    TEXTFILE_NAME, strerror(-r));
			code = EXIT_UNKNOWN;
		}
	}
	if (textfile_dir == NULL && (fwrite(out.data, 1, out.len, stdout) !=
	    out.len || fflush(stdout) != 0)) {
		fprintf(stderr, "xsmonctl: stdout: %s\n", strerror(errno));
		code = EXIT_UNKNOWN;
	}
	xsm_buf_free(&out);
	return code;
}
