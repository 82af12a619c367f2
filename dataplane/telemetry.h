/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TELEMETRY_H
#define VSW_TELEMETRY_H

/*
 * DOC: vsw's counters through DPDK telemetry
 *
 * So that monitoring that already scrapes DPDK applications can read vsw,
 * the dataplane registers telemetry commands (DPDK's dpdk-telemetry.py, or
 * anything speaking its socket protocol, reads them):
 *
 *   /vsw/ports        every port, by columns: "name", "port_no", "type",
 *                     "mode", "state" and the counters "rx_packets",
 *                     "rx_bytes", "tx_packets", "tx_bytes", "drop_REASON"
 *                     (one per drop reason, port.h); element i of each
 *                     column is port i. (DPDK 22.11 nests arrays only.)
 *   /vsw/port,NAME    one port: the same keys, one value each
 *   /vsw/tables       by columns: "table", "active" (rules), "lookups",
 *                     "matches", "miss", for the tables dump-tables lists
 *   /vsw/pmds         by columns: "pmd", "lcore", and "lookups" and
 *                     "matches" summed over that PMD's tables
 *   /vsw/flows[,TABLE|all[,FIRST]]
 *                     the rules, table by table in lookup order: "table",
 *                     "priority", "cookie", "n_packets", "n_bytes",
 *                     "match", "actions" (port names as the port set has
 *                     them); "rules" in the selection and "next", the
 *                     first one left out (telemetry_fit.h: 16 KiB replies)
 *   /vsw/vhost[,NAME] vhost-user ports by columns: "name", "port_no",
 *                     "connected", "queues", "enabled"; one port adds
 *                     "queues_enabled" (0/1 per pair), as port-list's
 *   /vsw/mirrors      by columns: "name", "dst", "sources", "packets",
 *                     "bytes", "drops", as mirror-list's
 *   /vsw/domains[,ID] by columns, domain-list's numbers ("members" and
 *                     "vteps" counted); "domains" and "listed"
 *
 * The values are those of vswctl dump-ports / dump-flows / dump-tables /
 * list-mirrors --format json and of the dataplane's domain-list.
 *
 * Threads: DPDK calls these from its telemetry threads, which are not
 * PMDs. A callback reads the published snapshots (dp.h) as an RCU reader
 * with its own thread id (VSW_RCU_TELEMETRY), so no port set, port or flow
 * table is freed while it reads; one mutex serializes the callbacks, which
 * share that id. Domains are published snapshots too; the mirrors, which
 * the main lcore edits in place, are freed after a grace period as well
 * (ctl_mirror.c). A callback never takes another lock while it reads: a
 * writer may hold one while it waits for the grace period. Counters are relaxed atomics, read as they are.
 *
 * DPDK 22.11's telemetry passes no context to a callback, so telemetry.c
 * keeps the one `struct vsw_dp *` (with the vhost registry, the only
 * file-scope state of the dataplane): set by vsw_telemetry_init(), cleared
 * by vsw_telemetry_fini() before anything it reaches is freed; a callback
 * that finds it cleared answers with an error.
 */

#include "dp.h"

/* After the PMDs started (the RCU variable and the PMD list exist). 0 or -errno. */
int vsw_telemetry_init(struct vsw_dp *dp);
/* Before the PMDs, ports and flow table go away. */
void vsw_telemetry_fini(struct vsw_dp *dp);

#endif
