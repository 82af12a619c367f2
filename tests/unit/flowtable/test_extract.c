/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw_flow_extract(): good frames, VLAN and QinQ tags, truncation at every
 * length. Each frame is copied to the very end of its own heap block, so a
 * read past frame[len - 1] is a heap overflow that ASan or valgrind reports.
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

static const uint8_t DST[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t SRC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* dst, src, then `rest` (EtherType/tags onwards); returns the total length. */
static size_t build(uint8_t *f, const uint8_t *rest, size_t n_rest)
{
	memcpy(f, DST, 6);
	memcpy(f + 6, SRC, 6);
	memcpy(f + 12, rest, n_rest);
	return 12 + n_rest;
}

/* Extract the first `len` bytes of `frame` from a heap block of exactly len bytes. */
static int extract_tail(const uint8_t *frame, size_t len, uint32_t in_port,
			struct vsw_flow_key *key)
{
	size_t n = len ? len : 1;
	uint8_t *blk = malloc(n);
	int rc;

	assert_non_null(blk);
	memcpy(blk + n - len, frame, len);
	rc = vsw_flow_extract(blk + n - len, len, in_port, key);
	free(blk);
	return rc;
}

static void test_untagged(void **state)
{
	static const uint8_t rest[] = { 0x08, 0x00, 0x45, 0x00, 0x00, 0x54 };
	struct vsw_flow_key key;
	uint8_t f[64];
	size_t len = build(f, rest, sizeof(rest));

	(void)state;
	memset(&key, 0xa5, sizeof(key));
	assert_int_equal(extract_tail(f, len, 7, &key), 0);
	assert_int_equal(key.in_port, 7);
	assert_memory_equal(key.dl_dst, DST, 6);
	assert_memory_equal(key.dl_src, SRC, 6);
	assert_int_equal(key.dl_type, 0x0800);
	assert_int_equal(key.vlan_tci, 0);
}

static void test_minimum_frame(void **state)
{
	static const uint8_t rest[] = { 0x08, 0x06 };
	struct vsw_flow_key key;
	uint8_t f[64];
	size_t len = build(f, rest, sizeof(rest));

	(void)state;
	assert_int_equal(len, 14);
	assert_int_equal(extract_tail(f, len, 1, &key), 0);
	assert_int_equal(key.dl_type, 0x0806);
	assert_int_equal(key.vlan_tci, 0);
}

static void test_vlan_tagged(void **state)
{
	/* PCP 1, DEI 0, VID 5: the key gets the CFI ("tagged") bit. */
	static const uint8_t rest[] = { 0x81, 0x00, 0x20, 0x05, 0x86, 0xdd, 0x60 };
	struct vsw_flow_key key;
	uint8_t f[64];
	size_t len = build(f, rest, sizeof(rest));

	(void)state;
	assert_int_equal(extract_tail(f, len, 3, &key), 0);
	assert_int_equal(key.vlan_tci, 0x3005);
	assert_int_equal(key.vlan_tci & VSW_VLAN_VID_MASK, 5);
	assert_int_equal(key.dl_type, 0x86dd);
	assert_int_equal(key.in_port, 3);
}

static void test_vlan_zero_tci(void **state)
{
	/* A priority tag (VID 0) is still a tag: vlan_tci = CFI only, not 0. */
	static const uint8_t rest[] = { 0x81, 0x00, 0x00, 0x00, 0x08, 0x00 };
	struct vsw_flow_key key;
	uint8_t f[64];
	size_t len = build(f, rest, sizeof(rest));

	(void)state;
	assert_int_equal(len, 18);
	assert_int_equal(extract_tail(f, len, 1, &key), 0);
	assert_int_equal(key.vlan_tci, VSW_VLAN_CFI);
	assert_int_equal(key.dl_type, 0x0800);
}

static void test_qinq_outer_tag(void **state)
{
	/* 802.1ad outer tag VID 100, then an 802.1Q tag: the key sees the outer one. */
	static const uint8_t rest[] = { 0x88, 0xa8, 0x00, 0x64, 0x81, 0x00,
					0x00, 0x05, 0x08, 0x00 };
	struct vsw_flow_key key;
	uint8_t f[64];
	size_t len = build(f, rest, sizeof(rest));

	(void)state;
	assert_int_equal(extract_tail(f, len, 1, &key), 0);
	assert_int_equal(key.vlan_tci, 0x1064);
	assert_int_equal(key.dl_type, 0x8100);
}

static void test_truncated_untagged(void **state)
{
	static const uint8_t rest[] = { 0x08, 0x00, 0x45 };
	struct vsw_flow_key key;
	uint8_t f[64];
	size_t full = build(f, rest, sizeof(rest));

	(void)state;
	for (size_t len = 0; len <= full; len++) {
		int rc = extract_tail(f, len, 1, &key);

		assert_int_equal(rc, len < 14 ? -EINVAL : 0);
	}
}

static void test_truncated_tagged(void **state)
{
	static const uint8_t vlan[] = { 0x81, 0x00, 0x00, 0x05, 0x08, 0x00, 0x45 };
	static const uint8_t qinq[] = { 0x88, 0xa8, 0x00, 0x05, 0x81, 0x00, 0x00 };
	const uint8_t *rests[] = { vlan, qinq };
	struct vsw_flow_key key;
	uint8_t f[64];

	(void)state;
	for (size_t r = 0; r < 2; r++) {
		size_t full = build(f, rests[r], sizeof(vlan));

		for (size_t len = 0; len <= full; len++) {
			int rc = extract_tail(f, len, 1, &key);

			assert_int_equal(rc, len < 18 ? -EINVAL : 0);
			if (rc == 0)
				assert_int_equal(key.vlan_tci, 0x1005);
		}
	}
}

static void test_null_frame(void **state)
{
	struct vsw_flow_key key;

	(void)state;
	assert_int_equal(vsw_flow_extract(NULL, 0, 1, &key), -EINVAL);
}

static void test_other_ethertypes_untouched(void **state)
{
	/* Only 0x8100 and 0x88a8 are tags; 0x9100 or 0x88e7 are plain EtherTypes. */
	static const uint16_t types[] = { 0x9100, 0x88e7, 0x0000, 0xffff, 0x0806 };
	struct vsw_flow_key key;
	uint8_t f[64];

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint8_t rest[2] = { (uint8_t)(types[i] >> 8), (uint8_t)types[i] };
		size_t len = build(f, rest, sizeof(rest));

		assert_int_equal(extract_tail(f, len, 1, &key), 0);
		assert_int_equal(key.dl_type, types[i]);
		assert_int_equal(key.vlan_tci, 0);
	}
}

