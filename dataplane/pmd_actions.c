/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Action execution for the packet in flight (pmd.h, pipeline.h): outputs,
 * VLAN tags, header edits with copy on write, dec_ttl, resubmit and
 * goto_table. The bytes are pkt_edit.c's business; this file owns the mbuf.
 */
#include "pipeline.h"

#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

/* --- the frame ----------------------------------------------------------- */

static uint8_t *frame(const struct vsw_pkt_ctx *c)
{
	return rte_pktmbuf_mtod(c->m, uint8_t *);
}

/* Edits see the first segment only (frames are contiguous unless a copy grew). */
static uint32_t frame_len(const struct vsw_pkt_ctx *c)
{
	return rte_pktmbuf_data_len(c->m);
}

static const struct vsw_pkt_layout *layout(struct vsw_pkt_ctx *c)
{
	if (!c->lay_ok) {
		vsw_pkt_parse(frame(c), frame_len(c), &c->lay);
		c->lay_ok = true;
	}
	return &c->lay;
}

/*
 * Make the frame ours to write: copy it when an output already holds a
 * reference (or when a push needs headroom it does not have). The layout
 * stays valid: a copy has the same bytes at the same offsets.
 */
static bool writable(struct vsw_pkt_ctx *c, uint16_t headroom)
{
	struct rte_mbuf *copy;

	if (likely(!c->n_shared && rte_mbuf_refcnt_read(c->m) == 1 &&
		   rte_pktmbuf_headroom(c->m) >= headroom))
		return true;
	copy = rte_pktmbuf_copy(c->m, c->pmd->dp->mbufs, 0, UINT32_MAX);
	if (unlikely(!copy || rte_pktmbuf_headroom(copy) < headroom)) {
		rte_pktmbuf_free(copy);
		vsw_pipeline_fail(c, VSW_DROP_NO_MBUF);
		return false;
	}
	/* Our reference goes to the queued outputs of the old frame, if any. */
	if (c->n_shared)
		rte_mbuf_refcnt_update(c->m, (int16_t)(c->n_shared - 1));
	else
		rte_pktmbuf_free(c->m);
	c->n_shared = 0;
	c->m = copy;
	return true;
}

/* The frame's VLAN tags changed: extract the key again, keeping the metadata. */
static void reextract(struct vsw_pkt_ctx *c)
{
	struct vsw_flow_key k;

	c->lay_ok = false;
	if (vsw_flow_extract(frame(c), frame_len(c), c->key.in_port, &k))
		return; /* cannot happen: the frame still has its Ethernet header */
	k.tun_id = c->key.tun_id;
	k.tun_src = c->key.tun_src;
	k.tun_dst = c->key.tun_dst;
	k.metadata = c->key.metadata;
	memcpy(k.regs, c->key.regs, sizeof(k.regs));
	c->key = k;
}

/* --- outputs ------------------------------------------------------------- */

/* An output or action that could not be done: counted now, on the input port. */
static void failed(struct vsw_pkt_ctx *c, enum vsw_drop why)
{
	vsw_port_count_drop(c->in, why, 1);
	c->n_failed++;
}

static void output(struct vsw_pkt_ctx *c, struct vsw_port *out)
{
	struct vsw_pmd *pmd = c->pmd;

	if (unlikely(out->underlay)) { /* a VXLAN port: toward tun_dst, as OVS */
		vsw_vxlan_output_port(c, out, (uint32_t)c->key.tun_id, c->key.tun_dst, 0);
		return;
	}

	if (unlikely(pmd->n_pending == VSW_MAX_PENDING)) {
		failed(c, VSW_DROP_TOO_MANY_OUTPUTS);
		return;
	}
	c->n_shared++; /* a reference of its own in finish() */
	pmd->pending[pmd->n_pending++] = (struct vsw_pending){ .port = out, .m = c->m };
}

void vsw_actions_output(struct vsw_pkt_ctx *c, struct vsw_port *out)
{
	output(c, out);
}

