/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: tenant intent in the store (schema version 3): what is
 * written reads back the same, the migration from version 2, and rows that
 * no longer validate refuse the load with one line naming them, the file
 * left as it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "config.h"
#include "model_text.h"
#include "store.h"

struct fixture {
	char dir[64];
	char db[128];
};

static char err[512];

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/vsw-store-XXXXXX",
		 tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/vsw.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void sql(const char *db, const char *stmt)
{
	sqlite3 *h;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, stmt, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", stmt, msg);
	sqlite3_close(h);
}

static struct vsw_store *open_ok(const char *db, struct vsw_config *cfg)
{
	struct vsw_store *st = vsw_store_open(db, err, sizeof(err));

	if (!st)
		fail_msg("open: %s", err);
	vsw_config_init(cfg);
	if (vsw_store_load(st, cfg, err, sizeof(err)))
		fail_msg("load: %s", err);
	return st;
}

#define ok(change)                                               \
	do {                                                     \
		err[0] = '\0';                                   \
		if ((change) != 0)                               \
			fail_msg("%s: %s", #change, err);        \
	} while (0)

/* A tenant command's way: change a copy, store the difference, commit, take it. */
#define change(st, cfg, edit)                                                     \
	do {                                                                      \
		struct vsw_config next_;                                          \
		assert_int_equal(vsw_config_copy_intent(cfg, &next_), 0);         \
		struct vsw_config *next = &next_;                                 \
		ok(edit);                                                         \
		assert_int_equal(vsw_store_begin(st), 0);                         \
		assert_int_equal(vsw_store_put_intent(st, cfg, next), 0);         \
		assert_int_equal(vsw_store_commit(st), 0);                        \
		vsw_config_take_intent(cfg, next);                                \
	} while (0)

static void add_port(struct vsw_store *st, struct vsw_config *cfg, const char *name,
		     const char *type, const char *devargs)
{
	struct vsw_port_cfg p;

	ok(vsw_config_new_port(cfg, "/run/vsw", name, type, NULL, NULL, devargs, &p, err,
			       sizeof(err)));
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_put_number(st, p.name, p.port_no), 0);
	assert_int_equal(vsw_store_put_port(st, &p), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	assert_int_equal(vsw_config_add_port(cfg, &p), 0);
}

static int set_port(struct vsw_config *cfg, const char *port, const char *tenant,
		    const char *mode, const char *trunks, const char *mac, const char *ips)
{
	struct vsw_port_tenant att;
	int rc = vsw_port_tenant_parse(tenant, mode, trunks, mac, ips, &att, err, sizeof(err));

	return rc ? rc : vsw_config_set_port(cfg, port, &att, err, sizeof(err));
}

/* Reopen and compare with what was written. */
static void assert_reloads(const char *db, struct vsw_store **st, struct vsw_config *cfg)
{
	struct vsw_config again;
	char *want = snapshot(cfg), *got;

	vsw_store_close(*st);
	*st = open_ok(db, &again);
	got = snapshot(&again);
	assert_string_equal(got, want);
	free(want);
	free(got);
	vsw_config_free(cfg);
	*cfg = again;
}

/* A whole tenant setup, as the commands build it. */
static void build(struct vsw_store *st, struct vsw_config *cfg)
{
	size_t n;
	uint32_t id;

	add_port(st, cfg, "vm1", "vhost-user", NULL);
	add_port(st, cfg, "vm2", "vhost-user", NULL);
	add_port(st, cfg, "t1", "tap", NULL);
	add_port(st, cfg, "up0", "dpdk", "net_af_packet,iface=veth0");
	change(st, cfg, vsw_config_add_tenant(next, "blue", 10, 5000, 1024, err, sizeof(err)));
	change(st, cfg, vsw_config_add_tenant(next, "red", 20, 0, 16, err, sizeof(err)));
	change(st, cfg, vsw_config_add_tenant(next, "temp", 0, 0, 1, err, sizeof(err)));
	change(st, cfg, vsw_config_del_tenant(next, "temp", false, &n, err, sizeof(err)));
	change(st, cfg, set_port(next, "vm1", "blue", NULL, NULL, "02:00:00:00:00:01",
				 "192.0.2.10,2001:db8::10"));
	change(st, cfg, set_port(next, "vm2", "blue", "trunk", "10,100-102,300", NULL, NULL));
	change(st, cfg, set_port(next, "t1", "red", NULL, NULL, NULL, NULL));
	change(st, cfg, vsw_config_set_uplink(next, "up0", "192.0.2.1", NULL, err, sizeof(err)));
	change(st, cfg, vsw_config_set_uplink(next, "up0", "192.0.2.1", "02:00:00:00:00:fe", err,
					      sizeof(err)));
	change(st, cfg, vsw_config_add_vtep(next, "blue", "198.51.100.2", err, sizeof(err)));
	change(st, cfg, vsw_config_add_vtep(next, "blue", "198.51.100.3", err, sizeof(err)));
	change(st, cfg, vsw_config_add_acl(next, "blue", 100, "deny", "tcp,tp_dst=22", &id, err,
					   sizeof(err)));
	change(st, cfg, vsw_config_add_acl(next, "red", 5, "allow", "", &id, err, sizeof(err)));
	change(st, cfg, vsw_config_add_acl(next, "blue", 200, "allow",
					   "tcp,nw_src=192.0.2.0/24,tp_dst=22", &id, err,
					   sizeof(err)));
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st = open_ok(f->db, &cfg);
	size_t n;

	build(st, &cfg);
	assert_reloads(f->db, &st, &cfg);
	/* What came back is what was built, field by field where it counts. */
	assert_int_equal(cfg.n_tenants, 2);
	assert_int_equal(vsw_config_tenant_id_of(&cfg, "temp"), 3); /* kept */
	assert_string_equal(vsw_config_find_port(&cfg, "up0")->devargs, "net_af_packet,iface=veth0");
	assert_true(vsw_trunk_has(&vsw_config_find_port(&cfg, "vm2")->tenant, 101));
	assert_int_equal(vsw_config_find_port(&cfg, "vm1")->tenant.n_ips, 2);
	assert_true(cfg.uplink.has_local_ip);
	assert_true(cfg.uplink.has_nexthop);
	assert_memory_equal(cfg.uplink.nexthop, "\x02\x00\x00\x00\x00\xfe", 6);
	assert_int_equal(cfg.n_vteps, 2);
	assert_int_equal(cfg.n_acls, 3);
	/* The uplink's nexthop alone changes: the row follows, both ways. */
	change(st, &cfg, vsw_config_set_uplink(next, "up0", "192.0.2.1", NULL, err, sizeof(err)));
	assert_reloads(f->db, &st, &cfg);
	assert_false(cfg.uplink.has_nexthop);
	change(st, &cfg, vsw_config_set_uplink(next, "up0", "192.0.2.1", "02:00:00:00:00:fd", err,
					       sizeof(err)));
	assert_reloads(f->db, &st, &cfg);
	assert_int_equal(cfg.uplink.nexthop[5], 0xfd);

	/* Changes of every kind, and del-tenant --force in one go: foreign keys hold. */
	change(st, &cfg, vsw_config_del_vtep(next, "blue", "198.51.100.2", err, sizeof(err)));
	change(st, &cfg, vsw_config_del_acl(next, "blue", 1, err, sizeof(err)));
	change(st, &cfg, set_port(next, "vm2", "blue", NULL, NULL, "02:00:00:00:00:02", NULL));
	change(st, &cfg, vsw_config_set_uplink(next, "up0", NULL, NULL, err, sizeof(err)));
	assert_reloads(f->db, &st, &cfg);
	change(st, &cfg, vsw_config_del_tenant(next, "blue", true, &n, err, sizeof(err)));
	assert_int_equal(n, 2);
	change(st, &cfg, vsw_config_set_uplink(next, "none", NULL, NULL, err, sizeof(err)));
	assert_reloads(f->db, &st, &cfg);
	assert_null(vsw_config_find_tenant(&cfg, "blue"));
	assert_int_equal(cfg.n_vteps, 0);
	assert_int_equal(cfg.n_acls, 1);
	assert_string_equal(cfg.uplink.port, "");
	/* The port left behind is plain again and can go. */
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_del_port(st, "vm2"), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg, next;
	struct vsw_store *st = open_ok(f->db, &cfg);
	char *before;

	build(st, &cfg);
	before = snapshot(&cfg);
	assert_int_equal(vsw_config_copy_intent(&cfg, &next), 0);
	ok(vsw_config_add_tenant(&next, "green", 30, 0, 1, err, sizeof(err)));
	ok(set_port(&next, "vm1", "none", NULL, NULL, NULL, NULL));
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_put_intent(st, &cfg, &next), 0);
	vsw_store_rollback(st);
	vsw_config_free(&next);
	assert_reloads(f->db, &st, &cfg);
	char *after = snapshot(&cfg);
	assert_string_equal(after, before);
	free(after);
	free(before);
	/* Outside a transaction nothing is written. */
	struct vsw_tenant_cfg t = { .name = "x", .id = 9, .mac_limit = 1 };
	assert_int_equal(vsw_store_put_tenant(st, &t), -EINVAL);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_del_tenant(st, "nobody"), -ENOENT);
	assert_int_equal(vsw_store_del_acl(st, "blue", 99), -ENOENT);
	/* Foreign keys: no port in a tenant that does not exist. */
	struct vsw_port_cfg p = *vsw_config_find_port(&cfg, "t1");
	snprintf(p.tenant.tenant, sizeof(p.tenant.tenant), "ghost");
	assert_int_equal(vsw_store_set_port_tenant(st, &p), -EEXIST);
	vsw_store_rollback(st);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

