/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's flow and table commands (ctl.h, PROTOCOL.md). Main lcore
 * only. Every change is made on a clone of the published table and
 * published once, so PMDs see the old rule set or the new one, never a mix.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "pmd.h"
#include "proto.h"

static const char *str_arg(json_t *req, const char *key)
{
	return json_string_value(json_object_get(req, key));
}

static const char *add_error(int rc)
{
	return rc == -ENOMEM ? "out of memory" : strerror(-rc);
}

/* One add on `ft`: 0, or -1 with the message in err. */
static int apply_add(struct vsw_ft *ft, const char *text, char *err, size_t errlen)
{
	struct vsw_flow_spec spec;
	int rc;

	if (!text) {
		snprintf(err, errlen, "missing \"flow\"");
		return -1;
	}
	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, err, errlen))
		return -1;
	rc = vsw_ft_add(ft, &spec, vsw_dp_now_ms());
	if (rc) {
		snprintf(err, errlen, "%s", add_error(rc));
		return -1;
	}
	return 0;
}

/*
 * One mod on `ft`: the rule with the flow's table, priority and match takes
 * its actions and cookie and keeps its counters; without such a rule, an add.
 */
static int apply_mod(struct vsw_ft *ft, const char *text, char *err, size_t errlen)
{
	struct vsw_flow_spec spec, filter;
	int rc;

	if (!text) {
		snprintf(err, errlen, "missing \"flow\"");
		return -1;
	}
	if (vsw_flow_parse(text, VSW_PARSE_ADD, NULL, &spec, err, errlen))
		return -1;
	filter = spec;
	filter.given |= VSW_SPEC_TABLE | VSW_SPEC_PRIORITY;
	filter.cookie_mask = 0; /* any cookie: the cookie is what changes */
	rc = vsw_ft_mod(ft, &filter, 1, &spec.actions, &spec.cookie);
	if (rc == 0)
		rc = vsw_ft_add(ft, &spec, vsw_dp_now_ms());
	if (rc < 0) {
		snprintf(err, errlen, "%s", add_error(rc));
		return -1;
	}
	return 0;
}

/* One delete on `ft`: the number deleted, or -1 with the message in err. */
static int apply_del(struct vsw_ft *ft, const char *text, bool strict, char *err, size_t errlen)
{
	struct vsw_flow_spec filter;
	int n;

	if (vsw_flow_parse(text ? text : "", VSW_PARSE_FILTER, NULL, &filter, err, errlen))
		return -1;
	n = vsw_ft_del(ft, &filter, strict);
	if (n < 0) {
		snprintf(err, errlen, "%s", strerror(-n));
		return -1;
	}
	return n;
}

static json_t *cmd_flow_add(struct vsw_dp *dp, json_t *req)
{
	struct vsw_ft *next = vsw_ft_clone(atomic_load(&dp->ft));
	char err[256];

	if (!next)
		return vsw_proto_error("flow-add: out of memory");
	if (apply_add(next, str_arg(req, "flow"), err, sizeof(err))) {
		vsw_ft_destroy(next);
		return vsw_proto_error("flow-add: %s", err);
	}
	vsw_dp_publish_ft(dp, next);
	return vsw_proto_ok();
}

static json_t *cmd_flow_del(struct vsw_dp *dp, json_t *req)
{
	bool strict = json_is_true(json_object_get(req, "strict"));
	struct vsw_ft *next = vsw_ft_clone(atomic_load(&dp->ft));
	char err[256];
	int n;

	if (!next)
		return vsw_proto_error("flow-del: out of memory");
	n = apply_del(next, str_arg(req, "flow"), strict, err, sizeof(err));
	if (n <= 0)
		vsw_ft_destroy(next);
	else
		vsw_dp_publish_ft(dp, next);
	if (n < 0)
		return vsw_proto_error("flow-del: %s", err);
	return json_pack("{s:b,s:i}", "ok", 1, "deleted", n);
}

