/* SPDX-License-Identifier: BSD-3-Clause */
/* The "tap" and "dpdk" port types: an adapter from vsw_port_ops to ethdev (port_ethdev.h). */
#include "port_ethdev.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include "port.h"

#define RING_SIZE 512 /* descriptors per queue, before the driver's limits */
#define MBUF_RESERVE 4096 /* buffers the pool keeps for vhost ports and frames in flight */
#define LINK_POLL_MS 100 /* link re-read interval without link-state interrupts */

struct ethdev {
	uint16_t port_id;
	uint16_t n_queues;
	bool always_up; /* net_tap: see is_up() */
	struct rte_eth_dev_owner owner;
	_Atomic bool up;
	_Atomic uint64_t next_link_tsc; /* when is_up() reads the link again */
	struct rte_ether_addr mac;
	struct vsw_ethdev_target t;
};

static void link_read(struct ethdev *e)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(e->port_id, &link) == 0)
		atomic_store_explicit(&e->up, link.link_status == RTE_ETH_LINK_UP,
				      memory_order_relaxed);
}

/* The unowned ethdev port of the device `t` names; -ENODEV or -EBUSY if none. */
static int find_port(const struct vsw_ethdev_target *t, uint16_t *port_id)
{
	uint16_t p;
	int rc = -ENODEV;

	for (p = rte_eth_find_next(0); p < RTE_MAX_ETHPORTS; p = rte_eth_find_next(p + 1)) {
		struct rte_eth_dev_info info;
		uint64_t owner = RTE_ETH_DEV_NO_OWNER;
		struct rte_eth_dev_owner o;

		if (rte_eth_dev_info_get(p, &info) || !info.device ||
		    strcmp(rte_dev_name(info.device), t->device))
			continue;
		if (!rte_eth_dev_owner_get(p, &o))
			owner = o.id;
		if (owner != RTE_ETH_DEV_NO_OWNER) {
			rc = -EBUSY;
			continue;
		}
		*port_id = p;
		return 0;
	}
	return rc;
}

/*
 * The name of the port that has another device of the same driver on the
 * same kernel interface (two af_packet sockets on one interface would each
 * get every frame), or NULL. Not for net_tap: it creates its interface, so
 * the kernel has refused a taken name already, and the index of one moved
 * to another namespace may be reused in ours.
 */
static const char *iface_user(uint16_t port_id, struct rte_eth_dev_owner *o)
{
	struct rte_eth_dev_info me, other;

	if (rte_eth_dev_info_get(port_id, &me) || !me.if_index ||
	    !strcmp(me.driver_name, "net_tap"))
		return NULL;
	for (uint16_t p = rte_eth_find_next(0); p < RTE_MAX_ETHPORTS;
	     p = rte_eth_find_next(p + 1)) {
		if (p == port_id || rte_eth_dev_owner_get(p, o) || strncmp(o->name, "vsw:", 4) ||
		    rte_eth_dev_info_get(p, &other))
			continue;
		if (other.if_index == me.if_index && !strcmp(other.driver_name, me.driver_name))
			return o->name + 4;
	}
	return NULL;
}

static int take_port(struct ethdev *e, const char *name, char *err, size_t errlen)
{
	struct rte_eth_dev_owner other;
	const char *user;
	int rc = find_port(&e->t, &e->port_id);

	if (rc == -EBUSY) {
		snprintf(err, errlen, "device %s is used by another port", e->t.device);
		return rc;
	}
	if (rc) {
		snprintf(err, errlen, "device %s is not an Ethernet device", e->t.device);
		return rc;
	}
	user = iface_user(e->port_id, &other);
	if (user) {
		snprintf(err, errlen, "interface %s is used by port '%s'",
			 e->t.ifname[0] ? e->t.ifname : e->t.device, user);
		return -EBUSY;
	}
	rc = rte_eth_dev_owner_new(&e->owner.id);
	if (!rc) {
		snprintf(e->owner.name, sizeof(e->owner.name), "vsw:%s", name);
		rc = rte_eth_dev_owner_set(e->port_id, &e->owner);
	}
	if (rc) {
		snprintf(err, errlen, "device %s: cannot take it: %s", e->t.device, strerror(-rc));
		return rc;
	}
	return 0;
}

