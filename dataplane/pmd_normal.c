/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `normal` action: an L2 learning switch within the domain the packet's
 * metadata names (domain.h; control/TENANTS.md, "The dataplane's L2 domain").
 *
 *  0. the input port must be in the domain: a member, or the VXLAN port
 *     with the domain's VNI and a tun_src that is one of its VTEPs. Anything else is
 *     dropped (no_domain): a rule that sets `metadata` (a user's table-0
 *     rule; a rewritten in_port or tun_src) never reaches a domain the
 *     port is not in;
 *  1. learn (domain, dl_src) -> (in_port, tun_src) unless dl_src is
 *     multicast;
 *  2. dl_dst unicast and learned: send it there, once: to the member port
 *     (with the member's tag) or, behind a VTEP, VXLAN-encapsulated to that
 *     VTEP; nothing when it is where the frame came from;
 *  3. else flood: every member that is up except the input port, and, unless
 *     the frame came from a VXLAN port (split horizon), a copy to each VTEP.
 *
 * Per packet: one domain lookup, one MAC probe for the source and one for
 * the destination, all lock-free; learning takes the MAC table's lock only
 * for a new or moved MAC. The PMD's `normal` cache (l2_cache.h) keeps the
 * decision (2. or 3., with the domain) per flow while the domains, the MAC
 * table and the second stay the same: then a frame costs one probe of it.
 * Outputs go through the executor's pending list (pipeline.h), so a packet
 * dropped as a whole sends none of them.
 */
#include "pipeline.h"

#include <stddef.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "l2_cache.h"

static inline bool multicast(const uint8_t mac[6])
{
	return mac[0] & 1;
}

static bool from_vxlan(const struct vsw_pkt_ctx *c)
{
	return c->in->ops == &vsw_port_vxlan_ops;
}

/*
 * Is the frame's input port in the domain? Asked of the port the frame came
 * in on (c->in), not of the key, which rules may rewrite.
 */
static bool in_domain(const struct vsw_pkt_ctx *c, const struct vsw_domain *d)
{
	if (from_vxlan(c))
		return d->vni && c->key.tun_id == d->vni && c->key.tun_src &&
		       vsw_domain_vtep(d, c->key.tun_src);
	return c->key.in_port == c->in->port_no && c->key.tun_src == 0 &&
	       vsw_domain_member(d, c->in->port_no);
}

/* What learning dl_src did; a multicast source is not learned (VSW_MAC_KNOWN). */
static enum vsw_mac_learned learn(struct vsw_pkt_ctx *c, const struct vsw_domain *d,
				  uint32_t now)
{
	struct vsw_mac_val where = { .port_no = c->key.in_port, .vtep = c->key.tun_src };

	if (unlikely(multicast(c->key.dl_src)))
		return VSW_MAC_KNOWN;
	return vsw_mac_learn(c->pmd->dp->macs, d->slot, c->key.dl_src, where, now, d->aging);
}

/* Output to a member: the frame itself, or a copy carrying the member's tag. */
static void to_member(struct vsw_pkt_ctx *c, const struct vsw_domain_member *m)
{
	struct rte_mbuf *copy;
	uint8_t *p;

	if (likely(!m->vlan)) {
		vsw_actions_output(c, m->port);
		return;
	}
	copy = rte_pktmbuf_copy(c->m, c->pmd->dp->mbufs, 0, UINT32_MAX);
	p = copy && rte_pktmbuf_data_len(copy) >= 2 * VSW_ETH_ALEN ?
		    (uint8_t *)rte_pktmbuf_prepend(copy, VSW_VLAN_HLEN) : NULL;
	if (unlikely(!p)) {
		rte_pktmbuf_free(copy);
		vsw_actions_failed(c, VSW_DROP_NO_MBUF);
		return;
	}
	vsw_pkt_vlan_push(p, VSW_ETH_TYPE_VLAN, m->vlan);
	vsw_actions_output_mbuf(c, m->port, copy);
}

static void flood(struct vsw_pkt_ctx *c, const struct vsw_domain *d)
{
	for (uint16_t i = 0; i < d->n_members; i++) {
		const struct vsw_domain_member *m = &d->members[i];

		if (m->port_no != c->key.in_port && m->port && m->port->ops->is_up(m->port))
			to_member(c, m);
	}
	if (d->n_vteps && d->vni && !from_vxlan(c))
		for (uint16_t i = 0; i < d->n_vteps && !c->fatal; i++)
			vsw_vxlan_output(c, d->vni, d->vteps[i].ip, d->vteps[i].vlan);
}

/*
 * Where dl_dst goes, from the MAC table at `now`: e's verdict and its
 * target. A destination that is not learned, or learned behind a port or
 * VTEP that left the domain just now, is flooded.
 */
static void decide(const struct vsw_pkt_ctx *c, const struct vsw_domain *d, uint32_t now,
		   struct vsw_l2_entry *e)
{
	const struct vsw_domain_member *m;
	const struct vsw_domain_vtep *v;
	struct vsw_mac_val dst;

	e->verdict = VSW_L2_FLOOD;
	if (multicast(c->key.dl_dst) ||
	    !vsw_mac_lookup(c->pmd->dp->macs, d->slot, c->key.dl_dst, now, d->aging, &dst))
		return;
	if (dst.port_no == c->key.in_port) {
		e->verdict = VSW_L2_HERE; /* nothing to send */
	} else if (dst.vtep) {
		v = vsw_domain_vtep(d, dst.vtep);
		if (v && d->vni) {
			e->verdict = VSW_L2_VTEP;
			e->vtep = dst.vtep;
			e->vlan = v->vlan;
		}
	} else {
		m = vsw_domain_member(d, dst.port_no);
		if (m && m->port) {
			e->verdict = VSW_L2_MEMBER;
			e->member = m;
		}
	}
}

/* Carry out a decision (decide(), or the cache's copy of one). */
static void apply(struct vsw_pkt_ctx *c, const struct vsw_l2_entry *e)
{
	struct vsw_pmd_domain_stats *st = &c->pmd->domains[e->domain->slot];

	switch ((enum vsw_l2_verdict)e->verdict) {
	case VSW_L2_MEMBER:
		to_member(c, e->member);
		break;
	case VSW_L2_VTEP:
		vsw_vxlan_output(c, e->domain->vni, e->vtep, e->vlan);
		break;
	case VSW_L2_HERE:
		break;
	default:
		flood(c, e->domain);
		vsw_pmd_count(&st->flooded, 1);
		return;
	}
	vsw_pmd_count(&st->unicast, 1);
}

static const struct vsw_domain *domain_of(const struct vsw_pkt_ctx *c)
{
	return vsw_domset_find(atomic_load_explicit(&c->pmd->dp->domains, memory_order_acquire),
			       c->key.metadata);
}

_Static_assert(offsetof(struct vsw_flow_key, dl_src) == offsetof(struct vsw_flow_key, dl_dst) + 6,
	       "the key's MACs are the 12 bytes a flow starts with");

/* The frame as the cache knows it; false when it cannot be cached. */
static bool l2_flow(const struct vsw_pkt_ctx *c, struct vsw_l2_flow *f)
{
	const uint8_t *macs = (const uint8_t *)&c->key + offsetof(struct vsw_flow_key, dl_dst);

	*f = vsw_l2_flow_make(macs, c->in->port_no | (from_vxlan(c) ? VSW_L2_FROM_VXLAN : 0),
			      c->key.in_port, c->key.tun_src, (uint32_t)c->key.tun_id,
			      (uint32_t)c->key.metadata);
	return c->key.tun_id <= UINT32_MAX && c->key.metadata <= UINT32_MAX;
}

/* The whole of `normal`, keeping the decision in the cache when it will repeat. */
static void switch_frame(struct vsw_pkt_ctx *c, const struct vsw_l2_flow *f, bool cacheable)
{
	struct vsw_pmd *pmd = c->pmd;
	const struct vsw_domain *d = domain_of(c);
	struct vsw_l2_entry e = { .flow = *f };
	enum vsw_mac_learned r;

	if (unlikely(!d || !in_domain(c, d))) {
		vsw_actions_failed(c, VSW_DROP_NO_DOMAIN);
		return;
	}
	r = learn(c, d, pmd->l2_epoch.second);
	if (r == VSW_MAC_NEW || r == VSW_MAC_MOVED) /* our own change: decide after it */
		pmd->l2_epoch.macs = vsw_mac_table_gen(pmd->dp->macs);
	e.epoch = pmd->l2_epoch;
	e.domain = d;
	decide(c, d, e.epoch.second, &e);
	apply(c, &e);
	/* a source that could not be learned is counted again with each frame */
	if (cacheable && r != VSW_MAC_LIMIT && r != VSW_MAC_FULL)
		vsw_l2_cache_insert(pmd->l2c, &e);
}

const struct vsw_l2_entry *vsw_normal_prefetch(const struct vsw_pmd *pmd,
					       const struct vsw_port *in, const uint8_t *frame,
					       const struct vsw_tun_md *md)
{
	struct vsw_l2_flow f = vsw_l2_flow_make(
		frame, in->port_no | (in->ops == &vsw_port_vxlan_ops ? VSW_L2_FROM_VXLAN : 0),
		in->port_no, md ? md->src_ip : 0, md ? md->vni : 0, 0);

	return vsw_l2_cache_prefetch(pmd->l2c, &f);
}

void vsw_normal(struct vsw_pkt_ctx *c)
{
	struct vsw_l2_flow f;
	const struct vsw_l2_entry *e;
	bool cacheable = l2_flow(c, &f);

	c->pmd->l2c_used = true;
	vsw_pmd_count(&c->pmd->stats.normal_frames, 1);
	/* the prefetched set is the flow's unless actions changed what it hashes */
	if (likely(cacheable) &&
	    ((c->l2_set && (e = vsw_l2_set_find(c->l2_set, &f, &c->pmd->l2_epoch))) ||
	     (e = vsw_l2_cache_find(c->pmd->l2c, &f, &c->pmd->l2_epoch)))) {
		vsw_pmd_count(&c->pmd->stats.normal_cache_hits, 1);
		apply(c, e);
		return;
	}
	switch_frame(c, &f, cacheable);
}
