/* SPDX-License-Identifier: ISC */
/*
 * conffile.c: reads the config file and hands the text to the pure
 * parser; errors come back as "file:line: message".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xsmd.h"

/* A config larger than this is a mistake (or an attack), not a config. */
#define CONF_MAX (1024 * 1024)

static int
read_text(const char *path, struct xsm_buf *text)
{
	char chunk[8192];
	struct stat st;
	ssize_t n;
	int fd, r = 0;

	/* O_NONBLOCK and the type check: a FIFO at the config path must not
	 * block the loop on SIGHUP (and stop the watchdog). Character devices
	 * pass (/dev/null is the empty config): reads are non-blocking and
	 * capped at CONF_MAX. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	if (r < 0) {
		close(fd);
		return r;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if ((r = xsm_buf_append(text, chunk, (size_t)n)) < 0)
			break;
	}
	close(fd);
	if (r == 0 && text->data == NULL)
		r = xsm_buf_append(text, "", 0);
	if (r == 0 && memchr(text->data, '\0', text->len) != NULL)
		r = -EILSEQ;   /* inih would stop at the NUL and hide the rest */
	return r;
}

static void
report(const char *path, const struct xsm_err *e, char *first,
    size_t first_size, bool print)
{
	char line[512];

	if (e->line > 0)
		snprintf(line, sizeof(line), "%s:%d: %s", path, e->line, e->msg);
	else
		snprintf(line, sizeof(line), "%s: %s", path, e->msg);
	if (print)
		fprintf(stderr, "%s\n", line);
	else
		log_warnx("%s", line);
	if (first[0] == '\0')
		xsm_strlcpy(first, line, first_size);
}

int
xsmd_config_load(const char *path, bool optional, struct xsm_config *out,
    char *first_err, size_t first_err_size, bool print_errors)
{
	struct xsm_buf text;
	struct xsm_errlist errs = { 0 };
	struct xsm_err e = { 0 };
	int r;

	first_err[0] = '\0';
	xsm_buf_init(&text, CONF_MAX);
	r = read_text(path, &text);
	if (r == -ENOENT && optional) {
		/* The packaged default path may be absent: defaults apply. */
		xsm_buf_free(&text);
		xsm_config_defaults(out);
		return 0;
	}
	if (r < 0) {
		xsm_err_set(&e, 0, "%s", r == -ENOBUFS ? "file too large" :
		    r == -EILSEQ ? "NUL byte in file" :
		    r == -EINVAL ? "not a regular file" :
		    r == -EAGAIN ? "no data ready" : strerror(-r));
		report(path, &e, first_err, first_err_size, print_errors);
		xsm_buf_free(&text);
		return r == -ENOBUFS || r == -EILSEQ ? -EINVAL : r;
	}
	r = xsm_config_parse(text.data, out, &errs);
	xsm_buf_free(&text);
	for (unsigned i = 0; i < errs.n; i++)
		report(path, &errs.e[i], first_err, first_err_size, print_errors);
	if (errs.dropped > 0) {
		xsm_err_set(&e, 0, "%u more errors not shown", errs.dropped);
		report(path, &e, first_err, first_err_size, print_errors);
	}
	return r < 0 ? -EINVAL : 0;
}
