/* SPDX-License-Identifier: BSD-3-Clause */
/* The rules of tables 250..252 (compile.h has the list and the priorities). */
#include "compile_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"

enum {
	PRIO_DOUBLE_TAG = 300,
	PRIO_SPOOF_L3 = 220,
	PRIO_SPOOF_ND = 210,
	PRIO_ADMIT = 200,
	PRIO_VTEP_UNKNOWN = 100,
	PRIO_CATCH_ALL = 1,
	PRIO_DEFAULT = 0,
};

#define ERRLEN 256

/* A rule the compiler writes itself must parse: if not, say so (a bug). */
#define EMIT(cx, r, actions, ...)                                                         \
	do {                                                                               \
		char err_[ERRLEN];                                                         \
		if (ct_emit(cx, r, actions, err_, sizeof(err_), __VA_ARGS__) == -EINVAL)   \
			ct_warn(cx, "internal: a compiled rule does not parse: %s", err_); \
	} while (0)

/*
 * What an admitted frame does: enter its domain (metadata), then the
 * tenant's ACLs (table 251) when it has any, else `normal` at once. A
 * tenant without ACLs has no stage that could do anything but pass the
 * frame on, and every table walked costs a lookup per frame.
 */
static const char *admit_actions(char *buf, size_t len, const struct ct_tenant *t, bool strip,
				 uint32_t domain)
{
	char next[32];

	if (t->n_acls)
		snprintf(next, sizeof(next), "goto_table:%u", VSW_TABLE_TENANT_ACL);
	else
		snprintf(next, sizeof(next), "normal");
	snprintf(buf, len, "%sset_field:0x%x->metadata,%s", strip ? "strip_vlan," : "", domain,
		 next);
	return buf;
}

static struct ct_rule rule(uint32_t tenant, enum vsw_cookie_kind kind, uint16_t priority)
{
	return (struct ct_rule){ .tenant = tenant, .kind = (uint8_t)kind,
				 .table = VSW_TABLE_TENANT_INGRESS, .priority = priority };
}

/* ---- tenant ports ---- */

/*
 * One admission of port p: frames matching `vlan` (the tag part of the
 * match) enter domain `domain`, restricted by the port's MAC and IPs.
 */
static void admit_port(struct ct *cx, const struct ct_tenant *t, const struct vsw_intent_port *p,
		       const char *vlan, bool strip, uint32_t domain)
{
	const struct vsw_port_tenant *a = p->att;
	bool spoof = a->has_mac || a->n_ips, v6 = false;
	struct ct_rule r = rule(t->id, spoof ? VSW_COOKIE_SPOOF : VSW_COOKIE_INGRESS, PRIO_ADMIT);
	char acts[128], mac[32] = "", ip[INET6_ADDRSTRLEN];

	r.domain = domain;
	admit_actions(acts, sizeof(acts), t, strip, domain);
	if (a->has_mac)
		snprintf(mac, sizeof(mac), ",dl_src=%02x:%02x:%02x:%02x:%02x:%02x", a->mac[0],
			 a->mac[1], a->mac[2], a->mac[3], a->mac[4], a->mac[5]);
	if (!a->n_ips) {
		EMIT(cx, &r, acts, "in_port=%u,%s%s", p->port_no, vlan, mac);
		return;
	}
	r.priority = PRIO_SPOOF_L3;
	for (size_t i = 0; i < a->n_ips && i < VSW_PORT_IPS_MAX; i++) {
		const struct vsw_ip *x = &a->ips[i];

		if (x->af == AF_INET) {
			inet_ntop(AF_INET, x->addr, ip, sizeof(ip));
			EMIT(cx, &r, acts, "in_port=%u,%s%s,arp,arp_spa=%s", p->port_no, vlan, mac,
			     ip);
			EMIT(cx, &r, acts, "in_port=%u,%s%s,ip,nw_src=%s", p->port_no, vlan, mac,
			     ip);
		} else if (x->af == AF_INET6) {
			inet_ntop(AF_INET6, x->addr, ip, sizeof(ip));
			EMIT(cx, &r, acts, "in_port=%u,%s%s,ipv6,ipv6_src=%s", p->port_no, vlan, mac,
			     ip);
			v6 = true;
		}
	}
	if (!v6)
		return;
	r.priority = PRIO_SPOOF_ND;
	static const unsigned nd[] = { 133, 135, 136 };

	for (size_t i = 0; i < sizeof(nd) / sizeof(nd[0]); i++)
		EMIT(cx, &r, acts, "in_port=%u,%s%s,icmp6,icmp_type=%u", p->port_no, vlan, mac,
		     nd[i]);
}

