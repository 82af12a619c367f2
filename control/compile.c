/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant compiler (compile.h): which tenants compile, who owns which
 * VLAN on the uplink and which VNI, the L2 domains, the port tables, the
 * VXLAN port and the VTEPs; the output's bookkeeping. The rules themselves
 * are in compile_rules.c.
 */
#include "compile_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

/* ---- output bookkeeping ---- */

void ct_warn(struct ct *cx, const char *fmt, ...)
{
	struct vsw_compiled *out = cx->out;
	char line[512], **w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	w = realloc(out->warnings, (out->n_warnings + 1) * sizeof(*w));
	if (!w) {
		cx->rc = -ENOMEM;
		return;
	}
	out->warnings = w;
	w[out->n_warnings] = strdup(line);
	if (!w[out->n_warnings])
		cx->rc = -ENOMEM;
	else
		out->n_warnings++;
}

const char *ct_ip4(uint32_t ip, char buf[16])
{
	const uint8_t *b = (const uint8_t *)&ip;

	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

static int grow_flows(struct ct *cx)
{
	struct vsw_compiled *out = cx->out;
	size_t cap = cx->cap_flows ? cx->cap_flows * 2 : 64;
	struct vsw_cflow *f;
	char **id;

	if (out->n_flows < cx->cap_flows)
		return 0;
	f = realloc(out->flows, cap * sizeof(*f));
	if (!f)
		return -ENOMEM;
	out->flows = f;
	id = realloc(cx->idents, cap * sizeof(*id));
	if (!id)
		return -ENOMEM;
	cx->idents = id;
	cx->cap_flows = cap;
	return 0;
}

int ct_emit(struct ct *cx, const struct ct_rule *r, const char *actions, char *err,
	    size_t errlen, const char *fmt, ...)
{
	char match[2048], text[3072], canon[3072], ident[2100];
	struct vsw_flow_spec spec;
	struct vsw_cflow *f;
	uint64_t cookie = vsw_tenant_cookie(r->tenant, r->kind);
	va_list ap;
	int n;

	if (cx->rc)
		return cx->rc;
	va_start(ap, fmt);
	n = vsnprintf(match, sizeof(match), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(match)) {
		snprintf(err, errlen, "match too long");
		return -EINVAL;
	}
	snprintf(text, sizeof(text), "table=%u,priority=%u,cookie=0x%llx%s%s,actions=%s",
		 (unsigned)r->table, (unsigned)r->priority, (unsigned long long)cookie,
		 match[0] ? "," : "", match, actions);
	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, err, errlen))
		return -EINVAL;
	if (vsw_flow_format(&spec, NULL, canon, sizeof(canon)) < 0 ||
	    vsw_flow_format_match(&spec.match, VSW_FT_DEFAULT_PRIORITY, NULL, match,
				  sizeof(match)) < 0) {
		snprintf(err, errlen, "rule too long");
		return -EINVAL;
	}
	snprintf(ident, sizeof(ident), "%u/%u/%s", (unsigned)spec.table, (unsigned)spec.priority,
		 match);
	if (grow_flows(cx))
		goto err_nomem;
	f = &cx->out->flows[cx->out->n_flows];
	*f = (struct vsw_cflow){
		.text = strdup(canon), .cookie = cookie, .tenant_id = r->tenant,
		.acl_id = r->acl_id, .domain = r->domain, .kind = r->kind, .table = r->table,
		.drop = spec.actions.n == 0,
	};
	cx->idents[cx->out->n_flows] = strdup(ident);
	if (!f->text || !cx->idents[cx->out->n_flows]) {
		free(f->text);
		free(cx->idents[cx->out->n_flows]);
		goto err_nomem;
	}
	cx->out->n_flows++;
	return 0;

err_nomem:
	cx->rc = -ENOMEM;
	return -ENOMEM;
}

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
static size_t uniq_u32(uint32_t *v, size_t n)
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
		t->n_vteps = uniq_u32(t->vteps, t->n_vteps);
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

/* ---- domains ---- */

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

static int tenant_domains(struct ct *cx, const struct ct_tenant *t)
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
		qsort(dom[i].members, dom[i].n_members, sizeof(*dom[i].members), cmp_member);
		qsort(dom[i].vteps, dom[i].n_vteps, sizeof(*dom[i].vteps), cmp_cvtep);
	}
	return rc;
}

/* ---- ports, VTEP addresses ---- */

