/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's L2 domain and MAC commands (ctl.h, PROTOCOL.md): domain-set,
 * domain-del, domain-list, mac-list, mac-flush; and what port changes do to
 * domains. Main lcore only. A change is validated whole first, then
 * published once (domain.h); MACs that the change makes meaningless are
 * flushed after the grace period, when no PMD can learn them again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#include <rte_log.h>

#include "ctl.h"
#include "pmd.h"
#include "proto.h"

#define DEFAULT_MAC_LIMIT 1024
#define DEFAULT_AGING 300
#define MAX_AGING 1000000 /* seconds, as Open vSwitch's mac-aging-time */
#define MAX_VNI 16777215
#define MAX_VLAN 4094

/* --- arguments ------------------------------------------------------------ */

/*
 * The integer `key` of `obj` in lo..hi, or `def` when absent or null.
 * 0, or -1 with the message in err.
 */
static int int_arg(json_t *obj, const char *key, json_int_t lo, json_int_t hi, json_int_t def,
		   json_int_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v)) {
		if (def < 0) {
			snprintf(err, errlen, "missing \"%s\"", key);
			return -1;
		}
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(err, errlen, "\"%s\" must be %lld..%lld", key, (long long)lo, (long long)hi);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* An optional array argument: NULL (absent or null), the array, or -1 in *bad. */
static json_t *array_arg(json_t *obj, const char *key, bool *bad)
{
	json_t *v = json_object_get(obj, key);

	*bad = v && !json_is_null(v) && !json_is_array(v);
	return json_is_array(v) ? v : NULL;
}

static bool unicast_ipv4(const char *text, uint32_t *ip)
{
	struct in_addr a;
	uint32_t h;

	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	h = ntohl(a.s_addr);
	if (h == 0 || h >> 24 == 127 || h >> 28 >= 0xe) /* none, loopback, multicast, class E */
		return false;
	*ip = a.s_addr;
	return true;
}

static void ip_text(uint32_t ip, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { .s_addr = ip };

	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

struct domain_args {
	json_int_t id, mac_limit, aging, vni, limit_group;
	uint16_t n_members, n_vteps;
	struct vsw_domain_member members[VSW_DOMAIN_MAX_MEMBERS];
	struct vsw_domain_vtep vteps[VSW_DOMAIN_MAX_VTEPS];
};

static int parse_members(json_t *arr, struct domain_args *a, char *err, size_t errlen)
{
	json_t *m;
	size_t i;

	if (json_array_size(arr) > VSW_DOMAIN_MAX_MEMBERS) {
		snprintf(err, errlen, "more than %d members", VSW_DOMAIN_MAX_MEMBERS);
		return -1;
	}
	json_array_foreach(arr, i, m) {
		json_int_t port, vlan;
		char sub[128];

		if (!json_is_object(m)) {
			snprintf(err, errlen, "members[%zu]: not an object {port, vlan}", i);
			return -1;
		}
		if (int_arg(m, "port", 1, VSW_PORT_MAX, -1, &port, sub, sizeof(sub)) ||
		    int_arg(m, "vlan", 0, MAX_VLAN, 0, &vlan, sub, sizeof(sub))) {
			snprintf(err, errlen, "members[%zu]: %s", i, sub);
			return -1;
		}
		for (uint16_t j = 0; j < a->n_members; j++)
			if (a->members[j].port_no == port) {
				snprintf(err, errlen, "port %lld is a member twice", (long long)port);
				return -1;
			}
		a->members[a->n_members++] = (struct vsw_domain_member){
			.port_no = (uint32_t)port, .vlan = (uint16_t)vlan };
	}
	return 0;
}

static int parse_vteps(json_t *arr, struct domain_args *a, char *err, size_t errlen)
{
	json_t *v;
	size_t i;

	if (json_array_size(arr) > VSW_DOMAIN_MAX_VTEPS) {
		snprintf(err, errlen, "more than %d vteps", VSW_DOMAIN_MAX_VTEPS);
		return -1;
	}
	if (json_array_size(arr) && a->vni == 0) {
		snprintf(err, errlen, "\"vteps\" need a \"vni\"");
		return -1;
	}
	json_array_foreach(arr, i, v) {
		const char *text = json_string_value(json_object_get(v, "ip"));
		json_int_t vlan;
		uint32_t ip;
		char sub[128];

		if (!json_is_object(v)) {
			snprintf(err, errlen, "vteps[%zu]: not an object {ip, vlan}", i);
			return -1;
		}
		if (!unicast_ipv4(text, &ip)) {
			snprintf(err, errlen, "vteps[%zu]: \"ip\" must be a unicast IPv4 address", i);
			return -1;
		}
		if (int_arg(v, "vlan", 0, MAX_VLAN, 0, &vlan, sub, sizeof(sub))) {
			snprintf(err, errlen, "vteps[%zu]: %s", i, sub);
			return -1;
		}
		for (uint16_t j = 0; j < a->n_vteps; j++)
			if (a->vteps[j].ip == ip) {
				snprintf(err, errlen, "VTEP %s is listed twice", text);
				return -1;
			}
		a->vteps[a->n_vteps++] = (struct vsw_domain_vtep){ .ip = ip, .vlan = (uint16_t)vlan };
	}
	return 0;
}

static int parse_domain(json_t *req, struct domain_args *a, char *err, size_t errlen)
{
	json_t *members, *vteps;
	bool bad_m, bad_v;

	if (int_arg(req, "id", 1, VSW_DOMAIN_ID_MAX, -1, &a->id, err, errlen) ||
	    int_arg(req, "mac_limit", 0, VSW_MAC_CAPACITY, DEFAULT_MAC_LIMIT, &a->mac_limit, err,
		    errlen) ||
	    int_arg(req, "aging", 1, MAX_AGING, DEFAULT_AGING, &a->aging, err, errlen) ||
	    int_arg(req, "vni", 0, MAX_VNI, 0, &a->vni, err, errlen) ||
	    int_arg(req, "limit_group", 0, VSW_DOMAIN_ID_MAX, 0, &a->limit_group, err, errlen))
		return -1;
	members = array_arg(req, "members", &bad_m);
	vteps = array_arg(req, "vteps", &bad_v);
	if (bad_m || bad_v) {
		snprintf(err, errlen, "\"%s\" must be an array", bad_m ? "members" : "vteps");
		return -1;
	}
	a->n_members = a->n_vteps = 0;
	if ((members && parse_members(members, a, err, errlen)) ||
	    (vteps && parse_vteps(vteps, a, err, errlen)))
		return -1;
	return 0;
}

/* The domain named by the optional "domain" argument (*d NULL: all); -1 and err. */
static int domain_filter(struct vsw_dp *dp, json_t *req, const struct vsw_domain **d,
			 char *err, size_t errlen)
{
	json_int_t id;

	*d = NULL;
	if (int_arg(req, "domain", 1, VSW_DOMAIN_ID_MAX, 0, &id, err, errlen))
		return -1;
	if (id && !(*d = vsw_domset_find(atomic_load(&dp->domains), (uint64_t)id))) {
		snprintf(err, errlen, "no domain %lld", (long long)id);
		return -1;
	}
	return 0;
}

/* --- domain-set, domain-del ------------------------------------------------ */

/*
 * Every domain's MAC count goes to its limit_group's head, if that domain
 * exists (one level: the head's own limit_group is for it alone), else to
 * itself: after a domain-set (a head may have come, a group changed) and a
 * domain-del (the head's group counts alone again before its slot is freed).
 */
static void regroup(struct vsw_dp *dp, const struct vsw_domset *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct vsw_domain *d = s->list[i];
		const struct vsw_domain *h = d->limit_group && d->limit_group != d->id ?
						     vsw_domset_find(s, d->limit_group) : NULL;

		vsw_mac_slot_group(dp->macs, d->slot, h ? h->slot : 0);
	}
}

/* After a replace: MACs on ports (or behind VTEPs) that left the domain. */
static bool left_domain(const struct vsw_mac_entry *e, void *arg)
{
	const struct vsw_domain *d = arg;

	return e->val.vtep ? !vsw_domain_vtep(d, e->val.vtep) : !vsw_domain_member(d, e->val.port_no);
}

static json_t *cmd_domain_set(struct vsw_dp *dp, json_t *req)
{
	struct vsw_domset *cur = atomic_load(&dp->domains), *next;
	struct domain_args *a = malloc(sizeof(*a));
	struct vsw_domain *old, *d;
	char err[256];
	int slot;

	if (!a)
		return vsw_proto_error("domain-set: out of memory");
	if (parse_domain(req, a, err, sizeof(err))) {
		free(a);
		return vsw_proto_error("domain-set: %s", err);
	}
	old = (struct vsw_domain *)vsw_domset_find(cur, (uint64_t)a->id);
	slot = old ? old->slot : vsw_domset_free_slot(cur);
	if (slot < 0) {
		free(a);
		return vsw_proto_error("domain-set: too many domains (%d)", VSW_MAX_DOMAINS - 1);
	}
	d = vsw_domain_new((uint32_t)a->id, (uint16_t)slot, (uint32_t)a->mac_limit,
			   (uint32_t)a->aging, (uint32_t)a->vni, a->members, a->n_members,
			   a->vteps, a->n_vteps, atomic_load(&dp->ports));
	if (d)
		d->limit_group = (uint32_t)a->limit_group;
	free(a);
	next = d ? vsw_domset_with(cur, d) : NULL;
	if (!next) {
		vsw_domain_free(d);
		return vsw_proto_error("domain-set: out of memory");
	}
	/* A new domain's slot is unused: no PMD counts or learns in it. */
	if (old)
		vsw_mac_slot_config(dp->macs, d->slot, d->mac_limit, d->aging);
	else
		vsw_mac_slot_reset(dp->macs, d->slot, d->mac_limit, d->aging);
	vsw_dp_publish_domains(dp, next);
	regroup(dp, next);
	if (old) {
		vsw_mac_flush(dp->macs, d->slot, left_domain, d);
		vsw_domain_free(old);
	}
	return vsw_proto_ok();
}

static json_t *cmd_domain_del(struct vsw_dp *dp, json_t *req)
{
	struct vsw_domset *cur = atomic_load(&dp->domains), *next;
	struct vsw_domain *d;
	json_int_t id;
	char err[256];

	if (int_arg(req, "id", 1, VSW_DOMAIN_ID_MAX, -1, &id, err, sizeof(err)))
		return vsw_proto_error("domain-del: %s", err);
	d = (struct vsw_domain *)vsw_domset_find(cur, (uint64_t)id);
	if (!d)
		return vsw_proto_error("domain-del: no domain %lld", (long long)id);
	next = vsw_domset_without(cur, d->id);
	if (!next)
		return vsw_proto_error("domain-del: out of memory");
	vsw_dp_publish_domains(dp, next);
	/* No PMD sees the domain any more: its slot is free and clean. */
	regroup(dp, next);
	vsw_mac_slot_group(dp->macs, d->slot, 0);
	vsw_mac_flush(dp->macs, d->slot, NULL, NULL);
	vsw_pmd_domain_stats_clear(dp, d->slot);
	vsw_domain_free(d);
	return vsw_proto_ok();
}

/* --- listing --------------------------------------------------------------- */

static json_t *domain_json(struct vsw_dp *dp, const struct vsw_domain *d)
{
	json_t *members = json_array(), *vteps = json_array(), *o;
	struct vsw_mac_slot_stats st;
	uint64_t flooded, unicast;
	char ip[INET_ADDRSTRLEN];

	for (uint16_t i = 0; i < d->n_members; i++)
		json_array_append_new(members, json_pack("{s:I,s:i}", "port",
							 (json_int_t)d->members[i].port_no, "vlan",
							 (int)d->members[i].vlan));
	for (uint16_t i = 0; i < d->n_vteps; i++) {
		ip_text(d->vteps[i].ip, ip);
		json_array_append_new(vteps, json_pack("{s:s,s:i}", "ip", ip, "vlan",
						       (int)d->vteps[i].vlan));
	}
	vsw_mac_slot_stats(dp->macs, d->slot, &st);
	vsw_pmd_domain_stats(dp, d->slot, &flooded, &unicast);
	o = json_pack("{s:I,s:I,s:I,s:I,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "id",
			 (json_int_t)d->id, "mac_limit", (json_int_t)d->mac_limit, "aging",
			 (json_int_t)d->aging, "vni", (json_int_t)d->vni, "members", members,
			 "vteps", vteps, "macs", (json_int_t)st.macs, "learned",
			 (json_int_t)st.learned, "moved", (json_int_t)st.moved, "aged",
			 (json_int_t)st.aged, "mac_limit_hits", (json_int_t)st.limit_hits,
			 "table_full", (json_int_t)st.full, "flooded", (json_int_t)flooded,
			 "unicast", (json_int_t)unicast);
	if (o && d->limit_group)
		json_object_set_new(o, "limit_group", json_integer((json_int_t)d->limit_group));
	return o;
}

static json_t *cmd_domain_list(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_domset *set = atomic_load(&dp->domains);
	json_t *domains = json_array();

	(void)req;
	for (uint32_t i = 0; set && i < set->n; i++)
		json_array_append_new(domains, domain_json(dp, set->list[i]));
	return json_pack("{s:b,s:o}", "ok", 1, "domains", domains);
}

struct mac_row {
	uint32_t id; /* the domain's */
	struct vsw_mac_entry e;
};

struct mac_rows {
	size_t n, cap;
	struct mac_row *r;
	const uint32_t *ids; /* by slot */
	bool oom;
};

static void add_row(const struct vsw_mac_entry *e, void *arg)
{
	struct mac_rows *r = arg;

	if (!r->ids[e->slot])
		return; /* a domain going away right now */
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct mac_row *grown = realloc(r->r, cap * sizeof(*grown));

		if (!grown) {
			r->oom = true;
			return;
		}
		r->r = grown;
		r->cap = cap;
	}
	r->r[r->n++] = (struct mac_row){ .id = r->ids[e->slot], .e = *e };
}

