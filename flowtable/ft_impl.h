/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FT_IMPL_H
#define VSW_FT_IMPL_H

/*
 * Private to flowtable/: the classifier's objects (the design is in table.h).
 *
 *   struct vsw_ft             one version: VSW_FT_N_TABLES tables
 *     struct ft_table         per table id: generation, subtables in lookup order,
 *                             the union of their masks (the cache's key, cache.c)
 *       struct ft_sub         one per distinct mask: the mask packed to the
 *                             64-bit words it touches, priority bounds, and a
 *                             directory of hash segments (subtable.c)
 *         struct ft_seg       open addressing: a 32-bit tag and a reference
 *                             per slot; the reference is a rule, or (low bit
 *                             set) a struct ft_group of rules with the same
 *                             match and different priorities
 *           struct vsw_ft_rule   immutable once installed but for counters
 *
 * Everything below the version is shared copy-on-write: subtables, segments
 * and rules carry a reference count that only the writer touches (plain
 * ints), counting the parents that point at them (tables for a subtable,
 * subtables for a segment, segments and groups for a rule). The writer
 * modifies an object only when it holds the single reference, copying it
 * first otherwise, top down; so nothing reachable from a published version
 * ever changes. A group is owned by exactly one segment and copied with it.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "flow.h"
#include "table.h"

#define FT_KEY_WORDS (sizeof(struct vsw_flow_key) / sizeof(uint64_t))

/* A mask shared by one subtable and its rules (writer-refcounted). */
struct ft_mask {
	uint32_t refcnt;
	uint8_t n_words; /* words of the key the mask touches */
	uint8_t idx[FT_KEY_WORDS]; /* their indexes, ascending */
	uint64_t hash; /* of the whole mask, to find a subtable */
	uint64_t w[FT_KEY_WORDS]; /* the whole mask as words */
};

struct vsw_ft_rule {
	/* read by the classifier */
	uint64_t seq; /* install order: the first installed wins a tie */
	uint16_t priority;
	uint8_t n_words; /* = mask->n_words */
	uint8_t table;
	uint32_t hash_hi; /* directory half of the key hash (segment splits) */
	/* the only fields written after install, by readers */
	_Atomic uint64_t n_packets;
	_Atomic uint64_t n_bytes;
	_Atomic uint64_t used_ms;
	/* cold */
	struct ft_mask *mask;
	uint64_t cookie;
	uint64_t created_ms;
	uint32_t refcnt; /* writer only */
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint16_t act_off; /* byte offset of the actions (struct vsw_actions prefix) */
	uint8_t given; /* VSW_SPEC_* */
	uint64_t key[]; /* the masked key, packed: n_words words */
};

/* Rules of one match in priority order, highest first (priorities differ). */
struct ft_group {
	uint32_t n;
	uint32_t cap;
	struct vsw_ft_rule *r[];
};

struct ft_seg {
	uint32_t refcnt; /* subtables pointing here */
	uint8_t depth; /* local depth: the low `depth` directory bits it serves */
	uint32_t mask; /* slots - 1 */
	uint32_t n; /* used slots */
	uint32_t *tags; /* per slot: low hash half with bit 31 set; 0 = empty */
	uintptr_t refs[]; /* per slot: rule, or group | 1 */
};

struct ft_prio_count {
	uint16_t prio;
	uint32_t n;
};

struct ft_sub {
	/* read by the classifier */
	uint16_t max_prio; /* highest priority of a rule here */
	uint8_t n_words;
	uint8_t depth; /* global depth: the directory has 1 << depth entries */
	uint32_t refcnt; /* tables pointing here; writer only */
	uint64_t min_seq; /* <= the seq of every rule here */
	struct ft_seg **dir;
	uint8_t idx[FT_KEY_WORDS];
	uint64_t mw[FT_KEY_WORDS]; /* mask words at idx[] */
	/* writer only */
	struct ft_mask *mask;
	size_t n_rules;
	struct ft_prio_count *prios; /* distinct priorities, highest first */
	uint32_t n_prios;
	uint32_t cap_prios;
};

struct ft_table {
	uint64_t gen; /* changes with every modification; 0: never had a rule */
	/*
	 * The union of the subtables' masks, packed as a subtable's: the only
	 * bits of a key that the lookup can look at. Keys equal under it get
	 * the same rule, so the cache keys its entries by it (cache.c).
	 */
	uint8_t u_words;
	uint8_t u_idx[FT_KEY_WORDS];
	uint64_t u_mw[FT_KEY_WORDS];
	bool meta_only; /* the union is within the metadata fields (vsw_ft_table_meta_only()) */
	uint32_t n_subs;
	uint32_t cap_subs;
	struct ft_sub **subs; /* lookup order (see classify.c) */
	size_t n_rules;
};

struct ft_listing; /* the rules in vsw_ft_rule_at() order, built on demand */

struct vsw_ft {
	struct ft_table t[VSW_FT_N_TABLES];
	size_t n_rules;
	uint64_t next_seq;
	_Atomic(struct ft_listing *) listing;
};

/* ---- hashing: 64-bit words, see classify.c for the choice ---- */