/* Queues, rings, buffers: configured, not started. */
static int configure(struct ethdev *e, struct rte_mempool *mp, char *err, size_t errlen)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nrx = RING_SIZE, ntx = RING_SIZE;
	int socket = rte_eth_dev_socket_id(e->port_id);
	int rc;

	rc = rte_eth_dev_info_get(e->port_id, &info);
	if (rc) {
		snprintf(err, errlen, "device %s: no device info: %s", e->t.device, strerror(-rc));
		return rc;
	}
	/* One queue pair per PMD when the device has them, else what it has (pmd.h). */
	uint16_t most = info.max_rx_queues < info.max_tx_queues ? info.max_rx_queues :
								  info.max_tx_queues;
	if (!most) {
		snprintf(err, errlen, "device %s has no queues", e->t.device);
		return -EINVAL;
	}
	if (e->n_queues > most) {
		VSW_LOG(port, INFO, "%s: %u queue pairs (the device has no more), %u PMDs share them",
			e->t.device, most, e->n_queues);
		e->n_queues = most;
	}
	memset(&conf, 0, sizeof(conf));
	/* With link-state interrupts, reading the link is reading a variable. */
	conf.intr_conf.lsc = info.dev_flags && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
	e->always_up = !strcmp(info.driver_name, "net_tap");
	/* Several queues: the NIC spreads flows by RSS; a multiqueue tap's kernel does it itself. */
	if (e->n_queues > 1 && !e->always_up && info.flow_type_rss_offloads) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
			info.flow_type_rss_offloads;
	}
	rc = rte_eth_dev_configure(e->port_id, e->n_queues, e->n_queues, &conf);
	if (!rc)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(e->port_id, &nrx, &ntx);
	if (rc) {
		snprintf(err, errlen, "device %s: cannot configure it: %s", e->t.device,
			 strerror(-rc));
		return rc;
	}
	unsigned int need = (unsigned int)e->n_queues * (nrx + ntx) + MBUF_RESERVE;
	if (rte_mempool_avail_count(mp) < need) {
		snprintf(err, errlen,
			 "device %s: the mbuf pool has %u free buffers, its rings need %u more "
			 "than the %u kept in reserve",
			 e->t.device, rte_mempool_avail_count(mp), need - MBUF_RESERVE,
			 MBUF_RESERVE);
		return -ENOBUFS;
	}
	for (uint16_t q = 0; q < e->n_queues && !rc; q++) {
		rc = rte_eth_rx_queue_setup(e->port_id, q, nrx, (unsigned int)socket, NULL, mp);
		if (!rc)
			rc = rte_eth_tx_queue_setup(e->port_id, q, ntx, (unsigned int)socket, NULL);
	}
	if (rc)
		snprintf(err, errlen, "device %s: cannot set up its queues: %s", e->t.device,
			 strerror(-rc));
	return rc;
}

static int start(struct ethdev *e, char *err, size_t errlen)
{
	int rc;

	rc = rte_eth_dev_start(e->port_id);
	if (rc) {
		snprintf(err, errlen, "device %s: cannot start it: %s", e->t.device,
			 strerror(-rc));
		return rc;
	}
	rc = rte_eth_promiscuous_enable(e->port_id);
	if (rc)
		VSW_LOG(port, WARNING, "%s: no promiscuous mode: %s", e->t.device,
			strerror(-rc));
	rte_eth_macaddr_get(e->port_id, &e->mac);
	if (!e->t.ifname[0]) {
		struct rte_eth_dev_info info;
		char name[IF_NAMESIZE];

		/* Now, before anyone moves the interface to another namespace. */
		if (!rte_eth_dev_info_get(e->port_id, &info) && info.if_index &&
		    if_indextoname(info.if_index, name))
			snprintf(e->t.ifname, sizeof(e->t.ifname), "%s", name);
	}
	atomic_store(&e->up, true);
	if (!e->always_up)
		link_read(e);
	return 0;
}

static int ethdev_open(struct vsw_port *port, const struct vsw_port_conf *conf, char *err,
		       size_t errlen)
{
	bool tap = port->ops == &vsw_port_tap_ops;
	struct ethdev *e = calloc(1, sizeof(*e));
	bool attached = false;
	int rc;

	if (!e)
		return -ENOMEM;
	e->n_queues = conf->n_queues ? conf->n_queues : 1;
	rc = tap ? vsw_ethdev_target_tap(port->name, port->port_no, &e->t, err, errlen) :
		   vsw_ethdev_target_dpdk(port->devargs, port->port_no, &e->t, err, errlen);
	if (rc)
		goto err_free;
	rc = rte_dev_probe(e->t.devargs);
	/* A PCI NIC that EAL's allow list (-a) probed at start-up is there already. */
	attached = rc == 0;
	if (rc == -EEXIST && !strcmp(e->t.bus, "pci"))
		rc = 0;
	if (rc) {
		/* Drivers return -1 for any refusal, which is not EPERM. */
		snprintf(err, errlen, "cannot attach %s: %s", e->t.devargs,
			 rc == -EEXIST ? "the device exists" :
			 rc == -1      ? "the driver refused it (check its arguments)" :
					 strerror(-rc));
		goto err_free;
	}
	rc = take_port(e, port->name, err, errlen);
	if (rc)
		goto err_detach;
	rc = configure(e, conf->mp, err, errlen);
	if (rc)
		goto err_close;
	rc = start(e, err, errlen);
	if (rc)
		goto err_close;
	port->priv = e;
	return 0;

err_close:
	rte_eth_dev_owner_unset(e->port_id, e->owner.id);
	rte_eth_dev_close(e->port_id);
err_detach:
	if (attached)
		rte_eal_hotplug_remove(e->t.bus, e->t.device);
err_free:
	free(e);
	return rc;
}

