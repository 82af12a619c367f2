/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CTL_H
#define VSW_CTL_H

/*
 * DOC: the dataplane's control socket
 *
 * RUN_DIR/dataplane.sock (0600) speaks the protocol of control/proto/
 * (PROTOCOL.md, "vsw-dataplane"). ctl.c runs the poll loop on the main lcore;
 * ctl_cmds.c holds the command table. Handlers run on the main lcore, the one
 * writer of ports and flows; a handler that changes what PMDs read publishes
 * a new snapshot and returns after the grace period, so when the reply is
 * sent, no packet is handled by the old state any more.
 */

#include <jansson.h>

#include "dp.h"

struct vsw_ctl_cmd {
	const char *name;
	json_t *(*handler)(struct vsw_dp *dp, json_t *req);
	bool read_only;
};

/* The command table (ctl_cmds.c), terminated by a NULL name. */
extern const struct vsw_ctl_cmd vsw_ctl_cmds[];

/* Remove every port (shutdown). */
void vsw_ctl_del_all_ports(struct vsw_dp *dp);

#endif
