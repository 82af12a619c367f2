/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame side of the header-writing actions: parse, write, fix checksums (pkt_edit.h). */
#include "pkt_edit.h"

#include <string.h>

#define ETH_HLEN 14
#define IPV4_HLEN 20
#define IPV6_HLEN 40
#define ARP_LEN 28 /* Ethernet/IPv4 ARP */
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58

/* Offsets inside the headers. */
#define IP4_TOS 1
#define IP4_FRAG 6
#define IP4_TTL 8
#define IP4_CSUM 10
#define IP4_SRC 12
#define IP4_DST 16
#define IP6_HLIM 7
#define IP6_SRC 8
#define IP6_DST 24
#define ARP_OP 6
#define ARP_SPA 14
#define ARP_TPA 24
#define TCP_CSUM 16
#define UDP_CSUM 6
#define ICMP_CSUM 2

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/* --- parsing ------------------------------------------------------------- */

static void l4_at(struct vsw_pkt_layout *lay, size_t off, size_t l4_len, uint8_t proto)
{
	size_t need = proto == IPPROTO_TCP_ ? 20 : proto == IPPROTO_UDP_ ? 8 : 4;

	if (l4_len >= need) {
		lay->l4 = (uint16_t)off;
		lay->l4_proto = proto;
	}
}

static void parse_ipv4(const uint8_t *f, size_t len, size_t off, struct vsw_pkt_layout *lay)
{
	size_t avail = len - off, ihl, tot;
	uint8_t proto;

	if (avail < IPV4_HLEN || f[off] >> 4 != 4)
		return;
	ihl = (size_t)(f[off] & 0x0f) * 4;
	tot = rd16(f + off + 2);
	if (ihl < IPV4_HLEN || ihl > avail || tot < ihl || tot > avail)
		return;
	lay->l3 = (uint16_t)off;
	lay->l3_type = VSW_ETH_TYPE_IPV4;
	if (rd16(f + off + IP4_FRAG) & 0x1fff)
		return; /* a later fragment has no L4 header */
	proto = f[off + 9];
	if (proto == IPPROTO_TCP_ || proto == IPPROTO_UDP_ || proto == IPPROTO_ICMP_)
		l4_at(lay, off + ihl, tot - ihl, proto);
}

static void parse_ipv6(const uint8_t *f, size_t len, size_t off, struct vsw_pkt_layout *lay)
{
	size_t avail = len - off, end, p;
	uint8_t nh;

	if (avail < IPV6_HLEN || f[off] >> 4 != 6 || rd16(f + off + 4) > avail - IPV6_HLEN)
		return;
	lay->l3 = (uint16_t)off;
	lay->l3_type = VSW_ETH_TYPE_IPV6;
	end = off + IPV6_HLEN + rd16(f + off + 4);
	p = off + IPV6_HLEN;
	nh = f[off + 6];
	/* Skip extension headers: hop-by-hop, routing, fragment, AH, destination. */
	for (int i = 0; i < 16; i++) {
		size_t hlen;

		if (nh != 0 && nh != 43 && nh != 44 && nh != 51 && nh != 60)
			break;
		if (end - p < 8)
			return;
		if (nh == 44) {
			if (rd16(f + p + 2) & 0xfff8)
				return; /* a later fragment */
			hlen = 8;
		} else if (nh == 51) {
			hlen = ((size_t)f[p + 1] + 2) * 4;
		} else {
			hlen = ((size_t)f[p + 1] + 1) * 8;
		}
		if (hlen > end - p)
			return;
		nh = f[p];
		p += hlen;
	}
	if (nh == IPPROTO_TCP_ || nh == IPPROTO_UDP_ || nh == IPPROTO_ICMPV6_)
		l4_at(lay, p, end - p, nh);
}