static int port_tables(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;
	struct vsw_compiled *out = cx->out;

	out->ports = calloc(in->n_ports + 2, sizeof(*out->ports));
	if (!out->ports)
		return -ENOMEM;
	for (size_t i = 0; i < in->n_ports; i++) {
		const struct vsw_intent_port *p = &in->ports[i];
		bool tenant = (p->att && p->att->tenant[0]) || (cx->uplink && p->port_no == cx->uplink);
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

static int vtep_ips(struct ct *cx)
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
	out->n_vtep_ips = uniq_u32(out->vtep_ips, out->n_vtep_ips);
	return 0;
}

/* ---- rules: duplicates and order ---- */

struct ident_ref {
	const char *ident;
	size_t i;
};

static int cmp_ident_ref(const void *a, const void *b)
{
	const struct ident_ref *x = a, *y = b;
	int c = strcmp(x->ident, y->ident);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_cflow_text(const void *a, const void *b)
{
	return strcmp(((const struct vsw_cflow *)a)->text, ((const struct vsw_cflow *)b)->text);
}

/* Two rules with one identity: keep the first emitted. Then sort by text. */
static int finish_flows(struct ct *cx)
{
	struct vsw_compiled *out = cx->out;
	struct ident_ref *r = calloc(out->n_flows + 1, sizeof(*r));
	size_t w = 0;

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < out->n_flows; i++)
		r[i] = (struct ident_ref){ cx->idents[i], i };
	qsort(r, out->n_flows, sizeof(*r), cmp_ident_ref);
	for (size_t i = 1; i < out->n_flows; i++) {
		if (strcmp(r[i].ident, r[i - 1].ident))
			continue;
		ct_warn(cx, "rule '%s' left out: '%s' has the same table, priority and match",
			out->flows[r[i].i].text, out->flows[r[i - 1].i].text);
		free(out->flows[r[i].i].text);
		out->flows[r[i].i].text = NULL;
		r[i].i = r[i - 1].i; /* a third is compared with the one kept */
	}
	free(r);
	for (size_t i = 0; i < out->n_flows; i++)
		if (out->flows[i].text)
			out->flows[w++] = out->flows[i];
	out->n_flows = w;
	qsort(out->flows, out->n_flows, sizeof(*out->flows), cmp_cflow_text);
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
		rc = tenant_domains(&cx, &cx.t[i]);
	if (!rc)
		rc = port_tables(&cx);
	if (!rc)
		rc = vtep_ips(&cx);
	n_idents = out->n_flows;
	if (!rc)
		rc = finish_flows(&cx);
	if (!rc)
		rc = cx.rc;
	ct_free(&cx, n_idents);
	if (rc)
		vsw_compiled_free(out);
	return rc;
}

void vsw_compiled_free(struct vsw_compiled *c)
{
	for (size_t i = 0; i < c->n_flows; i++)
		free(c->flows[i].text);
	free(c->flows);
	for (size_t i = 0; i < c->n_domains; i++) {
		free(c->domains[i].members);
		free(c->domains[i].vteps);
	}
	free(c->domains);
	free(c->ports);
	free(c->vtep_ips);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	memset(c, 0, sizeof(*c));
}

const struct vsw_cdomain *vsw_compiled_domain(const struct vsw_compiled *c, uint32_t id)
{
	size_t lo = 0, hi = c->n_domains;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->domains[mid].id == id)
			return &c->domains[mid];
		if (c->domains[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct vsw_cflow *vsw_compiled_flow(const struct vsw_compiled *c, const char *text)
{
	struct vsw_cflow key = { .text = (char *)text };

	if (!c->n_flows)
		return NULL;
	return bsearch(&key, c->flows, c->n_flows, sizeof(key), cmp_cflow_text);
}

const struct vsw_cport *vsw_compiled_port(const struct vsw_compiled *c, uint32_t port_no)
{
	for (size_t i = 0; i < c->n_ports; i++)
		if (c->ports[i].port_no == port_no)
			return &c->ports[i];
	return NULL;
}

bool vsw_cdomain_equal(const struct vsw_cdomain *a, const struct vsw_cdomain *b)
{
	if (a->id != b->id || a->mac_limit != b->mac_limit || a->aging != b->aging ||
	    a->vni != b->vni || a->n_members != b->n_members || a->n_vteps != b->n_vteps)
		return false;
	for (size_t i = 0; i < a->n_members; i++)
		if (cmp_member(&a->members[i], &b->members[i]))
			return false;
	for (size_t i = 0; i < a->n_vteps; i++)
		if (cmp_cvtep(&a->vteps[i], &b->vteps[i]))
			return false;
	return true;
}
