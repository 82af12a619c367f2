/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The actions beyond output/flood/in_port/drop (test_parse.c has those): the
 * struct vsw_action each gives (fields.h's value/mask representation), the
 * form it prints in (as Open vSwitch prints it), round trips, prerequisites
 * and every error message.
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

static struct vsw_flow_spec spec;

static const struct vsw_action *one(const char *text)
{
	add_ok(text, &spec);
	assert_int_equal(spec.actions.n, 1);
	return &spec.actions.a[0];
}

static uint64_t le(const uint8_t *b, size_t n) /* a host-order member back */
{
	uint64_t v = 0;

	switch (n) {
	case 1: v = b[0]; break;
	case 2: { uint16_t x; memcpy(&x, b, 2); v = x; break; }
	case 4: { uint32_t x; memcpy(&x, b, 4); v = x; break; }
	default: memcpy(&v, b, 8); break;
	}
	return v;
}

/* Nothing set past the member's bytes. */
static bool zero_tail(const struct vsw_action *a, size_t size)
{
	for (size_t i = size; i < sizeof(a->value); i++)
		if (a->value[i] || a->mask[i])
			return false;
	return true;
}

static void expect_set(const char *text, uint16_t field, size_t size, uint64_t value,
		       uint64_t mask)
{
	const struct vsw_action *a = one(text);

	assert_int_equal(a->type, VSW_ACT_SET_FIELD);
	if (a->field != field)
		fail_msg("'%s': field %u, want %u", text, a->field, field);
	if (le(a->value, size) != value || le(a->mask, size) != mask)
		fail_msg("'%s': 0x%llx/0x%llx, want 0x%llx/0x%llx", text,
			 (unsigned long long)le(a->value, size), (unsigned long long)le(a->mask, size),
			 (unsigned long long)value, (unsigned long long)mask);
	assert_true(zero_tail(a, size));
}

static void test_simple(void **state)
{
	(void)state;
	assert_int_equal(one("actions=normal")->type, VSW_ACT_NORMAL);
	assert_int_equal(one("actions=NORMAL")->type, VSW_ACT_NORMAL);
	assert_int_equal(one("actions=output:normal")->type, VSW_ACT_NORMAL);
	assert_int_equal(one("actions=strip_vlan")->type, VSW_ACT_STRIP_VLAN);
	assert_int_equal(one("actions=pop_vlan")->type, VSW_ACT_STRIP_VLAN);
	assert_int_equal(one("actions=dec_ttl")->type, VSW_ACT_DEC_TTL);
	assert_int_equal(one("actions=push_vlan:0x8100")->arg, 0x8100);
	assert_int_equal(one("actions=push_vlan:0x88a8")->type, VSW_ACT_PUSH_VLAN);
	assert_int_equal(one("actions=push_vlan:34984")->arg, 0x88a8);
	assert_int_equal(one("actions=resubmit(,7)")->arg, 7);
	assert_int_equal(one("actions=resubmit(,7)")->type, VSW_ACT_RESUBMIT);
	assert_int_equal(one("actions=resubmit(in_port,254)")->arg, 254);
	assert_int_equal(one("actions=goto_table:1")->type, VSW_ACT_GOTO_TABLE);
	assert_int_equal(one("table=5,actions=goto_table:254")->arg, 254);
	actions_print("actions=normal,strip_vlan,pop_vlan,dec_ttl,push_vlan:0x88a8,"
		      "resubmit(,0),resubmit(IN_PORT,3),output:normal,goto_table:9",
		      "NORMAL,strip_vlan,strip_vlan,dec_ttl,push_vlan:0x88a8,resubmit(,0),"
		      "resubmit(,3),NORMAL,goto_table:9");
}

static void test_note(void **state)
{
	static const uint8_t want[3] = { 0x01, 0xab, 0xff };
	const struct vsw_action *a;

	(void)state;
	a = one("actions=note:01.ab.FF");
	assert_int_equal(a->type, VSW_ACT_NOTE);
	assert_int_equal(a->arg, 3);
	assert_memory_equal(a->value, want, 3);
	assert_int_equal(one("actions=note:01abff")->arg, 3);
	assert_memory_equal(spec.actions.a[0].value, want, 3);
	assert_int_equal(one("actions=note:")->arg, 0);
	actions_print("actions=note:01abff,note:,note:00.11.22.33.44.55.66.77.88.99.aa.bb.cc.dd.ee.ff",
		      "note:01.ab.ff,note:,note:00.11.22.33.44.55.66.77.88.99.aa.bb.cc.dd.ee.ff");
	add_err("actions=note:1", "note: '1' is not hex bytes (like 01.02.ab)");
	add_err("actions=note:0g", "note: '0g' is not hex bytes (like 01.02.ab)");
	add_err("actions=note:01.", "note: '01.' is not hex bytes (like 01.02.ab)");
	add_err("actions=note:00112233445566778899aabbccddeeff00", "note: at most 16 bytes");
	add_err("actions=note", "note: missing argument");
}

static void test_mods(void **state)
{
	(void)state;
	expect_set("actions=mod_vlan_vid:10", VSW_F_VLAN_VID, 2, 10, 0x0fff);
	expect_set("actions=mod_vlan_pcp:5", VSW_F_VLAN_PCP, 2, 0xa000, 0xe000);
	expect_set("ip,actions=mod_nw_src:10.0.0.1", VSW_F_NW_SRC, 4, 0x0a000001, 0xffffffff);
	expect_set("ip,actions=mod_nw_dst:10.0.0.2", VSW_F_NW_DST, 4, 0x0a000002, 0xffffffff);
	expect_set("tcp,actions=mod_tp_src:1", VSW_F_TP_SRC, 2, 1, 0xffff);
	expect_set("udp6,actions=mod_tp_dst:65535", VSW_F_TP_DST, 2, 65535, 0xffff);
	expect_set("ip,actions=mod_nw_tos:184", VSW_F_NW_TOS, 1, 0xb8, 0xfc);
	expect_set("ipv6,actions=mod_nw_ecn:2", VSW_F_NW_TOS, 1, 0x02, 0x03);
	expect_set("ip,actions=mod_nw_ttl:7", VSW_F_NW_TTL, 1, 7, 0xff);
	expect_set("actions=set_tunnel:5000", VSW_F_TUN_ID, 8, 5000, UINT64_MAX);
	expect_set("actions=set_tunnel64:0xffffffffffffffff", VSW_F_TUN_ID, 8, UINT64_MAX,
		   UINT64_MAX);
	const struct vsw_action *a = one("actions=mod_dl_src:02:00:00:00:00:0a");
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x0a }, ones[6] = { 255, 255, 255, 255,
									   255, 255 };
	assert_int_equal(a->field, VSW_F_DL_SRC);
	assert_memory_equal(a->value, mac, 6);
	assert_memory_equal(a->mask, ones, 6);
	assert_int_equal(one("actions=mod_dl_dst:02:00:00:00:00:0a")->field, VSW_F_DL_DST);
	actions_print("tcp,actions=mod_vlan_vid:4095,mod_vlan_pcp:7,mod_dl_src:2:0:0:0:0:1,"
		      "mod_dl_dst:2:0:0:0:0:2,mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_tp_src:0,"
		      "mod_tp_dst:80,mod_nw_tos:0,mod_nw_ecn:3,mod_nw_ttl:255,set_tunnel:0,"
		      "set_tunnel:0xffffffff,set_tunnel64:0x100000000,set_tunnel64:1",
		      "mod_vlan_vid:4095,mod_vlan_pcp:7,mod_dl_src:02:00:00:00:00:01,"
		      "mod_dl_dst:02:00:00:00:00:02,mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,"
		      "mod_tp_src:0,mod_tp_dst:80,mod_nw_tos:0,mod_nw_ecn:3,mod_nw_ttl:255,"
		      "set_tunnel:0,set_tunnel:0xffffffff,set_tunnel64:0x100000000,"
		      "set_tunnel:0x1");
}

