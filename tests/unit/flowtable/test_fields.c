/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The field tables (fields.h): every name unique and consistent with the
 * field it writes, the printer's names resolve back to the same place,
 * prerequisites, and vsw_field_apply().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fields.h"
#include "parse_util.h"

static bool same_loc(const struct vsw_field_loc *a, const struct vsw_field_loc *b)
{
	return a->ofs == b->ofs && a->size == b->size && a->lsb == b->lsb && a->bits == b->bits;
}

static void test_names_unique(void **state)
{
	(void)state;
	assert_true(vsw_n_field_names > 100);
	for (size_t i = 0; i < vsw_n_field_names; i++) {
		const struct vsw_field_name *f = &vsw_field_names[i];

		assert_ptr_equal(vsw_field_by_name(f->name, strlen(f->name)), f);
		for (size_t j = i + 1; j < vsw_n_field_names; j++)
			if (strcmp(f->name, vsw_field_names[j].name) == 0)
				fail_msg("'%s' twice", f->name);
	}
	assert_null(vsw_field_by_name("nope", 4));
	assert_null(vsw_field_by_name("tp_ds", 5)); /* no prefix matches */
	assert_null(vsw_field_by_name("TP_DST", 6)); /* case-sensitive */
}

static void test_names_fit_their_field(void **state)
{
	(void)state;
	for (size_t i = 0; i < vsw_n_field_names; i++) {
		const struct vsw_field_name *f = &vsw_field_names[i];
		const struct vsw_field_info *fi;

		assert_true(f->loc.ofs + f->loc.size <= sizeof(struct vsw_flow_key));
		if (f->loc.bits) /* the field is where lsb says */
			assert_true(f->loc.bits >> f->loc.lsb != 0);
		else
			assert_true((f->fmt == VSW_FMT_MAC && f->loc.size == 6) ||
				    (f->fmt == VSW_FMT_IPV6 && f->loc.size == 16) ||
				    (f->fmt == VSW_FMT_IPV4 && f->loc.size == 4));
		if (f->write < 0)
			continue;
		fi = vsw_field_info((unsigned)f->write);
		assert_non_null(fi);
		assert_true(fi->writable);
		/* Same member, and no bits outside the field it writes. */
		if (fi->loc.ofs != f->loc.ofs || fi->loc.size != f->loc.size ||
		    (f->loc.bits & ~fi->loc.bits))
			fail_msg("%s does not fit field %d", f->name, f->write);
	}
}

static void test_printed_names_resolve(void **state)
{
	(void)state;
	for (unsigned fld = 0; fld < VSW_F_N; fld++) {
		const struct vsw_field_info *fi = vsw_field_info(fld);
		const struct vsw_field_name *by_name, *by_load;

		assert_non_null(fi);
		assert_non_null(fi->name);
		by_name = vsw_field_by_name(fi->name, strlen(fi->name));
		by_load = vsw_field_by_name(fi->load, strlen(fi->load));
		assert_non_null(by_name);
		assert_non_null(by_load);
		if (!fi->writable) {
			assert_int_equal(by_name->write, -1);
			continue;
		}
		if (by_name->write != (int)fld || !same_loc(&by_name->loc, &fi->loc))
			fail_msg("set_field name %s is not field %u", fi->name, fld);
		if (by_load->write != (int)fld || !same_loc(&by_load->loc, &fi->loc))
			fail_msg("load name %s is not field %u", fi->load, fld);
		assert_int_equal(by_name->wprereq, fi->prereq);
	}
	assert_null(vsw_field_info(VSW_F_N));
	assert_null(vsw_field_info(1000));
}

/* Every match field the issue lists is there, matchable. */
static void test_issue_fields(void **state)
{
	static const char *const names[] = {
		"in_port", "dl_src", "dl_dst", "dl_type", "dl_vlan", "dl_vlan_pcp", "vlan_tci",
		"nw_src", "nw_dst", "nw_proto", "nw_tos", "ip_dscp", "nw_ttl", "tp_src", "tp_dst",
		"icmp_type", "icmp_code", "arp_spa", "arp_tpa", "arp_op", "ipv6_src", "ipv6_dst",
		"tun_id", "tun_src", "tun_dst", "metadata", "reg0", "reg1", "reg2", "reg3", "reg4", "reg5", "reg6", "reg7",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct vsw_field_name *f = vsw_field_by_name(names[i], strlen(names[i]));

		assert_non_null(f);
		assert_true(f->flags & VSW_FN_MATCH);
	}
}

static void match_of(const char *text, struct vsw_match *m)
{
	struct vsw_flow_spec spec;

	parse_ok(text, VSW_PARSE_FILTER, NULL, &spec);
	*m = spec.match;
}

