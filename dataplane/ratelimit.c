/* SPDX-License-Identifier: BSD-3-Clause */
/* Rate limits for data-path messages (ratelimit.h). */
#include "ratelimit.h"

bool vsw_ratelimit_ok(struct vsw_ratelimit *rl, uint64_t now_ms, uint32_t interval_ms,
		      uint32_t burst, uint32_t *held)
{
	bool ok;

	*held = 0;
	if (atomic_flag_test_and_set_explicit(&rl->busy, memory_order_acquire)) {
		atomic_fetch_add_explicit(&rl->held, 1, memory_order_relaxed);
		return false;
	}
	if (!rl->started || now_ms - rl->begin_ms >= interval_ms) {
		rl->started = true;
		rl->begin_ms = now_ms;
		rl->passed = 0;
	}
	ok = rl->passed < burst;
	if (ok) {
		rl->passed++;
		*held = atomic_exchange_explicit(&rl->held, 0, memory_order_relaxed);
	} else {
		atomic_fetch_add_explicit(&rl->held, 1, memory_order_relaxed);
	}
	atomic_flag_clear_explicit(&rl->busy, memory_order_release);
	return ok;
}
