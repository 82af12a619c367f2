/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow commands: add-flow, del-flows, dump-flows. See PROTOCOL.md. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_cmds.h"
#include "proto.h"

static json_t *add_flow(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_cfg flow;
	const char *text;
	json_t *r = NULL;
	char err[512];
	long old;
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "flow", true, &text, &r))
		return r;
	if (vsw_config_parse_flow(cfg, text, &flow, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	if (vsw_config_reserve(cfg))
		return vsw_proto_error("out of memory");
	old = vsw_config_find_rule(cfg, &flow.spec);

	rc = vsw_store_begin(ctl->store);
	if (!rc && old >= 0)
		rc = vsw_store_del_flow(ctl->store, cfg->flows[old].id);
	if (!rc)
		rc = vsw_store_put_flow(ctl->store, flow.text, &flow.id);
	if (rc)
		return vsw_mgmt_store_failed(ctl, "add-flow", rc);

	/* Same table, priority and match: the dataplane replaces it too. */
	dp_rc = vsw_dpconn_flow_add(&ctl->dp, flow.text, err, sizeof(err));
	if (dp_rc == -EREMOTEIO) {
		vsw_store_rollback(ctl->store);
		return vsw_proto_error("dataplane: %s", err);
	}
	rc = vsw_store_commit(ctl->store);
	if (rc) {
		if (dp_rc == 0)
			ctl->dp.need_sync = true;
		return vsw_mgmt_store_failed(ctl, "add-flow", rc);
	}
	vsw_config_put_flow(cfg, &flow); /* room reserved: cannot fail */
	vsw_info(&ctl->log, "add-flow %s%s%s", flow.text, old >= 0 ? " (replaces a rule)" : "",
		 dp_rc == -ENOTCONN ? " (dataplane not connected: it gets this when it connects)" : "");
	return vsw_proto_ok();
}

/* Take the selected rules out of the dataplane, one strict flow-del each. */
static int dataplane_del(struct vsw_control *ctl, const bool *gone, size_t *applied,
			 char *err, size_t errlen)
{
	const struct vsw_config *cfg = &ctl->cfg;
	char filter[VSW_FLOW_TEXT_MAX];
	int rc = 0;

	*applied = 0;
	for (size_t i = 0; i < cfg->n_flows; i++) {
		if (!gone[i])
			continue;
		if (vsw_config_strict_filter(&cfg->flows[i].spec, filter, sizeof(filter)) < 0) {
			snprintf(err, errlen, "flow too long to delete");
			return -EREMOTEIO;
		}
		rc = vsw_dpconn_flow_del(&ctl->dp, filter, true, NULL, err, errlen);
		if (rc)
			return rc;
		(*applied)++;
	}
	return 0;
}

static json_t *del_flows(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_spec filter;
	const char *text;
	json_t *r = NULL;
	size_t n = 0, applied;
	char err[512];
	bool strict, *gone;
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "flow", false, &text, &r) ||
	    vsw_mgmt_arg_bool(req, "strict", false, &strict, &r))
		return r;
	if (vsw_config_parse_filter(cfg, text, &filter, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	gone = calloc(cfg->n_flows + 1, sizeof(*gone));
	if (!gone)
		return vsw_proto_error("out of memory");
	for (size_t i = 0; i < cfg->n_flows; i++) {
		gone[i] = vsw_flow_spec_selects(&filter, &cfg->flows[i].spec, strict);
		n += gone[i];
	}
	if (n == 0)
		goto out_reply;

	rc = vsw_store_begin(ctl->store);
	for (size_t i = 0; i < cfg->n_flows && !rc; i++)
		if (gone[i])
			rc = vsw_store_del_flow(ctl->store, cfg->flows[i].id);
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, "del-flows", rc);
		goto out_free_gone;
	}
	dp_rc = dataplane_del(ctl, gone, &applied, err, sizeof(err));
	if (dp_rc == -EREMOTEIO) {
		vsw_store_rollback(ctl->store);
		if (applied)
			ctl->dp.need_sync = true; /* puts back what went before the refusal */
		r = vsw_proto_error("dataplane: %s", err);
		goto out_free_gone;
	}
	rc = vsw_store_commit(ctl->store);
	if (rc) {
		if (applied)
			ctl->dp.need_sync = true;
		r = vsw_mgmt_store_failed(ctl, "del-flows", rc);
		goto out_free_gone;
	}
	vsw_config_del_flows(cfg, gone);
	vsw_info(&ctl->log, "del-flows%s '%s': %zu deleted%s", strict ? " --strict" : "",
		 text ? text : "", n,
		 dp_rc == -ENOTCONN ? " (dataplane not connected: it gets this when it connects)" : "");
out_reply:
	r = vsw_proto_ok();
	json_object_set_new(r, "deleted", json_integer((json_int_t)n));
