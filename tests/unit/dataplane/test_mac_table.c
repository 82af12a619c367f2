/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mac_table: learning, moving, limits, a full table, aging and the sweep,
 * flushes, listing; random churn against a plain reference model (tombstones
 * and their clean-up must never hide a key); and readers racing writers,
 * movers and deleters in threads, where every value read must be one that
 * was written for the key read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sched.h>

/*
 * The table's own source, with a reader that now and then yields between
 * reading an entry's key and its value, so that writers reuse the entry
 * right there: without the key check that follows, readers would return
 * another key's value within a fraction of a second.
 */
static _Thread_local unsigned int read_window_calls;
#define VSW_MAC_READ_WINDOW()                      \
	do {                                       \
		if (++read_window_calls % 8 == 0) \
			sched_yield();             \
	} while (0)
#include "mac_table.c"

static void mac_of(uint32_t n, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0;
	mac[2] = (uint8_t)(n >> 24);
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

static struct vsw_mac_val V(uint32_t port, uint32_t vtep)
{
	return (struct vsw_mac_val){ .port_no = port, .vtep = vtep };
}

static struct vsw_mac_table *table(uint32_t capacity)
{
	struct vsw_mac_table *t = vsw_mac_table_create(capacity, 8);

	assert_non_null(t);
	for (uint16_t s = 1; s < 8; s++)
		vsw_mac_slot_reset(t, s, 1000000, 300);
	return t;
}

static void test_create_rejects_nonsense(void **state)
{
	(void)state;
	assert_null(vsw_mac_table_create(0, 8));
	assert_null(vsw_mac_table_create(16, 1));
	assert_null(vsw_mac_table_create(UINT32_MAX, 8));
}

static void test_learn_lookup_move(void **state)
{
	struct vsw_mac_table *t = table(1024);
	struct vsw_mac_slot_stats st;
	struct vsw_mac_val v;
	uint8_t a[6], b[6];

	(void)state;
	mac_of(1, a);
	mac_of(2, b);
	assert_false(vsw_mac_lookup(t, 1, a, 10, 300, &v));
	assert_int_equal(vsw_mac_learn(t, 1, a, V(5, 0), 10, 300), VSW_MAC_NEW);
	assert_int_equal(vsw_mac_learn(t, 1, a, V(5, 0), 11, 300), VSW_MAC_KNOWN);
	assert_true(vsw_mac_lookup(t, 1, a, 12, 300, &v));
	assert_int_equal(v.port_no, 5);
	assert_int_equal(v.vtep, 0);
	/* same MAC in another domain: another entry */
	assert_false(vsw_mac_lookup(t, 2, a, 12, 300, &v));
	assert_int_equal(vsw_mac_learn(t, 2, a, V(7, 0x0a000001), 12, 300), VSW_MAC_NEW);
	assert_true(vsw_mac_lookup(t, 2, a, 12, 300, &v));
	assert_int_equal(v.port_no, 7);
	assert_int_equal(v.vtep, 0x0a000001);
	/* a move: another port, or the same port behind another VTEP */
	assert_int_equal(vsw_mac_learn(t, 1, a, V(6, 0), 13, 300), VSW_MAC_MOVED);
	assert_true(vsw_mac_lookup(t, 1, a, 13, 300, &v));
	assert_int_equal(v.port_no, 6);
	assert_int_equal(vsw_mac_learn(t, 2, a, V(7, 0x0a000002), 13, 300), VSW_MAC_MOVED);
	assert_true(vsw_mac_lookup(t, 2, a, 13, 300, &v));
	assert_int_equal(v.vtep, 0x0a000002);
	assert_false(vsw_mac_lookup(t, 1, b, 13, 300, &v));
	/* slot 0 and slots past the end are nobody's */
	assert_false(vsw_mac_lookup(t, 0, a, 13, 300, &v));
	assert_int_not_equal(vsw_mac_learn(t, 0, a, V(1, 0), 13, 300), VSW_MAC_NEW);
	assert_int_not_equal(vsw_mac_learn(t, 8, a, V(1, 0), 13, 300), VSW_MAC_NEW);

	vsw_mac_slot_stats(t, 1, &st);
	assert_int_equal(st.macs, 1);
	assert_int_equal(st.learned, 1);
	assert_int_equal(st.moved, 1);
	vsw_mac_slot_stats(t, 2, &st);
	assert_int_equal(st.macs, 1);
	assert_int_equal(st.moved, 1);
	assert_int_equal(vsw_mac_table_count(t), 2);
	vsw_mac_table_destroy(t);
}

/*
 * The generation moves with every change a lookup can see (what the
 * `normal` cache relies on), and only then.
 */
static void test_generation(void **state)
{
	struct vsw_mac_table *t = table(1024);
	struct vsw_mac_val v;
	uint8_t a[6], b[6];
	uint32_t g;

	(void)state;
	vsw_mac_slot_reset(t, 2, 1, 300);
	mac_of(1, a);
	mac_of(2, b);
	g = vsw_mac_table_gen(t);
	assert_int_equal(vsw_mac_learn(t, 1, a, V(5, 0), 10, 5), VSW_MAC_NEW);
	assert_int_not_equal(vsw_mac_table_gen(t), g);
	g = vsw_mac_table_gen(t);
	/* known, refreshed (a second later), looked up: no change */
	assert_int_equal(vsw_mac_learn(t, 1, a, V(5, 0), 10, 5), VSW_MAC_KNOWN);
	assert_int_equal(vsw_mac_learn(t, 1, a, V(5, 0), 11, 5), VSW_MAC_KNOWN);
	assert_true(vsw_mac_lookup(t, 1, a, 11, 5, &v));
	assert_false(vsw_mac_lookup(t, 1, b, 11, 5, &v));
	assert_int_equal(vsw_mac_table_gen(t), g);
	/* moved */
	assert_int_equal(vsw_mac_learn(t, 1, a, V(6, 0), 12, 5), VSW_MAC_MOVED);
	assert_int_not_equal(vsw_mac_table_gen(t), g);
	g = vsw_mac_table_gen(t);
	/* aged (a lookup finds nothing at once: the second does it), then learned afresh */
	assert_false(vsw_mac_lookup(t, 1, a, 18, 5, &v));
	assert_int_equal(vsw_mac_learn(t, 1, a, V(6, 0), 18, 5), VSW_MAC_NEW);
	assert_int_not_equal(vsw_mac_table_gen(t), g);
	g = vsw_mac_table_gen(t);
	/* refused at the limit: nothing changed */
	assert_int_equal(vsw_mac_learn(t, 2, a, V(1, 0), 18, 300), VSW_MAC_NEW);
	g = vsw_mac_table_gen(t);
	assert_int_equal(vsw_mac_learn(t, 2, b, V(1, 0), 18, 300), VSW_MAC_LIMIT);
	assert_int_equal(vsw_mac_table_gen(t), g);
	/* removed by a flush, and by the sweep */
	assert_int_equal(vsw_mac_flush(t, 2, NULL, NULL), 1);
	assert_int_not_equal(vsw_mac_table_gen(t), g);
	g = vsw_mac_table_gen(t);
	assert_int_equal(vsw_mac_flush(t, 2, NULL, NULL), 0);
	assert_int_equal(vsw_mac_table_gen(t), g);
	vsw_mac_slot_config(t, 1, 1024, 5);
	assert_int_equal(vsw_mac_sweep(t, 30), 1);
	assert_int_not_equal(vsw_mac_table_gen(t), g);
	vsw_mac_table_destroy(t);
}

static void test_mac_limit(void **state)
{
	struct vsw_mac_table *t = table(1024);
	struct vsw_mac_slot_stats st;
	struct vsw_mac_val v;
	uint8_t m[6];

	(void)state;
	vsw_mac_slot_config(t, 3, 4, 300);
	for (uint32_t i = 0; i < 9; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 5, 300),
				 i < 4 ? VSW_MAC_NEW : VSW_MAC_LIMIT);
	}
	mac_of(8, m);
	assert_false(vsw_mac_lookup(t, 3, m, 5, 300, &v));
	/* known MACs still refresh and move at the limit */
	mac_of(2, m);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 6, 300), VSW_MAC_KNOWN);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(2, 0), 6, 300), VSW_MAC_MOVED);
	/* another domain is not limited by this one */
	assert_int_equal(vsw_mac_learn(t, 4, m, V(2, 0), 6, 300), VSW_MAC_NEW);
	vsw_mac_slot_stats(t, 3, &st);
	assert_int_equal(st.macs, 4);
	assert_int_equal(st.learned, 4);
	assert_int_equal(st.limit_hits, 5);
	/* room again after a flush; a lower limit keeps what is there */
	assert_int_equal(vsw_mac_flush(t, 3, NULL, NULL), 4);
	mac_of(8, m);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 7, 300), VSW_MAC_NEW);
	vsw_mac_slot_config(t, 3, 0, 300);
	mac_of(9, m);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 7, 300), VSW_MAC_LIMIT);
	mac_of(8, m);
	assert_true(vsw_mac_lookup(t, 3, m, 7, 300, &v));
	vsw_mac_table_destroy(t);
}

