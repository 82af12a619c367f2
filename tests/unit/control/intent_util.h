/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the tenant compiler and tenant sync tests share: an intent built in
 * a few calls (struct world), and checks on compiled output that print
 * what differs.
 */
#ifndef VSW_TEST_INTENT_UTIL_H
#define VSW_TEST_INTENT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compile.h"

#define W_MAX 32

struct world {
	struct vsw_tenant_cfg tenants[W_MAX];
	struct vsw_port_tenant att[W_MAX];
	char names[W_MAX][16];
	struct vsw_intent_port ports[W_MAX];
	struct vsw_uplink_cfg uplink;
	struct vsw_vtep_cfg vteps[W_MAX];
	struct vsw_acl_cfg acls[W_MAX];
	struct vsw_intent in;
};

void w_init(struct world *w);
/* vlan, vni: 0 for none. */
void w_tenant(struct world *w, const char *name, uint32_t id, uint16_t vlan, uint32_t vni);
/* A port (tenant NULL: none); returns its attachment for more settings. */
struct vsw_port_tenant *w_port(struct world *w, const char *name, uint32_t port_no,
			       const char *tenant);
/* Trunk mode with these VLANs, e.g. "10,20". */
void w_trunk(struct vsw_port_tenant *a, const char *vlans);
void w_mac(struct vsw_port_tenant *a, const char *mac);
void w_ip(struct vsw_port_tenant *a, const char *ip); /* IPv4 or IPv6 */
/* The uplink: an existing port; local_ip NULL: none. */
void w_uplink(struct world *w, const char *port, const char *local_ip, uint32_t vxlan_no);
void w_vtep(struct world *w, const char *tenant, const char *ip);
void w_acl(struct world *w, const char *tenant, uint32_t id, uint16_t priority, bool allow,
	   const char *match);
uint32_t w_ip4(const char *s); /* network order */

/* Compile, failing the test on -ENOMEM. */
void w_compile(struct world *w, struct vsw_compiled *c);

/* The compiled flows are exactly `want` (any order); prints the differences. */
void assert_flows(const struct vsw_compiled *c, const char *const *want, size_t n);
/* The flows of table `table` for tenant `tenant` (cookie), exactly `want`. */
void assert_tenant_flows(const struct vsw_compiled *c, uint32_t tenant, const char *const *want,
			 size_t n);
/* Domain `id`'s members as "port/vlan ..." and VTEPs as "ip/vlan ...". */
void assert_domain(const struct vsw_compiled *c, uint32_t id, uint32_t vni,
		   const char *members, const char *vteps);
/* A warning contains `part`. */
void assert_warning(const struct vsw_compiled *c, const char *part);

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#endif
