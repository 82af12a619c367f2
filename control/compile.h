/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_COMPILE_H
#define VSW_CONTROL_COMPILE_H

/*
 * DOC: the tenant compiler — intent in, dataplane state out
 *
 * vsw_compile() turns the tenant intent (tenants, port attachments, the
 * uplink, VTEPs, ACLs: struct vsw_intent, a view that intent.c fills from
 * the configuration) into everything the dataplane must hold for it
 * (struct vsw_compiled): the rules of tables 250 and 251 as canonical text,
 * the L2 domains, each port's start table, the VXLAN port and the VTEP
 * addresses to resolve. Pure: no I/O, no globals, no DPDK; the same intent
 * always gives the same output, in the same order. tenant_sync.h sends the
 * difference between that and what the dataplane has.
 *
 * Rules (TENANTS.md has the design; P a tenant port, U the uplink, X the
 * VXLAN port, D(T, v) = T.id << 12 | v the domain of segment v of tenant T):
 *
 *   table 250, per port, highest priority first
 *     300  double tags: in_port=P,dl_type=0x8100 / 0x88a8 -> drop (trunk
 *          ports; on U per tenant VLAN, on X per VNI). The key's dl_type is
 *          the EtherType after the outer tag, so these are exactly the
 *          frames that would keep a tag after strip_vlan.
 *     220  anti-spoofing, when the port has IPs: per IPv4 address
 *          `arp,arp_spa=IP` and `ip,nw_src=IP`, per IPv6 address
 *          `ipv6,ipv6_src=IP` (with dl_src=MAC when the port has a MAC too)
 *     210  with IPv6 addresses: ICMPv6 router solicitation and neighbour
 *          solicitation/advertisement (133, 135, 136) from any source
 *          address: neighbour discovery needs link-local and unspecified
 *          sources, so ND is restricted by the MAC only (when there is
 *          one). Router advertisements and redirects stay dropped, and
 *          so do DHCP clients (source 0.0.0.0): a port's IPs are static.
 *     200  admission: access `in_port=P,vlan_tci=0`; trunk
 *          `in_port=P,dl_vlan=v` per listed VLAN (+ strip_vlan); with a MAC
 *          but no IPs, + dl_src=MAC; U `in_port=U,dl_vlan=w` per VLAN w a
 *          tenant owns; X `in_port=X,tun_id=VNI,tun_src=VTEP` per VTEP of
 *          the tenant with vlan_tci=0 (native) or dl_vlan=v (segment v)
 *          -> [strip_vlan,] set_field:D->metadata, then goto_table:251
 *          when T has ACLs, else normal (no stage that only passes frames
 *          on: each table walked is a lookup per frame)
 *     100  X: `in_port=X,tun_id=VNI` -> drop (a VTEP not configured for it)
 *       1  catch-all `in_port=P` -> drop (also for U and X: shared)
 *   table 251, per tenant with ACLs: each ACL `metadata=T/M,MATCH` at its
 *          priority -> normal (allow) or drop (deny); priority 0
 *          `metadata=T/M` -> normal. M = 0xfffffffffffff000 covers the tenant part
 *          of the domain id, so one rule serves every segment of the tenant
 *          and ACL counters are per ACL. An ACL that does not compile turns
 *          the tenant's priority-0 rule into drop and leaves its ACLs out
 *          (fail closed), with a warning. `normal` switches in the domain
 *          the full metadata names.
 *
 * Cookies: vsw_tenant_cookie(T.id, kind): ingress (admission, VLAN drops,
 * catch-alls), anti-spoof (the admissions and catch-all of a port with a MAC
 * or IPs), acl, vxlan (rules on X). Rules of shared ports that belong
 * to no tenant (the catch-alls of U and X, the catch-all of a port attached
 * to a tenant that does not exist) have tenant id 0.
 *
 * Segments and domains: segment 0 and one per VLAN v != T.vlan in T's trunk
 * ports' lists; every tenant has domain D(T, 0), even without ports. The
 * tenant's mac_limit is for all its segments together: every D(T, v) has
 * limit_group D(T, 0) (the dataplane counts their MACs as one), so a tenant
 * with many VLANs cannot fill the switch's MAC table for the others. The
 * uplink carries the tenants that have a VLAN: segment 0 tagged T.vlan and
 * each trunk segment v tagged v. A tenant has VXLAN when it has a VNI and
 * the VXLAN port exists (the uplink has a local_ip): then its domains have
 * its VNI and its VTEPs (with the segment's inner tag).
 *
 * Bad intent fails closed: the store's checks should make it impossible,
 * but should it happen the compiler never lets it open a path between
 * tenants. A VLAN on the uplink or a VNI claimed by two tenants belongs to
 * the one with the lower id; a port attached to a tenant that does not
 * exist (or the uplink attached to one) drops everything it receives; a
 * VTEP of a tenant without a VNI is ignored; two rules with the same table,
 * priority and match keep the first. Each case leaves a line in `warnings`.
 *
 * Port tables: 250 for ports attached to a tenant, the uplink and X; 0 for
 * the others.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tenant.h"

#define VSW_VXLAN_PORT_NAME "@vxlan"
#define VSW_MAC_AGING_DEFAULT 300 /* seconds */
#define VSW_DOMAIN_MAC_LIMIT_MAX 262144 /* the dataplane's whole MAC table */
/* table 251 rules match a tenant's domains with this metadata mask */
#define VSW_TENANT_METADATA_MASK 0xfffffffffffff000ull

