/* SPDX-License-Identifier: BSD-3-Clause */
/* The tenant compiler's L2 domains, port start tables and VTEP addresses (compile.h). */
#include "compile_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- domains ---- */

int ct_cmp_member(const void *a, const void *b)
{
	const struct vsw_cmember *x = a, *y = b;

	if (x->port_no != y->port_no)
		return x->port_no < y->port_no ? -1 : 1;
	return x->vlan < y->vlan ? -1 : x->vlan > y->vlan;
}

int ct_cmp_cvtep(const void *a, const void *b)
{
	const struct vsw_cvtep *x = a, *y = b;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return x->vlan < y->vlan ? -1 : x->vlan > y->vlan;
}

static int add_member(struct vsw_cdomain *d, uint32_t port_no, uint16_t vlan)
{
	struct vsw_cmember *m = realloc(d->members, (d->n_members + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	m[d->n_members++] = (struct vsw_cmember){ port_no, vlan };
	d->members = m;
	return 0;
}

/* Domain of segment `seg` of t: the output's last domains, found by segment. */
static struct vsw_cdomain *seg_domain(struct vsw_cdomain *first, size_t n, uint16_t seg)
{
	for (size_t i = 0; i < n; i++)
		if (first[i].segment == seg)
			return &first[i];
	return NULL;
}

int ct_domains(struct ct *cx, const struct ct_tenant *t)
{
	const struct vsw_intent *in = cx->in;
	struct vsw_compiled *out = cx->out;
	size_t first = out->n_domains, n = 1;
	struct vsw_cdomain *d, *dom;
	int rc = 0;

	for (unsigned v = 1; v < 4095; v++)
		n += ct_bit(t->segs, v);
	d = realloc(out->domains, (out->n_domains + n) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	out->domains = d;
	for (unsigned v = 0; v < 4095; v++) {
		if (v && !ct_bit(t->segs, v))
			continue;
		d[out->n_domains++] = (struct vsw_cdomain){
			.id = vsw_domain_id(t->id, (uint16_t)v), .tenant_id = t->id,
			.segment = (uint16_t)v, .mac_limit = t->mac_limit,
			.aging = VSW_MAC_AGING_DEFAULT, .vni = t->vxlan ? t->cfg->vni : 0,
			.limit_group = v ? vsw_domain_id(t->id, 0) : 0,
		};
	}
	dom = &d[first];
	for (size_t i = 0; i < t->n_ports && !rc; i++) {
		const struct vsw_intent_port *p = &in->ports[t->ports[i]];

		if (p->att->mode != VSW_VLAN_TRUNK) {
			rc = add_member(&dom[0], p->port_no, 0);
			continue;
		}
		for (unsigned v = 1; v < 4095 && !rc; v++) {
			if (!vsw_trunk_has(p->att, (uint16_t)v))
				continue;
			rc = add_member(seg_domain(dom, n, v == t->vlan ? 0 : (uint16_t)v),
					p->port_no, (uint16_t)v);
		}
	}
	if (!rc && t->uplink_native)
		rc = add_member(&dom[0], cx->uplink, t->vlan);
	for (size_t i = 1; i < n && !rc; i++)
		if (ct_bit(t->up_segs, dom[i].segment))
			rc = add_member(&dom[i], cx->uplink, dom[i].segment);
	for (size_t i = 0; i < n && !rc; i++) {
		dom[i].vteps = calloc(t->n_vteps + 1, sizeof(*dom[i].vteps));
		if (!dom[i].vteps) {
			rc = -ENOMEM;
			break;
		}
		for (size_t j = 0; j < t->n_vteps; j++)
			dom[i].vteps[dom[i].n_vteps++] =
				(struct vsw_cvtep){ t->vteps[j], dom[i].segment };
		qsort(dom[i].members, dom[i].n_members, sizeof(*dom[i].members), ct_cmp_member);
		qsort(dom[i].vteps, dom[i].n_vteps, sizeof(*dom[i].vteps), ct_cmp_cvtep);
	}
	return rc;
}

/* ---- ports, VTEP addresses ---- */

int ct_port_tables(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;
	struct vsw_compiled *out = cx->out;

	out->ports = calloc(in->n_ports + 2, sizeof(*out->ports));
	if (!out->ports)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_ports; i++) {
		const struct vsw_intent_port *p = &in->ports[i];
		bool tenant = (p->att && p->att->tenant[0]) ||
			      (cx->uplink && p->port_no == cx->uplink);
		struct vsw_cport *c = &out->ports[out->n_ports++];

		snprintf(c->name, sizeof(c->name), "%s", p->name);
		c->port_no = p->port_no;
		c->table = tenant ? VSW_TABLE_TENANT_INGRESS : 0;
	}
	if (cx->vxlan) {
		struct vsw_cport *c = &out->ports[out->n_ports++];

		snprintf(c->name, sizeof(c->name), "%s", VSW_VXLAN_PORT_NAME);
		c->port_no = cx->vxlan;
		c->table = VSW_TABLE_TENANT_INGRESS;
	}
	return 0;
}

int ct_vtep_ips(struct ct *cx)
{
	struct vsw_compiled *out = cx->out;
	size_t n = 0;

	for (size_t i = 0; i < cx->n_t; i++)
		n += cx->t[i].n_vteps;
	out->vtep_ips = calloc(n + 1, sizeof(*out->vtep_ips));
	if (!out->vtep_ips)
		return -ENOMEM;
	for (size_t i = 0; i < cx->n_t; i++)
		for (size_t j = 0; j < cx->t[i].n_vteps; j++)
			out->vtep_ips[out->n_vtep_ips++] = cx->t[i].vteps[j];
	out->n_vtep_ips = ct_uniq_u32(out->vtep_ips, out->n_vtep_ips);
	return 0;
}

