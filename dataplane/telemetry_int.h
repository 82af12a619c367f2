/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TELEMETRY_INT_H
#define VSW_TELEMETRY_INT_H

/*
 * Inside telemetry (telemetry.h): the reader discipline and the column
 * helpers shared by telemetry.c and the commands of telemetry_*.c.
 */

#include <rte_telemetry.h>

#include "dp.h"
#include "telemetry_fit.h"

/* Lock, and be an RCU reader. NULL (and unlocked) when not serving. */
struct vsw_dp *vsw_tel_enter(void);
void vsw_tel_leave(struct vsw_dp *dp);

/* An empty array of `type`, to fill and add as one column (NULL: no memory). */
struct rte_tel_data *vsw_tel_column(enum rte_tel_value_type type);
/* Add column c (consumed; NULL gives -ENOMEM) to dict d under `name`. 0 or -ENOMEM. */
int vsw_tel_add_column(struct rte_tel_data *d, const char *name, struct rte_tel_data *c);

/* The commands of telemetry_flows.c and telemetry_l2.c. */
int vsw_tel_flows(const char *cmd, const char *params, struct rte_tel_data *d);
int vsw_tel_vhost(const char *cmd, const char *params, struct rte_tel_data *d);
int vsw_tel_mirrors(const char *cmd, const char *params, struct rte_tel_data *d);
int vsw_tel_domains(const char *cmd, const char *params, struct rte_tel_data *d);

#endif
