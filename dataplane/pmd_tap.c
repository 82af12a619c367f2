/* SPDX-License-Identifier: BSD-3-Clause */
/* Captures and mirrors on the packet path (tap.h). PMD threads only. */
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring_elem.h>

#include "pmd.h"
#include "tap.h"

#define CHUNK 64

/* Reference n frames into the capture's ring; what does not fit is a drop. */
static void capture(struct vsw_tap_capture *cap, struct rte_mbuf **pkts, uint16_t n,
		    uint64_t meta)
{
	struct vsw_tap_elem e[CHUNK];
	unsigned int k;

	for (uint16_t i = 0; i < n; i++) {
		rte_mbuf_refcnt_update(pkts[i], 1);
		e[i] = (struct vsw_tap_elem){ .m = pkts[i], .meta = meta };
	}
	k = rte_ring_mp_enqueue_burst_elem(cap->ring, e, sizeof(e[0]), n, NULL);
	if (k)
		atomic_fetch_add_explicit(&cap->packets, k, memory_order_relaxed);
	if (unlikely(k < n)) {
		for (uint16_t i = (uint16_t)k; i < n; i++)
			rte_pktmbuf_free(pkts[i]);
		atomic_fetch_add_explicit(&cap->drops, n - k, memory_order_relaxed);
	}
}

/* Send the frames, by reference, to the mirror's destination. */
static void mirror(struct vsw_pmd *pmd, const struct vsw_tap_mirror *tm, struct rte_mbuf **pkts,
		   uint16_t n)
{
	struct vsw_mirror *mi = tm->mirror;
	uint64_t bytes = 0;
	uint16_t sent;

	for (uint16_t i = 0; i < n; i++)
		rte_mbuf_refcnt_update(pkts[i], 1);
	sent = vsw_pmd_send(pmd, tm->dst, pkts, n, false);
	for (uint16_t i = 0; i < sent; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	if (sent) {
		atomic_fetch_add_explicit(&mi->packets, sent, memory_order_relaxed);
		atomic_fetch_add_explicit(&mi->bytes, bytes, memory_order_relaxed);
	}
	if (sent < n)
		atomic_fetch_add_explicit(&mi->drops, n - sent, memory_order_relaxed);
	rte_pktmbuf_free_bulk(pkts, n); /* our references only */
}

static void tap(struct vsw_pmd *pmd, const struct vsw_taps *t, struct rte_mbuf **pkts,
		uint16_t n, unsigned int out, bool mirrors)
{
	uint64_t meta = rte_get_tsc_cycles() << 1 | out;

	while (n) {
		uint16_t k = n < CHUNK ? n : CHUNK;

		for (unsigned int i = 0; i < t->n_cap[out]; i++)
			capture(t->cap[out][i], pkts, k, meta);
		for (unsigned int i = 0; mirrors && i < t->n_mirrors; i++)
			mirror(pmd, &t->mirrors[i], pkts, k);
		pkts += k;
		n -= k;
	}
}

void vsw_tap_in(struct vsw_pmd *pmd, const struct vsw_taps *t, struct rte_mbuf **pkts,
		uint16_t n)
{
	tap(pmd, t, pkts, n, 0, true);
}

void vsw_tap_out(struct vsw_pmd *pmd, const struct vsw_taps *t, struct rte_mbuf **pkts,
		 uint16_t n, bool mirror)
{
	tap(pmd, t, pkts, n, 1, mirror);
}