static void test_set_field(void **state)
{
	(void)state;
	expect_set("actions=set_field:5->vlan_vid", VSW_F_VLAN_VID, 2, 5, 0x0fff);
	expect_set("actions=set_field:4106->vlan_vid", VSW_F_VLAN_VID, 2, 10, 0x0fff);
	expect_set("actions=set_field:3->vlan_pcp", VSW_F_VLAN_PCP, 2, 0x6000, 0xe000);
	expect_set("actions=set_field:0x1064->vlan_tci", VSW_F_VLAN_TCI, 2, 0x1064, 0xffff);
	expect_set("ip,actions=set_field:46->ip_dscp", VSW_F_IP_DSCP, 1, 0xb8, 0xfc);
	expect_set("ip,actions=set_field:10.0.0.0/8->nw_dst", VSW_F_NW_DST, 4, 0x0a000000,
		   0xff000000);
	expect_set("actions=set_field:0x5/0xf->reg2", VSW_F_REG2, 4, 5, 0xf);
	expect_set("actions=set_field:vm3->in_port", VSW_F_IN_PORT, 4, 3, 0xffffffff);
	expect_set("arp,actions=set_field:2->arp_op", VSW_F_ARP_OP, 1, 2, 0xff);
	expect_set("arp,actions=set_field:1.2.3.4->arp_spa", VSW_F_ARP_SPA, 4, 0x01020304,
		   0xffffffff);
	expect_set("icmp6,actions=set_field:136->icmpv6_type", VSW_F_ICMP_TYPE, 2, 136, 0xff);
	expect_set("icmp,actions=set_field:3->icmp_code", VSW_F_ICMP_CODE, 2, 3, 0xff);
	expect_set("actions=set_field:0xff->metadata", VSW_F_METADATA, 8, 0xff, UINT64_MAX);
	actions_print("ipv6,actions=set_field:2001:db8::1->ipv6_src,"
		      "set_field:2001:db8::/32->ipv6_dst,set_field:::1/ff00::ff->ipv6_dst",
		      "set_field:2001:db8::1->ipv6_src,load:0x20010db8->NXM_NX_IPV6_DST[96..127],"
		      "set_field:::1/ff00::ff->ipv6_dst");
	actions_print("ip,actions=set_field:10.0.0.1->nw_src,set_field:10.0.0.0/24->nw_dst,"
		      "set_field:1.2.3.4/255.0.255.0->nw_src",
		      "mod_nw_src:10.0.0.1,load:0xa0000->NXM_OF_IP_DST[8..31],"
		      "set_field:1.0.3.0/255.0.255.0->nw_src");
	actions_print("icmp,actions=set_field:8->icmp_type,set_field:vm2->in_port,"
		      "set_field:0x1005->vlan_tci,set_field:46->ip_dscp,set_field:5->dl_vlan",
		      "set_field:8->icmp_type,set_field:vm2->in_port,set_field:0x1005->vlan_tci,"
		      "set_field:46->ip_dscp,mod_vlan_vid:5");
	actions_print("actions=set_field:0x5/0x5->reg3,set_field:0x10/0xf0->tun_id,"
		      "set_field:02:00:00:00:00:01/ff:00:00:00:00:ff->eth_src",
		      "set_field:0x5/0x5->reg3,load:0x1->NXM_NX_TUN_ID[4..7],"
		      "set_field:02:00:00:00:00:01/ff:00:00:00:00:ff->dl_src");
	actions_print("arp,actions=set_field:1->arp_op,set_field:1.1.1.1->arp_tpa",
		      "set_field:1->arp_op,set_field:1.1.1.1->arp_tpa");
	/* Tunnel endpoints: network-order bytes; no prerequisite. */
	const struct vsw_action *a = one("actions=set_field:198.51.100.2->tun_dst");
	static const uint8_t v[4] = { 198, 51, 100, 2 }, m[4] = { 0xff, 0xff, 0xff, 0xff };
	assert_int_equal(a->field, VSW_F_TUN_DST);
	assert_memory_equal(a->value, v, 4);
	assert_memory_equal(a->mask, m, 4);
	assert_true(zero_tail(a, 4));
	a = one("actions=set_field:198.51.100.0/255.255.0.255->tun_src");
	static const uint8_t v2[4] = { 198, 51, 0, 0 }, m2[4] = { 0xff, 0xff, 0, 0xff };
	assert_int_equal(a->field, VSW_F_TUN_SRC);
	assert_memory_equal(a->value, v2, 4);
	assert_memory_equal(a->mask, m2, 4);
	actions_print("actions=set_field:198.51.100.2->tun_dst,set_field:10.1.2.3->tun_src,"
		      "set_field:10.0.0.0/8->tun_dst,set_field:1.2.3.4/255.0.255.0->tun_src,"
		      "set_field:100->tun_id,output:vm2",
		      "set_field:198.51.100.2->tun_dst,set_field:10.1.2.3->tun_src,"
		      "load:0xa->NXM_NX_TUN_IPV4_DST[24..31],"
		      "set_field:1.0.3.0/255.0.255.0->tun_src,set_tunnel:0x64,output:vm2");
}

