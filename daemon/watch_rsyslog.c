/* SPDX-License-Identifier: ISC */
/* watch_rsyslog.c: the rsyslog watcher (placeholder: registers nothing). */
#include "xsmd.h"

static int
rsyslog_start(struct xsmd *d, void **priv)
{
	(void)d;
	*priv = NULL;
	return 0;
}

static void
rsyslog_stop(struct xsmd *d, void *priv)
{
	(void)d;
	(void)priv;
}

static int
rsyslog_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	(void)d;
	(void)priv;
	(void)old;
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_rsyslog_ops = {
	.name = "rsyslog",
	.start = rsyslog_start,
	.stop = rsyslog_stop,
	.reload = rsyslog_reload,
};
