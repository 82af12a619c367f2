/* SPDX-License-Identifier: BSD-3-Clause */
/* The configuration as tenant intent: see intent.h. */
#include "intent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		.vxlan_port_no = vsw_config_number_of(cfg, VSW_VXLAN_PORT_NAME),
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

/* The value of `key=` in a comma-separated devargs string. */
static int devargs_value(const char *devargs, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = devargs; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		size_t n;

		if (strncmp(p, key, klen) || p[klen] != '=')
			continue;
		p += klen + 1;
		n = strcspn(p, ",");
		if (!n || n >= len)
			return -EINVAL;
		memcpy(buf, p, n);
		buf[n] = 0;
		return 0;
	}
	return -ENOENT;
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
	if (strcmp(p->type, "tap") == 0) {
		snprintf(buf, len, "%s", p->name);
		return 0;
	}
	if (strcmp(p->type, "dpdk") == 0 && devargs_value(p->devargs, "iface", buf, len) == 0)
		return 0;
	snprintf(why, whylen, "uplink '%s' (%s) has no kernel interface", p->name, p->type);
	return -EINVAL;
}
