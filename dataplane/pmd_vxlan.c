/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VXLAN data path (vxlan.h): decapsulation and ARP on bursts from the
 * underlay, encapsulation of outputs. The bytes are pkt_vxlan.c's business;
 * this file owns the mbufs and the counters.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "pipeline.h"
#include "vxlan.h"

/* --- receive ------------------------------------------------------------- */

/* Answer an ARP request for local_ip out of the underlay. */
static void arp_reply(struct vsw_pmd *pmd, struct vsw_port *underlay,
		      const struct vsw_vxlan_local *local, const struct rte_mbuf *req)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pmd->dp->mbufs);
	uint8_t *p;

	if (unlikely(!m)) {
		vsw_port_count_drop(underlay, VSW_DROP_NO_MBUF, 1);
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, VSW_ARP_FRAME_LEN);
	if (unlikely(!p)) {
		rte_pktmbuf_free(m);
		vsw_port_count_drop(underlay, VSW_DROP_NO_MBUF, 1);
		return;
	}
	vsw_vxlan_arp_reply(rte_pktmbuf_mtod(req, const uint8_t *), local, p);
	vsw_pmd_tx(pmd, underlay, m);
}

uint16_t vsw_vxlan_rx(struct vsw_pmd *pmd, const struct vsw_portset *set,
		      const struct vsw_ft *ft, struct vsw_port *underlay,
		      struct rte_mbuf **pkts, uint16_t n, uint64_t now_ms)
{
	struct vsw_port *x = set->overlay[underlay->slot];
	const struct vsw_vxlan_local *local = vsw_vxlan_local_of(x);
	struct rte_mbuf *inner[VSW_BURST];
	struct vsw_tun_md md[VSW_BURST];
	uint16_t n_keep = 0, n_inner = 0, n_bad = 0;
	uint64_t taken_bytes = 0; /* frames the underlay's pipeline will not see */

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = rte_pktmbuf_pkt_len(m);
		struct vsw_vxlan_rx rx;
		enum vsw_vxlan_verdict v = VSW_VXLAN_OTHER;

		if (likely(rte_pktmbuf_is_contiguous(m)))
			v = vsw_vxlan_rx_check(rte_pktmbuf_mtod(m, const uint8_t *),
					       rte_pktmbuf_data_len(m), local, &rx);
		if (v == VSW_VXLAN_OTHER) {
			pkts[n_keep++] = m;
			continue;
		}
		taken_bytes += len;
		switch (v) {
		case VSW_VXLAN_DECAP:
			if (unlikely(rte_mbuf_refcnt_read(m) > 1)) {
				/* A capture holds the frame as it came: decapsulate a copy. */
				struct rte_mbuf *copy =
					rte_pktmbuf_copy(m, pmd->dp->mbufs, 0, UINT32_MAX);

				rte_pktmbuf_free(m);
				if (unlikely(!copy)) {
					vsw_port_count_drop(underlay, VSW_DROP_NO_MBUF, 1);
					break;
				}
				m = copy;
			}
			rte_pktmbuf_adj(m, rx.inner_off);
			rte_pktmbuf_trim(m, (uint16_t)(len - rx.inner_off - rx.inner_len));
			md[n_inner] = (struct vsw_tun_md){ .vni = rx.vni, .src_ip = rx.src_ip };
			inner[n_inner++] = m;
			break;
		case VSW_VXLAN_ARP:
			arp_reply(pmd, underlay, local, m);
			rte_pktmbuf_free(m);
			break;
		default:
			n_bad++;
			rte_pktmbuf_free(m);
			break;
		}
	}
	if (n_bad)
		vsw_port_count_drop(underlay, VSW_DROP_VXLAN_MALFORMED, n_bad);
	if (n_keep < n) {
		atomic_fetch_add_explicit(&underlay->stats.rx_packets, n - n_keep,
					  memory_order_relaxed);
		atomic_fetch_add_explicit(&underlay->stats.rx_bytes, taken_bytes,
					  memory_order_relaxed);
	}
	if (n_inner)
		vsw_pmd_process(pmd, set, ft, x, inner, n_inner, now_ms, md);
	return n_keep;
}

/* --- transmit ------------------------------------------------------------ */

