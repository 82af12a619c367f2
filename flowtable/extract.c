/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet key extraction (flow.h): one pass over the headers, every read
 * bounds-checked against `len`, per packet on the data path.
 *
 * What a frame has is filled, what it lacks stays zero:
 *   - Ethernet and the outermost VLAN tag (0x8100 or 0x88a8): a frame shorter
 *     than 14 bytes, or whose tag is cut, is malformed (-EINVAL);
 *   - IPv4 (after the outer tag only): addresses, proto, TOS, TTL from a
 *     complete 20-byte header with version 4 and IHL >= 5; L4 from inside the
 *     datagram (IHL honored, total length bounds it), and never for a
 *     fragment other than the first;
 *   - IPv6: addresses, traffic class, hop limit from a complete 40-byte
 *     header; then up to VSW_IPV6_EXT_MAX extension headers (hop-by-hop,
 *     routing, destination options, fragment, AH) are skipped. nw_proto is
 *     the first next-header value not skipped: the upper-layer protocol, or
 *     the extension header that is cut or past the bound (then no L4). A
 *     non-first fragment gives the fragment header's next header and no L4;
 *   - ARP (Ethernet/IPv4, 28 bytes): opcode in nw_proto (0 when > 255, as
 *     Open vSwitch), sender/target IPv4 in nw_src/nw_dst;
 *   - TCP (20-byte header), UDP (8), SCTP (12): ports; ICMP (8), ICMPv6 (4):
 *     type and code in tp_src/tp_dst.
 * A cut L3 or L4 header is not an error (L2 forwarding still works): its
 * fields stay zero.
 */
#include "flow.h"

#include <errno.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_QINQ 0x88a8
#define ETH_TYPE_IPV6 0x86dd

#define IPV4_HLEN 20
#define IPV6_HLEN 40
#define ARP_LEN 28
#define VSW_IPV6_EXT_MAX 8