static void test_load(void **state)
{
	(void)state;
	expect_set("actions=load:1->NXM_NX_REG0[]", VSW_F_REG0, 4, 1, 0xffffffff);
	expect_set("actions=load:0x5->NXM_NX_REG1[4..7]", VSW_F_REG1, 4, 0x50, 0xf0);
	expect_set("actions=load:1->reg7[31]", VSW_F_REG7, 4, 0x80000000, 0x80000000);
	expect_set("actions=load:0xffffffffffffffff->OXM_OF_METADATA[]", VSW_F_METADATA, 8,
		   UINT64_MAX, UINT64_MAX);
	expect_set("actions=load:3->metadata[62..63]", VSW_F_METADATA, 8, 0xc000000000000000ull,
		   0xc000000000000000ull);
	expect_set("actions=load:7->NXM_NX_TUN_ID[0..23]", VSW_F_TUN_ID, 8, 7, 0xffffff);
	expect_set("actions=load:0x1005->OXM_OF_VLAN_VID[]", VSW_F_VLAN_TCI, 2, 0x1005, 0x1fff);
	expect_set("actions=load:5->OXM_OF_VLAN_PCP[]", VSW_F_VLAN_PCP, 2, 0xa000, 0xe000);
	expect_set("actions=load:2->NXM_OF_IN_PORT[]", VSW_F_IN_PORT, 4, 2, 0xffff);
	expect_set("ip,actions=load:46->OXM_OF_IP_DSCP[]", VSW_F_IP_DSCP, 1, 0xb8, 0xfc);
	expect_set("tcp,actions=load:80->NXM_OF_TCP_DST[]", VSW_F_TP_DST, 2, 80, 0xffff);
	expect_set("udp,actions=load:53->OXM_OF_UDP_SRC[]", VSW_F_TP_SRC, 2, 53, 0xffff);
	expect_set("icmp,actions=load:0->NXM_OF_ICMP_TYPE[]", VSW_F_ICMP_TYPE, 2, 0, 0xff);
	const struct vsw_action *a = one("actions=load:0xbeef->NXM_OF_ETH_DST[0..15]");
	static const uint8_t v[6] = { 0, 0, 0, 0, 0xbe, 0xef }, m[6] = { 0, 0, 0, 0, 0xff, 0xff };
	assert_int_equal(a->field, VSW_F_DL_DST);
	assert_memory_equal(a->value, v, 6);
	assert_memory_equal(a->mask, m, 6);
	a = one("ipv6,actions=load:0x1->NXM_NX_IPV6_SRC[127]");
	assert_int_equal(a->value[0], 0x80);
	assert_int_equal(a->mask[0], 0x80);
	assert_true(zero_tail(a, 1));
	/* 128-bit values into IPv6 addresses. */
	actions_print("ipv6,actions=load:0x20010db8000000000000000000000001->NXM_NX_IPV6_DST[]",
		      "set_field:2001:db8::1->ipv6_dst");
	actions_print("actions=load:1->NXM_NX_REG0[],load:0->NXM_NX_REG1[0..15],"
		      "load:0x1->reg2[5],load:0xff->NXM_NX_REG3[24..31],load:5->tun_id[0..3]",
		      "load:0x1->NXM_NX_REG0[],load:0->NXM_NX_REG1[0..15],load:0x1->NXM_NX_REG2[5],"
		      "load:0xff->NXM_NX_REG3[24..31],load:0x5->NXM_NX_TUN_ID[0..3]");
	actions_print("ip,actions=load:0xb8->NXM_OF_IP_TOS[],load:1->OXM_OF_IP_ECN[],"
		      "load:1->NXM_OF_VLAN_TCI[0..12],load:0x1005->OXM_OF_VLAN_VID[],"
		      "load:4->NXM_OF_IN_PORT[],load:1->NXM_OF_ETH_SRC[47],load:0xa->dl_vlan[0..3]",
		      "load:0xb8->NXM_OF_IP_TOS[],mod_nw_ecn:1,load:0x1->NXM_OF_VLAN_TCI[0..12],"
		      "load:0x1005->NXM_OF_VLAN_TCI[0..12],load:0x4->OXM_OF_IN_PORT[0..15],"
		      "load:0x1->NXM_OF_ETH_SRC[47],load:0xa->dl_vlan[0..3]");
	actions_print("tcp,actions=load:80->NXM_OF_TCP_DST[],load:1->OXM_OF_TCP_SRC[0..7]",
		      "mod_tp_dst:80,load:0x1->tp_src[0..7]");
	actions_print("arp,actions=load:2->NXM_OF_ARP_OP[],load:0x0a000001->NXM_OF_ARP_SPA[]",
		      "set_field:2->arp_op,set_field:10.0.0.1->arp_spa");
	/* An in_port that is no port number prints as a load (set_field would refuse it). */
	actions_print("actions=load:0->OXM_OF_IN_PORT[],load:0xffffffff->OXM_OF_IN_PORT[],"
		      "load:2->OXM_OF_IN_PORT[]",
		      "load:0->OXM_OF_IN_PORT[],load:0xffffffff->OXM_OF_IN_PORT[],"
		      "set_field:vm2->in_port");
	actions_print("actions=load:0x1->NXM_NX_REG0[],load:0x2->NXM_NX_REG0[]",
		      "load:0x1->NXM_NX_REG0[],load:0x2->NXM_NX_REG0[]");
	/* Tunnel endpoints: bit 0 is the last byte's low bit, as on the wire. */
	a = one("actions=load:0xc6336402->NXM_NX_TUN_IPV4_DST[]");
	static const uint8_t tv[4] = { 198, 51, 100, 2 }, tm[4] = { 0xff, 0xff, 0xff, 0xff };
	assert_int_equal(a->field, VSW_F_TUN_DST);
	assert_memory_equal(a->value, tv, 4);
	assert_memory_equal(a->mask, tm, 4);
	a = one("actions=load:0x5->NXM_NX_TUN_IPV4_SRC[0..7]");
	static const uint8_t sv[4] = { 0, 0, 0, 5 }, sm[4] = { 0, 0, 0, 0xff };
	assert_int_equal(a->field, VSW_F_TUN_SRC);
	assert_memory_equal(a->value, sv, 4);
	assert_memory_equal(a->mask, sm, 4);
	actions_print("actions=load:0xc6336402->NXM_NX_TUN_IPV4_DST[],"
		      "load:0x5->NXM_NX_TUN_IPV4_SRC[0..7],load:1->tun_src[31]",
		      "set_field:198.51.100.2->tun_dst,load:0x5->NXM_NX_TUN_IPV4_SRC[0..7],"
		      "load:0x1->NXM_NX_TUN_IPV4_SRC[31]");
	add_err("actions=load:1->NXM_NX_TUN_IPV4_DST[32]",
		"load: 'NXM_NX_TUN_IPV4_DST[32]' is beyond the 32 bits of NXM_NX_TUN_IPV4_DST");
}

