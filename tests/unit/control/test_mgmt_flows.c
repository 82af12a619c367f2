/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: the commands of the full flow table (add-flows,
 * replace-flows, mod-flows, dump-tables, mod-table), the timeout sweep and
 * the reconcile's batch, with no dataplane and with a scripted one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_fixture.h"
#include "sweep.h"
#include "sync.h"

static void two_ports(struct fixture *f)
{
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm1\"}");
	expect_ok(f, "{\"cmd\": \"add-port\", \"name\": \"vm2\"}");
}

/* The model's flows as texts, sorted, joined by '|'. */
static void texts(struct fixture *f, char *buf, size_t len)
{
	const struct vsw_config *cfg = &f->ctl.cfg;
	const char **v = calloc(cfg->n_flows + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < cfg->n_flows; i++)
		v[i] = cfg->flows[i].text;
	for (size_t i = 0; i < cfg->n_flows; i++) /* few: insertion sort */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < cfg->n_flows; i++)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", i ? "|" : "", v[i]);
	free(v);
}

static void assert_texts(struct fixture *f, const char *want)
{
	char got[4096];

	texts(f, got, sizeof(got));
	assert_string_equal(got, want);
}

static void reopen(struct fixture *f)
{
	close_control(f);
	open_control(f);
}

static void test_add_flows_all_or_nothing(void **state)
{
	struct fixture *f = *state;

	two_ports(f);
	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=9,actions=drop\"}");
	expect_error(f, "{\"cmd\": \"add-flows\", \"file\": \"flows.txt\", \"lines\": ["
			"\"priority=100,in_port=vm1,actions=output:vm2\","
			"\"# comment\","
			"\"priority=100,dl_dst=02:zz,actions=drop\","
			"\"priority=9,actions=FLOOD\"]}",
		     "flows.txt:3: dl_dst: '02:zz' is not a MAC address");
	assert_texts(f, "table=0,priority=9,actions=drop");
	reopen(f);
	assert_texts(f, "table=0,priority=9,actions=drop");

	expect_error(f, "{\"cmd\": \"add-flows\", \"file\": \"f\"}",
		     "add-flows: missing argument 'lines'");
	expect_error(f, "{\"cmd\": \"add-flows\", \"file\": \"f\", \"lines\": [\"x\", 3]}",
		     "add-flows: argument 'lines' must be an array of strings");
	expect_error(f, "{\"cmd\": \"add-flows\", \"lines\": []}",
		     "add-flows: missing argument 'file'");

	/* Good: added, a repeat replaced inside the file, a stored rule replaced. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-flows\", \"file\": \"flows.txt\", \"lines\": ["
				      "\"priority=100,in_port=vm1,actions=output:vm2\","
				      "\"\","
				      "\"priority=100,in_port=vm2,actions=drop\","
				      "\"priority=100,in_port=vm2,actions=output:vm1\","
				      "\"priority=9,actions=FLOOD\"]}", "added"), 3);
	assert_texts(f, "table=0,priority=100,in_port=1,actions=output:2|"
			"table=0,priority=100,in_port=2,actions=output:1|"
			"table=0,priority=9,actions=FLOOD");
	reopen(f);
	assert_int_equal(f->ctl.cfg.n_flows, 3);
	assert_texts(f, "table=0,priority=100,in_port=1,actions=output:2|"
			"table=0,priority=100,in_port=2,actions=output:1|"
			"table=0,priority=9,actions=FLOOD");
	/* An empty file adds nothing. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-flows\", \"file\": \"e\", \"lines\": []}",
				   "added"), 0);
}

/* One flow-batch for the whole file; a refused batch changes nothing. */
static void test_add_flows_one_batch(void **state)
{
	struct fixture *f = *state;
	json_t *reqs, *ops;

	two_ports(f);
	attach_dataplane(f);
	assert_int_equal(reply_int(f, "{\"cmd\": \"add-flows\", \"file\": \"f\", \"lines\": ["
				      "\"in_port=vm1,actions=vm2\", \"in_port=vm2,actions=vm1\","
				      "\"table=3,actions=drop\"]}", "added"), 3);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1);
	ops = json_object_get(json_array_get(reqs, 0), "ops");
	assert_int_equal(json_array_size(ops), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "op")), "add");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "flow")),
			    "table=0,priority=32768,in_port=1,actions=output:2");
	json_decref(reqs);
	reqs = dp_requests(f, "flow-add");
	assert_int_equal(json_array_size(reqs), 0);
	json_decref(reqs);

	expect_error(f, "{\"cmd\": \"add-flows\", \"file\": \"f\", \"lines\": ["
			"\"priority=1,actions=drop\", \"table=9,actions=drop\"]}",
		     "dataplane: flow-batch: op 1: table 9 is not yours");
	assert_int_equal(f->ctl.cfg.n_flows, 3);
	reopen(f);
	assert_int_equal(f->ctl.cfg.n_flows, 3);
}

