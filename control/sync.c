/* SPDX-License-Identifier: BSD-3-Clause */
/* Reconciliation with the dataplane: see sync.h and reconcile.h. */
#include "sync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"
#include "tenant_sync.h"

/* What the dataplane has, as the diff wants it. */
struct have {
	json_t *ports_json, *flows_json; /* own the strings below */
	struct vsw_port_cfg *ports;
	size_t n_ports;
	const char **odd_ports; /* entries we cannot read: deleted by name */
	size_t n_odd_ports;
	const char **flows; /* user tables */
	size_t n_flows;
	const char **tenant_flows; /* tables 250..254: tenant sync's */
	size_t n_tenant_flows;
	uint8_t miss[VSW_FT_N_TABLES];
	bool have_miss; /* table-list answered */
};

static void have_free(struct have *h)
{
	free(h->ports);
	free(h->odd_ports);
	free(h->flows);
	free(h->tenant_flows);
	json_decref(h->ports_json);
	json_decref(h->flows_json);
	memset(h, 0, sizeof(*h));
}

/* The dataplane's miss policies; a table it does not list drops. */
static int tables_read(struct vsw_control *ctl, struct have *h)
{
	json_t *tables, *e;
	char err[256];
	size_t i;
	int rc;

	rc = vsw_dpconn_table_list(&ctl->dp, &tables, err, sizeof(err));
	if (rc == -EREMOTEIO) {
		vsw_warn(&ctl->log, "reconcile: table-list: %s (miss policies not checked)", err);
		return 0;
	}
	if (rc)
		return rc;
	json_array_foreach(tables, i, e) {
		json_t *t = json_object_get(e, "table");
		enum vsw_table_miss m;

		if (!json_is_integer(t) || json_integer_value(t) < 0 ||
		    json_integer_value(t) >= VSW_FT_N_TABLES ||
		    vsw_table_miss_parse(json_string_value(json_object_get(e, "miss")), &m)) {
			vsw_warn(&ctl->log, "reconcile: table-list: an entry without a table and miss policy");
			continue;
		}
		h->miss[json_integer_value(t)] = (uint8_t)m;
	}
	json_decref(tables);
	h->have_miss = true;
	return 0;
}

static bool is_tenant_table(const char *text)
{
	return strncmp(text, "table=", 6) == 0 &&
	       strtoul(text + 6, NULL, 10) >= VSW_TABLE_TENANT_FIRST;
}

static int have_read(struct vsw_control *ctl, struct have *h)
{
	struct vsw_dpconn *dp = &ctl->dp;
	size_t n, i;
	json_t *e;
	char err[256];
	int rc;

	memset(h, 0, sizeof(*h));
	rc = vsw_dpconn_port_list(dp, &h->ports_json, err, sizeof(err));
	if (!rc)
		rc = vsw_dpconn_flow_list(dp, &h->flows_json, err, sizeof(err));
	if (rc) {
		if (rc == -EREMOTEIO)
			vsw_err(&ctl->log, "reconcile: cannot list the dataplane: %s", err);
		return rc;
	}
	n = json_array_size(h->ports_json);
	h->ports = calloc(n + 1, sizeof(*h->ports));
	h->odd_ports = calloc(n + 1, sizeof(*h->odd_ports));
	h->flows = calloc(json_array_size(h->flows_json) + 1, sizeof(*h->flows));
	h->tenant_flows = calloc(json_array_size(h->flows_json) + 1, sizeof(*h->tenant_flows));
	if (!h->ports || !h->odd_ports || !h->flows || !h->tenant_flows)
		return -ENOMEM;
	json_array_foreach(h->ports_json, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));

		if (name && name[0] == '@') /* vsw-control's own (@vxlan): tenant sync's */
			continue;
		if (!vsw_dpconn_port_from_json(e, &h->ports[h->n_ports]))
			h->n_ports++;
		else if (name)
			h->odd_ports[h->n_odd_ports++] = name;
		else
			vsw_warn(&ctl->log, "reconcile: dataplane lists a port without a name");
	}
	json_array_foreach(h->flows_json, i, e) {
		const char *text = json_string_value(json_object_get(e, "flow"));

		if (text && is_tenant_table(text))
			h->tenant_flows[h->n_tenant_flows++] = text;
		else if (text)
			h->flows[h->n_flows++] = text;
		else
			vsw_warn(&ctl->log, "reconcile: dataplane lists a flow without text");
	}
	return tables_read(ctl, h);
}

