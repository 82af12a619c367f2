/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant model: names, ids, the copy a command changes, tenants.
 * Ports' attachments, the uplink and user flows: config_attach.c; VTEPs and
 * ACLs: config_acl.c. See config.h and TENANTS.md.
 */
#include "config.h"
#include "errtext.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* ---- names and lookups ---- */

int vsw_tenant_name_check(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);

	if (len == 0)
		return vsw_fail(err, errlen, "tenant name must not be empty");
	if (len > VSW_TENANT_NAME_MAX)
		return vsw_fail(err, errlen, "tenant name '%.64s%s' is too long (at most %d characters)",
				name, len > 64 ? "..." : "", VSW_TENANT_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return vsw_fail(err, errlen,
					"tenant name '%s': only letters, digits, '_', '.' and '-' are allowed",
					name);
	}
	if (strcasecmp(name, "none") == 0)
		return vsw_fail(err, errlen, "tenant name '%s' is reserved", name);
	return 0;
}

struct vsw_tenant_cfg *vsw_config_find_tenant(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_tenants; i++)
		if (strcmp(cfg->tenants[i].name, name) == 0)
			return &cfg->tenants[i];
	return NULL;
}

uint32_t vsw_config_tenant_id_of(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_tenant_numbers; i++)
		if (strcmp(cfg->tenant_numbers[i].name, name) == 0)
			return cfg->tenant_numbers[i].id;
	return 0;
}

const char *vsw_config_tenant_name_of(const struct vsw_config *cfg, uint32_t id)
{
	for (size_t i = 0; i < cfg->n_tenant_numbers; i++)
		if (cfg->tenant_numbers[i].id == id)
			return cfg->tenant_numbers[i].name;
	return NULL;
}

const struct vsw_tenant_cfg *vsw_config_port_tenant(const struct vsw_config *cfg,
						    const struct vsw_port_cfg *port)
{
	return port && port->tenant.tenant[0] ? vsw_config_find_tenant(cfg, port->tenant.tenant) :
						NULL;
}

bool vsw_config_is_uplink(const struct vsw_config *cfg, const char *port)
{
	return cfg->uplink.port[0] && strcmp(cfg->uplink.port, port) == 0;
}

bool vsw_config_cookie_owner(const struct vsw_config *cfg, uint64_t cookie, char *buf,
			     size_t len)
{
	uint32_t id = (uint32_t)(cookie >> 16 & 0xffffff);
	const char *name;

	if ((cookie & VSW_COOKIE_TENANT_MASK) != VSW_COOKIE_TENANT)
		return false;
	name = vsw_config_tenant_name_of(cfg, id);
	if (name)
		snprintf(buf, len, "tenant=%s", name);
	else
		snprintf(buf, len, "tenant=#%" PRIu32, id);
	return true;
}

/* ---- the copy a command changes ---- */

static int dup_array(void **dst, size_t *cap, const void *src, size_t n, size_t size)
{
	*cap = n + 1; /* room for the one element most changes add */
	*dst = malloc(*cap * size);
	if (!*dst)
		return -ENOMEM;
	if (n)
		memcpy(*dst, src, n * size);
	return 0;
}

