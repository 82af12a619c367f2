/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: what tenant sync sends (control/tenant_plan.c), as a pure
 * function of the compiled state and what the dataplane has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intent_util.h"
#include "tenant_plan.h"

#define TO(d) "load:" d "->OXM_OF_METADATA[],NORMAL"
#define VM2_BLUE "table=250,priority=200,cookie=0x7673770000010001,in_port=2,vlan_tci=0x0000,actions=" TO("0x1000")
#define VM2_RED "table=250,priority=200,cookie=0x7673770000020001,in_port=2,vlan_tci=0x0000,actions=" TO("0x2000")
#define VM2_BLUE_DROP "table=250,priority=1,cookie=0x7673770000010001,in_port=2,actions=drop"
#define VM2_RED_DROP "table=250,priority=1,cookie=0x7673770000020001,in_port=2,actions=drop"

static const uint8_t MAC_A[6] = { 2, 0, 0, 0, 0, 0xa };
static const uint8_t MAC_B[6] = { 2, 0, 0, 0, 0, 0xb };

/* blue: vm1; red: vm3; vm2 as given; the uplink eth0 with VXLAN; blue has a VTEP. */
static void base(struct world *w, const char *vm2_tenant)
{
	w_init(w);
	w_tenant(w, "blue", 1, 10, 5000);
	w_tenant(w, "red", 2, 20, 0);
	w_port(w, "vm1", 1, "blue");
	w_port(w, "vm2", 2, vm2_tenant);
	w_port(w, "vm3", 3, "red");
	w_port(w, "eth0", 9, NULL);
	w_uplink(w, "eth0", "192.0.2.1", 50);
	w_vtep(w, "blue", "198.51.100.2");
}

/* The dataplane holding exactly `c`, with VTEPs as given. */
struct dp {
	const char **flows;
	struct vsw_tenant_have have;
};

static void dp_from(struct dp *d, const struct vsw_compiled *c, const struct vsw_vtep_want *v,
		    size_t nv)
{
	d->flows = calloc(c->n_flows + 1, sizeof(*d->flows));
	assert_non_null(d->flows);
	for (size_t i = 0; i < c->n_flows; i++)
		d->flows[i] = c->flows[i].text;
	d->have = (struct vsw_tenant_have){
		.flows = d->flows, .n_flows = c->n_flows,
		.domains = c->domains, .n_domains = c->n_domains,
		.vteps = v, .n_vteps = nv,
		.ports = c->ports, .n_ports = c->n_ports,
		.vxlan = c->vxlan,
	};
}

static struct vsw_vtep_want vtep(const char *ip, const uint8_t *mac)
{
	struct vsw_vtep_want v = { .ip = w_ip4(ip), .resolved = mac != NULL };

	if (mac)
		memcpy(v.mac, mac, 6);
	return v;
}

static void plan(const struct vsw_compiled *c, const struct vsw_vtep_want *v, size_t nv,
		 const struct vsw_tenant_have *have, struct vsw_tenant_plan *p)
{
	struct vsw_tenant_want want = { c, v, nv };

	assert_int_equal(vsw_tenant_plan(&want, have, p), 0);
}

static bool listed(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static const struct vsw_cport *port_mod(const struct vsw_tenant_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n_port_mod; i++)
		if (strcmp(p->port_mod[i].name, name) == 0)
			return &p->port_mod[i];
	return NULL;
}

static bool sets_domain(const struct vsw_tenant_plan *p, uint32_t id)
{
	for (size_t i = 0; i < p->n_domain_set; i++)
		if (p->domain_set[i]->id == id)
			return true;
	return false;
}

/* Restarting vsw-control under a dataplane that is right: nothing to send. */
static void test_converged_is_empty(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_tenant_plan p;
	struct vsw_compiled c;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &c);
	dp_from(&d, &c, &v, 1);
	plan(&c, &v, 1, &d.have, &p);
	assert_true(vsw_tenant_plan_empty(&p));
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&c);
}

