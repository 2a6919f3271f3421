/* SPDX-License-Identifier: ISC */
/*
 * golden_export.c: xsmonctl's export formatters (daemon/ctl/export.h)
 * against fixed documents. For every DIR/CASE.status.json (with
 * CASE.domains.json when there is one) the output must equal
 * CASE.nagios.ok (the overall line, then one line per check and one for
 * a check the document lacks, each after its exit code) and CASE.prom.ok
 * (the exposition). The case "down" is xsmond unreachable. Besides the
 * golden text, every plugin line must be one line within the NRPE limit.
 * XSMON_GOLDEN_UPDATE=1 rewrites the .ok files instead.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static int failures;

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) &&
	    fread(s, 1, (size_t)n, f) == (size_t)n) {
		s[n] = '\0';
		*len = (size_t)n;
		/* The daemon's line has no newline once framed. */
		while (*len > 0 && s[*len - 1] == '\n')
			s[--*len] = '\0';
	} else {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

static void
fail(const char *what, const char *why)
{
	printf("not ok - %s: %s\n", what, why);
	failures++;
}

static void
compare(const char *okpath, const struct xsm_buf *got)
{
	size_t len = 0, i, line = 1;
	char *want;
	FILE *f;

	if (getenv("XSMON_GOLDEN_UPDATE") != NULL) {
		f = fopen(okpath, "wb");
		if (f == NULL || fwrite(got->data, 1, got->len, f) != got->len ||
		    fclose(f) != 0)
			fail(okpath, strerror(errno));
		return;
	}
	want = slurp(okpath, &len);
	if (want == NULL) {
		fail(okpath, "cannot read");
		return;
	}
	/* slurp() took the last newline off. */
	for (i = 0; i < len && i < got->len && want[i] == got->data[i]; i++)
		line += want[i] == '\n';
	if (i == len && got->len == len + 1 && got->data[len] == '\n')
		printf("ok - %s\n", okpath);
	else {
		printf("# first difference at line %zu; got:\n%s", line,
		    got->data);
		fail(okpath, "output differs");
	}
	free(want);
}

/* The line must be one line, end in '\n', fit the NRPE buffer. */
static void
line_sane(const char *what, const char *line)
{
	size_t n = strlen(line);

	if (n == 0 || n > CTL_NAGIOS_LINE_MAX || line[n - 1] != '\n' ||
	    strchr(line, '\n') != line + n - 1)
		fail(what, "plugin line is not one line within 4 KiB");
}

static void
nagios(const char *what, struct xsm_buf *out, int code, const char *line)
{
	line_sane(what, line);
	xsm_buf_printf(out, "exit %d: %s", code, line);
}

static int
parse(const char *path, enum ctl_cmd cmd, char **text, struct ctl_doc *d)
{
	char err[512];
	size_t len;

	*text = slurp(path, &len);
	if (*text == NULL)
		return -ENOENT;
	if (ctl_doc_parse(d, cmd, NULL, *text, len, err, sizeof(err)) < 0) {
		fail(path, err);
		return -EPROTO;
	}
	return 0;
}

static void
run_case(const char *dir, const char *name)
{
	static char line[CTL_NAGIOS_LINE_MAX + 1];
	char path[4096];
	char *stext = NULL, *dtext = NULL;
	struct ctl_doc st, dom;
	struct xsm_buf out;
	bool have_dom;

	xsm_buf_init(&out, 0);
	memset(&dom, 0, sizeof(dom));
	snprintf(path, sizeof(path), "%s/%s.status.json", dir, name);
	if (parse(path, CTL_CMD_STATUS, &stext, &st) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s.domains.json", dir, name);
	have_dom = parse(path, CTL_CMD_DOMAINS, &dtext, &dom) == 0;
	nagios(name, &out, ctl_nagios_line(&st, NULL, line, sizeof(line)),
	    line);
	for (size_t i = 0; i < st.n_checks; i++)
		nagios(name, &out, ctl_nagios_line(&st, st.checks[i].name,
		    line, sizeof(line)), line);
	nagios(name, &out, ctl_nagios_line(&st, "nosuch", line,
	    sizeof(line)), line);
	snprintf(path, sizeof(path), "%s/%s.nagios.ok", dir, name);
	compare(path, &out);
	xsm_buf_reset(&out);
	if (ctl_prom_render(&st, have_dom ? &dom : NULL, &out) < 0)
		fail(name, "ctl_prom_render failed");
	snprintf(path, sizeof(path), "%s/%s.prom.ok", dir, name);
	compare(path, &out);
out:
	ctl_doc_free(&st);
	ctl_doc_free(&dom);
	free(stext);
	free(dtext);
	xsm_buf_free(&out);
}

static void
run_down(const char *dir)
{
	static char line[CTL_NAGIOS_LINE_MAX + 1];
	char path[4096];
	struct xsm_buf out;

	xsm_buf_init(&out, 0);
	nagios("down", &out, ctl_nagios_unknown("cannot connect to "
	    "/run/xsmond/xsmond.sock: No such file or directory", line,
	    sizeof(line)), line);
	snprintf(path, sizeof(path), "%s/down.nagios.ok", dir);
	compare(path, &out);
	xsm_buf_reset(&out);
	ctl_prom_render_down(&out);
	snprintf(path, sizeof(path), "%s/down.prom.ok", dir);
	compare(path, &out);
	xsm_buf_free(&out);
}

int
main(int argc, char **argv)
{
	const char *suffix = ".status.json";
	struct dirent *e;
	DIR *d;
	int cases = 0;

	if (argc != 2 || (d = opendir(argv[1])) == NULL) {
		fprintf(stderr, "usage: golden_export DIR\n");
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), s = strlen(suffix);
		char name[256];

		if (n <= s || n - s >= sizeof(name) ||
		    strcmp(e->d_name + n - s, suffix) != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - s), e->d_name);
		run_case(argv[1], name);
		cases++;
	}
	closedir(d);
	run_down(argv[1]);
	if (cases == 0)
		fail(argv[1], "no cases");
	printf("%d cases, %d failures\n", cases + 1, failures);
	return failures != 0;
}
