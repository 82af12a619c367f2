/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw_flow_parse() and the vsw_flow_format*() family, the general part:
 * attributes, L2 fields, outputs, separators, filters, dump-flows text,
 * bounded output, the general error paths, and a random-input run (no crash,
 * err always terminated, whatever parses also round-trips). The other match
 * fields are in test_parse_match.c, the other actions in
 * test_parse_actions.c, the field tables in test_fields.c.
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
#include "parse_util.h"

/* ---- exact values ---- */

static void test_defaults(void **state)
{
	struct vsw_flow_spec spec, init;

	(void)state;
	add_ok("actions=drop", &spec);
	vsw_flow_spec_init(&init);
	assert_int_equal(spec.table, 0);
	assert_int_equal(spec.priority, VSW_FT_DEFAULT_PRIORITY);
	assert_int_equal(spec.cookie, 0);
	assert_int_equal(spec.cookie_mask, 0);
	assert_int_equal(spec.given, VSW_SPEC_ACTIONS);
	assert_memory_equal(&spec.match, &init.match, sizeof(init.match));
	assert_int_equal(spec.actions.n, 0);
}

static void test_attributes(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("table=254,priority=65535,cookie=0xDEADbeef,idle_timeout=10,hard_timeout=65535,"
	       "actions=drop", &spec);
	assert_int_equal(spec.table, 254);
	assert_int_equal(spec.priority, 65535);
	assert_true(spec.cookie == 0xdeadbeefull);
	assert_true(spec.cookie_mask == UINT64_MAX);
	assert_int_equal(spec.idle_timeout, 10);
	assert_int_equal(spec.hard_timeout, 65535);
	assert_int_equal(spec.given, VSW_SPEC_TABLE | VSW_SPEC_PRIORITY | VSW_SPEC_COOKIE |
					     VSW_SPEC_ACTIONS);
	add_ok("cookie=18446744073709551615,priority=0,actions=drop", &spec);
	assert_true(spec.cookie == UINT64_MAX);
	assert_int_equal(spec.priority, 0);
}

static void test_match_fields(void **state)
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t mac2[6] = { 0x0a, 0xb, 0xc, 0xd, 0xe, 0xf };
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("in_port=vm3,dl_src=02:00:00:00:00:01,dl_dst=a:b:C:0d:e:F,dl_type=2048,actions=drop",
	       &spec);
	assert_int_equal(spec.match.key.in_port, 3);
	assert_int_equal(spec.match.mask.in_port, UINT32_MAX);
	assert_memory_equal(spec.match.key.dl_src, mac1, 6);
	assert_memory_equal(spec.match.mask.dl_src, ones, 6);
	assert_memory_equal(spec.match.key.dl_dst, mac2, 6);
	assert_memory_equal(spec.match.mask.dl_dst, ones, 6);
	assert_int_equal(spec.match.key.dl_type, 0x0800);
	assert_int_equal(spec.match.mask.dl_type, 0xffff);
	assert_int_equal(spec.match.mask.vlan_tci, 0);

	add_ok("in_port=65280,actions=drop", &spec);
	assert_int_equal(spec.match.key.in_port, VSW_PORT_MAX);

	/* A mask keeps the key normalized. */
	add_ok("dl_dst=ff:ff:ff:ff:ff:ff/01:00:00:00:00:00,actions=drop", &spec);
	assert_int_equal(spec.match.key.dl_dst[0], 0x01);
	assert_int_equal(spec.match.key.dl_dst[1], 0);
	assert_int_equal(spec.match.mask.dl_dst[0], 0x01);
	assert_int_equal(spec.match.mask.dl_dst[5], 0);
}

