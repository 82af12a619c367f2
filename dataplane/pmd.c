/* SPDX-License-Identifier: BSD-3-Clause */
/* PMD threads: the poll loop and its lifecycle (pmd.h). */
#include "pmd.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "vxlan.h"

static int pmd_main(void *arg)
{
	struct vsw_pmd *pmd = arg;
	struct vsw_dp *dp = pmd->dp;
	struct rte_mbuf *pkts[VSW_BURST];

	rte_rcu_qsbr_thread_register(dp->qs, pmd->index);
	rte_rcu_qsbr_thread_online(dp->qs, pmd->index);
	while (!atomic_load_explicit(&dp->quit, memory_order_relaxed)) {
		const struct vsw_portset *set =
			atomic_load_explicit(&dp->ports, memory_order_acquire);
		const struct vsw_ft *ft = atomic_load_explicit(&dp->ft, memory_order_acquire);
		uint64_t now = vsw_dp_now_ms();
		unsigned int received = 0;

		for (uint16_t i = 0; set && i < set->n; i++) {
			struct vsw_port *port = set->list[i];

			if (port->slot % dp->n_pmds != pmd->index)
				continue;
			uint16_t n = port->ops->rx_burst(port, 0, dp->mbufs, pkts, VSW_BURST);
			if (!n)
				continue;
			received += n;
			const struct vsw_taps *taps = vsw_port_taps(port);
			if (unlikely(taps != NULL))
				vsw_tap_in(pmd, taps, pkts, n);
			if (unlikely(set->overlay[port->slot] != NULL))
				n = vsw_vxlan_rx(pmd, set, ft, port, pkts, n, now);
			if (n)
				vsw_pmd_process(pmd, set, ft, port, pkts, n, now, NULL);
			vsw_pmd_flush(pmd);
		}
		rte_rcu_qsbr_quiescent(dp->qs, pmd->index);
		if (!received && dp->pmd_idle_us)
			usleep(dp->pmd_idle_us);
	}
	rte_rcu_qsbr_thread_offline(dp->qs, pmd->index);
	rte_rcu_qsbr_thread_unregister(dp->qs, pmd->index);
	return 0;
}

int vsw_pmd_start_all(struct vsw_dp *dp)
{
	unsigned int lcore;

	dp->n_pmds = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (dp->n_pmds == VSW_MAX_PMDS)
			break;
		struct vsw_pmd *pmd = calloc(1, sizeof(*pmd));
		if (!pmd)
			return -ENOMEM;
		pmd->dp = dp;
		pmd->lcore = lcore;
		pmd->index = dp->n_pmds;
		dp->pmds[dp->n_pmds++] = pmd;
		pmd->cache = vsw_ft_cache_create(0);
		pmd->domains = calloc(VSW_MAX_DOMAINS, sizeof(*pmd->domains));
		if (!pmd->cache || !pmd->domains)
			return -ENOMEM;
	}
	if (!dp->n_pmds)
		return -ENODEV;
	for (unsigned int i = 0; i < dp->n_pmds; i++) {
		int rc = rte_eal_remote_launch(pmd_main, dp->pmds[i], dp->pmds[i]->lcore);
		if (rc)
			return rc;
	}
	return 0;
}

void vsw_pmd_stop_all(struct vsw_dp *dp)
{
	atomic_store(&dp->quit, true);
	rte_eal_mp_wait_lcore();
	for (unsigned int i = 0; i < dp->n_pmds; i++) {
		vsw_ft_cache_destroy(dp->pmds[i]->cache);
		free(dp->pmds[i]->domains);
		free(dp->pmds[i]);
		dp->pmds[i] = NULL;
	}
	dp->n_pmds = 0;
}

void vsw_pmd_table_stats(const struct vsw_dp *dp, uint8_t table, uint64_t *lookups,
			 uint64_t *matches)
{
	*lookups = *matches = 0;
	for (unsigned int i = 0; i < dp->n_pmds && table < VSW_FT_N_TABLES; i++) {
		const struct vsw_pmd_table_stats *st = &dp->pmds[i]->tables[table];

		*lookups += atomic_load_explicit(&st->lookups, memory_order_relaxed);
		*matches += atomic_load_explicit(&st->matches, memory_order_relaxed);
	}
}

void vsw_pmd_domain_stats(const struct vsw_dp *dp, uint16_t slot, uint64_t *flooded,
			  uint64_t *unicast)
{
	*flooded = *unicast = 0;
	for (unsigned int i = 0; i < dp->n_pmds && slot < VSW_MAX_DOMAINS; i++) {
		const struct vsw_pmd_domain_stats *st = &dp->pmds[i]->domains[slot];

		*flooded += atomic_load_explicit(&st->flooded, memory_order_relaxed);
		*unicast += atomic_load_explicit(&st->unicast, memory_order_relaxed);
	}
}

void vsw_pmd_domain_stats_clear(struct vsw_dp *dp, uint16_t slot)
{
	for (unsigned int i = 0; i < dp->n_pmds && slot < VSW_MAX_DOMAINS; i++) {
		atomic_store_explicit(&dp->pmds[i]->domains[slot].flooded, 0, memory_order_relaxed);
		atomic_store_explicit(&dp->pmds[i]->domains[slot].unicast, 0, memory_order_relaxed);
	}
}
