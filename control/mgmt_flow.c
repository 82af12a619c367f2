/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow commands: add-flow, del-flows, dump-flows, mod-flows. See PROTOCOL.md. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "intent.h"
#include "mgmt_cmds.h"
#include "proto.h"

static json_t *add_flow(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_cfg flow;
	struct vsw_flow_rec rec;
	const char *text;
	json_t *r = NULL;
	char err[512];
	long old;
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "flow", true, &text, &r))
		return r;
	if (vsw_config_parse_flow(cfg, text, &flow, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	flow.installed_ms = vsw_mgmt_wall_ms();
	if (vsw_config_reserve(cfg) || vsw_flow_rec_from(&flow, &rec))
		return vsw_proto_error("out of memory");
	old = vsw_config_find_rule(cfg, &flow.spec);

	rc = vsw_store_begin(ctl->store);
	if (!rc && old >= 0)
		rc = vsw_store_del_flow(ctl->store, cfg->flows[old].id);
	if (!rc)
		rc = vsw_store_put_flow(ctl->store, flow.text, flow.installed_ms, &rec.id);
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, "add-flow", rc);
		goto err_free_rec;
	}

	/* Same table, priority and match: the dataplane replaces it too. */
	dp_rc = vsw_dpconn_flow_add(&ctl->dp, flow.text, err, sizeof(err));
	if (dp_rc == -EREMOTEIO) {
		vsw_store_rollback(ctl->store);
		r = vsw_proto_error("dataplane: %s", err);
		goto err_free_rec;
	}
	r = vsw_mgmt_commit(ctl, "add-flow", dp_rc);
	if (r)
		goto err_free_rec;
	vsw_config_put_rec(cfg, &rec); /* room reserved: cannot fail */
	vsw_info(&ctl->log, "add-flow %s%s%s", flow.text, old >= 0 ? " (replaces a rule)" : "",
		 vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();

err_free_rec:
	vsw_flow_rec_free(&rec);
	return r;
}

/* The rules `filter` selects: gone[i] (n_flows entries), their count in *n. */
static bool *select_flows(const struct vsw_config *cfg, const struct vsw_flow_spec *filter,
			  bool strict, size_t *n)
{
	bool *sel = calloc(cfg->n_flows + 1, sizeof(*sel));

	*n = 0;
	for (size_t i = 0; sel && i < cfg->n_flows; i++) {
		sel[i] = vsw_flow_rec_selected(filter, &cfg->flows[i], strict);
		*n += sel[i];
	}
	return sel;
}

static json_t *del_flows(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_spec filter;
	const char *text;
	json_t *r = NULL, *ops = NULL;
	size_t n = 0;
	char err[512];
	bool strict, *gone;
	int rc, dp_rc;

	if (vsw_mgmt_arg_str(req, "flow", false, &text, &r) ||
	    vsw_mgmt_arg_bool(req, "strict", false, &strict, &r))
		return r;
	if (vsw_config_parse_filter(cfg, text, &filter, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	gone = select_flows(cfg, &filter, strict, &n);
	ops = json_array();
	if (!gone || !ops) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}
	if (n == 0)
		goto out_reply;

	/* One strict delete per rule, all in one batch: only what the user selected goes. */
	rc = vsw_store_begin(ctl->store);
	for (size_t i = 0; i < cfg->n_flows && !rc; i++)
		if (gone[i])
			rc = vsw_store_del_flow(ctl->store, cfg->flows[i].id);
	for (size_t i = 0; i < cfg->n_flows && !rc; i++)
		if (gone[i] && vsw_dpconn_op_del_rule(ops, &cfg->flows[i]))
			rc = -ENOMEM;
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, "del-flows", rc);
		goto out_free;
	}
	r = vsw_mgmt_batch(ctl, ops, &dp_rc);
	if (!r)
		r = vsw_mgmt_commit(ctl, "del-flows", dp_rc);
	if (r)
		goto out_free;
	vsw_config_del_flows(cfg, gone);
	vsw_info(&ctl->log, "del-flows%s '%s': %zu deleted%s", strict ? " --strict" : "",
		 text ? text : "", n, vsw_mgmt_dp_note(dp_rc));
out_reply:
	r = vsw_proto_ok();
	json_object_set_new(r, "deleted", json_integer((json_int_t)n));
out_free:
	json_decref(ops);
	free(gone);
	return r;
}

/* dump-flows order: table, then priority high to low, then age. */
struct pick {
	const struct vsw_flow_rec *flow;
	size_t index;
};

