/* SPDX-License-Identifier: BSD-3-Clause */
/* The SQLite store: opening, schema, migration, loading. Changes: store_change.c. See store.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mirror.h"
#include "store_int.h"

#define TABLES_SQL                                                        \
	"CREATE TABLE tables (table_id INTEGER PRIMARY KEY"                 \
	" CHECK (table_id BETWEEN 0 AND 254),"                              \
	" miss TEXT NOT NULL CHECK (miss IN ('drop', 'continue')));"

/*
 * Version 3's ports (any type; the socket path is unique among vhost-user
 * ports only, which the model checks) and tenant intent. Rows hold text as
 * the commands take it (trunks "10,20-30", mac, ips "IP,IP", addresses in
 * dotted quads), so that loading runs every check of the commands again.
 */
#define PORTS_V3_SQL(name)                                                          \
	"CREATE TABLE " name " (name TEXT PRIMARY KEY REFERENCES port_numbers(name),"   \
	" type TEXT NOT NULL, mode TEXT NOT NULL, path TEXT NOT NULL,"                  \
	" devargs TEXT NOT NULL DEFAULT '',"                                           \
	" tenant TEXT REFERENCES tenants(name),"                                       \
	" vlan_mode TEXT NOT NULL DEFAULT 'access', trunks TEXT NOT NULL DEFAULT '',"  \
	" mac TEXT NOT NULL DEFAULT '', ips TEXT NOT NULL DEFAULT '');"

#define TENANTS_SQL                                                                 \
	"CREATE TABLE tenant_numbers (name TEXT PRIMARY KEY,"                         \
	" id INTEGER NOT NULL UNIQUE CHECK (id BETWEEN 1 AND 4095));"                 \
	"CREATE TABLE tenants (name TEXT PRIMARY KEY REFERENCES tenant_numbers(name),"\
	" vlan INTEGER NOT NULL DEFAULT 0, vni INTEGER NOT NULL DEFAULT 0,"           \
	" mac_limit INTEGER NOT NULL);"

#define INTENT_SQL                                                                  \
	"CREATE TABLE uplink (one INTEGER PRIMARY KEY CHECK (one = 1),"               \
	" port TEXT NOT NULL REFERENCES ports(name), local_ip TEXT);"                  \
	"CREATE TABLE vteps (tenant TEXT NOT NULL REFERENCES tenants(name),"          \
	" ip TEXT NOT NULL, PRIMARY KEY (tenant, ip));"                               \
	"CREATE TABLE acls (tenant TEXT NOT NULL REFERENCES tenants(name),"           \
	" id INTEGER NOT NULL, priority INTEGER NOT NULL, action TEXT NOT NULL,"      \
	" match TEXT NOT NULL, PRIMARY KEY (tenant, id));"

/*
 * Schema step "mirrors" (4 -- one step, to be renumbered as a whole if
 * another change takes the number): port mirrors, the sources as a
 * comma-separated list of port names.
 */
#define MIRRORS_SQL                                                                 \
	"CREATE TABLE mirrors (name TEXT PRIMARY KEY,"                                \
	" src TEXT NOT NULL, dst TEXT NOT NULL);"

/*
 * Schema step "uplink nexthop" (5 -- one step, to be renumbered as a whole
 * if another change takes the number): the uplink's static VTEP next hop
 * (set-uplink nexthop=MAC), NULL when the kernel resolves them. A fresh
 * store runs it too, so that the uplink table has one definition.
 */
#define UPLINK_NEXTHOP_SQL "ALTER TABLE uplink ADD COLUMN nexthop TEXT;"

/*
 * Schema version 5. Version 1 had no flows.installed_ms and no tables; 2 no
 * tenants; 3 no mirrors; 4 no uplink nexthop.
 */
