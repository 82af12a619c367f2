/* SPDX-License-Identifier: BSD-3-Clause */
/* The data-path message limiter (dataplane/ratelimit.h): bursts, windows, counts. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ratelimit.h"

static void test_burst_then_hold(void **state)
{
	struct vsw_ratelimit rl = VSW_RATELIMIT_INIT;
	uint32_t held;

	(void)state;
	/* 3 a window of 1000 ms, starting at the first message. */
	for (int i = 0; i < 3; i++) {
		assert_true(vsw_ratelimit_ok(&rl, 5000 + (uint64_t)i, 1000, 3, &held));
		assert_int_equal(held, 0);
	}
	for (int i = 0; i < 7; i++)
		assert_false(vsw_ratelimit_ok(&rl, 5500, 1000, 3, &held));
	assert_false(vsw_ratelimit_ok(&rl, 5999, 1000, 3, &held)); /* 8 held */
	/* The next window: the first one through reports the 8 held back. */
	assert_true(vsw_ratelimit_ok(&rl, 6000, 1000, 3, &held));
	assert_int_equal(held, 8);
	assert_true(vsw_ratelimit_ok(&rl, 6001, 1000, 3, &held));
	assert_int_equal(held, 0);
}

static void test_time_zero_and_long_pauses(void **state)
{
	struct vsw_ratelimit rl = VSW_RATELIMIT_INIT;
	uint32_t held;

	(void)state;
	assert_true(vsw_ratelimit_ok(&rl, 0, 1000, 1, &held)); /* a clock at 0 is a time too */
	assert_false(vsw_ratelimit_ok(&rl, 0, 1000, 1, &held));
	assert_false(vsw_ratelimit_ok(&rl, 999, 1000, 1, &held));
	assert_true(vsw_ratelimit_ok(&rl, 1000000, 1000, 1, &held));
	assert_int_equal(held, 2);
	/* burst 0: everything is held, and counted. */
	struct vsw_ratelimit none = VSW_RATELIMIT_INIT;
	for (int i = 0; i < 5; i++)
		assert_false(vsw_ratelimit_ok(&none, (uint64_t)i * 5000, 1000, 0, &held));
	assert_int_equal(atomic_load(&none.held), 5);
}

/* Random times: every message is either let through or reported later. */
static void test_nothing_lost(void **state)
{
	struct vsw_ratelimit rl = VSW_RATELIMIT_INIT;
	uint64_t now = 123;
	uint32_t held, passed = 0, reported = 0, in_window = 0, window_start = 0;

	(void)state;
	srand(7);
	for (int i = 0; i < 100000; i++) {
		now += (uint64_t)(rand() % 3 == 0 ? rand() % 400 : 0);
		if (vsw_ratelimit_ok(&rl, now, 1000, 10, &held)) {
			if (!passed || now - window_start >= 1000) {
				window_start = (uint32_t)now;
				in_window = 0;
			}
			assert_true(++in_window <= 10);
			passed++;
			reported += held;
		}
	}
	assert_int_equal(passed + reported + atomic_load(&rl.held), 100000);
	assert_true(passed < 100000);
}

struct hammer {
	struct vsw_ratelimit *rl;
	uint32_t passed, reported;
};

static void *hammer(void *arg)
{
	struct hammer *h = arg;
	uint32_t held;

	for (uint64_t i = 0; i < 200000; i++)
		if (vsw_ratelimit_ok(h->rl, i / 100, 1000, 5, &held)) {
			h->passed++;
			h->reported += held;
		}
	return NULL;
}

/* PMD threads share a call site's limiter: still nothing lost, nothing twice. */
static void test_threads(void **state)
{
	struct vsw_ratelimit rl = VSW_RATELIMIT_INIT;
	struct hammer h[4];
	pthread_t t[4];
	uint32_t passed = 0, reported = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		h[i] = (struct hammer){ .rl = &rl };
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &h[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		passed += h[i].passed;
		reported += h[i].reported;
	}
	assert_int_equal(passed + reported + atomic_load(&rl.held), 4 * 200000);
	assert_true(passed >= 5 && passed < 4 * 200000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_hold),
		cmocka_unit_test(test_time_zero_and_long_pauses),
		cmocka_unit_test(test_nothing_lost),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
