/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tenant commands: add-tenant, del-tenant, list-tenants, set-port,
 * set-uplink, add-vtep, del-vtep, add-acl, del-acl. See PROTOCOL.md and
 * TENANTS.md.
 *
 * Each change is made on a copy of the model (vsw_config_copy_intent()),
 * which validates it; the copy is written to the store, compiled and sent
 * to the dataplane (vsw_tenant_apply()), committed, and then becomes the
 * model. A refusal at any step leaves the model, the store and the
 * dataplane as they were.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_cmds.h"
#include "mirror.h"
#include "proto.h"
#include "tenant_sync.h"

/* An optional integer argument (absent or null: dflt). */
static int arg_int(json_t *req, const char *key, int64_t dflt, int64_t *val, json_t **reply)
{
	json_t *v = json_object_get(req, key);

	*val = dflt;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v)) {
		*reply = vsw_proto_error("%s: argument '%s' must be an integer",
					 json_string_value(json_object_get(req, "cmd")), key);
		return -EINVAL;
	}
	*val = json_integer_value(v);
	return 0;
}

/*
 * The rest of a change whose copy `next` is built and valid: BEGIN, the
 * rows, the dataplane, COMMIT, and the model takes `next`. NULL when done
 * (*dp_rc 0, or -ENOTCONN: the dataplane gets it at the next reconcile);
 * otherwise the error reply, and nothing changed. `next` is consumed.
 */
static json_t *apply(struct vsw_control *ctl, struct vsw_config *next, const char *what,
		     int *dp_rc)
{
	char err[512] = "";
	json_t *r;
	int rc;

	if (vsw_config_mirrors_tenant_check(&ctl->cfg, next, vsw_mirror_port_tenant, err,
					    sizeof(err))) {
		r = vsw_proto_error("%s", err);
		goto out_free;
	}
	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = vsw_store_put_intent(ctl->store, &ctl->cfg, next);
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, what, rc);
		goto out_free;
	}
	*dp_rc = vsw_tenant_apply(ctl, next, err, sizeof(err));
	if (*dp_rc == -EREMOTEIO) {
		vsw_store_rollback(ctl->store);
		r = vsw_proto_error("dataplane: %s", err);
		goto out_free;
	}
	if (*dp_rc)
		*dp_rc = -ENOTCONN;
	r = vsw_mgmt_commit(ctl, what, *dp_rc);
	if (r)
		goto out_free;
	vsw_config_take_intent(&ctl->cfg, next);
	return NULL;

out_free:
	vsw_config_free(next);
	return r;
}

/* A copy of the model to change, or the error reply. */
static json_t *copy(struct vsw_control *ctl, struct vsw_config *next)
{
	return vsw_config_copy_intent(&ctl->cfg, next) ? vsw_proto_error("out of memory") : NULL;
}

/* A refused change: drop the copy, reply with the reason. */
static json_t *refuse(struct vsw_config *next, const char *err)
{
	vsw_config_free(next);
	return vsw_proto_error("%s", err);
}

static json_t *ok_with_id(const char *key, json_int_t id)
{
	json_t *r = vsw_proto_ok();

	if (r)
		json_object_set_new(r, key, json_integer(id));
	return r;
}

static json_t *add_tenant(struct vsw_control *ctl, json_t *req)
{
	int64_t vlan, vni, mac_limit;
	struct vsw_config next;
	const struct vsw_tenant_cfg *t;
	const char *name;
	json_t *r = NULL;
	char err[512];
	int dp_rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r) ||
	    arg_int(req, "vlan", 0, &vlan, &r) || arg_int(req, "vni", 0, &vni, &r) ||
	    arg_int(req, "mac_limit", VSW_MAC_LIMIT_DEFAULT, &mac_limit, &r) ||
	    (r = copy(ctl, &next)))
		return r;
	if (vsw_config_add_tenant(&next, name, vlan, vni, mac_limit, err, sizeof(err)))
		return refuse(&next, err);
	r = apply(ctl, &next, "add-tenant", &dp_rc);
	if (r)
		return r;
	t = vsw_config_find_tenant(&ctl->cfg, name);
	vsw_info(&ctl->log, "add-tenant %s: id %" PRIu32 ", vlan %u, vni %" PRIu32 ", mac_limit %"
		 PRIu32 "%s", t->name, t->id, (unsigned)t->vlan, t->vni, t->mac_limit,
		 vsw_mgmt_dp_note(dp_rc));
	return ok_with_id("id", t->id);
}