void vsw_actions_output_mbuf(struct vsw_pkt_ctx *c, struct vsw_port *out, struct rte_mbuf *m)
{
	struct vsw_pmd *pmd = c->pmd;

	if (unlikely(pmd->n_pending == VSW_MAX_PENDING)) {
		rte_pktmbuf_free(m);
		failed(c, VSW_DROP_TOO_MANY_OUTPUTS);
		return;
	}
	pmd->pending[pmd->n_pending++] = (struct vsw_pending){ .port = out, .m = m };
}

void vsw_actions_failed(struct vsw_pkt_ctx *c, enum vsw_drop why)
{
	failed(c, why);
}

/* The port the key says the packet came from (set_field may have changed it). */
static struct vsw_port *key_in_port(const struct vsw_pkt_ctx *c)
{
	if (likely(c->key.in_port == c->in->port_no))
		return c->in;
	return vsw_portset_by_no(c->set, c->key.in_port);
}

/*
 * FLOOD/ALL reach the ports whose pipeline starts in the same table as the
 * input port's: a user rule in table 0 never floods into ports that a tenant
 * pipeline owns (they start at table 250), whatever it matches.
 */
static void flood(struct vsw_pkt_ctx *c)
{
	uint8_t table = atomic_load_explicit(&c->in->table, memory_order_relaxed);

	for (uint16_t p = 0; p < c->set->n; p++) {
		struct vsw_port *out = c->set->list[p];

		if (out->port_no != c->key.in_port && out->ops->is_up(out) &&
		    atomic_load_explicit(&out->table, memory_order_relaxed) == table &&
		    (!out->underlay || c->key.tun_dst)) /* VXLAN: only with a tun_dst */
			output(c, out);
	}
}

/* As OVS: output to the (key's) input port needs IN_PORT; otherwise it is a loop. */
static void output_port(struct vsw_pkt_ctx *c, uint32_t port_no)
{
	struct vsw_port *out;

	if (port_no == VSW_PORT_FLOOD) {
		flood(c);
		return;
	}
	if (port_no == VSW_PORT_IN_PORT) {
		out = key_in_port(c);
	} else if (port_no == c->key.in_port) {
		failed(c, VSW_DROP_LOOP);
		return;
	} else {
		out = vsw_portset_by_no(c->set, port_no);
	}
	if (!out)
		failed(c, VSW_DROP_NO_PORT);
	else if (unlikely(atomic_load_explicit(&out->table, memory_order_relaxed) !=
			  atomic_load_explicit(&c->in->table, memory_order_relaxed)))
		failed(c, VSW_DROP_ISOLATION); /* see flood(): never into another pipeline */
	else
		output(c, out);
}

/* --- VLAN ---------------------------------------------------------------- */

static void push_tag(struct vsw_pkt_ctx *c, uint16_t tpid, uint16_t wire_tci)
{
	uint8_t *p;

	if (!writable(c, VSW_VLAN_HLEN))
		return;
	p = (uint8_t *)rte_pktmbuf_prepend(c->m, VSW_VLAN_HLEN);
	if (unlikely(!p)) {
		vsw_pipeline_fail(c, VSW_DROP_NO_MBUF);
		return;
	}
	vsw_pkt_vlan_push(p, tpid, wire_tci);
	reextract(c);
}

static void pop_tag(struct vsw_pkt_ctx *c)
{
	if (!vsw_pkt_vlan_tagged(frame(c), frame_len(c)) || !writable(c, 0))
		return;
	vsw_pkt_vlan_pop(frame(c));
	rte_pktmbuf_adj(c->m, VSW_VLAN_HLEN);
	reextract(c);
}

/* SET_FIELD on vlan_vid/pcp/tci: tag, retag or untag the frame to match. */
static void set_vlan(struct vsw_pkt_ctx *c, const struct vsw_action *a)
{
	uint16_t tci = vsw_pkt_vlan_tci_after(c->key.vlan_tci, a);
	uint16_t wire = tci & (uint16_t)~VSW_VLAN_CFI;
	bool tagged = vsw_pkt_vlan_tagged(frame(c), frame_len(c));

	if (!(tci & VSW_VLAN_CFI)) {
		if (tagged)
			pop_tag(c);
		else
			c->key.vlan_tci = 0;
	} else if (!tagged) {
		push_tag(c, VSW_ETH_TYPE_VLAN, wire);
	} else if (tci != c->key.vlan_tci && writable(c, 0)) {
		vsw_pkt_vlan_set_tci(frame(c), wire);
		c->key.vlan_tci = tci;
	}
}

