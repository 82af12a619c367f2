/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The classifier against a brute-force reference (ft_ref.c): random rule
 * sets over many masks, priorities, tables and overlaps; adds, replacements,
 * strict and non-strict deletes and clones in random order; every lookup
 * done four ways (plain, through a cache, bursts through the cache and
 * without) with one cache that lives across all versions and rounds, and old
 * versions looked up again after newer ones changed. Plus large tables (segment splits, copy-on-write
 * of shared segments) and the cache's invalidation, step by step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "ft_ref.h"
#include "table.h"

static uint64_t n_lookups; /* checked lookups, all tests */

/* NULL == NULL, or the same install (cookies are unique per install). */
static void check_rule(const struct ft_ref_rule *want, const struct vsw_ft_rule *got)
{
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_true(vsw_ft_rule_cookie(got) == want->spec.cookie);
}

/* `n` random keys looked up four ways in `ft`, checked against `ref`. */
#define MAX_BURST 40 /* more than the cache's chunk of 32 */
static void check_lookups(struct ft_gen *g, const struct vsw_ft *ft, struct ft_ref *ref,
			  struct vsw_ft_cache *cache, unsigned n)
{
	struct vsw_flow_key keys[MAX_BURST];
	const struct vsw_flow_key *kp[MAX_BURST];
	const struct ft_ref_rule *want[MAX_BURST];
	const struct vsw_ft_rule *got[MAX_BURST];

	for (unsigned done = 0; done < n;) {
		uint8_t table = (uint8_t)ft_rnd(&g->rng, g->n_tables + 1); /* one empty */
		unsigned m = 1 + ft_rnd(&g->rng, MAX_BURST), found = 0;

		m = n - done < m ? n - done : m;
		for (unsigned i = 0; i < m; i++) {
			/* Repeat some keys, so that the cache hits within a burst too. */
			if (i && ft_rnd(&g->rng, 4) == 0)
				keys[i] = keys[ft_rnd(&g->rng, i)];
			else
				ft_gen_key(g, ref, &keys[i]);
			kp[i] = &keys[i];
			want[i] = ft_ref_lookup(ref, table, &keys[i]);
			found += want[i] != NULL;
			check_rule(want[i], vsw_ft_lookup(ft, table, &keys[i]));
			check_rule(want[i], vsw_ft_lookup_cached(ft, cache, table, &keys[i]));
		}
		assert_int_equal(vsw_ft_lookup_burst(ft, cache, table, kp, m, got), found);
		for (unsigned i = 0; i < m; i++)
			check_rule(want[i], got[i]);
		assert_int_equal(vsw_ft_lookup_burst(ft, NULL, table, kp, m, got), found);
		for (unsigned i = 0; i < m; i++)
			check_rule(want[i], got[i]);
		n_lookups += 4 * m;
		done += m;
	}
}

/* Iteration lists every rule, table by table in lookup order, as installed. */
static void check_listing(const struct vsw_ft *ft, struct ft_ref *ref)
{
	struct vsw_flow_spec spec;

	ft_ref_sort(ref);
	assert_int_equal(vsw_ft_count(ft), ref->n);
	for (size_t i = 0; i < ref->n; i++) {
		const struct vsw_ft_rule *r = vsw_ft_rule_at(ft, i);

		assert_non_null(r);
		vsw_ft_rule_get_spec(r, &spec);
		if (!ft_ref_same(&ref->r[i]->spec, &spec)) {
			char a[1024], b[1024];

			vsw_flow_format(&ref->r[i]->spec, NULL, a, sizeof(a));
			vsw_flow_format(&spec, NULL, b, sizeof(b));
			fail_msg("rule %zu: want %s got %s", i, a, b);
		}
	}
	assert_null(vsw_ft_rule_at(ft, ref->n));
	for (unsigned t = 0; t < 4; t++)
		assert_int_equal(vsw_ft_table_count(ft, (uint8_t)t), ft_ref_table_count(ref, (uint8_t)t));
}

struct version {
	struct vsw_ft *ft;
	struct ft_ref ref;
};