/*
 * A group shares one count: slots 3 and 4 (a tenant's two segments, head 2)
 * learn 5 MACs in all, not 5 each; the sweep, flushes, leaving the group
 * and the head going keep the count right.
 */
static void test_mac_limit_group(void **state)
{
	struct vsw_mac_table *t = table(1024);
	struct vsw_mac_slot_stats st;
	uint8_t m[6];

	(void)state;
	for (uint16_t s = 2; s <= 4; s++) {
		vsw_mac_slot_config(t, s, 5, 300);
		vsw_mac_slot_group(t, s, 2);
	}
	for (uint32_t i = 0; i < 4; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 5, 300), VSW_MAC_NEW);
	}
	mac_of(100, m);
	assert_int_equal(vsw_mac_learn(t, 2, m, V(1, 0), 5, 300), VSW_MAC_NEW);
	for (uint32_t i = 10; i < 20; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 4, m, V(1, 0), 5, 300), VSW_MAC_LIMIT);
	}
	vsw_mac_slot_stats(t, 4, &st);
	assert_int_equal(st.macs, 0);
	assert_int_equal(st.limit_hits, 10);
	/* a slot outside the group is not limited by it */
	mac_of(10, m);
	assert_int_equal(vsw_mac_learn(t, 5, m, V(1, 0), 5, 300), VSW_MAC_NEW);
	/* a flush in one slot makes room in the others */
	assert_int_equal(vsw_mac_flush(t, 3, NULL, NULL), 4);
	for (uint32_t i = 10; i < 15; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 4, m, V(1, 0), 6, 300),
				 i < 14 ? VSW_MAC_NEW : VSW_MAC_LIMIT);
	}
	/* slot 4 leaves with its 4 MACs: it alone is then full, the head has room */
	vsw_mac_slot_group(t, 4, 0);
	mac_of(30, m);
	assert_int_equal(vsw_mac_learn(t, 4, m, V(1, 0), 6, 300), VSW_MAC_NEW);
	assert_int_equal(vsw_mac_learn(t, 4, m, V(1, 0), 6, 300), VSW_MAC_KNOWN);
	mac_of(31, m);
	assert_int_equal(vsw_mac_learn(t, 4, m, V(1, 0), 6, 300), VSW_MAC_LIMIT);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 6, 300), VSW_MAC_NEW);
	/* and back in: 5 + 2 over the limit, nothing new until below it again */
	vsw_mac_slot_group(t, 4, 2);
	mac_of(32, m);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 6, 300), VSW_MAC_LIMIT);
	assert_int_equal(vsw_mac_flush(t, 4, NULL, NULL), 5);
	assert_int_equal(vsw_mac_learn(t, 3, m, V(1, 0), 6, 300), VSW_MAC_NEW);
	/* aged entries leave the group's count through the sweep */
	assert_int_equal(vsw_mac_sweep(t, 1000), 4);
	for (uint32_t i = 40; i < 45; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 4, m, V(1, 0), 1000, 300), VSW_MAC_NEW);
	}
	vsw_mac_table_destroy(t);
}