/* What vsw-control wrote at schema version 2, statement for statement. */
static void write_v2_store(const char *db)
{
	sql(db, "PRAGMA journal_mode = WAL;"
		"BEGIN IMMEDIATE;"
		"PRAGMA application_id = 1987278641;"
		"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
		"CREATE TABLE port_numbers (name TEXT PRIMARY KEY,"
		" port_no INTEGER NOT NULL UNIQUE CHECK (port_no BETWEEN 1 AND 65280));"
		"CREATE TABLE ports (name TEXT PRIMARY KEY REFERENCES port_numbers(name),"
		" type TEXT NOT NULL, mode TEXT NOT NULL, path TEXT NOT NULL UNIQUE);"
		"CREATE TABLE flows (id INTEGER PRIMARY KEY, flow TEXT NOT NULL,"
		" installed_ms INTEGER NOT NULL DEFAULT 0);"
		"CREATE TABLE tables (table_id INTEGER PRIMARY KEY"
		" CHECK (table_id BETWEEN 0 AND 254),"
		" miss TEXT NOT NULL CHECK (miss IN ('drop', 'continue')));"
		"INSERT INTO meta VALUES ('schema_version', '2'), ('created_by', 'vsw-control');"
		"INSERT INTO port_numbers VALUES ('vm1', 1), ('vm2', 2), ('gone', 3);"
		"INSERT INTO ports VALUES ('vm1', 'vhost-user', 'server', '/run/vsw/vm1.sock');"
		"INSERT INTO ports VALUES ('vm2', 'vhost-user', 'client', '/tmp/vm2.sock');"
		"INSERT INTO flows VALUES (4, 'table=0,priority=100,in_port=1,actions=output:2',"
		" 1234);"
		"INSERT INTO tables VALUES (1, 'continue');"
		"COMMIT;");
}

