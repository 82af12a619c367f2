/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: the command handlers (control/mgmt*.c), called through
 * vsw_mgmt_dispatch() on a store in a temporary directory, with no dataplane
 * and with a scripted one (a child process on a socketpair).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_fixture.h"

static void test_malformed_and_unknown(void **state)
{
	struct fixture *f = *state;
	json_t *arr = json_array(), *r;

	r = vsw_mgmt_dispatch(&f->ctl, arr);
	assert_string_equal(json_string_value(json_object_get(r, "error")),
			    "malformed request: not a JSON object");
	json_decref(r);
	json_decref(arr);
	expect_error(f, "{}", "malformed request: no \"cmd\" string");
	expect_error(f, "{\"cmd\": 3}", "malformed request: no \"cmd\" string");
	expect_error(f, "{\"cmd\": \"frob\"}", "unknown command 'frob'");
	expect_error(f, "{\"cmd\": \"add-port\"}", "add-port: missing argument 'name'");
	expect_error(f, "{\"cmd\": \"add-port\", \"name\": 1}",
		     "add-port: argument 'name' must be a string");
	expect_error(f, "{\"cmd\": \"del-flows\", \"strict\": \"yes\"}",
		     "del-flows: argument 'strict' must be true or false");
	expect_error(f, "{\"cmd\": \"add-flow\", \"flow\": [\"x\"]}",
		     "add-flow: argument 'flow' must be a string");
}

static void test_ports_without_dataplane(void **state)
{
	struct fixture *f = *state;
	json_t *r, *p;

	r = call(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\", \"type\": \"vhost-user\"}");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_integer_value(json_object_get(r, "port_no")), 1);
	json_decref(r);
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm2\", \"type\": \"vhost-user\","
		     " \"mode\": \"client\", \"path\": \"/tmp/vm2.sock\"}");
	expect_error(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\", \"type\": \"vhost-user\"}",
		     "port 'vm1' already exists");
	expect_error(f, "{\"cmd\": \"add-port\", \"name\": \"x\", \"type\": \"vhost-user\","
			" \"mode\": \"client\"}", "port 'x': client mode needs a socket path");
	expect_error(f, "{\"cmd\": \"del-port\", \"name\": \"vm9\"}", "no port 'vm9'");
	expect_error(f, "{\"cmd\": \"dump-ports\", \"name\": \"vm9\"}", "no port 'vm9'");

	r = call(f, "{\"cmd\": \"show\"}");
	assert_string_equal(json_string_value(json_object_get(r, "dataplane")), "disconnected");
	assert_int_equal(json_array_size(json_object_get(r, "ports")), 2);
	p = json_array_get(json_object_get(r, "ports"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "vm1");
	assert_string_equal(json_string_value(json_object_get(p, "state")), "unknown");
	char path[160];
	snprintf(path, sizeof(path), "%s/vm1.sock", f->dir); /* RUN_DIR/NAME.sock */
	assert_string_equal(json_string_value(json_object_get(p, "path")), path);
	assert_int_equal(json_integer_value(json_object_get(p, "rx_packets")), 0);
	assert_true(json_is_object(json_object_get(p, "drops")));
	json_decref(r);

	/* Deleted, re-added: same number; a new name gets a new one. */
	expect_ok(f, "{\"cmd\": \"del-port\", \"name\": \"vm1\"}");
	r = call(f, "{\"cmd\": \"add-port\", \"name\": \"vm3\"}"); /* type defaults */
	assert_int_equal(json_integer_value(json_object_get(r, "port_no")), 3);
	json_decref(r);
	r = call(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\", \"type\": \"vhost-user\"}");
	assert_int_equal(json_integer_value(json_object_get(r, "port_no")), 1);
	json_decref(r);

	/* All of it on disk. */
	close_control(f);
	open_control(f);
	assert_int_equal(f->ctl.cfg.n_ports, 3);
	assert_string_equal(vsw_config_find_port(&f->ctl.cfg, "vm2")->mode, "client");
}

static long long deleted(struct fixture *f, const char *req)
{
	json_t *r = call(f, req);
	long long n;

	if (!json_is_true(json_object_get(r, "ok")))
		fail_msg("%s -> %s", req, json_string_value(json_object_get(r, "error")));
	n = json_integer_value(json_object_get(r, "deleted"));
	json_decref(r);
	return n;
}

