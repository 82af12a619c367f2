/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_DP_H
#define VSW_DP_H

/*
 * DOC: vsw-dataplane — the process and its one context
 *
 * Threads:
 *  - the main lcore runs the control socket (ctl.c): it is the only writer of
 *    the port set, the flow table and the VTEP table;
 *  - one PMD thread per worker lcore (pmd.c) polls its ports' receive queues,
 *    classifies, executes actions and transmits in bursts;
 *  - rte_vhost's event thread reports peers coming and going (vhost-user/).
 *
 * Publication: the port set, the flow table, the L2 domains (domain.h) and
 * the VTEP table are immutable snapshots behind atomic pointers. The writer
 * builds a new snapshot, publishes it with a release store, waits for an RCU
 * grace period (rte_rcu_qsbr: every PMD reports a quiescent state once per
 * loop iteration) and only then frees the old one. A PMD reads the port set
 * and flow table pointers once per iteration, so within one burst it sees one
 * consistent version of each; domains and the VTEP table are read where a
 * frame is switched or encapsulated.
 *
 * Nothing here is a file-scope global: everything hangs off `struct vsw_dp`,
 * which main() creates and passes down.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "domain.h"
#include "mac_table.h"
#include "port.h"
#include "table.h"
#include "tap.h"

#define VSW_MAX_PMDS 16
#define VSW_MAC_CAPACITY (256 * 1024) /* MAC table entries, all domains together */
/* RCU thread ids: PMD i is i; telemetry's readers share one (telemetry.h). */
#define VSW_RCU_TELEMETRY VSW_MAX_PMDS
#define VSW_RCU_READERS (VSW_MAX_PMDS + 1)

struct vsw_pmd;
struct vsw_vteps;

/* What a miss in a table does (pmd.h). Configuration: vsw-control re-sends it. */
enum vsw_table_miss {
	VSW_MISS_DROP = 0, /* the default */
	VSW_MISS_CONTINUE, /* look up the next table */
};

struct vsw_dp {
	char run_dir[256];
	const char *sock_group; /* dataplane.sock's group when it exists (proto.h) */
	char boot_id[40];
	struct rte_mempool *mbufs;
	struct rte_rcu_qsbr *qs;

	_Atomic(struct vsw_portset *) ports; /* published port set */
	_Atomic(struct vsw_ft *) ft; /* published flow table */
	_Atomic(struct vsw_domset *) domains; /* published L2 domains */
	_Atomic uint32_t domains_gen; /* bumped by every publication (vsw_dp_publish_domains()) */
	struct vsw_mac_table *macs; /* MAC learning: every PMD writes, lock-free reads */
	_Atomic(struct vsw_vteps *) vteps; /* published VTEP table (vtep.h) */
	/* enum vsw_table_miss per table; written by the control thread, which
	 * waits for a grace period before it replies */
	_Atomic uint8_t table_miss[VSW_FT_N_TABLES];

	unsigned int n_pmds;
	struct vsw_pmd *pmds[VSW_MAX_PMDS];
	unsigned int pmd_idle_us; /* sleep after an empty iteration; 0 = busy poll */

	/* Taps (tap.h), main lcore only: running captures and the mirrors.
	 * Telemetry reads the mirrors as an RCU reader (telemetry.h): the main
	 * lcore frees a mirror only after a grace period. */
	struct vsw_capture *captures[VSW_MAX_CAPTURES];
	_Atomic(struct vsw_mirror *) mirrors[VSW_MAX_MIRRORS];
	_Atomic unsigned int n_mirrors;

	atomic_bool quit; /* set by the signal handler */
};

/* Milliseconds on the dataplane's monotonic clock (TSC based, any thread). */
uint64_t vsw_dp_now_ms(void);
/* The same clock in seconds: the MAC table's time (mac_table.h). */
static inline uint32_t vsw_dp_seconds(uint64_t now_ms)
{
	return (uint32_t)(now_ms / 1000);
}

/* Publish a new snapshot and free the old one after a grace period. */
void vsw_dp_publish_ports(struct vsw_dp *dp, struct vsw_portset *set);
void vsw_dp_publish_ft(struct vsw_dp *dp, struct vsw_ft *ft);
/*
 * Frees the old set only: its domains are the caller's (domain.h). Bumps
 * domains_gen after the new set is published and before the grace period:
 * a PMD that read the old generation during a burst is waited for, one that
 * reads the new one sees the new set (the `normal` cache, l2_cache.h).
 */
void vsw_dp_publish_domains(struct vsw_dp *dp, struct vsw_domset *set);
/* Set a table's miss policy; returns once no PMD uses the old one. */
void vsw_dp_set_table_miss(struct vsw_dp *dp, uint8_t table, enum vsw_table_miss miss);

/* PMD threads (pmd.c): one per worker lcore, at most `max` (0: no limit;
 * -ENODEV when there are fewer workers than a non-zero max). */
int vsw_pmd_start_all(struct vsw_dp *dp, unsigned int max);
void vsw_pmd_stop_all(struct vsw_dp *dp);

/* Control socket (ctl.c): serves until dp->quit. 0 or -errno. */
int vsw_ctl_run(struct vsw_dp *dp);

#endif
