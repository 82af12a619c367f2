/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: port mirrors in the model (control/mirror.c): every refusal,
 * the tenant rule (against a test's tenant map), the dataplane's form, the
 * reconcile plan, and the store's mirrors table (round trip, the schema step).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "config.h"
#include "mirror.h"
#include "store.h"

/* A list of names, and its length. */
#define A(...)                                 \
	(const char *const[]){ __VA_ARGS__ },  \
		sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)

static char err[512];

static void attach(struct vsw_config *cfg, const char *port, const char *tenant)
{
	struct vsw_port_tenant att;

	assert_int_equal(vsw_port_tenant_parse(tenant, NULL, NULL, NULL, NULL, &att, err,
					       sizeof(err)), 0);
	assert_int_equal(vsw_config_set_port(cfg, port, &att, err, sizeof(err)), 0);
}

/*
 * vm1 vm2 vm3 mon (numbers 1..4) in no tenant; vmA, monA (5, 7) in tenant a,
 * vmB (6) in b when `tenants` (else in none).
 */
static void make_config(struct vsw_config *cfg, bool tenants)
{
	static const char *const names[] = { "vm1", "vm2", "vm3", "mon", "vmA", "vmB", "monA" };
	struct vsw_port_cfg p;

	vsw_config_init(cfg);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(vsw_config_new_port(cfg, "/run/vsw", names[i], "vhost-user", NULL,
						     NULL, NULL, &p, err, sizeof(err)), 0);
		assert_int_equal(vsw_config_add_port(cfg, &p), 0);
	}
	if (!tenants)
		return;
	assert_int_equal(vsw_config_add_tenant(cfg, "a", 10, 0, 1024, err, sizeof(err)), 0);
	assert_int_equal(vsw_config_add_tenant(cfg, "b", 20, 0, 1024, err, sizeof(err)), 0);
	attach(cfg, "vmA", "a");
	attach(cfg, "monA", "a");
	attach(cfg, "vmB", "b");
}

/* The model's answer. */
#define tenants vsw_mirror_port_tenant

