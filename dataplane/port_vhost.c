/* SPDX-License-Identifier: BSD-3-Clause */
/* The vhost-user port type: an adapter from vsw_port_ops to vhost-user/. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "port.h"
#include "vhost.h"

static int vhost_open(struct vsw_port *port, const struct vsw_port_conf *conf, char *err,
		      size_t errlen)
{
	struct vsw_vhost *vh = vsw_vhost_create(port->path, port->client, conf->qs);

	if (!vh) {
		int e = errno;

		snprintf(err, errlen, "cannot create vhost-user socket %s: %s", port->path,
			 strerror(e));
		return -e;
	}
	port->priv = vh;
	return 0;
}

static void vhost_close(struct vsw_port *port)
{
	vsw_vhost_destroy(port->priv);
	port->priv = NULL;
}

static bool vhost_is_up(const struct vsw_port *port)
{
	return vsw_vhost_is_up(port->priv);
}

static uint16_t vhost_rx(struct vsw_port *port, uint16_t q, struct rte_mempool *mp,
			 struct rte_mbuf **pkts, uint16_t n)
{
	return vsw_vhost_rx_burst(port->priv, q, mp, pkts, n);
}

static uint16_t vhost_tx(struct vsw_port *port, uint16_t q, struct rte_mbuf **pkts,
			 uint16_t n)
{
	return vsw_vhost_tx_burst(port->priv, q, pkts, n);
}

static uint16_t vhost_n_queues(const struct vsw_port *port)
{
	return vsw_vhost_n_queues(port->priv);
}

static uint16_t vhost_queues(const struct vsw_port *port, uint64_t *enabled)
{
	return vsw_vhost_queue_pairs(port->priv, enabled);
}

const struct vsw_port_ops vsw_port_vhost_ops = {
	.type = "vhost-user",
	.open = vhost_open,
	.close = vhost_close,
	.is_up = vhost_is_up,
	.rx_burst = vhost_rx,
	.tx_burst = vhost_tx,
	.n_queues = vhost_n_queues,
	.queues = vhost_queues,
};
