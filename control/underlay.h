/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_UNDERLAY_H
#define VSW_CONTROL_UNDERLAY_H

/*
 * Underlay resolution: the next hop toward a VTEP, from the host kernel
 * (route and neighbour tables), and notifications when they change.
 * (This declaration is the contract; control/underlay.c in the ctl-netlink
 * branch is the libnl implementation. Addresses are in network order, as
 * in tenant.h.)
 */

#include <stdbool.h>
#include <stdint.h>

struct vsw_underlay;

struct vsw_underlay *vsw_underlay_open(void);
void vsw_underlay_close(struct vsw_underlay *u);
int vsw_underlay_fd(const struct vsw_underlay *u); /* POLLIN: notifications */
int vsw_underlay_process(struct vsw_underlay *u); /* 1 changed, 0 nothing, -errno */

struct vsw_nexthop {
	bool resolved;
	uint8_t mac[6];
	uint32_t via;
	char ifname[16];
	char reason[128];
};

int vsw_underlay_resolve(struct vsw_underlay *u, const char *uplink_ifname, uint32_t remote_ip,
			 struct vsw_nexthop *nh);

#endif
