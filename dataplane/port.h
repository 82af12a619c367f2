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
 * Counters: rx counters are updated by the PMDs that poll the port's
 * queues; tx counters by any PMD that outputs to it; so all are relaxed
 * atomics, added once per burst. Drop reasons are an X-macro so that names, counters and
 * the JSON report stay parallel.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_spinlock.h>

#define VSW_MAX_PORTS 256
#define VSW_PORT_NAME_MAX 32

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
	X(NORMAL_UNSUPPORTED, "normal_unsupported") /* NORMAL: not yet */    \
	X(RECURSION_TOO_DEEP, "recursion_too_deep") /* tables nested > 64 */ \
	X(TOO_MANY_RESUBMITS, "too_many_resubmits") /* > 4096 lookups */     \
	X(TOO_MANY_OUTPUTS, "too_many_outputs") /* > 512 outputs */          \
	X(NO_MBUF, "no_mbuf") /* copy on write: pool empty */

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

/*
 * What a port type implements. open/close: control thread. rx/tx: PMD
 * threads, on a queue they own (rx) or under the port's tx lock (tx). tx
 * returns how many packets were accepted and never frees mbufs.
 */
struct vsw_port_ops {
	const char *type;
	int (*open)(struct vsw_port *port, struct rte_rcu_qsbr *qs);
	void (*close)(struct vsw_port *port);
	bool (*is_up)(const struct vsw_port *port);
	uint16_t (*rx_burst)(struct vsw_port *port, uint16_t q, struct rte_mempool *mp,
			     struct rte_mbuf **pkts, uint16_t n);
	uint16_t (*tx_burst)(struct vsw_port *port, uint16_t q, struct rte_mbuf **pkts,
			     uint16_t n);
	/* Optional (NULL: one queue): the queue pairs usable now, which may
	 * change while the port is up (a peer enabling more). Any thread. */
	uint16_t (*n_queues)(const struct vsw_port *port);
};

struct vsw_port {
	char name[VSW_PORT_NAME_MAX];
	uint32_t port_no; /* chosen by vsw-control */
	uint16_t slot; /* index 0..VSW_MAX_PORTS-1, stable for the port's life */
	bool client; /* vhost-user: the switch connects to the VM's socket */
	char path[256];
	const struct vsw_port_ops *ops;
	void *priv; /* the adapter's state */
	rte_spinlock_t tx_lock; /* several PMDs may output to one port */
	struct vsw_port_stats stats;
};

/* The published set: dense for polling and flooding, indexed for output. */
struct vsw_portset {
	uint16_t n;
	struct vsw_port *list[VSW_MAX_PORTS];
};

/* Port types. */
extern const struct vsw_port_ops vsw_port_vhost_ops;
const struct vsw_port_ops *vsw_port_ops_find(const char *type);

/*
 * Create and open a port (control thread). NULL and errno on failure.
 * `slot` must be free in the current set.
 */
struct vsw_port *vsw_port_create(const struct vsw_port_ops *ops, const char *name,
				 uint32_t port_no, uint16_t slot, const char *path,
				 bool client, struct rte_rcu_qsbr *qs);
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
