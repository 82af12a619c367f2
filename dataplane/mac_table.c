/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MAC learning table (mac_table.h): lock-free lookups, learning under a
 * small lock, deleted entries as tombstones that go back to empty as soon as
 * nothing probes through them.
 *
 * Positions: entry w of bucket b is position b * WAYS + w; a key's probe
 * run goes through its home bucket's positions in order, then the next
 * bucket's, and so on. Invariant: between a key's home and its position
 * there is no empty entry (an insert takes the first free one; a tombstone
 * becomes empty only when the position after it is empty). So a lookup stops
 * at the first bucket with an empty entry.
 *
 * Reusing an entry: the writer fences (release) before it writes the new
 * value; a reader that read that value and then fences (acquire) sees the
 * entry's key changed when it reads it again, and discards what it read.
 */
#include "mac_table.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hugemem.h"

/* Between reading an entry's key and its value: where a test widens the race. */
#ifndef VSW_MAC_READ_WINDOW
#define VSW_MAC_READ_WINDOW() ((void)0)
#endif

#define WAYS 3
#define KEY_EMPTY 0u
#define KEY_TOMB 1u /* slot 0 is never a domain: no real key is 0 or 1 */

struct bucket {
	_Atomic uint64_t key[WAYS];
	_Atomic uint64_t val[WAYS]; /* vtep << 32 | port_no */
	_Atomic uint32_t seen[WAYS];
	uint32_t pad;
};
_Static_assert(sizeof(struct bucket) == 64, "a bucket is one cache line");

struct slot_info {
	_Atomic uint32_t count; /* under the lock */
	_Atomic uint32_t limit;
	_Atomic uint32_t aging;
	_Atomic uint32_t gcount; /* entries of the slots whose group head this is; under the lock */
	_Atomic uint16_t group; /* the group's head slot, 0: itself; changed under the lock */
	_Atomic uint64_t learned, moved, aged, limit_hits, full;
};

struct vsw_mac_table {
	struct bucket *b;
	size_t mask; /* buckets - 1 */
	size_t n_pos; /* buckets * WAYS */
	unsigned int probe; /* buckets a probe run may cover */
	uint32_t capacity;
	uint16_t n_slots;
	struct slot_info *slots;
	_Alignas(64) _Atomic uint32_t count; /* entries, under the lock */
	_Atomic uint32_t gen; /* bumped after every change of what lookups find; under the lock */
	_Alignas(64) atomic_bool lock;
};

/* --- keys, values, time -------------------------------------------------- */

