/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The match fields beyond L2 (test_parse.c has those): exact key/mask
 * values, the printed form (as ovs-ofctl dump-flows prints it), round trips
 * of every field with and without masks, prerequisites and every error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "parse_util.h"

static void test_shorthands(void **state)
{
	static const struct {
		const char *name;
		uint16_t dl_type;
		int nw_proto; /* -1: not matched */
	} cases[] = {
		{ "ip", 0x0800, -1 },	 { "ipv6", 0x86dd, -1 }, { "arp", 0x0806, -1 },
		{ "icmp", 0x0800, 1 },	 { "icmp6", 0x86dd, 58 }, { "tcp", 0x0800, 6 },
		{ "tcp6", 0x86dd, 6 },	 { "udp", 0x0800, 17 },	  { "udp6", 0x86dd, 17 },
		{ "sctp", 0x0800, 132 }, { "sctp6", 0x86dd, 132 },
	};
	struct vsw_flow_spec spec;
	char text[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "%s,actions=drop", cases[i].name);
		add_ok(text, &spec);
		assert_int_equal(spec.match.key.dl_type, cases[i].dl_type);
		assert_int_equal(spec.match.mask.dl_type, 0xffff);
		assert_int_equal(spec.match.mask.nw_proto, cases[i].nw_proto < 0 ? 0 : 0xff);
		if (cases[i].nw_proto >= 0)
			assert_int_equal(spec.match.key.nw_proto, cases[i].nw_proto);
		snprintf(text, sizeof(text), "%s,actions=drop", cases[i].name);
		match_print(text, cases[i].name);
	}
	/* dl_type and nw_proto spelled out print as the shorthand. */
	match_print("dl_type=0x0800,nw_proto=6,actions=drop", "tcp");
	match_print("dl_type=0x86dd,nw_proto=58,actions=drop", "icmp6");
	match_print("dl_type=2054,actions=drop", "arp");
	match_print("ip,nw_proto=47,actions=drop", "ip,nw_proto=47");
	match_print("ipv6,nw_proto=1,actions=drop", "ipv6,nw_proto=1");
	match_print("ip,nw_proto=58,actions=drop", "ip,nw_proto=58");
	match_print("dl_type=0x88cc,actions=drop", "dl_type=0x88cc");
	/* The later one wins. */
	match_print("tcp,udp,actions=drop", "udp");
	match_print("udp,dl_type=0x86dd,actions=drop", "udp6");
	match_print("tcp,ip,actions=drop", "tcp");
}

static void test_ipv4_fields(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("ip,nw_src=10.1.2.3,nw_dst=192.168.0.0/16,actions=drop", &spec);
	assert_int_equal(spec.match.key.nw_src, 0x0a010203);
	assert_int_equal(spec.match.mask.nw_src, 0xffffffff);
	assert_int_equal(spec.match.key.nw_dst, 0xc0a80000);
	assert_int_equal(spec.match.mask.nw_dst, 0xffff0000);
	/* Key bits outside the mask are dropped; arbitrary masks too. */
	add_ok("ip,nw_src=10.1.2.3/8,nw_dst=10.1.2.3/255.0.255.0,actions=drop", &spec);
	assert_int_equal(spec.match.key.nw_src, 0x0a000000);
	assert_int_equal(spec.match.key.nw_dst, 0x0a000200);
	assert_int_equal(spec.match.mask.nw_dst, 0xff00ff00);
	match_print("ip,nw_src=10.1.2.3/8,nw_dst=10.1.2.3/255.0.255.0,actions=drop",
		    "ip,nw_src=10.0.0.0/8,nw_dst=10.0.2.0/255.0.255.0");
	match_print("ip,nw_src=0.0.0.0/0,actions=drop", "ip");
	match_print("ip,nw_src=1.2.3.4/32,nw_dst=1.2.3.4/255.255.255.254,actions=drop",
		    "ip,nw_src=1.2.3.4,nw_dst=1.2.3.4/31");
	match_print("ip,ip_src=1.1.1.1,ip_dst=2.2.2.2,actions=drop",
		    "ip,nw_src=1.1.1.1,nw_dst=2.2.2.2");
	match_print("ip,nw_proto=89,nw_tos=184,nw_ttl=1,actions=drop",
		    "ip,nw_proto=89,nw_tos=184,nw_ttl=1");
	add_ok("ip,ip_dscp=46,nw_ecn=3,actions=drop", &spec);
	assert_int_equal(spec.match.key.nw_tos, 0xbb);
	assert_int_equal(spec.match.mask.nw_tos, 0xff);
	match_print("ip,ip_dscp=46,nw_ecn=3,actions=drop", "ip,nw_tos=184,nw_ecn=3");
	match_print("ipv6,ip_ecn=1,actions=drop", "ipv6,nw_ecn=1");
	match_print("ip,ip_proto=6,actions=drop", "tcp");
	/* `*` wildcards a field again. */
	match_print("ip,nw_src=1.2.3.4,nw_src=*,actions=drop", "ip");
}

