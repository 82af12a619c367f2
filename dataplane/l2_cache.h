/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_L2_CACHE_H
#define VSW_L2_CACHE_H

/*
 * DOC: the `normal` cache — what the L2 switch decided, per PMD
 *
 * `normal` (pmd_normal.c) finds the frame's domain, checks that the input
 * port is in it, learns the source MAC and looks the destination up: three
 * hash probes and a chain of dependent loads per frame, and the same answer
 * for every frame of a conversation. This cache keeps that answer per flow
 * (struct vsw_l2_flow: the MACs, the input port, the tunnel, the domain id)
 * for as long as it is exactly what `normal` would decide again, i.e. while
 * nothing it depends on changed (struct vsw_l2_epoch):
 *  - the published domains (a generation bumped on every publication:
 *    dp.h), which also keeps the cached domain and member pointers alive:
 *    a domain is freed only after a publication that bumps the generation
 *    and a grace period (vsw_dp_publish_domains());
 *  - the MAC table's entries (mac_table.h: a generation bumped on every
 *    learn, move and removal);
 *  - the second (the MAC table's clock): aging is in whole seconds, and
 *    the source's last-seen time is refreshed once per second, so the first
 *    frame of each second takes the full path and refreshes it, as before.
 * Only answers that repeat are kept: a frame whose source could not be
 * learned (limit, full table) takes the full path each time, so that every
 * such frame is counted. Whether a port is up is not kept: a flood looks at
 * the members' state for each frame.
 *
 * Layout: 2-way sets of one cache line per entry, indexed by a hash of the
 * flow without its domain id, so that the set can be prefetched as soon as
 * the frame's key is extracted (vsw_l2_cache_prefetch()). Private to one PMD
 * thread: no atomics. Plain C over forward-declared types: unit-tested alone.
 * The lookup is inline: it runs once per switched frame.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct vsw_domain;
struct vsw_domain_member;

/*
 * What `normal` looks at in a frame, as four words (made in registers: no
 * store and reload of bytes), compared whole:
 *   w[0] dl_dst, then dl_src's first two bytes    w[1] dl_src's last four, in_no
 *   w[2] the key's in_port, tun_src                w[3] tun_id, metadata (the domain id)
 * in_no is the port the frame came in on, VSW_L2_FROM_VXLAN set when it is
 * a VXLAN port; the key's in_port is the one rules may have rewritten.
 */
struct vsw_l2_flow {
	uint64_t w[4];
};
#define VSW_L2_FROM_VXLAN 0x80000000u

/* `macs`: the 12 bytes dl_dst then dl_src, as in struct vsw_flow_key. */
static inline struct vsw_l2_flow vsw_l2_flow_make(const uint8_t macs[12], uint32_t in_no,
						  uint32_t in_port, uint32_t tun_src,
						  uint32_t tun_id, uint32_t metadata)
{
	struct vsw_l2_flow f;
	uint32_t tail;

	memcpy(&f.w[0], macs, 8);
	memcpy(&tail, macs + 8, 4);
	f.w[1] = tail | (uint64_t)in_no << 32;
	f.w[2] = in_port | (uint64_t)tun_src << 32;
	f.w[3] = tun_id | (uint64_t)metadata << 32;
	return f;
}

/* The state the answer was computed from; an entry is valid in it only. */
struct vsw_l2_epoch {
	uint32_t domains; /* dp->domains_gen */
	uint32_t macs; /* vsw_mac_table_gen() */
	uint32_t second; /* vsw_dp_seconds() */
};

enum vsw_l2_verdict {
	VSW_L2_EMPTY = 0,
	VSW_L2_MEMBER, /* unicast to `member` */
	VSW_L2_VTEP, /* unicast VXLAN to `vtep` with inner tag `vlan` */
	VSW_L2_HERE, /* the destination is where the frame came from: nothing to send */
	VSW_L2_FLOOD, /* flood in the domain */
};

