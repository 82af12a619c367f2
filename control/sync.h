/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_SYNC_H
#define VSW_CONTROL_SYNC_H

/*
 * Bring the dataplane to the configuration: list its ports and flows, diff
 * (reconcile.h) and apply the plan with targeted calls. A call the dataplane
 * refuses is logged and the rest goes on (one bad port must not keep the
 * others away); the next connect tries again. Clears dp.need_sync.
 * Returns 0; -ENOTCONN when the connection was lost on the way; -EREMOTEIO
 * when the dataplane would not list its ports or flows; -ENOMEM.
 */

#include "control.h"

int vsw_sync(struct vsw_control *ctl);

#endif