static void test_l4_fields(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("tcp,tp_src=1024,tp_dst=80,actions=drop", &spec);
	assert_int_equal(spec.match.key.tp_src, 1024);
	assert_int_equal(spec.match.mask.tp_src, 0xffff);
	assert_int_equal(spec.match.key.tp_dst, 80);
	match_print("tcp,tp_dst=0x0050/0xfff0,actions=drop", "tcp,tp_dst=0x50/0xfff0");
	match_print("udp,tp_dst=0x1234/0xffff,actions=drop", "udp,tp_dst=4660");
	match_print("sctp6,tp_src=9,actions=drop", "sctp6,tp_src=9");
	match_print("tcp,tcp_src=1,tcp_dst=2,actions=drop", "tcp,tp_src=1,tp_dst=2");
	match_print("udp6,udp_src=1,udp_dst=2,actions=drop", "udp6,tp_src=1,tp_dst=2");
	match_print("sctp,sctp_src=1,sctp_dst=2,actions=drop", "sctp,tp_src=1,tp_dst=2");
	add_ok("icmp,icmp_type=8,icmp_code=0,actions=drop", &spec);
	assert_int_equal(spec.match.key.tp_src, 8);
	assert_int_equal(spec.match.mask.tp_src, 0x00ff);
	assert_int_equal(spec.match.mask.tp_dst, 0x00ff);
	match_print("icmp,icmp_type=8,icmp_code=0,actions=drop", "icmp,icmp_type=8,icmp_code=0");
	match_print("icmp6,icmp_type=135,actions=drop", "icmp6,icmp_type=135");
	match_print("icmp6,icmpv6_type=136,icmpv6_code=0,actions=drop",
		    "icmp6,icmp_type=136,icmp_code=0");
}

static void test_arp_fields(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("arp,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,actions=drop", &spec);
	assert_int_equal(spec.match.key.nw_proto, 2);
	assert_int_equal(spec.match.key.nw_src, 0x0a000001);
	assert_int_equal(spec.match.mask.nw_dst, 0xffffff00);
	match_print("arp,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,actions=drop",
		    "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=2");
	/* OpenFlow 1.0 names: nw_src is the ARP sender, nw_proto the opcode. */
	match_print("arp,nw_src=1.2.3.4,nw_dst=5.6.7.8,nw_proto=1,actions=drop",
		    "arp,arp_spa=1.2.3.4,arp_tpa=5.6.7.8,arp_op=1");
}

