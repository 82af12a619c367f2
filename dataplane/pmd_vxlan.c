/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN output (pipeline.h). A placeholder until encapsulation lands: no
 * VTEP has a next hop yet, so every encapsulation is counted as
 * "vtep_unresolved" on the input port, as an unresolved VTEP will be.
 */
#include "pipeline.h"

void vsw_vxlan_output(struct vsw_pkt_ctx *c, uint32_t vni, uint32_t remote_ip,
		      uint16_t inner_vlan)
{
	(void)vni;
	(void)remote_ip;
	(void)inner_vlan;
	vsw_actions_failed(c, VSW_DROP_VTEP_UNRESOLVED);
}
