/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CTL_H
#define VSW_CTL_H

/*
 * DOC: the dataplane's control socket
 *
 * RUN_DIR/dataplane.sock (0600; 0660 with group vsw when it exists) speaks
 * the protocol of control/proto/ (PROTOCOL.md, "vsw-dataplane"). ctl.c runs
 * the poll loop on the main lcore; ctl_cmds.c (hello, ports), ctl_flows.c
 * (flows, tables), ctl_domains.c (L2 domains, MACs), ctl_vteps.c (vxlan
 * ports, VTEPs), ctl_ops.c (log-level), ctl_mirror.c (mirrors) and ctl_pmd.c
 * (pmd-stats) hold the command tables; the loop also runs the MAC aging
 * sweep about once a second. `capture-start` turns its connection into a capture stream that
 * capture.c serves from then on (capture.h); while one runs the loop comes
 * round every millisecond. Handlers run on the main lcore, the one writer
 * of ports, flows, domains, VTEPs and mirrors; a handler that changes what
 * PMDs read publishes a new snapshot (or sets a miss policy) and returns
 * after the grace period, so when the reply is sent, no packet is handled
 * by the old state any more.
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
extern const struct vsw_ctl_cmd vsw_ctl_domain_cmds[]; /* domain-*, mac-* (ctl_domains.c) */

/*
 * Ports and domains (ctl_domains.c): before a port set is published, point
 * the domains' members at its ports (publishing them if any changed); after
 * a port left, forget the MACs learned on it. 0 or -ENOMEM (nothing changed).
 */
int vsw_ctl_domains_resolve(struct vsw_dp *dp, const struct vsw_portset *ports);
void vsw_ctl_macs_forget_port(struct vsw_dp *dp, uint32_t port_no);
/* Free every domain (shutdown, PMDs stopped). */
void vsw_ctl_del_all_domains(struct vsw_dp *dp);
extern const struct vsw_ctl_cmd vsw_ctl_vtep_cmds[]; /* vtep-* (ctl_vteps.c) */

/* port-add of a vxlan port, after name and number were checked (ctl_vteps.c). */
json_t *vsw_ctl_vxlan_port_add(struct vsw_dp *dp, json_t *req, const char *name, uint32_t no,
			       uint8_t table, uint16_t mtu);
/* A vxlan port's port-list entry: its own keys instead of mode and path. */
void vsw_ctl_vxlan_port_json(const struct vsw_port *x, json_t *obj);
extern const struct vsw_ctl_cmd vsw_ctl_ops_cmds[]; /* log-level (ctl_ops.c) */
extern const struct vsw_ctl_cmd vsw_ctl_mirror_cmds[]; /* mirror-* (ctl_mirror.c) */
extern const struct vsw_ctl_cmd vsw_ctl_pmd_cmds[]; /* pmd-stats* (ctl_pmd.c) */

/* Remove every port (shutdown). */
void vsw_ctl_del_all_ports(struct vsw_dp *dp);
/* Remove every mirror (shutdown). */
void vsw_ctl_del_all_mirrors(struct vsw_dp *dp);

#endif
