/* SPDX-License-Identifier: BSD-3-Clause */
/* The SQLite store: transactions and changes. See store.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mirror.h"
#include "store_int.h"

static const struct {
	const char *types, *sql;
} changes[CH_N] = {
#define CHANGE_SQL(id, t, q) [CH_##id] = { t, q },
	STORE_CHANGES(CHANGE_SQL)
#undef CHANGE_SQL
};

static int exec(struct vsw_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : vsw_store_sql_err(st, rc);
}

int vsw_store_begin(struct vsw_store *st)
{
	int rc;

	if (st->in_txn)
		return -EBUSY;
	st->error[0] = '\0'; /* a failure in this change is the one to report */
	rc = exec(st, "BEGIN IMMEDIATE");
	if (!rc)
		st->in_txn = true;
	return rc;
}

int vsw_store_commit(struct vsw_store *st)
{
	int rc;

	if (!st->in_txn)
		return -EINVAL;
	rc = exec(st, "COMMIT");
	if (rc) {
		/* SQLite may already have rolled back; make sure. */
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	st->in_txn = false;
	return rc;
}

void vsw_store_rollback(struct vsw_store *st)
{
	if (!st->in_txn)
		return;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = false;
}

/* Run one change with its arguments (as changes[id].types says). Rows changed, or -errno. */
static int change(struct vsw_store *st, enum change_id id, ...)
{
	const char *types = changes[id].types;
	sqlite3_stmt *stmt;
	va_list ap;
	int rc = SQLITE_OK;

	if (!st->in_txn) {
		snprintf(st->error, sizeof(st->error), "change outside a transaction");
		return -EINVAL;
	}
	if (!st->stmt[id]) {
		rc = sqlite3_prepare_v2(st->db, changes[id].sql, -1, &st->stmt[id], NULL);
		if (rc != SQLITE_OK)
			return vsw_store_sql_err(st, rc);
	}
	stmt = st->stmt[id];
	va_start(ap, id);
	for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
		if (types[i] == 's')
			rc = sqlite3_bind_text(stmt, i + 1, va_arg(ap, const char *), -1,
					       SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_int64(stmt, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	rc = rc == SQLITE_DONE ? sqlite3_changes(st->db) : vsw_store_sql_err(st, rc);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc;
}

int vsw_store_put_number(struct vsw_store *st, const char *name, uint32_t port_no)
{
	int rc = change(st, CH_PUT_NUMBER, name, (int64_t)port_no);

	return rc < 0 ? rc : 0;
}

int vsw_store_put_port(struct vsw_store *st, const struct vsw_port_cfg *port)
{
	int rc = change(st, CH_PUT_PORT, port->name, port->type, port->mode, port->path);

	return rc < 0 ? rc : 0;
}

int vsw_store_del_port(struct vsw_store *st, const char *name)
{
	int rc = change(st, CH_DEL_PORT, name);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_put_flow(struct vsw_store *st, const char *text, int64_t installed_ms,
		       int64_t *id)
{
	int rc = change(st, CH_PUT_FLOW, text, installed_ms);

	if (rc < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int vsw_store_set_flow(struct vsw_store *st, int64_t id, const char *text)
{
	int rc = change(st, CH_SET_FLOW, text, id);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_del_flow(struct vsw_store *st, int64_t id)
{
	int rc = change(st, CH_DEL_FLOW, id);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}

int vsw_store_set_miss(struct vsw_store *st, unsigned table, const char *miss)
{
	int rc;

	/* The default is no row, so a store only lists what differs. */
	if (strcmp(miss, "drop") == 0)
		rc = change(st, CH_DEL_MISS, (int64_t)table);
	else
		rc = change(st, CH_PUT_MISS, (int64_t)table, miss);
	return rc < 0 ? rc : 0;
}

int vsw_store_put_mirror(struct vsw_store *st, const struct vsw_mirror_cfg *m)
{
	char src[(VSW_PORT_NAME_MAX + 1) * VSW_MIRROR_MAX_SRC];
	int rc;

	if (vsw_mirror_src_text(m, src, sizeof(src)) < 0)
		return -ENOSPC;
	rc = change(st, CH_PUT_MIRROR, m->name, src, m->dst);
	return rc < 0 ? rc : 0;
}

int vsw_store_del_mirror(struct vsw_store *st, const char *name)
{
	int rc = change(st, CH_DEL_MIRROR, name);

	return rc < 0 ? rc : rc == 0 ? -ENOENT : 0;
}
