/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-control: the tenant model (control/config_tenant.c, config_acl.c,
 * tenant_text.c). Every refusal is checked for its exact line and for
 * leaving the model exactly as it was.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "model_text.h"

#define RUN "/run/vsw"

static char err[512];

/* Run `change` expecting the refusal `msg` and an unchanged model. */
#define refused(cfg, msg, change)                                   \
	do {                                                        \
		char *before_ = snapshot(cfg), *after_;             \
		err[0] = '\0';                                      \
		assert_int_equal((change), -EINVAL);                \
		assert_string_equal(err, msg);                      \
		after_ = snapshot(cfg);                             \
		assert_string_equal(after_, before_);               \
		free(before_);                                      \
		free(after_);                                       \
	} while (0)

#define ok(change)                                               \
	do {                                                     \
		err[0] = '\0';                                   \
		if ((change) != 0)                               \
			fail_msg("%s: %s", #change, err);        \
	} while (0)

static void add_port(struct vsw_config *cfg, const char *name, const char *type,
		     const char *devargs)
{
	struct vsw_port_cfg p;

	ok(vsw_config_new_port(cfg, RUN, name, type, NULL, NULL, devargs, &p, err, sizeof(err)));
	assert_int_equal(vsw_config_add_port(cfg, &p), 0);
}

static void add_flow(struct vsw_config *cfg, const char *text)
{
	struct vsw_flow_cfg flow;

	ok(vsw_config_parse_flow(cfg, text, &flow, err, sizeof(err)));
	assert_int_equal(vsw_config_put_flow(cfg, &flow), 0);
}

/* set-port from its text arguments. */
static int set_port(struct vsw_config *cfg, const char *port, const char *tenant,
		    const char *mode, const char *trunks, const char *mac, const char *ips)
{
	struct vsw_port_tenant att;
	int rc = vsw_port_tenant_parse(tenant, mode, trunks, mac, ips, &att, err, sizeof(err));

	return rc ? rc : vsw_config_set_port(cfg, port, &att, err, sizeof(err));
}

/* vm1..vm3 (vhost-user), up0 (tap); tenants blue (vlan 10, vni 5000) and red (vlan 20). */
static void base(struct vsw_config *cfg)
{
	vsw_config_init(cfg);
	add_port(cfg, "vm1", "vhost-user", NULL);
	add_port(cfg, "vm2", "vhost-user", NULL);
	add_port(cfg, "vm3", "vhost-user", NULL);
	add_port(cfg, "up0", "tap", NULL);
	ok(vsw_config_add_tenant(cfg, "blue", 10, 5000, 1024, err, sizeof(err)));
	ok(vsw_config_add_tenant(cfg, "red", 20, 0, 64, err, sizeof(err)));
}

static void test_text_forms(void **state)
{
	uint8_t bits[512];
	char text[VSW_TRUNKS_TEXT_MAX], mac[VSW_MAC_TEXT_MAX];
	struct vsw_ip ips[VSW_PORT_IPS_MAX];
	uint8_t m[6], n;
	uint32_t ip;

	(void)state;
	assert_int_equal(vsw_trunks_parse("30-20x", bits, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "trunks '30-20x': '30-20x' is not a VLAN id or range");
	ok(vsw_trunks_parse("40,10,20-22,11,4094,1", bits, err, sizeof(err)));
	assert_int_equal(vsw_trunks_format(bits, text, sizeof(text)), 21);
	assert_string_equal(text, "1,10,11,20-22,40,4094");
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{ "", "trunks: empty list (expected VLAN ids such as 10,20-30)" },
		{ "10,", "trunks '10,': '' is not a VLAN id or range" },
		{ "10,,20", "trunks '10,,20': '' is not a VLAN id or range" },
		{ "ten", "trunks 'ten': 'ten' is not a VLAN id or range" },
		{ " 10", "trunks ' 10': ' 10' is not a VLAN id or range" },
		{ "10-", "trunks '10-': '10-' is not a VLAN id or range" },
		{ "0", "trunks '0': VLAN 0 out of range 1..4094" },
		{ "5,4095", "trunks '5,4095': VLAN 4095 out of range 1..4094" },
		{ "1-99999999", "trunks '1-99999999': VLAN 99999999 out of range 1..4094" },
		{ "30-20", "trunks '30-20': range 30-20 is backwards" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(bits, 0xaa, sizeof(bits));
		assert_int_equal(vsw_trunks_parse(bad[i].in, bits, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].msg);
		assert_int_equal(bits[0], 0xaa); /* untouched */
	}
	/* The longest list fits its buffer: every other VLAN. */
	memset(bits, 0x55, sizeof(bits)); /* 0, 2, 4, ... */
	bits[0] = 0x54;
	assert_true(vsw_trunks_format(bits, text, sizeof(text)) > 0);
	assert_int_equal(strncmp(text, "2,4,6,", 6), 0);
	for (unsigned v = 1; v < 4096; v += 2)
		bits[v / 8] |= (uint8_t)(1u << (v % 8));
	assert_true(vsw_trunks_format(bits, text, sizeof(text)) > 0);
	assert_string_equal(text, "1-4095");

	assert_int_equal(vsw_mac_parse("02:AB:cd:00:00:0f", m), 0);
	vsw_mac_format(m, mac);
	assert_string_equal(mac, "02:ab:cd:00:00:0f");
	assert_int_equal(vsw_mac_parse("02:ab:cd:00:00", m), -EINVAL);
	assert_int_equal(vsw_mac_parse("02:ab:cd:00:00:0f:", m), -EINVAL);
	assert_int_equal(vsw_mac_parse("2:ab:cd:00:00:0f", m), -EINVAL);
	assert_int_equal(vsw_ipv4_parse("192.0.2.1", &ip), 0);
	assert_int_equal(ip, htonl(0xc0000201));
	assert_int_equal(vsw_ipv4_parse("192.0.2", &ip), -EINVAL);
	assert_int_equal(vsw_ipv4_parse("2001:db8::1", &ip), -EINVAL);
	assert_false(vsw_ipv4_unicast(htonl(0xe0000001)));
	assert_false(vsw_ipv4_unicast(0));
	assert_false(vsw_ipv4_unicast(0xffffffff));
	assert_true(vsw_ipv4_unicast(htonl(0x0a000001)));
	ok(vsw_ips_parse("192.0.2.1,2001:DB8::1", ips, &n, err, sizeof(err)));
	assert_int_equal(n, 2);
	assert_int_equal(vsw_ips_format(ips, n, text, sizeof(text)), 21);
	assert_string_equal(text, "192.0.2.1,2001:db8::1");
	assert_int_equal(vsw_ips_parse("192.0.2.1,x", ips, &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "ips: 'x' is not an IPv4 or IPv6 address");
	assert_int_equal(vsw_ips_parse("10.0.0.1,10.0.0.1", ips, &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "ips: 10.0.0.1 is given twice");
	assert_int_equal(vsw_ips_parse("1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,"
				       "1.1.1.8,1.1.1.9", ips, &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "ips: more than 8 addresses");
}

static void test_tenants(void **state)
{
	struct vsw_config cfg;
	size_t n;

	(void)state;
	base(&cfg);
	assert_int_equal(cfg.n_tenants, 2);
	assert_int_equal(vsw_config_find_tenant(&cfg, "blue")->id, 1);
	assert_int_equal(vsw_config_find_tenant(&cfg, "red")->id, 2);
	assert_int_equal(vsw_config_find_tenant(&cfg, "red")->mac_limit, 64);
	ok(vsw_config_add_tenant(&cfg, "green", 0, 0, VSW_MAC_LIMIT_DEFAULT, err, sizeof(err)));

	refused(&cfg, "tenant 'blue' already exists",
		vsw_config_add_tenant(&cfg, "blue", 0, 0, 10, err, sizeof(err)));
	refused(&cfg, "tenant name must not be empty",
		vsw_config_add_tenant(&cfg, "", 0, 0, 10, err, sizeof(err)));
	refused(&cfg, "tenant name 'abcdefghijklmnop' is too long (at most 15 characters)",
		vsw_config_add_tenant(&cfg, "abcdefghijklmnop", 0, 0, 10, err, sizeof(err)));
	refused(&cfg, "tenant name 'a b': only letters, digits, '_', '.' and '-' are allowed",
		vsw_config_add_tenant(&cfg, "a b", 0, 0, 10, err, sizeof(err)));
	refused(&cfg, "tenant name 'None' is reserved",
		vsw_config_add_tenant(&cfg, "None", 0, 0, 10, err, sizeof(err)));
	refused(&cfg, "vlan 4095 out of range 1..4094",
		vsw_config_add_tenant(&cfg, "t", 4095, 0, 10, err, sizeof(err)));
	refused(&cfg, "vlan -1 out of range 1..4094",
		vsw_config_add_tenant(&cfg, "t", -1, 0, 10, err, sizeof(err)));
	refused(&cfg, "vni 16777216 out of range 1..16777215",
		vsw_config_add_tenant(&cfg, "t", 0, 16777216, 10, err, sizeof(err)));
	refused(&cfg, "mac_limit 0 out of range 1..262144",
		vsw_config_add_tenant(&cfg, "t", 0, 0, 0, err, sizeof(err)));
	refused(&cfg, "vlan 10 is used by tenant 'blue'",
		vsw_config_add_tenant(&cfg, "t", 10, 0, 10, err, sizeof(err)));
	refused(&cfg, "vni 5000 is used by tenant 'blue'",
		vsw_config_add_tenant(&cfg, "t", 11, 5000, 10, err, sizeof(err)));
	/* A trunk VLAN of a port in red is red's. */
	ok(set_port(&cfg, "vm2", "red", "trunk", "30-32", NULL, NULL));
	refused(&cfg, "vlan 31 is used by tenant 'red'",
		vsw_config_add_tenant(&cfg, "t", 31, 0, 10, err, sizeof(err)));

	/* Ids are kept forever per name; a new name gets the lowest never given. */
	ok(vsw_config_del_tenant(&cfg, "green", false, &n, err, sizeof(err)));
	ok(vsw_config_add_tenant(&cfg, "gold", 0, 0, 10, err, sizeof(err)));
	assert_int_equal(vsw_config_find_tenant(&cfg, "gold")->id, 4);
	ok(vsw_config_add_tenant(&cfg, "green", 0, 0, 10, err, sizeof(err)));
	assert_int_equal(vsw_config_find_tenant(&cfg, "green")->id, 3);
	assert_string_equal(vsw_config_tenant_name_of(&cfg, 3), "green");
	assert_int_equal(vsw_config_tenant_id_of(&cfg, "gold"), 4);
	vsw_config_free(&cfg);
}

static void test_tenant_ids_run_out(void **state)
{
	struct vsw_config cfg;
	char name[16];

	(void)state;
	vsw_config_init(&cfg);
	for (int i = 1; i <= VSW_TENANT_ID_MAX; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		ok(vsw_config_add_tenant(&cfg, name, 0, 0, 1, err, sizeof(err)));
	}
	refused(&cfg, "no tenant id left (all of 1..4095 have been used)",
		vsw_config_add_tenant(&cfg, "one-more", 0, 0, 1, err, sizeof(err)));
	vsw_config_free(&cfg);
}

static void test_set_port(void **state)
{
	struct vsw_config cfg;
	const struct vsw_port_cfg *p;

	(void)state;
	base(&cfg);
	ok(set_port(&cfg, "vm1", "blue", NULL, NULL, "02:00:00:00:00:01",
		    "192.0.2.10,2001:db8::10"));
	p = vsw_config_find_port(&cfg, "vm1");
	assert_string_equal(p->tenant.tenant, "blue");
	assert_int_equal(p->tenant.mode, VSW_VLAN_ACCESS);
	assert_true(p->tenant.has_mac);
	assert_int_equal(p->tenant.mac[5], 1);
	assert_int_equal(p->tenant.n_ips, 2);
	assert_int_equal(p->tenant.ips[1].af, AF_INET6);
	assert_ptr_equal(vsw_config_port_tenant(&cfg, p), vsw_config_find_tenant(&cfg, "blue"));
	/* Trunk: its own VLAN (10, native) and others nobody has. */
	ok(set_port(&cfg, "vm2", "blue", "trunk", "10,100-102", NULL, NULL));
	assert_true(vsw_trunk_has(&vsw_config_find_port(&cfg, "vm2")->tenant, 101));
	assert_false(vsw_trunk_has(&vsw_config_find_port(&cfg, "vm2")->tenant, 103));

	refused(&cfg, "no port 'vm9'", set_port(&cfg, "vm9", "blue", NULL, NULL, NULL, NULL));
	refused(&cfg, "no tenant 'green'", set_port(&cfg, "vm3", "green", NULL, NULL, NULL, NULL));
	refused(&cfg, "port 'vm1' is in tenant 'blue'; set tenant=none first",
		set_port(&cfg, "vm1", "red", NULL, NULL, NULL, NULL));
	refused(&cfg, "vlan 20 is used by tenant 'red'",
		set_port(&cfg, "vm3", "blue", "trunk", "19-21", NULL, NULL));
	refused(&cfg, "vlan 101 is used by tenant 'blue'",
		set_port(&cfg, "vm3", "red", "trunk", "101", NULL, NULL));
	refused(&cfg, "tenant=none takes no mode, trunks, mac or ips",
		set_port(&cfg, "vm3", "none", NULL, NULL, "02:00:00:00:00:03", NULL));
	refused(&cfg, "mode 'hybrid' is not access or trunk",
		set_port(&cfg, "vm3", "blue", "hybrid", NULL, NULL, NULL));
	refused(&cfg, "trunks= needs mode=trunk",
		set_port(&cfg, "vm3", "blue", NULL, "30", NULL, NULL));
	refused(&cfg, "mode=trunk needs trunks= (the VLANs the port carries, such as 10,20-30)",
		set_port(&cfg, "vm3", "blue", "trunk", NULL, NULL, NULL));
	refused(&cfg, "trunks '10,x': 'x' is not a VLAN id or range",
		set_port(&cfg, "vm3", "blue", "trunk", "10,x", NULL, NULL));
	refused(&cfg, "mac '02:00:00:00:00' is not a MAC address",
		set_port(&cfg, "vm3", "blue", NULL, NULL, "02:00:00:00:00", NULL));
	refused(&cfg, "mac 01:00:5e:00:00:01 is not a unicast address",
		set_port(&cfg, "vm3", "blue", NULL, NULL, "01:00:5e:00:00:01", NULL));
	refused(&cfg, "ips: '10.0.0.300' is not an IPv4 or IPv6 address",
		set_port(&cfg, "vm3", "blue", NULL, NULL, NULL, "10.0.0.300"));
	refused(&cfg, "ips: 224.0.0.1 is not a unicast address",
		set_port(&cfg, "vm3", "blue", NULL, NULL, NULL, "224.0.0.1"));
	refused(&cfg, "tenant name 'x y': only letters, digits, '_', '.' and '-' are allowed",
		set_port(&cfg, "vm3", "x y", NULL, NULL, NULL, NULL));

	/* The same tenant again: a new attachment, replacing the old one whole. */
	ok(set_port(&cfg, "vm2", "blue", NULL, NULL, NULL, NULL));
	p = vsw_config_find_port(&cfg, "vm2");
	assert_int_equal(p->tenant.mode, VSW_VLAN_ACCESS);
	assert_false(vsw_trunk_has(&p->tenant, 101));
	/* VLAN 101 is free again. */
	ok(set_port(&cfg, "vm3", "red", "trunk", "101", NULL, NULL));
	/* Detach, and another tenant may have it. */
	ok(set_port(&cfg, "vm1", "none", NULL, NULL, NULL, NULL));
	assert_string_equal(vsw_config_find_port(&cfg, "vm1")->tenant.tenant, "");
	assert_false(vsw_config_find_port(&cfg, "vm1")->tenant.has_mac);
	ok(set_port(&cfg, "vm1", "red", NULL, NULL, NULL, NULL));
	vsw_config_free(&cfg);
}

static void test_del_tenant(void **state)
{
	struct vsw_config cfg;
	uint32_t id;
	size_t n = 99;

	(void)state;
	base(&cfg);
	ok(set_port(&cfg, "vm1", "blue", NULL, NULL, NULL, NULL));
	ok(set_port(&cfg, "vm2", "blue", "trunk", "300", NULL, NULL));
	ok(vsw_config_add_vtep(&cfg, "blue", "198.51.100.2", err, sizeof(err)));
	ok(vsw_config_add_acl(&cfg, "blue", 100, "deny", "tcp,tp_dst=22", &id, err, sizeof(err)));
	ok(vsw_config_add_acl(&cfg, "red", 100, "deny", "udp", &id, err, sizeof(err)));

	refused(&cfg, "no tenant 'green'",
		vsw_config_del_tenant(&cfg, "green", false, &n, err, sizeof(err)));
	refused(&cfg, "tenant 'blue' has ports (vm1, vm2); detach them (set-port PORT tenant=none) "
		      "or use --force",
		vsw_config_del_tenant(&cfg, "blue", false, &n, err, sizeof(err)));
	assert_int_equal(n, 0);
	ok(vsw_config_del_tenant(&cfg, "blue", true, &n, err, sizeof(err)));
	assert_int_equal(n, 2);
	assert_null(vsw_config_find_tenant(&cfg, "blue"));
	assert_string_equal(vsw_config_find_port(&cfg, "vm1")->tenant.tenant, "");
	assert_false(vsw_trunk_has(&vsw_config_find_port(&cfg, "vm2")->tenant, 300));
	assert_int_equal(cfg.n_vteps, 0);
	assert_int_equal(cfg.n_acls, 1); /* red's */
	assert_string_equal(cfg.acls[0].tenant, "red");
	/* Its id stays its name's; VLAN 10 and VNI 5000 are free. */
	assert_int_equal(vsw_config_tenant_id_of(&cfg, "blue"), 1);
	ok(vsw_config_add_tenant(&cfg, "green", 10, 5000, 1, err, sizeof(err)));
	assert_int_equal(vsw_config_find_tenant(&cfg, "green")->id, 3);
	/* Without ports, no --force needed. */
	ok(vsw_config_del_tenant(&cfg, "green", false, &n, err, sizeof(err)));
	assert_int_equal(n, 0);
	vsw_config_free(&cfg);
}

static void test_uplink(void **state)
{
	struct vsw_config cfg;
	char ip[VSW_IPV4_TEXT_MAX];

	(void)state;
	base(&cfg);
	ok(set_port(&cfg, "vm1", "blue", NULL, NULL, NULL, NULL));
	ok(vsw_config_set_uplink(&cfg, "up0", NULL, NULL, err, sizeof(err)));
	assert_true(vsw_config_is_uplink(&cfg, "up0"));
	assert_false(cfg.uplink.has_local_ip);
	ok(vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", NULL, err, sizeof(err)));
	vsw_ipv4_format(cfg.uplink.local_ip, ip);
	assert_string_equal(ip, "192.0.2.1");

	refused(&cfg, "no port 'vm9'", vsw_config_set_uplink(&cfg, "vm9", NULL, NULL, err, sizeof(err)));
	refused(&cfg, "port 'vm1' belongs to tenant 'blue'; the uplink carries every tenant and "
		      "joins none",
		vsw_config_set_uplink(&cfg, "vm1", NULL, NULL, err, sizeof(err)));
	refused(&cfg, "local_ip '192.0.2' is not an IPv4 address",
		vsw_config_set_uplink(&cfg, "up0", "192.0.2", NULL, err, sizeof(err)));
	refused(&cfg, "local_ip 239.1.1.1 is not a unicast address",
		vsw_config_set_uplink(&cfg, "up0", "239.1.1.1", NULL, err, sizeof(err)));
	refused(&cfg, "set-uplink none takes no local_ip or nexthop",
		vsw_config_set_uplink(&cfg, "none", "192.0.2.1", NULL, err, sizeof(err)));
	refused(&cfg, "set-uplink none takes no local_ip or nexthop",
		vsw_config_set_uplink(&cfg, "none", NULL, "02:00:00:00:00:fe", err, sizeof(err)));

	/* A static next hop: a unicast MAC, with a local_ip; refusals change nothing. */
	ok(vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", "02:00:00:00:00:FE", err,
				 sizeof(err)));
	assert_true(cfg.uplink.has_nexthop);
	assert_memory_equal(cfg.uplink.nexthop, "\x02\x00\x00\x00\x00\xfe", 6);
	refused(&cfg, "nexthop '02:00:00:00:00' is not a MAC address (02:00:00:00:00:01)",
		vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", "02:00:00:00:00", err,
				      sizeof(err)));
	refused(&cfg, "nexthop 'gateway' is not a MAC address (02:00:00:00:00:01)",
		vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", "gateway", err, sizeof(err)));
	refused(&cfg, "nexthop 01:00:5e:00:00:01 is not a unicast MAC address",
		vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", "01:00:5e:00:00:01", err,
				      sizeof(err)));
	refused(&cfg, "nexthop 00:00:00:00:00:00 is not a unicast MAC address",
		vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", "00:00:00:00:00:00", err,
				      sizeof(err)));
	refused(&cfg, "nexthop needs local_ip: it is the next hop of the VXLAN underlay",
		vsw_config_set_uplink(&cfg, "up0", NULL, "02:00:00:00:00:fe", err, sizeof(err)));
	assert_true(cfg.uplink.has_nexthop && cfg.uplink.has_local_ip);
	assert_memory_equal(cfg.uplink.nexthop, "\x02\x00\x00\x00\x00\xfe", 6);
	/* set-uplink again without it: back to the kernel resolver. */
	ok(vsw_config_set_uplink(&cfg, "up0", "192.0.2.1", NULL, err, sizeof(err)));
	assert_false(cfg.uplink.has_nexthop);
	refused(&cfg, "port 'up0' is the uplink; it carries every tenant and joins none",
		set_port(&cfg, "up0", "blue", NULL, NULL, NULL, NULL));
	refused(&cfg, "port 'up0' is the uplink; set-uplink none first",
		vsw_config_del_port_check(&cfg, "up0", err, sizeof(err)));
	refused(&cfg, "port 'vm1' belongs to tenant 'blue'; detach it first (set-port vm1 "
		      "tenant=none)",
		vsw_config_del_port_check(&cfg, "vm1", err, sizeof(err)));
	refused(&cfg, "no port 'vm9'", vsw_config_del_port_check(&cfg, "vm9", err, sizeof(err)));
	ok(vsw_config_del_port_check(&cfg, "vm3", err, sizeof(err)));

	/* Another port takes over; then none. */
	ok(vsw_config_set_uplink(&cfg, "vm3", NULL, NULL, err, sizeof(err)));
	assert_false(vsw_config_is_uplink(&cfg, "up0"));
	ok(vsw_config_set_uplink(&cfg, "none", NULL, NULL, err, sizeof(err)));
	assert_string_equal(cfg.uplink.port, "");
	ok(vsw_config_del_port_check(&cfg, "vm3", err, sizeof(err)));
	vsw_config_free(&cfg);
}

static void test_flows_and_pipeline(void **state)
{
	struct vsw_config cfg;
	struct vsw_flow_cfg flow;

	(void)state;
	base(&cfg);
	add_flow(&cfg, "priority=10,in_port=vm3,actions=output:vm1,output:vm2");
	add_flow(&cfg, "priority=11,in_port=vm1,actions=output:up0");

	/* A port that user flows send to cannot join a tenant or become the uplink. */
	refused(&cfg, "port 'vm2' receives traffic from user flows (table=0,priority=10,"
		      "in_port=vm3,actions=output:vm1,output:vm2); delete them before it joins a "
		      "tenant",
		set_port(&cfg, "vm2", "blue", NULL, NULL, NULL, NULL));
	refused(&cfg, "port 'up0' receives traffic from user flows (table=0,priority=11,"
		      "in_port=vm1,actions=output:up0); delete them before it becomes the uplink",
		vsw_config_set_uplink(&cfg, "up0", NULL, NULL, err, sizeof(err)));
	/* Sending from it is not sending to it; port 3 is not port 33. */
	ok(set_port(&cfg, "vm3", "blue", NULL, NULL, NULL, NULL));

	/* And user flows may not send to a tenant's port or to the uplink. */
	refused(&cfg, "port 'vm3' belongs to tenant 'blue'; its traffic is programmed by the "
		      "tenant pipeline",
		vsw_config_parse_flow(&cfg, "in_port=vm1,actions=output:vm3", &flow, err,
				      sizeof(err)));
	refused(&cfg, "port 'vm3' belongs to tenant 'blue'; its traffic is programmed by the "
		      "tenant pipeline",
		vsw_config_parse_flow(&cfg, "in_port=vm1,actions=mod_vlan_vid:5,output:3", &flow,
				      err, sizeof(err)));
	refused(&cfg, "port 'vm2' receives traffic from user flows (table=0,priority=10,"
		      "in_port=vm3,actions=output:vm1,output:vm2); delete them before it becomes "
		      "the uplink",
		vsw_config_set_uplink(&cfg, "vm2", NULL, NULL, err, sizeof(err)));
	/* Once that flow is gone, vm2 may be the uplink. */
	bool gone[2] = { true, false };
	assert_string_equal(cfg.flows[0].text, "table=0,priority=10,in_port=3,actions=output:1,output:2");
	vsw_config_del_flows(&cfg, gone);
	ok(vsw_config_set_uplink(&cfg, "vm2", NULL, NULL, err, sizeof(err)));
	refused(&cfg, "port 'vm2' is the uplink; its traffic is programmed by the tenant pipeline",
		vsw_config_parse_flow(&cfg, "actions=output:vm2", &flow, err, sizeof(err)));

	/*
	 * Nor rewrite in_port: output:in_port would then send to any port (a
	 * tenant's, the uplink), and a table-249 miss that continues would
	 * enter table 250 as that port.
	 */
	refused(&cfg, "in_port may not be rewritten: it names the port a frame came in on",
		vsw_config_parse_flow(&cfg, "in_port=vm1,actions=set_field:3->in_port,in_port",
				      &flow, err, sizeof(err)));
	refused(&cfg, "in_port may not be rewritten: it names the port a frame came in on",
		vsw_config_parse_flow(&cfg, "actions=load:3->NXM_OF_IN_PORT[],goto_table:249",
				      &flow, err, sizeof(err)));
	ok(vsw_config_parse_flow(&cfg, "in_port=vm1,actions=set_field:7->reg0,in_port", &flow, err,
				 sizeof(err)));
	/*
	 * Nor to the VXLAN port (the highest number no name has had), which
	 * would put a frame into any tenant's VNI: refused before it exists too.
	 */
	refused(&cfg, "port 65280 is the VXLAN port (@vxlan); its traffic is programmed by the "
		      "tenant pipeline",
		vsw_config_parse_flow(&cfg, "in_port=vm1,actions=set_field:100->tun_id,"
				      "set_field:192.0.2.2->tun_dst,output:65280", &flow, err,
				      sizeof(err)));
	ok(vsw_config_parse_flow(&cfg, "in_port=vm1,actions=output:65279", &flow, err,
				 sizeof(err)));

	/* Reserved tables: not to be in, not to be gone to. */
	refused(&cfg, "table 250 is reserved for the tenant pipeline (tables 250..254)",
		vsw_config_parse_flow(&cfg, "table=250,actions=drop", &flow, err, sizeof(err)));
	refused(&cfg, "table 254 is reserved for the tenant pipeline (tables 250..254)",
		vsw_config_parse_flow(&cfg, "table=1,actions=goto_table:254", &flow, err,
				      sizeof(err)));
	refused(&cfg, "table 251 is reserved for the tenant pipeline (tables 250..254)",
		vsw_config_parse_flow(&cfg, "actions=resubmit(,251)", &flow, err, sizeof(err)));
	refused(&cfg, "table 252 is reserved for the tenant pipeline (tables 250..254)",
		vsw_config_table_check(252, err, sizeof(err)));
	ok(vsw_config_table_check(249, err, sizeof(err)));
	ok(vsw_config_parse_flow(&cfg, "table=249,actions=drop", &flow, err, sizeof(err)));
	refused(&cfg, "cookie 0x7673770000010004 is reserved for the tenant pipeline "
		      "(0x767377xxxxxxxxxx)",
		vsw_config_parse_flow(&cfg, "cookie=0x7673770000010004,actions=drop", &flow, err,
				      sizeof(err)));
	ok(vsw_config_parse_flow(&cfg, "cookie=0x7673760000010004,actions=drop", &flow, err,
				 sizeof(err)));
	vsw_config_free(&cfg);
}

static void test_vteps(void **state)
{
	struct vsw_config cfg;

	(void)state;
	base(&cfg);
	/* No uplink, no local_ip yet: a VTEP is intent all the same. */
	ok(vsw_config_add_vtep(&cfg, "blue", "198.51.100.2", err, sizeof(err)));
	ok(vsw_config_add_vtep(&cfg, "blue", "198.51.100.3", err, sizeof(err)));
	assert_int_equal(cfg.n_vteps, 2);
	refused(&cfg, "tenant 'red' has no vni (a VTEP carries a tenant's VNI)",
		vsw_config_add_vtep(&cfg, "red", "198.51.100.2", err, sizeof(err)));
	refused(&cfg, "no tenant 'green'",
		vsw_config_add_vtep(&cfg, "green", "198.51.100.2", err, sizeof(err)));
	refused(&cfg, "tenant 'blue' already has vtep 198.51.100.2",
		vsw_config_add_vtep(&cfg, "blue", "198.51.100.2", err, sizeof(err)));
	refused(&cfg, "vtep 'host1' is not an IPv4 address",
		vsw_config_add_vtep(&cfg, "blue", "host1", err, sizeof(err)));
	refused(&cfg, "vtep '2001:db8::1' is not an IPv4 address",
		vsw_config_add_vtep(&cfg, "blue", "2001:db8::1", err, sizeof(err)));
	refused(&cfg, "vtep 255.255.255.255 is not a unicast address",
		vsw_config_add_vtep(&cfg, "blue", "255.255.255.255", err, sizeof(err)));
	refused(&cfg, "tenant 'blue' has no vtep 198.51.100.9",
		vsw_config_del_vtep(&cfg, "blue", "198.51.100.9", err, sizeof(err)));
	refused(&cfg, "no tenant 'green'",
		vsw_config_del_vtep(&cfg, "green", "198.51.100.2", err, sizeof(err)));
	ok(vsw_config_del_vtep(&cfg, "blue", "198.51.100.2", err, sizeof(err)));
	assert_int_equal(cfg.n_vteps, 1);
	char ip[VSW_IPV4_TEXT_MAX];
	vsw_ipv4_format(cfg.vteps[0].ip, ip);
	assert_string_equal(ip, "198.51.100.3");
	vsw_config_free(&cfg);
}

static void test_acls(void **state)
{
	struct vsw_config cfg;
	uint32_t id = 0;

	(void)state;
	base(&cfg);
	ok(vsw_config_add_acl(&cfg, "blue", 100, "deny", "tcp tp_dst=22", &id, err, sizeof(err)));
	assert_int_equal(id, 1);
	assert_string_equal(cfg.acls[0].match, "tcp,tp_dst=22"); /* canonical */
	assert_false(cfg.acls[0].allow);
	ok(vsw_config_add_acl(&cfg, "blue", 200, "allow", "ip,nw_src=192.0.2.0/24", &id, err,
			      sizeof(err)));
	assert_int_equal(id, 2);
	ok(vsw_config_add_acl(&cfg, "blue", 1, "deny", "", &id, err, sizeof(err)));
	assert_string_equal(cfg.acls[2].match, "");
	ok(vsw_config_add_acl(&cfg, "red", 100, "deny", "tcp,tp_dst=22", &id, err, sizeof(err)));
	assert_int_equal(id, 1); /* per tenant */

	refused(&cfg, "no tenant 'green'",
		vsw_config_add_acl(&cfg, "green", 100, "deny", "", &id, err, sizeof(err)));
	refused(&cfg, "acl priority 0 out of range 1..65535",
		vsw_config_add_acl(&cfg, "blue", 0, "deny", "", &id, err, sizeof(err)));
	refused(&cfg, "acl priority 65536 out of range 1..65535",
		vsw_config_add_acl(&cfg, "blue", 65536, "deny", "", &id, err, sizeof(err)));
	refused(&cfg, "acl action 'drop' is not allow or deny",
		vsw_config_add_acl(&cfg, "blue", 5, "drop", "", &id, err, sizeof(err)));
	refused(&cfg, "tenant 'blue' already has acl 1 with priority 100 and this match",
		vsw_config_add_acl(&cfg, "blue", 100, "allow", "tcp,tp_dst=22", &id, err,
				   sizeof(err)));
	refused(&cfg, "acl match: unknown field 'bogus'",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "bogus=1", &id, err, sizeof(err)));
	refused(&cfg, "acl match: tp_dst: field requires tcp, udp or sctp (ip or ipv6 with "
		      "nw_proto=6, 17 or 132)",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "tp_dst=22", &id, err, sizeof(err)));
	refused(&cfg, "acl match: actions not allowed here",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "tcp,actions=drop", &id, err,
				   sizeof(err)));
	refused(&cfg, "acl match: in_port is not allowed (an ACL applies to the whole tenant)",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "in_port=1", &id, err, sizeof(err)));
	refused(&cfg, "acl match: metadata is not allowed (the tenant pipeline sets it)",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "metadata=0x1000", &id, err,
				   sizeof(err)));
	refused(&cfg, "acl match: tun_id is not allowed (tunnel fields are the tenant pipeline's)",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "tun_id=5", &id, err, sizeof(err)));
	refused(&cfg, "acl match: registers are not allowed (the tenant pipeline uses them)",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "reg3=1", &id, err, sizeof(err)));
	refused(&cfg, "acl match: table, priority, cookie and timeouts are not match fields",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "table=1,tcp", &id, err, sizeof(err)));
	refused(&cfg, "acl match: table, priority, cookie and timeouts are not match fields",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "priority=7", &id, err, sizeof(err)));
	refused(&cfg, "acl match: table, priority, cookie and timeouts are not match fields",
		vsw_config_add_acl(&cfg, "blue", 5, "deny", "cookie=1", &id, err, sizeof(err)));

	refused(&cfg, "tenant 'blue' has no acl 9",
		vsw_config_del_acl(&cfg, "blue", 9, err, sizeof(err)));
	refused(&cfg, "no tenant 'green'", vsw_config_del_acl(&cfg, "green", 1, err, sizeof(err)));
	ok(vsw_config_del_acl(&cfg, "blue", 2, err, sizeof(err)));
	assert_int_equal(cfg.n_acls, 3);
	/* Ids continue after the highest left. */
	ok(vsw_config_add_acl(&cfg, "blue", 7, "allow", "arp", &id, err, sizeof(err)));
	assert_int_equal(id, 4);
	vsw_config_free(&cfg);
}

