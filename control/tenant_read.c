/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tenant sync, first half: the dataplane's tenant state read (ports and
 * their tables, domains, VTEPs, tenant rules) and planned against the
 * compiled one (tenant_sync.h, tenant_plan.h).
 */
#include "tenant_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpconn_tenant.h"
#include "intent.h"

/* ---- reading the dataplane ---- */

/* Tables 250..254 are the tenant pipeline's; their rules are ours. */
static bool tenant_table(const char *text)
{
	unsigned long t;

	if (strncmp(text, "table=", 6))
		return false;
	t = strtoul(text + 6, NULL, 10);
	return t >= VSW_TABLE_TENANT_FIRST && t < 255;
}

static int read_ports(const json_t *ports, const char *const *gone, size_t n_gone,
		      struct vsw_tenant_sync *ts, struct vsw_cvxlan *vx)
{
	size_t i;
	json_t *e;

	memset(vx, 0, sizeof(*vx));
	ts->have_ports = calloc(json_array_size(ports) + 1, sizeof(*ts->have_ports));
	if (!ts->have_ports)
		return -ENOMEM;
	json_array_foreach(ports, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		json_t *no = json_object_get(e, "port_no"), *table = json_object_get(e, "table");
		struct vsw_cport *p = &ts->have_ports[ts->n_have_ports];
		bool skip = false;

		if (!name || strlen(name) > VSW_TENANT_NAME_MAX || !json_is_integer(no))
			continue;
		for (size_t j = 0; j < n_gone; j++)
			skip |= strcmp(gone[j], name) == 0;
		if (skip)
			continue;
		snprintf(p->name, sizeof(p->name), "%s", name);
		p->port_no = (uint32_t)json_integer_value(no);
		p->table = json_is_integer(table) ? (uint8_t)json_integer_value(table) : 0;
		ts->n_have_ports++;
		if (strcmp(name, VSW_VXLAN_PORT_NAME))
			continue;
		vx->present = true;
		vx->port_no = p->port_no;
		/* Not listed: taken as right (the dataplane is only told by us). */
		if (json_string_value(json_object_get(e, "underlay")) &&
		    json_string_value(json_object_get(e, "local_ip")) &&
		    !vsw_ipv4_parse(json_string_value(json_object_get(e, "local_ip")), &vx->local_ip))
			snprintf(vx->underlay, sizeof(vx->underlay), "%s",
				 json_string_value(json_object_get(e, "underlay")));
	}
	return 0;
}

/*
 * A list the tenant state needs. A dataplane that does not know the command
 * has none of it: fine while nothing is wanted, else the reconcile cannot
 * be planned. 0 (arr may be NULL), -EREMOTEIO (err), -ENOTCONN.
 */
static int read_list(struct vsw_control *ctl, int (*fn)(struct vsw_dpconn *, json_t **, char *,
							size_t),
		     const char *what, bool needed, json_t **arr, char *err, size_t errlen)
{
	int rc = fn(&ctl->dp, arr, err, errlen);

	if (rc != -EREMOTEIO)
		return rc;
	if (needed)
		return rc;
	vsw_dbg(&ctl->log, "tenant: %s: %s (nothing to compare)", what, err);
	return 0;
}

static int read_domains(struct vsw_control *ctl, struct vsw_tenant_sync *ts, char *err,
			size_t errlen)
{
	json_t *arr = NULL, *e;
	size_t i;
	int rc;

	rc = read_list(ctl, vsw_dpconn_domain_list, "domain-list", ts->c.n_domains > 0, &arr, err,
		       errlen);
	if (rc)
		return rc;
	ts->have_domains = calloc(json_array_size(arr) + 1, sizeof(*ts->have_domains));
	if (!ts->have_domains)
		goto err_nomem;
	json_array_foreach(arr, i, e) {
		struct vsw_cdomain *d = &ts->have_domains[ts->n_have_domains];
		const struct vsw_cdomain *w;
		unsigned has;

		rc = vsw_cdomain_from_json(e, d, &has);
		if (rc == -ENOMEM)
			goto err_nomem;
		if (rc) {
			vsw_warn(&ctl->log, "tenant: domain-list: an entry that does not read");
			continue;
		}
		w = vsw_compiled_domain(&ts->c, d->id);
		if (w && !(has & VSW_DOMAIN_HAS_MAC_LIMIT))
			d->mac_limit = w->mac_limit;
		if (w && !(has & VSW_DOMAIN_HAS_AGING))
			d->aging = w->aging;
		ts->n_have_domains++;
	}
	json_decref(arr);
	return 0;

err_nomem:
	json_decref(arr);
	return -ENOMEM;
}

static int read_vteps(struct vsw_control *ctl, struct vsw_tenant_sync *ts, char *err,
		      size_t errlen)
{
	json_t *arr = NULL, *e;
	size_t i;
	int rc;

	rc = read_list(ctl, vsw_dpconn_vtep_list, "vtep-list", ts->c.n_vtep_ips > 0, &arr, err,
		       errlen);
	if (rc)
		return rc;
	ts->have_vteps = calloc(json_array_size(arr) + 1, sizeof(*ts->have_vteps));
	if (!ts->have_vteps) {
		json_decref(arr);
		return -ENOMEM;
	}
	json_array_foreach(arr, i, e) {
		struct vsw_vtep_want *v = &ts->have_vteps[ts->n_have_vteps];

		if (vsw_vtep_from_json(e, &v->ip, &v->resolved, v->mac))
			vsw_warn(&ctl->log, "tenant: vtep-list: an entry that does not read");
		else
			ts->n_have_vteps++;
	}
	json_decref(arr);
	return 0;
}