static void test_full_table(void **state)
{
	struct vsw_mac_table *t = table(5);
	struct vsw_mac_slot_stats st;
	struct vsw_mac_val v;
	uint8_t m[6];

	(void)state;
	assert_int_equal(vsw_mac_table_capacity(t), 5);
	for (uint32_t i = 0; i < 5; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 1 + i % 2, m, V(1, 0), 1, 300), VSW_MAC_NEW);
	}
	mac_of(100, m);
	assert_int_equal(vsw_mac_learn(t, 1, m, V(1, 0), 1, 300), VSW_MAC_FULL);
	assert_int_equal(vsw_mac_learn(t, 2, m, V(1, 0), 1, 300), VSW_MAC_FULL);
	assert_false(vsw_mac_lookup(t, 1, m, 1, 300, &v));
	assert_int_equal(vsw_mac_table_count(t), 5);
	vsw_mac_slot_stats(t, 1, &st);
	assert_int_equal(st.full, 1);
	assert_int_equal(st.macs, 3);
	/* existing ones still move */
	mac_of(0, m);
	assert_int_equal(vsw_mac_learn(t, 1, m, V(9, 0), 2, 300), VSW_MAC_MOVED);
	/* one out, one in */
	assert_int_equal(vsw_mac_flush(t, 1, NULL, NULL), 3);
	mac_of(100, m);
	assert_int_equal(vsw_mac_learn(t, 1, m, V(1, 0), 3, 300), VSW_MAC_NEW);
	vsw_mac_table_destroy(t);
}

