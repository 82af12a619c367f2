/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_VHOST_H
#define VSW_VHOST_H

/*
 * DOC: vhost-user sockets (a thin layer over DPDK's rte_vhost)
 *
 * One `struct vsw_vhost` is one vhost-user socket: in server mode the switch
 * creates the socket and a VM (QEMU, or a virtio-user peer) connects; in
 * client mode the switch connects to a socket the VM serves and rte_vhost
 * reconnects by itself whenever the VM goes away and comes back.
 *
 * Threads:
 *  - vsw_vhost_create()/vsw_vhost_destroy() are called by the control thread.
 *  - rte_vhost calls our device callbacks from its own event thread; they only
 *    publish or retract the device id (`vid`).
 *  - vsw_vhost_rx_burst()/vsw_vhost_tx_burst() are called by PMD threads that
 *    are registered readers of the RCU variable given at creation. When a VM
 *    disconnects, the destroy callback retracts the vid and waits for a grace
 *    period before returning to rte_vhost (which frees the virtqueues right
 *    after), so no PMD ever touches a virtqueue that is gone. This replaces the
 *    busy-wait flag handshake of DPDK's examples/vhost.
 *
 * rte_vhost's callbacks carry only a vid, from which we get the socket path;
 * so this layer keeps the one process-wide path -> socket registry, under a
 * mutex. It is private to vhost.c (dataplane/telemetry.h keeps the one
 * other such registry, for the same reason: a callback without a context).
 *
 * Direction words follow the port layer: what the guest transmits is what
 * the switch receives (rx_burst dequeues the guest's TX virtqueue).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

struct vsw_vhost;

/*
 * Register and start a vhost-user socket at `path`. In server mode a stale
 * socket file at `path` is replaced. Returns NULL and sets errno on failure
 * (EEXIST: path already in use by this process; EINVAL: rte_vhost refused).
 */
struct vsw_vhost *vsw_vhost_create(const char *path, bool client, struct rte_rcu_qsbr *qs);

/* Stop and unregister; in server mode the socket file is removed. NULL is fine. */
void vsw_vhost_destroy(struct vsw_vhost *vh);

/* True while a peer is connected and its device is ready for traffic. */
bool vsw_vhost_is_up(const struct vsw_vhost *vh);

/*
 * Multiqueue: a peer may use up to VSW_VHOST_MAX_QUEUES queue pairs; more
 * are never polled. vsw_vhost_n_queues() is the number of leading pairs the
 * peer has enabled (0 while down, else at least 1); it may grow or shrink
 * while the device runs, and a burst on a pair the peer has not enabled
 * moves nothing.
 */
#define VSW_VHOST_MAX_QUEUES 16
uint16_t vsw_vhost_n_queues(const struct vsw_vhost *vh);

/*
 * For monitoring (dump-ports, telemetry): the queue pairs the peer's device
 * has (0 while down), and in *enabled bit q when the peer has enabled both
 * vrings of pair q. Any thread, lock-free.
 */
uint16_t vsw_vhost_queue_pairs(const struct vsw_vhost *vh, uint64_t *enabled);

/* Receive up to n packets that the guest sent on queue pair q. */
uint16_t vsw_vhost_rx_burst(struct vsw_vhost *vh, uint16_t q, struct rte_mempool *mp,
			    struct rte_mbuf **pkts, uint16_t n);

/*
 * Deliver up to n packets to the guest on queue pair q. Returns how many were
 * copied into the guest's buffers. The caller keeps ownership of all mbufs
 * (rte_vhost copies; it never frees them).
 */
uint16_t vsw_vhost_tx_burst(struct vsw_vhost *vh, uint16_t q, struct rte_mbuf **pkts,
			    uint16_t n);

#endif