void vsw_pkt_parse(const uint8_t *f, size_t len, struct vsw_pkt_layout *lay)
{
	size_t off = 2 * VSW_ETH_ALEN;
	uint16_t type;

	memset(lay, 0, sizeof(*lay));
	if (!f || len < ETH_HLEN || len > UINT16_MAX)
		return;
	lay->eth = 1;
	type = rd16(f + off);
	if (type == VSW_ETH_TYPE_VLAN || type == VSW_ETH_TYPE_QINQ) {
		if (len < ETH_HLEN + VSW_VLAN_HLEN)
			return;
		off += VSW_VLAN_HLEN;
		type = rd16(f + off);
	}
	off += 2;
	switch (type) {
	case VSW_ETH_TYPE_IPV4:
		parse_ipv4(f, len, off, lay);
		break;
	case VSW_ETH_TYPE_IPV6:
		parse_ipv6(f, len, off, lay);
		break;
	case VSW_ETH_TYPE_ARP:
	case VSW_ETH_TYPE_RARP:
		/* Ethernet hardware, IPv4 protocol, lengths 6 and 4. */
		if (len - off >= ARP_LEN && rd16(f + off) == 1 && rd16(f + off + 2) == 0x0800 &&
		    f[off + 4] == 6 && f[off + 5] == 4) {
			lay->l3 = (uint16_t)off;
			lay->l3_type = VSW_ETH_TYPE_ARP;
		}
		break;
	default:
		break;
	}
}

/* --- checksums ----------------------------------------------------------- */

/* One 16-bit word of the covered data changed from `old` to `new` (RFC 1624 eqn. 3). */
static void csum_fix16(uint8_t *csum, uint16_t old, uint16_t new)
{
	uint32_t s = (uint32_t)(uint16_t)~rd16(csum) + (uint16_t)~old + new;

	if (old == new)
		return; /* also keeps a UDP checksum of 0xffff as it is */
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	wr16(csum, (uint16_t)~s);
}

/*
 * The same word change in the L4 checksum: TCP always, UDP unless it has
 * none; ICMPv6 only for pseudo-header (address) changes. ICMPv4 has no
 * pseudo-header.
 */
static void l4_fix16(uint8_t *f, const struct vsw_pkt_layout *lay, uint16_t old, uint16_t new,
		     bool pseudo)
{
	uint8_t *l4 = f + lay->l4;

	if (!lay->l4 || old == new)
		return;
	switch (lay->l4_proto) {
	case IPPROTO_TCP_:
		csum_fix16(l4 + TCP_CSUM, old, new);
		break;
	case IPPROTO_UDP_:
		if (rd16(l4 + UDP_CSUM) == 0)
			break; /* no checksum: stays 0 */
		csum_fix16(l4 + UDP_CSUM, old, new);
		if (rd16(l4 + UDP_CSUM) == 0)
			wr16(l4 + UDP_CSUM, 0xffff);
		break;
	case IPPROTO_ICMPV6_:
		if (pseudo)
			csum_fix16(l4 + ICMP_CSUM, old, new);
		break;
	default:
		break;
	}
}

/* --- writes -------------------------------------------------------------- */

static void set_bytes(uint8_t *p, const uint8_t *v, const uint8_t *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((p[i] & ~m[i]) | (v[i] & m[i]));
}

static void set_ip4_addr(uint8_t *f, const struct vsw_pkt_layout *lay, size_t ofs, uint32_t v,
			 uint32_t m)
{
	uint8_t *l3 = f + lay->l3;
	uint32_t old = rd32(l3 + ofs), new = (old & ~m) | (v & m);

	wr32(l3 + ofs, new);
	csum_fix16(l3 + IP4_CSUM, (uint16_t)(old >> 16), (uint16_t)(new >> 16));
	csum_fix16(l3 + IP4_CSUM, (uint16_t)old, (uint16_t)new);
	l4_fix16(f, lay, (uint16_t)(old >> 16), (uint16_t)(new >> 16), true);
	l4_fix16(f, lay, (uint16_t)old, (uint16_t)new, true);
}

static void set_ip6_addr(uint8_t *f, const struct vsw_pkt_layout *lay, size_t ofs,
			 const uint8_t *v, const uint8_t *m)
{
	uint8_t *p = f + lay->l3 + ofs;

	for (size_t i = 0; i < 16; i += 2) {
		uint16_t old = rd16(p + i);

		set_bytes(p + i, v + i, m + i, 2);
		l4_fix16(f, lay, old, rd16(p + i), true);
	}
}

/* An IPv4 header byte whose 16-bit word starts at `word` (TOS, TTL). */
static void set_ip4_byte(uint8_t *l3, size_t ofs, uint8_t v, uint8_t m)
{
	uint8_t *word = l3 + (ofs & ~(size_t)1);
	uint16_t old = rd16(word);

	l3[ofs] = (uint8_t)((l3[ofs] & ~m) | (v & m));
	csum_fix16(l3 + IP4_CSUM, old, rd16(word));
}

