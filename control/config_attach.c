/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant model: ports' attachments (set-port), the uplink, and the
 * rules that keep user flows and the tenant pipeline apart. See config.h
 * and TENANTS.md.
 */
#include "config.h"
#include "errtext.h"
#include "intent.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- ports' attachments ---- */

static bool ip_unicast(const struct vsw_ip *ip)
{
	static const uint8_t zero[16];
	uint32_t v4;

	if (ip->af == AF_INET) {
		memcpy(&v4, ip->addr, 4);
		return vsw_ipv4_unicast(v4);
	}
	return memcmp(ip->addr, zero, 16) != 0 && ip->addr[0] != 0xff;
}

int vsw_port_tenant_parse(const char *tenant, const char *mode, const char *trunks,
			  const char *mac, const char *ips, struct vsw_port_tenant *att,
			  char *err, size_t errlen)
{
	struct vsw_port_tenant a;
	char text[VSW_IP_TEXT_MAX];
	int rc;

	memset(&a, 0, sizeof(a));
	if (!tenant)
		return vsw_fail(err, errlen, "tenant: missing (a tenant name, or none)");
	if (strcmp(tenant, "none") == 0) {
		if (mode || trunks || mac || ips)
			return vsw_fail(err, errlen, "tenant=none takes no mode, trunks, mac or ips");
		*att = a;
		return 0;
	}
	rc = vsw_tenant_name_check(tenant, err, errlen);
	if (rc)
		return rc;
	snprintf(a.tenant, sizeof(a.tenant), "%s", tenant);
	if (mode && strcmp(mode, "trunk") == 0)
		a.mode = VSW_VLAN_TRUNK;
	else if (mode && strcmp(mode, "access") != 0)
		return vsw_fail(err, errlen, "mode '%.32s' is not access or trunk", mode);
	if (trunks && a.mode != VSW_VLAN_TRUNK)
		return vsw_fail(err, errlen, "trunks= needs mode=trunk");
	if (!trunks && a.mode == VSW_VLAN_TRUNK)
		return vsw_fail(err, errlen,
				"mode=trunk needs trunks= (the VLANs the port carries, such as 10,20-30)");
	if (trunks) {
		rc = vsw_trunks_parse(trunks, a.trunks, err, errlen);
		if (rc)
			return rc;
	}
	if (mac) {
		if (vsw_mac_parse(mac, a.mac))
			return vsw_fail(err, errlen, "mac '%.64s' is not a MAC address", mac);
		static const uint8_t zero[6];
		if ((a.mac[0] & 1) || memcmp(a.mac, zero, 6) == 0)
			return vsw_fail(err, errlen, "mac %s is not a unicast address", mac);
		a.has_mac = true;
	}
	if (ips) {
		rc = vsw_ips_parse(ips, a.ips, &a.n_ips, err, errlen);
		if (rc)
			return rc;
		for (size_t i = 0; i < a.n_ips; i++) {
			if (ip_unicast(&a.ips[i]))
				continue;
			vsw_ip_format(&a.ips[i], text, sizeof(text));
			return vsw_fail(err, errlen, "ips: %s is not a unicast address", text);
		}
	}
	*att = a;
	return 0;
}

/* The attachment `att` for port `p`, against the tenants and other ports (not flows). */
static int check_attachment(const struct vsw_config *cfg, const struct vsw_port_cfg *p,
			    const struct vsw_port_tenant *att, char *err, size_t errlen)
{
	const struct vsw_tenant_cfg *t;
	uint16_t *owner;
	int rc = 0;

	if (!att->tenant[0])
		return 0;
	t = vsw_config_find_tenant(cfg, att->tenant);
	if (!t)
		return vsw_fail(err, errlen, "no tenant '%s'", att->tenant);
	if (att->mode != VSW_VLAN_TRUNK)
		return 0;
	owner = malloc(4096 * sizeof(*owner));
	if (!owner)
		return vsw_fail(err, errlen, "out of memory");
	vsw_config_vlan_owners(cfg, p, owner);
	for (unsigned v = 1; v < 4095 && !rc; v++) {
		const struct vsw_tenant_cfg *o = owner[v] ? &cfg->tenants[owner[v] - 1] : NULL;

		if (vsw_trunk_has(att, (uint16_t)v) && o && o != t)
			rc = vsw_fail(err, errlen, "vlan %u is used by tenant '%s'", v, o->name);
	}
	free(owner);
	return rc;
}

/*
 * The first user flow that outputs to `port_no`, printed with port names
 * into buf. 0: none; 1: found; -ENOMEM.
 */