static void random_round(struct vsw_ft_cache *cache, uint64_t seed, unsigned n_masks,
			 unsigned n_tables, bool wide, unsigned n_ops, unsigned keys_per_op)
{
	struct ft_gen g;
	struct version cur, old = { 0 };

	ft_gen_init(&g, seed, n_masks, n_tables, wide);
	cur.ft = vsw_ft_create();
	assert_non_null(cur.ft);
	ft_ref_init(&cur.ref);
	for (unsigned op = 0; op < n_ops; op++) {
		struct vsw_flow_spec s;
		uint32_t what = ft_rnd(&g.rng, 20);

		if (what < 11) {
			ft_gen_rule(&g, &s);
			assert_int_equal(vsw_ft_add(cur.ft, &s, op), 0);
			ft_ref_add(&cur.ref, &s, false);
		} else if (what < 12) {
			/* mod-flows: new actions, maybe a new cookie, same counters */
			struct vsw_flow_spec acts;
			bool strict = ft_rnd(&g.rng, 2);
			uint64_t cookie = ++g.cookie;
			const uint64_t *cp = ft_rnd(&g.rng, 2) ? &cookie : NULL;
			int want;

			ft_gen_rule(&g, &acts);
			ft_gen_filter(&g, &cur.ref, strict, &s);
			want = ft_ref_mod(&cur.ref, &s, strict, &acts.actions, cp);
			assert_int_equal(vsw_ft_mod(cur.ft, &s, strict, &acts.actions, cp), want);
		} else if (what < 17) {
			bool strict = what < 14;
			int want;

			ft_gen_filter(&g, &cur.ref, strict, &s);
			want = ft_ref_del(&cur.ref, &s, strict);
			assert_int_equal(vsw_ft_del(cur.ft, &s, strict), want);
		} else {
			/* Publish a clone; the previous version stays readable a while. */
			if (old.ft) {
				check_lookups(&g, old.ft, &old.ref, cache, keys_per_op);
				vsw_ft_destroy(old.ft);
				ft_ref_free(&old.ref);
			}
			old = cur;
			ft_ref_copy(&cur.ref, &old.ref);
			cur.ft = vsw_ft_clone(old.ft);
			assert_non_null(cur.ft);
		}
		assert_int_equal(vsw_ft_count(cur.ft), cur.ref.n);
		check_lookups(&g, cur.ft, &cur.ref, cache, keys_per_op);
		if (old.ft && ft_rnd(&g.rng, 4) == 0)
			check_lookups(&g, old.ft, &old.ref, cache, 32);
	}
	check_listing(cur.ft, &cur.ref);
	check_lookups(&g, cur.ft, &cur.ref, cache, 20 * keys_per_op);
	if (old.ft) {
		check_listing(old.ft, &old.ref);
		vsw_ft_destroy(old.ft);
		ft_ref_free(&old.ref);
	}
	vsw_ft_destroy(cur.ft);
	ft_ref_free(&cur.ref);
}

static void test_random_rounds(void **state)
{
	struct vsw_ft_cache *cache = vsw_ft_cache_create(64); /* small: evictions */
	static const unsigned MASKS[] = { 1, 3, 8, 20, 48 };

	(void)state;
	assert_non_null(cache);
	for (unsigned round = 0; round < 120; round++) {
		unsigned masks = MASKS[round % 5];

		random_round(cache, round + 1, masks, 1 + round % 3, round % 4 == 3,
			     40 + (round * 37) % 400, 64);
	}
	vsw_ft_cache_destroy(cache);
}