/*
 * A store of schema version 4 (the uplink without nexthop): the one build()
 * writes, with that column taken out again.
 */
static void test_migration_from_v4(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st = open_ok(f->db, &cfg);
	char *before;

	build(st, &cfg);
	change(st, &cfg, vsw_config_set_uplink(next, "up0", "192.0.2.1", NULL, err, sizeof(err)));
	before = snapshot(&cfg);
	vsw_store_close(st);
	vsw_config_free(&cfg);
	sql(f->db, "ALTER TABLE uplink DROP COLUMN nexthop;"
		   " UPDATE meta SET value = '4' WHERE key = 'schema_version'");

	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 4);
	char *after = snapshot(&cfg); /* everything kept; the uplink still resolves by kernel */
	assert_string_equal(after, before);
	free(after);
	free(before);
	assert_true(cfg.uplink.has_local_ip);
	assert_false(cfg.uplink.has_nexthop);
	/* The new column works at once. */
	change(st, &cfg, vsw_config_set_uplink(next, "up0", "192.0.2.1", "02:00:00:00:00:fe", err,
					       sizeof(err)));
	assert_reloads(f->db, &st, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 0);
	assert_true(cfg.uplink.has_nexthop);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

static void test_migration_from_v2(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st;

	write_v2_store(f->db);
	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 2);
	/* Everything kept as it was; no tenants; every port in none. */
	assert_int_equal(cfg.n_ports, 2);
	assert_int_equal(cfg.n_numbers, 3);
	assert_string_equal(vsw_config_find_port(&cfg, "vm2")->path, "/tmp/vm2.sock");
	assert_string_equal(vsw_config_find_port(&cfg, "vm2")->mode, "client");
	assert_string_equal(vsw_config_find_port(&cfg, "vm1")->tenant.tenant, "");
	assert_int_equal(cfg.n_flows, 1);
	assert_true(cfg.flows[0].installed_ms == 1234);
	assert_int_equal(cfg.miss[1], VSW_MISS_CONTINUE);
	assert_int_equal(cfg.n_tenants + cfg.n_vteps + cfg.n_acls, 0);
	assert_string_equal(cfg.uplink.port, "");

	/* The new parts work at once, and two ports without a path may exist. */
	add_port(st, &cfg, "t1", "tap", NULL);
	add_port(st, &cfg, "t2", "tap", NULL);
	change(st, &cfg, vsw_config_add_tenant(next, "blue", 10, 0, 1, err, sizeof(err)));
	change(st, &cfg, set_port(next, "t1", "blue", NULL, NULL, NULL, NULL));
	assert_reloads(f->db, &st, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 0);
	assert_string_equal(vsw_config_find_port(&cfg, "t1")->tenant.tenant, "blue");
	assert_int_equal(vsw_config_number_of(&cfg, "gone"), 3);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	sqlite3 *h;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key='schema_version'",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char want[16];

	snprintf(want, sizeof(want), "%d", VSW_STORE_SCHEMA_VERSION); /* the current one */
	assert_string_equal((const char *)sqlite3_column_text(q, 0), want);
	sqlite3_finalize(q);
	sqlite3_close(h);
}

