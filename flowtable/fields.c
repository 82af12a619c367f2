/* SPDX-License-Identifier: BSD-3-Clause */
/* The field tables and prerequisites: see fields.h. */
#include "fields.h"

#include <string.h>

#define OFS(m) ((uint16_t)offsetof(struct vsw_flow_key, m))
#define SZ(m) ((uint8_t)sizeof(((struct vsw_flow_key *)0)->m))
#define INT(m, lsb, bits) { OFS(m), SZ(m), lsb, bits }
#define BYTES(m) { OFS(m), SZ(m), 0, 0 }
#define ALL64 UINT64_MAX
#define ALL32 0xffffffffu

#define M VSW_FN_MATCH
#define MM (VSW_FN_MATCH | VSW_FN_MASKABLE)
#define NX VSW_FN_NXM

/* name, where, format, prerequisite to match, to write, flags, field written */
#define F(name, loc, fmt, prq, wprq, flags, wr)                                          \
	{ name, loc, VSW_FMT_##fmt, VSW_PRQ_##prq, VSW_PRQ_##wprq, flags, wr }
#define RO (-1)

#define REG(i)                                                                           \
	F("reg" #i, INT(regs[i], 0, ALL32), HEX, NONE, NONE, MM, VSW_F_REG##i),           \
	F("NXM_NX_REG" #i, INT(regs[i], 0, ALL32), HEX, NONE, NONE, NX, VSW_F_REG##i)

const struct vsw_field_name vsw_field_names[] = {
	/* Match fields and their aliases. */
	F("in_port", INT(in_port, 0, ALL32), PORT, NONE, NONE, M, VSW_F_IN_PORT),
	F("dl_src", BYTES(dl_src), MAC, NONE, NONE, MM, VSW_F_DL_SRC),
	F("eth_src", BYTES(dl_src), MAC, NONE, NONE, MM, VSW_F_DL_SRC),
	F("dl_dst", BYTES(dl_dst), MAC, NONE, NONE, MM, VSW_F_DL_DST),
	F("eth_dst", BYTES(dl_dst), MAC, NONE, NONE, MM, VSW_F_DL_DST),
	F("dl_type", INT(dl_type, 0, 0xffff), HEX, NONE, NONE, M, RO),
	F("eth_type", INT(dl_type, 0, 0xffff), HEX, NONE, NONE, M, RO),
	F("dl_vlan", INT(vlan_tci, 0, 0x0fff), DEC, NONE, NONE, M, VSW_F_VLAN_VID),
	F("dl_vlan_pcp", INT(vlan_tci, 13, 0xe000), DEC, NONE, NONE, M, VSW_F_VLAN_PCP),
	F("vlan_tci", INT(vlan_tci, 0, 0xffff), HEX, NONE, NONE, MM, VSW_F_VLAN_TCI),
	F("nw_src", INT(nw_src, 0, ALL32), IPV4, IPV4_ARP, IPV4, MM, VSW_F_NW_SRC),
	F("ip_src", INT(nw_src, 0, ALL32), IPV4, IPV4, IPV4, MM, VSW_F_NW_SRC),
	F("nw_dst", INT(nw_dst, 0, ALL32), IPV4, IPV4_ARP, IPV4, MM, VSW_F_NW_DST),
	F("ip_dst", INT(nw_dst, 0, ALL32), IPV4, IPV4, IPV4, MM, VSW_F_NW_DST),
	F("ipv6_src", BYTES(ipv6_src), IPV6, IPV6, IPV6, MM, VSW_F_IPV6_SRC),
	F("ipv6_dst", BYTES(ipv6_dst), IPV6, IPV6, IPV6, MM, VSW_F_IPV6_DST),
	F("nw_proto", INT(nw_proto, 0, 0xff), DEC, IP_ANY_ARP, IP_ANY, M, RO),
	F("ip_proto", INT(nw_proto, 0, 0xff), DEC, IP_ANY, IP_ANY, M, RO),
	F("nw_tos", INT(nw_tos, 0, 0xfc), DEC, IP_ANY, IP_ANY, M, VSW_F_NW_TOS),
	F("ip_dscp", INT(nw_tos, 2, 0xfc), DEC, IP_ANY, IP_ANY, M, VSW_F_IP_DSCP),
	F("nw_ecn", INT(nw_tos, 0, 0x03), DEC, IP_ANY, IP_ANY, M, VSW_F_NW_TOS),
	F("ip_ecn", INT(nw_tos, 0, 0x03), DEC, IP_ANY, IP_ANY, M, VSW_F_NW_TOS),
	F("nw_ttl", INT(nw_ttl, 0, 0xff), DEC, IP_ANY, IP_ANY, M, VSW_F_NW_TTL),
	F("tp_src", INT(tp_src, 0, 0xffff), DEC, L4, L4, MM, VSW_F_TP_SRC),
	F("tp_dst", INT(tp_dst, 0, 0xffff), DEC, L4, L4, MM, VSW_F_TP_DST),
	F("tcp_src", INT(tp_src, 0, 0xffff), DEC, TCP, TCP, MM, VSW_F_TP_SRC),
	F("tcp_dst", INT(tp_dst, 0, 0xffff), DEC, TCP, TCP, MM, VSW_F_TP_DST),
	F("udp_src", INT(tp_src, 0, 0xffff), DEC, UDP, UDP, MM, VSW_F_TP_SRC),
	F("udp_dst", INT(tp_dst, 0, 0xffff), DEC, UDP, UDP, MM, VSW_F_TP_DST),
	F("sctp_src", INT(tp_src, 0, 0xffff), DEC, SCTP, SCTP, MM, VSW_F_TP_SRC),
	F("sctp_dst", INT(tp_dst, 0, 0xffff), DEC, SCTP, SCTP, MM, VSW_F_TP_DST),
	F("icmp_type", INT(tp_src, 0, 0xff), DEC, ICMP_ANY, ICMP_ANY, M, VSW_F_ICMP_TYPE),
	F("icmp_code", INT(tp_dst, 0, 0xff), DEC, ICMP_ANY, ICMP_ANY, M, VSW_F_ICMP_CODE),
	F("icmpv6_type", INT(tp_src, 0, 0xff), DEC, ICMPV6, ICMPV6, M, VSW_F_ICMP_TYPE),
	F("icmpv6_code", INT(tp_dst, 0, 0xff), DEC, ICMPV6, ICMPV6, M, VSW_F_ICMP_CODE),
	F("arp_op", INT(nw_proto, 0, 0xff), DEC, ARP, ARP, M, VSW_F_ARP_OP),
	F("arp_spa", INT(nw_src, 0, ALL32), IPV4, ARP, ARP, MM, VSW_F_ARP_SPA),
	F("arp_tpa", INT(nw_dst, 0, ALL32), IPV4, ARP, ARP, MM, VSW_F_ARP_TPA),
	F("tun_id", INT(tun_id, 0, ALL64), HEX, NONE, NONE, MM, VSW_F_TUN_ID),
	F("tunnel_id", INT(tun_id, 0, ALL64), HEX, NONE, NONE, MM, VSW_F_TUN_ID),
	F("tun_src", BYTES(tun_src), IPV4, NONE, NONE, MM, VSW_F_TUN_SRC),
	F("tun_dst", BYTES(tun_dst), IPV4, NONE, NONE, MM, VSW_F_TUN_DST),
	F("metadata", INT(metadata, 0, ALL64), HEX, NONE, NONE, MM, VSW_F_METADATA),
	REG(0), REG(1), REG(2), REG(3), REG(4), REG(5), REG(6), REG(7),
	/* Writable only (set_field:V->vlan_vid, as OpenFlow 1.2 names them). */
	F("vlan_vid", INT(vlan_tci, 0, 0x0fff), DEC, NONE, NONE, 0, VSW_F_VLAN_VID),
	F("vlan_pcp", INT(vlan_tci, 13, 0xe000), DEC, NONE, NONE, 0, VSW_F_VLAN_PCP),
	/* NXM and OXM names, for load:V->NAME[a..b]. */
	F("NXM_OF_IN_PORT", INT(in_port, 0, 0xffff), PORT, NONE, NONE, NX, VSW_F_IN_PORT),
	F("OXM_OF_IN_PORT", INT(in_port, 0, ALL32), PORT, NONE, NONE, NX, VSW_F_IN_PORT),
	F("NXM_OF_ETH_SRC", BYTES(dl_src), MAC, NONE, NONE, NX, VSW_F_DL_SRC),
	F("OXM_OF_ETH_SRC", BYTES(dl_src), MAC, NONE, NONE, NX, VSW_F_DL_SRC),
	F("NXM_OF_ETH_DST", BYTES(dl_dst), MAC, NONE, NONE, NX, VSW_F_DL_DST),
	F("OXM_OF_ETH_DST", BYTES(dl_dst), MAC, NONE, NONE, NX, VSW_F_DL_DST),
	F("NXM_OF_ETH_TYPE", INT(dl_type, 0, 0xffff), HEX, NONE, NONE, NX, RO),
	F("OXM_OF_ETH_TYPE", INT(dl_type, 0, 0xffff), HEX, NONE, NONE, NX, RO),
	F("NXM_OF_VLAN_TCI", INT(vlan_tci, 0, 0xffff), HEX, NONE, NONE, NX, VSW_F_VLAN_TCI),
	/* OXM's vlan_vid is 13 bits: the VID and the "present" (CFI) bit. */
	F("OXM_OF_VLAN_VID", INT(vlan_tci, 0, 0x1fff), HEX, NONE, NONE, NX, VSW_F_VLAN_TCI),
	F("OXM_OF_VLAN_PCP", INT(vlan_tci, 13, 0xe000), DEC, NONE, NONE, NX, VSW_F_VLAN_PCP),
	F("NXM_OF_IP_TOS", INT(nw_tos, 0, 0xff), DEC, IP_ANY, IP_ANY, NX, VSW_F_NW_TOS),
	F("OXM_OF_IP_DSCP", INT(nw_tos, 2, 0xfc), DEC, IP_ANY, IP_ANY, NX, VSW_F_IP_DSCP),
	F("OXM_OF_IP_ECN", INT(nw_tos, 0, 0x03), DEC, IP_ANY, IP_ANY, NX, VSW_F_NW_TOS),
	F("NXM_NX_IP_TTL", INT(nw_ttl, 0, 0xff), DEC, IP_ANY, IP_ANY, NX, VSW_F_NW_TTL),
	F("NXM_OF_IP_PROTO", INT(nw_proto, 0, 0xff), DEC, IP_ANY, IP_ANY, NX, RO),
	F("OXM_OF_IP_PROTO", INT(nw_proto, 0, 0xff), DEC, IP_ANY, IP_ANY, NX, RO),
	F("NXM_OF_IP_SRC", INT(nw_src, 0, ALL32), IPV4, IPV4, IPV4, NX, VSW_F_NW_SRC),
	F("OXM_OF_IPV4_SRC", INT(nw_src, 0, ALL32), IPV4, IPV4, IPV4, NX, VSW_F_NW_SRC),
	F("NXM_OF_IP_DST", INT(nw_dst, 0, ALL32), IPV4, IPV4, IPV4, NX, VSW_F_NW_DST),
	F("OXM_OF_IPV4_DST", INT(nw_dst, 0, ALL32), IPV4, IPV4, IPV4, NX, VSW_F_NW_DST),
	F("NXM_NX_IPV6_SRC", BYTES(ipv6_src), IPV6, IPV6, IPV6, NX, VSW_F_IPV6_SRC),
	F("OXM_OF_IPV6_SRC", BYTES(ipv6_src), IPV6, IPV6, IPV6, NX, VSW_F_IPV6_SRC),
	F("NXM_NX_IPV6_DST", BYTES(ipv6_dst), IPV6, IPV6, IPV6, NX, VSW_F_IPV6_DST),
	F("OXM_OF_IPV6_DST", BYTES(ipv6_dst), IPV6, IPV6, IPV6, NX, VSW_F_IPV6_DST),
	F("NXM_OF_TCP_SRC", INT(tp_src, 0, 0xffff), DEC, TCP, TCP, NX, VSW_F_TP_SRC),
	F("OXM_OF_TCP_SRC", INT(tp_src, 0, 0xffff), DEC, TCP, TCP, NX, VSW_F_TP_SRC),
	F("NXM_OF_TCP_DST", INT(tp_dst, 0, 0xffff), DEC, TCP, TCP, NX, VSW_F_TP_DST),
	F("OXM_OF_TCP_DST", INT(tp_dst, 0, 0xffff), DEC, TCP, TCP, NX, VSW_F_TP_DST),
	F("NXM_OF_UDP_SRC", INT(tp_src, 0, 0xffff), DEC, UDP, UDP, NX, VSW_F_TP_SRC),
	F("OXM_OF_UDP_SRC", INT(tp_src, 0, 0xffff), DEC, UDP, UDP, NX, VSW_F_TP_SRC),
	F("NXM_OF_UDP_DST", INT(tp_dst, 0, 0xffff), DEC, UDP, UDP, NX, VSW_F_TP_DST),
	F("OXM_OF_UDP_DST", INT(tp_dst, 0, 0xffff), DEC, UDP, UDP, NX, VSW_F_TP_DST),
	F("OXM_OF_SCTP_SRC", INT(tp_src, 0, 0xffff), DEC, SCTP, SCTP, NX, VSW_F_TP_SRC),
	F("OXM_OF_SCTP_DST", INT(tp_dst, 0, 0xffff), DEC, SCTP, SCTP, NX, VSW_F_TP_DST),
	F("NXM_OF_ICMP_TYPE", INT(tp_src, 0, 0xff), DEC, ICMPV4, ICMPV4, NX, VSW_F_ICMP_TYPE),
	F("OXM_OF_ICMPV4_TYPE", INT(tp_src, 0, 0xff), DEC, ICMPV4, ICMPV4, NX, VSW_F_ICMP_TYPE),
	F("NXM_OF_ICMP_CODE", INT(tp_dst, 0, 0xff), DEC, ICMPV4, ICMPV4, NX, VSW_F_ICMP_CODE),
	F("OXM_OF_ICMPV4_CODE", INT(tp_dst, 0, 0xff), DEC, ICMPV4, ICMPV4, NX, VSW_F_ICMP_CODE),
	F("NXM_NX_ICMPV6_TYPE", INT(tp_src, 0, 0xff), DEC, ICMPV6, ICMPV6, NX, VSW_F_ICMP_TYPE),
	F("OXM_OF_ICMPV6_TYPE", INT(tp_src, 0, 0xff), DEC, ICMPV6, ICMPV6, NX, VSW_F_ICMP_TYPE),
	F("NXM_NX_ICMPV6_CODE", INT(tp_dst, 0, 0xff), DEC, ICMPV6, ICMPV6, NX, VSW_F_ICMP_CODE),
	F("OXM_OF_ICMPV6_CODE", INT(tp_dst, 0, 0xff), DEC, ICMPV6, ICMPV6, NX, VSW_F_ICMP_CODE),
	F("NXM_OF_ARP_OP", INT(nw_proto, 0, 0xff), DEC, ARP, ARP, NX, VSW_F_ARP_OP),
	F("OXM_OF_ARP_OP", INT(nw_proto, 0, 0xff), DEC, ARP, ARP, NX, VSW_F_ARP_OP),
	F("NXM_OF_ARP_SPA", INT(nw_src, 0, ALL32), IPV4, ARP, ARP, NX, VSW_F_ARP_SPA),
	F("OXM_OF_ARP_SPA", INT(nw_src, 0, ALL32), IPV4, ARP, ARP, NX, VSW_F_ARP_SPA),
	F("NXM_OF_ARP_TPA", INT(nw_dst, 0, ALL32), IPV4, ARP, ARP, NX, VSW_F_ARP_TPA),
	F("OXM_OF_ARP_TPA", INT(nw_dst, 0, ALL32), IPV4, ARP, ARP, NX, VSW_F_ARP_TPA),
	F("NXM_NX_TUN_ID", INT(tun_id, 0, ALL64), HEX, NONE, NONE, NX, VSW_F_TUN_ID),
	F("OXM_OF_TUNNEL_ID", INT(tun_id, 0, ALL64), HEX, NONE, NONE, NX, VSW_F_TUN_ID),
	F("NXM_NX_TUN_IPV4_SRC", BYTES(tun_src), IPV4, NONE, NONE, NX, VSW_F_TUN_SRC),
	F("NXM_NX_TUN_IPV4_DST", BYTES(tun_dst), IPV4, NONE, NONE, NX, VSW_F_TUN_DST),
	F("OXM_OF_METADATA", INT(metadata, 0, ALL64), HEX, NONE, NONE, NX, VSW_F_METADATA),
};
const size_t vsw_n_field_names = sizeof(vsw_field_names) / sizeof(vsw_field_names[0]);

const struct vsw_field_name *vsw_field_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < vsw_n_field_names; i++) {
		const char *n = vsw_field_names[i].name;

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return &vsw_field_names[i];
	}
	return NULL;
}

/* set_field name, load name, where, format, prerequisite, writable */
#define W(name, load, loc, fmt, prq, wr)                                                 \
	{ name, load, loc, VSW_FMT_##fmt, VSW_PRQ_##prq, wr }
#define WREG(i) [VSW_F_REG##i] = W("reg" #i, "NXM_NX_REG" #i, INT(regs[i], 0, ALL32), HEX, \
				     NONE, true)

static const struct vsw_field_info infos[VSW_F_N] = {
	[VSW_F_TUN_ID] = W("tun_id", "NXM_NX_TUN_ID", INT(tun_id, 0, ALL64), HEX, NONE, true),
	[VSW_F_TUN_SRC] = W("tun_src", "NXM_NX_TUN_IPV4_SRC", BYTES(tun_src), IPV4, NONE, true),
	[VSW_F_TUN_DST] = W("tun_dst", "NXM_NX_TUN_IPV4_DST", BYTES(tun_dst), IPV4, NONE, true),
	[VSW_F_METADATA] = W("metadata", "OXM_OF_METADATA", INT(metadata, 0, ALL64), HEX, NONE,
			     true),
	WREG(0), WREG(1), WREG(2), WREG(3), WREG(4), WREG(5), WREG(6), WREG(7),
	[VSW_F_IN_PORT] = W("in_port", "OXM_OF_IN_PORT", INT(in_port, 0, ALL32), PORT, NONE,
			    true),
	[VSW_F_DL_SRC] = W("dl_src", "NXM_OF_ETH_SRC", BYTES(dl_src), MAC, NONE, true),
	[VSW_F_DL_DST] = W("dl_dst", "NXM_OF_ETH_DST", BYTES(dl_dst), MAC, NONE, true),
	[VSW_F_DL_TYPE] = W("dl_type", "NXM_OF_ETH_TYPE", INT(dl_type, 0, 0xffff), HEX, NONE,
			    false),
	[VSW_F_VLAN_VID] = W("vlan_vid", "dl_vlan", INT(vlan_tci, 0, 0x0fff), DEC, NONE, true),
	[VSW_F_VLAN_PCP] = W("vlan_pcp", "dl_vlan_pcp", INT(vlan_tci, 13, 0xe000), DEC, NONE,
			     true),
	[VSW_F_VLAN_TCI] = W("vlan_tci", "NXM_OF_VLAN_TCI", INT(vlan_tci, 0, 0xffff), HEX, NONE,
			     true),
	[VSW_F_NW_SRC] = W("nw_src", "NXM_OF_IP_SRC", INT(nw_src, 0, ALL32), IPV4, IPV4, true),
	[VSW_F_NW_DST] = W("nw_dst", "NXM_OF_IP_DST", INT(nw_dst, 0, ALL32), IPV4, IPV4, true),
	[VSW_F_IPV6_SRC] = W("ipv6_src", "NXM_NX_IPV6_SRC", BYTES(ipv6_src), IPV6, IPV6, true),
	[VSW_F_IPV6_DST] = W("ipv6_dst", "NXM_NX_IPV6_DST", BYTES(ipv6_dst), IPV6, IPV6, true),
	[VSW_F_NW_PROTO] = W("nw_proto", "NXM_OF_IP_PROTO", INT(nw_proto, 0, 0xff), DEC, IP_ANY,
			     false),
	[VSW_F_NW_TOS] = W("NXM_OF_IP_TOS", "NXM_OF_IP_TOS", INT(nw_tos, 0, 0xff), DEC, IP_ANY,
			   true),
	[VSW_F_IP_DSCP] = W("ip_dscp", "OXM_OF_IP_DSCP", INT(nw_tos, 2, 0xfc), DEC, IP_ANY, true),
	[VSW_F_NW_TTL] = W("nw_ttl", "NXM_NX_IP_TTL", INT(nw_ttl, 0, 0xff), DEC, IP_ANY, true),
	[VSW_F_TP_SRC] = W("tp_src", "tp_src", INT(tp_src, 0, 0xffff), DEC, L4, true),
	[VSW_F_TP_DST] = W("tp_dst", "tp_dst", INT(tp_dst, 0, 0xffff), DEC, L4, true),
	[VSW_F_ICMP_TYPE] = W("icmp_type", "icmp_type", INT(tp_src, 0, 0xff), DEC, ICMP_ANY,
			      true),
	[VSW_F_ICMP_CODE] = W("icmp_code", "icmp_code", INT(tp_dst, 0, 0xff), DEC, ICMP_ANY,
			      true),
	[VSW_F_ARP_OP] = W("arp_op", "NXM_OF_ARP_OP", INT(nw_proto, 0, 0xff), DEC, ARP, true),
	[VSW_F_ARP_SPA] = W("arp_spa", "NXM_OF_ARP_SPA", INT(nw_src, 0, ALL32), IPV4, ARP, true),
	[VSW_F_ARP_TPA] = W("arp_tpa", "NXM_OF_ARP_TPA", INT(nw_dst, 0, ALL32), IPV4, ARP, true),
};

const struct vsw_field_info *vsw_field_info(unsigned field)
{
	return field < VSW_F_N ? &infos[field] : NULL;
}

/* ---- prerequisites ---- */

static const char *const prereq_texts[VSW_PRQ_N] = {
#define VSW_PRQ_TEXT(n, d) [VSW_PRQ_##n] = d,
	VSW_PREREQS(VSW_PRQ_TEXT)
#undef VSW_PRQ_TEXT
};

const char *vsw_prereq_text(enum vsw_prereq p)
{
	return (unsigned)p < VSW_PRQ_N ? prereq_texts[p] : "";
}

#define ETH_IP 0x0800
#define ETH_IPV6 0x86dd
#define ETH_ARP 0x0806

bool vsw_prereq_ok(enum vsw_prereq p, const struct vsw_match *m)
{
	int dl = m->mask.dl_type == 0xffff ? m->key.dl_type : -1;
	int proto = m->mask.nw_proto == 0xff ? m->key.nw_proto : -1;
	bool ip = dl == ETH_IP, ip6 = dl == ETH_IPV6, arp = dl == ETH_ARP;
	bool ip_any = ip || ip6;

	switch (p) {
	case VSW_PRQ_NONE:
		return true;
	case VSW_PRQ_IPV4:
		return ip;
	case VSW_PRQ_IPV6:
		return ip6;
	case VSW_PRQ_IP_ANY:
		return ip_any;
	case VSW_PRQ_IPV4_ARP:
		return ip || arp;
	case VSW_PRQ_IP_ANY_ARP:
		return ip_any || arp;
	case VSW_PRQ_ARP:
		return arp;
	case VSW_PRQ_L4:
		return ip_any && (proto == 6 || proto == 17 || proto == 132);
	case VSW_PRQ_TCP:
		return ip_any && proto == 6;
	case VSW_PRQ_UDP:
		return ip_any && proto == 17;
	case VSW_PRQ_SCTP:
		return ip_any && proto == 132;
	case VSW_PRQ_ICMP_ANY:
		return (ip && proto == 1) || (ip6 && proto == 58);
	case VSW_PRQ_ICMPV4:
		return ip && proto == 1;
	case VSW_PRQ_ICMPV6:
		return ip6 && proto == 58;
	default:
		return false;
	}
}

/* ---- key access ---- */

uint64_t vsw_member_get(const void *key, const struct vsw_field_loc *loc)
{
	const uint8_t *p = (const uint8_t *)key + loc->ofs;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (loc->size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	case 8:
		memcpy(&u64, p, 8);
		return u64;
	default:
		return 0;
	}
}

void vsw_member_set(void *key, const struct vsw_field_loc *loc, uint64_t v)
{
	uint8_t *p = (uint8_t *)key + loc->ofs;
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (loc->size) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	case 4:
		memcpy(p, &u32, 4);
		break;
	case 8:
		memcpy(p, &v, 8);
		break;
	default:
		break;
	}
}