static int flow_to_port(const struct vsw_config *cfg, uint32_t port_no, char *buf, size_t len)
{
	struct vsw_port_names names;
	struct vsw_flow_spec *spec;
	char needle[24];
	int n = snprintf(needle, sizeof(needle), "output:%" PRIu32, port_no), found = 0;

	spec = malloc(sizeof(*spec));
	if (!spec)
		return -ENOMEM;
	vsw_config_names(cfg, VSW_NAMES_EVER, &names);
	for (size_t i = 0; i < cfg->n_flows && !found; i++) {
		const char *p = strstr(cfg->flows[i].text, "actions=");

		/* Canonical text names ports by number: look before parsing. */
		while (p && (p = strstr(p, needle)) && p[n] >= '0' && p[n] <= '9')
			p += n;
		if (!p || vsw_flow_parse(cfg->flows[i].text, VSW_PARSE_ADD, NULL, spec, NULL, 0))
			continue;
		for (size_t a = 0; a < spec->actions.n && !found; a++)
			found = spec->actions.a[a].type == VSW_ACT_OUTPUT &&
				spec->actions.a[a].arg == port_no;
		if (found && vsw_flow_format(spec, &names, buf, len) < 0)
			snprintf(buf, len, "%s", cfg->flows[i].text);
	}
	free(spec);
	return found;
}

/* Refuse when user flows send to the port that is about to join the tenant pipeline. */
static int check_no_flows_to(const struct vsw_config *cfg, const struct vsw_port_cfg *p,
			     const char *becoming, char *err, size_t errlen)
{
	char flow[VSW_FLOW_TEXT_MAX];
	int rc = flow_to_port(cfg, p->port_no, flow, sizeof(flow));

	if (rc < 0)
		return vsw_fail(err, errlen, "out of memory");
	if (rc)
		return vsw_fail(err, errlen,
				"port '%s' receives traffic from user flows (%.200s); delete them before it %s",
				p->name, flow, becoming);
	return 0;
}

int vsw_config_set_port(struct vsw_config *cfg, const char *name,
			const struct vsw_port_tenant *att, char *err, size_t errlen)
{
	struct vsw_port_cfg *p = vsw_config_find_port(cfg, name);
	int rc;

	if (!p)
		return vsw_fail(err, errlen, "no port '%.64s'", name);
	if (vsw_config_is_uplink(cfg, name))
		return vsw_fail(err, errlen, "port '%s' is the uplink; it carries every tenant and joins none",
				name);
	if (p->tenant.tenant[0] && att->tenant[0] && strcmp(p->tenant.tenant, att->tenant) != 0)
		return vsw_fail(err, errlen, "port '%s' is in tenant '%s'; set tenant=none first", name,
				p->tenant.tenant);
	rc = check_attachment(cfg, p, att, err, errlen);
	if (!rc && att->tenant[0])
		rc = check_no_flows_to(cfg, p, "joins a tenant", err, errlen);
	if (rc)
		return rc;
	p->tenant = *att;
	return 0;
}

int vsw_config_load_attachment(const struct vsw_config *cfg, const struct vsw_port_cfg *port,
			       char *err, size_t errlen)
{
	return check_attachment(cfg, port, &port->tenant, err, errlen);
}

int vsw_config_del_port_check(const struct vsw_config *cfg, const char *name, char *err,
			      size_t errlen)
{
	const struct vsw_port_cfg *p = vsw_config_find_port(cfg, name);

	if (!p)
		return vsw_fail(err, errlen, "no port '%.64s'", name);
	if (p->tenant.tenant[0])
		return vsw_fail(err, errlen,
				"port '%s' belongs to tenant '%s'; detach it first (set-port %s tenant=none)",
				name, p->tenant.tenant, name);
	if (vsw_config_is_uplink(cfg, name))
		return vsw_fail(err, errlen, "port '%s' is the uplink; set-uplink none first", name);
	return 0;
}

/* ---- the uplink ---- */

static int parse_local_ip(const char *s, uint32_t *ip, char *err, size_t errlen)
{
	if (vsw_ipv4_parse(s, ip))
		return vsw_fail(err, errlen, "local_ip '%.64s' is not an IPv4 address", s);
	if (!vsw_ipv4_unicast(*ip))
		return vsw_fail(err, errlen, "local_ip %s is not a unicast address", s);
	return 0;
}

