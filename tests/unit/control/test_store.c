/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: the SQLite store (control/store.c), on files in a temporary directory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "config.h"
#include "store.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define VERSION_STR STR(VSW_STORE_SCHEMA_VERSION)

struct fixture {
	char dir[64];
	char db[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/vsw-store-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
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

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static size_t read_file(const char *path, void *buf, size_t len)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, len, fp);
	fclose(fp);
	return n;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void sql(const char *db, const char *stmt)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static struct vsw_store *open_ok(const char *db, struct vsw_config *cfg)
{
	char err[512] = "";
	struct vsw_store *st = vsw_store_open(db, err, sizeof(err));

	if (!st)
		fail_msg("open: %s", err);
	vsw_config_init(cfg);
	if (vsw_store_load(st, cfg, err, sizeof(err)))
		fail_msg("load: %s", err);
	return st;
}

/* Add a port the way add-port does: store first, then the model. */
static void add_port(struct vsw_store *st, struct vsw_config *cfg, const char *name)
{
	struct vsw_port_cfg p;
	char err[256];

	assert_int_equal(vsw_config_new_port(cfg, "/run/vsw", name, "vhost-user", NULL, NULL, NULL, &p,
					     err, sizeof(err)), 0);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_put_number(st, p.name, p.port_no), 0);
	assert_int_equal(vsw_store_put_port(st, &p), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	assert_int_equal(vsw_config_add_port(cfg, &p), 0);
}

static void add_flow(struct vsw_store *st, struct vsw_config *cfg, const char *text)
{
	struct vsw_flow_cfg f;
	char err[256];

	assert_int_equal(vsw_config_parse_flow(cfg, text, &f, err, sizeof(err)), 0);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_put_flow(st, f.text, 1000, &f.id), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	assert_int_equal(vsw_config_put_flow(cfg, &f), 0);
}

static void test_create_reopen_read_back(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg, again;
	struct vsw_store *st;
	char buf[64];

	st = open_ok(f->db, &cfg);
	assert_int_equal(cfg.n_ports + cfg.n_numbers + cfg.n_flows, 0);
	add_port(st, &cfg, "vm1");
	add_port(st, &cfg, "vm2");
	add_flow(st, &cfg, "priority=100,in_port=vm1,actions=output:vm2");
	add_flow(st, &cfg, "table=2,cookie=0x10,idle_timeout=30,dl_vlan=5,actions=FLOOD");
	vsw_store_close(st);
	vsw_config_free(&cfg);

	/* SQLite's own view: marked as ours, WAL mode, schema version 1. */
	sqlite3 *h;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA application_id", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), VSW_STORE_APPLICATION_ID);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(q, 0));
	assert_string_equal(buf, "wal");
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key='schema_version'",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), VERSION_STR);
	sqlite3_finalize(q);
	sqlite3_close(h);

	st = open_ok(f->db, &again);
	assert_int_equal(again.n_ports, 2);
	assert_string_equal(again.ports[0].name, "vm1");
	assert_int_equal(again.ports[0].port_no, 1);
	assert_string_equal(again.ports[0].mode, "server");
	assert_string_equal(again.ports[0].path, "/run/vsw/vm1.sock");
	assert_string_equal(again.ports[1].name, "vm2");
	assert_int_equal(again.ports[1].port_no, 2);
	assert_int_equal(again.n_flows, 2);
	assert_string_equal(again.flows[0].text, "table=0,priority=100,in_port=1,actions=output:2");
	assert_string_equal(again.flows[1].text,
			    "table=2,priority=32768,cookie=0x10,idle_timeout=30,dl_vlan=5,actions=FLOOD");
	vsw_store_close(st);
	vsw_config_free(&again);
}

static void test_rollback_and_no_write_outside_txn(void **state)
{
	struct fixture *f = *state;
	struct vsw_port_cfg p = { .name = "vm1", .port_no = 1, .type = "vhost-user", .mode = "server", .path = "/run/vsw/vm1.sock" };
	struct vsw_config cfg;
	struct vsw_store *st;
	int64_t id;

	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_put_number(st, "vm1", 1), -EINVAL);
	assert_int_equal(vsw_store_put_flow(st, "table=0,priority=1,actions=drop", 0, &id), -EINVAL);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_begin(st), -EBUSY);
	assert_int_equal(vsw_store_put_number(st, "vm1", 1), 0);
	assert_int_equal(vsw_store_put_port(st, &p), 0);
	assert_int_equal(vsw_store_put_port(st, &p), -EEXIST);
	assert_int_equal(vsw_store_put_flow(st, "table=0,priority=1,actions=drop", 0, &id), 0);
	vsw_store_rollback(st);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_del_port(st, "vm1"), -ENOENT);
	assert_int_equal(vsw_store_del_flow(st, id), -ENOENT);
	vsw_store_rollback(st);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	st = open_ok(f->db, &cfg);
	assert_int_equal(cfg.n_ports + cfg.n_numbers + cfg.n_flows, 0);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

