/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show-tenant: a tenant's intent and what the dataplane does with it (its
 * domains' counters and learned MACs, VTEP next hops, per-ACL and per-drop
 * rule counters). See PROTOCOL.md. While the dataplane is disconnected: the
 * intent alone, "counters": false.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpconn_tenant.h"
#include "intent.h"
#include "mgmt_cmds.h"
#include "proto.h"
#include "tenant_sync.h"

static const struct vsw_tenant_cfg *find_tenant(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_tenants; i++)
		if (strcmp(cfg->tenants[i].name, name) == 0)
			return &cfg->tenants[i];
	return NULL;
}

static const char *port_name(const struct vsw_config *cfg, uint32_t no, char *buf, size_t len)
{
	const char *n = vsw_config_name_of(cfg, no);

	if (n)
		return n;
	snprintf(buf, len, "%u", no);
	return buf;
}

static json_t *ip4(uint32_t ip)
{
	char b[VSW_IPV4_TEXT_MAX];

	vsw_ipv4_format(ip, b);
	return json_string(b);
}

static json_t *mac_json(const uint8_t *m)
{
	char b[VSW_MAC_TEXT_MAX];

	vsw_mac_format(m, b);
	return json_string(b);
}

static json_t *trunks_json(const struct vsw_port_tenant *a)
{
	char buf[VSW_TRUNKS_TEXT_MAX];

	if (vsw_trunks_format(a->trunks, buf, sizeof(buf)) < 0)
		buf[0] = 0;
	return json_string(buf);
}

static json_t *ports_json(const struct vsw_config *cfg, const struct vsw_tenant_cfg *t)
{
	json_t *out = json_array();

	for (size_t i = 0; out && i < cfg->n_ports; i++) {
		const struct vsw_port_cfg *p = &cfg->ports[i];
		const struct vsw_port_tenant *a = &p->tenant;
		json_t *o, *ips;
		char b[VSW_IP_TEXT_MAX];

		if (strcmp(a->tenant, t->name))
			continue;
		o = json_pack("{s:s,s:I,s:s}", "name", p->name, "port_no", (json_int_t)p->port_no,
			      "mode", a->mode == VSW_VLAN_TRUNK ? "trunk" : "access");
		ips = json_array();
		for (unsigned j = 0; ips && j < a->n_ips && j < VSW_PORT_IPS_MAX; j++)
			if (vsw_ip_format(&a->ips[j], b, sizeof(b)) >= 0)
				json_array_append_new(ips, json_string(b));
		if (a->mode == VSW_VLAN_TRUNK)
			json_object_set_new(o, "trunks", trunks_json(a));
		json_object_set_new(o, "mac", a->has_mac ? mac_json(a->mac) : json_null());
		json_object_set_new(o, "ips", ips);
		json_array_append_new(out, o);
	}
	return out;
}

/* The dataplane's answers, when connected. */
struct live {
	bool on;
	json_t *domains; /* domain-list */
	json_t *vteps; /* vtep-list */
	struct vsw_dpconn_stats stats; /* flow-list by text */
};

static json_t *find_by(json_t *arr, const char *key, json_t *want)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (json_equal(json_object_get(e, key), want))
			return e;
	return NULL;
}

static const char *const domain_counters[] = { "macs", "learned", "moved", "aged",
					       "mac_limit_hits", "flooded", "unicast" };

static json_t *domain_json(const struct vsw_config *cfg, const struct vsw_cdomain *d,
			   const struct live *lv)
{
	json_t *members = json_array(), *vteps = json_array(), *o, *id, *e;
	char b[16];

	for (size_t i = 0; i < d->n_members; i++)
		json_array_append_new(members, json_pack("{s:s,s:i}", "port",
							 port_name(cfg, d->members[i].port_no, b,
								   sizeof(b)),
							 "vlan", d->members[i].vlan));
	for (size_t i = 0; i < d->n_vteps; i++)
		json_array_append_new(vteps, json_pack("{s:o,s:i}", "ip", ip4(d->vteps[i].ip), "vlan",
						       d->vteps[i].vlan));
	o = json_pack("{s:I,s:i,s:I,s:o,s:o}", "id", (json_int_t)d->id, "segment", d->segment,
		      "vni", (json_int_t)d->vni, "members", members, "vteps", vteps);
	if (!lv->on || !o)
		return o;
	id = json_integer(d->id);
	e = find_by(lv->domains, "id", id);
	json_decref(id);
	for (size_t i = 0; i < sizeof(domain_counters) / sizeof(domain_counters[0]); i++)
		json_object_set_new(o, domain_counters[i],
				    json_integer(e ? json_integer_value(json_object_get(
							     e, domain_counters[i])) : 0));
	json_object_set_new(o, "present", json_boolean(e != NULL));
	return o;
}

