/* SPDX-License-Identifier: BSD-3-Clause */
/* Port commands: add-port, del-port, dump-ports, show. See PROTOCOL.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_cmds.h"
#include "proto.h"

static const char *const counter_keys[] = { "rx_packets", "rx_bytes", "tx_packets", "tx_bytes" };
static const char *const queue_keys[] = { "queues", "queues_enabled" };

static int cmp_port_no(const void *a, const void *b)
{
	const struct vsw_port_cfg *x = *(const struct vsw_port_cfg *const *)a;
	const struct vsw_port_cfg *y = *(const struct vsw_port_cfg *const *)b;

	return x->port_no < y->port_no ? -1 : x->port_no > y->port_no;
}

/* The dataplane's entry for `p`, if it has exactly this port. */
static json_t *live_entry(json_t *dp_ports, const struct vsw_port_cfg *p)
{
	struct vsw_port_cfg have;
	size_t i;
	json_t *e;

	json_array_foreach(dp_ports, i, e) {
		if (vsw_dpconn_port_from_json(e, &have) == 0 && strcmp(have.name, p->name) == 0)
			return vsw_port_cfg_equal(&have, p) ? e : NULL;
	}
	return NULL;
}

static json_t *port_json(const struct vsw_config *cfg, const struct vsw_port_cfg *p,
			 json_t *live, const char *state)
{
	json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:s}", "name", p->name, "port_no",
			      (json_int_t)p->port_no, "type", p->type, "mode", p->mode,
			      "path", p->path);
	json_t *drops = live ? json_object_get(live, "drops") : NULL;
	const char *s = live ? json_string_value(json_object_get(live, "state")) : NULL;

	if (!o)
		return NULL;
	if (p->devargs[0])
		json_object_set_new(o, "devargs", json_string(p->devargs));
	json_object_set_new(o, "tenant", p->tenant.tenant[0] ? json_string(p->tenant.tenant) :
							       json_null());
	json_object_set_new(o, "uplink", json_boolean(vsw_config_is_uplink(cfg, p->name)));
	json_object_set_new(o, "state", json_string(s ? s : state));
	for (size_t i = 0; i < sizeof(counter_keys) / sizeof(counter_keys[0]); i++)
		json_object_set_new(o, counter_keys[i],
				    json_integer(live ? json_integer_value(
							json_object_get(live, counter_keys[i])) : 0));
	json_object_set_new(o, "drops", json_is_object(drops) ? json_deep_copy(drops) :
				       json_object());
	/* vhost-user: the queue pairs the peer set up, as the dataplane sees them */
	for (size_t i = 0; live && i < sizeof(queue_keys) / sizeof(queue_keys[0]); i++) {
		json_t *v = json_object_get(live, queue_keys[i]);

		if (v)
			json_object_set_new(o, queue_keys[i], json_deep_copy(v));
	}
	return o;
}

json_t *vsw_mgmt_ports_json(struct vsw_control *ctl, const char *only)
{
	const struct vsw_config *cfg = &ctl->cfg;
	const struct vsw_port_cfg **sorted;
	json_t *dp_ports = NULL, *out;
	char err[256];
	int rc;

	if (only && !vsw_config_find_port(cfg, only))
		return NULL;
	if (vsw_dpconn_connected(&ctl->dp)) {
		rc = vsw_dpconn_port_list(&ctl->dp, &dp_ports, err, sizeof(err));
		if (rc == -EREMOTEIO)
			vsw_warn(&ctl->log, "port-list: %s", err);
	}
	out = json_array();
	sorted = malloc((cfg->n_ports + 1) * sizeof(*sorted));
	if (!out || !sorted)
		goto err_nomem;
	for (size_t i = 0; i < cfg->n_ports; i++)
		sorted[i] = &cfg->ports[i];
	qsort(sorted, cfg->n_ports, sizeof(*sorted), cmp_port_no);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const struct vsw_port_cfg *p = sorted[i];

		if (only && strcmp(p->name, only) != 0)
			continue;
		/* Connected but not there as configured: a port-add that failed. */
		json_array_append_new(out, port_json(cfg, p, dp_ports ? live_entry(dp_ports, p) : NULL,
						     dp_ports ? "missing" : "unknown"));
	}
	free(sorted);
	json_decref(dp_ports);
	return out;

err_nomem:
	free(sorted);
	json_decref(out);
	json_decref(dp_ports);
	return json_array(); /* best effort; the reply still goes out */
}

/* Note for the log: where the change went. */
static const char *dp_note(int dp_rc)
{
	return dp_rc == -ENOTCONN ? " (dataplane not connected: it gets this when it connects)" : "";
}

