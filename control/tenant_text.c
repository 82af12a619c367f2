/* SPDX-License-Identifier: BSD-3-Clause */
/* Text forms of the tenant model: trunk lists, MACs, addresses. See tenant.h. */
#include "tenant.h"
#include "errtext.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A VLAN id in decimal at *p (advanced past it): 1..4094, or -1 (not a number), or 0/4095+. */
static long vlan_at(const char **p)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		if (v < 100000)
			v = v * 10 + (*s - '0');
		s++;
	}
	*p = s;
	return v;
}

int vsw_trunks_parse(const char *s, uint8_t trunks[4096 / 8], char *err, size_t errlen)
{
	const char *p = s;
	uint8_t bits[4096 / 8] = { 0 };

	if (!*s)
		return vsw_fail(err, errlen, "trunks: empty list (expected VLAN ids such as 10,20-30)");
	for (;;) {
		const char *item = p, *hi_at = p;
		long lo = vlan_at(&p), hi;

		if (lo >= 0 && *p == '-') {
			hi_at = ++p;
			hi = vlan_at(&p);
		} else {
			hi = lo;
		}
		if (lo < 0 || hi < 0 || (*p && *p != ',')) {
			size_t n = strcspn(item, ",");

			return vsw_fail(err, errlen, "trunks '%.64s': '%.*s' is not a VLAN id or range",
					s, (int)(n > 32 ? 32 : n), item);
		}
		if (lo < 1 || lo > 4094 || hi < 1 || hi > 4094) {
			const char *bad = lo < 1 || lo > 4094 ? item : hi_at;

			return vsw_fail(err, errlen, "trunks '%.64s': VLAN %.*s out of range 1..4094", s,
					(int)strspn(bad, "0123456789") > 16 ? 16 :
					(int)strspn(bad, "0123456789"), bad);
		}
		if (hi < lo)
			return vsw_fail(err, errlen, "trunks '%.64s': range %ld-%ld is backwards", s, lo,
					hi);
		for (long v = lo; v <= hi; v++)
			bits[v / 8] |= (uint8_t)(1u << (v % 8));
		if (!*p)
			break;
		p++; /* ',' */
	}
	memcpy(trunks, bits, sizeof(bits));
	return 0;
}

static bool bit(const uint8_t *trunks, unsigned v)
{
	return v < 4096 && (trunks[v / 8] >> (v % 8) & 1);
}

int vsw_trunks_format(const uint8_t trunks[4096 / 8], char *buf, size_t len)
{
	size_t n = 0;
	int w;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (unsigned v = 0; v < 4096; v++) {
		unsigned end = v;

		if (!bit(trunks, v))
			continue;
		while (bit(trunks, end + 1))
			end++;
		if (end >= v + 2)
			w = snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "", v, end);
		else if (end == v + 1)
			w = snprintf(buf + n, len - n, "%s%u,%u", n ? "," : "", v, end);
		else
			w = snprintf(buf + n, len - n, "%s%u", n ? "," : "", v);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
		v = end;
	}
	return (int)n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vsw_mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0 || s[2] != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
		s += 3;
	}
	memcpy(mac, m, sizeof(m));
	return 0;
}

void vsw_mac_format(const uint8_t mac[6], char buf[VSW_MAC_TEXT_MAX])
{
	snprintf(buf, VSW_MAC_TEXT_MAX, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
}

int vsw_ipv4_parse(const char *s, uint32_t *ip)
{
	struct in_addr a;

	/* inet_pton takes exactly a dotted quad (no "1.2", no leading zeros' octal). */
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = a.s_addr;
	return 0;
}

void vsw_ipv4_format(uint32_t ip, char buf[VSW_IPV4_TEXT_MAX])
{
	struct in_addr a = { .s_addr = ip };

	if (!inet_ntop(AF_INET, &a, buf, VSW_IPV4_TEXT_MAX))
		buf[0] = '\0';
}

bool vsw_ipv4_unicast(uint32_t ip)
{
	uint32_t h = ntohl(ip);

	return h != 0 && h < 0xe0000000u; /* not 0.0.0.0, not 224/4 multicast, not 240/4 */
}

int vsw_ip_parse(const char *s, struct vsw_ip *ip)
{
	struct vsw_ip out;

	memset(&out, 0, sizeof(out));
	if (inet_pton(AF_INET, s, out.addr) == 1)
		out.af = AF_INET;
	else if (inet_pton(AF_INET6, s, out.addr) == 1)
		out.af = AF_INET6;
	else
		return -EINVAL;
	*ip = out;
	return 0;
}

int vsw_ip_format(const struct vsw_ip *ip, char *buf, size_t len)
{
	char tmp[VSW_IP_TEXT_MAX];

	if ((ip->af != AF_INET && ip->af != AF_INET6) ||
	    !inet_ntop(ip->af, ip->addr, tmp, sizeof(tmp)))
		return -EINVAL;
	if (strlen(tmp) >= len)
		return -ENOSPC;
	memcpy(buf, tmp, strlen(tmp) + 1);
	return (int)strlen(tmp);
}

static bool same_ip(const struct vsw_ip *a, const struct vsw_ip *b)
{
	return a->af == b->af && memcmp(a->addr, b->addr, a->af == AF_INET ? 4 : 16) == 0;
}

int vsw_ips_parse(const char *s, struct vsw_ip ips[VSW_PORT_IPS_MAX], uint8_t *n, char *err,
		  size_t errlen)
{
	struct vsw_ip out[VSW_PORT_IPS_MAX];
	char one[VSW_IP_TEXT_MAX + 1];
	size_t k = 0;
	const char *p = s;

	if (!*s)
		return vsw_fail(err, errlen, "ips: empty list (expected addresses such as 192.0.2.10,2001:db8::10)");
	for (;;) {
		size_t len = strcspn(p, ",");

		if (k == VSW_PORT_IPS_MAX)
			return vsw_fail(err, errlen, "ips: more than %d addresses", VSW_PORT_IPS_MAX);
		if (len < sizeof(one)) {
			memcpy(one, p, len);
			one[len] = '\0';
		}
		if (len >= sizeof(one) || vsw_ip_parse(one, &out[k]))
			return vsw_fail(err, errlen, "ips: '%.*s' is not an IPv4 or IPv6 address",
					(int)(len > 64 ? 64 : len), p);
		for (size_t j = 0; j < k; j++)
			if (same_ip(&out[j], &out[k]))
				return vsw_fail(err, errlen, "ips: %s is given twice", one);
		k++;
		p += len;
		if (!*p)
			break;
		p++;
	}
	memcpy(ips, out, k * sizeof(out[0]));
	*n = (uint8_t)k;
	return 0;
}

int vsw_ips_format(const struct vsw_ip *ips, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i) {
			if (used + 1 >= len)
				return -ENOSPC;
			buf[used++] = ',';
			buf[used] = '\0';
		}
		int w = vsw_ip_format(&ips[i], buf + used, len - used);

		if (w < 0)
			return w;
		used += (size_t)w;
	}
	return (int)used;
}