struct tally {
	unsigned port_del, port_add, table_mod, flow_del, flow_add, failed;
};

/*
 * Log the outcome of one call and count it in *done; true when the
 * connection is gone. Port changes are logged at info; flow changes, which
 * may be thousands after a dataplane restart, at debug (the summary counts
 * them). Failures always at error.
 */
static bool count(struct vsw_control *ctl, struct tally *t, unsigned *done, bool is_flow,
		  int rc, const char *what, const char *err)
{
	if (rc == -ENOTCONN)
		return true;
	if (rc) {
		t->failed++;
		vsw_err(&ctl->log, "reconcile: %s failed: %s", what, err);
	} else {
		(*done)++;
		vsw_log(&ctl->log, is_flow ? VSW_LOG_DEBUG : VSW_LOG_INFO, "reconcile: %s", what);
	}
	return false;
}

/* A dataplane rule's strict filter, from its canonical text. */
static int strict_filter_of(const char *text, char *filter, size_t len, char *err, size_t errlen)
{
	struct vsw_flow_spec spec;

	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, err, errlen))
		return -EINVAL;
	if (vsw_config_strict_filter(&spec, filter, len) < 0) {
		snprintf(err, errlen, "flow too long to name");
		return -EINVAL;
	}
	return 0;
}

/* The flow changes one by one: after a refused batch, so one bad rule keeps no other out. */
static int apply_flows_singly(struct vsw_control *ctl, const struct vsw_reconcile_plan *plan,
			      struct tally *t)
{
	struct vsw_dpconn *dp = &ctl->dp;
	char what[VSW_FLOW_TEXT_MAX + 64], err[512], filter[VSW_FLOW_TEXT_MAX];
	int rc;

	for (size_t i = 0; i < plan->n_flow_del; i++) {
		snprintf(what, sizeof(what), "flow-del --strict %s", plan->flow_del[i]);
		rc = strict_filter_of(plan->flow_del[i], filter, sizeof(filter), err, sizeof(err));
		if (!rc) /* else: a rule we cannot name cannot be deleted alone */
			rc = vsw_dpconn_flow_del(dp, filter, true, NULL, err, sizeof(err));
		if (count(ctl, t, &t->flow_del, true, rc, what, err))
			return -ENOTCONN;
	}
	for (size_t i = 0; i < plan->n_flow_add; i++) {
		snprintf(what, sizeof(what), "flow-add %s", plan->flow_add[i]);
		rc = vsw_dpconn_flow_add(dp, plan->flow_add[i], err, sizeof(err));
		if (count(ctl, t, &t->flow_add, true, rc, what, err))
			return -ENOTCONN;
	}
	return 0;
}

/* The flow changes as one flow-batch: one round trip, published at once. */
static int apply_flows(struct vsw_control *ctl, const struct vsw_reconcile_plan *plan,
		       struct tally *t)
{
	char err[512], filter[VSW_FLOW_TEXT_MAX];
	unsigned failed_before = t->failed;
	json_t *ops;
	size_t applied = 0;
	int rc = 0;

	if (!plan->n_flow_del && !plan->n_flow_add)
		return 0;
	ops = json_array();
	if (!ops)
		return -ENOMEM;
	for (size_t i = 0; i < plan->n_flow_del && !rc; i++) {
		if (strict_filter_of(plan->flow_del[i], filter, sizeof(filter), err, sizeof(err))) {
			t->failed++;
			vsw_err(&ctl->log, "reconcile: flow-del --strict %s failed: %s",
				plan->flow_del[i], err);
			continue;
		}
		rc = vsw_dpconn_op_del(ops, filter, true);
	}
	for (size_t i = 0; i < plan->n_flow_add && !rc; i++)
		rc = vsw_dpconn_op_add(ops, plan->flow_add[i]);
	if (rc) {
		json_decref(ops);
		return -ENOMEM;
	}
	rc = vsw_dpconn_flow_batch(&ctl->dp, ops, NULL, &applied, err, sizeof(err));
	json_decref(ops);
	if (rc == -EREMOTEIO) {
		vsw_warn(&ctl->log, "reconcile: flow-batch refused (%s); applying one by one", err);
		if (applied) /* a split batch: repeating those ops is harmless */
			vsw_info(&ctl->log, "reconcile: %zu ops were applied before", applied);
		t->failed = failed_before;
		return apply_flows_singly(ctl, plan, t);
	}
	if (rc)
		return rc;
	t->flow_del += (unsigned)plan->n_flow_del;
	t->flow_add += (unsigned)plan->n_flow_add;
	vsw_dbg(&ctl->log, "reconcile: flow-batch of %zu deletions, %zu additions", plan->n_flow_del,
		plan->n_flow_add);
	return 0;
}

