/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_STATS_H
#define VSW_TRAFFIC_STATS_H

/*
 * DOC: vsw-traffic receive statistics — latency and sequence numbers
 *
 * Every received frame that carries a stamp (traffic_gen.h) is counted per
 * stream (sender): the highest sequence number seen, frames received and
 * frames that came after a higher one (reordered or duplicated). Loss of a
 * stream is then (highest + 1) - received: the frames never seen, the last
 * ones excepted (a sender that knows what it sent does better: tx - rx).
 *
 * Latency = receive TSC - the stamp's TSC (sender and receiver share the
 * host's invariant TSC), counted only while `lat_on` (after the warm-up),
 * in a log-linear histogram: exact below 64 ns, then 64 buckets per power
 * of two (within 1.6%). Quantiles are the middle of their bucket; min and
 * max are exact.
 *
 * Plain C, no DPDK: tests can feed it frames. Main lcore only.
 */

#include <stdbool.h>
#include <stdint.h>

#define VSW_TRAFFIC_STAMP_MAGIC 0x7673 /* "vs" */
#define VSW_TRAFFIC_MAX_STREAMS 16

/* At the start of the UDP payload, host byte order (sender and receiver share a host). */
struct vsw_traffic_stamp {
	uint16_t magic;
	uint16_t stream;
	uint32_t seq;
	uint64_t tsc;
} __attribute__((packed));
_Static_assert(sizeof(struct vsw_traffic_stamp) == 16, "the stamp is 16 bytes");

/*
 * The stamp of a frame, looked for at the start of the UDP payload behind
 * any 802.1Q/802.1ad tags and, once, inside VXLAN (UDP port 4789).
 * 0 and *st, or -ENOENT when the frame carries none.
 */
int vsw_traffic_stamp_find(const uint8_t *frame, uint32_t len, struct vsw_traffic_stamp *st);
#define VSW_TRAFFIC_LAT_SUB 64 /* buckets per power of two */
#define VSW_TRAFFIC_LAT_BUCKETS (VSW_TRAFFIC_LAT_SUB * 59) /* up to 2^64 ns */

struct vsw_traffic_lat {
	uint64_t n, min, max;
	uint64_t bucket[VSW_TRAFFIC_LAT_BUCKETS];
};

struct vsw_traffic_stream {
	uint16_t id;
	bool seen_any;
	uint32_t max_seq;
	uint64_t rx;
	uint64_t reordered;
};

struct vsw_traffic_rx {
	double ns_per_cycle;
	bool lat_on;
	unsigned int n_streams;
	struct vsw_traffic_stream streams[VSW_TRAFFIC_MAX_STREAMS];
	uint64_t stamped; /* frames with a stamp */
	uint64_t other_streams; /* stamped frames beyond VSW_TRAFFIC_MAX_STREAMS streams */
	struct vsw_traffic_lat lat;
};

void vsw_traffic_rx_init(struct vsw_traffic_rx *rx, uint64_t tsc_hz);
/* One received frame at TSC `now`. */
void vsw_traffic_rx_frame(struct vsw_traffic_rx *rx, const uint8_t *frame, uint32_t len,
			  uint64_t now);
/* Frames missing by sequence number, summed over the streams. */
uint64_t vsw_traffic_rx_seq_loss(const struct vsw_traffic_rx *rx);
uint64_t vsw_traffic_rx_reordered(const struct vsw_traffic_rx *rx);

void vsw_traffic_lat_reset(struct vsw_traffic_lat *l);
void vsw_traffic_lat_add(struct vsw_traffic_lat *l, uint64_t ns);
/* The q-quantile (0 <= q <= 1) in ns; 0 when empty. */
uint64_t vsw_traffic_lat_quantile(const struct vsw_traffic_lat *l, double q);

#endif /* VSW_TRAFFIC_STATS_H */
