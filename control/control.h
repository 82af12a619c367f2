/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_H
#define VSW_CONTROL_H

/*
 * DOC: vsw-control — design
 *
 * vsw-control owns the switch configuration (ports, tenant intent and user
 * flows), keeps it
 * durable, and is the one writer to vsw-dataplane. It is a single-threaded
 * daemon around one poll() loop (main.c) that watches:
 *   - a signalfd (SIGTERM/SIGINT: clean exit, control.sock removed);
 *   - RUN_DIR/control.sock (0600; 0660 with group vsw when it exists),
 *     where vswctl clients send the commands of PROTOCOL.md (mgmt.c: the
 *     socket; mgmt_port.c, mgmt_flow.c, mgmt_flowfile.c, mgmt_table.c,
 *     mgmt_tenant.c, mgmt_ops.c, mgmt_perf.c: the command tables and handlers);
 *   - the connection to RUN_DIR/dataplane.sock (dpconn.c), retried every
 *     200 ms while it is down;
 *   - a timer, about once a second while some rule has a timeout, for the
 *     sweep that expires rules (sweep.c; expire.h says how);
 *   - the underlay resolver's notifications (route/neighbour changes) and
 *     its retry timer while a VTEP waits for ARP, for VTEP next hops
 *     (tenant_sync.h).
 * Tenants: the configuration's tenant intent is compiled (compile.h) into
 * rules of tables 250..252, L2 domains, VTEPs and port start tables, and
 * kept converged by tenant sync (tenant_sync.h), after every change and in
 * every reconcile.
 * Everything the daemon has lives in `struct vsw_control`, passed down; no
 * file-scope state.
 *
 * Truth and durability. The configuration is a model in memory (config.c)
 * backed row for row by SQLite (store.c). A change runs as:
 *     validate against the model (nothing written yet; refusals are one line)
 *  -> BEGIN; write the rows
 *  -> targeted dataplane calls (port-add, port-del, flow-add, table-mod; a
 *     change of several rules is one flow-batch, which the dataplane
 *     publishes at once)
 *  -> COMMIT (WAL, synchronous=FULL: on disk when it returns)
 *  -> update the model, reply ok.
 * The dataplane call runs inside the open transaction so that its refusal
 * (say port-add: the socket's directory does not exist) is undone by a plain
 * ROLLBACK: the command fails and nothing changed, on disk or in the
 * dataplane. A lost or absent dataplane is not a refusal: the change is
 * committed and the dataplane gets it when it (re)connects. Should COMMIT
 * fail after the dataplane applied the change, the dataplane is marked for
 * a resync, which takes it back to the configuration.
 *
 * Tenant commands (mgmt_tenant.c; TENANTS.md) follow the same sequence on
 * a copy of the model with the change (config.h: vsw_config_copy_intent()):
 * the copy is validated as it is built, its difference from the model is
 * written to the store, vsw_tenant_apply() (tenant_sync.h) compiles it and
 * programs the dataplane, and after the COMMIT the model takes the copy.
 *
 * Reconciliation (sync.c, with the pure diff in reconcile.c). After every
 * connect (`hello` first; a new boot_id means the dataplane restarted) and
 * whenever a change left the dataplane in doubt, vsw-control lists the
 * dataplane's ports, tables and flows, diffs them with the configuration and
 * applies only the difference (the flows as one flow-batch; tables' miss
 * policies, which are stored, with table-mod). What is already right is
 * never touched, so restarting vsw-control under a running dataplane changes
 * nothing and rule counters survive.
 *
 * Rule timeouts are vsw-control's to enforce: see expire.h (hard timeouts
 * count from an install time kept in the store, so they survive restarts
 * and run while the dataplane is away; idle timeouts need the dataplane's
 * stats and wait for them).
 *
 * Bulk commands (add-flows, replace-flows, del-flows of many rules) follow
 * the same sequence with one transaction and one flow-batch for the whole
 * set, so a file is installed entirely or not at all, and their cost is
 * linear in the number of rules (an identity index, flowidx.h, and prepared
 * statements; sorting where a diff is needed).
 *
 * Port numbers are vsw-control's: each name gets one (1..65280) the first
 * time and keeps it forever, even across del-port, so stored flows (kept in
 * canonical text with numeric ports) keep meaning the same port. Flow text
 * from users may name ports; names resolve against the current ports for
 * add-flow, against every name ever numbered for filters and printing.
 *
 * Logging: one line per event on stderr, "vsw-control: LEVEL: message"
 * (log.h), one log and level per module (mgmt_ops.c: log-level). A refusal
 * to start (bad arguments, a store that is not ours or is damaged, a stored
 * flow that no longer parses) is one plain line
 * "vsw-control: what is wrong" and exit status 1; the store is never
 * rewritten to make it fit.
 */

#include "config.h"
#include "dpconn.h"
#include "log.h"
#include "store.h"

struct vsw_mgmt;
struct vsw_tenant_state;

struct vsw_control {
	struct vsw_log log; /* module "control": everything not below */
	struct vsw_log log_mgmt; /* "control.mgmt": vswctl clients (mgmt.c) */
	struct vsw_log log_dpconn; /* "control.dpconn": the dataplane connection */
	const char *run_dir;
	const char *db_path;
	struct vsw_store *store;
	struct vsw_config cfg;
	struct vsw_dpconn dp;
	struct vsw_mgmt *mgmt;
	long long next_sweep_ms; /* monotonic: the next timeout sweep (sweep.h) */
	struct vsw_tenant_state *tenant; /* tenant sync and VTEP resolution (tenant_sync.h) */
};

#endif
