/* SPDX-License-Identifier: BSD-3-Clause */
/* Key side of the header-writing actions: prerequisites and masked writes (pkt_edit.h). */
#include "pkt_edit.h"

#include "fields.h"

/*
 * An action's value and mask are the bytes of the key member its field lives
 * in (flowtable/fields.h): a host-order integer of the member's size with
 * mask bits only inside the field (vlan_pcp 5 is 0xa000/0xe000 over
 * vlan_tci, ip_dscp 46 is 0xb8/0xfc over nw_tos), or the bytes of a MAC or
 * IPv6 address. fields.h knows each member; vsw_field_apply() writes it.
 */
uint64_t vsw_pkt_field_int(const struct vsw_action *a, const uint8_t b[16])
{
	const struct vsw_field_info *fi = vsw_field_info(a->field);
	struct vsw_field_loc loc;

	if (!fi)
		return 0;
	loc = fi->loc;
	loc.ofs = 0; /* the member's bytes start the value */
	return vsw_member_get(b, &loc); /* 0 for MACs and IPv6 addresses */
}

bool vsw_pkt_field_is_meta(unsigned f)
{
	return f == VSW_F_TUN_ID || f == VSW_F_TUN_SRC || f == VSW_F_TUN_DST ||
	       f == VSW_F_METADATA || f == VSW_F_IN_PORT || (f >= VSW_F_REG0 && f <= VSW_F_REG7);
}

bool vsw_pkt_key_has_field(const struct vsw_flow_key *key, unsigned f)
{
	bool ip4 = key->dl_type == VSW_ETH_TYPE_IPV4, ip6 = key->dl_type == VSW_ETH_TYPE_IPV6;
	bool arp = key->dl_type == VSW_ETH_TYPE_ARP || key->dl_type == VSW_ETH_TYPE_RARP;

	switch (f) {
	case VSW_F_NW_SRC:
	case VSW_F_NW_DST:
		return ip4;
	case VSW_F_IPV6_SRC:
	case VSW_F_IPV6_DST:
		return ip6;
	case VSW_F_NW_TOS:
	case VSW_F_IP_DSCP:
	case VSW_F_NW_TTL:
		return ip4 || ip6;
	case VSW_F_TP_SRC:
	case VSW_F_TP_DST:
		return (ip4 || ip6) && (key->nw_proto == 6 || key->nw_proto == 17);
	case VSW_F_ICMP_TYPE:
	case VSW_F_ICMP_CODE:
		return (ip4 && key->nw_proto == 1) || (ip6 && key->nw_proto == 58);
	case VSW_F_ARP_OP:
	case VSW_F_ARP_SPA:
	case VSW_F_ARP_TPA:
	case VSW_F_NW_PROTO: /* not writable in OVS; arp_op's home in our key */
		return arp;
	case VSW_F_DL_TYPE: /* not writable in OVS */
		return false;
	default:
		return f < VSW_F_N;
	}
}

bool vsw_pkt_key_set_field(struct vsw_flow_key *key, const struct vsw_action *a)
{
	if (vsw_pkt_field_is_vlan(a->field) || !vsw_pkt_key_has_field(key, a->field))
		return false; /* VLAN: vsw_pkt_vlan_tci_after(), a tag comes or goes */
	vsw_field_apply(a, key);
	return true;
}

uint16_t vsw_pkt_vlan_tci_after(uint16_t tci, const struct vsw_action *a)
{
	uint16_t v = (uint16_t)vsw_pkt_field_int(a, a->value);
	uint16_t m = (uint16_t)vsw_pkt_field_int(a, a->mask);

	switch (a->field) {
	case VSW_F_VLAN_VID: /* mod_vlan_vid tags an untagged frame, PCP 0 */
		m &= VSW_VLAN_VID_MASK;
		return (uint16_t)((tci & ~m) | (v & m) | VSW_VLAN_CFI);
	case VSW_F_VLAN_PCP: /* bits 13..15, in place */
		m &= 0xe000;
		return (uint16_t)((tci & ~m) | (v & m) | VSW_VLAN_CFI);
	case VSW_F_VLAN_TCI: /* the CFI bit says tagged: clearing it pops the tag */
		return (uint16_t)((tci & ~m) | (v & m));
	default:
		return tci;
	}
}
