/* SPDX-License-Identifier: ISC */
/* nics.h: the nics check's view in the state model (placeholder). */
#ifndef XSM_NICS_H
#define XSM_NICS_H

#include "xsm.h"

struct xsm_nics_view {
	uint64_t samples;
};

#endif
