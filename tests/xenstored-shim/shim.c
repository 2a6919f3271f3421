/* SPDX-License-Identifier: ISC */
/*
 * shim.c: LD_PRELOAD for Debian's unmodified xenstored and oxenstored
 * (xen-utils-4.17) on a host without Xen. It fakes only the hypervisor
 * handles: xenctrl, event channels, grant tables and the two /proc/xen
 * files the C daemon reads for dom0's own ring. The store, the protocol,
 * watches, transactions, permissions and quotas are the real daemons'.
 *
 * XSSHIM_DIR (required) holds "xsd_port" and "xsd_kva", which the test
 * helper creates. Every domain exists (domain death is not simulated:
 * XS_RELEASE removes a domain), and no event channel ever fires.
 * setrlimit is clamped to the hard limit: oxenstored raises NOFILE to
 * fs.nr_open and dies on EPERM where root lacks CAP_SYS_RESOURCE.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define XC_WANT_COMPAT_MAP_FOREIGN_API 1
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

struct xenevtchn_handle { int fd; };
static int dummy_xc;
static xengnttab_handle *const gnt_dummy = (void *)&dummy_xc;
static int next_port = 10;

/* --- xenctrl ----------------------------------------------------------- */

xc_interface *
xc_interface_open(xentoollog_logger *l, xentoollog_logger *d, unsigned f)
{
	return (xc_interface *)&dummy_xc;
}

int xc_interface_close(xc_interface *x) { return 0; }

int
xc_domain_getinfo(xc_interface *x, uint32_t first, unsigned int max,
    xc_dominfo_t *info)
{
	if (max == 0)
		return 0;
	memset(info, 0, sizeof(*info));
	info->domid = first;
	info->running = 1;
	info->xenstore = 1;
	return 1;
}

int
xc_domain_getinfolist(xc_interface *x, uint32_t first, unsigned int max,
    xc_domaininfo_t *info)
{
	if (max == 0)
		return 0;
	memset(info, 0, sizeof(*info));
	info->domain = first;
	return 1;
}

static void *
anon_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *
xc_map_foreign_range(xc_interface *x, uint32_t dom, int size, int prot,
    unsigned long mfn)
{
	return anon_page();
}

/* --- event channels: an eventfd that never becomes readable ------------ */

xenevtchn_handle *
xenevtchn_open(xentoollog_logger *l, unsigned f)
{
	xenevtchn_handle *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	if ((h->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		free(h);
		return NULL;
	}
	return h;
}

int
xenevtchn_close(xenevtchn_handle *h)
{
	if (h != NULL)
		close(h->fd);
	free(h);
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *h) { return h->fd; }
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *h, unsigned v) { return 1; }
xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *h, uint32_t d, evtchn_port_t p)
{
	return next_port++;
}
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *h) { errno = EAGAIN; return -1; }
int xenevtchn_unmask(xenevtchn_handle *h, evtchn_port_t p) { return 0; }
int xenevtchn_notify(xenevtchn_handle *h, evtchn_port_t p) { return 0; }
int xenevtchn_unbind(xenevtchn_handle *h, evtchn_port_t p) { return 0; }

/* --- grant tables: an anonymous page per mapping ----------------------- */

xengnttab_handle *xengnttab_open(xentoollog_logger *l, unsigned f) { return gnt_dummy; }
int xengnttab_close(xengnttab_handle *h) { return 0; }
int xengnttab_set_max_grants(xengnttab_handle *h, uint32_t n) { return 0; }
void *
xengnttab_map_grant_ref(xengnttab_handle *h, uint32_t dom, uint32_t ref,
    int prot)
{
	return anon_page();
}
int
xengnttab_unmap(xengnttab_handle *h, void *start, uint32_t count)
{
	return munmap(start, (size_t)count * 4096);
}

/* --- /proc/xen and setrlimit ------------------------------------------- */

static const char *
redirect(const char *path, char *buf, size_t size)
{
	const char *dir = getenv("XSSHIM_DIR");

	if (dir == NULL || path == NULL ||
	    strncmp(path, "/proc/xen/xsd_", 14) != 0)
		return path;
	snprintf(buf, size, "%s/%s", dir, path + 10);
	return buf;
}

#define OPEN_WRAPPER(name, ...)						\
int									\
name(const char *path, int flags, ...)					\
{									\
	static int (*real)(const char *, int, ...);			\
	char buf[4096];							\
	mode_t mode = 0;						\
	va_list ap;							\
									\
	if (real == NULL)						\
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	if (flags & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
	return real(redirect(path, buf, sizeof(buf)), flags, mode);	\
}
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

int
openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	char buf[4096];
	mode_t mode = 0;
	va_list ap;

	if (real == NULL)
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return real(dirfd, redirect(path, buf, sizeof(buf)), flags, mode);
}

int
setrlimit(__rlimit_resource_t res, const struct rlimit *rl)
{
	static int (*real)(__rlimit_resource_t, const struct rlimit *);
	struct rlimit cur, clamped = *rl;

	if (real == NULL)
		real = (int (*)(__rlimit_resource_t, const struct rlimit *))
		    dlsym(RTLD_NEXT, "setrlimit");
	if (real(res, rl) == 0)
		return 0;
	if (errno != EPERM || getrlimit(res, &cur) < 0)
		return -1;
	if (clamped.rlim_max > cur.rlim_max)
		clamped.rlim_max = cur.rlim_max;
	if (clamped.rlim_cur > clamped.rlim_max)
		clamped.rlim_cur = clamped.rlim_max;
	return real(res, &clamped);
}

int setrlimit64(__rlimit_resource_t res, const struct rlimit64 *rl)
    __attribute__((alias("setrlimit")));