/* A new tenant: its rules, its domain, its port to table 250; nothing removed. */
static void test_tenant_added(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_compiled before, after;
	struct vsw_tenant_plan p;
	struct world w;
	struct dp d;
	size_t new_rules = 0;

	(void)state;
	base(&w, NULL);
	w.in.n_tenants = 1; /* red does not exist yet; vm3 is not attached */
	w.att[2].tenant[0] = 0;
	w_compile(&w, &before);
	dp_from(&d, &before, &v, 1);
	base(&w, NULL);
	w_compile(&w, &after);
	plan(&after, &v, 1, &d.have, &p);

	for (size_t i = 0; i < after.n_flows; i++)
		new_rules += after.flows[i].tenant_id == 2;
	assert_int_equal(p.n_flow_add, new_rules);
	for (size_t i = 0; i < p.n_flow_add; i++)
		assert_true(vsw_compiled_flow(&after, p.flow_add[i])->tenant_id == 2);
	assert_int_equal(p.n_quarantine + p.n_flow_del + p.n_narrow + p.n_domain_del, 0);
	/* red's segment on the uplink (tag 20) and vm3 */
	assert_int_equal(p.n_domain_set, 1);
	assert_int_equal(p.domain_set[0]->id, 0x2000);
	assert_int_equal(p.n_port_mod, 1);
	assert_int_equal(port_mod(&p, "vm3")->table, 250);
	assert_false(p.vxlan_add || p.vxlan_del);
	assert_int_equal(p.n_vtep_set + p.n_vtep_del, 0);
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&before);
	vsw_compiled_free(&after);
}

/* Attach: rules first, then the table, then the domain gains it (the plan's steps). */
static void test_port_attached(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_compiled before, after;
	struct vsw_tenant_plan p;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, NULL);
	w_compile(&w, &before);
	dp_from(&d, &before, &v, 1);
	base(&w, "blue");
	w_compile(&w, &after);
	plan(&after, &v, 1, &d.have, &p);
	assert_int_equal(p.n_quarantine + p.n_narrow + p.n_flow_del + p.n_domain_del, 0);
	assert_int_equal(p.n_flow_add, 2);
	assert_true(listed(p.flow_add, p.n_flow_add, VM2_BLUE));
	assert_true(listed(p.flow_add, p.n_flow_add, VM2_BLUE_DROP));
	assert_int_equal(p.n_port_mod, 1);
	assert_int_equal(port_mod(&p, "vm2")->table, 250);
	assert_int_equal(p.n_domain_set, 1);
	assert_int_equal(p.domain_set[0]->id, 0x1000);
	assert_int_equal(p.domain_set[0]->n_members, 3); /* vm1, vm2, eth0 tagged 10 */
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&before);
	vsw_compiled_free(&after);
}

/* Detach: its admission goes first, the domain shrinks, then the rest, then table 0. */
static void test_port_detached(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_compiled before, after;
	struct vsw_tenant_plan p;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &before);
	dp_from(&d, &before, &v, 1);
	base(&w, NULL);
	w_compile(&w, &after);
	plan(&after, &v, 1, &d.have, &p);
	assert_int_equal(p.n_quarantine, 1);
	assert_string_equal(p.quarantine[0], VM2_BLUE);
	assert_int_equal(p.n_narrow, 1);
	assert_int_equal(p.narrow[0].id, 0x1000);
	assert_int_equal(p.narrow[0].n_members, 2);
	for (size_t i = 0; i < p.narrow[0].n_members; i++)
		assert_int_not_equal(p.narrow[0].members[i].port_no, 2);
	assert_int_equal(p.n_flow_del, 1);
	assert_string_equal(p.flow_del[0], VM2_BLUE_DROP);
	assert_int_equal(p.n_flow_add, 0);
	assert_int_equal(p.n_domain_set, 0); /* the narrowed domain is the compiled one */
	assert_int_equal(p.n_port_mod, 1);
	assert_int_equal(port_mod(&p, "vm2")->table, 0);
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&before);
	vsw_compiled_free(&after);
}

/* Move blue -> red: out of blue before into red; the catch-all is replaced in place. */
static void test_port_moved(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_compiled before, after;
	struct vsw_tenant_plan p;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &before);
	dp_from(&d, &before, &v, 1);
	base(&w, "red");
	w_compile(&w, &after);
	plan(&after, &v, 1, &d.have, &p);
	assert_int_equal(p.n_quarantine, 1);
	assert_string_equal(p.quarantine[0], VM2_BLUE);
	assert_int_equal(p.n_narrow, 1);
	assert_int_equal(p.narrow[0].id, 0x1000);
	assert_int_equal(p.n_flow_del, 0); /* the drop is replaced by red's, same identity */
	assert_int_equal(p.n_flow_add, 2);
	assert_true(listed(p.flow_add, p.n_flow_add, VM2_RED));
	assert_true(listed(p.flow_add, p.n_flow_add, VM2_RED_DROP));
	assert_int_equal(p.n_domain_set, 1);
	assert_true(sets_domain(&p, 0x2000));
	assert_false(sets_domain(&p, 0x1000)); /* blue only shrinks */
	assert_int_equal(p.n_port_mod, 0); /* stays at 250 */
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&before);
	vsw_compiled_free(&after);
}

