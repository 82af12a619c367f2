/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_RUN_H
#define VSW_TRAFFIC_RUN_H

/*
 * DOC: vsw-traffic main loop
 *
 * One thread, the main lcore, polls everything: the link (every
 * VSW_TRAFFIC_LINK_CHECK_MS, or at once after an LSC event), one receive
 * burst (counted, written to the capture, freed), then one transmit burst
 * from the source (generator or pcap), paced by a token bucket when --rate
 * is set. Frames the PMD did not take stay queued, in order, for the next
 * round; nothing is sent while the link is down, nor before --start-file
 * exists (checked with the link). A round that neither received nor sent
 * anything sleeps, because tests run several DPDK processes on two cores:
 * VSW_TRAFFIC_IDLE_US at first, doubling over an idle spell up to
 * VSW_TRAFFIC_IDLE_MAX_US (the 1024-entry receive ring still absorbs
 * 2 Mpps for that long).
 *
 * It stops on *stop (SIGINT/SIGTERM), --seconds, --expect (with
 * --send-pcap: once the whole pcap was sent too), or, with --send-pcap and
 * neither of those, 1 s after the last frame was sent. Before returning it
 * waits until VSW_TRAFFIC_TX_DRAIN_MS after the last transmit, so that the
 * switch takes what is still in the virtqueue before the port is stopped.
 * Counters: tx_* count frames the PMD accepted, rx_* frames received;
 * bytes are frame lengths without FCS.
 */

#include <signal.h>
#include <stdint.h>

#include "traffic_gen.h"
#include "traffic_opts.h"
#include "traffic_pcap.h"
#include "traffic_port.h"

#define VSW_TRAFFIC_BURST 32
#define VSW_TRAFFIC_IDLE_US 50 /* first sleep of an idle spell */
#define VSW_TRAFFIC_IDLE_MAX_US 500 /* doubling up to this; 1024-entry rings */
#define VSW_TRAFFIC_LINK_CHECK_MS 100
#define VSW_TRAFFIC_FLUSH_MS 1000
#define VSW_TRAFFIC_PCAP_LINGER_MS 1000
#define VSW_TRAFFIC_TX_DRAIN_MS 200 /* after the last transmit, before stop */

struct vsw_traffic_stats {
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	double seconds; /* time spent in vsw_traffic_run() */
};

struct vsw_traffic_run {
	const struct vsw_traffic_opts *opts;
	struct vsw_traffic_port *port;
	struct vsw_traffic_gen *gen; /* NULL unless --gen */
	struct vsw_traffic_pcap_reader *reader; /* NULL unless --send-pcap */
	struct vsw_traffic_pcap_writer *writer; /* NULL unless --capture */
	volatile sig_atomic_t *stop; /* set by the signal handler */
	struct vsw_traffic_stats stats;
	char err[512]; /* the reason, when vsw_traffic_run() fails */
};

/* Run until a stop condition. 0, or -errno with r->err filled. */
int vsw_traffic_run(struct vsw_traffic_run *r);

#endif /* VSW_TRAFFIC_RUN_H */
