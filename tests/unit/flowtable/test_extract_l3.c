/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw_flow_extract() above L2: IPv4 (IHL, options, fragments, padding),
 * IPv6 (extension headers, fragments, the bound), ARP, TCP, UDP, SCTP,
 * ICMP and ICMPv6; and every frame cut at every length, from a heap block
 * of exactly that length (ASan reports any read past it): a cut L3/L4
 * header leaves its fields zero, never an error, never a partial value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

static int extract_tail(const uint8_t *frame, size_t len, struct vsw_flow_key *key)
{
	uint8_t *blk = malloc(len ? len : 1);
	int rc;

	assert_non_null(blk);
	memcpy(blk, frame, len);
	rc = vsw_flow_extract(blk, len, 1, key);
	free(blk);
	return rc;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

struct frame {
	uint8_t b[256];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put8(struct frame *f, unsigned v)
{
	uint8_t b = (uint8_t)v;
	put(f, &b, 1);
}

static void put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void eth(struct frame *f, unsigned type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	f->n = 0;
	put(f, macs, 12);
	put16(f, type);
}

/* IPv4 header with `opt` bytes of options and a total length of `tot`. */
static void ipv4(struct frame *f, unsigned proto, size_t opt, size_t tot, unsigned frag)
{
	put8(f, 0x40 | (unsigned)(5 + opt / 4));
	put8(f, 0xb9); /* TOS: DSCP 46, ECN 1 */
	put16(f, (unsigned)tot);
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	for (size_t i = 0; i < opt; i++)
		put8(f, 1); /* NOP */
}

static void ports(struct frame *f, size_t hlen)
{
	put16(f, 1234);
	put16(f, 80);
	for (size_t i = 4; i < hlen; i++)
		put8(f, 0);
}

static void test_ipv4_tcp(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	eth(&f, 0x0800);
	ipv4(&f, 6, 0, 40, 0);
	ports(&f, 20);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.dl_type, 0x0800);
	assert_int_equal(key.nw_src, 0x0a000001);
	assert_int_equal(key.nw_dst, 0x0a000002);
	assert_int_equal(key.nw_proto, 6);
	assert_int_equal(key.nw_tos, 0xb9);
	assert_int_equal(key.nw_ttl, 64);
	assert_int_equal(key.tp_src, 1234);
	assert_int_equal(key.tp_dst, 80);
	assert_true(all_zero(key.ipv6_src, 32));
}

static void test_ipv4_options_and_padding(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	/* 8 bytes of options: the ports are after them. */
	eth(&f, 0x0800);
	ipv4(&f, 17, 8, 36, 0);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.tp_src, 1234);
	assert_int_equal(key.tp_dst, 80);
	/* A total length that ends inside the UDP header: padding is not UDP. */
	eth(&f, 0x0800);
	ipv4(&f, 17, 0, 24, 0);
	ports(&f, 8);
	for (int i = 0; i < 20; i++)
		put8(&f, 0);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 17);
	assert_int_equal(key.tp_src, 0);
	/* Total length shorter than the header: L3 only. */
	eth(&f, 0x0800);
	ipv4(&f, 6, 0, 10, 0);
	ports(&f, 20);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_src, 0x0a000001);
	assert_int_equal(key.tp_dst, 0);
	/* IHL below 5, or not version 4: no L3 at all. */
	eth(&f, 0x0800);
	ipv4(&f, 6, 0, 40, 0);
	ports(&f, 20);
	f.b[14] = 0x44;
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_src, 0);
	assert_int_equal(key.nw_proto, 0);
	f.b[14] = 0x65;
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_src, 0);
	assert_int_equal(key.dl_type, 0x0800);
}

static void test_ipv4_fragments(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	/* First fragment (MF set, offset 0): ports are there. */
	eth(&f, 0x0800);
	ipv4(&f, 6, 0, 40, 0x2000);
	ports(&f, 20);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.tp_dst, 80);
	/* Later fragments: no L4, but the protocol is known. */
	eth(&f, 0x0800);
	ipv4(&f, 6, 0, 40, 0x0001);
	ports(&f, 20);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 6);
	assert_int_equal(key.tp_src, 0);
	assert_int_equal(key.tp_dst, 0);
	assert_int_equal(key.nw_src, 0x0a000001);
}

static void test_icmp(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	eth(&f, 0x0800);
	ipv4(&f, 1, 0, 28, 0);
	put8(&f, 8);
	put8(&f, 3);
	for (int i = 0; i < 6; i++)
		put8(&f, 0xee);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 1);
	assert_int_equal(key.tp_src, 8);
	assert_int_equal(key.tp_dst, 3);
	/* SCTP ports, and an unknown protocol: nothing at L4. */
	eth(&f, 0x0800);
	ipv4(&f, 132, 0, 32, 0);
	ports(&f, 12);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.tp_src, 1234);
	eth(&f, 0x0800);
	ipv4(&f, 47, 0, 40, 0);
	ports(&f, 20);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 47);
	assert_int_equal(key.tp_src, 0);
}