/* Many rules over 32 masks, wide priorities: against the reference. */
static void test_many_masks(void **state)
{
	struct vsw_ft_cache *cache = vsw_ft_cache_create(0);
	struct vsw_ft *ft = vsw_ft_create(), *next;
	struct ft_gen g;
	struct ft_ref ref;

	(void)state;
	ft_gen_init(&g, 4242, 32, 1, true);
	ft_ref_init(&ref);
	for (unsigned i = 0; i < 6000; i++) {
		struct vsw_flow_spec s;

		ft_gen_rule(&g, &s);
		assert_int_equal(vsw_ft_add(ft, &s, i), 0);
		ft_ref_add(&ref, &s, false);
	}
	check_lookups(&g, ft, &ref, cache, 6000);
	/* Delete a third in one clone, strictly and not. */
	next = vsw_ft_clone(ft);
	for (unsigned i = 0; i < 300; i++) {
		struct vsw_flow_spec f;
		bool strict = i % 3 != 0;

		ft_gen_filter(&g, &ref, strict, &f);
		assert_int_equal(vsw_ft_del(next, &f, strict), ft_ref_del(&ref, &f, strict));
	}
	vsw_ft_destroy(ft);
	check_lookups(&g, next, &ref, cache, 6000);
	check_listing(next, &ref);
	vsw_ft_destroy(next);
	ft_ref_free(&ref);
	vsw_ft_cache_destroy(cache);
}

/* One mask, many rules: directory doubling and segment splits, shared
 * segments copied on write while the old version keeps its rules. */
static void spec_n(struct vsw_flow_spec *s, uint32_t i, uint16_t prio)
{
	vsw_flow_spec_init(s);
	s->priority = prio;
	s->cookie = (uint64_t)prio << 32 | i;
	s->match.key.in_port = 1 + i % 7;
	s->match.mask.in_port = UINT32_MAX;
	s->match.key.nw_src = i * 2654435761u;
	s->match.mask.nw_src = UINT32_MAX;
	s->actions.n = 1;
	s->actions.a[0].type = VSW_ACT_OUTPUT;
	s->actions.a[0].arg = i;
}

static void key_n(struct vsw_flow_key *k, uint32_t i)
{
	memset(k, 0, sizeof(*k));
	k->in_port = 1 + i % 7;
	k->nw_src = i * 2654435761u;
	k->tp_dst = (uint16_t)i; /* not matched */
}

static void expect(const struct vsw_ft *ft, struct vsw_ft_cache *c, uint32_t i, uint64_t cookie)
{
	struct vsw_flow_key k;
	const struct vsw_ft_rule *a, *b;

	key_n(&k, i);
	a = vsw_ft_lookup(ft, 0, &k);
	b = vsw_ft_lookup_cached(ft, c, 0, &k);
	assert_ptr_equal(a, b);
	if (!cookie) {
		assert_null(a);
		return;
	}
	assert_non_null(a);
	assert_true(vsw_ft_rule_cookie(a) == cookie);
	n_lookups += 2;
}

