/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PMD_H
#define VSW_PMD_H

/*
 * DOC: the packet path, in one place
 *
 *   rx burst (32) from each port this PMD owns                      (pmd.c)
 *     -> vsw_flow_extract()          malformed: drop "malformed"   (pmd_pipeline.c)
 *     -> table 0, the whole burst    vsw_ft_lookup_burst() through the PMD's
 *                                    exact-match cache; a miss follows the
 *                                    table's miss policy
 *     -> the rule's actions          output, header edits, resubmit,
 *                                    goto_table (more lookups)     (pmd_actions.c)
 *     -> per-output-port batches     after the whole pipeline ran  (pmd_tx.c)
 *     -> one tx burst per port per rx burst
 *
 * The pipeline, as Open vSwitch runs it: processing starts in table 0.
 * `goto_table:T` (always the last action) continues in table T with the
 * current key; `resubmit(,T)` looks up table T, executes that rule's actions
 * and then goes on with the actions after it. Edits are cumulative: later
 * lookups and later actions see the modified key and frame. Tables nest at
 * most VSW_MAX_DEPTH deep and a packet gets at most VSW_MAX_LOOKUPS lookups
 * (OVS: 64 and 64 * 64); beyond, the packet and every output it had made are
 * dropped ("recursion_too_deep", "too_many_resubmits").
 *
 * A miss: in table 0 and after goto_table the table's miss policy decides:
 * "drop" (default) ends the pipeline, "continue" looks up the next table with
 * the same key (a miss in the last table ends it). After resubmit a miss just
 * returns to the resubmitting actions (OVS does not honour the miss policy
 * there either). Tables count lookups and matches per PMD, summed on read.
 *
 * Outputs are collected per packet and reach the tx batches only once the
 * pipeline finished, so that a packet that is dropped as a whole (above)
 * sends nothing. Accounting, on the input port unless noted:
 *  - every failed output is counted when it happens: no_port, loop,
 *    normal_unsupported (NORMAL is for the tenant issue), too_many_outputs;
 *    later port_down / tx_full on the output port;
 *  - dec_ttl on a TTL of 1 or 0 counts "ttl_exceeded" and stops the current
 *    action list (OVS sends it to a controller; we have none);
 *  - a packet that was sent nowhere and counted under none of these counts
 *    once: "no_match" when its last lookup missed, else "action_drop".
 *
 * Frames are shared by reference among outputs: rte_vhost copies into the
 * guest's buffers and leaves the mbuf to us, so each output takes a
 * reference. An edit made after the frame was queued for output must not
 * change what that output sends: the executor copies the frame first (copy
 * on write) when, and only when, someone else holds a reference.
 *
 * Queues (multiqueue ports, e.g. a vhost-user peer with queues=N): receive
 * queue q of a port is polled by PMD (slot + q) % n_pmds and by no other, so
 * a port's queues go round the PMDs (vsw_pmd_of_rxq()). On transmit, a port
 * with at least as many queue pairs as there are PMDs gives each PMD its own
 * queue (the PMD's index) and takes no lock; a port with fewer is sent to on
 * queue index % n_queues under the port's tx lock. (While a peer changes its
 * number of queues, two PMDs may briefly pick one queue on different paths;
 * vhost-user's own per-virtqueue lock keeps that safe, and other port types
 * have one queue and always take the lock.)
 *
 * Cost accounting (pmd-stats, like ovs-appctl dpif-netdev/pmd-stats-show):
 * one TSC read per loop iteration; the iteration's cycles go to "processing"
 * when it received packets, else to "idle" (an idle sleep included). Each
 * PMD writes only its own counters, with relaxed stores; the control thread
 * reads them and keeps the values of the last clear as its baseline.
 */

#include <stdatomic.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "dp.h"

#define VSW_BURST 32
#define VSW_TX_BATCH 64
#define VSW_MAX_DEPTH 64 /* nested resubmit/goto_table */
#define VSW_MAX_LOOKUPS (64 * 64) /* table lookups for one packet */
#define VSW_MAX_PENDING 512 /* outputs of one packet */

struct vsw_txbatch {
	uint16_t n;
	struct vsw_port *port;
	struct rte_mbuf *pkts[VSW_TX_BATCH];
};

/* One output of the packet in flight: a reference to `m` for `port`. */
struct vsw_pending {
	struct vsw_port *port;
	struct rte_mbuf *m;
};

/* Written by the owning PMD only (relaxed stores); read by the control thread. */
struct vsw_pmd_table_stats {
	_Atomic uint64_t lookups;
	_Atomic uint64_t matches;
};

/* Written by the owning PMD only, once per loop iteration (relaxed stores). */
struct vsw_pmd_stats {
	_Alignas(64) _Atomic uint64_t packets; /* received */
	_Atomic uint64_t busy_cycles; /* TSC cycles of iterations that received */
	_Atomic uint64_t idle_cycles; /* ... of iterations that received nothing */
	_Atomic uint64_t cache_rule_hits; /* lookups the exact-match cache answered */
};

/* What pmd-stats reports for one PMD; control thread only. */
struct vsw_pmd_counters {
	uint64_t packets;
	uint64_t lookups; /* table lookups, every table */
	uint64_t matches; /* ... that found a rule */
	uint64_t cache_hits; /* ... found by the exact-match cache */
	uint64_t busy_cycles;
	uint64_t idle_cycles;
};

struct vsw_pmd {
	struct vsw_dp *dp;
	unsigned int lcore;
	unsigned int index; /* RCU thread id, and the rx spreading index */
	struct vsw_ft_cache *cache; /* this PMD's exact-match cache (table.h) */
	uint16_t n_dirty;
	uint16_t n_pending;
	uint16_t dirty[VSW_MAX_PORTS];
	struct vsw_pending pending[VSW_MAX_PENDING];
	struct vsw_txbatch tx[VSW_MAX_PORTS]; /* by port slot */
	struct vsw_pmd_table_stats tables[VSW_FT_N_TABLES];
	struct vsw_pmd_stats stats;
	struct vsw_pmd_counters base; /* control thread: the values at the last clear */
};

/* The PMD that polls receive queue q of `port` (see the DOC above). */
static inline unsigned int vsw_pmd_of_rxq(const struct vsw_dp *dp, const struct vsw_port *port,
					  uint16_t q)
{
	return (unsigned int)(port->slot + q) % dp->n_pmds;
}

/* Classify and execute one received burst, n <= VSW_BURST (pmd_pipeline.c). */
void vsw_pmd_process(struct vsw_pmd *pmd, const struct vsw_portset *set,
		     const struct vsw_ft *ft, struct vsw_port *in, struct rte_mbuf **pkts,
		     uint16_t n, uint64_t now_ms);

/* Queue `m` for `out`, handing over one reference (pmd_tx.c). */
void vsw_pmd_tx(struct vsw_pmd *pmd, struct vsw_port *out, struct rte_mbuf *m);
/* Transmit every batch filled since the last flush (pmd_tx.c). */
void vsw_pmd_flush(struct vsw_pmd *pmd);

/* Per-table counters summed over all PMDs (control thread; pmd.c). */
void vsw_pmd_table_stats(const struct vsw_dp *dp, uint8_t table, uint64_t *lookups,
			 uint64_t *matches);

/* pmd-stats: the counters since the last clear; clear (control thread; pmd.c). */
void vsw_pmd_counters_read(const struct vsw_pmd *pmd, struct vsw_pmd_counters *c);
void vsw_pmd_counters_clear(struct vsw_pmd *pmd);

/* Add to a counter only this thread writes: no locked instruction needed. */
static inline void vsw_pmd_count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

#endif
