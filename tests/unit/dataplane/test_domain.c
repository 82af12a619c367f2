/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * domain: the published set of L2 domains — lookups by metadata in sets of
 * every size, replace and delete keeping order and sharing, slots, members
 * found by port number, and members re-pointed when ports come and go.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

/* port.c names the vhost-user type; these tests open no port. */
const struct vsw_port_ops vsw_port_vhost_ops = { .type = "vhost-user" };
const struct vsw_port_ops vsw_port_tap_ops = { .type = "tap" };
const struct vsw_port_ops vsw_port_dpdk_ops = { .type = "dpdk" };
const struct vsw_port_ops vsw_port_vxlan_ops = { .type = "vxlan" };

static struct vsw_domain *dom(uint32_t id, uint16_t slot)
{
	struct vsw_domain *d = vsw_domain_new(id, slot, 10, 300, 0, NULL, 0, NULL, 0, NULL);

	assert_non_null(d);
	return d;
}

static void free_all(struct vsw_domset *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		vsw_domain_free(s->list[i]);
	vsw_domset_free(s);
}

static void test_find_in_sets_of_every_size(void **state)
{
	struct vsw_domset *s = vsw_domset_empty();

	(void)state;
	assert_non_null(s);
	assert_null(vsw_domset_find(s, 1));
	assert_null(vsw_domset_find(NULL, 1));
	for (uint32_t n = 1; n <= 300; n++) {
		/* ids that collide in the low bits, and the extremes */
		uint32_t id = n == 300 ? UINT32_MAX : n * 4096;
		struct vsw_domset *next = vsw_domset_with(s, dom(id, (uint16_t)n));

		assert_non_null(next);
		vsw_domset_free(s);
		s = next;
		assert_int_equal(s->n, n);
		for (uint32_t k = 1; k <= n; k++) {
			uint32_t want = k == 300 ? UINT32_MAX : k * 4096;
			const struct vsw_domain *d = vsw_domset_find(s, want);

			assert_non_null(d);
			assert_int_equal(d->id, want);
		}
		assert_null(vsw_domset_find(s, 4095));
		assert_null(vsw_domset_find(s, 0));
		/* metadata is 64 bits; ids are 32: the high bits must not be ignored */
		assert_null(vsw_domset_find(s, (1ull << 32) | 4096));
	}
	for (uint32_t i = 1; i < s->n; i++)
		assert_true(s->list[i - 1]->id < s->list[i]->id);
	free_all(s);
}

static void test_with_replaces_without_removes(void **state)
{
	struct vsw_domset *s = vsw_domset_empty(), *a, *b, *c, *e;
	struct vsw_domain *d5 = dom(5, 1), *d3 = dom(3, 2), *d9 = dom(9, 3), *d5b = dom(5, 1);

	(void)state;
	a = vsw_domset_with(s, d5);
	b = vsw_domset_with(a, d9);
	c = vsw_domset_with(b, d3);
	assert_int_equal(c->n, 3);
	assert_ptr_equal(c->list[0], d3);
	assert_ptr_equal(c->list[1], d5);
	assert_ptr_equal(c->list[2], d9);
	/* replace: same place, old one no longer in the new set, old set untouched */
	e = vsw_domset_with(c, d5b);
	assert_int_equal(e->n, 3);
	assert_ptr_equal(e->list[1], d5b);
	assert_ptr_equal(vsw_domset_find(e, 5), d5b);
	assert_ptr_equal(vsw_domset_find(c, 5), d5);
	vsw_domset_free(s);
	vsw_domset_free(a);
	vsw_domset_free(b);
	vsw_domset_free(c);
	/* without: the rest keeps its order; an unknown id changes nothing */
	s = vsw_domset_without(e, 5);
	assert_int_equal(s->n, 2);
	assert_ptr_equal(s->list[0], d3);
	assert_ptr_equal(s->list[1], d9);
	assert_null(vsw_domset_find(s, 5));
	a = vsw_domset_without(s, 77);
	assert_int_equal(a->n, 2);
	vsw_domset_free(a);
	vsw_domset_free(e);
	vsw_domain_free(d5);
	vsw_domain_free(d5b);
	free_all(s);
}