/* A VTEP resolves, then its next hop changes: vtep-set only. Unused ones go. */
static void test_vtep_resolution(void **state)
{
	struct vsw_vtep_want unres = vtep("198.51.100.2", NULL), a = vtep("198.51.100.2", MAC_A);
	struct vsw_vtep_want b = vtep("198.51.100.2", MAC_B);
	struct vsw_vtep_want stale[2] = { vtep("198.51.100.2", MAC_B), vtep("203.0.113.7", MAC_A) };
	struct vsw_tenant_plan p;
	struct vsw_compiled c;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &c);
	dp_from(&d, &c, &unres, 1);
	plan(&c, &a, 1, &d.have, &p);
	assert_int_equal(p.n_vtep_set, 1);
	assert_true(p.vtep_set[0]->resolved);
	assert_memory_equal(p.vtep_set[0]->mac, MAC_A, 6);
	p.n_vtep_set = 0;
	assert_true(vsw_tenant_plan_empty(&p));
	vsw_tenant_plan_free(&p);
	free(d.flows);

	dp_from(&d, &c, &a, 1);
	plan(&c, &b, 1, &d.have, &p);
	assert_int_equal(p.n_vtep_set, 1);
	assert_memory_equal(p.vtep_set[0]->mac, MAC_B, 6);
	vsw_tenant_plan_free(&p);
	plan(&c, &unres, 1, &d.have, &p); /* lost: the dataplane must stop using it */
	assert_int_equal(p.n_vtep_set, 1);
	assert_false(p.vtep_set[0]->resolved);
	vsw_tenant_plan_free(&p);
	free(d.flows);

	dp_from(&d, &c, stale, 2);
	plan(&c, &b, 1, &d.have, &p);
	assert_int_equal(p.n_vtep_set, 0);
	assert_int_equal(p.n_vtep_del, 1);
	assert_int_equal(p.vtep_del[0], w_ip4("203.0.113.7"));
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&c);
}

/* A restarted dataplane, empty: every rule, the VXLAN port, every domain and VTEP. */
static void test_dataplane_restarted_empty(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_tenant_have empty = { 0 };
	struct vsw_tenant_plan p;
	struct vsw_compiled c;
	struct world w;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &c);
	plan(&c, &v, 1, &empty, &p);
	assert_int_equal(p.n_flow_add, c.n_flows);
	assert_int_equal(p.n_quarantine + p.n_flow_del + p.n_narrow + p.n_domain_del, 0);
	assert_true(p.vxlan_add);
	assert_false(p.vxlan_del);
	assert_int_equal(p.n_domain_set, c.n_domains);
	assert_int_equal(p.n_vtep_set, 1);
	/* The ports come back with their table from port-add, not port-mod. */
	assert_int_equal(p.n_port_mod, 0);
	vsw_tenant_plan_free(&p);
	vsw_compiled_free(&c);
}

/* The VXLAN port's local_ip changes: deleted and added again; it goes if the uplink goes. */
static void test_vxlan_port_changes(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_compiled before, after;
	struct vsw_tenant_plan p;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &before);
	dp_from(&d, &before, &v, 1);
	w.uplink.local_ip = w_ip4("192.0.2.77");
	w_compile(&w, &after);
	plan(&after, &v, 1, &d.have, &p);
	assert_true(p.vxlan_del && p.vxlan_add);
	assert_null(port_mod(&p, "@vxlan"));
	assert_int_equal(p.n_flow_add + p.n_flow_del + p.n_quarantine, 0);
	vsw_tenant_plan_free(&p);
	vsw_compiled_free(&after);

	/* No uplink: everything on it and the VXLAN port goes, eth0 back to table 0. */
	w.in.uplink = NULL;
	w_compile(&w, &after);
	plan(&after, NULL, 0, &d.have, &p);
	assert_true(p.vxlan_del);
	assert_false(p.vxlan_add);
	assert_int_equal(port_mod(&p, "eth0")->table, 0);
	for (size_t i = 0; i < p.n_quarantine; i++)
		assert_true(strstr(p.quarantine[i], "in_port=9,") ||
			    strstr(p.quarantine[i], "in_port=50,"));
	assert_int_equal(p.n_quarantine, 1 /* blue tag 10 */ + 1 /* red tag 20 */ + 1 /* VTEP */);
	assert_int_equal(p.n_vtep_del, 1);
	assert_int_equal(p.n_narrow, 2); /* blue's and red's native domains lose eth0 (and the VTEP) */
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&before);
	vsw_compiled_free(&after);
}

