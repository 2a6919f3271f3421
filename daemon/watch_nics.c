/* SPDX-License-Identifier: ISC */
/* watch_nics.c: the nics watcher (placeholder: registers nothing). */
#include "xsmd.h"

static int
nics_start(struct xsmd *d, void **priv)
{
	(void)d;
	*priv = NULL;
	return 0;
}

static void
nics_stop(struct xsmd *d, void *priv)
{
	(void)d;
	(void)priv;
}

static int
nics_reload(struct xsmd *d, void *priv, const struct xsm_config *old)
{
	(void)d;
	(void)priv;
	(void)old;
	return 0;
}

const struct xsmd_watcher_ops xsmd_watch_nics_ops = {
	.name = "nics",
	.start = nics_start,
	.stop = nics_stop,
	.reload = nics_reload,
};
