/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PKT_EDIT_H
#define VSW_PKT_EDIT_H

/*
 * DOC: frame and key edits — what the header-writing actions do to bytes
 *
 * The action executor (pmd_actions.c) owns mbufs, copy-on-write and output;
 * this module owns the bytes. It is plain C with no DPDK, so that unit tests
 * can run every edit over every truncation of a frame.
 *
 * Two sides of one edit, as in Open vSwitch:
 *  - the key (vsw_pkt_key_*): a field is written only when the key satisfies
 *    the field's prerequisites (nw_src needs dl_type IPv4, tp_src needs TCP
 *    or UDP, ...), as OVS sets a field "only if the packet actually has it".
 *    Later lookups in the pipeline see the modified key.
 *  - the frame (vsw_pkt_*): written only when the key side was and the frame
 *    really carries the whole header (vsw_pkt_parse() found it). A truncated
 *    or malformed header is left alone; nothing here reads or writes past
 *    frame[len - 1].
 *
 * Checksums are updated incrementally (RFC 1624): the IPv4 header checksum
 * for TOS, TTL and addresses; the TCP/UDP checksum for ports and for the
 * pseudo-header part of an IPv4 or IPv6 address (ICMPv6 too); the ICMP(v6)
 * checksum for type and code. A UDP checksum of 0 (none) stays 0, and an
 * update that computes 0 is sent as 0xffff (RFC 768). Frames reach us with
 * complete checksums: the vhost layer refuses checksum offloads.
 *
 * An action's value and mask are the bytes of the key member the field lives
 * in, as flowtable/fields.h defines them (vlan_pcp 5 is 0xa000/0xe000 over
 * vlan_tci, ip_dscp 46 is 0xb8/0xfc over nw_tos, nw_ecn 0x03 over nw_tos),
 * so a write touches exactly the mask's bits.
 *
 * Field semantics follow OVS: arp_op lives in the key's nw_proto, icmp
 * type/code in tp_src/tp_dst. dl_type and nw_proto are not writable in OVS;
 * a SET_FIELD on them does nothing (nw_proto on an ARP frame is arp_op).
 *
 * VLAN: the key's vlan_tci carries VSW_VLAN_CFI as "tagged" (flow.h); on the
 * wire that bit is the DEI and we write it as 0, as the OVS datapaths do.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define VSW_ETH_TYPE_IPV4 0x0800
#define VSW_ETH_TYPE_ARP 0x0806
#define VSW_ETH_TYPE_RARP 0x8035
#define VSW_ETH_TYPE_IPV6 0x86dd
#define VSW_ETH_TYPE_VLAN 0x8100
#define VSW_ETH_TYPE_QINQ 0x88a8
#define VSW_VLAN_HLEN 4

/* Where the headers are; 0 means absent (or not whole in the frame). */
struct vsw_pkt_layout {
	uint16_t l3; /* offset of the IPv4/IPv6/ARP header */
	uint16_t l4; /* offset of the TCP/UDP/ICMP header (first fragments only) */
	uint16_t l3_type; /* VSW_ETH_TYPE_IPV4, _IPV6, _ARP or 0 */
	uint8_t l4_proto; /* 6, 17, 1 or 58 when l4 != 0 */
	uint8_t eth; /* 1 when the Ethernet header is whole */
};

/*
 * Find the headers of `frame`, as the key extractor does: at most one VLAN
 * tag, then IPv4 (IHL and total length sane), IPv6 (extension headers
 * skipped) or Ethernet/IPv4 ARP; then TCP, UDP, ICMP or ICMPv6 when the whole
 * fixed header is there and this is not a later fragment.
 */
void vsw_pkt_parse(const uint8_t *frame, size_t len, struct vsw_pkt_layout *lay);

/*
 * Every edit takes its SET_FIELD action whole. `value` and `mask` are the
 * bytes of the key member the field lives in (flowtable/fields.h).
 */

/* The integer a->value or a->mask (`b`) holds for an integer field; 0 for bytes. */
uint64_t vsw_pkt_field_int(const struct vsw_action *a, const uint8_t b[16]);
/* True for the fields that exist only in the key (tun_*, metadata, regs, in_port). */
bool vsw_pkt_field_is_meta(unsigned field);
/* True for vlan_vid, vlan_pcp and vlan_tci: writing them may add or remove a tag. */
static inline bool vsw_pkt_field_is_vlan(unsigned field)
{
	return field == VSW_F_VLAN_VID || field == VSW_F_VLAN_PCP || field == VSW_F_VLAN_TCI;
}

/* Key side. */
bool vsw_pkt_key_has_field(const struct vsw_flow_key *key, unsigned field);
/*
 * (field & ~mask) | (value & mask) when the key has the field (not for VLAN
 * fields). Returns whether it had it, i.e. whether the action applies.
 */
bool vsw_pkt_key_set_field(struct vsw_flow_key *key, const struct vsw_action *a);
/* The key's vlan_tci after SET_FIELD on VLAN_VID, VLAN_PCP or VLAN_TCI. */
uint16_t vsw_pkt_vlan_tci_after(uint16_t tci, const struct vsw_action *a);

/* Frame side: does the frame carry the field's header whole? (Not for VLAN fields.) */
bool vsw_pkt_has_field(const struct vsw_pkt_layout *lay, unsigned field);
/* Write the field into the frame and fix checksums; only when vsw_pkt_has_field(). */
void vsw_pkt_set_field(uint8_t *frame, const struct vsw_pkt_layout *lay,
		       const struct vsw_action *a);
/* TTL / hop limit minus one (IPv4 checksum fixed); only when lay->l3 is IP. */
void vsw_pkt_dec_ttl(uint8_t *frame, const struct vsw_pkt_layout *lay);

/* VLAN tags on the frame. */
bool vsw_pkt_vlan_tagged(const uint8_t *frame, size_t len); /* a whole outer tag */
void vsw_pkt_vlan_set_tci(uint8_t *frame, uint16_t wire_tci); /* tagged frames only */
/*
 * Push: `frame` starts VSW_VLAN_HLEN bytes before the old frame (the caller
 * grew it at the front); the addresses move down and the tag goes after them.
 */
void vsw_pkt_vlan_push(uint8_t *frame, uint16_t tpid, uint16_t wire_tci);
/* Pop: the addresses move up over the tag; the caller then trims VSW_VLAN_HLEN. */
void vsw_pkt_vlan_pop(uint8_t *frame);

#endif
