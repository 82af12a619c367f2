/* SPDX-License-Identifier: BSD-3-Clause */
/* Reconciliation with the dataplane: see sync.h and reconcile.h. */
#include "sync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"

/* What the dataplane has, as the diff wants it. */
struct have {
	json_t *ports_json, *flows_json; /* own the strings below */
	struct vsw_port_cfg *ports;
	size_t n_ports;
	const char **odd_ports; /* entries we cannot read: deleted by name */
	size_t n_odd_ports;
	const char **flows;
	size_t n_flows;
};

static void have_free(struct have *h)
{
	free(h->ports);
	free(h->odd_ports);
	free(h->flows);
	json_decref(h->ports_json);
	json_decref(h->flows_json);
	memset(h, 0, sizeof(*h));
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
	if (!h->ports || !h->odd_ports || !h->flows)
		return -ENOMEM;
	json_array_foreach(h->ports_json, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));

		if (!vsw_dpconn_port_from_json(e, &h->ports[h->n_ports]))
			h->n_ports++;
		else if (name)
			h->odd_ports[h->n_odd_ports++] = name;
		else
			vsw_warn(&ctl->log, "reconcile: dataplane lists a port without a name");
	}
	json_array_foreach(h->flows_json, i, e) {
		const char *text = json_string_value(json_object_get(e, "flow"));

		if (text)
			h->flows[h->n_flows++] = text;
		else
			vsw_warn(&ctl->log, "reconcile: dataplane lists a flow without text");
	}
	return 0;
}

struct tally {
	unsigned port_del, port_add, flow_del, flow_add, failed;
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

static int apply(struct vsw_control *ctl, const struct have *h,
		 const struct vsw_reconcile_plan *plan, struct tally *t)
{
	struct vsw_dpconn *dp = &ctl->dp;
	char what[VSW_FLOW_TEXT_MAX + 64], err[512], filter[VSW_FLOW_TEXT_MAX];
	struct vsw_flow_spec spec;
	int rc;

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
	for (size_t i = 0; i < plan->n_port_add; i++) {
		const struct vsw_port_cfg *p = plan->port_add[i];

		snprintf(what, sizeof(what), "port-add %s (port %u, %s %s %s)", p->name, p->port_no,
			 p->type, p->mode, p->path);
		rc = vsw_dpconn_port_add(dp, p, err, sizeof(err));
		if (count(ctl, t, &t->port_add, false, rc, what, err))
			return -ENOTCONN;
	}
	for (size_t i = 0; i < plan->n_flow_del; i++) {
		snprintf(what, sizeof(what), "flow-del --strict %s", plan->flow_del[i]);
		if (vsw_flow_parse(plan->flow_del[i], VSW_PARSE_ADD, NULL, &spec, err, sizeof(err)) ||
		    vsw_config_strict_filter(&spec, filter, sizeof(filter)) < 0) {
			rc = -EINVAL; /* a rule we cannot name cannot be deleted alone */
		} else {
			rc = vsw_dpconn_flow_del(dp, filter, true, NULL, err, sizeof(err));
		}
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

int vsw_sync(struct vsw_control *ctl)
{
	const struct vsw_config *cfg = &ctl->cfg;
	struct vsw_reconcile_input in;
	struct vsw_reconcile_plan plan;
	struct tally t = { 0, 0, 0, 0, 0 };
	const char **want_flows;
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
	};
	rc = vsw_reconcile(&in, &plan);
	if (rc)
		goto out_free_want;
	if (vsw_reconcile_plan_empty(&plan) && !h.n_odd_ports) {
		vsw_info(&ctl->log, "reconcile: dataplane already matches (%zu ports, %zu flows)",
			 cfg->n_ports, cfg->n_flows);
		goto out_free_plan;
	}
	rc = apply(ctl, &h, &plan, &t);
	vsw_log(&ctl->log, rc || t.failed ? VSW_LOG_ERROR : VSW_LOG_INFO,
		"reconcile: %s: ports %u added, %u deleted; flows %u added (%zu replacing), %u deleted;"
		" %u failed%s",
		rc ? "interrupted (again on reconnect)" : "done", t.port_add, t.port_del, t.flow_add,
		plan.n_flow_replace, t.flow_del, t.failed, t.failed ? " (see above)" : "");

out_free_plan:
	vsw_reconcile_plan_free(&plan);
out_free_want:
	free(want_flows);
out_free_have:
	have_free(&h);
	if (rc == -ENOMEM)
		vsw_err(&ctl->log, "reconcile: out of memory");
	return rc;
}
