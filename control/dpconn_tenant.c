/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's tenant messages: see dpconn_tenant.h. */
#include "dpconn_tenant.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int call_ok(struct vsw_dpconn *dp, json_t *req, char *err, size_t errlen)
{
	json_t *reply;
	int rc = vsw_dpconn_call(dp, req, &reply, err, errlen);

	json_decref(reply);
	return rc;
}

static int list(struct vsw_dpconn *dp, json_t *req, const char *key, json_t **arr, char *err,
		size_t errlen)
{
	char cmd[32];
	json_t *reply, *a;
	int rc;

	*arr = NULL;
	snprintf(cmd, sizeof(cmd), "%s", req ? json_string_value(json_object_get(req, "cmd")) : "");
	rc = vsw_dpconn_call(dp, req, &reply, err, errlen);
	if (rc)
		return rc;
	a = json_object_get(reply, key);
	if (!json_is_array(a)) {
		json_decref(reply);
		snprintf(err, errlen, "%s: reply has no '%s' array", cmd, key);
		return -EREMOTEIO;
	}
	*arr = json_incref(a);
	json_decref(reply);
	return 0;
}

static json_t *ip_json(uint32_t ip)
{
	char buf[INET_ADDRSTRLEN];

	return json_string(inet_ntop(AF_INET, &ip, buf, sizeof(buf)));
}

static json_t *domain_json(const struct vsw_cdomain *d)
{
	json_t *members = json_array(), *vteps = json_array(), *o;

	for (size_t i = 0; members && i < d->n_members; i++)
		json_array_append_new(members, json_pack("{s:I,s:i}", "port",
							 (json_int_t)d->members[i].port_no,
							 "vlan", (int)d->members[i].vlan));
	for (size_t i = 0; vteps && i < d->n_vteps; i++)
		json_array_append_new(vteps, json_pack("{s:o,s:i}", "ip", ip_json(d->vteps[i].ip),
						       "vlan", (int)d->vteps[i].vlan));
	o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:o}", "cmd", "domain-set",
		      "id", (json_int_t)d->id, "mac_limit", (json_int_t)d->mac_limit,
		      "aging", (json_int_t)d->aging, "vni", (json_int_t)d->vni,
		      "members", members, "vteps", vteps);
	if (o && d->limit_group)
		json_object_set_new(o, "limit_group", json_integer((json_int_t)d->limit_group));
	return o;
}

int vsw_dpconn_domain_set(struct vsw_dpconn *dp, const struct vsw_cdomain *d, char *err,
			  size_t errlen)
{
	return call_ok(dp, domain_json(d), err, errlen);
}

int vsw_dpconn_domain_del(struct vsw_dpconn *dp, uint32_t id, char *err, size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:I}", "cmd", "domain-del", "id", (json_int_t)id), err,
		       errlen);
}

int vsw_dpconn_domain_list(struct vsw_dpconn *dp, json_t **arr, char *err, size_t errlen)
{
	return list(dp, json_pack("{s:s}", "cmd", "domain-list"), "domains", arr, err, errlen);
}

int vsw_dpconn_vtep_set(struct vsw_dpconn *dp, uint32_t ip, const uint8_t *mac, char *err,
			size_t errlen)
{
	char m[18];

	if (mac)
		snprintf(m, sizeof(m), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
			 mac[3], mac[4], mac[5]);
	return call_ok(dp, json_pack("{s:s,s:o,s:o}", "cmd", "vtep-set", "ip", ip_json(ip), "mac",
				     mac ? json_string(m) : json_null()), err, errlen);
}

int vsw_dpconn_vtep_del(struct vsw_dpconn *dp, uint32_t ip, char *err, size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:o}", "cmd", "vtep-del", "ip", ip_json(ip)), err,
		       errlen);
}

int vsw_dpconn_vtep_list(struct vsw_dpconn *dp, json_t **arr, char *err, size_t errlen)
{
	return list(dp, json_pack("{s:s}", "cmd", "vtep-list"), "vteps", arr, err, errlen);
}

int vsw_dpconn_mac_list(struct vsw_dpconn *dp, uint32_t domain, json_t **arr, char *err,
			size_t errlen)
{
	json_t *req = domain ? json_pack("{s:s,s:I}", "cmd", "mac-list", "domain",
					 (json_int_t)domain) :
			       json_pack("{s:s}", "cmd", "mac-list");

	return list(dp, req, "macs", arr, err, errlen);
}

int vsw_dpconn_port_mod_table(struct vsw_dpconn *dp, const char *name, unsigned table,
			      char *err, size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:s,s:I}", "cmd", "port-mod", "name", name, "table",
				     (json_int_t)table), err, errlen);
}