static int mac_list_all(struct vsw_dpconn *dp, json_t **arr, char *err, size_t errlen)
{
	return vsw_dpconn_mac_list(dp, 0, arr, err, errlen);
}

/* Where the dataplane learned MACs (only domain, port and VTEP matter). */
static int read_macs(struct vsw_control *ctl, struct vsw_tenant_sync *ts, char *err,
		     size_t errlen)
{
	json_t *arr = NULL, *e;
	size_t i;
	int rc;

	rc = read_list(ctl, mac_list_all, "mac-list", false, &arr, err, errlen);
	if (rc)
		return rc;
	ts->have_macs = calloc(json_array_size(arr) + 1, sizeof(*ts->have_macs));
	if (!ts->have_macs) {
		json_decref(arr);
		return -ENOMEM;
	}
	json_array_foreach(arr, i, e) {
		struct vsw_mac_have *m = &ts->have_macs[ts->n_have_macs];
		json_t *d = json_object_get(e, "domain"), *p = json_object_get(e, "port");
		const char *vtep = json_string_value(json_object_get(e, "vtep"));

		if (!json_is_integer(d) || !json_is_integer(p) ||
		    (vtep && vsw_ipv4_parse(vtep, &m->vtep)))
			continue;
		m->domain = (uint32_t)json_integer_value(d);
		m->port = (uint32_t)json_integer_value(p);
		ts->n_have_macs++;
	}
	json_decref(arr);
	return 0;
}

/* Compile `cfg`, resolve its VTEPs, read the dataplane, plan (tenant_int.h). */
int vsw_tenant_prepare(struct vsw_control *ctl, const struct vsw_config *cfg, const json_t *ports,
		       const char *const *gone, size_t n_gone, const char *const *flows,
		       size_t n_flows, bool macs, enum vsw_log_level warn_level,
		       struct vsw_tenant_sync *ts, char *err, size_t errlen)
{
	struct vsw_tenant_want want;
	struct vsw_tenant_have have;
	int rc;

	memset(ts, 0, sizeof(*ts));
	rc = vsw_compile_config(cfg, &ts->c);
	if (rc)
		return rc;
	for (size_t i = 0; i < ts->c.n_warnings; i++)
		vsw_log(&ctl->log, warn_level, "tenant: %s", ts->c.warnings[i]);
	rc = vsw_vtep_resolve_all(ctl->tenant, cfg, &ts->c, &ts->res, ts->uplink_if,
				  ts->uplink_why);
	if (rc)
		return rc;
	ts->n_res = ts->c.n_vtep_ips;
	ts->want_vteps = calloc(ts->n_res + 1, sizeof(*ts->want_vteps));
	if (!ts->want_vteps)
		return -ENOMEM;
	vsw_vtep_wants(ts->res, ts->n_res, ts->want_vteps);
	rc = read_domains(ctl, ts, err, errlen);
	if (!rc)
		rc = read_vteps(ctl, ts, err, errlen);
	if (!rc && macs)
		rc = read_macs(ctl, ts, err, errlen);
	if (rc)
		return rc;
	want = (struct vsw_tenant_want){ &ts->c, ts->want_vteps, ts->n_res };
	have = (struct vsw_tenant_have){
		.flows = flows, .n_flows = n_flows,
		.domains = ts->have_domains, .n_domains = ts->n_have_domains,
		.vteps = ts->have_vteps, .n_vteps = ts->n_have_vteps,
		.macs = ts->have_macs, .n_macs = ts->n_have_macs,
	};
	rc = read_ports(ports, gone, n_gone, ts, &have.vxlan);
	if (rc)
		return rc;
	have.ports = ts->have_ports;
	have.n_ports = ts->n_have_ports;
	rc = vsw_tenant_plan(&want, &have, &ts->plan);
	if (rc)
		return rc;
	ts->ok = true;
	return 0;
}

void vsw_tenant_sync_free(struct vsw_tenant_sync *ts)
{
	vsw_compiled_free(&ts->c);
	free(ts->res);
	free(ts->want_vteps);
	for (size_t i = 0; i < ts->n_have_domains; i++)
		vsw_cdomain_fini(&ts->have_domains[i]);
	free(ts->have_domains);
	free(ts->have_vteps);
	free(ts->have_macs);
	free(ts->have_ports);
	vsw_tenant_plan_free(&ts->plan);
	memset(ts, 0, sizeof(*ts));
}

int vsw_tenant_have_flows(struct vsw_control *ctl, json_t **list, const char ***flows, size_t *n,
		      char *err, size_t errlen)
{
	struct vsw_tenant_state *st = ctl->tenant;
	size_t i;
	json_t *e;
	int rc;

	*list = NULL;
	if (st->flows_valid && strcmp(st->boot_id, ctl->dp.boot_id) == 0) {
		*flows = (const char **)st->flows;
		*n = st->n_flows;
		return 0;
	}
	rc = vsw_dpconn_flow_list(&ctl->dp, list, err, errlen);
	if (rc)
		return rc;
	*flows = calloc(json_array_size(*list) + 1, sizeof(**flows));
	*n = 0;
	if (!*flows)
		return -ENOMEM;
	json_array_foreach(*list, i, e) {
		const char *t = json_string_value(json_object_get(e, "flow"));

		if (t && tenant_table(t))
			(*flows)[(*n)++] = t;
	}
	return 0;
}

