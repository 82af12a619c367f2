/* SPDX-License-Identifier: BSD-3-Clause */
/* What the tenant tests share: the model as text, to compare whole models. */
#include "model_text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of `text` in sorted order: models are sets, their arrays' order is not kept. */
static char *sorted(char *text)
{
	char *lines[4096], *out, *save = NULL;
	size_t n = 0, len = strlen(text) + 1;

	out = malloc(len);
	assert_non_null(out);
	for (char *l = strtok_r(text, "\n", &save); l && n < 4096; l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	qsort(lines, n, sizeof(lines[0]), cmp_line);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	free(text);
	return out;
}

/* Everything of the model a tenant command may touch, as text. */
char *snapshot(const struct vsw_config *cfg)
{
	char *buf, text[VSW_TRUNKS_TEXT_MAX], ips[VSW_IPS_TEXT_MAX], ip[VSW_IPV4_TEXT_MAX];
	char mac[VSW_MAC_TEXT_MAX];
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const struct vsw_port_cfg *p = &cfg->ports[i];

		assert_true(vsw_trunks_format(p->tenant.trunks, text, sizeof(text)) >= 0);
		assert_true(vsw_ips_format(p->tenant.ips, p->tenant.n_ips, ips, sizeof(ips)) >= 0);
		vsw_mac_format(p->tenant.mac, mac);
		fprintf(f, "port %s %u %s '%s' '%s' '%s' tenant=%s mode=%d trunks=%s mac=%d:%s "
			"ips=%s\n", p->name, p->port_no, p->type, p->mode, p->path, p->devargs,
			p->tenant.tenant, p->tenant.mode, text, p->tenant.has_mac, mac, ips);
	}
	for (size_t i = 0; i < cfg->n_numbers; i++)
		fprintf(f, "number %s %u\n", cfg->numbers[i].name, cfg->numbers[i].port_no);
	for (size_t i = 0; i < cfg->n_tenants; i++)
		fprintf(f, "tenant %s %u vlan=%u vni=%u limit=%u\n", cfg->tenants[i].name,
			cfg->tenants[i].id, cfg->tenants[i].vlan, cfg->tenants[i].vni,
			cfg->tenants[i].mac_limit);
	for (size_t i = 0; i < cfg->n_tenant_numbers; i++)
		fprintf(f, "tenant number %s %u\n", cfg->tenant_numbers[i].name,
			cfg->tenant_numbers[i].id);
	for (size_t i = 0; i < cfg->n_vteps; i++) {
		vsw_ipv4_format(cfg->vteps[i].ip, ip);
		fprintf(f, "vtep %s %s\n", cfg->vteps[i].tenant, ip);
	}
	for (size_t i = 0; i < cfg->n_acls; i++)
		fprintf(f, "acl %s %u %u %d '%s'\n", cfg->acls[i].tenant, cfg->acls[i].id,
			cfg->acls[i].priority, cfg->acls[i].allow, cfg->acls[i].match);
	vsw_ipv4_format(cfg->uplink.local_ip, ip);
	vsw_mac_format(cfg->uplink.nexthop, mac);
	fprintf(f, "uplink '%s' %d %s nexthop %d %s\n", cfg->uplink.port,
		cfg->uplink.has_local_ip, ip, cfg->uplink.has_nexthop, mac);
	fprintf(f, "flows %zu\n", cfg->n_flows);
	fclose(f);
	return sorted(buf);
}