int vsw_dpconn_vxlan_add(struct vsw_dpconn *dp, const struct vsw_cvxlan *x, unsigned table,
			 char *err, size_t errlen)
{
	return call_ok(dp, json_pack("{s:s,s:s,s:I,s:s,s:s,s:o,s:I}", "cmd", "port-add",
				     "name", VSW_VXLAN_PORT_NAME, "port_no", (json_int_t)x->port_no,
				     "type", "vxlan", "underlay", x->underlay,
				     "local_ip", ip_json(x->local_ip), "table", (json_int_t)table),
		       err, errlen);
}

/* ---- JSON forms ---- */

/* A string member's IPv4 address (network order). 0 or -EINVAL (absent too). */
static int get_ip(const json_t *o, const char *key, uint32_t *ip)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? vsw_ipv4_parse(s, ip) : -EINVAL;
}

/* An integer member in 0..max; absent: -ENOENT. */
static int get_uint(const json_t *o, const char *key, uint64_t max, uint64_t *v)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return -ENOENT;
	if (!json_is_integer(x) || json_integer_value(x) < 0 ||
	    (uint64_t)json_integer_value(x) > max)
		return -EINVAL;
	*v = (uint64_t)json_integer_value(x);
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	const struct vsw_cmember *x = a, *y = b;

	if (x->port_no != y->port_no)
		return x->port_no < y->port_no ? -1 : 1;
	return x->vlan < y->vlan ? -1 : x->vlan > y->vlan;
}

static int cmp_cvtep(const void *a, const void *b)
{
	const struct vsw_cvtep *x = a, *y = b;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return x->vlan < y->vlan ? -1 : x->vlan > y->vlan;
}

int vsw_cdomain_from_json(const json_t *e, struct vsw_cdomain *d, unsigned *has)
{
	json_t *members = json_object_get(e, "members"), *vteps = json_object_get(e, "vteps"), *x;
	uint64_t v;
	size_t i;

	memset(d, 0, sizeof(*d));
	*has = 0;
	if (get_uint(e, "id", UINT32_MAX, &v) || !v)
		return -EINVAL;
	d->id = (uint32_t)v;
	d->tenant_id = d->id >> 12;
	d->segment = d->id & 0xfff;
	if (!get_uint(e, "vni", 0xffffff, &v))
		d->vni = (uint32_t)v;
	if (!get_uint(e, "limit_group", UINT32_MAX, &v))
		d->limit_group = (uint32_t)v;
	if (!get_uint(e, "mac_limit", UINT32_MAX, &v)) {
		d->mac_limit = (uint32_t)v;
		*has |= VSW_DOMAIN_HAS_MAC_LIMIT;
	}
	if (!get_uint(e, "aging", UINT32_MAX, &v)) {
		d->aging = (uint32_t)v;
		*has |= VSW_DOMAIN_HAS_AGING;
	}
	if ((members && !json_is_array(members)) || (vteps && !json_is_array(vteps)))
		return -EINVAL;
	d->members = calloc(json_array_size(members) + 1, sizeof(*d->members));
	d->vteps = calloc(json_array_size(vteps) + 1, sizeof(*d->vteps));
	if (!d->members || !d->vteps) {
		vsw_cdomain_fini(d);
		return -ENOMEM;
	}
	json_array_foreach(members, i, x) {
		uint64_t port, vlan = 0;

		if (get_uint(x, "port", UINT32_MAX, &port) ||
		    get_uint(x, "vlan", 4095, &vlan) == -EINVAL)
			goto err_inval;
		d->members[d->n_members++] = (struct vsw_cmember){ (uint32_t)port, (uint16_t)vlan };
	}
	json_array_foreach(vteps, i, x) {
		uint64_t vlan = 0;
		uint32_t ip;

		if (get_ip(x, "ip", &ip) ||
		    get_uint(x, "vlan", 4095, &vlan) == -EINVAL)
			goto err_inval;
		d->vteps[d->n_vteps++] = (struct vsw_cvtep){ ip, (uint16_t)vlan };
	}
	qsort(d->members, d->n_members, sizeof(*d->members), cmp_member);
	qsort(d->vteps, d->n_vteps, sizeof(*d->vteps), cmp_cvtep);
	return 0;

err_inval:
	vsw_cdomain_fini(d);
	return -EINVAL;
}

void vsw_cdomain_fini(struct vsw_cdomain *d)
{
	free(d->members);
	free(d->vteps);
	d->members = NULL;
	d->vteps = NULL;
	d->n_members = d->n_vteps = 0;
}

int vsw_vtep_from_json(const json_t *e, uint32_t *ip, bool *resolved, uint8_t mac[6])
{
	json_t *m = json_object_get(e, "mac");

	if (get_ip(e, "ip", ip))
		return -EINVAL;
	*resolved = m && !json_is_null(m);
	memset(mac, 0, 6);
	if (*resolved && (!json_is_string(m) || vsw_mac_parse(json_string_value(m), mac)))
		return -EINVAL;
	return 0;
}
