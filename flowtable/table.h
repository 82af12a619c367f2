/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FT_TABLE_H
#define VSW_FT_TABLE_H

/*
 * DOC: the flow table — a multi-table classifier with a per-thread cache
 *
 * A `struct vsw_ft` is a set of rules in up to VSW_FT_N_TABLES tables.
 * Lookup in one table returns the matching rule of highest priority; among
 * rules of equal priority that both match, the one installed first wins
 * (a replaced rule keeps its place), so the result is always defined. A
 * miss returns NULL and the caller applies the table's miss policy.
 *
 * How: tuple space search. Each table holds one hash table ("subtable") per
 * distinct mask, keyed by the masked key; a lookup probes the subtables one
 * hash probe each, in the order (highest priority inside, descending; then
 * oldest rule, ascending), and stops as soon as no later subtable can hold a
 * better rule (classify.c explains why that order is the best one). Keys
 * are hashed as 64-bit words, each subtable only over the words its mask
 * touches. In front of it, each PMD thread keeps a cache
 * (`struct vsw_ft_cache`): the key under the union of the table's masks
 * (all the lookup can look at) -> rule, checked against the table's
 * generation (cache.c).
 *
 * Concurrency: this module has no threads and no locks. It is built for
 * copy-on-write publication under RCU by its caller:
 *   new = vsw_ft_clone(cur);  vsw_ft_add(new, ...)...;  publish(new);
 *   wait for a grace period;   vsw_ft_destroy(cur);
 * A clone shares subtables, their hash segments and the rules with its
 * source (all reference counted by the writer only), so a clone costs
 * microseconds whatever the size, a change copies only the pieces it
 * touches, and a batch of changes to one clone copies each piece at most
 * once. Per-rule counters live in the shared rule, so they survive the copy.
 * Between publication and destruction any number of readers may call the
 * lookups, vsw_ft_rule_hit() and the accessors on either version; the
 * writer must not modify a table after publishing it. vsw_ft_rule_at() may
 * be called from any thread too (it builds a sorted listing once per version,
 * atomically).
 *
 * Every change to a table gives it a new generation number, unique in the
 * process; a clone keeps the generations of the tables it shares. A cache
 * entry is used only for the generation it was filled in, so a rule that
 * changed can never be found through a stale entry once the new version is
 * the one looked up, and the cache itself never dereferences a rule of
 * another generation. The cache belongs to one thread: no locks.
 *
 * Rule counters are C11 atomics updated with relaxed ordering, so several
 * PMD threads may count on one rule. Timeouts are the caller's (vsw-control):
 * vsw_ft_rule_hit() stores the time of the last hit, nothing more.
 *
 * Memory: a rule keeps its attributes, its masked key packed to the 64-bit
 * words its mask touches (the mask is shared with its subtable) and exactly
 * its actions: about 150 bytes for a typical rule, ~190 with its share of
 * the hash slots (kept at most half full) at 1M rules. Hence the copy-out
 * vsw_ft_rule_get_spec().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct vsw_ft;
struct vsw_ft_rule;
struct vsw_ft_cache;

/* Constructors return NULL and set errno (ENOMEM, EINVAL). */
struct vsw_ft *vsw_ft_create(void);
struct vsw_ft *vsw_ft_clone(const struct vsw_ft *ft);
void vsw_ft_destroy(struct vsw_ft *ft); /* NULL is fine */

/*
 * Install a rule. A rule with the same table, priority and match is replaced
 * (new actions, counters reset, same place in the install order), as
 * add-flow does in Open vSwitch. `now_ms` is the caller's monotonic clock,
 * used for duration and idle age.
 * Returns 0, -EINVAL (table >= VSW_FT_N_TABLES, more than VSW_MAX_ACTIONS
 * actions) or -ENOMEM (the version is then unchanged).
 */
int vsw_ft_add(struct vsw_ft *ft, const struct vsw_flow_spec *spec, uint64_t now_ms);

/*
 * Remove every rule that `filter` selects (vsw_flow_spec_selects()).
 * Returns the number removed (>= 0) or -errno; after -ENOMEM the version
 * may be partly changed: discard it. A strict delete costs one hash probe
 * per table; a non-strict one scans the subtables whose mask covers the
 * filter's.
 */
int vsw_ft_del(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict);

/*
 * mod-flows: give every rule that `filter` selects (as vsw_ft_del() does)
 * the actions `actions`, and the cookie *cookie unless `cookie` is NULL.
 * The rules keep their counters, timeouts, age and place in the install
 * order. (The rule objects are new: hits that readers count on the old
 * version during its grace period are not carried over.) Returns the number
 * modified, or -errno as vsw_ft_del().
 */
