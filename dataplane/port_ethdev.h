/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_PORT_ETHDEV_H
#define VSW_PORT_ETHDEV_H

/*
 * DOC: ethdev ports — "tap" and "dpdk", one adapter over DPDK's ethdev
 *
 * Both types attach a DPDK Ethernet device at run time (rte_dev_probe) and
 * detach it when the port goes (rte_eth_dev_close, rte_dev_remove):
 *
 *  - "tap": a kernel interface named like the port, through DPDK's net_tap
 *    (device net_tap_vsw<port_no>, iface=<name>). The host, or a network
 *    namespace the interface is moved into, is the endpoint. Closing the
 *    port deletes the interface, wherever it was moved.
 *  - "dpdk": any device DPDK can hot-plug, given by its devargs: a PCI
 *    address (needs PCI scanning: the dataplane's default EAL arguments have
 *    --no-pci, see eal.h), or a virtual device such as
 *    `net_af_packet,iface=veth0`. A virtual device's name gets the suffix
 *    `_vsw<port_no>`, so every port has its own instance whatever the user
 *    wrote (the driver is still found by the name's prefix).
 *
 * Which device (ethdev_devargs.c) is apart from running it (port_ethdev.c):
 * the first turns port-add's arguments into what rte_dev_probe gets and
 * refuses, with one line, what would fail later with only a driver log (an
 * interface name too long or taken, an af_packet interface that does not
 * exist, a PCI address while PCI is off).
 *
 * Running: `n_queues` rx and tx queue pairs (port-add asks for one per
 * PMD; a device with fewer gets as many as it has, and PMDs then share
 * them: pmd.h, "Queues"), fixed while the port exists, RING_SIZE
 * descriptors each, receive buffers from the process mempool,
 * promiscuous mode. The device is owned (rte_eth_dev_owner_set) while the
 * port exists, so two ports never share one device (nor two af_packet
 * devices one interface). State: a net_tap device is up while its port
 * exists (net_tap cannot see its interface once it moved to another
 * namespace); other devices report their link, re-read at most every
 * 100 ms (a plain read where the driver has link-state interrupts).
 * Buffers: a port's rings may hold 2 * RING_SIZE mbufs per queue pair
 * (net_tap fills its receive ring at once); port-add refuses a port whose
 * rings would leave fewer than MBUF_RESERVE free in the pool, which main.c
 * sizes for about 28 ethdev ports next to the vhost-user ones with one PMD
 * (and 8192 mbufs more per further PMD: about 18 ports of 2 queue pairs).
 * Transmit: ethdev drivers free what they sent, the port layer frees every
 * mbuf after tx_burst, so the adapter takes one reference for the driver
 * on each frame it accepts.
 */

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_dev.h>

/* Where an ethdev port's device is, once port-add's arguments are checked. */
struct vsw_ethdev_target {
	char devargs[512]; /* for rte_dev_probe: "<device>[,args]" */
	char bus[16]; /* "pci", "vdev", ... */
	char device[RTE_DEV_NAME_MAX_LEN]; /* the device's name on its bus */
	char ifname[IFNAMSIZ]; /* kernel interface named by the arguments, or "" */
};

/* A tap port: device net_tap_vsw<port_no> with interface `name`. 0 or -errno + err. */
int vsw_ethdev_target_tap(const char *name, uint32_t port_no, struct vsw_ethdev_target *t,
			  char *err, size_t errlen);

/* A dpdk port's devargs, rewritten as the DOC above says. 0 or -errno + err. */
int vsw_ethdev_target_dpdk(const char *devargs, uint32_t port_no,
			   struct vsw_ethdev_target *t, char *err, size_t errlen);

#endif
