/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PIPELINE_H
#define VSW_PIPELINE_H

/*
 * The packet in flight through the tables: private to the PMD files
 * (pmd_pipeline.c runs tables, pmd_actions.c runs actions; each calls the
 * other for goto_table and resubmit). See pmd.h for the semantics. One
 * context per packet, on the PMD's stack; nothing here is shared.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "l2_cache.h"
#include "pkt_edit.h"
#include "pmd.h"

struct vsw_pkt_ctx {
	struct vsw_pmd *pmd;
	const struct vsw_portset *set;
	const struct vsw_ft *ft;
	struct vsw_port *in;
	uint64_t now_ms;
	struct rte_mbuf *m; /* our reference; replaced by a private copy on write */
	uint16_t n_shared; /* queued outputs of `m` that share our reference (finish()) */
	struct vsw_pkt_layout lay; /* valid when lay_ok */
	bool lay_ok;
	bool fatal; /* drop the packet and all its outputs, counted as `verdict` */
	uint8_t depth; /* tables nested right now */
	bool defer; /* a goto_table from the top level may wait for a wave */
	uint8_t chain; /* goto_tables deferred to a later wave (count as depth) */
	uint16_t goto_next; /* 1 + the table a deferred goto_table continues in; 0: none */
	uint16_t n_lookups;
	uint16_t n_failed; /* outputs or actions that failed and were counted */
	uint8_t verdict; /* enum vsw_drop: why it went nowhere; VSW_DROP_N: none */
	const struct vsw_l2_entry *l2_set; /* `normal`'s set, prefetched: a hint, or NULL */
	/* Last: a new context zeroes what comes before, vsw_flow_extract() writes it. */
	struct vsw_flow_key key; /* what lookups see, edits included */
};

/*
 * Look up `table` and run the matching rule's actions. `honor_miss`: apply
 * the table's miss policy (table 0, goto_table) or just return (resubmit).
 */
void vsw_pipeline_table(struct vsw_pkt_ctx *c, uint32_t table, bool honor_miss);

/* Run one rule's actions; `table` is the rule's table. */
void vsw_actions_run(struct vsw_pkt_ctx *c, const struct vsw_actions *acts, uint8_t table);

/*
 * For actions implemented in other files (pmd_actions.c): queue the current
 * frame for `out` (the outputs of c->m share our reference until the
 * pipeline ends, and then get one each: no reference count to touch for a
 * frame with one output); queue `m` (a frame of our own, whose one
 * reference is handed over) for `out`; count a failed output or action on
 * the input port.
 */
void vsw_actions_output(struct vsw_pkt_ctx *c, struct vsw_port *out);
void vsw_actions_output_mbuf(struct vsw_pkt_ctx *c, struct vsw_port *out, struct rte_mbuf *m);
void vsw_actions_failed(struct vsw_pkt_ctx *c, enum vsw_drop why);

/* The `normal` action: L2 switching in the domain `metadata` names (pmd_normal.c). */
void vsw_normal(struct vsw_pkt_ctx *c);
/*
 * Start loading what `normal` will look at for a frame just received on
 * `in` (its set in the PMD's `normal` cache, whatever its domain), while
 * the burst goes through its first lookups; returns the set, for
 * c->l2_set. `frame`: its first 12 bytes (read there, not in the key just
 * written: no store to forward); `md`: its tunnel, or NULL.
 */
const struct vsw_l2_entry *vsw_normal_prefetch(const struct vsw_pmd *pmd,
					       const struct vsw_port *in, const uint8_t *frame,
					       const struct vsw_tun_md *md);

/*
 * VXLAN-encapsulate a copy of the frame toward `remote_ip` (network order)
 * with `vni`, pushing an inner 802.1Q tag `inner_vlan` when non-zero, and
 * queue it on the VXLAN port's underlay (pmd_vxlan.c; vxlan.h has the
 * rules and the drops). For `normal` and for output to the VXLAN port.
 */
void vsw_vxlan_output(struct vsw_pkt_ctx *c, uint32_t vni, uint32_t remote_ip,
		      uint16_t inner_vlan);
/* The same through a given VXLAN port `x` (output:, FLOOD, IN_PORT to it). */
void vsw_vxlan_output_port(struct vsw_pkt_ctx *c, struct vsw_port *x, uint32_t vni,
			   uint32_t remote_ip, uint16_t inner_vlan);
/*
 * A VXLAN output goes to the tx batches: count it on its VTEP and on `x`.
 * The counts are added up per run of frames to one VTEP and added to the
 * shared counters by vsw_vxlan_sent_flush() (once per burst: each is an
 * atomic add that several PMDs may make).
 */
void vsw_vxlan_sent(struct vsw_pmd *pmd, struct vsw_port *x, const struct vsw_pending *p);
/* The pipeline of `c` is done: encapsulate its queued VXLAN outputs. */
void vsw_vxlan_finish(struct vsw_pkt_ctx *c);
void vsw_vxlan_sent_flush(struct vsw_pmd *pmd);

/* Drop the packet as a whole (and every output it made), counted as `why`. */
static inline void vsw_pipeline_fail(struct vsw_pkt_ctx *c, enum vsw_drop why)
{
	c->fatal = true;
	c->verdict = (uint8_t)why;
}

#endif
