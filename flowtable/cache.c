/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cache in front of the classifier (data path), one per PMD thread:
 * (table, key under the table's mask) -> rule.
 *
 * The key of an entry is not the whole packet key but the part of it that
 * the table's lookup can look at: the key masked by the union of the
 * table's subtable masks (struct ft_table), packed to the words that union
 * touches. Two keys equal under it get the same rule from the classifier,
 * so flows that differ only in fields no rule of the table matches share
 * one entry, as Open vSwitch's megaflows do (here without a second
 * classifier: the union is one mask per table). 1k rules on nw_dst with
 * 64k flows need 1k entries, port-to-port rules on in_port one per port;
 * a table whose union touches more than CKEY_WORDS words of the key is
 * looked up in the classifier alone.
 *
 * Layout: buckets of 4 ways. A bucket's metadata is two cache lines: the
 * ways' 32-bit tags, tables and generations in the first (what decides a
 * hit, with the key), their rule pointers in the second; each way's entry is
 * the packed key, one cache line. A key may live in
 * either of two buckets picked by its hash ("two choices"): a new entry goes
 * where a slot is free, so that a working set of up to ~90% of the entries
 * fits without evictions; when both are full, the first bucket's ways are
 * replaced in turn, but only for one such miss in INSERT_INV_PROB (below).
 *
 * Traffic with far more flows than entries: a window of lookups that
 * almost never hits while the buckets are full turns the cache off for a
 * while (BYPASS_WINDOWS, below): the misses then cost what the classifier
 * alone does, and a window every so often probes again.
 *
 * Validity: an entry records the generation of the table it was filled
 * from, and is used only while the version being looked up has that table
 * at that same generation. A table's generation changes with every change
 * to it and is unique in the process (table.c), and a clone keeps the
 * generation of an unchanged table together with the very same rules (and
 * so the same union mask); so a matching generation means "this rule is in
 * this version, alive, and the entry's key was packed the same way". The
 * check compares the key and numbers, never the rule, whose pointer may be
 * dangling when the generations differ. Negative results (no rule) are
 * cached the same way. An entry found stale is refilled in place.
 *
 * A burst goes in three passes over its keys (pack, hash and prefetch the
 * buckets; match tags and prefetch the entry; compare keys), then the misses
 * go to the classifier together (ft_classify_burst()).
 */
#include "ft_impl.h"

#include <errno.h>
#include <stdlib.h>

#include "hugemem.h"

#define WAYS 4
#define CHUNK 32
#define CKEY_WORDS 8 /* an entry's packed key: one cache line */

/*
 * A miss that finds neither its own stale entry nor a free way makes an
 * entry (evicting another) with probability 1/INSERT_INV_PROB, drawn from a
 * per-cache LCG, as Open vSwitch's emc-insert-inv-prob: with more flows
 * than entries, the entries are not all thrown out before their flows come
 * back (a working set 2.4x the cache: 1.6% -> 41% hits). A stale entry is
 * still refilled in place and a free way still filled at once, so a cold
 * cache or one after a rule change fills as fast as before.
 */
#ifndef INSERT_INV_PROB
#define INSERT_INV_PROB 100
#endif
/*
 * Bypass: when fewer than 1 in BYPASS_RATIO of a window of WINDOW lookups
 * through the cache hit and more than half of them found both buckets full
 * (so not a cold cache, nor one whose entries went stale), the next
 * BYPASS_WINDOWS windows of lookups skip the cache (counted as misses) and
 * go to the classifier alone; then a window probes again. 0: never.
 */
#ifndef BYPASS_WINDOWS
#define BYPASS_WINDOWS 31
#endif
#define WINDOW 4096
#define BYPASS_RATIO 32

struct ft_cbucket {
	_Alignas(64) uint32_t tag[WAYS]; /* 0: free */
	uint8_t table[WAYS];
	uint8_t next_victim;
	uint64_t gen[WAYS];
	_Alignas(64) const struct vsw_ft_rule *rule[WAYS];
};
_Static_assert(sizeof(struct ft_cbucket) == 128, "a bucket is two cache lines");
_Static_assert(offsetof(struct ft_cbucket, gen) + sizeof(uint64_t) * WAYS <= 64,
	       "tags, tables and generations share the first line");