static void ipv6(struct frame *f, unsigned next, size_t plen)
{
	put32(f, 0x6b912345); /* traffic class 0xb9, flow label 0x12345 */
	put16(f, (unsigned)plen);
	put8(f, next);
	put8(f, 33);
	put32(f, 0x20010db8);
	put32(f, 0);
	put32(f, 0);
	put32(f, 1);
	put32(f, 0xfe800000);
	put32(f, 0);
	put32(f, 0);
	put32(f, 2);
}

/* An extension header of `len` bytes (a multiple of 8) before `next`. */
static void ext(struct frame *f, unsigned next, size_t len)
{
	put8(f, next);
	put8(f, (unsigned)(len / 8 - 1));
	for (size_t i = 2; i < len; i++)
		put8(f, 0);
}

static void test_ipv6(void **state)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0xfe, 0x80, [15] = 2 };
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	eth(&f, 0x86dd);
	ipv6(&f, 6, 20);
	ports(&f, 20);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_memory_equal(key.ipv6_src, src, 16);
	assert_memory_equal(key.ipv6_dst, dst, 16);
	assert_int_equal(key.nw_tos, 0xb9);
	assert_int_equal(key.nw_ttl, 33);
	assert_int_equal(key.nw_proto, 6);
	assert_int_equal(key.tp_dst, 80);
	assert_int_equal(key.nw_src, 0);
	/* Hop-by-hop, routing, destination options, first fragment, AH, then ICMPv6. */
	eth(&f, 0x86dd);
	ipv6(&f, 0, 16 + 24 + 8 + 8 + 16 + 4);
	ext(&f, 43, 16);
	ext(&f, 60, 24);
	ext(&f, 44, 8); /* a fragment header: offset 0 */
	put8(&f, 51);
	put8(&f, 0);
	put16(&f, 0x0001); /* offset 0, M set */
	put32(&f, 7);
	put8(&f, 58); /* AH: length in 4-byte units minus 2 */
	put8(&f, 2);
	for (int i = 2; i < 16; i++)
		put8(&f, 0);
	put8(&f, 135);
	put8(&f, 0);
	put16(&f, 0);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 58);
	assert_int_equal(key.tp_src, 135);
	assert_int_equal(key.tp_dst, 0);
}

static void test_ipv6_fragment_and_bound(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	/* A later fragment: the fragment header's next header, no L4. */
	eth(&f, 0x86dd);
	ipv6(&f, 44, 8 + 8);
	put8(&f, 17);
	put8(&f, 0);
	put16(&f, 0x0008); /* offset 1 */
	put32(&f, 7);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 17);
	assert_int_equal(key.tp_src, 0);
	/* More than 8 extension headers: stop at the 9th, no L4. */
	eth(&f, 0x86dd);
	ipv6(&f, 60, 9 * 8 + 8);
	for (int i = 0; i < 9; i++)
		ext(&f, i < 8 ? 60 : 17, 8);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 60);
	assert_int_equal(key.tp_src, 0);
	/* Exactly 8 is fine. */
	eth(&f, 0x86dd);
	ipv6(&f, 60, 8 * 8 + 8);
	for (int i = 0; i < 8; i++)
		ext(&f, i < 7 ? 60 : 17, 8);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 17);
	assert_int_equal(key.tp_src, 1234);
	/* An extension header longer than the packet: its type, no L4. */
	eth(&f, 0x86dd);
	ipv6(&f, 0, 16);
	ext(&f, 17, 8);
	f.b[f.n - 7] = 200; /* 1608 bytes */
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 0);
	assert_int_equal(key.tp_src, 0);
	/* A payload length that ends before the UDP header does. */
	eth(&f, 0x86dd);
	ipv6(&f, 17, 4);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 17);
	assert_int_equal(key.tp_src, 0);
	/* Version not 6: no L3. */
	eth(&f, 0x86dd);
	ipv6(&f, 17, 8);
	ports(&f, 8);
	f.b[14] = 0x4b;
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 0);
	assert_true(all_zero(key.ipv6_src, 16));
}

static void arp(struct frame *f, unsigned op)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	put16(f, 1);
	put16(f, 0x0800);
	put8(f, 6);
	put8(f, 4);
	put16(f, op);
	put(f, mac, 6);
	put32(f, 0x0a000001);
	put(f, mac, 6);
	put32(f, 0x0a000002);
}

static void test_arp(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	eth(&f, 0x0806);
	arp(&f, 2);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 2);
	assert_int_equal(key.nw_src, 0x0a000001);
	assert_int_equal(key.nw_dst, 0x0a000002);
	assert_int_equal(key.tp_src, 0);
	/* An opcode above 255 is 0, as Open vSwitch. */
	eth(&f, 0x0806);
	arp(&f, 0x100);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_proto, 0);
	assert_int_equal(key.nw_src, 0x0a000001);
	/* Not Ethernet/IPv4: nothing. */
	eth(&f, 0x0806);
	arp(&f, 1);
	f.b[14 + 1] = 6; /* hardware type 6 */
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.nw_src, 0);
	assert_int_equal(key.nw_proto, 0);
}

