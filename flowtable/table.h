/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_FT_TABLE_H
#define VSW_FT_TABLE_H

/*
 * DOC: the flow table (foundation version)
 *
 * A `struct vsw_ft` is a set of rules in up to VSW_FT_N_TABLES tables.
 * Lookup in one table returns the matching rule of highest priority; among
 * rules of equal priority that both match, the one installed first wins
 * (documented and tested, so the result is always defined). A miss returns
 * NULL and the caller applies the miss policy (drop and count).
 *
 * Concurrency: this module has no threads and no locks. It is built for
 * copy-on-write publication under RCU by its caller:
 *   new = vsw_ft_clone(cur);  vsw_ft_add(new, ...);  publish(new);
 *   wait for a grace period;   vsw_ft_destroy(cur);
 * A clone shares the rule objects with its source (each rule is reference
 * counted by the writer only), so per-rule counters survive the copy; a rule
 * is freed when the last table holding it is destroyed. Between publication
 * and destruction, any number of readers may call vsw_ft_lookup() and
 * vsw_ft_rule_hit() on either version concurrently; the writer must not
 * modify a table after publishing it.
 *
 * Rule counters are C11 atomics updated with relaxed ordering, so several
 * PMD threads may count on one rule.
 *
 * This version scans a priority-sorted array per table: correct and simple.
 * The tuple-space-search classifier replaces the inside, not the interface.
 */

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct vsw_ft;
struct vsw_ft_rule;

/* Constructors return NULL and set errno (ENOMEM). */
struct vsw_ft *vsw_ft_create(void);
struct vsw_ft *vsw_ft_clone(const struct vsw_ft *ft);
void vsw_ft_destroy(struct vsw_ft *ft); /* NULL is fine */

/*
 * Install a rule. A rule with the same table, priority and match is replaced
 * (new actions, counters reset), as add-flow does in Open vSwitch.
 * `now_ms` is the caller's monotonic clock, used for duration and idle age.
 * Returns 0, -EINVAL (table >= VSW_FT_N_TABLES, more than VSW_MAX_ACTIONS
 * actions) or -ENOMEM.
 */
int vsw_ft_add(struct vsw_ft *ft, const struct vsw_flow_spec *spec, uint64_t now_ms);

/*
 * Remove every rule that `filter` selects (vsw_flow_spec_selects()).
 * Returns the number removed (>= 0) or -errno.
 */
int vsw_ft_del(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict);

/* Highest-priority rule of `table` that matches `key`, or NULL. */
const struct vsw_ft_rule *vsw_ft_lookup(const struct vsw_ft *ft, uint8_t table,
					const struct vsw_flow_key *key);

/* Count `packets`/`bytes` on a rule hit at `now_ms` (updates idle age). */
void vsw_ft_rule_hit(const struct vsw_ft_rule *rule, uint32_t packets, uint32_t bytes,
		     uint64_t now_ms);

/* Rule accessors. */
const struct vsw_flow_spec *vsw_ft_rule_spec(const struct vsw_ft_rule *rule);
const struct vsw_actions *vsw_ft_rule_actions(const struct vsw_ft_rule *rule);
struct vsw_ft_rule_stats {
	uint64_t n_packets;
	uint64_t n_bytes;
	uint64_t created_ms; /* now_ms given to vsw_ft_add() */
	uint64_t used_ms; /* last hit, or created_ms when never hit */
};
void vsw_ft_rule_stats(const struct vsw_ft_rule *rule, struct vsw_ft_rule_stats *st);

/* Iteration over all rules, table by table, each table in lookup order. */
size_t vsw_ft_count(const struct vsw_ft *ft);
const struct vsw_ft_rule *vsw_ft_rule_at(const struct vsw_ft *ft, size_t i);

#endif
