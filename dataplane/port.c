/* SPDX-License-Identifier: BSD-3-Clause */
/* The port registry: creation, destruction and published sets (port.h). */
#include "port.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const vsw_drop_names[VSW_DROP_N] = {
#define X(e, s) [VSW_DROP_##e] = s,
	VSW_FOREACH_DROP(X)
#undef X
};

static const struct vsw_port_ops *const port_types[] = {
	&vsw_port_vhost_ops,
	&vsw_port_tap_ops,
	&vsw_port_dpdk_ops,
	&vsw_port_vxlan_ops,
};

const struct vsw_port_ops *vsw_port_ops_find(const char *type)
{
	for (size_t i = 0; i < sizeof(port_types) / sizeof(port_types[0]); i++)
		if (!strcmp(port_types[i]->type, type))
			return port_types[i];
	return NULL;
}

struct vsw_port *vsw_port_create(const struct vsw_port_ops *ops,
				 const struct vsw_port_conf *conf, char *err, size_t errlen)
{
	const char *path = conf->path ? conf->path : "";
	const char *devargs = conf->devargs ? conf->devargs : "";
	struct vsw_port *port;
	int rc;

	if (strlen(conf->name) >= sizeof(port->name) || strlen(path) >= sizeof(port->path) ||
	    strlen(devargs) >= sizeof(port->devargs)) {
		snprintf(err, errlen, "%s", strerror(ENAMETOOLONG));
		errno = ENAMETOOLONG;
		return NULL;
	}
	port = calloc(1, sizeof(*port));
	if (!port) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return NULL;
	}
	strcpy(port->name, conf->name);
	strcpy(port->path, path);
	strcpy(port->devargs, devargs);
	port->port_no = conf->port_no;
	port->slot = conf->slot;
	port->client = conf->client;
	port->ops = ops;
	rte_spinlock_init(&port->tx_lock);
	atomic_init(&port->table, 0);
	atomic_init(&port->mtu, VSW_PORT_MTU_DEFAULT);
	err[0] = '\0';
	rc = ops->open(port, conf, err, errlen);
	if (rc) {
		if (!err[0])
			snprintf(err, errlen, "%s", strerror(-rc));
		free(port);
		errno = -rc;
		return NULL;
	}
	return port;
}

void vsw_port_destroy(struct vsw_port *port)
{
	if (!port)
		return;
	port->ops->close(port);
	free(port);
}

/* Tunnel ports by their underlay's slot, and the VXLAN port. */
static void link_tunnels(struct vsw_portset *n)
{
	memset(n->overlay, 0, sizeof(n->overlay));
	n->vxlan = NULL;
	for (uint16_t i = 0; i < n->n; i++) {
		struct vsw_port *p = n->list[i];

		if (!p->underlay)
			continue;
		n->overlay[p->underlay->slot] = p;
		if (!n->vxlan)
			n->vxlan = p;
	}
}

struct vsw_portset *vsw_portset_with(const struct vsw_portset *set, struct vsw_port *port)
{
	struct vsw_portset *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	if (set)
		*n = *set;
	if (n->n >= VSW_MAX_PORTS) {
		free(n);
		errno = ENOSPC;
		return NULL;
	}
	n->list[n->n++] = port;
	link_tunnels(n);
	return n;
}

struct vsw_portset *vsw_portset_without(const struct vsw_portset *set,
					const struct vsw_port *port)
{
	struct vsw_portset *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	for (uint16_t i = 0; set && i < set->n; i++)
		if (set->list[i] != port)
			n->list[n->n++] = set->list[i];
	link_tunnels(n);
	return n;
}

struct vsw_port *vsw_portset_by_name(const struct vsw_portset *set, const char *name)
{
	for (uint16_t i = 0; set && i < set->n; i++)
		if (!strcmp(set->list[i]->name, name))
			return set->list[i];
	return NULL;
}

struct vsw_port *vsw_portset_by_no(const struct vsw_portset *set, uint32_t port_no)
{
	for (uint16_t i = 0; set && i < set->n; i++)
		if (set->list[i]->port_no == port_no)
			return set->list[i];
	return NULL;
}

int vsw_portset_free_slot(const struct vsw_portset *set)
{
	bool used[VSW_MAX_PORTS] = { false };

	for (uint16_t i = 0; set && i < set->n; i++)
		used[set->list[i]->slot] = true;
	for (int s = 0; s < VSW_MAX_PORTS; s++)
		if (!used[s])
			return s;
	return -ENOSPC;
}
