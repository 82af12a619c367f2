/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_vxlan: the outer header and the ARP reply byte for byte against what
 * scapy builds (Ether/IP/UDP/VXLAN, RFC 7348's layout), the receive checks
 * over every truncation of a frame and every way a frame can be not ours or
 * broken, and the UDP source port's range and spread. Frames under test sit
 * at the very end of their heap block, so a read past frame[len - 1] is a
 * heap overflow that ASan or valgrind reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pkt_vxlan.h"

static const uint8_t OUR_MAC[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
static const uint8_t PEER_MAC[6] = { 0x02, 0, 0, 0, 0x02, 0x02 };

/*
 * scapy: Ether(dst="02:00:00:00:02:02", src="02:00:00:00:01:01") /
 *   IP(src="198.51.100.1", dst="198.51.100.2", ttl=64, id=7, flags=0) /
 *   UDP(sport=50000, dport=4789, chksum=0) / VXLAN(vni=0x123456, flags=0x08) /
 *   INNER: the first 50 bytes.
 */
static const uint8_t OUTER[VSW_VXLAN_HLEN] = {
	0x02, 0x00, 0x00, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x5a, 0x00, 0x07, 0x00, 0x00, 0x40, 0x11,
	0x26, 0x22, 0xc6, 0x33, 0x64, 0x01, 0xc6, 0x33, 0x64, 0x02, 0xc3, 0x50,
	0x12, 0xb5, 0x00, 0x46, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12, 0x34,
	0x56, 0x00,
};

/* Ether(02:..:0a -> 02:..:0b)/IP(192.0.2.1 -> 192.0.2.2)/UDP(1000 -> 7)/"hello vxlan!" */
static const uint8_t INNER[54] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,
	0xf6, 0xc0, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x03, 0xe8,
	0x00, 0x07, 0x00, 0x14, 0xe2, 0xe5, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20,
	0x76, 0x78, 0x6c, 0x61, 0x6e, 0x21,
};

/* scapy: Ether(dst=ff.., src=02:..:02:02)/ARP(op=1, psrc=198.51.100.2, pdst=198.51.100.1) */
static const uint8_t ARP_REQ[VSW_ARP_FRAME_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x02, 0x02,
	0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00,
	0x00, 0x00, 0x02, 0x02, 0xc6, 0x33, 0x64, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xc6, 0x33, 0x64, 0x01,
};

/* scapy: the answer, Ether(dst=02:..:02:02, src=02:..:01:01)/ARP(op=2, ...) */
static const uint8_t ARP_REP[VSW_ARP_FRAME_LEN] = {
	0x02, 0x00, 0x00, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
	0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x02, 0x00,
	0x00, 0x00, 0x01, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x02, 0x02, 0xc6, 0x33, 0x64, 0x02,
};

static struct vsw_vxlan_local us(void)
{
	struct vsw_vxlan_local l;

	l.ip = inet_addr("198.51.100.1");
	memcpy(l.mac, OUR_MAC, 6);
	return l;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The IPv4 header at f + 14 gets a valid checksum again. */
static void fix_ip_csum(uint8_t *f)
{
	size_t ihl = (size_t)(f[14] & 0x0f) * 4;

	put16(f + 24, 0);
	put16(f + 24, vsw_ipv4_csum(f + 14, ihl));
}

/*
 * A VXLAN frame from the peer to us: scapy's OUTER with the two MACs and
 * the two addresses swapped (the checksum stays right), then INNER.
 */
static size_t rx_frame(uint8_t *f)
{
	memcpy(f, OUTER, VSW_VXLAN_HLEN);
	memcpy(f, OUR_MAC, 6);
	memcpy(f + 6, PEER_MAC, 6);
	memcpy(f + 26, OUTER + 30, 4);
	memcpy(f + 30, OUTER + 26, 4);
	memcpy(f + VSW_VXLAN_HLEN, INNER, sizeof(INNER));
	return VSW_VXLAN_HLEN + sizeof(INNER);
}

/* Check `len` bytes of `f` from a heap block of exactly that size. */
static enum vsw_vxlan_verdict check(const uint8_t *f, size_t len, struct vsw_vxlan_rx *rx)
{
	struct vsw_vxlan_local l = us();
	uint8_t *copy = malloc(len ? len : 1);
	enum vsw_vxlan_verdict v;

	assert_non_null(copy);
	memcpy(copy, f, len);
	v = vsw_vxlan_rx_check(copy, len, &l, rx);
	free(copy);
	return v;
}

static enum vsw_vxlan_verdict check_frame(const uint8_t *f, size_t len)
{
	struct vsw_vxlan_rx rx;

	return check(f, len, &rx);
}

/* --- transmit ------------------------------------------------------------ */

static void test_encap_bytes(void **state)
{
	struct vsw_vxlan_local l = us();
	struct vsw_vxlan_tx tx = { .dst_ip = inet_addr("198.51.100.2"), .vni = 0x123456,
				   .src_port = 50000, .ip_id = 7 };
	uint8_t hdr[VSW_VXLAN_HLEN + 1];

	(void)state;
	memcpy(tx.dst_mac, PEER_MAC, 6);
	memset(hdr, 0xee, sizeof(hdr));
	vsw_vxlan_encap(hdr, &l, &tx, sizeof(INNER));
	assert_memory_equal(hdr, OUTER, VSW_VXLAN_HLEN);
	assert_int_equal(hdr[VSW_VXLAN_HLEN], 0xee); /* nothing past the 50 bytes */
	assert_int_equal(vsw_ipv4_csum(hdr + 14, 20), 0);
	/* The largest VNI, another length: the fields move, the checksum follows. */
	tx.vni = 0xffffff;
	tx.ip_id = 0xffff;
	vsw_vxlan_encap(hdr, &l, &tx, 1464);
	assert_int_equal(hdr[16] << 8 | hdr[17], 1500); /* IPv4 total length */
	assert_int_equal(hdr[38] << 8 | hdr[39], 1480); /* UDP length */
	assert_int_equal(hdr[18] << 8 | hdr[19], 0xffff);
	assert_int_equal(vsw_ipv4_csum(hdr + 14, 20), 0);
	assert_int_equal(hdr[46], 0xff);
	assert_int_equal(hdr[47], 0xff);
	assert_int_equal(hdr[48], 0xff);
	assert_int_equal(hdr[49], 0);
}

/* A known header (the checksum Wikipedia's IPv4 article works out), and with options. */
static void test_ipv4_csum(void **state)
{
	uint8_t h[24] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
			  0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	(void)state;
	assert_int_equal(vsw_ipv4_csum(h, 20), 0xb861);
	h[10] = 0xb8;
	h[11] = 0x61;
	assert_int_equal(vsw_ipv4_csum(h, 20), 0);
	/* IHL 6: four bytes of options (NOPs) fold in too */
	h[0] = 0x46;
	h[10] = h[11] = 0;
	h[20] = h[21] = h[22] = h[23] = 0x01;
	/* 0xb861 less 0x0100 for the IHL, plus 0x0101 twice for the options */
	assert_int_equal(vsw_ipv4_csum(h, 24), 0xb861 - 0x0100 - 0x0202);
}

static void test_src_port(void **state)
{
	static uint8_t seen[VSW_VXLAN_SPORT_RANGE];
	struct vsw_flow_key k, k2;
	unsigned distinct = 0;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(vsw_flow_extract(INNER, sizeof(INNER), 1, &k), 0);
	uint16_t p = vsw_vxlan_src_port(&k);
	assert_true(p >= VSW_VXLAN_SPORT_BASE);
	/* Stable for the flow; input port, tunnel and metadata do not matter. */
	k2 = k;
	k2.in_port = 9;
	k2.tun_id = 77;
	k2.tun_src = 0x01020304;
	k2.metadata = 5;
	k2.regs[0] = 1;
	assert_int_equal(vsw_vxlan_src_port(&k2), p);
	/* Flows spread over the range: 1000 L4 source ports, few collisions. */
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < 1000; i++) {
		k2 = k;
		k2.tp_src = (uint16_t)(1000 + i);
		uint16_t q = vsw_vxlan_src_port(&k2);

		assert_true(q >= VSW_VXLAN_SPORT_BASE);
		distinct += !seen[q - VSW_VXLAN_SPORT_BASE];
		seen[q - VSW_VXLAN_SPORT_BASE] = 1;
	}
	assert_true(distinct > 940); /* a uniform hash gives ~970 */
	/* Each hashed field moves the port. */
	k2 = k;
	k2.nw_dst++;
	assert_int_not_equal(vsw_vxlan_src_port(&k2), p);
	k2 = k;
	k2.dl_src[5]++;
	assert_int_not_equal(vsw_vxlan_src_port(&k2), p);
	k2 = k;
	k2.tp_dst++;
	assert_int_not_equal(vsw_vxlan_src_port(&k2), p);
}

/* --- receive ------------------------------------------------------------- */

static void test_decap(void **state)
{
	uint8_t f[256];
	size_t len = rx_frame(f);
	struct vsw_vxlan_rx rx;

	(void)state;
	memset(&rx, 0, sizeof(rx));
	assert_int_equal(check(f, len, &rx), VSW_VXLAN_DECAP);
	assert_int_equal(rx.vni, 0x123456);
	assert_int_equal(rx.src_ip, inet_addr("198.51.100.2"));
	assert_int_equal(rx.inner_off, VSW_VXLAN_HLEN);
	assert_int_equal(rx.inner_len, sizeof(INNER));
	assert_memory_equal(f + rx.inner_off, INNER, sizeof(INNER));
	/* Ethernet padding after the datagram is not part of the inner frame. */
	memset(f + len, 0, 6);
	assert_int_equal(check(f, len + 6, &rx), VSW_VXLAN_DECAP);
	assert_int_equal(rx.inner_len, sizeof(INNER));
	/* A non-zero UDP checksum is accepted without verification (RFC 7348). */
	put16(f + 40, 0x1234);
	assert_int_equal(check(f, len, &rx), VSW_VXLAN_DECAP);
}

/* Every cut of a VXLAN frame to us: too short to tell, else malformed. */
static void test_every_truncation(void **state)
{
	uint8_t f[256];
	size_t len = rx_frame(f);

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		enum vsw_vxlan_verdict want = cut < 14 + 20 ? VSW_VXLAN_OTHER :
							      VSW_VXLAN_MALFORMED;

		if (check_frame(f, cut) != want)
			fail_msg("cut to %zu bytes: verdict %d, want %d", cut, check_frame(f, cut),
				 want);
	}
	assert_int_equal(check_frame(f, len), VSW_VXLAN_DECAP);
}

