/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_MAC_TABLE_H
#define VSW_MAC_TABLE_H

/*
 * DOC: the MAC learning table — (domain slot, MAC) -> (port, VTEP)
 *
 * One table for the whole dataplane, shared by every PMD thread (the `normal`
 * action, pmd_normal.c) and the control thread (aging sweep, flushes,
 * listing). Pure C11 with atomics: no DPDK, so unit tests run it alone.
 *
 * Layout: open addressing over cache-line buckets of three entries, probed
 * linearly bucket after bucket from the key's home bucket, at most
 * VSW_MAC_MAX_PROBE buckets. The key is one 64-bit word: the domain slot in
 * the top 16 bits, the MAC below (0 is an empty entry, 1 a deleted one).
 * The value is one 64-bit word too (port number, VTEP address), and the
 * last-seen time a 32-bit word of seconds. Entries never move and nothing is
 * ever freed while the table lives, so readers need no RCU.
 *
 * Thread safety:
 *  - lookups (any thread) take no lock: read the key, the value and the
 *    time, then the key again; a changed key means the entry was reused
 *    under the reader and the result is discarded (a miss). Values are
 *    single words, so a result is never torn: the value returned is one
 *    that was stored for that key.
 *  - refreshing the last-seen time of a known MAC on the same port is a
 *    relaxed store, no lock, and only once per second per MAC;
 *  - everything else that writes (learning a new MAC, moving one, the
 *    sweep, flushes) is serialized by one small spinlock. Learning is rare
 *    next to forwarding, so the lock is hardly ever contended.
 *
 * A lookup or learn that meets the concurrent deletion or insertion of its
 * own key may miss it: the caller floods (lookup) or takes the lock and looks
 * again (learn), so a race costs a flood, never a wrong port.
 *
 * Limits: each domain slot has a MAC limit; a new MAC beyond it is not
 * learned and counted (`limit_hits`). Slots may share one count
 * (vsw_mac_slot_group: a tenant's segments, so that a tenant with many
 * VLANs still learns at most its limit in all): a slot's new MAC is then
 * refused when the entries of every slot of its group reach its limit. The table has a fixed capacity chosen
 * at creation; when it is reached (or, very unlikely below it, when no free
 * entry lies within the probe window) a new MAC is not learned and counted
 * (`full`, on the domain that tried). Aging: an entry not seen for more than
 * the domain's `aging` seconds is absent for lookups at once, and removed
 * (counted `aged`) by the next sweep.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VSW_MAC_MAX_PROBE 16 /* buckets a key may be away from its home */
#define VSW_MAC_ALL_SLOTS 0 /* flush/list/foreach: every domain slot */

struct vsw_mac_table;

/* What a MAC is behind. */
struct vsw_mac_val {
	uint32_t port_no; /* the port it was learned on */
	uint32_t vtep; /* IPv4, network order: the remote VTEP behind that port; 0 = none */
};

static inline bool vsw_mac_val_eq(struct vsw_mac_val a, struct vsw_mac_val b)
{
	return a.port_no == b.port_no && a.vtep == b.vtep;
}

/* One entry, as listing and flushing see it. */
struct vsw_mac_entry {
	uint16_t slot;
	uint8_t mac[6];
	struct vsw_mac_val val;
	uint32_t seen; /* seconds, the caller's clock */
};

/* What vsw_mac_learn() did. */
enum vsw_mac_learned {
	VSW_MAC_KNOWN, /* already there, same value (seen time refreshed) */
	VSW_MAC_NEW, /* learned */
	VSW_MAC_MOVED, /* known with another value: the value changed */
	VSW_MAC_LIMIT, /* new, but the domain is at its MAC limit: not learned */
	VSW_MAC_FULL, /* new, but the table is full: not learned */
};

/* Counters of one domain slot. */
struct vsw_mac_slot_stats {
	uint32_t macs; /* entries now (aged ones until the sweep removes them) */
	uint64_t learned, moved, aged, limit_hits, full;
};

/*
 * A table for `capacity` entries (at least 1) and domain slots
 * 1..n_slots-1. NULL and errno (EINVAL, ENOMEM) on failure.
 */
struct vsw_mac_table *vsw_mac_table_create(uint32_t capacity, uint16_t n_slots);
void vsw_mac_table_destroy(struct vsw_mac_table *t);
uint32_t vsw_mac_table_capacity(const struct vsw_mac_table *t);
uint32_t vsw_mac_table_count(const struct vsw_mac_table *t); /* entries now */
/*
 * Any thread: the table's generation, bumped after every change of what a
 * lookup can find (a MAC learned, moved, learned afresh after aging, or
 * removed; not a refreshed last-seen time). A thread that reads generation
 * g and then looks up sees every change made before g: what it found stays
 * true, at the same second (aging), while the generation is still g.
 */
uint32_t vsw_mac_table_gen(const struct vsw_mac_table *t);

/*
 * Any thread, lock-free: the value for (slot, mac) unless absent or not seen
 * for more than `aging` seconds at time `now`.
 */
bool vsw_mac_lookup(const struct vsw_mac_table *t, uint16_t slot, const uint8_t mac[6],
		    uint32_t now, uint32_t aging, struct vsw_mac_val *val);

/*
 * Any thread: (slot, mac) was seen behind `val` at `now`. Lock-free when the
 * MAC is known with that value; otherwise learns or moves it under the lock,
 * within the slot's limit and the table's capacity. An entry older than
 * `aging` is learned afresh (counted `aged` and `learned`).
 */
enum vsw_mac_learned vsw_mac_learn(struct vsw_mac_table *t, uint16_t slot,
				   const uint8_t mac[6], struct vsw_mac_val val, uint32_t now,
				   uint32_t aging);

/*
 * Control thread. A slot that takes a new domain starts with zero counters
 * (it must hold no entries: flush it when its domain goes); a domain that is
 * replaced keeps its slot, entries and counters and only changes settings.
 */
void vsw_mac_slot_reset(struct vsw_mac_table *t, uint16_t slot, uint32_t limit, uint32_t aging);
void vsw_mac_slot_config(struct vsw_mac_table *t, uint16_t slot, uint32_t limit, uint32_t aging);
/*
 * Control thread: count `slot`'s entries, against its limit, together with
 * those of every slot whose head is `head` (0 or `slot`: alone again). One
 * level: a head's own group does not matter to the others. A slot that
 * stops being a head must first see the slots of its group sent elsewhere.
 */
void vsw_mac_slot_group(struct vsw_mac_table *t, uint16_t slot, uint16_t head);
void vsw_mac_slot_stats(const struct vsw_mac_table *t, uint16_t slot,
			struct vsw_mac_slot_stats *st);

/*
 * Remove the entries of `slot` (VSW_MAC_ALL_SLOTS: of every slot) for which
 * `drop` returns true (NULL: all of them). Returns how many went. Not
 * counted as aged.
 */
size_t vsw_mac_flush(struct vsw_mac_table *t, uint16_t slot,
		     bool (*drop)(const struct vsw_mac_entry *e, void *arg), void *arg);

/* Remove the entries not seen for more than their slot's aging; counted `aged`. */
size_t vsw_mac_sweep(struct vsw_mac_table *t, uint32_t now);

/*
 * Call `fn` for every entry of `slot` (VSW_MAC_ALL_SLOTS: every slot) that a
 * lookup at `now` would find. Lock-free; concurrent changes may or may not
 * be seen. Returns the number of calls.
 */
size_t vsw_mac_foreach(const struct vsw_mac_table *t, uint16_t slot, uint32_t now,
		       void (*fn)(const struct vsw_mac_entry *e, void *arg), void *arg);

#endif