static void test_prereqs(void **state)
{
	static const struct {
		const char *match;
		const char *ok; /* prerequisites met, by first letters */
	} cases[] = {
		/* N=NONE 4=IPV4 6=IPV6 I=IP_ANY a=IPV4_ARP A=IP_ANY_ARP R=ARP
		 * L=L4 T=TCP U=UDP S=SCTP C=ICMP_ANY c=ICMPV4 v=ICMPV6 */
		{ "", "N" },
		{ "ip", "N4IaA" },
		{ "ipv6", "N6IA" },
		{ "arp", "NaAR" },
		{ "tcp", "N4IaALT" },
		{ "udp6", "N6IALU" },
		{ "sctp", "N4IaALS" },
		{ "icmp", "N4IaACc" },
		{ "icmp6", "N6IACv" },
		{ "dl_type=0x0800,nw_proto=58", "N4IaA" },
		{ "dl_type=0x86dd,nw_proto=1", "N6IA" },
		{ "dl_type=0x8100", "N" },
	};
	static const char order[] = "N46IaARLTUSCcv";

	(void)state;
	assert_int_equal(strlen(order), VSW_PRQ_N);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vsw_match m;

		match_of(cases[i].match, &m);
		for (int p = 0; p < VSW_PRQ_N; p++) {
			bool want = strchr(cases[i].ok, order[p]) != NULL;

			if (vsw_prereq_ok((enum vsw_prereq)p, &m) != want)
				fail_msg("'%s' prerequisite %c: want %d", cases[i].match, order[p],
					 want);
		}
	}
	assert_string_equal(vsw_prereq_text(VSW_PRQ_NONE), "");
	for (int p = 1; p < VSW_PRQ_N; p++)
		assert_true(strlen(vsw_prereq_text((enum vsw_prereq)p)) > 5);
	assert_string_equal(vsw_prereq_text(VSW_PRQ_N), "");
}

static void test_apply(void **state)
{
	struct vsw_flow_spec spec;
	struct vsw_flow_key key;
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };

	(void)state;
	add_ok("ip,actions=mod_vlan_pcp:5,mod_vlan_vid:7,mod_dl_src:02:00:00:00:00:09,"
	       "mod_nw_tos:184,load:0xab->NXM_NX_REG3[8..15],set_field:46->ip_dscp,"
	       "mod_nw_ecn:1", &spec);
	memset(&key, 0, sizeof(key));
	key.vlan_tci = 0x1123;
	key.regs[3] = 0xffffffff;
	key.nw_tos = 0x03;
	for (size_t i = 0; i < spec.actions.n; i++)
		vsw_field_apply(&spec.actions.a[i], &key);
	assert_int_equal(key.vlan_tci, 0xa000 | 0x1000 | 7);
	assert_memory_equal(key.dl_src, mac, 6);
	assert_int_equal(key.regs[3], 0xffffabff);
	assert_int_equal(key.nw_tos, 0xb9);
	/* Tunnel endpoints: network order in the key, masked byte by byte. */
	add_ok("actions=set_field:198.51.100.2->tun_dst,set_field:10.0.0.0/8->tun_src", &spec);
	key.tun_src = 0xffffffff;
	for (size_t i = 0; i < spec.actions.n; i++)
		vsw_field_apply(&spec.actions.a[i], &key);
	static const uint8_t dst[4] = { 198, 51, 100, 2 }, src[4] = { 10, 0xff, 0xff, 0xff };
	assert_memory_equal(&key.tun_dst, dst, 4);
	assert_memory_equal(&key.tun_src, src, 4);
	/* Eight and sixteen bytes (done a word at a time), under a mask. */
	add_ok("ipv6,actions=set_field:0x1200ab/0xff00ff->metadata,"
	       "set_field:2001:db8::/32->ipv6_src", &spec);
	key.metadata = 0x1111111111111111ull;
	memset(key.ipv6_src, 0xee, 16);
	for (size_t i = 0; i < spec.actions.n; i++)
		vsw_field_apply(&spec.actions.a[i], &key);
	assert_true(key.metadata == 0x11111111111211abull);
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xee, 0xee, 0xee, 0xee,
					0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee };
	assert_memory_equal(key.ipv6_src, v6, 16);
	/* Not a SET_FIELD, or an unknown field: nothing happens. */
	struct vsw_flow_key before = key;
	struct vsw_action a;
	memset(&a, 0xff, sizeof(a));
	a.type = VSW_ACT_OUTPUT;
	a.field = VSW_F_REG0;
	vsw_field_apply(&a, &key);
	a.type = VSW_ACT_SET_FIELD;
	a.field = VSW_F_N;
	vsw_field_apply(&a, &key);
	assert_memory_equal(&key, &before, sizeof(key));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_names_fit_their_field),
		cmocka_unit_test(test_printed_names_resolve),
		cmocka_unit_test(test_issue_fields),
		cmocka_unit_test(test_prereqs),
		cmocka_unit_test(test_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
