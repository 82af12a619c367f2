/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_TENANT_INT_H
#define VSW_CONTROL_TENANT_INT_H

/*
 * Inside tenant sync (tenant_sync.h): reading and planning (tenant_read.c),
 * the VTEPs in use and their next hops (tenant_vtep.c); tenant_sync.c
 * carries the steps out.
 */

#include <jansson.h>

#include "config.h"
#include "log.h"
#include "tenant_sync.h"

/*
 * Compile `cfg`, resolve its VTEPs, read the dataplane's domains and VTEPs
 * and plan, into `ts` (zeroed first; ts->ok on success). `ports`: the
 * dataplane's port-list; `gone`: names whose tables do not count; `flows`:
 * its tenant rules; `macs`: read where it learned MACs too (mac-list, the
 * full reconcile). Compiler warnings are logged at `warn_level`. 0,
 * -EREMOTEIO (err), -ENOTCONN, -ENOMEM.
 */
int vsw_tenant_prepare(struct vsw_control *ctl, const struct vsw_config *cfg,
		       const json_t *ports, const char *const *gone, size_t n_gone,
		       const char *const *flows, size_t n_flows, bool macs,
		       enum vsw_log_level warn_level, struct vsw_tenant_sync *ts, char *err,
		       size_t errlen);
/*
 * The dataplane's tenant rules: the ones last applied to this dataplane
 * instance, or its flow-list's (then *list holds them and *flows is the
 * caller's to free). 0 or -errno as vsw_dpconn_call().
 */
int vsw_tenant_have_flows(struct vsw_control *ctl, json_t **list, const char ***flows,
			  size_t *n, char *err, size_t errlen);

/*
 * Resolve every VTEP of `c` through cfg's uplink interface (a refresh of
 * them all; the answers `st` has are the "before" of each when the
 * interface is the same). *res (sorted like
 * c->vtep_ips) is the caller's to free, or to give to vsw_vtep_commit().
 * ifname/why: the interface, or "" and why there is none. 0 or -ENOMEM.
 */
int vsw_vtep_resolve_all(struct vsw_tenant_state *st, const struct vsw_config *cfg,
			 const struct vsw_compiled *c, struct vsw_underlay_vtep **res, char ifname[16],
			 char why[128]);
/* These are the VTEPs in use now (takes `res`). */
void vsw_vtep_commit(struct vsw_tenant_state *st, struct vsw_underlay_vtep *res, size_t n,
		     const char *ifname, const char *why);
/* What the dataplane should have for them. */
void vsw_vtep_wants(const struct vsw_underlay_vtep *res, size_t n, struct vsw_vtep_want *out);

#endif
