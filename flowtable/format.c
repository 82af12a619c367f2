/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text forms of matches and whole rules: see flow.h (actions: format_actions.c).
 *
 * A match prints the way `ovs-ofctl dump-flows` prints it (Open vSwitch's
 * match_format()): the protocol shorthand (`tcp`, `arp`, `ipv6`, ...) instead
 * of dl_type and nw_proto, then registers, tunnel id and endpoints (tun_src,
 * tun_dst), metadata, in_port, VLAN, Ethernet addresses, L3 addresses
 * (`arp_spa` for ARP), nw_proto or arp_op, nw_tos, nw_ecn, nw_ttl and the L4
 * fields (`icmp_type` for ICMP). Masks
 * print as CIDR prefixes where they are prefixes. Whatever a valid spec
 * prints, vsw_flow_parse() reads back to the same spec. Matches the parser
 * cannot produce print as near as the syntax allows.
 */
#include "text.h"

#include <stdio.h>
#include <string.h>

#define ETH_IP 0x0800
#define ETH_IPV6 0x86dd
#define ETH_ARP 0x0806

/* As Open vSwitch's %#x: "0" for zero, else 0x-prefixed hex. */
static void put_hex(struct vsw_out *o, uint64_t v)
{
	if (v)
		vsw_put(o, "0x%llx", (unsigned long long)v);
	else
		vsw_put(o, "0");
}

static void put_hex_masked(struct vsw_out *o, const char *name, uint64_t v, uint64_t m,
			   uint64_t all)
{
	if (!m)
		return;
	vsw_item(o);
	vsw_put(o, "%s=", name);
	put_hex(o, v & m);
	if (m != all) {
		vsw_put(o, "/");
		put_hex(o, m);
	}
}

/* Decimal when exact, 0xV/0xM otherwise (Open vSwitch's format_be16_masked). */
static void put_dec_masked(struct vsw_out *o, const char *name, unsigned v, unsigned m,
			   unsigned all)
{
	if (!m)
		return;
	vsw_item(o);
	if (m == all)
		vsw_put(o, "%s=%u", name, v & m);
	else
		vsw_put(o, "%s=0x%x/0x%x", name, v & m, m);
}

static void put_mac_field(struct vsw_out *o, const char *name, const uint8_t *key,
			  const uint8_t *mask)
{
	uint8_t k[VSW_ETH_ALEN];

	if (vsw_all_bytes(mask, VSW_ETH_ALEN, 0))
		return;
	for (int i = 0; i < VSW_ETH_ALEN; i++)
		k[i] = key[i] & mask[i];
	vsw_item(o);
	vsw_put(o, "%s=", name);
	vsw_put_mac(o, k);
	if (!vsw_all_bytes(mask, VSW_ETH_ALEN, 0xff)) {
		vsw_put(o, "/");
		vsw_put_mac(o, mask);
	}
}

static void put_ipv4_field(struct vsw_out *o, const char *name, uint32_t key, uint32_t mask)
{
	if (!mask)
		return;
	vsw_item(o);
	vsw_put(o, "%s=", name);
	vsw_put_ipv4_masked(o, key & mask, mask);
}

/* An IPv4 address the key holds in network order (tun_src, tun_dst). */
static void put_wire_ipv4_field(struct vsw_out *o, const char *name, const uint32_t *key,
				const uint32_t *mask)
{
	const uint8_t *k = (const uint8_t *)key, *m = (const uint8_t *)mask;
	uint32_t kv = 0, mv = 0;

	for (int i = 0; i < 4; i++) {
		kv = kv << 8 | k[i];
		mv = mv << 8 | m[i];
	}
	put_ipv4_field(o, name, kv, mv);
}

static void put_ipv6_field(struct vsw_out *o, const char *name, const uint8_t *key,
			   const uint8_t *mask)
{
	uint8_t k[16];

	if (vsw_all_bytes(mask, 16, 0))
		return;
	for (int i = 0; i < 16; i++)
		k[i] = key[i] & mask[i];
	vsw_item(o);
	vsw_put(o, "%s=", name);
	vsw_put_ipv6_masked(o, k, mask);
}