/* The dataplane's MACs in the tenant's domains, ports named. */
static int macs_json(struct vsw_control *ctl, uint32_t tid, json_t *out, char *err,
		     size_t errlen)
{
	json_t *macs, *m;
	size_t j;
	int rc;

	/* All at once: a domain the dataplane does not have (yet) is no error. */
	rc = vsw_dpconn_mac_list(&ctl->dp, 0, &macs, err, errlen);
	if (rc)
		return rc;
	json_array_foreach(macs, j, m) {
		json_t *o, *port = json_object_get(m, "port");
		char b[16];

		if (json_integer_value(json_object_get(m, "domain")) >> 12 != tid)
			continue;
		o = json_deep_copy(m);
		if (json_is_integer(port))
			json_object_set_new(o, "port", json_string(port_name(
				&ctl->cfg, (uint32_t)json_integer_value(port), b, sizeof(b))));
		json_array_append_new(out, o);
	}
	json_decref(macs);
	return 0;
}

static json_t *vteps_json(struct vsw_control *ctl, const struct vsw_tenant_cfg *t,
			  const struct vsw_compiled *c, const struct live *lv)
{
	json_t *out = json_array();
	const struct vsw_cdomain *d0 = vsw_compiled_domain(c, vsw_domain_id(t->id, 0));

	for (size_t i = 0; i < ctl->cfg.n_vteps; i++) {
		const struct vsw_vtep_cfg *v = &ctl->cfg.vteps[i];
		bool used = d0 && d0->vni;
		struct vsw_nexthop now, *nh = &now;
		json_t *o, *e, *ip;

		if (strcmp(v->tenant, t->name))
			continue;
		o = json_pack("{s:o}", "ip", ip4(v->ip));
		if (used)
			vsw_tenant_vtep_lookup(ctl, v->ip, &now);
		if (!used) {
			json_object_set_new(o, "state", json_string("unused"));
			json_object_set_new(o, "reason",
					    json_string(t->vni ? "no VXLAN: the uplink has no local_ip" :
							"the tenant has no VNI"));
		} else if (nh->resolved) {
			json_object_set_new(o, "state", json_string("resolved"));
			json_object_set_new(o, "mac", mac_json(nh->mac));
			json_object_set_new(o, "via", ip4(nh->via));
			json_object_set_new(o, "ifname", json_string(nh->ifname));
			json_object_set_new(o, "static", json_boolean(nh->is_static));
		} else {
			json_object_set_new(o, "state", json_string("unresolved"));
			json_object_set_new(o, "reason", json_string(nh->reason));
		}
		ip = ip4(v->ip);
		e = lv->on ? find_by(lv->vteps, "ip", ip) : NULL;
		json_decref(ip);
		if (lv->on)
			for (size_t k = 0; k < 3; k++) {
				static const char *const keys[] = { "tx_packets", "tx_bytes",
								    "drops" };

				json_object_set_new(o, keys[k], json_integer(e ? json_integer_value(
						json_object_get(e, keys[k])) : 0));
			}
		json_array_append_new(out, o);
	}
	return out;
}

static json_int_t packets(const struct live *lv, const char *text)
{
	json_t *e = lv->on ? vsw_dpconn_stats_find(&lv->stats, text) : NULL;

	return e ? json_integer_value(json_object_get(e, "n_packets")) : 0;
}

static json_int_t bytes(const struct live *lv, const char *text)
{
	json_t *e = lv->on ? vsw_dpconn_stats_find(&lv->stats, text) : NULL;

	return e ? json_integer_value(json_object_get(e, "n_bytes")) : 0;
}

static json_t *acls_json(const struct vsw_config *cfg, const struct vsw_tenant_cfg *t,
			 const struct vsw_compiled *c, const struct live *lv)
{
	json_t *out = json_array();

	for (size_t i = 0; i < cfg->n_acls; i++) {
		const struct vsw_acl_cfg *a = &cfg->acls[i];
		json_int_t np = 0, nb = 0;
		bool compiled = false;
		json_t *o;

		if (strcmp(a->tenant, t->name))
			continue;
		for (size_t j = 0; j < c->n_flows; j++) {
			const struct vsw_cflow *f = &c->flows[j];

			if (f->tenant_id != t->id || f->kind != VSW_COOKIE_ACL ||
			    f->acl_id != a->id)
				continue;
			compiled = true;
			np += packets(lv, f->text);
			nb += bytes(lv, f->text);
		}
		o = json_pack("{s:I,s:i,s:s,s:s,s:b}", "id", (json_int_t)a->id, "priority",
			      a->priority, "action", a->allow ? "allow" : "deny", "match", a->match,
			      "compiled", compiled);
		if (lv->on) {
			json_object_set_new(o, "n_packets", json_integer(np));
			json_object_set_new(o, "n_bytes", json_integer(nb));
		}
		json_array_append_new(out, o);
	}
	return out;
}