/* Stale rules in reserved tables are removed; a changed attribute is a plain domain-set. */
static void test_stale_rules_and_attributes(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_tenant_plan p;
	struct vsw_compiled c, changed;
	struct world w;
	struct dp d;

	(void)state;
	base(&w, "blue");
	w_compile(&w, &c);
	dp_from(&d, &c, &v, 1);
	d.flows = realloc(d.flows, (c.n_flows + 2) * sizeof(*d.flows));
	d.flows[c.n_flows] = "table=253,priority=5,actions=drop";
	d.flows[c.n_flows + 1] = "table=251,priority=9,cookie=0x7673770000070003,"
				 "metadata=0x7000/0xfffffffffffff000,actions=goto_table:252";
	d.have.flows = d.flows;
	d.have.n_flows = c.n_flows + 2;
	w.tenants[0].mac_limit = 7;
	w_compile(&w, &changed);
	plan(&changed, &v, 1, &d.have, &p);
	assert_int_equal(p.n_flow_del, 2);
	assert_int_equal(p.n_quarantine, 0);
	assert_int_equal(p.n_narrow, 0);
	assert_int_equal(p.n_domain_set, 1);
	assert_int_equal(p.domain_set[0]->mac_limit, 7);
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&c);
	vsw_compiled_free(&changed);
}

/* A domain some port was learned in without being its member is told again (and forgets). */
static void test_domain_forgets_strays(void **state)
{
	struct vsw_vtep_want v = vtep("198.51.100.2", MAC_A);
	struct vsw_mac_have ok[2] = { { 0x1000, 2, 0 }, { 0x1000, 50, 0 } };
	struct vsw_mac_have stray_port = { 0x2000, 2, 0 };
	struct vsw_mac_have stray_vtep = { 0x1000, 50, 0 };
	struct vsw_tenant_plan p;
	struct vsw_compiled c;
	struct world w;
	struct dp d;

	(void)state;
	ok[1].vtep = w_ip4("198.51.100.2");
	stray_vtep.vtep = w_ip4("203.0.113.9");
	base(&w, "blue");
	w_compile(&w, &c);
	dp_from(&d, &c, &v, 1);
	d.have.macs = ok;
	d.have.n_macs = 2;
	plan(&c, &v, 1, &d.have, &p);
	assert_true(vsw_tenant_plan_empty(&p));
	vsw_tenant_plan_free(&p);

	d.have.macs = &stray_port; /* vm2 (blue) learned in red */
	d.have.n_macs = 1;
	plan(&c, &v, 1, &d.have, &p);
	assert_int_equal(p.n_narrow, 1);
	assert_int_equal(p.narrow[0].id, 0x2000);
	assert_true(vsw_cdomain_equal(&p.narrow[0], vsw_compiled_domain(&c, 0x2000)));
	assert_int_equal(p.n_domain_set + p.n_flow_add + p.n_quarantine, 0);
	vsw_tenant_plan_free(&p);

	d.have.macs = &stray_vtep; /* behind a VTEP that is not blue's */
	plan(&c, &v, 1, &d.have, &p);
	assert_int_equal(p.n_narrow, 1);
	assert_int_equal(p.narrow[0].id, 0x1000);
	vsw_tenant_plan_free(&p);
	free(d.flows);

	/* An admission left over into red: quarantined, and red told again. */
	dp_from(&d, &c, &v, 1);
	d.flows = realloc(d.flows, (c.n_flows + 1) * sizeof(*d.flows));
	d.flows[c.n_flows] = "table=250,priority=200,cookie=0x7673770000020001,in_port=2,"
			     "dl_vlan=7,actions=strip_vlan," TO("0x2000");
	d.have.flows = d.flows;
	d.have.n_flows = c.n_flows + 1;
	plan(&c, &v, 1, &d.have, &p);
	assert_int_equal(p.n_quarantine, 1);
	assert_int_equal(p.n_narrow, 1);
	assert_int_equal(p.narrow[0].id, 0x2000);
	assert_int_equal(p.n_flow_del + p.n_flow_add, 0);
	vsw_tenant_plan_free(&p);
	free(d.flows);
	vsw_compiled_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_converged_is_empty),
		cmocka_unit_test(test_tenant_added),
		cmocka_unit_test(test_port_attached),
		cmocka_unit_test(test_port_detached),
		cmocka_unit_test(test_port_moved),
		cmocka_unit_test(test_vtep_resolution),
		cmocka_unit_test(test_dataplane_restarted_empty),
		cmocka_unit_test(test_vxlan_port_changes),
		cmocka_unit_test(test_stale_rules_and_attributes),
		cmocka_unit_test(test_domain_forgets_strays),
	};

	return cmocka_run_group_tests_name("control_tenant_plan", tests, NULL, NULL);
}