struct ft_centry {
	uint64_t key[CKEY_WORDS];
};
_Static_assert(sizeof(struct ft_centry) == 64, "an entry is a cache line");

struct vsw_ft_cache {
	uint32_t bmask; /* buckets - 1 */
	uint32_t rnd; /* the insertion's pseudo-random state (an LCG) */
	uint32_t win_lookups, win_hits, win_full; /* this probing window's */
	uint32_t bypass; /* lookups left to send past the cache */
	struct vsw_ft_cache_stats st;
	struct ft_cbucket *b;
	struct ft_centry *e; /* WAYS per bucket */
};

struct vsw_ft_cache *vsw_ft_cache_create(unsigned entries)
{
	struct vsw_ft_cache *c;
	size_t nb = 1;

	if (!entries)
		entries = VSW_FT_CACHE_DEFAULT_ENTRIES;
	while (nb * WAYS < entries && nb < (1u << 28))
		nb <<= 1;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto err;
	c->b = vsw_huge_zalloc(nb * sizeof(*c->b));
	if (!c->b)
		goto err_free_cache;
	c->e = vsw_huge_zalloc(nb * WAYS * sizeof(*c->e));
	if (!c->e)
		goto err_free_buckets;
	c->bmask = (uint32_t)(nb - 1);
	c->rnd = (uint32_t)(uintptr_t)c ^ 0x2545f491u;
	return c;

err_free_buckets:
	vsw_huge_free(c->b, nb * sizeof(*c->b));
err_free_cache:
	free(c);
err:
	errno = ENOMEM;
	return NULL;
}

void vsw_ft_cache_destroy(struct vsw_ft_cache *c)
{
	if (!c)
		return;
	vsw_huge_free(c->b, ((size_t)c->bmask + 1) * sizeof(*c->b));
	vsw_huge_free(c->e, ((size_t)c->bmask + 1) * WAYS * sizeof(*c->e));
	free(c);
}

void vsw_ft_cache_stats(const struct vsw_ft_cache *c, struct vsw_ft_cache_stats *st)
{
	*st = c->st;
}

/* Where one key of a burst stands. */
struct probe {
	uint64_t k[CKEY_WORDS]; /* the key packed under the table's union mask */
	uint32_t b[2]; /* its two buckets */
	uint32_t tag;
	int32_t slot; /* bucket * WAYS + way: a candidate, the hit, or a stale entry; -1 */
};

/* Pack `key` under the table's union mask into p->k. */
static inline void pack_key(const struct ft_table *t, const struct vsw_flow_key *key,
			    struct probe *p)
{
	for (unsigned j = 0; j < t->u_words; j++)
		p->k[j] = ft_key_word(key, t->u_idx[j]) & t->u_mw[j];
}

static void hash_key(const struct vsw_ft_cache *c, unsigned n_words, uint8_t table,
		     struct probe *p)
{
	uint64_t h = ft_hash_words(p->k, n_words) ^ ((uint64_t)table * 0x9e3779b97f4a7c15ull);

	p->b[0] = (uint32_t)h & c->bmask;
	p->b[1] = (uint32_t)(h >> 16) & c->bmask;
	p->tag = (uint32_t)(h >> 32) | 1;
	p->slot = -1;
}

/* The first way whose tag matches becomes the candidate; prefetch its entry. */
static void match_tags(const struct vsw_ft_cache *c, uint8_t table, struct probe *p)
{
	for (unsigned k = 0; k < 2; k++) {
		const struct ft_cbucket *b = &c->b[p->b[k]];

		for (unsigned w = 0; w < WAYS; w++) {
			if (b->tag[w] == p->tag && b->table[w] == table) {
				p->slot = (int32_t)(p->b[k] * WAYS + w);
				__builtin_prefetch(&c->e[p->slot]);
				__builtin_prefetch(&b->rule[w]);
				return;
			}
		}
	}
}

