/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_UNDERLAY_INT_H
#define VSW_CONTROL_UNDERLAY_INT_H

/* Private to underlay.c (netlink) and underlay_vtep.c (prompts, refresh). */

#include "underlay.h"

#include <stdint.h>

struct nl_sock;
struct nl_cb;

#define VSW_UNDERLAY_PROMPTS 64 /* next hops remembered for rate limiting */
#define VSW_UNDERLAY_PROMPT_MIN_MS 1000
#define VSW_UNDERLAY_PROMPT_MAX_MS 10000
#define VSW_UNDERLAY_NEVER INT64_MAX

/* The last prompt sent to one next hop. */
struct vsw_underlay_prompt {
	uint32_t ip; /* network order */
	int ifindex;
	int64_t last_ms; /* monotonic */
	int64_t interval_ms; /* until the next prompt may go */
};

/* The answer to the request in flight on `req`. */
struct vsw_underlay_reply {
	uint32_t seq;
	bool done;
	int error; /* the kernel's errno (positive), 0 */
	int type; /* route: rtm_type; neighbour: ndm_state */
	int ifindex; /* route: RTA_OIF */
	uint32_t gateway; /* route: RTA_GATEWAY, 0 when on-link */
	bool has_mac; /* neighbour: NDA_LLADDR of 6 bytes */
	uint8_t mac[6];
};

struct vsw_underlay {
	struct nl_sock *events; /* subscribed, non-blocking */
	struct nl_sock *req; /* requests and their replies, blocking with a timeout */
	struct nl_cb *cb; /* callbacks for `req`, filling `reply` */
	struct vsw_underlay_reply reply;
	int64_t retry_ms; /* monotonic: next refresh due (VSW_UNDERLAY_NEVER) */
	size_t n_prompts;
	struct vsw_underlay_prompt prompts[VSW_UNDERLAY_PROMPTS];
	uint8_t buf[65536]; /* one notification datagram */
};

int64_t vsw_underlay_now_ms(void);

/*
 * A neighbour needs the kernel's attention: send a prompt to `ip` through
 * `ifname` unless one went less than its interval ago. `unresolved`: the
 * VTEP waits on it (the interval doubles; the refresh deadline covers it);
 * otherwise a stale entry to re-confirm.
 */
void vsw_underlay_prompt(struct vsw_underlay *u, const char *ifname, int ifindex, uint32_t ip,
			 bool unresolved);
/* The next hop answered: forget its prompts (the next wait starts at 1 s). */
void vsw_underlay_settled(struct vsw_underlay *u, int ifindex, uint32_t ip);

#endif