static int by_domain_mac(const void *a, const void *b)
{
	const struct mac_row *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return memcmp(x->e.mac, y->e.mac, sizeof(x->e.mac));
}

static json_t *cmd_mac_list(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_domset *set = atomic_load(&dp->domains);
	uint32_t now = vsw_dp_seconds(vsw_dp_now_ms());
	struct mac_rows rows = { 0 };
	const struct vsw_domain *only;
	uint32_t *ids;
	json_t *macs;
	char err[256];

	if (domain_filter(dp, req, &only, err, sizeof(err)))
		return vsw_proto_error("mac-list: %s", err);
	ids = calloc(VSW_MAX_DOMAINS, sizeof(*ids));
	if (!ids)
		return vsw_proto_error("mac-list: out of memory");
	for (uint32_t i = 0; i < set->n; i++)
		ids[set->list[i]->slot] = set->list[i]->id;
	rows.ids = ids;
	vsw_mac_foreach(dp->macs, only ? only->slot : VSW_MAC_ALL_SLOTS, now, add_row, &rows);
	free(ids);
	if (rows.oom) {
		free(rows.r);
		return vsw_proto_error("mac-list: out of memory");
	}
	qsort(rows.r, rows.n, sizeof(*rows.r), by_domain_mac);
	macs = json_array();
	for (size_t i = 0; i < rows.n; i++) {
		const struct vsw_mac_entry *e = &rows.r[i].e;
		int32_t age = (int32_t)(now - e->seen);
		char mac[18], ip[INET_ADDRSTRLEN];
		json_t *row;

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1],
			 e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
		row = json_pack("{s:I,s:s,s:I,s:I}", "domain", (json_int_t)rows.r[i].id, "mac", mac,
				"port", (json_int_t)e->val.port_no, "age", (json_int_t)(age > 0 ? age : 0));
		if (e->val.vtep) {
			ip_text(e->val.vtep, ip);
			json_object_set_new(row, "vtep", json_string(ip));
		}
		json_array_append_new(macs, row);
	}
	free(rows.r);
	return json_pack("{s:b,s:o}", "ok", 1, "macs", macs);
}

