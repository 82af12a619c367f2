/* SPDX-License-Identifier: BSD-3-Clause */
/* Zeroed memory for big random-access tables (hugemem.h). */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "hugemem.h"

#include <sys/mman.h>

#define HUGE_2M ((size_t)2 << 20)

static size_t round_up(size_t size)
{
	return (size + HUGE_2M - 1) & ~(HUGE_2M - 1);
}

void *vsw_huge_zalloc(size_t size)
{
	size_t len = round_up(size ? size : 1);
	/* Over-allocate by 2 MiB so that an aligned region of `len` fits. */
	char *raw = mmap(NULL, len + HUGE_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	char *p;

	if (raw == MAP_FAILED)
		return NULL;
	p = (char *)(((size_t)raw + HUGE_2M - 1) & ~(HUGE_2M - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (p + len < raw + len + HUGE_2M)
		munmap(p + len, (size_t)(raw + len + HUGE_2M - (p + len)));
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
	return p; /* anonymous mappings are zeroed */
}

void vsw_huge_free(void *p, size_t size)
{
	if (p)
		munmap(p, round_up(size ? size : 1));
}
