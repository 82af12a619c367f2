/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_STORE_H
#define VSW_CONTROL_STORE_H

/*
 * The durable store: one SQLite file (default /var/lib/vsw/vsw.db) in WAL
 * mode with synchronous=FULL, so a COMMIT that returned is on disk.
 *
 *   meta(key, value)                 schema_version = 5
 *   port_numbers(name, port_no)      every name ever numbered; never deleted
 *   ports(name, type, mode, path,    the ports that exist; devargs for dpdk
 *         devargs, tenant, vlan_mode, ports; the tenant attachment (tenant
 *         trunks, mac, ips)          NULL: none; trunks "10,20-30", ips
 *                                    "IP,IP": set-port's own text forms)
 *   flows(id, flow, installed_ms)    user flows, canonical text, numeric ports;
 *                                    installed_ms: wall clock at install, so
 *                                    that a hard timeout survives a restart
 *   tables(table_id, miss)           tables whose miss policy is not "drop"
 *   tenant_numbers(name, id)         every tenant name ever numbered
 *   tenants(name, vlan, vni,         vlan, vni: 0 = none
 *           mac_limit)
 *   uplink(one, port, local_ip,      at most one row; nexthop: the VTEPs'
 *          nexthop)                  static next hop MAC, NULL: the kernel's
 *   vteps(tenant, ip)
 *   acls(tenant, id, priority,       action "allow"/"deny"; match in canonical
 *        action, match)              match text
 *   mirrors(name, src, dst)          port mirrors; src "vm1,vm2" (port names)
 *
 * Migration: a store of an older schema version is brought to this one when
 * it is opened, in one transaction, after the checks below (a file that is
 * not ours, or is damaged, is never migrated). 1 -> 2 adds
 * flows.installed_ms (set to the time of the migration: version 1 kept no
 * install time) and the tables table. 2 -> 3 adds the tenant tables and
 * the ports' devargs and attachment columns (every port in no tenant); a
 * store with user flows or miss policies in tables 250..254 (or flows with
 * the tenant pipeline's cookies) is refused instead, unchanged, so that the
 * vsw-control that wrote it can still remove them.
 * 3 -> 4 (the "mirrors" step) adds the mirrors table.
 * 4 -> 5 (the "uplink nexthop" step) adds uplink.nexthop (NULL: as before).
 * vsw_store_migrated_from() says it happened, for the log.
 *
 * The file is marked with PRAGMA application_id 'vsw1'. Opening refuses,
 * without writing a byte, a file that is not SQLite, a SQLite database of
 * something else, a newer schema, or a damaged one; loading refuses a row
 * that no longer validates (a flow the parser rejects or in a table that is
 * now reserved, a bad port name, a tenant VLAN used twice, an ACL match
 * that does not parse), naming the table and row.
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

#define VSW_STORE_SCHEMA_VERSION 5
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

/* Tenant intent, row by row (store_change.c). */
int vsw_store_put_tenant_number(struct vsw_store *st, const char *name, uint32_t id);
int vsw_store_put_tenant(struct vsw_store *st, const struct vsw_tenant_cfg *t);
int vsw_store_set_tenant(struct vsw_store *st, const struct vsw_tenant_cfg *t); /* -ENOENT */
int vsw_store_del_tenant(struct vsw_store *st, const char *name); /* -ENOENT */
/* The port's attachment columns from port->tenant. -ENOENT */
int vsw_store_set_port_tenant(struct vsw_store *st, const struct vsw_port_cfg *port);
/* u->port "" removes the uplink. */
int vsw_store_set_uplink(struct vsw_store *st, const struct vsw_uplink_cfg *u);
int vsw_store_put_vtep(struct vsw_store *st, const struct vsw_vtep_cfg *v);
int vsw_store_del_vtep(struct vsw_store *st, const struct vsw_vtep_cfg *v); /* -ENOENT */
int vsw_store_put_acl(struct vsw_store *st, const struct vsw_acl_cfg *a);
int vsw_store_del_acl(struct vsw_store *st, const char *tenant, uint32_t id); /* -ENOENT */
/*
 * Every difference in ports and tenant intent from `old` (the model) to
 * `next` (a copy of it, changed: config.h), in an order the foreign keys
 * accept. Flows and miss policies are not compared. Inside a transaction.
 */
int vsw_store_put_intent(struct vsw_store *st, const struct vsw_config *old,
			 const struct vsw_config *next);

const char *vsw_store_error(const struct vsw_store *st);
const char *vsw_store_path(const struct vsw_store *st);
/* The schema version the store had when opened, if it was migrated; else 0. */
int vsw_store_migrated_from(const struct vsw_store *st);

#endif
