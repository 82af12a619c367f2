/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_UNDERLAY_H
#define VSW_CONTROL_UNDERLAY_H

/*
 * DOC: underlay resolution — the next hop toward each remote VTEP
 *
 * The dataplane builds the outer Ethernet header of every VXLAN frame
 * itself; the destination MAC is the next hop's, which vsw-control learns
 * from the host kernel (control/TENANTS.md, "Underlay resolution"). For one
 * VTEP, vsw_underlay_resolve() asks the kernel over rtnetlink (libnl):
 *
 *   1. route: RTM_GETROUTE for the VTEP, the kernel's own decision as
 *      `ip route get` shows it (policy rules, longest prefix, multipath
 *      choice): output interface and gateway;
 *   2. the output interface must be the uplink's kernel interface
 *      (vsw_underlay_port_ifname()); otherwise the VTEP is unresolved and
 *      the reason names the interface the kernel would use;
 *   3. neighbour: RTM_GETNEIGH for the gateway (or the VTEP itself when
 *      on-link) on that interface. Usable states (reachable, stale, delay,
 *      probe, permanent, noarp) with a MAC give the answer.
 *
 * Prompting. A neighbour that is absent, incomplete or failed leaves the
 * VTEP unresolved, and the kernel is prompted to resolve it: an empty UDP
 * datagram to the discard port (9) of the next hop, from a socket bound to
 * the uplink (SO_BINDTODEVICE), makes the kernel send ARP. Its answer comes
 * back as a neighbour notification. Prompts per next hop are rate limited:
 * 1 s apart, doubling up to 10 s while the next hop stays unresolved. A
 * stale entry is still an answer, and gets a prompt too (at most once a
 * second), so the kernel re-confirms the MAC: the dataplane's own VXLAN
 * traffic bypasses the kernel and would never refresh it.
 *
 * Notifications. One non-blocking socket subscribed to IPv4 routes, IPv4
 * addresses, links and neighbours (IPv4 entries count; bridge FDB and IPv6
 * neighbours do not). vsw_underlay_process() drains it and says whether
 * anything relevant changed; it does not say what: callers re-resolve every
 * VTEP, which is cheap (two netlink round trips each, a few dozen VTEPs).
 * A lost notification (receive buffer overrun) counts as a change.
 *
 * Wiring (poll loop and sync):
 *
 *     u = vsw_underlay_open();
 *     poll vsw_underlay_fd(u) for POLLIN, with vsw_underlay_timeout_ms(u)
 *     as one of the loop's timeouts;
 *     on POLLIN: if (vsw_underlay_process(u) == 1) refresh;
 *     on that timeout: refresh;   after a (re)configuration: refresh;
 *     refresh: vsw_underlay_refresh(u, uplink_ifname, vteps, n), then a
 *     `vtep-set {ip, mac or null}` for every entry flagged `changed`.
 *
 * The timeout covers next hops that stay unresolved without any
 * notification (nobody answers ARP); it is recomputed by each refresh.
 *
 * Threads: one handle per thread, nothing global. No DPDK here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vsw_underlay; /* opaque */

struct vsw_nexthop {
	bool resolved;
	bool is_static; /* resolved from the uplink's nexthop=, not the kernel */
	uint8_t mac[6]; /* next hop's MAC when resolved */
	uint32_t via; /* gateway (network order) or the destination itself */
	char ifname[16]; /* output interface of the route ("" when none) */
	char reason[128]; /* when unresolved, one line: "no route to 198.51.100.9",
			   * "route to 198.51.100.9 is via eth0, not the uplink up0",
			   * "neighbour 198.51.100.1 on up0 not resolved yet", ... */
};

/* Two netlink sockets (notifications, requests). NULL and errno on failure. */
struct vsw_underlay *vsw_underlay_open(void);
void vsw_underlay_close(struct vsw_underlay *u);

/* Poll it for POLLIN: notifications are pending. */
int vsw_underlay_fd(const struct vsw_underlay *u);

/*
 * Read every pending notification without blocking. 1 when a route,
 * neighbour, address or link changed (callers then re-resolve), 0 when
 * nothing relevant, -errno on a socket error.
 */
int vsw_underlay_process(struct vsw_underlay *u);

/*
 * Resolve the remote VTEP `remote_ip` (network order) through the host
 * kernel: route, output interface `uplink_ifname` (NULL or "": no uplink,
 * unresolved), neighbour. An absent, incomplete or failed neighbour leaves
 * nh->resolved false and prompts the kernel (above), so that a later call
 * succeeds. *nh is always filled. Returns 0 whether resolved or not, -errno
 * when netlink itself fails (the answer then says nothing).
 */
int vsw_underlay_resolve(struct vsw_underlay *u, const char *uplink_ifname,
			 uint32_t remote_ip, struct vsw_nexthop *nh);

/* ---- wiring for the sync (underlay_vtep.c) ---- */

/* One VTEP in use; the caller keeps an array of them across refreshes. */
struct vsw_underlay_vtep {
	uint32_t ip; /* network order: set by the caller; a new entry is zeroed otherwise */
	struct vsw_nexthop nh; /* the last answer, kept by vsw_underlay_refresh() */
	bool changed; /* set by vsw_underlay_refresh(): send a vtep-set */
};

/*
 * Re-resolve every entry. `changed` is set where what vtep-set carries
 * (resolved or not, the MAC) differs from the previous answer, and on a new
 * entry (never resolved: zeroed nh). An entry whose lookup fails in netlink
 * keeps its previous answer, unchanged (a passing failure must not make the
 * dataplane drop), and is looked at again within a second. Also recomputes
 * vsw_underlay_timeout_ms(). Returns the number of entries changed, or
 * -errno when lookups failed and no entry changed.
 */
int vsw_underlay_refresh(struct vsw_underlay *u, const char *uplink_ifname,
			 struct vsw_underlay_vtep *vteps, size_t n);

/*
 * Milliseconds until the next refresh is due without a notification (a
 * next hop is waiting for ARP, or a lookup failed), 0 when overdue, -1 when
 * none is. As of the last vsw_underlay_refresh().
 */
int vsw_underlay_timeout_ms(const struct vsw_underlay *u);

/* show-tenant's text: "resolved 02:00:5e:00:53:01 via up0" or "unresolved: REASON". */
void vsw_nexthop_format(const struct vsw_nexthop *nh, char *buf, size_t len);

/*
 * The kernel interface of an uplink port (`ifname`: 16 bytes): a "tap" port
 * is the interface named like the port; a "dpdk" port the `iface=` of its
 * devargs (net_af_packet, net_pcap, net_tap). 0, or -ENODEV when the port
 * has none (a PCI device, another type), -ENAMETOOLONG.
 */
int vsw_underlay_port_ifname(const char *type, const char *name, const char *devargs,
			     char ifname[16]);

#endif
