/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_SWEEP_H
#define VSW_CONTROL_SWEEP_H

/*
 * The timeout sweep: expire the rules whose idle or hard timeout has run
 * out (expire.h says how, and what happens while the dataplane is away).
 * The main loop asks vsw_sweep_poll_timeout() how long it may sleep and
 * runs vsw_sweep() when vsw_sweep_due(). Nothing is done, and the loop
 * sleeps as before, while no rule has a timeout.
 */

#include <stdbool.h>

#include "control.h"

#define VSW_SWEEP_INTERVAL_MS 1000

bool vsw_sweep_due(const struct vsw_control *ctl);
/* poll() timeout until the next sweep: -1 while no rule has a timeout. */
int vsw_sweep_poll_timeout(const struct vsw_control *ctl);
/* One sweep; schedules the next. */
void vsw_sweep(struct vsw_control *ctl);

#endif
