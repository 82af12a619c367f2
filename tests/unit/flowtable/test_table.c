/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow table: priorities, the equal-priority order, replacement,
 * strict and non-strict delete, clones sharing rules and counters, iteration,
 * and random rule sets checked against a brute-force reference over
 * thousands of random keys.
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
#include "table.h"

static struct vsw_flow_spec spec_of(const char *text, enum vsw_flow_parse_mode mode)
{
	struct vsw_flow_spec spec;
	char err[256];

	if (vsw_flow_parse(text, mode, NULL, &spec, err, sizeof(err)))
		fail_msg("'%s': %s", text, err);
	return spec;
}

static void add(struct vsw_ft *ft, const char *text, uint64_t now)
{
	struct vsw_flow_spec spec = spec_of(text, VSW_PARSE_ADD);

	assert_int_equal(vsw_ft_add(ft, &spec, now), 0);
}

static int del(struct vsw_ft *ft, const char *filter, int strict)
{
	struct vsw_flow_spec f = spec_of(filter, VSW_PARSE_FILTER);

	return vsw_ft_del(ft, &f, strict);
}

static struct vsw_flow_key key_of(uint32_t in_port, uint16_t dl_type, uint16_t vlan_tci,
				  uint8_t dst_last)
{
	struct vsw_flow_key k;

	memset(&k, 0, sizeof(k));
	k.in_port = in_port;
	k.dl_type = dl_type;
	k.vlan_tci = vlan_tci;
	k.dl_dst[0] = 0x02;
	k.dl_dst[5] = dst_last;
	k.dl_src[0] = 0x02;
	k.dl_src[5] = 0x99;
	return k;
}

/* The first output port of the rule `lookup` finds, 0 for a miss, -1 for no output. */
static int out_port(const struct vsw_ft *ft, uint8_t table, const struct vsw_flow_key *k)
{
	const struct vsw_ft_rule *r = vsw_ft_lookup(ft, table, k);
	const struct vsw_actions *a;

	if (!r)
		return 0;
	a = vsw_ft_rule_actions(r);
	return a->n && a->a[0].type == VSW_ACT_OUTPUT ? (int)a->a[0].arg : -1;
}

static void test_empty(void **state)
{
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_flow_key k = key_of(1, 0x800, 0, 2);

	(void)state;
	assert_non_null(ft);
	assert_int_equal(vsw_ft_count(ft), 0);
	assert_null(vsw_ft_rule_at(ft, 0));
	assert_null(vsw_ft_lookup(ft, 0, &k));
	assert_null(vsw_ft_lookup(ft, 254, &k));
	assert_null(vsw_ft_lookup(ft, 255, &k));
	vsw_ft_destroy(ft);
	vsw_ft_destroy(NULL);
}

