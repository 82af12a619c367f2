/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PORT_H
#define VSW_PORT_H

/*
 * DOC: ports — one registry, one ops table, one adapter per port type
 *
 * A `struct vsw_port` is created and destroyed by the control thread only.
 * PMD threads find ports through the published `struct vsw_portset` (an
 * immutable snapshot, see dp.h), so a port removed from the set is freed
 * only after a grace period.
 *
 * Types: "vhost-user" (port_vhost.c, a VM's NIC), "tap" and "dpdk"
 * (port_ethdev.c: a kernel interface through DPDK's net_tap, or any DPDK
 * Ethernet device given by devargs: a PCI NIC, net_af_packet, ...).
 * A tunnel port (type vxlan, vxlan.h) rides on another port, its
 * `underlay`, and has no queues of its own; the published set maps each
 * underlay to the tunnel it carries.
 *
 * Counters: rx counters are updated by the PMDs that poll the port's
 * queues; tx counters by any PMD that outputs to it; so all are relaxed
 * atomics, added once per burst. Drop reasons are an X-macro so that
 * names, counters and the JSON report stay parallel.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_spinlock.h>

#define VSW_MAX_PORTS 256
#define VSW_PORT_NAME_MAX 32
#define VSW_PORT_MTU_DEFAULT 1500
#define VSW_PORT_MTU_MIN 68
#define VSW_PORT_MTU_MAX 9216

/* X(enum suffix, name in reports) */
#define VSW_FOREACH_DROP(X)                                                  \
	X(NO_MATCH, "no_match") /* no rule matched */                        \
	X(MALFORMED, "malformed") /* unparsable frame */                     \
	X(ACTION_DROP, "action_drop") /* rule said drop */                   \
	X(NO_PORT, "no_port") /* output to unknown port */                   \
	X(LOOP, "loop") /* output to the input port */                       \
	X(PORT_DOWN, "port_down") /* out port has no peer */                 \
	X(TX_FULL, "tx_full") /* peer's queue was full */                    \
	X(TTL_EXCEEDED, "ttl_exceeded") /* dec_ttl on TTL 1 or 0 */          \
	X(NO_DOMAIN, "no_domain") /* NORMAL: metadata names no domain */     \
	X(RECURSION_TOO_DEEP, "recursion_too_deep") /* tables nested > 64 */ \
	X(TOO_MANY_RESUBMITS, "too_many_resubmits") /* > 4096 lookups */     \
	X(TOO_MANY_OUTPUTS, "too_many_outputs") /* > 512 outputs */          \
	X(NO_MBUF, "no_mbuf") /* copy on write: pool empty */                \
	X(VXLAN_MALFORMED, "vxlan_malformed") /* bad VXLAN frame to us */    \
	X(VTEP_UNRESOLVED, "vtep_unresolved") /* no VTEP entry or MAC */     \
	X(TOO_BIG, "too_big") /* encapsulated frame above the MTU */       \
	X(ISOLATION, "isolation") /* output to another pipeline's port */

enum vsw_drop {
#define X(e, s) VSW_DROP_##e,
	VSW_FOREACH_DROP(X)
#undef X
	VSW_DROP_N
};

extern const char *const vsw_drop_names[VSW_DROP_N];

struct vsw_port_stats {
	_Atomic uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	_Atomic uint64_t drops[VSW_DROP_N];
};

struct vsw_port;
struct vsw_taps; /* tap.h */

/* What port-add gave; each type reads its own fields (control thread). */
struct vsw_port_conf {
	const char *name;
	uint32_t port_no;
	uint16_t slot;
	const char *path; /* vhost-user: the socket */
	bool client; /* vhost-user: connect to path instead of listening */
	const char *devargs; /* dpdk: DPDK device arguments, as the user gave them */
	uint16_t n_queues; /* ethdev: rx and tx queues (one per PMD that uses them) */
	struct rte_mempool *mp; /* ethdev: receive buffers */
	struct rte_rcu_qsbr *qs; /* vhost-user: PMDs' RCU variable */
};

/* What port-list shows beyond the configuration (ethdev ports). */
struct vsw_port_info {
	bool has_mac;
	uint8_t mac[6]; /* the switch side's MAC address */
	char ifname[16]; /* the kernel interface, "" when there is none */
};

/*
 * What a port type implements. open/close/info: control thread; open fills
 * `err` with one line when it fails (else the caller uses strerror). rx/tx:
 * PMD threads, on a queue they own (rx) or under the port's tx lock (tx). tx
 * returns how many packets were accepted and never frees mbufs. is_up: any
 * thread, cheap. info may be NULL.
 */
