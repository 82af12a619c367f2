/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK telemetry commands for vsw's counters (telemetry.h). Telemetry threads only. */
#include "telemetry.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_telemetry.h>

#include "log.h"
#include "pmd.h"
#include "telemetry_int.h"

_Static_assert(VSW_TEL_STRING_MAX == RTE_TEL_MAX_STRING_LEN, "telemetry_fit.h");
_Static_assert(VSW_TEL_ARRAY_MAX == RTE_TEL_MAX_ARRAY_ENTRIES, "telemetry_fit.h");

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct vsw_dp *the_dp; /* under lock; NULL: not serving */

static const char *const miss_names[] = { [VSW_MISS_DROP] = "drop",
					  [VSW_MISS_CONTINUE] = "continue" };

/* A port's text fields and counters, in report order. */
static const char *const field_keys[] = { "type", "mode", "path", "state" };
#define N_FIELDS (sizeof(field_keys) / sizeof(field_keys[0]))

static const char *const counter_keys[] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
#define X(e, s) "drop_" s,
	VSW_FOREACH_DROP(X)
#undef X
};
#define N_COUNTERS (sizeof(counter_keys) / sizeof(counter_keys[0]))
_Static_assert(N_COUNTERS == 4 + VSW_DROP_N, "a counter key per drop reason");

static const char *port_field(const struct vsw_port *p, unsigned int f)
{
	switch (f) {
	case 0:
		return p->ops->type;
	case 1:
		return p->client ? "client" : "server";
	case 2:
		return p->path;
	default:
		return p->ops->is_up(p) ? "up" : "down";
	}
}

static uint64_t port_counter(const struct vsw_port *p, unsigned int k)
{
	const struct vsw_port_stats *st = &p->stats;
	const _Atomic uint64_t *c = k == 0 ? &st->rx_packets :
				    k == 1 ? &st->rx_bytes :
				    k == 2 ? &st->tx_packets :
				    k == 3 ? &st->tx_bytes : &st->drops[k - 4];

	return atomic_load_explicit(c, memory_order_relaxed);
}

struct vsw_dp *vsw_tel_enter(void)
{
	pthread_mutex_lock(&lock);
	if (!the_dp) {
		pthread_mutex_unlock(&lock);
		return NULL;
	}
	rte_rcu_qsbr_thread_online(the_dp->qs, VSW_RCU_TELEMETRY);
	return the_dp;
}

void vsw_tel_leave(struct vsw_dp *dp)
{
	rte_rcu_qsbr_thread_offline(dp->qs, VSW_RCU_TELEMETRY);
	pthread_mutex_unlock(&lock);
}

struct rte_tel_data *vsw_tel_column(enum rte_tel_value_type type)
{
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c && rte_tel_data_start_array(c, type)) {
		rte_tel_data_free(c);
		return NULL;
	}
	return c;
}

int vsw_tel_add_column(struct rte_tel_data *d, const char *name, struct rte_tel_data *c)
{
	if (!c)
		return -ENOMEM;
	if (rte_tel_data_add_dict_container(d, name, c, 0)) {
		rte_tel_data_free(c);
		return -ENOMEM;
	}
	return 0;
}

static int ports_columns(struct vsw_dp *dp, struct rte_tel_data *d)
{
	const struct vsw_portset *set = atomic_load_explicit(&dp->ports, memory_order_acquire);
	uint16_t n = set ? set->n : 0;
	struct rte_tel_data *c;
	int rc;

	c = vsw_tel_column(RTE_TEL_STRING_VAL);
	for (uint16_t i = 0; c && i < n; i++)
		rte_tel_data_add_array_string(c, set->list[i]->name);
	rc = vsw_tel_add_column(d, "name", c);
	c = vsw_tel_column(RTE_TEL_U64_VAL);
	for (uint16_t i = 0; c && i < n; i++)
		rte_tel_data_add_array_u64(c, set->list[i]->port_no);
	rc = rc ? rc : vsw_tel_add_column(d, "port_no", c);
	for (unsigned int f = 0; f < N_FIELDS && !rc; f++) {
		c = vsw_tel_column(RTE_TEL_STRING_VAL);
		for (uint16_t i = 0; c && i < n; i++)
			rte_tel_data_add_array_string(c, port_field(set->list[i], f));
		rc = vsw_tel_add_column(d, field_keys[f], c);
	}
	for (unsigned int k = 0; k < N_COUNTERS && !rc; k++) {
		c = vsw_tel_column(RTE_TEL_U64_VAL);
		for (uint16_t i = 0; c && i < n; i++)
			rte_tel_data_add_array_u64(c, port_counter(set->list[i], k));
		rc = vsw_tel_add_column(d, counter_keys[k], c);
	}
	return rc;
}