static void test_ipv6_fields(void **state)
{
	static const uint8_t a1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t m48[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8:1:2:3::/48,actions=drop", &spec);
	assert_memory_equal(spec.match.key.ipv6_src, a1, 16);
	assert_true(memchr(spec.match.mask.ipv6_src, 0, 16) == NULL);
	assert_memory_equal(spec.match.mask.ipv6_dst, m48, 16);
	match_print("ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8:1:2:3::/48,actions=drop",
		    "ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8:1::/48");
	match_print("ipv6,ipv6_src=::/0,ipv6_dst=::1/128,actions=drop", "ipv6,ipv6_dst=::1");
	match_print("ipv6,ipv6_src=2001:db8::ff/ffff::ff,actions=drop",
		    "ipv6,ipv6_src=2001::ff/ffff::ff");
	match_print("tcp6,ipv6_src=fe80::1,nw_tos=8,nw_ttl=255,tp_dst=22,actions=drop",
		    "tcp6,ipv6_src=fe80::1,nw_tos=8,nw_ttl=255,tp_dst=22");
}

static void test_metadata_fields(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("tun_id=5000,metadata=0x1/0xff,reg0=1,reg7=0xffffffff/0xf0000000,actions=drop",
	       &spec);
	assert_true(spec.match.key.tun_id == 5000 && spec.match.mask.tun_id == UINT64_MAX);
	assert_true(spec.match.key.metadata == 1 && spec.match.mask.metadata == 0xff);
	assert_int_equal(spec.match.key.regs[0], 1);
	assert_int_equal(spec.match.key.regs[7], 0xf0000000);
	assert_int_equal(spec.match.mask.regs[7], 0xf0000000);
	/* Open vSwitch's order: shorthand, registers, tunnel, metadata, in_port, ... */
	match_print("tcp,tp_dst=80,in_port=vm1,metadata=0x1/0xff,tun_id=5000,reg7=0,reg0=1,"
		    "dl_vlan=3,dl_dst=02:00:00:00:00:01,nw_dst=10.0.0.1,priority=5,actions=drop",
		    "priority=5,tcp,reg0=0x1,reg7=0,tun_id=0x1388,metadata=0x1/0xff,in_port=vm1,"
		    "dl_vlan=3,dl_dst=02:00:00:00:00:01,nw_dst=10.0.0.1,tp_dst=80");
	match_print("tunnel_id=0xffffffffffffffff,actions=drop", "tun_id=0xffffffffffffffff");
	/* Tunnel endpoints, in the key as on the wire, printed after tun_id. */
	add_ok("tun_src=198.51.100.7,tun_dst=203.0.113.0/24,actions=drop", &spec);
	static const uint8_t src[4] = { 198, 51, 100, 7 }, dst[4] = { 203, 0, 113, 0 };
	static const uint8_t all[4] = { 0xff, 0xff, 0xff, 0xff }, m24[4] = { 0xff, 0xff, 0xff, 0 };
	assert_memory_equal(&spec.match.key.tun_src, src, 4);
	assert_memory_equal(&spec.match.mask.tun_src, all, 4);
	assert_memory_equal(&spec.match.key.tun_dst, dst, 4);
	assert_memory_equal(&spec.match.mask.tun_dst, m24, 4);
	match_print("metadata=1,tun_dst=203.0.113.9/255.255.0.255,tun_src=198.51.100.0/24,"
		    "tun_id=100,in_port=vm1,actions=drop",
		    "tun_id=0x64,tun_src=198.51.100.0/24,tun_dst=203.0.0.9/255.255.0.255,"
		    "metadata=0x1,in_port=vm1");
	match_print("tun_src=198.51.100.7/0,tun_dst=*,actions=drop", "");
	match_print("reg3=0/0,actions=drop", "");
	match_print("eth_src=02:00:00:00:00:01,eth_dst=02:00:00:00:00:02,eth_type=0x88cc,"
		    "actions=drop",
		    "dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,dl_type=0x88cc");
}

static void test_vlan_pcp(void **state)
{
	struct vsw_flow_spec spec;

	(void)state;
	add_ok("dl_vlan_pcp=5,actions=drop", &spec);
	assert_int_equal(spec.match.key.vlan_tci, 0xb000);
	assert_int_equal(spec.match.mask.vlan_tci, 0xf000);
	match_print("dl_vlan_pcp=5,actions=drop", "dl_vlan_pcp=5");
	/* As Open vSwitch: dl_vlan and dl_vlan_pcp combine, in either order. */
	match_print("dl_vlan_pcp=7,dl_vlan=10,actions=drop", "dl_vlan=10,dl_vlan_pcp=7");
	match_print("dl_vlan=10,dl_vlan_pcp=7,actions=drop", "dl_vlan=10,dl_vlan_pcp=7");
	match_print("vlan_tci=0x1000/0x1fff,actions=drop", "dl_vlan=0");
	match_print("vlan_tci=0x0005/0x1fff,actions=drop", "vlan_tci=0x0005/0x1fff");
	add_err("dl_vlan_pcp=8,actions=drop", "dl_vlan_pcp: '8' out of range 0..7");
	/* `*` takes a VLAN field back; the last one takes "tagged" too. */
	match_print("dl_vlan=10,dl_vlan_pcp=7,dl_vlan=*,actions=drop", "dl_vlan_pcp=7");
	match_print("dl_vlan=10,dl_vlan_pcp=7,dl_vlan_pcp=*,actions=drop", "dl_vlan=10");
	match_print("dl_vlan=10,dl_vlan=*,actions=drop", "");
	match_print("vlan_tci=0x1000/0x1000,vlan_tci=*,actions=drop", "");
}

static void test_prereq_errors(void **state)
{
	(void)state;
	add_err("tp_dst=80,actions=drop", "tp_dst: field requires tcp, udp or sctp (ip or ipv6 "
					  "with nw_proto=6, 17 or 132)");
	add_err("ip,tp_src=80,actions=drop", "tp_src: field requires tcp, udp or sctp (ip or ipv6 "
					     "with nw_proto=6, 17 or 132)");
	add_err("icmp,tp_src=8,actions=drop", "tp_src: field requires tcp, udp or sctp (ip or "
					      "ipv6 with nw_proto=6, 17 or 132)");
	add_err("udp,tcp_dst=22,actions=drop",
		"tcp_dst: field requires tcp or tcp6 (ip or ipv6 with nw_proto=6)");
	add_err("tcp,udp_src=22,actions=drop",
		"udp_src: field requires udp or udp6 (ip or ipv6 with nw_proto=17)");
	add_err("tcp,sctp_dst=22,actions=drop",
		"sctp_dst: field requires sctp or sctp6 (ip or ipv6 with nw_proto=132)");
	add_err("nw_src=10.0.0.1,actions=drop",
		"nw_src: field requires ip or arp (dl_type=0x0800 or 0x0806)");
	add_err("ipv6,nw_dst=10.0.0.1,actions=drop",
		"nw_dst: field requires ip or arp (dl_type=0x0800 or 0x0806)");
	add_err("arp,ip_src=10.0.0.1,actions=drop", "ip_src: field requires ip (dl_type=0x0800)");
	add_err("nw_proto=6,actions=drop", "nw_proto: field requires ip, ipv6 or arp "
					   "(dl_type=0x0800, 0x86dd or 0x0806)");
	add_err("arp,ip_proto=6,actions=drop",
		"ip_proto: field requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("nw_tos=4,actions=drop",
		"nw_tos: field requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("arp,nw_ttl=4,actions=drop",
		"nw_ttl: field requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("ip_dscp=4,actions=drop",
		"ip_dscp: field requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("nw_ecn=1,actions=drop",
		"nw_ecn: field requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("ip,arp_op=1,actions=drop", "arp_op: field requires arp (dl_type=0x0806)");
	add_err("arp_spa=1.1.1.1,actions=drop", "arp_spa: field requires arp (dl_type=0x0806)");
	add_err("ip,arp_tpa=1.1.1.1,actions=drop", "arp_tpa: field requires arp (dl_type=0x0806)");
	add_err("ip,ipv6_src=::1,actions=drop", "ipv6_src: field requires ipv6 (dl_type=0x86dd)");
	add_err("ipv6_dst=::1,actions=drop", "ipv6_dst: field requires ipv6 (dl_type=0x86dd)");
	add_err("tcp,icmp_type=8,actions=drop", "icmp_type: field requires icmp or icmp6 (ip with "
						"nw_proto=1, or ipv6 with nw_proto=58)");
	add_err("ip,nw_proto=58,icmp_code=0,actions=drop",
		"icmp_code: field requires icmp or icmp6 (ip with nw_proto=1, or ipv6 with "
		"nw_proto=58)");
	add_err("icmp,icmpv6_type=1,actions=drop",
		"icmpv6_type: field requires icmp6 (ipv6 with nw_proto=58)");
	add_err("icmpv6_code=1,actions=drop",
		"icmpv6_code: field requires icmp6 (ipv6 with nw_proto=58)");
	/* Order does not matter: the prerequisite may come later. */
	round_trip_text("tp_dst=80,nw_src=10.0.0.1,tcp,actions=drop");
	/* A later dl_type takes the prerequisite away again. */
	add_err("tcp,tp_dst=80,dl_type=0x0806,actions=drop",
		"tp_dst: field requires tcp, udp or sctp (ip or ipv6 with nw_proto=6, 17 or 132)");
	/* A shorthand's nw_proto needs its dl_type too (found by fuzz_parse). */
	add_err("tcp6,dl_type=22,actions=drop", "nw_proto: field requires ip, ipv6 or arp "
						"(dl_type=0x0800, 0x86dd or 0x0806)");
	match_print("tcp,dl_type=0x0806,actions=drop", "arp,arp_op=6");
	/* A wildcarded field needs nothing. */
	round_trip_text("tp_dst=*,actions=drop");
	/* Filters check prerequisites too. */
	parse_err("tp_dst=80", VSW_PARSE_FILTER, NULL,
		  "tp_dst: field requires tcp, udp or sctp (ip or ipv6 with nw_proto=6, 17 or "
		  "132)");
}

static void test_value_errors(void **state)
{
	(void)state;
	add_err("ip,nw_src=10.0.0.256,actions=drop", "nw_src: '10.0.0.256' is not an IPv4 address");
	add_err("ip,nw_src=10.0.0,actions=drop", "nw_src: '10.0.0' is not an IPv4 address");
	add_err("ip,nw_src=10.0.0.1.2,actions=drop", "nw_src: '10.0.0.1.2' is not an IPv4 address");
	add_err("ip,nw_src=,actions=drop", "nw_src: '' is not an IPv4 address");
	add_err("ip,nw_src=a.b.c.d,actions=drop", "nw_src: 'a.b.c.d' is not an IPv4 address");
	add_err("ip,nw_src=1.2.3.4/33,actions=drop",
		"nw_src: '33' is not a prefix length (0..32) or an IPv4 mask");
	add_err("ip,nw_dst=1.2.3.4/,actions=drop",
		"nw_dst: '' is not a prefix length (0..32) or an IPv4 mask");
	add_err("arp,arp_spa=1.2.3.4/x,actions=drop",
		"arp_spa: 'x' is not a prefix length (0..32) or an IPv4 mask");
	add_err("ipv6,ipv6_src=2001:db8::g,actions=drop",
		"ipv6_src: '2001:db8::g' is not an IPv6 address");
	add_err("ipv6,ipv6_src=1.2.3.4,actions=drop", "ipv6_src: '1.2.3.4' is not an IPv6 address");
	add_err("ipv6,ipv6_dst=::1/129,actions=drop",
		"ipv6_dst: '129' is not a prefix length (0..128) or an IPv6 mask");
	add_err("ipv6,ipv6_dst=::1/ffff::g,actions=drop",
		"ipv6_dst: 'ffff::g' is not a prefix length (0..128) or an IPv6 mask");
	add_err("tcp,tp_dst=65536,actions=drop", "tp_dst: '65536' out of range 0..65535");
	add_err("tcp,tp_dst=http,actions=drop", "tp_dst: 'http' is not a number");
	add_err("tcp,tp_dst=1/0x10000,actions=drop", "tp_dst: '0x10000' out of range 0..65535");
	add_err("icmp,icmp_type=256,actions=drop", "icmp_type: '256' out of range 0..255");
	add_err("ip,nw_proto=256,actions=drop", "nw_proto: '256' out of range 0..255");
	add_err("ip,nw_ttl=-1,actions=drop", "nw_ttl: '-1' is not a number");
	add_err("ip,nw_tos=5,actions=drop",
		"nw_tos: '5' is not a DSCP value shifted left by 2 (the low 2 bits are ECN)");
	add_err("ip,nw_tos=256,actions=drop", "nw_tos: '256' out of range 0..255");
	add_err("ip,ip_dscp=64,actions=drop", "ip_dscp: '64' out of range 0..63");
	add_err("ip,nw_ecn=4,actions=drop", "nw_ecn: '4' out of range 0..3");
	add_err("arp,arp_op=256,actions=drop", "arp_op: '256' out of range 0..255");
	add_err("reg0=0x100000000,actions=drop", "reg0: '0x100000000' out of range 0..4294967295");
	add_err("reg8=1,actions=drop", "unknown field 'reg8'");
	add_err("tun_id=1/x,actions=drop", "tun_id: 'x' is not a number");
	add_err("metadata=,actions=drop", "metadata: '' is not a number");
	add_err("tun_id,actions=drop", "tun_id: missing value");
	add_err("tun_src=198.51.100.300,actions=drop",
		"tun_src: '198.51.100.300' is not an IPv4 address");
	add_err("tun_dst=1.2.3.4/33,actions=drop",
		"tun_dst: '33' is not a prefix length (0..32) or an IPv4 mask");
	add_err("NXM_NX_TUN_IPV4_SRC=1.2.3.4,actions=drop", "unknown field 'NXM_NX_TUN_IPV4_SRC'");
	/* Masks only where Open vSwitch allows them. */
	add_err("ip,nw_proto=6/0xff,actions=drop", "nw_proto: field cannot be masked ('6/0xff')");
	add_err("ip,nw_ttl=6/1,actions=drop", "nw_ttl: field cannot be masked ('6/1')");
	add_err("in_port=1/1,actions=drop", "in_port: field cannot be masked ('1/1')");
	add_err("dl_type=0x800/0xff00,actions=drop",
		"dl_type: field cannot be masked ('0x800/0xff00')");
	add_err("icmp,icmp_type=1/1,actions=drop", "icmp_type: field cannot be masked ('1/1')");
	add_err("arp,arp_op=1/1,actions=drop", "arp_op: field cannot be masked ('1/1')");
	/* Writable-only and NXM names are not match fields. */
	add_err("vlan_vid=5,actions=drop", "unknown field 'vlan_vid'");
	add_err("NXM_NX_REG0=5,actions=drop", "unknown field 'NXM_NX_REG0'");
}

/* Every field at a few values, with masks where allowed: all round-trip. */
static void test_round_trips(void **state)
{
	static const char *const texts[] = {
		"ip,nw_src=0.0.0.1,nw_dst=255.255.255.255,nw_proto=0,nw_tos=252,nw_ecn=0,nw_ttl=0,"
		"actions=drop",
		"tcp,nw_src=128.0.0.0/1,tp_src=0,tp_dst=65535,actions=drop",
		"udp,tp_src=0x8000/0x8000,tp_dst=1/1,actions=drop",
		"icmp,icmp_type=255,icmp_code=255,actions=drop",
		"icmp6,icmp_type=0,ipv6_dst=ff02::/16,actions=drop",
		"arp,arp_op=0,arp_spa=0.0.0.0/1,arp_tpa=1.2.3.4/255.255.0.0,actions=drop",
		"arp,dl_vlan=0xffff,actions=drop",
		"ipv6,ipv6_src=::/1,ipv6_dst=::ffff:1.2.3.4,actions=drop",
		"reg1=0xffffffff,reg2=0x1/0x1,reg3=0x80000000/0x80000000,reg4=0,reg5=0,reg6=5,"
		"actions=drop",
		"tun_id=0/0xffff,metadata=0xfedcba9876543210,actions=drop",
		"tun_src=0.0.0.1,tun_dst=255.255.255.255,actions=drop",
		"tun_id=5,tun_src=128.0.0.0/1,tun_dst=10.0.0.0/255.0.255.0,actions=drop",
		"in_port=uplink,dl_vlan=4095,dl_vlan_pcp=0,tcp6,tp_dst=443,actions=drop",
		"table=9,priority=1,cookie=0x99,idle_timeout=60,ip,nw_tos=4,actions=drop",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		round_trip_text(texts[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shorthands),	cmocka_unit_test(test_ipv4_fields),
		cmocka_unit_test(test_l4_fields),	cmocka_unit_test(test_arp_fields),
		cmocka_unit_test(test_ipv6_fields),	cmocka_unit_test(test_metadata_fields),
		cmocka_unit_test(test_vlan_pcp),	cmocka_unit_test(test_prereq_errors),
		cmocka_unit_test(test_value_errors),	cmocka_unit_test(test_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
