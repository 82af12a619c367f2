/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_RUN_H
#define VSW_TRAFFIC_RUN_H

/*
 * DOC: vsw-traffic main loop
 *
 * One thread, the main lcore, polls everything: the links (every
 * VSW_TRAFFIC_LINK_CHECK_MS, or at once after an LSC event), one receive
 * burst per queue of each port (counted, stamps read, written to the
 * capture, freed), then one transmit burst per sending port from its source
 * (generator or pcap), on its queues in turn, paced by a token bucket per
 * port when --rate is set. Frames the PMD did not take stay queued, in
 * order, for the next round; nothing is sent while the link is down, nor
 * before --start-file exists (checked with the link). A round that neither
 * received nor sent anything sleeps, because tests run several DPDK
 * processes on two cores: VSW_TRAFFIC_IDLE_US at first, doubling over an
 * idle spell up to VSW_TRAFFIC_IDLE_MAX_US (the 1024-entry receive ring
 * still absorbs 2 Mpps for that long).
 *
 * Two ports (--socket twice): the first sends and the second receives, or
 * with --bidir both send (the second the mirror stream) and both receive.
 * With --queues N, each transmit burst goes to the next queue in turn (so
 * a flow's frames may overtake each other through the switch: "reordered"),
 * and every queue is polled for receive.
 *
 * It stops on *stop (SIGINT/SIGTERM), --warmup + --seconds, --expect (with
 * --send-pcap or --count: once every frame was sent too), or, with
 * --send-pcap or --count and neither of those, 1 s after the last frame
 * was sent. It then sends no
 * more but keeps receiving until VSW_TRAFFIC_TX_DRAIN_MS after the last
 * transmit, so that the switch takes what is still in the virtqueues and
 * what it forwards arrives, before the ports are stopped.
 *
 * Counters: tx_* count frames the PMD accepted, rx_* frames received, over
 * the whole run; bytes are frame lengths without FCS. The measurement
 * window runs from the end of --warmup to the moment sending stops: rates
 * (packets/s, and Gbit/s of frames with their FCS) and latency come from
 * it. Loss is over the whole run once drained: with two ports, frames sent
 * minus frames received; with one, the frames missing by sequence number.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "traffic_gen.h"
#include "traffic_opts.h"
#include "traffic_pcap.h"
#include "traffic_port.h"
#include "traffic_stats.h"

#define VSW_TRAFFIC_BURST 32
#define VSW_TRAFFIC_IDLE_US 50 /* first sleep of an idle spell */
#define VSW_TRAFFIC_IDLE_MAX_US 500 /* doubling up to this; 1024-entry rings */
#define VSW_TRAFFIC_LINK_CHECK_MS 100
#define VSW_TRAFFIC_FLUSH_MS 1000
#define VSW_TRAFFIC_PCAP_LINGER_MS 1000
#define VSW_TRAFFIC_TX_DRAIN_MS 200 /* after the last transmit, before stop */

struct vsw_traffic_counts {
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t rx_packets;
	uint64_t rx_bytes;
};

struct vsw_traffic_stats {
	uint64_t tx_packets; /* whole run, every port */
	uint64_t tx_bytes;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	double seconds; /* time spent in vsw_traffic_run() */
	double window; /* the measurement window, seconds */
	struct vsw_traffic_counts win; /* ... and what it counted */
	uint64_t loss;
	uint64_t loss_base; /* what loss is a share of */
	uint64_t reordered;
};

/* Token bucket: one token per frame, at most 10 ms (or a burst) saved up. */
struct vsw_traffic_pacer {
	double per_cycle; /* tokens per TSC cycle; 0 = unlimited */
	double tokens;
	double cap;
	uint64_t last;
};

/* One attached port and what it sends. */
struct vsw_traffic_lane {
	struct vsw_traffic_port *port;
	struct vsw_traffic_gen *gen; /* NULL: sends no generated frames */
	struct vsw_traffic_pacer pacer;
	struct rte_mbuf *q[VSW_TRAFFIC_BURST]; /* taken from the source, not yet sent */
	uint16_t qn;
	uint16_t next_txq;
	bool link_up;
	struct vsw_traffic_counts c;
};

struct vsw_traffic_run {
	const struct vsw_traffic_opts *opts;
	unsigned int n_lanes;
	struct vsw_traffic_lane lanes[VSW_TRAFFIC_MAX_PORTS];
	struct vsw_traffic_pcap_reader *reader; /* NULL unless --send-pcap (lane 0) */
	struct vsw_traffic_pcap_writer *writer; /* NULL unless --capture (lane 0) */
	volatile sig_atomic_t *stop; /* set by the signal handler */
	struct vsw_traffic_rx rx;
	struct vsw_traffic_stats stats;
	char err[512]; /* the reason, when vsw_traffic_run() fails */
};

/* Run until a stop condition. 0, or -errno with r->err filled. */
int vsw_traffic_run(struct vsw_traffic_run *r);

/* The result: one line of text, then one line of JSON (traffic_report.c). */
void vsw_traffic_report(const struct vsw_traffic_run *r, FILE *out);

#endif /* VSW_TRAFFIC_RUN_H */
