/* SPDX-License-Identifier: BSD-3-Clause */
/* The `normal` cache's memory and replacement (l2_cache.h). */
#include "l2_cache.h"

#include <errno.h>
#include <stdlib.h>

#include "hugemem.h"

#define DEFAULT_ENTRIES 16384 /* 1 MiB: 8192 conversations without a conflict miss to speak of */

static size_t bytes(const struct vsw_l2_cache *c)
{
	return ((size_t)c->mask + 1) * 2 * sizeof(struct vsw_l2_entry);
}

struct vsw_l2_cache *vsw_l2_cache_create(uint32_t entries)
{
	struct vsw_l2_cache *c;
	uint32_t sets = 1;

	if (!entries)
		entries = DEFAULT_ENTRIES;
	if (entries > 1u << 26) {
		errno = EINVAL;
		return NULL;
	}
	while (sets * 2 < entries)
		sets <<= 1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->mask = sets - 1;
	c->e = vsw_huge_zalloc(bytes(c)); /* read at random: hugemem.h */
	if (!c->e) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void vsw_l2_cache_destroy(struct vsw_l2_cache *c)
{
	if (!c)
		return;
	vsw_huge_free(c->e, bytes(c));
	free(c);
}

void vsw_l2_cache_insert(struct vsw_l2_cache *c, const struct vsw_l2_entry *e)
{
	struct vsw_l2_entry *set = vsw_l2_cache_set(c, &e->flow);

	if (vsw_l2_same_flow(&set[1], &e->flow)) {
		set[1] = *e;
		return;
	}
	if (!vsw_l2_same_flow(&set[0], &e->flow) && vsw_l2_valid_in(&set[0], &e->epoch))
		set[1] = set[0];
	set[0] = *e;
}
