/* SPDX-License-Identifier: BSD-3-Clause */
/* Port mirrors in the model: checks, records, the dataplane's form. See mirror.h. */
#include "mirror.h"
#include "errtext.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vsw_mirror_name_check(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);

	if (len == 0)
		return vsw_fail(err, errlen, "mirror name must not be empty");
	if (len > VSW_MIRROR_NAME_MAX)
		return vsw_fail(err, errlen, "mirror name '%.64s%s' is too long (at most %d characters)",
				name, len > 64 ? "..." : "", VSW_MIRROR_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return vsw_fail(err, errlen,
					"mirror name '%s': only letters, digits, '_', '.' and '-' are allowed",
					name);
	}
	return 0;
}

struct vsw_mirror_cfg *vsw_config_find_mirror(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_mirrors; i++)
		if (!strcmp(cfg->mirrors[i].name, name))
			return &cfg->mirrors[i];
	return NULL;
}

/* What every mirror must be, existing ports or not: names, counts, no repeats. */
static int check_shape(const char *name, const char *const *src, size_t n_src, const char *dst,
		       struct vsw_mirror_cfg *m, char *err, size_t errlen)
{
	int rc = vsw_mirror_name_check(name, err, errlen);

	if (rc)
		return rc;
	memset(m, 0, sizeof(*m));
	memcpy(m->name, name, strlen(name) + 1);
	if (!n_src)
		return vsw_fail(err, errlen, "mirror '%s': no source port", name);
	if (n_src > VSW_MIRROR_MAX_SRC)
		return vsw_fail(err, errlen, "mirror '%s': too many source ports (at most %d)", name,
				VSW_MIRROR_MAX_SRC);
	if (strlen(dst) > VSW_PORT_NAME_MAX)
		return vsw_fail(err, errlen, "mirror '%s': no port '%.64s'", name, dst);
	memcpy(m->dst, dst, strlen(dst) + 1);
	for (size_t i = 0; i < n_src; i++) {
		if (strlen(src[i]) > VSW_PORT_NAME_MAX)
			return vsw_fail(err, errlen, "mirror '%s': no port '%.64s'", name, src[i]);
		if (!strcmp(src[i], dst))
			return vsw_fail(err, errlen,
					"mirror '%s': port '%s' is both a source and the destination",
					name, dst);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(src[k], src[i]))
				return vsw_fail(err, errlen, "mirror '%s': port '%s' is a source twice",
						name, src[i]);
		memcpy(m->src[i], src[i], strlen(src[i]) + 1);
	}
	m->n_src = n_src;
	return 0;
}

const char *vsw_mirror_port_tenant(const struct vsw_config *cfg, const char *port)
{
	const struct vsw_port_cfg *p = vsw_config_find_port(cfg, port);
	const struct vsw_tenant_cfg *t = p ? vsw_config_port_tenant(cfg, p) : NULL;

	return t ? t->name : NULL;
}

/*
 * The tenant rule for `m` with the ports of `cfg`: 0, or -EINVAL and why.
 * Copies never go to the uplink: they would leave the host untagged, outside
 * every tenant's VLAN, where whoever owns the native VLAN would see them.
 */
static int tenant_rule(const struct vsw_config *cfg, const char *name, const char *const *src,
		       size_t n_src, const char *dst, vsw_tenant_of_fn tenant_of, char *err,
		       size_t errlen)
{
	const char *dst_tenant = tenant_of(cfg, dst);

	if (vsw_config_is_uplink(cfg, dst))
		return vsw_fail(err, errlen,
				"mirror '%s': destination '%s' is the uplink: copies would leave the "
				"host outside every tenant's VLAN", name, dst);

	for (size_t i = 0; dst_tenant && i < n_src; i++) {
		const char *t = tenant_of(cfg, src[i]);

		if (!t || strcmp(t, dst_tenant))
			return vsw_fail(err, errlen,
					"mirror '%s': destination '%s' is in tenant '%s' but source '%s' is %s%s%s",
					name, dst, dst_tenant, src[i], t ? "in tenant '" : "in no tenant",
					t ? t : "", t ? "'" : "");
	}
	return 0;
}

