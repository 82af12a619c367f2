/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant compiler (compile.h): which tenants compile, who owns which
 * VLAN on the uplink and which VNI, each tenant's ports, VTEPs and ACLs,
 * and the whole run. The rules are in compile_rules.c, the domains and port
 * tables in compile_domains.c, the output's bookkeeping in compile_out.c.
 */
#include "compile_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tenants ---- */

static int cmp_tenant_id(const void *a, const void *b)
{
	const struct ct_tenant *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

struct name_key {
	const char *name;
	size_t t; /* index into cx->t */
};

static int cmp_name_key(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->t < y->t ? -1 : x->t > y->t;
}

struct ct_tenant *ct_tenant_by_name(struct ct *cx, const char *name)
{
	size_t lo = 0, hi = cx->n_t;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		struct ct_tenant *t = &cx->t[cx->by_name[mid]];
		int c = strcmp(name, t->cfg->name);

		if (!c)
			return t;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Index the tenants by name; a repeated name keeps the lower id. */
static int index_names(struct ct *cx)
{
	struct name_key *k = calloc(cx->n_t + 1, sizeof(*k));
	size_t w = 0;

	if (!k)
		return -ENOMEM;
	for (size_t i = 0; i < cx->n_t; i++)
		k[i] = (struct name_key){ cx->t[i].cfg->name, i };
	qsort(k, cx->n_t, sizeof(*k), cmp_name_key);
	for (size_t i = 0; i < cx->n_t; i++) {
		if (i && strcmp(k[i].name, k[i - 1].name) == 0) {
			ct_warn(cx, "two tenants named '%s': the one with id %u left out", k[i].name,
				cx->t[k[i].t].id);
			cx->t[k[i].t].cfg = NULL;
		}
	}
	/* Compact the tenants (still in id order), then index the survivors. */
	for (size_t i = 0; i < cx->n_t; i++)
		if (cx->t[i].cfg)
			cx->t[w++] = cx->t[i];
	cx->n_t = w;
	for (size_t i = 0; i < cx->n_t; i++)
		k[i] = (struct name_key){ cx->t[i].cfg->name, i };
	qsort(k, cx->n_t, sizeof(*k), cmp_name_key);
	for (size_t i = 0; i < cx->n_t; i++)
		cx->by_name[i] = k[i].t;
	free(k);
	return 0;
}

/* The tenants that compile, sorted by id, and the by-name index. */
static int collect_tenants(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;
	size_t n = 0, w = 0;

	cx->t = calloc(in->n_tenants + 1, sizeof(*cx->t));
	cx->by_name = calloc(in->n_tenants + 1, sizeof(*cx->by_name));
	if (!cx->t || !cx->by_name)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_tenants; i++) {
		const struct vsw_tenant_cfg *tc = &in->tenants[i];
		struct ct_tenant *t = &cx->t[n];

		if (!tc->name[0] || tc->id < 1 || tc->id > VSW_TENANT_ID_MAX) {
			ct_warn(cx, "tenant '%.15s': id %u out of range 1..%u: left out", tc->name,
				tc->id, VSW_TENANT_ID_MAX);
			continue;
		}
		t->cfg = tc;
		t->id = tc->id;
		t->vlan = tc->vlan;
		if (t->vlan >= 4095) {
			ct_warn(cx, "tenant '%s': VLAN %u out of range 1..4094: ignored", tc->name,
				t->vlan);
			t->vlan = 0;
		}
		t->mac_limit = tc->mac_limit ? tc->mac_limit : VSW_MAC_LIMIT_DEFAULT;
		if (t->mac_limit > VSW_DOMAIN_MAC_LIMIT_MAX) /* more cannot be learned anyway */
			t->mac_limit = VSW_DOMAIN_MAC_LIMIT_MAX;
		n++;
	}
	qsort(cx->t, n, sizeof(*cx->t), cmp_tenant_id);
	for (size_t i = 0; i < n; i++) {
		if (w && cx->t[w - 1].id == cx->t[i].id) {
			ct_warn(cx, "tenants '%s' and '%s' have the same id %u: '%s' left out",
				cx->t[w - 1].cfg->name, cx->t[i].cfg->name, cx->t[i].id,
				cx->t[i].cfg->name);
			continue;
		}
		cx->t[w++] = cx->t[i];
	}
	cx->n_t = w;
	return index_names(cx);
}

static int push_index(size_t **arr, size_t *n, size_t v)
{
	size_t *a = realloc(*arr, (*n + 1) * sizeof(*a));

	if (!a)
		return -ENOMEM;
	a[(*n)++] = v;
	*arr = a;
	return 0;
}

/* The uplink and the VXLAN port, if they are usable. */
static void find_uplink(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;
	const struct vsw_uplink_cfg *u = in->uplink;
	bool found = false;

	if (!u || !u->port[0])
		return;
	for (size_t i = 0; i < in->n_ports; i++)
		if (in->ports[i].port_no == in->uplink_port_no &&
		    strcmp(in->ports[i].name, u->port) == 0)
			found = true;
	if (!in->uplink_port_no || !found) {
		ct_warn(cx, "uplink '%s' is not a port: no uplink", u->port);
		return;
	}
	cx->uplink = in->uplink_port_no;
	if (!u->has_local_ip)
		return;
	if (!in->vxlan_port_no || in->vxlan_port_no == cx->uplink) {
		ct_warn(cx, "uplink '%s' has a local_ip but " VSW_VXLAN_PORT_NAME
			" has no port number: no VXLAN", u->port);
		return;
	}
	cx->vxlan = in->vxlan_port_no;
	cx->out->vxlan = (struct vsw_cvxlan){
		.present = true, .port_no = cx->vxlan, .underlay_port_no = cx->uplink,
		.local_ip = u->local_ip,
	};
	snprintf(cx->out->vxlan.underlay, sizeof(cx->out->vxlan.underlay), "%s", u->port);
}

/* Each tenant's ports and segments. */
static int attach_ports(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;

	for (size_t i = 0; i < in->n_ports; i++) {
		const struct vsw_intent_port *p = &in->ports[i];
		struct ct_tenant *t;

		if (!p->att || !p->att->tenant[0])
			continue;
		if (cx->uplink && p->port_no == cx->uplink) {
			ct_warn(cx, "port '%s' is the uplink: its tenant '%s' ignored", p->name,
				p->att->tenant);
			continue;
		}
		t = ct_tenant_by_name(cx, p->att->tenant);
		if (!t) /* compile_rules.c drops its traffic */
			continue;
		if (push_index(&t->ports, &t->n_ports, i))
			return -ENOMEM;
		if (p->att->mode != VSW_VLAN_TRUNK)
			continue;
		for (unsigned v = 1; v < 4095; v++)
			if (vsw_trunk_has(p->att, (uint16_t)v) && v != t->vlan)
				ct_set_bit(t->segs, v);
	}
	return 0;
}

/* Who owns each VLAN on the uplink: the first tenant (by id) that claims it. */
static int own_vlans(struct ct *cx)
{
	uint32_t *owner;

	if (!cx->uplink)
		return 0;
	owner = calloc(4096, sizeof(*owner));
	if (!owner)
		return -ENOMEM;
	for (size_t i = 0; i < cx->n_t; i++) {
		struct ct_tenant *t = &cx->t[i];

		if (!t->vlan) /* the uplink carries the tenants that have a VLAN */
			continue;
		for (unsigned v = 1; v < 4095; v++) {
			if (v != t->vlan && !ct_bit(t->segs, v))
				continue;
			if (!owner[v]) {
				owner[v] = t->id;
			} else {
				ct_warn(cx, "VLAN %u claimed by tenant ids %u and %u: tenant id %u "
					"keeps it on the uplink", v, owner[v], t->id, owner[v]);
				continue;
			}
			if (v == t->vlan)
				t->uplink_native = true;
			else
				ct_set_bit(t->up_segs, v);
		}
	}
	free(owner);
	return 0;
}

struct vni_claim {
	uint32_t vni;
	size_t t; /* index into cx->t; id order breaks ties */
};

static int cmp_vni_claim(const void *a, const void *b)
{
	const struct vni_claim *x = a, *y = b;

	if (x->vni != y->vni)
		return x->vni < y->vni ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* VXLAN per tenant: a VNI it owns (first by id), and the VXLAN port. */
static int own_vnis(struct ct *cx)
{
	struct vni_claim *c;
	size_t n = 0;

	if (!cx->vxlan)
		return 0;
	c = calloc(cx->n_t + 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < cx->n_t; i++) {
		uint32_t vni = cx->t[i].cfg->vni;

		if (!vni)
			continue;
		if (vni > 0xffffff) {
			ct_warn(cx, "tenant '%s': VNI %u out of range: no VXLAN", cx->t[i].cfg->name,
				vni);
			continue;
		}
		c[n++] = (struct vni_claim){ vni, i };
	}
	qsort(c, n, sizeof(*c), cmp_vni_claim);
	for (size_t i = 0; i < n; i++) {
		if (i && c[i].vni == c[i - 1].vni) {
			ct_warn(cx, "VNI %u claimed by tenants '%s' and '%s': '%s' gets no VXLAN",
				c[i].vni, cx->t[c[i - 1].t].cfg->name, cx->t[c[i].t].cfg->name,
				cx->t[c[i].t].cfg->name);
			c[i].t = c[i - 1].t; /* so that a third one is compared with the owner */
			continue;
		}
		cx->t[c[i].t].vxlan = true;
	}
	free(c);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort and remove repeats; returns the new count. */
size_t ct_uniq_u32(uint32_t *v, size_t n)
{
	size_t w = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!w || v[w - 1] != v[i])
			v[w++] = v[i];
	return w;
}

/* VTEPs and ACLs per tenant. */
static int collect_vteps_acls(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;
	char ip[16];

	for (size_t i = 0; i < in->n_vteps; i++) {
		const struct vsw_vtep_cfg *v = &in->vteps[i];
		struct ct_tenant *t = ct_tenant_by_name(cx, v->tenant);
		uint32_t *a;

		if (!t) {
			ct_warn(cx, "VTEP %s of unknown tenant '%.15s': ignored", ct_ip4(v->ip, ip),
				v->tenant);
			continue;
		}
		if (!t->cfg->vni || !v->ip) {
			ct_warn(cx, "VTEP %s of tenant '%s' (%s): ignored", ct_ip4(v->ip, ip),
				v->tenant, v->ip ? "no VNI" : "no address");
			continue;
		}
		if (!t->vxlan)
			continue;
		a = realloc(t->vteps, (t->n_vteps + 1) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		a[t->n_vteps++] = v->ip;
		t->vteps = a;
	}
	for (size_t i = 0; i < cx->n_t; i++) {
		struct ct_tenant *t = &cx->t[i];

		/* By number; the key of the sort is the address's network-order bytes. */
		t->n_vteps = ct_uniq_u32(t->vteps, t->n_vteps);
	}
	for (size_t i = 0; i < in->n_acls; i++) {
		struct ct_tenant *t = ct_tenant_by_name(cx, in->acls[i].tenant);

		if (!t) {
			ct_warn(cx, "ACL %u of unknown tenant '%.15s': ignored", in->acls[i].id,
				in->acls[i].tenant);
			continue;
		}
		if (push_index(&t->acls, &t->n_acls, i))
			return -ENOMEM;
	}
	return 0;
}

/* ---- the whole ---- */

static void ct_free(struct ct *cx, size_t n_idents)
{
	for (size_t i = 0; i < cx->n_t; i++) {
		free(cx->t[i].vteps);
		free(cx->t[i].ports);
		free(cx->t[i].acls);
	}
	free(cx->t);
	free(cx->by_name);
	for (size_t i = 0; i < n_idents; i++)
		free(cx->idents[i]);
	free(cx->idents);
}

int vsw_compile(const struct vsw_intent *in, struct vsw_compiled *out)
{
	struct ct cx = { .in = in, .out = out };
	size_t n_idents;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = collect_tenants(&cx);
	if (!rc) {
		find_uplink(&cx);
		rc = attach_ports(&cx);
	}
	if (!rc)
		rc = own_vlans(&cx);
	if (!rc)
		rc = own_vnis(&cx);
	if (!rc)
		rc = collect_vteps_acls(&cx);
	if (!rc) {
		ct_rules_ports(&cx);
		ct_rules_uplink(&cx);
		ct_rules_vxlan(&cx);
		ct_rules_tenants(&cx);
		rc = cx.rc;
	}
	for (size_t i = 0; i < cx.n_t && !rc; i++)
		rc = ct_domains(&cx, &cx.t[i]);
	if (!rc)
		rc = ct_port_tables(&cx);
	if (!rc)
		rc = ct_vtep_ips(&cx);
	n_idents = out->n_flows;
	if (!rc)
		rc = ct_finish_flows(&cx);
	if (!rc)
		rc = cx.rc;
	ct_free(&cx, n_idents);
	if (rc)
		vsw_compiled_free(out);
	return rc;
}