static void test_numbers_kept_across_delete(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st;
	struct vsw_port_cfg p;
	char err[256];

	st = open_ok(f->db, &cfg);
	add_port(st, &cfg, "vm1");
	add_port(st, &cfg, "vm2");
	add_flow(st, &cfg, "in_port=vm1,actions=output:vm2");
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_del_port(st, "vm1"), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	st = open_ok(f->db, &cfg);
	assert_int_equal(cfg.n_ports, 1);
	assert_null(vsw_config_find_port(&cfg, "vm1"));
	assert_int_equal(vsw_config_number_of(&cfg, "vm1"), 1);
	assert_int_equal(cfg.n_flows, 1); /* the flow still means port 1 */
	add_port(st, &cfg, "vm3");
	assert_int_equal(vsw_config_find_port(&cfg, "vm3")->port_no, 3);
	assert_int_equal(vsw_config_new_port(&cfg, "/run/vsw", "vm1", "vhost-user", NULL, NULL, NULL, &p,
					     err, sizeof(err)), 0);
	assert_int_equal(p.port_no, 1);
	add_port(st, &cfg, "vm1");
	vsw_store_close(st);
	vsw_config_free(&cfg);

	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_config_find_port(&cfg, "vm1")->port_no, 1);
	assert_int_equal(vsw_config_find_port(&cfg, "vm3")->port_no, 3);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

/* Open must fail with exactly `msg` and leave the file as it was. */
static void refused(const char *db, const char *msg)
{
	static char before[1 << 16], after[1 << 16];
	char err[512] = "", wal[160], shm[160];
	size_t n_before = read_file(db, before, sizeof(before)), n_after;
	struct vsw_store *st;

	snprintf(wal, sizeof(wal), "%s-wal", db);
	snprintf(shm, sizeof(shm), "%s-shm", db);
	bool had_wal = exists(wal);
	st = vsw_store_open(db, err, sizeof(err));
	assert_null(st);
	assert_string_equal(err, msg);
	n_after = read_file(db, after, sizeof(after));
	assert_int_equal(n_after, n_before);
	assert_memory_equal(before, after, n_before);
	if (!had_wal)
		assert_false(exists(wal));
}

static void test_corrupt_file_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	unsigned char junk[8192];
	char msg[256];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	write_file(f->db, junk, sizeof(junk));
	snprintf(msg, sizeof(msg), "store %s: file is not a database", f->db);
	refused(f->db, msg);

	write_file(f->db, "hello\n", 6);
	refused(f->db, msg);
}

static void test_foreign_database_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	char msg[256];

	sql(f->db, "CREATE TABLE customers (id INTEGER, name TEXT);"
		   "INSERT INTO customers VALUES (1, 'x');");
	snprintf(msg, sizeof(msg),
		 "store %s: not a vsw-control store (a SQLite database with application_id 0 and 1 schema objects)",
		 f->db);
	refused(f->db, msg);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	char msg[256];

	vsw_store_close(open_ok(f->db, &cfg));
	vsw_config_free(&cfg);
	char upd[128];

	snprintf(upd, sizeof(upd), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
		 VSW_STORE_SCHEMA_VERSION + 1);
	sql(f->db, upd);
	snprintf(msg, sizeof(msg),
		 "store %s: schema version %d is newer than this vsw-control understands (%d)", f->db,
		 VSW_STORE_SCHEMA_VERSION + 1, VSW_STORE_SCHEMA_VERSION);
	refused(f->db, msg);
}

