/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_EXPIRE_H
#define VSW_CONTROL_EXPIRE_H

/*
 * DOC: rule timeouts (idle_timeout, hard_timeout)
 *
 * vsw-control is the source of truth for rules, so it is the one that
 * expires them; the packet path does nothing for timeouts beyond the
 * last-hit timestamp the dataplane keeps on every rule anyway.
 *
 *   hard_timeout=N  the rule goes N seconds after it was installed. The
 *                   install time is vsw-control's wall clock, stored with
 *                   the rule (flows.installed_ms), so the deadline holds
 *                   across restarts of either daemon, and expiry goes on
 *                   while the dataplane is disconnected (the rule then
 *                   leaves the store at once and the dataplane at the next
 *                   reconcile). add-flow of the same identity, and a
 *                   replace-flows that changes the rule, install it anew;
 *                   mod-flows keeps the deadline, as in Open vSwitch.
 *   idle_timeout=N  the rule goes once it has matched no packet for N
 *                   seconds, as the dataplane's idle_ms says (flow-list).
 *                   Without those stats (dataplane disconnected, or it
 *                   does not have the rule) nothing is decided: idle
 *                   timeouts wait until stats are available again.
 *
 * The sweep (sweep.c) runs about once a second, and only when some rule
 * has a timeout: it reads flow-list only if some rule has an idle timeout,
 * decides with vsw_expire_scan() below, and removes what expired from the
 * store and the dataplane in one transaction and one flow-batch. A large
 * table stretches the interval (ten times the last flow-list's duration at
 * least), so the sweep never takes more than a tenth of vsw-control's time.
 * Expiry is therefore up to about a second late, and a wall clock set back
 * delays hard timeouts by as much (set forward, it brings them closer).
 *
 * This part is pure (the clock is an argument), unit tested with a fake one.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum vsw_expire_reason {
	VSW_EXPIRE_NONE,
	VSW_EXPIRE_HARD,
	VSW_EXPIRE_IDLE,
};

#define VSW_EXPIRE_UNKNOWN (-1) /* idle_ms when the dataplane gave no stats */

/* Why `rec` expires at wall-clock `now_ms` with the dataplane's `idle_ms`. */
enum vsw_expire_reason vsw_expire_check(const struct vsw_flow_rec *rec, int64_t now_ms,
					int64_t idle_ms);

/*
 * Every record at once: gone[i] set for those that expire (gone has n
 * entries); idle_ms[i] per record, or idle_ms NULL when there are no stats
 * at all. Counts by reason in *n_hard, *n_idle. Returns how many expire.
 */
size_t vsw_expire_scan(const struct vsw_flow_rec *recs, size_t n, const int64_t *idle_ms,
		       int64_t now_ms, bool *gone, size_t *n_hard, size_t *n_idle);

#endif
