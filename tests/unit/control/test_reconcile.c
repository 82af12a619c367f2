/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: the configuration/dataplane diff (control/reconcile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reconcile.h"

static struct vsw_port_cfg port(const char *name, uint32_t no, const char *mode,
				const char *path)
{
	struct vsw_port_cfg p;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.port_no = no;
	snprintf(p.type, sizeof(p.type), "vhost-user");
	snprintf(p.mode, sizeof(p.mode), "%s", mode);
	snprintf(p.path, sizeof(p.path), "%s", path);
	return p;
}

static const struct vsw_port_cfg base_ports[] = {
	{ .name = "vm1", .port_no = 1, .type = "vhost-user", .mode = "server", .path = "/run/vsw/vm1.sock" },
	{ .name = "vm2", .port_no = 2, .type = "vhost-user", .mode = "client", .path = "/tmp/vm2.sock" },
	{ .name = "vm3", .port_no = 3, .type = "vhost-user", .mode = "server", .path = "/run/vsw/vm3.sock" },
};
#define N_BASE_PORTS 3

static const char *const base_flows[] = {
	"table=0,priority=100,in_port=1,actions=output:2",
	"table=0,priority=100,in_port=2,actions=output:1",
	"table=1,priority=32768,dl_type=0x0806,actions=FLOOD",
};
#define N_BASE_FLOWS 3

static struct vsw_reconcile_input input(const struct vsw_port_cfg *want, size_t nw,
					const struct vsw_port_cfg *have, size_t nh,
					const char *const *wf, size_t nwf,
					const char *const *hf, size_t nhf)
{
	return (struct vsw_reconcile_input){ want, nw, have, nh, wf, nwf, hf, nhf, NULL, NULL };
}

static void test_equal_is_empty(void **state)
{
	struct vsw_reconcile_plan plan;
	/* Same content, another order: still nothing to do. */
	struct vsw_port_cfg have[N_BASE_PORTS] = { base_ports[2], base_ports[0], base_ports[1] };
	const char *hf[N_BASE_FLOWS] = { base_flows[2], base_flows[1], base_flows[0] };
	struct vsw_reconcile_input in = input(base_ports, N_BASE_PORTS, have, N_BASE_PORTS,
					      base_flows, N_BASE_FLOWS, hf, N_BASE_FLOWS);

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_true(vsw_reconcile_plan_empty(&plan));
	assert_int_equal(plan.n_flow_replace, 0);
	vsw_reconcile_plan_free(&plan);
}

static void test_both_empty(void **state)
{
	struct vsw_reconcile_plan plan;
	struct vsw_reconcile_input in = input(NULL, 0, NULL, 0, NULL, 0, NULL, 0);

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_true(vsw_reconcile_plan_empty(&plan));
	vsw_reconcile_plan_free(&plan);
}

static void test_fresh_dataplane_gets_everything(void **state)
{
	struct vsw_reconcile_plan plan;
	struct vsw_reconcile_input in = input(base_ports, N_BASE_PORTS, NULL, 0, base_flows,
					      N_BASE_FLOWS, NULL, 0);

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_port_add, 3);
	assert_int_equal(plan.n_port_del, 0);
	assert_int_equal(plan.n_flow_add, 3);
	assert_int_equal(plan.n_flow_del, 0);
	vsw_reconcile_plan_free(&plan);
}

static void test_empty_config_clears_dataplane(void **state)
{
	struct vsw_reconcile_plan plan;
	struct vsw_reconcile_input in = input(NULL, 0, base_ports, N_BASE_PORTS, NULL, 0,
					      base_flows, N_BASE_FLOWS);

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_port_add, 0);
	assert_int_equal(plan.n_port_del, 3);
	assert_int_equal(plan.n_flow_add, 0);
	assert_int_equal(plan.n_flow_del, 3);
	vsw_reconcile_plan_free(&plan);
}

static void test_missing_and_extra_port(void **state)
{
	struct vsw_reconcile_plan plan;
	struct vsw_port_cfg have[3] = { base_ports[0], base_ports[1],
					port("stale", 9, "server", "/run/vsw/stale.sock") };
	struct vsw_reconcile_input in = input(base_ports, N_BASE_PORTS, have, 3, NULL, 0, NULL, 0);

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_port_add, 1);
	assert_string_equal(plan.port_add[0]->name, "vm3");
	assert_ptr_equal(plan.port_add[0], &base_ports[2]); /* points into the input */
	assert_int_equal(plan.n_port_del, 1);
	assert_string_equal(plan.port_del[0]->name, "stale");
	assert_int_equal(plan.n_flow_add + plan.n_flow_del, 0);
	vsw_reconcile_plan_free(&plan);
}

