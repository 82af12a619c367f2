/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_VTEP_H
#define VSW_VTEP_H

/*
 * DOC: the VTEP table — remote VXLAN endpoints and their next hops
 *
 * One entry per remote VTEP address: the MAC of the underlay next hop toward
 * it (vsw-control resolves it through the kernel and sends `vtep-set`), or
 * none yet ("unresolved"). The VXLAN encapsulation (pmd_vxlan.c) looks the
 * remote address up here for the outer Ethernet destination.
 *
 * Publication as the port set's (dp.h): the table is an immutable snapshot,
 * sorted by address for a binary search; the control thread builds a new
 * one for every change (vsw_vteps_with/without), publishes it and frees
 * the old one after a grace period. Counters live apart from the snapshots,
 * one struct vsw_vtep_stats per address for as long as it is configured,
 * shared by every snapshot that has it, so that a vtep-set that changes a
 * MAC keeps them; a deleted address's counters are freed after the grace
 * period too. PMDs add to them with relaxed atomics.
 *
 * Plain C with no DPDK (tests/unit/dataplane links it alone).
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define VSW_MAX_VTEPS 4096

struct vsw_vtep_stats {
	_Atomic uint64_t tx_packets; /* encapsulated frames queued toward it */
	_Atomic uint64_t tx_bytes; /* their length, outer headers included */
	_Atomic uint64_t drops; /* vtep_unresolved and too_big toward it */
};

struct vsw_vtep {
	uint32_t ip; /* network order */
	bool resolved; /* `mac` is the next hop's */
	uint8_t mac[6];
	struct vsw_vtep_stats *stats;
};

struct vsw_vteps {
	uint32_t n;
	struct vsw_vtep v[]; /* ascending by address */
};

/* The entry for `ip` (network order), or NULL. Any thread, on a published table. */
const struct vsw_vtep *vsw_vteps_find(const struct vsw_vteps *t, uint32_t ip);

/*
 * A new table: `t` (NULL: empty) with `ip` set to `mac` (NULL: unresolved).
 * A new address gets new zero counters; a known one keeps its counters.
 * NULL and errno (ENOMEM; ENOSPC beyond VSW_MAX_VTEPS) on failure.
 */
struct vsw_vteps *vsw_vteps_with(const struct vsw_vteps *t, uint32_t ip, const uint8_t *mac);

/*
 * A new table: `t` without `ip`; *gone gets its counters, for the caller to
 * free (free()) once no reader may hold them. NULL and errno (ENOENT: no such
 * entry; ENOMEM) on failure.
 */
struct vsw_vteps *vsw_vteps_without(const struct vsw_vteps *t, uint32_t ip,
				    struct vsw_vtep_stats **gone);

/* Free a table; with `stats`, every entry's counters too (shutdown). */
void vsw_vteps_free(struct vsw_vteps *t, bool stats);

#endif
