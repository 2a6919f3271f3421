/* SPDX-License-Identifier: ISC */
/* watch_xenstore.c: the xenstore watcher (placeholder: registers nothing). */
#include "xsmd.h"

static int
xenstore_start(struct xsmd *d, void **priv)
{
	(void)d;
	*priv = NULL;
	return 0;
}

static void
xenstore_stop(struct xsmd *d, void *priv)
{
	(void)d;
	(void)priv;
}

static int
xenstore_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	(void)d;
	(void)priv;
	(void)old;
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_xenstore_ops = {
	.name = "xenstore",
	.start = xenstore_start,
	.stop = xenstore_stop,
	.reload = xenstore_reload,
};
