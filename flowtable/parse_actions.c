/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The action list of the add-flow syntax (after `actions=`): see flow.h.
 *
 * Actions are split as ovs-ofctl splits them: NAME, NAME:ARG, NAME=ARG or
 * NAME(ARG), separated by commas or white space, where an ARG may hold
 * commas inside parentheses (`resubmit(,2)`). Each maps onto one struct
 * vsw_action as flow.h documents; every header rewrite (mod_*, set_field,
 * load, set_tunnel) is a SET_FIELD whose value/mask fields.h describes, and
 * is refused when the rule's match lacks the field's prerequisite.
 */
#include "parser.h"

#include <errno.h>
#include <string.h>

#define fail vsw_parse_fail

struct act {
	struct vsw_tok all; /* the whole action, for messages */
	struct vsw_tok name;
	struct vsw_tok arg;
	char delim; /* ':', '=', '(' or 0 (no argument) */
};

static bool is_delim(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Where a value ends: at a delimiter (or, inside NAME(...), at the closing
 * parenthesis) that is not inside nested parentheses. */
static const char *value_end(const char *s, bool in_parens)
{
	int level = 0;

	for (; *s; s++) {
		if (*s == '(') {
			level++;
		} else if (*s == ')') {
			if (level == 0 && in_parens)
				return s;
			if (level > 0)
				level--;
		} else if (level == 0 && !in_parens && is_delim(*s)) {
			return s;
		}
	}
	return s;
}

/* Next action from *sp; false at the end. */
static int next_action(struct vsw_parser *ps, const char **sp, struct act *a, bool *more)
{
	const char *s = *sp;

	while (*s && is_delim(*s))
		s++;
	*more = *s != '\0';
	if (!*more)
		return 0;
	a->all.p = a->name.p = s;
	while (*s && !is_delim(*s) && *s != ':' && *s != '=' && *s != '(')
		s++;
	a->name.n = (size_t)(s - a->name.p);
	a->delim = (*s == ':' || *s == '=' || *s == '(') ? *s : 0;
	a->arg.p = s;
	a->arg.n = 0;
	if (a->delim) {
		s++;
		a->arg.p = s;
		s = value_end(s, a->delim == '(');
		a->arg.n = (size_t)(s - a->arg.p);
		if (a->delim == '(') {
			if (*s != ')') {
				a->all.n = (size_t)(s - a->all.p);
				return fail(ps, "'%.*s': missing ')'", TOKF(a->all));
			}
			s++;
		}
	}
	a->all.n = (size_t)(s - a->all.p);
	*sp = s;
	return 0;
}

static struct vsw_action *add(struct vsw_parser *ps, uint16_t type, uint32_t arg)
{
	struct vsw_actions *acts = &ps->spec->actions;
	struct vsw_action *a;

	if (acts->n >= VSW_MAX_ACTIONS) {
		fail(ps, "too many actions (at most %d)", VSW_MAX_ACTIONS);
		return NULL;
	}
	a = &acts->a[acts->n++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->arg = arg;
	return a;
}

static int add_simple(struct vsw_parser *ps, uint16_t type, uint32_t arg)
{
	return add(ps, type, arg) ? 0 : -EINVAL;
}

static int add_output(struct vsw_parser *ps, uint32_t port)
{
	if (port == VSW_PORT_FLOOD)
		return add_simple(ps, VSW_ACT_FLOOD, 0);
	if (port == VSW_PORT_NORMAL_)
		return add_simple(ps, VSW_ACT_NORMAL, 0);
	return add_simple(ps, VSW_ACT_OUTPUT, port);
}

/* A SET_FIELD through name `f`, after its prerequisite check. */
static int add_set(struct vsw_parser *ps, const char *what, const char *kind,
		   const struct vsw_field_name *f, const uint8_t v[16], const uint8_t m[16])
{
	struct vsw_action *a;

	if (vsw_all_bytes(m, 16, 0))
		return fail(ps, "%s: the mask is zero: the action would do nothing", what);
	if (vsw_parse_prereq(ps, what, kind, f->wprereq))
		return -EINVAL;
	a = add(ps, VSW_ACT_SET_FIELD, 0);
	if (!a)
		return -EINVAL;
	a->field = (uint16_t)f->write;
	memcpy(a->value, v, 16);
	memcpy(a->mask, m, 16);
	return 0;
}

/* ---- one handler per action ---- */

struct act_def;
typedef int act_fn(struct vsw_parser *ps, const struct act_def *d, const struct act *a);

struct act_def {
	const char *name;
	act_fn *parse;
	enum { ARG_NONE, ARG_REQUIRED } arg;
	uint16_t type; /* for a_simple */
	const char *field; /* for a_mod: the field name written */
};

static int a_simple(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	(void)a;
	return add_simple(ps, d->type, d->type == VSW_ACT_OUTPUT ? VSW_PORT_IN_PORT : 0);
}

static int a_output(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	uint32_t port;
	int rc;

	if (a->delim == '(')
		return fail(ps, "%s: only %s:PORT is supported", d->name, d->name);
	rc = vsw_parse_port(ps, "output", a->arg, true, &port);
	return rc ? rc : add_output(ps, port);
}

/* mod_vlan_vid:N and friends: set_field on one fixed field, no mask. */
static int a_mod(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	const struct vsw_field_name *f = vsw_field_by_name(d->field, strlen(d->field));
	uint8_t v[16], m[16];
	int rc;

	rc = vsw_parse_value(ps, d->name, f, a->arg, false, v, m);
	return rc ? rc : add_set(ps, d->name, "action", f, v, m);
}

static int a_push_vlan(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	uint64_t tpid;
	int rc = vsw_parse_num(ps, d->name, a->arg, UINT16_MAX, &tpid);

	if (rc)
		return rc;
	if (tpid != 0x8100 && tpid != 0x88a8)
		return fail(ps, "%s: '%.*s' is not a VLAN ethertype (0x8100 or 0x88a8)", d->name,
			    TOKF(a->arg));
	return add_simple(ps, VSW_ACT_PUSH_VLAN, (uint32_t)tpid);
}

static int a_set_field(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	const struct vsw_field_name *f;
	struct vsw_tok vt, ft;
	uint8_t v[16], m[16];
	uint64_t vid;
	int rc;

	if (!vsw_tok_split_str(a->arg, "->", &vt, &ft))
		return fail(ps, "%s: '%.*s' is not VALUE->FIELD", d->name, TOKF(a->arg));
	f = vsw_field_by_name(ft.p, ft.n);
	if (!f)
		return fail(ps, "%s: unknown field '%.*s'", d->name, TOKF(ft));
	if (f->write < 0)
		return fail(ps, "%s: field %s is read-only", d->name, f->name);
	if (strcmp(f->name, "vlan_vid") == 0 && !memchr(vt.p, '/', vt.n)) {
		/* OpenFlow 1.2 writes the VID with its "present" bit (0x1000). */
		rc = vsw_parse_num(ps, d->name, vt, 0x1fff, &vid);
		if (rc)
			return rc;
		uint16_t v16 = (uint16_t)(vid & VSW_VLAN_VID_MASK), m16 = VSW_VLAN_VID_MASK;

		memset(v, 0, sizeof(v));
		memset(m, 0, sizeof(m));
		memcpy(v, &v16, 2);
		memcpy(m, &m16, 2);
		return add_set(ps, d->name, f->name, f, v, m);
	}
	rc = vsw_parse_value(ps, d->name, f, vt, true, v, m);
	return rc ? rc : add_set(ps, d->name, f->name, f, v, m);
}

static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* "[]", "[N]" or "[A..B]" after a field name: bits *start..*end. */
static int bit_range(struct vsw_tok t, unsigned width, unsigned *start, unsigned *end)
{
	struct vsw_tok a, b;
	uint64_t x, y;

	if (t.n == 0) {
		*start = 0;
		*end = width - 1;
		return 0;
	}
	if (vsw_tok_split_str(t, "..", &a, &b)) {
		if (vsw_tok_u64(a, &x) || vsw_tok_u64(b, &y) || x > y)
			return -EINVAL;
	} else {
		if (vsw_tok_u64(t, &x))
			return -EINVAL;
		y = x;
	}
	if (y >= width)
		return -ERANGE;
	*start = (unsigned)x;
	*end = (unsigned)y;
	return 0;
}

static int a_load(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	const struct vsw_field_name *f;
	struct vsw_tok vt, dst, name, range;
	unsigned width, start, end, n;
	uint8_t val[16], v[16], m[16];
	int rc;

	if (!vsw_tok_split_str(a->arg, "->", &vt, &dst))
		return fail(ps, "%s: '%.*s' is not VALUE->FIELD[BITS]", d->name, TOKF(a->arg));
	if (!vsw_tok_split(dst, '[', &name, &range) || range.n == 0 ||
	    range.p[range.n - 1] != ']')
		return fail(ps, "%s: '%.*s' is not FIELD[], FIELD[BIT] or FIELD[START..END]",
			    d->name, TOKF(dst));
	range.n--;
	f = vsw_field_by_name(name.p, name.n);
	if (!f)
		return fail(ps, "%s: unknown field '%.*s'", d->name, TOKF(name));
	if (f->write < 0)
		return fail(ps, "%s: destination field %s is not writable", d->name, f->name);
	width = f->loc.bits ? popcount64(f->loc.bits) : f->loc.size * 8u;
	rc = bit_range(range, width, &start, &end);
	if (rc == -ERANGE)
		return fail(ps, "%s: '%.*s' is beyond the %u bits of %s", d->name, TOKF(dst), width,
			    f->name);
	if (rc)
		return fail(ps, "%s: '%.*s' is not FIELD[], FIELD[BIT] or FIELD[START..END]",
			    d->name, TOKF(dst));
	n = end - start + 1;
	rc = vsw_tok_u128(vt, val);
	if (rc == -EINVAL)
		return fail(ps, "%s: '%.*s' is not a number", d->name, TOKF(vt));
	for (unsigned bit = n; bit < 128 && rc == 0; bit++)
		if (val[15 - bit / 8] >> (bit % 8) & 1)
			rc = -ERANGE;
	if (rc)
		return fail(ps, "%s: value '%.*s' does not fit in %u bits", d->name, TOKF(vt), n);
	memset(v, 0, sizeof(v));
	memset(m, 0, sizeof(m));
	if (f->loc.bits) {
		uint64_t x = 0, mask = n == 64 ? UINT64_MAX : ((1ull << n) - 1);
		struct vsw_flow_key tmp;

		for (int i = 0; i < 8; i++)
			x |= (uint64_t)val[15 - i] << (8 * i);
		memset(&tmp, 0, sizeof(tmp));
		vsw_member_set(&tmp, &f->loc, x << (start + f->loc.lsb));
		memcpy(v, (uint8_t *)&tmp + f->loc.ofs, f->loc.size);
		vsw_member_set(&tmp, &f->loc, mask << (start + f->loc.lsb));
		memcpy(m, (uint8_t *)&tmp + f->loc.ofs, f->loc.size);
	} else {
		size_t last = f->loc.size - 1u;

		for (unsigned j = 0; j < n; j++) {
			unsigned bit = start + j;
			uint8_t b = (uint8_t)(1u << (bit % 8));

			m[last - bit / 8] |= b;
			if (val[15 - j / 8] >> (j % 8) & 1)
				v[last - bit / 8] |= b;
		}
	}
	return add_set(ps, d->name, f->name, f, v, m);
}

static int a_set_tunnel(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	const struct vsw_field_name *f = vsw_field_by_name("tun_id", 6);
	uint8_t v[16] = { 0 }, m[16] = { 0 };
	uint64_t x, all = UINT64_MAX;
	int rc = vsw_parse_num(ps, d->name, a->arg, UINT64_MAX, &x);

	if (rc)
		return rc;
	memcpy(v, &x, 8);
	memcpy(m, &all, 8);
	return add_set(ps, d->name, "action", f, v, m);
}

static int a_resubmit(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	struct vsw_tok port, table, rest;
	uint64_t t;
	int rc;

	if (a->delim != '(')
		return fail(ps, "%s: only resubmit(,TABLE) is supported, not resubmit to a port "
			    "('%.*s')", d->name, TOKF(a->all));
	if (!vsw_tok_split(a->arg, ',', &port, &table))
		return fail(ps, "%s: only resubmit(,TABLE) is supported, not resubmit to a port "
			    "('%.*s')", d->name, TOKF(a->all));
	if (vsw_tok_split(table, ',', &table, &rest))
		return fail(ps, "%s: only resubmit(,TABLE) is supported ('%.*s')", d->name,
			    TOKF(a->all));
	if (port.n && !vsw_tok_ieq(port, "in_port"))
		return fail(ps, "%s: only resubmit(,TABLE) is supported, not resubmit to a port "
			    "('%.*s')", d->name, TOKF(a->all));
	if (table.n == 0)
		return fail(ps, "%s: missing table in '%.*s'", d->name, TOKF(a->all));
	rc = vsw_parse_num(ps, d->name, table, VSW_FT_N_TABLES - 1, &t);
	return rc ? rc : add_simple(ps, VSW_ACT_RESUBMIT, (uint32_t)t);
}

static int a_goto_table(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	uint64_t t;
	int rc = vsw_parse_num(ps, d->name, a->arg, VSW_FT_N_TABLES - 1, &t);

	return rc ? rc : add_simple(ps, VSW_ACT_GOTO_TABLE, (uint32_t)t);
}

/* Hex bytes, optionally separated by periods: note:01.02.ab or note:0102ab. */
static int a_note(struct vsw_parser *ps, const struct act_def *d, const struct act *a)
{
	uint8_t bytes[16];
	size_t n = 0, i = 0;
	struct vsw_action *act;

	while (i < a->arg.n) {
		int hi, lo;

		if (a->arg.p[i] == '.' && i + 1 < a->arg.n) {
			i++;
		}
		if (i + 1 >= a->arg.n || (hi = vsw_hex_digit(a->arg.p[i])) < 0 ||
		    (lo = vsw_hex_digit(a->arg.p[i + 1])) < 0)
			return fail(ps, "%s: '%.*s' is not hex bytes (like 01.02.ab)", d->name,
				    TOKF(a->arg));
		if (n == sizeof(bytes))
			return fail(ps, "%s: at most %zu bytes", d->name, sizeof(bytes));
		bytes[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	act = add(ps, VSW_ACT_NOTE, (uint32_t)n);
	if (!act)
		return -EINVAL;
	memcpy(act->value, bytes, n);
	return 0;
}

#define SIMPLE(n, t) { n, a_simple, ARG_NONE, t, NULL }
#define MOD(n, f) { n, a_mod, ARG_REQUIRED, 0, f }

static const struct act_def defs[] = {
	{ "output", a_output, ARG_REQUIRED, 0, NULL },
	SIMPLE("in_port", VSW_ACT_OUTPUT),
	SIMPLE("flood", VSW_ACT_FLOOD),
	SIMPLE("normal", VSW_ACT_NORMAL),
	SIMPLE("strip_vlan", VSW_ACT_STRIP_VLAN),
	SIMPLE("pop_vlan", VSW_ACT_STRIP_VLAN),
	SIMPLE("dec_ttl", VSW_ACT_DEC_TTL),
	{ "push_vlan", a_push_vlan, ARG_REQUIRED, 0, NULL },
	MOD("mod_vlan_vid", "dl_vlan"),
	MOD("mod_vlan_pcp", "dl_vlan_pcp"),
	MOD("mod_dl_src", "dl_src"),
	MOD("mod_dl_dst", "dl_dst"),
	MOD("mod_nw_src", "ip_src"),
	MOD("mod_nw_dst", "ip_dst"),
	MOD("mod_tp_src", "tp_src"),
	MOD("mod_tp_dst", "tp_dst"),
	MOD("mod_nw_tos", "nw_tos"),
	MOD("mod_nw_ecn", "nw_ecn"),
	MOD("mod_nw_ttl", "nw_ttl"),
	{ "set_field", a_set_field, ARG_REQUIRED, 0, NULL },
	{ "load", a_load, ARG_REQUIRED, 0, NULL },
	{ "set_tunnel", a_set_tunnel, ARG_REQUIRED, 0, NULL },
	{ "set_tunnel64", a_set_tunnel, ARG_REQUIRED, 0, NULL },
	{ "resubmit", a_resubmit, ARG_REQUIRED, 0, NULL },
	{ "goto_table", a_goto_table, ARG_REQUIRED, 0, NULL },
	{ "note", a_note, ARG_REQUIRED, 0, NULL },
};

static int parse_action(struct vsw_parser *ps, const struct act *a, bool *drop)
{
	uint32_t port;
	uint64_t v;

	if (vsw_tok_ieq(a->name, "drop") && !a->delim) {
		*drop = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		const struct act_def *d = &defs[i];

		if (!vsw_tok_ieq(a->name, d->name))
			continue;
		if (d->arg == ARG_NONE && a->delim)
			return fail(ps, "'%s' takes no argument ('%.*s')", d->name, TOKF(a->all));
		if (d->arg == ARG_REQUIRED && !a->delim)
			return fail(ps, "%s: missing %s", d->name,
				    d->parse == a_output ? "port" : "argument");
		return d->parse(ps, d, a);
	}
	if (a->delim)
		return fail(ps, "unknown action '%.*s'", TOKF(a->all));
	/* A bare port number or name means output to it, as in ovs-ofctl. */
	if (vsw_tok_u64(a->name, &v) != -EINVAL) {
		int rc = vsw_parse_port(ps, "output", a->name, false, &port);

		return rc ? rc : add_output(ps, port);
	}
	if (vsw_parse_resolve(ps, a->name, &port) == 0)
		return add_output(ps, port);
	return fail(ps, "unknown action '%.*s'", TOKF(a->all));
}

/* goto_table last, to a later table, as Open vSwitch checks. */
static int check_goto(struct vsw_parser *ps)
{
	const struct vsw_actions *acts = &ps->spec->actions;

	for (size_t i = 0; i < acts->n; i++) {
		if (acts->a[i].type != VSW_ACT_GOTO_TABLE)
			continue;
		if (i + 1 != acts->n)
			return fail(ps, "goto_table must be the last action");
		if (acts->a[i].arg <= ps->spec->table)
			return fail(ps, "goto_table:%u: the table must be greater than the rule's "
				    "table (%u)", (unsigned)acts->a[i].arg,
				    (unsigned)ps->spec->table);
	}
	return 0;
}

int vsw_parse_actions(struct vsw_parser *ps, const char *s)
{
	bool drop = false, more;
	struct act a;
	int rc;

	ps->spec->actions.n = 0;
	for (;;) {
		rc = next_action(ps, &s, &a, &more);
		if (rc)
			return rc;
		if (!more)
			break;
		rc = parse_action(ps, &a, &drop);
		if (rc)
			return rc;
	}
	if (drop && ps->spec->actions.n)
		return fail(ps, "drop must be the only action");
	return check_goto(ps);
}