static void test_aging_and_sweep(void **state)
{
	struct vsw_mac_table *t = table(64);
	struct vsw_mac_slot_stats st;
	struct vsw_mac_val v;
	uint8_t a[6], b[6];

	(void)state;
	mac_of(1, a);
	mac_of(2, b);
	vsw_mac_slot_config(t, 1, 100, 10);
	vsw_mac_slot_config(t, 2, 100, 1000);
	assert_int_equal(vsw_mac_learn(t, 1, a, V(1, 0), 100, 10), VSW_MAC_NEW);
	assert_int_equal(vsw_mac_learn(t, 1, b, V(1, 0), 100, 10), VSW_MAC_NEW);
	assert_int_equal(vsw_mac_learn(t, 2, a, V(1, 0), 100, 1000), VSW_MAC_NEW);
	/* seen again at 105: lives to 115 */
	assert_int_equal(vsw_mac_learn(t, 1, b, V(1, 0), 105, 10), VSW_MAC_KNOWN);
	assert_true(vsw_mac_lookup(t, 1, a, 110, 10, &v));
	assert_false(vsw_mac_lookup(t, 1, a, 111, 10, &v)); /* absent at once... */
	assert_true(vsw_mac_lookup(t, 1, b, 111, 10, &v));
	assert_int_equal(vsw_mac_table_count(t), 3); /* ...still there until the sweep */
	/* a clock a little behind another thread's does not age anything */
	assert_true(vsw_mac_lookup(t, 1, b, 104, 10, &v));
	assert_int_equal(vsw_mac_sweep(t, 104), 0);

	assert_int_equal(vsw_mac_sweep(t, 111), 1);
	vsw_mac_slot_stats(t, 1, &st);
	assert_int_equal(st.aged, 1);
	assert_int_equal(st.macs, 1);
	/* learning an aged entry the sweep has not removed yet: aged and learned again */
	assert_int_equal(vsw_mac_learn(t, 1, b, V(1, 0), 200, 10), VSW_MAC_NEW);
	vsw_mac_slot_stats(t, 1, &st);
	assert_int_equal(st.aged, 2);
	assert_int_equal(st.learned, 3);
	assert_int_equal(st.macs, 1);
	assert_int_equal(vsw_mac_sweep(t, 205), 0);
	assert_int_equal(vsw_mac_sweep(t, 1101), 2); /* slot 2 ages after 1000 s */
	assert_int_equal(vsw_mac_table_count(t), 0);
	vsw_mac_table_destroy(t);
}

