/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text form of action lists: see flow.h, and fields.h for SET_FIELD values.
 *
 * Actions print the way Open vSwitch prints them: `output:vm2`, `IN_PORT`,
 * `FLOOD`, `NORMAL`, `drop`, `push_vlan:0x8100`, `strip_vlan`, `dec_ttl`,
 * `resubmit(,2)`, `goto_table:3`, `note:01.02`. A SET_FIELD does not remember
 * which syntax wrote it, so it prints in one canonical form that parses back
 * to the same action:
 *   - the mod_* shorthand when there is one for its field and mask
 *     (mod_vlan_vid:10, mod_nw_src:10.0.0.1, mod_nw_tos:184, set_tunnel:0x5);
 *   - registers, metadata and other contiguous bit ranges as
 *     load:0x1->NXM_NX_REG0[] / load:0x5->NXM_NX_REG0[0..3];
 *   - other whole fields as set_field:2001:db8::1->ipv6_src (and
 *     set_field:198.51.100.2->tun_dst);
 *   - anything else as set_field:VALUE/MASK->FIELD.
 */
#include "fields.h"
#include "text.h"

#include <string.h>

struct bits {
	int lo, hi; /* lowest and highest set bit, -1 when none */
	bool contiguous;
};

/* Bit i of a byte field is bit i % 8 of byte size - 1 - i / 8 (network order). */
static bool byte_bit(const uint8_t *b, size_t size, unsigned i)
{
	return b[size - 1 - i / 8] >> (i % 8) & 1;
}

static struct bits scan_bytes(const uint8_t *m, size_t size)
{
	struct bits r = { -1, -1, true };

	for (unsigned i = 0; i < size * 8; i++) {
		if (!byte_bit(m, size, i))
			continue;
		if (r.lo < 0)
			r.lo = (int)i;
		else if (r.hi != (int)i - 1)
			r.contiguous = false;
		r.hi = (int)i;
	}
	return r;
}

static struct bits scan_u64(uint64_t m)
{
	uint8_t be[8];

	for (int i = 0; i < 8; i++)
		be[7 - i] = (uint8_t)(m >> (8 * i));
	return scan_bytes(be, 8);
}

static unsigned width_of(const struct vsw_field_info *fi)
{
	return (unsigned)scan_u64(fi->loc.bits).hi - (unsigned)scan_u64(fi->loc.bits).lo + 1;
}

static void put_range(struct vsw_out *o, const char *name, struct bits b, unsigned width)
{
	vsw_put(o, "->%s", name);
	if (b.lo == 0 && b.hi == (int)width - 1)
		vsw_put(o, "[]");
	else if (b.lo == b.hi)
		vsw_put(o, "[%d]", b.lo);
	else
		vsw_put(o, "[%d..%d]", b.lo, b.hi);
}

/* A value of an integer field in its own format. */
static void put_int_value(struct vsw_out *o, const struct vsw_field_info *fi, uint64_t v,
			  const struct vsw_port_names *names)
{
	switch (fi->fmt) {
	case VSW_FMT_IPV4:
		vsw_put_ipv4(o, (uint32_t)v);
		break;
	case VSW_FMT_PORT:
		vsw_put_port(o, (uint32_t)v, names);
		break;
	case VSW_FMT_HEX:
		if (v)
			vsw_put(o, "0x%llx", (unsigned long long)v);
		else
			vsw_put(o, "0");
		break;
	default:
		vsw_put(o, "%llu", (unsigned long long)v);
		break;
	}
}

/* mod_* shorthands: field, member mask, printed name. */
static const struct {
	uint16_t field;
	uint64_t mask;
	const char *name;
} mods[] = {
	{ VSW_F_VLAN_VID, 0x0fff, "mod_vlan_vid" }, { VSW_F_VLAN_PCP, 0xe000, "mod_vlan_pcp" },
	{ VSW_F_NW_SRC, 0xffffffff, "mod_nw_src" }, { VSW_F_NW_DST, 0xffffffff, "mod_nw_dst" },
	{ VSW_F_TP_SRC, 0xffff, "mod_tp_src" },	    { VSW_F_TP_DST, 0xffff, "mod_tp_dst" },
	{ VSW_F_NW_TOS, 0xfc, "mod_nw_tos" },	    { VSW_F_NW_TOS, 0x03, "mod_nw_ecn" },
	{ VSW_F_NW_TTL, 0xff, "mod_nw_ttl" },
};

