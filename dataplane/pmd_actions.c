/* SPDX-License-Identifier: BSD-3-Clause */
/* Classification, action execution and output batching (pmd.h). */
#include "pmd.h"

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

static void flush_one(struct vsw_txbatch *b)
{
	struct vsw_port *port = b->port;
	uint16_t sent = 0;

	if (b->n == 0)
		return;
	if (likely(port->ops->is_up(port))) {
		rte_spinlock_lock(&port->tx_lock);
		sent = port->ops->tx_burst(port, 0, b->pkts, b->n);
		rte_spinlock_unlock(&port->tx_lock);
	}
	if (sent) {
		uint64_t bytes = 0;
		for (uint16_t i = 0; i < sent; i++)
			bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
		atomic_fetch_add_explicit(&port->stats.tx_packets, sent, memory_order_relaxed);
		atomic_fetch_add_explicit(&port->stats.tx_bytes, bytes, memory_order_relaxed);
	}
	if (sent < b->n)
		vsw_port_count_drop(port, port->ops->is_up(port) ? VSW_DROP_TX_FULL :
				    VSW_DROP_PORT_DOWN, b->n - sent);
	rte_pktmbuf_free_bulk(b->pkts, b->n);
	b->n = 0;
}

void vsw_pmd_flush(struct vsw_pmd *pmd)
{
	for (uint16_t i = 0; i < pmd->n_dirty; i++)
		flush_one(&pmd->tx[pmd->dirty[i]]);
	pmd->n_dirty = 0;
}

/* Queue one reference to `m` for `out`. */
static void output(struct vsw_pmd *pmd, struct vsw_port *out, struct rte_mbuf *m)
{
	struct vsw_txbatch *b = &pmd->tx[out->slot];

	if (b->n == 0) {
		b->port = out;
		pmd->dirty[pmd->n_dirty++] = out->slot;
	} else if (b->n == VSW_TX_BATCH) {
		flush_one(b); /* stays in the dirty list with n == 0 */
		b->port = out;
	}
	rte_mbuf_refcnt_update(m, 1);
	b->pkts[b->n++] = m;
}

static void execute(struct vsw_pmd *pmd, const struct vsw_portset *set,
		    struct vsw_port *in, const struct vsw_actions *acts, struct rte_mbuf *m)
{
	if (acts->n == 0) {
		vsw_port_count_drop(in, VSW_DROP_ACTION_DROP, 1);
		return;
	}
	for (uint8_t i = 0; i < acts->n; i++) {
		const struct vsw_action *a = &acts->a[i];
		struct vsw_port *out;

		switch (a->type) {
		case VSW_ACT_OUTPUT:
			if (a->arg == VSW_PORT_IN_PORT) {
				output(pmd, in, m);
				break;
			}
			out = vsw_portset_by_no(set, a->arg);
			if (!out)
				vsw_port_count_drop(in, VSW_DROP_NO_PORT, 1);
			else if (out == in)
				vsw_port_count_drop(in, VSW_DROP_LOOP, 1);
			else
				output(pmd, out, m);
			break;
		case VSW_ACT_FLOOD:
			for (uint16_t p = 0; p < set->n; p++) {
				out = set->list[p];
				if (out != in && out->ops->is_up(out))
					output(pmd, out, m);
			}
			break;
		default:
			vsw_port_count_drop(in, VSW_DROP_ACTION_DROP, 1);
			break;
		}
	}
}

void vsw_pmd_process(struct vsw_pmd *pmd, const struct vsw_portset *set,
		     const struct vsw_ft *ft, struct vsw_port *in, struct rte_mbuf **pkts,
		     uint16_t n, uint64_t now_ms)
{
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = rte_pktmbuf_pkt_len(m);
		struct vsw_flow_key key;
		const struct vsw_ft_rule *rule;

		bytes += len;
		/* vhost gives linear buffers for frames up to the mbuf size. */
		if (unlikely(!rte_pktmbuf_is_contiguous(m)) ||
		    vsw_flow_extract(rte_pktmbuf_mtod(m, const void *), len, in->port_no, &key)) {
			vsw_port_count_drop(in, VSW_DROP_MALFORMED, 1);
		} else if (!(rule = vsw_ft_lookup(ft, 0, &key))) {
			vsw_port_count_drop(in, VSW_DROP_NO_MATCH, 1);
		} else {
			vsw_ft_rule_hit(rule, 1, len, now_ms);
			execute(pmd, set, in, vsw_ft_rule_actions(rule), m);
		}
		rte_pktmbuf_free(m); /* our reference; outputs hold their own */
	}
	atomic_fetch_add_explicit(&in->stats.rx_packets, n, memory_order_relaxed);
	atomic_fetch_add_explicit(&in->stats.rx_bytes, bytes, memory_order_relaxed);
}
