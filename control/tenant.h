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
#include <stddef.h>
#include <stdint.h>

#define VSW_TENANT_NAME_MAX 15 /* characters */
#define VSW_TENANT_ID_MAX 4095 /* domain id = tenant id << 12 | segment VLAN */
#define VSW_PORT_IPS_MAX 8
#define VSW_DEVARGS_MAX 256
#define VSW_ACL_MATCH_MAX 512
#define VSW_MAC_LIMIT_DEFAULT 1024
#define VSW_MAC_LIMIT_MAX 262144 /* the dataplane's whole MAC table (VSW_DOMAIN_MAC_LIMIT_MAX) */
#define VSW_VNI_MAX 16777215
#define VSW_ACL_PRIORITY_DEFAULT 100

/* Reserved tables (vsw_config_table_check() refuses them to users). */
#define VSW_TABLE_TENANT_INGRESS 250
#define VSW_TABLE_TENANT_ACL 251 /* only for tenants with ACLs; then `normal` */
#define VSW_TABLE_TENANT_FIRST 250 /* 250..254 reserved */

/* Cookies of compiled rules: VSW_COOKIE_TENANT | tenant id << 16 | kind. */
#define VSW_COOKIE_TENANT 0x7673770000000000ull
#define VSW_COOKIE_TENANT_MASK 0xffffff0000000000ull

enum vsw_cookie_kind {
	VSW_COOKIE_INGRESS = 1,
	VSW_COOKIE_SPOOF = 2,
	VSW_COOKIE_ACL = 3,
	/* 4: the table-252 `normal` rule of earlier versions */
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
	/*
	 * nexthop=MAC (needs local_ip): every VTEP is reached through this
	 * MAC, without the kernel resolver (an uplink with no kernel interface).
	 */
	bool has_nexthop;
	uint8_t nexthop[6];
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

static inline void vsw_trunk_set(struct vsw_port_tenant *t, uint16_t vlan)
{
	if (vlan < 4096)
		t->trunks[vlan / 8] |= (uint8_t)(1u << (vlan % 8));
}

/* Text sizes, with the NUL. */
#define VSW_IPV4_TEXT_MAX 16 /* "255.255.255.255" */
#define VSW_IP_TEXT_MAX 46 /* INET6_ADDRSTRLEN */
#define VSW_MAC_TEXT_MAX 18 /* "02:00:00:00:00:01" */
/* The longest trunk list text: every other VLAN, "1,3,5,...,4093". */
#define VSW_TRUNKS_TEXT_MAX 10240
#define VSW_IPS_TEXT_MAX (VSW_PORT_IPS_MAX * VSW_IP_TEXT_MAX)

/*
 * Text forms (tenant_text.c): what set-port, set-uplink and add-vtep accept
 * and what the store and list-tenants hold. Parsers return 0 or -EINVAL;
 * those with `err` write one line naming the bad part. Formatters return
 * the length written or -ENOSPC.
 */

/* "10,20-30" (ascending or not, no blanks) -> bits; VLANs 1..4094; "" is an error. */
int vsw_trunks_parse(const char *s, uint8_t trunks[4096 / 8], char *err, size_t errlen);
/* Canonical: ascending, runs of 3 or more as ranges ("10,20-30"); "" for none. */
int vsw_trunks_format(const uint8_t trunks[4096 / 8], char *buf, size_t len);
/* Unicast or multicast; "02:00:00:00:00:01" (hex digits, either case). */
int vsw_mac_parse(const char *s, uint8_t mac[6]);
void vsw_mac_format(const uint8_t mac[6], char buf[VSW_MAC_TEXT_MAX]);
/* Dotted quad -> network order. */
int vsw_ipv4_parse(const char *s, uint32_t *ip);
void vsw_ipv4_format(uint32_t ip, char buf[VSW_IPV4_TEXT_MAX]);
/* A unicast host address: not 0.0.0.0, 255.255.255.255, multicast or class E. */
bool vsw_ipv4_unicast(uint32_t ip);
/* IPv4 or IPv6. */
int vsw_ip_parse(const char *s, struct vsw_ip *ip);
int vsw_ip_format(const struct vsw_ip *ip, char *buf, size_t len);
/* "IP,IP,..." (1..VSW_PORT_IPS_MAX, each once) -> ips, *n. */
int vsw_ips_parse(const char *s, struct vsw_ip ips[VSW_PORT_IPS_MAX], uint8_t *n, char *err,
		  size_t errlen);
int vsw_ips_format(const struct vsw_ip *ips, size_t n, char *buf, size_t len);

#endif