static void test_priorities(void **state)
{
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_flow_key k1 = key_of(1, 0x800, 0, 2), k2 = key_of(2, 0x806, 0, 2);

	(void)state;
	add(ft, "priority=10,actions=output:10", 0);
	add(ft, "priority=30,in_port=1,ip,actions=output:30", 0);
	add(ft, "priority=20,in_port=1,actions=output:20", 0);
	add(ft, "priority=0,actions=output:99", 0);
	add(ft, "table=1,priority=65535,actions=output:11", 0);
	assert_int_equal(out_port(ft, 0, &k1), 30);
	assert_int_equal(out_port(ft, 0, &k2), 10);
	k1.dl_type = 0x806;
	assert_int_equal(out_port(ft, 0, &k1), 20);
	assert_int_equal(out_port(ft, 1, &k1), 11);
	assert_int_equal(out_port(ft, 2, &k1), 0);
	assert_int_equal(del(ft, "priority=10", 1), 1);
	assert_int_equal(out_port(ft, 0, &k2), 99);

	/* Iteration: table by table, each in lookup order. */
	static const uint16_t prios[] = { 30, 20, 0, 65535 };
	assert_int_equal(vsw_ft_count(ft), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(vsw_ft_rule_priority(vsw_ft_rule_at(ft, i)), prios[i]);
	assert_null(vsw_ft_rule_at(ft, 4));
	vsw_ft_destroy(ft);
}

static void test_equal_priority_stable(void **state)
{
	struct vsw_flow_key k = key_of(1, 0x800, 0, 2);
	struct vsw_ft *a = vsw_ft_create(), *b = vsw_ft_create();

	(void)state;
	/* Both match k; the one installed first wins, in either order. */
	add(a, "priority=100,in_port=1,actions=output:1", 0);
	add(a, "priority=100,ip,actions=output:2", 0);
	add(b, "priority=100,ip,actions=output:2", 0);
	add(b, "priority=100,in_port=1,actions=output:1", 0);
	assert_int_equal(out_port(a, 0, &k), 1);
	assert_int_equal(out_port(b, 0, &k), 2);
	/* Many equal-priority rules interleaved with others keep install order. */
	for (int i = 0; i < 20; i++) {
		char text[96];

		snprintf(text, sizeof(text), "priority=%d,dl_dst=02:00:00:00:00:%02x,actions=output:%d",
			 i % 2 ? 100 : 50, i, i + 10);
		add(a, text, 0);
	}
	uint16_t last_prio = UINT16_MAX;
	uint32_t last_port = 0;
	for (size_t i = 0; i < vsw_ft_count(a); i++) {
		struct vsw_flow_spec s;

		vsw_ft_rule_get_spec(vsw_ft_rule_at(a, i), &s);
		assert_true(s.priority <= last_prio);
		if (s.priority != last_prio)
			last_port = 0;
		assert_true(s.actions.a[0].arg > last_port); /* install order here */
		last_prio = s.priority;
		last_port = s.actions.a[0].arg;
	}
	vsw_ft_destroy(a);
	vsw_ft_destroy(b);
}

static void test_replace_resets_counters(void **state)
{
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_flow_key k = key_of(1, 0x800, 0, 2);
	struct vsw_ft_rule_stats st;
	const struct vsw_ft_rule *r;

	(void)state;
	add(ft, "priority=100,in_port=1,actions=output:2", 1000);
	add(ft, "priority=100,ip,actions=output:3", 1000);
	r = vsw_ft_lookup(ft, 0, &k);
	vsw_ft_rule_stats(r, &st);
	assert_true(st.n_packets == 0 && st.n_bytes == 0);
	assert_true(st.created_ms == 1000 && st.used_ms == 1000);
	vsw_ft_rule_hit(r, 3, 300, 1500);
	vsw_ft_rule_hit(r, 1, 64, 1600);
	vsw_ft_rule_stats(r, &st);
	assert_true(st.n_packets == 4 && st.n_bytes == 364);
	assert_true(st.created_ms == 1000 && st.used_ms == 1600);

	/* Same table, priority and match: replaced, in place, counters reset. */
	add(ft, "priority=100,in_port=1,cookie=0x7,actions=output:4", 2000);
	assert_int_equal(vsw_ft_count(ft), 2);
	r = vsw_ft_lookup(ft, 0, &k);
	assert_int_equal(vsw_ft_rule_actions(r)->a[0].arg, 4);
	assert_true(vsw_ft_rule_cookie(r) == 7);
	vsw_ft_rule_stats(r, &st);
	assert_true(st.n_packets == 0 && st.n_bytes == 0);
	assert_true(st.created_ms == 2000 && st.used_ms == 2000);

	/* A different priority or table is another rule. */
	add(ft, "priority=101,in_port=1,actions=output:5", 0);
	add(ft, "table=1,priority=100,in_port=1,actions=output:6", 0);
	assert_int_equal(vsw_ft_count(ft), 4);
	vsw_ft_destroy(ft);
}

static void test_add_invalid(void **state)
{
	struct vsw_ft *ft = vsw_ft_create();
	struct vsw_flow_spec spec;

	(void)state;
	vsw_flow_spec_init(&spec);
	spec.table = 255;
	assert_int_equal(vsw_ft_add(ft, &spec, 0), -EINVAL);
	spec.table = 0;
	spec.actions.n = VSW_MAX_ACTIONS + 1;
	assert_int_equal(vsw_ft_add(ft, &spec, 0), -EINVAL);
	assert_int_equal(vsw_ft_count(ft), 0);

	/* A match that is not normalized is normalized on install. */
	spec.actions.n = 0;
	spec.match.key.in_port = 0x1234;
	spec.match.mask.in_port = 0xff;
	assert_int_equal(vsw_ft_add(ft, &spec, 0), 0);
	vsw_ft_rule_get_spec(vsw_ft_rule_at(ft, 0), &spec);
	assert_int_equal(spec.match.key.in_port, 0x34);
	assert_int_equal(spec.match.mask.in_port, 0xff);
	struct vsw_flow_key k = key_of(0x34, 0, 0, 0);
	assert_non_null(vsw_ft_lookup(ft, 0, &k));
	vsw_ft_destroy(ft);
}

static struct vsw_ft *del_fixture(void)
{
	struct vsw_ft *ft = vsw_ft_create();

	add(ft, "priority=100,in_port=1,actions=output:1", 0);
	add(ft, "priority=200,in_port=1,ip,actions=output:2", 0);
	add(ft, "in_port=1,actions=output:3", 0);
	add(ft, "priority=100,in_port=2,actions=output:4", 0);
	add(ft, "priority=100,actions=output:5", 0);
	add(ft, "table=1,priority=100,in_port=1,cookie=0x12,actions=output:6", 0);
	add(ft, "table=1,priority=100,in_port=1,dl_vlan=5,cookie=0x34,actions=output:7", 0);
	return ft;
}

static void test_del_nonstrict(void **state)
{
	struct vsw_ft *ft;

	(void)state;
	ft = del_fixture();
	assert_int_equal(del(ft, "in_port=1", 0), 5); /* all tables, any priority */
	assert_int_equal(vsw_ft_count(ft), 2);
	vsw_ft_destroy(ft);

	ft = del_fixture();
	assert_int_equal(del(ft, "table=0,in_port=1", 0), 3);
	assert_int_equal(del(ft, "table=0,in_port=1", 0), 0);
	assert_int_equal(vsw_ft_count(ft), 4);
	vsw_ft_destroy(ft);

	ft = del_fixture();
	/* A filter field the rule does not match does not select it. */
	assert_int_equal(del(ft, "ip", 0), 1);
	assert_int_equal(del(ft, "cookie=0x30/0xf0", 0), 1);
	assert_int_equal(vsw_ft_lookup(ft, 1, &(struct vsw_flow_key){ .in_port = 1,
								      .vlan_tci = 0x1005 }) != NULL,
			 1);
	assert_int_equal(del(ft, "cookie=0x12", 0), 1);
	assert_int_equal(del(ft, "dl_vlan=5", 0), 0);
	/* "Untagged only" does not select rules that ignore the VLAN, though 0 & 0 == 0. */
	assert_int_equal(del(ft, "vlan_tci=0", 0), 0);
	assert_int_equal(del(ft, "dl_dst=00:00:00:00:00:00", 0), 0);
	assert_int_equal(del(ft, "table=254", 0), 0);
	assert_int_equal(del(ft, "", 0), 4); /* everything */
	assert_int_equal(vsw_ft_count(ft), 0);
	vsw_ft_destroy(ft);
}

static void test_del_strict(void **state)
{
	struct vsw_ft *ft = del_fixture();

	(void)state;
	assert_int_equal(del(ft, "in_port=1", 1), 1); /* priority 32768 only */
	assert_int_equal(del(ft, "priority=100,in_port=1", 1), 2); /* tables 0 and 1 */
	assert_int_equal(del(ft, "priority=200,in_port=1", 1), 0); /* match differs (ip) */
	assert_int_equal(del(ft, "priority=200,in_port=1,ip", 1), 1);
	assert_int_equal(del(ft, "priority=100", 1), 1);
	assert_int_equal(del(ft, "table=1,priority=100,in_port=1,dl_vlan=5,cookie=0x99", 1), 0);
	assert_int_equal(del(ft, "table=1,priority=100,in_port=1,dl_vlan=5", 1), 1);
	assert_int_equal(vsw_ft_count(ft), 1);
	assert_int_equal(vsw_ft_rule_actions(vsw_ft_rule_at(ft, 0))->a[0].arg, 4);
	assert_int_equal(vsw_ft_del(ft, NULL, 0), -EINVAL);
	vsw_ft_destroy(ft);
}

static void test_selects_and_same_rule(void **state)
{
	struct vsw_flow_spec r = spec_of("table=2,priority=7,cookie=0xab,in_port=1,ip,actions=drop",
					 VSW_PARSE_ADD);
	struct vsw_flow_spec f;

	(void)state;
	f = spec_of("", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, false));
	assert_false(vsw_flow_spec_selects(&f, &r, true)); /* priority and masks differ */
	f = spec_of("table=2", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("table=0", VSW_PARSE_FILTER);
	assert_false(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("cookie=0xa0/0xf0", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("cookie=0xab", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("cookie=0xac", VSW_PARSE_FILTER);
	assert_false(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("in_port=1", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("in_port=2", VSW_PARSE_FILTER);
	assert_false(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("dl_vlan=0xffff", VSW_PARSE_FILTER); /* r does not look at the VLAN */
	assert_false(vsw_flow_spec_selects(&f, &r, false));
	f = spec_of("priority=7,in_port=1,ip", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, true));
	f = spec_of("table=2,priority=7,in_port=1,ip", VSW_PARSE_FILTER);
	assert_true(vsw_flow_spec_selects(&f, &r, true));
	assert_true(vsw_flow_spec_same_rule(&f, &r));
	f = spec_of("priority=8,in_port=1,ip", VSW_PARSE_FILTER);
	assert_false(vsw_flow_spec_selects(&f, &r, true));
	assert_true(vsw_flow_spec_selects(&f, &r, false));
	assert_false(vsw_flow_spec_same_rule(&f, &r));
	f = spec_of("table=1,priority=7,in_port=1,ip", VSW_PARSE_FILTER);
	assert_false(vsw_flow_spec_same_rule(&f, &r));
}

static void test_clone_shares(void **state)
{
	struct vsw_ft *cur = vsw_ft_create(), *next;
	struct vsw_flow_key k = key_of(1, 0x800, 0, 2);
	struct vsw_ft_rule_stats st;
	const struct vsw_ft_rule *r_cur, *r_next;

	(void)state;
	add(cur, "priority=100,in_port=1,actions=output:2", 10);
	add(cur, "table=3,actions=drop", 10);
	next = vsw_ft_clone(cur);
	assert_non_null(next);
	assert_int_equal(vsw_ft_count(next), 2);
	r_cur = vsw_ft_lookup(cur, 0, &k);
	r_next = vsw_ft_lookup(next, 0, &k);
	assert_ptr_equal(r_cur, r_next); /* the same rule object */
	vsw_ft_rule_hit(r_cur, 1, 100, 20);
	vsw_ft_rule_hit(r_next, 2, 200, 30);
	vsw_ft_rule_stats(r_next, &st);
	assert_true(st.n_packets == 3 && st.n_bytes == 300 && st.used_ms == 30);

	/* Writes to the clone leave the published table alone. */
	add(next, "priority=200,in_port=1,actions=output:3", 40);
	assert_int_equal(del(next, "table=3", 0), 1);
	assert_int_equal(vsw_ft_count(cur), 2);
	assert_int_equal(out_port(cur, 0, &k), 2);
	assert_int_equal(out_port(next, 0, &k), 3);
	assert_non_null(vsw_ft_lookup(cur, 3, &k));
	assert_null(vsw_ft_lookup(next, 3, &k));

	/* Replacing in the clone gives the clone a new rule, not the old one changed. */
	add(next, "priority=100,in_port=1,actions=output:9", 50);
	vsw_ft_rule_stats(r_cur, &st);
	assert_true(st.n_packets == 3);
	assert_int_equal(vsw_ft_rule_actions(r_cur)->a[0].arg, 2);

	/* The old version goes after its grace period; the clone lives on. */
	vsw_ft_destroy(cur);
	assert_int_equal(out_port(next, 0, &k), 3);
	assert_int_equal(del(next, "priority=200,in_port=1", 1), 1);
	assert_int_equal(out_port(next, 0, &k), 9);

	/* Clone of a clone, destroyed in creation order. */
	struct vsw_ft *third = vsw_ft_clone(next);
	assert_non_null(third);
	vsw_ft_destroy(next);
	assert_int_equal(out_port(third, 0, &k), 9);
	vsw_ft_destroy(third);
}

/* ---- random rule sets against a brute-force reference ---- */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

#define REF_MAX 256

struct ref_rule {
	struct vsw_flow_spec spec;
	uint64_t seq; /* install order; a replacement keeps it */
};

struct ref {
	struct ref_rule r[REF_MAX];
	size_t n;
	uint64_t seq;
};

static void ref_add(struct ref *ref, const struct vsw_flow_spec *spec)
{
	for (size_t i = 0; i < ref->n; i++) {
		if (vsw_flow_spec_same_rule(&ref->r[i].spec, spec)) {
			ref->r[i].spec = *spec;
			return;
		}
	}
	assert_true(ref->n < REF_MAX);
	ref->r[ref->n].spec = *spec;
	ref->r[ref->n].seq = ref->seq++;
	ref->n++;
}

/* One field of a filter: does the rule match it at least as specifically? */
static bool ref_field(const uint8_t *fk, const uint8_t *fm, const uint8_t *rk,
		      const uint8_t *rm, size_t n, bool strict)
{
	for (size_t i = 0; i < n; i++) {
		if ((rm[i] & fm[i]) != fm[i] || (rk[i] & fm[i]) != fk[i])
			return false;
		if (strict && rm[i] != fm[i])
			return false;
	}
	return true;
}

/* vsw_flow_spec_selects() as its comment in flow.h says, written out field by field. */
static bool ref_selects(const struct vsw_flow_spec *f, const struct vsw_flow_spec *r,
			bool strict)
{
	const struct vsw_flow_key *fk = &f->match.key, *fm = &f->match.mask;
	const struct vsw_flow_key *rk = &r->match.key, *rm = &r->match.mask;

#define FIELD(x) ref_field((const uint8_t *)&fk->x, (const uint8_t *)&fm->x, \
			   (const uint8_t *)&rk->x, (const uint8_t *)&rm->x, sizeof(fk->x), strict)
	if ((f->given & VSW_SPEC_TABLE) && f->table != r->table)
		return false;
	if ((r->cookie & f->cookie_mask) != (f->cookie & f->cookie_mask))
		return false;
	if (strict && f->priority != r->priority)
		return false;
	return FIELD(in_port) && FIELD(dl_dst) && FIELD(dl_src) && FIELD(dl_type) &&
	       FIELD(vlan_tci);
#undef FIELD
}

static int ref_del(struct ref *ref, const struct vsw_flow_spec *f, bool strict)
{
	size_t kept = 0;
	int removed = 0;

	for (size_t i = 0; i < ref->n; i++) {
		if (ref_selects(f, &ref->r[i].spec, strict))
			removed++;
		else
			ref->r[kept++] = ref->r[i];
	}
	ref->n = kept;
	return removed;
}

static const struct vsw_flow_spec *ref_lookup(const struct ref *ref, uint8_t table,
					      const struct vsw_flow_key *k)
{
	const struct ref_rule *best = NULL;

	for (size_t i = 0; i < ref->n; i++) {
		const struct ref_rule *r = &ref->r[i];

		if (r->spec.table != table || !vsw_match_hit(&r->spec.match, k))
			continue;
		if (!best || r->spec.priority > best->spec.priority ||
		    (r->spec.priority == best->spec.priority && r->seq < best->seq))
			best = r;
	}
	return best ? &best->spec : NULL;
}

/* Small value domains, so that rules overlap and keys hit. */
static const uint16_t PRIOS[] = { 0, 1, 100, 100, 32768, 65535 };
static const uint16_t TYPES[] = { 0x0800, 0x0806, 0x86dd };
static const uint16_t TCIS[] = { 0, 0x1005, 0x1007, 0x3005 };

static struct vsw_flow_key random_key(void)
{
	return key_of(1 + rnd(4), TYPES[rnd(3)], TCIS[rnd(4)], (uint8_t)rnd(8));
}

static void random_match(struct vsw_flow_spec *s, bool filter)
{
	int wild = filter ? 3 : 2; /* filters wildcard more */

	if (rnd(wild + 1) == 0 || (!filter && rnd(2))) {
		s->match.key.in_port = 1 + rnd(4);
		s->match.mask.in_port = UINT32_MAX;
	}
	if (rnd(wild) == 0) {
		s->match.key.dl_type = TYPES[rnd(3)];
		s->match.mask.dl_type = 0xffff;
	}
	switch (rnd(wild + 3)) {
	case 0:
		s->match.key.vlan_tci = VSW_VLAN_CFI | (rnd(2) ? 5 : 7);
		s->match.mask.vlan_tci = 0x1fff;
		break;
	case 1:
		s->match.key.vlan_tci = 0;
		s->match.mask.vlan_tci = 0xffff;
		break;
	case 2:
		s->match.key.vlan_tci = VSW_VLAN_CFI;
		s->match.mask.vlan_tci = VSW_VLAN_CFI;
		break;
	}
	switch (rnd(wild + 2)) {
	case 0:
		s->match.key.dl_dst[0] = 0x02;
		s->match.key.dl_dst[5] = (uint8_t)rnd(8);
		memset(s->match.mask.dl_dst, 0xff, VSW_ETH_ALEN);
		break;
	case 1: /* a partial mask: the low bit of the last byte */
		s->match.key.dl_dst[5] = (uint8_t)rnd(2);
		s->match.mask.dl_dst[5] = 0x01;
		break;
	}
}

static void random_round(uint32_t n_ops, uint32_t n_keys)
{
	struct vsw_ft *ft = vsw_ft_create();
	static struct ref ref;
	uint64_t cookie = 1;

	memset(&ref, 0, sizeof(ref));
	assert_non_null(ft);
	for (uint32_t op = 0; op < n_ops; op++) {
		struct vsw_flow_spec s;
		uint32_t what = rnd(10);

		vsw_flow_spec_init(&s);
		if (what < 7 && ref.n < REF_MAX) {
			s.table = (uint8_t)rnd(2);
			s.priority = PRIOS[rnd(sizeof(PRIOS) / sizeof(PRIOS[0]))];
			s.cookie = cookie++; /* identifies the install */
			s.cookie_mask = UINT64_MAX;
			random_match(&s, false);
			s.actions.n = 1;
			s.actions.a[0].type = VSW_ACT_OUTPUT;
			s.actions.a[0].arg = 1 + rnd(4);
			assert_int_equal(vsw_ft_add(ft, &s, op), 0);
			ref_add(&ref, &s);
		} else if (what < 9) {
			bool strict = rnd(3) == 0;

			if (rnd(2)) {
				s.table = (uint8_t)rnd(2);
				s.given |= VSW_SPEC_TABLE;
			}
			s.priority = PRIOS[rnd(sizeof(PRIOS) / sizeof(PRIOS[0]))];
			random_match(&s, true);
			int want = ref_del(&ref, &s, strict);
			assert_int_equal(vsw_ft_del(ft, &s, strict), want);
		} else {
			/* Swap in a clone, as the control thread does. */
			struct vsw_ft *next = vsw_ft_clone(ft);

			assert_non_null(next);
			vsw_ft_destroy(ft);
			ft = next;
		}
		assert_int_equal(vsw_ft_count(ft), ref.n);
	}
	for (uint32_t i = 0; i < n_keys; i++) {
		struct vsw_flow_key k = random_key();
		uint8_t table = (uint8_t)rnd(2);
		const struct vsw_ft_rule *got = vsw_ft_lookup(ft, table, &k);
		const struct vsw_flow_spec *want = ref_lookup(&ref, table, &k);

		if (!want) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_true(vsw_ft_rule_cookie(got) == want->cookie);
	}
	vsw_ft_destroy(ft);
}

static void test_random_vs_reference(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++)
		random_round(1 + rnd(150), 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_equal_priority_stable),
		cmocka_unit_test(test_replace_resets_counters),
		cmocka_unit_test(test_add_invalid),
		cmocka_unit_test(test_del_nonstrict),
		cmocka_unit_test(test_del_strict),
		cmocka_unit_test(test_selects_and_same_rule),
		cmocka_unit_test(test_clone_shares),
		cmocka_unit_test(test_random_vs_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