/* 1: a hit in p->slot; 0: a miss (p->slot is the key's stale entry or -1). */
static int compare_slow(const struct vsw_ft_cache *c, uint8_t table, uint64_t gen,
			unsigned n_words, struct probe *p)
{
	p->slot = -1;
	for (unsigned k = 0; k < 2; k++) {
		const struct ft_cbucket *b = &c->b[p->b[k]];

		for (unsigned w = 0; w < WAYS; w++) {
			uint32_t slot = p->b[k] * WAYS + w;

			if (b->tag[w] != p->tag || b->table[w] != table ||
			    !ft_key_eq(c->e[slot].key, p->k, n_words))
				continue;
			p->slot = (int32_t)slot;
			return b->gen[w] == gen;
		}
	}
	return 0;
}

static inline int compare(const struct vsw_ft_cache *c, uint8_t table, uint64_t gen,
			  unsigned n_words, struct probe *p)
{
	if (p->slot >= 0 && ft_key_eq(c->e[p->slot].key, p->k, n_words))
		return c->b[p->slot / WAYS].gen[p->slot % WAYS] == gen;
	return compare_slow(c, table, gen, n_words, p); /* none, or a tag collision */
}

static void fill(struct vsw_ft_cache *c, uint8_t table, uint64_t gen, unsigned n_words,
		 const struct probe *p, const struct vsw_ft_rule *rule)
{
	uint32_t slot = (uint32_t)p->slot;
	struct ft_cbucket *b;

	if (p->slot < 0) {
		unsigned k, w = WAYS;

		for (k = 0; k < 2 && w == WAYS; k++)
			for (w = 0; w < WAYS && c->b[p->b[k]].tag[w]; w++)
				;
		if (w == WAYS) { /* both full: replace in turn in the first, sometimes */
			c->win_full++;
			c->rnd = c->rnd * 1664525u + 1013904223u;
			if (c->rnd > UINT32_MAX / INSERT_INV_PROB)
				return;
			k = 1;
			w = c->b[p->b[0]].next_victim++ % WAYS;
		}
		slot = p->b[k - 1] * WAYS + w;
	}
	b = &c->b[slot / WAYS];
	b->tag[slot % WAYS] = p->tag;
	b->table[slot % WAYS] = table;
	b->rule[slot % WAYS] = rule;
	b->gen[slot % WAYS] = gen;
	memcpy(c->e[slot].key, p->k, n_words * sizeof(p->k[0]));
}

/*
 * Are all n keys the same under the table's union mask (one flow, or flows
 * the table's rules cannot tell apart: a common case, as a port's start
 * table matching in_port and a tag)? Compared in place, nothing packed.
 */
static bool one_train(const struct ft_table *t, const struct vsw_flow_key *const keys[],
		      unsigned n)
{
	struct probe first;

	pack_key(t, keys[0], &first);
	for (unsigned i = 1; i < n; i++) {
		uint64_t diff = 0;

		if (keys[i] == keys[0])
			continue;
		for (unsigned j = 0; j < t->u_words; j++)
			diff |= (ft_key_word(keys[i], t->u_idx[j]) & t->u_mw[j]) ^ first.k[j];
		if (diff)
			return false;
	}
	return true;
}

