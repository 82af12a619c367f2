/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic's receive side: finding stamps, counting loss, latency quantiles. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "traffic_stats.h"

/* Ethernet [+ tag] + IPv4 + UDP(dport) + stamp into buf; returns the length. */
static size_t frame(uint8_t *buf, int vlan, uint16_t dport, uint16_t stream, uint32_t seq,
		    uint64_t tsc)
{
	struct vsw_traffic_stamp st = { VSW_TRAFFIC_STAMP_MAGIC, stream, seq, tsc };
	size_t off = 12;

	memset(buf, 0, 128);
	if (vlan) {
		buf[off++] = 0x81, buf[off++] = 0x00, buf[off++] = 0, buf[off++] = 100;
	}
	buf[off++] = 0x08, buf[off++] = 0x00;
	buf[off] = 0x45;
	buf[off + 9] = 17;
	off += 20;
	buf[off + 2] = (uint8_t)(dport >> 8), buf[off + 3] = (uint8_t)dport;
	off += 8;
	memcpy(buf + off, &st, sizeof(st));
	return off + sizeof(st);
}

static void test_stamp_find(void **state)
{
	uint8_t buf[256], outer[256];
	struct vsw_traffic_stamp st;
	size_t n;

	(void)state;
	n = frame(buf, 0, 9, 7, 42, 1234);
	assert_int_equal(vsw_traffic_stamp_find(buf, (uint32_t)n, &st), 0);
	assert_int_equal(st.stream, 7);
	assert_int_equal(st.seq, 42);
	assert_true(st.tsc == 1234);
	/* One byte short of the stamp, or not UDP, or another magic: none. */
	assert_int_equal(vsw_traffic_stamp_find(buf, (uint32_t)n - 1, &st), -ENOENT);
	buf[14 + 9] = 6;
	assert_int_equal(vsw_traffic_stamp_find(buf, (uint32_t)n, &st), -ENOENT);
	n = frame(buf, 0, 9, 7, 42, 1234);
	buf[n - 16] ^= 1;
	assert_int_equal(vsw_traffic_stamp_find(buf, (uint32_t)n, &st), -ENOENT);

	/* Behind an 802.1Q tag. */
	n = frame(buf, 1, 9, 3, 5, 99);
	assert_int_equal(vsw_traffic_stamp_find(buf, (uint32_t)n, &st), 0);
	assert_int_equal(st.seq, 5);

	/* Inside VXLAN: outer Ethernet/IPv4/UDP 4789, 8 bytes of VXLAN, the frame. */
	size_t in = frame(buf, 1, 9, 3, 6, 99);
	size_t hdr = frame(outer, 0, 4789, 0, 0, 0) - sizeof(st);
	memset(outer + hdr, 0, 8);
	memcpy(outer + hdr + 8, buf, in);
	assert_int_equal(vsw_traffic_stamp_find(outer, (uint32_t)(hdr + 8 + in), &st), 0);
	assert_int_equal(st.seq, 6);
	assert_int_equal(vsw_traffic_stamp_find(outer, (uint32_t)(hdr + 4), &st), -ENOENT);
	assert_int_equal(vsw_traffic_stamp_find(outer, 10, &st), -ENOENT);
}

static void test_sequence_loss_and_order(void **state)
{
	static struct vsw_traffic_rx rx;
	const uint32_t a[] = { 0, 1, 2, 4, 3, 5, 9 }; /* 6, 7, 8 lost; 3 late */
	uint8_t buf[256];

	(void)state;
	vsw_traffic_rx_init(&rx, 1000000000); /* 1 ns per cycle */
	rx.lat_on = true;
	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		size_t n = frame(buf, 0, 9, 1, a[i], 100);

		vsw_traffic_rx_frame(&rx, buf, (uint32_t)n, 100 + 10 * (i + 1));
	}
	/* Another sender's stream is kept apart: 0..2, none lost. */
	for (uint32_t s = 0; s < 3; s++) {
		size_t n = frame(buf, 0, 9, 2, s, 0);

		vsw_traffic_rx_frame(&rx, buf, (uint32_t)n, 5);
	}
	vsw_traffic_rx_frame(&rx, buf, 20, 5); /* no stamp: not counted */
	assert_int_equal(rx.stamped, 10);
	assert_int_equal(rx.n_streams, 2);
	assert_int_equal(vsw_traffic_rx_seq_loss(&rx), 3);
	assert_int_equal(vsw_traffic_rx_reordered(&rx), 1);
	assert_int_equal(rx.lat.n, 10);
	assert_int_equal(rx.lat.min, 5);
	assert_int_equal(rx.lat.max, 70);
}

static void test_latency_quantiles(void **state)
{
	static struct vsw_traffic_lat l;

	(void)state;
	vsw_traffic_lat_reset(&l);
	assert_int_equal(vsw_traffic_lat_quantile(&l, 0.5), 0);
	for (uint64_t v = 1; v <= 100000; v++)
		vsw_traffic_lat_add(&l, v);
	assert_int_equal(l.min, 1);
	assert_int_equal(l.max, 100000);
	uint64_t med = vsw_traffic_lat_quantile(&l, 0.5), p99 = vsw_traffic_lat_quantile(&l, 0.99);
	assert_in_range(med, 50000 * 0.984, 50000 * 1.016);
	assert_in_range(p99, 99000 * 0.984, 99000 * 1.016);
	assert_int_equal(vsw_traffic_lat_quantile(&l, 0), 1);
	assert_int_equal(vsw_traffic_lat_quantile(&l, 1), 100000);

	/* Below 64 ns every value has its bucket: exact. */
	vsw_traffic_lat_reset(&l);
	for (int i = 0; i < 10; i++)
		vsw_traffic_lat_add(&l, 40);
	vsw_traffic_lat_add(&l, 63);
	assert_int_equal(vsw_traffic_lat_quantile(&l, 0.5), 40);
	/* Huge values stay within the histogram. */
	vsw_traffic_lat_add(&l, UINT64_MAX);
	assert_true(l.max == UINT64_MAX);
	assert_true(vsw_traffic_lat_quantile(&l, 0.999) > (UINT64_MAX / 100) * 98);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stamp_find),
		cmocka_unit_test(test_sequence_loss_and_order),
		cmocka_unit_test(test_latency_quantiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
