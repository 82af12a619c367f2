/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow records by rule identity: see flowidx.h. */
#include "flowidx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define EMPTY SIZE_MAX
#define MIN_SLOTS 64

void vsw_flowidx_init(struct vsw_flowidx *idx)
{
	memset(idx, 0, sizeof(*idx));
}

void vsw_flowidx_free(struct vsw_flowidx *idx)
{
	free(idx->slots);
	vsw_flowidx_init(idx);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* The match is a whole number of 64-bit words (flow.h asserts it). */
static uint64_t hash_ident(uint8_t table, uint16_t priority, const struct vsw_match *m)
{
	const unsigned char *p = (const unsigned char *)m;
	uint64_t h = ((uint64_t)table << 16) | priority, w;

	for (size_t i = 0; i < sizeof(*m); i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		h = mix(h, w);
	}
	return mix(h, sizeof(*m));
}

static bool same(const struct vsw_flow_rec *r, uint8_t table, uint16_t priority,
		 const struct vsw_match *m)
{
	return r->table == table && r->priority == priority &&
	       memcmp(&r->match, m, sizeof(*m)) == 0;
}

static void place(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t pos)
{
	const struct vsw_flow_rec *r = &recs[pos];
	size_t mask = idx->n_slots - 1;
	size_t i = hash_ident(r->table, r->priority, &r->match) & mask;

	while (idx->slots[i] != EMPTY)
		i = (i + 1) & mask;
	idx->slots[i] = pos;
	idx->n++;
}

/* A table with n_slots slots, every entry placed again. */
static int resize(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t n_slots)
{
	size_t *old = idx->slots, old_n = idx->n_slots;

	idx->slots = malloc(n_slots * sizeof(*idx->slots));
	if (!idx->slots) {
		idx->slots = old;
		return -ENOMEM;
	}
	memset(idx->slots, 0xff, n_slots * sizeof(*idx->slots)); /* EMPTY */
	idx->n_slots = n_slots;
	idx->n = 0;
	for (size_t i = 0; i < old_n; i++)
		if (old[i] != EMPTY)
			place(idx, recs, old[i]);
	free(old);
	return 0;
}

static size_t slots_for(size_t total)
{
	size_t n = MIN_SLOTS;

	while (n / 2 < total)
		n *= 2;
	return n;
}

int vsw_flowidx_reserve(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t total)
{
	size_t want = slots_for(total);

	return want <= idx->n_slots ? 0 : resize(idx, recs, want);
}

long vsw_flowidx_find(const struct vsw_flowidx *idx, const struct vsw_flow_rec *recs,
		      uint8_t table, uint16_t priority, const struct vsw_match *match)
{
	size_t mask, i;

	if (!idx->n_slots)
		return -1;
	mask = idx->n_slots - 1;
	for (i = hash_ident(table, priority, match) & mask; idx->slots[i] != EMPTY;
	     i = (i + 1) & mask)
		if (same(&recs[idx->slots[i]], table, priority, match))
			return (long)idx->slots[i];
	return -1;
}

int vsw_flowidx_insert(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t pos)
{
	if (idx->n_slots / 2 < idx->n + 1) {
		int rc = resize(idx, recs, slots_for(idx->n + 1));

		if (rc)
			return rc;
	}
	place(idx, recs, pos);
	return 0;
}

void vsw_flowidx_rebuild(struct vsw_flowidx *idx, const struct vsw_flow_rec *recs, size_t n)
{
	if (idx->n_slots)
		memset(idx->slots, 0xff, idx->n_slots * sizeof(*idx->slots));
	idx->n = 0;
	for (size_t i = 0; i < n; i++)
		place(idx, recs, i);
}
