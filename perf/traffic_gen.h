/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_GEN_H
#define VSW_TRAFFIC_GEN_H

/*
 * DOC: vsw-traffic generator — UDP/IPv4 frames with valid checksums
 *
 * Every frame is the same template (Ethernet, IPv4 198.18.x.y -> 198.19.0.1,
 * UDP 1024 -> 9, zero payload; RFC 2544 benchmark addresses) of --size bytes
 * without FCS. Only the IPv4 source changes, round-robin over --flows
 * addresses from 198.18.0.1. The IPv4 header and UDP checksums of the
 * template are summed once without the source address; a frame adds its
 * source and folds, so building one costs a copy and two additions.
 *
 * Main lcore only; no locking.
 */

#include <stdint.h>

#include "traffic_opts.h"

struct rte_mbuf;
struct rte_mempool;

struct vsw_traffic_gen {
	uint8_t tmpl[VSW_TRAFFIC_MAX_FRAME];
	uint16_t len;
	uint32_t flows;
	uint32_t next_flow;
	uint32_t ip_sum; /* IPv4 header sum, source and checksum zero */
	uint32_t udp_sum; /* pseudo header + UDP sum, source and checksum zero */
};

void vsw_traffic_gen_init(struct vsw_traffic_gen *g, const struct vsw_traffic_opts *o);

/* Allocate and fill up to @n frames from @mp. Returns how many (0 if the
 * pool is empty). */
uint16_t vsw_traffic_gen_burst(struct vsw_traffic_gen *g, struct rte_mempool *mp,
			       struct rte_mbuf **pkts, uint16_t n);

#endif /* VSW_TRAFFIC_GEN_H */
