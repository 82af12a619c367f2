/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-control: the tenant compiler's exact output (control/compile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "intent_util.h"

/* Cookies: 0x767377 | tenant id << 16 | kind. */
#define C0_INGRESS "cookie=0x7673770000000001"
#define C0_VXLAN "cookie=0x7673770000000005"
#define C1_INGRESS "cookie=0x7673770000010001"
#define C1_SPOOF "cookie=0x7673770000010002"
#define C1_ACL "cookie=0x7673770000010003"
#define C1_VXLAN "cookie=0x7673770000010005"
#define C2_INGRESS "cookie=0x7673770000020001"
#define C2_SPOOF "cookie=0x7673770000020002"
#define C2_ACL "cookie=0x7673770000020003"
#define C3_INGRESS "cookie=0x7673770000030001"

#define MD1 "metadata=0x1000/0xfffffffffffff000"
#define MD2 "metadata=0x2000/0xfffffffffffff000"
/* Admitted: into the domain, then `normal` (a tenant without ACLs has no table 251). */
#define TO(d) "load:" d "->OXM_OF_METADATA[],NORMAL"
#define STRIP_TO(d) "strip_vlan," TO(d)

static uint8_t table_of(const struct vsw_compiled *c, uint32_t port_no)
{
	const struct vsw_cport *p = vsw_compiled_port(c, port_no);

	if (!p)
		fail_msg("port %u not in the output", port_no);
	return p->table;
}

/* Access: untagged only. Trunk: listed tags, stripped; the tenant's VLAN is native. */
static void test_access_and_trunk(void **state)
{
	static const char *const want[] = {
		"table=250,priority=200," C1_INGRESS ",in_port=1,vlan_tci=0x0000,actions=" TO("0x1000"),
		"table=250,priority=1," C1_INGRESS ",in_port=1,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=2,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=2,dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C1_INGRESS ",in_port=2,dl_vlan=10,actions="
			STRIP_TO("0x1000"),
		"table=250,priority=200," C1_INGRESS ",in_port=2,dl_vlan=30,actions="
			STRIP_TO("0x101e"),
		"table=250,priority=1," C1_INGRESS ",in_port=2,actions=drop",
	};
	struct vsw_compiled c;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "blue", 1, 10, 0);
	w_port(&w, "vm1", 1, "blue");
	w_trunk(w_port(&w, "vm2", 2, "blue"), "10,30");
	w_port(&w, "vm3", 3, NULL);
	w_compile(&w, &c);
	assert_flows(&c, want, N_OF(want));
	assert_int_equal(c.n_domains, 2);
	assert_domain(&c, 0x1000, 0, "1/0 2/10", "");
	assert_domain(&c, 0x101e, 0, "2/30", "");
	assert_int_equal(c.domains[0].mac_limit, VSW_MAC_LIMIT_DEFAULT);
	assert_int_equal(c.n_ports, 3);
	assert_int_equal(table_of(&c, 1), 250);
	assert_int_equal(table_of(&c, 2), 250);
	assert_int_equal(table_of(&c, 3), 0);
	assert_false(c.vxlan.present);
	assert_int_equal(c.n_vtep_ips, 0);
	assert_int_equal(c.n_warnings, 0);
	/* Provenance: the admission knows its domain, the catch-all is a drop. */
	for (size_t i = 0; i < c.n_flows; i++) {
		const struct vsw_cflow *f = &c.flows[i];

		assert_int_equal(f->tenant_id, 1);
		assert_int_equal(f->drop, strstr(f->text, "actions=drop") != NULL);
		if (strstr(f->text, "dl_vlan=30,"))
			assert_int_equal(f->domain, 0x101e);
	}
	vsw_compiled_free(&c);
}