/* All ops on one clone, published once; the first failing op aborts the lot. */
static json_t *cmd_flow_batch(struct vsw_dp *dp, json_t *req)
{
	json_t *ops = json_object_get(req, "ops"), *op;
	struct vsw_ft *next;
	char err[256];
	int deleted = 0;
	size_t i;

	if (!json_is_array(ops))
		return vsw_proto_error("flow-batch: \"ops\" must be an array");
	if (json_array_size(ops) == 0)
		return json_pack("{s:b,s:i}", "ok", 1, "deleted", 0);
	next = vsw_ft_clone(atomic_load(&dp->ft));
	if (!next)
		return vsw_proto_error("flow-batch: out of memory");
	json_array_foreach(ops, i, op) {
		const char *kind = str_arg(op, "op");
		const char *text = str_arg(op, "flow");
		int n;

		if (!json_is_object(op) || !kind) {
			snprintf(err, sizeof(err), "not an object with an \"op\" string");
			goto err_discard;
		}
		if (!strcmp(kind, "add")) {
			if (apply_add(next, text, err, sizeof(err)))
				goto err_discard;
		} else if (!strcmp(kind, "del")) {
			n = apply_del(next, text, json_is_true(json_object_get(op, "strict")), err,
				      sizeof(err));
			if (n < 0)
				goto err_discard;
			deleted += n;
		} else if (!strcmp(kind, "mod")) {
			if (apply_mod(next, text, err, sizeof(err)))
				goto err_discard;
		} else {
			snprintf(err, sizeof(err), "unknown op '%s' (add, del or mod)", kind);
			goto err_discard;
		}
	}
	vsw_dp_publish_ft(dp, next);
	return json_pack("{s:b,s:i}", "ok", 1, "deleted", deleted);

err_discard:
	vsw_ft_destroy(next);
	return vsw_proto_error("flow-batch: op %zu: %s", i, err);
}

static json_t *cmd_flow_list(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_ft *ft = atomic_load(&dp->ft);
	uint64_t now = vsw_dp_now_ms();
	json_t *flows = json_array();
	struct vsw_flow_spec spec;
	char text[4096];

	(void)req;
	for (size_t i = 0; i < vsw_ft_count(ft); i++) {
		const struct vsw_ft_rule *rule = vsw_ft_rule_at(ft, i);
		struct vsw_ft_rule_stats st;

		vsw_ft_rule_get_spec(rule, &spec);
		if (vsw_flow_format(&spec, NULL, text, sizeof(text)) < 0)
			continue;
		vsw_ft_rule_stats(rule, &st);
		json_array_append_new(flows, json_pack("{s:s,s:I,s:I,s:I,s:I}", "flow", text,
						       "n_packets", (json_int_t)st.n_packets,
						       "n_bytes", (json_int_t)st.n_bytes,
						       "duration_ms",
						       (json_int_t)(now - st.created_ms),
						       "idle_ms", (json_int_t)(now - st.used_ms)));
	}
	return json_pack("{s:b,s:o}", "ok", 1, "flows", flows);
}

static const char *const miss_names[] = {
	[VSW_MISS_DROP] = "drop",
	[VSW_MISS_CONTINUE] = "continue",
};

static json_t *cmd_table_list(struct vsw_dp *dp, json_t *req)
{
	const struct vsw_ft *ft = atomic_load(&dp->ft);
	json_t *tables = json_array();

	(void)req;
	for (unsigned int t = 0; t < VSW_FT_N_TABLES; t++) {
		uint8_t miss = atomic_load(&dp->table_miss[t]);
		size_t active = vsw_ft_table_count(ft, (uint8_t)t);
		uint64_t lookups, matches;

		vsw_pmd_table_stats(dp, (uint8_t)t, &lookups, &matches);
		if (!active && !lookups && miss == VSW_MISS_DROP)
			continue;
		json_array_append_new(tables,
				      json_pack("{s:i,s:I,s:I,s:I,s:s}", "table", (int)t, "active",
						(json_int_t)active, "lookups", (json_int_t)lookups,
						"matches", (json_int_t)matches, "miss",
						miss_names[miss == VSW_MISS_CONTINUE]));
	}
	return json_pack("{s:b,s:o}", "ok", 1, "tables", tables);
}

static json_t *cmd_table_mod(struct vsw_dp *dp, json_t *req)
{
	json_t *jt = json_object_get(req, "table");
	const char *miss = str_arg(req, "miss");
	enum vsw_table_miss policy;

	if (!json_is_integer(jt) || json_integer_value(jt) < 0 ||
	    json_integer_value(jt) >= VSW_FT_N_TABLES)
		return vsw_proto_error("table-mod: \"table\" must be 0..%d", VSW_FT_N_TABLES - 1);
	if (miss && !strcmp(miss, "drop"))
		policy = VSW_MISS_DROP;
	else if (miss && !strcmp(miss, "continue"))
		policy = VSW_MISS_CONTINUE;
	else
		return vsw_proto_error("table-mod: \"miss\" must be drop or continue");
	vsw_dp_set_table_miss(dp, (uint8_t)json_integer_value(jt), policy);
	return vsw_proto_ok();
}

const struct vsw_ctl_cmd vsw_ctl_flow_cmds[] = {
	{ "flow-add", cmd_flow_add, false },
	{ "flow-del", cmd_flow_del, false },
	{ "flow-batch", cmd_flow_batch, false },
	{ "flow-list", cmd_flow_list, true },
	{ "table-list", cmd_table_list, true },
	{ "table-mod", cmd_table_mod, false },
	{ NULL, NULL, false },
};
