/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: the tenant compiler never lets traffic cross tenants, on
 * random intents (VLAN and VNI conflicts, unknown tenants, an attached
 * uplink and bad ACLs included).
 *
 * Checked against the test's own reading of the intent, not the compiler's:
 *   - every table-250 rule that sets metadata to a domain of tenant T
 *     matches a port of T, or the uplink with a VLAN T claims (T has a VLAN),
 *     or the VXLAN port with T's VNI and one of T's VTEPs; its cookie says
 *     T; the domain exists;
 *   - every domain's members are ports of T (or the uplink with a VLAN T
 *     claims) and its VTEPs are T's; one uplink VLAN, one VNI per tenant;
 *   - tables 251 and 252: only T's domains (metadata T/0xfff..f000);
 *   - packets: the rules loaded into a flow table, random keys looked up in
 *     table 250: whatever domain a key reaches belongs to the tenant of its
 *     port/VLAN/VNI/VTEP, with the port's tag, MAC and IP rules respected.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fields.h"
#include "flow.h"
#include "intent_util.h"
#include "table.h"

#define ROUNDS 400
#define KEYS_PER_ROUND 600
#define UPLINK_NO 90
#define VXLAN_NO 91

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return n ? (uint32_t)((z ^ (z >> 31)) % n) : 0;
}

static const uint16_t vlan_pool[] = { 10, 20, 30, 40, 50, 4094 };
static const uint32_t vni_pool[] = { 0, 100, 200 };
static const char *const vtep_pool[] = { "198.51.100.1", "198.51.100.2", "198.51.100.3",
					 "203.0.113.9" };
static const char *const acl_pool[] = { "tcp,tp_dst=22", "ip", "in_port=1", "", "udp",
					"metadata=0x5", "arp,arp_op=1", "nonsense=1" };

/* ---- a random intent ---- */

static void random_attachment(struct world *w, struct vsw_port_tenant *a)
{
	char ip[64];

	if (rnd(10) < 4) {
		char list[64] = "";
		size_t len = 0;

		for (size_t i = 0; i < N_OF(vlan_pool); i++)
			if (rnd(2))
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%u",
							len ? "," : "", vlan_pool[i]);
		w_trunk(a, list);
	}
	if (rnd(10) < 3) {
		snprintf(ip, sizeof(ip), "02:00:00:00:00:%02x", rnd(8));
		w_mac(a, ip);
	}
	if (rnd(10) < 3) {
		snprintf(ip, sizeof(ip), "10.0.0.%u", rnd(8));
		w_ip(a, ip);
	}
	if (rnd(10) < 2) {
		snprintf(ip, sizeof(ip), "2001:db8::%x", rnd(8));
		w_ip(a, ip);
	}
	(void)w;
}

static void random_world(struct world *w)
{
	uint32_t n_t = 1 + rnd(6), n_p = rnd(10);
	char name[16];

	w_init(w);
	for (uint32_t i = 0; i < n_t; i++) {
		uint32_t id;
		bool dup;

		do { /* distinct ids and names, as the store guarantees */
			id = 1 + rnd(VSW_TENANT_ID_MAX);
			dup = false;
			for (size_t j = 0; j < w->in.n_tenants; j++)
				dup |= w->tenants[j].id == id;
		} while (dup);
		snprintf(name, sizeof(name), "t%u", i);
		w_tenant(w, name, id, rnd(3) ? vlan_pool[rnd(4)] : 0, vni_pool[rnd(3)]);
	}
	for (uint32_t i = 0; i < n_p; i++) {
		uint32_t r = rnd(10);
		struct vsw_port_tenant *a;
		char tname[16];

		snprintf(name, sizeof(name), "p%u", i + 1);
		snprintf(tname, sizeof(tname), "t%u", rnd(n_t));
		a = w_port(w, name, i + 1, r < 6 ? tname : r < 7 ? "ghost" : NULL);
		if (r < 7)
			random_attachment(w, a);
	}
	if (rnd(10) < 8) {
		/* Usually its own port; sometimes one that is attached (fail closed). */
		uint32_t no = n_p && rnd(4) == 0 ? 1 + rnd(n_p) : UPLINK_NO;

		if (no == UPLINK_NO)
			w_port(w, "up", UPLINK_NO, NULL);
		w_uplink(w, w->names[no == UPLINK_NO ? w->in.n_ports - 1 : no - 1],
			 rnd(2) ? "192.0.2.1" : NULL, rnd(8) ? VXLAN_NO : 0);
	}
	for (uint32_t i = rnd(6); i > 0; i--) {
		snprintf(name, sizeof(name), "t%u", rnd(n_t + 1)); /* t<n_t>: unknown */
		w_vtep(w, name, vtep_pool[rnd(N_OF(vtep_pool))]);
	}
	for (uint32_t i = rnd(5); i > 0; i--) {
		snprintf(name, sizeof(name), "t%u", rnd(n_t));
		w_acl(w, name, i, (uint16_t)(1 + rnd(300)), rnd(2), acl_pool[rnd(N_OF(acl_pool))]);
	}
}