static const char schema_sql[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE port_numbers (name TEXT PRIMARY KEY,"
	" port_no INTEGER NOT NULL UNIQUE CHECK (port_no BETWEEN 1 AND 65280));"
	TENANTS_SQL
	PORTS_V3_SQL("ports")
	"CREATE TABLE flows (id INTEGER PRIMARY KEY, flow TEXT NOT NULL,"
	" installed_ms INTEGER NOT NULL DEFAULT 0);"
	TABLES_SQL
	INTENT_SQL
	MIRRORS_SQL
	UPLINK_NEXTHOP_SQL;

/*
 * Migrations, each from version N to N + 1, run in one transaction with the
 * version update. '%lld' is the migration time (ms since the epoch); no
 * other '%' may appear.
 */
static const char *const migrations[] = {
	/* 1 -> 2: rules' install time (taken as now: version 1 kept none), tables' miss policy. */
	"ALTER TABLE flows ADD COLUMN installed_ms INTEGER NOT NULL DEFAULT 0;"
	"UPDATE flows SET installed_ms = %lld;"
	TABLES_SQL,
	/*
	 * 2 -> 3: tenants. ports is made again (SQLite cannot drop the UNIQUE
	 * on path, which tap and dpdk ports leave empty); every port keeps its
	 * row as it was and is in no tenant.
	 */
	TENANTS_SQL
	PORTS_V3_SQL("ports_v3")
	"INSERT INTO ports_v3 (name, type, mode, path) SELECT name, type, mode, path FROM ports;"
	"DROP TABLE ports;"
	"ALTER TABLE ports_v3 RENAME TO ports;"
	INTENT_SQL,
	/* 3 -> 4: the "mirrors" step. */
	MIRRORS_SQL,
	/* 4 -> 5: the "uplink nexthop" step (an uplink keeps the kernel resolver). */
	UPLINK_NEXTHOP_SQL,
};
_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == VSW_STORE_SCHEMA_VERSION - 1,
	       "one migration per schema version");

__attribute__((format(printf, 4, 5)))
static int fail(const struct vsw_store *st, char *err, size_t errlen, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err && errlen)
		snprintf(err, errlen, "store %s: %s", st->path, what);
	return -EINVAL;
}

/* Remember SQLite's message; map the code to an errno. */
int vsw_store_sql_err(struct vsw_store *st, int rc)
{
	snprintf(st->error, sizeof(st->error), "%s", sqlite3_errmsg(st->db));
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static int exec(struct vsw_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : vsw_store_sql_err(st, rc);
}

/* A query that yields one value as text into buf ("" when there is no row). */
static int query_text(struct vsw_store *st, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *stmt;
	int rc;

	buf[0] = '\0';
	rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return vsw_store_sql_err(st, rc);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(stmt, 0);

		snprintf(buf, len, "%s", t ? (const char *)t : "");
		rc = SQLITE_DONE;
	}
	rc = rc == SQLITE_DONE ? 0 : vsw_store_sql_err(st, rc);
	sqlite3_finalize(stmt);
	return rc;
}

