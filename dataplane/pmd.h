/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PMD_H
#define VSW_PMD_H

/*
 * DOC: the packet path, in one place
 *
 *   rx burst (32) from each port this PMD owns                      (pmd.c)
 *     -> an underlay of a VXLAN port: decapsulate, answer ARP      (pmd_vxlan.c)
 *     -> a start table that matches metadata only (port-to-port rules):
 *                                    one lookup for the burst; when its rule
 *                                    is one output to another port, the
 *                                    frames go to its batch unread (a patch)
 *     -> vsw_flow_extract()          malformed: drop "malformed"   (pmd_pipeline.c)
 *     -> start table, whole burst    vsw_ft_lookup_burst() through the PMD's
 *                                    exact-match cache; a miss follows the
 *                                    table's miss policy
 *     -> the rule's actions          output, header edits, resubmit,
 *                                    goto_table (more lookups)     (pmd_actions.c)
 *                                    a goto_table from a stage whose rules
 *                                    cannot output waits, and the burst looks
 *                                    that table up together (a wave)
 *                                    normal: MAC learning switch in
 *                                    the L2 domain of `metadata`   (pmd_normal.c);
 *                                    its decisions cached per flow (l2_cache.h)
 *     -> per-output-port batches     after the whole pipeline ran  (pmd_tx.c);
 *                                    VXLAN outputs are encapsulated then, in
 *                                    the frame itself when no other output
 *                                    holds it                      (pmd_vxlan.c)
 *     -> one tx burst per port per rx burst
 *
 * Captures and port mirrors tap the frames right after the rx burst and
 * right after each tx burst (tap.h); untapped ports pay one branch.
 *
 * The pipeline, as Open vSwitch runs it: processing starts in table 0, or
 * in the input port's start table (`table` of port-add/port-mod).
 * `goto_table:T` (always the last action) continues in table T with the
 * current key; `resubmit(,T)` looks up table T, executes that rule's actions
 * and then goes on with the actions after it. Edits are cumulative: later
 * lookups and later actions see the modified key and frame. Tables nest at
 * most VSW_MAX_DEPTH deep and a packet gets at most VSW_MAX_LOOKUPS lookups
 * (OVS: 64 and 64 * 64); beyond, the packet and every output it had made are
 * dropped ("recursion_too_deep", "too_many_resubmits").
 *
 * A miss: in the start table and after goto_table the table's miss policy decides:
 * "drop" (default) ends the pipeline, "continue" looks up the next table with
 * the same key (a miss in the last table ends it). After resubmit a miss just
 * returns to the resubmitting actions (OVS does not honour the miss policy
 * there either). Tables count lookups and matches per PMD, summed on read.
 *
 * Outputs are collected per packet and reach the tx batches only once the
 * pipeline finished, so that a packet that is dropped as a whole (above)
 * sends nothing. Accounting, on the input port unless noted:
 *  - every failed output is counted when it happens: no_port, loop,
 *    no_domain (`normal` with a metadata that names no L2 domain),
 *    too_many_outputs, and for VXLAN outputs vtep_unresolved and too_big
 *    (vxlan.h);
 *    later port_down / tx_full on the output port;
 *  - dec_ttl on a TTL of 1 or 0 counts "ttl_exceeded" and stops the current
 *    action list (OVS sends it to a controller; we have none);
 *  - a packet that was sent nowhere and counted under none of these counts
 *    once: "no_match" when its last lookup missed, else "action_drop".
 *
 * Frames are shared by reference among outputs: rte_vhost copies into the
 * guest's buffers and leaves the mbuf to us, so each output holds a
 * reference (the outputs of the frame in flight share the pipeline's until
 * it ends; then one takes it over and each other gets its own). An edit made after the frame was queued for output must not
 * change what that output sends: the executor copies the frame first (copy
 * on write) when, and only when, someone else holds a reference.
 *
 * Queues (several PMDs, --pmds N; multiqueue ports): receive queue q of a
 * port is polled by PMD (slot + q) % n_pmds and by no other, so a port's
 * queues go round the PMDs (vsw_pmd_of_rxq()). vhost-user ports have the
 * queue pairs their peer enabled (queues=N); ethdev ports (tap, dpdk) are
 * configured with one queue pair per PMD, or as many as the device has if
 * fewer (port_ethdev.h). On transmit, a port with at least as many queue
 * pairs as there are PMDs gives each PMD its own queue (the PMD's index)
 * and takes no lock; a port with fewer is sent to on queue index % n_queues
 * under the port's tx lock. (While a vhost peer changes its number of
 * queues, two PMDs may briefly pick one queue on different paths;
 * vhost-user's own per-virtqueue lock keeps that safe; an ethdev port's
 * count is fixed while it exists.) Every transmit goes through this one
 * path (vsw_pmd_send()): batches, mirror copies, and VXLAN frames, which
 * are queued on the underlay port and so use the underlay's per-PMD queue
 * or its lock like any other output.
 *
 * State the PMDs share, and why several may write it: port, VTEP, mirror
 * and capture counters are relaxed atomic adds; capture rings are
 * multi-producer (tap.h); the MAC table serializes learning, moves and
 * deletions with its own spinlock and refreshes seen times lock-free
 * (mac_table.h); rate limiters of data-path messages are shared by design
 * (ratelimit.h). Everything else a PMD writes is its own (struct vsw_pmd):
 * tx batches, caches, table, domain and pmd-stats counters, the VXLAN IPv4
 * ID (each PMD counts in its own residue class modulo n_pmds, so that two
 * PMDs do not give the same ID at the same time).
 *
 * Rule counters (n_packets, n_bytes, idle age) are added once per rule and
 * burst, at its end, from the PMD's list of the burst's hits.
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
#include "l2_cache.h"
#include "pkt_vxlan.h"

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

struct vsw_vtep_stats;

/* One output of the packet in flight: a reference to `m` for `port`. */
struct vsw_pending {
	struct vsw_port *port;
	struct rte_mbuf *m; /* NULL: an output that failed after all (pmd_vxlan.c) */
	struct vsw_vtep_stats *vtep; /* a VXLAN output: its VTEP's counters (vxlan.h) */
};

