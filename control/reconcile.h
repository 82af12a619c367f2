/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_RECONCILE_H
#define VSW_CONTROL_RECONCILE_H

/*
 * The difference between what the configuration wants and what the dataplane
 * has: a pure function (no I/O, no globals), so it is unit tested on its own.
 * sync.c lists the dataplane, calls vsw_reconcile() and carries the plan out.
 *
 * Ports are matched by name. A port the dataplane lacks is added; one it has
 * but the configuration does not is deleted; one whose number, type, mode or
 * path differ is deleted and added again. Ports that are right are not in the
 * plan, so their traffic is never touched.
 *
 * Flows are compared by canonical text (vsw_flow_format(), numeric ports).
 * A wanted text the dataplane lacks is added. A dataplane text the
 * configuration lacks is deleted (strictly) -- unless a wanted flow has the
 * same rule identity (table, priority, match): then adding the wanted flow
 * replaces it, and deleting it too would remove what was just added (or, if
 * done first, leave a gap in forwarding).
 *
 * Tables: a table whose miss policy differs gets a table-mod. Both sides are
 * arrays of VSW_FT_N_TABLES policies (enum vsw_table_miss); when either is
 * NULL (the dataplane would not list its tables) tables are not compared.
 *
 * Execution order: port_del, table_mod, flow_del and flow_add, port_add.
 * Deleting first frees the numbers and paths that re-added ports need; the
 * flow changes go to the dataplane as one flow-batch, so it never forwards
 * with some of them done and others not; ports come last so that a port
 * that starts its pipeline at a tenant table finds its rules there (sync.c
 * adds the tenant steps around these, tenant_sync.h).
 *
 * The plan points into the inputs; keep them alive while using it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct vsw_reconcile_input {
	const struct vsw_port_cfg *want_ports;
	size_t n_want_ports;
	const struct vsw_port_cfg *have_ports;
	size_t n_have_ports;
	const char *const *want_flows; /* canonical texts */
	size_t n_want_flows;
	const char *const *have_flows;
	size_t n_have_flows;
	const uint8_t *want_miss; /* VSW_FT_N_TABLES entries, or NULL */
	const uint8_t *have_miss;
};

struct vsw_reconcile_plan {
	const struct vsw_port_cfg **port_del; /* into have_ports */
	size_t n_port_del;
	const struct vsw_port_cfg **port_add; /* into want_ports */
	size_t n_port_add;
	const char **flow_del; /* into have_flows: strict-delete these rules */
	size_t n_flow_del;
	const char **flow_add; /* into want_flows */
	size_t n_flow_add;
	size_t n_flow_replace; /* of flow_add, how many replace a dataplane rule */
	uint8_t table_mod[VSW_FT_N_TABLES]; /* tables whose miss policy must become want_miss[t] */
	size_t n_table_mod;
};

/* Compute the plan (zeroed first). 0 or -ENOMEM. */
int vsw_reconcile(const struct vsw_reconcile_input *in, struct vsw_reconcile_plan *plan);
void vsw_reconcile_plan_free(struct vsw_reconcile_plan *plan);
bool vsw_reconcile_plan_empty(const struct vsw_reconcile_plan *plan);

#endif