static int create_schema(struct vsw_store *st)
{
	char sql[256];
	int rc;

	rc = exec(st, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", VSW_STORE_APPLICATION_ID);
	rc = exec(st, sql);
	if (!rc)
		rc = exec(st, schema_sql);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO meta VALUES ('schema_version', '%d'), ('created_by', 'vsw-control')",
		 VSW_STORE_SCHEMA_VERSION);
	if (!rc)
		rc = exec(st, sql);
	if (!rc)
		rc = exec(st, "COMMIT");
	if (rc)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/*
 * Is this our file? Only reads, so that a file of something else is left
 * exactly as it was. 1: an empty database (ours to create); 0 and *version:
 * one of ours; or -EINVAL.
 */
static int check_identity(struct vsw_store *st, long *version, char *err, size_t errlen)
{
	char buf[64], objects[32];
	long app_id;
	int rc;

	rc = query_text(st, "PRAGMA application_id", buf, sizeof(buf));
	if (!rc)
		rc = query_text(st, "SELECT count(*) FROM sqlite_master", objects, sizeof(objects));
	if (rc)
		return fail(st, err, errlen, "%s", st->error);
	app_id = strtol(buf, NULL, 10);
	if (app_id == 0 && strcmp(objects, "0") == 0)
		return 1; /* empty: ours to create */
	if (app_id != VSW_STORE_APPLICATION_ID)
		return fail(st, err, errlen,
			    "not a vsw-control store (a SQLite database with application_id %ld and %s schema objects)",
			    app_id, objects);
	rc = query_text(st, "SELECT value FROM meta WHERE key = 'schema_version'", buf,
			sizeof(buf));
	if (rc)
		return fail(st, err, errlen, "damaged: %s", st->error);
	*version = strtol(buf, NULL, 10);
	if (*version < 1)
		return fail(st, err, errlen, "damaged: no schema version in table meta");
	if (*version > VSW_STORE_SCHEMA_VERSION)
		return fail(st, err, errlen,
			    "schema version %ld is newer than this vsw-control understands (%d)",
			    *version, VSW_STORE_SCHEMA_VERSION);
	return 0;
}

static long long wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Before version 3, users could put flows in tables 250..254 (now the
 * tenant pipeline's) or give them its cookies. Such a store is not migrated:
 * the vsw-control that wrote it can still remove those flows, and a
 * migrated one could not be opened by it any more. Only reads.
 */
static int check_v3_ready(struct vsw_store *st, long from, char *err, size_t errlen)
{
	struct vsw_flow_spec *spec = malloc(sizeof(*spec));
	sqlite3_stmt *stmt = NULL;
	char why[256];
	int rc, ret;

	if (!spec)
		return fail(st, err, errlen, "out of memory");
	rc = sqlite3_prepare_v2(st->db, "SELECT id, flow FROM flows ORDER BY id", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		goto err_sql;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(stmt, 1);
		const char *text = t ? (const char *)t : "";

		/* A flow that does not parse is for the load to name. */
		if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, spec, NULL, 0) == 0 &&
		    vsw_config_user_flow_check(spec, why, sizeof(why)) != 0) {
			ret = fail(st, err, errlen,
				   "cannot migrate to schema version 3: flows row %lld ('%.200s'): %s;"
				   " delete it with the vsw-control that wrote this store",
				   (long long)sqlite3_column_int64(stmt, 0), text, why);
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		goto err_sql;
	if (from >= 2) {
		sqlite3_finalize(stmt);
		rc = sqlite3_prepare_v2(st->db, "SELECT table_id FROM tables WHERE table_id >= 250"
					" ORDER BY table_id", -1, &stmt, NULL);
		if (rc != SQLITE_OK)
			goto err_sql;
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			ret = fail(st, err, errlen,
				   "cannot migrate to schema version 3: tables row %lld: table %lld is"
				   " reserved for the tenant pipeline; set its miss policy back to drop"
				   " with the vsw-control that wrote this store",
				   (long long)sqlite3_column_int64(stmt, 0),
				   (long long)sqlite3_column_int64(stmt, 0));
			goto out;
		}
		if (rc != SQLITE_DONE)
			goto err_sql;
	}
	ret = 0;
	goto out;

err_sql:
	vsw_store_sql_err(st, rc);
	ret = fail(st, err, errlen, "damaged: %s", st->error);
out:
	sqlite3_finalize(stmt);
	free(spec);
	return ret;
}

/* Bring a store of an older schema to this one, in one transaction. */
static int migrate(struct vsw_store *st, long from, char *err, size_t errlen)
{
	char sql[4096];
	int rc;

	if (from < 3) {
		rc = check_v3_ready(st, from, err, errlen);
		if (rc)
			return rc;
	}
	rc = exec(st, "BEGIN IMMEDIATE");
	for (long v = from; !rc && v < VSW_STORE_SCHEMA_VERSION; v++) {
		snprintf(sql, sizeof(sql), migrations[v - 1], wall_ms());
		rc = exec(st, sql);
	}
	snprintf(sql, sizeof(sql), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
		 VSW_STORE_SCHEMA_VERSION);
	if (!rc)
		rc = exec(st, sql);
	if (!rc)
		rc = exec(st, "COMMIT");
	if (rc) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return fail(st, err, errlen, "cannot migrate from schema version %ld to %d: %s",
			    from, VSW_STORE_SCHEMA_VERSION, st->error);
	}
	st->migrated_from = (int)from;
	return 0;
}

static int set_durability(struct vsw_store *st, char *err, size_t errlen)
{
	char mode[16];
	int rc;

	rc = query_text(st, "PRAGMA journal_mode = WAL", mode, sizeof(mode));
	if (rc)
		return fail(st, err, errlen, "cannot enable WAL: %s", st->error);
	if (strcmp(mode, "wal") != 0)
		return fail(st, err, errlen, "cannot enable WAL (journal mode stays '%s')", mode);
	rc = exec(st, "PRAGMA synchronous = FULL");
	if (!rc)
		rc = exec(st, "PRAGMA foreign_keys = ON");
	if (rc)
		return fail(st, err, errlen, "%s", st->error);
	return 0;
}