static void test_copy_and_take(void **state)
{
	struct vsw_config cfg, next;
	char *before, *after;
	size_t n;

	(void)state;
	base(&cfg);
	add_flow(&cfg, "priority=10,in_port=vm3,actions=output:vm1");
	before = snapshot(&cfg);
	assert_int_equal(vsw_config_copy_intent(&cfg, &next), 0);
	assert_true(next.flows_borrowed);
	assert_ptr_equal(next.flows, cfg.flows);
	after = snapshot(&next);
	assert_string_equal(after, before);
	free(after);

	/* Changing the copy leaves the model as it was... */
	ok(set_port(&next, "vm2", "blue", NULL, NULL, NULL, NULL));
	ok(vsw_config_add_vtep(&next, "blue", "198.51.100.2", err, sizeof(err)));
	ok(vsw_config_del_tenant(&next, "red", false, &n, err, sizeof(err)));
	/* ... and sees the model's flows (vm1 has one sending to it). */
	refused(&next, "port 'vm1' receives traffic from user flows (table=0,priority=10,"
		       "in_port=vm3,actions=output:vm1); delete them before it joins a tenant",
		set_port(&next, "vm1", "blue", NULL, NULL, NULL, NULL));
	after = snapshot(&cfg);
	assert_string_equal(after, before);
	free(after);

	/* A dropped copy leaves the model's flows alone. */
	struct vsw_config spare;
	assert_int_equal(vsw_config_copy_intent(&cfg, &spare), 0);
	vsw_config_free(&spare);
	assert_int_equal(cfg.n_flows, 1);
	assert_non_null(cfg.flows[0].text);

	/* Taken: the model is the copy. */
	free(before);
	before = snapshot(&next);
	vsw_config_take_intent(&cfg, &next);
	after = snapshot(&cfg);
	assert_string_equal(after, before);
	assert_null(next.ports);
	assert_null(vsw_config_find_tenant(&cfg, "red"));
	assert_int_equal(cfg.n_flows, 1);
	free(before);
	free(after);
	vsw_config_free(&cfg);
}