static void set_tos(uint8_t *f, const struct vsw_pkt_layout *lay, uint8_t v, uint8_t m)
{
	uint8_t *l3 = f + lay->l3;

	if (lay->l3_type == VSW_ETH_TYPE_IPV4) {
		set_ip4_byte(l3, IP4_TOS, v, m);
	} else {
		/* IPv6 traffic class: the low nibble of byte 0, the high one of byte 1. */
		uint8_t tc = (uint8_t)((l3[0] & 0x0f) << 4 | l3[1] >> 4);

		tc = (uint8_t)((tc & ~m) | (v & m));
		l3[0] = (uint8_t)((l3[0] & 0xf0) | tc >> 4);
		l3[1] = (uint8_t)((l3[1] & 0x0f) | (tc & 0x0f) << 4);
	}
}

static void set_ttl(uint8_t *f, const struct vsw_pkt_layout *lay, uint8_t v, uint8_t m)
{
	uint8_t *l3 = f + lay->l3;

	if (lay->l3_type == VSW_ETH_TYPE_IPV4)
		set_ip4_byte(l3, IP4_TTL, v, m);
	else
		l3[IP6_HLIM] = (uint8_t)((l3[IP6_HLIM] & ~m) | (v & m));
}

static void set_port(uint8_t *f, const struct vsw_pkt_layout *lay, size_t ofs, uint16_t v,
		     uint16_t m)
{
	uint8_t *p = f + lay->l4 + ofs;
	uint16_t old = rd16(p), new = (uint16_t)((old & ~m) | (v & m));

	wr16(p, new);
	l4_fix16(f, lay, old, new, false);
}

static void set_icmp(uint8_t *f, const struct vsw_pkt_layout *lay, size_t ofs, uint8_t v,
		     uint8_t m)
{
	uint8_t *l4 = f + lay->l4;
	uint16_t old = rd16(l4);

	l4[ofs] = (uint8_t)((l4[ofs] & ~m) | (v & m));
	csum_fix16(l4 + ICMP_CSUM, old, rd16(l4));
}

bool vsw_pkt_has_field(const struct vsw_pkt_layout *lay, unsigned f)
{
	bool ip = lay->l3_type == VSW_ETH_TYPE_IPV4 || lay->l3_type == VSW_ETH_TYPE_IPV6;
	bool tcp_udp = lay->l4 && (lay->l4_proto == IPPROTO_TCP_ || lay->l4_proto == IPPROTO_UDP_);
	bool icmp = lay->l4 && (lay->l4_proto == IPPROTO_ICMP_ || lay->l4_proto == IPPROTO_ICMPV6_);

	switch (f) {
	case VSW_F_DL_SRC:
	case VSW_F_DL_DST:
		return lay->eth;
	case VSW_F_NW_SRC:
	case VSW_F_NW_DST:
		return lay->l3_type == VSW_ETH_TYPE_IPV4;
	case VSW_F_IPV6_SRC:
	case VSW_F_IPV6_DST:
		return lay->l3_type == VSW_ETH_TYPE_IPV6;
	case VSW_F_NW_TOS:
	case VSW_F_IP_DSCP:
	case VSW_F_NW_TTL:
		return ip;
	case VSW_F_TP_SRC:
	case VSW_F_TP_DST:
		return tcp_udp;
	case VSW_F_ICMP_TYPE:
	case VSW_F_ICMP_CODE:
		return icmp;
	case VSW_F_ARP_OP:
	case VSW_F_ARP_SPA:
	case VSW_F_ARP_TPA:
	case VSW_F_NW_PROTO:
		return lay->l3_type == VSW_ETH_TYPE_ARP;
	default:
		return false; /* metadata, VLAN (see the executor), dl_type */
	}
}