static void test_vlan_fields(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("dl_vlan=5,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0x1005);
	assert_int_equal(spec.match.mask.vlan_tci, 0x1fff);
	add_ok("dl_vlan=0,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0x1000);
	add_ok("dl_vlan=4095,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0x1fff);
	add_ok("dl_vlan=0xffff,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0);
	assert_int_equal(spec.match.mask.vlan_tci, 0xffff);
	add_ok("vlan_tci=0x3005,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0x3005);
	assert_int_equal(spec.match.mask.vlan_tci, 0xffff);
	add_ok("vlan_tci=0xffff/0x1000,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0x1000);
	assert_int_equal(spec.match.mask.vlan_tci, 0x1000);
	/* The later of dl_vlan and vlan_tci wins. */
	add_ok("dl_vlan=5,vlan_tci=0,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0);
	assert_int_equal(spec.match.mask.vlan_tci, 0xffff);
	add_ok("vlan_tci=0x1000/0x1000,dl_vlan=7,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0x1007);
	assert_int_equal(spec.match.mask.vlan_tci, 0x1fff);
}

static void test_shorthands_and_duplicates(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("ip,actions=drop", &spec);
	assert_int_equal(spec.match.key.dl_type, 0x0800);
	assert_int_equal(spec.match.mask.dl_type, 0xffff);
	add_ok("arp actions=drop", &spec);
	assert_int_equal(spec.match.key.dl_type, 0x0806);
	add_ok("ipv6,actions=drop", &spec);
	assert_int_equal(spec.match.key.dl_type, 0x86dd);
	add_ok("ip,dl_type=0x88cc,actions=drop", &spec);
	assert_int_equal(spec.match.key.dl_type, 0x88cc);
	add_ok("priority=1,priority=2,in_port=1,in_port=vm2,actions=drop", &spec);
	assert_int_equal(spec.priority, 2);
	assert_int_equal(spec.match.key.in_port, 2);
}

static void test_separators(void **state)
{
	struct vsw_flow_spec a, b;

	(void)state;
	add_ok("priority=5,in_port=1,actions=output:2,output:3", &a);
	add_ok("  priority=5 \t in_port=1,,, actions=output:2 output:3  ", &b);
	assert_true(spec_equal(&a, &b));
	add_ok("priority=5\nin_port=1\nactions=output:2,\toutput:3\n", &b);
	assert_true(spec_equal(&a, &b));
}

static void test_actions(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("actions=output:2,output:vm3,in_port,flood,FLOOD,IN_PORT,4,vm1,uplink", &spec);
	assert_int_equal(spec.actions.n, 9);
	const struct { uint16_t type; uint32_t port; } want[] = {
		{ VSW_ACT_OUTPUT, 2 }, { VSW_ACT_OUTPUT, 3 }, { VSW_ACT_OUTPUT, VSW_PORT_IN_PORT },
		{ VSW_ACT_FLOOD, 0 },  { VSW_ACT_FLOOD, 0 },  { VSW_ACT_OUTPUT, VSW_PORT_IN_PORT },
		{ VSW_ACT_OUTPUT, 4 }, { VSW_ACT_OUTPUT, 1 }, { VSW_ACT_OUTPUT, 100 },
	};
	for (size_t i = 0; i < 9; i++) {
		assert_int_equal(spec.actions.a[i].type, want[i].type);
		assert_int_equal(spec.actions.a[i].arg, want[i].port);
	}
	/* Keywords in any case; output:in_port and output:flood are the same actions. */
	add_ok("actions=OUTPUT:1,Output:In_Port,output:Flood,output=2", &spec);
	assert_int_equal(spec.actions.n, 4);
	assert_int_equal(spec.actions.a[0].arg, 1);
	assert_int_equal(spec.actions.a[1].arg, VSW_PORT_IN_PORT);
	assert_int_equal(spec.actions.a[2].type, VSW_ACT_FLOOD);
	assert_int_equal(spec.actions.a[3].arg, 2);
	/* drop and an empty list are both the empty list. */
	add_ok("actions=drop", &spec);
	assert_int_equal(spec.actions.n, 0);
	add_ok("actions=DROP", &spec);
	assert_int_equal(spec.actions.n, 0);
	add_ok("actions=", &spec);
	assert_int_equal(spec.actions.n, 0);
	add_ok("in_port=1 actions=   ", &spec);
	assert_int_equal(spec.actions.n, 0);
	assert_true(spec.given & VSW_SPEC_ACTIONS);
	/* Exactly VSW_MAX_ACTIONS is fine, one more is not. */
	char text[512];
	size_t len = (size_t)snprintf(text, sizeof(text), "actions=");
	for (int i = 1; i <= VSW_MAX_ACTIONS; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%d", i > 1 ? "," : "", i);
	add_ok(text, &spec);
	assert_int_equal(spec.actions.n, VSW_MAX_ACTIONS);
	assert_int_equal(spec.actions.a[VSW_MAX_ACTIONS - 1].arg, VSW_MAX_ACTIONS);
	round_trip_text(text);
	snprintf(text + len, sizeof(text) - len, ",1");
	add_err(text, "too many actions (at most 32)");
}

static void test_no_names(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	parse_ok("in_port=1,actions=output:2", VSW_PARSE_ADD, NULL, &spec);
	assert_int_equal(spec.match.key.in_port, 1);
	parse_err("in_port=vm1,actions=drop", VSW_PARSE_ADD, NULL, "unknown port 'vm1'");
	parse_err("actions=output:vm1", VSW_PARSE_ADD, NULL, "unknown port 'vm1'");
	parse_err("actions=vm1", VSW_PARSE_ADD, NULL, "unknown action 'vm1'");
	/* A names struct without resolve is the same as none. */
	struct vsw_port_names only_name = { NULL, test_name_cb, NULL };
	parse_err("in_port=vm1,actions=drop", VSW_PARSE_ADD, &only_name, "unknown port 'vm1'");
}

static void test_filter_mode(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	parse_ok("", VSW_PARSE_FILTER, &NAMES, &spec);
	assert_int_equal(spec.given, 0);
	assert_true(spec.cookie_mask == 0);
	parse_ok("table=2,cookie=0x1234/0xff00,in_port=vm1", VSW_PARSE_FILTER, &NAMES, &spec);
	assert_int_equal(spec.given, VSW_SPEC_TABLE | VSW_SPEC_COOKIE);
	assert_true(spec.cookie == 0x1200);
	assert_true(spec.cookie_mask == 0xff00);
	assert_int_equal(spec.match.key.in_port, 1);
	parse_ok("cookie=5", VSW_PARSE_FILTER, &NAMES, &spec);
	assert_true(spec.cookie == 5 && spec.cookie_mask == UINT64_MAX);
	parse_ok("priority=7", VSW_PARSE_FILTER, &NAMES, &spec);
	assert_int_equal(spec.given, VSW_SPEC_PRIORITY);
	parse_err("in_port=1,actions=drop", VSW_PARSE_FILTER, &NAMES, "actions not allowed here");
	parse_err("actions=", VSW_PARSE_FILTER, &NAMES, "actions not allowed here");
}

static void test_dump_flows_text(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok(" cookie=0x0, duration=12.345s, table=0, n_packets=10, n_bytes=980, idle_age=3, "
	       "priority=100,in_port=1,dl_dst=02:00:00:00:00:02 actions=output:2", &spec);
	assert_int_equal(spec.priority, 100);
	assert_int_equal(spec.match.key.in_port, 1);
	assert_int_equal(spec.actions.n, 1);
	assert_int_equal(spec.actions.a[0].arg, 2);
	add_ok(" cookie=0x2a, duration=0.001s, table=3, n_packets=0, n_bytes=0, idle_timeout=10, "
	       "hard_timeout=20, idle_age=0, hard_age=1, dl_vlan=5 actions=FLOOD", &spec);
	assert_true(spec.cookie == 0x2a);
	assert_int_equal(spec.table, 3);
	assert_int_equal(spec.priority, VSW_FT_DEFAULT_PRIORITY);
	assert_int_equal(spec.idle_timeout, 10);
	assert_int_equal(spec.hard_timeout, 20);
	assert_int_equal(spec.actions.a[0].type, VSW_ACT_FLOOD);
	/* Filters read dump output too. */
	parse_ok("duration=1s,n_packets=3,in_port=vm2", VSW_PARSE_FILTER, &NAMES, &spec);
	assert_int_equal(spec.match.key.in_port, 2);
}

/* ---- round trips ---- */

static void test_round_trip_texts(void **state)
{
	static const char *const texts[] = {
		"actions=drop",
		"priority=100,in_port=1,actions=output:2",
		"table=3,priority=0,cookie=0x1234,idle_timeout=10,hard_timeout=65535,actions=drop",
		"table=254,priority=65535,cookie=18446744073709551615,actions=",
		"in_port=vm1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,dl_type=0x0800,"
		"actions=output:vm2",
		"dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=FLOOD",
		"dl_src=02:00:5e:12:34:56/ff:ff:ff:00:00:00,actions=in_port",
		"dl_vlan=5,actions=output:3,output:4",
		"dl_vlan=0,actions=output:3",
		"dl_vlan=4095,actions=output:3",
		"dl_vlan=0xffff,actions=flood",
		"vlan_tci=0x1005,actions=drop",
		"vlan_tci=0x3005,actions=drop",
		"vlan_tci=0x1000/0x1000,actions=drop",
		"vlan_tci=0x0000/0x0fff,actions=drop",
		"vlan_tci=0/0,actions=drop",
		"ip actions=1",
		"arp,actions=vm1",
		"ipv6,actions=output:uplink",
		"in_port=uplink,actions=output:65280,IN_PORT,FLOOD",
		"actions=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
		"idle_timeout=1,actions=drop",
		"hard_timeout=1,actions=drop",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		round_trip_text(texts[i]);
}

static void test_round_trip_built(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	/* A spec built by code, not by the parser (as the rule compiler will). */
	vsw_flow_spec_init(&spec);
	spec.table = 7;
	spec.priority = 40000;
	spec.cookie = 0xabcdef0123456789ull;
	spec.cookie_mask = UINT64_MAX;
	spec.match.key.in_port = 4;
	spec.match.mask.in_port = UINT32_MAX;
	spec.match.key.vlan_tci = 0x1064;
	spec.match.mask.vlan_tci = 0x1fff;
	spec.match.key.dl_type = 0x0806;
	spec.match.mask.dl_type = 0xffff;
	spec.actions.n = 2;
	spec.actions.a[0].type = VSW_ACT_OUTPUT;
	spec.actions.a[0].arg = 3;
	spec.actions.a[1].type = VSW_ACT_OUTPUT;
	spec.actions.a[1].arg = VSW_PORT_IN_PORT;
	check_round_trip(&spec, &NAMES);
	check_round_trip(&spec, NULL);
}

/* ---- formats ---- */

static void test_format_forms(void **state)
{
	struct vsw_flow_spec spec;
	char buf[512];

	(void)state;
	vsw_flow_spec_init(&spec);
	assert_int_equal(vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "");
	assert_int_equal(vsw_flow_format_actions(&spec.actions, NULL, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "drop");

	add_ok("priority=100,in_port=1,dl_dst=02:00:00:00:00:02,actions=output:2", &spec);
	assert_true(vsw_flow_format_match(&spec.match, spec.priority, &NAMES, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "priority=100,in_port=vm1,dl_dst=02:00:00:00:00:02");
	assert_true(vsw_flow_format_actions(&spec.actions, &NAMES, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "output:vm2");
	assert_true(vsw_flow_format(&spec, NULL, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
			    "table=0,priority=100,in_port=1,dl_dst=02:00:00:00:00:02,actions=output:2");

}

static void test_format_order(void **state)
{
	struct vsw_flow_spec spec;
	char buf[512];

	(void)state;
	/* Print order, whatever the input order; default priority omitted. */
	add_ok("dl_type=0x800,dl_dst=02:00:00:00:00:02/ff:ff:ff:ff:ff:00,"
	       "dl_src=aa:bb:cc:dd:ee:ff,dl_vlan=10,in_port=2,actions=in_port,flood,3",
	       &spec);
	assert_true(vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "ip,in_port=2,dl_vlan=10,dl_src=aa:bb:cc:dd:ee:ff,"
				 "dl_dst=02:00:00:00:00:00/ff:ff:ff:ff:ff:00");
	assert_true(vsw_flow_format_actions(&spec.actions, NULL, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "IN_PORT,FLOOD,output:3");

	add_ok("dl_vlan=0xffff,actions=drop", &spec);
	vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "vlan_tci=0x0000");
	add_ok("vlan_tci=0x1000/0x1000,actions=drop", &spec);
	vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "vlan_tci=0x1000/0x1000");

	add_ok("table=1,priority=32768,cookie=0x0,actions=drop", &spec);
	vsw_flow_format(&spec, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "table=1,priority=32768,actions=drop");
	add_ok("cookie=255,idle_timeout=5,hard_timeout=6,priority=9,actions=drop", &spec);
	vsw_flow_format(&spec, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "table=0,priority=9,cookie=0xff,idle_timeout=5,hard_timeout=6,"
				 "actions=drop");

	/* An explicit DROP action from code prints as drop. */
	spec.actions.n = 1;
	spec.actions.a[0].type = VSW_ACT_DROP;
	spec.actions.a[0].arg = 0;
	vsw_flow_format_actions(&spec.actions, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "drop");

	/* A filter's partial cookie mask is printed and parses back as a filter. */
	parse_ok("cookie=0x10/0xf0", VSW_PARSE_FILTER, NULL, &spec);
	vsw_flow_format(&spec, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "table=0,priority=32768,cookie=0x10/0xf0,actions=drop");
}

static void test_format_bounds(void **state)
{
	struct vsw_flow_spec spec;
	char full[256], buf[256];
	int n;

	(void)state;
	add_ok("priority=100,in_port=vm1,dl_dst=02:00:00:00:00:02,actions=output:vm2,flood", &spec);
	n = vsw_flow_format(&spec, &NAMES, full, sizeof(full));
	assert_true(n > 0);
	for (size_t len = 0; len <= (size_t)n + 1; len++) {
		int rc;

		memset(buf, '#', sizeof(buf));
		rc = vsw_flow_format(&spec, &NAMES, len ? buf : NULL, len);
		if (len <= (size_t)n) {
			assert_int_equal(rc, -ENOSPC);
		} else {
			assert_int_equal(rc, n);
			assert_string_equal(buf, full);
		}
		for (size_t i = len; i < sizeof(buf); i++)
			assert_int_equal(buf[i], '#'); /* nothing past buf[len - 1] */
		if (len)
			assert_non_null(memchr(buf, '\0', len)); /* truncated, terminated */
	}
	memset(buf, '#', sizeof(buf));
	assert_int_equal(vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, 5), -ENOSPC);
	assert_string_equal(buf, "prio");
	assert_int_equal(vsw_flow_format_actions(&spec.actions, NULL, buf, 3), -ENOSPC);
	assert_string_equal(buf, "ou");
	vsw_flow_spec_init(&spec);
	assert_int_equal(vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, 1), 0);
	assert_string_equal(buf, "");
	assert_int_equal(vsw_flow_format_match(&spec.match, spec.priority, NULL, buf, 0), -ENOSPC);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
	(void)state;
	add_err("dl_dst=02:00:zz:00:00:01,actions=drop",
		"dl_dst: '02:00:zz:00:00:01' is not a MAC address");
	add_err("dl_src=02:00:00:00:00:01/xx,actions=drop",
		"dl_src: '02:00:00:00:00:01/xx' is not a MAC address");
	add_err("foo=1,actions=drop", "unknown field 'foo'");
	add_err("foo,actions=drop", "unknown field 'foo'");
	add_err("Priority=1,actions=drop", "unknown field 'Priority'");
	add_err("actions=bar", "unknown action 'bar'");
	add_err("actions=output:2,frobnicate", "unknown action 'frobnicate'");
	add_err("actions=controller", "unknown action 'controller'");
	add_err("actions=goto:2", "unknown action 'goto:2'");
	add_err("in_port=vm9,actions=drop", "unknown port 'vm9'");
	add_err("actions=output:vm9", "unknown port 'vm9'");
	add_err("actions=output:", "unknown port ''");
	add_err("actions=output", "output: missing port");
	add_err("in_port=0,actions=drop", "in_port: port '0' out of range 1..65280");
	add_err("in_port=65281,actions=drop", "in_port: port '65281' out of range 1..65280");
	add_err("in_port=,actions=drop", "unknown port ''");
	add_err("actions=output:0", "output: port '0' out of range 1..65280");
	add_err("actions=99999999999999999999999", "output: port '99999999999999999999999' out of "
						   "range 1..65280");
	add_err("priority=70000,actions=drop", "priority: '70000' out of range 0..65535");
	add_err("priority=abc,actions=drop", "priority: 'abc' is not a number");
	add_err("priority=,actions=drop", "priority: '' is not a number");
	add_err("priority=-1,actions=drop", "priority: '-1' is not a number");
	add_err("priority=0x,actions=drop", "priority: '0x' is not a number");
	add_err("priority=1.5,actions=drop", "priority: '1.5' is not a number");
	add_err("priority,actions=drop", "priority: missing value");
	add_err("table=255,actions=drop", "table: '255' out of range 0..254");
	add_err("idle_timeout=65536,actions=drop", "idle_timeout: '65536' out of range 0..65535");
	add_err("hard_timeout=x,actions=drop", "hard_timeout: 'x' is not a number");
	add_err("cookie=0x1ffffffffffffffff,actions=drop",
		"cookie: '0x1ffffffffffffffff' out of range 0..18446744073709551615");
	add_err("cookie=18446744073709551616,actions=drop",
		"cookie: '18446744073709551616' out of range 0..18446744073709551615");
	add_err("cookie=1/0xff,actions=drop",
		"cookie: a cookie mask ('1/0xff') is only allowed in filters");
	parse_err("cookie=1/zz", VSW_PARSE_FILTER, NULL, "cookie: 'zz' is not a number");
	add_err("dl_type=0x10000,actions=drop", "dl_type: '0x10000' out of range 0..65535");
	add_err("dl_type=ip,actions=drop", "dl_type: 'ip' is not a number");
	add_err("dl_vlan=4096,actions=drop",
		"dl_vlan: '4096' out of range 0..4095 (or 0xffff for untagged)");
	add_err("dl_vlan=x,actions=drop", "dl_vlan: 'x' is not a number");
	add_err("vlan_tci=0x10000,actions=drop", "vlan_tci: '0x10000' out of range 0..65535");
	add_err("vlan_tci=0x1000/zz,actions=drop", "vlan_tci: 'zz' is not a number");
	add_err("ip=1,actions=drop", "'ip' takes no value");
	add_err("=5,actions=drop", "missing field name before '=5'");
	add_err("priority=1", "must specify actions");
	add_err("", "must specify actions");
	add_err("actions=drop,output:1", "drop must be the only action");
	add_err("actions=output:1,drop", "drop must be the only action");
}

static void test_bad_macs(void **state)
{
	static const char *const bad[] = {
		"", "1:2:3:4:5", "01:02:03:04:05:06:07", "001:02:03:04:05:06", "01-02-03-04-05-06",
		"01:02:03:04:05:", ":01:02:03:04:05", "01::02:03:04:05", "0g:00:00:00:00:00",
		"01:02:03:04:05:06/", "/ff:ff:ff:ff:ff:ff", "01:02:03:04:05:06/1:2",
		"01:02:03:04:05:06/ff:ff:ff:ff:ff:ff/ff:ff:ff:ff:ff:ff",
	};
	char text[128], msg[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "dl_src=%s,actions=drop", bad[i]);
		snprintf(msg, sizeof(msg), "dl_src: '%s' is not a MAC address", bad[i]);
		add_err(text, msg);
	}
}

static void test_err_buffer(void **state)
{
	struct vsw_flow_spec spec;
	char err[8], *text;
	size_t n = 100000;

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(vsw_flow_parse("foo=1", VSW_PARSE_ADD, NULL, &spec, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "unknown"); /* truncated, terminated */
	assert_int_equal(vsw_flow_parse("foo=1", VSW_PARSE_ADD, NULL, &spec, NULL, 0), -EINVAL);
	assert_int_equal(vsw_flow_parse("foo=1", VSW_PARSE_ADD, NULL, &spec, err, 0), -EINVAL);
	char msg[64];
	assert_int_equal(vsw_flow_parse(NULL, VSW_PARSE_ADD, NULL, &spec, msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "no flow text");
	assert_int_equal(vsw_flow_parse("actions=drop", VSW_PARSE_ADD, NULL, NULL, msg,
					sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "no spec to fill");
	assert_int_equal(vsw_flow_parse("actions=drop", VSW_PARSE_ADD, NULL, &spec, err, 1), 0);
	assert_string_equal(err, "");

	/* A huge token is quoted only in part: the message stays one short line. */
	text = malloc(n + 1);
	assert_non_null(text);
	memset(text, 'a', n);
	text[n] = '\0';
	char big[1024];
	assert_int_equal(vsw_flow_parse(text, VSW_PARSE_ADD, &NAMES, &spec, big, sizeof(big)),
			 -EINVAL);
	assert_true(strncmp(big, "unknown field 'aaa", 18) == 0);
	assert_true(strlen(big) < 200);
	memcpy(text, "actions=", 8);
	assert_int_equal(vsw_flow_parse(text, VSW_PARSE_ADD, &NAMES, &spec, big, sizeof(big)),
			 -EINVAL);
	assert_true(strncmp(big, "unknown action 'aaa", 19) == 0);
	memcpy(text, "actions=output:", 15);
	assert_int_equal(vsw_flow_parse(text, VSW_PARSE_ADD, &NAMES, &spec, big, sizeof(big)),
			 -EINVAL);
	assert_true(strncmp(big, "unknown port 'aaa", 17) == 0);
	free(text);
}

/* ---- random input ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void test_random_input(void **state)
{
	static const char *const pieces[] = {
		"table=", "priority=", "cookie=", "idle_timeout=", "hard_timeout=", "in_port=",
		"dl_src=", "dl_dst=", "dl_type=", "dl_vlan=", "vlan_tci=", "ip", "arp", "ipv6",
		"actions=", "output:", "flood", "in_port", "drop", "vm1", "vm9", "uplink",
		"0x", "0", "1", "5", "255", "4095", "65535", "0xffff", "18446744073709551615",
		"02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "/", ":", ",", " ", "=", "\t", "z",
		"n_packets=", "duration=", "\x01", "\xff", "0x1000/0x1000", "output=",
		"tcp", "udp6", "icmp", "arp", "tp_dst=", "nw_src=", "ipv6_dst=", "10.0.0.1",
		"/24", "::1", "reg0=", "tun_id=", "nw_tos=", "dl_vlan_pcp=", "arp_op=",
		"mod_vlan_vid:", "set_field:", "->", "load:", "NXM_NX_REG0[]", "[0..3]",
		"resubmit(,2)", "goto_table:", "note:", "strip_vlan", "push_vlan:0x8100",
		"mod_nw_src:", "mod_tp_dst:", "set_tunnel:", "dec_ttl", "normal", "(", ")",
		"nw_src", "tp_dst", "*", "icmp_type=",
	};
	char text[256], err[64];
	struct vsw_flow_spec spec;
	int parsed = 0;

	(void)state;
	for (int iter = 0; iter < 50000; iter++) {
		size_t len = 0;
		int n = (int)rnd(12);

		for (int i = 0; i < n; i++) {
			const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
			size_t pl = strlen(p);

			if (len + pl >= sizeof(text))
				break;
			memcpy(text + len, p, pl);
			len += pl;
		}
		text[len] = '\0';
		memset(err, 'x', sizeof(err));
		int rc = vsw_flow_parse(text, iter & 1 ? VSW_PARSE_FILTER : VSW_PARSE_ADD,
					rnd(2) ? &NAMES : NULL, &spec, err, sizeof(err));
		assert_non_null(memchr(err, '\0', sizeof(err)));
		if (rc == 0) {
			assert_string_equal(err, "");
			parsed++;
			if (!(iter & 1))
				check_round_trip(&spec, &NAMES);
		} else {
			assert_int_equal(rc, -EINVAL);
			assert_true(err[0] != '\0');
		}
	}
	assert_true(parsed > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_match_fields),
		cmocka_unit_test(test_vlan_fields),
		cmocka_unit_test(test_shorthands_and_duplicates),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_no_names),
		cmocka_unit_test(test_filter_mode),
		cmocka_unit_test(test_dump_flows_text),
		cmocka_unit_test(test_round_trip_texts),
		cmocka_unit_test(test_round_trip_built),
		cmocka_unit_test(test_format_forms),
		cmocka_unit_test(test_format_order),
		cmocka_unit_test(test_format_bounds),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bad_macs),
		cmocka_unit_test(test_err_buffer),
		cmocka_unit_test(test_random_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