/*
 * The user flows' changes and the tenant rules' as one plan, so that they
 * go in one flow-batch. `all` borrows from both; free its two arrays only.
 */
static int merge_flows(const struct vsw_reconcile_plan *plan, const struct vsw_tenant_sync *ts,
		       struct vsw_reconcile_plan *all)
{
	bool go = ts->ok && !ts->halted;
	size_t nd = go ? ts->plan.n_flow_del : 0, na = go ? ts->plan.n_flow_add : 0;

	*all = *plan;
	all->flow_del = calloc(plan->n_flow_del + nd + 1, sizeof(*all->flow_del));
	all->flow_add = calloc(plan->n_flow_add + na + 1, sizeof(*all->flow_add));
	if (!all->flow_del || !all->flow_add) {
		free(all->flow_del);
		free(all->flow_add);
		return -ENOMEM;
	}
	if (plan->n_flow_del)
		memcpy(all->flow_del, plan->flow_del, plan->n_flow_del * sizeof(*all->flow_del));
	if (nd)
		memcpy(all->flow_del + plan->n_flow_del, ts->plan.flow_del, nd * sizeof(char *));
	if (plan->n_flow_add)
		memcpy(all->flow_add, plan->flow_add, plan->n_flow_add * sizeof(*all->flow_add));
	if (na)
		memcpy(all->flow_add + plan->n_flow_add, ts->plan.flow_add, na * sizeof(char *));
	all->n_flow_del = plan->n_flow_del + nd;
	all->n_flow_add = plan->n_flow_add + na;
	return 0;
}

/*
 * The order of tenant_sync.h: tenant admissions that go and domains that
 * shrink first; then ports that go, miss policies, every rule change in one
 * flow-batch; then ports that come, at their start table (their rules now
 * exist), and tenant port tables; domains and VTEPs last.
 */
static int apply(struct vsw_control *ctl, const struct have *h,
		 const struct vsw_reconcile_plan *plan, struct vsw_tenant_sync *ts,
		 struct tally *t)
{
	struct vsw_dpconn *dp = &ctl->dp;
	char what[VSW_FLOW_TEXT_MAX + 64], err[512];
	struct vsw_reconcile_plan all;
	int rc;

	rc = vsw_tenant_sync_narrow(ctl, ts);
	if (rc)
		return rc;
	for (size_t i = 0; i < h->n_odd_ports; i++) {
		snprintf(what, sizeof(what), "port-del %s (unreadable entry)", h->odd_ports[i]);
		rc = vsw_dpconn_port_del(dp, h->odd_ports[i], err, sizeof(err));
		if (count(ctl, t, &t->port_del, false, rc, what, err))
			return -ENOTCONN;
	}
	for (size_t i = 0; i < plan->n_port_del; i++) {
		const struct vsw_port_cfg *p = plan->port_del[i];

		snprintf(what, sizeof(what), "port-del %s (port %u)", p->name, p->port_no);
		rc = vsw_dpconn_port_del(dp, p->name, err, sizeof(err));
		if (count(ctl, t, &t->port_del, false, rc, what, err))
			return -ENOTCONN;
	}
	for (size_t i = 0; i < plan->n_table_mod; i++) {
		unsigned table = plan->table_mod[i];
		const char *miss = vsw_table_miss_name(ctl->cfg.miss[table]);

		snprintf(what, sizeof(what), "table-mod %u %s", table, miss);
		rc = vsw_dpconn_table_mod(dp, table, miss, err, sizeof(err));
		if (count(ctl, t, &t->table_mod, false, rc, what, err))
			return -ENOTCONN;
	}
	rc = merge_flows(plan, ts, &all);
	if (rc)
		return rc;
	rc = apply_flows(ctl, &all, t);
	free(all.flow_del);
	free(all.flow_add);
	if (rc)
		return rc;
	for (size_t i = 0; i < plan->n_port_add; i++) {
		const struct vsw_port_cfg *p = plan->port_add[i];
		unsigned table = vsw_tenant_sync_table(ts, p->port_no);

		snprintf(what, sizeof(what), "port-add %s (port %u, %s %s %s, table %u)", p->name,
			 p->port_no, p->type, p->mode, p->path, table);
		rc = vsw_dpconn_port_add_at(dp, p, table, err, sizeof(err));
		if (count(ctl, t, &t->port_add, false, rc, what, err))
			return -ENOTCONN;
	}
	rc = vsw_tenant_sync_ports(ctl, ts);
	if (!rc)
		rc = vsw_tenant_sync_widen(ctl, ts);
	return rc;
}

