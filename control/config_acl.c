/* SPDX-License-Identifier: BSD-3-Clause */
/* The tenant model's VTEPs and ACLs. See config.h and TENANTS.md. */
#include "config.h"
#include "errtext.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct vsw_tenant_cfg *tenant_or_fail(const struct vsw_config *cfg,
						   const char *name, int *rc, char *err,
						   size_t errlen)
{
	const struct vsw_tenant_cfg *t = vsw_config_find_tenant(cfg, name);

	*rc = t ? 0 : vsw_fail(err, errlen, "no tenant '%.64s'", name);
	return t;
}

/* ---- VTEPs ---- */

static long find_vtep(const struct vsw_config *cfg, const char *tenant, uint32_t ip)
{
	for (size_t i = 0; i < cfg->n_vteps; i++)
		if (cfg->vteps[i].ip == ip && strcmp(cfg->vteps[i].tenant, tenant) == 0)
			return (long)i;
	return -1;
}

static int parse_vtep(const char *s, uint32_t *ip, char *err, size_t errlen)
{
	if (vsw_ipv4_parse(s, ip))
		return vsw_fail(err, errlen, "vtep '%.64s' is not an IPv4 address", s);
	if (!vsw_ipv4_unicast(*ip))
		return vsw_fail(err, errlen, "vtep %s is not a unicast address", s);
	return 0;
}

int vsw_config_add_vtep(struct vsw_config *cfg, const char *tenant, const char *ip, char *err,
			size_t errlen)
{
	const struct vsw_tenant_cfg *t;
	struct vsw_vtep_cfg *v;
	uint32_t addr;
	int rc;

	t = tenant_or_fail(cfg, tenant, &rc, err, errlen);
	if (rc)
		return rc;
	if (!t->vni)
		return vsw_fail(err, errlen, "tenant '%s' has no vni (a VTEP carries a tenant's VNI)",
				tenant);
	rc = parse_vtep(ip, &addr, err, errlen);
	if (rc)
		return rc;
	if (find_vtep(cfg, tenant, addr) >= 0)
		return vsw_fail(err, errlen, "tenant '%s' already has vtep %s", tenant, ip);
	if (vsw_config_grow((void **)&cfg->vteps, &cfg->cap_vteps, cfg->n_vteps, sizeof(*cfg->vteps)))
		return vsw_fail(err, errlen, "out of memory");
	v = &cfg->vteps[cfg->n_vteps++];
	memset(v, 0, sizeof(*v));
	snprintf(v->tenant, sizeof(v->tenant), "%s", tenant);
	v->ip = addr;
	return 0;
}

int vsw_config_del_vtep(struct vsw_config *cfg, const char *tenant, const char *ip, char *err,
			size_t errlen)
{
	uint32_t addr;
	long i;
	int rc;

	tenant_or_fail(cfg, tenant, &rc, err, errlen);
	if (!rc)
		rc = parse_vtep(ip, &addr, err, errlen);
	if (rc)
		return rc;
	i = find_vtep(cfg, tenant, addr);
	if (i < 0)
		return vsw_fail(err, errlen, "tenant '%s' has no vtep %s", tenant, ip);
	memmove(&cfg->vteps[i], &cfg->vteps[i + 1],
		(cfg->n_vteps - (size_t)i - 1) * sizeof(*cfg->vteps));
	cfg->n_vteps--;
	return 0;
}

int vsw_config_load_vtep(struct vsw_config *cfg, const char *tenant, const char *ip, char *err,
			 size_t errlen)
{
	return vsw_config_add_vtep(cfg, tenant, ip, err, errlen);
}

/* ---- ACLs ---- */

/* The key's bytes an ACL may match: L2 to L4 (dl_dst up to the trailing pad). */
#define ACL_FIRST offsetof(struct vsw_flow_key, dl_dst)
#define ACL_END offsetof(struct vsw_flow_key, pad1)