/* --- header edits -------------------------------------------------------- */

/*
 * `metadata`: every admission rule of a tenant sets it (the domain id), so
 * it is written here, in one word, without the general path's field-table
 * lookups. The action's value and mask bytes are in the key's byte order.
 */
static inline void set_metadata(struct vsw_pkt_ctx *c, const struct vsw_action *a)
{
	uint64_t v, m;

	memcpy(&v, a->value, sizeof(v));
	memcpy(&m, a->mask, sizeof(m));
	c->key.metadata = (c->key.metadata & ~m) | (v & m);
}

static void set_field(struct vsw_pkt_ctx *c, const struct vsw_action *a)
{
	if (a->field == VSW_F_METADATA) {
		set_metadata(c, a);
		return;
	}
	if (vsw_pkt_field_is_vlan(a->field)) {
		set_vlan(c, a);
		return;
	}
	if (!vsw_pkt_key_set_field(&c->key, a))
		return; /* OVS: a field is set only if the packet has it */
	if (vsw_pkt_field_is_meta(a->field) || !vsw_pkt_has_field(layout(c), a->field))
		return; /* key only, or a truncated header: the frame stays as it is */
	if (writable(c, 0))
		vsw_pkt_set_field(frame(c), &c->lay, a);
}

/* False when the TTL ran out: the rest of this action list is skipped (OVS). */
static bool dec_ttl(struct vsw_pkt_ctx *c)
{
	const struct vsw_pkt_layout *lay;

	if (c->key.dl_type != VSW_ETH_TYPE_IPV4 && c->key.dl_type != VSW_ETH_TYPE_IPV6)
		return true;
	if (c->key.nw_ttl <= 1) {
		failed(c, VSW_DROP_TTL_EXCEEDED);
		return false;
	}
	c->key.nw_ttl--;
	lay = layout(c);
	if ((lay->l3_type == VSW_ETH_TYPE_IPV4 || lay->l3_type == VSW_ETH_TYPE_IPV6) &&
	    writable(c, 0))
		vsw_pkt_dec_ttl(frame(c), &c->lay);
	return true;
}

/* --- the action list ----------------------------------------------------- */

void vsw_actions_run(struct vsw_pkt_ctx *c, const struct vsw_actions *acts, uint8_t table)
{
	for (uint8_t i = 0; i < acts->n && !c->fatal; i++) {
		const struct vsw_action *a = &acts->a[i];

		switch ((enum vsw_action_type)a->type) {
		case VSW_ACT_OUTPUT:
			output_port(c, a->arg);
			break;
		case VSW_ACT_FLOOD:
			flood(c);
			break;
		case VSW_ACT_DROP:
			return;
		case VSW_ACT_NORMAL:
			vsw_normal(c);
			break;
		case VSW_ACT_PUSH_VLAN:
			push_tag(c, (uint16_t)a->arg, 0);
			break;
		case VSW_ACT_STRIP_VLAN:
			pop_tag(c);
			break;
		case VSW_ACT_SET_FIELD:
			set_field(c, a);
			break;
		case VSW_ACT_DEC_TTL:
			if (!dec_ttl(c))
				return;
			break;
		case VSW_ACT_RESUBMIT:
			/* resubmit(,) without a table means this one, as in OVS */
			vsw_pipeline_table(c, a->arg < VSW_FT_N_TABLES ? a->arg : table, false);
			break;
		case VSW_ACT_GOTO_TABLE:
			vsw_pipeline_table(c, a->arg, true);
			return;
		case VSW_ACT_NOTE:
			break;
		default:
			break;
		}
	}
}