static void test_action_prereqs(void **state)
{
	(void)state;
	add_err("actions=mod_nw_src:1.2.3.4", "mod_nw_src: action requires ip (dl_type=0x0800)");
	add_err("ipv6,actions=mod_nw_dst:1.2.3.4",
		"mod_nw_dst: action requires ip (dl_type=0x0800)");
	add_err("ip,actions=mod_tp_dst:80", "mod_tp_dst: action requires tcp, udp or sctp (ip or "
					    "ipv6 with nw_proto=6, 17 or 132)");
	add_err("arp,actions=mod_nw_tos:4",
		"mod_nw_tos: action requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("actions=mod_nw_ttl:4",
		"mod_nw_ttl: action requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("actions=mod_nw_ecn:1",
		"mod_nw_ecn: action requires ip or ipv6 (dl_type=0x0800 or 0x86dd)");
	add_err("arp,actions=set_field:1.2.3.4->nw_src",
		"set_field: nw_src requires ip (dl_type=0x0800)");
	add_err("ip,actions=set_field:1.2.3.4->arp_tpa",
		"set_field: arp_tpa requires arp (dl_type=0x0806)");
	add_err("ip,actions=set_field:::1->ipv6_src",
		"set_field: ipv6_src requires ipv6 (dl_type=0x86dd)");
	add_err("tcp,actions=set_field:1->icmp_type", "set_field: icmp_type requires icmp or icmp6 "
						      "(ip with nw_proto=1, or ipv6 with nw_proto=58)");
	add_err("udp,actions=load:1->NXM_OF_TCP_DST[]",
		"load: NXM_OF_TCP_DST requires tcp or tcp6 (ip or ipv6 with nw_proto=6)");
	add_err("icmp,actions=load:1->NXM_NX_ICMPV6_TYPE[]",
		"load: NXM_NX_ICMPV6_TYPE requires icmp6 (ipv6 with nw_proto=58)");
	add_err("actions=load:1->NXM_OF_ARP_OP[]", "load: NXM_OF_ARP_OP requires arp "
						   "(dl_type=0x0806)");
	/* None for L2, VLAN, metadata, dec_ttl. */
	round_trip_text("actions=mod_vlan_vid:1,mod_dl_src:2:0:0:0:0:1,load:1->NXM_NX_REG0[],"
			"set_tunnel:1,dec_ttl,strip_vlan");
}