static bool any_set(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return true;
	return false;
}

/* Fields outside L2-L4 that an ACL match may not use, named for the message. */
static int acl_fields_check(const struct vsw_flow_key *mask, char *err, size_t errlen)
{
	const uint8_t *m = (const uint8_t *)mask;

	if (mask->in_port)
		return vsw_fail(err, errlen,
				"acl match: in_port is not allowed (an ACL applies to the whole tenant)");
	if (mask->metadata)
		return vsw_fail(err, errlen,
				"acl match: metadata is not allowed (the tenant pipeline sets it)");
	if (mask->tun_id)
		return vsw_fail(err, errlen,
				"acl match: tun_id is not allowed (tunnel fields are the tenant pipeline's)");
	if (any_set(mask->regs, sizeof(mask->regs)))
		return vsw_fail(err, errlen,
				"acl match: registers are not allowed (the tenant pipeline uses them)");
	if (any_set(m, ACL_FIRST) || any_set(m + ACL_END, sizeof(*mask) - ACL_END))
		return vsw_fail(err, errlen, "acl match: only L2-L4 header fields are allowed");
	return 0;
}

/* Any port name reads as a port, so that in_port=NAME is refused as in_port. */
static int any_port(void *ctx, const char *name, uint32_t *port)
{
	(void)ctx, (void)name;
	*port = 1;
	return 0;
}

int vsw_acl_match_parse(const char *match, char canon[VSW_ACL_MATCH_MAX],
			struct vsw_match *parsed, char *err, size_t errlen)
{
	static const struct vsw_port_names names = { any_port, NULL, NULL };
	struct vsw_flow_spec *spec = malloc(sizeof(*spec));
	char why[256];
	int rc;

	if (!spec)
		return vsw_fail(err, errlen, "out of memory");
	rc = vsw_flow_parse(match, VSW_PARSE_FILTER, &names, spec, why, sizeof(why));
	if (rc)
		rc = vsw_fail(err, errlen, "acl match: %s", why);
	else if ((spec->given & (VSW_SPEC_TABLE | VSW_SPEC_PRIORITY | VSW_SPEC_COOKIE)) ||
		 spec->idle_timeout || spec->hard_timeout)
		rc = vsw_fail(err, errlen,
			      "acl match: table, priority, cookie and timeouts are not match fields");
	else
		rc = acl_fields_check(&spec->match.mask, err, errlen);
	if (!rc && vsw_flow_format_match(&spec->match, VSW_FT_DEFAULT_PRIORITY, NULL, canon,
					 VSW_ACL_MATCH_MAX) < 0)
		rc = vsw_fail(err, errlen, "acl match: too long (more than %d bytes)",
			      VSW_ACL_MATCH_MAX - 1);
	if (!rc && parsed)
		*parsed = spec->match;
	free(spec);
	return rc;
}

static int parse_acl(const char *tenant, int64_t priority, const char *action,
		     const char *match, struct vsw_acl_cfg *acl, char *err, size_t errlen)
{
	memset(acl, 0, sizeof(*acl));
	if (priority < 1 || priority > UINT16_MAX)
		return vsw_fail(err, errlen, "acl priority %" PRId64 " out of range 1..%u", priority,
				UINT16_MAX);
	if (strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0)
		return vsw_fail(err, errlen, "acl action '%.32s' is not allow or deny", action);
	snprintf(acl->tenant, sizeof(acl->tenant), "%s", tenant);
	acl->priority = (uint16_t)priority;
	acl->allow = strcmp(action, "allow") == 0;
	return vsw_acl_match_parse(match, acl->match, NULL, err, errlen);
}