/* MAC and IPs: only those sources enter; ND by MAC; everything else is "spoofed". */
static void test_anti_spoofing(void **state)
{
#define P3 "in_port=3,vlan_tci=0x0000,dl_src=02:00:00:00:00:03"
#define P5 "in_port=5,dl_vlan=7"
	static const char *const want[] = {
		"table=250,priority=220," C2_SPOOF ",arp," P3 ",arp_spa=10.0.0.3,actions="
			TO("0x2000"),
		"table=250,priority=220," C2_SPOOF ",ip," P3 ",nw_src=10.0.0.3,actions=" TO("0x2000"),
		"table=250,priority=220," C2_SPOOF ",ipv6," P3 ",ipv6_src=2001:db8::3,actions="
			TO("0x2000"),
		"table=250,priority=210," C2_SPOOF ",icmp6," P3 ",icmp_type=133,actions="
			TO("0x2000"),
		"table=250,priority=210," C2_SPOOF ",icmp6," P3 ",icmp_type=135,actions="
			TO("0x2000"),
		"table=250,priority=210," C2_SPOOF ",icmp6," P3 ",icmp_type=136,actions="
			TO("0x2000"),
		"table=250,priority=1," C2_SPOOF ",in_port=3,actions=drop",
		/* MAC only: any frame from it. */
		"table=250,priority=200," C2_SPOOF
			",in_port=4,vlan_tci=0x0000,dl_src=02:00:00:00:00:04,actions=" TO("0x2000"),
		"table=250,priority=1," C2_SPOOF ",in_port=4,actions=drop",
		/* IPv4 only, on a trunk, no MAC: ARP and IPv4 from it, no IPv6, no ND. */
		"table=250,priority=300," C2_INGRESS ",in_port=5,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C2_INGRESS ",in_port=5,dl_type=0x88a8,actions=drop",
		"table=250,priority=220," C2_SPOOF ",arp," P5 ",arp_spa=10.0.7.5,actions="
			STRIP_TO("0x2007"),
		"table=250,priority=220," C2_SPOOF ",ip," P5 ",nw_src=10.0.7.5,actions="
			STRIP_TO("0x2007"),
		"table=250,priority=1," C2_SPOOF ",in_port=5,actions=drop",
	};
	struct vsw_port_tenant *a;
	struct vsw_compiled c;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "red", 2, 0, 0);
	a = w_port(&w, "vm3", 3, "red");
	w_mac(a, "02:00:00:00:00:03");
	w_ip(a, "10.0.0.3");
	w_ip(a, "2001:db8::3");
	w_mac(w_port(&w, "vm4", 4, "red"), "02:00:00:00:00:04");
	a = w_port(&w, "vm5", 5, "red");
	w_trunk(a, "7");
	w_ip(a, "10.0.7.5");
	w_compile(&w, &c);
	assert_flows(&c, want, N_OF(want));
	assert_domain(&c, 0x2000, 0, "3/0 4/0", "");
	assert_domain(&c, 0x2007, 0, "5/7", "");
	vsw_compiled_free(&c);
#undef P3
#undef P5
}

/*
 * The uplink carries the tenants with a VLAN: native tagged with it, trunk
 * segments with their own tags. A tenant without a VLAN stays off it.
 */
static void test_uplink(void **state)
{
	static const char *const shared[] = {
		"table=250,priority=1," C0_INGRESS ",in_port=9,actions=drop",
	};
	static const char *const blue_uplink[] = {
		"table=250,priority=300," C1_INGRESS ",in_port=9,dl_vlan=10,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=9,dl_vlan=10,dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C1_INGRESS ",in_port=9,dl_vlan=10,actions=" STRIP_TO("0x1000"),
		"table=250,priority=300," C1_INGRESS ",in_port=9,dl_vlan=30,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=9,dl_vlan=30,dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C1_INGRESS ",in_port=9,dl_vlan=30,actions=" STRIP_TO("0x101e"),
		/* its ports */
		"table=250,priority=200," C1_INGRESS ",in_port=1,vlan_tci=0x0000,actions=" TO("0x1000"),
		"table=250,priority=1," C1_INGRESS ",in_port=1,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=2,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=2,dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C1_INGRESS ",in_port=2,dl_vlan=30,actions=" STRIP_TO("0x101e"),
		"table=250,priority=1," C1_INGRESS ",in_port=2,actions=drop",
	};
	static const char *const green[] = {
		"table=250,priority=300," C3_INGRESS ",in_port=4,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C3_INGRESS ",in_port=4,dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C3_INGRESS ",in_port=4,dl_vlan=40,actions=" STRIP_TO("0x3028"),
		"table=250,priority=1," C3_INGRESS ",in_port=4,actions=drop",
	};
	struct vsw_compiled c;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "blue", 1, 10, 0);
	w_tenant(&w, "red", 2, 20, 0);
	w_tenant(&w, "green", 3, 0, 0);
	w_port(&w, "vm1", 1, "blue");
	w_trunk(w_port(&w, "vm2", 2, "blue"), "30");
	w_port(&w, "vm3", 3, "red");
	w_trunk(w_port(&w, "vm4", 4, "green"), "40");
	w_port(&w, "eth0", 9, NULL);
	w_uplink(&w, "eth0", NULL, 0);
	w_compile(&w, &c);
	assert_tenant_flows(&c, 0, shared, N_OF(shared));
	assert_tenant_flows(&c, 1, blue_uplink, N_OF(blue_uplink));
	assert_tenant_flows(&c, 3, green, N_OF(green));
	assert_domain(&c, 0x1000, 0, "1/0 9/10", "");
	assert_domain(&c, 0x101e, 0, "2/30 9/30", "");
	assert_domain(&c, 0x2000, 0, "3/0 9/20", "");
	assert_domain(&c, 0x3000, 0, "", "");
	assert_domain(&c, 0x3028, 0, "4/40", "");
	assert_int_equal(table_of(&c, 9), 250);
	assert_false(c.vxlan.present); /* no local_ip */
	assert_int_equal(c.n_warnings, 0);
	vsw_compiled_free(&c);
}

