/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_HUGEMEM_H
#define VSW_HUGEMEM_H

/*
 * Big tables read at random on the data path (the flow cache, the MAC
 * table): zeroed memory in 2 MiB pages where the kernel gives them
 * (transparent huge pages, asked for with madvise(); Debian's default
 * policy is "madvise"), so that a lookup misses the TLB no more than it
 * misses the cache. A profile of `normal` with 2000 MACs spent more on the
 * page walks of the 8 MiB MAC table than on its cache misses. Without huge
 * pages the memory is ordinary pages: slower, same results.
 */

#include <stddef.h>

/* `size` bytes, zeroed, 64-byte aligned at least; NULL with errno set. */
void *vsw_huge_zalloc(size_t size);
void vsw_huge_free(void *p, size_t size); /* the size given to vsw_huge_zalloc() */

#endif
