/* SPDX-License-Identifier: ISC */
/*
 * xsmonctl.c: argv to a request line, one round trip to xsmond, the reply
 * validated and printed, and a Nagios exit code: 0 ok, 1 warning,
 * 2 critical, 3 unknown (also for every failure to get a usable answer).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "export.h"
#include "output.h"
#include "proto.h"
#include "transport.h"
#include "watch.h"

#define DEFAULT_SOCKET "/run/xsmond/xsmond.sock"
#define EXIT_UNKNOWN ((int)XSM_UNKNOWN)

struct ctl_opts {
	const char *socket;
	bool json;
	bool no_color;
};

struct ctl_req {
	enum ctl_cmd cmd;
	char check[XSM_CHECK_NAME_MAX + 1];
	char line[64];
	const char *export;       /* "check" or "metrics" (export.h) */
	const char *textfile;     /* metrics --textfile DIR */
};

static void
usage(FILE *f, bool full)
{
	fputs("usage: xsmonctl [-s PATH] [--json|-j] [--no-color] "
	    "[status | show CHECK | domains | ping | version | reload]\n"
	    "       xsmonctl [-s PATH] [--json|-j] [--no-color] watch\n"
	    "       xsmonctl [-s PATH] check [CHECK]\n"
	    "       xsmonctl [-s PATH] metrics [--textfile DIR]\n"
	    "       xsmonctl -h | -V\n", f);
	if (!full)
		return;
	fputs("\n"
	    "  status        every check in a table (the default)\n"
	    "  show CHECK    one check in full, e.g. show logfs\n"
	    "  domains       every Xen domain: name, memory, tools, devices\n"
	    "  ping          is xsmond answering?\n"
	    "  version       client and daemon versions\n"
	    "  reload        reload xsmond's config (root only)\n"
	    "  watch         print alerts live, one line each, until "
	    "interrupted\n"
	    "                (exit 0), or 3 if xsmond goes away or cuts "
	    "it off;\n"
	    "                --json prints the NDJSON lines as received\n"
	    "  check [CHECK] one Nagios/Icinga plugin line with perfdata "
	    "(NRPE)\n"
	    "  metrics       Prometheus text exposition format\n"
	    "    --textfile DIR  write DIR/xsmon.prom atomically instead "
	    "(node_exporter)\n"
	    "  -s PATH       socket (default $XSMOND_SOCKET, else "
	    "/run/xsmond/xsmond.sock)\n"
	    "  -j, --json    print the daemon's JSON document\n"
	    "  --no-color    no colour (also NO_COLOR, or not a terminal)\n"
	    "\n"
	    "exit: 0 ok, 1 warning, 2 critical, 3 unknown or daemon unreachable\n",
	    f);
}

/* The command words after the options: 0, or -EINVAL with a message. */
static int
parse_command(int argc, char **argv, struct ctl_req *req)
{
	static const struct {
		const char *word;
		enum ctl_cmd cmd;
		int args;
	} cmds[] = {
		{ "status", CTL_CMD_STATUS, 0 },
		{ "show", CTL_CMD_SHOW, 1 },
		{ "ping", CTL_CMD_PING, 0 },
		{ "version", CTL_CMD_VERSION, 0 },
		{ "reload", CTL_CMD_RELOAD, 0 },
		{ "domains", CTL_CMD_DOMAINS, 0 },
		{ "watch", CTL_CMD_WATCH, 0 },
	};
	const char *word = argc > 0 ? argv[0] : "status";

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(word, cmds[i].word) != 0)
			continue;
		if (argc > 0 && argc - 1 != cmds[i].args) {
			fprintf(stderr, "xsmonctl: %s takes %s\n", word,
			    cmds[i].args ? "a check name" : "no argument");
			return -EINVAL;
		}
		req->cmd = cmds[i].cmd;
		if (req->cmd != CTL_CMD_SHOW) {
			snprintf(req->line, sizeof(req->line), "%s", word);
			return 0;
		}
		/* The daemon's grammar; it also keeps a newline out. */
		if (!xsm_proto_check_name(argv[1], strlen(argv[1]))) {
			fprintf(stderr, "xsmonctl: a check name is 1 to %d "
			    "of [a-z0-9_-]\n", XSM_CHECK_NAME_MAX);
			return -EINVAL;
		}
		xsm_strlcpy(req->check, argv[1], sizeof(req->check));
		snprintf(req->line, sizeof(req->line), "show %s", req->check);
		return 0;
	}
	fputs("xsmonctl: unknown command: ", stderr);
	ctl_put_safe(stderr, word, 64);
	fputc('\n', stderr);
	return -EINVAL;
}

/*
 * check [CHECK] and metrics [--textfile DIR] (export.h): 1 when argv is
 * one of them, 0 when it is not, -EINVAL after a message.
 */
static int
parse_export(int argc, char **argv, struct ctl_req *req)
{
	if (argc > 0 && strcmp(argv[0], "check") == 0) {
		if (argc > 2) {
			fputs("xsmonctl: check takes at most a check name\n",
			    stderr);
			return -EINVAL;
		}
		if (argc == 2 && !xsm_proto_check_name(argv[1],
		    strlen(argv[1]))) {
			fprintf(stderr, "xsmonctl: a check name is 1 to %d "
			    "of [a-z0-9_-]\n", XSM_CHECK_NAME_MAX);
			return -EINVAL;
		}
		if (argc == 2)
			xsm_strlcpy(req->check, argv[1], sizeof(req->check));
		req->export = "check";
		return 1;
	}
	if (argc == 0 || strcmp(argv[0], "metrics") != 0)
		return 0;
	if (argc == 3 && strcmp(argv[1], "--textfile") == 0 && *argv[2])
		req->textfile = argv[2];
	else if (argc == 2 && strncmp(argv[1], "--textfile=", 11) == 0 &&
	    argv[1][11] != '\0')
		req->textfile = argv[1] + 11;
	else if (argc != 1) {
		fputs("xsmonctl: metrics takes only --textfile DIR\n", stderr);
		return -EINVAL;
	}
	req->export = "metrics";
	return 1;
}

