/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_TENANT_PLAN_H
#define VSW_CONTROL_TENANT_PLAN_H

/*
 * The difference between the compiled tenant state (compile.h) and the
 * dataplane's, as the steps that take one to the other in an order that
 * keeps tenants isolated at every moment (tenant_sync.h says why this
 * order). A pure function, unit tested on its own; tenant_sync.c reads the
 * dataplane, calls vsw_tenant_plan() and carries the steps out.
 *
 *   1 quarantine  strict-delete the admissions (table-250 rules that go to
 *                 table 251) the dataplane has and the compiled state has
 *                 not: whatever a port, VLAN or VNI no longer may enter
 *                 stops entering first
 *   2 narrow      domain-set to what the domain keeps (members and VTEPs
 *                 both sides have) -- also of a domain a quarantined
 *                 admission led into, or where a MAC was learned on a port
 *                 (VTEP) that is not a member, members changed or not, so
 *                 that the dataplane forgets MACs learned on ports that are
 *                 not its members -- domain-del of domains that go, port-del
 *                 of a VXLAN port that goes or changes
 *   3 flows       one flow-batch: the other tenant rules that go, and every
 *                 tenant rule that comes (a rule replacing one of the same
 *                 table, priority and match is not deleted first)
 *   4 ports       port-add of the VXLAN port (at table 250), port-mod of
 *                 the start table of every port whose table changes
 *   5 widen       vtep-set of VTEPs that are new or resolve differently,
 *                 then domain-set of every domain not yet as compiled
 *   6 clean up    vtep-del of VTEPs no domain uses any more
 *
 * The plan points into its inputs (and owns `narrow` and the arrays):
 * keep them alive while using it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compile.h"

/* A VTEP's next hop as the dataplane has it or should have it. */
struct vsw_vtep_want {
	uint32_t ip; /* network order */
	bool resolved;
	uint8_t mac[6];
};

struct vsw_tenant_want {
	const struct vsw_compiled *c;
	const struct vsw_vtep_want *vteps; /* one per c->vtep_ips */
	size_t n_vteps;
};

/* A MAC the dataplane learned: where (VTEP for the VXLAN port, else 0). */
struct vsw_mac_have {
	uint32_t domain;
	uint32_t port;
	uint32_t vtep; /* network order, 0: none */
};

/* What the dataplane has, tenant-wise. */
struct vsw_tenant_have {
	const char *const *flows; /* canonical texts of its rules in tables 250..254 */
	size_t n_flows;
	const struct vsw_cdomain *domains; /* any order */
	size_t n_domains;
	const struct vsw_vtep_want *vteps;
	size_t n_vteps;
	const struct vsw_cport *ports; /* its ports (those it keeps) and their start tables */
	size_t n_ports;
	struct vsw_cvxlan vxlan; /* .present: it has the VXLAN port; underlay "": not listed */
	const struct vsw_mac_have *macs; /* learned MACs, when read (may be NULL) */
	size_t n_macs;
};

struct vsw_tenant_plan {
	const char **quarantine; /* 1 */
	size_t n_quarantine;
	struct vsw_cdomain *narrow; /* 2: owned, with owned members and vteps */
	size_t n_narrow;
	uint32_t *domain_del;
	size_t n_domain_del;
	bool vxlan_del;
	const char **flow_del; /* 3: strict-delete these rules */
	size_t n_flow_del;
	const char **flow_add;
	size_t n_flow_add;
	bool vxlan_add; /* 4: want.c->vxlan */
	struct vsw_cport *port_mod; /* port-mod name table */
	size_t n_port_mod;
	const struct vsw_vtep_want **vtep_set; /* 5 */
	size_t n_vtep_set;
	const struct vsw_cdomain **domain_set;
	size_t n_domain_set;
	uint32_t *vtep_del; /* 6 */
	size_t n_vtep_del;
};

/* Compute the plan (zeroed first). 0 or -ENOMEM. */
int vsw_tenant_plan(const struct vsw_tenant_want *want, const struct vsw_tenant_have *have,
		    struct vsw_tenant_plan *plan);
void vsw_tenant_plan_free(struct vsw_tenant_plan *plan);
bool vsw_tenant_plan_empty(const struct vsw_tenant_plan *plan);

/* A table-250 rule that admits frames: on to table 251, or `normal` at once. */
bool vsw_tenant_flow_admits(const char *text);

#endif
