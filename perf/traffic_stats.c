/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: stamps in received frames, sequence numbers, latency histogram. */

#include "traffic_stats.h"

#include <errno.h>
#include <string.h>

#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8
#define ETH_IPV4 0x0800
#define PROTO_UDP 17
#define VXLAN_PORT 4789
#define VXLAN_HDR 8

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int
vsw_traffic_stamp_find(const uint8_t *frame, uint32_t len, struct vsw_traffic_stamp *st)
{
	for (int depth = 0; depth < 2; depth++) {
		uint32_t off = 14, udp;
		uint16_t type;

		if (len < off)
			return -ENOENT;
		type = be16_at(frame + 12);
		while (type == ETH_VLAN || type == ETH_QINQ) {
			if (len < off + 4)
				return -ENOENT;
			type = be16_at(frame + off + 2);
			off += 4;
		}
		if (type != ETH_IPV4 || len < off + 20 || frame[off + 9] != PROTO_UDP)
			return -ENOENT;
		udp = off + (uint32_t)(frame[off] & 0xf) * 4;
		if (len < udp + 8)
			return -ENOENT;
		if (depth == 0 && be16_at(frame + udp + 2) == VXLAN_PORT) {
			if (len < udp + 8 + VXLAN_HDR)
				return -ENOENT;
			frame += udp + 8 + VXLAN_HDR; /* the inner frame */
			len -= udp + 8 + VXLAN_HDR;
			continue;
		}
		if (len < udp + 8 + sizeof(*st))
			return -ENOENT;
		memcpy(st, frame + udp + 8, sizeof(*st));
		return st->magic == VSW_TRAFFIC_STAMP_MAGIC ? 0 : -ENOENT;
	}
	return -ENOENT;
}

void
vsw_traffic_lat_reset(struct vsw_traffic_lat *l)
{
	memset(l, 0, sizeof(*l));
}

static unsigned int
bucket_of(uint64_t v)
{
	unsigned int e;

	if (v < VSW_TRAFFIC_LAT_SUB)
		return (unsigned int)v;
	e = 63u - (unsigned int)__builtin_clzll(v); /* >= 6 */
	return VSW_TRAFFIC_LAT_SUB * (e - 5) + (unsigned int)((v >> (e - 6)) & 63);
}

/* The middle of a bucket's values. */
static uint64_t
bucket_mid(unsigned int b)
{
	unsigned int g = b / VSW_TRAFFIC_LAT_SUB, sub = b % VSW_TRAFFIC_LAT_SUB, shift;

	if (g == 0)
		return b;
	shift = g - 1; /* e - 6 */
	return ((uint64_t)(VSW_TRAFFIC_LAT_SUB + sub) << shift) + ((1ull << shift) >> 1);
}

void
vsw_traffic_lat_add(struct vsw_traffic_lat *l, uint64_t ns)
{
	if (l->n == 0 || ns < l->min)
		l->min = ns;
	if (ns > l->max)
		l->max = ns;
	l->n++;
	l->bucket[bucket_of(ns)]++;
}

uint64_t
vsw_traffic_lat_quantile(const struct vsw_traffic_lat *l, double q)
{
	uint64_t rank, seen = 0;

	if (l->n == 0)
		return 0;
	if (q <= 0)
		return l->min;
	if (q >= 1)
		return l->max;
	rank = (uint64_t)(q * (double)l->n); /* the (rank+1)-th smallest */
	for (unsigned int b = 0; b < VSW_TRAFFIC_LAT_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen > rank) {
			uint64_t v = bucket_mid(b);

			return v < l->min ? l->min : v > l->max ? l->max : v;
		}
	}
	return l->max;
}

void
vsw_traffic_rx_init(struct vsw_traffic_rx *rx, uint64_t tsc_hz)
{
	memset(rx, 0, sizeof(*rx));
	rx->ns_per_cycle = tsc_hz ? 1e9 / (double)tsc_hz : 0;
}

static struct vsw_traffic_stream *
stream_of(struct vsw_traffic_rx *rx, uint16_t id)
{
	for (unsigned int i = 0; i < rx->n_streams; i++)
		if (rx->streams[i].id == id)
			return &rx->streams[i];
	if (rx->n_streams == VSW_TRAFFIC_MAX_STREAMS)
		return NULL;
	rx->streams[rx->n_streams].id = id;
	return &rx->streams[rx->n_streams++];
}

void
vsw_traffic_rx_frame(struct vsw_traffic_rx *rx, const uint8_t *frame, uint32_t len,
		     uint64_t now)
{
	struct vsw_traffic_stamp st;
	struct vsw_traffic_stream *s;

	if (vsw_traffic_stamp_find(frame, len, &st) < 0)
		return;
	rx->stamped++;
	s = stream_of(rx, st.stream);
	if (s == NULL) {
		rx->other_streams++;
		return;
	}
	s->rx++;
	if (!s->seen_any || st.seq > s->max_seq) {
		s->max_seq = st.seq;
		s->seen_any = true;
	} else {
		s->reordered++;
	}
	if (rx->lat_on && now >= st.tsc)
		vsw_traffic_lat_add(&rx->lat, (uint64_t)((double)(now - st.tsc) * rx->ns_per_cycle));
}

uint64_t
vsw_traffic_rx_seq_loss(const struct vsw_traffic_rx *rx)
{
	uint64_t lost = 0;

	for (unsigned int i = 0; i < rx->n_streams; i++) {
		const struct vsw_traffic_stream *s = &rx->streams[i];
		uint64_t expected = (uint64_t)s->max_seq + 1;

		if (s->seen_any && expected > s->rx)
			lost += expected - s->rx;
	}
	return lost;
}

uint64_t
vsw_traffic_rx_reordered(const struct vsw_traffic_rx *rx)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < rx->n_streams; i++)
		n += rx->streams[i].reordered;
	return n;
}