static int tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vsw_dp *dp;
	int rc;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	dp = vsw_tel_enter();
	if (!dp)
		return -EAGAIN;
	rc = ports_columns(dp, d);
	vsw_tel_leave(dp);
	return rc;
}

static int tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vsw_port *p;
	struct vsw_dp *dp;

	(void)cmd;
	if (!params || !*params)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	dp = vsw_tel_enter();
	if (!dp)
		return -EAGAIN;
	p = vsw_portset_by_name(atomic_load_explicit(&dp->ports, memory_order_acquire), params);
	if (p) {
		rte_tel_data_add_dict_string(d, "name", p->name);
		rte_tel_data_add_dict_u64(d, "port_no", p->port_no);
		for (unsigned int f = 0; f < N_FIELDS; f++)
			rte_tel_data_add_dict_string(d, field_keys[f], port_field(p, f));
		for (unsigned int k = 0; k < N_COUNTERS; k++)
			rte_tel_data_add_dict_u64(d, counter_keys[k], port_counter(p, k));
	}
	vsw_tel_leave(dp);
	return p ? 0 : -ENOENT;
}

static int tel_tables(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *col[5];
	static const char *const keys[5] = { "table", "active", "lookups", "matches", "miss" };
	struct vsw_dp *dp;
	int rc = 0;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (int k = 0; k < 5; k++)
		col[k] = vsw_tel_column(k == 4 ? RTE_TEL_STRING_VAL : RTE_TEL_U64_VAL);
	dp = vsw_tel_enter();
	if (!dp) {
		for (int k = 0; k < 5; k++)
			rte_tel_data_free(col[k]);
		return -EAGAIN;
	}
	const struct vsw_ft *ft = atomic_load_explicit(&dp->ft, memory_order_acquire);
	for (unsigned int t = 0; t < VSW_FT_N_TABLES; t++) {
		uint8_t miss = atomic_load(&dp->table_miss[t]);
		size_t active = vsw_ft_table_count(ft, (uint8_t)t);
		uint64_t lookups, matches;

		vsw_pmd_table_stats(dp, (uint8_t)t, &lookups, &matches);
		if (!active && !lookups && miss == VSW_MISS_DROP)
			continue; /* as table-list */
		uint64_t v[4] = { t, active, lookups, matches };
		for (int k = 0; k < 4; k++)
			if (col[k])
				rte_tel_data_add_array_u64(col[k], v[k]);
		if (col[4])
			rte_tel_data_add_array_string(col[4],
						      miss_names[miss == VSW_MISS_CONTINUE]);
	}
	vsw_tel_leave(dp);
	for (int k = 0; k < 5; k++)
		if (vsw_tel_add_column(d, keys[k], col[k]))
			rc = -ENOMEM;
	return rc;
}

/*
 * Per PMD: lookups and matches since start (as dump-tables counts them), and
 * pmd-stats' figures (since the last pmd-stats-clear): packets received,
 * exact-match cache hits, processing cycles (TSC cycles of loop iterations
 * that received packets) and idle cycles.
 */
#define N_PMD_COLS 8

