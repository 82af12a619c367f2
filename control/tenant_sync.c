/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Placeholder until the tenant compiler is merged: tells the dataplane
 * nothing, so tenant intent is stored and listed but not yet programmed.
 * See tenant_sync.h for what the real one does.
 */
#include "tenant_sync.h"

int vsw_tenant_apply(struct vsw_control *ctl, const struct vsw_config *next, char *err,
		     size_t errlen)
{
	(void)ctl, (void)next, (void)err, (void)errlen;
	return 0;
}