/* VXLAN: per (VNI, VTEP) and segment; a VTEP not configured and an unknown VNI drop. */
static void test_vxlan(void **state)
{
#define X "in_port=50"
	static const char *const blue[] = {
		"table=250,priority=300," C1_VXLAN ",tun_id=0x1388," X ",dl_type=0x8100,actions=drop",
		"table=250,priority=300," C1_VXLAN ",tun_id=0x1388," X ",dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C1_VXLAN ",tun_id=0x1388,tun_src=198.51.100.2," X
			",vlan_tci=0x0000,actions=" TO("0x1000"),
		"table=250,priority=200," C1_VXLAN ",tun_id=0x1388,tun_src=198.51.100.2," X
			",dl_vlan=30,actions=" STRIP_TO("0x101e"),
		"table=250,priority=200," C1_VXLAN ",tun_id=0x1388,tun_src=198.51.100.3," X
			",vlan_tci=0x0000,actions=" TO("0x1000"),
		"table=250,priority=200," C1_VXLAN ",tun_id=0x1388,tun_src=198.51.100.3," X
			",dl_vlan=30,actions=" STRIP_TO("0x101e"),
		"table=250,priority=100," C1_VXLAN ",tun_id=0x1388," X ",actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=2,dl_type=0x8100,actions=drop",
		"table=250,priority=300," C1_INGRESS ",in_port=2,dl_type=0x88a8,actions=drop",
		"table=250,priority=200," C1_INGRESS ",in_port=2,dl_vlan=30,actions=" STRIP_TO("0x101e"),
		"table=250,priority=1," C1_INGRESS ",in_port=2,actions=drop",
	};
	static const char *const shared[] = {
		"table=250,priority=1," C0_INGRESS ",in_port=9,actions=drop",
		"table=250,priority=1," C0_VXLAN "," X ",actions=drop",
	};
	struct vsw_compiled c;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "blue", 1, 0, 5000);
	w_tenant(&w, "red", 2, 0, 0);
	w_trunk(w_port(&w, "vm2", 2, "blue"), "30");
	w_port(&w, "eth0", 9, NULL);
	w_uplink(&w, "eth0", "192.0.2.1", 50);
	w_vtep(&w, "blue", "198.51.100.3");
	w_vtep(&w, "blue", "198.51.100.2");
	w_vtep(&w, "blue", "198.51.100.2"); /* repeated: once */
	w_vtep(&w, "red", "198.51.100.9"); /* no VNI: ignored */
	w_compile(&w, &c);
	assert_tenant_flows(&c, 1, blue, N_OF(blue));
	assert_tenant_flows(&c, 0, shared, N_OF(shared));
	assert_domain(&c, 0x1000, 5000, "", "198.51.100.2/0 198.51.100.3/0");
	assert_domain(&c, 0x101e, 5000, "2/30", "198.51.100.2/30 198.51.100.3/30");
	assert_domain(&c, 0x2000, 0, "", "");
	assert_true(c.vxlan.present);
	assert_int_equal(c.vxlan.port_no, 50);
	assert_string_equal(c.vxlan.underlay, "eth0");
	assert_int_equal(c.vxlan.underlay_port_no, 9);
	assert_int_equal(c.vxlan.local_ip, w_ip4("192.0.2.1"));
	assert_int_equal(table_of(&c, 50), 250);
	assert_string_equal(vsw_compiled_port(&c, 50)->name, "@vxlan");
	assert_int_equal(c.n_vtep_ips, 2);
	assert_int_equal(c.vtep_ips[0], w_ip4("198.51.100.2"));
	assert_int_equal(c.vtep_ips[1], w_ip4("198.51.100.3"));
	assert_warning(&c, "VTEP 198.51.100.9 of tenant 'red' (no VNI): ignored");
	vsw_compiled_free(&c);

	/* Without a local_ip: no VXLAN port, no VTEPs, no VNI on the domains. */
	w.uplink.has_local_ip = false;
	w_compile(&w, &c);
	assert_false(c.vxlan.present);
	assert_null(vsw_compiled_port(&c, 50));
	assert_int_equal(c.n_vtep_ips, 0);
	assert_domain(&c, 0x1000, 0, "", "");
	for (size_t i = 0; i < c.n_flows; i++)
		assert_null(strstr(c.flows[i].text, X ","));
	vsw_compiled_free(&c);
