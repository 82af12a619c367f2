/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stand-in for the libnl underlay resolver (ctl-netlink's branch replaces
 * this file): nothing resolves, with reason "resolver not built".
 */
#include "underlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vsw_underlay {
	int unused;
};

struct vsw_underlay *vsw_underlay_open(void)
{
	return calloc(1, sizeof(struct vsw_underlay));
}

void vsw_underlay_close(struct vsw_underlay *u)
{
	free(u);
}

int vsw_underlay_fd(const struct vsw_underlay *u)
{
	(void)u;
	return -1;
}

int vsw_underlay_process(struct vsw_underlay *u)
{
	(void)u;
	return 0;
}

int vsw_underlay_resolve(struct vsw_underlay *u, const char *uplink_ifname, uint32_t remote_ip,
			 struct vsw_nexthop *nh)
{
	(void)u;
	(void)uplink_ifname;
	(void)remote_ip;
	memset(nh, 0, sizeof(*nh));
	snprintf(nh->reason, sizeof(nh->reason), "resolver not built");
	return 0;
}
