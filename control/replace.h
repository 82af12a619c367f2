/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_REPLACE_H
#define VSW_CONTROL_REPLACE_H

/*
 * replace-flows: what must change so that the user flows (`have`) become
 * exactly a file's set (`want`, one record per rule identity, as
 * vsw_flowfile_parse() gives it). A pure function, unit tested on its own.
 *
 * Rules are paired by identity (table, priority, match):
 *   - in want only:                    added;
 *   - in have only:                    deleted;
 *   - in both, same canonical text:    unchanged -- not touched at all, so
 *                                      its counters, age and hard-timeout
 *                                      deadline survive;
 *   - in both, text differs (actions, cookie or timeouts): modified -- the
 *                                      file's rule is installed in its place
 *                                      (a new rule: counters start at zero,
 *                                      as the add that ovs-ofctl
 *                                      replace-flows sends).
 *
 * O(n log n): both sides are sorted by identity and merged.
 */

#include <stddef.h>

#include "config.h"

struct vsw_replace_plan {
	size_t *add; /* into want */
	size_t n_add;
	size_t *mod; /* into want */
	size_t *mod_have; /* mod[i] replaces have[mod_have[i]] */
	size_t n_mod;
	size_t *del; /* into have */
	size_t n_del;
	size_t n_unchanged;
};

/* Compute the plan (zeroed first). 0 or -ENOMEM. */
int vsw_replace_diff(const struct vsw_flow_rec *have, size_t n_have,
		     const struct vsw_flow_rec *want, size_t n_want,
		     struct vsw_replace_plan *plan);
void vsw_replace_plan_free(struct vsw_replace_plan *plan);

#endif
