/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow table, foundation version: see table.h.
 *
 * Each table is an array of rule pointers sorted by priority, highest first;
 * rules of equal priority keep their install order, and a replaced rule
 * (same table, priority and match) keeps its place. Lookup is a linear scan
 * that stops at the first hit. A clone copies the arrays and takes a
 * reference on every rule; rules are immutable once installed except for
 * their atomic counters, so a writer never touches a rule a reader may see.
 */
#include "table.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct vsw_ft_rule {
	int refcnt; /* tables holding the rule; writer only */
	struct vsw_flow_spec spec; /* match normalized */
	uint64_t created_ms;
	_Atomic uint64_t n_packets;
	_Atomic uint64_t n_bytes;
	_Atomic uint64_t used_ms;
};

struct ft_table {
	struct vsw_ft_rule **rules; /* lookup order */
	size_t n;
	size_t cap;
};

struct vsw_ft {
	struct ft_table t[VSW_FT_N_TABLES];
	size_t n_rules;
};

static struct vsw_ft_rule *rule_new(const struct vsw_flow_spec *spec, uint64_t now_ms)
{
	struct vsw_ft_rule *r = calloc(1, sizeof(*r));
	uint8_t *k;
	const uint8_t *m;

	if (!r)
		return NULL;
	r->refcnt = 1;
	r->spec = *spec;
	k = (uint8_t *)&r->spec.match.key;
	m = (const uint8_t *)&r->spec.match.mask;
	for (size_t i = 0; i < sizeof(r->spec.match.key); i++)
		k[i] &= m[i];
	r->created_ms = now_ms;
	atomic_init(&r->n_packets, 0);
	atomic_init(&r->n_bytes, 0);
	atomic_init(&r->used_ms, now_ms);
	return r;
}

static void rule_put(struct vsw_ft_rule *r)
{
	if (--r->refcnt == 0)
		free(r);
}

struct vsw_ft *vsw_ft_create(void)
{
	struct vsw_ft *ft = calloc(1, sizeof(*ft));

	if (!ft)
		errno = ENOMEM;
	return ft;
}

void vsw_ft_destroy(struct vsw_ft *ft)
{
	if (!ft)
		return;
	for (size_t t = 0; t < VSW_FT_N_TABLES; t++) {
		for (size_t i = 0; i < ft->t[t].n; i++)
			rule_put(ft->t[t].rules[i]);
		free(ft->t[t].rules);
	}
	free(ft);
}

struct vsw_ft *vsw_ft_clone(const struct vsw_ft *src)
{
	struct vsw_ft *ft;

	if (!src) {
		errno = EINVAL;
		return NULL;
	}
	ft = vsw_ft_create();
	if (!ft)
		return NULL;
	for (size_t t = 0; t < VSW_FT_N_TABLES; t++) {
		const struct ft_table *from = &src->t[t];
		struct ft_table *to = &ft->t[t];

		if (!from->n)
			continue;
		to->rules = malloc(from->n * sizeof(*to->rules));
		if (!to->rules)
			goto err_destroy;
		memcpy(to->rules, from->rules, from->n * sizeof(*to->rules));
		to->n = to->cap = from->n;
		for (size_t i = 0; i < to->n; i++)
			to->rules[i]->refcnt++;
	}
	ft->n_rules = src->n_rules;
	return ft;

err_destroy:
	vsw_ft_destroy(ft);
	errno = ENOMEM;
	return NULL;
}