static void test_one_mask_large(void **state)
{
	const uint32_t N = 50000; /* segments of mixed depths */
	struct vsw_ft_cache *c = vsw_ft_cache_create(4096);
	struct vsw_ft *v1 = vsw_ft_create(), *v2, *v3;
	struct vsw_flow_spec s;

	(void)state;
	for (uint32_t i = 0; i < N; i++) {
		spec_n(&s, i, 100);
		assert_int_equal(vsw_ft_add(v1, &s, 0), 0);
	}
	assert_int_equal(vsw_ft_count(v1), N);
	/* v2: every third rule deleted strictly, every fifth shadowed by a higher
	 * priority twin (a group), every seventh replaced. */
	v2 = vsw_ft_clone(v1);
	for (uint32_t i = 0; i < N; i++) {
		if (i % 3 == 0) {
			spec_n(&s, i, 100);
			s.given |= VSW_SPEC_TABLE;
			assert_int_equal(vsw_ft_del(v2, &s, 1), 1);
		} else if (i % 5 == 0) {
			spec_n(&s, i, 200);
			assert_int_equal(vsw_ft_add(v2, &s, 0), 0);
		} else if (i % 7 == 0) {
			spec_n(&s, i, 100);
			s.cookie |= 1ull << 60;
			assert_int_equal(vsw_ft_add(v2, &s, 0), 0);
		}
	}
	/* v3: the twins deleted again, revealing the rules below them. */
	v3 = vsw_ft_clone(v2);
	for (uint32_t i = 0; i < N; i += 5) {
		if (i % 3) {
			spec_n(&s, i, 200);
			assert_int_equal(vsw_ft_del(v3, &s, 1), 1);
		}
	}
	for (uint32_t i = 0; i < N + 100; i++) {
		uint64_t c1 = i < N ? (uint64_t)100 << 32 | i : 0;
		uint64_t c2 = i >= N || i % 3 == 0 ? 0
			      : i % 5 == 0 ? (uint64_t)200 << 32 | i
			      : i % 7 == 0 ? c1 | 1ull << 60 : c1;
		uint64_t c3 = i >= N || i % 3 == 0 ? 0
			      : i % 7 == 0 && i % 5 != 0 ? c1 | 1ull << 60 : c1;

		expect(v1, c, i, c1);
		expect(v2, c, i, c2);
		expect(v3, c, i, c3);
	}
	vsw_ft_destroy(v2); /* the middle one first */
	for (uint32_t i = 0; i < N; i += 13)
		expect(v3, c, i, i % 3 == 0 ? 0 : i % 7 == 0 && i % 5 != 0
				 ? ((uint64_t)100 << 32 | i) | 1ull << 60
				 : (uint64_t)100 << 32 | i);
	vsw_ft_destroy(v1);
	assert_int_equal(vsw_ft_count(v3), N - (N + 2) / 3);
	/* Non-strict delete of everything in port 3, then of all. */
	spec_n(&s, 2, 0);
	memset(&s.match.mask, 0, sizeof(s.match.mask));
	s.match.mask.in_port = UINT32_MAX;
	s.match.key.in_port = 3;
	assert_true(vsw_ft_del(v3, &s, 0) > 0);
	expect(v3, c, 2, 0);
	vsw_flow_spec_init(&s);
	int before = (int)vsw_ft_count(v3);
	assert_int_equal(vsw_ft_del(v3, &s, 0), before);
	assert_int_equal(vsw_ft_count(v3), 0);
	expect(v3, c, 1, 0);
	vsw_ft_destroy(v3);
	vsw_ft_cache_destroy(c);
}

/* The cache never returns what the version looked up would not. */
static void add_text(struct vsw_ft *ft, const char *text)
{
	struct vsw_flow_spec s;
	char err[256];

	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &s, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	assert_int_equal(vsw_ft_add(ft, &s, 0), 0);
}

