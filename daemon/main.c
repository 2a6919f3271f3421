/* SPDX-License-Identifier: ISC */
/*
 * main.c: options, config check mode, and the daemon's life: set up,
 * run the loop, tear down. No fork, no pidfile: the service manager (or
 * the admin's shell) supervises us.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xsmd.h"

#define DEFAULT_CONFIG "/etc/xsmond.conf"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: xsmond [-dhnvV] [-f file] [-s socket]\n"
	    "  -f file    config file (default " DEFAULT_CONFIG ")\n"
	    "  -d         log to stderr instead of syslog (xsmond never forks)\n"
	    "  -n         check the config and exit (0 when valid)\n"
	    "  -v         with -n: print the normalised config\n"
	    "  -s socket  control socket path (overrides [control] socket)\n"
	    "  -V         print the version and exit\n"
	    "  -h         this help\n");
}

/* -n / -nv: check (and print) the config, never start anything. */
static int
check_config(const char *path, bool optional, bool verbose)
{
	struct xsm_config cfg;
	struct xsm_buf out;
	char first[256];

	if (xsmd_config_load(path, optional, &cfg, first, sizeof(first), true) < 0)
		return 1;
	if (verbose) {
		xsm_buf_init(&out, 0);
		if (xsm_config_print(&cfg, &out) < 0) {
			fprintf(stderr, "xsmond: out of memory\n");
			return 1;
		}
		fwrite(out.data, 1, out.len, stdout);
		xsm_buf_free(&out);
	}
	return 0;
}

/*
 * The packaged default path may be absent (a hand-run or a minimal
 * install): defaults are then the config. A path given with -f must exist.
 */
static int
initial_config(struct xsmd *d)
{
	char first[256];
	int r;

	r = xsmd_config_load(d->config_path, d->config_optional, &d->cfg,
	    first, sizeof(first), true);
	if (r < 0)
		log_warnx("not starting: %s", first);
	else if (d->config_optional && access(d->config_path, F_OK) != 0)
		log_notice("%s not found, using defaults", d->config_path);
	return r;
}

int
main(int argc, char **argv)
{
	/* Static, not on the stack: the state is sized for the worst case
	 * and only the pages in use become resident (see xsm_zero). */
	static struct xsmd d;
	bool check = false, verbose = false;
	int ch, r;

	d.config_path = DEFAULT_CONFIG;
	d.config_optional = true;
	while ((ch = getopt(argc, argv, "df:hns:vV")) != -1) {
		switch (ch) {
		case 'd': d.foreground = true; break;
		case 'f': d.config_path = optarg; d.config_optional = false; break;
		case 'n': check = true; break;
		case 's': d.socket_override = optarg; break;
		case 'v': verbose = true; break;
		case 'V': printf("xsmond %s\n", XSM_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (check)
		return check_config(d.config_path, d.config_optional, verbose);
	if (d.socket_override != NULL &&
	    strlen(d.socket_override) >= XSM_SOCKET_PATH_MAX) {
		fprintf(stderr, "xsmond: socket path too long\n");
		return 2;
	}

	log_init("xsmond", d.foreground, getenv("XSMOND_DEBUG") != NULL, "/dev/log");
	/* A monitor never needs to gain privileges; set it ourselves
	 * because systemd 219 ignores NoNewPrivileges= in older forms. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		log_warn("PR_SET_NO_NEW_PRIVS");
	umask(027);
	signal(SIGPIPE, SIG_IGN);
	xsmd_memory_tune();

	if (initial_config(&d) < 0)
		return 1;
	r = xsmd_run(&d);
	log_close();
	return r < 0 ? 1 : 0;
}
