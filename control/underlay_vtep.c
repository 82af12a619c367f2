/* SPDX-License-Identifier: BSD-3-Clause */
/* Underlay resolution, the VTEP side: prompts and their pacing, refresh, text (see underlay.h). */
#include "underlay_int.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DISCARD_PORT 9
#define RETRY_AFTER_FAILURE_MS 1000

int64_t vsw_underlay_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct vsw_underlay_prompt *prompt_find(struct vsw_underlay *u, int ifindex, uint32_t ip)
{
	size_t i;

	for (i = 0; i < u->n_prompts; i++)
		if (u->prompts[i].ip == ip && u->prompts[i].ifindex == ifindex)
			return &u->prompts[i];
	return NULL;
}

/* The entry of a next hop; a new one takes the place of the longest quiet when full. */
static struct vsw_underlay_prompt *prompt_slot(struct vsw_underlay *u, int ifindex, uint32_t ip)
{
	struct vsw_underlay_prompt *p = prompt_find(u, ifindex, ip);
	size_t i;

	if (p)
		return p;
	if (u->n_prompts < VSW_UNDERLAY_PROMPTS) {
		p = &u->prompts[u->n_prompts++];
	} else {
		p = &u->prompts[0];
		for (i = 1; i < u->n_prompts; i++)
			if (u->prompts[i].last_ms < p->last_ms)
				p = &u->prompts[i];
	}
	*p = (struct vsw_underlay_prompt){ .ip = ip, .ifindex = ifindex };
	return p;
}

/*
 * An empty datagram to the discard port: the kernel resolves the next hop
 * to send it. Best effort: the kernel's ARP, not the datagram, matters, and
 * the next refresh prompts again if it did not happen.
 */
static void send_prompt(const char *ifname, uint32_t ip)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DISCARD_PORT),
				  .sin_addr.s_addr = ip };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1);
	(void)sendto(fd, "", 0, 0, (const struct sockaddr *)&to, sizeof(to));
	close(fd);
}

void vsw_underlay_prompt(struct vsw_underlay *u, const char *ifname, int ifindex, uint32_t ip,
			 bool unresolved)
{
	struct vsw_underlay_prompt *p = prompt_slot(u, ifindex, ip);
	int64_t now = vsw_underlay_now_ms();

	if (p->interval_ms == 0 || now - p->last_ms >= p->interval_ms) {
		send_prompt(ifname, ip);
		if (p->interval_ms == 0 || !unresolved)
			p->interval_ms = VSW_UNDERLAY_PROMPT_MIN_MS;
		else if (p->interval_ms * 2 < VSW_UNDERLAY_PROMPT_MAX_MS)
			p->interval_ms *= 2;
		else
			p->interval_ms = VSW_UNDERLAY_PROMPT_MAX_MS;
		p->last_ms = now;
	}
	if (unresolved && p->last_ms + p->interval_ms < u->retry_ms)
		u->retry_ms = p->last_ms + p->interval_ms;
}

void vsw_underlay_settled(struct vsw_underlay *u, int ifindex, uint32_t ip)
{
	struct vsw_underlay_prompt *p = prompt_find(u, ifindex, ip);

	if (p)
		*p = u->prompts[--u->n_prompts];
}

/* What vtep-set carries differs (a zeroed entry has never been answered). */
static bool nexthop_changed(const struct vsw_nexthop *old, const struct vsw_nexthop *now)
{
	bool fresh = !old->resolved && old->reason[0] == '\0';

	return fresh || old->resolved != now->resolved ||
	       (now->resolved && memcmp(old->mac, now->mac, sizeof(now->mac)) != 0);
}

int vsw_underlay_refresh(struct vsw_underlay *u, const char *uplink_ifname,
			 struct vsw_underlay_vtep *vteps, size_t n)
{
	int changed = 0, err = 0;
	size_t i;

	u->retry_ms = VSW_UNDERLAY_NEVER;
	for (i = 0; i < n; i++) {
		struct vsw_underlay_vtep *v = &vteps[i];
		struct vsw_nexthop nh;
		int rc = vsw_underlay_resolve(u, uplink_ifname, v->ip, &nh);

		if (rc < 0) {
			int64_t again = vsw_underlay_now_ms() + RETRY_AFTER_FAILURE_MS;

			if (again < u->retry_ms)
				u->retry_ms = again;
			v->changed = false;
			err = rc;
			continue;
		}
		v->changed = nexthop_changed(&v->nh, &nh);
		v->nh = nh;
		changed += v->changed;
	}
	return changed == 0 && err < 0 ? err : changed;
}

int vsw_underlay_timeout_ms(const struct vsw_underlay *u)
{
	int64_t left;

	if (u->retry_ms == VSW_UNDERLAY_NEVER)
		return -1;
	left = u->retry_ms - vsw_underlay_now_ms();
	if (left < 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

void vsw_nexthop_format(const struct vsw_nexthop *nh, char *buf, size_t len)
{
	const uint8_t *m = nh->mac;

	if (nh->resolved)
		snprintf(buf, len, "resolved%s %02x:%02x:%02x:%02x:%02x:%02x via %s",
			 nh->is_static ? " (static)" : "", m[0], m[1], m[2], m[3], m[4], m[5],
			 nh->ifname);
	else
		snprintf(buf, len, "unresolved: %s", nh->reason);
}

/* The value of `key` in comma-separated devargs, its length in *len; NULL when absent. */
static const char *devargs_value(const char *devargs, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = devargs;

	while (p) {
		const char *end = strchr(p, ',');
		size_t tlen = end ? (size_t)(end - p) : strlen(p);

		if (tlen > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			*len = tlen - klen - 1;
			return p + klen + 1;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

int vsw_underlay_port_ifname(const char *type, const char *name, const char *devargs,
			     char ifname[16])
{
	const char *src = NULL;
	size_t len = 0;

	ifname[0] = '\0';
	if (type && name && strcmp(type, "tap") == 0) {
		src = name;
		len = strlen(name);
	} else if (type && devargs && strcmp(type, "dpdk") == 0) {
		src = devargs_value(devargs, "iface", &len);
	}
	if (!src || len == 0)
		return -ENODEV;
	if (len >= 16)
		return -ENAMETOOLONG;
	memcpy(ifname, src, len);
	ifname[len] = '\0';
	return 0;
}