static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	const struct vsw_flow_rec *p = x->flow, *q = y->flow;

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

static json_t *flow_json(const struct vsw_config *cfg, const struct vsw_flow_rec *f,
			 json_t *live, struct vsw_flow_spec *spec)
{
	struct vsw_port_names names;
	char cookie[32], owner[32], match[VSW_FLOW_TEXT_MAX], actions[VSW_FLOW_TEXT_MAX];
	json_t *o;

	/* The model keeps actions as text: parse them back to print port names. */
	if (vsw_flow_parse(f->text, VSW_PARSE_ADD, NULL, spec, NULL, 0))
		return NULL;
	vsw_config_names(cfg, VSW_NAMES_EVER, &names);
	snprintf(cookie, sizeof(cookie), "0x%" PRIx64, f->cookie);
	if (vsw_flow_format_match(&f->match, f->priority, &names, match, sizeof(match)) < 0 ||
	    vsw_flow_format_actions(&spec->actions, &names, actions, sizeof(actions)) < 0)
		return NULL;
	o = json_pack("{s:s,s:f,s:i,s:I,s:I,s:I,s:i,s:s,s:s}",
		      "cookie", cookie,
		      "duration", (double)num(live, "duration_ms") / 1000.0,
		      "table", (int)f->table,
		      "n_packets", num(live, "n_packets"),
		      "n_bytes", num(live, "n_bytes"),
		      "idle_age", num(live, "idle_ms") / 1000,
		      "priority", (int)f->priority,
		      "match", match,
		      "actions", actions);
	/* Rules of the tenant pipeline say whose they are. */
	if (o && vsw_config_cookie_owner(cfg, f->cookie, owner, sizeof(owner)))
		json_object_set_new(o, "owner", json_string(owner));
	if (o && f->idle_timeout)
		json_object_set_new(o, "idle_timeout", json_integer(f->idle_timeout));
	if (o && f->hard_timeout)
		json_object_set_new(o, "hard_timeout", json_integer(f->hard_timeout));
	return o;
}

/*
 * The tenant pipeline's rules, compiled from the model (the dataplane holds
 * exactly these once reconciled), as records pointing at `comp`'s texts.
 * *n_recs = 0 on -ENOMEM.
 */
static struct vsw_flow_rec *tenant_recs(const struct vsw_config *cfg,
					struct vsw_compiled *comp, struct vsw_flow_spec *spec,
					size_t *n_recs)
{
	struct vsw_flow_rec *recs;

	*n_recs = 0;
	if (vsw_compile_config(cfg, comp))
		return NULL;
	recs = calloc(comp->n_flows + 1, sizeof(*recs));
	if (!recs)
		return NULL;
	for (size_t i = 0; i < comp->n_flows; i++) {
		struct vsw_flow_rec *rec = &recs[*n_recs];

		if (vsw_flow_parse(comp->flows[i].text, VSW_PARSE_ADD, NULL, spec, NULL, 0))
			continue; /* compiled rules always parse; skipped rather than guessed */
		rec->text = comp->flows[i].text;
		rec->cookie = spec->cookie;
		rec->priority = spec->priority;
		rec->table = spec->table;
		rec->match = spec->match;
		(*n_recs)++;
	}
	return recs;
}

static json_t *dump_flows(struct vsw_control *ctl, json_t *req)
{
	const struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_spec filter, *spec;
	struct vsw_dpconn_stats live = { 0 };
	struct vsw_compiled comp = { 0 };
	struct vsw_flow_rec *trecs = NULL;
	json_t *r = NULL, *out;
	struct pick *picks = NULL;
	size_t n = 0, n_trecs = 0;
	const char *text;
	char err[512];
	int rc;

	if (vsw_mgmt_arg_str(req, "flow", false, &text, &r))
		return r;
	if (vsw_config_parse_filter(cfg, text, &filter, err, sizeof(err)))
		return vsw_proto_error("%s", err);
	spec = malloc(sizeof(*spec));
	out = json_array();
	if (spec)
		trecs = tenant_recs(cfg, &comp, spec, &n_trecs);
	if (spec)
		picks = calloc(cfg->n_flows + n_trecs + 1, sizeof(*picks));
	if (!picks || !spec || !out || (comp.n_flows && !trecs)) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}
	for (size_t i = 0; i < cfg->n_flows; i++)
		if (vsw_flow_rec_selected(&filter, &cfg->flows[i], false))
			picks[n++] = (struct pick){ &cfg->flows[i], i };
	for (size_t i = 0; i < n_trecs; i++)
		if (vsw_flow_rec_selected(&filter, &trecs[i], false))
			picks[n++] = (struct pick){ &trecs[i], cfg->n_flows + i };
	qsort(picks, n, sizeof(*picks), cmp_pick);
	/* Counters from the dataplane: its whole flow-list, so only when something is shown. */
	if (n && vsw_dpconn_connected(&ctl->dp)) {
		rc = vsw_dpconn_stats(&ctl->dp, &live, err, sizeof(err));
		if (rc == -EREMOTEIO)
			vsw_warn(&ctl->log, "flow-list: %s", err);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = flow_json(cfg, picks[i].flow,
				      vsw_dpconn_stats_find(&live, picks[i].flow->text), spec);

		if (o)
			json_array_append_new(out, o);
	}
	r = vsw_proto_ok();
	json_object_set(r, "flows", out);