out_free_gone:
	free(gone);
	return r;
}

/* The dataplane's flow-list entries, sorted by text for lookups. */
struct live {
	const char *text;
	json_t *entry;
};

static int cmp_live(const void *a, const void *b)
{
	return strcmp(((const struct live *)a)->text, ((const struct live *)b)->text);
}

static struct live *live_index(json_t *flows, size_t *n)
{
	struct live *v = calloc(json_array_size(flows) + 1, sizeof(*v));
	json_t *e;
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	json_array_foreach(flows, i, e) {
		const char *t = json_string_value(json_object_get(e, "flow"));

		if (t)
			v[(*n)++] = (struct live){ t, e };
	}
	qsort(v, *n, sizeof(*v), cmp_live);
	return v;
}

/* dump-flows order: table, then priority high to low, then age. */
struct pick {
	const struct vsw_flow_cfg *flow;
	size_t index;
};

static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	const struct vsw_flow_spec *p = &x->flow->spec, *q = &y->flow->spec;

	if (p->table != q->table)
		return p->table < q->table ? -1 : 1;
	if (p->priority != q->priority)
		return p->priority > q->priority ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static json_int_t num(json_t *entry, const char *key)
{
	return entry ? json_integer_value(json_object_get(entry, key)) : 0;
}

static json_t *flow_json(const struct vsw_config *cfg, const struct vsw_flow_cfg *f,
			 json_t *live)
{
	const struct vsw_flow_spec *s = &f->spec;
	struct vsw_port_names names;
	char cookie[32], match[VSW_FLOW_TEXT_MAX], actions[VSW_FLOW_TEXT_MAX];
	json_t *o;

	vsw_config_names(cfg, VSW_NAMES_EVER, &names);
	snprintf(cookie, sizeof(cookie), "0x%" PRIx64, s->cookie);
	if (vsw_flow_format_match(&s->match, s->priority, &names, match, sizeof(match)) < 0 ||
	    vsw_flow_format_actions(&s->actions, &names, actions, sizeof(actions)) < 0)
		return NULL;
	o = json_pack("{s:s,s:f,s:i,s:I,s:I,s:I,s:i,s:s,s:s}",
		      "cookie", cookie,
		      "duration", (double)num(live, "duration_ms") / 1000.0,
		      "table", (int)s->table,
		      "n_packets", num(live, "n_packets"),
		      "n_bytes", num(live, "n_bytes"),
		      "idle_age", num(live, "idle_ms") / 1000,
		      "priority", (int)s->priority,
		      "match", match,
		      "actions", actions);
	if (o && s->idle_timeout)
		json_object_set_new(o, "idle_timeout", json_integer(s->idle_timeout));
	if (o && s->hard_timeout)
		json_object_set_new(o, "hard_timeout", json_integer(s->hard_timeout));
	return o;
}

static json_t *dump_flows(struct vsw_control *ctl, json_t *req)
{
	const struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_spec filter;
	json_t *r = NULL, *dp_flows = NULL, *out;
	struct live *live = NULL;
	struct pick *picks;
	size_t n_live = 0, n = 0;
	const char *text;
	char err[512];
	int rc;

	if (vsw_mgmt_arg_str(req, "flow", false, &text, &r))
		return r;
	if (vsw_config_parse_filter(cfg, text, &filter, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	if (vsw_dpconn_connected(&ctl->dp)) {
		rc = vsw_dpconn_flow_list(&ctl->dp, &dp_flows, err, sizeof(err));
		if (rc == -EREMOTEIO)
			vsw_warn(&ctl->log, "flow-list: %s", err);
		if (!rc)
			live = live_index(dp_flows, &n_live);
	}
	picks = calloc(cfg->n_flows + 1, sizeof(*picks));
	out = json_array();
	if (!picks || !out) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}
	for (size_t i = 0; i < cfg->n_flows; i++)
		if (vsw_flow_spec_selects(&filter, &cfg->flows[i].spec, false))
			picks[n++] = (struct pick){ &cfg->flows[i], i };
	qsort(picks, n, sizeof(*picks), cmp_pick);
	for (size_t i = 0; i < n; i++) {
		struct live key = { picks[i].flow->text, NULL };
		struct live *hit = live ? bsearch(&key, live, n_live, sizeof(*live), cmp_live) : NULL;
		json_t *o = flow_json(cfg, picks[i].flow, hit ? hit->entry : NULL);

		if (o)
			json_array_append_new(out, o);
	}
	r = vsw_proto_ok();
	json_object_set(r, "flows", out);

out_free:
	json_decref(out);
	free(picks);
	free(live);
	json_decref(dp_flows);
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_flow_cmds[] = {
	{ "add-flow", add_flow, false },
	{ "del-flows", del_flows, false },
	{ "dump-flows", dump_flows, true },
	{ NULL, NULL, false },
};
