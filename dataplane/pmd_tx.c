/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-output-port batching and transmit (pmd.h). */
#include "pmd.h"

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "log.h"

/* A queue of its own when the port has one per PMD, else a shared one, locked. */
static uint16_t send(const struct vsw_pmd *pmd, struct vsw_port *port, struct rte_mbuf **pkts,
		     uint16_t n)
{
	uint16_t nq = vsw_port_n_queues(port), sent;

	if (nq >= pmd->dp->n_pmds)
		return port->ops->tx_burst(port, (uint16_t)pmd->index, pkts, n);
	rte_spinlock_lock(&port->tx_lock);
	sent = port->ops->tx_burst(port, (uint16_t)(pmd->index % nq), pkts, n);
	rte_spinlock_unlock(&port->tx_lock);
	return sent;
}

uint16_t vsw_pmd_send(struct vsw_pmd *pmd, struct vsw_port *port, struct rte_mbuf **pkts,
		      uint16_t n, bool mirror)
{
	uint16_t sent = 0;

	if (likely(port->ops->is_up(port)))
		sent = send(pmd, port, pkts, n);
	if (sent) {
		const struct vsw_taps *taps = vsw_port_taps(port);
		uint64_t bytes = 0;

		for (uint16_t i = 0; i < sent; i++)
			bytes += rte_pktmbuf_pkt_len(pkts[i]);
		atomic_fetch_add_explicit(&port->stats.tx_packets, sent, memory_order_relaxed);
		atomic_fetch_add_explicit(&port->stats.tx_bytes, bytes, memory_order_relaxed);
		if (unlikely(taps != NULL))
			vsw_tap_out(pmd, taps, pkts, sent, mirror);
	}
	if (sent < n) {
		enum vsw_drop why = port->ops->is_up(port) ? VSW_DROP_TX_FULL : VSW_DROP_PORT_DOWN;

		vsw_port_count_drop(port, why, n - sent);
		VSW_LOG_RL(port, DEBUG, "port %s: %u packets dropped: %s", port->name,
			   (unsigned int)(n - sent), vsw_drop_names[why]);
	}
	return sent;
}

static void flush_one(struct vsw_pmd *pmd, struct vsw_txbatch *b)
{
	if (b->n == 0)
		return;
	vsw_pmd_send(pmd, b->port, b->pkts, b->n, true);
	rte_pktmbuf_free_bulk(b->pkts, b->n);
	b->n = 0;
}

void vsw_pmd_flush(struct vsw_pmd *pmd)
{
	for (uint16_t i = 0; i < pmd->n_dirty; i++)
		flush_one(pmd, &pmd->tx[pmd->dirty[i]]);
	pmd->n_dirty = 0;
}

/* vsw_pmd_tx() for the first frame of a batch, or a full one. */
static __attribute__((noinline)) void tx_start(struct vsw_pmd *pmd, struct vsw_port *out,
					       struct rte_mbuf *m)
{
	struct vsw_txbatch *b = &pmd->tx[out->slot];

	if (b->n == 0) {
		b->port = out;
		pmd->dirty[pmd->n_dirty++] = out->slot;
	} else {
		flush_one(pmd, b); /* stays in the dirty list with n == 0 */
		b->port = out;
	}
	b->pkts[b->n++] = m;
}

void vsw_pmd_tx(struct vsw_pmd *pmd, struct vsw_port *out, struct rte_mbuf *m)
{
	struct vsw_txbatch *b = &pmd->tx[out->slot];

	if (unlikely(b->n == 0 || b->n == VSW_TX_BATCH)) {
		tx_start(pmd, out, m); /* a tail call: this stays a leaf */
		return;
	}
	b->pkts[b->n++] = m;
}