/*
 * A VXLAN output's outer headers, made when the packet's pipeline ends
 * (vsw_vxlan_finish()): in the frame's own headroom when no other output
 * holds it, else in a copy. Beside pending[] at the same index.
 */
struct vsw_vxlan_out {
	const struct vsw_vxlan_local *local;
	struct vsw_vxlan_tx tx;
	uint16_t inner_vlan; /* tag the inner frame gets, 0: none */
};

/* What decapsulation learned about a frame, for its key (vxlan.h). */
struct vsw_tun_md {
	uint32_t vni;
	uint32_t src_ip; /* network order */
};

/* Rule hits of the burst in flight, added to the rules once per burst (pmd_pipeline.c). */
#define VSW_HIT_SLOTS 32
struct vsw_rule_hits {
	const struct vsw_ft_rule *rule;
	uint32_t packets;
	uint64_t bytes;
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
	_Atomic uint64_t normal_frames; /* frames the `normal` action switched (or dropped) */
	_Atomic uint64_t normal_cache_hits; /* ... of which its cache answered (l2_cache.h) */
};

/* What pmd-stats reports for one PMD; control thread only. */
struct vsw_pmd_counters {
	uint64_t packets;
	uint64_t lookups; /* table lookups, every table */
	uint64_t matches; /* ... that found a rule */
	uint64_t cache_hits; /* ... found by the exact-match cache */
	uint64_t normal_frames; /* frames `normal` switched */
	uint64_t normal_cache_hits; /* ... answered by its cache */
	uint64_t busy_cycles;
	uint64_t idle_cycles;
};

/* Per domain slot (domain.h), written by the owning PMD only. */
struct vsw_pmd_domain_stats {
	_Atomic uint64_t flooded; /* frames `normal` flooded */
	_Atomic uint64_t unicast; /* frames `normal` sent to one learned place */
};