static bool drop_port(const struct vsw_mac_entry *e, void *arg)
{
	return e->val.port_no == *(uint32_t *)arg;
}

struct listed {
	int n;
	struct vsw_mac_entry e[16];
};

static void collect(const struct vsw_mac_entry *e, void *arg)
{
	struct listed *l = arg;

	if (l->n < 16)
		l->e[l->n] = *e;
	l->n++;
}

static void test_flush_and_list(void **state)
{
	struct vsw_mac_table *t = table(64);
	struct listed l = { 0 };
	struct vsw_mac_val v;
	uint32_t port = 2;
	uint8_t m[6];

	(void)state;
	for (uint32_t i = 0; i < 6; i++) {
		mac_of(i, m);
		assert_int_equal(vsw_mac_learn(t, 1 + i % 2, m, V(1 + i % 3, i), 50, 300),
				 VSW_MAC_NEW);
	}
	assert_int_equal(vsw_mac_foreach(t, 2, 60, collect, &l), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(l.e[i].slot, 2);
		assert_int_equal(l.e[i].seen, 50);
		assert_int_equal(l.e[i].mac[0], 0x02);
		assert_int_equal(l.e[i].val.vtep, l.e[i].mac[5]); /* as learned */
		assert_int_equal(l.e[i].val.port_no, 1 + l.e[i].mac[5] % 3);
	}
	l.n = 0;
	assert_int_equal(vsw_mac_foreach(t, VSW_MAC_ALL_SLOTS, 60, collect, &l), 6);
	l.n = 0;
	assert_int_equal(vsw_mac_foreach(t, 1, 400, collect, &l), 0); /* aged: not listed */

	/* port 2 holds MACs 1 (slot 2) and 4 (slot 1) */
	assert_int_equal(vsw_mac_flush(t, 2, drop_port, &port), 1);
	mac_of(1, m);
	assert_false(vsw_mac_lookup(t, 2, m, 60, 300, &v));
	mac_of(4, m);
	assert_true(vsw_mac_lookup(t, 1, m, 60, 300, &v));
	assert_int_equal(vsw_mac_flush(t, VSW_MAC_ALL_SLOTS, drop_port, &port), 1);
	assert_false(vsw_mac_lookup(t, 1, m, 60, 300, &v));
	assert_int_equal(vsw_mac_flush(t, 1, NULL, NULL), 2);
	assert_int_equal(vsw_mac_flush(t, VSW_MAC_ALL_SLOTS, NULL, NULL), 2);
	assert_int_equal(vsw_mac_table_count(t), 0);
	assert_int_equal(vsw_mac_flush(t, VSW_MAC_ALL_SLOTS, NULL, NULL), 0);
	vsw_mac_table_destroy(t);
}

/* --- random churn against a reference ------------------------------------ */

#define N_KEYS 1500

struct ref {
	bool present[N_KEYS];
	uint32_t port[N_KEYS];
	uint32_t seen[N_KEYS];
	uint32_t count;
};

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static uint16_t key_slot(uint32_t k)
{
	return (uint16_t)(1 + k % 7);
}

static bool drop_one(const struct vsw_mac_entry *e, void *arg)
{
	uint8_t m[6];

	mac_of(*(uint32_t *)arg, m);
	return !memcmp(e->mac, m, 6);
}