static void test_free_slot(void **state)
{
	static struct vsw_domain doms[VSW_MAX_DOMAINS];
	static struct vsw_domain *list[VSW_MAX_DOMAINS];
	struct vsw_domset s = { .list = list }; /* free_slot reads the list only */

	(void)state;
	assert_int_equal(vsw_domset_free_slot(&s), 1); /* never 0 */
	assert_int_equal(vsw_domset_free_slot(NULL), 1);
	for (uint32_t slot = VSW_MAX_DOMAINS - 1; slot >= 1; slot--) {
		if (slot == 700)
			continue;
		doms[s.n].slot = (uint16_t)slot;
		list[s.n] = &doms[s.n];
		s.n++;
	}
	assert_int_equal(vsw_domset_free_slot(&s), 700);
	doms[s.n].slot = 700;
	list[s.n] = &doms[s.n];
	s.n++;
	assert_int_equal(vsw_domset_free_slot(&s), -ENOSPC);
}

static void test_members_sorted_and_found(void **state)
{
	struct vsw_domain_member m[40];
	struct vsw_domain_vtep v[2] = { { .ip = 0x0100000a, .vlan = 5 }, { .ip = 0x0200000a } };
	struct vsw_domain *d;

	(void)state;
	for (int i = 0; i < 40; i++)
		m[i] = (struct vsw_domain_member){ .port_no = (uint32_t)((i * 17) % 40) * 2 + 2,
						   .vlan = (uint16_t)i };
	d = vsw_domain_new(7, 1, 10, 300, 100, m, 40, v, 2, NULL);
	assert_non_null(d);
	for (int i = 1; i < 40; i++)
		assert_true(d->members[i - 1].port_no < d->members[i].port_no);
	for (int i = 0; i < 40; i++) {
		const struct vsw_domain_member *f = vsw_domain_member(d, m[i].port_no);

		assert_non_null(f);
		assert_int_equal(f->vlan, m[i].vlan);
		assert_null(f->port);
		assert_null(vsw_domain_member(d, m[i].port_no + 1)); /* odd numbers: none */
	}
	assert_null(vsw_domain_member(d, 0));
	assert_null(vsw_domain_member(d, 1000));
	assert_int_equal(vsw_domain_vtep(d, 0x0100000a)->vlan, 5);
	assert_null(vsw_domain_vtep(d, 0x0300000a));
	vsw_domain_free(d);
}

static void test_members_follow_the_ports(void **state)
{
	struct vsw_port p2 = { .port_no = 2 }, p3 = { .port_no = 3 }, p3b = { .port_no = 3 };
	struct vsw_portset ports = { .n = 1, .list = { &p2 } };
	struct vsw_domain_member m[2] = { { .port_no = 3 }, { .port_no = 2, .vlan = 9 } };
	struct vsw_domset *s = vsw_domset_empty(), *a, *b;
	struct vsw_domain *d = vsw_domain_new(1, 1, 10, 300, 0, m, 2, NULL, 0, &ports);
	struct vsw_domain *other = vsw_domain_new(2, 2, 10, 300, 0, m + 1, 1, NULL, 0, &ports);

	(void)state;
	assert_ptr_equal(vsw_domain_member(d, 2)->port, &p2);
	assert_null(vsw_domain_member(d, 3)->port);
	assert_false(vsw_domain_stale(d, &ports));
	a = vsw_domset_with(s, d);
	vsw_domset_free(s);
	s = vsw_domset_with(a, other);
	vsw_domset_free(a);

	/* port 3 comes: domain 1 gets a new resolved copy, domain 2 is shared */
	ports = (struct vsw_portset){ .n = 2, .list = { &p2, &p3 } };
	assert_true(vsw_domain_stale(d, &ports));
	assert_false(vsw_domain_stale(other, &ports));
	a = vsw_domset_resolved(s, &ports);
	assert_non_null(a);
	assert_ptr_not_equal(a->list[0], d);
	assert_ptr_equal(a->list[1], other);
	assert_ptr_equal(vsw_domain_member(a->list[0], 3)->port, &p3);
	assert_int_equal(vsw_domain_member(a->list[0], 2)->vlan, 9);
	assert_ptr_equal(vsw_domset_find(a, 1), a->list[0]);

	/* port 3 replaced by another object with its number, port 2 gone */
	ports = (struct vsw_portset){ .n = 1, .list = { &p3b } };
	b = vsw_domset_resolved(a, &ports);
	assert_ptr_equal(vsw_domain_member(b->list[0], 3)->port, &p3b);
	assert_null(vsw_domain_member(b->list[0], 2)->port);
	assert_null(vsw_domain_member(b->list[1], 2)->port);
	vsw_domain_free(d);
	vsw_domain_free(other);
	vsw_domain_free(a->list[0]);
	vsw_domset_free(a);
	vsw_domset_free(s);
	free_all(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_in_sets_of_every_size),
		cmocka_unit_test(test_with_replaces_without_removes),
		cmocka_unit_test(test_free_slot),
		cmocka_unit_test(test_members_sorted_and_found),
		cmocka_unit_test(test_members_follow_the_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
