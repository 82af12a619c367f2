/* SPDX-License-Identifier: BSD-3-Clause */
/* The tenant state difference, in isolation-safe steps: see tenant_plan.h. */
#include "tenant_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "reconcile.h"

void vsw_tenant_plan_free(struct vsw_tenant_plan *plan)
{
	free(plan->quarantine);
	for (size_t i = 0; i < plan->n_narrow; i++) {
		free(plan->narrow[i].members);
		free(plan->narrow[i].vteps);
	}
	free(plan->narrow);
	free(plan->domain_del);
	free(plan->flow_del);
	free(plan->flow_add);
	free(plan->port_mod);
	free(plan->vtep_set);
	free(plan->domain_set);
	free(plan->vtep_del);
	memset(plan, 0, sizeof(*plan));
}

bool vsw_tenant_plan_empty(const struct vsw_tenant_plan *p)
{
	return !p->n_quarantine && !p->n_narrow && !p->n_domain_del && !p->vxlan_del &&
	       !p->n_flow_del && !p->n_flow_add && !p->vxlan_add && !p->n_port_mod &&
	       !p->n_vtep_set && !p->n_domain_set && !p->n_vtep_del;
}

bool vsw_tenant_flow_admits(const char *text)
{
	const char *acts = strstr(text, ",actions=");

	return strncmp(text, "table=250,", 10) == 0 && acts &&
	       (strstr(acts, "goto_table:251") || strstr(acts, "NORMAL"));
}

/* ---- flows ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The domain an admission sends frames into (its metadata), or 0. */
static uint32_t admission_domain(const char *text)
{
	struct vsw_flow_spec spec;
	uint64_t v = 0;

	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, NULL, 0))
		return 0;
	for (unsigned i = 0; i < spec.actions.n; i++)
		if (spec.actions.a[i].type == VSW_ACT_SET_FIELD &&
		    spec.actions.a[i].field == VSW_F_METADATA)
			memcpy(&v, spec.actions.a[i].value, sizeof(v));
	return v <= UINT32_MAX ? (uint32_t)v : 0;
}

static int plan_flows(const struct vsw_tenant_want *want, const struct vsw_tenant_have *have,
		      struct vsw_tenant_plan *plan, uint32_t *entered)
{
	const struct vsw_compiled *c = want->c;
	const char **want_t = calloc(c->n_flows + 1, sizeof(*want_t));
	const char **keep = calloc(have->n_flows + 1, sizeof(*keep));
	struct vsw_reconcile_input in;
	struct vsw_reconcile_plan rp;
	size_t n_keep = 0;
	int rc = -ENOMEM;

	plan->quarantine = calloc(have->n_flows + 1, sizeof(*plan->quarantine));
	if (!want_t || !keep || !plan->quarantine)
		goto out;
	for (size_t i = 0; i < c->n_flows; i++)
		want_t[i] = c->flows[i].text; /* sorted: the compiler sorts by text */
	for (size_t i = 0; i < have->n_flows; i++) {
		const char *t = have->flows[i];

		if (vsw_tenant_flow_admits(t) &&
		    !bsearch(&t, want_t, c->n_flows, sizeof(*want_t), cmp_str)) {
			entered[plan->n_quarantine] = admission_domain(t);
			plan->quarantine[plan->n_quarantine++] = t;
		} else {
			keep[n_keep++] = t;
		}
	}
	in = (struct vsw_reconcile_input){
		.want_flows = want_t, .n_want_flows = c->n_flows,
		.have_flows = keep, .n_have_flows = n_keep,
	};
	rc = vsw_reconcile(&in, &rp);
	if (rc)
		goto out;
	/* Take the reconcile plan's flow arrays: they point at the inputs' strings. */
	plan->flow_del = rp.flow_del;
	plan->n_flow_del = rp.n_flow_del;
	plan->flow_add = rp.flow_add;
	plan->n_flow_add = rp.n_flow_add;
	rp.flow_del = NULL;
	rp.flow_add = NULL;
	vsw_reconcile_plan_free(&rp);
out:
	free(want_t);
	free(keep);
	return rc;
}

/* ---- domains ---- */

