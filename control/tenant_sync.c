/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tenant sync, second half: the planned steps carried out in order, for
 * the reconcile and after a management change (tenant_sync.h).
 */
#include "tenant_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpconn_tenant.h"

/* ---- carrying the steps out ---- */

struct steps {
	struct vsw_control *ctl;
	struct vsw_tenant_sync *ts;
	bool stop; /* apply: stop at the first refusal; reconcile: log and go on */
	unsigned applied;
	char *err;
	size_t errlen;
};

/* One call's outcome: 0 to go on, else what to return. */
static int outcome(struct steps *s, int rc, const char *what, const char *why)
{
	if (!rc) {
		s->applied++;
		vsw_dbg(&s->ctl->log, "tenant: %s", what);
		return 0;
	}
	if (rc != -EREMOTEIO)
		return rc;
	s->ts->failed++;
	vsw_err(&s->ctl->log, "tenant: %s failed: %s", what, why);
	if (!s->stop)
		return 0;
	snprintf(s->err, s->errlen, "%s", why);
	return -EREMOTEIO;
}

/* A rule's strict filter, from its canonical text. */
static int strict_filter(const char *text, char *buf, size_t len)
{
	struct vsw_flow_spec spec;

	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, NULL, 0) ||
	    vsw_config_strict_filter(&spec, buf, len) < 0)
		return -EINVAL;
	return 0;
}

