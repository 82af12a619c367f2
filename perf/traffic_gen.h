/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_GEN_H
#define VSW_TRAFFIC_GEN_H

/*
 * DOC: vsw-traffic generator — UDP/IPv4 frames with valid checksums, stamped
 *
 * Frames: Ethernet (802.1Q tagged with --vlan), IPv4, UDP, then a 16-byte
 * stamp (struct vsw_traffic_stamp: magic, stream, sequence number, TSC at
 * send time), then zeros up to the frame length (--size without FCS; RFC
 * 2544 benchmark addresses by default). A frame too short for the headers
 * and the stamp is lengthened to fit them.
 *
 * Flows: the frames walk the product of the ranges (traffic_opts.h) like an
 * odometer: the IPv4 source changes fastest, then the destination, the UDP
 * source port, the destination port, and the MAC pair (source and
 * destination MACs step together from their bases). So a sequence of
 * `flows` frames holds each flow once, round after round.
 *
 * VXLAN (--vxlan): each frame as above (the inner frame, --size long) goes
 * out behind 50 bytes of outer headers: Ethernet (the --vxlan MACs), IPv4
 * (SRC_IP -> DST_IP, TTL 64, DF clear), UDP (source 49152 + a hash of the
 * inner flow % 16384, destination 4789, checksum 0), VXLAN (flags 0x08, the
 * VNI), as a VTEP sends them (RFC 7348).
 *
 * IMIX (--size imix): the "simple IMIX" of 64, 594 and 1518-byte frames
 * (with FCS; 60, 590 and 1514 here) in the proportion 7:4:1, interleaved in
 * a fixed cycle of 12 frames; 361.8 bytes on average with FCS.
 *
 * Cost: each generator has its own mbuf pool whose data areas are zeroed
 * once, so a frame costs writing its headers and stamp and two checksums
 * (the zero padding adds nothing to the UDP sum), whatever its length.
 *
 * The stream id names the sender in the stamp (the pid and port), so that a
 * receiver keeps apart the sequence numbers of several senders.
 *
 * Main lcore only; no locking.
 */

#include <stdbool.h>
#include <stdint.h>

#include "traffic_opts.h"
#include "traffic_stats.h"

struct rte_mbuf;
struct rte_mempool;

#define VSW_TRAFFIC_VXLAN_HLEN 50 /* outer Ethernet + IPv4 + UDP + VXLAN */
/* [outer headers] Ethernet + 802.1Q + IPv4 + UDP */
#define VSW_TRAFFIC_HDR_MAX (VSW_TRAFFIC_VXLAN_HLEN + 46)
#define VSW_TRAFFIC_IMIX_CYCLE 12

/* One range of the flow odometer. */
struct vsw_traffic_dim {
	uint32_t base, n, cur;
};

enum { DIM_SRC_IP, DIM_DST_IP, DIM_SRC_PORT, DIM_DST_PORT, DIM_MAC, DIM_N };

struct vsw_traffic_gen {
	struct rte_mempool *mp; /* this generator's frames */
	uint8_t hdr[VSW_TRAFFIC_HDR_MAX]; /* the headers' template */
	uint16_t outer; /* VSW_TRAFFIC_VXLAN_HLEN with --vxlan, else 0 */
	uint16_t l3_off; /* outer + 14, or outer + 18 when tagged */
	uint16_t min_len; /* the inner frame's headers + stamp */
	uint16_t size; /* frame length, VSW_TRAFFIC_SIZE_IMIX for the mix */
	unsigned int imix_pos;
	struct vsw_traffic_dim dim[DIM_N];
	uint8_t src_mac[6], dst_mac[6];
	uint16_t stream;
	uint32_t seq; /* the next frame's */
	uint64_t flows; /* distinct flows: the product of the ranges */
};

/*
 * Set up a generator for options `o`; `mirror`: the reverse stream (MACs,
 * addresses and ports swapped), for the second port of --bidir. Creates the
 * pool `pool_name`. 0 or -errno.
 */
int vsw_traffic_gen_init(struct vsw_traffic_gen *g, const struct vsw_traffic_opts *o,
			 bool mirror, uint16_t stream, const char *pool_name);
void vsw_traffic_gen_fini(struct vsw_traffic_gen *g);

/* The frame length of the i-th frame of an IMIX cycle, without FCS. */
uint16_t vsw_traffic_imix_len(unsigned int i);

/* Allocate and fill up to @n frames. Returns how many (0 if the pool is empty). */
uint16_t vsw_traffic_gen_burst(struct vsw_traffic_gen *g, struct rte_mbuf **pkts, uint16_t n);

#endif /* VSW_TRAFFIC_GEN_H */