struct vsw_port_ops {
	const char *type;
	int (*open)(struct vsw_port *port, const struct vsw_port_conf *conf, char *err,
		    size_t errlen);
	void (*close)(struct vsw_port *port);
	bool (*is_up)(const struct vsw_port *port);
	uint16_t (*rx_burst)(struct vsw_port *port, uint16_t q, struct rte_mempool *mp,
			     struct rte_mbuf **pkts, uint16_t n);
	uint16_t (*tx_burst)(struct vsw_port *port, uint16_t q, struct rte_mbuf **pkts,
			     uint16_t n);
	void (*info)(const struct vsw_port *port, struct vsw_port_info *info);
	/* Optional (NULL: one queue): the queue pairs usable now, which may
	 * change while the port is up (a peer enabling more). Any thread. */
	uint16_t (*n_queues)(const struct vsw_port *port);
	/* For monitoring: queue pairs the peer set up (0 while down), and in
	 * *enabled bit q for pair q enabled by it. Any thread, lock-free.
	 * NULL: the switch sets up the queues itself (ethdev) or has none. */
	uint16_t (*queues)(const struct vsw_port *port, uint64_t *enabled);
};

struct vsw_port {
	char name[VSW_PORT_NAME_MAX];
	uint32_t port_no; /* chosen by vsw-control */
	uint16_t slot; /* index 0..VSW_MAX_PORTS-1, stable for the port's life */
	bool client; /* vhost-user: the switch connects to the VM's socket */
	char path[256];
	char devargs[256]; /* dpdk: as the user gave them */
	const struct vsw_port_ops *ops;
	void *priv; /* the adapter's state */
	struct vsw_port *underlay; /* a tunnel (vxlan) port: the port that carries it */
	rte_spinlock_t tx_lock; /* several PMDs may output to one port */
	/* Set by the control thread (port-add, port-mod), read by PMDs. */
	_Atomic uint8_t table; /* the pipeline starts here for frames from this port */
	_Atomic uint16_t mtu; /* largest IP packet it sends (VXLAN underlay: outer) */
	struct vsw_port_stats stats;
	/* Captures and mirrors of this port, NULL when none: published by the
	 * main lcore, read once per burst by PMDs (tap.h). */
	_Atomic(struct vsw_taps *) taps;
};

/*
 * The published set: dense for polling and flooding, indexed for output.
 * `overlay` maps an underlay's slot to the tunnel port it carries, so that
 * the PMD tests one pointer per received burst, and ports that carry no
 * tunnel pay nothing per packet; the set builders below keep it (and
 * `vxlan`) in step with `list`.
 */
struct vsw_portset {
	uint16_t n;
	struct vsw_port *list[VSW_MAX_PORTS];
	struct vsw_port *overlay[VSW_MAX_PORTS]; /* by underlay slot, or NULL */
	struct vsw_port *vxlan; /* the VXLAN port (at most one), or NULL */
};

/* Port types. */
extern const struct vsw_port_ops vsw_port_vhost_ops;
extern const struct vsw_port_ops vsw_port_tap_ops; /* port_ethdev.c */
extern const struct vsw_port_ops vsw_port_dpdk_ops; /* port_ethdev.c */
extern const struct vsw_port_ops vsw_port_vxlan_ops;
const struct vsw_port_ops *vsw_port_ops_find(const char *type);

/*
 * Create and open a port (control thread). NULL and errno on failure, with
 * one line in `err`. `conf->slot` must be free in the current set.
 */
struct vsw_port *vsw_port_create(const struct vsw_port_ops *ops,
				 const struct vsw_port_conf *conf, char *err, size_t errlen);
/* Close and free; only after the port left every published set. */
void vsw_port_destroy(struct vsw_port *port);

/* Port set helpers (control thread; the results are unpublished copies). */
struct vsw_portset *vsw_portset_with(const struct vsw_portset *set, struct vsw_port *port);
struct vsw_portset *vsw_portset_without(const struct vsw_portset *set,
					const struct vsw_port *port);
struct vsw_port *vsw_portset_by_name(const struct vsw_portset *set, const char *name);
struct vsw_port *vsw_portset_by_no(const struct vsw_portset *set, uint32_t port_no);
int vsw_portset_free_slot(const struct vsw_portset *set); /* slot or -ENOSPC */

/* Queue pairs to poll and transmit on: at least 1. */
static inline uint16_t vsw_port_n_queues(const struct vsw_port *port)
{
	uint16_t n = port->ops->n_queues ? port->ops->n_queues(port) : 1;

	return n ? n : 1;
}

static inline void vsw_port_count_drop(struct vsw_port *port, enum vsw_drop why, uint32_t n)
{
	atomic_fetch_add_explicit(&port->stats.drops[why], n, memory_order_relaxed);
}

#endif