static void ethdev_close(struct vsw_port *port)
{
	struct ethdev *e = port->priv;
	int rc;

	rc = rte_eth_dev_stop(e->port_id);
	if (rc)
		VSW_LOG(port, WARNING, "%s: stop: %s", e->t.device, strerror(-rc));
	rte_eth_dev_owner_unset(e->port_id, e->owner.id);
	rte_eth_dev_close(e->port_id);
	rc = rte_eal_hotplug_remove(e->t.bus, e->t.device);
	if (rc)
		VSW_LOG(port, WARNING, "%s: detach: %s", e->t.device, strerror(-rc));
	free(e);
	port->priv = NULL;
}

/*
 * A tap's DPDK side is connected as long as the port exists: net_tap reads
 * the kernel interface's flags by name in the dataplane's namespace, so it
 * would call the link down for good once the interface moves to another
 * namespace; whether the kernel side is up is the kernel's business (it
 * drops what a down interface receives). Other devices: their link,
 * re-read at most every LINK_POLL_MS.
 */
static bool ethdev_is_up(const struct vsw_port *port)
{
	struct ethdev *e = port->priv;
	uint64_t now, next;

	if (e->always_up)
		return true;
	now = rte_get_tsc_cycles();
	next = atomic_load_explicit(&e->next_link_tsc, memory_order_relaxed);
	/* One thread wins the slot and reads the link; the others use the cache. */
	if (now >= next &&
	    atomic_compare_exchange_strong(&e->next_link_tsc, &next,
					   now + rte_get_tsc_hz() / 1000 * LINK_POLL_MS))
		link_read(e);
	return atomic_load_explicit(&e->up, memory_order_relaxed);
}

static uint16_t ethdev_rx(struct vsw_port *port, uint16_t q, struct rte_mempool *mp,
			  struct rte_mbuf **pkts, uint16_t n)
{
	const struct ethdev *e = port->priv;

	(void)mp; /* the queue has its pool since configure() */
	return rte_eth_rx_burst(e->port_id, q, pkts, n);
}

static uint16_t ethdev_tx(struct vsw_port *port, uint16_t q, struct rte_mbuf **pkts,
			  uint16_t n)
{
	const struct ethdev *e = port->priv;
	uint16_t sent;

	for (uint16_t i = 0; i < n; i++)
		rte_pktmbuf_refcnt_update(pkts[i], 1); /* the driver's, freed when sent */
	sent = rte_eth_tx_burst(e->port_id, q, pkts, n);
	for (uint16_t i = sent; i < n; i++)
		rte_pktmbuf_refcnt_update(pkts[i], -1);
	return sent;
}

/* Fixed while the port exists (configure()). */
static uint16_t ethdev_n_queues(const struct vsw_port *port)
{
	const struct ethdev *e = port->priv;

	return e->n_queues;
}

static void ethdev_info(const struct vsw_port *port, struct vsw_port_info *info)
{
	const struct ethdev *e = port->priv;

	memset(info, 0, sizeof(*info));
	info->has_mac = true;
	memcpy(info->mac, e->mac.addr_bytes, sizeof(info->mac));
	snprintf(info->ifname, sizeof(info->ifname), "%s", e->t.ifname);
}

const struct vsw_port_ops vsw_port_tap_ops = {
	.type = "tap",
	.open = ethdev_open,
	.close = ethdev_close,
	.is_up = ethdev_is_up,
	.rx_burst = ethdev_rx,
	.tx_burst = ethdev_tx,
	.info = ethdev_info,
	.n_queues = ethdev_n_queues,
};

const struct vsw_port_ops vsw_port_dpdk_ops = {
	.type = "dpdk",
	.open = ethdev_open,
	.close = ethdev_close,
	.is_up = ethdev_is_up,
	.rx_burst = ethdev_rx,
	.tx_burst = ethdev_tx,
	.info = ethdev_info,
	.n_queues = ethdev_n_queues,
};