static int check_integrity(struct vsw_store *st, char *err, size_t errlen)
{
	char result[200];
	int rc = query_text(st, "PRAGMA quick_check", result, sizeof(result));

	if (rc)
		return fail(st, err, errlen, "damaged: %s", st->error);
	if (strcmp(result, "ok") != 0)
		return fail(st, err, errlen, "damaged: %s", result);
	return 0;
}

struct vsw_store *vsw_store_open(const char *path, char *err, size_t errlen)
{
	struct vsw_store *st;
	int rc = -ENOMEM, fresh;
	long version = VSW_STORE_SCHEMA_VERSION;

	st = calloc(1, sizeof(*st));
	if (!st)
		goto err_nomem;
	st->path = strdup(path);
	if (!st->path)
		goto err_free_store;

	/* O_CREAT without O_TRUNC: an existing file is never changed here. */
	st->lock_fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (st->lock_fd < 0) {
		rc = -errno;
		fail(st, err, errlen, "%s", strerror(errno));
		goto err_free_path;
	}
	if (flock(st->lock_fd, LOCK_EX | LOCK_NB)) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		fail(st, err, errlen, "%s", errno == EWOULDBLOCK ?
		     "in use by another process (is another vsw-control running?)" :
		     strerror(errno));
		goto err_close_lock;
	}

	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fail(st, err, errlen, "%s", st->db ? sqlite3_errmsg(st->db) : "out of memory");
		rc = -EIO;
		goto err_close_db;
	}
	sqlite3_extended_result_codes(st->db, 1);

	fresh = check_identity(st, &version, err, errlen);
	if (fresh < 0) {
		rc = fresh;
		goto err_close_db;
	}
	rc = set_durability(st, err, errlen);
	if (rc)
		goto err_close_db;
	if (fresh) {
		rc = create_schema(st);
		if (rc) {
			fail(st, err, errlen, "cannot create the schema: %s", st->error);
			goto err_close_db;
		}
	}
	rc = check_integrity(st, err, errlen);
	if (rc)
		goto err_close_db;
	if (version < VSW_STORE_SCHEMA_VERSION) {
		rc = migrate(st, version, err, errlen);
		if (rc)
			goto err_close_db;
	}
	return st;

err_close_db:
	sqlite3_close(st->db);
err_close_lock:
	close(st->lock_fd);
err_free_path:
	free(st->path);
err_free_store:
	free(st);
	if (rc == -ENOMEM)
		goto err_nomem;
	errno = rc < 0 ? -rc : EIO;
	return NULL;
err_nomem:
	if (err && errlen)
		snprintf(err, errlen, "store %s: out of memory", path);
	errno = ENOMEM;
	return NULL;
}

void vsw_store_close(struct vsw_store *st)
{
	if (!st)
		return;
	if (st->in_txn)
		vsw_store_rollback(st);
	for (int i = 0; i < CH_N; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	close(st->lock_fd);
	free(st->path);
	free(st);
}

const char *vsw_store_error(const struct vsw_store *st)
{
	return st->error;
}

const char *vsw_store_path(const struct vsw_store *st)
{
	return st->path;
}

int vsw_store_migrated_from(const struct vsw_store *st)
{
	return st->migrated_from;
}

/* ---- loading ---- */

static const char *col_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	return t ? (const char *)t : "";
}

/* Copy a column into a fixed field; false if it does not fit. */
static bool col_copy(sqlite3_stmt *stmt, int col, char *dst, size_t size)
{
	const char *t = col_text(stmt, col);
	size_t len = strlen(t);

	if (len >= size)
		return false;
	memcpy(dst, t, len + 1);
	return true;
}

typedef int (*row_fn)(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		      char *err, size_t errlen);

static int each_row(struct vsw_store *st, const char *sql, row_fn fn, struct vsw_config *cfg,
		    char *err, size_t errlen)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		vsw_store_sql_err(st, rc);
		return fail(st, err, errlen, "damaged: %s", st->error);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = fn(st, stmt, cfg, err, errlen);
		if (rc)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		vsw_store_sql_err(st, rc);
		rc = fail(st, err, errlen, "damaged: %s", st->error);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(stmt);
	return rc;
}

