/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_DOMAIN_H
#define VSW_DOMAIN_H

/*
 * DOC: L2 domains — what the `normal` action switches within
 *
 * A domain (control/TENANTS.md: one tenant segment) is its id (1..2^32-1,
 * carried in the packet's `metadata`), its member ports each with the VLAN
 * tag its frames carry on that port (0: untagged), the remote VTEPs that
 * carry it over VXLAN (each with the inner tag) and its VNI, a MAC limit and
 * an aging time (with `limit_group`, the MAC limit counts the MACs of every
 * domain that names the same head domain, and of the head: ctl_domains.c).
 * MACs learned in it live in the MAC table (mac_table.h)
 * under the domain's slot, a small number 1..VSW_MAX_DOMAINS-1 that the
 * domain keeps as long as it exists (a replaced domain keeps its slot, its
 * MACs and its counters).
 *
 * Publication (dp.h): domains are immutable once published. The published
 * `struct vsw_domset` is an immutable snapshot that points to them; a change
 * builds a new set (sharing the domains that did not change), publishes it,
 * waits for a grace period and only then frees the old set and the domains
 * it alone held. Members point to their `struct vsw_port`, resolved by port
 * number against the port set: when the port set changes, the control
 * thread re-resolves the domains that name the port and publishes them
 * before a deleted port is freed. A member whose port does not exist (yet)
 * has a NULL port and receives nothing.
 *
 * Threads: PMDs look domains up (vsw_domset_find, vsw_domain_member): no
 * locks, no writes. Everything else is the control thread's.
 */

#include <stdbool.h>
#include <stdint.h>

#include "port.h"

#define VSW_MAX_DOMAINS 16384 /* slots 1..16383; slot 0 is never a domain */
#define VSW_DOMAIN_MAX_MEMBERS VSW_MAX_PORTS
#define VSW_DOMAIN_MAX_VTEPS 1024
#define VSW_DOMAIN_ID_MAX UINT32_MAX

struct vsw_domain_member {
	uint32_t port_no;
	uint16_t vlan; /* tag pushed on output: 0 none, else 1..4094 */
	struct vsw_port *port; /* NULL while the port does not exist */
};

struct vsw_domain_vtep {
	uint32_t ip; /* IPv4, network order */
	uint16_t vlan; /* inner tag: 0 none, else 1..4094 */
};

struct vsw_domain {
	uint32_t id;
	uint16_t slot;
	uint16_t n_members; /* sorted by port number */
	uint16_t n_vteps;
	uint32_t mac_limit;
	uint32_t aging; /* seconds */
	uint32_t vni; /* 0: none */
	uint32_t limit_group; /* a domain id whose MAC count this one shares, 0: none */
	struct vsw_domain_member *members; /* in the same allocation */
	struct vsw_domain_vtep *vteps;
};

/* The published set: sorted by id for listing, hashed by id for packets. */
struct vsw_domset {
	uint32_t n;
	uint32_t mask; /* hash slots - 1 */
	struct vsw_domain **list; /* n, by id */
	struct vsw_domain **hash; /* open addressing, at most half full */
};

static inline uint32_t vsw_domain_hash(uint32_t id)
{
	return (id * 2654435761u) ^ (id >> 16);
}

/* The domain `metadata` names, or NULL (PMDs; lock-free). */
static inline const struct vsw_domain *vsw_domset_find(const struct vsw_domset *s,
						       uint64_t metadata)
{
	uint32_t h;

	if (!s || metadata == 0 || metadata > VSW_DOMAIN_ID_MAX)
		return NULL;
	for (h = vsw_domain_hash((uint32_t)metadata) & s->mask;; h = (h + 1) & s->mask) {
		const struct vsw_domain *d = s->hash[h];

		if (!d || d->id == metadata)
			return d;
	}
}

/* The member entry of `port_no`, or NULL (PMDs; lock-free). */
static inline const struct vsw_domain_member *vsw_domain_member(const struct vsw_domain *d,
								 uint32_t port_no)
{
	uint32_t lo = 0, hi = d->n_members;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		uint32_t p = d->members[mid].port_no;

		if (p == port_no)
			return &d->members[mid];
		if (p < port_no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The VTEP entry of `ip`, or NULL. */
static inline const struct vsw_domain_vtep *vsw_domain_vtep(const struct vsw_domain *d,
							     uint32_t ip)
{
	for (uint16_t i = 0; i < d->n_vteps; i++)
		if (d->vteps[i].ip == ip)
			return &d->vteps[i];
	return NULL;
}

/* --- the control thread --------------------------------------------------- */

/*
 * A new domain, members sorted by port number and resolved against `ports`.
 * The caller validated the arguments (no duplicates, counts in range).
 * NULL and errno on failure.
 */
struct vsw_domain *vsw_domain_new(uint32_t id, uint16_t slot, uint32_t mac_limit,
				  uint32_t aging, uint32_t vni,
				  const struct vsw_domain_member *members, uint16_t n_members,
				  const struct vsw_domain_vtep *vteps, uint16_t n_vteps,
				  const struct vsw_portset *ports);
/* The same domain with its members resolved against `ports` afresh. */
struct vsw_domain *vsw_domain_resolved(const struct vsw_domain *d,
				       const struct vsw_portset *ports);
/* True when a member's port is not the one `ports` has under its number. */
bool vsw_domain_stale(const struct vsw_domain *d, const struct vsw_portset *ports);
void vsw_domain_free(struct vsw_domain *d);

/* An empty set. NULL and errno. */
struct vsw_domset *vsw_domset_empty(void);
/* A copy of `s` with `d` in it, replacing the domain with its id. */
struct vsw_domset *vsw_domset_with(const struct vsw_domset *s, struct vsw_domain *d);
/* A copy of `s` without the domain `id`. */
struct vsw_domset *vsw_domset_without(const struct vsw_domset *s, uint32_t id);
/*
 * A copy of `s` in which every stale domain (vsw_domain_stale) is a new,
 * resolved copy; the others are shared. NULL and errno.
 */
struct vsw_domset *vsw_domset_resolved(const struct vsw_domset *s,
				       const struct vsw_portset *ports);
/* The set only, not its domains. */
void vsw_domset_free(struct vsw_domset *s);
/* A slot no domain of `s` uses, or -ENOSPC. */
int vsw_domset_free_slot(const struct vsw_domset *s);

#endif