struct vsw_l2_entry {
	struct vsw_l2_flow flow;
	struct vsw_l2_epoch epoch;
	uint8_t verdict; /* enum vsw_l2_verdict */
	uint8_t pad;
	uint16_t vlan;
	const struct vsw_domain *domain;
	union {
		const struct vsw_domain_member *member;
		uint32_t vtep; /* IPv4, network order */
	};
};
_Static_assert(sizeof(struct vsw_l2_entry) == 64, "an entry is one cache line");

/* 2-way sets: one cache line each way (the layout above). */
struct vsw_l2_cache {
	struct vsw_l2_entry *e; /* sets * 2 entries, set s at e[2 * s] */
	uint32_t mask; /* sets - 1 */
};

/* A cache of at least `entries` (rounded up to a power of two, at least 2;
 * 0: the default); NULL and errno on failure. */
struct vsw_l2_cache *vsw_l2_cache_create(uint32_t entries);
void vsw_l2_cache_destroy(struct vsw_l2_cache *c);

/* The flow's set: a hash of everything but the domain id. */
static inline struct vsw_l2_entry *vsw_l2_cache_set(const struct vsw_l2_cache *c,
						    const struct vsw_l2_flow *f)
{
	const uint64_t *w = f->w;
	uint64_t h = w[0] * 0x9e3779b97f4a7c15ull ^ w[1] * 0xc2b2ae3d27d4eb4full ^
		     (w[2] ^ (uint32_t)w[3]) * 0x165667b19e3779f9ull;

	h ^= h >> 29;
	return &c->e[2 * (h & c->mask)];
}

/* `e` holds the flow `f` (in any epoch). */
static inline bool vsw_l2_same_flow(const struct vsw_l2_entry *e, const struct vsw_l2_flow *f)
{
	const uint64_t *ew = e->flow.w, *w = f->w;

	return ((ew[0] ^ w[0]) | (ew[1] ^ w[1]) | (ew[2] ^ w[2]) | (ew[3] ^ w[3])) == 0 &&
	       e->verdict != VSW_L2_EMPTY;
}

/* `e` holds a decision (for any flow) valid in `now`. */
static inline bool vsw_l2_valid_in(const struct vsw_l2_entry *e, const struct vsw_l2_epoch *now)
{
	return e->verdict != VSW_L2_EMPTY && e->epoch.second == now->second &&
	       e->epoch.macs == now->macs && e->epoch.domains == now->domains;
}

static inline bool vsw_l2_entry_is(const struct vsw_l2_entry *e, const struct vsw_l2_flow *f,
				   const struct vsw_l2_epoch *now)
{
	return vsw_l2_same_flow(e, f) && vsw_l2_valid_in(e, now);
}

/* The flow's valid entry in `now` among the two of `set`, or NULL. */
static inline const struct vsw_l2_entry *vsw_l2_set_find(const struct vsw_l2_entry *set,
							 const struct vsw_l2_flow *f,
							 const struct vsw_l2_epoch *now)
{
	if (vsw_l2_entry_is(&set[0], f, now))
		return &set[0];
	if (vsw_l2_entry_is(&set[1], f, now))
		return &set[1];
	return NULL;
}

/* The flow's valid entry in `now`, or NULL. */
static inline const struct vsw_l2_entry *vsw_l2_cache_find(const struct vsw_l2_cache *c,
							   const struct vsw_l2_flow *f,
							   const struct vsw_l2_epoch *now)
{
	return vsw_l2_set_find(vsw_l2_cache_set(c, f), f, now);
}

/* Bring the flow's set toward the CPU; returns it. */
static inline const struct vsw_l2_entry *vsw_l2_cache_prefetch(const struct vsw_l2_cache *c,
								const struct vsw_l2_flow *f)
{
	const struct vsw_l2_entry *set = vsw_l2_cache_set(c, f);

	__builtin_prefetch(&set[0]);
	__builtin_prefetch(&set[1]);
	return set;
}

/*
 * Keep `e` (its flow, epoch and answer) in the flow's set: over the flow's
 * old entry; else in way 0, whose entry moves to way 1 unless it is invalid
 * in `e`'s epoch (the most recent entry of a set is in way 0).
 */
void vsw_l2_cache_insert(struct vsw_l2_cache *c, const struct vsw_l2_entry *e);

#endif