/* An output that could not be made: counted now, on the input port (pmd.h). */
static void failed(struct vsw_pkt_ctx *c, enum vsw_drop why, const struct vsw_vtep *vtep)
{
	vsw_port_count_drop(c->in, why, 1);
	c->n_failed++;
	if (vtep) /* several PMDs may count here */
		atomic_fetch_add_explicit(&vtep->stats->drops, 1, memory_order_relaxed);
}

/* The frame copied to `dst`, tagged with `vlan` (802.1Q, PCP 0) when non-zero. */
static void copy_inner(const struct rte_mbuf *src, uint8_t *dst, uint16_t vlan)
{
	uint32_t len = rte_pktmbuf_pkt_len(src), at = vlan ? VSW_VLAN_HLEN : 0;
	const void *p = rte_pktmbuf_read(src, 0, len, dst + at);

	if (p != dst + at)
		memcpy(dst + at, p, len);
	if (vlan)
		vsw_pkt_vlan_push(dst, VSW_ETH_TYPE_VLAN, vlan & VSW_VLAN_VID_MASK);
}

/* The largest inner frame (its tag included) our buffers can encapsulate. */
static uint32_t max_inner(const struct vsw_pmd *pmd)
{
	return rte_pktmbuf_data_room_size(pmd->dp->mbufs) - RTE_PKTMBUF_HEADROOM -
	       VSW_VXLAN_HLEN;
}

void vsw_vxlan_output_port(struct vsw_pkt_ctx *c, struct vsw_port *x, uint32_t vni,
			   uint32_t remote_ip, uint16_t inner_vlan)
{
	const struct vsw_vteps *vteps = atomic_load_explicit(&c->pmd->dp->vteps,
							      memory_order_acquire);
	const struct vsw_vtep *vtep = vsw_vteps_find(vteps, remote_ip);
	struct vsw_port *underlay = x->underlay;
	uint32_t inner_len = rte_pktmbuf_pkt_len(c->m) + (inner_vlan ? VSW_VLAN_HLEN : 0);
	struct vsw_pmd *pmd = c->pmd;
	struct vsw_vxlan_out *o;

	if (unlikely(!vtep || !vtep->resolved)) {
		failed(c, VSW_DROP_VTEP_UNRESOLVED, vtep);
		return;
	}
	if (unlikely(inner_len + VSW_VXLAN_OUTER_IP_OVERHEAD > underlay->mtu ||
		     inner_len > max_inner(pmd))) { /* an MTU larger than our buffers */
		failed(c, VSW_DROP_TOO_BIG, vtep);
		return;
	}
	if (unlikely(pmd->n_pending == VSW_MAX_PENDING)) {
		failed(c, VSW_DROP_TOO_MANY_OUTPUTS, NULL);
		return;
	}
	/* The headers now (the key may change later), the bytes at the end. */
	o = &pmd->vx_out[pmd->n_pending];
	o->local = vsw_vxlan_local_of(x);
	o->inner_vlan = inner_vlan;
	memcpy(o->tx.dst_mac, vtep->mac, sizeof(o->tx.dst_mac));
	o->tx.dst_ip = remote_ip;
	o->tx.vni = vni & VSW_VXLAN_VNI_MAX;
	o->tx.src_port = vsw_vxlan_src_port(&c->key);
	o->tx.ip_id = pmd->vxlan_ip_id;
	pmd->vxlan_ip_id = (uint16_t)(pmd->vxlan_ip_id + pmd->dp->n_pmds); /* pmd.h */
	c->n_shared++; /* it shares c->m until vsw_vxlan_finish() */
	pmd->pending[pmd->n_pending++] =
		(struct vsw_pending){ .port = underlay, .m = c->m, .vtep = vtep->stats };
	pmd->vx_pending = true;
}

/*
 * Encapsulate `m` where it is: the outer headers (and the inner tag) go in
 * its headroom. Only for a frame nobody else holds, in one segment, and
 * without transmit offloads (their header offsets would be the inner ones).
 */