static int load_number(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		       char *err, size_t errlen)
{
	const char *name = col_text(stmt, 0);
	char why[256];

	if (sqlite3_column_type(stmt, 1) != SQLITE_INTEGER)
		return fail(st, err, errlen, "port_numbers row '%s': port_no is not a number", name);
	if (vsw_config_load_number(cfg, name, sqlite3_column_int64(stmt, 1), why, sizeof(why)))
		return fail(st, err, errlen, "port_numbers row '%s': %s", name, why);
	return 0;
}

/* A text column that is NULL or "" (or `dflt`) as absent: NULL. */
static const char *col_opt(sqlite3_stmt *stmt, int col, const char *dflt)
{
	const char *t = col_text(stmt, col);

	return !t[0] || (dflt && strcmp(t, dflt) == 0) ? NULL : t;
}

static int load_port(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		     char *err, size_t errlen)
{
	const char *name = col_text(stmt, 0);
	struct vsw_port_cfg port;
	const char *tenant = sqlite3_column_type(stmt, 5) == SQLITE_NULL ? "none" :
			     col_text(stmt, 5);
	char why[256];

	memset(&port, 0, sizeof(port));
	if (!col_copy(stmt, 0, port.name, sizeof(port.name)))
		return fail(st, err, errlen, "ports row '%.64s': name too long", name);
	port.port_no = vsw_config_number_of(cfg, port.name);
	if (!col_copy(stmt, 1, port.type, sizeof(port.type)) ||
	    !col_copy(stmt, 2, port.mode, sizeof(port.mode)) ||
	    !col_copy(stmt, 3, port.path, sizeof(port.path)) ||
	    !col_copy(stmt, 4, port.devargs, sizeof(port.devargs)))
		return fail(st, err, errlen, "ports row '%s': a value is too long", name);
	/* The attachment through set-port's own parser: the same checks, the same errors. */
	if (vsw_port_tenant_parse(tenant, col_opt(stmt, 6, "access"), col_opt(stmt, 7, NULL),
				  col_opt(stmt, 8, NULL), col_opt(stmt, 9, NULL), &port.tenant,
				  why, sizeof(why)) ||
	    vsw_config_load_port(cfg, &port, why, sizeof(why)))
		return fail(st, err, errlen, "ports row '%s': %s", name, why);
	return 0;
}

static int load_tenant_number(struct vsw_store *st, sqlite3_stmt *stmt,
			      struct vsw_config *cfg, char *err, size_t errlen)
{
	const char *name = col_text(stmt, 0);
	char why[256];

	if (sqlite3_column_type(stmt, 1) != SQLITE_INTEGER)
		return fail(st, err, errlen, "tenant_numbers row '%.64s': id is not a number", name);
	if (vsw_config_load_tenant_number(cfg, name, sqlite3_column_int64(stmt, 1), why,
					  sizeof(why)))
		return fail(st, err, errlen, "tenant_numbers row '%.64s': %s", name, why);
	return 0;
}

static int load_tenant(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		       char *err, size_t errlen)
{
	const char *name = col_text(stmt, 0);
	char why[256];

	for (int c = 1; c <= 3; c++)
		if (sqlite3_column_type(stmt, c) != SQLITE_INTEGER)
			return fail(st, err, errlen, "tenants row '%.64s': %s is not a number", name,
				    sqlite3_column_name(stmt, c));
	if (vsw_config_load_tenant(cfg, name, sqlite3_column_int64(stmt, 1),
				   sqlite3_column_int64(stmt, 2), sqlite3_column_int64(stmt, 3),
				   why, sizeof(why)))
		return fail(st, err, errlen, "tenants row '%.64s': %s", name, why);
	return 0;
}

static int load_uplink(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		       char *err, size_t errlen)
{
	char why[256];

	if (vsw_config_load_uplink(cfg, col_text(stmt, 0), col_opt(stmt, 1, NULL),
				   col_opt(stmt, 2, NULL), why, sizeof(why)))
		return fail(st, err, errlen, "uplink row '%.64s': %s", col_text(stmt, 0), why);
	return 0;
}

