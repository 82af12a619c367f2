/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PMD_H
#define VSW_PMD_H

/*
 * DOC: the packet path, in one place
 *
 *   rx burst (32) from each port this PMD owns
 *     -> vsw_flow_extract()            malformed: drop "malformed"
 *     -> vsw_ft_lookup(table 0)        miss: drop "no_match" (the miss policy)
 *     -> the rule's actions            output / flood / drop
 *     -> per-output-port batches       one tx burst per port per rx burst
 *
 * A packet sent to several ports is not copied: rte_vhost copies into the
 * guest's buffers and leaves the mbuf to us, so each output takes a
 * reference and the batch flush drops them.
 *
 * Receive queues are spread over PMDs by port slot (slot % n_pmds); transmit
 * to a port from several PMDs is serialized by the port's tx lock.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "dp.h"

#define VSW_BURST 32
#define VSW_TX_BATCH 64

struct vsw_txbatch {
	uint16_t n;
	struct vsw_port *port;
	struct rte_mbuf *pkts[VSW_TX_BATCH];
};

struct vsw_pmd {
	struct vsw_dp *dp;
	unsigned int lcore;
	unsigned int index; /* RCU thread id, and the rx spreading index */
	uint16_t n_dirty;
	uint16_t dirty[VSW_MAX_PORTS];
	struct vsw_txbatch tx[VSW_MAX_PORTS]; /* by port slot */
};

/* Classify and execute one received burst (pmd_actions.c). */
void vsw_pmd_process(struct vsw_pmd *pmd, const struct vsw_portset *set,
		     const struct vsw_ft *ft, struct vsw_port *in, struct rte_mbuf **pkts,
		     uint16_t n, uint64_t now_ms);
/* Transmit every batch filled since the last flush. */
void vsw_pmd_flush(struct vsw_pmd *pmd);

#endif
