/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PKT_VXLAN_H
#define VSW_PKT_VXLAN_H

/*
 * DOC: VXLAN bytes — what a VTEP reads and writes (RFC 7348)
 *
 * Plain C with no DPDK, like pkt_edit.h, so that unit tests can run every
 * check over every truncation of a frame. The dataplane's VXLAN port
 * (port_vxlan.c, pmd_vxlan.c) owns mbufs; this module owns the bytes.
 *
 * An encapsulated frame is 50 bytes of outer headers, then the inner
 * Ethernet frame:
 *
 *   Ethernet  next hop's MAC, our MAC, 0x0800                        14
 *   IPv4      0x45, TOS 0, total length, ID, flags 0 (DF clear),      20
 *             TTL 64, protocol 17, header checksum, local IP, remote
 *   UDP       source 49152 + hash(inner flow) % 16384, 4789,          8
 *             length, checksum 0 (RFC 7348: SHOULD be zero)
 *   VXLAN     flags 0x08 (I: the VNI is valid), 3 reserved bytes,     8
 *             VNI (24 bits), 1 reserved byte
 *
 * Receive: vsw_vxlan_rx_check() sorts a frame that came in on the underlay:
 *  - VSW_VXLAN_DECAP: untagged Ethernet to our MAC, IPv4 to our IP, UDP to
 *    port 4789, I flag set, an inner frame of at least 14 bytes: the VNI,
 *    the outer source and where the inner frame lies;
 *  - VSW_VXLAN_MALFORMED: to our MAC and IP, UDP, not to another port, and
 *    unusable: the IP options or the UDP header are cut (we cannot tell the
 *    port, and nothing but VXLAN lives on our address), the IP header
 *    checksum is wrong, the frame is shorter than the IP total length says
 *    or the UDP length exceeds the datagram (truncated), the VXLAN header
 *    is cut, the I flag is clear, the inner frame is shorter than Ethernet,
 *    or it is a first fragment (RFC 7348 4.3: a VTEP may discard fragments;
 *    we do not reassemble);
 *  - VSW_VXLAN_ARP: an Ethernet/IPv4 ARP request whose target is our IP
 *    (broadcast or to our MAC, from a unicast sender): answer it with
 *    vsw_vxlan_arp_reply();
 *  - VSW_VXLAN_OTHER: everything else (other MACs, addresses, protocols,
 *    UDP ports, later fragments, VLAN-tagged frames, frames too short to
 *    hold an IPv4 header): an ordinary frame of the underlay port.
 * Reserved bits and the other flag bits are ignored, as the RFC says; a
 * non-zero UDP checksum is not verified (the RFC allows either).
 *
 * Nothing here reads past frame[len - 1] or keeps state: safe from any thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define VSW_VXLAN_UDP_PORT 4789
#define VSW_VXLAN_HLEN 50 /* outer Ethernet + IPv4 + UDP + VXLAN */
#define VSW_VXLAN_OUTER_IP_OVERHEAD 36 /* IPv4 + UDP + VXLAN: total length - inner */
#define VSW_VXLAN_SPORT_BASE 49152
#define VSW_VXLAN_SPORT_RANGE 16384
#define VSW_VXLAN_TTL 64
#define VSW_VXLAN_VNI_MAX 0xffffffu
#define VSW_ARP_FRAME_LEN 42 /* Ethernet + Ethernet/IPv4 ARP */

/* This VTEP: where VXLAN frames come to and go from. */
struct vsw_vxlan_local {
	uint32_t ip; /* network order */
	uint8_t mac[VSW_ETH_ALEN];
};

enum vsw_vxlan_verdict {
	VSW_VXLAN_OTHER, /* an ordinary frame of the underlay */
	VSW_VXLAN_DECAP, /* VXLAN for us: see struct vsw_vxlan_rx */
	VSW_VXLAN_MALFORMED, /* for us, unusable: drop, count vxlan_malformed */
	VSW_VXLAN_ARP, /* an ARP request for our IP: answer it */
};

/* What a VSW_VXLAN_DECAP frame carries. */
struct vsw_vxlan_rx {
	uint32_t vni;
	uint32_t src_ip; /* the outer source address, network order */
	uint16_t inner_off; /* the inner Ethernet frame starts here */
	uint16_t inner_len; /* and has this many bytes (the UDP length says) */
};

enum vsw_vxlan_verdict vsw_vxlan_rx_check(const uint8_t *frame, size_t len,
					  const struct vsw_vxlan_local *local,
					  struct vsw_vxlan_rx *rx);

/* One encapsulation: where to and what the outer headers say. */
struct vsw_vxlan_tx {
	uint8_t dst_mac[VSW_ETH_ALEN]; /* the next hop's */
	uint32_t dst_ip; /* the remote VTEP, network order */
	uint32_t vni; /* 24 bits */
	uint16_t src_port; /* vsw_vxlan_src_port() */
	uint16_t ip_id;
};

/*
 * Write the 50 outer bytes for an inner frame of `inner_len` bytes (the
 * caller checks that the IPv4 total length, inner_len + 36, fits its MTU).
 */
void vsw_vxlan_encap(uint8_t hdr[VSW_VXLAN_HLEN], const struct vsw_vxlan_local *local,
		     const struct vsw_vxlan_tx *tx, size_t inner_len);

/*
 * The UDP source port for an inner flow, 49152..65535: a hash of the inner
 * frame's addresses, EtherType, IP protocol and L4 ports (never of the input
 * port or metadata), so one flow always takes one path through an ECMP
 * underlay and different flows spread.
 */
uint16_t vsw_vxlan_src_port(const struct vsw_flow_key *inner);

/* The reply to an ARP request vsw_vxlan_rx_check() called VSW_VXLAN_ARP. */
void vsw_vxlan_arp_reply(const uint8_t *req, const struct vsw_vxlan_local *local,
			 uint8_t reply[VSW_ARP_FRAME_LEN]);

/* The IPv4 header checksum over `len` bytes (the checksum field included). */
uint16_t vsw_ipv4_csum(const uint8_t *hdr, size_t len);

#endif