static void double_tag_drops(struct ct *cx, const struct ct_rule *r, const char *prefix)
{
	EMIT(cx, r, "drop", "%s,dl_type=0x8100", prefix);
	EMIT(cx, r, "drop", "%s,dl_type=0x88a8", prefix);
}

static void port_rules(struct ct *cx, const struct ct_tenant *t, const struct vsw_intent_port *p)
{
	const struct vsw_port_tenant *a = p->att;
	enum vsw_cookie_kind kind = a->has_mac || a->n_ips ? VSW_COOKIE_SPOOF : VSW_COOKIE_INGRESS;
	struct ct_rule r;
	char prefix[32], vlan[32];

	if (a->mode != VSW_VLAN_TRUNK) {
		admit_port(cx, t, p, "vlan_tci=0", false, vsw_domain_id(t->id, 0));
	} else {
		r = rule(t->id, VSW_COOKIE_INGRESS, PRIO_DOUBLE_TAG);
		snprintf(prefix, sizeof(prefix), "in_port=%u", p->port_no);
		double_tag_drops(cx, &r, prefix);
		for (unsigned v = 1; v < 4095; v++) {
			if (!vsw_trunk_has(a, (uint16_t)v))
				continue;
			snprintf(vlan, sizeof(vlan), "dl_vlan=%u", v);
			admit_port(cx, t, p, vlan, true,
				   vsw_domain_id(t->id, v == t->vlan ? 0 : (uint16_t)v));
		}
	}
	r = rule(t->id, kind, PRIO_CATCH_ALL);
	EMIT(cx, &r, "drop", "in_port=%u", p->port_no);
}

void ct_rules_ports(struct ct *cx)
{
	const struct vsw_intent *in = cx->in;

	for (size_t i = 0; i < in->n_ports; i++) {
		const struct vsw_intent_port *p = &in->ports[i];
		const struct ct_tenant *t;

		if (!p->att || !p->att->tenant[0] || (cx->uplink && p->port_no == cx->uplink))
			continue;
		t = ct_tenant_by_name(cx, p->att->tenant);
		if (!t) {
			struct ct_rule r = rule(0, VSW_COOKIE_INGRESS, PRIO_CATCH_ALL);

			ct_warn(cx, "port '%s' is attached to unknown tenant '%.15s': it drops "
				"everything", p->name, p->att->tenant);
			EMIT(cx, &r, "drop", "in_port=%u", p->port_no);
			continue;
		}
		port_rules(cx, t, p);
	}
}

/* ---- the uplink ---- */

static void uplink_vlan(struct ct *cx, const struct ct_tenant *t, unsigned tag, uint32_t domain)
{
	struct ct_rule r = rule(t->id, VSW_COOKIE_INGRESS, PRIO_DOUBLE_TAG);
	char prefix[64], acts[128];

	snprintf(prefix, sizeof(prefix), "in_port=%u,dl_vlan=%u", cx->uplink, tag);
	double_tag_drops(cx, &r, prefix);
	r.priority = PRIO_ADMIT;
	r.domain = domain;
	EMIT(cx, &r, admit_actions(acts, sizeof(acts), t, true, domain), "%s", prefix);
}

void ct_rules_uplink(struct ct *cx)
{
	struct ct_rule r = rule(0, VSW_COOKIE_INGRESS, PRIO_CATCH_ALL);

	if (!cx->uplink)
		return;
	for (size_t i = 0; i < cx->n_t; i++) {
		const struct ct_tenant *t = &cx->t[i];

		if (t->uplink_native)
			uplink_vlan(cx, t, t->vlan, vsw_domain_id(t->id, 0));
		for (unsigned v = 1; v < 4095; v++)
			if (ct_bit(t->up_segs, v))
				uplink_vlan(cx, t, v, vsw_domain_id(t->id, (uint16_t)v));
	}
	EMIT(cx, &r, "drop", "in_port=%u", cx->uplink);
}

/* ---- the VXLAN port ---- */

