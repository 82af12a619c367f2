/* SPDX-License-Identifier: BSD-3-Clause */
/* The configuration as tenant intent: see intent.h. */
#include "intent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "underlay.h"

/*
 * The VXLAN port's number: the name's if it was ever given one, else the
 * highest number no name has had. New names take the lowest number never
 * used, so this one stays put unless tens of thousands of names come;
 * should one take it, the VXLAN port moves to the next one down (tenant
 * sync re-creates it there).
 */
uint32_t vsw_intent_vxlan_port_no(const struct vsw_config *cfg)
{
	uint32_t no = vsw_config_number_of(cfg, VSW_VXLAN_PORT_NAME);

	for (no = no ? no : VSW_PORT_MAX; no > 0; no--)
		if (!vsw_config_name_of(cfg, no) ||
		    strcmp(vsw_config_name_of(cfg, no), VSW_VXLAN_PORT_NAME) == 0)
			return no;
	return 0;
}

int vsw_intent_from_config(const struct vsw_config *cfg, struct vsw_intent *in)
{
	struct vsw_intent_port *ports = calloc(cfg->n_ports + 1, sizeof(*ports));

	memset(in, 0, sizeof(*in));
	if (!ports)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->n_ports; i++)
		ports[i] = (struct vsw_intent_port){ cfg->ports[i].name, cfg->ports[i].port_no,
						     &cfg->ports[i].tenant };
	uint32_t uplink_no = cfg->uplink.port[0] ? vsw_config_number_of(cfg, cfg->uplink.port) : 0;

	*in = (struct vsw_intent){
		.tenants = cfg->tenants, .n_tenants = cfg->n_tenants,
		.ports = ports, .n_ports = cfg->n_ports,
		.uplink = &cfg->uplink,
		.uplink_port_no = uplink_no,
		.vxlan_port_no = vsw_intent_vxlan_port_no(cfg),
		.vteps = cfg->vteps, .n_vteps = cfg->n_vteps,
		.acls = cfg->acls, .n_acls = cfg->n_acls,
	};
	return 0;
}

void vsw_intent_free(struct vsw_intent *in)
{
	free((void *)in->ports);
	memset(in, 0, sizeof(*in));
}

int vsw_compile_config(const struct vsw_config *cfg, struct vsw_compiled *out)
{
	struct vsw_intent in;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vsw_intent_from_config(cfg, &in);
	if (rc)
		return rc;
	rc = vsw_compile(&in, out);
	vsw_intent_free(&in);
	return rc;
}

int vsw_uplink_ifname(const struct vsw_config *cfg, char *buf, size_t len, char *why,
		      size_t whylen)
{
	const struct vsw_port_cfg *p;

	buf[0] = 0;
	if (!cfg->uplink.port[0]) {
		snprintf(why, whylen, "no uplink");
		return -ENOENT;
	}
	p = vsw_config_find_port(cfg, cfg->uplink.port);
	if (!p) {
		snprintf(why, whylen, "uplink '%s' is not a port", cfg->uplink.port);
		return -ENOENT;
	}
	if (len >= 16 && vsw_underlay_port_ifname(p->type, p->name, p->devargs, buf) == 0)
		return 0;
	buf[0] = 0;
	snprintf(why, whylen, "uplink '%s' (%s) has no kernel interface", p->name, p->type);
	return -EINVAL;
}