void vsw_pkt_set_field(uint8_t *f, const struct vsw_pkt_layout *lay, const struct vsw_action *a)
{
	uint64_t v = vsw_pkt_field_int(a, a->value), m = vsw_pkt_field_int(a, a->mask);
	const uint8_t *value = a->value, *mask = a->mask;
	uint8_t *l3 = f + lay->l3;

	if (!vsw_pkt_has_field(lay, a->field))
		return;
	switch (a->field) {
	case VSW_F_DL_DST:
		set_bytes(f, value, mask, VSW_ETH_ALEN);
		break;
	case VSW_F_DL_SRC:
		set_bytes(f + VSW_ETH_ALEN, value, mask, VSW_ETH_ALEN);
		break;
	case VSW_F_NW_SRC:
		set_ip4_addr(f, lay, IP4_SRC, (uint32_t)v, (uint32_t)m);
		break;
	case VSW_F_NW_DST:
		set_ip4_addr(f, lay, IP4_DST, (uint32_t)v, (uint32_t)m);
		break;
	case VSW_F_IPV6_SRC:
		set_ip6_addr(f, lay, IP6_SRC, value, mask);
		break;
	case VSW_F_IPV6_DST:
		set_ip6_addr(f, lay, IP6_DST, value, mask);
		break;
	case VSW_F_NW_TOS: /* the mask says which bits: DSCP, ECN or both */
	case VSW_F_IP_DSCP: /* in place in the TOS byte (fields.h) */
		set_tos(f, lay, (uint8_t)v, (uint8_t)m);
		break;
	case VSW_F_NW_TTL:
		set_ttl(f, lay, (uint8_t)v, (uint8_t)m);
		break;
	case VSW_F_TP_SRC:
		set_port(f, lay, 0, (uint16_t)v, (uint16_t)m);
		break;
	case VSW_F_TP_DST:
		set_port(f, lay, 2, (uint16_t)v, (uint16_t)m);
		break;
	case VSW_F_ICMP_TYPE:
		set_icmp(f, lay, 0, (uint8_t)v, (uint8_t)m);
		break;
	case VSW_F_ICMP_CODE:
		set_icmp(f, lay, 1, (uint8_t)v, (uint8_t)m);
		break;
	case VSW_F_ARP_OP:
	case VSW_F_NW_PROTO: {
		uint16_t old = rd16(l3 + ARP_OP);
		wr16(l3 + ARP_OP, (uint16_t)((old & ~m) | (v & m)));
		break;
	}
	case VSW_F_ARP_SPA:
		wr32(l3 + ARP_SPA, (uint32_t)((rd32(l3 + ARP_SPA) & ~m) | (v & m)));
		break;
	case VSW_F_ARP_TPA:
		wr32(l3 + ARP_TPA, (uint32_t)((rd32(l3 + ARP_TPA) & ~m) | (v & m)));
		break;
	default:
		break;
	}
}

void vsw_pkt_dec_ttl(uint8_t *f, const struct vsw_pkt_layout *lay)
{
	uint8_t *l3 = f + lay->l3;

	if (lay->l3_type == VSW_ETH_TYPE_IPV4 && l3[IP4_TTL] > 0)
		set_ip4_byte(l3, IP4_TTL, (uint8_t)(l3[IP4_TTL] - 1), 0xff);
	else if (lay->l3_type == VSW_ETH_TYPE_IPV6 && l3[IP6_HLIM] > 0)
		l3[IP6_HLIM]--;
}

/* --- VLAN ---------------------------------------------------------------- */

bool vsw_pkt_vlan_tagged(const uint8_t *f, size_t len)
{
	uint16_t type;

	if (!f || len < ETH_HLEN + VSW_VLAN_HLEN)
		return false;
	type = rd16(f + 2 * VSW_ETH_ALEN);
	return type == VSW_ETH_TYPE_VLAN || type == VSW_ETH_TYPE_QINQ;
}

void vsw_pkt_vlan_set_tci(uint8_t *f, uint16_t wire_tci)
{
	wr16(f + ETH_HLEN, wire_tci);
}

void vsw_pkt_vlan_push(uint8_t *f, uint16_t tpid, uint16_t wire_tci)
{
	memmove(f, f + VSW_VLAN_HLEN, 2 * VSW_ETH_ALEN);
	wr16(f + 2 * VSW_ETH_ALEN, tpid);
	wr16(f + ETH_HLEN, wire_tci);
}

void vsw_pkt_vlan_pop(uint8_t *f)
{
	memmove(f + VSW_VLAN_HLEN, f, 2 * VSW_ETH_ALEN);
}
