/* SPDX-License-Identifier: ISC */
/*
 * memory.c: how much of the heap xsmond keeps resident when idle.
 *
 * dom0 is small and xsmond's idle footprint is a target (PSS <= 1 MiB,
 * scripts/bench/idle). glibc's defaults are tuned for throughput, not for
 * that: freed memory at the top of the heap is kept up to 128 KiB
 * (M_TRIM_THRESHOLD), every heap extension asks for 128 KiB more than
 * needed (M_TOP_PAD), and each thread that allocates (the xenstore lanes)
 * gets an arena of its own that keeps its pages after the job. xsmond's
 * allocations are few and rarely hot, so the syscalls these settings save
 * are not worth the memory: measured on the demo dom0, the idle heap went
 * from 248 to about 170 KiB. After the two jobs that allocate the most
 * and then free it (a full xenstore sync, a logfs scan), free pages in
 * the middle of the heap are handed back too.
 */
#include <malloc.h>

#include "xsmd.h"

#define XSMD_TRIM_THRESHOLD (16 * 1024)
#define XSMD_TOP_PAD (4 * 1024)

void
xsmd_memory_tune(void)
{
	/* Failure leaves glibc's default: more memory, nothing else. */
	(void)mallopt(M_TRIM_THRESHOLD, XSMD_TRIM_THRESHOLD);
	(void)mallopt(M_TOP_PAD, XSMD_TOP_PAD);
	(void)mallopt(M_ARENA_MAX, 1);
}

void
xsmd_memory_release(void)
{
	(void)malloc_trim(0);
}