/* Each attribute the dataplane knows: a difference means delete and add again. */
static void test_changed_port_is_replaced(void **state)
{
	struct vsw_port_cfg want = port("vm1", 1, "server", "/run/vsw/vm1.sock");
	struct vsw_port_cfg have[4];
	struct vsw_reconcile_plan plan;

	(void)state;
	for (int i = 0; i < 4; i++)
		have[i] = want;
	have[0].port_no = 7;
	snprintf(have[1].type, sizeof(have[1].type), "vhost-net");
	snprintf(have[2].mode, sizeof(have[2].mode), "client");
	snprintf(have[3].path, sizeof(have[3].path), "/elsewhere/vm1.sock");
	for (int i = 0; i < 4; i++) {
		struct vsw_reconcile_input in = input(&want, 1, &have[i], 1, NULL, 0, NULL, 0);

		assert_int_equal(vsw_reconcile(&in, &plan), 0);
		assert_int_equal(plan.n_port_del, 1);
		assert_ptr_equal(plan.port_del[0], &have[i]);
		assert_int_equal(plan.n_port_add, 1);
		assert_ptr_equal(plan.port_add[0], &want);
		vsw_reconcile_plan_free(&plan);
	}
}

static void test_missing_and_extra_flow(void **state)
{
	const char *hf[] = { base_flows[0], base_flows[2],
			     "table=3,priority=5,dl_type=0x86dd,actions=drop" };
	struct vsw_reconcile_input in = input(NULL, 0, NULL, 0, base_flows, N_BASE_FLOWS, hf, 3);
	struct vsw_reconcile_plan plan;

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_flow_add, 1);
	assert_string_equal(plan.flow_add[0], base_flows[1]);
	assert_int_equal(plan.n_flow_del, 1);
	assert_string_equal(plan.flow_del[0], "table=3,priority=5,dl_type=0x86dd,actions=drop");
	assert_int_equal(plan.n_flow_replace, 0);
	vsw_reconcile_plan_free(&plan);
}

/*
 * Same table, priority and match with other actions, cookie or timeout:
 * flow-add replaces the rule, so it must not be deleted as well.
 */
static void test_different_flow_is_replaced_not_deleted(void **state)
{
	static const char *const variants[] = {
		"table=0,priority=100,in_port=1,actions=output:3",
		"table=0,priority=100,cookie=0x5,in_port=1,actions=output:2",
		"table=0,priority=100,idle_timeout=10,in_port=1,actions=output:2",
		"table=0,priority=100,in_port=1,actions=drop",
	};
	struct vsw_reconcile_plan plan;

	(void)state;
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const char *hf[] = { variants[i], base_flows[1], base_flows[2] };
		struct vsw_reconcile_input in = input(NULL, 0, NULL, 0, base_flows, N_BASE_FLOWS,
						      hf, 3);

		assert_int_equal(vsw_reconcile(&in, &plan), 0);
		assert_int_equal(plan.n_flow_add, 1);
		assert_string_equal(plan.flow_add[0], base_flows[0]);
		assert_int_equal(plan.n_flow_del, 0);
		assert_int_equal(plan.n_flow_replace, 1);
		vsw_reconcile_plan_free(&plan);
	}
}

/* Another priority or match is another rule: delete it and add ours. */
static void test_other_identity_is_deleted(void **state)
{
	static const char *const others[] = {
		"table=0,priority=101,in_port=1,actions=output:2",
		"table=2,priority=100,in_port=1,actions=output:2",
		"table=0,priority=100,in_port=4,actions=output:2",
	};
	struct vsw_reconcile_plan plan;

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		const char *hf[] = { others[i] };
		struct vsw_reconcile_input in = input(NULL, 0, NULL, 0, base_flows, 1, hf, 1);

		assert_int_equal(vsw_reconcile(&in, &plan), 0);
		assert_int_equal(plan.n_flow_add, 1);
		assert_int_equal(plan.n_flow_del, 1);
		assert_string_equal(plan.flow_del[0], others[i]);
		assert_int_equal(plan.n_flow_replace, 0);
		vsw_reconcile_plan_free(&plan);
	}
}

static void test_unparsable_dataplane_flow_is_deleted(void **state)
{
	const char *hf[] = { "table=0,bogus=1,actions=drop" };
	struct vsw_reconcile_input in = input(NULL, 0, NULL, 0, base_flows, 1, hf, 1);
	struct vsw_reconcile_plan plan;

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_flow_del, 1);
	assert_int_equal(plan.n_flow_add, 1);
	vsw_reconcile_plan_free(&plan);
}

