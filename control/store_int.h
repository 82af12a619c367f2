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
	X(PUT_PORT, "ssssssssss", "INSERT INTO ports (name, type, mode, path, devargs, tenant,"  \
	  " vlan_mode, trunks, mac, ips) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")                  \
	X(DEL_PORT, "s", "DELETE FROM ports WHERE name = ?")                                    \
	X(SET_PORT_TENANT, "ssssss", "UPDATE ports SET tenant = ?, vlan_mode = ?, trunks = ?,"  \
	  " mac = ?, ips = ? WHERE name = ?")                                                   \
	X(PUT_TENANT_NUMBER, "si", "INSERT OR IGNORE INTO tenant_numbers (name, id) VALUES (?, ?)") \
	X(PUT_TENANT, "siii", "INSERT INTO tenants (name, vlan, vni, mac_limit) VALUES (?, ?, ?, ?)") \
	X(SET_TENANT, "iiis", "UPDATE tenants SET vlan = ?, vni = ?, mac_limit = ? WHERE name = ?") \
	X(DEL_TENANT, "s", "DELETE FROM tenants WHERE name = ?")                                \
	X(PUT_UPLINK, "sss", "INSERT OR REPLACE INTO uplink (one, port, local_ip, nexthop)"    \
	  " VALUES (1, ?, ?, ?)")                                                               \
	X(DEL_UPLINK, "", "DELETE FROM uplink")                                                 \
	X(PUT_VTEP, "ss", "INSERT INTO vteps (tenant, ip) VALUES (?, ?)")                       \
	X(DEL_VTEP, "ss", "DELETE FROM vteps WHERE tenant = ? AND ip = ?")                      \
	X(PUT_ACL, "siiss", "INSERT INTO acls (tenant, id, priority, action, match)"            \
	  " VALUES (?, ?, ?, ?, ?)")                                                            \
	X(DEL_ACL, "si", "DELETE FROM acls WHERE tenant = ? AND id = ?")                        \
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
