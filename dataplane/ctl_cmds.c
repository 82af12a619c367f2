/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's control commands: hello and ports (ctl.h, PROTOCOL.md). Main lcore only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>

#include "capture.h"
#include "ctl.h"
#include "proto.h"

static const char *str_arg(json_t *req, const char *key)
{
	return json_string_value(json_object_get(req, key));
}

static json_t *cmd_hello(struct vsw_dp *dp, json_t *req)
{
	(void)req;
	return json_pack("{s:b,s:i,s:s}", "ok", 1, "pid", (int)getpid(), "boot_id", dp->boot_id);
}

static json_t *cmd_port_add(struct vsw_dp *dp, json_t *req)
{
	const char *name = str_arg(req, "name"), *type = str_arg(req, "type");
	const char *mode = str_arg(req, "mode"), *path = str_arg(req, "path");
	json_t *jno = json_object_get(req, "port_no");
	struct vsw_portset *cur = atomic_load(&dp->ports), *next;
	const struct vsw_port_ops *ops;
	struct vsw_port *port;
	int slot;

	if (!name || !*name || strlen(name) >= VSW_PORT_NAME_MAX)
		return vsw_proto_error("port-add: \"name\" must be 1..%d characters",
				       VSW_PORT_NAME_MAX - 1);
	if (!json_is_integer(jno) || json_integer_value(jno) < 1 ||
	    json_integer_value(jno) > VSW_PORT_MAX)
		return vsw_proto_error("port-add: \"port_no\" must be 1..%u", VSW_PORT_MAX);
	uint32_t no = (uint32_t)json_integer_value(jno);
	if (!type || !(ops = vsw_port_ops_find(type)))
		return vsw_proto_error("port-add: unknown port type '%s'", type ? type : "");
	if (!mode || (strcmp(mode, "server") && strcmp(mode, "client")))
		return vsw_proto_error("port-add: \"mode\" must be server or client");
	if (!path || path[0] != '/')
		return vsw_proto_error("port-add: \"path\" must be an absolute path");
	if (vsw_portset_by_name(cur, name))
		return vsw_proto_error("port-add: port '%s' exists", name);
	if (vsw_portset_by_no(cur, no))
		return vsw_proto_error("port-add: port number %u is taken", no);
	for (uint16_t i = 0; cur && i < cur->n; i++)
		if (!strcmp(cur->list[i]->path, path))
			return vsw_proto_error("port-add: %s is used by port '%s'", path,
					       cur->list[i]->name);
	slot = vsw_portset_free_slot(cur);
	if (slot < 0)
		return vsw_proto_error("port-add: too many ports (%d)", VSW_MAX_PORTS);

	port = vsw_port_create(ops, name, no, (uint16_t)slot, path, !strcmp(mode, "client"),
			       dp->qs);
	if (!port)
		return vsw_proto_error("port-add: cannot create %s socket %s: %s", type, path,
				       strerror(errno));
	next = vsw_portset_with(cur, port);
	if (!next) {
		vsw_port_destroy(port);
		return vsw_proto_error("port-add: %s", strerror(errno));
	}
	vsw_dp_publish_ports(dp, next);
	if (dp->n_mirrors)
		vsw_taps_update(dp, NULL); /* mirrors that name the port come alive */
	RTE_LOG(INFO, USER1, "dataplane: added port %s (%u) %s %s %s\n", name, no, type, mode,
		path);
	return vsw_proto_ok();
}

static int del_port(struct vsw_dp *dp, struct vsw_port *port)
{
	struct vsw_portset *next = vsw_portset_without(atomic_load(&dp->ports), port);

	if (!next)
		return -ENOMEM; /* keep the port rather than free it under a PMD */
	vsw_dp_publish_ports(dp, next); /* returns after the grace period */
	/* Its captures end; mirrors to it stop; its taps go (another grace period). */
	vsw_capture_port_gone(dp, port);
	vsw_taps_update(dp, port);
	RTE_LOG(INFO, USER1, "dataplane: deleted port %s (%u)\n", port->name, port->port_no);
	vsw_port_destroy(port);
	return 0;
}

static json_t *cmd_port_del(struct vsw_dp *dp, json_t *req)
{
	const char *name = str_arg(req, "name");
	struct vsw_port *port = name ? vsw_portset_by_name(atomic_load(&dp->ports), name) : NULL;

	if (!port)
		return vsw_proto_error("port-del: no port '%s'", name ? name : "");
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

static json_t *port_json(struct vsw_port *p)
{
	json_t *drops = json_object();
	for (int d = 0; d < VSW_DROP_N; d++)
		json_object_set_new(drops, vsw_drop_names[d],
				    json_integer((json_int_t)atomic_load(&p->stats.drops[d])));
	return json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:o}", "name", p->name,
			 "port_no", (int)p->port_no, "type", p->ops->type, "mode",
			 p->client ? "client" : "server", "path", p->path, "state",
			 p->ops->is_up(p) ? "up" : "down", "rx_packets",
			 (json_int_t)atomic_load(&p->stats.rx_packets), "rx_bytes",
			 (json_int_t)atomic_load(&p->stats.rx_bytes), "tx_packets",
			 (json_int_t)atomic_load(&p->stats.tx_packets), "tx_bytes",
			 (json_int_t)atomic_load(&p->stats.tx_bytes), "drops", drops);
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

const struct vsw_ctl_cmd vsw_ctl_port_cmds[] = {
	{ "hello", cmd_hello, true },
	{ "port-add", cmd_port_add, false },
	{ "port-del", cmd_port_del, false },
	{ "port-list", cmd_port_list, true },
	{ NULL, NULL, false },
};
