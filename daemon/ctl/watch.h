/* SPDX-License-Identifier: ISC */
/* watch.h: "xsmonctl watch", the alert stream printed live. */
#ifndef CTL_WATCH_H
#define CTL_WATCH_H

#include "output.h"

/*
 * Subscribes on socket and prints every alert through out as it comes,
 * stdout flushed after each. Returns the exit code: 0 when SIGINT or
 * SIGTERM stopped it, 3 when the daemon could not be reached, refused,
 * cut the stream off (slow_subscriber) or went away, or sent a line that
 * fails validation (alert_doc.h); the reason goes to stderr.
 */
int ctl_watch(const char *socket, const struct output *out,
    const struct ctl_out_opts *oo);

#endif