static bool has_member(const struct vsw_cdomain *d, const struct vsw_cmember *m)
{
	for (size_t i = 0; i < d->n_members; i++)
		if (d->members[i].port_no == m->port_no && d->members[i].vlan == m->vlan)
			return true;
	return false;
}

static bool has_vtep(const struct vsw_cdomain *d, const struct vsw_cvtep *v)
{
	for (size_t i = 0; i < d->n_vteps; i++)
		if (d->vteps[i].ip == v->ip && d->vteps[i].vlan == v->vlan)
			return true;
	return false;
}

/*
 * What `h` keeps of `w`: w's attributes, the members and VTEPs both have
 * (in h's order, which is sorted). *narrower: h loses something.
 */
static int intersect(const struct vsw_cdomain *h, const struct vsw_cdomain *w,
		     struct vsw_cdomain *out, bool *narrower)
{
	*out = *w;
	out->members = calloc(h->n_members + 1, sizeof(*out->members));
	out->vteps = calloc(h->n_vteps + 1, sizeof(*out->vteps));
	out->n_members = out->n_vteps = 0;
	if (!out->members || !out->vteps) {
		free(out->members);
		free(out->vteps);
		return -ENOMEM;
	}
	for (size_t i = 0; i < h->n_members; i++)
		if (has_member(w, &h->members[i]))
			out->members[out->n_members++] = h->members[i];
	for (size_t i = 0; i < h->n_vteps; i++)
		if (has_vtep(w, &h->vteps[i]))
			out->vteps[out->n_vteps++] = h->vteps[i];
	*narrower = out->n_members < h->n_members || out->n_vteps < h->n_vteps;
	return 0;
}

static const struct vsw_cdomain *have_domain(const struct vsw_tenant_have *have, uint32_t id)
{
	for (size_t i = 0; i < have->n_domains; i++)
		if (have->domains[i].id == id)
			return &have->domains[i];
	return NULL;
}

static bool listed(const uint32_t *v, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

/* Has the dataplane learned a MAC in `w` on a port or VTEP that is not one of w's? */
static bool learned_astray(const struct vsw_tenant_have *have, const struct vsw_cdomain *w)
{
	for (size_t i = 0; i < have->n_macs; i++) {
		const struct vsw_mac_have *m = &have->macs[i];
		bool member = false;

		if (m->domain != w->id)
			continue;
		for (size_t j = 0; j < w->n_vteps && m->vtep; j++)
			member |= w->vteps[j].ip == m->vtep;
		for (size_t j = 0; j < w->n_members && !m->vtep; j++)
			member |= w->members[j].port_no == m->port;
		if (!member)
			return true;
	}
	return false;
}

/*
 * `entered`: the domains of the quarantined admissions. Frames of those
 * ports may have been learned there even where they are not members (a
 * port admitted before it joined), so such a domain gets its domain-set in
 * step 2 even when its members do not change: the dataplane then forgets
 * the MACs learned on ports that are not members.
 */
static int plan_domains(const struct vsw_tenant_want *want, const struct vsw_tenant_have *have,
			struct vsw_tenant_plan *plan, const uint32_t *entered)
{
	const struct vsw_compiled *c = want->c;

	plan->narrow = calloc(have->n_domains + 1, sizeof(*plan->narrow));
	plan->domain_del = calloc(have->n_domains + 1, sizeof(*plan->domain_del));
	plan->domain_set = calloc(c->n_domains + 1, sizeof(*plan->domain_set));
	if (!plan->narrow || !plan->domain_del || !plan->domain_set)
		return -ENOMEM;
	for (size_t i = 0; i < have->n_domains; i++) {
		const struct vsw_cdomain *h = &have->domains[i];
		const struct vsw_cdomain *w = vsw_compiled_domain(c, h->id);
		struct vsw_cdomain *n = &plan->narrow[plan->n_narrow];
		bool narrower;

		if (!w) {
			plan->domain_del[plan->n_domain_del++] = h->id;
			continue;
		}
		if (intersect(h, w, n, &narrower))
			return -ENOMEM;
		if (narrower || listed(entered, plan->n_quarantine, h->id) ||
		    learned_astray(have, w)) {
			plan->n_narrow++;
			continue;
		}
		free(n->members);
		free(n->vteps);
	}
	for (size_t i = 0; i < c->n_domains; i++) {
		const struct vsw_cdomain *w = &c->domains[i], *now = have_domain(have, w->id);

		for (size_t j = 0; j < plan->n_narrow; j++)
			if (plan->narrow[j].id == w->id)
				now = &plan->narrow[j];
		if (!now || !vsw_cdomain_equal(now, w))
			plan->domain_set[plan->n_domain_set++] = w;
	}
	return 0;
}

/* ---- VTEPs, ports, the VXLAN port ---- */

static const struct vsw_vtep_want *find_vtep(const struct vsw_vtep_want *v, size_t n,
					     uint32_t ip)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].ip == ip)
			return &v[i];
	return NULL;
}

