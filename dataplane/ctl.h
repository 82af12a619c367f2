/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CTL_H
#define VSW_CTL_H

/*
 * DOC: the dataplane's control socket
 *
 * RUN_DIR/dataplane.sock (0600) speaks the protocol of control/proto/
 * (PROTOCOL.md, "vsw-dataplane"). ctl.c runs the poll loop on the main lcore;
 * ctl_cmds.c (hello, ports), ctl_flows.c (flows, tables) and ctl_pmd.c
 * (pmd-stats) hold the command tables. Handlers run on the main lcore, the one writer of ports and flows;
 * a handler that changes what PMDs read publishes a new snapshot (or sets a
 * miss policy) and returns after the grace period, so when the reply is
 * sent, no packet is handled by the old state any more.
 */

#include <jansson.h>

#include "dp.h"

struct vsw_ctl_cmd {
	const char *name;
	json_t *(*handler)(struct vsw_dp *dp, json_t *req);
	bool read_only;
};

/* Command tables, one per group, each terminated by a NULL name. */
extern const struct vsw_ctl_cmd vsw_ctl_port_cmds[]; /* hello, port-* (ctl_cmds.c) */
extern const struct vsw_ctl_cmd vsw_ctl_flow_cmds[]; /* flow-*, table-* (ctl_flows.c) */
extern const struct vsw_ctl_cmd vsw_ctl_pmd_cmds[]; /* pmd-stats* (ctl_pmd.c) */

/* Remove every port (shutdown). */
void vsw_ctl_del_all_ports(struct vsw_dp *dp);

#endif