static bool encap_in_place(struct rte_mbuf *m, const struct vsw_vxlan_out *o)
{
	uint16_t tag = o->inner_vlan ? VSW_VLAN_HLEN : 0;
	uint32_t inner_len = rte_pktmbuf_pkt_len(m) + tag;
	uint8_t *h;

	if (rte_mbuf_refcnt_read(m) != 1 || !rte_pktmbuf_is_contiguous(m) ||
	    (m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK) ||
	    rte_pktmbuf_headroom(m) < VSW_VXLAN_HLEN + tag)
		return false;
	if (tag)
		vsw_pkt_vlan_push((uint8_t *)rte_pktmbuf_prepend(m, tag), VSW_ETH_TYPE_VLAN,
				  o->inner_vlan & VSW_VLAN_VID_MASK);
	h = (uint8_t *)rte_pktmbuf_prepend(m, VSW_VXLAN_HLEN);
	vsw_vxlan_encap(h, o->local, &o->tx, inner_len);
	return true;
}

/* The same in a new frame (NULL: no mbuf). */
static struct rte_mbuf *encap_copy(struct vsw_pmd *pmd, const struct rte_mbuf *src,
				   const struct vsw_vxlan_out *o)
{
	uint32_t inner_len = rte_pktmbuf_pkt_len(src) + (o->inner_vlan ? VSW_VLAN_HLEN : 0);
	struct rte_mbuf *m = rte_pktmbuf_alloc(pmd->dp->mbufs);
	uint8_t *p;

	if (unlikely(!m))
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(VSW_VXLAN_HLEN + inner_len));
	if (unlikely(!p)) { /* checked at output: cannot happen */
		rte_pktmbuf_free(m);
		return NULL;
	}
	vsw_vxlan_encap(p, o->local, &o->tx, inner_len);
	copy_inner(src, p + VSW_VXLAN_HLEN, o->inner_vlan);
	return m;
}

void vsw_vxlan_finish(struct vsw_pkt_ctx *c)
{
	struct vsw_pmd *pmd = c->pmd;

	for (uint16_t i = 0; i < pmd->n_pending; i++) {
		struct vsw_pending *p = &pmd->pending[i];
		bool shared = p->m == c->m; /* else it holds a reference of its own */
		struct rte_mbuf *copy;

		if (likely(!p->vtep))
			continue;
		/* The last output on c->m, or an old frame's only holder: in place. */
		if ((!shared || c->n_shared == 1) && encap_in_place(p->m, &pmd->vx_out[i]))
			continue;
		copy = encap_copy(pmd, p->m, &pmd->vx_out[i]);
		if (shared)
			c->n_shared--;
		else
			rte_pktmbuf_free(p->m);
		p->m = copy;
		if (unlikely(!copy))
			failed(c, VSW_DROP_NO_MBUF, NULL);
	}
}

void vsw_vxlan_output(struct vsw_pkt_ctx *c, uint32_t vni, uint32_t remote_ip,
		      uint16_t inner_vlan)
{
	if (unlikely(!c->set->vxlan)) {
		failed(c, VSW_DROP_NO_PORT, NULL);
		return;
	}
	vsw_vxlan_output_port(c, c->set->vxlan, vni, remote_ip, inner_vlan);
}

void vsw_vxlan_sent_flush(struct vsw_pmd *pmd)
{
	struct vsw_port *x = pmd->vx_sent.x;
	uint64_t n = pmd->vx_sent.packets, bytes = pmd->vx_sent.bytes;

	if (!n)
		return;
	atomic_fetch_add_explicit(&pmd->vx_sent.vtep->tx_packets, n, memory_order_relaxed);
	atomic_fetch_add_explicit(&pmd->vx_sent.vtep->tx_bytes, bytes, memory_order_relaxed);
	atomic_fetch_add_explicit(&x->stats.tx_packets, n, memory_order_relaxed);
	atomic_fetch_add_explicit(&x->stats.tx_bytes, bytes - n * VSW_VXLAN_HLEN,
				  memory_order_relaxed);
	pmd->vx_sent.packets = pmd->vx_sent.bytes = 0;
}

void vsw_vxlan_sent(struct vsw_pmd *pmd, struct vsw_port *x, const struct vsw_pending *p)
{
	if (pmd->vx_sent.vtep != p->vtep || pmd->vx_sent.x != x) {
		vsw_vxlan_sent_flush(pmd);
		pmd->vx_sent.vtep = p->vtep;
		pmd->vx_sent.x = x;
	}
	pmd->vx_sent.packets++;
	pmd->vx_sent.bytes += rte_pktmbuf_pkt_len(p->m);
}