static int del_text(struct vsw_ft *ft, const char *text, int strict)
{
	struct vsw_flow_spec s;
	char err[256];

	if (vsw_flow_parse(text, VSW_PARSE_FILTER, NULL, &s, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	return vsw_ft_del(ft, &s, strict);
}

static uint64_t cached_cookie(const struct vsw_ft *ft, struct vsw_ft_cache *c, uint8_t table,
			      const struct vsw_flow_key *k)
{
	const struct vsw_ft_rule *r = vsw_ft_lookup_cached(ft, c, table, k);

	return r ? vsw_ft_rule_cookie(r) : 0;
}

static void test_cache_invalidation(void **state)
{
	struct vsw_ft_cache *c = vsw_ft_cache_create(2); /* one set: both ways */
	struct vsw_ft *v1 = vsw_ft_create(), *v2, *v3, *v4;
	struct vsw_flow_key k = { .in_port = 1, .dl_type = 0x800 };
	struct vsw_ft_cache_stats st;

	(void)state;
	add_text(v1, "cookie=1,priority=10,in_port=1,actions=output:2");
	add_text(v1, "table=1,cookie=9,actions=drop");
	assert_true(cached_cookie(v1, c, 0, &k) == 1);
	assert_true(cached_cookie(v1, c, 0, &k) == 1);
	vsw_ft_cache_stats(c, &st);
	assert_true(st.hits == 1 && st.misses == 1 && st.rule_hits == 1);

	/* A better rule in a new version: found at once; the old one still. */
	v2 = vsw_ft_clone(v1);
	add_text(v2, "cookie=2,priority=20,ip,actions=output:3");
	assert_true(cached_cookie(v2, c, 0, &k) == 2);
	assert_true(cached_cookie(v1, c, 0, &k) == 1);
	assert_true(cached_cookie(v2, c, 0, &k) == 2);
	/* Another table's change keeps table 0's entries (same generation). */
	assert_true(cached_cookie(v2, c, 1, &k) == 9);
	v3 = vsw_ft_clone(v2);
	add_text(v3, "table=1,cookie=10,priority=40000,actions=drop");
	vsw_ft_cache_stats(c, &st);
	uint64_t misses = st.misses;
	assert_true(cached_cookie(v3, c, 0, &k) == 2);
	vsw_ft_cache_stats(c, &st);
	assert_true(st.misses == misses);
	assert_true(cached_cookie(v3, c, 1, &k) == 10);

	/* Replaced in place (same match and priority): the new rule object. */
	vsw_ft_destroy(v1);
	vsw_ft_destroy(v2);
	v4 = vsw_ft_clone(v3);
	add_text(v4, "cookie=3,priority=20,ip,actions=output:4");
	assert_true(cached_cookie(v4, c, 0, &k) == 3);
	assert_int_equal(vsw_ft_rule_actions(vsw_ft_lookup_cached(v4, c, 0, &k))->a[0].arg, 4);
	vsw_ft_destroy(v3); /* the replaced rule is freed now */
	assert_true(cached_cookie(v4, c, 0, &k) == 3);

	/* Deleted: back to the lower rule, then to a (cached) miss, then a hit. */
	assert_int_equal(del_text(v4, "priority=20,ip", 1), 1);
	assert_true(cached_cookie(v4, c, 0, &k) == 1);
	assert_int_equal(del_text(v4, "table=0", 0), 1);
	assert_true(cached_cookie(v4, c, 0, &k) == 0);
	add_text(v4, "cookie=4,priority=0,actions=drop");
	assert_true(cached_cookie(v4, c, 0, &k) == 4);
	k.in_port = 2; /* another key in the same (only) set */
	assert_true(cached_cookie(v4, c, 0, &k) == 4);
	assert_int_equal(del_text(v4, "", 0), 3); /* and table 1's two */
	assert_true(cached_cookie(v4, c, 0, &k) == 0);
	k.in_port = 1;
	assert_true(cached_cookie(v4, c, 0, &k) == 0);

	/* A fresh version of another lineage is never confused with this one. */
	struct vsw_ft *other = vsw_ft_create();
	add_text(other, "cookie=5,actions=drop");
	assert_true(cached_cookie(other, c, 0, &k) == 5);
	assert_true(cached_cookie(v4, c, 0, &k) == 0);
	assert_null(vsw_ft_lookup_cached(other, c, 200, &k));
	vsw_ft_destroy(other);
	vsw_ft_destroy(v4);
	vsw_ft_cache_destroy(c);
	vsw_ft_cache_destroy(NULL);
}

/* Rules of one match at several priorities; the top one answers. */
/* The cache tells hits that gave a rule from cached misses (pmd-stats). */
static void test_cache_rule_hits(void **state)
{
	struct vsw_ft_cache *c = vsw_ft_cache_create(0);
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_flow_key hit = { .in_port = 1 }, miss = { .in_port = 5 };
	struct vsw_ft_cache_stats st;

	(void)state;
	add_text(ft, "priority=10,in_port=1,actions=output:2");
	for (int i = 0; i < 3; i++) {
		assert_non_null(vsw_ft_lookup_cached(ft, c, 0, &hit));
		assert_null(vsw_ft_lookup_cached(ft, c, 0, &miss));
	}
	vsw_ft_cache_stats(c, &st);
	assert_int_equal(st.misses, 2); /* the first of each */
	assert_int_equal(st.hits, 4);
	assert_int_equal(st.rule_hits, 2); /* the other two hits were cached misses */
	vsw_ft_destroy(ft);
	vsw_ft_cache_destroy(c);
}

/*
 * The cache keys entries by the key under the union of the table's masks:
 * flows that differ only in fields no rule looks at share one entry, and a
 * rule with a wider mask (a new union, a new generation) tells them apart.
 */
static void test_cache_masked_key(void **state)
{
	struct vsw_ft_cache *c = vsw_ft_cache_create(0);
	struct vsw_ft *ft = vsw_ft_create(), *wide;
	struct vsw_ft_cache_stats st;
	struct vsw_flow_key k = { .dl_type = 0x0800, .nw_dst = 0x0a000001 };

	(void)state;
	add_text(ft, "cookie=1,priority=10,ip,nw_dst=10.0.0.1,actions=output:2");
	for (uint16_t i = 0; i < 64; i++) { /* 64 flows: other sources and ports */
		k.nw_src = 0x0a010000u + i;
		k.tp_src = (uint16_t)(1000 + i);
		assert_true(vsw_ft_rule_cookie(vsw_ft_lookup_cached(ft, c, 0, &k)) == 1);
	}
	vsw_ft_cache_stats(c, &st);
	assert_int_equal(st.misses, 1); /* one entry for all of them */
	assert_int_equal(st.hits, 63);

	wide = vsw_ft_clone(ft);
	add_text(wide, "cookie=2,priority=20,tcp,nw_dst=10.0.0.1,tp_src=1005,actions=drop");
	k.nw_proto = 6;
	for (uint16_t i = 0; i < 64; i++) {
		k.nw_src = 0x0a010000u + i;
		k.tp_src = (uint16_t)(1000 + i);
		assert_true(vsw_ft_rule_cookie(vsw_ft_lookup_cached(wide, c, 0, &k)) ==
			    (i == 5 ? 2 : 1));
		assert_true(vsw_ft_rule_cookie(vsw_ft_lookup_cached(ft, c, 0, &k)) == 1);
	}
	vsw_ft_destroy(wide);
	vsw_ft_destroy(ft);
	vsw_ft_cache_destroy(c);
}

/*
 * Bursts whose keys the table cannot tell apart (a train) are looked up
 * once: same rules and counts as key by key; a burst with one other key in
 * it is not a train.
 */
static void test_cache_burst_train(void **state)
{
	struct vsw_ft_cache *c = vsw_ft_cache_create(0);
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_ft_cache_stats st;
	struct vsw_flow_key k[32];
	const struct vsw_flow_key *keys[32];
	const struct vsw_ft_rule *rules[32];

	(void)state;
	add_text(ft, "cookie=1,priority=10,in_port=1,vlan_tci=0,actions=normal");
	add_text(ft, "cookie=2,priority=10,in_port=2,vlan_tci=0,actions=normal");
	for (int i = 0; i < 32; i++) { /* 32 flows, one rule */
		k[i] = (struct vsw_flow_key){ .in_port = 1, .dl_type = 0x0800 };
		k[i].dl_src[5] = (uint8_t)i;
		k[i].nw_dst = 0x0a000000u + (uint32_t)i;
		keys[i] = &k[i];
	}
	assert_int_equal(vsw_ft_lookup_burst(ft, c, 0, keys, 32, rules), 32);
	for (int i = 0; i < 32; i++)
		assert_true(vsw_ft_rule_cookie(rules[i]) == 1);
	vsw_ft_cache_stats(c, &st);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.hits, 31);
	assert_int_equal(st.rule_hits, 31);

	k[31].in_port = 2; /* the last one is another flow for the table */
	assert_int_equal(vsw_ft_lookup_burst(ft, c, 0, keys, 32, rules), 32);
	for (int i = 0; i < 32; i++)
		assert_true(vsw_ft_rule_cookie(rules[i]) == (i == 31 ? 2 : 1));
	k[0].in_port = 3; /* the first one matches nothing */
	assert_int_equal(vsw_ft_lookup_burst(ft, c, 0, keys, 32, rules), 31);
	assert_null(rules[0]);
	assert_true(vsw_ft_rule_cookie(rules[1]) == 1 && vsw_ft_rule_cookie(rules[31]) == 2);
	vsw_ft_cache_stats(c, &st);
	assert_int_equal(st.misses, 3);
	assert_int_equal(st.hits, 93);
	assert_int_equal(st.rule_hits, 93);
	vsw_ft_destroy(ft);
	vsw_ft_cache_destroy(c);
}

/* A table whose rules look at more of the key than an entry holds: the
 * classifier alone, same results. */
static void test_cache_wide_union(void **state)
{
	struct vsw_ft_cache *c = vsw_ft_cache_create(0);
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_ft_cache_stats st;
	struct vsw_flow_key k = { .dl_type = 0x86dd, .in_port = 3 };

	(void)state;
	add_text(ft, "cookie=1,priority=10,ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,"
		     "actions=output:2");
	add_text(ft, "cookie=2,priority=5,in_port=3,reg0=1,reg2=3,reg4=5,reg6=7,"
		     "metadata=9,tun_id=4,actions=drop");
	k.ipv6_src[0] = k.ipv6_dst[0] = 0x20;
	k.ipv6_src[1] = k.ipv6_dst[1] = 0x01;
	k.ipv6_src[2] = k.ipv6_dst[2] = 0x0d;
	k.ipv6_src[3] = k.ipv6_dst[3] = 0xb8;
	k.ipv6_src[15] = 1;
	k.ipv6_dst[15] = 2;
	for (int i = 0; i < 3; i++)
		assert_true(vsw_ft_rule_cookie(vsw_ft_lookup_cached(ft, c, 0, &k)) == 1);
	k.ipv6_dst[15] = 3;
	k.regs[0] = 1, k.regs[2] = 3, k.regs[4] = 5, k.regs[6] = 7;
	k.metadata = 9, k.tun_id = 4;
	assert_true(vsw_ft_rule_cookie(vsw_ft_lookup_cached(ft, c, 0, &k)) == 2);
	vsw_ft_cache_stats(c, &st);
	assert_int_equal(st.hits, 0);
	assert_int_equal(st.misses, 4);
	vsw_ft_destroy(ft);
	vsw_ft_cache_destroy(c);
}

/* Tables whose rules match metadata only: frames with equal metadata get equal rules. */
static void test_meta_only(void **state)
{
	struct vsw_ft *ft = vsw_ft_create(), *next;

	(void)state;
	assert_false(vsw_ft_table_meta_only(ft, 0)); /* no rules */
	add_text(ft, "in_port=1,actions=output:2");
	add_text(ft, "table=1,metadata=0x5,reg3=7,tun_id=9,actions=output:2");
	add_text(ft, "table=2,in_port=1,dl_dst=02:00:00:00:00:01,actions=output:2");
	add_text(ft, "table=3,priority=0,actions=drop");
	assert_true(vsw_ft_table_meta_only(ft, 0));
	assert_true(vsw_ft_table_meta_only(ft, 1));
	assert_false(vsw_ft_table_meta_only(ft, 2));
	assert_true(vsw_ft_table_meta_only(ft, 3)); /* matches nothing at all */
	next = vsw_ft_clone(ft);
	assert_true(vsw_ft_table_meta_only(next, 0));
	add_text(next, "ip,nw_dst=10.0.0.1,actions=drop");
	assert_false(vsw_ft_table_meta_only(next, 0));
	assert_true(vsw_ft_table_meta_only(ft, 0)); /* the published one is untouched */
	assert_int_equal(del_text(next, "ip,nw_dst=10.0.0.1", 0), 1);
	assert_true(vsw_ft_table_meta_only(next, 0));
	assert_int_equal(del_text(next, "table=0,in_port=1", 0), 1);
	assert_false(vsw_ft_table_meta_only(next, 0)); /* empty again */
	vsw_ft_destroy(next);
	vsw_ft_destroy(ft);
}

static void test_same_match_priorities(void **state)
{
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_flow_key k = { .in_port = 7 };
	const char *texts[] = { "cookie=1,priority=5,in_port=7,actions=drop",
				"cookie=2,priority=50,in_port=7,actions=drop",
				"cookie=3,priority=1,in_port=7,actions=drop",
				"cookie=4,priority=500,in_port=7,actions=drop",
				"cookie=5,priority=20,in_port=7,actions=drop",
				"cookie=6,priority=40,in_port=7,actions=drop" };
	uint64_t order[] = { 4, 2, 6, 5, 1, 3 };

	(void)state;
	for (unsigned i = 0; i < 6; i++)
		add_text(ft, texts[i]);
	add_text(ft, "cookie=7,priority=50,in_port=7,actions=output:1"); /* replaces 2 */
	order[1] = 7;
	assert_int_equal(vsw_ft_count(ft), 6);
	for (unsigned i = 0; i < 6; i++) {
		char f[64];

		assert_true(vsw_ft_rule_cookie(vsw_ft_lookup(ft, 0, &k)) == order[i]);
		assert_true(vsw_ft_rule_cookie(vsw_ft_rule_at(ft, 0)) == order[i]);
		snprintf(f, sizeof(f), "priority=%u,in_port=7",
			 vsw_ft_rule_priority(vsw_ft_lookup(ft, 0, &k)));
		assert_int_equal(del_text(ft, f, 1), 1);
	}
	assert_null(vsw_ft_lookup(ft, 0, &k));
	vsw_ft_destroy(ft);
}

/* mod-flows keeps counters, age and install order; the old version keeps its rule. */
static void test_mod(void **state)
{
	struct vsw_ft *v1 = vsw_ft_create(), *v2;
	struct vsw_flow_key k = { .in_port = 1, .dl_type = 0x800 };
	struct vsw_ft_cache *c = vsw_ft_cache_create(0);
	struct vsw_ft_rule_stats st;
	struct vsw_flow_spec f, a;
	const struct vsw_ft_rule *r;
	uint64_t cookie = 0x77;
	char err[256];

	(void)state;
	add_text(v1, "cookie=1,priority=10,in_port=1,actions=output:2");
	add_text(v1, "cookie=2,priority=10,ip,actions=output:3"); /* installed later */
	r = vsw_ft_lookup_cached(v1, c, 0, &k);
	assert_true(vsw_ft_rule_cookie(r) == 1);
	vsw_ft_rule_hit(r, 5, 500, 1234);
	v2 = vsw_ft_clone(v1);
	assert_int_equal(vsw_flow_parse("in_port=1", VSW_PARSE_FILTER, NULL, &f, err, sizeof(err)), 0);
	assert_int_equal(vsw_flow_parse("actions=output:9,output:8", VSW_PARSE_ADD, NULL, &a, err,
					sizeof(err)), 0);
	assert_int_equal(vsw_ft_mod(v2, &f, 0, &a.actions, &cookie), 1);
	r = vsw_ft_lookup_cached(v2, c, 0, &k); /* still first: same install order */
	assert_true(vsw_ft_rule_cookie(r) == 0x77);
	assert_int_equal(vsw_ft_rule_actions(r)->n, 2);
	assert_int_equal(vsw_ft_rule_actions(r)->a[0].arg, 9);
	vsw_ft_rule_stats(r, &st);
	assert_true(st.n_packets == 5 && st.n_bytes == 500 && st.used_ms == 1234);
	assert_true(vsw_ft_rule_cookie(vsw_ft_lookup_cached(v1, c, 0, &k)) == 1);
	/* Strict: priority and match must be equal; no cookie change. */
	f.priority = 11;
	assert_int_equal(vsw_ft_mod(v2, &f, 1, &a.actions, NULL), 0);
	f.priority = 10;
	assert_int_equal(vsw_ft_mod(v2, &f, 1, &a.actions, NULL), 1);
	assert_true(vsw_ft_rule_cookie(vsw_ft_lookup(v2, 0, &k)) == 0x77);
	assert_int_equal(vsw_ft_mod(v2, &f, 0, NULL, NULL), -EINVAL);
	vsw_ft_destroy(v1);
	assert_int_equal(vsw_ft_count(v2), 2);
	vsw_ft_destroy(v2);
	vsw_ft_cache_destroy(c);
}

static int report(void **state)
{
	(void)state;
	printf("[ INFO     ] %llu lookups checked against the reference\n",
	       (unsigned long long)n_lookups);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_match_priorities),
		cmocka_unit_test(test_cache_invalidation),
		cmocka_unit_test(test_cache_rule_hits),
		cmocka_unit_test(test_cache_burst_train),
		cmocka_unit_test(test_cache_masked_key),
		cmocka_unit_test(test_cache_wide_union),
		cmocka_unit_test(test_meta_only),
		cmocka_unit_test(test_mod),
		cmocka_unit_test(test_one_mask_large),
		cmocka_unit_test(test_many_masks),
		cmocka_unit_test(test_random_rounds),
	};

	return cmocka_run_group_tests(tests, NULL, report);
}
