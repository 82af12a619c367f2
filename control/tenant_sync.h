/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_TENANT_SYNC_H
#define VSW_CONTROL_TENANT_SYNC_H

/*
 * Programming the dataplane from tenant intent (TENANTS.md).
 *
 * A tenant command (mgmt_tenant.c) builds `next`, a copy of the model with
 * its change (vsw_config_copy_intent()), writes it to the store inside an
 * open transaction, and then calls vsw_tenant_apply(), which compiles
 * `next` and sends the dataplane the difference from what it has (port
 * start tables, the pipeline's rules, L2 domains, VTEPs). The result
 * decides the command:
 *   0            the dataplane has `next`: COMMIT, the model takes `next`;
 *   -EREMOTEIO   the dataplane refused (err: its line): ROLLBACK, the
 *                command fails with "dataplane: <err>", the model stays;
 *                whatever part was applied is undone, or the dataplane is
 *                marked for a resync (ctl->dp.need_sync), which takes it
 *                back to the model;
 *   other -errno the dataplane is not connected (or was lost): COMMIT all
 *                the same; the next reconcile brings it to the model.
 * `next` is read, never kept: it is freed (or taken by the model) after.
 */

#include <stddef.h>

#include "control.h"

int vsw_tenant_apply(struct vsw_control *ctl, const struct vsw_config *next, char *err,
		     size_t errlen);

#endif