static inline uint64_t mkkey(uint16_t slot, const uint8_t mac[6])
{
	return (uint64_t)slot << 48 | (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
	       (uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];
}

static void key_mac(uint64_t key, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(key >> (40 - 8 * i));
}

static inline uint64_t pack(struct vsw_mac_val v)
{
	return (uint64_t)v.vtep << 32 | v.port_no;
}

static inline struct vsw_mac_val unpack(uint64_t v)
{
	return (struct vsw_mac_val){ .port_no = (uint32_t)v, .vtep = (uint32_t)(v >> 32) };
}

static inline size_t home(const struct vsw_mac_table *t, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & t->mask;
}

/* Not seen for more than `aging` seconds (the clocks of two threads may cross). */
static inline bool stale(uint32_t now, uint32_t seen, uint32_t aging)
{
	return (int32_t)(now - seen) > (int32_t)aging;
}

static inline _Atomic uint64_t *key_at(const struct vsw_mac_table *t, size_t pos)
{
	return &t->b[pos / WAYS].key[pos % WAYS];
}

/* --- the lock ------------------------------------------------------------ */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void lock(struct vsw_mac_table *t)
{
	while (atomic_exchange_explicit(&t->lock, true, memory_order_acquire))
		while (atomic_load_explicit(&t->lock, memory_order_relaxed))
			cpu_relax();
}

static void unlock(struct vsw_mac_table *t)
{
	atomic_store_explicit(&t->lock, false, memory_order_release);
}

static inline void bump(_Atomic uint64_t *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* Under the lock, after a change: a reader that sees the new generation sees the change. */
static inline void changed(struct vsw_mac_table *t)
{
	atomic_store_explicit(&t->gen, atomic_load_explicit(&t->gen, memory_order_relaxed) + 1,
			      memory_order_release);
}

/* --- probing ------------------------------------------------------------- */

struct hit {
	size_t pos;
	uint64_t val;
	uint32_t seen;
};

/* Lock-free: the entry of `key`, read consistently. */
static inline bool find(const struct vsw_mac_table *t, uint64_t key, struct hit *h)
{
	size_t b = home(t, key);

	for (unsigned int i = 0; i < t->probe; i++, b = (b + 1) & t->mask) {
		struct bucket *bk = &t->b[b];
		bool empty = false;

		for (unsigned int w = 0; w < WAYS; w++) {
			uint64_t k = atomic_load_explicit(&bk->key[w], memory_order_relaxed);

			if (k == key) {
				atomic_thread_fence(memory_order_acquire);
				VSW_MAC_READ_WINDOW();
				h->val = atomic_load_explicit(&bk->val[w], memory_order_relaxed);
				h->seen = atomic_load_explicit(&bk->seen[w], memory_order_relaxed);
				atomic_thread_fence(memory_order_acquire);
				if (atomic_load_explicit(&bk->key[w], memory_order_relaxed) != key)
					return false; /* reused under us */
				h->pos = b * WAYS + w;
				return true;
			}
			empty |= k == KEY_EMPTY;
		}
		if (empty)
			return false;
	}
	return false;
}

/*
 * Under the lock: the position of `key` (*found), else the first free one
 * in its probe window, else -1.
 */
static long find_for_insert(const struct vsw_mac_table *t, uint64_t key, bool *found)
{
	size_t b = home(t, key);
	long free_pos = -1;

	*found = false;
	for (unsigned int i = 0; i < t->probe; i++, b = (b + 1) & t->mask) {
		bool empty = false;

		for (unsigned int w = 0; w < WAYS; w++) {
			uint64_t k = atomic_load_explicit(&t->b[b].key[w], memory_order_relaxed);

			if (k == key) {
				*found = true;
				return (long)(b * WAYS + w);
			}
			if (k <= KEY_TOMB && free_pos < 0)
				free_pos = (long)(b * WAYS + w);
			empty |= k == KEY_EMPTY;
		}
		if (empty)
			break;
	}
	return free_pos;
}

/* Under the lock: fill a free position. */
static void put(struct vsw_mac_table *t, size_t pos, uint64_t key, uint64_t val, uint32_t now)
{
	struct bucket *bk = &t->b[pos / WAYS];
	unsigned int w = pos % WAYS;

	atomic_thread_fence(memory_order_release); /* a reader of the new value sees the old key gone */
	atomic_store_explicit(&bk->val[w], val, memory_order_relaxed);
	atomic_store_explicit(&bk->seen[w], now, memory_order_relaxed);
	atomic_store_explicit(&bk->key[w], key, memory_order_release);
	changed(t);
}

/* The slot whose `gcount` counts `slot`'s entries against its limit. */
static inline struct slot_info *head_of(struct vsw_mac_table *t, uint16_t slot)
{
	uint16_t g = atomic_load_explicit(&t->slots[slot].group, memory_order_relaxed);

	return &t->slots[g ? g : slot];
}

static inline bool at_limit(struct vsw_mac_table *t, uint16_t slot)
{
	return atomic_load_explicit(&head_of(t, slot)->gcount, memory_order_relaxed) >=
	       atomic_load_explicit(&t->slots[slot].limit, memory_order_relaxed);
}

static inline void add_u32(_Atomic uint32_t *v, uint32_t n, bool up)
{
	uint32_t old = atomic_load_explicit(v, memory_order_relaxed);

	atomic_store_explicit(v, up ? old + n : old - n, memory_order_relaxed);
}

/* Under the lock: delete the entry at `pos` and keep the counts. */
static void del_at(struct vsw_mac_table *t, size_t pos)
{
	uint64_t key = atomic_load_explicit(key_at(t, pos), memory_order_relaxed);
	struct slot_info *si = &t->slots[key >> 48];
	size_t next = (pos + 1) % t->n_pos;

	if (atomic_load_explicit(key_at(t, next), memory_order_relaxed) != KEY_EMPTY) {
		atomic_store_explicit(key_at(t, pos), KEY_TOMB, memory_order_release);
	} else {
		/* Nothing probes through here: empty, and the tombstones before it too. */
		atomic_store_explicit(key_at(t, pos), KEY_EMPTY, memory_order_release);
		for (size_t n = 1, p = (pos + t->n_pos - 1) % t->n_pos;
		     n < t->n_pos &&
		     atomic_load_explicit(key_at(t, p), memory_order_relaxed) == KEY_TOMB;
		     n++, p = (p + t->n_pos - 1) % t->n_pos)
			atomic_store_explicit(key_at(t, p), KEY_EMPTY, memory_order_release);
	}
	atomic_store_explicit(&si->count, atomic_load_explicit(&si->count, memory_order_relaxed) - 1,
			      memory_order_relaxed);
	add_u32(&head_of(t, (uint16_t)(key >> 48))->gcount, 1, false);
	atomic_store_explicit(&t->count, atomic_load_explicit(&t->count, memory_order_relaxed) - 1,
			      memory_order_relaxed);
	changed(t);
}

/* --- lookups and learning ------------------------------------------------ */

static inline bool slot_ok(const struct vsw_mac_table *t, uint16_t slot)
{
	return slot != 0 && slot < t->n_slots;
}

bool vsw_mac_lookup(const struct vsw_mac_table *t, uint16_t slot, const uint8_t mac[6],
		    uint32_t now, uint32_t aging, struct vsw_mac_val *val)
{
	struct hit h;

	if (!slot_ok(t, slot) || !find(t, mkkey(slot, mac), &h) || stale(now, h.seen, aging))
		return false;
	*val = unpack(h.val);
	return true;
}

static enum vsw_mac_learned learn_locked(struct vsw_mac_table *t, uint16_t slot, uint64_t key,
					 uint64_t val, uint32_t now, uint32_t aging)
{
	struct slot_info *si = &t->slots[slot];
	enum vsw_mac_learned r;
	bool found;
	long pos;

	lock(t);
	pos = find_for_insert(t, key, &found);
	if (found) {
		struct bucket *bk = &t->b[pos / WAYS];
		unsigned int w = pos % WAYS;
		uint32_t seen = atomic_load_explicit(&bk->seen[w], memory_order_relaxed);

		if (stale(now, seen, aging)) {
			bump(&si->aged);
			bump(&si->learned);
			r = VSW_MAC_NEW;
		} else if (atomic_load_explicit(&bk->val[w], memory_order_relaxed) != val) {
			bump(&si->moved);
			r = VSW_MAC_MOVED;
		} else {
			r = VSW_MAC_KNOWN; /* another thread learned it just now */
		}
		atomic_store_explicit(&bk->val[w], val, memory_order_relaxed);
		atomic_store_explicit(&bk->seen[w], now, memory_order_relaxed);
		if (r != VSW_MAC_KNOWN)
			changed(t);
	} else if (at_limit(t, slot)) {
		bump(&si->limit_hits);
		r = VSW_MAC_LIMIT;
	} else if (pos < 0 || atomic_load_explicit(&t->count, memory_order_relaxed) >= t->capacity) {
		bump(&si->full);
		r = VSW_MAC_FULL;
	} else {
		put(t, (size_t)pos, key, val, now);
		atomic_store_explicit(&si->count,
				      atomic_load_explicit(&si->count, memory_order_relaxed) + 1,
				      memory_order_relaxed);
		add_u32(&head_of(t, slot)->gcount, 1, true);
		atomic_store_explicit(&t->count,
				      atomic_load_explicit(&t->count, memory_order_relaxed) + 1,
				      memory_order_relaxed);
		bump(&si->learned);
		r = VSW_MAC_NEW;
	}
	unlock(t);
	return r;
}

enum vsw_mac_learned vsw_mac_learn(struct vsw_mac_table *t, uint16_t slot,
				   const uint8_t mac[6], struct vsw_mac_val val, uint32_t now,
				   uint32_t aging)
{
	uint64_t key = mkkey(slot, mac), v = pack(val);
	struct slot_info *si;
	struct hit h;

	if (!slot_ok(t, slot))
		return VSW_MAC_FULL;
	si = &t->slots[slot];
	if (find(t, key, &h)) {
		if (h.val == v && !stale(now, h.seen, aging)) {
			if ((int32_t)(now - h.seen) > 0)
				atomic_store_explicit(&t->b[h.pos / WAYS].seen[h.pos % WAYS], now,
						      memory_order_relaxed);
			return VSW_MAC_KNOWN;
		}
	} else if (at_limit(t, slot)) {
		bump(&si->limit_hits); /* no lock for a domain at its limit */
		return VSW_MAC_LIMIT;
	}
	return learn_locked(t, slot, key, v, now, aging);
}

/* --- the control thread -------------------------------------------------- */

struct vsw_mac_table *vsw_mac_table_create(uint32_t capacity, uint16_t n_slots)
{
	struct vsw_mac_table *t;
	size_t buckets = 1;

	if (capacity == 0 || capacity > (1u << 30) || n_slots < 2) {
		errno = EINVAL;
		return NULL;
	}
	while (buckets * 2 < capacity) /* three ways, at most two thirds full */
		buckets <<= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->mask = buckets - 1;
	t->b = vsw_huge_zalloc(buckets * sizeof(struct bucket)); /* random access: hugemem.h */
	t->slots = calloc(n_slots, sizeof(*t->slots));
	if (!t->b || !t->slots) {
		vsw_mac_table_destroy(t);
		errno = ENOMEM;
		return NULL;
	}
	t->n_pos = buckets * WAYS;
	t->probe = buckets < VSW_MAC_MAX_PROBE ? (unsigned int)buckets : VSW_MAC_MAX_PROBE;
	t->capacity = capacity;
	t->n_slots = n_slots;
	return t;
}

void vsw_mac_table_destroy(struct vsw_mac_table *t)
{
	if (!t)
		return;
	vsw_huge_free(t->b, (t->mask + 1) * sizeof(struct bucket));
	free(t->slots);
	free(t);
}

uint32_t vsw_mac_table_capacity(const struct vsw_mac_table *t)
{
	return t->capacity;
}

uint32_t vsw_mac_table_count(const struct vsw_mac_table *t)
{
	return atomic_load_explicit(&t->count, memory_order_relaxed);
}

uint32_t vsw_mac_table_gen(const struct vsw_mac_table *t)
{
	return atomic_load_explicit(&t->gen, memory_order_acquire);
}

void vsw_mac_slot_reset(struct vsw_mac_table *t, uint16_t slot, uint32_t limit, uint32_t aging)
{
	struct slot_info *si;

	if (!slot_ok(t, slot))
		return;
	si = &t->slots[slot];
	atomic_store(&si->learned, 0);
	atomic_store(&si->moved, 0);
	atomic_store(&si->aged, 0);
	atomic_store(&si->limit_hits, 0);
	atomic_store(&si->full, 0);
	atomic_store(&si->group, 0);
	atomic_store(&si->gcount, 0);
	vsw_mac_slot_config(t, slot, limit, aging);
}

void vsw_mac_slot_group(struct vsw_mac_table *t, uint16_t slot, uint16_t head)
{
	struct slot_info *si;
	uint32_t n;

	if (!slot_ok(t, slot) || (head && !slot_ok(t, head)))
		return;
	si = &t->slots[slot];
	if (head == slot)
		head = 0;
	if (atomic_load_explicit(&si->group, memory_order_relaxed) == head)
		return;
	lock(t);
	n = atomic_load_explicit(&si->count, memory_order_relaxed);
	add_u32(&head_of(t, slot)->gcount, n, false);
	atomic_store_explicit(&si->group, head, memory_order_relaxed);
	add_u32(&head_of(t, slot)->gcount, n, true);
	unlock(t);
}

void vsw_mac_slot_config(struct vsw_mac_table *t, uint16_t slot, uint32_t limit, uint32_t aging)
{
	if (!slot_ok(t, slot))
		return;
	atomic_store(&t->slots[slot].limit, limit);
	atomic_store(&t->slots[slot].aging, aging > INT32_MAX ? INT32_MAX : aging);
}

void vsw_mac_slot_stats(const struct vsw_mac_table *t, uint16_t slot,
			struct vsw_mac_slot_stats *st)
{
	const struct slot_info *si;

	memset(st, 0, sizeof(*st));
	if (!slot_ok(t, slot))
		return;
	si = &t->slots[slot];
	st->macs = atomic_load_explicit(&si->count, memory_order_relaxed);
	st->learned = atomic_load_explicit(&si->learned, memory_order_relaxed);
	st->moved = atomic_load_explicit(&si->moved, memory_order_relaxed);
	st->aged = atomic_load_explicit(&si->aged, memory_order_relaxed);
	st->limit_hits = atomic_load_explicit(&si->limit_hits, memory_order_relaxed);
	st->full = atomic_load_explicit(&si->full, memory_order_relaxed);
}

/* A consistent copy of the live entry at `pos`, lock-free; false if none. */
static bool read_entry(const struct vsw_mac_table *t, size_t pos, struct vsw_mac_entry *e)
{
	const struct bucket *bk = &t->b[pos / WAYS];
	unsigned int w = pos % WAYS;
	uint64_t key = atomic_load_explicit(&bk->key[w], memory_order_acquire), val;

	if (key <= KEY_TOMB)
		return false;
	val = atomic_load_explicit(&bk->val[w], memory_order_relaxed);
	e->seen = atomic_load_explicit(&bk->seen[w], memory_order_relaxed);
	atomic_thread_fence(memory_order_acquire);
	if (atomic_load_explicit(&bk->key[w], memory_order_relaxed) != key)
		return false;
	e->slot = (uint16_t)(key >> 48);
	key_mac(key, e->mac);
	e->val = unpack(val);
	return true;
}

#define CHUNK (256 * WAYS) /* positions handled per lock hold */

/* Delete, chunk by chunk under the lock, the entries `drop` picks. */
static size_t remove_if(struct vsw_mac_table *t, uint16_t slot,
			bool (*drop)(struct vsw_mac_table *t, const struct vsw_mac_entry *e,
				     void *arg),
			void *arg)
{
	struct vsw_mac_entry e;
	size_t n = 0;

	if (!atomic_load_explicit(&t->count, memory_order_relaxed))
		return 0;
	for (size_t start = 0; start < t->n_pos; start += CHUNK) {
		size_t end = start + CHUNK < t->n_pos ? start + CHUNK : t->n_pos;

		lock(t);
		for (size_t pos = start; pos < end; pos++)
			if (read_entry(t, pos, &e) && (slot == VSW_MAC_ALL_SLOTS || e.slot == slot) &&
			    drop(t, &e, arg)) {
				del_at(t, pos);
				n++;
			}
		unlock(t);
	}
	return n;
}

struct flush_arg {
	bool (*drop)(const struct vsw_mac_entry *e, void *arg);
	void *arg;
};

static bool flush_pick(struct vsw_mac_table *t, const struct vsw_mac_entry *e, void *arg)
{
	const struct flush_arg *fa = arg;

	(void)t;
	return !fa->drop || fa->drop(e, fa->arg);
}

size_t vsw_mac_flush(struct vsw_mac_table *t, uint16_t slot,
		     bool (*drop)(const struct vsw_mac_entry *e, void *arg), void *arg)
{
	struct flush_arg fa = { .drop = drop, .arg = arg };

	return remove_if(t, slot, flush_pick, &fa);
}

static bool sweep_pick(struct vsw_mac_table *t, const struct vsw_mac_entry *e, void *arg)
{
	struct slot_info *si = &t->slots[e->slot];

	if (!stale(*(const uint32_t *)arg, e->seen,
		   atomic_load_explicit(&si->aging, memory_order_relaxed)))
		return false;
	bump(&si->aged);
	return true;
}

size_t vsw_mac_sweep(struct vsw_mac_table *t, uint32_t now)
{
	return remove_if(t, VSW_MAC_ALL_SLOTS, sweep_pick, &now);
}

size_t vsw_mac_foreach(const struct vsw_mac_table *t, uint16_t slot, uint32_t now,
		       void (*fn)(const struct vsw_mac_entry *e, void *arg), void *arg)
{
	struct vsw_mac_entry e;
	size_t n = 0;

	for (size_t pos = 0; pos < t->n_pos; pos++) {
		if (!read_entry(t, pos, &e) || (slot != VSW_MAC_ALL_SLOTS && e.slot != slot) ||
		    e.slot >= t->n_slots ||
		    stale(now, e.seen, atomic_load_explicit(&t->slots[e.slot].aging,
							     memory_order_relaxed)))
			continue;
		fn(&e, arg);
		n++;
	}
	return n;
}