static void test_replace_flows(void **state)
{
	struct fixture *f = *state;
	json_t *r, *reqs, *ops;
	int64_t kept_id, kept_installed;

	two_ports(f);
	expect_ok(f, "{\"cmd\": \"add-flows\", \"file\": \"a\", \"lines\": ["
		     "\"priority=10,in_port=vm1,actions=vm2\","
		     "\"priority=10,in_port=vm2,actions=vm1\","
		     "\"priority=20,ip,actions=drop\"]}");
	kept_id = f->ctl.cfg.flows[0].id;
	kept_installed = f->ctl.cfg.flows[0].installed_ms;
	attach_dataplane(f);

	expect_error(f, "{\"cmd\": \"replace-flows\", \"file\": \"b.txt\", \"lines\": ["
			"\"priority=10,in_port=vm1,actions=vm2\", \"bogus=1,actions=drop\"]}",
		     "b.txt:2: unknown field 'bogus'");
	r = call(f, "{\"cmd\": \"replace-flows\", \"file\": \"b.txt\", \"lines\": ["
		    "\"# the same first rule, another for vm2, a new one; ip goes\","
		    "\"priority=10,in_port=vm1,actions=output:vm2\","
		    "\"priority=10,in_port=vm2,actions=drop\","
		    "\"table=1,arp,actions=FLOOD\"]}");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_integer_value(json_object_get(r, "added")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "deleted")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "modified")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), 1);
	json_decref(r);

	/* One batch: a strict delete for the rule that went, adds for the others; the unchanged one untouched. */
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1);
	ops = json_object_get(json_array_get(reqs, 0), "ops");
	assert_int_equal(json_array_size(ops), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "op")), "del");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "flow")),
			    "table=0,priority=20,ip");
	assert_true(json_is_true(json_object_get(json_array_get(ops, 0), "strict")));
	for (size_t i = 1; i < 3; i++) {
		const char *t = json_string_value(json_object_get(json_array_get(ops, i), "flow"));

		assert_string_equal(json_string_value(json_object_get(json_array_get(ops, i), "op")),
				    "add");
		assert_true(!strcmp(t, "table=0,priority=10,in_port=2,actions=drop") ||
			    !strcmp(t, "table=1,priority=32768,arp,actions=FLOOD"));
	}
	json_decref(reqs);

	reopen(f);
	assert_texts(f, "table=0,priority=10,in_port=1,actions=output:2|"
			"table=0,priority=10,in_port=2,actions=drop|"
			"table=1,priority=32768,arp,actions=FLOOD");
	for (size_t i = 0; i < f->ctl.cfg.n_flows; i++)
		if (f->ctl.cfg.flows[i].match.key.in_port == 1) {
			assert_true(f->ctl.cfg.flows[i].id == kept_id);
			assert_true(f->ctl.cfg.flows[i].installed_ms == kept_installed);
		}

	/* The same file again: nothing to do, nothing sent. */
	attach_dataplane(f);
	r = call(f, "{\"cmd\": \"replace-flows\", \"file\": \"b.txt\", \"lines\": ["
		    "\"table=1,arp,actions=FLOOD\","
		    "\"priority=10,in_port=vm1,actions=output:vm2\","
		    "\"priority=10,in_port=vm2,actions=drop\"]}");
	assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), 3);
	json_decref(r);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1); /* the earlier one only */
	json_decref(reqs);

	/* An empty file: no user flows at all. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"replace-flows\", \"file\": \"e\", \"lines\": []}",
				   "deleted"), 3);
	reopen(f);
	assert_int_equal(f->ctl.cfg.n_flows, 0);
}

static void test_mod_flows(void **state)
{
	struct fixture *f = *state;
	json_t *reqs, *ops;
	int64_t id, installed;

	two_ports(f);
	expect_ok(f, "{\"cmd\": \"add-flows\", \"file\": \"a\", \"lines\": ["
		     "\"priority=10,in_port=vm1,actions=vm2\","
		     "\"priority=20,in_port=vm1,dl_type=0x0800,hard_timeout=60,actions=vm2\","
		     "\"table=1,cookie=0x7,in_port=vm2,actions=vm1\"]}");
	id = f->ctl.cfg.flows[1].id;
	installed = f->ctl.cfg.flows[1].installed_ms;

	expect_error(f, "{\"cmd\": \"mod-flows\", \"flow\": \"in_port=vm1\"}", "must specify actions");
	expect_error(f, "{\"cmd\": \"mod-flows\", \"flow\": \"in_port=vm1,actions=output:vm7\"}",
		     "unknown port 'vm7'");
	/* Non-strict: every rule at least as specific. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\", \"flow\": \"in_port=vm1,actions=drop\"}",
				   "modified"), 2);
	/* Strict: priority and match exactly. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\", \"strict\": true,"
				      " \"flow\": \"in_port=vm1,actions=FLOOD\"}", "modified"), 0);
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\", \"strict\": true,"
				      " \"flow\": \"priority=10,in_port=vm1,actions=FLOOD\"}",
				   "modified"), 1);
	/* cookie=V/M selects; cookie=V sets. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\","
				      " \"flow\": \"cookie=0x7/0xff,actions=drop\"}", "modified"), 1);
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\","
				      " \"flow\": \"table=1,cookie=0x8,actions=drop\"}", "modified"), 1);
	assert_texts(f, "table=0,priority=10,in_port=1,actions=FLOOD|"
			"table=0,priority=20,hard_timeout=60,ip,in_port=1,actions=drop|"
			"table=1,priority=32768,cookie=0x8,in_port=2,actions=drop");
	reopen(f);
	assert_texts(f, "table=0,priority=10,in_port=1,actions=FLOOD|"
			"table=0,priority=20,hard_timeout=60,ip,in_port=1,actions=drop|"
			"table=1,priority=32768,cookie=0x8,in_port=2,actions=drop");
	/* Same row, same install time: the hard timeout keeps its deadline. */
	assert_true(f->ctl.cfg.flows[1].id == id);
	assert_true(f->ctl.cfg.flows[1].installed_ms == installed);

	/* The dataplane gets mod ops (counters kept), one batch. */
	attach_dataplane(f);
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\", \"flow\": \"table=0,actions=vm2\"}",
				   "modified"), 2);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1);
	ops = json_object_get(json_array_get(reqs, 0), "ops");
	assert_int_equal(json_array_size(ops), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "op")), "mod");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "flow")),
			    "table=0,priority=10,in_port=1,actions=output:2");
	json_decref(reqs);
	/* Unchanged rules are not sent again. */
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\", \"flow\": \"table=0,actions=vm2\"}",
				   "modified"), 2);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1);
	json_decref(reqs);
}