static void test_cookie_owner(void **state)
{
	struct vsw_config cfg;
	char buf[32] = "untouched";

	(void)state;
	base(&cfg);
	assert_false(vsw_config_cookie_owner(&cfg, 0x2a, buf, sizeof(buf)));
	assert_string_equal(buf, "untouched");
	assert_true(vsw_config_cookie_owner(&cfg, vsw_tenant_cookie(2, VSW_COOKIE_ACL), buf,
					    sizeof(buf)));
	assert_string_equal(buf, "tenant=red");
	assert_true(vsw_config_cookie_owner(&cfg, vsw_tenant_cookie(77, VSW_COOKIE_ACL), buf,
					    sizeof(buf)));
	assert_string_equal(buf, "tenant=#77");
	vsw_config_free(&cfg);
}

static void test_port_types(void **state)
{
	struct vsw_config cfg;
	struct vsw_port_cfg p;

	(void)state;
	base(&cfg);
	add_port(&cfg, "t1", "tap", NULL);
	add_port(&cfg, "d1", "dpdk", "net_af_packet,iface=veth0");
	p = *vsw_config_find_port(&cfg, "d1");
	assert_string_equal(p.devargs, "net_af_packet,iface=veth0");
	assert_string_equal(p.mode, "");
	assert_string_equal(p.path, "");
	assert_string_equal(vsw_config_find_port(&cfg, "t1")->mode, "");

#define new_refused(msg, ...)                                                              \
	refused(&cfg, msg, vsw_config_new_port(&cfg, RUN, __VA_ARGS__, &p, err, sizeof(err)))
	new_refused("port 'd2': a dpdk port needs devargs (a PCI address, or a vdev such as "
		    "net_af_packet,iface=eth1)", "d2", "dpdk", NULL, NULL, NULL);
	new_refused("devargs 'net_af_packet,iface=veth0' are already used by port 'd1'", "d2",
		    "dpdk", NULL, NULL, "net_af_packet,iface=veth0");
	new_refused("port 't2': a tap port takes no devargs", "t2", "tap", NULL, NULL, "x");
	new_refused("port 't2': a tap port takes no mode or socket path", "t2", "tap", "server",
		    NULL, NULL);
	new_refused("port 'd2': a dpdk port takes no mode or socket path", "d2", "dpdk", NULL,
		    "/tmp/d2.sock", "0000:01:00.0");
	new_refused("port 'vm4': a vhost-user port takes no devargs", "vm4", "vhost-user", NULL,
		    NULL, "0000:01:00.0");
	new_refused("port name '..' cannot name a kernel interface", "..", "tap", NULL, NULL,
		    NULL);
	new_refused("port 't1' already exists", "t1", "tap", NULL, NULL, NULL);
#undef new_refused
	/* Two taps have no path to share. */
	add_port(&cfg, "t2", "tap", NULL);
	vsw_config_free(&cfg);
}

