/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_CONTROL_INTENT_H
#define VSW_CONTROL_INTENT_H

/*
 * The configuration seen as tenant intent (compile.h's struct vsw_intent):
 * views into struct vsw_config, nothing copied but the list of ports. The
 * only place that knows where the tenant model lives in the configuration.
 * Also the uplink's kernel interface, which underlay resolution needs.
 */

#include <stddef.h>

#include "compile.h"
#include "config.h"

/* Fill `in` from `cfg`; cfg must outlive it. 0 or -ENOMEM. */
int vsw_intent_from_config(const struct vsw_config *cfg, struct vsw_intent *in);
void vsw_intent_free(struct vsw_intent *in);

/*
 * The number of the VXLAN port (VSW_VXLAN_PORT_NAME), whether it exists now
 * or not: user flows may not output there (config_attach.c).
 */
uint32_t vsw_intent_vxlan_port_no(const struct vsw_config *cfg);

/* vsw_intent_from_config() + vsw_compile(). 0 or -ENOMEM. */
int vsw_compile_config(const struct vsw_config *cfg, struct vsw_compiled *out);

/*
 * The uplink's kernel interface (vsw_underlay_port_ifname(): a "tap" port's
 * own name, or the iface= of a "dpdk" port's devargs). `len` >= 16. 0, or
 * -ENOENT (no uplink) / -EINVAL (no kernel interface) with the reason in
 * `why`.
 */
int vsw_uplink_ifname(const struct vsw_config *cfg, char *buf, size_t len, char *why,
		      size_t whylen);

#endif
