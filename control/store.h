/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_STORE_H
#define VSW_CONTROL_STORE_H

/*
 * The durable store: one SQLite file (default /var/lib/vsw/vsw.db) in WAL
 * mode with synchronous=FULL, so a COMMIT that returned is on disk.
 *
 *   meta(key, value)                 schema_version = 3
 *   port_numbers(name, port_no)      every name ever numbered; never deleted
 *   ports(name, type, mode, path)    the ports that exist
 *   flows(id, flow, installed_ms)    user flows, canonical text, numeric ports;
 *                                    installed_ms: wall clock at install, so
 *                                    that a hard timeout survives a restart
 *   tables(table_id, miss)           tables whose miss policy is not "drop"
 *   mirrors(name, src, dst)          port mirrors; src "vm1,vm2" (port names)
 *
 * Migration: a store of an older schema version is brought to this one when
 * it is opened, in one transaction, after the checks below (a file that is
 * not ours, or is damaged, is never migrated). 1 -> 2 adds
 * flows.installed_ms (set to the time of the migration: version 1 kept no
 * install time) and the tables table; 2 -> 3 (the "mirrors" step) adds the
 * mirrors table. vsw_store_migrated_from() says it happened, for the log.
 *
 * The file is marked with PRAGMA application_id 'vsw1'. Opening refuses,
 * without writing a byte, a file that is not SQLite, a SQLite database of
 * something else, a newer schema, or a damaged one; loading refuses a row
 * that no longer validates (a flow the parser rejects, a bad port name).
 * The error is one line, "store PATH: what is wrong", for the caller to print
 * before it exits. The file is locked (flock) while open, so two vsw-control
 * cannot share it.
 *
 * Every change is one transaction: vsw_store_begin(), any number of
 * put/del calls, then vsw_store_commit() or vsw_store_rollback(). Writes
 * outside a transaction are refused (-EINVAL). Errors: 0 or -errno; the
 * SQLite message of the last failure is vsw_store_error().
 *
 * Single-threaded: one connection, used from the caller's thread only.
 */

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define VSW_STORE_SCHEMA_VERSION 3
#define VSW_STORE_APPLICATION_ID 0x76737731 /* "vsw1" */

struct vsw_store;

/* Open or create. NULL with errno set and `err` filled ("store PATH: ..."). */
struct vsw_store *vsw_store_open(const char *path, char *err, size_t errlen);
void vsw_store_close(struct vsw_store *st); /* rolls back an open transaction */

/* Read everything into `cfg` (initialized, empty). 0 or -errno with `err` filled. */
int vsw_store_load(struct vsw_store *st, struct vsw_config *cfg, char *err, size_t errlen);

int vsw_store_begin(struct vsw_store *st);
int vsw_store_commit(struct vsw_store *st); /* on failure the transaction is rolled back */
void vsw_store_rollback(struct vsw_store *st);

/* Record a name's number (nothing if the name has one already). */
int vsw_store_put_number(struct vsw_store *st, const char *name, uint32_t port_no);
int vsw_store_put_port(struct vsw_store *st, const struct vsw_port_cfg *port);
int vsw_store_del_port(struct vsw_store *st, const char *name); /* -ENOENT */
int vsw_store_put_flow(struct vsw_store *st, const char *text, int64_t installed_ms,
		       int64_t *id);
/* New text for a flow, keeping its row and install time (mod-flows). -ENOENT */
int vsw_store_set_flow(struct vsw_store *st, int64_t id, const char *text);
int vsw_store_del_flow(struct vsw_store *st, int64_t id); /* -ENOENT */
/* A table's miss policy, "drop" or "continue" (checked by the caller). */
int vsw_store_set_miss(struct vsw_store *st, unsigned table, const char *miss);
/* A mirror (mirror.h); put refuses a name that exists (-EEXIST). del: -ENOENT */
struct vsw_mirror_cfg;
int vsw_store_put_mirror(struct vsw_store *st, const struct vsw_mirror_cfg *m);
int vsw_store_del_mirror(struct vsw_store *st, const char *name);

const char *vsw_store_error(const struct vsw_store *st);
const char *vsw_store_path(const struct vsw_store *st);
/* The schema version the store had when opened, if it was migrated; else 0. */
int vsw_store_migrated_from(const struct vsw_store *st);

#endif