/* A dataplane without the mod op: the rules are replaced (adds) instead. */
static void test_mod_flows_fallback(void **state)
{
	struct fixture *f = *state;
	json_t *reqs, *ops;

	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"priority=77,actions=drop\"}");
	attach_dataplane(f);
	assert_int_equal(reply_int(f, "{\"cmd\": \"mod-flows\", \"flow\": \"actions=FLOOD\"}",
				   "modified"), 1);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 2);
	ops = json_object_get(json_array_get(reqs, 1), "ops");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "op")), "add");
	json_decref(reqs);
	assert_texts(f, "table=0,priority=77,actions=FLOOD");
}

static void test_tables(void **state)
{
	struct fixture *f = *state;
	json_t *r, *t, *reqs;

	expect_ok(f, "{\"cmd\": \"add-flow\", \"flow\": \"table=2,actions=drop\"}");
	expect_ok(f, "{\"cmd\": \"mod-table\", \"table\": 5, \"miss\": \"continue\"}");
	expect_error(f, "{\"cmd\": \"mod-table\", \"table\": 255, \"miss\": \"drop\"}",
		     "mod-table: argument 'table' must be an integer 0..254");
	expect_error(f, "{\"cmd\": \"mod-table\", \"table\": \"1\", \"miss\": \"drop\"}",
		     "mod-table: argument 'table' must be an integer 0..254");
	expect_error(f, "{\"cmd\": \"mod-table\", \"table\": 1, \"miss\": \"flood\"}",
		     "mod-table: miss policy 'flood' is not drop or continue");
	expect_error(f, "{\"cmd\": \"mod-table\", \"table\": 1}", "mod-table: missing argument 'miss'");

	/* Without a dataplane: from the configuration. */
	r = call(f, "{\"cmd\": \"dump-tables\"}");
	t = json_object_get(r, "tables");
	assert_int_equal(json_array_size(t), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "table")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "active")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0), "miss")), "drop");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 1), "table")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 1), "active")), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 1), "miss")),
			    "continue");
	json_decref(r);
	reopen(f);
	assert_int_equal(f->ctl.cfg.miss[5], VSW_MISS_CONTINUE);

	/* With one: its table-list; table-mod sent; a refusal changes nothing. */
	attach_dataplane(f);
	r = call(f, "{\"cmd\": \"dump-tables\"}");
	t = json_array_get(json_object_get(r, "tables"), 0);
	assert_int_equal(json_integer_value(json_object_get(t, "lookups")), 10);
	assert_int_equal(json_integer_value(json_object_get(t, "matches")), 8);
	json_decref(r);
	expect_ok(f, "{\"cmd\": \"mod-table\", \"table\": 5, \"miss\": \"drop\"}");
	reqs = dp_requests(f, "table-mod");
	assert_int_equal(json_array_size(reqs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(reqs, 0), "miss")),
			    "drop");
	json_decref(reqs);
	expect_error(f, "{\"cmd\": \"mod-table\", \"table\": 9, \"miss\": \"continue\"}",
		     "dataplane: table 9 is not yours");
	assert_int_equal(f->ctl.cfg.miss[9], VSW_MISS_DROP);
	reopen(f);
	assert_int_equal(f->ctl.cfg.miss[5], VSW_MISS_DROP);
	assert_int_equal(f->ctl.cfg.miss[9], VSW_MISS_DROP);
}