struct vsw_intent_port {
	const char *name;
	uint32_t port_no;
	const struct vsw_port_tenant *att; /* NULL or att->tenant[0] == 0: none */
};

/* The intent, as views into the configuration (nothing is copied). */
struct vsw_intent {
	const struct vsw_tenant_cfg *tenants;
	size_t n_tenants;
	const struct vsw_intent_port *ports; /* every port, attached or not */
	size_t n_ports;
	const struct vsw_uplink_cfg *uplink; /* NULL or uplink->port[0] == 0: none */
	uint32_t uplink_port_no; /* 0: none */
	uint32_t vxlan_port_no; /* the number of "@vxlan", 0: none */
	const struct vsw_vtep_cfg *vteps;
	size_t n_vteps;
	const struct vsw_acl_cfg *acls;
	size_t n_acls;
};

struct vsw_cflow {
	char *text; /* canonical (vsw_flow_format(), numeric ports) */
	uint64_t cookie;
	uint32_t tenant_id; /* 0: a shared port's rule */
	uint32_t acl_id; /* an ACL's rule: its id; 0 otherwise */
	uint32_t domain; /* the domain an admission sets; 0 otherwise */
	uint8_t kind; /* enum vsw_cookie_kind */
	uint8_t table;
	bool drop; /* actions=drop */
};

struct vsw_cmember {
	uint32_t port_no;
	uint16_t vlan; /* tag on output, 0: untagged */
};

struct vsw_cvtep {
	uint32_t ip; /* network order */
	uint16_t vlan; /* inner tag, 0: none */
};

struct vsw_cdomain {
	uint32_t id;
	uint32_t tenant_id;
	uint16_t segment; /* 0: native, else the segment's VLAN */
	uint32_t mac_limit;
	uint32_t aging; /* seconds */
	uint32_t vni; /* 0: no VXLAN */
	uint32_t limit_group; /* segments v != 0: D(T, 0), whose MAC count they share */
	struct vsw_cmember *members; /* sorted by port, then vlan */
	size_t n_members;
	struct vsw_cvtep *vteps; /* sorted by ip, then vlan */
	size_t n_vteps;
};

struct vsw_cport {
	char name[VSW_TENANT_NAME_MAX + 1];
	uint32_t port_no;
	uint8_t table; /* start table: VSW_TABLE_TENANT_INGRESS or 0 */
};

struct vsw_cvxlan {
	bool present;
	uint32_t port_no;
	char underlay[VSW_TENANT_NAME_MAX + 1]; /* the uplink's port name */
	uint32_t underlay_port_no;
	uint32_t local_ip; /* network order */
};

struct vsw_compiled {
	struct vsw_cflow *flows; /* sorted by text */
	size_t n_flows;
	struct vsw_cdomain *domains; /* sorted by id */
	size_t n_domains;
	struct vsw_cport *ports; /* every intent port, then X; in intent order */
	size_t n_ports;
	struct vsw_cvxlan vxlan;
	uint32_t *vtep_ips; /* network order, sorted (as numbers), distinct */
	size_t n_vtep_ips;
	char **warnings; /* one line each */
	size_t n_warnings;
};

/* Compile (`out` zeroed first). 0 or -ENOMEM (out is then empty). */
int vsw_compile(const struct vsw_intent *in, struct vsw_compiled *out);
void vsw_compiled_free(struct vsw_compiled *c);

/* Lookups in a compiled state: NULL when absent. */
const struct vsw_cdomain *vsw_compiled_domain(const struct vsw_compiled *c, uint32_t id);
const struct vsw_cflow *vsw_compiled_flow(const struct vsw_compiled *c, const char *text);
const struct vsw_cport *vsw_compiled_port(const struct vsw_compiled *c, uint32_t port_no);

/* Same members, VTEPs and attributes. */
bool vsw_cdomain_equal(const struct vsw_cdomain *a, const struct vsw_cdomain *b);

#endif