/* Open vSwitch's VLAN rules: dl_vlan/dl_vlan_pcp when they say it all. */
static void put_vlan(struct vsw_out *o, uint16_t key, uint16_t mask)
{
	uint16_t vid = mask & VSW_VLAN_VID_MASK, pcp = mask & 0xe000;

	key &= mask;
	if (!mask)
		return;
	vsw_item(o);
	if ((mask & VSW_VLAN_CFI) && (key & VSW_VLAN_CFI) && (!vid || vid == VSW_VLAN_VID_MASK) &&
	    (!pcp || pcp == 0xe000) && (vid || pcp)) {
		if (vid)
			vsw_put(o, "dl_vlan=%u", (unsigned)(key & VSW_VLAN_VID_MASK));
		if (vid && pcp)
			vsw_put(o, ",");
		if (pcp)
			vsw_put(o, "dl_vlan_pcp=%u", (unsigned)(key >> 13));
	} else if (mask == 0xffff) {
		vsw_put(o, "vlan_tci=0x%04x", (unsigned)key);
	} else {
		vsw_put(o, "vlan_tci=0x%04x/0x%04x", (unsigned)key, (unsigned)mask);
	}
}

/* The shorthand for dl_type (and nw_proto), or NULL. *proto_too: it covers nw_proto. */
static const char *shorthand(const struct vsw_match *m, bool *proto_too)
{
	uint16_t dl = m->key.dl_type;
	uint8_t proto = m->key.nw_proto;
	bool has_proto = m->mask.nw_proto == 0xff;

	*proto_too = false;
	if (m->mask.dl_type != 0xffff)
		return NULL;
	if (dl == ETH_ARP)
		return "arp";
	if (dl != ETH_IP && dl != ETH_IPV6)
		return NULL;
	*proto_too = has_proto;
	if (has_proto && proto == 6)
		return dl == ETH_IP ? "tcp" : "tcp6";
	if (has_proto && proto == 17)
		return dl == ETH_IP ? "udp" : "udp6";
	if (has_proto && proto == 132)
		return dl == ETH_IP ? "sctp" : "sctp6";
	if (has_proto && proto == 1 && dl == ETH_IP)
		return "icmp";
	if (has_proto && proto == 58 && dl == ETH_IPV6)
		return "icmp6";
	*proto_too = false;
	return dl == ETH_IP ? "ip" : "ipv6";
}