/* Reconcile: flows as one batch, miss policies re-sent. */
static void test_reconcile_batch_and_tables(void **state)
{
	struct fixture *f = *state;
	json_t *reqs, *ops;

	expect_ok(f, "{\"cmd\": \"add-flows\", \"file\": \"a\", \"lines\": ["
		     "\"priority=1,actions=drop\", \"priority=2,actions=drop\", \"priority=3,actions=drop\"]}");
	expect_ok(f, "{\"cmd\": \"mod-table\", \"table\": 4, \"miss\": \"continue\"}");
	attach_dataplane(f);
	assert_int_equal(vsw_sync(&f->ctl), 0);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1);
	ops = json_object_get(json_array_get(reqs, 0), "ops");
	assert_int_equal(json_array_size(ops), 3);
	json_decref(reqs);
	reqs = dp_requests(f, "table-mod");
	assert_int_equal(json_array_size(reqs), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(reqs, 0), "table")), 4);
	json_decref(reqs);
	reqs = dp_requests(f, "flow-add");
	assert_int_equal(json_array_size(reqs), 0);
	json_decref(reqs);
}

/* A refused batch is retried op by op: one bad rule keeps no other out. */
static void test_reconcile_refused_batch(void **state)
{
	struct fixture *f = *state;
	json_t *reqs;

	expect_ok(f, "{\"cmd\": \"add-flows\", \"file\": \"a\", \"lines\": ["
		     "\"priority=1,actions=drop\", \"table=9,actions=drop\", \"priority=3,actions=drop\"]}");
	attach_dataplane(f);
	assert_int_equal(vsw_sync(&f->ctl), 0);
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 1);
	json_decref(reqs);
	reqs = dp_requests(f, "flow-add");
	assert_int_equal(json_array_size(reqs), 3); /* table 9 refused, the two others in */
	json_decref(reqs);
	assert_int_equal(f->ctl.cfg.n_flows, 3); /* the configuration stays what it is */
}

