/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_DP_H
#define VSW_DP_H

/*
 * DOC: vsw-dataplane — the process and its one context
 *
 * Threads:
 *  - the main lcore runs the control socket (ctl.c): it is the only writer of
 *    the port set and the flow table;
 *  - one PMD thread per worker lcore (pmd.c) polls its ports' receive queues,
 *    classifies, executes actions and transmits in bursts;
 *  - rte_vhost's event thread reports peers coming and going (vhost-user/).
 *
 * Publication: the port set and the flow table are immutable snapshots behind
 * atomic pointers. The writer builds a new snapshot, publishes it with a
 * release store, waits for an RCU grace period (rte_rcu_qsbr: every PMD
 * reports a quiescent state once per loop iteration) and only then frees the
 * old one. A PMD reads each pointer once per iteration, so within one burst it
 * sees one consistent version of each.
 *
 * Nothing here is a file-scope global: everything hangs off `struct vsw_dp`,
 * which main() creates and passes down.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "port.h"
#include "table.h"

#define VSW_MAX_PMDS 16

struct vsw_pmd;

/* What a miss in a table does (pmd.h). Configuration: vsw-control re-sends it. */
enum vsw_table_miss {
	VSW_MISS_DROP = 0, /* the default */
	VSW_MISS_CONTINUE, /* look up the next table */
};

struct vsw_dp {
	char run_dir[256];
	char boot_id[40];
	struct rte_mempool *mbufs;
	struct rte_rcu_qsbr *qs;

	_Atomic(struct vsw_portset *) ports; /* published port set */
	_Atomic(struct vsw_ft *) ft; /* published flow table */
	/* enum vsw_table_miss per table; written by the control thread, which
	 * waits for a grace period before it replies */
	_Atomic uint8_t table_miss[VSW_FT_N_TABLES];

	unsigned int n_pmds;
	struct vsw_pmd *pmds[VSW_MAX_PMDS];
	unsigned int pmd_idle_us; /* sleep after an empty iteration; 0 = busy poll */

	atomic_bool quit; /* set by the signal handler */
};

/* Milliseconds on the dataplane's monotonic clock (TSC based, any thread). */
uint64_t vsw_dp_now_ms(void);

/* Publish a new snapshot and free the old one after a grace period. */
void vsw_dp_publish_ports(struct vsw_dp *dp, struct vsw_portset *set);
void vsw_dp_publish_ft(struct vsw_dp *dp, struct vsw_ft *ft);
/* Set a table's miss policy; returns once no PMD uses the old one. */
void vsw_dp_set_table_miss(struct vsw_dp *dp, uint8_t table, enum vsw_table_miss miss);

/* PMD threads (pmd.c): one per worker lcore, at most `max` (0: no limit;
 * -ENODEV when there are fewer workers than a non-zero max). */
int vsw_pmd_start_all(struct vsw_dp *dp, unsigned int max);
void vsw_pmd_stop_all(struct vsw_dp *dp);

/* Control socket (ctl.c): serves until dp->quit. 0 or -errno. */
int vsw_ctl_run(struct vsw_dp *dp);

#endif
