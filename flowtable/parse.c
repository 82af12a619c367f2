/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The add-flow text parser: rule attributes and the match (see flow.h for
 * the syntax, fields.h for the fields; actions are in parse_actions.c).
 *
 * The text is never copied or modified: tokens are (pointer, length) slices of
 * it, and every value parser reads exactly its slice. Normalizations, so that
 * parse(format(spec)) == spec:
 *   - `drop` and an empty `actions=` both give an empty action list (n == 0);
 *   - `output:flood` gives a FLOOD action, `output:in_port` OUTPUT IN_PORT;
 *   - the match is masked (key &= mask) at the end.
 * A field given twice takes its later value, as in ovs-ofctl; prerequisites
 * (`tp_dst` needs `tcp`, `udp` or `sctp`) are checked once the whole match is
 * read, so their order does not matter.
 */
#include "parser.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PORT_NAME_MAX 256 /* longest port name handed to resolve(), with NUL */
#define ETH_IP 0x0800
#define ETH_IPV6 0x86dd
#define ETH_ARP 0x0806

int vsw_parse_fail(struct vsw_parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->err && ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

#define fail vsw_parse_fail

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_delim(char c)
{
	return c == ',' || is_space(c);
}

int vsw_parse_num(struct vsw_parser *ps, const char *what, struct vsw_tok t, uint64_t max,
		  uint64_t *v)
{
	int rc = vsw_tok_u64(t, v);

	if (rc == -EINVAL)
		return fail(ps, "%s: '%.*s' is not a number", what, TOKF(t));
	if (rc || *v > max)
		return fail(ps, "%s: '%.*s' out of range 0..%llu", what, TOKF(t),
			    (unsigned long long)max);
	return 0;
}

int vsw_parse_resolve(struct vsw_parser *ps, struct vsw_tok t, uint32_t *port)
{
	const struct vsw_port_names *nm = ps->names;
	char name[PORT_NAME_MAX];
	uint32_t p = VSW_PORT_NONE;

	if (!nm || !nm->resolve || t.n == 0 || t.n >= sizeof(name) || memchr(t.p, '\0', t.n))
		return -ENOENT;
	memcpy(name, t.p, t.n);
	name[t.n] = '\0';
	if (nm->resolve(nm->ctx, name, &p) != 0 || p < 1 || p > VSW_PORT_MAX)
		return -ENOENT;
	*port = p;
	return 0;
}

int vsw_parse_port(struct vsw_parser *ps, const char *what, struct vsw_tok t, bool reserved,
		   uint32_t *port)
{
	uint64_t v;
	int rc;

	if (reserved && vsw_tok_ieq(t, "in_port")) {
		*port = VSW_PORT_IN_PORT;
		return 0;
	}
	if (reserved && vsw_tok_ieq(t, "flood")) {
		*port = VSW_PORT_FLOOD;
		return 0;
	}
	if (reserved && vsw_tok_ieq(t, "normal")) {
		*port = VSW_PORT_NORMAL_;
		return 0;
	}
	rc = vsw_tok_u64(t, &v);
	if (rc != -EINVAL) {
		if (rc || v < 1 || v > VSW_PORT_MAX)
			return fail(ps, "%s: port '%.*s' out of range 1..%u", what, TOKF(t),
				    VSW_PORT_MAX);
		*port = (uint32_t)v;
		return 0;
	}
	if (vsw_parse_resolve(ps, t, port))
		return fail(ps, "unknown port '%.*s'", TOKF(t));
	return 0;
}

/* ---- one value in a field's format ---- */

static void put_int(uint8_t out[16], const struct vsw_field_loc *loc, uint64_t v)
{
	struct vsw_flow_key tmp;

	memset(&tmp, 0, sizeof(tmp));
	vsw_member_set(&tmp, loc, v);
	memcpy(out, (const uint8_t *)&tmp + loc->ofs, loc->size);
}

/* Prefix length (decimal) or a mask in the address's own format. */
static int ipv4_mask(struct vsw_tok t, uint32_t *mask)
{
	uint64_t n;

	if (vsw_tok_ipv4(t, mask) == 0)
		return 0;
	if (t.n > 2 || vsw_tok_u64(t, &n) || n > 32)
		return -EINVAL;
	*mask = n ? UINT32_MAX << (32 - n) : 0;
	return 0;
}

static int ipv6_mask(struct vsw_tok t, uint8_t mask[16])
{
	uint64_t n;

	if (memchr(t.p, ':', t.n))
		return vsw_tok_ipv6(t, mask);
	if (t.n > 3 || vsw_tok_u64(t, &n) || n > 128)
		return -EINVAL;
	memset(mask, 0, 16);
	for (uint64_t i = 0; i < n; i++)
		mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return 0;
}

static int value_bytes(struct vsw_parser *ps, const char *what, const struct vsw_field_name *f,
		       struct vsw_tok vt, struct vsw_tok mt, bool has_mask, uint8_t *value,
		       uint8_t *mask)
{
	if (f->fmt == VSW_FMT_MAC) {
		if (vsw_tok_mac(vt, value) || (has_mask && vsw_tok_mac(mt, mask)))
			return -EINVAL; /* the caller quotes the whole token */
		return 0;
	}
	if (vsw_tok_ipv6(vt, value))
		return fail(ps, "%s: '%.*s' is not an IPv6 address", what, TOKF(vt));
	if (has_mask && ipv6_mask(mt, mask))
		return fail(ps, "%s: '%.*s' is not a prefix length (0..128) or an IPv6 mask", what,
			    TOKF(mt));
	return 0;
}

/* All ones from the highest bit of x down. */
static uint64_t fill_down(uint64_t x)
{
	for (unsigned s = 1; s < 64; s <<= 1)
		x |= x >> s;
	return x;
}

/* An IPv4 address and its mask (all ones without one), host order. */
static int value_ipv4(struct vsw_parser *ps, const char *what, struct vsw_tok vt,
		      struct vsw_tok mt, bool has_mask, uint32_t *ip, uint32_t *m)
{
	if (vsw_tok_ipv4(vt, ip))
		return fail(ps, "%s: '%.*s' is not an IPv4 address", what, TOKF(vt));
	*m = UINT32_MAX;
	if (has_mask && ipv4_mask(mt, m))
		return fail(ps, "%s: '%.*s' is not a prefix length (0..32) or an IPv4 mask", what,
			    TOKF(mt));
	return 0;
}

static void put_be32(uint8_t out[4], uint32_t v)
{
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(v >> (24 - 8 * i));
}

static int value_int(struct vsw_parser *ps, const char *what, const struct vsw_field_name *f,
		     struct vsw_tok vt, struct vsw_tok mt, bool has_mask, uint64_t *v,
		     uint64_t *m)
{
	uint64_t fmax = f->loc.bits >> f->loc.lsb;
	uint32_t ip, ipm, port;
	int rc;

	*m = fmax;
	if (f->fmt == VSW_FMT_IPV4) {
		rc = value_ipv4(ps, what, vt, mt, has_mask, &ip, &ipm);
		*v = ip;
		*m = ipm;
		return rc;
	}
	if (f->fmt == VSW_FMT_PORT && !has_mask) {
		rc = vsw_parse_port(ps, what, vt, false, &port);
		*v = port;
		return rc;
	}
	rc = vsw_parse_num(ps, what, vt, fill_down(fmax), v); /* the field's width */
	if (rc)
		return rc;
	if (*v & ~fmax) {
		if (f->loc.bits == 0xfc && f->loc.lsb == 0)
			return fail(ps, "%s: '%.*s' is not a DSCP value shifted left by 2 "
				    "(the low 2 bits are ECN)", what, TOKF(vt));
		return fail(ps, "%s: '%.*s' out of range 0..%llu", what, TOKF(vt),
			    (unsigned long long)fmax);
	}
	if (has_mask) {
		rc = vsw_parse_num(ps, what, mt, fmax, m);
		if (rc)
			return rc;
		if (*m & ~fmax)
			return fail(ps, "%s: mask '%.*s' has bits outside the field (0x%llx)", what,
				    TOKF(mt), (unsigned long long)fmax);
	}
	return 0;
}

int vsw_parse_value(struct vsw_parser *ps, const char *what, const struct vsw_field_name *f,
		    struct vsw_tok t, bool maskable, uint8_t value[16], uint8_t mask[16])
{
	struct vsw_tok vt = t, mt = { t.p, 0 };
	bool has_mask = vsw_tok_split(t, '/', &vt, &mt);
	uint64_t v, m;
	int rc;

	memset(value, 0, 16);
	memset(mask, 0, 16);
	if (has_mask && !maskable)
		return fail(ps, "%s: field cannot be masked ('%.*s')", what, TOKF(t));
	if (f->fmt == VSW_FMT_MAC || f->fmt == VSW_FMT_IPV6) {
		memset(mask, 0xff, f->loc.size);
		rc = value_bytes(ps, what, f, vt, mt, has_mask, value, mask);
		if (rc && f->fmt == VSW_FMT_MAC)
			return fail(ps, "%s: '%.*s' is not a MAC address", what, TOKF(t));
		if (rc)
			return rc;
		for (size_t i = 0; i < f->loc.size; i++)
			value[i] &= mask[i];
		return 0;
	}
	if (f->fmt == VSW_FMT_IPV4 && !f->loc.bits) {
		/* An address the key holds as on the wire (tun_src, tun_dst). */
		uint32_t ip, ipm;

		rc = value_ipv4(ps, what, vt, mt, has_mask, &ip, &ipm);
		if (rc)
			return rc;
		put_be32(value, ip & ipm);
		put_be32(mask, ipm);
		return 0;
	}
	rc = value_int(ps, what, f, vt, mt, has_mask, &v, &m);
	if (rc)
		return rc;
	put_int(value, &f->loc, (v & m) << f->loc.lsb);
	put_int(mask, &f->loc, m << f->loc.lsb);
	return 0;
}

int vsw_parse_prereq(struct vsw_parser *ps, const char *what, const char *kind,
		     enum vsw_prereq p)
{
	if (vsw_prereq_ok(p, &ps->spec->match))
		return 0;
	return fail(ps, "%s: %s requires %s", what, kind, vsw_prereq_text(p));
}

/* ---- attributes ---- */

static int f_table(struct vsw_parser *ps, struct vsw_tok key, struct vsw_tok val)
{
	uint64_t v;
	int rc = vsw_parse_num(ps, "table", val, VSW_FT_N_TABLES - 1, &v);

	(void)key;
	if (rc)
		return rc;
	ps->spec->table = (uint8_t)v;
	ps->spec->given |= VSW_SPEC_TABLE;
	return 0;
}

static int f_priority(struct vsw_parser *ps, struct vsw_tok key, struct vsw_tok val)
{
	uint64_t v;
	int rc = vsw_parse_num(ps, "priority", val, UINT16_MAX, &v);

	(void)key;
	if (rc)
		return rc;
	ps->spec->priority = (uint16_t)v;
	ps->spec->given |= VSW_SPEC_PRIORITY;
	return 0;
}

static int f_timeout(struct vsw_parser *ps, struct vsw_tok key, struct vsw_tok val)
{
	bool idle = key.p[0] == 'i';
	uint64_t v;
	int rc = vsw_parse_num(ps, idle ? "idle_timeout" : "hard_timeout", val, UINT16_MAX, &v);

	if (rc)
		return rc;
	if (idle)
		ps->spec->idle_timeout = (uint16_t)v;
	else
		ps->spec->hard_timeout = (uint16_t)v;
	return 0;
}

static int f_cookie(struct vsw_parser *ps, struct vsw_tok key, struct vsw_tok val)
{
	uint64_t v, m = UINT64_MAX;
	struct vsw_tok vt = val, mt;
	int rc;

	(void)key;
	if (vsw_tok_split(val, '/', &vt, &mt)) {
		if (ps->mode != VSW_PARSE_FILTER)
			return fail(ps, "cookie: a cookie mask ('%.*s') is only allowed in filters",
				    TOKF(val));
		rc = vsw_parse_num(ps, "cookie", mt, UINT64_MAX, &m);
		if (rc)
			return rc;
	}
	rc = vsw_parse_num(ps, "cookie", vt, UINT64_MAX, &v);
	if (rc)
		return rc;
	ps->spec->cookie = v & m;
	ps->spec->cookie_mask = m;
	ps->spec->given |= VSW_SPEC_COOKIE;
	return 0;
}

static int f_ignore(struct vsw_parser *ps, struct vsw_tok key, struct vsw_tok val)
{
	(void)ps, (void)key, (void)val;
	return 0;
}

/* Shorthands: dl_type, and nw_proto when not 0. */
static const struct {
	const char *name;
	uint16_t dl_type;
	uint8_t nw_proto;
} shorthands[] = {
	{ "ip", ETH_IP, 0 },	  { "ipv6", ETH_IPV6, 0 },   { "arp", ETH_ARP, 0 },
	{ "icmp", ETH_IP, 1 },	  { "icmp6", ETH_IPV6, 58 }, { "tcp", ETH_IP, 6 },
	{ "tcp6", ETH_IPV6, 6 },  { "udp", ETH_IP, 17 },     { "udp6", ETH_IPV6, 17 },
	{ "sctp", ETH_IP, 132 }, { "sctp6", ETH_IPV6, 132 },
};

static const struct {
	const char *name;
	int (*parse)(struct vsw_parser *ps, struct vsw_tok key, struct vsw_tok val);
} attributes[] = {
	{ "table", f_table },
	{ "priority", f_priority },
	{ "cookie", f_cookie },
	{ "idle_timeout", f_timeout },
	{ "hard_timeout", f_timeout },
	/* What dump-flows prints besides the rule itself. */
	{ "duration", f_ignore },
	{ "n_packets", f_ignore },
	{ "n_bytes", f_ignore },
	{ "idle_age", f_ignore },
	{ "hard_age", f_ignore },
};

/* ---- match fields ---- */

#define N_GIVEN_WORDS 4
_Static_assert(N_GIVEN_WORDS * 64 >= 160, "room for every field name");

struct match_state {
	uint64_t given[N_GIVEN_WORDS]; /* bit i: vsw_field_names[i] was given */
};

static void mark_given(struct match_state *st, const struct vsw_field_name *f)
{
	size_t i = (size_t)(f - vsw_field_names);

	st->given[i / 64] |= 1ull << (i % 64);
}

/* Write value/mask over the field's bits of the key and mask members. */
static void match_set(struct vsw_match *m, const struct vsw_field_loc *loc, const uint8_t *v,
		      const uint8_t *mk)
{
	uint8_t *k = (uint8_t *)&m->key + loc->ofs, *km = (uint8_t *)&m->mask + loc->ofs;
	uint8_t bits[16];

	if (loc->bits)
		put_int(bits, loc, loc->bits);
	else
		memset(bits, 0xff, loc->size);
	for (size_t i = 0; i < loc->size; i++) {
		k[i] = (uint8_t)((k[i] & ~bits[i]) | (v[i] & mk[i]));
		km[i] = (uint8_t)((km[i] & ~bits[i]) | mk[i]);
	}
}

/* dl_vlan: 0..4095 (tagged with that VID), or 0xffff (untagged). */
static int f_dl_vlan(struct vsw_parser *ps, const struct vsw_field_name *f, struct vsw_tok val)
{
	struct vsw_match *m = &ps->spec->match;
	uint64_t v;
	int rc = vsw_tok_u64(val, &v);

	if (rc == -EINVAL)
		return fail(ps, "%s: '%.*s' is not a number", f->name, TOKF(val));
	if (rc == 0 && v == 0xffff) {
		m->key.vlan_tci = 0;
		m->mask.vlan_tci = 0xffff;
		return 0;
	}
	if (rc || v > VSW_VLAN_VID_MASK)
		return fail(ps, "%s: '%.*s' out of range 0..%u (or 0xffff for untagged)",
			    f->name, TOKF(val), VSW_VLAN_VID_MASK);
	/* As Open vSwitch: keeps a dl_vlan_pcp given before. */
	m->key.vlan_tci = (uint16_t)((m->key.vlan_tci & ~VSW_VLAN_VID_MASK) | VSW_VLAN_CFI | v);
	m->mask.vlan_tci |= VSW_VLAN_CFI | VSW_VLAN_VID_MASK;
	return 0;
}

static int parse_match_field(struct vsw_parser *ps, struct match_state *st,
			     const struct vsw_field_name *f, struct vsw_tok val)
{
	struct vsw_match *m = &ps->spec->match;
	uint8_t v[16], mk[16];
	int rc;

	mark_given(st, f);
	if (vsw_tok_eq(val, "*")) {
		memset(v, 0, sizeof(v));
		memset(mk, 0, sizeof(mk));
		match_set(m, &f->loc, v, mk);
		/* As Open vSwitch: with neither VID nor PCP left, "tagged" goes too. */
		if (f->loc.ofs == offsetof(struct vsw_flow_key, vlan_tci) &&
		    !(m->mask.vlan_tci & (0xe000 | VSW_VLAN_VID_MASK)))
			m->key.vlan_tci = m->mask.vlan_tci = 0;
		return 0;
	}
	if (strcmp(f->name, "dl_vlan") == 0)
		return f_dl_vlan(ps, f, val);
	rc = vsw_parse_value(ps, f->name, f, val, f->flags & VSW_FN_MASKABLE, v, mk);
	if (rc)
		return rc;
	match_set(m, &f->loc, v, mk);
	if (strcmp(f->name, "dl_vlan_pcp") == 0) {
		/* A PCP match is a match on tagged frames. */
		m->key.vlan_tci |= VSW_VLAN_CFI;
		m->mask.vlan_tci |= VSW_VLAN_CFI;
	}
	return 0;
}

/* Every field given with a non-wildcard value needs its prerequisite. */
static int check_prereqs(struct vsw_parser *ps, const struct match_state *st)
{
	const struct vsw_match *m = &ps->spec->match;

	for (size_t i = 0; i < vsw_n_field_names; i++) {
		const struct vsw_field_name *f = &vsw_field_names[i];
		const uint8_t *km = (const uint8_t *)&m->mask + f->loc.ofs;
		uint8_t bits[16];
		bool used = false;

		if (!(st->given[i / 64] >> (i % 64) & 1))
			continue;
		if (f->loc.bits)
			put_int(bits, &f->loc, f->loc.bits);
		else
			memset(bits, 0xff, f->loc.size);
		for (size_t b = 0; b < f->loc.size; b++)
			used |= (km[b] & bits[b]) != 0;
		if (used && vsw_parse_prereq(ps, f->name, "field", f->prereq))
			return -EINVAL;
	}
	return 0;
}

static int parse_pair(struct vsw_parser *ps, struct match_state *st, struct vsw_tok key,
		      bool has_value, struct vsw_tok val)
{
	const struct vsw_field_name *f;

	for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++) {
		if (!vsw_tok_eq(key, attributes[i].name))
			continue;
		if (!has_value)
			return fail(ps, "%s: missing value", attributes[i].name);
		return attributes[i].parse(ps, key, val);
	}
	for (size_t i = 0; i < sizeof(shorthands) / sizeof(shorthands[0]); i++) {
		if (!vsw_tok_eq(key, shorthands[i].name))
			continue;
		if (has_value)
			return fail(ps, "'%s' takes no value", shorthands[i].name);
		ps->spec->match.key.dl_type = shorthands[i].dl_type;
		ps->spec->match.mask.dl_type = UINT16_MAX;
		if (shorthands[i].nw_proto) {
			ps->spec->match.key.nw_proto = shorthands[i].nw_proto;
			ps->spec->match.mask.nw_proto = UINT8_MAX;
			/* A later dl_type must still suit it ("tcp,dl_type=0x88cc"). */
			mark_given(st, vsw_field_by_name("nw_proto", 8));
		}
		return 0;
	}
	f = vsw_field_by_name(key.p, key.n);
	if (!f || !(f->flags & VSW_FN_MATCH))
		return fail(ps, "unknown field '%.*s'", TOKF(key));
	if (!has_value)
		return fail(ps, "%s: missing value", f->name);
	return parse_match_field(ps, st, f, val);
}

