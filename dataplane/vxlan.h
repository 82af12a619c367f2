/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_VXLAN_H
#define VSW_VXLAN_H

/*
 * DOC: the VXLAN port — a tunnel over an underlay port
 *
 * A port of type "vxlan" (port_vxlan.c) has no queues of its own: it rides
 * on an underlay port (the uplink) and has a local address (local_ip) and
 * MAC (the underlay's when it has one, else given or made from local_ip).
 * It is up when its underlay is up. There is at most one; the underlay
 * cannot be deleted while it exists. The published port set maps the
 * underlay's slot to it (port.h, `overlay`), so the PMD loop tests one
 * pointer per received burst and ports that carry no tunnel pay nothing
 * per packet.
 *
 * Receive (vsw_vxlan_rx, pmd_vxlan.c), on a burst from the underlay before
 * classification, per frame (pkt_vxlan.h says which is which):
 *  - VXLAN to local_ip:4789: the outer headers are cut off and the inner
 *    frame enters the pipeline as received on the VXLAN port (counted in
 *    its rx counters) with tun_id = VNI and tun_src = the outer source;
 *  - malformed VXLAN: dropped, `vxlan_malformed` on the underlay;
 *  - an ARP request for local_ip: answered out of the underlay with our
 *    MAC, and not classified;
 *  - anything else goes on as an ordinary frame of the underlay.
 * The underlay's rx counters count every frame it received.
 *
 * Transmit (vsw_vxlan_output, pipeline.h): a copy of the frame (with an
 * inner 802.1Q tag pushed when asked) gets the 50 outer bytes and is queued
 * on the underlay. The outer destination MAC comes from the VTEP table
 * (vtep.h); no entry, or one without a MAC: drop `vtep_unresolved`; an
 * outer IPv4 total length above the underlay's `mtu`: drop `too_big`; both
 * counted on the input port and in the VTEP's `drops`. Output to the VXLAN
 * port (output:, FLOOD, IN_PORT) encapsulates toward the key's tun_dst with
 * VNI = the low 24 bits of tun_id, as Open vSwitch's flow-based tunnels do;
 * FLOOD skips it while tun_dst is 0. Counted when the packet's outputs are
 * handed to the tx batches: the VTEP's tx (outer bytes) and the VXLAN
 * port's tx (inner bytes); the underlay counts what it sends as any port.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "pkt_vxlan.h"
#include "pmd.h"
#include "vtep.h"

/* port->priv of a VXLAN port; set before the port is published, then constant. */
struct vsw_vxlan_port {
	struct vsw_vxlan_local local;
};

static inline const struct vsw_vxlan_local *vsw_vxlan_local_of(const struct vsw_port *x)
{
	return &((const struct vsw_vxlan_port *)x->priv)->local;
}

/*
 * Tie a newly created VXLAN port to its underlay (control thread, before
 * publishing). `mac` NULL: the underlay's MAC when it has one, else
 * 02:00 followed by local_ip's four bytes.
 */
void vsw_vxlan_port_setup(struct vsw_port *x, struct vsw_port *underlay, uint32_t local_ip,
			  const uint8_t *mac);

/*
 * A burst received on `underlay`, which carries a VXLAN port: handles the
 * VXLAN and ARP frames (see above) and returns how many frames are left at
 * the front of `pkts` for the underlay's own pipeline (PMD thread).
 */
uint16_t vsw_vxlan_rx(struct vsw_pmd *pmd, const struct vsw_portset *set,
		      const struct vsw_ft *ft, struct vsw_port *underlay,
		      struct rte_mbuf **pkts, uint16_t n, uint64_t now_ms);

#endif