/* Consistent lengths, but too little inside: the inner frame must be Ethernet. */
static void test_short_inner(void **state)
{
	uint8_t f[256];
	struct vsw_vxlan_rx rx;

	(void)state;
	for (size_t inner = 0; inner <= 14; inner++) {
		size_t len = rx_frame(f) - sizeof(INNER) + inner;

		put16(f + 16, (uint16_t)(20 + 8 + 8 + inner));
		put16(f + 38, (uint16_t)(8 + 8 + inner));
		fix_ip_csum(f);
		assert_int_equal(check(f, len, &rx), inner < 14 ? VSW_VXLAN_MALFORMED :
								   VSW_VXLAN_DECAP);
	}
	assert_int_equal(rx.inner_len, 14);
	/* A UDP length beyond the datagram, or short of the headers. */
	size_t len = rx_frame(f);
	put16(f + 38, 8 + 8 + sizeof(INNER) + 1);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_MALFORMED);
	put16(f + 38, 7);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_MALFORMED);
	/* An IPv4 total length short of a UDP header. */
	len = rx_frame(f);
	put16(f + 16, 20 + 7);
	fix_ip_csum(f);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_MALFORMED);
}

static void test_flags(void **state)
{
	static const struct {
		uint8_t flags;
		enum vsw_vxlan_verdict want;
	} cases[] = {
		{ 0x08, VSW_VXLAN_DECAP },     { 0x00, VSW_VXLAN_MALFORMED },
		{ 0xf7, VSW_VXLAN_MALFORMED }, { 0x80, VSW_VXLAN_MALFORMED },
		{ 0xff, VSW_VXLAN_DECAP },     { 0x0c, VSW_VXLAN_DECAP }, /* reserved bits ignored */
	};
	uint8_t f[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = rx_frame(f);

		f[42] = cases[i].flags;
		f[43] = f[44] = f[45] = f[49] = 0xff; /* reserved: ignored */
		if (check_frame(f, len) != cases[i].want)
			fail_msg("flags 0x%02x: verdict %d, want %d", cases[i].flags,
				 check_frame(f, len), cases[i].want);
	}
}