#undef X
}

static void test_acls(void **state)
{
	static const char *const blue[] = {
		"table=251,priority=100," C1_ACL ",tcp," MD1 ",tp_dst=22,actions=drop",
		"table=251,priority=200," C1_ACL ",tcp," MD1 ",nw_src=10.0.0.0/24,tp_dst=22,"
			"actions=NORMAL",
		"table=251,priority=5," C1_ACL "," MD1 ",in_port=1,actions=NORMAL",
		"table=251,priority=0," C1_ACL "," MD1 ",actions=NORMAL",
	};
	static const char *const red[] = {
		/* An ACL that does not compile: the tenant drops, nothing half done. */
		"table=251,priority=0," C2_ACL "," MD2 ",actions=drop",
	};
	struct vsw_compiled c;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "blue", 1, 0, 0);
	w_tenant(&w, "red", 2, 0, 0);
	w_acl(&w, "blue", 1, 100, false, "tcp,tp_dst=22");
	w_acl(&w, "blue", 2, 200, true, "tp_dst=22,nw_src=10.0.0.0/24,tcp");
	w_acl(&w, "blue", 3, 5, true, "in_port=1");
	w_acl(&w, "red", 1, 100, true, "ip");
	w_acl(&w, "red", 2, 100, false, "metadata=0x1000");
	w_compile(&w, &c);
	assert_tenant_flows(&c, 1, blue, N_OF(blue));
	assert_tenant_flows(&c, 2, red, N_OF(red));
	assert_warning(&c, "tenant 'red': ACL 2 'metadata=0x1000' does not compile (metadata is "
			   "the tenant's own)");
	for (size_t i = 0; i < c.n_flows; i++)
		if (strstr(c.flows[i].text, "tp_dst=22,actions=drop"))
			assert_int_equal(c.flows[i].acl_id, 1);
	vsw_compiled_free(&c);

	w.acls[4].match[0] = 0;
	snprintf(w.acls[4].match, sizeof(w.acls[4].match), "tcp,tp_dst=80,actions=output:1");
	w_compile(&w, &c);
	assert_tenant_flows(&c, 2, red, N_OF(red));
	vsw_compiled_free(&c);
}

