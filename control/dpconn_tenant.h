/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_DPCONN_TENANT_H
#define VSW_CONTROL_DPCONN_TENANT_H

/*
 * The dataplane's tenant messages (PROTOCOL.md, "Tenants"): L2 domains,
 * VTEPs, learned MACs, a port's start table and the VXLAN port; and their
 * JSON forms <-> the compiler's structs. Calls return as vsw_dpconn_call():
 * 0, -EREMOTEIO (refused, err set) or -ENOTCONN.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "compile.h"
#include "dpconn.h"

int vsw_dpconn_domain_set(struct vsw_dpconn *dp, const struct vsw_cdomain *d, char *err,
			  size_t errlen);
int vsw_dpconn_domain_del(struct vsw_dpconn *dp, uint32_t id, char *err, size_t errlen);
/* *arr: the reply's array (a new reference). */
int vsw_dpconn_domain_list(struct vsw_dpconn *dp, json_t **arr, char *err, size_t errlen);
/* mac NULL: unresolved (sent as null). */
int vsw_dpconn_vtep_set(struct vsw_dpconn *dp, uint32_t ip, const uint8_t *mac, char *err,
			size_t errlen);
int vsw_dpconn_vtep_del(struct vsw_dpconn *dp, uint32_t ip, char *err, size_t errlen);
int vsw_dpconn_vtep_list(struct vsw_dpconn *dp, json_t **arr, char *err, size_t errlen);
/* domain 0: every domain. */
int vsw_dpconn_mac_list(struct vsw_dpconn *dp, uint32_t domain, json_t **arr, char *err,
			size_t errlen);
int vsw_dpconn_port_mod_table(struct vsw_dpconn *dp, const char *name, unsigned table,
			      char *err, size_t errlen);
/* port-add of the VXLAN port, starting at `table`. */
int vsw_dpconn_vxlan_add(struct vsw_dpconn *dp, const struct vsw_cvxlan *x, unsigned table,
			 char *err, size_t errlen);

/* What a domain-list entry said besides id, vni, members and vteps. */
enum {
	VSW_DOMAIN_HAS_MAC_LIMIT = 1u << 0,
	VSW_DOMAIN_HAS_AGING = 1u << 1,
};

/*
 * domain-list entry -> domain (members and vteps allocated and sorted; free
 * with vsw_cdomain_fini()). *has: VSW_DOMAIN_HAS_* for the optional
 * attributes it listed. 0, -EINVAL (malformed) or -ENOMEM.
 */
int vsw_cdomain_from_json(const json_t *e, struct vsw_cdomain *d, unsigned *has);
void vsw_cdomain_fini(struct vsw_cdomain *d);

/* vtep-list entry -> ip (network order), mac (resolved: non-null). 0 or -EINVAL. */
int vsw_vtep_from_json(const json_t *e, uint32_t *ip, bool *resolved, uint8_t mac[6]);

#endif
