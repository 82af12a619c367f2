/* SPDX-License-Identifier: BSD-3-Clause */
/* Intents for the tenant tests: see intent_util.h. */
#include "intent_util.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void w_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->in.tenants = w->tenants;
	w->in.ports = w->ports;
	w->in.vteps = w->vteps;
	w->in.acls = w->acls;
}

void w_tenant(struct world *w, const char *name, uint32_t id, uint16_t vlan, uint32_t vni)
{
	struct vsw_tenant_cfg *t = &w->tenants[w->in.n_tenants++];

	assert_true(w->in.n_tenants <= W_MAX);
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->id = id;
	t->vlan = vlan;
	t->vni = vni;
	t->mac_limit = VSW_MAC_LIMIT_DEFAULT;
}

struct vsw_port_tenant *w_port(struct world *w, const char *name, uint32_t port_no,
			       const char *tenant)
{
	size_t i = w->in.n_ports++;

	assert_true(w->in.n_ports <= W_MAX);
	memset(&w->att[i], 0, sizeof(w->att[i]));
	snprintf(w->names[i], sizeof(w->names[i]), "%s", name);
	if (tenant)
		snprintf(w->att[i].tenant, sizeof(w->att[i].tenant), "%s", tenant);
	w->ports[i] = (struct vsw_intent_port){ w->names[i], port_no, &w->att[i] };
	return &w->att[i];
}

void w_trunk(struct vsw_port_tenant *a, const char *vlans)
{
	char buf[256], *save = NULL;

	a->mode = VSW_VLAN_TRUNK;
	memset(a->trunks, 0, sizeof(a->trunks));
	snprintf(buf, sizeof(buf), "%s", vlans);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned v = (unsigned)atoi(t);

		a->trunks[v / 8] |= (uint8_t)(1u << (v % 8));
	}
}

void w_mac(struct vsw_port_tenant *a, const char *mac)
{
	unsigned b[6];

	assert_int_equal(sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
				&b[5]), 6);
	for (int i = 0; i < 6; i++)
		a->mac[i] = (uint8_t)b[i];
	a->has_mac = true;
}

void w_ip(struct vsw_port_tenant *a, const char *ip)
{
	struct vsw_ip *x = &a->ips[a->n_ips++];

	x->af = strchr(ip, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(x->af, ip, x->addr), 1);
}

uint32_t w_ip4(const char *s)
{
	uint32_t ip;

	assert_int_equal(inet_pton(AF_INET, s, &ip), 1);
	return ip;
}

void w_uplink(struct world *w, const char *port, const char *local_ip, uint32_t vxlan_no)
{
	memset(&w->uplink, 0, sizeof(w->uplink));
	snprintf(w->uplink.port, sizeof(w->uplink.port), "%s", port);
	w->in.uplink = &w->uplink;
	w->in.uplink_port_no = 0;
	for (size_t i = 0; i < w->in.n_ports; i++)
		if (strcmp(w->names[i], port) == 0)
			w->in.uplink_port_no = w->ports[i].port_no;
	if (local_ip) {
		w->uplink.has_local_ip = true;
		w->uplink.local_ip = w_ip4(local_ip);
	}
	w->in.vxlan_port_no = vxlan_no;
}

void w_vtep(struct world *w, const char *tenant, const char *ip)
{
	struct vsw_vtep_cfg *v = &w->vteps[w->in.n_vteps++];

	snprintf(v->tenant, sizeof(v->tenant), "%s", tenant);
	v->ip = w_ip4(ip);
}

void w_acl(struct world *w, const char *tenant, uint32_t id, uint16_t priority, bool allow,
	   const char *match)
{
	struct vsw_acl_cfg *a = &w->acls[w->in.n_acls++];

	memset(a, 0, sizeof(*a));
	snprintf(a->tenant, sizeof(a->tenant), "%s", tenant);
	a->id = id;
	a->priority = priority;
	a->allow = allow;
	snprintf(a->match, sizeof(a->match), "%s", match);
}

void w_compile(struct world *w, struct vsw_compiled *c)
{
	assert_int_equal(vsw_compile(&w->in, c), 0);
}

static bool in_list(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return true;
	return false;
}

static void compare(const char *const *have, size_t nh, const char *const *want, size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		if (!in_list(want[i], have, nh)) {
			print_error("missing: %s\n", want[i]);
			ok = false;
		}
	for (size_t i = 0; i < nh; i++)
		if (!in_list(have[i], want, n)) {
			print_error("extra:   %s\n", have[i]);
			ok = false;
		}
	if (!ok)
		fail_msg("compiled rules differ (above)");
	assert_int_equal(nh, n);
}

void assert_flows(const struct vsw_compiled *c, const char *const *want, size_t n)
{
	const char **have = calloc(c->n_flows + 1, sizeof(*have));

	assert_non_null(have);
	for (size_t i = 0; i < c->n_flows; i++)
		have[i] = c->flows[i].text;
	compare(have, c->n_flows, want, n);
	free(have);
}

void assert_tenant_flows(const struct vsw_compiled *c, uint32_t tenant, const char *const *want,
			 size_t n)
{
	const char **have = calloc(c->n_flows + 1, sizeof(*have));
	size_t nh = 0;

	assert_non_null(have);
	for (size_t i = 0; i < c->n_flows; i++)
		if (c->flows[i].tenant_id == tenant)
			have[nh++] = c->flows[i].text;
	compare(have, nh, want, n);
	free(have);
}

void assert_domain(const struct vsw_compiled *c, uint32_t id, uint32_t vni,
		   const char *members, const char *vteps)
{
	const struct vsw_cdomain *d = vsw_compiled_domain(c, id);
	char m[1024] = "", v[1024] = "", ip[16];
	size_t lm = 0, lv = 0;

	if (!d)
		fail_msg("no domain %u", id);
	for (size_t i = 0; i < d->n_members; i++)
		lm += (size_t)snprintf(m + lm, sizeof(m) - lm, "%s%u/%u", i ? " " : "",
				       d->members[i].port_no, d->members[i].vlan);
	for (size_t i = 0; i < d->n_vteps; i++)
		lv += (size_t)snprintf(v + lv, sizeof(v) - lv, "%s%s/%u", i ? " " : "",
				       inet_ntop(AF_INET, &d->vteps[i].ip, ip, sizeof(ip)),
				       d->vteps[i].vlan);
	assert_string_equal(m, members);
	assert_string_equal(v, vteps);
	assert_int_equal(d->vni, vni);
	assert_int_equal(d->tenant_id, id >> 12);
	assert_int_equal(d->segment, id & 0xfff);
	assert_int_equal(d->aging, VSW_MAC_AGING_DEFAULT);
}

void assert_warning(const struct vsw_compiled *c, const char *part)
{
	for (size_t i = 0; i < c->n_warnings; i++)
		if (strstr(c->warnings[i], part))
			return;
	for (size_t i = 0; i < c->n_warnings; i++)
		print_error("warning: %s\n", c->warnings[i]);
	fail_msg("no warning contains '%s'", part);
}