struct vsw_pmd {
	struct vsw_dp *dp;
	unsigned int lcore;
	unsigned int index; /* RCU thread id, and the rx spreading index */
	struct vsw_ft_cache *cache; /* this PMD's exact-match cache (table.h) */
	struct vsw_l2_cache *l2c; /* this PMD's `normal` cache (l2_cache.h) */
	struct vsw_l2_epoch l2_epoch; /* the state it is valid in: read per burst */
	bool l2c_used; /* the burst ran `normal`: the next one prefetches for it */
	uint16_t n_dirty;
	uint16_t n_pending;
	uint16_t n_hits;
	struct vsw_rule_hits hits[VSW_HIT_SLOTS];
	uint16_t dirty[VSW_MAX_PORTS];
	struct vsw_pending pending[VSW_MAX_PENDING];
	struct vsw_vxlan_out vx_out[VSW_MAX_PENDING]; /* for the VXLAN ones */
	bool vx_pending; /* pending[] has a VXLAN output */
	struct vsw_txbatch tx[VSW_MAX_PORTS]; /* by port slot */
	struct vsw_pmd_table_stats tables[VSW_FT_N_TABLES];
	struct vsw_pmd_stats stats;
	struct vsw_pmd_counters base; /* control thread: the values at the last clear */
	struct vsw_pmd_domain_stats *domains; /* VSW_MAX_DOMAINS, by slot */
	uint16_t vxlan_ip_id; /* IPv4 ID of the next VXLAN frame this PMD sends (+= n_pmds) */
	struct { /* VXLAN frames queued and not yet counted (vsw_vxlan_sent()) */
		struct vsw_vtep_stats *vtep;
		struct vsw_port *x;
		uint64_t packets, bytes;
	} vx_sent;
	/* vsw_dp_now_ms() kept by stepping, without a division per iteration (pmd.c) */
	uint64_t now_ms;
	uint64_t now_ms_tsc; /* the TSC at which now_ms began */
	uint64_t tsc_per_ms;
};

/* The PMD that polls receive queue q of `port` (see the DOC above). */
static inline unsigned int vsw_pmd_of_rxq(const struct vsw_dp *dp, const struct vsw_port *port,
					  uint16_t q)
{
	if (dp->n_pmds == 1)
		return 0; /* no division in the common case */
	return (unsigned int)(port->slot + q) % dp->n_pmds;
}

/*
 * Classify and execute one received burst, n <= VSW_BURST (pmd_pipeline.c).
 * `md`: per frame, the tunnel its key gets (decapsulated frames), or NULL.
 */
void vsw_pmd_process(struct vsw_pmd *pmd, const struct vsw_portset *set,
		     const struct vsw_ft *ft, struct vsw_port *in, struct rte_mbuf **pkts,
		     uint16_t n, uint64_t now_ms, const struct vsw_tun_md *md);

/* Queue `m` for `out`, handing over one reference (pmd_tx.c). */
void vsw_pmd_tx(struct vsw_pmd *pmd, struct vsw_port *out, struct rte_mbuf *m);
/* Transmit every batch filled since the last flush (pmd_tx.c). */
void vsw_pmd_flush(struct vsw_pmd *pmd);
/*
 * Transmit n frames to `port` now, on this PMD's queue or under the port's
 * tx lock (see the DOC above; pmd_tx.c). Counts tx packets and bytes, and
 * what the peer refused as tx_full/port_down; shows the sent frames to the
 * port's taps (its mirrors only when `mirror`). The caller keeps its
 * references. Returns how many the peer took.
 */
uint16_t vsw_pmd_send(struct vsw_pmd *pmd, struct vsw_port *port, struct rte_mbuf **pkts,
		      uint16_t n, bool mirror);

/* Per-table counters summed over all PMDs (control thread; pmd.c). */
void vsw_pmd_table_stats(const struct vsw_dp *dp, uint8_t table, uint64_t *lookups,
			 uint64_t *matches);

/* pmd-stats: the counters since the last clear; clear (control thread; pmd.c). */
void vsw_pmd_counters_read(const struct vsw_pmd *pmd, struct vsw_pmd_counters *c);
void vsw_pmd_counters_clear(struct vsw_pmd *pmd);

/* Per-domain counters summed over all PMDs, and their reset (control thread;
 * reset only a slot no published domain uses). */
void vsw_pmd_domain_stats(const struct vsw_dp *dp, uint16_t slot, uint64_t *flooded,
			  uint64_t *unicast);
void vsw_pmd_domain_stats_clear(struct vsw_dp *dp, uint16_t slot);

/* Add to a counter only this thread writes: no locked instruction needed. */
static inline void vsw_pmd_count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

#endif