static void test_goto_and_resubmit(void **state)
{
	(void)state;
	add_err("actions=goto_table:0", "goto_table:0: the table must be greater than the rule's "
					"table (0)");
	add_err("table=9,actions=goto_table:3", "goto_table:3: the table must be greater than the "
						"rule's table (9)");
	add_err("actions=goto_table:2,output:1", "goto_table must be the last action");
	add_err("actions=goto_table:2,goto_table:3", "goto_table must be the last action");
	add_err("actions=goto_table:255", "goto_table: '255' out of range 0..254");
	add_err("actions=goto_table:x", "goto_table: 'x' is not a number");
	add_err("actions=goto_table", "goto_table: missing argument");
	add_err("actions=resubmit:2", "resubmit: only resubmit(,TABLE) is supported, not resubmit "
				      "to a port ('resubmit:2')");
	add_err("actions=resubmit(vm1,2)", "resubmit: only resubmit(,TABLE) is supported, not "
					   "resubmit to a port ('resubmit(vm1,2)')");
	add_err("actions=resubmit(3)", "resubmit: only resubmit(,TABLE) is supported, not "
				       "resubmit to a port ('resubmit(3)')");
	add_err("actions=resubmit(,)", "resubmit: missing table in 'resubmit(,)'");
	add_err("actions=resubmit(,1,ct)",
		"resubmit: only resubmit(,TABLE) is supported ('resubmit(,1,ct)')");
	add_err("actions=resubmit(,255)", "resubmit: '255' out of range 0..254");
	add_err("actions=resubmit(,2", "'resubmit(,2': missing ')'");
	add_err("actions=resubmit", "resubmit: missing argument");
	/* resubmit may go back; goto_table may not. */
	round_trip_text("table=5,actions=resubmit(,1),resubmit(,5),goto_table:6");
}

