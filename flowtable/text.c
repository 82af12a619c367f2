/* SPDX-License-Identifier: BSD-3-Clause */
/* Tokens, value readers and the bounded appender: see text.h. */
#include "text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool vsw_tok_eq(struct vsw_tok t, const char *s)
{
	return strlen(s) == t.n && memcmp(t.p, s, t.n) == 0;
}

bool vsw_tok_ieq(struct vsw_tok t, const char *s)
{
	if (strlen(s) != t.n)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (lower(t.p[i]) != lower(s[i]))
			return false;
	return true;
}

bool vsw_tok_split(struct vsw_tok t, char c, struct vsw_tok *head, struct vsw_tok *tail)
{
	const char *at = t.n ? memchr(t.p, c, t.n) : NULL;

	if (!at)
		return false;
	head->p = t.p;
	head->n = (size_t)(at - t.p);
	tail->p = at + 1;
	tail->n = t.n - head->n - 1;
	return true;
}

bool vsw_tok_split_str(struct vsw_tok t, const char *sep, struct vsw_tok *head,
		       struct vsw_tok *tail)
{
	size_t k = strlen(sep);

	for (size_t i = 0; k && i + k <= t.n; i++) {
		if (memcmp(t.p + i, sep, k) == 0) {
			head->p = t.p;
			head->n = i;
			tail->p = t.p + i + k;
			tail->n = t.n - i - k;
			return true;
		}
	}
	return false;
}

int vsw_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_hex_prefix(struct vsw_tok t)
{
	return t.n > 2 && t.p[0] == '0' && lower(t.p[1]) == 'x';
}

int vsw_tok_u64(struct vsw_tok t, uint64_t *v)
{
	unsigned base = 10;
	uint64_t x = 0;
	size_t i = 0;

	if (is_hex_prefix(t)) {
		base = 16;
		i = 2;
	}
	if (i >= t.n)
		return -EINVAL;
	for (; i < t.n; i++) {
		int d = vsw_hex_digit(t.p[i]);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		if (x > (UINT64_MAX - (unsigned)d) / base)
			return -ERANGE;
		x = x * base + (unsigned)d;
	}
	*v = x;
	return 0;
}

int vsw_tok_u128(struct vsw_tok t, uint8_t be[16])
{
	uint8_t x[16] = { 0 };
	size_t nd = 0;
	int rc;

	if (!is_hex_prefix(t)) {
		uint64_t v;

		rc = vsw_tok_u64(t, &v);
		if (rc)
			return rc;
		memset(be, 0, 16);
		for (int i = 0; i < 8; i++)
			be[15 - i] = (uint8_t)(v >> (8 * i));
		return 0;
	}
	for (size_t i = 2; i < t.n; i++)
		if (vsw_hex_digit(t.p[i]) < 0)
			return -EINVAL;
	/* Digits from the right; leading zeros may be any in number. */
	for (size_t i = t.n; i > 2; i--, nd++) {
		unsigned d = (unsigned)vsw_hex_digit(t.p[i - 1]);

		if (nd >= 32) {
			if (d)
				return -ERANGE;
			continue;
		}
		x[15 - nd / 2] |= (uint8_t)(nd % 2 ? d << 4 : d);
	}
	memcpy(be, x, 16);
	return 0;
}

int vsw_tok_mac(struct vsw_tok t, uint8_t mac[VSW_ETH_ALEN])
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
		while (i < t.n && nd <= 2 && vsw_hex_digit(t.p[i]) >= 0) {
			x = x * 16 + (unsigned)vsw_hex_digit(t.p[i]);
			i++;
			nd++;
		}
		if (nd < 1 || nd > 2)
			return -EINVAL;
		mac[b] = (uint8_t)x;
	}
	return i == t.n ? 0 : -EINVAL;
}

int vsw_tok_ipv4(struct vsw_tok t, uint32_t *ip)
{
	uint32_t x = 0;
	size_t i = 0;

	for (int b = 0; b < 4; b++) {
		unsigned v = 0;
		int nd = 0;

		if (b > 0) {
			if (i >= t.n || t.p[i] != '.')
				return -EINVAL;
			i++;
		}
		while (i < t.n && nd < 4 && t.p[i] >= '0' && t.p[i] <= '9') {
			v = v * 10 + (unsigned)(t.p[i] - '0');
			i++;
			nd++;
		}
		if (nd < 1 || nd > 3 || v > 255)
			return -EINVAL;
		x = x << 8 | v;
	}
	if (i != t.n)
		return -EINVAL;
	*ip = x;
	return 0;
}