static int plan_vteps(const struct vsw_tenant_want *want, const struct vsw_tenant_have *have,
		      struct vsw_tenant_plan *plan)
{
	plan->vtep_set = calloc(want->n_vteps + 1, sizeof(*plan->vtep_set));
	plan->vtep_del = calloc(have->n_vteps + 1, sizeof(*plan->vtep_del));
	if (!plan->vtep_set || !plan->vtep_del)
		return -ENOMEM;
	for (size_t i = 0; i < want->n_vteps; i++) {
		const struct vsw_vtep_want *w = &want->vteps[i];
		const struct vsw_vtep_want *h = find_vtep(have->vteps, have->n_vteps, w->ip);

		if (!h || h->resolved != w->resolved || (w->resolved && memcmp(h->mac, w->mac, 6)))
			plan->vtep_set[plan->n_vtep_set++] = w;
	}
	for (size_t i = 0; i < have->n_vteps; i++)
		if (!find_vtep(want->vteps, want->n_vteps, have->vteps[i].ip))
			plan->vtep_del[plan->n_vtep_del++] = have->vteps[i].ip;
	return 0;
}

static void plan_vxlan(const struct vsw_cvxlan *w, const struct vsw_cvxlan *h,
		       struct vsw_tenant_plan *plan)
{
	bool same = w->present && h->present && w->port_no == h->port_no &&
		    (!h->underlay[0] ||
		     (strcmp(w->underlay, h->underlay) == 0 && w->local_ip == h->local_ip));

	plan->vxlan_del = h->present && !same;
	plan->vxlan_add = w->present && !same;
}

static int plan_ports(const struct vsw_tenant_want *want, const struct vsw_tenant_have *have,
		      struct vsw_tenant_plan *plan)
{
	const struct vsw_compiled *c = want->c;

	plan->port_mod = calloc(c->n_ports + 1, sizeof(*plan->port_mod));
	if (!plan->port_mod)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_ports; i++) {
		const struct vsw_cport *w = &c->ports[i];

		if (plan->vxlan_add && strcmp(w->name, VSW_VXLAN_PORT_NAME) == 0)
			continue; /* added at its table */
		for (size_t j = 0; j < have->n_ports; j++) {
			const struct vsw_cport *h = &have->ports[j];

			if (strcmp(h->name, w->name) || h->port_no != w->port_no ||
			    h->table == w->table)
				continue;
			plan->port_mod[plan->n_port_mod++] = *w;
		}
	}
	return 0;
}

int vsw_tenant_plan(const struct vsw_tenant_want *want, const struct vsw_tenant_have *have,
		    struct vsw_tenant_plan *plan)
{
	uint32_t *entered = calloc(have->n_flows + 1, sizeof(*entered));
	int rc = entered ? 0 : -ENOMEM;

	memset(plan, 0, sizeof(*plan));
	plan_vxlan(&want->c->vxlan, &have->vxlan, plan);
	if (!rc)
		rc = plan_flows(want, have, plan, entered);
	if (!rc)
		rc = plan_domains(want, have, plan, entered);
	free(entered);
	if (!rc)
		rc = plan_vteps(want, have, plan);
	if (!rc)
		rc = plan_ports(want, have, plan);
	if (rc)
		vsw_tenant_plan_free(plan);
	return rc;
}
