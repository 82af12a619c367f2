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
 * for a new or moved MAC. Outputs go through the executor's pending list
 * (pipeline.h), so a packet dropped as a whole sends none of them.
 */
#include "pipeline.h"


#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

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

static void learn(struct vsw_pkt_ctx *c, const struct vsw_domain *d, uint32_t now)
{
	struct vsw_mac_val where = { .port_no = c->key.in_port, .vtep = c->key.tun_src };

	if (unlikely(multicast(c->key.dl_src)))
		return;
	vsw_mac_learn(c->pmd->dp->macs, d->slot, c->key.dl_src, where, now, d->aging);
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

/* Send to where dl_dst was learned; false when it must be flooded instead. */
static bool unicast(struct vsw_pkt_ctx *c, const struct vsw_domain *d, struct vsw_mac_val dst)
{
	const struct vsw_domain_member *m;
	const struct vsw_domain_vtep *v;

	if (dst.port_no == c->key.in_port)
		return true; /* it is where the frame came from: nothing to send */
	if (dst.vtep) {
		v = vsw_domain_vtep(d, dst.vtep);
		if (!v || !d->vni)
			return false; /* a VTEP that left the domain just now */
		vsw_vxlan_output(c, d->vni, dst.vtep, v->vlan);
		return true;
	}
	m = vsw_domain_member(d, dst.port_no);
	if (!m || !m->port)
		return false; /* a port that left the domain just now */
	to_member(c, m);
	return true;
}

static const struct vsw_domain *domain_of(const struct vsw_pkt_ctx *c)
{
	return vsw_domset_find(atomic_load_explicit(&c->pmd->dp->domains, memory_order_acquire),
			       c->key.metadata);
}

void vsw_normal(struct vsw_pkt_ctx *c)
{
	const struct vsw_domain *d = domain_of(c);
	uint32_t now = vsw_dp_seconds(c->now_ms);
	struct vsw_pmd_domain_stats *st;
	struct vsw_mac_val dst;

	if (unlikely(!d || !in_domain(c, d))) {
		vsw_actions_failed(c, VSW_DROP_NO_DOMAIN);
		return;
	}
	st = &c->pmd->domains[d->slot];
	learn(c, d, now);
	if (!multicast(c->key.dl_dst) &&
	    vsw_mac_lookup(c->pmd->dp->macs, d->slot, c->key.dl_dst, now, d->aging, &dst) &&
	    unicast(c, d, dst)) {
		vsw_pmd_count(&st->unicast, 1);
		return;
	}
	flood(c, d);
	vsw_pmd_count(&st->flooded, 1);
}
