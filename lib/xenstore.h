/* SPDX-License-Identifier: ISC */
/* xenstore.h: the xenstore check's view in the state model (placeholder). */
#ifndef XSM_XENSTORE_H
#define XSM_XENSTORE_H

#include "xsm.h"

struct xsm_xenstore_view {
	uint64_t samples;
};

#endif