/* An ACL of the tenant with the same priority and match (the same rule), or NULL. */
static const struct vsw_acl_cfg *same_acl(const struct vsw_config *cfg,
					  const struct vsw_acl_cfg *acl)
{
	for (size_t i = 0; i < cfg->n_acls; i++) {
		const struct vsw_acl_cfg *a = &cfg->acls[i];

		if (a->priority == acl->priority && strcmp(a->tenant, acl->tenant) == 0 &&
		    strcmp(a->match, acl->match) == 0)
			return a;
	}
	return NULL;
}

static long find_acl(const struct vsw_config *cfg, const char *tenant, int64_t id)
{
	for (size_t i = 0; i < cfg->n_acls; i++)
		if (cfg->acls[i].id == id && strcmp(cfg->acls[i].tenant, tenant) == 0)
			return (long)i;
	return -1;
}

static int put_acl(struct vsw_config *cfg, const struct vsw_acl_cfg *acl, char *err,
		   size_t errlen)
{
	const struct vsw_acl_cfg *other = same_acl(cfg, acl);

	if (other)
		return vsw_fail(err, errlen,
				"tenant '%s' already has acl %" PRIu32 " with priority %u and this match",
				acl->tenant, other->id, (unsigned)acl->priority);
	if (vsw_config_grow((void **)&cfg->acls, &cfg->cap_acls, cfg->n_acls, sizeof(*cfg->acls)))
		return vsw_fail(err, errlen, "out of memory");
	cfg->acls[cfg->n_acls++] = *acl;
	return 0;
}

int vsw_config_add_acl(struct vsw_config *cfg, const char *tenant, int64_t priority,
		       const char *action, const char *match, uint32_t *id, char *err,
		       size_t errlen)
{
	struct vsw_acl_cfg acl;
	uint32_t max = 0;
	int rc;

	tenant_or_fail(cfg, tenant, &rc, err, errlen);
	if (!rc)
		rc = parse_acl(tenant, priority, action, match, &acl, err, errlen);
	if (rc)
		return rc;
	for (size_t i = 0; i < cfg->n_acls; i++)
		if (strcmp(cfg->acls[i].tenant, tenant) == 0 && cfg->acls[i].id > max)
			max = cfg->acls[i].id;
	if (max == UINT32_MAX)
		return vsw_fail(err, errlen, "tenant '%s' has no acl id left", tenant);
	acl.id = max + 1;
	rc = put_acl(cfg, &acl, err, errlen);
	if (!rc && id)
		*id = acl.id;
	return rc;
}

int vsw_config_del_acl(struct vsw_config *cfg, const char *tenant, int64_t id, char *err,
		       size_t errlen)
{
	long i;
	int rc;

	tenant_or_fail(cfg, tenant, &rc, err, errlen);
	if (rc)
		return rc;
	i = find_acl(cfg, tenant, id);
	if (i < 0)
		return vsw_fail(err, errlen, "tenant '%s' has no acl %" PRId64, tenant, id);
	memmove(&cfg->acls[i], &cfg->acls[i + 1],
		(cfg->n_acls - (size_t)i - 1) * sizeof(*cfg->acls));
	cfg->n_acls--;
	return 0;
}

int vsw_config_load_acl(struct vsw_config *cfg, const char *tenant, int64_t id, int64_t priority,
			const char *action, const char *match, char *err, size_t errlen)
{
	struct vsw_acl_cfg acl;
	int rc;

	tenant_or_fail(cfg, tenant, &rc, err, errlen);
	if (rc)
		return rc;
	if (id < 1 || id > UINT32_MAX)
		return vsw_fail(err, errlen, "acl id %" PRId64 " out of range 1..%" PRIu32, id,
				UINT32_MAX);
	if (find_acl(cfg, tenant, id) >= 0)
		return vsw_fail(err, errlen, "acl %" PRId64 " of tenant '%s' stored twice", id, tenant);
	rc = parse_acl(tenant, priority, action, match, &acl, err, errlen);
	if (rc)
		return rc;
	acl.id = (uint32_t)id;
	return put_acl(cfg, &acl, err, errlen);
}