static void test_flows_without_dataplane(void **state)
{
	struct fixture *f = *state;
	json_t *flows, *e;

	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\", \"type\": \"vhost-user\"}");
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm2\", \"type\": \"vhost-user\"}");
	expect_error(f, "{\"cmd\": \"add-flow\", \"flow\": \"in_port=vm9,actions=drop\"}",
		     "unknown port 'vm9'");
	expect_error(f, "{\"cmd\": \"add-flow\", \"flow\": \"in_port=vm1\"}",
		     "must specify actions");
	expect_error(f, "{\"cmd\": \"dump-flows\", \"flow\": \"bogus=1\"}",
		     "unknown field 'bogus'");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=100,in_port=vm1,actions=output:vm2\"}");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=100,in_port=vm2,actions=output:vm1\"}");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"table=1,cookie=0x2a,dl_type=0x0806,actions=FLOOD\"}");
	/* Same rule identity: replaces. */
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=100,in_port=vm2,actions=drop\"}");
	assert_int_equal(f->ctl.cfg.n_flows, 3);

	flows = flows_of(f, "{\"cmd\": \"dump-flows\"}");
	assert_int_equal(json_array_size(flows), 3);
	e = json_array_get(flows, 0);
	assert_string_equal(json_string_value(json_object_get(e, "cookie")), "0x0");
	assert_int_equal(json_integer_value(json_object_get(e, "table")), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "priority")), 100);
	assert_string_equal(json_string_value(json_object_get(e, "match")), "priority=100,in_port=vm1");
	assert_string_equal(json_string_value(json_object_get(e, "actions")), "output:vm2");
	assert_int_equal(json_integer_value(json_object_get(e, "n_packets")), 0);
	assert_true(json_is_number(json_object_get(e, "duration")));
	e = json_array_get(flows, 2);
	assert_string_equal(json_string_value(json_object_get(e, "cookie")), "0x2a");
	assert_string_equal(json_string_value(json_object_get(e, "match")), "arp");
	assert_string_equal(json_string_value(json_object_get(e, "actions")), "FLOOD");
	json_decref(flows);

	flows = flows_of(f, "{\"cmd\": \"dump-flows\", \"flow\": \"in_port=vm2\"}");
	assert_int_equal(json_array_size(flows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(flows, 0), "actions")),
			    "drop");
	json_decref(flows);

	/* A deleted port keeps its name in output and in filters. */
	expect_ok(f, "{\"cmd\": \"del-port\", \"name\": \"vm2\"}");
	flows = flows_of(f, "{\"cmd\": \"dump-flows\", \"flow\": \"in_port=vm2\"}");
	assert_int_equal(json_array_size(flows), 1);
	json_decref(flows);
	expect_error(f, "{\"cmd\": \"add-flow\", \"flow\": \"in_port=vm2,actions=drop\"}",
		     "unknown port 'vm2'");

	/* Strict wants priority and match exactly; non-strict takes the wider set. */
	assert_int_equal(deleted(f, "{\"cmd\": \"del-flows\", \"flow\": \"in_port=vm1\", \"strict\": true}"), 0);
	assert_int_equal(deleted(f, "{\"cmd\": \"del-flows\", \"flow\": \"priority=100,in_port=vm1\", \"strict\": true}"), 1);
	assert_int_equal(deleted(f, "{\"cmd\": \"del-flows\", \"flow\": \"table=1\"}"), 1);
	assert_int_equal(f->ctl.cfg.n_flows, 1);

	close_control(f);
	open_control(f);
	assert_int_equal(f->ctl.cfg.n_flows, 1);
	assert_string_equal(f->ctl.cfg.flows[0].text, "table=0,priority=100,in_port=2,actions=drop");
	/* No filter: every user flow. */
	assert_int_equal(deleted(f, "{\"cmd\": \"del-flows\"}"), 1);
	assert_int_equal(deleted(f, "{\"cmd\": \"del-flows\", \"flow\": \"\"}"), 0);
	close_control(f);
	open_control(f);
	assert_int_equal(f->ctl.cfg.n_flows, 0);
}

static void test_dataplane_refusal_rolls_back(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	attach_dataplane(f);
	expect_error(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\", \"type\": \"vhost-user\","
			" \"mode\": \"client\", \"path\": \"/nonexistent/dir/vm1.sock\"}",
		     "dataplane: cannot create socket /nonexistent/dir/vm1.sock: No such file or directory");
	assert_int_equal(f->ctl.cfg.n_ports, 0);
	assert_int_equal(f->ctl.cfg.n_numbers, 0);
	r = call(f, "{\"cmd\": \"add-port\", \"name\": \"vm2\", \"type\": \"vhost-user\"}");
	assert_int_equal(json_integer_value(json_object_get(r, "port_no")), 1); /* 1 was not kept */
	json_decref(r);

	expect_error(f, "{\"cmd\": \"add-flow\", \"flow\": \"table=9,actions=drop\"}",
		     "dataplane: table 9 is not yours");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=65,actions=drop\"}");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=66,actions=drop\"}");
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=67,actions=drop\"}");
	/* One strict delete is refused: the batch is, all three stay, nothing to resync. */
	expect_error(f, "{\"cmd\": \"del-flows\"}",
		     "dataplane: flow-batch: op 1: cannot delete that");
	assert_int_equal(f->ctl.cfg.n_flows, 3);
	assert_false(f->ctl.dp.need_sync);
	assert_int_equal(deleted(f, "{\"cmd\": \"del-flows\", \"flow\": \"priority=67\", \"strict\": true}"), 1);

	r = call(f, "{\"cmd\": \"show\"}");
	assert_string_equal(json_string_value(json_object_get(r, "dataplane")), "connected");
	/* Connected, and the dataplane does not list vm2: shown as missing. */
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(r, "ports"), 0), "state")), "missing");
	json_decref(r);

	close_control(f);
	open_control(f);
	assert_int_equal(f->ctl.cfg.n_ports, 1);
	assert_int_equal(f->ctl.cfg.n_flows, 2);
}

/* A dataplane that goes away during a call: the change is kept for later. */
static void test_dataplane_lost_keeps_change(void **state)
{
	struct fixture *f = *state;

	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"die\", \"type\": \"vhost-user\"}");
	attach_dataplane(f);
	expect_ok(f, "{\"cmd\": \"del-port\", \"name\": \"die\"}");
	assert_false(vsw_dpconn_connected(&f->ctl.dp));
	close_control(f);
	open_control(f);
	assert_int_equal(f->ctl.cfg.n_ports, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_malformed_and_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_without_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flows_without_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dataplane_refusal_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dataplane_lost_keeps_change, setup, teardown),
	};

	return cmocka_run_group_tests_name("control_mgmt", tests, NULL, NULL);
}