/* ---- the test's own reading of the intent ---- */

static const struct vsw_tenant_cfg *tenant_by_id(const struct world *w, uint32_t id)
{
	for (size_t i = 0; i < w->in.n_tenants; i++)
		if (w->tenants[i].id == id)
			return &w->tenants[i];
	return NULL;
}

static uint32_t uplink_no(const struct world *w)
{
	return w->in.uplink ? w->in.uplink_port_no : 0;
}

static uint32_t vxlan_no(const struct world *w)
{
	return uplink_no(w) && w->uplink.has_local_ip ? w->in.vxlan_port_no : 0;
}

static const struct vsw_intent_port *port_by_no(const struct world *w, uint32_t no)
{
	for (size_t i = 0; i < w->in.n_ports; i++)
		if (w->ports[i].port_no == no)
			return &w->ports[i];
	return NULL;
}

/* The tenant id a (non-uplink) port belongs to, 0: none or an unknown tenant. */
static uint32_t port_tenant(const struct world *w, uint32_t no)
{
	const struct vsw_intent_port *p = port_by_no(w, no);

	if (!p || no == uplink_no(w) || !p->att->tenant[0])
		return 0;
	for (size_t i = 0; i < w->in.n_tenants; i++)
		if (strcmp(w->tenants[i].name, p->att->tenant) == 0)
			return w->tenants[i].id;
	return 0;
}

/* VLAN v on the uplink may belong to t: t has a VLAN and claims v. */
static bool claims_on_uplink(const struct world *w, const struct vsw_tenant_cfg *t, unsigned v)
{
	if (!t->vlan)
		return false;
	if (v == t->vlan)
		return true;
	for (size_t i = 0; i < w->in.n_ports; i++)
		if (port_tenant(w, w->ports[i].port_no) == t->id &&
		    w->att[i].mode == VSW_VLAN_TRUNK && vsw_trunk_has(&w->att[i], (uint16_t)v))
			return true;
	return false;
}

/* `ip` in network order, as the key's tun_src. */
static bool has_vtep(const struct world *w, const struct vsw_tenant_cfg *t, uint32_t ip)
{
	for (size_t i = 0; i < w->in.n_vteps; i++)
		if (strcmp(w->vteps[i].tenant, t->name) == 0 && w->vteps[i].ip == ip)
			return true;
	return false;
}

/* ---- structural checks ---- */

static uint64_t metadata_set(const struct vsw_actions *acts, bool *found)
{
	uint64_t v = 0;

	*found = false;
	for (unsigned i = 0; i < acts->n; i++)
		if (acts->a[i].type == VSW_ACT_SET_FIELD && acts->a[i].field == VSW_F_METADATA) {
			memcpy(&v, acts->a[i].value, sizeof(v));
			*found = true;
		}
	return v;
}

static void check_admission(const struct world *w, const struct vsw_compiled *c,
			    const struct vsw_cflow *f, const struct vsw_flow_spec *s,
			    uint64_t domain)
{
	const struct vsw_match *m = &s->match;
	const struct vsw_tenant_cfg *t = tenant_by_id(w, (uint32_t)(domain >> 12));
	const struct vsw_cdomain *d = vsw_compiled_domain(c, (uint32_t)domain);
	uint32_t port = m->key.in_port;

	if (!t || !d || d->tenant_id != t->id || f->tenant_id != t->id || f->domain != domain)
		fail_msg("admission to a domain of no tenant, or mislabelled: %s", f->text);
	assert_int_equal(m->mask.in_port, UINT32_MAX);
	if (port && port == vxlan_no(w)) {
		assert_int_equal(m->mask.tun_id, UINT64_MAX);
		assert_int_equal(m->mask.tun_src, UINT32_MAX);
		if (m->key.tun_id != t->vni || !has_vtep(w, t, m->key.tun_src))
			fail_msg("VXLAN admission for another tenant's VNI/VTEP: %s", f->text);
	} else if (port && port == uplink_no(w)) {
		assert_int_equal(m->mask.vlan_tci & 0x1fff, 0x1fff);
		if (!claims_on_uplink(w, t, m->key.vlan_tci & 0xfff))
			fail_msg("uplink admission of a VLAN the tenant does not own: %s", f->text);
	} else if (port_tenant(w, port) != t->id) {
		fail_msg("admission of a port that is not the tenant's: %s", f->text);
	}
}

