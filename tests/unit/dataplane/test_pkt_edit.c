/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_edit: header writes with checksums checked against a from-scratch
 * computation, OVS field semantics on the key, VLAN tci rules, and every
 * edit over every truncation of every frame. Frames sit at the very end of
 * their heap block, so a read or write past frame[len - 1] is a heap
 * overflow that ASan or valgrind reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pkt_edit.h"

/* --- frames -------------------------------------------------------------- */

static size_t put(uint8_t *f, size_t at, const void *p, size_t n)
{
	memcpy(f + at, p, n);
	return at + n;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static const uint8_t MACS[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

/* Ethernet (+ optional tag) + IPv4 + proto header + 6 bytes payload; checksums valid. */
static size_t ipv4_frame(uint8_t *f, uint8_t proto, bool vlan, bool udp_csum)
{
	size_t l3, l4, at = put(f, 0, MACS, 12);
	size_t l4len = proto == 6 ? 20 : proto == 17 ? 8 : 8;

	if (vlan) {
		put16(f + at, 0x8100);
		put16(f + at + 2, 0x2005);
		at += 4;
	}
	put16(f + at, 0x0800);
	l3 = at + 2;
	memset(f + l3, 0, 20);
	f[l3] = 0x45;
	f[l3 + 1] = 0x2d; /* DSCP 11, ECN 1 */
	put16(f + l3 + 2, (uint16_t)(20 + l4len + 6));
	f[l3 + 8] = 64;
	f[l3 + 9] = proto;
	put(f, l3 + 12, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	put16(f + l3 + 10, fold(sum16(f + l3, 20, 0)));
	l4 = l3 + 20;
	memset(f + l4, 0, l4len);
	if (proto == 1) {
		f[l4] = 8; /* echo request */
	} else {
		put16(f + l4, 1000);
		put16(f + l4 + 2, 7);
	}
	if (proto == 6)
		f[l4 + 12] = 0x50;
	if (proto == 17)
		put16(f + l4 + 4, (uint16_t)(l4len + 6));
	put(f, l4 + l4len, "abcdef", 6);
	if (proto != 17 || udp_csum) {
		uint32_t s = 0;
		size_t csum = proto == 6 ? 16 : proto == 17 ? 6 : 2;

		if (proto != 1) { /* pseudo-header */
			s = sum16(f + l3 + 12, 8, 0) + proto + l4len + 6;
		}
		put16(f + l4 + csum, fold(sum16(f + l4, l4len + 6, s)));
	}
	return l4 + l4len + 6;
}

static size_t ipv6_frame(uint8_t *f, uint8_t proto)
{
	size_t l3, l4, at = put(f, 0, MACS, 12);
	size_t l4len = proto == 6 ? 20 : 8;
	uint32_t s;

	put16(f + at, 0x86dd);
	l3 = at + 2;
	memset(f + l3, 0, 40);
	f[l3] = 0x6a; /* traffic class 0xa5 */
	f[l3 + 1] = 0x50;
	put16(f + l3 + 4, (uint16_t)(l4len + 6));
	f[l3 + 6] = proto;
	f[l3 + 7] = 64;
	f[l3 + 8] = 0x20;
	f[l3 + 9] = 0x01;
	f[l3 + 23] = 1;
	f[l3 + 24] = 0x20;
	f[l3 + 25] = 0x01;
	f[l3 + 39] = 2;
	l4 = l3 + 40;
	memset(f + l4, 0, l4len);
	if (proto == 58) {
		f[l4] = 128;
	} else {
		put16(f + l4, 1000);
		put16(f + l4 + 2, 7);
	}
	if (proto == 6)
		f[l4 + 12] = 0x50;
	if (proto == 17)
		put16(f + l4 + 4, (uint16_t)(l4len + 6));
	put(f, l4 + l4len, "abcdef", 6);
	s = sum16(f + l3 + 8, 32, 0) + proto + l4len + 6;
	put16(f + l4 + (proto == 6 ? 16 : proto == 17 ? 6 : 2), fold(sum16(f + l4, l4len + 6, s)));
	return l4 + l4len + 6;
}

static size_t arp_frame(uint8_t *f)
{
	static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1,
					 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2 };
	size_t at = put(f, 0, MACS, 12);

	put16(f + at, 0x0806);
	return put(f, at + 2, arp, sizeof(arp));
}

/* Are all checksums of an untagged or tagged IPv4/IPv6 frame right? */
static void assert_checksums(const uint8_t *f, size_t len)
{
	struct vsw_pkt_layout lay;
	const uint8_t *l3, *l4;
	size_t l4len;
	uint32_t s = 0;

	vsw_pkt_parse(f, len, &lay);
	assert_int_not_equal(lay.l3, 0);
	assert_int_not_equal(lay.l4, 0);
	l3 = f + lay.l3;
	l4 = f + lay.l4;
	if (lay.l3_type == VSW_ETH_TYPE_IPV4) {
		assert_int_equal(fold(sum16(l3, 20, 0)), 0);
		l4len = get16(l3 + 2) - 20u;
		if (lay.l4_proto != 1)
			s = sum16(l3 + 12, 8, 0) + lay.l4_proto + (uint32_t)l4len;
	} else {
		l4len = get16(l3 + 4);
		s = sum16(l3 + 8, 32, 0) + lay.l4_proto + (uint32_t)l4len;
	}
	if (lay.l4_proto == 17 && get16(l4 + 6) == 0)
		return; /* no checksum */
	assert_int_equal(fold(sum16(l4, l4len, s)), 0);
}

/* --- helpers for actions ------------------------------------------------- */

struct val {
	uint8_t v[16], m[16];
};

static struct val int_val(uint64_t v, uint64_t m)
{
	struct val x;

	memset(&x, 0, sizeof(x));
	memcpy(x.v, &v, 8);
	memcpy(x.m, &m, 8);
	return x;
}

static struct val bytes_val(const uint8_t *v, size_t n)
{
	struct val x;

	memset(&x, 0, sizeof(x));
	memcpy(x.v, v, n);
	memset(x.m, 0xff, n);
	return x;
}

static struct vsw_action act(enum vsw_field fld, struct val x)
{
	struct vsw_action a;

	memset(&a, 0, sizeof(a));
	a.type = VSW_ACT_SET_FIELD;
	a.field = (uint16_t)fld;
	memcpy(a.value, x.v, 16);
	memcpy(a.mask, x.m, 16);
	return a;
}

/* Key and frame, as the executor does it. */
static void set(uint8_t *f, size_t len, struct vsw_flow_key *key, enum vsw_field fld,
		struct val x)
{
	struct vsw_action a = act(fld, x);
	struct vsw_pkt_layout lay;

	if (!vsw_pkt_key_set_field(key, &a))
		return;
	vsw_pkt_parse(f, len, &lay);
	if (!vsw_pkt_field_is_meta(fld) && vsw_pkt_has_field(&lay, fld))
		vsw_pkt_set_field(f, &lay, &a);
}

/* --- tests --------------------------------------------------------------- */

static void test_ipv4_rewrites_keep_checksums(void **state)
{
	static const uint8_t protos[] = { 6, 17, 1 };

	(void)state;
	for (size_t p = 0; p < 3; p++) {
		for (int vlan = 0; vlan < 2; vlan++) {
			uint8_t f[128];
			size_t len = ipv4_frame(f, protos[p], vlan, true);
			struct vsw_flow_key key;
			struct vsw_pkt_layout lay;

			assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
			key.nw_proto = protos[p]; /* L3 as the extractor sees it */
			key.nw_ttl = 64;
			key.nw_tos = 0x2d;
			key.nw_src = 0xc0000201;
			key.nw_dst = 0xc0000202;
			set(f, len, &key, VSW_F_NW_SRC, int_val(0x0a000001, 0xffffffff));
			set(f, len, &key, VSW_F_NW_DST, int_val(0x0a0000fe, 0x0000ffff));
			set(f, len, &key, VSW_F_NW_TOS, int_val(0xb8, 0xfc)); /* mod_nw_tos */
			set(f, len, &key, VSW_F_NW_TTL, int_val(9, 0xff));
			set(f, len, &key, VSW_F_TP_SRC, int_val(5353, 0xffff));
			set(f, len, &key, VSW_F_TP_DST, int_val(0x1234, 0xff00));
			set(f, len, &key, VSW_F_ICMP_TYPE, int_val(0, 0xff));
			set(f, len, &key, VSW_F_ICMP_CODE, int_val(3, 0xff));
			assert_checksums(f, len);
			vsw_pkt_parse(f, len, &lay);
			assert_memory_equal(f + lay.l3 + 12, "\x0a\x00\x00\x01\xc0\x00\x00\xfe", 8);
			assert_int_equal(f[lay.l3 + 1], 0xb9); /* ECN kept */
			assert_int_equal(key.nw_tos, 0xb9);
			assert_int_equal(f[lay.l3 + 8], 9);
			assert_int_equal(key.nw_src, 0x0a000001);
			assert_int_equal(key.nw_dst, 0xc00000fe);
			if (protos[p] != 1) {
				assert_int_equal(get16(f + lay.l4), 5353);
				assert_int_equal(get16(f + lay.l4 + 2), 0x1207);
				assert_int_equal(key.tp_src, 5353);
			} else {
				assert_int_equal(f[lay.l4], 0);
				assert_int_equal(f[lay.l4 + 1], 3);
			}
			vsw_pkt_dec_ttl(f, &lay);
			assert_int_equal(f[lay.l3 + 8], 8);
			assert_checksums(f, len);
		}
	}
}

static void test_udp_checksum_zero_stays_zero(void **state)
{
	uint8_t f[128];
	size_t len = ipv4_frame(f, 17, false, false);
	struct vsw_flow_key key;

	(void)state;
	assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
	key.nw_proto = 17;
	set(f, len, &key, VSW_F_NW_SRC, int_val(0x0a000001, 0xffffffff));
	set(f, len, &key, VSW_F_TP_DST, int_val(53, 0xffff));
	assert_int_equal(get16(f + 14 + 20 + 6), 0);
	assert_checksums(f, len);
}

static void test_ipv6_rewrites_keep_checksums(void **state)
{
	static const uint8_t protos[] = { 6, 17, 58 };
	static const uint8_t addr[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34 };

	(void)state;
	for (size_t p = 0; p < 3; p++) {
		uint8_t f[128];
		size_t len = ipv6_frame(f, protos[p]);
		struct vsw_flow_key key;
		struct vsw_pkt_layout lay;

		assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
		key.nw_proto = protos[p];
		set(f, len, &key, VSW_F_IPV6_SRC, bytes_val(addr, 16));
		set(f, len, &key, VSW_F_IPV6_DST, bytes_val(addr, 16));
		set(f, len, &key, VSW_F_IP_DSCP, int_val(46 << 2, 0xfc)); /* fields.h: in place */
		set(f, len, &key, VSW_F_NW_TTL, int_val(3, 0xff));
		set(f, len, &key, VSW_F_TP_SRC, int_val(99, 0xffff));
		set(f, len, &key, VSW_F_ICMP_TYPE, int_val(129, 0xff));
		assert_checksums(f, len);
		vsw_pkt_parse(f, len, &lay);
		assert_memory_equal(f + lay.l3 + 8, addr, 16);
		assert_memory_equal(key.ipv6_dst, addr, 16);
		/* traffic class 0xa5 -> DSCP 46, ECN 1: 0xb9 */
		assert_int_equal(f[lay.l3], 0x6b);
		assert_int_equal(f[lay.l3 + 1] & 0xf0, 0x90);
		assert_int_equal(f[lay.l3 + 7], 3);
		if (protos[p] == 58)
			assert_int_equal(f[lay.l4], 129);
		else
			assert_int_equal(get16(f + lay.l4), 99);
	}
}

static void test_arp_fields(void **state)
{
	uint8_t f[64];
	size_t len = arp_frame(f);
	struct vsw_flow_key key;

	(void)state;
	assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
	set(f, len, &key, VSW_F_ARP_OP, int_val(2, 0xffff));
	set(f, len, &key, VSW_F_ARP_SPA, int_val(0x0a000063, 0xffffffff));
	set(f, len, &key, VSW_F_ARP_TPA, int_val(0x0a000064, 0xffffffff));
	set(f, len, &key, VSW_F_NW_SRC, int_val(0x01010101, 0xffffffff)); /* IPv4 only */
	assert_int_equal(get16(f + 14 + 6), 2);
	assert_memory_equal(f + 14 + 14, "\x0a\x00\x00\x63", 4);
	assert_memory_equal(f + 14 + 24, "\x0a\x00\x00\x64", 4);
	assert_int_equal(key.nw_proto, 2);
	assert_int_equal(key.nw_src, 0x0a000063);
	assert_int_equal(key.nw_dst, 0x0a000064);
}

static void test_macs_and_metadata(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	uint8_t f[128], before[128];
	size_t len = ipv4_frame(f, 17, false, true);
	struct vsw_flow_key key;

	(void)state;
	assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
	set(f, len, &key, VSW_F_DL_SRC, bytes_val(mac, 6));
	set(f, len, &key, VSW_F_DL_DST, bytes_val(mac, 6));
	assert_memory_equal(f, mac, 6);
	assert_memory_equal(f + 6, mac, 6);
	assert_memory_equal(key.dl_src, mac, 6);
	memcpy(before, f, len);
	set(f, len, &key, VSW_F_REG3, int_val(0xdeadbeef, 0xffff0000));
	set(f, len, &key, VSW_F_METADATA, int_val(0x1122334455667788ull, UINT64_MAX));
	set(f, len, &key, VSW_F_TUN_ID, int_val(5000, UINT64_MAX));
	set(f, len, &key, VSW_F_IN_PORT, int_val(9, 0xffffffff));
	set(f, len, &key, VSW_F_DL_TYPE, int_val(0x86dd, 0xffff)); /* not writable */
	assert_memory_equal(f, before, len);
	assert_int_equal(key.regs[3], 0xdead0000);
	assert_int_equal(key.metadata, 0x1122334455667788ull);
	assert_int_equal(key.tun_id, 5000);
	assert_int_equal(key.in_port, 9);
	assert_int_equal(key.dl_type, 0x0800);
}

/* nw_ecn is NW_TOS with mask 0x03 (fields.h): the DSCP bits stay. */
static void test_ecn_only(void **state)
{
	uint8_t f[128];
	size_t len = ipv4_frame(f, 6, false, true);
	struct vsw_flow_key key;

	(void)state;
	assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
	key.nw_tos = 0x2d;
	set(f, len, &key, VSW_F_NW_TOS, int_val(0x02, 0x03));
	assert_int_equal(f[14 + 1], 0x2e);
	assert_int_equal(key.nw_tos, 0x2e);
	assert_checksums(f, len);
}

/* Only the member's bytes count: what follows them in value/mask is ignored. */
static void test_member_sized_values(void **state)
{
	uint8_t f[128];
	size_t len = ipv4_frame(f, 17, false, true);
	struct vsw_flow_key key;
	struct val x;

	(void)state;
	assert_int_equal(vsw_flow_extract(f, len, 1, &key), 0);
	key.nw_proto = 17;
	memset(&x, 0xee, sizeof(x));
	uint16_t port = 4242, all = 0xffff;
	memcpy(x.v, &port, 2);
	memcpy(x.m, &all, 2);
	set(f, len, &key, VSW_F_TP_DST, x);
	assert_int_equal(key.tp_dst, 4242);
	assert_int_equal(key.pad1, 0);
	assert_int_equal(get16(f + 14 + 20 + 2), 4242);
	assert_checksums(f, len);
}

static void test_prerequisites(void **state)
{
	struct vsw_flow_key key;

	(void)state;
	memset(&key, 0, sizeof(key));
	key.dl_type = 0x0806;
	assert_false(vsw_pkt_key_has_field(&key, VSW_F_NW_SRC));
	assert_true(vsw_pkt_key_has_field(&key, VSW_F_ARP_SPA));
	assert_false(vsw_pkt_key_has_field(&key, VSW_F_NW_TTL));
	key.dl_type = 0x0800;
	key.nw_proto = 1;
	assert_false(vsw_pkt_key_has_field(&key, VSW_F_TP_SRC));
	assert_true(vsw_pkt_key_has_field(&key, VSW_F_ICMP_TYPE));
	key.nw_proto = 58;
	assert_false(vsw_pkt_key_has_field(&key, VSW_F_ICMP_TYPE));
	key.dl_type = 0x86dd;
	assert_true(vsw_pkt_key_has_field(&key, VSW_F_ICMP_TYPE));
	assert_false(vsw_pkt_key_has_field(&key, VSW_F_NW_DST));
	assert_true(vsw_pkt_key_has_field(&key, VSW_F_IPV6_DST));
	assert_true(vsw_pkt_key_has_field(&key, VSW_F_REG7));
	assert_false(vsw_pkt_key_has_field(&key, VSW_F_DL_TYPE));
}

static uint16_t tci_after(uint16_t tci, enum vsw_field fld, struct val x)
{
	struct vsw_action a = act(fld, x);

	return vsw_pkt_vlan_tci_after(tci, &a);
}

static void test_vlan_tci_rules(void **state)
{
	struct val vid = int_val(100, 0x0fff), pcp = int_val(5 << 13, 0xe000);

	(void)state;
	/* mod_vlan_vid / mod_vlan_pcp on an untagged frame push a tag (PCP/VID 0). */
	assert_int_equal(tci_after(0, VSW_F_VLAN_VID, vid), 0x1064);
	assert_int_equal(tci_after(0, VSW_F_VLAN_PCP, pcp), 0xb000);
	/* on a tagged frame they keep the other part */
	assert_int_equal(tci_after(0x3005, VSW_F_VLAN_VID, vid), 0x3064);
	assert_int_equal(tci_after(0x3005, VSW_F_VLAN_PCP, pcp), 0xb005);
	/* a VID value with OFPVID_PRESENT (0x1000) set writes 12 bits only */
	assert_int_equal(tci_after(0x3005, VSW_F_VLAN_VID, int_val(0x1000 | 7, 0x1fff)), 0x3007);
	/* vlan_tci: CFI clear means untagged */
	assert_int_equal(tci_after(0x3005, VSW_F_VLAN_TCI, int_val(0, 0xffff)), 0);
	assert_int_equal(tci_after(0x2005, VSW_F_VLAN_TCI, int_val(0x1fff, 0x1fff)), 0x3fff);
}

static void test_vlan_push_pop_bytes(void **state)
{
	uint8_t buf[128], *f = buf + 4;
	size_t len = ipv4_frame(f, 17, false, true);
	uint8_t orig[128];

	(void)state;
	memcpy(orig, f, len);
	assert_false(vsw_pkt_vlan_tagged(f, len));
	vsw_pkt_vlan_push(buf, 0x88a8, 0x0064);
	assert_true(vsw_pkt_vlan_tagged(buf, len + 4));
	assert_memory_equal(buf, MACS, 12);
	assert_memory_equal(buf + 12, "\x88\xa8\x00\x64\x08\x00", 6);
	vsw_pkt_vlan_set_tci(buf, 0xe00a);
	assert_memory_equal(buf + 14, "\xe0\x0a", 2);
	vsw_pkt_vlan_pop(buf);
	assert_memory_equal(buf + 4, orig, len);
}

/* Every field, every truncation, every frame kind: no crash, no out-of-bounds. */
static void test_truncated_frames(void **state)
{
	uint8_t full[6][160];
	size_t lens[6];

	(void)state;
	lens[0] = ipv4_frame(full[0], 6, false, true);
	lens[1] = ipv4_frame(full[1], 17, true, true);
	lens[2] = ipv4_frame(full[2], 1, false, true);
	lens[3] = ipv6_frame(full[3], 6);
	lens[4] = ipv6_frame(full[4], 58);
	lens[5] = arp_frame(full[5]);
	for (size_t k = 0; k < 6; k++) {
		for (size_t len = 0; len <= lens[k]; len++) {
			for (int f = 0; f < VSW_F_N; f++) {
				uint8_t *blk = malloc(len ? len : 1), *fr = blk + (len ? 0 : 1);
				struct vsw_flow_key key;
				struct vsw_pkt_layout lay;
				struct val x = int_val(UINT64_MAX, UINT64_MAX);

				assert_non_null(blk);
				memset(x.v, 0xff, 16);
				memset(x.m, 0xff, 16);
				memcpy(fr, full[k], len);
				memset(&key, 0, sizeof(key));
				vsw_flow_extract(fr, len, 1, &key);
				/* the key claims everything; the frame must still be checked */
				key.nw_proto = k == 2 ? 1 : k == 4 ? 58 : 6;
				struct vsw_action a = act((enum vsw_field)f, x);

				vsw_pkt_parse(len ? fr : NULL, len, &lay);
				if (vsw_pkt_has_field(&lay, (unsigned)f))
					vsw_pkt_set_field(fr, &lay, &a);
				vsw_pkt_key_set_field(&key, &a);
				(void)vsw_pkt_vlan_tci_after(key.vlan_tci, &a);
				vsw_pkt_dec_ttl(fr, &lay);
				(void)vsw_pkt_vlan_tagged(len ? fr : NULL, len);
				if (lay.l3) /* a header is only found when it is whole */
					assert_true(lay.l3 + 20u <= len || lay.l3_type == VSW_ETH_TYPE_ARP);
				free(blk);
			}
		}
	}
}

static void test_bad_ip_headers_are_absent(void **state)
{
	uint8_t f[128];
	size_t len;
	struct vsw_pkt_layout lay;

	(void)state;
	len = ipv4_frame(f, 17, false, true);
	f[14] = 0x44; /* IHL 4 */
	vsw_pkt_parse(f, len, &lay);
	assert_int_equal(lay.l3, 0);
	len = ipv4_frame(f, 17, false, true);
	put16(f + 16, 200); /* total length past the frame */
	vsw_pkt_parse(f, len, &lay);
	assert_int_equal(lay.l3, 0);
	len = ipv4_frame(f, 17, false, true);
	put16(f + 20, 0x0010); /* a later fragment: no L4 */
	vsw_pkt_parse(f, len, &lay);
	assert_int_not_equal(lay.l3, 0);
	assert_int_equal(lay.l4, 0);
	assert_false(vsw_pkt_has_field(&lay, VSW_F_TP_SRC));
	assert_true(vsw_pkt_has_field(&lay, VSW_F_NW_SRC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_rewrites_keep_checksums),
		cmocka_unit_test(test_udp_checksum_zero_stays_zero),
		cmocka_unit_test(test_ipv6_rewrites_keep_checksums),
		cmocka_unit_test(test_arp_fields),
		cmocka_unit_test(test_macs_and_metadata),
		cmocka_unit_test(test_ecn_only),
		cmocka_unit_test(test_member_sized_values),
		cmocka_unit_test(test_prerequisites),
		cmocka_unit_test(test_vlan_tci_rules),
		cmocka_unit_test(test_vlan_push_pop_bytes),
		cmocka_unit_test(test_truncated_frames),
		cmocka_unit_test(test_bad_ip_headers_are_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