/* Expired rules leave the store, the model and the dataplane (one batch). */
static void test_sweep(void **state)
{
	struct fixture *f = *state;
	json_t *reqs, *ops;

	expect_ok(f, "{\"cmd\": \"add-flows\", \"file\": \"a\", \"lines\": ["
		     "\"priority=1,hard_timeout=2,actions=drop\","
		     "\"priority=2,idle_timeout=2,actions=drop\","
		     "\"priority=3,idle_timeout=10,actions=drop\","
		     "\"priority=4,actions=drop\"]}");
	assert_int_equal(f->ctl.cfg.n_timed, 3);
	assert_int_equal(f->ctl.cfg.n_idle, 2);
	assert_int_equal(vsw_sweep_poll_timeout(&f->ctl) <= VSW_SWEEP_INTERVAL_MS, true);

	/* Disconnected: the hard timeout runs (its install time moved back), the idle ones wait. */
	for (size_t i = 0; i < f->ctl.cfg.n_flows; i++)
		f->ctl.cfg.flows[i].installed_ms -= 10000;
	vsw_sweep(&f->ctl);
	assert_texts(f, "table=0,priority=2,idle_timeout=2,actions=drop|"
			"table=0,priority=3,idle_timeout=10,actions=drop|"
			"table=0,priority=4,actions=drop");
	reopen(f);
	assert_int_equal(f->ctl.cfg.n_flows, 3);

	/* Connected: the scripted dataplane says the idle_timeout=2 rule is idle for 5 s. */
	attach_dataplane(f);
	assert_int_equal(vsw_sync(&f->ctl), 0);
	vsw_sweep(&f->ctl);
	assert_texts(f, "table=0,priority=3,idle_timeout=10,actions=drop|"
			"table=0,priority=4,actions=drop");
	reqs = dp_requests(f, "flow-batch");
	assert_int_equal(json_array_size(reqs), 2); /* the reconcile's, the sweep's */
	ops = json_object_get(json_array_get(reqs, 1), "ops");
	assert_int_equal(json_array_size(ops), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ops, 0), "flow")),
			    "table=0,priority=2");
	json_decref(reqs);
	reopen(f);
	assert_int_equal(f->ctl.cfg.n_flows, 2);
	assert_int_equal(f->ctl.cfg.n_timed, 1);

	/* No timeouts left: no sweep. */
	expect_ok(f, "{\"cmd\": \"del-flows\", \"flow\": \"priority=3\", \"strict\": true}");
	assert_int_equal(f->ctl.cfg.n_timed, 0);
	assert_int_equal(vsw_sweep_poll_timeout(&f->ctl), -1);
	assert_false(vsw_sweep_due(&f->ctl));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_flows_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_flows_one_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_flows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mod_flows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mod_flows_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconcile_batch_and_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconcile_refused_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	};

	return cmocka_run_group_tests_name("control_mgmt_flows", tests, NULL, NULL);
}
