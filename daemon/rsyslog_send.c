/* SPDX-License-Identifier: ISC */
/*
 * rsyslog_send.c: the canary sender. A socket of its own (not the log
 * module's), unconnected so a restarted rsyslogd's new socket is reached,
 * and MSG_DONTWAIT: a stalled rsyslogd fills its queue and we get EAGAIN,
 * which is itself the evidence, never a blocked loop.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rsyslog_io.h"

int
xsmd_rs_send(int *fd, const char *path, const char *msg, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (*fd < 0) {
		*fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
		if (*fd < 0)
			return -errno;
	}
	if (sendto(*fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -errno;
	return 0;
}