static int load_vtep(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		     char *err, size_t errlen)
{
	const char *tenant = col_text(stmt, 0), *ip = col_text(stmt, 1);
	char why[256];

	if (vsw_config_load_vtep(cfg, tenant, ip, why, sizeof(why)))
		return fail(st, err, errlen, "vteps row ('%.64s', '%.64s'): %s", tenant, ip, why);
	return 0;
}

static int load_acl(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		    char *err, size_t errlen)
{
	const char *tenant = col_text(stmt, 0);
	int64_t id = sqlite3_column_int64(stmt, 1);
	char why[256];

	if (sqlite3_column_type(stmt, 1) != SQLITE_INTEGER ||
	    sqlite3_column_type(stmt, 2) != SQLITE_INTEGER)
		return fail(st, err, errlen, "acls row ('%.64s', %s): id or priority is not a number",
			    tenant, col_text(stmt, 1));
	if (vsw_config_load_acl(cfg, tenant, id, sqlite3_column_int64(stmt, 2),
				col_text(stmt, 3), col_text(stmt, 4), why, sizeof(why)))
		return fail(st, err, errlen, "acls row ('%.64s', %" PRId64 "): %s", tenant, id, why);
	return 0;
}

static int load_flow(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		     char *err, size_t errlen)
{
	int64_t id = sqlite3_column_int64(stmt, 0);
	const char *text = col_text(stmt, 1);
	char why[256];

	if (sqlite3_column_type(stmt, 2) != SQLITE_INTEGER)
		return fail(st, err, errlen, "flows row %" PRId64 ": installed_ms is not a number",
			    id);
	if (vsw_config_load_flow(cfg, id, text, sqlite3_column_int64(stmt, 2), why, sizeof(why)))
		return fail(st, err, errlen, "flows row %" PRId64 " ('%.200s'): %s", id, text, why);
	return 0;
}

static int load_miss(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		     char *err, size_t errlen)
{
	int64_t table = sqlite3_column_int64(stmt, 0);
	char why[256];

	if (sqlite3_column_type(stmt, 0) != SQLITE_INTEGER)
		return fail(st, err, errlen, "tables row: table_id is not a number");
	if (vsw_config_load_miss(cfg, table, col_text(stmt, 1), why, sizeof(why)))
		return fail(st, err, errlen, "tables row %" PRId64 ": %s", table, why);
	return 0;
}

static int load_mirror(struct vsw_store *st, sqlite3_stmt *stmt, struct vsw_config *cfg,
		       char *err, size_t errlen)
{
	const char *name = col_text(stmt, 0);
	char why[256];

	if (vsw_config_load_mirror(cfg, name, col_text(stmt, 1), col_text(stmt, 2), why,
				   sizeof(why)))
		return fail(st, err, errlen, "mirrors row '%.64s': %s", name, why);
	return 0;
}

int vsw_store_load(struct vsw_store *st, struct vsw_config *cfg, char *err, size_t errlen)
{
	int rc;

	rc = each_row(st, "SELECT name, port_no FROM port_numbers ORDER BY port_no",
		      load_number, cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT name, id FROM tenant_numbers ORDER BY id",
			      load_tenant_number, cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT t.name, t.vlan, t.vni, t.mac_limit FROM tenants t"
			      " LEFT JOIN tenant_numbers n USING (name) ORDER BY n.id",
			      load_tenant, cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT p.name, p.type, p.mode, p.path, p.devargs, p.tenant,"
			      " p.vlan_mode, p.trunks, p.mac, p.ips FROM ports p"
			      " LEFT JOIN port_numbers n USING (name) ORDER BY n.port_no",
			      load_port, cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT port, local_ip, nexthop FROM uplink", load_uplink, cfg, err,
			      errlen);
	if (!rc)
		rc = each_row(st, "SELECT tenant, ip FROM vteps ORDER BY rowid", load_vtep, cfg,
			      err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT tenant, id, priority, action, match FROM acls"
			      " ORDER BY tenant, id", load_acl, cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT id, flow, installed_ms FROM flows ORDER BY id", load_flow,
			      cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT table_id, miss FROM tables ORDER BY table_id", load_miss,
			      cfg, err, errlen);
	if (!rc)
		rc = each_row(st, "SELECT name, src, dst FROM mirrors ORDER BY rowid", load_mirror,
			      cfg, err, errlen);
	return rc;
}
