/* SPDX-License-Identifier: BSD-3-Clause */
/* Fitting telemetry replies into DPDK's limits (dataplane/telemetry_fit.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "telemetry_fit.h"

static void test_lengths_are_the_json_written(void **state)
{
	(void)state;
	/* Each with its comma: "0," "18446744073709551615," */
	assert_int_equal(vsw_tel_u64_len(0), 2);
	assert_int_equal(vsw_tel_u64_len(9), 2);
	assert_int_equal(vsw_tel_u64_len(10), 3);
	assert_int_equal(vsw_tel_u64_len(UINT64_MAX), 21);
	assert_int_equal(vsw_tel_str_len(""), 3);
	assert_int_equal(vsw_tel_str_len("output:vm2"), 13);
	/* Escapes at their widest: \" and \\ two bytes, a control byte six. */
	assert_int_equal(vsw_tel_str_len("a\"b\\c\n"), 3 + 3 + 2 + 2 + 6);
}

static void test_long_strings_are_cut_visibly(void **state)
{
	char buf[VSW_TEL_STRING_MAX], in[300];

	(void)state;
	vsw_tel_str_fit(buf, "in_port=vm1");
	assert_string_equal(buf, "in_port=vm1");
	memset(in, 'x', VSW_TEL_STRING_MAX - 1);
	in[VSW_TEL_STRING_MAX - 1] = '\0';
	vsw_tel_str_fit(buf, in); /* 127 bytes: fits as it is */
	assert_string_equal(buf, in);
	memset(in, 'y', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	vsw_tel_str_fit(buf, in);
	assert_int_equal(strlen(buf), VSW_TEL_STRING_MAX - 1);
	assert_memory_equal(buf, in, VSW_TEL_STRING_MAX - 4);
	assert_string_equal(buf + VSW_TEL_STRING_MAX - 4, "...");
}

static void test_flows_params(void **state)
{
	size_t first;
	int table;

	(void)state;
	assert_int_equal(vsw_tel_flows_params(NULL, 255, &table, &first), 0);
	assert_true(table == -1 && first == 0);
	assert_int_equal(vsw_tel_flows_params("", 255, &table, &first), 0);
	assert_true(table == -1 && first == 0);
	assert_int_equal(vsw_tel_flows_params("3", 255, &table, &first), 0);
	assert_true(table == 3 && first == 0);
	assert_int_equal(vsw_tel_flows_params("254,40", 255, &table, &first), 0);
	assert_true(table == 254 && first == 40);
	assert_int_equal(vsw_tel_flows_params("all,7", 255, &table, &first), 0);
	assert_true(table == -1 && first == 7);
	assert_int_equal(vsw_tel_flows_params("all", 255, &table, &first), 0);
	assert_true(table == -1 && first == 0);
	static const char *const bad[] = { "255", "-1", "x", "3,", ",3", "3,-1", "3,x",
					   "3,1,2", " 3", "alll", "99999999999999999999", "3,99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vsw_tel_flows_params(bad[i], 255, &table, &first), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths_are_the_json_written),
		cmocka_unit_test(test_long_strings_are_cut_visibly),
		cmocka_unit_test(test_flows_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
