/* SPDX-License-Identifier: ISC */
/*
 * qload.c: the benchmarks' control-socket client. Not part of xsmon; the
 * bench scripts compile it with `cc -O2 -o qload qload.c -lpthread`.
 *
 *   qload SOCK THREADS SECONDS reuse|connect [REQUEST]
 *       load: THREADS clients send REQUEST (default "status") one at a
 *       time for SECONDS; reuse keeps one connection per client, connect
 *       opens a new one per query. Prints the total queries per second
 *       and the failed queries by errno (EBADMSG: a malformed reply;
 *       error_reply: a well-formed {"error":...} such as "busy").
 *   qload seq SOCK COUNT reuse|connect [REQUEST]
 *       COUNT sequential queries from one client; prints the time per
 *       query and the reply size.
 *   qload wait SOCK SUBSTRING TIMEOUT_MS [--fallocate FILE BYTES | --unlink FILE]
 *       optionally changes the filesystem itself (the fallocate(2) of
 *       `fallocate -l`, or unlink(2)), then polls "status" every 1 ms until
 *       the reply contains SUBSTRING; prints the milliseconds from the end
 *       of that system call (or from the start) to the first reply that
 *       showed it. Doing the change here keeps process start-up out of
 *       the figure.
 *
 * Every reply must be one line that starts with '{' and ends with '\n',
 * with nothing after it. Output is one line of key=value pairs. Exit
 * status: 0 measured, 1 nothing measured (timeout, no valid reply at all,
 * or a failed query in seq), 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPLY_MAX (2u << 20)	/* above xsmond's 1 MiB output cap */
#define IO_TIMEOUT_SEC 5
#define ERRNO_SLOTS 256	/* errors are tallied by errno, for the report */

struct client {
	const char *sock;
	char req[4096];
	size_t req_len;
	int reuse;
	int fd;
	char *buf;
	size_t reply_len;
};

struct worker {
	pthread_t tid;
	struct client c;
	uint64_t run_ns;
	uint64_t queries;
	uint64_t errors;
	uint64_t by_errno[ERRNO_SLOTS];
};

static pthread_barrier_t start_barrier;
static atomic_uint_fast64_t start_ns;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = IO_TIMEOUT_SEC };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	/* A stuck daemon must end the benchmark, not hang it. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static int
client_init(struct client *c, const char *sock, const char *req, int reuse)
{
	size_t n = strlen(req);

	if (n + 1 >= sizeof(c->req))
		return -E2BIG;
	memcpy(c->req, req, n);
	c->req[n] = '\n';
	c->req_len = n + 1;
	c->sock = sock;
	c->reuse = reuse;
	c->fd = -1;
	if ((c->buf = malloc(REPLY_MAX + 1)) == NULL)
		return -ENOMEM;
	return 0;
}

static void
client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EPIPE;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one reply line into c->buf and checks its framing. */
static int
read_reply(struct client *c)
{
	size_t len = 0;

	for (;;) {
		ssize_t r = recv(c->fd, c->buf + len, REPLY_MAX - len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		len += (size_t)r;
		if (c->buf[len - 1] == '\n')
			break;
		if (len == REPLY_MAX)
			return -EMSGSIZE;
	}
	c->buf[len] = '\0';
	c->reply_len = len;
	/* One request out, so exactly one line back: an early '\n' is a bug. */
	if (c->buf[0] != '{' || memchr(c->buf, '\n', len) != c->buf + len - 1)
		return -EBADMSG;
	/* A well-framed refusal ("busy") is still no answer to the query. */
	if (strncmp(c->buf, "{\"error\"", 8) == 0)
		return -EREMOTEIO;
	return 0;
}

/* One request and its reply; connects first when needed. */
static int
client_query(struct client *c)
{
	int r;

	if (c->fd < 0 && (c->fd = connect_unix(c->sock)) < 0) {
		r = c->fd;
		c->fd = -1;
		return r;
	}
	if ((r = send_all(c->fd, c->req, c->req_len)) < 0 ||
	    (r = read_reply(c)) < 0) {
		client_close(c);
		return r;
	}
	if (!c->reuse)
		client_close(c);
	return 0;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	uint64_t expected = 0;

	pthread_barrier_wait(&start_barrier);
	/* The first thread past the barrier stamps the start for everyone. */
	atomic_compare_exchange_strong(&start_ns, &expected, now_ns());
	uint64_t deadline = atomic_load(&start_ns) + w->run_ns;

	while (now_ns() < deadline) {
		int r = client_query(&w->c);

		if (r < 0) {
			w->errors++;
			w->by_errno[-r < ERRNO_SLOTS ? -r : 0]++;
		} else {
			w->queries++;
		}
	}
	client_close(&w->c);
	return NULL;
}

static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *out > max)
		return -EINVAL;
	return 0;
}

static int
parse_mode(const char *s)
{
	if (strcmp(s, "reuse") == 0)
		return 1;
	if (strcmp(s, "connect") == 0)
		return 0;
	return -1;
}

