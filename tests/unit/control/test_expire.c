/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: timeout decisions (control/expire.c), with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "expire.h"

#define T0 1700000000000LL /* the fake clock's install time, ms since the epoch */

static struct vsw_flow_rec rule(uint16_t idle, uint16_t hard, int64_t installed)
{
	struct vsw_flow_rec r;

	memset(&r, 0, sizeof(r));
	r.idle_timeout = idle;
	r.hard_timeout = hard;
	r.installed_ms = installed;
	return r;
}

static void test_hard_timeout(void **state)
{
	struct vsw_flow_rec r = rule(0, 2, T0);

	(void)state;
	assert_int_equal(vsw_expire_check(&r, T0, 0), VSW_EXPIRE_NONE);
	assert_int_equal(vsw_expire_check(&r, T0 + 1999, 0), VSW_EXPIRE_NONE);
	assert_int_equal(vsw_expire_check(&r, T0 + 2000, 0), VSW_EXPIRE_HARD);
	assert_int_equal(vsw_expire_check(&r, T0 + 99999, 0), VSW_EXPIRE_HARD);
	/* No stats needed: expires while the dataplane is away. */
	assert_int_equal(vsw_expire_check(&r, T0 + 2000, VSW_EXPIRE_UNKNOWN), VSW_EXPIRE_HARD);
	/* Traffic does not keep a hard timeout alive. */
	assert_int_equal(vsw_expire_check(&r, T0 + 2000, 0), VSW_EXPIRE_HARD);
	/* A wall clock set back: not before the deadline comes round again. */
	assert_int_equal(vsw_expire_check(&r, T0 - 60000, 0), VSW_EXPIRE_NONE);
	/* The longest timeout there is. */
	r = rule(0, 65535, T0);
	assert_int_equal(vsw_expire_check(&r, T0 + 65534999LL, 0), VSW_EXPIRE_NONE);
	assert_int_equal(vsw_expire_check(&r, T0 + 65535000LL, 0), VSW_EXPIRE_HARD);
}

static void test_idle_timeout(void **state)
{
	struct vsw_flow_rec r = rule(2, 0, T0);

	(void)state;
	assert_int_equal(vsw_expire_check(&r, T0 + 10000, 1999), VSW_EXPIRE_NONE);
	assert_int_equal(vsw_expire_check(&r, T0 + 10000, 2000), VSW_EXPIRE_IDLE);
	/* Kept alive by traffic however old it is. */
	assert_int_equal(vsw_expire_check(&r, T0 + 86400000LL, 5), VSW_EXPIRE_NONE);
	/* No stats (dataplane disconnected, or it lacks the rule): wait. */
	assert_int_equal(vsw_expire_check(&r, T0 + 86400000LL, VSW_EXPIRE_UNKNOWN),
			 VSW_EXPIRE_NONE);
}

static void test_both_and_none(void **state)
{
	struct vsw_flow_rec both = rule(3, 10, T0), none = rule(0, 0, T0);

	(void)state;
	assert_int_equal(vsw_expire_check(&both, T0 + 5000, 1000), VSW_EXPIRE_NONE);
	assert_int_equal(vsw_expire_check(&both, T0 + 5000, 3000), VSW_EXPIRE_IDLE);
	assert_int_equal(vsw_expire_check(&both, T0 + 10000, 0), VSW_EXPIRE_HARD);
	assert_int_equal(vsw_expire_check(&both, T0 + 10000, 9000), VSW_EXPIRE_HARD);
	assert_int_equal(vsw_expire_check(&none, T0 + 999999999LL, 999999999LL), VSW_EXPIRE_NONE);
}

static void test_scan(void **state)
{
	struct vsw_flow_rec recs[] = {
		rule(0, 2, T0), /* hard: expires at T0+2000 */
		rule(2, 0, T0), /* idle, idle for 2500 ms */
		rule(2, 0, T0), /* idle, used recently */
		rule(0, 0, T0), /* none */
		rule(0, 5, T0 + 1000), /* hard, installed later */
	};
	int64_t idle[] = { 0, 2500, 100, 99999, 0 };
	bool gone[5];
	size_t n_hard, n_idle;

	(void)state;
	assert_int_equal(vsw_expire_scan(recs, 5, idle, T0 + 2000, gone, &n_hard, &n_idle), 2);
	assert_true(gone[0] && gone[1] && !gone[2] && !gone[3] && !gone[4]);
	assert_int_equal(n_hard, 1);
	assert_int_equal(n_idle, 1);
	/* Without stats only hard timeouts count. */
	assert_int_equal(vsw_expire_scan(recs, 5, NULL, T0 + 6000, gone, &n_hard, &n_idle), 2);
	assert_true(gone[0] && !gone[1] && !gone[2] && !gone[3] && gone[4]);
	assert_int_equal(n_hard, 2);
	assert_int_equal(n_idle, 0);
	assert_int_equal(vsw_expire_scan(recs, 0, NULL, T0, gone, &n_hard, &n_idle), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hard_timeout),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_both_and_none),
		cmocka_unit_test(test_scan),
	};

	return cmocka_run_group_tests_name("control_expire", tests, NULL, NULL);
}