static json_t *del_tenant(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config next;
	const char *name;
	json_t *r = NULL;
	size_t detached;
	char err[512];
	bool force;
	int dp_rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r) ||
	    vsw_mgmt_arg_bool(req, "force", false, &force, &r) || (r = copy(ctl, &next)))
		return r;
	if (vsw_config_del_tenant(&next, name, force, &detached, err, sizeof(err)))
		return refuse(&next, err);
	r = apply(ctl, &next, "del-tenant", &dp_rc);
	if (r)
		return r;
	vsw_info(&ctl->log, "del-tenant %s: %zu port(s) detached%s", name, detached,
		 vsw_mgmt_dp_note(dp_rc));
	return ok_with_id("detached", (json_int_t)detached);
}

static json_t *set_port(struct vsw_control *ctl, json_t *req)
{
	const char *port, *tenant, *mode, *trunks, *mac, *ips;
	struct vsw_port_tenant att;
	struct vsw_config next;
	json_t *r = NULL;
	char err[512];
	int dp_rc;

	if (vsw_mgmt_arg_str(req, "port", true, &port, &r) ||
	    vsw_mgmt_arg_str(req, "tenant", true, &tenant, &r) ||
	    vsw_mgmt_arg_str(req, "mode", false, &mode, &r) ||
	    vsw_mgmt_arg_str(req, "trunks", false, &trunks, &r) ||
	    vsw_mgmt_arg_str(req, "mac", false, &mac, &r) ||
	    vsw_mgmt_arg_str(req, "ips", false, &ips, &r))
		return r;
	if (vsw_port_tenant_parse(tenant, mode, trunks, mac, ips, &att, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	r = copy(ctl, &next);
	if (r)
		return r;
	if (vsw_config_set_port(&next, port, &att, err, sizeof(err)))
		return refuse(&next, err);
	r = apply(ctl, &next, "set-port", &dp_rc);
	if (r)
		return r;
	vsw_info(&ctl->log, "set-port %s tenant=%s%s%s%s%.64s%s%s%s%s%s", port, tenant,
		 mode ? " mode=" : "", mode ? mode : "", trunks ? " trunks=" : "",
		 trunks ? trunks : "", mac ? " mac=" : "", mac ? mac : "", ips ? " ips=" : "",
		 ips ? ips : "", vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

static json_t *set_uplink(struct vsw_control *ctl, json_t *req)
{
	const char *port, *local_ip, *nexthop;
	struct vsw_config next;
	json_t *r = NULL;
	char err[512];
	int dp_rc;

	if (vsw_mgmt_arg_str(req, "port", true, &port, &r) ||
	    vsw_mgmt_arg_str(req, "local_ip", false, &local_ip, &r) ||
	    vsw_mgmt_arg_str(req, "nexthop", false, &nexthop, &r) || (r = copy(ctl, &next)))
		return r;
	if (vsw_config_set_uplink(&next, port, local_ip, nexthop, err, sizeof(err)))
		return refuse(&next, err);
	r = apply(ctl, &next, "set-uplink", &dp_rc);
	if (r)
		return r;
	vsw_info(&ctl->log, "set-uplink %s%s%s%s%s%s", port, local_ip ? " local_ip=" : "",
		 local_ip ? local_ip : "", nexthop ? " nexthop=" : "", nexthop ? nexthop : "",
		 vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

static json_t *vtep(struct vsw_control *ctl, json_t *req, bool add)
{
	const char *what = add ? "add-vtep" : "del-vtep";
	const char *tenant, *ip;
	struct vsw_config next;
	json_t *r = NULL;
	char err[512];
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "tenant", true, &tenant, &r) ||
	    vsw_mgmt_arg_str(req, "ip", true, &ip, &r) || (r = copy(ctl, &next)))
		return r;
	rc = add ? vsw_config_add_vtep(&next, tenant, ip, err, sizeof(err)) :
		   vsw_config_del_vtep(&next, tenant, ip, err, sizeof(err));
	if (rc)
		return refuse(&next, err);
	r = apply(ctl, &next, what, &dp_rc);
	if (r)
		return r;
	vsw_info(&ctl->log, "%s %s %s%s", what, tenant, ip, vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

static json_t *add_vtep(struct vsw_control *ctl, json_t *req)
{
	return vtep(ctl, req, true);
}

static json_t *del_vtep(struct vsw_control *ctl, json_t *req)
{
	return vtep(ctl, req, false);
}

static json_t *add_acl(struct vsw_control *ctl, json_t *req)
{
	const char *tenant, *action, *match;
	struct vsw_config next;
	int64_t priority;
	json_t *r = NULL;
	char err[512];
	uint32_t id;
	int dp_rc;

	if (vsw_mgmt_arg_str(req, "tenant", true, &tenant, &r) ||
	    arg_int(req, "priority", VSW_ACL_PRIORITY_DEFAULT, &priority, &r) ||
	    vsw_mgmt_arg_str(req, "action", true, &action, &r) ||
	    vsw_mgmt_arg_str(req, "match", false, &match, &r) || (r = copy(ctl, &next)))
		return r;
	if (vsw_config_add_acl(&next, tenant, priority, action, match ? match : "", &id, err,
			       sizeof(err)))
		return refuse(&next, err);
	r = apply(ctl, &next, "add-acl", &dp_rc);
	if (r)
		return r;
	vsw_info(&ctl->log, "add-acl %s: acl %" PRIu32 ", priority %" PRId64 " %s '%s'%s", tenant,
		 id, priority, action, match ? match : "", vsw_mgmt_dp_note(dp_rc));
	return ok_with_id("id", id);
}

static json_t *del_acl(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config next;
	const char *tenant;
	json_t *r = NULL;
	char err[512];
	int64_t id;
	int dp_rc;

	if (vsw_mgmt_arg_str(req, "tenant", true, &tenant, &r) ||
	    arg_int(req, "id", -1, &id, &r))
		return r;
	if (!json_object_get(req, "id") || json_is_null(json_object_get(req, "id")))
		return vsw_proto_error("del-acl: missing argument 'id'");
	r = copy(ctl, &next);
	if (r)
		return r;
	if (vsw_config_del_acl(&next, tenant, id, err, sizeof(err)))
		return refuse(&next, err);
	r = apply(ctl, &next, "del-acl", &dp_rc);
	if (r)
		return r;
	vsw_info(&ctl->log, "del-acl %s %" PRId64 "%s", tenant, id, vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

/* ---- list-tenants ---- */

static int cmp_port_no(const void *a, const void *b)
{
	const struct vsw_port_cfg *x = *(const struct vsw_port_cfg *const *)a;
	const struct vsw_port_cfg *y = *(const struct vsw_port_cfg *const *)b;

	return x->port_no < y->port_no ? -1 : x->port_no > y->port_no;
}

static int cmp_acl(const void *a, const void *b)
{
	const struct vsw_acl_cfg *x = *(const struct vsw_acl_cfg *const *)a;
	const struct vsw_acl_cfg *y = *(const struct vsw_acl_cfg *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

json_t *vsw_mgmt_attachment_json(const struct vsw_port_cfg *p)
{
	const struct vsw_port_tenant *a = &p->tenant;
	char *trunks = malloc(VSW_TRUNKS_TEXT_MAX), mac[VSW_MAC_TEXT_MAX], ip[VSW_IP_TEXT_MAX];
	json_t *o, *ips = json_array();

	if (!trunks || !ips || vsw_trunks_format(a->trunks, trunks, VSW_TRUNKS_TEXT_MAX) < 0) {
		free(trunks);
		json_decref(ips);
		return NULL;
	}
	for (size_t i = 0; i < a->n_ips; i++)
		if (vsw_ip_format(&a->ips[i], ip, sizeof(ip)) >= 0)
			json_array_append_new(ips, json_string(ip));
	if (a->has_mac)
		vsw_mac_format(a->mac, mac);
	o = json_pack("{s:s,s:s,s:s,s:o,s:o}", "name", p->name, "mode",
		      a->mode == VSW_VLAN_TRUNK ? "trunk" : "access", "trunks", trunks, "mac",
		      a->has_mac ? json_string(mac) : json_null(), "ips", ips);
	free(trunks);
	return o;
}

json_t *vsw_mgmt_tenant_json(const struct vsw_config *cfg, const struct vsw_tenant_cfg *t)
{
	const struct vsw_port_cfg **ports = malloc((cfg->n_ports + 1) * sizeof(*ports));
	const struct vsw_acl_cfg **acls = malloc((cfg->n_acls + 1) * sizeof(*acls));
	json_t *o = NULL, *jp = json_array(), *jv = json_array(), *ja = json_array();
	char ip[VSW_IPV4_TEXT_MAX];
	size_t n = 0, m = 0;

	if (!ports || !acls || !jp || !jv || !ja)
		goto out;
	for (size_t i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].tenant.tenant, t->name) == 0)
			ports[n++] = &cfg->ports[i];
	qsort(ports, n, sizeof(*ports), cmp_port_no);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(jp, vsw_mgmt_attachment_json(ports[i]));
	for (size_t i = 0; i < cfg->n_vteps; i++) {
		if (strcmp(cfg->vteps[i].tenant, t->name) != 0)
			continue;
		vsw_ipv4_format(cfg->vteps[i].ip, ip);
		json_array_append_new(jv, json_string(ip));
	}
	for (size_t i = 0; i < cfg->n_acls; i++)
		if (strcmp(cfg->acls[i].tenant, t->name) == 0)
			acls[m++] = &cfg->acls[i];
	qsort(acls, m, sizeof(*acls), cmp_acl);
	for (size_t i = 0; i < m; i++)
		json_array_append_new(ja, json_pack("{s:I,s:i,s:s,s:s}", "id",
						    (json_int_t)acls[i]->id, "priority",
						    (int)acls[i]->priority, "action",
						    acls[i]->allow ? "allow" : "deny", "match",
						    acls[i]->match));
	o = json_pack("{s:s,s:I,s:i,s:I,s:I,s:O,s:O,s:O}", "name", t->name, "id",
		      (json_int_t)t->id, "vlan", (int)t->vlan, "vni", (json_int_t)t->vni,
		      "mac_limit", (json_int_t)t->mac_limit, "ports", jp, "vteps", jv, "acls", ja);
out:
	json_decref(jp);
	json_decref(jv);
	json_decref(ja);
	free(ports);
	free(acls);
	return o;
}

static int cmp_tenant_id(const void *a, const void *b)
{
	const struct vsw_tenant_cfg *x = *(const struct vsw_tenant_cfg *const *)a;
	const struct vsw_tenant_cfg *y = *(const struct vsw_tenant_cfg *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static json_t *uplink_json(const struct vsw_uplink_cfg *u)
{
	char ip[VSW_IPV4_TEXT_MAX], mac[VSW_MAC_TEXT_MAX];

	if (!u->port[0])
		return json_null();
	if (u->has_local_ip)
		vsw_ipv4_format(u->local_ip, ip);
	if (u->has_nexthop)
		vsw_mac_format(u->nexthop, mac);
	return json_pack("{s:s,s:o,s:o}", "port", u->port, "local_ip",
			 u->has_local_ip ? json_string(ip) : json_null(), "nexthop",
			 u->has_nexthop ? json_string(mac) : json_null());
}

static json_t *list_tenants(struct vsw_control *ctl, json_t *req)
{
	const struct vsw_config *cfg = &ctl->cfg;
	const struct vsw_tenant_cfg **sorted = malloc((cfg->n_tenants + 1) * sizeof(*sorted));
	json_t *r, *out = json_array();

	(void)req;
	if (!sorted || !out) {
		free(sorted);
		json_decref(out);
		return vsw_proto_error("out of memory");
	}
	for (size_t i = 0; i < cfg->n_tenants; i++)
		sorted[i] = &cfg->tenants[i];
	qsort(sorted, cfg->n_tenants, sizeof(*sorted), cmp_tenant_id);
	for (size_t i = 0; i < cfg->n_tenants; i++)
		json_array_append_new(out, vsw_mgmt_tenant_json(cfg, sorted[i]));
	free(sorted);
	r = vsw_proto_ok();
	json_object_set_new(r, "tenants", out);
	json_object_set_new(r, "uplink", uplink_json(&cfg->uplink));
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_tenant_cmds[] = {
	{ "add-tenant", add_tenant, false },
	{ "del-tenant", del_tenant, false },
	{ "list-tenants", list_tenants, true },
	{ "set-port", set_port, false },
	{ "set-uplink", set_uplink, false },
	{ "add-vtep", add_vtep, false },
	{ "del-vtep", del_vtep, false },
	{ "add-acl", add_acl, false },
	{ "del-acl", del_acl, false },
	{ NULL, NULL, false },
};