static size_t read_file(const char *path, char *buf, size_t len);

/* Open refuses with `why` and leaves the file as it was. */
static void open_refused(const char *db, const char *why)
{
	static char before[1 << 17], after[1 << 17];
	char msg[1024];
	size_t n = read_file(db, before, sizeof(before));

	assert_null(vsw_store_open(db, err, sizeof(err)));
	snprintf(msg, sizeof(msg), "store %s: %s", db, why);
	assert_string_equal(err, msg);
	assert_int_equal(read_file(db, after, sizeof(after)), n);
	assert_memory_equal(before, after, n);
}

/*
 * A v2 store with a user flow in a table that is now the tenant pipeline's
 * is not migrated: the vsw-control that wrote it can still mend it.
 */
static void test_no_migration_over_reserved_tables(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st;

	write_v2_store(f->db);
	sql(f->db, "INSERT INTO flows VALUES (5, 'table=0,priority=1,actions=resubmit(,250)', 1)");
	open_refused(f->db, "cannot migrate to schema version 3: flows row 5 "
		     "('table=0,priority=1,actions=resubmit(,250)'): table 250 is reserved for the "
		     "tenant pipeline (tables 250..254); delete it with the vsw-control that wrote "
		     "this store");
	sql(f->db, "UPDATE flows SET flow = 'table=3,cookie=0x7673770000020003,actions=drop'"
		   " WHERE id = 5");
	open_refused(f->db, "cannot migrate to schema version 3: flows row 5 "
		     "('table=3,cookie=0x7673770000020003,actions=drop'): cookie 0x7673770000020003 "
		     "is reserved for the tenant pipeline (0x767377xxxxxxxxxx); delete it with the "
		     "vsw-control that wrote this store");
	sql(f->db, "DELETE FROM flows WHERE id = 5; INSERT INTO tables VALUES (254, 'continue')");
	open_refused(f->db, "cannot migrate to schema version 3: tables row 254: table 254 is "
		     "reserved for the tenant pipeline; set its miss policy back to drop with the "
		     "vsw-control that wrote this store");
	/* Mended as the old vsw-control would: migrates. */
	sql(f->db, "DELETE FROM tables WHERE table_id = 254");
	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 2);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

