/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /vsw/flows: the rules and their counters, as flow-list has them
 * (telemetry.h). Telemetry threads only, as an RCU reader.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "telemetry_int.h"

enum { C_TABLE, C_PRIORITY, C_COOKIE, C_PACKETS, C_BYTES, C_MATCH, C_ACTIONS, N_COLS };
static const char *const keys[N_COLS] = { "table",   "priority", "cookie", "n_packets",
					  "n_bytes", "match",    "actions" };
/* The reply beyond the rows: prefix, keys, brackets, "rules" and "next". */
#define FIXED_LEN 256

/* Port numbers print as the names the published set gives them. */
static const char *port_name(void *ctx, uint32_t port)
{
	const struct vsw_port *p = vsw_portset_by_no(ctx, port);

	return p ? p->name : NULL;
}

static int no_resolve(void *ctx, const char *name, uint32_t *port)
{
	(void)ctx;
	(void)name;
	(void)port;
	return -ENOENT;
}

/* One rule's values (text cut to telemetry's strings); its length in the reply. */
struct row {
	uint64_t v[C_MATCH];
	char match[VSW_TEL_STRING_MAX], actions[VSW_TEL_STRING_MAX];
};

static size_t get_row(const struct vsw_ft_rule *rule, const struct vsw_port_names *names,
		      struct row *r)
{
	struct vsw_flow_spec spec;
	struct vsw_ft_rule_stats st;
	char text[4096];
	size_t len = 0;

	vsw_ft_rule_get_spec(rule, &spec);
	vsw_ft_rule_stats(rule, &st);
	r->v[C_TABLE] = spec.table;
	r->v[C_PRIORITY] = spec.priority;
	r->v[C_COOKIE] = spec.cookie;
	r->v[C_PACKETS] = st.n_packets;
	r->v[C_BYTES] = st.n_bytes;
	if (vsw_flow_format_match(&spec.match, spec.priority, names, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "?");
	vsw_tel_str_fit(r->match, text);
	if (vsw_flow_format_actions(&spec.actions, names, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "?");
	vsw_tel_str_fit(r->actions, text);
	for (int k = 0; k < C_MATCH; k++)
		len += vsw_tel_u64_len(r->v[k]);
	return len + vsw_tel_str_len(r->match) + vsw_tel_str_len(r->actions);
}

/*
 * The rules [from, to) of the listing (table by table), as many as fit:
 * returns the index of the first one left out (`to` when none).
 */
static size_t fill(const struct vsw_ft *ft, const struct vsw_portset *set, size_t from,
		   size_t to, struct rte_tel_data *col[N_COLS])
{
	struct vsw_port_names names = { .resolve = no_resolve, .name = port_name,
					.ctx = (void *)set };
	size_t used = FIXED_LEN, n = 0, i;
	struct row r;

	for (i = from; i < to && n < VSW_TEL_ARRAY_MAX; i++, n++) {
		size_t len = get_row(vsw_ft_rule_at(ft, i), &names, &r);

		if (used + len > VSW_TEL_REPLY_MAX)
			break;
		used += len;
		for (int k = 0; k < C_MATCH; k++)
			if (col[k])
				rte_tel_data_add_array_u64(col[k], r.v[k]);
		if (col[C_MATCH])
			rte_tel_data_add_array_string(col[C_MATCH], r.match);
		if (col[C_ACTIONS])
			rte_tel_data_add_array_string(col[C_ACTIONS], r.actions);
	}
	return i;
}

int vsw_tel_flows(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *col[N_COLS];
	size_t first, start = 0, count, next;
	struct vsw_dp *dp;
	int table, rc = 0;

	(void)cmd;
	if (vsw_tel_flows_params(params, VSW_FT_N_TABLES, &table, &first))
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for (int k = 0; k < N_COLS; k++)
		col[k] = vsw_tel_column(k < C_MATCH ? RTE_TEL_U64_VAL : RTE_TEL_STRING_VAL);
	dp = vsw_tel_enter();
	if (!dp) {
		for (int k = 0; k < N_COLS; k++)
			rte_tel_data_free(col[k]);
		return -EAGAIN;
	}
	const struct vsw_ft *ft = atomic_load_explicit(&dp->ft, memory_order_acquire);
	const struct vsw_portset *set = atomic_load_explicit(&dp->ports, memory_order_acquire);

	/* The listing is table by table: a table's rules are one range of it. */
	if (table < 0) {
		count = vsw_ft_count(ft);
	} else {
		for (int t = 0; t < table; t++)
			start += vsw_ft_table_count(ft, (uint8_t)t);
		count = vsw_ft_table_count(ft, (uint8_t)table);
	}
	next = first < count ? fill(ft, set, start + first, start + count, col) - start : count;
	vsw_tel_leave(dp);
	for (int k = 0; k < N_COLS; k++)
		if (vsw_tel_add_column(d, keys[k], col[k]))
			rc = -ENOMEM;
	rte_tel_data_add_dict_u64(d, "rules", count);
	rte_tel_data_add_dict_u64(d, "next", next);
	return rc;
}