static void refused(const struct vsw_config *cfg, const char *name, const char *const *src,
		    size_t n_src, const char *dst, const char *msg)
{
	struct vsw_mirror_cfg m;

	err[0] = '\0';
	assert_int_equal(vsw_config_new_mirror(cfg, name, src, n_src, dst, tenants, &m, err,
					       sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

static void add(struct vsw_config *cfg, const char *name, const char *const *src, size_t n_src,
		const char *dst)
{
	struct vsw_mirror_cfg m;

	assert_int_equal(vsw_config_new_mirror(cfg, name, src, n_src, dst, tenants, &m, err,
					       sizeof(err)), 0);
	assert_int_equal(vsw_config_add_mirror(cfg, &m), 0);
}

static void test_add_and_refusals(void **state)
{
	struct vsw_config cfg;
	const char *many[VSW_MIRROR_MAX_SRC + 1];
	char names[VSW_MIRROR_MAX_SRC + 1][8];
	(void)state;

	make_config(&cfg, true);
	add(&cfg, "m1", A("vm1", "vm2"), "mon");
	assert_int_equal(cfg.n_mirrors, 1);
	assert_string_equal(cfg.mirrors[0].src[1], "vm2");
	assert_string_equal(vsw_config_find_mirror(&cfg, "m1")->dst, "mon");

	refused(&cfg, "m1", A("vm3"), "mon", "mirror 'm1' already exists");
	refused(&cfg, "m2", A("vm1", "vm9"), "mon", "mirror 'm2': no port 'vm9'");
	refused(&cfg, "m2", A("vm1"), "nowhere", "mirror 'm2': no port 'nowhere'");
	refused(&cfg, "m2", A("vm1", "mon"), "mon",
		"mirror 'm2': port 'mon' is both a source and the destination");
	refused(&cfg, "m2", A("vm1", "vm2", "vm1"), "mon", "mirror 'm2': port 'vm1' is a source twice");
	refused(&cfg, "m2", NULL, 0, "mon", "mirror 'm2': no source port");
	refused(&cfg, "", A("vm1"), "mon", "mirror name must not be empty");
	refused(&cfg, "a b", A("vm1"), "mon",
		"mirror name 'a b': only letters, digits, '_', '.' and '-' are allowed");
	refused(&cfg, "m23456789012345678901234567890123", A("vm1"), "mon",
		"mirror name 'm23456789012345678901234567890123' is too long (at most 31 characters)");
	for (int i = 0; i <= VSW_MIRROR_MAX_SRC; i++) {
		snprintf(names[i], sizeof(names[i]), "p%d", i);
		many[i] = names[i];
	}
	refused(&cfg, "m2", many, VSW_MIRROR_MAX_SRC + 1, "mon",
		"mirror 'm2': too many source ports (at most 64)");
	/* Tenants: a tenant's port receives copies of that tenant's ports only. */
	add(&cfg, "t1", A("vmA", "vmB", "vm1"), "mon");
	add(&cfg, "t2", A("vmA"), "monA");
	refused(&cfg, "t3", A("vmA", "vmB"), "monA",
		"mirror 't3': destination 'monA' is in tenant 'a' but source 'vmB' is in tenant 'b'");
	refused(&cfg, "t3", A("vm1"), "monA",
		"mirror 't3': destination 'monA' is in tenant 'a' but source 'vm1' is in no tenant");
	assert_string_equal(vsw_mirror_port_tenant(&cfg, "vmA"), "a");
	assert_null(vsw_mirror_port_tenant(&cfg, "vm1"));
	assert_null(vsw_mirror_port_tenant(&cfg, "nosuch"));
	assert_int_equal(cfg.n_mirrors, 3);

	/* A tenant change that would break the rule for t2 (vmA -> monA, both in a): detach vmA. */
	struct vsw_config next;
	struct vsw_port_tenant att;

	assert_int_equal(vsw_config_copy_intent(&cfg, &next), 0);
	assert_int_equal(vsw_config_mirrors_tenant_check(&cfg, &next, tenants, err, sizeof(err)), 0);
	assert_int_equal(vsw_port_tenant_parse("none", NULL, NULL, NULL, NULL, &att, err,
					       sizeof(err)), 0);
	if (vsw_config_set_port(&next, "vmA", &att, err, sizeof(err)))
		fail_msg("set-port: %s", err);
	assert_int_equal(vsw_config_mirrors_tenant_check(&cfg, &next, tenants, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "mirror 't2': destination 'monA' is in tenant 'a' but source "
				 "'vmA' is in no tenant");
	vsw_config_free(&next);

	/* Never to the uplink: neither a new mirror, nor an uplink set on a mirror's dst. */
	assert_int_equal(vsw_config_copy_intent(&cfg, &next), 0);
	if (vsw_config_set_uplink(&next, "mon", NULL, NULL, err, sizeof(err)))
		fail_msg("set-uplink: %s", err);
	refused(&next, "u1", A("vm1"), "mon",
		"mirror 'u1': destination 'mon' is the uplink: copies would leave the host outside "
		"every tenant's VLAN");
	assert_int_equal(vsw_config_mirrors_tenant_check(&cfg, &next, tenants, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "mirror 'm1': destination 'mon' is the uplink: copies would leave "
				 "the host outside every tenant's VLAN");
	vsw_config_free(&next);

	for (int i = (int)cfg.n_mirrors; i < VSW_MAX_MIRRORS; i++) {
		char n[16];

		snprintf(n, sizeof(n), "x%d", i);
		add(&cfg, n, A("vm1"), "mon");
	}
	refused(&cfg, "x", A("vm1"), "mon", "too many mirrors (at most 64)");
	assert_int_equal(vsw_config_del_mirror(&cfg, "t1"), 0);
	assert_int_equal(vsw_config_del_mirror(&cfg, "t1"), -ENOENT);
	assert_null(vsw_config_find_mirror(&cfg, "t1"));
	assert_string_equal(cfg.mirrors[1].name, "t2"); /* order kept */
	vsw_config_free(&cfg);
}

static void test_dataplane_form_and_plan(void **state)
{
	struct vsw_config cfg;
	struct vsw_mirror_plan plan;
	json_t *req, *have;
	(void)state;

	make_config(&cfg, true);
	add(&cfg, "m1", A("vm2", "vm1"), "mon");
	add(&cfg, "m2", A("vm3"), "vm1");
	add(&cfg, "m3", A("vm1"), "vm2");
	req = vsw_mirror_set_request(&cfg, &cfg.mirrors[0]);
	char *text = json_dumps(req, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(text, "{\"cmd\":\"mirror-set\",\"dst\":4,\"name\":\"m1\",\"src\":[2,1]}");
	free(text);
	json_decref(req);

	/* The dataplane has m1 right, m2 with another destination, and m9 nobody wants. */
	have = json_loads("[{\"name\":\"m9\",\"src\":[1],\"dst\":2,\"packets\":5},"
			  "{\"name\":\"m1\",\"src\":[2,1],\"dst\":4,\"packets\":7},"
			  "{\"name\":\"m2\",\"src\":[3],\"dst\":2}]", 0, NULL);
	assert_non_null(have);
	assert_true(vsw_mirror_matches(&cfg, &cfg.mirrors[0], json_array_get(have, 1)));
	assert_false(vsw_mirror_matches(&cfg, &cfg.mirrors[1], json_array_get(have, 2)));
	assert_int_equal(vsw_mirror_plan(&cfg, have, &plan), 0);
	assert_int_equal(plan.n_del, 2);
	assert_string_equal(plan.del[0], "m9");
	assert_string_equal(plan.del[1], "m2");
	assert_int_equal(plan.n_set, 2);
	assert_string_equal(plan.set[0]->name, "m2");
	assert_string_equal(plan.set[1]->name, "m3");
	vsw_mirror_plan_free(&plan);
	/* Sources in another order are another mirror to the dataplane: set again. */
	json_array_set_new(json_object_get(json_array_get(have, 1), "src"), 0, json_integer(1));
	json_array_set_new(json_object_get(json_array_get(have, 1), "src"), 1, json_integer(2));
	assert_int_equal(vsw_mirror_plan(&cfg, have, &plan), 0);
	assert_int_equal(plan.n_del, 3);
	assert_int_equal(plan.n_set, 3);
	vsw_mirror_plan_free(&plan);
	json_decref(have);
	/* Nothing there (a fresh dataplane): set all. */
	assert_int_equal(vsw_mirror_plan(&cfg, NULL, &plan), 0);
	assert_int_equal(plan.n_del, 0);
	assert_int_equal(plan.n_set, 3);
	vsw_mirror_plan_free(&plan);
	vsw_config_free(&cfg);
}

static void sql(const char *db, const char *stmt)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void test_store(void **state)
{
	char dir[] = "/tmp/vsw-mirror-store.XXXXXX", db[128], path[256];
	struct vsw_config cfg, back;
	struct vsw_store *st;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/vsw.db", dir);
	make_config(&cfg, false);
	add(&cfg, "m1", A("vm1", "vm2"), "mon");
	add(&cfg, "m2", A("vm3"), "vm1");
	st = vsw_store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(vsw_store_begin(st), 0);
	for (size_t i = 0; i < cfg.n_ports; i++) {
		assert_int_equal(vsw_store_put_number(st, cfg.ports[i].name, cfg.ports[i].port_no), 0);
		assert_int_equal(vsw_store_put_port(st, &cfg.ports[i]), 0);
	}
	assert_int_equal(vsw_store_put_mirror(st, &cfg.mirrors[0]), 0);
	assert_int_equal(vsw_store_put_mirror(st, &cfg.mirrors[1]), 0);
	assert_int_equal(vsw_store_put_mirror(st, &cfg.mirrors[1]), -EEXIST);
	assert_int_equal(vsw_store_commit(st), 0);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_del_mirror(st, "nope"), -ENOENT);
	vsw_store_rollback(st);
	vsw_store_close(st);

	/* Back as they were, in order. */
	vsw_config_init(&back);
	st = vsw_store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(vsw_store_load(st, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n_mirrors, 2);
	assert_memory_equal(&back.mirrors[0], &cfg.mirrors[0], sizeof(cfg.mirrors[0]));
	assert_memory_equal(&back.mirrors[1], &cfg.mirrors[1], sizeof(cfg.mirrors[1]));
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_del_mirror(st, "m1"), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	vsw_store_close(st);
	vsw_config_free(&back);

	/* A row naming a port that was never numbered is refused, with its name. */
	sql(db, "INSERT INTO mirrors VALUES ('bad', 'vm1,ghost', 'mon')");
	vsw_config_init(&back);
	st = vsw_store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(vsw_store_load(st, &back, err, sizeof(err)), -EINVAL);
	snprintf(path, sizeof(path), "store %s: mirrors row 'bad': port 'ghost' was never numbered",
		 db);
	assert_string_equal(err, path);
	vsw_store_close(st);
	vsw_config_free(&back);
	sql(db, "DELETE FROM mirrors WHERE name = 'bad'");

	/*
	 * The schema step: a store from before it (version 3: no mirrors, and
	 * no uplink nexthop, the step after it) gains the table, the rest kept.
	 */
	sql(db, "DROP TABLE mirrors; ALTER TABLE uplink DROP COLUMN nexthop;"
		" UPDATE meta SET value = '3' WHERE key = 'schema_version'");
	vsw_config_init(&back);
	st = vsw_store_open(db, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(vsw_store_migrated_from(st), 3);
	assert_int_equal(vsw_store_load(st, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n_ports, cfg.n_ports);
	assert_int_equal(back.n_mirrors, 0);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_put_mirror(st, &cfg.mirrors[0]), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	vsw_store_close(st);
	vsw_config_free(&back);

	vsw_config_free(&cfg);
	snprintf(path, sizeof(path), "%s-wal", db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", db);
	unlink(path);
	unlink(db);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_refusals),
		cmocka_unit_test(test_dataplane_form_and_plan),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
