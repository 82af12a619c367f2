/* SPDX-License-Identifier: BSD-3-Clause */
/* The VXLAN port type: a tunnel over an underlay port, no queues (vxlan.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "port.h"
#include "vxlan.h"

static int vxlan_open(struct vsw_port *port, const struct vsw_port_conf *conf, char *err,
		      size_t errlen)
{
	(void)conf, (void)err, (void)errlen;
	port->priv = calloc(1, sizeof(struct vsw_vxlan_port));
	return port->priv ? 0 : -ENOMEM;
}

static void vxlan_close(struct vsw_port *port)
{
	free(port->priv);
	port->priv = NULL;
}

/* Any thread: the underlay outlives the VXLAN port (port-del refuses it). */
static bool vxlan_is_up(const struct vsw_port *port)
{
	const struct vsw_port *u = port->underlay;

	return u && u->ops->is_up(u);
}

/* Decapsulated frames arrive through the underlay's bursts (vsw_vxlan_rx). */
static uint16_t vxlan_rx(struct vsw_port *port, uint16_t q, struct rte_mempool *mp,
			 struct rte_mbuf **pkts, uint16_t n)
{
	(void)port, (void)q, (void)mp, (void)pkts, (void)n;
	return 0;
}

/* Never called: outputs to a VXLAN port are encapsulated and go to the underlay. */
static uint16_t vxlan_tx(struct vsw_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	(void)port, (void)q, (void)pkts, (void)n;
	return 0;
}

static void vxlan_info(const struct vsw_port *port, struct vsw_port_info *info)
{
	memset(info, 0, sizeof(*info));
	info->has_mac = true;
	memcpy(info->mac, vsw_vxlan_local_of(port)->mac, 6);
}

void vsw_vxlan_port_setup(struct vsw_port *x, struct vsw_port *underlay, uint32_t local_ip,
			  const uint8_t *mac)
{
	struct vsw_vxlan_port *vx = x->priv;
	struct vsw_port_info info = { .has_mac = false };

	x->underlay = underlay;
	vx->local.ip = local_ip;
	if (mac) {
		memcpy(vx->local.mac, mac, 6);
	} else if (underlay->ops->info && (underlay->ops->info(underlay, &info), info.has_mac)) {
		memcpy(vx->local.mac, info.mac, 6);
	} else {
		vx->local.mac[0] = 0x02; /* locally administered, unicast */
		vx->local.mac[1] = 0x00;
		memcpy(vx->local.mac + 2, &local_ip, 4);
	}
}

const struct vsw_port_ops vsw_port_vxlan_ops = {
	.type = "vxlan",
	.open = vxlan_open,
	.close = vxlan_close,
	.is_up = vxlan_is_up,
	.rx_burst = vxlan_rx,
	.tx_burst = vxlan_tx,
	.info = vxlan_info,
};