static void normalize(struct vsw_match *m)
{
	uint8_t *k = (uint8_t *)&m->key;
	const uint8_t *mk = (const uint8_t *)&m->mask;

	for (size_t i = 0; i < sizeof(m->key); i++)
		k[i] &= mk[i];
}

int vsw_flow_parse(const char *text, enum vsw_flow_parse_mode mode,
		   const struct vsw_port_names *names, struct vsw_flow_spec *spec,
		   char *err, size_t errlen)
{
	struct vsw_parser ps = { mode, names, spec, err, errlen };
	struct match_state st;
	const char *s = text, *actions = NULL;
	struct vsw_tok key, val;
	bool has_value;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!spec)
		return fail(&ps, "no spec to fill");
	vsw_flow_spec_init(spec);
	memset(&st, 0, sizeof(st));
	if (!text)
		return fail(&ps, "no flow text");
	for (;;) {
		while (*s && is_delim(*s))
			s++;
		if (!*s)
			break;
		key.p = s;
		while (*s && !is_delim(*s) && *s != '=')
			s++;
		key.n = (size_t)(s - key.p);
		has_value = *s == '=';
		val.p = s;
		val.n = 0;
		if (has_value) {
			s++;
			if (key.n == 0) {
				val.p = s;
				while (*s && !is_delim(*s))
					s++;
				val.n = (size_t)(s - val.p);
				return fail(&ps, "missing field name before '=%.*s'", TOKF(val));
			}
			if (vsw_tok_eq(key, "actions") || vsw_tok_eq(key, "action")) {
				actions = s;
				break;
			}
			val.p = s;
			while (*s && !is_delim(*s))
				s++;
			val.n = (size_t)(s - val.p);
		}
		rc = parse_pair(&ps, &st, key, has_value, val);
		if (rc)
			return rc;
	}
	rc = check_prereqs(&ps, &st);
	if (rc)
		return rc;
	if (actions) {
		if (mode == VSW_PARSE_FILTER)
			return fail(&ps, "actions not allowed here");
		rc = vsw_parse_actions(&ps, actions);
		if (rc)
			return rc;
		spec->given |= VSW_SPEC_ACTIONS;
	}
	normalize(&spec->match);
	if (mode == VSW_PARSE_ADD && !(spec->given & VSW_SPEC_ACTIONS))
		return fail(&ps, "must specify actions");
	return 0;
}