/*
 * "xsmonctl watch --json" reads naturally, so watch also takes the
 * output options after its word; the rest is left for parse_command()
 * to refuse. Returns the new argc.
 */
static int
watch_options(int argc, char **argv, int word, struct ctl_opts *o)
{
	int n = word + 1;

	for (int i = word + 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			o->json = true;
		else if (strcmp(argv[i], "--no-color") == 0)
			o->no_color = true;
		else
			argv[n++] = argv[i];
	}
	return n;
}

/*
 * Returns -1 to go on, else the exit code (-h and -V exit 0, bad usage
 * exits 3 like any other unknown outcome of a Nagios plugin).
 */
static int
parse_args(int argc, char **argv, struct ctl_opts *o, struct ctl_req *req)
{
	enum { OPT_NO_COLOR = 256 };
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("XSMOND_SOCKET");
	int c;

	o->socket = env != NULL && *env != '\0' ? env : DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "+s:jhV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->socket = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case 'h':
			usage(stdout, true);
			return 0;
		case 'V':
			puts("xsmonctl " XSM_VERSION);
			return 0;
		default:
			usage(stderr, false);
			return EXIT_UNKNOWN;
		}
	}
	if (optind < argc && strcmp(argv[optind], "watch") == 0)
		argc = watch_options(argc, argv, optind, o);
	c = parse_export(argc - optind, argv + optind, req);
	if (c == 0)
		c = parse_command(argc - optind, argv + optind, req);
	if (c < 0) {
		usage(stderr, false);
		return EXIT_UNKNOWN;
	}
	return -1;
}

static void
print_error(const char *prefix, const char *a, const char *b)
{
	fputs("xsmonctl: ", stderr);
	fputs(prefix, stderr);
	ctl_put_safe(stderr, a, 512);
	if (b != NULL) {
		fputs(": ", stderr);
		ctl_put_safe(stderr, b, 512);
	}
	fputc('\n', stderr);
}

/* watch: the stream printed live (watch.c), with the same output pick. */
static int
run_watch(const struct ctl_opts *o)
{
	struct ctl_out_opts oo = {
		.color = !o->json && !o->no_color &&
		    getenv("NO_COLOR") == NULL && isatty(STDOUT_FILENO),
	};

	return ctl_watch(o->socket, o->json ? &ctl_output_json :
	    &ctl_output_text, &oo);
}

/* Prints a validated reply; returns the exit code it stands for. */
static int
print_reply(const struct ctl_doc *d, const struct ctl_opts *o)
{
	const struct output *out = o->json ? &ctl_output_json :
	    &ctl_output_text;
	struct ctl_out_opts oo = {
		.color = !o->json && !o->no_color &&
		    getenv("NO_COLOR") == NULL && isatty(STDOUT_FILENO),
	};

	if (d->is_error) {
		/* Scripts get the document too; people get the message. */
		if (o->json)
			ctl_output_json.simple(d, &oo);
		print_error("", d->err_code, d->err_message);
		return EXIT_UNKNOWN;
	}
	switch (d->cmd) {
	case CTL_CMD_STATUS:
		out->status(d, &oo);
		return (int)d->status;
	case CTL_CMD_SHOW:
		out->show(d, &oo);
		return (int)d->status;
	case CTL_CMD_DOMAINS:
		out->domains(d, &oo);
		return (int)d->status;
	default:
		out->simple(d, &oo);
		return 0;
	}
}

int
main(int argc, char **argv)
{
	struct ctl_opts o = { 0 };
	struct ctl_req req = { 0 };
	struct xsm_buf reply;
	struct ctl_doc doc;
	char err[512];
	int r, code;

	code = parse_args(argc, argv, &o, &req);
	if (code >= 0)
		return code;
	if (req.export != NULL)
		return strcmp(req.export, "check") == 0 ?
		    ctl_run_check(o.socket, req.check[0] ? req.check : NULL) :
		    ctl_run_metrics(o.socket, req.textfile);
	if (req.cmd == CTL_CMD_WATCH)
		return run_watch(&o);
	xsm_buf_init(&reply, 0);
	r = ctl_transport_request(o.socket, req.line, CTL_TIMEOUT_MS, &reply,
	    err, sizeof(err));
	if (r < 0) {
		print_error("", err, NULL);
		xsm_buf_free(&reply);
		return EXIT_UNKNOWN;
	}
	r = ctl_doc_parse(&doc, req.cmd, req.check, reply.data, reply.len,
	    err, sizeof(err));
	if (r < 0) {
		print_error("invalid reply from ", o.socket, err);
		code = EXIT_UNKNOWN;
	} else {
		code = print_reply(&doc, &o);
	}
	ctl_doc_free(&doc);
	xsm_buf_free(&reply);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "xsmonctl: stdout: %s\n", strerror(errno));
		return EXIT_UNKNOWN;
	}
	return code;
}
