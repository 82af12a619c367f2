/* SPDX-License-Identifier: BSD-3-Clause */
/* Underlay resolution over rtnetlink: sockets, notifications, lookups (see underlay.h). */
#include "underlay_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#define REQUEST_TIMEOUT_MS 1000 /* the kernel answers at once; this only bounds a wedge */
#define EVENTS_RCVBUF (1 << 20)
/* Neighbour states whose link-layer address the kernel itself would use. */
#define NUD_USABLE (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY)

/* libnl's error codes, back to errno values. */
static int nlerr(int err)
{
	switch (err < 0 ? -err : err) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_AGAIN:
		return -ETIMEDOUT;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	default:
		return -EIO;
	}
}

/* Only answers to the request in flight: a late reply to an earlier one is skipped. */
static int on_seq(struct nl_msg *msg, void *arg)
{
	const struct vsw_underlay_reply *r = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int on_error(struct sockaddr_nl *from, struct nlmsgerr *e, void *arg)
{
	struct vsw_underlay_reply *r = arg;

	(void)from;
	r->error = e->error < 0 ? -e->error : EPROTO;
	r->done = true;
	return NL_STOP;
}

static void parse_route(struct nlmsghdr *nlh, struct vsw_underlay_reply *r)
{
	const struct rtmsg *rtm = nlmsg_data(nlh);
	struct nlattr *tb[RTA_MAX + 1];

	r->type = rtm->rtm_type;
	if (nlmsg_parse(nlh, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return;
	if (tb[RTA_OIF] && nla_len(tb[RTA_OIF]) == 4)
		r->ifindex = (int)nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == 4)
		memcpy(&r->gateway, nla_data(tb[RTA_GATEWAY]), 4);
}

static void parse_neigh(struct nlmsghdr *nlh, struct vsw_underlay_reply *r)
{
	const struct ndmsg *ndm = nlmsg_data(nlh);
	struct nlattr *tb[NDA_MAX + 1];

	r->type = ndm->ndm_state;
	if (nlmsg_parse(nlh, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return;
	if (tb[NDA_LLADDR] && nla_len(tb[NDA_LLADDR]) == 6) {
		memcpy(r->mac, nla_data(tb[NDA_LLADDR]), 6);
		r->has_mac = true;
	}
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct vsw_underlay_reply *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_type == RTM_NEWROUTE && nlmsg_valid_hdr(nlh, sizeof(struct rtmsg)))
		parse_route(nlh, r);
	else if (nlh->nlmsg_type == RTM_NEWNEIGH && nlmsg_valid_hdr(nlh, sizeof(struct ndmsg)))
		parse_neigh(nlh, r);
	else
		return NL_SKIP;
	r->done = true;
	return NL_STOP;
}

static int socket_open(struct nl_sock **sk)
{
	int err;

	*sk = nl_socket_alloc();
	if (!*sk)
		return -ENOMEM;
	err = nl_connect(*sk, NETLINK_ROUTE);
	return err < 0 ? nlerr(err) : 0;
}

static int events_open(struct vsw_underlay *u)
{
	int err = socket_open(&u->events);

	if (err < 0)
		return err;
	err = nl_socket_add_memberships(u->events, RTNLGRP_IPV4_ROUTE, RTNLGRP_NEIGH,
					RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, 0);
	if (err < 0)
		return nlerr(err);
	err = nl_socket_set_nonblocking(u->events);
	if (err < 0)
		return nlerr(err);
	/* A bigger buffer makes overruns rarer; they are handled either way. */
	(void)nl_socket_set_buffer_size(u->events, EVENTS_RCVBUF, 0);
	return 0;
}

static int requests_open(struct vsw_underlay *u)
{
	struct timeval tv = { .tv_sec = REQUEST_TIMEOUT_MS / 1000,
			      .tv_usec = REQUEST_TIMEOUT_MS % 1000 * 1000 };
	int err = socket_open(&u->req);

	if (err < 0)
		return err;
	nl_socket_disable_auto_ack(u->req); /* one reply per request: data or error */
	if (setsockopt(nl_socket_get_fd(u->req), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	u->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!u->cb)
		return -ENOMEM;
	nl_cb_set(u->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, &u->reply);
	nl_cb_set(u->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &u->reply);
	nl_cb_err(u->cb, NL_CB_CUSTOM, on_error, &u->reply);
	return 0;
}

struct vsw_underlay *vsw_underlay_open(void)
{
	struct vsw_underlay *u = calloc(1, sizeof(*u));
	int err;

	if (!u)
		return NULL;
	u->retry_ms = VSW_UNDERLAY_NEVER;
	err = events_open(u);
	if (err == 0)
		err = requests_open(u);
	if (err < 0) {
		vsw_underlay_close(u);
		errno = -err;
		return NULL;
	}
	return u;
}

void vsw_underlay_close(struct vsw_underlay *u)
{
	if (!u)
		return;
	nl_cb_put(u->cb);
	nl_socket_free(u->req);
	nl_socket_free(u->events);
	free(u);
}

int vsw_underlay_fd(const struct vsw_underlay *u)
{
	return nl_socket_get_fd(u->events);
}

static bool relevant(const struct nlmsghdr *nlh)
{
	const struct ndmsg *ndm;

	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return true;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		if (!nlmsg_valid_hdr(nlh, sizeof(*ndm)))
			return false;
		ndm = nlmsg_data(nlh);
		return ndm->ndm_family == AF_INET; /* not the bridge FDB, not IPv6 */
	default:
		return false;
	}
}

int vsw_underlay_process(struct vsw_underlay *u)
{
	int fd = nl_socket_get_fd(u->events), changed = 0;

	for (;;) {
		ssize_t n = recv(fd, u->buf, sizeof(u->buf), MSG_DONTWAIT | MSG_TRUNC);
		struct nlmsghdr *nlh;
		int left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return changed;
			if (errno == ENOBUFS) { /* overrun: notifications were lost */
				changed = 1;
				continue;
			}
			return -errno;
		}
		if (n > (ssize_t)sizeof(u->buf)) { /* cut short: whatever it said is lost */
			changed = 1;
			continue;
		}
		left = (int)n;
		for (nlh = (struct nlmsghdr *)u->buf; nlmsg_ok(nlh, left); nlh = nlmsg_next(nlh, &left))
			if (relevant(nlh))
				changed = 1;
	}
}

/* Send `msg` on the request socket and wait for its one reply into u->reply. */
static int request(struct vsw_underlay *u, struct nl_msg *msg)
{
	int err;

	memset(&u->reply, 0, sizeof(u->reply));
	err = nl_send_auto(u->req, msg);
	if (err < 0)
		return nlerr(err);
	u->reply.seq = nlmsg_hdr(msg)->nlmsg_seq;
	for (;;) {
		err = nl_recvmsgs_report(u->req, u->cb);
		if (u->reply.done)
			return 0;
		if (err < 0)
			return nlerr(err);
		if (err == 0) /* nothing came within the timeout */
			return -ETIMEDOUT;
	}
}

static int route_get(struct vsw_underlay *u, uint32_t dst)
{
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = 32 };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, RTA_DST, 4, &dst) < 0)
		err = -EMSGSIZE;
	else
		err = request(u, msg);
	nlmsg_free(msg);
	return err;
}

