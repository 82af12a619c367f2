/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: the UDP/IPv4 frame generator. */

#include "traffic_gen.h"

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

/* Not RTE_IPV4(): it shifts a signed int into the sign bit. */
#define IPV4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			  ((uint32_t)(c) << 8) | (uint32_t)(d))
#define SRC_BASE IPV4(198, 18, 0, 1)
#define DST_ADDR IPV4(198, 19, 0, 1)
#define UDP_SRC_PORT 1024
#define UDP_DST_PORT 9 /* discard */
#define IP_OFF sizeof(struct rte_ether_hdr)
#define UDP_OFF (IP_OFF + sizeof(struct rte_ipv4_hdr))

_Static_assert(UDP_OFF + sizeof(struct rte_udp_hdr) <= VSW_TRAFFIC_MIN_FRAME,
	       "the minimum frame must hold the headers");

/* One's complement sum of 16-bit words in memory order (RFC 1071). */
static uint32_t
sum16(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *b = buf;
	uint16_t w;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		memcpy(&w, b + i, 2);
		sum += w;
	}
	if (len & 1) {
		w = 0;
		memcpy(&w, b + len - 1, 1);
		sum += w;
	}
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	sum = (sum >> 16) + (sum & 0xffff);
	sum = (sum >> 16) + (sum & 0xffff);
	return (uint16_t)sum;
}

void
vsw_traffic_gen_init(struct vsw_traffic_gen *g, const struct vsw_traffic_opts *o)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)g->tmpl;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(g->tmpl + IP_OFF);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(g->tmpl + UDP_OFF);
	uint16_t udp_len = (uint16_t)(o->size - UDP_OFF);
	struct {
		rte_be32_t src, dst;
		uint8_t zero, proto;
		rte_be16_t len;
	} pseudo;

	memset(g, 0, sizeof(*g));
	g->len = o->size;
	g->flows = o->flows;

	memcpy(eth->dst_addr.addr_bytes, o->dst_mac, RTE_ETHER_ADDR_LEN);
	memcpy(eth->src_addr.addr_bytes, o->src_mac, RTE_ETHER_ADDR_LEN);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(o->size - IP_OFF));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = 0; /* per frame */
	ip->dst_addr = rte_cpu_to_be_32(DST_ADDR);
	g->ip_sum = sum16(ip, sizeof(*ip), 0);

	udp->src_port = rte_cpu_to_be_16(UDP_SRC_PORT);
	udp->dst_port = rte_cpu_to_be_16(UDP_DST_PORT);
	udp->dgram_len = rte_cpu_to_be_16(udp_len);
	pseudo.src = 0;
	pseudo.dst = ip->dst_addr;
	pseudo.zero = 0;
	pseudo.proto = IPPROTO_UDP;
	pseudo.len = udp->dgram_len;
	g->udp_sum = sum16(&pseudo, sizeof(pseudo), sum16(udp, udp_len, 0));
}

static void
fill(struct vsw_traffic_gen *g, uint8_t *frame)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + IP_OFF);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(frame + UDP_OFF);
	rte_be32_t src = rte_cpu_to_be_32(SRC_BASE + g->next_flow);
	uint16_t ck;

	memcpy(frame, g->tmpl, g->len);
	ip->src_addr = src;
	ip->hdr_checksum = (uint16_t)~fold(sum16(&src, 4, g->ip_sum));
	ck = (uint16_t)~fold(sum16(&src, 4, g->udp_sum));
	udp->dgram_cksum = ck == 0 ? 0xffff : ck;

	if (++g->next_flow == g->flows)
		g->next_flow = 0;
}

uint16_t
vsw_traffic_gen_burst(struct vsw_traffic_gen *g, struct rte_mempool *mp,
		      struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	if (n == 0 || rte_pktmbuf_alloc_bulk(mp, pkts, n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		fill(g, rte_pktmbuf_mtod(pkts[i], uint8_t *));
		pkts[i]->data_len = g->len;
		pkts[i]->pkt_len = g->len;
	}
	return n;
}