static void check_structure(const struct world *w, const struct vsw_compiled *c)
{
	uint32_t uplink_vlan_owner[4096] = { 0 }, vni_owner[3] = { 0 };

	for (size_t i = 0; i < c->n_flows; i++) {
		const struct vsw_cflow *f = &c->flows[i];
		struct vsw_flow_spec s;
		char err[256];
		bool set;
		uint64_t md;

		if (vsw_flow_parse(f->text, VSW_PARSE_ADD, NULL, &s, err, sizeof(err)))
			fail_msg("compiled rule does not parse: %s: %s", f->text, err);
		assert_true(s.table >= 250 && s.table <= 252);
		assert_int_equal(s.cookie, vsw_tenant_cookie(f->tenant_id, f->kind));
		md = metadata_set(&s.actions, &set);
		if (s.table == 250 && set) {
			check_admission(w, c, f, &s, md);
			if (s.match.key.in_port == uplink_no(w)) {
				uint32_t *o = &uplink_vlan_owner[s.match.key.vlan_tci & 0xfff];

				assert_true(!*o || *o == f->tenant_id);
				*o = f->tenant_id;
			}
			if (s.match.key.in_port == vxlan_no(w))
				for (size_t k = 0; k < N_OF(vni_pool); k++)
					if (vni_pool[k] == s.match.key.tun_id) {
						assert_true(!vni_owner[k] ||
							    vni_owner[k] == f->tenant_id);
						vni_owner[k] = f->tenant_id;
					}
		} else if (s.table == 250) {
			assert_int_equal(f->domain, 0);
		} else {
			assert_false(set);
			assert_int_equal(s.match.mask.metadata, VSW_TENANT_METADATA_MASK);
			assert_int_equal(s.match.key.metadata, (uint64_t)f->tenant_id << 12);
			assert_non_null(tenant_by_id(w, f->tenant_id));
		}
	}
	for (size_t i = 0; i < c->n_domains; i++) {
		const struct vsw_cdomain *d = &c->domains[i];
		const struct vsw_tenant_cfg *t = tenant_by_id(w, d->tenant_id);

		assert_non_null(t);
		assert_int_equal(d->id >> 12, t->id);
		for (size_t j = 0; j < d->n_members; j++) {
			const struct vsw_cmember *m = &d->members[j];

			if (m->port_no == uplink_no(w)) {
				assert_true(claims_on_uplink(w, t, m->vlan));
				assert_true(!uplink_vlan_owner[m->vlan] ||
					    uplink_vlan_owner[m->vlan] == t->id);
				uplink_vlan_owner[m->vlan] = t->id;
			} else if (port_tenant(w, m->port_no) != t->id) {
				fail_msg("domain %u of tenant %u has port %u of tenant %u", d->id,
					 t->id, m->port_no, port_tenant(w, m->port_no));
			}
		}
		for (size_t j = 0; j < d->n_vteps; j++)
			assert_true(t->vni && d->vni == t->vni && has_vtep(w, t, d->vteps[j].ip));
	}
}

/* ---- packets ---- */

static struct vsw_ft *load(const struct vsw_compiled *c)
{
	struct vsw_ft *ft = vsw_ft_create();

	assert_non_null(ft);
	for (size_t i = 0; i < c->n_flows; i++) {
		struct vsw_flow_spec s;

		assert_int_equal(vsw_flow_parse(c->flows[i].text, VSW_PARSE_ADD, NULL, &s, NULL, 0), 0);
		assert_int_equal(vsw_ft_add(ft, &s, 0), 0);
	}
	return ft;
}

static void random_key(const struct world *w, struct vsw_flow_key *k)
{
	static const uint16_t types[] = { 0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 0x1234 };
	uint32_t r = rnd(10);

	memset(k, 0, sizeof(*k));
	k->in_port = r < 6 && w->in.n_ports ? w->ports[rnd((uint32_t)w->in.n_ports)].port_no :
		     r < 8 ? VXLAN_NO : UPLINK_NO;
	if (rnd(2))
		k->vlan_tci = (uint16_t)(VSW_VLAN_CFI | (rnd(4) ? vlan_pool[rnd(N_OF(vlan_pool))] :
						   rnd(4096)) | (rnd(8) << 13));
	k->dl_type = types[rnd(N_OF(types))];
	k->dl_src[0] = 2;
	k->dl_src[5] = (uint8_t)rnd(10);
	if (k->in_port == VXLAN_NO) {
		k->tun_id = rnd(5) ? vni_pool[rnd(N_OF(vni_pool))] : rnd(300);
		k->tun_src = w_ip4(vtep_pool[rnd(N_OF(vtep_pool))]);
	}
	k->nw_src = 0x0a000000u | rnd(10);
	k->ipv6_src[0] = 0x20;
	k->ipv6_src[1] = 0x01;
	k->ipv6_src[2] = 0x0d;
	k->ipv6_src[3] = 0xb8;
	k->ipv6_src[15] = (uint8_t)rnd(10);
	if (k->dl_type == 0x86dd && rnd(2)) {
		k->nw_proto = 58;
		k->tp_src = (uint16_t)(133 + rnd(5));
	} else if (k->dl_type == 0x0806) {
		k->nw_proto = 1;
	}
}