/* Bad intent never opens a path between tenants, and says so. */
static void test_fails_closed(void **state)
{
	static const char *const shared[] = {
		"table=250,priority=1," C0_INGRESS ",in_port=5,actions=drop",
		"table=250,priority=1," C0_INGRESS ",in_port=9,actions=drop",
	};
	struct vsw_compiled c;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "red", 2, 10, 100);
	w_tenant(&w, "blue", 1, 10, 100); /* same VLAN and VNI: blue (lower id) keeps them */
	w_port(&w, "vm1", 1, "blue");
	w_port(&w, "vm2", 2, "red");
	w_port(&w, "vm5", 5, "ghost");
	w_port(&w, "eth0", 9, "red"); /* the uplink attached: ignored */
	w_uplink(&w, "eth0", "192.0.2.1", 50);
	w_compile(&w, &c);
	assert_warning(&c, "VLAN 10 claimed by tenant ids 1 and 2: tenant id 1 keeps it");
	assert_warning(&c, "VNI 100 claimed by tenants 'blue' and 'red': 'red' gets no VXLAN");
	assert_warning(&c, "port 'vm5' is attached to unknown tenant 'ghost': it drops everything");
	assert_warning(&c, "port 'eth0' is the uplink: its tenant 'red' ignored");
	assert_int_equal(table_of(&c, 5), 250);
	assert_domain(&c, 0x1000, 100, "1/0 9/10", "");
	assert_domain(&c, 0x2000, 0, "2/0", "");
	for (size_t i = 0; i < c.n_flows; i++) {
		const struct vsw_cflow *f = &c.flows[i];

		if (strstr(f->text, "in_port=9,") || strstr(f->text, "in_port=50,"))
			assert_true(f->tenant_id != 2);
		assert_null(strstr(f->text, "in_port=5,dl"));
	}
	w_vtep(&w, "red", "198.51.100.2");
	vsw_compiled_free(&c);
	w_compile(&w, &c);
	assert_int_equal(c.n_vtep_ips, 0); /* red has no VXLAN */
	vsw_compiled_free(&c);

	/* Without the uplink's tenant VLANs, only the shared drops remain on 9 and 5. */
	w_init(&w);
	w_port(&w, "vm5", 5, "ghost");
	w_port(&w, "eth0", 9, NULL);
	w_uplink(&w, "eth0", "192.0.2.1", 0); /* no number for @vxlan */
	w_compile(&w, &c);
	assert_flows(&c, shared, N_OF(shared));
	assert_false(c.vxlan.present);
	assert_warning(&c, "uplink 'eth0' has a local_ip but @vxlan has no port number");
	vsw_compiled_free(&c);

	/* An uplink that is not a port is no uplink. */
	w_init(&w);
	w_tenant(&w, "blue", 1, 10, 0);
	w_uplink(&w, "eth9", NULL, 0);
	w_compile(&w, &c);
	assert_warning(&c, "uplink 'eth9' is not a port: no uplink");
	assert_domain(&c, 0x1000, 0, "", "");
	vsw_compiled_free(&c);
}

/* Same intent, same output; attributes reach the domains. */
static void test_deterministic(void **state)
{
	struct vsw_compiled a, b, b2;
	struct world w;

	(void)state;
	w_init(&w);
	w_tenant(&w, "blue", 7, 10, 0);
	w.tenants[0].mac_limit = 5;
	w_trunk(w_port(&w, "vm1", 1, "blue"), "11,12,4094");
	w_port(&w, "vm2", 2, "blue");
	w_compile(&w, &a);
	w_compile(&w, &b);
	assert_int_equal(a.n_flows, b.n_flows);
	for (size_t i = 0; i < a.n_flows; i++) {
		assert_string_equal(a.flows[i].text, b.flows[i].text);
		if (i)
			assert_true(strcmp(a.flows[i - 1].text, a.flows[i].text) < 0);
		assert_ptr_equal(vsw_compiled_flow(&a, a.flows[i].text), &a.flows[i]);
	}
	assert_int_equal(a.n_domains, 4);
	for (size_t i = 0; i < a.n_domains; i++) {
		assert_true(vsw_cdomain_equal(&a.domains[i], &b.domains[i]));
		assert_int_equal(a.domains[i].mac_limit, 5);
		/* the limit is the tenant's: its segments count with segment 0 */
		assert_int_equal(a.domains[i].limit_group, a.domains[i].segment ? 7 << 12 : 0);
	}
	assert_domain(&a, 7 << 12 | 4094, 0, "1/4094", "");
	/* More than the dataplane's whole MAC table could hold: as much as it can. */
	w.tenants[0].mac_limit = 1048576;
	w_compile(&w, &b2);
	assert_int_equal(b2.domains[0].mac_limit, VSW_DOMAIN_MAC_LIMIT_MAX);
	vsw_compiled_free(&b2);
	assert_null(vsw_compiled_flow(&a, "table=0,priority=1,actions=drop"));
	vsw_compiled_free(&a);
	vsw_compiled_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access_and_trunk),
		cmocka_unit_test(test_anti_spoofing),
		cmocka_unit_test(test_uplink),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_acls),
		cmocka_unit_test(test_fails_closed),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests_name("control_compile", tests, NULL, NULL);
}
