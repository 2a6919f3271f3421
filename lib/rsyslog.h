/* SPDX-License-Identifier: ISC */
/* rsyslog.h: the rsyslog check's view in the state model (placeholder). */
#ifndef XSM_RSYSLOG_H
#define XSM_RSYSLOG_H

#include "xsm.h"

struct xsm_rsyslog_view {
	uint64_t samples;
};

#endif
