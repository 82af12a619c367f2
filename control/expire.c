/* SPDX-License-Identifier: BSD-3-Clause */
/* Timeout decisions: see expire.h. */
#include "expire.h"

enum vsw_expire_reason vsw_expire_check(const struct vsw_flow_rec *rec, int64_t now_ms,
					int64_t idle_ms)
{
	if (rec->hard_timeout && now_ms - rec->installed_ms >= (int64_t)rec->hard_timeout * 1000)
		return VSW_EXPIRE_HARD;
	if (rec->idle_timeout && idle_ms != VSW_EXPIRE_UNKNOWN &&
	    idle_ms >= (int64_t)rec->idle_timeout * 1000)
		return VSW_EXPIRE_IDLE;
	return VSW_EXPIRE_NONE;
}

size_t vsw_expire_scan(const struct vsw_flow_rec *recs, size_t n, const int64_t *idle_ms,
		       int64_t now_ms, bool *gone, size_t *n_hard, size_t *n_idle)
{
	size_t total = 0;

	*n_hard = *n_idle = 0;
	for (size_t i = 0; i < n; i++) {
		enum vsw_expire_reason why =
			vsw_expire_check(&recs[i], now_ms, idle_ms ? idle_ms[i] : VSW_EXPIRE_UNKNOWN);

		gone[i] = why != VSW_EXPIRE_NONE;
		total += gone[i];
		if (why == VSW_EXPIRE_HARD)
			(*n_hard)++;
		else if (why == VSW_EXPIRE_IDLE)
			(*n_idle)++;
	}
	return total;
}