static size_t read_file(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, len, fp);
	fclose(fp);
	return n;
}

/* With `damage` applied (SQL, foreign keys off), loading fails with `why` and changes nothing. */
static void bad_row(const char *db, const char *damage, const char *why)
{
	static char before[1 << 17], after[1 << 17];
	struct vsw_config cfg;
	struct vsw_store *st;
	char msg[1024];
	size_t n;

	sql(db, damage);
	n = read_file(db, before, sizeof(before));
	st = vsw_store_open(db, err, sizeof(err));
	assert_non_null(st);
	vsw_config_init(&cfg);
	assert_int_equal(vsw_store_load(st, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(msg, sizeof(msg), "store %s: %s", db, why);
	assert_string_equal(err, msg);
	assert_null(strchr(err, '\n'));
	vsw_store_close(st);
	vsw_config_free(&cfg);
	assert_int_equal(read_file(db, after, sizeof(after)), n);
	assert_memory_equal(before, after, n);
}

static void test_bad_rows_named(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st = open_ok(f->db, &cfg);
	static const struct {
		const char *damage, *undo, *why;
	} cases[] = {
		{ "UPDATE tenants SET vlan = 4095 WHERE name = 'red'",
		  "UPDATE tenants SET vlan = 20 WHERE name = 'red'",
		  "tenants row 'red': vlan 4095 out of range 1..4094" },
		{ "UPDATE tenants SET vlan = 10 WHERE name = 'red'",
		  "UPDATE tenants SET vlan = 20 WHERE name = 'red'",
		  "tenants row 'red': vlan 10 is used by tenant 'blue'" },
		{ "UPDATE tenants SET vni = 'x' WHERE name = 'red'",
		  "UPDATE tenants SET vni = 0 WHERE name = 'red'",
		  "tenants row 'red': vni is not a number" },
		{ "INSERT INTO tenants VALUES ('nonum', 0, 0, 1)",
		  "DELETE FROM tenants WHERE name = 'nonum'",
		  "tenants row 'nonum': tenant 'nonum' has no id" },
		{ "INSERT INTO tenant_numbers VALUES ('bad name', 9)",
		  "DELETE FROM tenant_numbers WHERE id = 9",
		  "tenant_numbers row 'bad name': tenant name 'bad name': only letters, digits, '_', "
		  "'.' and '-' are allowed" },
		{ "UPDATE ports SET trunks = '10,x' WHERE name = 'vm2'",
		  "UPDATE ports SET trunks = '10,100-102,300' WHERE name = 'vm2'",
		  "ports row 'vm2': trunks '10,x': 'x' is not a VLAN id or range" },
		{ "UPDATE ports SET trunks = '20' WHERE name = 'vm2'",
		  "UPDATE ports SET trunks = '10,100-102,300' WHERE name = 'vm2'",
		  "ports row 'vm2': vlan 20 is used by tenant 'red'" },
		{ "UPDATE ports SET tenant = 'ghost' WHERE name = 't1'",
		  "UPDATE ports SET tenant = 'red' WHERE name = 't1'",
		  "ports row 't1': no tenant 'ghost'" },
		{ "UPDATE ports SET vlan_mode = 'trunk' WHERE name = 't1'",
		  "UPDATE ports SET vlan_mode = 'access' WHERE name = 't1'",
		  "ports row 't1': mode=trunk needs trunks= (the VLANs the port carries, such as "
		  "10,20-30)" },
		{ "UPDATE ports SET mac = '02:00' WHERE name = 'vm1'",
		  "UPDATE ports SET mac = '02:00:00:00:00:01' WHERE name = 'vm1'",
		  "ports row 'vm1': mac '02:00' is not a MAC address" },
		{ "UPDATE ports SET ips = '192.0.2.10,nope' WHERE name = 'vm1'",
		  "UPDATE ports SET ips = '192.0.2.10,2001:db8::10' WHERE name = 'vm1'",
		  "ports row 'vm1': ips: 'nope' is not an IPv4 or IPv6 address" },
		{ "UPDATE ports SET tenant = NULL, mac = '02:00:00:00:00:01' WHERE name = 't1'",
		  "UPDATE ports SET tenant = 'red', mac = '' WHERE name = 't1'",
		  "ports row 't1': tenant=none takes no mode, trunks, mac or ips" },
		{ "UPDATE ports SET devargs = '' WHERE name = 'up0'",
		  "UPDATE ports SET devargs = 'net_af_packet,iface=veth0' WHERE name = 'up0'",
		  "ports row 'up0': port 'up0': a dpdk port needs devargs (a PCI address, or a vdev "
		  "such as net_af_packet,iface=eth1)" },
		{ "UPDATE uplink SET port = 'vm1'", "UPDATE uplink SET port = 'up0'",
		  "uplink row 'vm1': port 'vm1' is also in tenant 'blue'" },
		{ "UPDATE uplink SET local_ip = '192.0.2'",
		  "UPDATE uplink SET local_ip = '192.0.2.1'",
		  "uplink row 'up0': local_ip '192.0.2' is not an IPv4 address" },
		{ "UPDATE uplink SET nexthop = '02:00'",
		  "UPDATE uplink SET nexthop = '02:00:00:00:00:fe'",
		  "uplink row 'up0': nexthop '02:00' is not a MAC address (02:00:00:00:00:01)" },
		{ "UPDATE uplink SET nexthop = '01:00:00:00:00:fe'",
		  "UPDATE uplink SET nexthop = '02:00:00:00:00:fe'",
		  "uplink row 'up0': nexthop 01:00:00:00:00:fe is not a unicast MAC address" },
		{ "INSERT INTO vteps VALUES ('red', '198.51.100.9')",
		  "DELETE FROM vteps WHERE tenant = 'red'",
		  "vteps row ('red', '198.51.100.9'): tenant 'red' has no vni (a VTEP carries a "
		  "tenant's VNI)" },
		{ "UPDATE acls SET match = 'tcp,in_port=1' WHERE id = 1 AND tenant = 'blue'",
		  "UPDATE acls SET match = 'tcp,tp_dst=22' WHERE id = 1 AND tenant = 'blue'",
		  "acls row ('blue', 1): acl match: in_port is not allowed (an ACL applies to the "
		  "whole tenant)" },
		{ "UPDATE acls SET action = 'drop' WHERE id = 1 AND tenant = 'blue'",
		  "UPDATE acls SET action = 'deny' WHERE id = 1 AND tenant = 'blue'",
		  "acls row ('blue', 1): acl action 'drop' is not allow or deny" },
		{ "INSERT INTO flows VALUES (77, 'table=0,actions=goto_table:251', 0)",
		  "DELETE FROM flows WHERE id = 77",
		  "flows row 77 ('table=0,actions=goto_table:251'): table 251 is reserved for the "
		  "tenant pipeline (tables 250..254)" },
		{ "INSERT INTO tables VALUES (252, 'continue')", "DELETE FROM tables",
		  "tables row 252: table 252 is reserved for the tenant pipeline (tables 250..254)" },
	};

	build(st, &cfg);
	vsw_store_close(st);
	vsw_config_free(&cfg);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad_row(f->db, cases[i].damage, cases[i].why);
		sql(f->db, cases[i].undo);
		/* Undone: it loads again. */
		st = open_ok(f->db, &cfg);
		assert_int_equal(cfg.n_tenants, 2);
		vsw_store_close(st);
		vsw_config_free(&cfg);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_rollback_leaves_nothing),
		T(test_migration_from_v2),
		T(test_migration_from_v4),
		T(test_no_migration_over_reserved_tables),
		T(test_bad_rows_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