static int neigh_get(struct vsw_underlay *u, int ifindex, uint32_t ip)
{
	struct ndmsg ndm = { .ndm_family = AF_INET, .ndm_ifindex = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETNEIGH, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, NDA_DST, 4, &ip) < 0)
		err = -EMSGSIZE;
	else
		err = request(u, msg);
	nlmsg_free(msg);
	return err;
}

__attribute__((format(printf, 2, 3)))
static void unresolved(struct vsw_nexthop *nh, const char *fmt, ...)
{
	va_list ap;

	nh->resolved = false;
	va_start(ap, fmt);
	vsnprintf(nh->reason, sizeof(nh->reason), fmt, ap);
	va_end(ap);
}

/* The route's verdict; false (with the reason) when it goes nowhere usable. */
static bool route_ok(const struct vsw_underlay_reply *r, const char *dst, const char *uplink,
		     struct vsw_nexthop *nh)
{
	if (r->error == ENETUNREACH || r->error == EHOSTUNREACH)
		unresolved(nh, "no route to %s", dst);
	else if (r->error)
		unresolved(nh, "no route to %s: %s", dst, strerror(r->error));
	else if (r->type == RTN_LOCAL)
		unresolved(nh, "%s is a local address", dst);
	else if (r->type != RTN_UNICAST)
		unresolved(nh, "route to %s is not unicast (type %d)", dst, r->type);
	else if (!if_indextoname((unsigned)r->ifindex, nh->ifname))
		unresolved(nh, "route to %s is via interface %d, which is gone", dst, r->ifindex);
	else if (strcmp(nh->ifname, uplink) != 0)
		unresolved(nh, "route to %s is via %s, not the uplink %s", dst, nh->ifname, uplink);
	else
		return true;
	return false;
}

int vsw_underlay_resolve(struct vsw_underlay *u, const char *uplink_ifname,
			 uint32_t remote_ip, struct vsw_nexthop *nh)
{
	const struct vsw_underlay_reply *r = &u->reply;
	char dst[INET_ADDRSTRLEN], via[INET_ADDRSTRLEN];
	int ifindex, err;

	memset(nh, 0, sizeof(*nh));
	nh->via = remote_ip;
	inet_ntop(AF_INET, &remote_ip, dst, sizeof(dst));
	if (!uplink_ifname || !*uplink_ifname) {
		unresolved(nh, "no uplink interface");
		return 0;
	}
	err = route_get(u, remote_ip);
	if (err < 0)
		return err;
	if (!route_ok(r, dst, uplink_ifname, nh))
		return 0;
	if (r->gateway)
		nh->via = r->gateway;
	ifindex = r->ifindex;
	inet_ntop(AF_INET, &nh->via, via, sizeof(via));

	err = neigh_get(u, ifindex, nh->via);
	if (err < 0)
		return err;
	if (r->error && r->error != ENOENT) {
		unresolved(nh, "neighbour %s on %s: %s", via, nh->ifname, strerror(r->error));
		return 0;
	}
	if (!r->error && (r->type & NUD_USABLE) && r->has_mac) {
		nh->resolved = true;
		memcpy(nh->mac, r->mac, 6);
		if (r->type & NUD_STALE)
			vsw_underlay_prompt(u, nh->ifname, ifindex, nh->via, false);
		else
			vsw_underlay_settled(u, ifindex, nh->via);
		return 0;
	}
	if (!r->error && (r->type & NUD_USABLE)) { /* no ARP on that interface: asking won't help */
		unresolved(nh, "neighbour %s on %s has no MAC address", via, nh->ifname);
		return 0;
	}
	if (!r->error && (r->type & NUD_FAILED))
		unresolved(nh, "neighbour %s on %s does not answer ARP", via, nh->ifname);
	else
		unresolved(nh, "neighbour %s on %s not resolved yet", via, nh->ifname);
	vsw_underlay_prompt(u, nh->ifname, ifindex, nh->via, true);
	return 0;
}