static void vxlan_tenant(struct ct *cx, const struct ct_tenant *t)
{
	struct ct_rule r = rule(t->id, VSW_COOKIE_VXLAN, PRIO_DOUBLE_TAG);
	uint32_t vni = t->cfg->vni;
	char prefix[64], acts[128], ip[16];

	snprintf(prefix, sizeof(prefix), "in_port=%u,tun_id=%u", cx->vxlan, vni);
	double_tag_drops(cx, &r, prefix);
	r.priority = PRIO_ADMIT;
	for (size_t i = 0; i < t->n_vteps; i++) {
		ct_ip4(t->vteps[i], ip);
		r.domain = vsw_domain_id(t->id, 0);
		EMIT(cx, &r, admit_actions(acts, sizeof(acts), t, false, r.domain),
		     "%s,tun_src=%s,vlan_tci=0", prefix, ip);
		for (unsigned v = 1; v < 4095; v++) {
			if (!ct_bit(t->segs, v))
				continue;
			r.domain = vsw_domain_id(t->id, (uint16_t)v);
			EMIT(cx, &r, admit_actions(acts, sizeof(acts), t, true, r.domain),
			     "%s,tun_src=%s,dl_vlan=%u", prefix, ip, v);
		}
	}
	r.priority = PRIO_VTEP_UNKNOWN;
	r.domain = 0;
	EMIT(cx, &r, "drop", "%s", prefix);
}

void ct_rules_vxlan(struct ct *cx)
{
	struct ct_rule r = rule(0, VSW_COOKIE_VXLAN, PRIO_CATCH_ALL);

	if (!cx->vxlan)
		return;
	for (size_t i = 0; i < cx->n_t; i++)
		if (cx->t[i].vxlan)
			vxlan_tenant(cx, &cx->t[i]);
	EMIT(cx, &r, "drop", "in_port=%u", cx->vxlan);
}

/* ---- tables 251 and 252 ---- */

/* An ACL's match in canonical text, or -EINVAL with the reason in err. */
static int acl_match(const struct vsw_acl_cfg *acl, char *buf, size_t len, char *err,
		     size_t errlen)
{
	struct vsw_flow_spec spec;

	if (vsw_flow_parse(acl->match, VSW_PARSE_FILTER, NULL, &spec, err, errlen))
		return -EINVAL;
	if (spec.given & (VSW_SPEC_TABLE | VSW_SPEC_PRIORITY | VSW_SPEC_COOKIE) ||
	    spec.idle_timeout || spec.hard_timeout) {
		snprintf(err, errlen, "only match fields are allowed");
		return -EINVAL;
	}
	if (spec.match.mask.metadata) {
		snprintf(err, errlen, "metadata is the tenant's own");
		return -EINVAL;
	}
	if (vsw_flow_format_match(&spec.match, VSW_FT_DEFAULT_PRIORITY, NULL, buf, len) < 0) {
		snprintf(err, errlen, "too long");
		return -EINVAL;
	}
	return 0;
}

static void tenant_tables(struct ct *cx, const struct ct_tenant *t)
{
	struct ct_rule r = { .tenant = t->id, .kind = VSW_COOKIE_ACL,
			     .table = VSW_TABLE_TENANT_ACL, .priority = PRIO_DEFAULT };
	char md[64], match[VSW_ACL_MATCH_MAX * 2], err[ERRLEN];
	const char *allow = "normal";
	bool bad = false;

	if (!t->n_acls)
		return; /* admitted frames go to `normal` from table 250 (admit_actions()) */
	snprintf(md, sizeof(md), "metadata=0x%x/0x%llx", t->id << 12,
		 (unsigned long long)VSW_TENANT_METADATA_MASK);
	for (size_t i = 0; i < t->n_acls && !bad; i++) {
		const struct vsw_acl_cfg *acl = &cx->in->acls[t->acls[i]];

		if (acl_match(acl, match, sizeof(match), err, sizeof(err))) {
			ct_warn(cx, "tenant '%s': ACL %u '%.64s' does not compile (%s): the "
				"tenant's traffic is dropped", t->cfg->name, acl->id, acl->match, err);
			bad = true;
		}
	}
	for (size_t i = 0; i < t->n_acls && !bad; i++) {
		const struct vsw_acl_cfg *acl = &cx->in->acls[t->acls[i]];
		struct ct_rule a = r;


		acl_match(acl, match, sizeof(match), err, sizeof(err));
		a.priority = acl->priority;
		a.acl_id = acl->id;
		if (ct_emit(cx, &a, acl->allow ? allow : "drop", err, sizeof(err), "%s%s%s", md,
			    match[0] ? "," : "", match) == -EINVAL) {
			ct_warn(cx, "tenant '%s': ACL %u: %s: the tenant's traffic is dropped",
				t->cfg->name, acl->id, err);
			bad = true;
		}
	}
	EMIT(cx, &r, bad ? "drop" : allow, "%s", md);
}

void ct_rules_tenants(struct ct *cx)
{
	for (size_t i = 0; i < cx->n_t; i++)
		tenant_tables(cx, &cx->t[i]);
}