static void test_bad_rows_named(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st;
	char err[512], msg[512];

	vsw_store_close(open_ok(f->db, &cfg));
	vsw_config_free(&cfg);
	sql(f->db, "INSERT INTO flows (id, flow) VALUES (7, 'table=0,frobnicate=1,actions=drop')");
	st = vsw_store_open(f->db, err, sizeof(err));
	assert_non_null(st);
	vsw_config_init(&cfg);
	assert_int_equal(vsw_store_load(st, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(msg, sizeof(msg),
		 "store %s: flows row 7 ('table=0,frobnicate=1,actions=drop'): unknown field 'frobnicate'",
		 f->db);
	assert_string_equal(err, msg);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	sql(f->db, "DELETE FROM flows; INSERT INTO port_numbers VALUES ('flood', 4);");
	st = vsw_store_open(f->db, err, sizeof(err));
	assert_non_null(st);
	vsw_config_init(&cfg);
	assert_int_equal(vsw_store_load(st, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(msg, sizeof(msg), "store %s: port_numbers row 'flood': port name 'flood' is reserved",
		 f->db);
	assert_string_equal(err, msg);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

static void test_second_opener_refused(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st = open_ok(f->db, &cfg), *st2;
	char err[256], msg[256];

	st2 = vsw_store_open(f->db, err, sizeof(err));
	assert_null(st2);
	snprintf(msg, sizeof(msg),
		 "store %s: in use by another process (is another vsw-control running?)", f->db);
	assert_string_equal(err, msg);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

static void test_unopenable_path(void **state)
{
	struct fixture *f = *state;
	char err[256], path[160], msg[256];

	snprintf(path, sizeof(path), "%s/no/such/dir/vsw.db", f->dir);
	assert_null(vsw_store_open(path, err, sizeof(err)));
	snprintf(msg, sizeof(msg), "store %s: No such file or directory", path);
	assert_string_equal(err, msg);
}

/* What vsw-control wrote before schema version 2, statement for statement. */
static void write_v1_store(const char *db)
{
	sql(db, "PRAGMA journal_mode = WAL;"
		"BEGIN IMMEDIATE;"
		"PRAGMA application_id = 1987278641;" /* "vsw1" */
		"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
		"CREATE TABLE port_numbers (name TEXT PRIMARY KEY,"
		" port_no INTEGER NOT NULL UNIQUE CHECK (port_no BETWEEN 1 AND 65280));"
		"CREATE TABLE ports (name TEXT PRIMARY KEY REFERENCES port_numbers(name),"
		" type TEXT NOT NULL, mode TEXT NOT NULL, path TEXT NOT NULL UNIQUE);"
		"CREATE TABLE flows (id INTEGER PRIMARY KEY, flow TEXT NOT NULL);"
		"INSERT INTO meta VALUES ('schema_version', '1'), ('created_by', 'vsw-control');"
		"INSERT INTO port_numbers VALUES ('vm1', 1), ('vm2', 2);"
		"INSERT INTO ports VALUES ('vm1', 'vhost-user', 'server', '/run/vsw/vm1.sock');"
		"INSERT INTO flows VALUES (4, 'table=0,priority=100,in_port=1,actions=output:2');"
		"INSERT INTO flows VALUES (9, 'table=1,priority=32768,hard_timeout=60,actions=drop');"
		"COMMIT;");
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_migration_from_v1(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st;
	int64_t before = wall_ms(), installed;

	assert_int_equal(VSW_STORE_APPLICATION_ID, 1987278641);
	write_v1_store(f->db);
	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 1);
	assert_int_equal(cfg.n_ports, 1);
	assert_int_equal(cfg.n_numbers, 2);
	assert_int_equal(cfg.n_flows, 2);
	assert_int_equal(cfg.flows[0].id, 4);
	assert_string_equal(cfg.flows[1].text, "table=1,priority=32768,hard_timeout=60,actions=drop");
	/* Version 1 kept no install time: the migration's time stands in for it. */
	installed = cfg.flows[1].installed_ms;
	assert_true(installed >= before && installed <= wall_ms());
	for (int t = 0; t < VSW_FT_N_TABLES; t++)
		assert_int_equal(cfg.miss[t], VSW_MISS_DROP);
	/* The new parts work at once. */
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_set_miss(st, 1, "continue"), 0);
	assert_int_equal(vsw_store_commit(st), 0);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	/* Written by this code: opens as it is, the install time kept. */
	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_migrated_from(st), 0);
	assert_int_equal(cfg.n_flows, 2);
	assert_true(cfg.flows[1].installed_ms == installed);
	assert_int_equal(cfg.miss[1], VSW_MISS_CONTINUE);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	sqlite3 *h;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key='schema_version'",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), VERSION_STR);
	sqlite3_finalize(q);
	sqlite3_close(h);
}

/* A damaged v1 store is refused before any migration touches it. */
static void test_migration_not_on_foreign_or_newer(void **state)
{
	struct fixture *f = *state;
	char msg[256];

	write_v1_store(f->db);
	sql(f->db, "UPDATE meta SET value = '0' WHERE key = 'schema_version'");
	snprintf(msg, sizeof(msg), "store %s: damaged: no schema version in table meta", f->db);
	refused(f->db, msg);
}

static void test_install_time_text_and_miss_persist(void **state)
{
	struct fixture *f = *state;
	struct vsw_config cfg;
	struct vsw_store *st;
	int64_t id;

	st = open_ok(f->db, &cfg);
	assert_int_equal(vsw_store_begin(st), 0);
	assert_int_equal(vsw_store_put_flow(st, "table=0,priority=5,hard_timeout=9,actions=drop",
					    1234567, &id), 0);
	assert_int_equal(vsw_store_set_flow(st, id,
					    "table=0,priority=5,hard_timeout=9,actions=FLOOD"), 0);
	assert_int_equal(vsw_store_set_flow(st, id + 100, "table=0,actions=drop"), -ENOENT);
	assert_int_equal(vsw_store_set_miss(st, 3, "continue"), 0);
	assert_int_equal(vsw_store_set_miss(st, 4, "continue"), 0);
	assert_int_equal(vsw_store_set_miss(st, 4, "drop"), 0);
	assert_int_equal(vsw_store_set_miss(st, 249, "continue"), 0);
	assert_true(vsw_store_set_miss(st, 255, "continue") < 0); /* CHECK */
	assert_int_equal(vsw_store_commit(st), 0);
	vsw_store_close(st);
	vsw_config_free(&cfg);

	st = open_ok(f->db, &cfg);
	assert_int_equal(cfg.n_flows, 1);
	assert_true(cfg.flows[0].installed_ms == 1234567);
	assert_int_equal(cfg.flows[0].hard_timeout, 9);
	assert_string_equal(cfg.flows[0].text, "table=0,priority=5,hard_timeout=9,actions=FLOOD");
	assert_int_equal(cfg.n_timed, 1);
	assert_int_equal(cfg.miss[3], VSW_MISS_CONTINUE);
	assert_int_equal(cfg.miss[4], VSW_MISS_DROP);
	assert_int_equal(cfg.miss[249], VSW_MISS_CONTINUE);
	vsw_store_close(st);
	vsw_config_free(&cfg);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_reopen_read_back),
		T(test_rollback_and_no_write_outside_txn),
		T(test_numbers_kept_across_delete),
		T(test_corrupt_file_refused_unchanged),
		T(test_foreign_database_refused_unchanged),
		T(test_newer_schema_refused),
		T(test_bad_rows_named),
		T(test_second_opener_refused),
		T(test_unopenable_path),
		T(test_migration_from_v1),
		T(test_migration_not_on_foreign_or_newer),
		T(test_install_time_text_and_miss_persist),
	};

	return cmocka_run_group_tests_name("control_store", tests, NULL, NULL);
}
