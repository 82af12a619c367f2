/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic's command line: --vxlan (the decap benchmark's frames). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "traffic_opts.h"

#define MAXARGS 16

/* Parse the arguments after "vsw-traffic --socket /tmp/t.sock --lcore 0"; the error line in `msg`. */
static int parse(struct vsw_traffic_opts *o, char *msg, size_t len, ...)
{
	char *argv[MAXARGS] = { "vsw-traffic", "--socket", "/tmp/t.sock", "--lcore", "0" };
	int argc = 5, rc;
	FILE *err = fmemopen(msg, len, "w");
	va_list ap;

	assert_non_null(err);
	va_start(ap, len);
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	msg[0] = '\0';
	rc = vsw_traffic_opts_parse(o, argc, argv, err);
	fclose(err);
	return rc;
}

static void test_vxlan(void **state)
{
	static const uint8_t src_mac[6] = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x02 };
	static const uint8_t dst_mac[6] = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01 };
	struct vsw_traffic_opts o;
	char msg[256];

	(void)state;
	assert_int_equal(parse(&o, msg, sizeof(msg), "--gen", NULL), 0);
	assert_false(o.vxlan);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--gen", "--vxlan", "100,192.0.2.2,192.0.2.1",
			       NULL), 0);
	assert_true(o.vxlan);
	assert_int_equal(o.vxlan_vni, 100);
	assert_int_equal(o.vxlan_src, 0xc0000202);
	assert_int_equal(o.vxlan_dst, 0xc0000201);
	assert_memory_equal(o.vxlan_src_mac, src_mac, 6); /* 02:00 + the address */
	assert_memory_equal(o.vxlan_dst_mac, dst_mac, 6);
	assert_int_equal(parse(&o, msg, sizeof(msg), "--gen", "--vxlan",
			       "16777215,10.0.0.1,10.0.0.2,02:00:00:00:00:aa,02:00:00:00:00:bb", NULL),
			 0);
	assert_int_equal(o.vxlan_vni, 16777215);
	assert_int_equal(o.vxlan_src_mac[5], 0xaa);
	assert_int_equal(o.vxlan_dst_mac[5], 0xbb);

	static const char *const bad[] = {
		"100,192.0.2.2", "16777216,192.0.2.2,192.0.2.1", "x,192.0.2.2,192.0.2.1",
		"100,192.0.2.2-192.0.2.3,192.0.2.1", "100,192.0.2.2,192.0.2",
		"100,192.0.2.2,192.0.2.1,02:00:00:00:00:aa", "100,192.0.2.2,192.0.2.1,x,y",
		"100,,192.0.2.2,192.0.2.1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[256];

		assert_int_equal(parse(&o, msg, sizeof(msg), "--gen", "--vxlan", bad[i], NULL),
				 -EINVAL);
		snprintf(want, sizeof(want), "vsw-traffic: bad value '%s' for --vxlan\n", bad[i]);
		assert_string_equal(msg, want);
	}
	assert_int_equal(parse(&o, msg, sizeof(msg), "--vxlan", "100,192.0.2.2,192.0.2.1", NULL),
			 -EINVAL);
	assert_string_equal(msg, "vsw-traffic: --vxlan needs --gen and one direction (no --bidir)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vxlan),
	};

	return cmocka_run_group_tests_name("perf_traffic_opts", tests, NULL, NULL);
}