int vsw_tok_ipv6(struct vsw_tok t, uint8_t ip[16])
{
	char s[INET6_ADDRSTRLEN + 1];

	if (t.n == 0 || t.n >= sizeof(s) || memchr(t.p, '\0', t.n))
		return -EINVAL;
	memcpy(s, t.p, t.n);
	s[t.n] = '\0';
	return inet_pton(AF_INET6, s, ip) == 1 ? 0 : -EINVAL;
}

/* ---- output ---- */

void vsw_out_init(struct vsw_out *o, char *buf, size_t len)
{
	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->len = buf ? len : 0;
	if (o->len)
		buf[0] = '\0';
}

void vsw_put(struct vsw_out *o, const char *fmt, ...)
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

void vsw_item(struct vsw_out *o)
{
	if (o->items++)
		vsw_put(o, ",");
}

int vsw_out_done(const struct vsw_out *o)
{
	if (o->broken || o->pos >= o->len || o->pos > INT_MAX)
		return -ENOSPC;
	return (int)o->pos;
}

void vsw_put_port(struct vsw_out *o, uint32_t port, const struct vsw_port_names *names)
{
	const char *name = names && names->name ? names->name(names->ctx, port) : NULL;

	if (name)
		vsw_put(o, "%s", name);
	else
		vsw_put(o, "%u", (unsigned)port);
}

void vsw_put_mac(struct vsw_out *o, const uint8_t *m)
{
	vsw_put(o, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void vsw_put_ipv4(struct vsw_out *o, uint32_t ip)
{
	vsw_put(o, "%u.%u.%u.%u", (unsigned)(ip >> 24), (unsigned)(ip >> 16 & 0xff),
		(unsigned)(ip >> 8 & 0xff), (unsigned)(ip & 0xff));
}

void vsw_put_ipv6(struct vsw_out *o, const uint8_t *ip)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, ip, s, sizeof(s)))
		o->broken = true;
	else
		vsw_put(o, "%s", s);
}

bool vsw_all_bytes(const void *p, size_t n, uint8_t v)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

int vsw_prefix_len(const uint8_t *mask, size_t n)
{
	int bits = 0;
	size_t i = 0;

	for (; i < n && mask[i] == 0xff; i++)
		bits += 8;
	if (i < n) {
		uint8_t b = mask[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
		for (i++; i < n; i++)
			if (mask[i])
				return -1;
	}
	return bits;
}

void vsw_put_ipv4_masked(struct vsw_out *o, uint32_t ip, uint32_t mask)
{
	uint8_t m[4] = { (uint8_t)(mask >> 24), (uint8_t)(mask >> 16), (uint8_t)(mask >> 8),
			 (uint8_t)mask };
	int plen = vsw_prefix_len(m, 4);

	vsw_put_ipv4(o, ip);
	if (mask == UINT32_MAX)
		return;
	if (plen >= 0) {
		vsw_put(o, "/%d", plen);
	} else {
		vsw_put(o, "/");
		vsw_put_ipv4(o, mask);
	}
}

void vsw_put_ipv6_masked(struct vsw_out *o, const uint8_t *ip, const uint8_t *mask)
{
	int plen = vsw_prefix_len(mask, 16);

	vsw_put_ipv6(o, ip);
	if (plen == 128)
		return;
	if (plen >= 0) {
		vsw_put(o, "/%d", plen);
	} else {
		vsw_put(o, "/");
		vsw_put_ipv6(o, mask);
	}
}

void vsw_put_hex_be(struct vsw_out *o, const uint8_t *be, size_t n)
{
	size_t i = 0;

	while (i < n && be[i] == 0)
		i++;
	if (i == n) {
		vsw_put(o, "0");
		return;
	}
	vsw_put(o, "0x%x", be[i++]);
	for (; i < n; i++)
		vsw_put(o, "%02x", be[i]);
}
