/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TEST_FT_REF_H
#define VSW_TEST_FT_REF_H

/*
 * A brute-force reference of the flow table, for differential tests: rules
 * in an array, lookup by a scan in (table, priority descending, install
 * order) order, delete through vsw_flow_spec_selects(). Plus generators of
 * random masks, rules, filters and keys whose small value domains make rules
 * overlap and keys hit.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct ft_ref_rule {
	struct vsw_flow_spec spec; /* match normalized */
	uint64_t seq; /* install order; a replacement keeps it */
};

struct ft_ref {
	struct ft_ref_rule **r;
	size_t n, cap;
	uint64_t seq;
	bool sorted;
};

void ft_ref_init(struct ft_ref *ref);
void ft_ref_free(struct ft_ref *ref);
void ft_ref_copy(struct ft_ref *dst, const struct ft_ref *src); /* dst uninitialized */
/* Install like vsw_ft_add(); `unique`: the caller knows it is a new rule. */
void ft_ref_add(struct ft_ref *ref, const struct vsw_flow_spec *spec, bool unique);
int ft_ref_del(struct ft_ref *ref, const struct vsw_flow_spec *filter, bool strict);
int ft_ref_mod(struct ft_ref *ref, const struct vsw_flow_spec *filter, bool strict,
	       const struct vsw_actions *actions, const uint64_t *cookie);
/* The winning rule, or NULL. Not thread-safe until ft_ref_sort() was called. */
const struct ft_ref_rule *ft_ref_lookup(struct ft_ref *ref, uint8_t table,
					const struct vsw_flow_key *key);
void ft_ref_sort(struct ft_ref *ref); /* lookup order: what vsw_ft_rule_at() lists */
size_t ft_ref_table_count(const struct ft_ref *ref, uint8_t table);

/* xorshift64: deterministic per seed. */
struct ft_rng {
	uint64_t s;
};
uint32_t ft_rnd(struct ft_rng *g, uint32_t n);

/* Random generators. `n_tables` tables are used: 0 .. n_tables-1. */
struct ft_gen {
	struct ft_rng rng;
	struct vsw_flow_key masks[64];
	unsigned n_masks;
	unsigned n_tables;
	bool wide_prios; /* priorities from 0..65535 rather than a few values */
	uint64_t cookie;
};
void ft_gen_init(struct ft_gen *g, uint64_t seed, unsigned n_masks, unsigned n_tables,
		 bool wide_prios);
void ft_gen_rule(struct ft_gen *g, struct vsw_flow_spec *spec);
/* A filter for del: strict ones mostly name an existing rule of `ref`. */
void ft_gen_filter(struct ft_gen *g, const struct ft_ref *ref, bool strict,
		   struct vsw_flow_spec *f);
/* A key: random, or made to match a random rule of `ref`. */
void ft_gen_key(struct ft_gen *g, const struct ft_ref *ref, struct vsw_flow_key *key);

/* Same rule as the reference says: attributes, match and actions. */
bool ft_ref_same(const struct vsw_flow_spec *want, const struct vsw_flow_spec *got);

#endif
