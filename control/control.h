/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_H
#define VSW_CONTROL_H

/*
 * DOC: vsw-control — design
 *
 * vsw-control owns the switch configuration (ports and user flows), keeps it
 * durable, and is the one writer to vsw-dataplane. It is a single-threaded
 * daemon around one poll() loop (main.c) that watches:
 *   - a signalfd (SIGTERM/SIGINT: clean exit, control.sock removed);
 *   - RUN_DIR/control.sock (0600), where vswctl clients send the commands of
 *     PROTOCOL.md (mgmt.c: the socket; mgmt_port.c, mgmt_flow.c: the
 *     command tables and handlers);
 *   - the connection to RUN_DIR/dataplane.sock (dpconn.c), retried every
 *     200 ms while it is down.
 * Everything the daemon has lives in `struct vsw_control`, passed down; no
 * file-scope state.
 *
 * Truth and durability. The configuration is a model in memory (config.c)
 * backed row for row by SQLite (store.c). A change runs as:
 *     validate against the model (nothing written yet; refusals are one line)
 *  -> BEGIN; write the rows
 *  -> targeted dataplane calls (port-add, port-del, flow-add, flow-del strict)
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
 * Reconciliation (sync.c, with the pure diff in reconcile.c). After every
 * connect (`hello` first; a new boot_id means the dataplane restarted) and
 * whenever a change left the dataplane in doubt, vsw-control lists the
 * dataplane's ports and flows, diffs them with the configuration and applies
 * only the difference. What is already right is never touched, so restarting
 * vsw-control under a running dataplane changes nothing and rule counters
 * survive.
 *
 * Port numbers are vsw-control's: each name gets one (1..65280) the first
 * time and keeps it forever, even across del-port, so stored flows (kept in
 * canonical text with numeric ports) keep meaning the same port. Flow text
 * from users may name ports; names resolve against the current ports for
 * add-flow, against every name ever numbered for filters and printing.
 *
 * Logging: one line per event on stderr, "vsw-control: LEVEL: message"
 * (log.h). A refusal to start (bad arguments, a store that is not ours or is
 * damaged, a stored flow that no longer parses) is one plain line
 * "vsw-control: what is wrong" and exit status 1; the store is never
 * rewritten to make it fit.
 */

#include "config.h"
#include "dpconn.h"
#include "log.h"
#include "store.h"

struct vsw_mgmt;

struct vsw_control {
	struct vsw_log log;
	const char *run_dir;
	const char *db_path;
	struct vsw_store *store;
	struct vsw_config cfg;
	struct vsw_dpconn dp;
	struct vsw_mgmt *mgmt;
};

#endif
