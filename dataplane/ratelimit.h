/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_RATELIMIT_H
#define VSW_RATELIMIT_H

/*
 * DOC: rate limits for messages from the data path
 *
 * A message that a packet can cause (a drop, a full queue) must not be able
 * to flood the log at line rate. A `struct vsw_ratelimit` lets at most
 * `burst` messages through per `interval_ms` window and counts the others;
 * the next message it lets through reports how many were held back, so no
 * event is lost from the count (Linux's ___ratelimit(), with the count
 * handed to the caller instead of printed at the window's end).
 *
 * One limiter per call site (log.h's VSW_LOG_RL() keeps a static one), shared
 * by every PMD thread that reaches it: a thread that finds another one inside
 * counts its message as held back rather than wait. Plain C, no DPDK: the
 * caller passes the time.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct vsw_ratelimit {
	atomic_flag busy;
	bool started;
	uint64_t begin_ms; /* start of the current window */
	uint32_t passed; /* messages let through in this window */
	_Atomic uint32_t held; /* held back since the last one let through */
};

#define VSW_RATELIMIT_INIT { ATOMIC_FLAG_INIT, false, 0, 0, 0 }

/*
 * May a message be logged at `now_ms`? When true, *held is how many were
 * held back before it (report them first); when false the message is
 * counted as held back.
 */
bool vsw_ratelimit_ok(struct vsw_ratelimit *rl, uint64_t now_ms, uint32_t interval_ms,
		      uint32_t burst, uint32_t *held);

#endif