/* First index whose priority is below `prio` (when above is true) or at most `prio`. */
static size_t bound(const struct ft_table *tbl, uint16_t prio, bool above)
{
	size_t lo = 0, hi = tbl->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint16_t p = tbl->rules[mid]->spec.priority;

		if (above ? p >= prio : p > prio)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int reserve(struct ft_table *tbl)
{
	struct vsw_ft_rule **rules;
	size_t cap;

	if (tbl->n < tbl->cap)
		return 0;
	cap = tbl->cap ? tbl->cap * 2 : 8;
	rules = realloc(tbl->rules, cap * sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	tbl->rules = rules;
	tbl->cap = cap;
	return 0;
}

int vsw_ft_add(struct vsw_ft *ft, const struct vsw_flow_spec *spec, uint64_t now_ms)
{
	struct vsw_ft_rule *r;
	struct ft_table *tbl;
	size_t lo, hi;

	if (!ft || !spec || spec->table >= VSW_FT_N_TABLES || spec->actions.n > VSW_MAX_ACTIONS)
		return -EINVAL;
	r = rule_new(spec, now_ms);
	if (!r)
		return -ENOMEM;
	tbl = &ft->t[spec->table];
	lo = bound(tbl, spec->priority, false);
	hi = bound(tbl, spec->priority, true);
	for (size_t i = lo; i < hi; i++) {
		if (vsw_flow_spec_same_rule(&tbl->rules[i]->spec, &r->spec)) {
			rule_put(tbl->rules[i]);
			tbl->rules[i] = r;
			return 0;
		}
	}
	if (reserve(tbl))
		goto err_free_rule;
	memmove(&tbl->rules[hi + 1], &tbl->rules[hi], (tbl->n - hi) * sizeof(*tbl->rules));
	tbl->rules[hi] = r;
	tbl->n++;
	ft->n_rules++;
	return 0;

err_free_rule:
	rule_put(r);
	return -ENOMEM;
}

int vsw_ft_del(struct vsw_ft *ft, const struct vsw_flow_spec *filter, int strict)
{
	size_t first = 0, last = VSW_FT_N_TABLES;
	int removed = 0;

	if (!ft || !filter)
		return -EINVAL;
	if (filter->given & VSW_SPEC_TABLE) {
		if (filter->table >= VSW_FT_N_TABLES)
			return 0;
		first = filter->table;
		last = first + 1;
	}
	for (size_t t = first; t < last; t++) {
		struct ft_table *tbl = &ft->t[t];
		size_t kept = 0;

		for (size_t i = 0; i < tbl->n; i++) {
			struct vsw_ft_rule *r = tbl->rules[i];

			if (vsw_flow_spec_selects(filter, &r->spec, strict != 0)) {
				rule_put(r);
				removed++;
			} else {
				tbl->rules[kept++] = r;
			}
		}
		tbl->n = kept;
	}
	ft->n_rules -= (size_t)removed;
	return removed;
}

const struct vsw_ft_rule *vsw_ft_lookup(const struct vsw_ft *ft, uint8_t table,
					const struct vsw_flow_key *key)
{
	const struct ft_table *tbl;

	if (table >= VSW_FT_N_TABLES)
		return NULL;
	tbl = &ft->t[table];
	for (size_t i = 0; i < tbl->n; i++)
		if (vsw_match_hit(&tbl->rules[i]->spec.match, key))
			return tbl->rules[i];
	return NULL;
}

void vsw_ft_rule_hit(const struct vsw_ft_rule *rule, uint32_t packets, uint32_t bytes,
		     uint64_t now_ms)
{
	/* The counters are the one mutable part of a rule (allocated non-const). */
	struct vsw_ft_rule *r = (struct vsw_ft_rule *)rule;

	atomic_fetch_add_explicit(&r->n_packets, packets, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->n_bytes, bytes, memory_order_relaxed);
	atomic_store_explicit(&r->used_ms, now_ms, memory_order_relaxed);
}

const struct vsw_flow_spec *vsw_ft_rule_spec(const struct vsw_ft_rule *rule)
{
	return &rule->spec;
}

const struct vsw_actions *vsw_ft_rule_actions(const struct vsw_ft_rule *rule)
{
	return &rule->spec.actions;
}

void vsw_ft_rule_stats(const struct vsw_ft_rule *rule, struct vsw_ft_rule_stats *st)
{
	st->n_packets = atomic_load_explicit(&rule->n_packets, memory_order_relaxed);
	st->n_bytes = atomic_load_explicit(&rule->n_bytes, memory_order_relaxed);
	st->created_ms = rule->created_ms;
	st->used_ms = atomic_load_explicit(&rule->used_ms, memory_order_relaxed);
}

size_t vsw_ft_count(const struct vsw_ft *ft)
{
	return ft->n_rules;
}

const struct vsw_ft_rule *vsw_ft_rule_at(const struct vsw_ft *ft, size_t i)
{
	for (size_t t = 0; t < VSW_FT_N_TABLES; t++) {
		if (i < ft->t[t].n)
			return ft->t[t].rules[i];
		i -= ft->t[t].n;
	}
	return NULL;
}