int vsw_config_copy_intent(const struct vsw_config *cfg, struct vsw_config *next)
{
	vsw_config_init(next);
	next->flows_borrowed = true;
	next->flows = cfg->flows;
	next->n_flows = cfg->n_flows;
	next->cap_flows = cfg->cap_flows;
	next->index = cfg->index;
	next->n_timed = cfg->n_timed;
	next->n_idle = cfg->n_idle;
	memcpy(next->miss, cfg->miss, sizeof(next->miss));
	next->uplink = cfg->uplink;
	next->n_ports = cfg->n_ports;
	next->n_numbers = cfg->n_numbers;
	next->n_tenants = cfg->n_tenants;
	next->n_tenant_numbers = cfg->n_tenant_numbers;
	next->n_vteps = cfg->n_vteps;
	next->n_acls = cfg->n_acls;
	if (dup_array((void **)&next->ports, &next->cap_ports, cfg->ports, cfg->n_ports,
		      sizeof(*cfg->ports)) ||
	    dup_array((void **)&next->numbers, &next->cap_numbers, cfg->numbers, cfg->n_numbers,
		      sizeof(*cfg->numbers)) ||
	    dup_array((void **)&next->tenants, &next->cap_tenants, cfg->tenants, cfg->n_tenants,
		      sizeof(*cfg->tenants)) ||
	    dup_array((void **)&next->tenant_numbers, &next->cap_tenant_numbers,
		      cfg->tenant_numbers, cfg->n_tenant_numbers, sizeof(*cfg->tenant_numbers)) ||
	    dup_array((void **)&next->vteps, &next->cap_vteps, cfg->vteps, cfg->n_vteps,
		      sizeof(*cfg->vteps)) ||
	    dup_array((void **)&next->acls, &next->cap_acls, cfg->acls, cfg->n_acls,
		      sizeof(*cfg->acls))) {
		vsw_config_free(next);
		return -ENOMEM;
	}
	return 0;
}

#define TAKE(field)                                  \
	do {                                         \
		free(cfg->field);                    \
		cfg->field = next->field;            \
		cfg->n_##field = next->n_##field;    \
		cfg->cap_##field = next->cap_##field; \
		next->field = NULL;                  \
	} while (0)

void vsw_config_take_intent(struct vsw_config *cfg, struct vsw_config *next)
{
	TAKE(ports);
	TAKE(numbers);
	TAKE(tenants);
	TAKE(tenant_numbers);
	TAKE(vteps);
	TAKE(acls);
	cfg->uplink = next->uplink;
	memcpy(cfg->miss, next->miss, sizeof(cfg->miss));
	vsw_config_free(next); /* only what is left: nothing */
}

#undef TAKE

/* ---- VLANs and VNIs: whose are they ---- */

void vsw_config_vlan_owners(const struct vsw_config *cfg, const struct vsw_port_cfg *skip,
			    uint16_t owner[4096])
{
	memset(owner, 0, 4096 * sizeof(owner[0]));
	for (size_t i = 0; i < cfg->n_tenants; i++)
		if (cfg->tenants[i].vlan && cfg->tenants[i].vlan < 4096)
			owner[cfg->tenants[i].vlan] = (uint16_t)(i + 1);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const struct vsw_port_cfg *p = &cfg->ports[i];
		const struct vsw_tenant_cfg *t = vsw_config_port_tenant(cfg, p);

		if (p == skip || !t || p->tenant.mode != VSW_VLAN_TRUNK)
			continue;
		for (unsigned byte = 0; byte < sizeof(p->tenant.trunks); byte++) {
			if (!p->tenant.trunks[byte])
				continue;
			for (unsigned v = byte * 8; v < byte * 8 + 8; v++)
				if (vsw_trunk_has(&p->tenant, (uint16_t)v) && !owner[v])
					owner[v] = (uint16_t)(t - cfg->tenants + 1);
		}
	}
}

static const struct vsw_tenant_cfg *vni_owner(const struct vsw_config *cfg, uint32_t vni)
{
	for (size_t i = 0; vni && i < cfg->n_tenants; i++)
		if (cfg->tenants[i].vni == vni)
			return &cfg->tenants[i];
	return NULL;
}