out_free:
	json_decref(out);
	free(spec);
	free(picks);
	free(trecs);
	vsw_compiled_free(&comp);
	vsw_dpconn_stats_free(&live);
	return r;
}

static bool is_delim(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool key_is(const char *k, size_t len, const char *word)
{
	return len == strlen(word) && strncmp(k, word, len) == 0;
}

/*
 * mod-flows SPEC is "MATCH,actions=LIST": the length of the MATCH part
 * (strlen when there are no actions), and whether it gives cookie=V
 * without a mask (*new_cookie).
 */
static size_t match_part(const char *s, bool *new_cookie)
{
	const char *p = s, *k, *v;

	*new_cookie = false;
	for (;;) {
		while (*p && is_delim(*p))
			p++;
		if (!*p)
			return strlen(s);
		k = p;
		while (*p && !is_delim(*p) && *p != '=')
			p++;
		if (*p != '=')
			continue;
		if (key_is(k, (size_t)(p - k), "actions") || key_is(k, (size_t)(p - k), "action"))
			return (size_t)(k - s);
		if (key_is(k, (size_t)(p - k), "cookie")) {
			v = ++p;
			while (*p && !is_delim(*p))
				p++;
			*new_cookie = !memchr(v, '/', (size_t)(p - v));
		}
		while (*p && !is_delim(*p))
			p++;
	}
}

/* What mod-flows does: which rules, which new actions (and cookie). */
struct mod {
	struct vsw_flow_spec filter;
	struct vsw_flow_spec with; /* the new actions */
	bool set_cookie;
	uint64_t cookie;
};

static int parse_mod(const struct vsw_config *cfg, const char *text, struct mod *m, char *err,
		     size_t errlen)
{
	struct vsw_port_names names;
	size_t len = match_part(text, &m->set_cookie);
	char *match;
	int rc;

	if (!text[len]) {
		snprintf(err, errlen, "must specify actions");
		return -EINVAL;
	}
	match = strndup(text, len);
	if (!match) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = vsw_config_parse_filter(cfg, match, &m->filter, err, errlen);
	free(match);
	if (rc)
		return rc;
	/* Cookie=V without a mask: not a selection but the rules' new cookie, as in ovs-ofctl. */
	if (m->set_cookie) {
		m->cookie = m->filter.cookie;
		m->filter.cookie = m->filter.cookie_mask = 0;
	}
	vsw_config_names(cfg, VSW_NAMES_CURRENT, &names);
	rc = vsw_flow_parse(text + len, VSW_PARSE_ADD, &names, &m->with, err, errlen);
	if (!rc && m->set_cookie)
		m->with.cookie = m->cookie; /* checked with the actions */
	if (!rc)
		rc = vsw_config_user_flow_check(&m->with, err, errlen);
	return rc ? rc : vsw_config_flow_ports_check(cfg, &m->with, err, errlen);
}

/* The canonical text of rule `f` with the modification. NULL: out of memory or too long. */
static char *modified_text(const struct vsw_flow_rec *f, const struct mod *m,
			   struct vsw_flow_spec *spec)
{
	char text[VSW_FLOW_TEXT_MAX];

	if (vsw_flow_parse(f->text, VSW_PARSE_ADD, NULL, spec, NULL, 0))
		return NULL;
	spec->actions = m->with.actions;
	if (m->set_cookie)
		spec->cookie = m->cookie;
	if (vsw_flow_format(spec, NULL, text, sizeof(text)) < 0)
		return NULL;
	return strdup(text);
}

/*
 * The mod ops as one flow-batch (vsw_mgmt_batch()). A dataplane that
 * refuses them (one from before flow-batch had "mod") gets adds instead:
 * the rules change all the same, but their counters restart; said in the log.
 */
static json_t *mod_batch(struct vsw_control *ctl, json_t *ops, int *dp_rc)
{
	size_t applied = 0, i;
	char err[512];
	json_t *op;

	*dp_rc = vsw_dpconn_flow_batch(&ctl->dp, ops, NULL, &applied, err, sizeof(err));
	if (*dp_rc == 0 || *dp_rc == -ENOTCONN)
		return NULL;
	if (*dp_rc != -EREMOTEIO || applied) {
		vsw_store_rollback(ctl->store);
		if (applied)
			ctl->dp.need_sync = true;
		return *dp_rc == -EREMOTEIO ? vsw_proto_error("dataplane: %s", err) :
					      vsw_proto_error("%s", err);
	}
	vsw_warn(&ctl->log, "mod-flows: dataplane refused mod ops (%s); replacing the rules instead"
		 " (their counters restart)", err);
	json_array_foreach(ops, i, op)
		json_object_set_new(op, "op", json_string("add"));
	return vsw_mgmt_batch(ctl, ops, dp_rc);
}

static json_t *mod_flows(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flow_spec *spec = malloc(sizeof(*spec));
	struct mod *m = malloc(sizeof(*m));
	json_t *r = NULL, *ops = json_array();
	char **texts = NULL, err[512];
	const char *text;
	bool strict, *sel = NULL;
	size_t n = 0, n_changed = 0;
	int rc = 0, dp_rc;

	if (!spec || !m || !ops) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}
	if (vsw_mgmt_arg_str(req, "flow", true, &text, &r) ||
	    vsw_mgmt_arg_bool(req, "strict", false, &strict, &r))
		goto out_free;
	if (parse_mod(cfg, text, m, err, sizeof(err))) {
		r = vsw_proto_error("%s", err);
		goto out_free;
	}
	sel = select_flows(cfg, &m->filter, strict, &n);
	texts = calloc(cfg->n_flows + 1, sizeof(*texts));
	if (!sel || !texts) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}
	/* New texts first: after COMMIT nothing may fail. Unchanged rules are left alone. */
	for (size_t i = 0; i < cfg->n_flows; i++) {
		if (!sel[i])
			continue;
		texts[i] = modified_text(&cfg->flows[i], m, spec);
		if (!texts[i]) {
			r = vsw_proto_error("mod-flows: cannot rewrite %s", cfg->flows[i].text);
			goto out_free;
		}
		if (strcmp(texts[i], cfg->flows[i].text) == 0) {
			free(texts[i]);
			texts[i] = NULL;
		} else {
			n_changed++;
		}
	}
	if (!n_changed)
		goto out_reply;

	/* Row and install time kept (a hard timeout keeps its deadline); counters kept. */
	rc = vsw_store_begin(ctl->store);
	for (size_t i = 0; i < cfg->n_flows && !rc; i++)
		if (texts[i]) {
			rc = vsw_store_set_flow(ctl->store, cfg->flows[i].id, texts[i]);
			if (!rc && vsw_dpconn_op_mod(ops, texts[i]))
				rc = -ENOMEM;
		}
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, "mod-flows", rc);
		goto out_free;
	}
	r = mod_batch(ctl, ops, &dp_rc);
	if (!r)
		r = vsw_mgmt_commit(ctl, "mod-flows", dp_rc);
	if (r)
		goto out_free;
	for (size_t i = 0; i < cfg->n_flows; i++)
		if (texts[i]) {
			vsw_config_set_text(cfg, i, texts[i],
					    m->set_cookie ? m->cookie : cfg->flows[i].cookie);
			texts[i] = NULL;
		}
	vsw_info(&ctl->log, "mod-flows%s '%s': %zu modified%s", strict ? " --strict" : "", text,
		 n_changed, vsw_mgmt_dp_note(dp_rc));
out_reply:
	r = vsw_proto_ok();
	json_object_set_new(r, "modified", json_integer((json_int_t)n));
out_free:
	for (size_t i = 0; texts && i < cfg->n_flows; i++)
		free(texts[i]);
	free(texts);
	free(sel);
	json_decref(ops);
	free(m);
	free(spec);
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_flow_cmds[] = {
	{ "add-flow", add_flow, false },
	{ "del-flows", del_flows, false },
	{ "dump-flows", dump_flows, true },
	{ "mod-flows", mod_flows, false },
	{ NULL, NULL, false },
};
