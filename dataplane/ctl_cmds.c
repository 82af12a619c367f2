/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's control commands: hello and ports (ctl.h, PROTOCOL.md). Main lcore only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ether.h>

#include "capture.h"
#include "ctl.h"
#include "log.h"
#include "proto.h"

static const char *str_arg(json_t *req, const char *key)
{
	return json_string_value(json_object_get(req, key));
}

/*
 * The optional start table and MTU of port-add/port-mod (absent or null:
 * *given false). 0, or -1 with the message in err.
 */
static int port_attrs(json_t *req, bool *has_table, uint8_t *table, bool *has_mtu,
		      uint16_t *mtu, char *err, size_t errlen)
{
	json_t *jt = json_object_get(req, "table"), *jm = json_object_get(req, "mtu");

	*has_table = jt && !json_is_null(jt);
	*has_mtu = jm && !json_is_null(jm);
	if (*has_table && (!json_is_integer(jt) || json_integer_value(jt) < 0 ||
			   json_integer_value(jt) >= VSW_FT_N_TABLES)) {
		snprintf(err, errlen, "\"table\" must be 0..%d", VSW_FT_N_TABLES - 1);
		return -1;
	}
	if (*has_mtu && (!json_is_integer(jm) || json_integer_value(jm) < VSW_PORT_MTU_MIN ||
			 json_integer_value(jm) > VSW_PORT_MTU_MAX)) {
		snprintf(err, errlen, "\"mtu\" must be %d..%d", VSW_PORT_MTU_MIN,
			 VSW_PORT_MTU_MAX);
		return -1;
	}
	*table = *has_table ? (uint8_t)json_integer_value(jt) : 0;
	*mtu = *has_mtu ? (uint16_t)json_integer_value(jm) : VSW_PORT_MTU_DEFAULT;
	return 0;
}

static json_t *cmd_hello(struct vsw_dp *dp, json_t *req)
{
	(void)req;
	return json_pack("{s:b,s:i,s:s}", "ok", 1, "pid", (int)getpid(), "boot_id", dp->boot_id);
}

/* An optional string argument: absent and null are "not given". */
static bool given(json_t *req, const char *key)
{
	json_t *v = json_object_get(req, key);

	return v && !json_is_null(v);
}

/* The type's own arguments; NULL when they are fine, else the error reply. */
static json_t *check_type_args(const struct vsw_portset *cur, json_t *req, const char *type)
{
	const char *mode = str_arg(req, "mode"), *path = str_arg(req, "path");
	const char *devargs = str_arg(req, "devargs");

	if (!strcmp(type, "vhost-user")) {
		if (!mode || (strcmp(mode, "server") && strcmp(mode, "client")))
			return vsw_proto_error("port-add: \"mode\" must be server or client");
		if (!path || path[0] != '/')
			return vsw_proto_error("port-add: \"path\" must be an absolute path");
		for (uint16_t i = 0; cur && i < cur->n; i++)
			if (!strcmp(cur->list[i]->path, path))
				return vsw_proto_error("port-add: %s is used by port '%s'", path,
						       cur->list[i]->name);
	} else if (given(req, "mode") || given(req, "path")) {
		return vsw_proto_error("port-add: \"mode\" and \"path\" are for vhost-user ports");
	}
	if (!strcmp(type, "dpdk")) {
		size_t max = sizeof(((struct vsw_port *)NULL)->devargs) - 1;

		if (!devargs || !*devargs || strlen(devargs) > max)
			return vsw_proto_error("port-add: a dpdk port needs \"devargs\" (1..%zu "
					       "characters)", max);
	} else if (given(req, "devargs")) {
		return vsw_proto_error("port-add: \"devargs\" is for dpdk ports");
	}
	return NULL;
}