static void test_churn_matches_reference(void **state)
{
	const uint32_t capacity = 600, aging = 40;
	struct vsw_mac_table *t = vsw_mac_table_create(capacity, 8);
	static struct ref ref;
	struct vsw_mac_val v;
	uint32_t now = 1000;
	uint8_t m[6];

	(void)state;
	assert_non_null(t);
	memset(&ref, 0, sizeof(ref));
	for (uint16_t s = 1; s < 8; s++)
		vsw_mac_slot_reset(t, s, capacity, aging);
	for (int round = 0; round < 200000; round++) {
		uint32_t k = rnd() % N_KEYS, op = rnd() % 100;

		mac_of(k, m);
		if (op < 70) {
			uint32_t port = 1 + rnd() % 4;
			enum vsw_mac_learned r = vsw_mac_learn(t, key_slot(k), m, V(port, 0), now, aging);
			bool live = ref.present[k] && now - ref.seen[k] <= aging;

			if (!ref.present[k]) {
				if (ref.count == capacity) {
					assert_int_equal(r, VSW_MAC_FULL);
					continue;
				}
				assert_int_equal(r, VSW_MAC_NEW);
				ref.count++;
			} else if (!live) {
				assert_int_equal(r, VSW_MAC_NEW);
			} else {
				assert_int_equal(r, ref.port[k] == port ? VSW_MAC_KNOWN : VSW_MAC_MOVED);
			}
			ref.present[k] = true;
			ref.port[k] = port;
			ref.seen[k] = now;
		} else if (op < 85) {
			assert_int_equal(vsw_mac_flush(t, key_slot(k), drop_one, &k), ref.present[k]);
			ref.count -= ref.present[k];
			ref.present[k] = false;
		} else if (op < 86) {
			size_t n = 0;

			for (uint32_t i = 0; i < N_KEYS; i++)
				if (ref.present[i] && now - ref.seen[i] > aging) {
					ref.present[i] = false;
					n++;
				}
			ref.count -= (uint32_t)n;
			assert_int_equal(vsw_mac_sweep(t, now), n);
		} else if (op < 87) {
			now += rnd() % 8;
		} else {
			bool want = ref.present[k] && now - ref.seen[k] <= aging;

			assert_int_equal(vsw_mac_lookup(t, key_slot(k), m, now, aging, &v), want);
			if (want)
				assert_int_equal(v.port_no, ref.port[k]);
		}
		assert_int_equal(vsw_mac_table_count(t), ref.count);
	}
	for (uint32_t k = 0; k < N_KEYS; k++) {
		bool want = ref.present[k] && now - ref.seen[k] <= aging;

		mac_of(k, m);
		assert_int_equal(vsw_mac_lookup(t, key_slot(k), m, now, aging, &v), want);
	}
	vsw_mac_table_destroy(t);
}

/* --- threads -------------------------------------------------------------- */

/*
 * Writers learn keys with port = a version and vtep = a function of key and
 * version; a deleter flushes and sweeps; readers check that whatever they
 * get belongs to the key they asked for. A small table, so entries are
 * reused all the time.
 */
#define T_KEYS 400
#define T_READERS 2
#define T_WRITERS 2

struct shared {
	struct vsw_mac_table *t;
	atomic_bool stop;
	atomic_ulong lookups, hits, bad;
	atomic_ulong learns;
};

static uint32_t tag(uint32_t key, uint32_t version)
{
	uint32_t h = key * 2654435761u ^ version * 40503u;

	return (h ^ (h >> 15)) | 1; /* never 0 */
}

static uint32_t xrnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

static void *reader(void *arg)
{
	struct shared *sh = arg;
	uint64_t s = (uint64_t)(uintptr_t)&s | 1;
	struct vsw_mac_val v;
	uint8_t m[6];

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		uint32_t k = xrnd(&s) % T_KEYS;

		mac_of(k, m);
		if (vsw_mac_lookup(sh->t, (uint16_t)(1 + k % 3), m, 5, 1000, &v)) {
			atomic_fetch_add_explicit(&sh->hits, 1, memory_order_relaxed);
			if (v.vtep != tag(k, v.port_no))
				atomic_fetch_add(&sh->bad, 1);
		}
		atomic_fetch_add_explicit(&sh->lookups, 1, memory_order_relaxed);
	}
	return NULL;
}

