/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /vsw/vhost, /vsw/mirrors and /vsw/domains (telemetry.h): what port-list,
 * mirror-list and domain-list show. Telemetry threads only, as an RCU reader.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pmd.h"
#include "telemetry_int.h"

/* Add columns col[0..n) under keys[0..n). 0 or -ENOMEM. */
static int add_columns(struct rte_tel_data *d, const char *const *keys,
		       struct rte_tel_data **col, int n)
{
	int rc = 0;

	for (int k = 0; k < n; k++)
		if (vsw_tel_add_column(d, keys[k], col[k]))
			rc = -ENOMEM;
	return rc;
}

static void free_columns(struct rte_tel_data **col, int n)
{
	for (int k = 0; k < n; k++)
		rte_tel_data_free(col[k]);
}

static void add_u64(struct rte_tel_data *c, uint64_t v)
{
	if (c)
		rte_tel_data_add_array_u64(c, v);
}

/* --- /vsw/vhost ------------------------------------------------------------ */

static unsigned int popcount(uint64_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The pairs of the first `n` that are enabled, as a mask. */
static uint64_t first_pairs(uint64_t enabled, uint16_t n)
{
	return n >= 64 ? enabled : enabled & ((1ULL << n) - 1);
}

static int vhost_one(struct vsw_dp *dp, const char *name, struct rte_tel_data *d)
{
	const struct vsw_portset *set = atomic_load_explicit(&dp->ports, memory_order_acquire);
	const struct vsw_port *p = vsw_portset_by_name(set, name);
	struct rte_tel_data *list;
	uint64_t enabled;
	uint16_t n;

	if (!p || !p->ops->queues)
		return -ENOENT;
	n = p->ops->queues(p, &enabled);
	rte_tel_data_add_dict_string(d, "name", p->name);
	rte_tel_data_add_dict_u64(d, "port_no", p->port_no);
	rte_tel_data_add_dict_u64(d, "connected", p->ops->is_up(p));
	rte_tel_data_add_dict_u64(d, "queues", n);
	rte_tel_data_add_dict_u64(d, "enabled", popcount(first_pairs(enabled, n)));
	list = vsw_tel_column(RTE_TEL_U64_VAL);
	for (uint16_t q = 0; list && q < n && q < VSW_TEL_ARRAY_MAX; q++)
		rte_tel_data_add_array_u64(list, q < 64 && (enabled >> q & 1));
	return vsw_tel_add_column(d, "queues_enabled", list);
}

int vsw_tel_vhost(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static const char *const keys[] = { "name", "port_no", "connected", "queues",
					    "enabled" };
	struct rte_tel_data *col[5];
	struct vsw_dp *dp;
	int rc;

	(void)cmd;
	rte_tel_data_start_dict(d);
	if (params && *params) {
		dp = vsw_tel_enter();
		if (!dp)
			return -EAGAIN;
		rc = vhost_one(dp, params, d);
		vsw_tel_leave(dp);
		return rc;
	}
	for (int k = 0; k < 5; k++)
		col[k] = vsw_tel_column(k ? RTE_TEL_U64_VAL : RTE_TEL_STRING_VAL);
	dp = vsw_tel_enter();
	if (!dp) {
		free_columns(col, 5);
		return -EAGAIN;
	}
	const struct vsw_portset *set = atomic_load_explicit(&dp->ports, memory_order_acquire);

	for (uint16_t i = 0; set && i < set->n; i++) {
		const struct vsw_port *p = set->list[i];
		uint64_t enabled;
		uint16_t n;

		if (!p->ops->queues)
			continue;
		n = p->ops->queues(p, &enabled);
		if (col[0])
			rte_tel_data_add_array_string(col[0], p->name);
		add_u64(col[1], p->port_no);
		add_u64(col[2], p->ops->is_up(p));
		add_u64(col[3], n);
		add_u64(col[4], popcount(first_pairs(enabled, n)));
	}
	vsw_tel_leave(dp);
	return add_columns(d, keys, col, 5);
}

/* --- /vsw/mirrors ---------------------------------------------------------- */

/*
 * The main lcore changes dp->mirrors in place and frees a mirror only after
 * a grace period (ctl_mirror.c): while it moves one, a reader may see a
 * slot empty or a mirror twice; it skips both.
 */
int vsw_tel_mirrors(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static const char *const keys[] = { "name", "dst", "sources", "packets", "bytes",
					    "drops" };
	const struct vsw_mirror *seen[VSW_MAX_MIRRORS];
	struct rte_tel_data *col[6];
	unsigned int n_seen = 0;
	struct vsw_dp *dp;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (int k = 0; k < 6; k++)
		col[k] = vsw_tel_column(k ? RTE_TEL_U64_VAL : RTE_TEL_STRING_VAL);
	dp = vsw_tel_enter();
	if (!dp) {
		free_columns(col, 6);
		return -EAGAIN;
	}
	unsigned int n = atomic_load(&dp->n_mirrors);

	for (unsigned int i = 0; i < n && i < VSW_MAX_MIRRORS; i++) {
		const struct vsw_mirror *m = atomic_load(&dp->mirrors[i]);
		bool dup = false;

		for (unsigned int j = 0; m && j < n_seen && !dup; j++)
			dup = seen[j] == m;
		if (!m || dup)
			continue;
		seen[n_seen++] = m;
		if (col[0])
			rte_tel_data_add_array_string(col[0], m->name);
		add_u64(col[1], m->dst);
		add_u64(col[2], m->n_src);
		add_u64(col[3], atomic_load_explicit(&m->packets, memory_order_relaxed));
		add_u64(col[4], atomic_load_explicit(&m->bytes, memory_order_relaxed));
		add_u64(col[5], atomic_load_explicit(&m->drops, memory_order_relaxed));
	}
	vsw_tel_leave(dp);
	return add_columns(d, keys, col, 6);
}

/* --- /vsw/domains ---------------------------------------------------------- */

enum { D_ID, D_VNI, D_LIMIT, D_AGING, D_MEMBERS, D_VTEPS, D_MACS, D_LEARNED, D_MOVED,
       D_AGED, D_LIMIT_HITS, D_FULL, D_FLOODED, D_UNICAST, N_DCOLS };
static const char *const domain_keys[N_DCOLS] = {
	"id",	   "vni",   "mac_limit",      "aging",	    "members", "vteps",	  "macs",
	"learned", "moved", "aged", "mac_limit_hits", "table_full", "flooded", "unicast",
};
#define DOMAINS_FIXED_LEN 512 /* keys, brackets, "domains" and "next" */

static void domain_values(struct vsw_dp *dp, const struct vsw_domain *dom, uint64_t v[N_DCOLS])
{
	struct vsw_mac_slot_stats st;

	vsw_mac_slot_stats(dp->macs, dom->slot, &st);
	v[D_ID] = dom->id;
	v[D_VNI] = dom->vni;
	v[D_LIMIT] = dom->mac_limit;
	v[D_AGING] = dom->aging;
	v[D_MEMBERS] = dom->n_members;
	v[D_VTEPS] = dom->n_vteps;
	v[D_MACS] = st.macs;
	v[D_LEARNED] = st.learned;
	v[D_MOVED] = st.moved;
	v[D_AGED] = st.aged;
	v[D_LIMIT_HITS] = st.limit_hits;
	v[D_FULL] = st.full;
	vsw_pmd_domain_stats(dp, dom->slot, &v[D_FLOODED], &v[D_UNICAST]);
}

/* One domain's values as a dict: /vsw/domains,ID. */
static int domain_one(struct vsw_dp *dp, const char *param, struct rte_tel_data *d)
{
	const struct vsw_domset *set = atomic_load_explicit(&dp->domains, memory_order_acquire);
	const struct vsw_domain *dom;
	uint64_t v[N_DCOLS];
	char *end;
	unsigned long long id = strtoull(param, &end, 10);

	if (*end || !(param[0] >= '0' && param[0] <= '9'))
		return -EINVAL;
	dom = set ? vsw_domset_find(set, id) : NULL;
	if (!dom)
		return -ENOENT;
	domain_values(dp, dom, v);
	for (int k = 0; k < N_DCOLS; k++)
		rte_tel_data_add_dict_u64(d, domain_keys[k], v[k]);
	return 0;
}

int vsw_tel_domains(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *col[N_DCOLS];
	size_t used = DOMAINS_FIXED_LEN;
	uint32_t n = 0, i = 0;
	struct vsw_dp *dp;
	int rc;

	(void)cmd;
	rte_tel_data_start_dict(d);
	if (params && *params) {
		dp = vsw_tel_enter();
		if (!dp)
			return -EAGAIN;
		rc = domain_one(dp, params, d);
		vsw_tel_leave(dp);
		return rc;
	}
	for (int k = 0; k < N_DCOLS; k++)
		col[k] = vsw_tel_column(RTE_TEL_U64_VAL);
	dp = vsw_tel_enter();
	if (!dp) {
		free_columns(col, N_DCOLS);
		return -EAGAIN;
	}
	const struct vsw_domset *set = atomic_load_explicit(&dp->domains, memory_order_acquire);

	n = set ? set->n : 0;
	for (i = 0; i < n && i < VSW_TEL_ARRAY_MAX; i++) {
		uint64_t v[N_DCOLS];
		size_t len = 0;

		domain_values(dp, set->list[i], v);
		for (int k = 0; k < N_DCOLS; k++)
			len += vsw_tel_u64_len(v[k]);
		if (used + len > VSW_TEL_REPLY_MAX)
			break;
		used += len;
		for (int k = 0; k < N_DCOLS; k++)
			add_u64(col[k], v[k]);
	}
	vsw_tel_leave(dp);
	rc = add_columns(d, domain_keys, col, N_DCOLS);
	/* A reply that could not hold them all says so; /vsw/domains,ID reads any one. */
	rte_tel_data_add_dict_u64(d, "domains", n);
	rte_tel_data_add_dict_u64(d, "listed", i);
	return rc;
}