static json_t *cmd_port_add(struct vsw_dp *dp, json_t *req)
{
	const char *name = str_arg(req, "name"), *type = str_arg(req, "type");
	json_t *jno = json_object_get(req, "port_no"), *bad;
	struct vsw_portset *cur = atomic_load(&dp->ports), *next;
	const struct vsw_port_ops *ops;
	struct vsw_port *port;
	bool has_table, has_mtu;
	uint16_t mtu;
	uint8_t table;
	char err[256];
	int slot, rc;

	if (!name || !*name || strlen(name) >= VSW_PORT_NAME_MAX)
		return vsw_proto_error("port-add: \"name\" must be 1..%d characters",
				       VSW_PORT_NAME_MAX - 1);
	if (!json_is_integer(jno) || json_integer_value(jno) < 1 ||
	    json_integer_value(jno) > VSW_PORT_MAX)
		return vsw_proto_error("port-add: \"port_no\" must be 1..%u", VSW_PORT_MAX);
	uint32_t no = (uint32_t)json_integer_value(jno);
	if (!type || !(ops = vsw_port_ops_find(type)))
		return vsw_proto_error("port-add: unknown port type '%s'", type ? type : "");
	if (port_attrs(req, &has_table, &table, &has_mtu, &mtu, err, sizeof(err)))
		return vsw_proto_error("port-add: %s", err);
	if (ops == &vsw_port_vxlan_ops)
		return vsw_ctl_vxlan_port_add(dp, req, name, no, table, mtu);
	if ((bad = check_type_args(cur, req, type)))
		return bad;
	if (vsw_portset_by_name(cur, name))
		return vsw_proto_error("port-add: port '%s' exists", name);
	if (vsw_portset_by_no(cur, no))
		return vsw_proto_error("port-add: port number %u is taken", no);
	slot = vsw_portset_free_slot(cur);
	if (slot < 0)
		return vsw_proto_error("port-add: too many ports (%d)", VSW_MAX_PORTS);

	const char *mode = str_arg(req, "mode");
	struct vsw_port_conf conf = {
		.name = name,
		.port_no = no,
		.slot = (uint16_t)slot,
		.path = str_arg(req, "path"),
		.client = mode && !strcmp(mode, "client"),
		.devargs = str_arg(req, "devargs"),
		.n_queues = (uint16_t)dp->n_pmds, /* ethdev: a queue pair per PMD (pmd.h) */
		.mp = dp->mbufs,
		.qs = dp->qs,
	};
	port = vsw_port_create(ops, &conf, err, sizeof(err));
	if (!port)
		return vsw_proto_error("port-add: %s", err);
	atomic_store(&port->table, table);
	atomic_store(&port->mtu, mtu);
	next = vsw_portset_with(cur, port);
	if (!next) {
		vsw_port_destroy(port);
		return vsw_proto_error("port-add: %s", strerror(errno));
	}
	/* Domains that name the port send to it from now on (it is not polled yet). */
	rc = vsw_ctl_domains_resolve(dp, next);
	if (rc) {
		free(next);
		vsw_port_destroy(port);
		return vsw_proto_error("port-add: %s", strerror(-rc));
	}
	vsw_dp_publish_ports(dp, next);
	if (dp->n_mirrors)
		vsw_taps_update(dp, NULL); /* mirrors that name the port come alive */
	if (!strcmp(type, "vhost-user"))
		VSW_LOG(port, INFO, "added port %s (%u) %s %s %s", name, no, type, mode,
			port->path);
	else
		VSW_LOG(port, INFO, "added port %s (%u) %s %s", name, no, type,
			port->devargs[0] ? port->devargs : name);
	return vsw_proto_ok();
}

static int del_port(struct vsw_dp *dp, struct vsw_port *port)
{
	struct vsw_portset *next = vsw_portset_without(atomic_load(&dp->ports), port);

	/* Keep the port rather than free it under a PMD or a domain. */
	if (!next)
		return -ENOMEM;
	if (vsw_ctl_domains_resolve(dp, next)) {
		free(next);
		return -ENOMEM;
	}
	vsw_dp_publish_ports(dp, next); /* returns after the grace period */
	/* Its captures end; mirrors to it stop; its taps go (another grace period). */
	vsw_capture_port_gone(dp, port);
	vsw_taps_update(dp, port);
	vsw_ctl_macs_forget_port(dp, port->port_no);
	VSW_LOG(port, INFO, "deleted port %s (%u)", port->name, port->port_no);
	vsw_port_destroy(port);
	return 0;
}

static json_t *cmd_port_del(struct vsw_dp *dp, json_t *req)
{
	const char *name = str_arg(req, "name");
	const struct vsw_portset *set = atomic_load(&dp->ports);
	struct vsw_port *port = name ? vsw_portset_by_name(set, name) : NULL;

	if (!port)
		return vsw_proto_error("port-del: no port '%s'", name ? name : "");
	if (set->overlay[port->slot])
		return vsw_proto_error("port-del: port '%s' carries vxlan port '%s': delete that first",
				       name, set->overlay[port->slot]->name);
	if (del_port(dp, port))
		return vsw_proto_error("port-del: out of memory");
	return vsw_proto_ok();
}