static inline uint64_t ft_key_word(const struct vsw_flow_key *k, unsigned i)
{
	uint64_t w;

	memcpy(&w, (const unsigned char *)k + i * sizeof(w), sizeof(w));
	return w;
}

static inline uint64_t ft_hash_final(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/*
 * A subtable's hash, over the few words its mask touches: multiply-xor per
 * word (a bijection of the state for each word, so no two values of one
 * word collide), then a finalizer that brings the high bits down to the
 * slot index.
 */
#define FT_HASH_K 0x9e3779b97f4a7c15ull
static inline uint64_t ft_hash_step(uint64_t h, uint64_t w)
{
	return (h ^ w) * FT_HASH_K;
}

static inline uint64_t ft_hash_end(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	return h ^ (h >> 29);
}

static inline uint64_t ft_hash_words(const uint64_t *w, unsigned n)
{
	uint64_t h = n;

	for (unsigned i = 0; i < n; i++)
		h = ft_hash_step(h, w[i]);
	return ft_hash_end(h);
}


static inline uint64_t ft_mask_hash(const uint64_t w[FT_KEY_WORDS])
{
	return ft_hash_final(ft_hash_words(w, FT_KEY_WORDS) ^ 0x6d61736bu);
}

static inline uint32_t ft_tag(uint64_t h)
{
	return (uint32_t)h | 0x80000000u;
}

static inline uint32_t ft_dir_bits(uint64_t h)
{
	return (uint32_t)(h >> 32);
}

static inline struct vsw_ft_rule *ft_ref_top(uintptr_t ref)
{
	return ref & 1 ? ((struct ft_group *)(ref & ~(uintptr_t)1))->r[0]
		       : (struct vsw_ft_rule *)ref;
}

static inline int ft_key_eq(const uint64_t *a, const uint64_t *b, unsigned n)
{
	uint64_t diff = 0;

	for (unsigned i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/*
 * The reference of the match whose packed masked key is `w` (hash `h`), or
 * 0. Safe for readers: only reads.
 */
static inline uintptr_t ft_sub_find(const struct ft_sub *s, const uint64_t *w, uint64_t h)
{
	const struct ft_seg *seg = s->dir[ft_dir_bits(h) & ((1u << s->depth) - 1)];
	uint32_t tag = ft_tag(h), pos = tag & seg->mask, t;

	while ((t = seg->tags[pos]) != 0) {
		if (t == tag) {
			uintptr_t ref = seg->refs[pos];

			if (ft_key_eq(ft_ref_top(ref)->key, w, s->n_words))
				return ref;
		}
		pos = (pos + 1) & seg->mask;
	}
	return 0;
}

/* True when rule `a` beats rule `b` (higher priority, or installed first). */
static inline int ft_rule_beats(const struct vsw_ft_rule *a, const struct vsw_ft_rule *b)
{
	return a->priority > b->priority || (a->priority == b->priority && a->seq < b->seq);
}

/* classify.c: the best rule of a table for a key given as words; a burst. */
#define FT_BURST_MAX 64
const struct vsw_ft_rule *ft_classify(const struct ft_table *t, const struct vsw_flow_key *key);
void ft_classify_burst(const struct ft_table *t, const struct vsw_flow_key *const keys[],
		       unsigned n, const struct vsw_ft_rule *best[]);

/* rule.c */
struct vsw_ft_rule *ft_rule_new(const struct vsw_flow_spec *spec, struct ft_mask *mask,
				uint64_t now_ms);
/* A copy of `old` with other actions (and cookie, when not NULL), same counters. */
struct vsw_ft_rule *ft_rule_remake(const struct vsw_ft_rule *old, const struct vsw_actions *acts,
				   const uint64_t *cookie);
void ft_rule_put(struct vsw_ft_rule *r);
struct ft_mask *ft_mask_new(const struct vsw_flow_key *mask);
void ft_mask_put(struct ft_mask *m);
void ft_rule_pack(const struct ft_mask *m, const struct vsw_flow_key *key, uint64_t *out);

/* subtable.c: writer side; `s` must be owned (refcnt 1) for changes. */
struct ft_sub *ft_sub_new(struct ft_mask *mask);
struct ft_sub *ft_sub_copy(const struct ft_sub *s);
void ft_sub_put(struct ft_sub *s);
/* Insert `r` (its reference passes to the subtable). A rule of the same match
 * and priority is replaced: *old gets it (the caller puts it), and `r` takes
 * its install order. */
int ft_sub_insert(struct ft_sub *s, struct vsw_ft_rule *r, struct vsw_ft_rule **old);
/* Remove `r` and put the subtable's reference: 0, -ENOENT or -ENOMEM. */
int ft_sub_remove(struct ft_sub *s, const struct vsw_ft_rule *r);
/* The rule of `s` with packed key `w` and priority `prio`, or NULL. */
struct vsw_ft_rule *ft_sub_find_prio(const struct ft_sub *s, const uint64_t *w, uint16_t prio);
/* Call fn on every rule of `s` (no changes to `s` meanwhile). */
void ft_sub_foreach(const struct ft_sub *s, void (*fn)(void *ctx, struct vsw_ft_rule *r),
		    void *ctx);

#endif