/* Fields whose whole-field writes print as load (the rest as set_field). */
static bool prefers_load(unsigned field)
{
	return field == VSW_F_METADATA || field == VSW_F_NW_TOS ||
	       (field >= VSW_F_REG0 && field <= VSW_F_REG7);
}

static void put_set_int(struct vsw_out *o, const struct vsw_action *a,
			const struct vsw_field_info *fi, const struct vsw_port_names *names)
{
	struct vsw_flow_key tmp;
	uint64_t mv, mm, fv, fm;
	struct bits b;

	memset(&tmp, 0, sizeof(tmp));
	memcpy((uint8_t *)&tmp + fi->loc.ofs, a->mask, fi->loc.size);
	mm = vsw_member_get(&tmp, &fi->loc) & fi->loc.bits;
	memcpy((uint8_t *)&tmp + fi->loc.ofs, a->value, fi->loc.size);
	mv = vsw_member_get(&tmp, &fi->loc) & mm;
	fv = mv >> fi->loc.lsb;
	fm = mm >> fi->loc.lsb;
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		if (mods[i].field == a->field && mods[i].mask == mm) {
			vsw_put(o, "%s:", mods[i].name);
			put_int_value(o, fi, fv, names);
			return;
		}
	}
	if (a->field == VSW_F_TUN_ID && mm == UINT64_MAX) {
		vsw_put(o, "%s:", fv > UINT32_MAX ? "set_tunnel64" : "set_tunnel");
		put_int_value(o, fi, fv, names);
		return;
	}
	b = scan_u64(fm);
	if (mm == fi->loc.bits && !prefers_load(a->field) &&
	    (fi->fmt != VSW_FMT_PORT || (fv >= 1 && fv <= VSW_PORT_MAX))) {
		vsw_put(o, "set_field:");
		put_int_value(o, fi, fv, names);
		vsw_put(o, "->%s", fi->name);
	} else if (b.lo >= 0 && b.contiguous) {
		vsw_put(o, fv >> b.lo ? "load:0x%llx" : "load:0", (unsigned long long)(fv >> b.lo));
		put_range(o, fi->load, b, width_of(fi));
	} else if (fi->fmt == VSW_FMT_IPV4) {
		vsw_put(o, "set_field:");
		vsw_put_ipv4_masked(o, (uint32_t)fv, (uint32_t)fm);
		vsw_put(o, "->%s", fi->name);
	} else {
		vsw_put(o, "set_field:0x%llx/0x%llx->%s", (unsigned long long)fv,
			(unsigned long long)fm, fi->name);
	}
}

