/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VTEP table's snapshots (vtep.h): sorted, found by binary search,
 * copy-on-write (the old snapshot never changes), counters kept across a
 * MAC change and handed back on delete, the size limit, and the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtep.h"

static const uint8_t MAC_A[6] = { 2, 0, 0, 0, 0, 0xa }, MAC_B[6] = { 2, 0, 0, 0, 0, 0xb };

static uint32_t ip(const char *s)
{
	return inet_addr(s);
}

static void test_set_find(void **state)
{
	struct vsw_vteps *t0, *t1, *t2, *t3;
	const struct vsw_vtep *e;

	(void)state;
	assert_null(vsw_vteps_find(NULL, ip("198.51.100.2")));
	t0 = vsw_vteps_with(NULL, ip("198.51.100.20"), MAC_A);
	assert_non_null(t0);
	t1 = vsw_vteps_with(t0, ip("198.51.100.3"), NULL); /* unresolved */
	t2 = vsw_vteps_with(t1, ip("10.0.0.1"), MAC_B);
	t3 = vsw_vteps_with(t2, ip("203.0.113.1"), MAC_B);
	assert_non_null(t3);
	/* Sorted by address as a number, whatever the insertion order. */
	assert_int_equal(t3->n, 4);
	assert_int_equal(t3->v[0].ip, ip("10.0.0.1"));
	assert_int_equal(t3->v[1].ip, ip("198.51.100.3"));
	assert_int_equal(t3->v[2].ip, ip("198.51.100.20"));
	assert_int_equal(t3->v[3].ip, ip("203.0.113.1"));
	e = vsw_vteps_find(t3, ip("198.51.100.20"));
	assert_non_null(e);
	assert_true(e->resolved);
	assert_memory_equal(e->mac, MAC_A, 6);
	e = vsw_vteps_find(t3, ip("198.51.100.3"));
	assert_non_null(e);
	assert_false(e->resolved);
	assert_null(vsw_vteps_find(t3, ip("198.51.100.4")));
	assert_null(vsw_vteps_find(t3, ip("1.1.1.1")));
	assert_null(vsw_vteps_find(t3, ip("255.1.1.1")));
	/* The older snapshots did not change. */
	assert_int_equal(t0->n, 1);
	assert_int_equal(t1->n, 2);
	assert_null(vsw_vteps_find(t1, ip("10.0.0.1")));
	/* Each address has its own counters, shared by the snapshots. */
	assert_ptr_equal(vsw_vteps_find(t0, ip("198.51.100.20"))->stats,
			 vsw_vteps_find(t3, ip("198.51.100.20"))->stats);
	assert_ptr_not_equal(t3->v[0].stats, t3->v[1].stats);
	vsw_vteps_free(t0, false);
	vsw_vteps_free(t1, false);
	vsw_vteps_free(t2, false);
	vsw_vteps_free(t3, true);
}

static void test_change_keeps_counters(void **state)
{
	struct vsw_vteps *t0, *t1, *t2, *t3;
	struct vsw_vtep_stats *st, *gone = NULL;

	(void)state;
	t0 = vsw_vteps_with(NULL, ip("198.51.100.2"), NULL);
	st = t0->v[0].stats;
	atomic_store(&st->tx_packets, 5);
	atomic_store(&st->drops, 2);
	t1 = vsw_vteps_with(t0, ip("198.51.100.2"), MAC_A); /* resolved now */
	assert_int_equal(t1->n, 1);
	assert_true(t1->v[0].resolved);
	assert_memory_equal(t1->v[0].mac, MAC_A, 6);
	assert_ptr_equal(t1->v[0].stats, st);
	assert_false(t0->v[0].resolved); /* the old snapshot is as it was */
	t2 = vsw_vteps_with(t1, ip("198.51.100.2"), NULL); /* unresolved again */
	assert_false(t2->v[0].resolved);
	assert_memory_equal(t2->v[0].mac, "\0\0\0\0\0\0", 6);
	assert_int_equal(atomic_load(&t2->v[0].stats->tx_packets), 5);
	/* Delete: the counters come back to be freed after the grace period. */
	t3 = vsw_vteps_without(t2, ip("198.51.100.2"), &gone);
	assert_non_null(t3);
	assert_int_equal(t3->n, 0);
	assert_ptr_equal(gone, st);
	assert_int_equal(atomic_load(&gone->drops), 2);
	/* A new entry for the same address starts at zero. */
	struct vsw_vteps *t4 = vsw_vteps_with(t3, ip("198.51.100.2"), MAC_B);
	assert_ptr_not_equal(t4->v[0].stats, st);
	assert_int_equal(atomic_load(&t4->v[0].stats->tx_packets), 0);
	free(gone);
	vsw_vteps_free(t0, false);
	vsw_vteps_free(t1, false);
	vsw_vteps_free(t2, false);
	vsw_vteps_free(t3, false);
	vsw_vteps_free(t4, true);
}

static void test_delete(void **state)
{
	struct vsw_vteps *t = NULL, *n;
	struct vsw_vtep_stats *gone = NULL;

	(void)state;
	errno = 0;
	assert_null(vsw_vteps_without(NULL, ip("198.51.100.2"), &gone));
	assert_int_equal(errno, ENOENT);
	for (int i = 1; i <= 5; i++) {
		char s[32];

		snprintf(s, sizeof(s), "198.51.100.%d", i);
		n = vsw_vteps_with(t, ip(s), MAC_A);
		vsw_vteps_free(t, false);
		t = n;
	}
	errno = 0;
	assert_null(vsw_vteps_without(t, ip("198.51.100.9"), &gone));
	assert_int_equal(errno, ENOENT);
	n = vsw_vteps_without(t, ip("198.51.100.3"), &gone); /* the middle one */
	assert_non_null(n);
	free(gone);
	vsw_vteps_free(t, false);
	t = n;
	assert_int_equal(t->n, 4);
	assert_null(vsw_vteps_find(t, ip("198.51.100.3")));
	for (int i = 1; i <= 5; i++) {
		char s[32];

		snprintf(s, sizeof(s), "198.51.100.%d", i);
		assert_true((vsw_vteps_find(t, ip(s)) != NULL) == (i != 3));
	}
	vsw_vteps_free(t, true);
}

static void test_limit(void **state)
{
	struct vsw_vteps *t = NULL, *n;

	(void)state;
	for (uint32_t i = 0; i < VSW_MAX_VTEPS; i++) {
		n = vsw_vteps_with(t, htonl(0x0a000000u + i), NULL);
		assert_non_null(n);
		vsw_vteps_free(t, false);
		t = n;
	}
	errno = 0;
	assert_null(vsw_vteps_with(t, htonl(0x0b000000u), NULL));
	assert_int_equal(errno, ENOSPC);
	/* A known address can still change. */
	n = vsw_vteps_with(t, htonl(0x0a000005u), MAC_A);
	assert_non_null(n);
	assert_true(vsw_vteps_find(n, htonl(0x0a000005u))->resolved);
	for (uint32_t i = 0; i < VSW_MAX_VTEPS; i += 97)
		assert_non_null(vsw_vteps_find(n, htonl(0x0a000000u + i)));
	vsw_vteps_free(t, false);
	vsw_vteps_free(n, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_find),
		cmocka_unit_test(test_change_keeps_counters),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
