/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_TENANT_VTEP_H
#define VSW_CONTROL_TENANT_VTEP_H

/*
 * Inside tenant sync: the VTEPs in use and their next hops (tenant_vtep.c).
 * See tenant_sync.h.
 */

#include "config.h"
#include "tenant_sync.h"

/*
 * Resolve every VTEP of `c` through cfg's uplink interface, reusing the
 * answers `st` has when the interface is the same. *res (sorted like
 * c->vtep_ips) is the caller's to free, or to give to vsw_vtep_commit().
 * ifname/why: the interface, or "" and why there is none. 0 or -ENOMEM.
 */
int vsw_vtep_resolve_all(struct vsw_tenant_state *st, const struct vsw_config *cfg,
			 const struct vsw_compiled *c, struct vsw_vtep_res **res, char ifname[16],
			 char why[128]);
/* These are the VTEPs in use now (takes `res`). */
void vsw_vtep_commit(struct vsw_tenant_state *st, struct vsw_vtep_res *res, size_t n,
		     const char *ifname, const char *why);
/* What the dataplane should have for them. */
void vsw_vtep_wants(const struct vsw_vtep_res *res, size_t n, struct vsw_vtep_want *out);

#endif