static json_t *cmd_mac_flush(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_domain *only;
	char err[256];
	size_t n;

	if (domain_filter(dp, req, &only, err, sizeof(err)))
		return vsw_proto_error("mac-flush: %s", err);
	n = vsw_mac_flush(dp->macs, only ? only->slot : VSW_MAC_ALL_SLOTS, NULL, NULL);
	return json_pack("{s:b,s:I}", "ok", 1, "flushed", (json_int_t)n);
}

const struct vsw_ctl_cmd vsw_ctl_domain_cmds[] = {
	{ "domain-set", cmd_domain_set, false },
	{ "domain-del", cmd_domain_del, false },
	{ "domain-list", cmd_domain_list, true },
	{ "mac-list", cmd_mac_list, true },
	{ "mac-flush", cmd_mac_flush, false },
	{ NULL, NULL, false },
};

/* --- ports coming and going, shutdown ------------------------------------- */

int vsw_ctl_domains_resolve(struct vsw_dp *dp, const struct vsw_portset *ports)
{
	struct vsw_domset *cur = atomic_load(&dp->domains), *next;
	struct vsw_domain **gone;
	uint32_t n_gone = 0;
	bool stale = false;

	for (uint32_t i = 0; cur && i < cur->n && !stale; i++)
		stale = vsw_domain_stale(cur->list[i], ports);
	if (!stale)
		return 0;
	next = vsw_domset_resolved(cur, ports);
	/* The replaced domains are the ones not shared: freed after the grace period. */
	gone = next ? calloc(cur->n, sizeof(*gone)) : NULL;
	if (!next)
		return -ENOMEM;
	if (!gone) {
		for (uint32_t i = 0; i < next->n; i++)
			if (next->list[i] != cur->list[i])
				vsw_domain_free(next->list[i]);
		vsw_domset_free(next);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < cur->n; i++)
		if (next->list[i] != cur->list[i])
			gone[n_gone++] = cur->list[i];
	vsw_dp_publish_domains(dp, next);
	for (uint32_t i = 0; i < n_gone; i++)
		vsw_domain_free(gone[i]);
	free(gone);
	return 0;
}

static bool on_port(const struct vsw_mac_entry *e, void *arg)
{
	return e->val.port_no == *(const uint32_t *)arg;
}

void vsw_ctl_macs_forget_port(struct vsw_dp *dp, uint32_t port_no)
{
	size_t n = vsw_mac_flush(dp->macs, VSW_MAC_ALL_SLOTS, on_port, &port_no);

	if (n)
		VSW_LOG(ctl, INFO, "forgot %zu MAC(s) on port %u", n, port_no);
}

void vsw_ctl_del_all_domains(struct vsw_dp *dp)
{
	struct vsw_domset *set = atomic_exchange(&dp->domains, NULL);

	for (uint32_t i = 0; set && i < set->n; i++)
		vsw_domain_free(set->list[i]);
	vsw_domset_free(set);
}