/* Frames that are not ours go on as ordinary frames of the underlay. */
static void test_not_ours(void **state)
{
	uint8_t f[256], g[260];
	size_t len;

	(void)state;
	len = rx_frame(f);
	put16(f + 36, 4790); /* another UDP port */
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	put16(f + 36, 8472); /* Linux's old VXLAN port */
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	len = rx_frame(f);
	f[33] = 9; /* another destination address */
	fix_ip_csum(f);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	len = rx_frame(f);
	f[5] = 9; /* another destination MAC */
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	memset(f, 0xff, 6); /* broadcast */
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	len = rx_frame(f);
	f[23] = 6; /* TCP */
	fix_ip_csum(f);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	len = rx_frame(f);
	f[14] = 0x65; /* IPv6 version in an IPv4 EtherType */
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	len = rx_frame(f);
	put16(f + 12, 0x86dd);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	/* A later fragment has no UDP header: not recognisably VXLAN. */
	len = rx_frame(f);
	put16(f + 20, 0x0010);
	fix_ip_csum(f);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_OTHER);
	/* A VLAN tag in front: the underlay is untagged. */
	len = rx_frame(f);
	memcpy(g, f, 12);
	put16(g + 12, 0x8100);
	put16(g + 14, 10);
	memcpy(g + 16, f + 12, len - 12);
	assert_int_equal(check_frame(g, len + 4), VSW_VXLAN_OTHER);
}