/* The names of the ports the reconcile deletes: their start tables do not count. */
static const char **gone_ports(const struct have *h, const struct vsw_reconcile_plan *plan,
			       size_t *n)
{
	const char **v = calloc(h->n_odd_ports + plan->n_port_del + 1, sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < h->n_odd_ports; i++)
		v[(*n)++] = h->odd_ports[i];
	for (size_t i = 0; i < plan->n_port_del; i++)
		v[(*n)++] = plan->port_del[i]->name;
	return v;
}

int vsw_sync(struct vsw_control *ctl)
{
	const struct vsw_config *cfg = &ctl->cfg;
	struct vsw_reconcile_input in;
	struct vsw_reconcile_plan plan;
	struct vsw_tenant_sync ts = { 0 };
	struct tally t = { 0, 0, 0, 0, 0, 0 };
	const char **want_flows, **gone = NULL;
	size_t n_gone = 0;
	struct have h;
	int rc;

	ctl->dp.need_sync = false;
	rc = have_read(ctl, &h);
	if (rc)
		goto out_free_have;
	want_flows = calloc(cfg->n_flows + 1, sizeof(*want_flows));
	if (!want_flows) {
		rc = -ENOMEM;
		goto out_free_have;
	}
	for (size_t i = 0; i < cfg->n_flows; i++)
		want_flows[i] = cfg->flows[i].text;

	in = (struct vsw_reconcile_input){
		.want_ports = cfg->ports, .n_want_ports = cfg->n_ports,
		.have_ports = h.ports, .n_have_ports = h.n_ports,
		.want_flows = want_flows, .n_want_flows = cfg->n_flows,
		.have_flows = h.flows, .n_have_flows = h.n_flows,
		.want_miss = cfg->miss, .have_miss = h.have_miss ? h.miss : NULL,
	};
	rc = vsw_reconcile(&in, &plan);
	if (rc)
		goto out_free_want;
	gone = gone_ports(&h, &plan, &n_gone);
	rc = gone ? vsw_tenant_sync_prepare(ctl, h.ports_json, gone, n_gone, h.tenant_flows,
					    h.n_tenant_flows, &ts) : -ENOMEM;
	if (rc)
		goto out_free_plan;
	if (vsw_reconcile_plan_empty(&plan) && !h.n_odd_ports &&
	    (!ts.ok || vsw_tenant_plan_empty(&ts.plan))) {
		vsw_info(&ctl->log, "reconcile: dataplane already matches (%zu ports, %zu flows, "
			 "%zu tenant rules)", cfg->n_ports, cfg->n_flows, ts.c.n_flows);
		vsw_tenant_sync_done(ctl, &ts, true);
		goto out_free_plan;
	}
	rc = apply(ctl, &h, &plan, &ts, &t);
	vsw_tenant_sync_done(ctl, &ts, !rc && !t.failed);
	vsw_log(&ctl->log, rc || t.failed || ts.failed ? VSW_LOG_ERROR : VSW_LOG_INFO,
		"reconcile: %s: ports %u added, %u deleted; tables %u changed; flows %u added"
		" (%zu replacing), %u deleted (%zu tenant rules wanted); %u failed%s",
		rc ? "interrupted (again on reconnect)" : "done", t.port_add, t.port_del,
		t.table_mod, t.flow_add, plan.n_flow_replace, t.flow_del, ts.c.n_flows,
		t.failed + ts.failed,
		t.failed + ts.failed ? " (see above)" : "");

out_free_plan:
	free(gone);
	vsw_tenant_sync_free(&ts);
	vsw_reconcile_plan_free(&plan);
	if (!rc)
		rc = vsw_sync_mirrors(ctl);
out_free_want:
	free(want_flows);
out_free_have:
	have_free(&h);
	if (rc == -ENOMEM)
		vsw_err(&ctl->log, "reconcile: out of memory");
	return rc;
}