/* Range and ownership of a new tenant's numbers. */
static int check_tenant_numbers(const struct vsw_config *cfg, int64_t vlan, int64_t vni,
				int64_t mac_limit, char *err, size_t errlen)
{
	uint16_t *owner;
	const struct vsw_tenant_cfg *other;

	if (vlan < 0 || vlan > 4094)
		return vsw_fail(err, errlen, "vlan %" PRId64 " out of range 1..4094", vlan);
	if (vni < 0 || vni > VSW_VNI_MAX)
		return vsw_fail(err, errlen, "vni %" PRId64 " out of range 1..%d", vni, VSW_VNI_MAX);
	if (mac_limit < 1 || mac_limit > VSW_MAC_LIMIT_MAX)
		return vsw_fail(err, errlen, "mac_limit %" PRId64 " out of range 1..%d", mac_limit,
				VSW_MAC_LIMIT_MAX);
	if (vlan) {
		owner = malloc(4096 * sizeof(*owner));
		if (!owner)
			return vsw_fail(err, errlen, "out of memory");
		vsw_config_vlan_owners(cfg, NULL, owner);
		other = owner[vlan] ? &cfg->tenants[owner[vlan] - 1] : NULL;
		free(owner);
		if (other)
			return vsw_fail(err, errlen, "vlan %" PRId64 " is used by tenant '%s'", vlan,
					other->name);
	}
	other = vni_owner(cfg, (uint32_t)vni);
	if (other)
		return vsw_fail(err, errlen, "vni %" PRId64 " is used by tenant '%s'", vni, other->name);
	return 0;
}

/* ---- tenants ---- */

/* The id of a tenant name: kept from before, or the lowest never given. 0: none left. */
static uint32_t id_for(const struct vsw_config *cfg, const char *name)
{
	uint32_t id = vsw_config_tenant_id_of(cfg, name);
	uint8_t used[VSW_TENANT_ID_MAX + 1] = { 0 };

	if (id)
		return id;
	for (size_t i = 0; i < cfg->n_tenant_numbers; i++)
		if (cfg->tenant_numbers[i].id <= VSW_TENANT_ID_MAX)
			used[cfg->tenant_numbers[i].id] = 1;
	for (id = 1; id <= VSW_TENANT_ID_MAX; id++)
		if (!used[id])
			return id;
	return 0;
}

static int add_tenant_number(struct vsw_config *cfg, const char *name, uint32_t id)
{
	struct vsw_tenant_number *n;

	if (vsw_config_grow((void **)&cfg->tenant_numbers, &cfg->cap_tenant_numbers, cfg->n_tenant_numbers,
		 sizeof(*cfg->tenant_numbers)))
		return -ENOMEM;
	n = &cfg->tenant_numbers[cfg->n_tenant_numbers++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->id = id;
	return 0;
}

/* Append a checked tenant (its number recorded too). 0 or -ENOMEM, cfg unchanged then. */
static int put_tenant(struct vsw_config *cfg, const struct vsw_tenant_cfg *t)
{
	if (vsw_config_grow((void **)&cfg->tenants, &cfg->cap_tenants, cfg->n_tenants, sizeof(*t)) ||
	    vsw_config_grow((void **)&cfg->tenant_numbers, &cfg->cap_tenant_numbers, cfg->n_tenant_numbers,
		 sizeof(*cfg->tenant_numbers)))
		return -ENOMEM;
	if (!vsw_config_tenant_id_of(cfg, t->name))
		add_tenant_number(cfg, t->name, t->id); /* room made above */
	cfg->tenants[cfg->n_tenants++] = *t;
	return 0;
}

int vsw_config_add_tenant(struct vsw_config *cfg, const char *name, int64_t vlan, int64_t vni,
			  int64_t mac_limit, char *err, size_t errlen)
{
	struct vsw_tenant_cfg t;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = vsw_tenant_name_check(name, err, errlen);
	if (rc)
		return rc;
	if (vsw_config_find_tenant(cfg, name))
		return vsw_fail(err, errlen, "tenant '%s' already exists", name);
	rc = check_tenant_numbers(cfg, vlan, vni, mac_limit, err, errlen);
	if (rc)
		return rc;
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.id = id_for(cfg, name);
	if (!t.id)
		return vsw_fail(err, errlen, "no tenant id left (all of 1..%d have been used)",
				VSW_TENANT_ID_MAX);
	t.vlan = (uint16_t)vlan;
	t.vni = (uint32_t)vni;
	t.mac_limit = (uint32_t)mac_limit;
	return put_tenant(cfg, &t) ? vsw_fail(err, errlen, "out of memory") : 0;
}

/* "vm1, vm2, ..." of the ports in tenant `name`; how many. */
static size_t port_list(const struct vsw_config *cfg, const char *name, char *buf, size_t len)
{
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < cfg->n_ports; i++) {
		if (strcmp(cfg->ports[i].tenant.tenant, name) != 0)
			continue;
		if (used + VSW_PORT_NAME_MAX + 8 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", n ? ", " : "",
						 cfg->ports[i].name);
		else if (used + 6 < len && !strstr(buf, "..."))
			used += (size_t)snprintf(buf + used, len - used, ", ...");
		n++;
	}
	return n;
}

