/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The add-flow text parser: see flow.h for the syntax.
 *
 * The text is never copied or modified: tokens are (pointer, length) slices of
 * it, and every value parser reads exactly its slice. Only a port name is
 * copied (bounded) to hand a NUL-terminated string to the resolve callback.
 * Normalizations, so that parse(format(spec)) == spec:
 *   - `drop` and an empty `actions=` both give an empty action list (n == 0);
 *   - `output:flood` gives a FLOOD action, `output:in_port` OUTPUT IN_PORT;
 *   - the match is masked (key &= mask) after every field.
 * A field given twice takes its later value, as in ovs-ofctl.
 */
#include "flow.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SHOW_MAX 128 /* longest piece of a token quoted in an error */
#define PORT_NAME_MAX 256 /* longest port name handed to resolve(), with NUL */

struct tok {
	const char *p;
	size_t n;
};

struct parser {
	enum vsw_flow_parse_mode mode;
	const struct vsw_port_names *names;
	struct vsw_flow_spec *spec;
	char *err;
	size_t errlen;
};

/* "%.*s" arguments for a token, bounded so that huge input stays one short line. */
#define TOKF(t) (int)((t).n < SHOW_MAX ? (t).n : SHOW_MAX), (t).p

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->err && ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_delim(char c)
{
	return c == ',' || is_space(c);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool tok_eq(struct tok t, const char *s)
{
	return strlen(s) == t.n && memcmp(t.p, s, t.n) == 0;
}

static bool tok_ieq(struct tok t, const char *s)
{
	if (strlen(s) != t.n)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (lower(t.p[i]) != lower(s[i]))
			return false;
	return true;
}

/* Split `t` at the first `c`: *head before it, *tail after it. False if absent. */
static bool tok_split(struct tok t, char c, struct tok *head, struct tok *tail)
{
	const char *at = memchr(t.p, c, t.n);

	if (!at)
		return false;
	head->p = t.p;
	head->n = (size_t)(at - t.p);
	tail->p = at + 1;
	tail->n = t.n - head->n - 1;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "0x" hex or decimal, nothing else. 0, -EINVAL (not a number) or -ERANGE. */
static int tok_u64(struct tok t, uint64_t *v)
{
	unsigned base = 10;
	uint64_t x = 0;
	size_t i = 0;

	if (t.n > 2 && t.p[0] == '0' && lower(t.p[1]) == 'x') {
		base = 16;
		i = 2;
	}
	if (i >= t.n)
		return -EINVAL;
	for (; i < t.n; i++) {
		int d = hex_digit(t.p[i]);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		if (x > (UINT64_MAX - (unsigned)d) / base)
			return -ERANGE;
		x = x * base + (unsigned)d;
	}
	*v = x;
	return 0;
}

static int parse_num(struct parser *ps, const char *what, struct tok t, uint64_t max,
		     uint64_t *v)
{
	int rc = tok_u64(t, v);

	if (rc == -EINVAL)
		return fail(ps, "%s: '%.*s' is not a number", what, TOKF(t));
	if (rc || *v > max)
		return fail(ps, "%s: '%.*s' out of range 0..%llu", what, TOKF(t),
			    (unsigned long long)max);
	return 0;
}

/* xx:xx:xx:xx:xx:xx, one or two hex digits per byte. */
static int tok_mac(struct tok t, uint8_t mac[VSW_ETH_ALEN])
{
	size_t i = 0;

	for (int b = 0; b < VSW_ETH_ALEN; b++) {
		unsigned x = 0;
		int nd = 0;

		if (b > 0) {
			if (i >= t.n || t.p[i] != ':')
				return -EINVAL;
			i++;
		}
		while (i < t.n && nd <= 2 && hex_digit(t.p[i]) >= 0) {
			x = x * 16 + (unsigned)hex_digit(t.p[i]);
			i++;
			nd++;
		}
		if (nd < 1 || nd > 2)
			return -EINVAL;
		mac[b] = (uint8_t)x;
	}
	return i == t.n ? 0 : -EINVAL;
}

/* A port name through names->resolve(): 0, or -ENOENT (no callback, unknown). */
static int resolve_name(struct parser *ps, struct tok t, uint32_t *port)
{
	const struct vsw_port_names *nm = ps->names;
	char name[PORT_NAME_MAX];
	uint32_t p = VSW_PORT_NONE;

	if (!nm || !nm->resolve || t.n == 0 || t.n >= sizeof(name))
		return -ENOENT;
	memcpy(name, t.p, t.n);
	name[t.n] = '\0';
	if (nm->resolve(nm->ctx, name, &p) != 0 || p < 1 || p > VSW_PORT_MAX)
		return -ENOENT;
	*port = p;
	return 0;
}

/*
 * A port: a number 1..VSW_PORT_MAX, or a name for names->resolve(). With
 * `reserved` (actions), IN_PORT and FLOOD are recognized in any case.
 */
static int parse_port(struct parser *ps, const char *what, struct tok t, bool reserved,
		      uint32_t *port)
{
	uint64_t v;
	int rc;

	if (reserved && tok_ieq(t, "in_port")) {
		*port = VSW_PORT_IN_PORT;
		return 0;
	}
	if (reserved && tok_ieq(t, "flood")) {
		*port = VSW_PORT_FLOOD;
		return 0;
	}
	rc = tok_u64(t, &v);
	if (rc != -EINVAL) {
		if (rc || v < 1 || v > VSW_PORT_MAX)
			return fail(ps, "%s: port '%.*s' out of range 1..%u", what, TOKF(t),
				    VSW_PORT_MAX);
		*port = (uint32_t)v;
		return 0;
	}
	if (resolve_name(ps, t, port))
		return fail(ps, "unknown port '%.*s'", TOKF(t));
	return 0;
}

/* ---- match fields and attributes ---- */

struct field {
	const char *name;
	enum { VAL_REQUIRED, VAL_NONE, VAL_IGNORED } value;
	int (*parse)(struct parser *ps, const struct field *f, struct tok val);
	uint16_t arg; /* dl_type for the shorthands */
};

static int f_table(struct parser *ps, const struct field *f, struct tok val)
{
	uint64_t v;
	int rc = parse_num(ps, f->name, val, VSW_FT_N_TABLES - 1, &v);

	if (rc)
		return rc;
	ps->spec->table = (uint8_t)v;
	ps->spec->given |= VSW_SPEC_TABLE;
	return 0;
}

static int f_priority(struct parser *ps, const struct field *f, struct tok val)
{
	uint64_t v;
	int rc = parse_num(ps, f->name, val, UINT16_MAX, &v);

	if (rc)
		return rc;
	ps->spec->priority = (uint16_t)v;
	ps->spec->given |= VSW_SPEC_PRIORITY;
	return 0;
}

static int f_timeout(struct parser *ps, const struct field *f, struct tok val)
{
	uint64_t v;
	int rc = parse_num(ps, f->name, val, UINT16_MAX, &v);

	if (rc)
		return rc;
	if (f->name[0] == 'i')
		ps->spec->idle_timeout = (uint16_t)v;
	else
		ps->spec->hard_timeout = (uint16_t)v;
	return 0;
}

static int f_cookie(struct parser *ps, const struct field *f, struct tok val)
{
	uint64_t v, m = UINT64_MAX;
	struct tok vt = val, mt;
	int rc;

	if (tok_split(val, '/', &vt, &mt)) {
		if (ps->mode != VSW_PARSE_FILTER)
			return fail(ps, "cookie: a cookie mask ('%.*s') is only allowed in filters",
				    TOKF(val));
		rc = parse_num(ps, f->name, mt, UINT64_MAX, &m);
		if (rc)
			return rc;
	}
	rc = parse_num(ps, f->name, vt, UINT64_MAX, &v);
	if (rc)
		return rc;
	ps->spec->cookie = v & m;
	ps->spec->cookie_mask = m;
	ps->spec->given |= VSW_SPEC_COOKIE;
	return 0;
}

static int f_in_port(struct parser *ps, const struct field *f, struct tok val)
{
	uint32_t port;
	int rc = parse_port(ps, f->name, val, false, &port);

	if (rc)
		return rc;
	ps->spec->match.key.in_port = port;
	ps->spec->match.mask.in_port = UINT32_MAX;
	return 0;
}

static int f_mac(struct parser *ps, const struct field *f, struct tok val)
{
	uint8_t mac[VSW_ETH_ALEN], mask[VSW_ETH_ALEN];
	struct vsw_match *m = &ps->spec->match;
	struct tok vt = val, mt;
	bool dst = strcmp(f->name, "dl_dst") == 0;

	memset(mask, 0xff, sizeof(mask));
	if (tok_split(val, '/', &vt, &mt) && tok_mac(mt, mask))
		goto err_not_mac;
	if (tok_mac(vt, mac))
		goto err_not_mac;
	for (int i = 0; i < VSW_ETH_ALEN; i++)
		mac[i] &= mask[i];
	memcpy(dst ? m->key.dl_dst : m->key.dl_src, mac, VSW_ETH_ALEN);
	memcpy(dst ? m->mask.dl_dst : m->mask.dl_src, mask, VSW_ETH_ALEN);
	return 0;

err_not_mac:
	return fail(ps, "%s: '%.*s' is not a MAC address", f->name, TOKF(val));
}

static void set_dl_type(struct parser *ps, uint16_t type)
{
	ps->spec->match.key.dl_type = type;
	ps->spec->match.mask.dl_type = UINT16_MAX;
}

static int f_dl_type(struct parser *ps, const struct field *f, struct tok val)
{
	uint64_t v;
	int rc = parse_num(ps, f->name, val, UINT16_MAX, &v);

	if (rc)
		return rc;
	set_dl_type(ps, (uint16_t)v);
	return 0;
}

static int f_shorthand(struct parser *ps, const struct field *f, struct tok val)
{
	(void)val;
	set_dl_type(ps, f->arg);
	return 0;
}

static int f_dl_vlan(struct parser *ps, const struct field *f, struct tok val)
{
	struct vsw_match *m = &ps->spec->match;
	uint64_t v;
	int rc = tok_u64(val, &v);

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
	m->key.vlan_tci = (uint16_t)(VSW_VLAN_CFI | v);
	m->mask.vlan_tci = VSW_VLAN_CFI | VSW_VLAN_VID_MASK;
	return 0;
}

static int f_vlan_tci(struct parser *ps, const struct field *f, struct tok val)
{
	struct vsw_match *m = &ps->spec->match;
	uint64_t v, mask = UINT16_MAX;
	struct tok vt = val, mt;
	int rc;

	if (tok_split(val, '/', &vt, &mt)) {
		rc = parse_num(ps, f->name, mt, UINT16_MAX, &mask);
		if (rc)
			return rc;
	}
	rc = parse_num(ps, f->name, vt, UINT16_MAX, &v);
	if (rc)
		return rc;
	m->key.vlan_tci = (uint16_t)(v & mask);
	m->mask.vlan_tci = (uint16_t)mask;
	return 0;
}

static int f_ignore(struct parser *ps, const struct field *f, struct tok val)
{
	(void)ps, (void)f, (void)val;
	return 0;
}

static const struct field fields[] = {
	{ "table", VAL_REQUIRED, f_table, 0 },
	{ "priority", VAL_REQUIRED, f_priority, 0 },
	{ "cookie", VAL_REQUIRED, f_cookie, 0 },
	{ "idle_timeout", VAL_REQUIRED, f_timeout, 0 },
	{ "hard_timeout", VAL_REQUIRED, f_timeout, 0 },
	{ "in_port", VAL_REQUIRED, f_in_port, 0 },
	{ "dl_src", VAL_REQUIRED, f_mac, 0 },
	{ "dl_dst", VAL_REQUIRED, f_mac, 0 },
	{ "dl_type", VAL_REQUIRED, f_dl_type, 0 },
	{ "dl_vlan", VAL_REQUIRED, f_dl_vlan, 0 },
	{ "vlan_tci", VAL_REQUIRED, f_vlan_tci, 0 },
	{ "ip", VAL_NONE, f_shorthand, 0x0800 },
	{ "arp", VAL_NONE, f_shorthand, 0x0806 },
	{ "ipv6", VAL_NONE, f_shorthand, 0x86dd },
	/* What dump-flows prints besides the rule itself. */
	{ "duration", VAL_IGNORED, f_ignore, 0 },
	{ "n_packets", VAL_IGNORED, f_ignore, 0 },
	{ "n_bytes", VAL_IGNORED, f_ignore, 0 },
	{ "idle_age", VAL_IGNORED, f_ignore, 0 },
	{ "hard_age", VAL_IGNORED, f_ignore, 0 },
};

static int parse_field(struct parser *ps, struct tok key, bool has_value, struct tok val)
{
	const struct field *f = NULL;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (tok_eq(key, fields[i].name)) {
			f = &fields[i];
			break;
		}
	}
	if (!f)
		return fail(ps, "unknown field '%.*s'", TOKF(key));
	if (f->value == VAL_REQUIRED && !has_value)
		return fail(ps, "%s: missing value", f->name);
	if (f->value == VAL_NONE && has_value)
		return fail(ps, "'%s' takes no value", f->name);
	return f->parse(ps, f, val);
}

/* ---- actions ---- */

static int add_action(struct parser *ps, uint16_t type, uint32_t port)
{
	struct vsw_actions *acts = &ps->spec->actions;

	if (acts->n >= VSW_MAX_ACTIONS)
		return fail(ps, "too many actions");
	acts->a[acts->n].type = type;
	acts->a[acts->n].arg = type == VSW_ACT_OUTPUT ? port : 0;
	acts->n++;
	return 0;
}

static int add_output(struct parser *ps, uint32_t port)
{
	if (port == VSW_PORT_FLOOD)
		return add_action(ps, VSW_ACT_FLOOD, 0);
	return add_action(ps, VSW_ACT_OUTPUT, port);
}

static int parse_action(struct parser *ps, struct tok t, bool *drop)
{
	struct tok name, arg;
	uint32_t port;
	uint64_t v;
	int rc;

	if (tok_split(t, ':', &name, &arg) || tok_split(t, '=', &name, &arg)) {
		if (!tok_ieq(name, "output"))
			return fail(ps, "unknown action '%.*s'", TOKF(t));
		rc = parse_port(ps, "output", arg, true, &port);
		return rc ? rc : add_output(ps, port);
	}
	if (tok_ieq(t, "drop")) {
		*drop = true;
		return 0;
	}
	if (tok_ieq(t, "flood"))
		return add_action(ps, VSW_ACT_FLOOD, 0);
	if (tok_ieq(t, "in_port"))
		return add_action(ps, VSW_ACT_OUTPUT, VSW_PORT_IN_PORT);
	if (tok_ieq(t, "output"))
		return fail(ps, "output: missing port");
	/* A bare port number or name means output to it, as in ovs-ofctl. */
	if (tok_u64(t, &v) != -EINVAL) {
		rc = parse_port(ps, "output", t, false, &port);
		return rc ? rc : add_output(ps, port);
	}
	if (resolve_name(ps, t, &port) == 0)
		return add_output(ps, port);
	return fail(ps, "unknown action '%.*s'", TOKF(t));
}

/* The rest of the text after "actions=". */
static int parse_actions(struct parser *ps, const char *s)
{
	bool drop = false;
	struct tok t;
	int rc;

	if (ps->mode == VSW_PARSE_FILTER)
		return fail(ps, "actions not allowed here");
	ps->spec->actions.n = 0;
	for (;;) {
		while (*s && is_delim(*s))
			s++;
		if (!*s)
			break;
		t.p = s;
		while (*s && !is_delim(*s))
			s++;
		t.n = (size_t)(s - t.p);
		rc = parse_action(ps, t, &drop);
		if (rc)
			return rc;
	}
	if (drop && ps->spec->actions.n)
		return fail(ps, "drop must be the only action");
	ps->spec->given |= VSW_SPEC_ACTIONS;
	return 0;
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
	struct parser ps = { mode, names, spec, err, errlen };
	const char *s = text;
	struct tok key, val;
	bool has_value;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!spec)
		return fail(&ps, "no spec to fill");
	vsw_flow_spec_init(spec);
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
			if (tok_eq(key, "actions") || tok_eq(key, "action")) {
				rc = parse_actions(&ps, s);
				if (rc)
					return rc;
				break;
			}
			val.p = s;
			while (*s && !is_delim(*s))
				s++;
			val.n = (size_t)(s - val.p);
		}
		rc = parse_field(&ps, key, has_value, val);
		if (rc)
			return rc;
	}
	normalize(&spec->match);
	if (mode == VSW_PARSE_ADD && !(spec->given & VSW_SPEC_ACTIONS))
		return fail(&ps, "must specify actions");
	return 0;
}
