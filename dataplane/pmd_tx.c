/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-output-port batching and transmit (pmd.h). */
#include "pmd.h"

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "log.h"

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
	if (sent < b->n) {
		enum vsw_drop why = port->ops->is_up(port) ? VSW_DROP_TX_FULL : VSW_DROP_PORT_DOWN;

		vsw_port_count_drop(port, why, b->n - sent);
		VSW_LOG_RL(port, DEBUG, "port %s: %u packets dropped: %s", port->name,
			   (unsigned int)(b->n - sent), vsw_drop_names[why]);
	}
	rte_pktmbuf_free_bulk(b->pkts, b->n);
	b->n = 0;
}

void vsw_pmd_flush(struct vsw_pmd *pmd)
{
	for (uint16_t i = 0; i < pmd->n_dirty; i++)
		flush_one(&pmd->tx[pmd->dirty[i]]);
	pmd->n_dirty = 0;
}

void vsw_pmd_tx(struct vsw_pmd *pmd, struct vsw_port *out, struct rte_mbuf *m)
{
	struct vsw_txbatch *b = &pmd->tx[out->slot];

	if (b->n == 0) {
		b->port = out;
		pmd->dirty[pmd->n_dirty++] = out->slot;
	} else if (b->n == VSW_TX_BATCH) {
		flush_one(b); /* stays in the dirty list with n == 0 */
		b->port = out;
	}
	b->pkts[b->n++] = m;
}