int vsw_config_mirrors_tenant_check(const struct vsw_config *cfg,
				    const struct vsw_config *next, vsw_tenant_of_fn tenant_of,
				    char *err, size_t errlen)
{
	for (size_t i = 0; i < cfg->n_mirrors; i++) {
		const struct vsw_mirror_cfg *m = &cfg->mirrors[i];
		const char *src[VSW_MIRROR_MAX_SRC];

		for (size_t k = 0; k < m->n_src; k++)
			src[k] = m->src[k];
		if (tenant_rule(next, m->name, src, m->n_src, m->dst, tenant_of, err, errlen))
			return -EINVAL;
	}
	return 0;
}

int vsw_config_new_mirror(const struct vsw_config *cfg, const char *name,
			  const char *const *src, size_t n_src, const char *dst,
			  vsw_tenant_of_fn tenant_of, struct vsw_mirror_cfg *m, char *err,
			  size_t errlen)
{
	int rc = check_shape(name, src, n_src, dst, m, err, errlen);

	if (rc)
		return rc;
	if (vsw_config_find_mirror(cfg, name))
		return vsw_fail(err, errlen, "mirror '%s' already exists", name);
	if (cfg->n_mirrors >= VSW_MAX_MIRRORS)
		return vsw_fail(err, errlen, "too many mirrors (at most %d)", VSW_MAX_MIRRORS);
	for (size_t i = 0; i < n_src; i++)
		if (!vsw_config_find_port(cfg, src[i]))
			return vsw_fail(err, errlen, "mirror '%s': no port '%s'", name, src[i]);
	if (!vsw_config_find_port(cfg, dst))
		return vsw_fail(err, errlen, "mirror '%s': no port '%s'", name, dst);
	return tenant_rule(cfg, name, src, n_src, dst, tenant_of, err, errlen);
}

