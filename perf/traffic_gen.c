/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: the UDP/IPv4 frame generator and the stamp in its payload. */

#include "traffic_gen.h"

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#define NB_MBUF 8191
#define MBUF_CACHE 256

static const uint16_t imix[VSW_TRAFFIC_IMIX_CYCLE] = {
	60, 590, 60, 60, 1514, 60, 590, 60, 60, 590, 60, 590,
};

uint16_t
vsw_traffic_imix_len(unsigned int i)
{
	return imix[i % VSW_TRAFFIC_IMIX_CYCLE];
}

/* One's complement sum of 16-bit words in memory order (RFC 1071); even len. */
static uint32_t
sum16(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *b = buf;
	uint16_t w;

	for (size_t i = 0; i + 1 < len; i += 2) {
		memcpy(&w, b + i, 2);
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

/* Zero each frame's data area once: padding is never written again. */
static void
zero_frame(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;

	(void)mp;
	(void)arg;
	(void)idx;
	memset((uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM, 0,
	       m->buf_len - RTE_PKTMBUF_HEADROOM);
}

static void
set_dim(struct vsw_traffic_dim *d, const struct vsw_traffic_range *r)
{
	d->base = r->lo;
	d->n = r->hi - r->lo + 1;
	d->cur = 0;
}

/* The outer headers' template (--vxlan): what changes per frame is left 0. */
static void
outer_template(struct vsw_traffic_gen *g, const struct vsw_traffic_opts *o)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)g->hdr;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *vx = (uint8_t *)(udp + 1);

	g->outer = VSW_TRAFFIC_VXLAN_HLEN;
	memcpy(eth->dst_addr.addr_bytes, o->vxlan_dst_mac, 6);
	memcpy(eth->src_addr.addr_bytes, o->vxlan_src_mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(o->vxlan_src);
	ip->dst_addr = rte_cpu_to_be_32(o->vxlan_dst);
	udp->dst_port = rte_cpu_to_be_16(4789);
	vx[0] = 0x08; /* I: the VNI is valid */
	vx[4] = (uint8_t)(o->vxlan_vni >> 16);
	vx[5] = (uint8_t)(o->vxlan_vni >> 8);
	vx[6] = (uint8_t)o->vxlan_vni;
}

/* Complete the outer headers of a frame whose inner frame is `inner_len` long. */
static void
fill_outer(uint8_t *frame, uint16_t inner_len, const struct vsw_traffic_dim *d)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint32_t h = (d[DIM_SRC_IP].cur * 31 + d[DIM_DST_IP].cur) * 31 + d[DIM_SRC_PORT].cur;

	h = (h * 31 + d[DIM_DST_PORT].cur) * 31 + d[DIM_MAC].cur;
	h *= 2654435761u;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(inner_len + 36));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(49152 + (h >> 18)));
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(inner_len + 16));
}

int
vsw_traffic_gen_init(struct vsw_traffic_gen *g, const struct vsw_traffic_opts *o,
		     bool mirror, uint16_t stream, const char *pool_name)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)g->hdr;
	struct rte_ipv4_hdr *ip;

	memset(g, 0, sizeof(*g));
	g->stream = stream;
	g->size = o->size;
	memcpy(g->src_mac, mirror ? o->dst_mac : o->src_mac, 6);
	memcpy(g->dst_mac, mirror ? o->src_mac : o->dst_mac, 6);
	set_dim(&g->dim[DIM_SRC_IP], mirror ? &o->dst_ip : &o->src_ip);
	set_dim(&g->dim[DIM_DST_IP], mirror ? &o->src_ip : &o->dst_ip);
	set_dim(&g->dim[DIM_SRC_PORT], mirror ? &o->dst_port : &o->src_port);
	set_dim(&g->dim[DIM_DST_PORT], mirror ? &o->src_port : &o->dst_port);
	g->dim[DIM_MAC] = (struct vsw_traffic_dim){ .base = 0, .n = o->macs };
	g->flows = 1;
	for (int d = 0; d < DIM_N; d++)
		g->flows *= g->dim[d].n;

	if (o->vxlan) {
		outer_template(g, o);
		eth = (struct rte_ether_hdr *)(g->hdr + g->outer);
	}
	g->l3_off = (uint16_t)(g->outer + sizeof(*eth));
	if (o->vlan != 0) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(o->vlan);
		vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		g->l3_off += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	}
	ip = (struct rte_ipv4_hdr *)(g->hdr + g->l3_off);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	g->min_len = (uint16_t)(g->l3_off - g->outer + sizeof(*ip) + sizeof(struct rte_udp_hdr) +
				sizeof(struct vsw_traffic_stamp));

	g->mp = rte_pktmbuf_pool_create(pool_name, NB_MBUF, MBUF_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (g->mp == NULL)
		return -rte_errno;
	rte_mempool_obj_iter(g->mp, zero_frame, NULL);
	return 0;
}

