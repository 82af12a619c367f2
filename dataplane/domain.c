/* SPDX-License-Identifier: BSD-3-Clause */
/* L2 domains and their published set (domain.h). Control thread only. */
#include "domain.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int by_port(const void *a, const void *b)
{
	uint32_t x = ((const struct vsw_domain_member *)a)->port_no;
	uint32_t y = ((const struct vsw_domain_member *)b)->port_no;

	return x < y ? -1 : x > y;
}

static struct vsw_domain *alloc_domain(uint16_t n_members, uint16_t n_vteps)
{
	struct vsw_domain *d = calloc(1, sizeof(*d) + n_members * sizeof(d->members[0]) +
						 n_vteps * sizeof(d->vteps[0]));

	if (!d)
		return NULL;
	d->members = (struct vsw_domain_member *)(d + 1);
	d->vteps = (struct vsw_domain_vtep *)(d->members + n_members);
	d->n_members = n_members;
	d->n_vteps = n_vteps;
	return d;
}

static void resolve(struct vsw_domain *d, const struct vsw_portset *ports)
{
	for (uint16_t i = 0; i < d->n_members; i++)
		d->members[i].port = vsw_portset_by_no(ports, d->members[i].port_no);
}

struct vsw_domain *vsw_domain_new(uint32_t id, uint16_t slot, uint32_t mac_limit,
				  uint32_t aging, uint32_t vni,
				  const struct vsw_domain_member *members, uint16_t n_members,
				  const struct vsw_domain_vtep *vteps, uint16_t n_vteps,
				  const struct vsw_portset *ports)
{
	struct vsw_domain *d = alloc_domain(n_members, n_vteps);

	if (!d)
		return NULL;
	d->id = id;
	d->slot = slot;
	d->mac_limit = mac_limit;
	d->aging = aging;
	d->vni = vni;
	if (n_members)
		memcpy(d->members, members, n_members * sizeof(*members));
	if (n_vteps)
		memcpy(d->vteps, vteps, n_vteps * sizeof(*vteps));
	qsort(d->members, n_members, sizeof(*members), by_port);
	resolve(d, ports);
	return d;
}

struct vsw_domain *vsw_domain_resolved(const struct vsw_domain *d,
				       const struct vsw_portset *ports)
{
	struct vsw_domain *n = vsw_domain_new(d->id, d->slot, d->mac_limit, d->aging, d->vni,
					      d->members, d->n_members, d->vteps, d->n_vteps,
					      ports);

	if (n)
		n->limit_group = d->limit_group;
	return n;
}

bool vsw_domain_stale(const struct vsw_domain *d, const struct vsw_portset *ports)
{
	for (uint16_t i = 0; i < d->n_members; i++)
		if (d->members[i].port != vsw_portset_by_no(ports, d->members[i].port_no))
			return true;
	return false;
}

void vsw_domain_free(struct vsw_domain *d)
{
	free(d);
}

/* --- sets ------------------------------------------------------------------ */

/* A set for `n` domains: the list is the caller's to fill, then index(). */
static struct vsw_domset *alloc_set(uint32_t n)
{
	uint32_t size = 1;
	struct vsw_domset *s;

	while (size < 2 * n)
		size <<= 1;
	s = calloc(1, sizeof(*s) + (n + size) * sizeof(struct vsw_domain *));
	if (!s)
		return NULL;
	s->n = n;
	s->mask = size - 1;
	s->list = (struct vsw_domain **)(s + 1);
	s->hash = s->list + n;
	return s;
}

static void index_set(struct vsw_domset *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		uint32_t h = vsw_domain_hash(s->list[i]->id) & s->mask;

		while (s->hash[h])
			h = (h + 1) & s->mask;
		s->hash[h] = s->list[i];
	}
}

struct vsw_domset *vsw_domset_empty(void)
{
	return alloc_set(0);
}

struct vsw_domset *vsw_domset_with(const struct vsw_domset *s, struct vsw_domain *d)
{
	uint32_t n = s ? s->n : 0, at = 0, j = 0;
	bool replace;
	struct vsw_domset *next;

	while (at < n && s->list[at]->id < d->id)
		at++;
	replace = at < n && s->list[at]->id == d->id;
	next = alloc_set(replace ? n : n + 1);
	if (!next)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		if (i == at)
			next->list[j++] = d;
		if (!(i == at && replace))
			next->list[j++] = s->list[i];
	}
	if (at == n)
		next->list[j++] = d;
	index_set(next);
	return next;
}

struct vsw_domset *vsw_domset_without(const struct vsw_domset *s, uint32_t id)
{
	uint32_t n = s ? s->n : 0, j = 0;
	bool there = false;
	struct vsw_domset *next;

	for (uint32_t i = 0; i < n; i++)
		there |= s->list[i]->id == id;
	next = alloc_set(there ? n - 1 : n);
	if (!next)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (s->list[i]->id != id)
			next->list[j++] = s->list[i];
	index_set(next);
	return next;
}

struct vsw_domset *vsw_domset_resolved(const struct vsw_domset *s,
				       const struct vsw_portset *ports)
{
	struct vsw_domset *next = alloc_set(s ? s->n : 0);

	if (!next)
		return NULL;
	for (uint32_t i = 0; i < next->n; i++) {
		next->list[i] = s->list[i];
		if (vsw_domain_stale(s->list[i], ports) &&
		    !(next->list[i] = vsw_domain_resolved(s->list[i], ports))) {
			while (i--)
				if (next->list[i] != s->list[i])
					vsw_domain_free(next->list[i]);
			free(next);
			return NULL;
		}
	}
	index_set(next);
	return next;
}

void vsw_domset_free(struct vsw_domset *s)
{
	free(s);
}

int vsw_domset_free_slot(const struct vsw_domset *s)
{
	static const size_t words = VSW_MAX_DOMAINS / 64;
	uint64_t used[VSW_MAX_DOMAINS / 64] = { 1 }; /* slot 0 is never a domain */

	for (uint32_t i = 0; s && i < s->n; i++)
		used[s->list[i]->slot / 64] |= 1ull << (s->list[i]->slot % 64);
	for (size_t w = 0; w < words; w++)
		if (~used[w])
			return (int)(w * 64 + (size_t)__builtin_ctzll(~used[w]));
	return -ENOSPC;
}
