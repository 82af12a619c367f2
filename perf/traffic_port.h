/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_PORT_H
#define VSW_TRAFFIC_PORT_H

/*
 * DOC: vsw-traffic port — EAL and the one virtio-user port
 *
 * vsw_traffic_eal_init() builds the EAL argv from our options. The devices are
 * not put on the EAL command line: each is hot-plugged afterwards
 * (rte_eal_hotplug_add("vdev", "net_virtio_userN", "path=...")), so that
 * attaching can be retried and, in client mode, redone after the switch went
 * away. Facts this relies on (DPDK 22.11):
 *
 *  - --no-huge forces legacy memory, which EAL refuses together with
 *    --in-memory; without hugepages we use --no-huge -m 256 --no-shconf.
 *    The --no-huge memory is one memfd, so virtio-user can still hand it to
 *    the vhost-user backend. With --huge: --in-memory --single-file-segments.
 *  - Client mode (default): the PMD connects once, at probe. When the peer
 *    closes the socket the link goes down for good. We then remove the device
 *    (after VSW_TRAFFIC_SETTLE_MS: the PMD's own disconnect alarm must have
 *    run) and probe it again every VSW_TRAFFIC_RETRY_MS until the switch is
 *    back.
 *  - Server mode (server=1): the probe blocks in accept() until the switch
 *    connects; the caller arms a timer signal to bound it. After a disconnect
 *    the PMD itself accepts the next connection when the link status is read
 *    (or its interrupt fires), so we only keep polling the link.
 *
 * Thread-safety: everything here runs on the main lcore, except the LSC
 * callback, which runs on the EAL interrupt thread and only sets a flag.
 */

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "traffic_opts.h"

struct rte_mempool;

#define VSW_TRAFFIC_RETRY_MS 200
#define VSW_TRAFFIC_SETTLE_MS 50 /* down this long before a client re-attach */
/* Virtqueue size: 1024 rides out ~10 ms off-CPU at 100 kpps (2 shared cores). */
#define VSW_TRAFFIC_QUEUE_SIZE 1024u
/* Multiqueue: virtio-user queues=N; its control queue tells the switch to
 * use N pairs (VIRTIO_NET_CTRL_MQ). */

struct vsw_traffic_port {
	const struct vsw_traffic_opts *opts;
	unsigned int index; /* which --socket: 0 or 1 */
	const char *socket;
	struct rte_mempool *mp; /* receive buffers (and the pcap source's) */
	char devname[32]; /* net_virtio_userN */
	char devargs[PATH_MAX + 96];
	uint16_t port_id;
	bool attached; /* device probed and started */
	bool lsc_on; /* the PMD reports link changes by interrupt */
	uint64_t next_retry_tsc; /* client mode: next attach attempt */
	atomic_bool lsc; /* set on the interrupt thread by the LSC event */
	bool link_up; /* as last read by vsw_traffic_port_poll() */
	uint64_t down_tsc; /* client mode: when the link was first seen down */
	unsigned int attaches; /* successful attaches, > 1 after a reconnect */
};

/* Build the EAL argv from @o and run rte_eal_init(). 0 or -errno. */
int vsw_traffic_eal_init(const struct vsw_traffic_opts *o, const char *prog);

/* rte_eal_cleanup(), then remove the runtime directory if empty. */
void vsw_traffic_eal_cleanup(void);

/*
 * Create the mbuf pool and attach the port for --socket number `index`
 * once, with o->queues queue pairs. Returns 0, -EAGAIN when the device
 * could not be attached yet (no switch; retry with vsw_traffic_port_poll()),
 * or another -errno for a fatal error.
 */
int vsw_traffic_port_open(struct vsw_traffic_port *p, const struct vsw_traffic_opts *o,
			  unsigned int index);

/*
 * Read the link state: 1 up, 0 down or not attached. Call it every few tens
 * of milliseconds, and soon after p->lsc was set. In client mode a down link
 * means the peer went away: the device is removed and attached again (at
 * most once per VSW_TRAFFIC_RETRY_MS) on later calls. Main lcore only.
 */
int vsw_traffic_port_poll(struct vsw_traffic_port *p);

/* Stop, close and remove the device; free the pool. Idempotent. */
void vsw_traffic_port_close(struct vsw_traffic_port *p);

#endif /* VSW_TRAFFIC_PORT_H */
