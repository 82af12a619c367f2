/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's VXLAN commands (ctl.h, PROTOCOL.md): port-add of a vxlan
 * port, and vtep-set, vtep-del, vtep-list over the VTEP table (vtep.h).
 * Main lcore only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#include <rte_log.h>

#include "ctl.h"
#include "proto.h"
#include "vtep.h"
#include "vxlan.h"

/* A unicast IPv4 address (not 0/8, loopback, multicast or class E), network order. */
static bool unicast_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;
	uint32_t h;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return false;
	h = ntohl(a.s_addr);
	if (h >> 24 == 0 || h >> 24 == 127 || h >> 28 >= 14)
		return false;
	*ip = a.s_addr;
	return true;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* xx:xx:xx:xx:xx:xx (two hex digits each), unicast and not all zeros. */
static bool unicast_mac(const char *s, uint8_t mac[6])
{
	if (!s || strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hex(s[3 * i]), lo = hex(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return !(mac[0] & 1) && (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

static const char *ip_str(uint32_t ip, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { .s_addr = ip };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static json_t *mac_json(const uint8_t *mac)
{
	char s[18];

	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return json_string(s);
}

/* --- the vxlan port ------------------------------------------------------ */

json_t *vsw_ctl_vxlan_port_add(struct vsw_dp *dp, json_t *req, const char *name, uint32_t no,
			       uint8_t table, uint16_t mtu)
{
	struct vsw_portset *cur = atomic_load(&dp->ports), *next;
	const char *uname = json_string_value(json_object_get(req, "underlay"));
	const char *lip = json_string_value(json_object_get(req, "local_ip"));
	json_t *jmac = json_object_get(req, "mac");
	struct vsw_port *underlay, *port;
	uint8_t mac[6];
	uint32_t ip;
	int slot;

	if (vsw_portset_by_name(cur, name))
		return vsw_proto_error("port-add: port '%s' exists", name);
	if (vsw_portset_by_no(cur, no))
		return vsw_proto_error("port-add: port number %u is taken", no);
	if (!uname || !(underlay = vsw_portset_by_name(cur, uname)))
		return vsw_proto_error("port-add: vxlan: \"underlay\" must name a port ('%s' is none)",
				       uname ? uname : "");
	if (underlay->underlay)
		return vsw_proto_error("port-add: vxlan: '%s' is a vxlan port, not an underlay",
				       uname);
	if (cur->vxlan)
		return vsw_proto_error("port-add: vxlan: there is a vxlan port already ('%s')",
				       cur->vxlan->name);
	if (!unicast_ip(lip, &ip))
		return vsw_proto_error("port-add: vxlan: \"local_ip\" must be a unicast IPv4 "
				       "address, not '%s'", lip ? lip : "");
	if (jmac && !json_is_null(jmac) && !unicast_mac(json_string_value(jmac), mac))
		return vsw_proto_error("port-add: vxlan: \"mac\" must be a unicast MAC address "
				       "(xx:xx:xx:xx:xx:xx)");
	slot = vsw_portset_free_slot(cur);
	if (slot < 0)
		return vsw_proto_error("port-add: too many ports (%d)", VSW_MAX_PORTS);

	struct vsw_port_conf conf = {
		.name = name, .port_no = no, .slot = (uint16_t)slot, .qs = dp->qs,
	};
	char err[128];

	port = vsw_port_create(&vsw_port_vxlan_ops, &conf, err, sizeof(err));
	if (!port)
		return vsw_proto_error("port-add: %s", err);
	atomic_store(&port->table, table);
	atomic_store(&port->mtu, mtu);
	vsw_vxlan_port_setup(port, underlay, ip, jmac && !json_is_null(jmac) ? mac : NULL);
	next = vsw_portset_with(cur, port);
	if (!next) {
		vsw_port_destroy(port);
		return vsw_proto_error("port-add: %s", strerror(errno));
	}
	vsw_dp_publish_ports(dp, next);
	VSW_LOG(port, INFO, "added port %s (%u) vxlan over %s, local_ip %s", name,
		no, uname, lip);
	return vsw_proto_ok();
}

void vsw_ctl_vxlan_port_json(const struct vsw_port *x, json_t *obj)
{
	const struct vsw_vxlan_local *local = vsw_vxlan_local_of(x);
	char ip[INET_ADDRSTRLEN];

	json_object_del(obj, "mode");
	json_object_del(obj, "path");
	json_object_set_new(obj, "underlay", json_string(x->underlay->name));
	json_object_set_new(obj, "local_ip", json_string(ip_str(local->ip, ip)));
	json_object_set_new(obj, "mac", mac_json(local->mac));
}

/* --- the VTEP table ------------------------------------------------------ */

static void publish(struct vsw_dp *dp, struct vsw_vteps *t, struct vsw_vtep_stats *gone)
{
	struct vsw_vteps *old = atomic_exchange_explicit(&dp->vteps, t, memory_order_acq_rel);

	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	vsw_vteps_free(old, false);
	free(gone);
}

static json_t *cmd_vtep_set(struct vsw_dp *dp, json_t *req)
{
	const char *s = json_string_value(json_object_get(req, "ip"));
	json_t *jmac = json_object_get(req, "mac");
	const struct vsw_vteps *cur = atomic_load(&dp->vteps);
	const struct vsw_vtep *e;
	struct vsw_vteps *next;
	uint8_t mac[6];
	uint32_t ip;

	if (!unicast_ip(s, &ip))
		return vsw_proto_error("vtep-set: \"ip\" must be a unicast IPv4 address, not '%s'",
				       s ? s : "");
	if (jmac && !json_is_null(jmac) && !unicast_mac(json_string_value(jmac), mac))
		return vsw_proto_error("vtep-set: \"mac\" must be a unicast MAC address "
				       "(xx:xx:xx:xx:xx:xx) or null");
	jmac = jmac && !json_is_null(jmac) ? jmac : NULL;
	e = vsw_vteps_find(cur, ip);
	if (e && e->resolved == (jmac != NULL) && (!jmac || !memcmp(e->mac, mac, 6)))
		return vsw_proto_ok(); /* as it is */
	next = vsw_vteps_with(cur, ip, jmac ? mac : NULL);
	if (!next)
		return errno == ENOSPC ?
			vsw_proto_error("vtep-set: too many VTEPs (%d)", VSW_MAX_VTEPS) :
			vsw_proto_error("vtep-set: %s", strerror(errno));
	publish(dp, next, NULL);
	return vsw_proto_ok();
}

static json_t *cmd_vtep_del(struct vsw_dp *dp, json_t *req)
{
	const char *s = json_string_value(json_object_get(req, "ip"));
	struct vsw_vtep_stats *gone = NULL;
	struct vsw_vteps *next;
	uint32_t ip;

	if (!unicast_ip(s, &ip))
		return vsw_proto_error("vtep-del: \"ip\" must be a unicast IPv4 address, not '%s'",
				       s ? s : "");
	next = vsw_vteps_without(atomic_load(&dp->vteps), ip, &gone);
	if (!next)
		return errno == ENOENT ? vsw_proto_error("vtep-del: no VTEP %s", s) :
					 vsw_proto_error("vtep-del: %s", strerror(errno));
	publish(dp, next, gone);
	return vsw_proto_ok();
}

static json_t *cmd_vtep_list(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_vteps *t = atomic_load(&dp->vteps);
	json_t *list = json_array();
	char ip[INET_ADDRSTRLEN];

	(void)req;
	for (uint32_t i = 0; t && i < t->n; i++) {
		const struct vsw_vtep *e = &t->v[i];

		json_array_append_new(
			list,
			json_pack("{s:s,s:o,s:I,s:I,s:I}", "ip", ip_str(e->ip, ip), "mac",
				  e->resolved ? mac_json(e->mac) : json_null(), "tx_packets",
				  (json_int_t)atomic_load(&e->stats->tx_packets), "tx_bytes",
				  (json_int_t)atomic_load(&e->stats->tx_bytes), "drops",
				  (json_int_t)atomic_load(&e->stats->drops)));
	}
	return json_pack("{s:b,s:o}", "ok", 1, "vteps", list);
}

const struct vsw_ctl_cmd vsw_ctl_vtep_cmds[] = {
	{ "vtep-set", cmd_vtep_set, false },
	{ "vtep-del", cmd_vtep_del, false },
	{ "vtep-list", cmd_vtep_list, true },
	{ NULL, NULL, false },
};