static void test_match_hit(void **state)
{
	static const uint8_t rest[] = { 0x81, 0x00, 0x00, 0x05, 0x08, 0x00 };
	struct vsw_flow_key key;
	struct vsw_match m;
	uint8_t f[64];
	size_t len = build(f, rest, sizeof(rest));

	(void)state;
	assert_int_equal(extract_tail(f, len, 4, &key), 0);
	memset(&m, 0, sizeof(m));
	assert_true(vsw_match_hit(&m, &key)); /* match-all */
	m.key.vlan_tci = VSW_VLAN_CFI | 5;
	m.mask.vlan_tci = VSW_VLAN_CFI | VSW_VLAN_VID_MASK;
	assert_true(vsw_match_hit(&m, &key));
	m.key.in_port = 4;
	m.mask.in_port = UINT32_MAX;
	assert_true(vsw_match_hit(&m, &key));
	m.key.in_port = 5;
	assert_false(vsw_match_hit(&m, &key));
	m.key.in_port = 4;
	memcpy(m.key.dl_dst, DST, 6);
	memset(m.mask.dl_dst, 0xff, 6);
	assert_true(vsw_match_hit(&m, &key));
	m.key.dl_dst[5] ^= 1;
	assert_false(vsw_match_hit(&m, &key));
	m.mask.dl_dst[5] = 0xfe; /* now the differing bit is wildcarded */
	m.key.dl_dst[5] &= 0xfe;
	assert_true(vsw_match_hit(&m, &key));
	m.key.vlan_tci = 0;
	m.mask.vlan_tci = 0xffff; /* untagged only */
	assert_false(vsw_match_hit(&m, &key));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_untagged),
		cmocka_unit_test(test_minimum_frame),
		cmocka_unit_test(test_vlan_tagged),
		cmocka_unit_test(test_vlan_zero_tci),
		cmocka_unit_test(test_qinq_outer_tag),
		cmocka_unit_test(test_truncated_untagged),
		cmocka_unit_test(test_truncated_tagged),
		cmocka_unit_test(test_null_frame),
		cmocka_unit_test(test_other_ethertypes_untouched),
		cmocka_unit_test(test_match_hit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
