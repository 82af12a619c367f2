/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_SYNC_H
#define VSW_CONTROL_SYNC_H

/*
 * Bring the dataplane to the configuration: list its ports, tables and
 * flows, diff (reconcile.h) and apply the plan: port and table changes with
 * targeted calls, flow changes as one flow-batch. The tenant state (rules of
 * tables 250..254, L2 domains, VTEPs, port start tables, @vxlan) is planned
 * by tenant sync and interleaved in the order tenant_sync.h explains; its
 * rule changes travel in the same flow-batch as the user flows'. A call the dataplane
 * refuses is logged and the rest goes on (one bad port must not keep the
 * others away; a refused batch is retried one op at a time, so one bad flow
 * keeps no other out); the next connect tries again. Clears dp.need_sync.
 * Miss policies are re-sent on every reconcile where they differ, so a
 * restarted dataplane gets them back with its flows.
 * Returns 0; -ENOTCONN when the connection was lost on the way; -EREMOTEIO
 * when the dataplane would not list its ports or flows; -ENOMEM.
 */

#include "control.h"

int vsw_sync(struct vsw_control *ctl);

/*
 * The mirrors' part (sync_mirror.c, mirror.h): mirror-list, then mirror-del
 * of what differs and mirror-set of what is missing. A dataplane that does
 * not know mirror-list is warned about and left alone. Same returns.
 */
int vsw_sync_mirrors(struct vsw_control *ctl);

#endif