/* nexthop=MAC: a unicast MAC, and only with a local_ip (it is the VXLAN underlay's). */
static int parse_nexthop(const char *s, struct vsw_uplink_cfg *u, char *err, size_t errlen)
{
	if (vsw_mac_parse(s, u->nexthop))
		return vsw_fail(err, errlen, "nexthop '%.64s' is not a MAC address (02:00:00:00:00:01)",
				s);
	if (u->nexthop[0] & 1 || !memcmp(u->nexthop, "\0\0\0\0\0\0", 6))
		return vsw_fail(err, errlen, "nexthop %s is not a unicast MAC address", s);
	if (!u->has_local_ip)
		return vsw_fail(err, errlen,
				"nexthop needs local_ip: it is the next hop of the VXLAN underlay");
	u->has_nexthop = true;
	return 0;
}

/* local_ip and nexthop (each NULL when absent) into `u`. */
static int parse_uplink(const char *local_ip, const char *nexthop, struct vsw_uplink_cfg *u,
			char *err, size_t errlen)
{
	int rc;

	if (local_ip) {
		rc = parse_local_ip(local_ip, &u->local_ip, err, errlen);
		if (rc)
			return rc;
		u->has_local_ip = true;
	}
	return nexthop ? parse_nexthop(nexthop, u, err, errlen) : 0;
}

int vsw_config_set_uplink(struct vsw_config *cfg, const char *port, const char *local_ip,
			  const char *nexthop, char *err, size_t errlen)
{
	struct vsw_uplink_cfg u;
	const struct vsw_port_cfg *p;
	int rc;

	memset(&u, 0, sizeof(u));
	if (!port || strcmp(port, "none") == 0) {
		if (local_ip || nexthop)
			return vsw_fail(err, errlen, "set-uplink none takes no local_ip or nexthop");
		cfg->uplink = u;
		return 0;
	}
	p = vsw_config_find_port(cfg, port);
	if (!p)
		return vsw_fail(err, errlen, "no port '%.64s'", port);
	if (p->tenant.tenant[0])
		return vsw_fail(err, errlen,
				"port '%s' belongs to tenant '%s'; the uplink carries every tenant and joins none",
				port, p->tenant.tenant);
	rc = parse_uplink(local_ip, nexthop, &u, err, errlen);
	if (rc)
		return rc;
	if (!vsw_config_is_uplink(cfg, port)) {
		rc = check_no_flows_to(cfg, p, "becomes the uplink", err, errlen);
		if (rc)
			return rc;
	}
	snprintf(u.port, sizeof(u.port), "%s", port);
	cfg->uplink = u;
	return 0;
}

int vsw_config_load_uplink(struct vsw_config *cfg, const char *port, const char *local_ip,
			   const char *nexthop, char *err, size_t errlen)
{
	const struct vsw_port_cfg *p = vsw_config_find_port(cfg, port);
	struct vsw_uplink_cfg u;
	int rc;

	memset(&u, 0, sizeof(u));
	if (!p)
		return vsw_fail(err, errlen, "no port '%.64s'", port);
	if (p->tenant.tenant[0])
		return vsw_fail(err, errlen, "port '%s' is also in tenant '%s'", port, p->tenant.tenant);
	rc = parse_uplink(local_ip, nexthop, &u, err, errlen);
	if (rc)
		return rc;
	snprintf(u.port, sizeof(u.port), "%s", port);
	cfg->uplink = u;
	return 0;
}

/* ---- user flows ---- */

int vsw_config_flow_ports_check(const struct vsw_config *cfg, const struct vsw_flow_spec *spec,
				char *err, size_t errlen)
{
	uint32_t vxlan = vsw_intent_vxlan_port_no(cfg);

	for (size_t i = 0; i < spec->actions.n; i++) {
		const struct vsw_action *a = &spec->actions.a[i];

		if (a->type != VSW_ACT_OUTPUT)
			continue;
		if (a->arg == vxlan) /* its tunnels carry tenants' VNIs */
			return vsw_fail(err, errlen,
					"port %" PRIu32 " is the VXLAN port (" VSW_VXLAN_PORT_NAME
					"); its traffic is programmed by the tenant pipeline",
					vxlan);
		for (size_t k = 0; k < cfg->n_ports; k++) {
			const struct vsw_port_cfg *p = &cfg->ports[k];

			if (p->port_no != a->arg)
				continue;
			if (p->tenant.tenant[0])
				return vsw_fail(err, errlen,
						"port '%s' belongs to tenant '%s'; its traffic is programmed by the tenant pipeline",
						p->name, p->tenant.tenant);
			if (vsw_config_is_uplink(cfg, p->name))
				return vsw_fail(err, errlen,
						"port '%s' is the uplink; its traffic is programmed by the tenant pipeline",
						p->name);
		}
	}
	return 0;
}
