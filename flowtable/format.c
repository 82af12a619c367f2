/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text forms of matches, actions and whole rules: see flow.h.
 *
 * Everything goes through one bounded appender (`struct out`) that keeps
 * counting after the buffer is full, so the result is either the length or
 * -ENOSPC and the buffer always holds a NUL-terminated prefix.
 *
 * The forms are the ones vsw_flow_parse() reads back. Matches it cannot
 * produce print as near as the syntax allows: a partial in_port or dl_type
 * mask prints as an exact match of the (masked) key.
 */
#include "flow.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t len;
	size_t pos; /* what the text needs, even past len */
	size_t items; /* comma-separated items so far */
	bool broken; /* vsnprintf failed */
};

static void out_init(struct out *o, char *buf, size_t len)
{
	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->len = buf ? len : 0;
	if (o->len)
		buf[0] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct out *o, const char *fmt, ...)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		o->broken = true;
	else
		o->pos += (size_t)n;
}

/* Start the next comma-separated item. */
static void item(struct out *o)
{
	if (o->items++)
		put(o, ",");
}

static int out_done(const struct out *o)
{
	if (o->broken || o->pos >= o->len || o->pos > INT_MAX)
		return -ENOSPC;
	return (int)o->pos;
}

static void put_port(struct out *o, uint32_t port, const struct vsw_port_names *names)
{
	const char *name = names && names->name ? names->name(names->ctx, port) : NULL;

	if (name)
		put(o, "%s", name);
	else
		put(o, "%u", (unsigned)port);
}

static void put_mac(struct out *o, const uint8_t *m)
{
	put(o, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void put_mac_field(struct out *o, const char *name, const uint8_t *key,
			  const uint8_t *mask)
{
	if (all_bytes(mask, VSW_ETH_ALEN, 0))
		return;
	item(o);
	put(o, "%s=", name);
	put_mac(o, key);
	if (!all_bytes(mask, VSW_ETH_ALEN, 0xff)) {
		put(o, "/");
		put_mac(o, mask);
	}
}

static void put_vlan(struct out *o, uint16_t key, uint16_t mask)
{
	if (!mask)
		return;
	item(o);
	if (mask == (VSW_VLAN_CFI | VSW_VLAN_VID_MASK) && (key & VSW_VLAN_CFI))
		put(o, "dl_vlan=%u", (unsigned)(key & VSW_VLAN_VID_MASK));
	else if (mask == 0xffff)
		put(o, "vlan_tci=0x%04x", (unsigned)key);
	else
		put(o, "vlan_tci=0x%04x/0x%04x", (unsigned)key, (unsigned)mask);
}

/* The match fields, without priority. */
static void put_match(struct out *o, const struct vsw_match *m,
		      const struct vsw_port_names *names)
{
	if (m->mask.in_port) {
		item(o);
		put(o, "in_port=");
		put_port(o, m->key.in_port & m->mask.in_port, names);
	}
	put_vlan(o, m->key.vlan_tci & m->mask.vlan_tci, m->mask.vlan_tci);
	put_mac_field(o, "dl_src", m->key.dl_src, m->mask.dl_src);
	put_mac_field(o, "dl_dst", m->key.dl_dst, m->mask.dl_dst);
	if (m->mask.dl_type) {
		item(o);
		put(o, "dl_type=0x%04x", (unsigned)(m->key.dl_type & m->mask.dl_type));
	}
}

static void put_actions(struct out *o, const struct vsw_actions *acts,
			const struct vsw_port_names *names)
{
	size_t n = acts->n < VSW_MAX_ACTIONS ? acts->n : VSW_MAX_ACTIONS;
	size_t outer = o->items;

	o->items = 0; /* the actions are a list of their own */
	if (n == 0)
		put(o, "drop");
	for (size_t i = 0; i < n; i++) {
		const struct vsw_action *a = &acts->a[i];

		item(o);
		switch (a->type) {
		case VSW_ACT_OUTPUT:
			if (a->arg == VSW_PORT_IN_PORT) {
				put(o, "IN_PORT");
			} else if (a->arg == VSW_PORT_FLOOD) {
				put(o, "FLOOD");
			} else {
				put(o, "output:");
				put_port(o, a->arg, names);
			}
			break;
		case VSW_ACT_FLOOD:
			put(o, "FLOOD");
			break;
		case VSW_ACT_DROP:
			put(o, "drop");
			break;
		default:
			put(o, "unknown_action_%u", (unsigned)a->type);
			break;
		}
	}
	o->items = outer;
}

int vsw_flow_format_match(const struct vsw_match *match, uint16_t priority,
			  const struct vsw_port_names *names, char *buf, size_t len)
{
	struct out o;

	out_init(&o, buf, len);
	if (priority != VSW_FT_DEFAULT_PRIORITY) {
		item(&o);
		put(&o, "priority=%u", (unsigned)priority);
	}
	put_match(&o, match, names);
	return out_done(&o);
}

int vsw_flow_format_actions(const struct vsw_actions *actions,
			    const struct vsw_port_names *names, char *buf, size_t len)
{
	struct out o;

	out_init(&o, buf, len);
	put_actions(&o, actions, names);
	return out_done(&o);
}

int vsw_flow_format(const struct vsw_flow_spec *spec,
		    const struct vsw_port_names *names, char *buf, size_t len)
{
	struct out o;
	bool partial;

	out_init(&o, buf, len);
	item(&o);
	put(&o, "table=%u", (unsigned)spec->table);
	item(&o);
	put(&o, "priority=%u", (unsigned)spec->priority);
	/* Only a filter has a partial cookie mask; an add-flow spec has all ones or 0. */
	partial = spec->cookie_mask && spec->cookie_mask != UINT64_MAX;
	if (spec->cookie || partial) {
		item(&o);
		put(&o, "cookie=0x%llx", (unsigned long long)spec->cookie);
		if (partial)
			put(&o, "/0x%llx", (unsigned long long)spec->cookie_mask);
	}
	if (spec->idle_timeout) {
		item(&o);
		put(&o, "idle_timeout=%u", (unsigned)spec->idle_timeout);
	}
	if (spec->hard_timeout) {
		item(&o);
		put(&o, "hard_timeout=%u", (unsigned)spec->hard_timeout);
	}
	put_match(&o, &spec->match, names);
	item(&o);
	put(&o, "actions=");
	put_actions(&o, &spec->actions, names);
	return out_done(&o);
}