static void put_set_bytes(struct vsw_out *o, const struct vsw_action *a,
			  const struct vsw_field_info *fi)
{
	size_t size = fi->loc.size;
	uint8_t v[16], wide[16];
	struct bits b;

	for (size_t i = 0; i < size; i++)
		v[i] = a->value[i] & a->mask[i];
	b = scan_bytes(a->mask, size);
	if (fi->fmt == VSW_FMT_IPV4 && size == 4) {
		/* tun_src/tun_dst: network order; whole or odd masks as set_field */
		uint32_t ip = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
		uint32_t m = (uint32_t)a->mask[0] << 24 | (uint32_t)a->mask[1] << 16 |
			     (uint32_t)a->mask[2] << 8 | a->mask[3];

		if (m != UINT32_MAX && b.lo >= 0 && b.contiguous) {
			vsw_put(o, ip >> b.lo ? "load:0x%lx" : "load:0", (unsigned long)(ip >> b.lo));
			put_range(o, fi->load, b, 32);
		} else {
			vsw_put(o, "set_field:");
			vsw_put_ipv4(o, ip);
			if (m != UINT32_MAX) {
				vsw_put(o, "/");
				vsw_put_ipv4(o, m);
			}
			vsw_put(o, "->%s", fi->name);
		}
		return;
	}
	if (vsw_all_bytes(a->mask, size, 0xff) && fi->fmt == VSW_FMT_MAC) {
		vsw_put(o, "%s:", a->field == VSW_F_DL_SRC ? "mod_dl_src" : "mod_dl_dst");
		vsw_put_mac(o, v);
	} else if (vsw_all_bytes(a->mask, size, 0xff)) {
		vsw_put(o, "set_field:");
		vsw_put_ipv6(o, v);
		vsw_put(o, "->%s", fi->name);
	} else if (b.lo >= 0 && b.contiguous) {
		memset(wide, 0, sizeof(wide));
		for (int i = b.lo; i <= b.hi; i++)
			if (byte_bit(v, size, (unsigned)i))
				wide[15 - (i - b.lo) / 8] |= (uint8_t)(1u << ((i - b.lo) % 8));
		vsw_put(o, "load:");
		vsw_put_hex_be(o, wide, sizeof(wide));
		put_range(o, fi->load, b, (unsigned)size * 8);
	} else {
		vsw_put(o, "set_field:");
		if (fi->fmt == VSW_FMT_MAC) {
			vsw_put_mac(o, v);
			vsw_put(o, "/");
			vsw_put_mac(o, a->mask);
		} else {
			vsw_put_ipv6_masked(o, v, a->mask);
		}
		vsw_put(o, "->%s", fi->name);
	}
}

static void put_set_field(struct vsw_out *o, const struct vsw_action *a,
			  const struct vsw_port_names *names)
{
	const struct vsw_field_info *fi = vsw_field_info(a->field);

	if (!fi || !fi->loc.size)
		vsw_put(o, "set_field:unknown_field_%u", (unsigned)a->field);
	else if (fi->loc.bits)
		put_set_int(o, a, fi, names);
	else
		put_set_bytes(o, a, fi);
}

static void put_note(struct vsw_out *o, const struct vsw_action *a)
{
	size_t n = a->arg < sizeof(a->value) ? a->arg : sizeof(a->value);

	vsw_put(o, "note:");
	for (size_t i = 0; i < n; i++)
		vsw_put(o, i ? ".%02x" : "%02x", a->value[i]);
}

void vsw_put_actions(struct vsw_out *o, const struct vsw_actions *acts,
		     const struct vsw_port_names *names)
{
	size_t n = acts->n < VSW_MAX_ACTIONS ? acts->n : VSW_MAX_ACTIONS;

	if (n == 0)
		vsw_put(o, "drop");
	for (size_t i = 0; i < n; i++) {
		const struct vsw_action *a = &acts->a[i];

		vsw_item(o);
		switch (a->type) {
		case VSW_ACT_OUTPUT:
			if (a->arg == VSW_PORT_IN_PORT) {
				vsw_put(o, "IN_PORT");
			} else if (a->arg == VSW_PORT_FLOOD) {
				vsw_put(o, "FLOOD");
			} else {
				vsw_put(o, "output:");
				vsw_put_port(o, a->arg, names);
			}
			break;
		case VSW_ACT_FLOOD:
			vsw_put(o, "FLOOD");
			break;
		case VSW_ACT_DROP:
			vsw_put(o, "drop");
			break;
		case VSW_ACT_NORMAL:
			vsw_put(o, "NORMAL");
			break;
		case VSW_ACT_PUSH_VLAN:
			vsw_put(o, "push_vlan:0x%04x", (unsigned)a->arg);
			break;
		case VSW_ACT_STRIP_VLAN:
			vsw_put(o, "strip_vlan");
			break;
		case VSW_ACT_SET_FIELD:
			put_set_field(o, a, names);
			break;
		case VSW_ACT_DEC_TTL:
			vsw_put(o, "dec_ttl");
			break;
		case VSW_ACT_RESUBMIT:
			vsw_put(o, "resubmit(,%u)", (unsigned)a->arg);
			break;
		case VSW_ACT_GOTO_TABLE:
			vsw_put(o, "goto_table:%u", (unsigned)a->arg);
			break;
		case VSW_ACT_NOTE:
			put_note(o, a);
			break;
		default:
			vsw_put(o, "unknown_action_%u", (unsigned)a->type);
			break;
		}
	}
}