int vsw_config_del_tenant(struct vsw_config *cfg, const char *name, bool force,
			  size_t *n_detached, char *err, size_t errlen)
{
	struct vsw_tenant_cfg *t = vsw_config_find_tenant(cfg, name);
	char ports[160];
	size_t n, out;

	*n_detached = 0;
	if (!t)
		return vsw_fail(err, errlen, "no tenant '%.64s'", name);
	n = port_list(cfg, name, ports, sizeof(ports));
	if (n && !force)
		return vsw_fail(err, errlen,
				"tenant '%s' has ports (%s); detach them (set-port PORT tenant=none) or use --force",
				name, ports);
	for (size_t i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].tenant.tenant, name) == 0)
			memset(&cfg->ports[i].tenant, 0, sizeof(cfg->ports[i].tenant));
	out = 0;
	for (size_t i = 0; i < cfg->n_vteps; i++)
		if (strcmp(cfg->vteps[i].tenant, name) != 0)
			cfg->vteps[out++] = cfg->vteps[i];
	cfg->n_vteps = out;
	out = 0;
	for (size_t i = 0; i < cfg->n_acls; i++)
		if (strcmp(cfg->acls[i].tenant, name) != 0)
			cfg->acls[out++] = cfg->acls[i];
	cfg->n_acls = out;
	memmove(t, t + 1, (size_t)(cfg->tenants + cfg->n_tenants - t - 1) * sizeof(*t));
	cfg->n_tenants--;
	*n_detached = n;
	return 0;
}

/* ---- loading ---- */

int vsw_config_load_tenant_number(struct vsw_config *cfg, const char *name, int64_t id,
				  char *err, size_t errlen)
{
	const char *other;
	int rc = vsw_tenant_name_check(name, err, errlen);

	if (rc)
		return rc;
	if (id < 1 || id > VSW_TENANT_ID_MAX)
		return vsw_fail(err, errlen, "tenant id %" PRId64 " out of range 1..%d", id,
				VSW_TENANT_ID_MAX);
	if (vsw_config_tenant_id_of(cfg, name))
		return vsw_fail(err, errlen, "name '%s' numbered twice", name);
	other = vsw_config_tenant_name_of(cfg, (uint32_t)id);
	if (other)
		return vsw_fail(err, errlen, "tenant id %" PRId64 " given to both '%s' and '%s'", id,
				other, name);
	return add_tenant_number(cfg, name, (uint32_t)id) ? vsw_fail(err, errlen, "out of memory") : 0;
}

int vsw_config_load_tenant(struct vsw_config *cfg, const char *name, int64_t vlan, int64_t vni,
			   int64_t mac_limit, char *err, size_t errlen)
{
	struct vsw_tenant_cfg t;
	int rc = vsw_tenant_name_check(name, err, errlen);

	if (rc)
		return rc;
	if (vsw_config_find_tenant(cfg, name))
		return vsw_fail(err, errlen, "tenant '%s' stored twice", name);
	memset(&t, 0, sizeof(t));
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.id = vsw_config_tenant_id_of(cfg, name);
	if (!t.id)
		return vsw_fail(err, errlen, "tenant '%s' has no id", name);
	rc = check_tenant_numbers(cfg, vlan, vni, mac_limit, err, errlen);
	if (rc)
		return rc;
	t.vlan = (uint16_t)vlan;
	t.vni = (uint32_t)vni;
	t.mac_limit = (uint32_t)mac_limit;
	return put_tenant(cfg, &t) ? vsw_fail(err, errlen, "out of memory") : 0;
}