static void test_vlan_then_ip(void **state)
{
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	eth(&f, 0x8100);
	put16(&f, 0x2005);
	put16(&f, 0x0800);
	ipv4(&f, 17, 0, 28, 0);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.vlan_tci, 0x3005);
	assert_int_equal(key.dl_type, 0x0800);
	assert_int_equal(key.nw_proto, 17);
	assert_int_equal(key.tp_dst, 80);
	/* QinQ: dl_type is the inner tag's TPID, so no L3. */
	eth(&f, 0x88a8);
	put16(&f, 0x0064);
	put16(&f, 0x8100);
	put16(&f, 0x0005);
	put16(&f, 0x0800);
	ipv4(&f, 17, 0, 28, 0);
	ports(&f, 8);
	assert_int_equal(extract_tail(f.b, f.n, &key), 0);
	assert_int_equal(key.dl_type, 0x8100);
	assert_int_equal(key.nw_src, 0);
}

/*
 * Cut `f` at every length. Each group of key fields is either all there
 * (equal to the whole frame's) or all zero, and once there stays there as
 * the frame grows; below 14 bytes (18 tagged) the frame is malformed.
 */
static void cut_everywhere(const struct frame *f, size_t min_len)
{
	struct vsw_flow_key full, key;
	bool had_l3 = false, had_l4 = false;

	assert_int_equal(extract_tail(f->b, f->n, &full), 0);
	for (size_t len = 0; len <= f->n; len++) {
		int rc = extract_tail(f->b, len, &key);
		bool l3, l4;

		if (len < min_len) {
			assert_int_equal(rc, -EINVAL);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(key.dl_type, full.dl_type);
		assert_int_equal(key.vlan_tci, full.vlan_tci);
		l3 = key.nw_src || key.nw_ttl || !all_zero(key.ipv6_src, 16);
		l4 = key.tp_src || key.tp_dst;
		if (l3) {
			assert_int_equal(key.nw_src, full.nw_src);
			assert_int_equal(key.nw_dst, full.nw_dst);
			assert_memory_equal(key.ipv6_src, full.ipv6_src, 32);
			assert_int_equal(key.nw_tos, full.nw_tos);
			assert_int_equal(key.nw_ttl, full.nw_ttl);
		} else {
			assert_true(all_zero(&key.nw_src, 8));
		}
		if (l4) {
			assert_int_equal(key.tp_src, full.tp_src);
			assert_int_equal(key.tp_dst, full.tp_dst);
			assert_int_equal(key.nw_proto, full.nw_proto);
		}
		assert_true(l3 || !had_l3);
		assert_true(l4 || !had_l4);
		had_l3 |= l3;
		had_l4 |= l4;
	}
	assert_true(had_l3);
}

static void test_cut_at_every_length(void **state)
{
	struct frame f;

	(void)state;
	eth(&f, 0x0800);
	ipv4(&f, 6, 12, 52, 0);
	ports(&f, 20);
	cut_everywhere(&f, 14);
	eth(&f, 0x8100);
	put16(&f, 0x0001);
	put16(&f, 0x0800);
	ipv4(&f, 1, 0, 28, 0);
	put8(&f, 8);
	put8(&f, 1);
	ports(&f, 6);
	cut_everywhere(&f, 18);
	eth(&f, 0x86dd);
	ipv6(&f, 0, 16 + 8 + 8);
	ext(&f, 44, 16);
	put8(&f, 17);
	put8(&f, 0);
	put16(&f, 0);
	put32(&f, 1);
	ports(&f, 8);
	cut_everywhere(&f, 14);
	eth(&f, 0x86dd);
	ipv6(&f, 58, 4);
	put8(&f, 128);
	put8(&f, 0);
	put16(&f, 0);
	cut_everywhere(&f, 14);
	eth(&f, 0x0806);
	arp(&f, 1);
	cut_everywhere(&f, 14);
}

/* Random bytes after a real Ethernet type, at random lengths: no crash, no overread. */
static void test_random_frames(void **state)
{
	static const uint16_t types[] = { 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x1234 };
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	struct vsw_flow_key key;
	struct frame f;

	(void)state;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len;

		eth(&f, types[iter % 6]);
		while (f.n < sizeof(f.b)) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			put8(&f, (unsigned)rng);
		}
		/* Plausible headers more often than not. */
		if (iter & 1)
			f.b[14] = iter & 2 ? 0x45 : 0x60;
		len = 14 + (size_t)(rng % (sizeof(f.b) - 14));
		assert_int_equal(extract_tail(f.b, len, &key), types[iter % 6] == 0x8100 ||
								      types[iter % 6] == 0x88a8
							      ? (len < 18 ? -EINVAL : 0)
							      : 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp),
		cmocka_unit_test(test_ipv4_options_and_padding),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv6_fragment_and_bound),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_vlan_then_ip),
		cmocka_unit_test(test_cut_at_every_length),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