static int
cmd_load(char **argv, int argc)
{
	unsigned long long nthreads, secs;
	uint64_t queries = 0, errors = 0, by_errno[ERRNO_SLOTS] = { 0 }, end;
	const char *req = argc > 4 ? argv[4] : "status";
	struct worker *w;
	int reuse;

	if (argc < 4 || parse_uint(argv[1], 1024, &nthreads) || nthreads == 0 ||
	    parse_uint(argv[2], 3600, &secs) || secs == 0 ||
	    (reuse = parse_mode(argv[3])) < 0)
		return -EINVAL;
	if ((w = calloc(nthreads, sizeof(*w))) == NULL)
		return -ENOMEM;
	pthread_barrier_init(&start_barrier, NULL, (unsigned)nthreads);
	for (unsigned long long i = 0; i < nthreads; i++) {
		if (client_init(&w[i].c, argv[0], req, reuse) < 0)
			return -ENOMEM;
		w[i].run_ns = secs * 1000000000u;
		if (pthread_create(&w[i].tid, NULL, worker_run, &w[i]) != 0)
			return -EAGAIN;
	}
	for (unsigned long long i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		queries += w[i].queries;
		errors += w[i].errors;
		for (int e = 0; e < ERRNO_SLOTS; e++)
			by_errno[e] += w[i].by_errno[e];
	}
	end = now_ns();
	double s = (double)(end - atomic_load(&start_ns)) / 1e9;
	printf("queries=%llu errors=%llu seconds=%.3f qps=%.0f threads=%llu mode=%s",
	    (unsigned long long)queries, (unsigned long long)errors, s,
	    (double)queries / s, nthreads, argv[3]);
	for (int e = 0; e < ERRNO_SLOTS; e++) {
		const char *name = e == EREMOTEIO ? "error_reply" :
		    e ? strerrorname_np(e) : NULL;

		if (by_errno[e])
			printf(" %s=%llu", name ? name : "other",
			    (unsigned long long)by_errno[e]);
	}
	printf("\n");
	/* Failed queries are a result to report; no successful one is not. */
	return queries == 0 ? 1 : 0;
}

static int
cmd_seq(char **argv, int argc)
{
	unsigned long long count;
	size_t bmin = SIZE_MAX, bmax = 0;
	struct client c;
	uint64_t t0;
	int reuse, r;

	if (argc < 3 || parse_uint(argv[1], 100000000, &count) || count == 0 ||
	    (reuse = parse_mode(argv[2])) < 0)
		return -EINVAL;
	if ((r = client_init(&c, argv[0], argc > 3 ? argv[3] : "status", reuse)) < 0)
		return r;
	t0 = now_ns();
	for (unsigned long long i = 0; i < count; i++) {
		if ((r = client_query(&c)) < 0) {
			fprintf(stderr, "qload: query %llu: %s\n", i,
			    r == -EREMOTEIO ? c.buf : strerror(-r));
			return 1;
		}
		bmin = c.reply_len < bmin ? c.reply_len : bmin;
		bmax = c.reply_len > bmax ? c.reply_len : bmax;
	}
	double s = (double)(now_ns() - t0) / 1e9;
	client_close(&c);
	printf("queries=%llu seconds=%.4f us_per_query=%.1f bytes=%zu bytes_max=%zu mode=%s\n",
	    count, s, s * 1e6 / (double)count, bmin, bmax, argv[2]);
	return 0;
}

/* The filesystem change whose visibility `wait` times; 0 or -errno. */
static int
wait_action(char **argv, int argc, uint64_t *t0, double *action_ms)
{
	unsigned long long bytes;
	uint64_t a0 = now_ns();
	int fd;

	if (argc == 0) {
		*t0 = a0;
		return 0;
	}
	if (strcmp(argv[0], "--fallocate") == 0 && argc == 3) {
		if (parse_uint(argv[2], (unsigned long long)INT64_MAX, &bytes))
			return -EINVAL;
		if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
			return -errno;
		if (fallocate(fd, 0, 0, (off_t)bytes) < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		close(fd);
	} else if (strcmp(argv[0], "--unlink") == 0 && argc == 2) {
		if (unlink(argv[1]) < 0)
			return -errno;
	} else {
		return -EINVAL;
	}
	*t0 = now_ns();
	*action_ms = (double)(*t0 - a0) / 1e6;
	return 0;
}

static int
cmd_wait(char **argv, int argc)
{
	unsigned long long timeout_ms, polls = 0;
	double action_ms = 0;
	struct timespec next;
	struct client c;
	uint64_t t0 = 0;
	int r;

	if (argc < 3 || parse_uint(argv[2], 3600000, &timeout_ms) ||
	    client_init(&c, argv[0], "status", 1) < 0)
		return -EINVAL;
	/* Connect before the change so the first poll is not delayed by it. */
	if ((c.fd = connect_unix(c.sock)) < 0)
		return c.fd;
	if ((r = wait_action(argv + 3, argc - 3, &t0, &action_ms)) < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		polls++;
		r = client_query(&c);
		uint64_t t = now_ns();

		if (r == 0 && strstr(c.buf, argv[1]) != NULL) {
			printf("elapsed_ms=%.3f polls=%llu action_ms=%.3f\n",
			    (double)(t - t0) / 1e6, polls, action_ms);
			return 0;
		}
		if (t - t0 >= timeout_ms * 1000000u) {
			printf("timeout_ms=%llu polls=%llu last_error=%s\n",
			    timeout_ms, polls, r < 0 ? strerror(-r) : "none");
			return 1;
		}
		/* Every 1 ms on an absolute clock, so slow replies do not drift. */
		next.tv_nsec += 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: qload SOCK THREADS SECONDS reuse|connect [REQUEST]\n"
	    "       qload seq SOCK COUNT reuse|connect [REQUEST]\n"
	    "       qload wait SOCK SUBSTRING TIMEOUT_MS"
	    " [--fallocate FILE BYTES | --unlink FILE]\n");
}

int
main(int argc, char **argv)
{
	int r;

	if (argc < 2) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "seq") == 0)
		r = cmd_seq(argv + 2, argc - 2);
	else if (strcmp(argv[1], "wait") == 0)
		r = cmd_wait(argv + 2, argc - 2);
	else
		r = cmd_load(argv + 1, argc - 1);
	if (r == -EINVAL)
		usage();
	else if (r < 0)
		fprintf(stderr, "qload: %s\n", strerror(-r));
	return r < 0 ? 2 : r;
}