/* The tenant's table-250 drops: spoofed, wrong VLAN/tag, VXLAN from a VTEP not its own. */
static json_t *dropped_json(const struct vsw_tenant_cfg *t, const struct vsw_compiled *c,
			    const struct live *lv)
{
	json_int_t spoofed = 0, vlan = 0, vxlan = 0;

	if (!lv->on)
		return json_null();
	for (size_t i = 0; i < c->n_flows; i++) {
		const struct vsw_cflow *f = &c->flows[i];

		if (f->tenant_id != t->id || f->table != VSW_TABLE_TENANT_INGRESS || !f->drop)
			continue;
		if (f->kind == VSW_COOKIE_SPOOF)
			spoofed += packets(lv, f->text);
		else if (f->kind == VSW_COOKIE_VXLAN)
			vxlan += packets(lv, f->text);
		else
			vlan += packets(lv, f->text);
	}
	return json_pack("{s:I,s:I,s:I,s:I}", "total", spoofed + vlan + vxlan, "spoofed", spoofed,
			 "vlan", vlan, "vxlan", vxlan);
}

static int live_read(struct vsw_control *ctl, struct live *lv, char *err, size_t errlen)
{
	int rc;

	memset(lv, 0, sizeof(*lv));
	if (!vsw_dpconn_connected(&ctl->dp))
		return 0;
	rc = vsw_dpconn_domain_list(&ctl->dp, &lv->domains, err, errlen);
	if (!rc)
		rc = vsw_dpconn_vtep_list(&ctl->dp, &lv->vteps, err, errlen);
	if (!rc)
		rc = vsw_dpconn_stats(&ctl->dp, &lv->stats, err, errlen);
	lv->on = !rc;
	return rc == -ENOTCONN ? 0 : rc;
}

static void live_free(struct live *lv)
{
	json_decref(lv->domains);
	json_decref(lv->vteps);
	vsw_dpconn_stats_free(&lv->stats);
}

static json_t *show_tenant(struct vsw_control *ctl, json_t *req)
{
	const struct vsw_tenant_cfg *t;
	struct vsw_compiled c;
	json_t *r = NULL, *domains, *macs = NULL;
	const char *name;
	struct live lv;
	char err[512];
	int rc;

	if (vsw_mgmt_arg_str(req, "name", true, &name, &r))
		return r;
	t = find_tenant(&ctl->cfg, name);
	if (!t)
		return vsw_proto_error("no tenant '%.32s'", name);
	if (vsw_compile_config(&ctl->cfg, &c))
		return vsw_proto_error("out of memory");
	rc = live_read(ctl, &lv, err, sizeof(err));
	if (!rc && lv.on) {
		macs = json_array();
		rc = macs_json(ctl, t->id, macs, err, sizeof(err));
		if (rc == -ENOTCONN) { /* lost on the way: the intent alone */
			live_free(&lv);
			memset(&lv, 0, sizeof(lv));
			json_decref(macs);
			macs = NULL;
			rc = 0;
		}
	}
	if (rc) {
		r = rc == -EREMOTEIO ? vsw_proto_error("dataplane: %s", err) :
				       vsw_proto_error("out of memory");
		goto out;
	}
	domains = json_array();
	for (size_t i = 0; i < c.n_domains; i++)
		if (c.domains[i].tenant_id == t->id)
			json_array_append_new(domains, domain_json(&ctl->cfg, &c.domains[i], &lv));
	r = vsw_proto_ok();
	json_object_set_new(r, "tenant", json_pack("{s:s,s:I,s:i,s:I,s:I}", "name", t->name,
						   "id", (json_int_t)t->id, "vlan", t->vlan,
						   "vni", (json_int_t)t->vni,
						   "mac_limit", (json_int_t)t->mac_limit));
	json_object_set_new(r, "dataplane", json_string(vsw_dpconn_connected(&ctl->dp) ?
							"connected" : "disconnected"));
	json_object_set_new(r, "counters", json_boolean(lv.on));
	json_object_set_new(r, "ports", ports_json(&ctl->cfg, t));
	json_object_set_new(r, "domains", domains);
	json_object_set_new(r, "macs", macs ? macs : json_null());
	json_object_set_new(r, "vteps", vteps_json(ctl, t, &c, &lv));
	json_object_set_new(r, "acls", acls_json(&ctl->cfg, t, &c, &lv));
	json_object_set_new(r, "dropped", dropped_json(t, &c, &lv));
	macs = NULL;
out:
	json_decref(macs);
	live_free(&lv);
	vsw_compiled_free(&c);
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_tenant_show_cmds[] = {
	{ "show-tenant", show_tenant, true },
	{ NULL, NULL, false },
};