void
vsw_traffic_gen_fini(struct vsw_traffic_gen *g)
{
	rte_mempool_free(g->mp);
	g->mp = NULL;
}

/* base + k in the low 24 bits of a MAC (the OUI part stays). */
static void
mac_plus(uint8_t *out, const uint8_t *base, uint32_t k)
{
	uint32_t low = ((uint32_t)base[3] << 16 | (uint32_t)base[4] << 8 | base[5]) + k;

	memcpy(out, base, 3);
	out[3] = (uint8_t)(low >> 16);
	out[4] = (uint8_t)(low >> 8);
	out[5] = (uint8_t)low;
}

static void
advance(struct vsw_traffic_gen *g)
{
	for (int d = 0; d < DIM_N; d++) {
		if (++g->dim[d].cur < g->dim[d].n)
			return;
		g->dim[d].cur = 0;
	}
}

static uint16_t
next_len(struct vsw_traffic_gen *g)
{
	uint16_t len = g->size;

	if (len == VSW_TRAFFIC_SIZE_IMIX) {
		len = imix[g->imix_pos];
		g->imix_pos = (g->imix_pos + 1) % VSW_TRAFFIC_IMIX_CYCLE;
	}
	return len < g->min_len ? g->min_len : len;
}

/*
 * Write one frame's headers and stamp (`len`: the inner frame's length with
 * --vxlan); the rest of the frame is zeros already.
 */
static void
fill(struct vsw_traffic_gen *g, uint8_t *frame, uint16_t len, uint64_t tsc)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + g->l3_off);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct vsw_traffic_stamp st = {
		.magic = VSW_TRAFFIC_STAMP_MAGIC, .stream = g->stream, .seq = g->seq++, .tsc = tsc,
	};
	const struct vsw_traffic_dim *d = g->dim;
	uint16_t inner_l3 = (uint16_t)(g->l3_off - g->outer);
	uint16_t udp_len = (uint16_t)(len - inner_l3 - sizeof(*ip));
	uint32_t sum;
	uint16_t ck;

	memcpy(frame, g->hdr, g->l3_off + sizeof(*ip) + sizeof(*udp));
	if (g->outer)
		fill_outer(frame, len, d);
	eth = (struct rte_ether_hdr *)(frame + g->outer);
	mac_plus(eth->dst_addr.addr_bytes, g->dst_mac, d[DIM_MAC].cur);
	mac_plus(eth->src_addr.addr_bytes, g->src_mac, d[DIM_MAC].cur);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - inner_l3));
	ip->src_addr = rte_cpu_to_be_32(d[DIM_SRC_IP].base + d[DIM_SRC_IP].cur);
	ip->dst_addr = rte_cpu_to_be_32(d[DIM_DST_IP].base + d[DIM_DST_IP].cur);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(d[DIM_SRC_PORT].base + d[DIM_SRC_PORT].cur));
	udp->dst_port = rte_cpu_to_be_16((uint16_t)(d[DIM_DST_PORT].base + d[DIM_DST_PORT].cur));
	udp->dgram_len = rte_cpu_to_be_16(udp_len);
	udp->dgram_cksum = 0;
	memcpy(udp + 1, &st, sizeof(st));

	/* Pseudo header, UDP header, stamp; the zero padding adds nothing. */
	sum = sum16(&ip->src_addr, 8, 0) + rte_cpu_to_be_16(IPPROTO_UDP) + udp->dgram_len;
	sum = sum16(udp, sizeof(*udp) + sizeof(st), sum);
	ck = (uint16_t)~fold(sum);
	udp->dgram_cksum = ck == 0 ? 0xffff : ck;
	advance(g);
}

uint16_t
vsw_traffic_gen_burst(struct vsw_traffic_gen *g, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t tsc = rte_rdtsc();

	if (n == 0 || rte_pktmbuf_alloc_bulk(g->mp, pkts, n) < 0)
		return 0;
	for (uint16_t i = 0; i < n; i++) {
		uint16_t len = next_len(g);

		fill(g, rte_pktmbuf_mtod(pkts[i], uint8_t *), len, tsc);
		pkts[i]->data_len = (uint16_t)(g->outer + len);
		pkts[i]->pkt_len = (uint16_t)(g->outer + len);
	}
	return n;
}
