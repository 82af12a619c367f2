/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: the replace-flows diff (control/replace.c), a pure function. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flowfile.h"
#include "replace.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct vsw_flowfile parse(const char *const *lines, size_t n)
{
	struct vsw_config cfg;
	struct vsw_flowfile ff;
	char err[640];

	vsw_config_init(&cfg);
	if (vsw_flowfile_parse(&cfg, "t", lines, n, &ff, err, sizeof(err)))
		fail_msg("%s", err);
	vsw_config_free(&cfg);
	return ff;
}

static void test_every_kind(void **state)
{
	const char *const have_lines[] = {
		"priority=10,in_port=1,actions=output:2", /* 0: unchanged */
		"priority=10,in_port=2,actions=output:1", /* 1: new actions */
		"priority=20,ip,actions=drop", /* 2: gone */
		"table=1,cookie=0x1,actions=drop", /* 3: new cookie */
		"priority=30,arp,hard_timeout=5,actions=FLOOD", /* 4: new timeout */
	};
	const char *const want_lines[] = {
		"table=1,cookie=0x2,actions=drop", /* 0: modifies have 3 */
		"priority=30,arp,hard_timeout=6,actions=FLOOD", /* 1: modifies have 4 */
		"priority=10,in_port=2,actions=drop", /* 2: modifies have 1 */
		"priority=10,in_port=1,actions=output:2", /* 3: unchanged */
		"priority=21,ip,actions=drop", /* 4: another priority: a new rule */
		"table=3,priority=20,ip,actions=drop", /* 5: another table: a new rule */
	};
	struct vsw_flowfile have = parse(have_lines, N(have_lines));
	struct vsw_flowfile want = parse(want_lines, N(want_lines));
	struct vsw_replace_plan p;
	bool seen[6] = { false };

	(void)state;
	assert_int_equal(vsw_replace_diff(have.recs, have.n, want.recs, want.n, &p), 0);
	assert_int_equal(p.n_unchanged, 1);
	assert_int_equal(p.n_del, 1);
	assert_int_equal(p.del[0], 2);
	assert_int_equal(p.n_add, 2);
	for (size_t i = 0; i < p.n_add; i++)
		seen[p.add[i]] = true;
	assert_true(seen[4] && seen[5]);
	assert_int_equal(p.n_mod, 3);
	for (size_t i = 0; i < p.n_mod; i++) {
		size_t w = p.mod[i], h = p.mod_have[i];

		assert_true((w == 0 && h == 3) || (w == 1 && h == 4) || (w == 2 && h == 1));
	}
	vsw_replace_plan_free(&p);
	vsw_flowfile_free(&have);
	vsw_flowfile_free(&want);
}

static void test_empty_sides(void **state)
{
	const char *const lines[] = { "priority=1,actions=drop", "priority=2,actions=drop" };
	struct vsw_flowfile some = parse(lines, N(lines));
	struct vsw_replace_plan p;

	(void)state;
	assert_int_equal(vsw_replace_diff(some.recs, some.n, NULL, 0, &p), 0); /* empty file */
	assert_int_equal(p.n_del, 2);
	assert_int_equal(p.n_add + p.n_mod + p.n_unchanged, 0);
	vsw_replace_plan_free(&p);
	assert_int_equal(vsw_replace_diff(NULL, 0, some.recs, some.n, &p), 0);
	assert_int_equal(p.n_add, 2);
	assert_int_equal(p.n_del + p.n_mod + p.n_unchanged, 0);
	vsw_replace_plan_free(&p);
	assert_int_equal(vsw_replace_diff(some.recs, some.n, some.recs, some.n, &p), 0);
	assert_int_equal(p.n_unchanged, 2);
	assert_int_equal(p.n_add + p.n_del + p.n_mod, 0);
	vsw_replace_plan_free(&p);
	assert_int_equal(vsw_replace_diff(NULL, 0, NULL, 0, &p), 0);
	assert_int_equal(p.n_add + p.n_del + p.n_mod + p.n_unchanged, 0);
	vsw_replace_plan_free(&p);
	vsw_flowfile_free(&some);
}

/* 100k rules against 100k, half changed, in another order: O(n log n). */
static void test_large(void **state)
{
	enum { N_RULES = 100000 };
	char **a = malloc(N_RULES * sizeof(*a)), **b = malloc(N_RULES * sizeof(*b));
	struct vsw_flowfile have, want;
	struct vsw_replace_plan p;

	(void)state;
	for (size_t i = 0; i < N_RULES; i++) {
		size_t j = N_RULES - 1 - i; /* reversed */

		assert_true(asprintf(&a[i], "priority=%zu,dl_src=02:00:00:00:%02zx:%02zx,actions=drop",
				     i % 3, (i >> 8) & 255, i & 255) > 0);
		/* Every second rule of `have` with other actions; a quarter of them replaced by new rules. */
		assert_true(asprintf(&b[i], "priority=%zu,dl_src=02:00:00:%02x:%02zx:%02zx,actions=%s",
				     j % 3, j % 4 == 1 ? 1 : 0, (j >> 8) & 255, j & 255,
				     j % 2 ? "FLOOD" : "drop") > 0);
	}
	have = parse((const char *const *)a, N_RULES);
	want = parse((const char *const *)b, N_RULES);
	assert_int_equal(vsw_replace_diff(have.recs, have.n, want.recs, want.n, &p), 0);
	assert_int_equal(p.n_unchanged, N_RULES / 2);
	assert_int_equal(p.n_mod, N_RULES / 4);
	assert_int_equal(p.n_add, N_RULES / 4);
	assert_int_equal(p.n_del, N_RULES / 4);
	vsw_replace_plan_free(&p);
	vsw_flowfile_free(&have);
	vsw_flowfile_free(&want);
	for (size_t i = 0; i < N_RULES; i++) {
		free(a[i]);
		free(b[i]);
	}
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_empty_sides),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests_name("control_replace", tests, NULL, NULL);
}
