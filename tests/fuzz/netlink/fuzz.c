/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: the rtnetlink walker (lib/nics_nl.c) and the link table behind
 * it. The input is one datagram; every link and address message it
 * yields is applied to a table, which must stay sorted and bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nics_nl.h"
#include "nics_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_link(void *arg, const struct xsm_nl_link *l)
{
	xsm_nics_link_apply(arg, l);
}

static void
on_addr(void *arg, const struct xsm_nl_addr *a)
{
	xsm_nics_addr_apply(arg, a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsm_nics_view v;
	struct xsm_nl_sink sink = { on_link, on_addr, &v };
	struct xsm_nl_result r;
	uint8_t *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);   /* an exact-size heap copy: ASan sees overreads */
	memset(&v, 0, sizeof(v));
	xsm_nl_walk(copy, size, &sink, &r);
	for (unsigned i = 1; i < v.n_links; i++)
		if (v.links[i - 1].ifindex >= v.links[i].ifindex)
			abort();
	for (unsigned i = 0; i < v.n_links; i++)
		if (v.links[i].n_addrs > XSM_NIC_ADDRS_MAX ||
		    strnlen(v.links[i].name, 16) == 16)
			abort();
	xsm_nics_mark_links(&v);
	xsm_nics_sweep_links(&v);
	xsm_nics_view_free(&v);
	free(copy);
	return 0;
}
