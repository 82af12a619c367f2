/* SPDX-License-Identifier: BSD-3-Clause */
/* The VTEP table's snapshots (vtep.h). */
#include "vtep.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Entries sort by the address as a number (ntohl), so listings read naturally. */
static int cmp_ip(uint32_t a, uint32_t b)
{
	uint32_t x = ntohl(a), y = ntohl(b);

	return x < y ? -1 : x > y;
}

/* The index of `ip`, or of where it would go (*found false). */
static uint32_t search(const struct vsw_vteps *t, uint32_t ip, bool *found)
{
	uint32_t lo = 0, hi = t ? t->n : 0;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = cmp_ip(t->v[mid].ip, ip);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct vsw_vtep *vsw_vteps_find(const struct vsw_vteps *t, uint32_t ip)
{
	bool found;
	uint32_t i = search(t, ip, &found);

	return found ? &t->v[i] : NULL;
}

static struct vsw_vteps *alloc_table(uint32_t n)
{
	struct vsw_vteps *t = calloc(1, sizeof(*t) + n * sizeof(t->v[0]));

	if (t)
		t->n = n;
	return t;
}

struct vsw_vteps *vsw_vteps_with(const struct vsw_vteps *t, uint32_t ip, const uint8_t *mac)
{
	uint32_t n = t ? t->n : 0;
	bool found;
	uint32_t i = search(t, ip, &found);
	struct vsw_vteps *nt;
	struct vsw_vtep *e;

	if (!found && n >= VSW_MAX_VTEPS) {
		errno = ENOSPC;
		return NULL;
	}
	nt = alloc_table(found ? n : n + 1);
	if (!nt)
		return NULL;
	if (n)
		memcpy(nt->v, t->v, i * sizeof(t->v[0]));
	if (found) {
		memcpy(&nt->v[i], &t->v[i], (n - i) * sizeof(t->v[0]));
	} else {
		if (n > i)
			memcpy(&nt->v[i + 1], &t->v[i], (n - i) * sizeof(t->v[0]));
		memset(&nt->v[i], 0, sizeof(nt->v[i]));
		nt->v[i].stats = calloc(1, sizeof(*nt->v[i].stats));
		if (!nt->v[i].stats) {
			free(nt);
			errno = ENOMEM;
			return NULL;
		}
	}
	e = &nt->v[i];
	e->ip = ip;
	e->resolved = mac != NULL;
	memset(e->mac, 0, sizeof(e->mac));
	if (mac)
		memcpy(e->mac, mac, sizeof(e->mac));
	return nt;
}

struct vsw_vteps *vsw_vteps_without(const struct vsw_vteps *t, uint32_t ip,
				    struct vsw_vtep_stats **gone)
{
	bool found;
	uint32_t i = search(t, ip, &found);
	struct vsw_vteps *nt;

	if (!found) {
		errno = ENOENT;
		return NULL;
	}
	nt = alloc_table(t->n - 1);
	if (!nt)
		return NULL;
	memcpy(nt->v, t->v, i * sizeof(t->v[0]));
	memcpy(&nt->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(t->v[0]));
	*gone = t->v[i].stats;
	return nt;
}

void vsw_vteps_free(struct vsw_vteps *t, bool stats)
{
	if (!t)
		return;
	for (uint32_t i = 0; stats && i < t->n; i++)
		free(t->v[i].stats);
	free(t);
}