static unsigned lookup_chunk(const struct vsw_ft *ft, struct vsw_ft_cache *c, uint8_t table,
			     const struct vsw_flow_key *const keys[], unsigned n,
			     const struct vsw_ft_rule *rules[])
{
	const struct ft_table *t = &ft->t[table];
	const struct vsw_flow_key *miss_keys[CHUNK];
	const struct vsw_ft_rule *miss_rules[CHUNK];
	struct probe p[CHUNK];
	unsigned miss_idx[CHUNK], n_miss = 0, found = 0, found_miss = 0, nw = t->u_words;
	unsigned n_keys = n;
	bool same[CHUNK];

	/* A train through the whole chunk: the first key is looked up for all. */
	if (n > 1 && one_train(t, keys, n))
		n = 1;

	for (unsigned i = 0; i < n; i++) {
		pack_key(t, keys[i], &p[i]);
		/* The previous key again (packets of one flow come in trains): it
		 * takes that key's result, hit or miss, at the end. */
		same[i] = i && ft_key_eq(p[i - 1].k, p[i].k, nw);
		if (same[i])
			continue;
		hash_key(c, nw, table, &p[i]);
		__builtin_prefetch(&c->b[p[i].b[0]]);
		__builtin_prefetch(&c->b[p[i].b[1]]);
	}
	for (unsigned i = 0; i < n; i++)
		if (!same[i])
			match_tags(c, table, &p[i]);
	for (unsigned i = 0; i < n; i++) {
		if (same[i])
			continue;
		if (compare(c, table, t->gen, nw, &p[i])) {
			uint32_t slot = (uint32_t)p[i].slot;

			rules[i] = c->b[slot / WAYS].rule[slot % WAYS];
		} else {
			miss_keys[n_miss] = keys[i];
			miss_idx[n_miss++] = i;
		}
	}
	if (n_miss) {
		ft_classify_burst(t, miss_keys, n_miss, miss_rules);
		for (unsigned k = 0; k < n_miss; k++) {
			unsigned i = miss_idx[k];

			/* A key twice in one burst: the second fill finds the first's. */
			if (p[i].slot < 0)
				compare(c, table, t->gen, nw, &p[i]);
			fill(c, table, t->gen, nw, &p[i], miss_rules[k]);
			rules[i] = miss_rules[k];
			found_miss += rules[i] != NULL;
		}
	}
	for (unsigned i = 0; i < n_keys; i++) {
		if (i >= n || same[i])
			rules[i] = rules[i - 1];
		found += rules[i] != NULL;
	}
	n = n_keys; /* the rest of a train: hits, as in the loops above */
	c->st.hits += n - n_miss;
	c->st.misses += n_miss;
	c->st.rule_hits += found - found_miss;
	if (BYPASS_WINDOWS) {
		c->win_lookups += n;
		c->win_hits += n - n_miss;
		if (c->win_lookups >= WINDOW) {
			if (c->win_hits * BYPASS_RATIO < c->win_lookups &&
			    c->win_full * 2 > c->win_lookups)
				c->bypass = BYPASS_WINDOWS * WINDOW;
			c->win_lookups = c->win_hits = c->win_full = 0;
		}
	}
	return found;
}

unsigned vsw_ft_lookup_burst(const struct vsw_ft *ft, struct vsw_ft_cache *c, uint8_t table,
			     const struct vsw_flow_key *const keys[], unsigned n,
			     const struct vsw_ft_rule *rules[])
{
	unsigned found = 0;

	if (table >= VSW_FT_N_TABLES || !ft->t[table].n_subs) {
		for (unsigned i = 0; i < n; i++)
			rules[i] = NULL;
		return 0;
	}
	for (unsigned base = 0; base < n; base += CHUNK) {
		unsigned m = n - base < CHUNK ? n - base : CHUNK;

		if (c && (c->bypass || ft->t[table].u_words > CKEY_WORDS)) {
			c->bypass -= c->bypass < m ? c->bypass : m;
			c->st.misses += m;
		} else if (c) {
			found += lookup_chunk(ft, c, table, keys + base, m, rules + base);
			continue;
		}
		ft_classify_burst(&ft->t[table], keys + base, m, rules + base);
		for (unsigned i = 0; i < m; i++)
			found += rules[base + i] != NULL;
	}
	return found;
}

const struct vsw_ft_rule *vsw_ft_lookup_cached(const struct vsw_ft *ft, struct vsw_ft_cache *c,
					       uint8_t table, const struct vsw_flow_key *key)
{
	const struct vsw_ft_rule *rule;

	vsw_ft_lookup_burst(ft, c, table, &key, 1, &rule);
	return rule;
}