int vsw_ft_mod(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict,
	       const struct vsw_actions *actions, const uint64_t *cookie);

/*
 * True when the rules of `table` match nothing but metadata (tunnel fields,
 * metadata, registers, in_port: the key's members before dl_dst), so that
 * frames with the same metadata get the same rule whatever their bytes.
 * (A table without rules: false.)
 */
bool vsw_ft_table_meta_only(const struct vsw_ft *ft, uint8_t table);

/* Highest-priority rule of `table` that matches `key`, or NULL (no cache). */
const struct vsw_ft_rule *vsw_ft_lookup(const struct vsw_ft *ft, uint8_t table,
					const struct vsw_flow_key *key);

/*
 * The cache, one per reader thread: (table, key under the union of the
 * table's masks) -> rule (cache.c). `entries` is rounded up to a power of
 * two (0: VSW_FT_CACHE_DEFAULT_ENTRIES); each takes 96 bytes.
 * One cache serves every table and every version the thread looks up.
 * A miss whose buckets are full replaces an entry only once in 100 (as
 * Open vSwitch's emc-insert-inv-prob), and a cache that almost never hits
 * is skipped for a while, then tried again (cache.c): either way, the
 * results are those of vsw_ft_lookup().
 */
#define VSW_FT_CACHE_DEFAULT_ENTRIES 131072
struct vsw_ft_cache *vsw_ft_cache_create(unsigned entries);
void vsw_ft_cache_destroy(struct vsw_ft_cache *cache); /* NULL is fine */

/* vsw_ft_lookup() through the cache: same result, faster for repeat keys. */
const struct vsw_ft_rule *vsw_ft_lookup_cached(const struct vsw_ft *ft,
					       struct vsw_ft_cache *cache, uint8_t table,
					       const struct vsw_flow_key *key);

/*
 * The same for a burst: rules[i] is the result for *keys[i] (NULL on a
 * miss). Looks the burst up in passes (hash and prefetch all, then compare)
 * and sends the cache misses to the classifier together, which probes
 * subtable by subtable for all of them. `cache` may be NULL: the classifier
 * alone, in bursts. Returns the number of keys that found a rule.
 */
unsigned vsw_ft_lookup_burst(const struct vsw_ft *ft, struct vsw_ft_cache *cache,
			     uint8_t table, const struct vsw_flow_key *const keys[],
			     unsigned n, const struct vsw_ft_rule *rules[]);

struct vsw_ft_cache_stats {
	uint64_t hits;
	uint64_t misses; /* looked up in the classifier (bypassed ones too) */
	uint64_t rule_hits; /* the hits that gave a rule (the rest: a cached miss) */
};
void vsw_ft_cache_stats(const struct vsw_ft_cache *cache, struct vsw_ft_cache_stats *st);

/* Count `packets`/`bytes` on a rule hit at `now_ms` (updates idle age). */
void vsw_ft_rule_hit(const struct vsw_ft_rule *rule, uint32_t packets, uint64_t bytes,
		     uint64_t now_ms);

/*
 * Rule accessors. vsw_ft_rule_get_spec() copies the rule out as a spec
 * (match normalized; cookie_mask all ones when the rule was given a cookie).
 * vsw_ft_rule_actions() points at the rule's own actions, which are sized
 * to their number: read a->n and a->a[0 .. n-1] only, never copy *a whole.
 */
void vsw_ft_rule_get_spec(const struct vsw_ft_rule *rule, struct vsw_flow_spec *out);
const struct vsw_actions *vsw_ft_rule_actions(const struct vsw_ft_rule *rule);
uint16_t vsw_ft_rule_priority(const struct vsw_ft_rule *rule);
uint8_t vsw_ft_rule_table(const struct vsw_ft_rule *rule);
uint64_t vsw_ft_rule_cookie(const struct vsw_ft_rule *rule);
struct vsw_ft_rule_stats {
	uint64_t n_packets;
	uint64_t n_bytes;
	uint64_t created_ms; /* now_ms given to vsw_ft_add() */
	uint64_t used_ms; /* last hit, or created_ms when never hit */
};
void vsw_ft_rule_stats(const struct vsw_ft_rule *rule, struct vsw_ft_rule_stats *st);

/* Iteration over all rules, table by table, each table in lookup order. */
size_t vsw_ft_count(const struct vsw_ft *ft);
size_t vsw_ft_table_count(const struct vsw_ft *ft, uint8_t table);
const struct vsw_ft_rule *vsw_ft_rule_at(const struct vsw_ft *ft, size_t i);

#endif