static int tel_pmds(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *col[N_PMD_COLS];
	static const char *const keys[N_PMD_COLS] = { "pmd", "lcore", "lookups", "matches",
						      "packets", "cache_hits",
						      "processing_cycles", "idle_cycles" };
	struct vsw_dp *dp;
	int rc = 0;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (int k = 0; k < N_PMD_COLS; k++)
		col[k] = vsw_tel_column(RTE_TEL_U64_VAL);
	dp = vsw_tel_enter();
	if (!dp) {
		for (int k = 0; k < N_PMD_COLS; k++)
			rte_tel_data_free(col[k]);
		return -EAGAIN;
	}
	for (unsigned int i = 0; i < dp->n_pmds; i++) {
		const struct vsw_pmd *pmd = dp->pmds[i];
		struct vsw_pmd_counters c;
		uint64_t v[N_PMD_COLS] = { pmd->index, pmd->lcore, 0, 0 };

		for (unsigned int t = 0; t < VSW_FT_N_TABLES; t++) {
			v[2] += atomic_load_explicit(&pmd->tables[t].lookups, memory_order_relaxed);
			v[3] += atomic_load_explicit(&pmd->tables[t].matches, memory_order_relaxed);
		}
		vsw_pmd_counters_read(pmd, &c);
		v[4] = c.packets;
		v[5] = c.cache_hits;
		v[6] = c.busy_cycles;
		v[7] = c.idle_cycles;
		for (int k = 0; k < N_PMD_COLS; k++)
			if (col[k])
				rte_tel_data_add_array_u64(col[k], v[k]);
	}
	vsw_tel_leave(dp);
	for (int k = 0; k < N_PMD_COLS; k++)
		if (vsw_tel_add_column(d, keys[k], col[k]))
			rc = -ENOMEM;
	return rc;
}

static const struct {
	const char *cmd;
	telemetry_cb fn;
	const char *help;
} cmds[] = {
	{ "/vsw/ports", tel_ports,
	  "vsw ports by columns: name, port_no, type, mode, path, state, counters, drops. No parameters" },
	{ "/vsw/port", tel_port, "One vsw port: fields, counters, drops. Parameters: port name" },
	{ "/vsw/tables", tel_tables,
	  "vsw flow tables by columns: table, active, lookups, matches, miss. No parameters" },
	{ "/vsw/pmds", tel_pmds,
	  "vsw PMD threads by columns: pmd, lcore, lookups, matches, packets, cache_hits, "
	  "processing_cycles, idle_cycles. No parameters" },
	{ "/vsw/flows", vsw_tel_flows,
	  "vsw rules by columns: table, priority, cookie, n_packets, n_bytes, match, actions. "
	  "Parameters: [TABLE|all[,FIRST]]" },
	{ "/vsw/vhost", vsw_tel_vhost,
	  "vsw vhost-user ports by columns: name, port_no, connected, queues, enabled. "
	  "Parameters: [port name]" },
	{ "/vsw/mirrors", vsw_tel_mirrors,
	  "vsw mirrors by columns: name, dst, packets, bytes, drops. No parameters" },
	{ "/vsw/domains", vsw_tel_domains,
	  "vsw L2 domains by columns: id, vni, members, macs, learned, ..., flooded, unicast. "
	  "Parameters: [domain id]" },
};

/* Say how to reach us: dpdk-telemetry.py finds the socket by file prefix. */
static void log_hint(void)
{
	const char *dir = rte_eal_get_runtime_dir(); /* BASE/dpdk/PREFIX */
	const char *prefix = strrchr(dir, '/');
	const char *env = getenv("RUNTIME_DIRECTORY"); /* systemd's RuntimeDirectory= */

	VSW_LOG(main, INFO, "telemetry: %s%s%sdpdk-telemetry.py -f %s",
		env ? "RUNTIME_DIRECTORY=" : "", env ? env : "", env ? " " : "",
		prefix ? prefix + 1 : dir);
}

int vsw_telemetry_init(struct vsw_dp *dp)
{
	int rc = rte_rcu_qsbr_thread_register(dp->qs, VSW_RCU_TELEMETRY);

	if (rc)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	the_dp = dp;
	pthread_mutex_unlock(&lock);
	/* Once per process: telemetry has no way to take a command back. */
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);
		if (rc) {
			VSW_LOG(main, WARNING, "telemetry: cannot register %s: %s", cmds[i].cmd,
				strerror(-rc));
			return rc;
		}
	}
	log_hint();
	return 0;
}

void vsw_telemetry_fini(struct vsw_dp *dp)
{
	pthread_mutex_lock(&lock);
	if (the_dp == dp)
		the_dp = NULL;
	pthread_mutex_unlock(&lock);
	rte_rcu_qsbr_thread_unregister(dp->qs, VSW_RCU_TELEMETRY);
}
