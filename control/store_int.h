/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_STORE_INT_H
#define VSW_CONTROL_STORE_INT_H

/*
 * Inside the store: what store.c (opening, schema, loading) and
 * store_change.c (transactions and changes) share. Not for other modules.
 */

#include <stdbool.h>

#include <sqlite3.h>

#include "store.h"

/*
 * The changes, prepared once and kept: add-flows of 100k rules runs each of
 * them 100k times. 's' binds a string, 'i' an int64.
 */
#define STORE_CHANGES(X)                                                                   \
	X(PUT_NUMBER, "si", "INSERT OR IGNORE INTO port_numbers (name, port_no) VALUES (?, ?)") \
	X(PUT_PORT, "ssss", "INSERT INTO ports (name, type, mode, path) VALUES (?, ?, ?, ?)")   \
	X(DEL_PORT, "s", "DELETE FROM ports WHERE name = ?")                                    \
	X(PUT_FLOW, "si", "INSERT INTO flows (flow, installed_ms) VALUES (?, ?)")               \
	X(SET_FLOW, "si", "UPDATE flows SET flow = ? WHERE id = ?")                             \
	X(DEL_FLOW, "i", "DELETE FROM flows WHERE id = ?")                                      \
	X(PUT_MISS, "is", "INSERT OR REPLACE INTO tables (table_id, miss) VALUES (?, ?)")       \
	X(DEL_MISS, "i", "DELETE FROM tables WHERE table_id = ?")                               \
	X(PUT_MIRROR, "sss", "INSERT INTO mirrors (name, src, dst) VALUES (?, ?, ?)")           \
	X(DEL_MIRROR, "s", "DELETE FROM mirrors WHERE name = ?")

enum change_id {
#define CHANGE_ID(id, types, sql) CH_##id,
	STORE_CHANGES(CHANGE_ID)
#undef CHANGE_ID
	CH_N
};

struct vsw_store {
	sqlite3 *db;
	int lock_fd; /* flock()ed; closed only after the database */
	bool in_txn;
	int migrated_from; /* schema version found on open, if older; else 0 */
	char *path;
	sqlite3_stmt *stmt[CH_N]; /* prepared on first use */
	char error[256];
};

/* Remember SQLite's message; map the code to an errno. */
int vsw_store_sql_err(struct vsw_store *st, int rc);

#endif