static void test_every_difference_at_once(void **state)
{
	struct vsw_port_cfg have[3] = {
		base_ports[0], /* right */
		port("vm2", 2, "server", "/tmp/vm2.sock"), /* wrong mode */
		port("old", 4, "server", "/run/vsw/old.sock"), /* extra */
	}; /* vm3 missing */
	const char *hf[] = {
		base_flows[0], /* right */
		"table=0,priority=100,in_port=2,actions=drop", /* replaced */
		"table=9,priority=1,actions=drop", /* extra */
	}; /* base_flows[2] missing */
	struct vsw_reconcile_input in = input(base_ports, N_BASE_PORTS, have, 3, base_flows,
					      N_BASE_FLOWS, hf, 3);
	struct vsw_reconcile_plan plan;
	int seen_vm2 = 0, seen_vm3 = 0;

	(void)state;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_port_del, 2); /* vm2 (changed), old */
	assert_int_equal(plan.n_port_add, 2); /* vm2, vm3 */
	for (size_t i = 0; i < plan.n_port_add; i++) {
		seen_vm2 += strcmp(plan.port_add[i]->name, "vm2") == 0;
		seen_vm3 += strcmp(plan.port_add[i]->name, "vm3") == 0;
	}
	assert_int_equal(seen_vm2, 1);
	assert_int_equal(seen_vm3, 1);
	assert_int_equal(plan.n_flow_del, 1);
	assert_string_equal(plan.flow_del[0], "table=9,priority=1,actions=drop");
	assert_int_equal(plan.n_flow_add, 2);
	assert_int_equal(plan.n_flow_replace, 1);
	vsw_reconcile_plan_free(&plan);
}

/* Many flows, shuffled: equal sets give an empty plan; one change is found. */
static void test_large_sets(void **state)
{
	enum { N = 3000 };
	char (*texts)[96] = calloc(N, sizeof(*texts));
	const char **want = calloc(N, sizeof(*want)), **have = calloc(N, sizeof(*have));
	struct vsw_reconcile_plan plan;
	struct vsw_reconcile_input in;

	(void)state;
	assert_non_null(texts);
	for (int i = 0; i < N; i++) {
		snprintf(texts[i], sizeof(texts[i]), "table=%d,priority=%d,in_port=%d,actions=output:%d",
			 i % 7, 100 + i, 1 + i % 50, 1 + (i * 7) % 50);
		want[i] = texts[i];
		have[(i * 1777) % N] = texts[i]; /* 1777 is prime to N: a permutation */
	}
	in = input(NULL, 0, NULL, 0, want, N, have, N);
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_true(vsw_reconcile_plan_empty(&plan));
	vsw_reconcile_plan_free(&plan);

	in.n_have_flows = N - 1; /* drop one from the dataplane */
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_flow_add, 1);
	assert_string_equal(plan.flow_add[0], have[N - 1]);
	assert_int_equal(plan.n_flow_del, 0);
	vsw_reconcile_plan_free(&plan);
	free(texts);
	free(want);
	free(have);
}

/* Miss policies: a table-mod for each table whose policy differs; none when unknown. */
static void test_table_miss_policies(void **state)
{
	uint8_t want[VSW_FT_N_TABLES] = { 0 }, have[VSW_FT_N_TABLES] = { 0 };
	struct vsw_reconcile_input in = input(NULL, 0, NULL, 0, NULL, 0, NULL, 0);
	struct vsw_reconcile_plan plan;

	(void)state;
	want[0] = VSW_MISS_CONTINUE; /* the dataplane lost it (restarted) */
	want[7] = VSW_MISS_CONTINUE; /* already right */
	have[7] = VSW_MISS_CONTINUE;
	have[254] = VSW_MISS_CONTINUE; /* set behind our back */
	in.want_miss = want;
	in.have_miss = have;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_table_mod, 2);
	assert_int_equal(plan.table_mod[0], 0);
	assert_int_equal(plan.table_mod[1], 254);
	assert_false(vsw_reconcile_plan_empty(&plan));
	vsw_reconcile_plan_free(&plan);

	/* table-list unanswered: tables are left alone. */
	in.have_miss = NULL;
	assert_int_equal(vsw_reconcile(&in, &plan), 0);
	assert_int_equal(plan.n_table_mod, 0);
	assert_true(vsw_reconcile_plan_empty(&plan));
	vsw_reconcile_plan_free(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_is_empty),
		cmocka_unit_test(test_both_empty),
		cmocka_unit_test(test_fresh_dataplane_gets_everything),
		cmocka_unit_test(test_empty_config_clears_dataplane),
		cmocka_unit_test(test_missing_and_extra_port),
		cmocka_unit_test(test_changed_port_is_replaced),
		cmocka_unit_test(test_missing_and_extra_flow),
		cmocka_unit_test(test_different_flow_is_replaced_not_deleted),
		cmocka_unit_test(test_other_identity_is_deleted),
		cmocka_unit_test(test_unparsable_dataplane_flow_is_deleted),
		cmocka_unit_test(test_every_difference_at_once),
		cmocka_unit_test(test_large_sets),
		cmocka_unit_test(test_table_miss_policies),
	};

	return cmocka_run_group_tests_name("control_reconcile", tests, NULL, NULL);
}