/* After a refused batch in a reconcile: one call per rule, so one bad rule keeps no other out. */
static int singly(struct steps *s, const char *const *del, size_t n_del, const char *const *add,
		  size_t n_add)
{
	char filter[VSW_FLOW_TEXT_MAX], what[VSW_FLOW_TEXT_MAX + 32], err[512];
	int rc;

	for (size_t i = 0; i < n_del; i++) {
		snprintf(what, sizeof(what), "flow-del --strict %s", del[i]);
		rc = strict_filter(del[i], filter, sizeof(filter));
		if (!rc)
			rc = vsw_dpconn_flow_del(&s->ctl->dp, filter, true, NULL, err, sizeof(err));
		else
			snprintf(err, sizeof(err), "cannot name the rule");
		rc = outcome(s, rc == -EINVAL ? -EREMOTEIO : rc, what, err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < n_add; i++) {
		snprintf(what, sizeof(what), "flow-add %s", add[i]);
		rc = vsw_dpconn_flow_add(&s->ctl->dp, add[i], err, sizeof(err));
		rc = outcome(s, rc, what, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int batch(struct steps *s, const char *const *del, size_t n_del, const char *const *add,
		 size_t n_add, const char *what)
{
	char filter[VSW_FLOW_TEXT_MAX], err[512], line[128];
	json_t *ops;
	int rc = 0;

	if (!n_del && !n_add)
		return 0;
	ops = json_array();
	if (!ops)
		return -ENOMEM;
	for (size_t i = 0; i < n_del && !rc; i++)
		rc = strict_filter(del[i], filter, sizeof(filter)) ? -EINVAL :
		     vsw_dpconn_op_del(ops, filter, true);
	for (size_t i = 0; i < n_add && !rc; i++)
		rc = vsw_dpconn_op_add(ops, add[i]);
	if (!rc)
		rc = vsw_dpconn_flow_batch(&s->ctl->dp, ops, NULL, NULL, err, sizeof(err));
	else if (rc == -EINVAL)
		snprintf(err, sizeof(err), "a dataplane rule that cannot be named");
	json_decref(ops);
	snprintf(line, sizeof(line), "%s: flow-batch of %zu deletions, %zu additions", what, n_del,
		 n_add);
	if ((rc == -EREMOTEIO || rc == -EINVAL) && !s->stop) {
		vsw_warn(&s->ctl->log, "tenant: %s refused (%s); one by one", line, err);
		return singly(s, del, n_del, add, n_add);
	}
	return outcome(s, rc == -EINVAL ? -EREMOTEIO : rc, line, err);
}

static int step_narrow(struct steps *s)
{
	const struct vsw_tenant_plan *p = &s->ts->plan;
	char what[128], err[512];
	int rc;

	rc = batch(s, p->quarantine, p->n_quarantine, NULL, 0, "admissions that go");
	for (size_t i = 0; i < p->n_narrow && !rc; i++) {
		snprintf(what, sizeof(what), "domain-set %u (keeps %zu members, %zu VTEPs)",
			 p->narrow[i].id, p->narrow[i].n_members, p->narrow[i].n_vteps);
		rc = outcome(s, vsw_dpconn_domain_set(&s->ctl->dp, &p->narrow[i], err, sizeof(err)),
			     what, err);
	}
	for (size_t i = 0; i < p->n_domain_del && !rc; i++) {
		snprintf(what, sizeof(what), "domain-del %u", p->domain_del[i]);
		rc = vsw_dpconn_domain_del(&s->ctl->dp, p->domain_del[i], err, sizeof(err));
		rc = outcome(s, rc, what, err);
	}
	if (!rc && p->vxlan_del)
		rc = outcome(s, vsw_dpconn_port_del(&s->ctl->dp, VSW_VXLAN_PORT_NAME, err,
						    sizeof(err)),
			     "port-del " VSW_VXLAN_PORT_NAME, err);
	return rc;
}

static int step_ports(struct steps *s)
{
	const struct vsw_tenant_plan *p = &s->ts->plan;
	const struct vsw_cvxlan *x = &s->ts->c.vxlan;
	char what[128], err[512], ip[INET_ADDRSTRLEN];
	int rc = 0;

	if (p->vxlan_add) {
		snprintf(what, sizeof(what), "port-add %s (port %u, vxlan over %s from %s)",
			 VSW_VXLAN_PORT_NAME, x->port_no, x->underlay,
			 inet_ntop(AF_INET, &x->local_ip, ip, sizeof(ip)));
		rc = outcome(s, vsw_dpconn_vxlan_add(&s->ctl->dp, x, VSW_TABLE_TENANT_INGRESS, err,
						     sizeof(err)), what, err);
	}
	for (size_t i = 0; i < p->n_port_mod && !rc; i++) {
		snprintf(what, sizeof(what), "port-mod %s table=%u", p->port_mod[i].name,
			 p->port_mod[i].table);
		rc = outcome(s, vsw_dpconn_port_mod_table(&s->ctl->dp, p->port_mod[i].name,
							  p->port_mod[i].table, err, sizeof(err)),
			     what, err);
	}
	return rc;
}

static int step_widen(struct steps *s)
{
	const struct vsw_tenant_plan *p = &s->ts->plan;
	char what[128], err[512], ip[INET_ADDRSTRLEN];
	int rc = 0;

	for (size_t i = 0; i < p->n_vtep_set && !rc; i++) {
		const struct vsw_vtep_want *v = p->vtep_set[i];

		snprintf(what, sizeof(what), "vtep-set %s (%s)",
			 inet_ntop(AF_INET, &v->ip, ip, sizeof(ip)),
			 v->resolved ? "resolved" : "unresolved");
		rc = outcome(s, vsw_dpconn_vtep_set(&s->ctl->dp, v->ip, v->resolved ? v->mac : NULL,
						    err, sizeof(err)), what, err);
	}
	for (size_t i = 0; i < p->n_domain_set && !rc; i++) {
		const struct vsw_cdomain *d = p->domain_set[i];

		snprintf(what, sizeof(what), "domain-set %u (%zu members, %zu VTEPs, vni %u)", d->id,
			 d->n_members, d->n_vteps, d->vni);
		rc = outcome(s, vsw_dpconn_domain_set(&s->ctl->dp, d, err, sizeof(err)), what, err);
	}
	for (size_t i = 0; i < p->n_vtep_del && !rc; i++) {
		snprintf(what, sizeof(what), "vtep-del %s",
			 inet_ntop(AF_INET, &p->vtep_del[i], ip, sizeof(ip)));
		rc = outcome(s, vsw_dpconn_vtep_del(&s->ctl->dp, p->vtep_del[i], err, sizeof(err)),
			     what, err);
	}
	return rc;
}

/* ---- the reconcile's part ---- */

static int ensure_state(struct vsw_control *ctl)
{
	if (!ctl->tenant)
		ctl->tenant = vsw_tenant_state_create(&ctl->log);
	return ctl->tenant ? 0 : -ENOMEM;
}

int vsw_tenant_sync_prepare(struct vsw_control *ctl, const json_t *ports,
			    const char *const *gone, size_t n_gone, const char *const *flows,
			    size_t n_flows, struct vsw_tenant_sync *ts)
{
	char err[512];
	int rc;

	memset(ts, 0, sizeof(*ts));
	rc = ensure_state(ctl);
	if (!rc)
		rc = vsw_tenant_prepare(ctl, &ctl->cfg, ports, gone, n_gone, flows, n_flows, true,
					VSW_LOG_WARNING, ts, err, sizeof(err));
	if (rc == -EREMOTEIO) {
		/* Keep the compiled port tables: tenant ports still start at 250 (and drop). */
		struct vsw_compiled keep = ts->c;

		vsw_err(&ctl->log, "reconcile: tenant state not checked: %s", err);
		memset(&ts->c, 0, sizeof(ts->c));
		vsw_tenant_sync_free(ts);
		ts->c = keep;
		return 0;
	}
	if (rc)
		vsw_tenant_sync_free(ts);
	return rc;
}

int vsw_tenant_sync_narrow(struct vsw_control *ctl, struct vsw_tenant_sync *ts)
{
	struct steps s = { ctl, ts, false, 0, NULL, 0 };
	unsigned failed = ts->failed;
	int rc;

	if (!ts->ok)
		return 0;
	rc = step_narrow(&s);
	if (ts->failed > failed) {
		ts->halted = true;
		vsw_err(&ctl->log, "reconcile: tenant state only narrowed (see above); "
			"again on reconnect");
	}
	return rc;
}

int vsw_tenant_sync_ports(struct vsw_control *ctl, struct vsw_tenant_sync *ts)
{
	struct steps s = { ctl, ts, false, 0, NULL, 0 };

	return ts->ok && !ts->halted ? step_ports(&s) : 0;
}

int vsw_tenant_sync_widen(struct vsw_control *ctl, struct vsw_tenant_sync *ts)
{
	struct steps s = { ctl, ts, false, 0, NULL, 0 };

	return ts->ok && !ts->halted ? step_widen(&s) : 0;
}

unsigned vsw_tenant_sync_table(const struct vsw_tenant_sync *ts, uint32_t port_no)
{
	const struct vsw_cport *p = vsw_compiled_port(&ts->c, port_no);

	return p ? p->table : 0;
}

static void forget_flows(struct vsw_tenant_state *st)
{
	for (size_t i = 0; i < st->n_flows; i++)
		free(st->flows[i]);
	free(st->flows);
	st->flows = NULL;
	st->n_flows = 0;
	st->flows_valid = false;
}

void vsw_tenant_sync_done(struct vsw_control *ctl, struct vsw_tenant_sync *ts, bool all_ok)
{
	struct vsw_tenant_state *st = ctl->tenant;

	if (!ts->ok || !st)
		return;
	vsw_vtep_commit(st, ts->res, ts->n_res, ts->uplink_if, ts->uplink_why);
	ts->res = NULL;
	forget_flows(st);
	st->strays = !all_ok || ts->failed;
	if (st->strays)
		return;
	st->flows = calloc(ts->c.n_flows + 1, sizeof(*st->flows));
	if (!st->flows)
		return;
	for (size_t i = 0; i < ts->c.n_flows; i++) {
		st->flows[i] = strdup(ts->c.flows[i].text);
		if (!st->flows[i]) {
			forget_flows(st);
			return;
		}
		st->n_flows++;
	}
	snprintf(st->boot_id, sizeof(st->boot_id), "%s", ctl->dp.boot_id);
	st->flows_valid = true;
}

/* ---- after a management change ---- */

/* The dataplane's tenant rules: as last applied to this instance, or listed. */
static void log_applied(struct vsw_control *ctl, const struct vsw_tenant_plan *p)
{
	if (vsw_tenant_plan_empty(p))
		return;
	vsw_info(&ctl->log, "tenant: rules %zu added, %zu deleted (%zu admissions first); "
		 "domains %zu set, %zu deleted; ports %zu moved%s%s; VTEPs %zu set, %zu deleted",
		 p->n_flow_add, p->n_flow_del + p->n_quarantine, p->n_quarantine,
		 p->n_domain_set + p->n_narrow, p->n_domain_del, p->n_port_mod,
		 p->vxlan_add ? ", " VSW_VXLAN_PORT_NAME " added" : "",
		 p->vxlan_del ? ", " VSW_VXLAN_PORT_NAME " deleted" : "", p->n_vtep_set,
		 p->n_vtep_del);
}

int vsw_tenant_apply(struct vsw_control *ctl, const struct vsw_config *next, char *err,
		     size_t errlen)
{
	struct vsw_tenant_sync ts = { 0 };
	struct steps s = { ctl, &ts, true, 0, err, errlen };
	json_t *ports = NULL, *list = NULL;
	const char **flows = NULL;
	size_t n_flows = 0;
	int rc;

	err[0] = 0;
	rc = ensure_state(ctl);
	if (rc)
		return rc;
	if (!vsw_dpconn_connected(&ctl->dp)) {
		/* Committed all the same: its VTEPs are the ones to watch now. */
		vsw_tenant_resolve_config(ctl, next);
		snprintf(err, errlen, "dataplane not connected");
		return -ENOTCONN;
	}
	rc = vsw_dpconn_port_list(&ctl->dp, &ports, err, errlen);
	if (!rc)
		rc = vsw_tenant_have_flows(ctl, &list, &flows, &n_flows, err, errlen);
	if (!rc)
		rc = vsw_tenant_prepare(ctl, next, ports, NULL, 0, flows, n_flows,
					ctl->tenant->strays, VSW_LOG_DEBUG, &ts, err, errlen);
	if (!rc)
		rc = step_narrow(&s);
	if (!rc)
		rc = batch(&s, ts.plan.flow_del, ts.plan.n_flow_del, ts.plan.flow_add,
			   ts.plan.n_flow_add, "tenant rules");
	if (!rc)
		rc = step_ports(&s);
	if (!rc)
		rc = step_widen(&s);
	if (!rc) {
		log_applied(ctl, &ts.plan);
		vsw_tenant_sync_done(ctl, &ts, true);
	} else if (ctl->tenant) {
		forget_flows(ctl->tenant);
		ctl->tenant->strays |= s.applied > 0;
		if (s.applied) /* half done: the reconcile takes it back */
			ctl->dp.need_sync = true;
	}
	if (list) /* else flows was the cache */
		free(flows);
	json_decref(list);
	json_decref(ports);
	vsw_tenant_sync_free(&ts);
	return rc;
}
