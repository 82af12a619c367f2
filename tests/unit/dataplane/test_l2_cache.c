/* SPDX-License-Identifier: BSD-3-Clause */
/* The `normal` cache (dataplane/l2_cache.h): exact flows, epochs, two ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "l2_cache.h"

static const uint8_t MACS[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }; /* dst, src */

static struct vsw_l2_entry entry(struct vsw_l2_flow f, struct vsw_l2_epoch ep, uintptr_t dom)
{
	struct vsw_l2_entry e = { .flow = f, .epoch = ep, .verdict = VSW_L2_FLOOD };

	e.domain = (const struct vsw_domain *)dom;
	return e;
}

static void test_exact_flow_and_epoch(void **state)
{
	struct vsw_l2_cache *c = vsw_l2_cache_create(0);
	struct vsw_l2_epoch ep = { .domains = 3, .macs = 7, .second = 100 }, other;
	struct vsw_l2_flow f = vsw_l2_flow_make(MACS, 1, 1, 0, 0, 42), g;
	struct vsw_l2_entry e = entry(f, ep, 0x1000);
	const struct vsw_l2_entry *hit;

	(void)state;
	assert_non_null(c);
	assert_null(vsw_l2_cache_find(c, &f, &ep)); /* empty: even a zero flow misses */
	g = vsw_l2_flow_make((const uint8_t[12]){ 0 }, 0, 0, 0, 0, 0);
	assert_null(vsw_l2_cache_find(c, &g, &(struct vsw_l2_epoch){ 0 }));

	vsw_l2_cache_insert(c, &e);
	hit = vsw_l2_cache_find(c, &f, &ep);
	assert_non_null(hit);
	assert_int_equal(hit->verdict, VSW_L2_FLOOD);
	assert_true(hit->domain == (const struct vsw_domain *)0x1000);
	/* the prefetched set is the one the lookup uses */
	assert_ptr_equal(vsw_l2_set_find(vsw_l2_cache_prefetch(c, &f), &f, &ep), hit);

	/* any other domain generation, MAC generation or second: not valid */
	other = ep, other.domains++;
	assert_null(vsw_l2_cache_find(c, &f, &other));
	other = ep, other.macs++;
	assert_null(vsw_l2_cache_find(c, &f, &other));
	other = ep, other.second++;
	assert_null(vsw_l2_cache_find(c, &f, &other));

	/* each part of the flow counts: MACs, input port, key's in_port, tunnel, domain */
	uint8_t m2[12];
	memcpy(m2, MACS, 12);
	m2[11] ^= 1; /* another source */
	g = vsw_l2_flow_make(m2, 1, 1, 0, 0, 42);
	assert_null(vsw_l2_cache_find(c, &g, &ep));
	m2[11] ^= 1;
	m2[0] ^= 4; /* another destination */
	g = vsw_l2_flow_make(m2, 1, 1, 0, 0, 42);
	assert_null(vsw_l2_cache_find(c, &g, &ep));
	g = vsw_l2_flow_make(MACS, 1 | VSW_L2_FROM_VXLAN, 1, 0, 0, 42);
	assert_null(vsw_l2_cache_find(c, &g, &ep));
	g = vsw_l2_flow_make(MACS, 1, 2, 0, 0, 42);
	assert_null(vsw_l2_cache_find(c, &g, &ep));
	g = vsw_l2_flow_make(MACS, 1, 1, 0x0a000001, 0, 42);
	assert_null(vsw_l2_cache_find(c, &g, &ep));
	g = vsw_l2_flow_make(MACS, 1, 1, 0, 5000, 42);
	assert_null(vsw_l2_cache_find(c, &g, &ep));
	g = vsw_l2_flow_make(MACS, 1, 1, 0, 0, 43);
	assert_null(vsw_l2_cache_find(c, &g, &ep));

	/* a new decision for the same flow replaces the old one */
	e.verdict = VSW_L2_HERE;
	e.epoch.second++;
	vsw_l2_cache_insert(c, &e);
	assert_null(vsw_l2_cache_find(c, &f, &ep));
	hit = vsw_l2_cache_find(c, &f, &e.epoch);
	assert_non_null(hit);
	assert_int_equal(hit->verdict, VSW_L2_HERE);
	vsw_l2_cache_destroy(c);
}

/* One set (two entries): every flow shares it, as colliding flows do. */
static void test_two_ways(void **state)
{
	struct vsw_l2_cache *c = vsw_l2_cache_create(2);
	struct vsw_l2_epoch ep = { .domains = 1, .macs = 1, .second = 1 }, old = ep;
	struct vsw_l2_flow f[4];
	struct vsw_l2_entry e;

	(void)state;
	assert_int_equal(c->mask, 0);
	for (uint32_t i = 0; i < 4; i++)
		f[i] = vsw_l2_flow_make(MACS, i + 1, i + 1, 0, 0, 9);
	for (uint32_t i = 0; i < 2; i++) {
		e = entry(f[i], ep, 0x10 * (i + 1));
		vsw_l2_cache_insert(c, &e);
	}
	assert_non_null(vsw_l2_cache_find(c, &f[0], &ep));
	assert_non_null(vsw_l2_cache_find(c, &f[1], &ep));
	/* a third: the older of the two goes */
	e = entry(f[2], ep, 0x30);
	vsw_l2_cache_insert(c, &e);
	assert_null(vsw_l2_cache_find(c, &f[0], &ep));
	assert_non_null(vsw_l2_cache_find(c, &f[1], &ep));
	assert_non_null(vsw_l2_cache_find(c, &f[2], &ep));
	/* a flow already there is replaced in place: the other one stays */
	e = entry(f[1], ep, 0x21);
	vsw_l2_cache_insert(c, &e);
	assert_true(vsw_l2_cache_find(c, &f[1], &ep)->domain == (const struct vsw_domain *)0x21);
	assert_non_null(vsw_l2_cache_find(c, &f[2], &ep));
	/* in a new epoch the old entries are free room: nothing valid is pushed out */
	ep.macs++;
	e = entry(f[3], ep, 0x40);
	vsw_l2_cache_insert(c, &e);
	e = entry(f[0], ep, 0x50);
	vsw_l2_cache_insert(c, &e);
	assert_non_null(vsw_l2_cache_find(c, &f[3], &ep));
	assert_non_null(vsw_l2_cache_find(c, &f[0], &ep));
	assert_null(vsw_l2_cache_find(c, &f[2], &old));
	vsw_l2_cache_destroy(c);
}

static void test_sizes(void **state)
{
	struct vsw_l2_cache *c = vsw_l2_cache_create(1000);

	(void)state;
	assert_int_equal(c->mask + 1, 512); /* 1024 entries: two per set */
	vsw_l2_cache_destroy(c);
	assert_null(vsw_l2_cache_create(UINT32_MAX));
	vsw_l2_cache_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_flow_and_epoch),
		cmocka_unit_test(test_two_ways),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