enum {
	PROTO_HOPOPT = 0,
	PROTO_ICMP = 1,
	PROTO_TCP = 6,
	PROTO_UDP = 17,
	PROTO_ROUTING = 43,
	PROTO_FRAGMENT = 44,
	PROTO_AH = 51,
	PROTO_ICMPV6 = 58,
	PROTO_DSTOPTS = 60,
	PROTO_SCTP = 132,
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* L4 fields from `n` bytes at `p` (the datagram's payload). */
static void extract_l4(const uint8_t *p, size_t n, uint8_t proto, struct vsw_flow_key *key)
{
	size_t need;

	switch (proto) {
	case PROTO_TCP:
		need = 20;
		break;
	case PROTO_UDP:
		need = 8;
		break;
	case PROTO_SCTP:
		need = 12;
		break;
	case PROTO_ICMP:
		need = 8;
		break;
	case PROTO_ICMPV6:
		need = 4;
		break;
	default:
		return;
	}
	if (n < need)
		return;
	if (proto == PROTO_ICMP || proto == PROTO_ICMPV6) {
		key->tp_src = p[0];
		key->tp_dst = p[1];
	} else {
		key->tp_src = be16(p);
		key->tp_dst = be16(p + 2);
	}
}

static void extract_ipv4(const uint8_t *p, size_t n, struct vsw_flow_key *key)
{
	size_t ihl, tot;

	if (n < IPV4_HLEN || p[0] >> 4 != 4 || (p[0] & 0x0f) < 5)
		return;
	key->nw_tos = p[1];
	key->nw_ttl = p[8];
	key->nw_proto = p[9];
	key->nw_src = be32(p + 12);
	key->nw_dst = be32(p + 16);
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = be16(p + 2);
	if (tot < ihl || ihl > n)
		return; /* a bogus total length, or options cut: no L4 */
	if (be16(p + 6) & 0x1fff)
		return; /* not the first fragment */
	if (tot < n)
		n = tot; /* Ethernet padding is not payload */
	extract_l4(p + ihl, n - ihl, key->nw_proto, key);
}

static void extract_ipv6(const uint8_t *p, size_t n, struct vsw_flow_key *key)
{
	uint8_t next;
	size_t off = IPV6_HLEN, end, plen;

	if (n < IPV6_HLEN || p[0] >> 4 != 6)
		return;
	key->nw_tos = (uint8_t)((p[0] & 0x0f) << 4 | p[1] >> 4);
	key->nw_ttl = p[7];
	memcpy(key->ipv6_src, p + 8, 16);
	memcpy(key->ipv6_dst, p + 24, 16);
	plen = be16(p + 4);
	end = plen && IPV6_HLEN + plen < n ? IPV6_HLEN + plen : n; /* padding; 0: jumbo */
	next = p[6];
	for (int i = 0;; i++) {
		size_t hlen;

		if (next != PROTO_HOPOPT && next != PROTO_ROUTING && next != PROTO_DSTOPTS &&
		    next != PROTO_FRAGMENT && next != PROTO_AH)
			break; /* the upper layer */
		if (i == VSW_IPV6_EXT_MAX || end - off < 8) {
			key->nw_proto = next; /* past the bound, or cut */
			return;
		}
		if (next == PROTO_FRAGMENT) {
			if (be16(p + off + 2) & 0xfff8) {
				key->nw_proto = p[off]; /* not the first fragment: no L4 */
				return;
			}
			hlen = 8;
		} else if (next == PROTO_AH) {
			hlen = ((size_t)p[off + 1] + 2) * 4;
		} else {
			hlen = ((size_t)p[off + 1] + 1) * 8;
		}
		if (hlen > end - off) {
			key->nw_proto = next;
			return;
		}
		next = p[off];
		off += hlen;
	}
	key->nw_proto = next;
	extract_l4(p + off, end - off, next, key);
}

static void extract_arp(const uint8_t *p, size_t n, struct vsw_flow_key *key)
{
	uint16_t op;

	if (n < ARP_LEN || be16(p) != 1 || be16(p + 2) != ETH_TYPE_IP || p[4] != 6 || p[5] != 4)
		return;
	op = be16(p + 6);
	key->nw_proto = op <= 0xff ? (uint8_t)op : 0;
	key->nw_src = be32(p + 14);
	key->nw_dst = be32(p + 24);
}

/*
 * Zero the key: eight 16-byte stores. GCC makes a 128-byte memset() a `rep
 * stosq`, whose start-up cost was half of this function's time in a
 * profile of port-to-port forwarding (perf/README.md, "Optimizations").
 */
static inline void key_zero(struct vsw_flow_key *key)
{
#ifdef __SSE2__
	__m128i z = _mm_setzero_si128();
	char *p = (char *)key;

	_Static_assert(sizeof(*key) == 8 * sizeof(z), "eight stores");
	_mm_storeu_si128((__m128i *)(p + 0), z);
	_mm_storeu_si128((__m128i *)(p + 16), z);
	_mm_storeu_si128((__m128i *)(p + 32), z);
	_mm_storeu_si128((__m128i *)(p + 48), z);
	_mm_storeu_si128((__m128i *)(p + 64), z);
	_mm_storeu_si128((__m128i *)(p + 80), z);
	_mm_storeu_si128((__m128i *)(p + 96), z);
	_mm_storeu_si128((__m128i *)(p + 112), z);
#else
	memset(key, 0, sizeof(*key));
#endif
}

int vsw_flow_extract(const void *frame, size_t len, uint32_t in_port,
		     struct vsw_flow_key *key)
{
	const uint8_t *p = frame;
	size_t l3 = ETH_HLEN;
	uint16_t type;

	key_zero(key);
	key->in_port = in_port;
	if (!p || len < ETH_HLEN)
		return -EINVAL;
	memcpy(key->dl_dst, p, VSW_ETH_ALEN);
	memcpy(key->dl_src, p + VSW_ETH_ALEN, VSW_ETH_ALEN);
	type = be16(p + 2 * VSW_ETH_ALEN);
	if (type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return -EINVAL;
		/* The CFI bit of the key means "tagged", whatever the wire said. */
		key->vlan_tci = be16(p + ETH_HLEN) | VSW_VLAN_CFI;
		type = be16(p + ETH_HLEN + 2);
		l3 += VLAN_HLEN;
	}
	key->dl_type = type;
	switch (type) {
	case ETH_TYPE_IP:
		extract_ipv4(p + l3, len - l3, key);
		break;
	case ETH_TYPE_IPV6:
		extract_ipv6(p + l3, len - l3, key);
		break;
	case ETH_TYPE_ARP:
		extract_arp(p + l3, len - l3, key);
		break;
	default:
		break;
	}
	return 0;
}