static void test_loading(void **state)
{
	struct vsw_config cfg;
	struct vsw_port_cfg p;

	(void)state;
	vsw_config_init(&cfg);
	ok(vsw_config_load_tenant_number(&cfg, "blue", 1, err, sizeof(err)));
	ok(vsw_config_load_tenant_number(&cfg, "old", 7, err, sizeof(err)));
	refused(&cfg, "tenant id 1 given to both 'blue' and 'red'",
		vsw_config_load_tenant_number(&cfg, "red", 1, err, sizeof(err)));
	refused(&cfg, "tenant id 4096 out of range 1..4095",
		vsw_config_load_tenant_number(&cfg, "red", 4096, err, sizeof(err)));
	refused(&cfg, "name 'blue' numbered twice",
		vsw_config_load_tenant_number(&cfg, "blue", 3, err, sizeof(err)));
	ok(vsw_config_load_tenant_number(&cfg, "red", 2, err, sizeof(err)));
	ok(vsw_config_load_tenant(&cfg, "blue", 10, 5000, 1024, err, sizeof(err)));
	refused(&cfg, "tenant 'green' has no id",
		vsw_config_load_tenant(&cfg, "green", 0, 0, 1, err, sizeof(err)));
	refused(&cfg, "tenant 'blue' stored twice",
		vsw_config_load_tenant(&cfg, "blue", 0, 0, 1, err, sizeof(err)));
	refused(&cfg, "vlan 10 is used by tenant 'blue'",
		vsw_config_load_tenant(&cfg, "red", 10, 0, 1, err, sizeof(err)));
	ok(vsw_config_load_tenant(&cfg, "red", 20, 0, 1, err, sizeof(err)));

	ok(vsw_config_load_number(&cfg, "vm1", 1, err, sizeof(err)));
	ok(vsw_config_load_number(&cfg, "vm2", 2, err, sizeof(err)));
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "vm1");
	p.port_no = 1;
	snprintf(p.type, sizeof(p.type), "vhost-user");
	snprintf(p.mode, sizeof(p.mode), "server");
	snprintf(p.path, sizeof(p.path), "/run/vsw/vm1.sock");
	ok(vsw_port_tenant_parse("blue", "trunk", "20", NULL, NULL, &p.tenant, err, sizeof(err)));
	refused(&cfg, "vlan 20 is used by tenant 'red'",
		vsw_config_load_port(&cfg, &p, err, sizeof(err)));
	ok(vsw_port_tenant_parse("gone", NULL, NULL, NULL, NULL, &p.tenant, err, sizeof(err)));
	refused(&cfg, "no tenant 'gone'", vsw_config_load_port(&cfg, &p, err, sizeof(err)));
	ok(vsw_port_tenant_parse("blue", NULL, NULL, NULL, NULL, &p.tenant, err, sizeof(err)));
	ok(vsw_config_load_port(&cfg, &p, err, sizeof(err)));
	p.tenant.tenant[0] = '\0';
	snprintf(p.name, sizeof(p.name), "vm2");
	p.port_no = 2;
	snprintf(p.path, sizeof(p.path), "/run/vsw/vm2.sock");
	ok(vsw_config_load_port(&cfg, &p, err, sizeof(err)));

	refused(&cfg, "port 'vm1' is also in tenant 'blue'",
		vsw_config_load_uplink(&cfg, "vm1", NULL, NULL, err, sizeof(err)));
	refused(&cfg, "no port 'vm7'", vsw_config_load_uplink(&cfg, "vm7", NULL, NULL, err, sizeof(err)));
	refused(&cfg, "local_ip 'x' is not an IPv4 address",
		vsw_config_load_uplink(&cfg, "vm2", "x", NULL, err, sizeof(err)));
	refused(&cfg, "nexthop 'x' is not a MAC address (02:00:00:00:00:01)",
		vsw_config_load_uplink(&cfg, "vm2", "192.0.2.1", "x", err, sizeof(err)));
	refused(&cfg, "nexthop needs local_ip: it is the next hop of the VXLAN underlay",
		vsw_config_load_uplink(&cfg, "vm2", NULL, "02:00:00:00:00:fe", err, sizeof(err)));
	ok(vsw_config_load_uplink(&cfg, "vm2", "192.0.2.1", "02:00:00:00:00:fe", err,
				  sizeof(err)));
	assert_true(cfg.uplink.has_nexthop);
	ok(vsw_config_load_uplink(&cfg, "vm2", "192.0.2.1", NULL, err, sizeof(err)));
	refused(&cfg, "tenant 'red' has no vni (a VTEP carries a tenant's VNI)",
		vsw_config_load_vtep(&cfg, "red", "198.51.100.2", err, sizeof(err)));
	ok(vsw_config_load_vtep(&cfg, "blue", "198.51.100.2", err, sizeof(err)));
	refused(&cfg, "acl match: unknown field 'x'",
		vsw_config_load_acl(&cfg, "blue", 3, 10, "deny", "x=1", err, sizeof(err)));
	refused(&cfg, "acl id 0 out of range 1..4294967295",
		vsw_config_load_acl(&cfg, "blue", 0, 10, "deny", "", err, sizeof(err)));
	ok(vsw_config_load_acl(&cfg, "blue", 3, 10, "deny", "udp", err, sizeof(err)));
	refused(&cfg, "acl 3 of tenant 'blue' stored twice",
		vsw_config_load_acl(&cfg, "blue", 3, 11, "deny", "tcp", err, sizeof(err)));
	refused(&cfg, "no tenant 'old'",
		vsw_config_load_acl(&cfg, "old", 1, 11, "deny", "tcp", err, sizeof(err)));
	vsw_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_forms),
		cmocka_unit_test(test_tenants),
		cmocka_unit_test(test_tenant_ids_run_out),
		cmocka_unit_test(test_set_port),
		cmocka_unit_test(test_del_tenant),
		cmocka_unit_test(test_uplink),
		cmocka_unit_test(test_flows_and_pipeline),
		cmocka_unit_test(test_vteps),
		cmocka_unit_test(test_acls),
		cmocka_unit_test(test_copy_and_take),
		cmocka_unit_test(test_cookie_owner),
		cmocka_unit_test(test_port_types),
		cmocka_unit_test(test_loading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