static void *writer(void *arg)
{
	struct shared *sh = arg;
	uint64_t s = (uint64_t)(uintptr_t)&s * 7 | 1;
	uint8_t m[6];

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		uint32_t k = xrnd(&s) % T_KEYS, version = 1 + xrnd(&s) % 1000;

		mac_of(k, m);
		vsw_mac_learn(sh->t, (uint16_t)(1 + k % 3), m, V(version, tag(k, version)), 5, 1000);
		atomic_fetch_add_explicit(&sh->learns, 1, memory_order_relaxed);
	}
	return NULL;
}

static bool drop_odd_port(const struct vsw_mac_entry *e, void *arg)
{
	(void)arg;
	return e->val.port_no & 1;
}

static void *deleter(void *arg)
{
	struct shared *sh = arg;

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		vsw_mac_flush(sh->t, 2, NULL, NULL);
		vsw_mac_flush(sh->t, VSW_MAC_ALL_SLOTS, drop_odd_port, NULL);
		vsw_mac_sweep(sh->t, 5);
	}
	return NULL;
}

static void test_readers_never_see_torn_entries(void **state)
{
	struct shared sh = { .t = vsw_mac_table_create(24, 4) };
	pthread_t r[T_READERS], w[T_WRITERS], d;
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 20 * 1000 * 1000 };

	(void)state;
	assert_non_null(sh.t);
	for (uint16_t s = 1; s < 4; s++)
		vsw_mac_slot_reset(sh.t, s, 100000, 1000);
	for (int i = 0; i < T_READERS; i++)
		assert_int_equal(pthread_create(&r[i], NULL, reader, &sh), 0);
	for (int i = 0; i < T_WRITERS; i++)
		assert_int_equal(pthread_create(&w[i], NULL, writer, &sh), 0);
	assert_int_equal(pthread_create(&d, NULL, deleter, &sh), 0);
	/* 50k hits and 20k learns, or 4 s on a busy machine, whichever comes first */
	for (int i = 0; i < 200 && (atomic_load(&sh.hits) < 50000 ||
				    atomic_load(&sh.learns) < 20000); i++)
		nanosleep(&ts, NULL);
	atomic_store(&sh.stop, true);
	for (int i = 0; i < T_READERS; i++)
		pthread_join(r[i], NULL);
	for (int i = 0; i < T_WRITERS; i++)
		pthread_join(w[i], NULL);
	pthread_join(d, NULL);

	assert_int_equal(atomic_load(&sh.bad), 0);
	assert_true(atomic_load(&sh.hits) > 1000); /* the race was really run */
	assert_true(atomic_load(&sh.hits) < atomic_load(&sh.lookups));
	assert_true(atomic_load(&sh.learns) > 1000);
	/* the counts still add up once everyone stopped */
	{
		struct vsw_mac_slot_stats st;
		uint32_t sum = 0;

		for (uint16_t s = 1; s < 4; s++) {
			vsw_mac_slot_stats(sh.t, s, &st);
			sum += st.macs;
		}
		assert_int_equal(sum, vsw_mac_table_count(sh.t));
		assert_int_equal(vsw_mac_flush(sh.t, VSW_MAC_ALL_SLOTS, NULL, NULL), sum);
	}
	vsw_mac_table_destroy(sh.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_rejects_nonsense),
		cmocka_unit_test(test_learn_lookup_move),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_mac_limit),
		cmocka_unit_test(test_mac_limit_group),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_aging_and_sweep),
		cmocka_unit_test(test_flush_and_list),
		cmocka_unit_test(test_churn_matches_reference),
		cmocka_unit_test(test_readers_never_see_torn_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