void vsw_put_match(struct vsw_out *o, const struct vsw_match *m,
		   const struct vsw_port_names *names)
{
	const struct vsw_flow_key *k = &m->key, *mk = &m->mask;
	int dl = mk->dl_type ? k->dl_type & mk->dl_type : -1;
	int proto = mk->nw_proto ? k->nw_proto & mk->nw_proto : -1;
	bool arp = dl == ETH_ARP, skip_proto;
	const char *sh = shorthand(m, &skip_proto);
	char reg[16];

	if (sh) {
		vsw_item(o);
		vsw_put(o, "%s", sh);
	}
	for (int i = 0; i < 8; i++) {
		snprintf(reg, sizeof(reg), "reg%d", i);
		put_hex_masked(o, reg, k->regs[i], mk->regs[i], UINT32_MAX);
	}
	put_hex_masked(o, "tun_id", k->tun_id, mk->tun_id, UINT64_MAX);
	put_wire_ipv4_field(o, "tun_src", &k->tun_src, &mk->tun_src);
	put_wire_ipv4_field(o, "tun_dst", &k->tun_dst, &mk->tun_dst);
	put_hex_masked(o, "metadata", k->metadata, mk->metadata, UINT64_MAX);
	if (mk->in_port) {
		vsw_item(o);
		vsw_put(o, "in_port=");
		vsw_put_port(o, k->in_port & mk->in_port, names);
	}
	put_vlan(o, k->vlan_tci, mk->vlan_tci);
	put_mac_field(o, "dl_src", k->dl_src, mk->dl_src);
	put_mac_field(o, "dl_dst", k->dl_dst, mk->dl_dst);
	if (!sh && mk->dl_type) {
		vsw_item(o);
		vsw_put(o, "dl_type=0x%04x", (unsigned)(k->dl_type & mk->dl_type));
	}
	put_ipv6_field(o, "ipv6_src", k->ipv6_src, mk->ipv6_src);
	put_ipv6_field(o, "ipv6_dst", k->ipv6_dst, mk->ipv6_dst);
	put_ipv4_field(o, arp ? "arp_spa" : "nw_src", k->nw_src, mk->nw_src);
	put_ipv4_field(o, arp ? "arp_tpa" : "nw_dst", k->nw_dst, mk->nw_dst);
	if (!skip_proto && mk->nw_proto) {
		vsw_item(o);
		vsw_put(o, "%s=%u", arp ? "arp_op" : "nw_proto", (unsigned)proto);
	}
	if (mk->nw_tos & 0xfc) {
		vsw_item(o);
		vsw_put(o, "nw_tos=%u", (unsigned)(k->nw_tos & 0xfc));
	}
	if (mk->nw_tos & 0x03) {
		vsw_item(o);
		vsw_put(o, "nw_ecn=%u", (unsigned)(k->nw_tos & 0x03));
	}
	if (mk->nw_ttl) {
		vsw_item(o);
		vsw_put(o, "nw_ttl=%u", (unsigned)(k->nw_ttl & mk->nw_ttl));
	}
	if ((dl == ETH_IP && proto == 1) || (dl == ETH_IPV6 && proto == 58)) {
		put_dec_masked(o, "icmp_type", k->tp_src, mk->tp_src, 0xff);
		put_dec_masked(o, "icmp_code", k->tp_dst, mk->tp_dst, 0xff);
	} else {
		put_dec_masked(o, "tp_src", k->tp_src, mk->tp_src, 0xffff);
		put_dec_masked(o, "tp_dst", k->tp_dst, mk->tp_dst, 0xffff);
	}
}

int vsw_flow_format_match(const struct vsw_match *match, uint16_t priority,
			  const struct vsw_port_names *names, char *buf, size_t len)
{
	struct vsw_out o;

	vsw_out_init(&o, buf, len);
	if (priority != VSW_FT_DEFAULT_PRIORITY) {
		vsw_item(&o);
		vsw_put(&o, "priority=%u", (unsigned)priority);
	}
	vsw_put_match(&o, match, names);
	return vsw_out_done(&o);
}

int vsw_flow_format_actions(const struct vsw_actions *actions,
			    const struct vsw_port_names *names, char *buf, size_t len)
{
	struct vsw_out o;

	vsw_out_init(&o, buf, len);
	vsw_put_actions(&o, actions, names);
	return vsw_out_done(&o);
}

int vsw_flow_format(const struct vsw_flow_spec *spec,
		    const struct vsw_port_names *names, char *buf, size_t len)
{
	struct vsw_out o;
	size_t outer;
	bool partial;

	vsw_out_init(&o, buf, len);
	vsw_item(&o);
	vsw_put(&o, "table=%u", (unsigned)spec->table);
	vsw_item(&o);
	vsw_put(&o, "priority=%u", (unsigned)spec->priority);
	/* Only a filter has a partial cookie mask; an add-flow spec has all ones or 0. */
	partial = spec->cookie_mask && spec->cookie_mask != UINT64_MAX;
	if (spec->cookie || partial) {
		vsw_item(&o);
		vsw_put(&o, "cookie=0x%llx", (unsigned long long)spec->cookie);
		if (partial)
			vsw_put(&o, "/0x%llx", (unsigned long long)spec->cookie_mask);
	}
	if (spec->idle_timeout) {
		vsw_item(&o);
		vsw_put(&o, "idle_timeout=%u", (unsigned)spec->idle_timeout);
	}
	if (spec->hard_timeout) {
		vsw_item(&o);
		vsw_put(&o, "hard_timeout=%u", (unsigned)spec->hard_timeout);
	}
	vsw_put_match(&o, &spec->match, names);
	vsw_item(&o);
	vsw_put(&o, "actions=");
	outer = o.items;
	o.items = 0; /* the actions are a list of their own */
	vsw_put_actions(&o, &spec->actions, names);
	o.items = outer;
	return vsw_out_done(&o);
}
