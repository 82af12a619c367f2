/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: the configuration model and its validation (control/config.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#define RUN "/run/vsw"

static char err[512];

static void name_refused(const char *name, const char *msg)
{
	err[0] = '\0';
	assert_int_equal(vsw_port_name_check(name, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

static void test_port_names(void **state)
{
	(void)state;
	assert_int_equal(vsw_port_name_check("vm1", err, sizeof(err)), 0);
	assert_int_equal(vsw_port_name_check("a.B_c-9", err, sizeof(err)), 0);
	assert_int_equal(vsw_port_name_check("1a", err, sizeof(err)), 0);
	assert_int_equal(vsw_port_name_check("abcdefghijklmno", err, sizeof(err)), 0); /* 15 */
	assert_int_equal(vsw_port_name_check("flooder", err, sizeof(err)), 0);

	name_refused("", "port name must not be empty");
	name_refused("abcdefghijklmnop",
		     "port name 'abcdefghijklmnop' is too long (at most 15 characters)");
	name_refused("a b", "port name 'a b': only letters, digits, '_', '.' and '-' are allowed");
	name_refused("vm/1", "port name 'vm/1': only letters, digits, '_', '.' and '-' are allowed");
	name_refused("vm,1", "port name 'vm,1': only letters, digits, '_', '.' and '-' are allowed");
	name_refused("123", "port name '123' must not be all digits (that is a port number)");
	static const char *const reserved[] = {
		"flood", "drop", "in_port", "normal", "local", "all", "controller", "any", "none",
		"FLOOD", "In_Port", "LOCAL",
	};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		char msg[128];

		snprintf(msg, sizeof(msg), "port name '%s' is reserved", reserved[i]);
		name_refused(reserved[i], msg);
	}
}

static void new_port_refused(const struct vsw_config *cfg, const char *name, const char *type,
			     const char *mode, const char *path, const char *msg)
{
	struct vsw_port_cfg p;

	err[0] = '\0';
	assert_int_equal(vsw_config_new_port(cfg, RUN, name, type, mode, path, NULL, &p, err,
					     sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

static void add(struct vsw_config *cfg, const char *name, const char *mode, const char *path,
		uint32_t expect_no)
{
	struct vsw_port_cfg p;

	assert_int_equal(vsw_config_new_port(cfg, RUN, name, "vhost-user", mode, path, NULL, &p, err,
					     sizeof(err)), 0);
	assert_int_equal(p.port_no, expect_no);
	assert_int_equal(vsw_config_add_port(cfg, &p), 0);
}

static void test_new_port_defaults(void **state)
{
	struct vsw_config cfg;
	struct vsw_port_cfg p;

	(void)state;
	vsw_config_init(&cfg);
	assert_int_equal(vsw_config_new_port(&cfg, RUN, "vm1", "vhost-user", NULL, NULL, NULL, &p, err,
					     sizeof(err)), 0);
	assert_string_equal(p.name, "vm1");
	assert_int_equal(p.port_no, 1);
	assert_string_equal(p.type, "vhost-user");
	assert_string_equal(p.mode, "server");
	assert_string_equal(p.path, "/run/vsw/vm1.sock");
	assert_int_equal(vsw_config_new_port(&cfg, RUN, "vm2", "vhost-user", "client",
					     "/tmp/q/vm2.sock", NULL, &p, err, sizeof(err)), 0);
	assert_string_equal(p.mode, "client");
	assert_string_equal(p.path, "/tmp/q/vm2.sock");
	vsw_config_free(&cfg);
}

static void test_new_port_refusals(void **state)
{
	struct vsw_config cfg;

	(void)state;
	vsw_config_init(&cfg);
	add(&cfg, "vm1", NULL, NULL, 1);
	add(&cfg, "vm2", "client", "/tmp/vm2.sock", 2);

	new_port_refused(&cfg, "vm1", "vhost-user", NULL, NULL, "port 'vm1' already exists");
	new_port_refused(&cfg, "vm3", "vhost-user", NULL, "/tmp/vm2.sock",
			 "socket path /tmp/vm2.sock is already used by port 'vm2'");
	new_port_refused(&cfg, "vm3", "vhost-user", NULL, "/run/vsw/vm1.sock",
			 "socket path /run/vsw/vm1.sock is already used by port 'vm1'");
	new_port_refused(&cfg, "vm3", "vhost-user", "client", NULL,
			 "port 'vm3': client mode needs a socket path");
	new_port_refused(&cfg, "vm3", "veth", NULL, NULL,
			 "unknown port type 'veth' (known: vhost-user, tap, dpdk)");
	new_port_refused(&cfg, "vm3", "vhost-user", "both", NULL,
			 "unknown mode 'both' (server or client)");
	new_port_refused(&cfg, "vm3", "vhost-user", NULL, "vm3.sock",
			 "socket path 'vm3.sock' is not absolute");
	new_port_refused(&cfg, "drop", "vhost-user", NULL, NULL, "port name 'drop' is reserved");
	char longpath[200];
	memset(longpath, 'x', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	err[0] = '\0';
	struct vsw_port_cfg p;
	assert_int_equal(vsw_config_new_port(&cfg, RUN, "vm3", "vhost-user", NULL, longpath, NULL, &p,
					     err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is too long (at most 107 bytes)"));
	assert_int_equal(cfg.n_ports, 2); /* nothing changed */
	vsw_config_free(&cfg);
}

static void test_numbers_kept_forever(void **state)
{
	struct vsw_config cfg;

	(void)state;
	vsw_config_init(&cfg);
	add(&cfg, "vm1", NULL, NULL, 1);
	add(&cfg, "vm2", NULL, NULL, 2);
	add(&cfg, "vm3", NULL, NULL, 3);
	assert_int_equal(vsw_config_del_port(&cfg, "vm2"), 0);
	assert_int_equal(vsw_config_del_port(&cfg, "vm2"), -ENOENT);
	assert_null(vsw_config_find_port(&cfg, "vm2"));
	assert_int_equal(vsw_config_number_of(&cfg, "vm2"), 2);
	assert_string_equal(vsw_config_name_of(&cfg, 2), "vm2");
	add(&cfg, "vm4", NULL, NULL, 4); /* 2 stays vm2's */
	add(&cfg, "vm2", NULL, NULL, 2); /* and vm2 gets it back */
	vsw_config_free(&cfg);
}

static void test_load_checks(void **state)
{
	struct vsw_config cfg;
	struct vsw_port_cfg p = { .name = "vm1", .port_no = 1, .type = "vhost-user", .mode = "server", .path = "/run/vsw/vm1.sock" };

	(void)state;
	vsw_config_init(&cfg);
	assert_int_equal(vsw_config_load_number(&cfg, "vm1", 1, err, sizeof(err)), 0);
	assert_int_equal(vsw_config_load_number(&cfg, "vm2", 1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "port number 1 given to both 'vm1' and 'vm2'");
	assert_int_equal(vsw_config_load_number(&cfg, "vm2", 70000, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "port number 70000 out of range 1..65280");
	assert_int_equal(vsw_config_load_number(&cfg, "all", 5, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "port name 'all' is reserved");
	assert_int_equal(vsw_config_load_port(&cfg, &p, err, sizeof(err)), 0);
	p = (struct vsw_port_cfg){ .name = "vm9", .port_no = 0, .type = "vhost-user", .mode = "server", .path = "/run/vsw/vm9.sock" };
	assert_int_equal(vsw_config_load_port(&cfg, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "port 'vm9' has no port number");
	assert_int_equal(vsw_config_load_flow(&cfg, 1, "in_port=1,actions=output:2", 0, err,
					      sizeof(err)), 0);
	assert_string_equal(cfg.flows[0].text, "table=0,priority=32768,in_port=1,actions=output:2");
	assert_int_equal(vsw_config_load_flow(&cfg, 2, "in_port=vm1,actions=drop", 0, err,
					      sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown port 'vm1'"); /* stored flows are numeric */
	assert_int_equal(vsw_config_load_flow(&cfg, 3, "priority=32768,in_port=1,actions=drop",
					      0, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "a rule with the same table, priority and match is stored twice");
	vsw_config_free(&cfg);
}

static void test_flows_and_names(void **state)
{
	struct vsw_config cfg;
	struct vsw_flow_cfg f;
	struct vsw_flow_spec filter;
	struct vsw_port_names names;
	char buf[256];

	(void)state;
	vsw_config_init(&cfg);
	add(&cfg, "vm1", NULL, NULL, 1);
	add(&cfg, "vm2", NULL, NULL, 2);

	assert_int_equal(vsw_config_parse_flow(&cfg, "priority=100,in_port=vm1,actions=vm2", &f,
					       err, sizeof(err)), 0);
	assert_string_equal(f.text, "table=0,priority=100,in_port=1,actions=output:2");
	assert_int_equal(vsw_config_parse_flow(&cfg, "in_port=vm9,actions=drop", &f, err,
					       sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown port 'vm9'");
	assert_int_equal(vsw_config_parse_flow(&cfg, "in_port=vm1", &f, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "must specify actions");

	/* A deleted port: not for new flows, still for filters and printing. */
	assert_int_equal(vsw_config_del_port(&cfg, "vm2"), 0);
	assert_int_equal(vsw_config_parse_flow(&cfg, "actions=output:vm2", &f, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "unknown port 'vm2'");
	assert_int_equal(vsw_config_parse_filter(&cfg, "in_port=vm2", &filter, err, sizeof(err)), 0);
	assert_int_equal(filter.match.key.in_port, 2);
	assert_int_equal(vsw_config_parse_filter(&cfg, NULL, &filter, err, sizeof(err)), 0);
	assert_int_equal(vsw_config_parse_filter(&cfg, "actions=drop", &filter, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "actions not allowed here");

	assert_int_equal(vsw_config_parse_flow(&cfg, "in_port=1,actions=output:2", &f, err,
					       sizeof(err)), 0);
	vsw_config_names(&cfg, VSW_NAMES_EVER, &names);
	assert_true(vsw_flow_format(&f.spec, &names, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "table=0,priority=32768,in_port=vm1,actions=output:vm2");
	vsw_config_free(&cfg);
}

static void test_put_replaces_same_rule(void **state)
{
	struct vsw_config cfg;
	struct vsw_flow_cfg f;
	bool gone[2] = { true, false };

	(void)state;
	vsw_config_init(&cfg);
	assert_int_equal(vsw_config_parse_flow(&cfg, "priority=5,dl_type=0x0800,actions=drop", &f,
					       err, sizeof(err)), 0);
	f.id = 1;
	assert_int_equal(vsw_config_put_flow(&cfg, &f), 0);
	assert_int_equal(vsw_config_parse_flow(&cfg, "priority=5,ip,actions=FLOOD", &f, err,
					       sizeof(err)), 0);
	f.id = 2;
	assert_int_equal(vsw_config_find_rule(&cfg, &f.spec), 0);
	assert_int_equal(vsw_config_put_flow(&cfg, &f), 0);
	assert_int_equal(cfg.n_flows, 1);
	assert_string_equal(cfg.flows[0].text, "table=0,priority=5,ip,actions=FLOOD");
	assert_int_equal(vsw_config_parse_flow(&cfg, "priority=6,ip,actions=FLOOD", &f, err,
					       sizeof(err)), 0);
	f.id = 3;
	assert_int_equal(vsw_config_put_flow(&cfg, &f), 0);
	assert_int_equal(cfg.n_flows, 2);
	vsw_config_del_flows(&cfg, gone);
	assert_int_equal(cfg.n_flows, 1);
	assert_int_equal(cfg.flows[0].id, 3);
	vsw_config_free(&cfg);
}

static void test_strict_filter(void **state)
{
	struct vsw_config cfg;
	struct vsw_flow_cfg f;
	struct vsw_flow_spec filter;
	char buf[256];

	(void)state;
	vsw_config_init(&cfg);
	assert_int_equal(vsw_config_parse_flow(&cfg,
		"table=3,priority=7,cookie=0x9,in_port=4,dl_dst=02:00:00:00:00:01,actions=output:5",
		&f, err, sizeof(err)), 0);
	assert_true(vsw_config_strict_filter(&f.spec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "table=3,priority=7,in_port=4,dl_dst=02:00:00:00:00:01");
	assert_int_equal(vsw_flow_parse(buf, VSW_PARSE_FILTER, NULL, &filter, err, sizeof(err)), 0);
	assert_true(vsw_flow_spec_selects(&filter, &f.spec, true));

	assert_int_equal(vsw_config_parse_flow(&cfg, "actions=drop", &f, err, sizeof(err)), 0);
	assert_true(vsw_config_strict_filter(&f.spec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "table=0,priority=32768");
	assert_int_equal(vsw_config_strict_filter(&f.spec, buf, 10), -ENOSPC);
	vsw_config_free(&cfg);
}

/* The identity index stays right through puts, replacements and deletions. */
static void test_index_many_flows(void **state)
{
	enum { N_FLOWS = 20000 };
	struct vsw_config cfg;
	struct vsw_flow_cfg f;
	bool *gone = calloc(N_FLOWS, sizeof(*gone));
	char text[128];

	(void)state;
	assert_non_null(gone);
	vsw_config_init(&cfg);
	for (int round = 0; round < 2; round++) /* the second round replaces every rule */
		for (unsigned i = 0; i < N_FLOWS; i++) {
			snprintf(text, sizeof(text), "table=%u,priority=%u,dl_vlan=%u,actions=%s",
				 i % 5, i % 3, i % 4096, round ? "FLOOD" : "drop");
			assert_int_equal(vsw_config_parse_flow(&cfg, text, &f, err, sizeof(err)), 0);
			f.id = (int64_t)i + 1;
			assert_int_equal(vsw_config_put_flow(&cfg, &f), 0);
		}
	assert_int_equal(cfg.n_flows, N_FLOWS);
	for (size_t i = 0; i < cfg.n_flows; i++)
		gone[i] = i % 3 == 0;
	vsw_config_del_flows(&cfg, gone);
	assert_int_equal(cfg.n_flows, N_FLOWS - (N_FLOWS + 2) / 3);
	for (unsigned i = 0; i < N_FLOWS; i++) {
		long at;

		snprintf(text, sizeof(text), "table=%u,priority=%u,dl_vlan=%u,actions=drop", i % 5,
			 i % 3, i % 4096);
		assert_int_equal(vsw_config_parse_flow(&cfg, text, &f, err, sizeof(err)), 0);
		at = vsw_config_find_rule(&cfg, &f.spec);
		if (i % 3 == 0) {
			assert_int_equal(at, -1);
		} else {
			assert_true(at >= 0);
			assert_true(cfg.flows[at].id == (int64_t)i + 1);
			assert_non_null(strstr(cfg.flows[at].text, "actions=FLOOD"));
		}
	}
	vsw_config_free(&cfg);
	free(gone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_names),
		cmocka_unit_test(test_new_port_defaults),
		cmocka_unit_test(test_new_port_refusals),
		cmocka_unit_test(test_numbers_kept_forever),
		cmocka_unit_test(test_load_checks),
		cmocka_unit_test(test_flows_and_names),
		cmocka_unit_test(test_put_replaces_same_rule),
		cmocka_unit_test(test_strict_filter),
		cmocka_unit_test(test_index_many_flows),
	};

	return cmocka_run_group_tests_name("control_config", tests, NULL, NULL);
}