void vsw_ctl_del_all_ports(struct vsw_dp *dp)
{
	struct vsw_portset *set;

	while ((set = atomic_load(&dp->ports)) && set->n)
		if (del_port(dp, set->list[set->n - 1]))
			break;
}

/* "queues": pairs the peer set up; "queues_enabled": one boolean per pair. */
static void queues_json(const struct vsw_port *p, json_t *o)
{
	json_t *list = json_array();
	uint64_t enabled;
	uint16_t n = p->ops->queues(p, &enabled);

	for (uint16_t q = 0; list && q < n; q++)
		json_array_append_new(list, json_boolean(q < 64 && (enabled >> q & 1)));
	json_object_set_new(o, "queues", json_integer(n));
	json_object_set_new(o, "queues_enabled", list);
}

static json_t *port_json(struct vsw_port *p)
{
	json_t *o = json_pack("{s:s,s:i,s:s}", "name", p->name, "port_no", (int)p->port_no,
			      "type", p->ops->type);
	json_t *drops = json_object();
	struct vsw_port_info info;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	if (!strcmp(p->ops->type, "vhost-user")) {
		json_object_set_new(o, "mode", json_string(p->client ? "client" : "server"));
		json_object_set_new(o, "path", json_string(p->path));
	}
	if (p->devargs[0])
		json_object_set_new(o, "devargs", json_string(p->devargs));
	if (p->ops->queues)
		queues_json(p, o);
	if (p->ops->info) {
		p->ops->info(p, &info);
		if (info.has_mac) {
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", info.mac[0],
				 info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5]);
			json_object_set_new(o, "mac", json_string(mac));
		}
		if (info.ifname[0])
			json_object_set_new(o, "ifname", json_string(info.ifname));
	}
	for (int d = 0; d < VSW_DROP_N; d++)
		json_object_set_new(drops, vsw_drop_names[d],
				    json_integer((json_int_t)atomic_load(&p->stats.drops[d])));
	json_object_set_new(o, "state", json_string(p->ops->is_up(p) ? "up" : "down"));
#define COUNTER(f) json_object_set_new(o, #f, json_integer((json_int_t)atomic_load(&p->stats.f)))
	COUNTER(rx_packets);
	COUNTER(rx_bytes);
	COUNTER(tx_packets);
	COUNTER(tx_bytes);
#undef COUNTER
	json_object_set_new(o, "table", json_integer(atomic_load(&p->table)));
	json_object_set_new(o, "mtu", json_integer(atomic_load(&p->mtu)));
	json_object_set_new(o, "drops", drops);
	if (p->underlay)
		vsw_ctl_vxlan_port_json(p, o);
	return o;
}

static json_t *cmd_port_list(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_portset *set = atomic_load(&dp->ports);
	json_t *ports = json_array();

	(void)req;
	for (uint16_t i = 0; set && i < set->n; i++)
		json_array_append_new(ports, port_json(set->list[i]));
	return json_pack("{s:b,s:o}", "ok", 1, "ports", ports);
}

/* Start table and MTU; returns once no PMD starts at the old table. */
static json_t *cmd_port_mod(struct vsw_dp *dp, json_t *req)
{
	const char *name = str_arg(req, "name");
	struct vsw_port *port = name ? vsw_portset_by_name(atomic_load(&dp->ports), name) : NULL;
	bool has_table, has_mtu;
	uint16_t mtu;
	uint8_t table;
	char err[128];

	if (!port)
		return vsw_proto_error("port-mod: no port '%s'", name ? name : "");
	if (port_attrs(req, &has_table, &table, &has_mtu, &mtu, err, sizeof(err)))
		return vsw_proto_error("port-mod: %s", err);
	if (!has_table && !has_mtu)
		return vsw_proto_error("port-mod: nothing to change: give \"table\" or \"mtu\"");
	if (has_mtu)
		atomic_store(&port->mtu, mtu);
	if (has_table && atomic_exchange(&port->table, table) != table)
		rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	return vsw_proto_ok();
}

const struct vsw_ctl_cmd vsw_ctl_port_cmds[] = {
	{ "hello", cmd_hello, true },
	{ "port-add", cmd_port_add, false },
	{ "port-del", cmd_port_del, false },
	{ "port-mod", cmd_port_mod, false },
	{ "port-list", cmd_port_list, true },
	{ NULL, NULL, false },
};
