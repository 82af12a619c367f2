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
 *
 * The values are those of vswctl dump-ports / dump-tables --format json.
 *
 * Threads: DPDK calls these from its telemetry threads, which are not
 * PMDs. A callback reads the published snapshots (dp.h) as an RCU reader
 * with its own thread id (VSW_RCU_TELEMETRY), so no port set, port or flow
 * table is freed while it reads; one mutex serializes the callbacks, which
 * share that id. Counters are relaxed atomics, read as they are.
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