static json_t *add_port(struct vsw_control *ctl, json_t *req)
{
	const char *name, *type, *mode, *path, *devargs;
	struct vsw_port_cfg port;
	json_t *r = NULL;
	char err[512];
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r) ||
	    vsw_mgmt_arg_str(req, "type", false, &type, &r) ||
	    vsw_mgmt_arg_str(req, "mode", false, &mode, &r) ||
	    vsw_mgmt_arg_str(req, "path", false, &path, &r) ||
	    vsw_mgmt_arg_str(req, "devargs", false, &devargs, &r))
		return r;
	if (vsw_config_new_port(&ctl->cfg, ctl->run_dir, name, type ? type : "vhost-user", mode,
				path, devargs, &port, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	if (vsw_config_reserve(&ctl->cfg))
		return vsw_proto_error("out of memory");

	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = vsw_store_put_number(ctl->store, port.name, port.port_no);
	if (!rc)
		rc = vsw_store_put_port(ctl->store, &port);
	if (rc)
		return vsw_mgmt_store_failed(ctl, "add-port", rc);

	dp_rc = vsw_dpconn_port_add(&ctl->dp, &port, err, sizeof(err));
	if (dp_rc == -EREMOTEIO) {
		vsw_store_rollback(ctl->store);
		return vsw_proto_error("dataplane: %s", err);
	}
	rc = vsw_store_commit(ctl->store);
	if (rc) {
		if (dp_rc == 0)
			ctl->dp.need_sync = true; /* takes the port out again */
		return vsw_mgmt_store_failed(ctl, "add-port", rc);
	}
	vsw_config_add_port(&ctl->cfg, &port); /* room reserved: cannot fail */
	vsw_info(&ctl->log, "add-port %s: port %u, %s%s%s%s%s%s%s%s", port.name, port.port_no,
		 port.type, port.mode[0] ? " " : "", port.mode, port.path[0] ? " " : "",
		 port.path, port.devargs[0] ? " " : "", port.devargs, dp_note(dp_rc));
	r = vsw_proto_ok();
	json_object_set_new(r, "port_no", json_integer(port.port_no));
	return r;
}

/* After a refused port-del: is the port gone from the dataplane anyway? */
static bool dataplane_lacks(struct vsw_control *ctl, const char *name)
{
	json_t *ports, *e;
	bool found = false;
	char err[256];
	size_t i;

	int rc = vsw_dpconn_port_list(&ctl->dp, &ports, err, sizeof(err));

	if (rc)
		return rc == -ENOTCONN; /* gone: the next connect reconciles */
	json_array_foreach(ports, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));

		if (n && strcmp(n, name) == 0)
			found = true;
	}
	json_decref(ports);
	return !found;
}

static json_t *del_port(struct vsw_control *ctl, json_t *req)
{
	const char *name;
	json_t *r = NULL;
	char err[512];
	uint32_t port_no;
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r))
		return r;
	if (vsw_config_del_port_check(&ctl->cfg, name, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	port_no = vsw_config_number_of(&ctl->cfg, name);

	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = vsw_store_del_port(ctl->store, name);
	if (rc)
		return vsw_mgmt_store_failed(ctl, "del-port", rc);

	dp_rc = vsw_dpconn_port_del(&ctl->dp, name, err, sizeof(err));
	/*
	 * A port the dataplane does not have (its port-add failed) is deleted
	 * all the same: the user asked for it to be gone, and it is.
	 */
	if (dp_rc == -EREMOTEIO && !dataplane_lacks(ctl, name)) {
		vsw_store_rollback(ctl->store);
		return vsw_proto_error("dataplane: %s", err);
	}
	rc = vsw_store_commit(ctl->store);
	if (rc) {
		if (dp_rc == 0)
			ctl->dp.need_sync = true; /* puts the port back */
		return vsw_mgmt_store_failed(ctl, "del-port", rc);
	}
	vsw_config_del_port(&ctl->cfg, name);
	vsw_info(&ctl->log, "del-port %s (port %u)%s", name, port_no, dp_note(dp_rc));
	return vsw_proto_ok();
}

static json_t *dump_ports(struct vsw_control *ctl, json_t *req)
{
	const char *name;
	json_t *r = NULL, *ports;

	if (vsw_mgmt_arg_str(req, "name", false, &name, &r))
		return r;
	ports = vsw_mgmt_ports_json(ctl, name);
	if (!ports)
		return vsw_proto_error("no port '%.64s'", name);
	r = vsw_proto_ok();
	json_object_set_new(r, "ports", ports);
	return r;
}

static json_t *show(struct vsw_control *ctl, json_t *req)
{
	json_t *r, *ports;

	(void)req;
	ports = vsw_mgmt_ports_json(ctl, NULL); /* may find the dataplane gone */
	r = vsw_proto_ok();
	json_object_set_new(r, "dataplane", json_string(vsw_dpconn_connected(&ctl->dp) ?
							"connected" : "disconnected"));
	if (vsw_dpconn_connected(&ctl->dp)) {
		json_object_set_new(r, "dataplane_pid", json_integer(ctl->dp.pid));
		json_object_set_new(r, "boot_id", json_string(ctl->dp.boot_id));
	}
	json_object_set_new(r, "ports", ports);
	json_object_set_new(r, "n_flows", json_integer((json_int_t)ctl->cfg.n_flows));
	json_object_set_new(r, "db", json_string(vsw_store_path(ctl->store)));
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_port_cmds[] = {
	{ "add-port", add_port, false },
	{ "del-port", del_port, false },
	{ "dump-ports", dump_ports, true },
	{ "show", show, true },
	{ NULL, NULL, false },
};