static void test_errors(void **state)
{
	(void)state;
	add_err("actions=mod_vlan_vid:4096", "mod_vlan_vid: '4096' out of range 0..4095");
	add_err("actions=mod_vlan_vid:x", "mod_vlan_vid: 'x' is not a number");
	add_err("actions=mod_vlan_vid:1/1", "mod_vlan_vid: field cannot be masked ('1/1')");
	add_err("actions=mod_vlan_vid", "mod_vlan_vid: missing argument");
	add_err("actions=mod_vlan_pcp:8", "mod_vlan_pcp: '8' out of range 0..7");
	add_err("actions=mod_dl_src:1:2:3", "mod_dl_src: '1:2:3' is not a MAC address");
	add_err("ip,actions=mod_nw_src:1.2.3", "mod_nw_src: '1.2.3' is not an IPv4 address");
	add_err("tcp,actions=mod_tp_dst:65536", "mod_tp_dst: '65536' out of range 0..65535");
	add_err("ip,actions=mod_nw_tos:1",
		"mod_nw_tos: '1' is not a DSCP value shifted left by 2 (the low 2 bits are ECN)");
	add_err("ip,actions=mod_nw_ecn:4", "mod_nw_ecn: '4' out of range 0..3");
	add_err("ip,actions=mod_nw_ttl:256", "mod_nw_ttl: '256' out of range 0..255");
	add_err("actions=push_vlan:0x800",
		"push_vlan: '0x800' is not a VLAN ethertype (0x8100 or 0x88a8)");
	add_err("actions=push_vlan:0x18100", "push_vlan: '0x18100' out of range 0..65535");
	add_err("actions=push_vlan", "push_vlan: missing argument");
	add_err("actions=set_tunnel:x", "set_tunnel: 'x' is not a number");
	add_err("actions=set_tunnel64:0x10000000000000000",
		"set_tunnel64: '0x10000000000000000' out of range 0..18446744073709551615");
	add_err("actions=strip_vlan:1", "'strip_vlan' takes no argument ('strip_vlan:1')");
	add_err("actions=dec_ttl(1,2)", "'dec_ttl' takes no argument ('dec_ttl(1,2)')");
	add_err("actions=normal:1", "'normal' takes no argument ('normal:1')");
	add_err("actions=output(port=1)", "output: only output:PORT is supported");
	add_err("actions=set_field:1", "set_field: '1' is not VALUE->FIELD");
	add_err("actions=set_field:1->nope", "set_field: unknown field 'nope'");
	add_err("actions=set_field:1->dl_type", "set_field: field dl_type is read-only");
	add_err("ip,actions=set_field:6->nw_proto", "set_field: field nw_proto is read-only");
	add_err("actions=set_field:0x2000->vlan_vid", "set_field: '0x2000' out of range 0..8191");
	add_err("actions=set_field:1/0->reg0",
		"set_field: the mask is zero: the action would do nothing");
	add_err("actions=set_field:1/0x100000000->reg0",
		"set_field: '0x100000000' out of range 0..4294967295");
	add_err("actions=set_field:zz->reg0", "set_field: 'zz' is not a number");
	add_err("ip,actions=set_field:4/1->nw_tos",
		"set_field: mask '1' has bits outside the field (0xfc)");
	add_err("actions=set_field:vm9->in_port", "unknown port 'vm9'");
	add_err("actions=load:1", "load: '1' is not VALUE->FIELD[BITS]");
	add_err("actions=load:1->NXM_NX_REG0", "load: 'NXM_NX_REG0' is not FIELD[], FIELD[BIT] "
					       "or FIELD[START..END]");
	add_err("actions=load:1->NXM_NX_REG0[", "load: 'NXM_NX_REG0[' is not FIELD[], FIELD[BIT] "
						"or FIELD[START..END]");
	add_err("actions=load:1->NXM_NX_REG0[3..2]", "load: 'NXM_NX_REG0[3..2]' is not FIELD[], "
						     "FIELD[BIT] or FIELD[START..END]");
	add_err("actions=load:1->NXM_NX_REG0[a]", "load: 'NXM_NX_REG0[a]' is not FIELD[], "
						  "FIELD[BIT] or FIELD[START..END]");
	add_err("actions=load:1->NXM_NX_REG0[0..32]",
		"load: 'NXM_NX_REG0[0..32]' is beyond the 32 bits of NXM_NX_REG0");
	add_err("actions=load:1->NXM_OF_ETH_SRC[48]",
		"load: 'NXM_OF_ETH_SRC[48]' is beyond the 48 bits of NXM_OF_ETH_SRC");
	add_err("actions=load:1->NXM_NX_REG9[]", "load: unknown field 'NXM_NX_REG9'");
	add_err("actions=load:1->NXM_OF_ETH_TYPE[]",
		"load: destination field NXM_OF_ETH_TYPE is not writable");
	add_err("actions=load:x->NXM_NX_REG0[]", "load: 'x' is not a number");
	add_err("actions=load:4->NXM_NX_REG0[0..1]", "load: value '4' does not fit in 2 bits");
	add_err("actions=load:0x100000000->NXM_NX_REG0[]",
		"load: value '0x100000000' does not fit in 32 bits");
	add_err("ipv6,actions=load:0x100000000000000000000000000000000->NXM_NX_IPV6_SRC[]",
		"load: value '0x100000000000000000000000000000000' does not fit in 128 bits");
	add_err("actions=load:18446744073709551616->NXM_NX_REG0[]",
		"load: value '18446744073709551616' does not fit in 32 bits");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),	       cmocka_unit_test(test_note),
		cmocka_unit_test(test_mods),	       cmocka_unit_test(test_set_field),
		cmocka_unit_test(test_load),	       cmocka_unit_test(test_action_prereqs),
		cmocka_unit_test(test_goto_and_resubmit), cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