int vsw_config_reserve_mirror(struct vsw_config *cfg)
{
	struct vsw_mirror_cfg *p;
	size_t ncap;

	if (cfg->n_mirrors < cfg->cap_mirrors)
		return 0;
	ncap = cfg->cap_mirrors ? cfg->cap_mirrors * 2 : 4;
	p = realloc(cfg->mirrors, ncap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	cfg->mirrors = p;
	cfg->cap_mirrors = ncap;
	return 0;
}

int vsw_config_add_mirror(struct vsw_config *cfg, const struct vsw_mirror_cfg *m)
{
	if (vsw_config_reserve_mirror(cfg))
		return -ENOMEM;
	cfg->mirrors[cfg->n_mirrors++] = *m;
	return 0;
}

int vsw_config_del_mirror(struct vsw_config *cfg, const char *name)
{
	struct vsw_mirror_cfg *m = vsw_config_find_mirror(cfg, name);

	if (!m)
		return -ENOENT;
	size_t i = (size_t)(m - cfg->mirrors);
	memmove(m, m + 1, (cfg->n_mirrors - i - 1) * sizeof(*m));
	cfg->n_mirrors--;
	return 0;
}

int vsw_mirror_src_text(const struct vsw_mirror_cfg *m, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (size_t i = 0; i < m->n_src; i++) {
		int w = snprintf(buf + n, len - n, "%s%s", i ? "," : "", m->src[i]);

		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
	}
	return (int)n;
}

int vsw_config_load_mirror(struct vsw_config *cfg, const char *name, const char *src,
			   const char *dst, char *err, size_t errlen)
{
	const char *names[VSW_MIRROR_MAX_SRC + 1];
	char buf[(VSW_PORT_NAME_MAX + 1) * (VSW_MIRROR_MAX_SRC + 1)];
	struct vsw_mirror_cfg m;
	size_t n = 0;
	int rc;

	if (strlen(src) >= sizeof(buf))
		return vsw_fail(err, errlen, "src is too long");
	strcpy(buf, src);
	for (char *p = buf, *save = NULL, *tok; (tok = strtok_r(p, ",", &save)); p = NULL) {
		if (n == VSW_MIRROR_MAX_SRC + 1)
			break;
		names[n++] = tok;
	}
	rc = check_shape(name, names, n, dst, &m, err, errlen);
	if (rc)
		return rc;
	if (vsw_config_find_mirror(cfg, name))
		return vsw_fail(err, errlen, "mirror '%s' stored twice", name);
	for (size_t i = 0; i <= m.n_src; i++) {
		const char *p = i < m.n_src ? m.src[i] : m.dst;

		if (!vsw_config_number_of(cfg, p))
			return vsw_fail(err, errlen, "port '%s' was never numbered", p);
	}
	return vsw_config_add_mirror(cfg, &m) ? vsw_fail(err, errlen, "out of memory") : 0;
}

json_t *vsw_mirror_set_request(const struct vsw_config *cfg, const struct vsw_mirror_cfg *m)
{
	json_t *src = json_array();

	for (size_t i = 0; src && i < m->n_src; i++)
		if (json_array_append_new(src, json_integer(vsw_config_number_of(cfg, m->src[i])))) {
			json_decref(src);
			return NULL;
		}
	if (!src)
		return NULL;
	return json_pack("{s:s,s:s,s:o,s:I}", "cmd", "mirror-set", "name", m->name, "src", src,
			 "dst", (json_int_t)vsw_config_number_of(cfg, m->dst));
}

bool vsw_mirror_matches(const struct vsw_config *cfg, const struct vsw_mirror_cfg *m,
			const json_t *entry)
{
	const char *name = json_string_value(json_object_get(entry, "name"));
	json_t *src = json_object_get(entry, "src"), *dst = json_object_get(entry, "dst");

	if (!name || strcmp(name, m->name) || !json_is_array(src) ||
	    json_array_size(src) != m->n_src || !json_is_integer(dst) ||
	    json_integer_value(dst) != vsw_config_number_of(cfg, m->dst))
		return false;
	for (size_t i = 0; i < m->n_src; i++) {
		json_t *v = json_array_get(src, i);

		if (!json_is_integer(v) ||
		    json_integer_value(v) != vsw_config_number_of(cfg, m->src[i]))
			return false;
	}
	return true;
}

int vsw_mirror_plan(const struct vsw_config *cfg, const json_t *have,
		    struct vsw_mirror_plan *plan)
{
	size_t n_have = json_array_size(have), i;
	bool *right = calloc(cfg->n_mirrors + 1, sizeof(*right));
	json_t *e;

	memset(plan, 0, sizeof(*plan));
	plan->del = calloc(n_have + 1, sizeof(*plan->del));
	plan->set = calloc(cfg->n_mirrors + 1, sizeof(*plan->set));
	if (!right || !plan->del || !plan->set) {
		free(right);
		vsw_mirror_plan_free(plan);
		return -ENOMEM;
	}
	json_array_foreach(have, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const struct vsw_mirror_cfg *m = name ? vsw_config_find_mirror(cfg, name) : NULL;

		if (m && !right[m - cfg->mirrors] && vsw_mirror_matches(cfg, m, e))
			right[m - cfg->mirrors] = true;
		else if (name)
			plan->del[plan->n_del++] = name;
	}
	for (size_t k = 0; k < cfg->n_mirrors; k++)
		if (!right[k])
			plan->set[plan->n_set++] = &cfg->mirrors[k];
	free(right);
	return 0;
}

void vsw_mirror_plan_free(struct vsw_mirror_plan *plan)
{
	free(plan->del);
	free(plan->set);
	memset(plan, 0, sizeof(*plan));
}