static void test_broken(void **state)
{
	uint8_t f[256], g[260];
	size_t len;
	struct vsw_vxlan_rx rx;

	(void)state;
	len = rx_frame(f);
	f[24] ^= 1; /* IP header checksum */
	assert_int_equal(check_frame(f, len), VSW_VXLAN_MALFORMED);
	len = rx_frame(f);
	put16(f + 20, 0x2000); /* a first fragment (MF) */
	fix_ip_csum(f);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_MALFORMED);
	len = rx_frame(f);
	put16(f + 20, 0x4000); /* DF is fine */
	fix_ip_csum(f);
	assert_int_equal(check_frame(f, len), VSW_VXLAN_DECAP);
	/* IP options move everything by their length. */
	len = rx_frame(f);
	memcpy(g, f, 34);
	memset(g + 34, 1, 4); /* four NOPs */
	memcpy(g + 38, f + 34, len - 34);
	g[14] = 0x46;
	put16(g + 16, (uint16_t)(len - 14 + 4));
	fix_ip_csum(g);
	assert_int_equal(check(g, len + 4, &rx), VSW_VXLAN_DECAP);
	assert_int_equal(rx.inner_off, VSW_VXLAN_HLEN + 4);
	assert_memory_equal(g + rx.inner_off, INNER, sizeof(INNER));
	/* ...and cut inside the options or the UDP header: the port is unknown. */
	for (size_t cut = 34; cut < 38 + 8; cut++)
		assert_int_equal(check_frame(g, cut), VSW_VXLAN_MALFORMED);
	/* An IHL pointing past the frame. */
	len = rx_frame(f);
	f[14] = 0x4f;
	assert_int_equal(check_frame(f, 14 + 40), VSW_VXLAN_MALFORMED);
}

/* --- ARP ----------------------------------------------------------------- */

static void test_arp(void **state)
{
	struct vsw_vxlan_local l = us();
	uint8_t f[64], reply[VSW_ARP_FRAME_LEN + 1];

	(void)state;
	assert_int_equal(check_frame(ARP_REQ, sizeof(ARP_REQ)), VSW_VXLAN_ARP);
	memset(reply, 0xee, sizeof(reply));
	vsw_vxlan_arp_reply(ARP_REQ, &l, reply);
	assert_memory_equal(reply, ARP_REP, sizeof(ARP_REP));
	assert_int_equal(reply[VSW_ARP_FRAME_LEN], 0xee);
	/* Padded to 60 bytes, as on the wire: still a request for us. */
	memcpy(f, ARP_REQ, sizeof(ARP_REQ));
	memset(f + sizeof(ARP_REQ), 0, 60 - sizeof(ARP_REQ));
	assert_int_equal(check_frame(f, 60), VSW_VXLAN_ARP);
	/* Unicast to our MAC (a cache refresh): answered. */
	memcpy(f, OUR_MAC, 6);
	assert_int_equal(check_frame(f, 42), VSW_VXLAN_ARP);
	/* To another MAC, for another address, not a request, cut, odd kinds: not ours. */
	f[5] = 0x77;
	assert_int_equal(check_frame(f, 42), VSW_VXLAN_OTHER);
	memcpy(f, ARP_REQ, sizeof(ARP_REQ));
	f[41] = 2;
	assert_int_equal(check_frame(f, 42), VSW_VXLAN_OTHER);
	memcpy(f, ARP_REQ, sizeof(ARP_REQ));
	f[21] = 2; /* a reply */
	assert_int_equal(check_frame(f, 42), VSW_VXLAN_OTHER);
	memcpy(f, ARP_REQ, sizeof(ARP_REQ));
	f[15] = 6; /* hardware type IEEE 802 */
	assert_int_equal(check_frame(f, 42), VSW_VXLAN_OTHER);
	memcpy(f, ARP_REQ, sizeof(ARP_REQ));
	f[22] = 0x03; /* a multicast sender hardware address */
	assert_int_equal(check_frame(f, 42), VSW_VXLAN_OTHER);
	for (size_t cut = 0; cut < sizeof(ARP_REQ); cut++)
		assert_int_equal(check_frame(ARP_REQ, cut), VSW_VXLAN_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encap_bytes), cmocka_unit_test(test_ipv4_csum),
		cmocka_unit_test(test_src_port),
		cmocka_unit_test(test_decap),	    cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_short_inner), cmocka_unit_test(test_flags),
		cmocka_unit_test(test_not_ours),    cmocka_unit_test(test_broken),
		cmocka_unit_test(test_arp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