/* Would the port's MAC/IP rules let this key in? */
static bool spoof_ok(const struct vsw_port_tenant *a, const struct vsw_flow_key *k)
{
	bool v6 = false;

	if (a->has_mac && memcmp(a->mac, k->dl_src, 6))
		return false;
	if (!a->n_ips)
		return true;
	for (unsigned i = 0; i < a->n_ips; i++) {
		const struct vsw_ip *x = &a->ips[i];
		uint32_t v4;

		memcpy(&v4, x->addr, 4);
		if (x->af == AF_INET6)
			v6 = true;
		if (x->af == AF_INET && (k->dl_type == 0x0800 || k->dl_type == 0x0806) &&
		    ntohl(v4) == k->nw_src)
			return true;
		if (x->af == AF_INET6 && k->dl_type == 0x86dd && !memcmp(x->addr, k->ipv6_src, 16))
			return true;
	}
	return v6 && k->dl_type == 0x86dd && k->nw_proto == 58 &&
	       (k->tp_src == 133 || k->tp_src == 135 || k->tp_src == 136);
}

static void check_packet(const struct world *w, const struct vsw_compiled *c,
			 const struct vsw_ft *ft, const struct vsw_flow_key *k)
{
	const struct vsw_ft_rule *r = vsw_ft_lookup(ft, 250, k);
	const struct vsw_tenant_cfg *t;
	const struct vsw_intent_port *p;
	unsigned vid = k->vlan_tci & 0xfff;
	bool set, tagged = k->vlan_tci & VSW_VLAN_CFI, inner = k->dl_type == 0x8100 ||
							       k->dl_type == 0x88a8;
	uint64_t d;

	if (!r)
		return; /* table miss: dropped */
	d = metadata_set(vsw_ft_rule_actions(r), &set);
	if (!set)
		return;
	t = tenant_by_id(w, (uint32_t)(d >> 12));
	assert_non_null(t);
	assert_non_null(vsw_compiled_domain(c, (uint32_t)d));
	if (k->in_port == vxlan_no(w)) {
		assert_true(k->tun_id == t->vni && has_vtep(w, t, k->tun_src));
		assert_true(tagged ? (d & 0xfff) == vid && !inner : (d & 0xfff) == 0);
	} else if (k->in_port == uplink_no(w)) {
		assert_true(tagged && !inner && claims_on_uplink(w, t, vid));
		assert_true((d & 0xfff) == (vid == t->vlan ? 0 : vid));
	} else {
		p = port_by_no(w, k->in_port);
		assert_non_null(p);
		if (port_tenant(w, k->in_port) != t->id)
			fail_msg("port %u (tenant %u) reached a domain of tenant %u", k->in_port,
				 port_tenant(w, k->in_port), t->id);
		if (p->att->mode == VSW_VLAN_TRUNK)
			assert_true(tagged && !inner && vsw_trunk_has(p->att, (uint16_t)vid) &&
				    (d & 0xfff) == (vid == t->vlan ? 0 : vid));
		else
			assert_true(!tagged && (d & 0xfff) == 0);
		assert_true(spoof_ok(p->att, k));
	}
}

static void test_random_intents_stay_isolated(void **state)
{
	size_t admitted = 0, conflicts = 0;

	(void)state;
	rng_state = 0x76737707;
	for (unsigned round = 0; round < ROUNDS; round++) {
		struct vsw_compiled c;
		struct vsw_flow_key k;
		struct world w;
		struct vsw_ft *ft;

		random_world(&w);
		w_compile(&w, &c);
		conflicts += c.n_warnings > 0;
		check_structure(&w, &c);
		ft = load(&c);
		for (unsigned i = 0; i < KEYS_PER_ROUND; i++) {
			const struct vsw_ft_rule *r;
			bool set;

			random_key(&w, &k);
			check_packet(&w, &c, ft, &k);
			r = vsw_ft_lookup(ft, 250, &k);
			if (r) {
				metadata_set(vsw_ft_rule_actions(r), &set);
				admitted += set;
			}
		}
		vsw_ft_destroy(ft);
		vsw_compiled_free(&c);
	}
	/* The generator must exercise both sides: frames let in, and conflicts. */
	assert_true(admitted > ROUNDS * KEYS_PER_ROUND / 50);
	assert_true(conflicts > ROUNDS / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_intents_stay_isolated),
	};

	return cmocka_run_group_tests_name("control_compile_isolation", tests, NULL, NULL);
}