/* k = (k & ~m) | (v & m) over w bytes as one word (w: a constant where inlined). */
static inline void merge(uint8_t *k, const uint8_t *v, const uint8_t *m, size_t w)
{
	uint64_t kw = 0, vw = 0, mw = 0;

	memcpy(&kw, k, w);
	memcpy(&vw, v, w);
	memcpy(&mw, m, w);
	kw = (kw & ~mw) | (vw & mw);
	memcpy(k, &kw, w);
}

/*
 * The masked copy of n bytes, in the widest words that fit: the key is read
 * as words right after (a lookup, `normal`), and a word written as bytes
 * makes that read wait for the bytes to reach the cache (no store
 * forwarding).
 */
static void masked_copy(uint8_t *k, const uint8_t *v, const uint8_t *m, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		merge(k + i, v + i, m + i, 8);
	for (; i + 4 <= n; i += 4)
		merge(k + i, v + i, m + i, 4);
	for (; i < n; i++)
		merge(k + i, v + i, m + i, 1);
}

void vsw_field_apply(const struct vsw_action *a, struct vsw_flow_key *key)
{
	const struct vsw_field_info *fi = vsw_field_info(a->field);
	uint8_t *k;

	if (a->type != VSW_ACT_SET_FIELD || !fi || !fi->loc.size)
		return;
	k = (uint8_t *)key + fi->loc.ofs;
	masked_copy(k, a->value, a->mask, fi->loc.size);
}
