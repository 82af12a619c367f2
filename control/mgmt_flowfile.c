/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow file commands: add-flows, replace-flows. See PROTOCOL.md.
 *
 * Both take a whole file (flowfile.h) and make it one change: one store
 * transaction and one flow-batch, so that the file is installed entirely or
 * not at all, in the store and in the dataplane alike. Every step is linear
 * (replace-flows: O(n log n) for its diff), so 100k rules take seconds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flowfile.h"
#include "mgmt_cmds.h"
#include "proto.h"
#include "replace.h"

/* The file's arguments, parsed: a reply on failure. */
static json_t *read_file(struct vsw_control *ctl, json_t *req, struct vsw_flowfile *ff)
{
	const char *file, **lines;
	json_t *r = NULL;
	char err[640];
	size_t n;
	int rc;

	memset(ff, 0, sizeof(*ff));
	if (vsw_mgmt_arg_str(req, "file", true, &file, &r) ||
	    vsw_mgmt_arg_lines(req, "lines", &lines, &n, &r))
		return r;
	rc = vsw_flowfile_parse(&ctl->cfg, file, lines, n, ff, err, sizeof(err));
	free(lines);
	return rc ? vsw_proto_error("%s", err) : NULL;
}

static json_t *add_flows(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_flowfile ff;
	json_t *r, *ops = NULL;
	int64_t now = vsw_mgmt_wall_ms();
	int rc, dp_rc;

	r = read_file(ctl, req, &ff);
	if (r)
		return r;
	ops = json_array();
	if (!ops || vsw_config_reserve_flows(cfg, ff.n)) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}

	rc = vsw_store_begin(ctl->store);
	for (size_t i = 0; i < ff.n && !rc; i++) {
		struct vsw_flow_rec *f = &ff.recs[i];
		long old = vsw_config_find_rec(cfg, f);

		f->installed_ms = now;
		if (old >= 0)
			rc = vsw_store_del_flow(ctl->store, cfg->flows[old].id);
		if (!rc)
			rc = vsw_store_put_flow(ctl->store, f->text, now, &f->id);
		if (!rc && vsw_dpconn_op_add(ops, f->text))
			rc = -ENOMEM;
	}
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, "add-flows", rc);
		goto out_free;
	}
	/* An add replaces a rule of the same identity in the dataplane too. */
	r = vsw_mgmt_batch(ctl, ops, &dp_rc);
	if (!r)
		r = vsw_mgmt_commit(ctl, "add-flows", dp_rc);
	if (r)
		goto out_free;
	for (size_t i = 0; i < ff.n; i++)
		vsw_config_put_rec(cfg, &ff.recs[i]); /* room reserved: cannot fail */
	vsw_info(&ctl->log, "add-flows %s: %zu flows from %zu lines%s",
		 json_string_value(json_object_get(req, "file")), ff.n, ff.n_lines,
		 vsw_mgmt_dp_note(dp_rc));
	r = vsw_proto_ok();
	json_object_set_new(r, "added", json_integer((json_int_t)ff.n));
out_free:
	json_decref(ops);
	vsw_flowfile_free(&ff);
	return r;
}

/* The store rows and dataplane ops of a replace-flows plan. */
static int replace_rows(struct vsw_control *ctl, const struct vsw_replace_plan *p,
			struct vsw_flowfile *ff, json_t *ops)
{
	const struct vsw_config *cfg = &ctl->cfg;
	int64_t now = vsw_mgmt_wall_ms();
	int rc = 0;

	/* Deleted rules: a strict delete each. Modified ones: the add replaces them. */
	for (size_t i = 0; i < p->n_del && !rc; i++) {
		rc = vsw_store_del_flow(ctl->store, cfg->flows[p->del[i]].id);
		if (!rc)
			rc = vsw_dpconn_op_del_rule(ops, &cfg->flows[p->del[i]]);
	}
	for (size_t i = 0; i < p->n_mod && !rc; i++)
		rc = vsw_store_del_flow(ctl->store, cfg->flows[p->mod_have[i]].id);
	for (size_t k = 0; k < p->n_add + p->n_mod && !rc; k++) {
		struct vsw_flow_rec *f = &ff->recs[k < p->n_add ? p->add[k] : p->mod[k - p->n_add]];

		f->installed_ms = now;
		rc = vsw_store_put_flow(ctl->store, f->text, now, &f->id);
		if (!rc)
			rc = vsw_dpconn_op_add(ops, f->text);
	}
	return rc;
}

/* After COMMIT: the model becomes the file's set. Cannot fail (room reserved). */
static void replace_model(struct vsw_config *cfg, const struct vsw_replace_plan *p,
			  struct vsw_flowfile *ff, bool *gone)
{
	for (size_t i = 0; i < p->n_del; i++)
		gone[p->del[i]] = true;
	vsw_config_del_flows(cfg, gone);
	/* By identity: a modified rule takes its old one's place, an added one goes last. */
	for (size_t i = 0; i < p->n_mod; i++)
		vsw_config_put_rec(cfg, &ff->recs[p->mod[i]]);
	for (size_t i = 0; i < p->n_add; i++)
		vsw_config_put_rec(cfg, &ff->recs[p->add[i]]);
}

static json_t *replace_flows(struct vsw_control *ctl, json_t *req)
{
	struct vsw_config *cfg = &ctl->cfg;
	struct vsw_replace_plan plan = { 0 };
	struct vsw_flowfile ff;
	json_t *r, *ops = NULL;
	bool *gone = NULL;
	int rc, dp_rc = -ENOTCONN;

	r = read_file(ctl, req, &ff);
	if (r)
		return r;
	ops = json_array();
	gone = calloc(cfg->n_flows + 1, sizeof(*gone));
	if (!ops || !gone || vsw_replace_diff(cfg->flows, cfg->n_flows, ff.recs, ff.n, &plan) ||
	    vsw_config_reserve_flows(cfg, plan.n_add)) {
		r = vsw_proto_error("out of memory");
		goto out_free;
	}
	if (!plan.n_add && !plan.n_mod && !plan.n_del) {
		dp_rc = 0; /* already the file's set: nothing touched, nothing sent */
		goto out_log;
	}

	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = replace_rows(ctl, &plan, &ff, ops);
	if (rc) {
		r = vsw_mgmt_store_failed(ctl, "replace-flows", rc);
		goto out_free;
	}
	r = vsw_mgmt_batch(ctl, ops, &dp_rc);
	if (!r)
		r = vsw_mgmt_commit(ctl, "replace-flows", dp_rc);
	if (r)
		goto out_free;
	replace_model(cfg, &plan, &ff, gone);
out_log:
	vsw_info(&ctl->log, "replace-flows %s: %zu added, %zu deleted, %zu modified, %zu unchanged%s",
		 json_string_value(json_object_get(req, "file")), plan.n_add, plan.n_del,
		 plan.n_mod, plan.n_unchanged, vsw_mgmt_dp_note(dp_rc));
	r = json_pack("{s:b,s:I,s:I,s:I,s:I}", "ok", 1, "added", (json_int_t)plan.n_add,
		      "deleted", (json_int_t)plan.n_del, "modified", (json_int_t)plan.n_mod,
		      "unchanged", (json_int_t)plan.n_unchanged);
out_free:
	vsw_replace_plan_free(&plan);
	free(gone);
	json_decref(ops);
	vsw_flowfile_free(&ff);
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_flowfile_cmds[] = {
	{ "add-flows", add_flows, false },
	{ "replace-flows", replace_flows, false },
	{ NULL, NULL, false },
};
