/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_TENANT_H
#define VSW_CONTROL_TENANT_H

/*
 * DOC: the tenant model (control/TENANTS.md has the design)
 *
 * The user's intent about tenants, as plain data: tenants, each port's
 * attachment, the uplink, VTEPs and ACLs. struct vsw_config (config.h) holds
 * these arrays; the store keeps them row for row; the compiler (compile.h)
 * turns them into rules, L2 domains and VTEPs for the dataplane. Nothing
 * here does I/O. Addresses are kept in network byte order.
 */

#include <stdbool.h>
#include <stdint.h>

#define VSW_TENANT_NAME_MAX 15 /* characters */
#define VSW_TENANT_ID_MAX 4095 /* domain id = tenant id << 12 | segment VLAN */
#define VSW_PORT_IPS_MAX 8
#define VSW_DEVARGS_MAX 256
#define VSW_ACL_MATCH_MAX 512
#define VSW_MAC_LIMIT_DEFAULT 1024
#define VSW_ACL_PRIORITY_DEFAULT 100

/* Reserved tables (vsw_config_table_check() refuses them to users). */
#define VSW_TABLE_TENANT_INGRESS 250
#define VSW_TABLE_TENANT_ACL 251
#define VSW_TABLE_TENANT_L2 252
#define VSW_TABLE_TENANT_FIRST 250 /* 250..254 reserved */

/* Cookies of compiled rules: VSW_COOKIE_TENANT | tenant id << 16 | kind. */
#define VSW_COOKIE_TENANT 0x7673770000000000ull
#define VSW_COOKIE_TENANT_MASK 0xffffff0000000000ull

enum vsw_cookie_kind {
	VSW_COOKIE_INGRESS = 1,
	VSW_COOKIE_SPOOF = 2,
	VSW_COOKIE_ACL = 3,
	VSW_COOKIE_L2 = 4,
	VSW_COOKIE_VXLAN = 5,
};

static inline uint64_t vsw_tenant_cookie(uint32_t tenant_id, enum vsw_cookie_kind kind)
{
	return VSW_COOKIE_TENANT | (uint64_t)tenant_id << 16 | (uint64_t)kind;
}

static inline uint32_t vsw_domain_id(uint32_t tenant_id, uint16_t vlan)
{
	return tenant_id << 12 | (vlan & 0xfffu);
}

struct vsw_tenant_cfg {
	char name[VSW_TENANT_NAME_MAX + 1];
	uint32_t id; /* 1..VSW_TENANT_ID_MAX, kept forever for the name */
	uint16_t vlan; /* 0: none */
	uint32_t vni; /* 0: none */
	uint32_t mac_limit;
};

struct vsw_tenant_number {
	char name[VSW_TENANT_NAME_MAX + 1];
	uint32_t id;
};

enum vsw_vlan_mode {
	VSW_VLAN_ACCESS = 0,
	VSW_VLAN_TRUNK,
};

struct vsw_ip {
	int af; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
};

/* A port's tenant attachment (part of struct vsw_port_cfg). */
struct vsw_port_tenant {
	char tenant[VSW_TENANT_NAME_MAX + 1]; /* "" = none */
	uint8_t mode; /* enum vsw_vlan_mode */
	uint8_t trunks[4096 / 8]; /* bit v: VLAN v allowed (trunk mode) */
	bool has_mac;
	uint8_t mac[6];
	uint8_t n_ips;
	struct vsw_ip ips[VSW_PORT_IPS_MAX];
};

struct vsw_uplink_cfg {
	char port[VSW_TENANT_NAME_MAX + 1]; /* "" = no uplink */
	bool has_local_ip;
	uint32_t local_ip; /* network order */
};

struct vsw_vtep_cfg {
	char tenant[VSW_TENANT_NAME_MAX + 1];
	uint32_t ip; /* network order */
};

struct vsw_acl_cfg {
	char tenant[VSW_TENANT_NAME_MAX + 1];
	uint32_t id; /* per tenant, 1.., given by add-acl */
	uint16_t priority;
	bool allow;
	char match[VSW_ACL_MATCH_MAX]; /* canonical match text, numeric ports */
};

static inline bool vsw_trunk_has(const struct vsw_port_tenant *t, uint16_t vlan)
{
	return vlan < 4096 && (t->trunks[vlan / 8] >> (vlan % 8) & 1);
}

#endif
