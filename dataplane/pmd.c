/* SPDX-License-Identifier: BSD-3-Clause */
/* PMD threads: the poll loop and its lifecycle (pmd.h). */
#include "pmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "vxlan.h"

/* Poll every receive queue this PMD owns once; returns the packets received. */
static unsigned int poll_once(struct vsw_pmd *pmd, const struct vsw_portset *set,
			      const struct vsw_ft *ft, uint64_t now)
{
	struct vsw_dp *dp = pmd->dp;
	struct rte_mbuf *pkts[VSW_BURST];
	unsigned int received = 0;

	for (uint16_t i = 0; set && i < set->n; i++) {
		struct vsw_port *port = set->list[i];
		uint16_t nq = vsw_port_n_queues(port);

		for (uint16_t q = 0; q < nq; q++) {
			if (vsw_pmd_of_rxq(dp, port, q) != pmd->index)
				continue;
			uint16_t n = port->ops->rx_burst(port, q, dp->mbufs, pkts, VSW_BURST);
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
	}
	return received;
}

/* Charge one loop iteration of `cycles` (pmd.h: cost accounting). */
static void account(struct vsw_pmd *pmd, uint64_t cycles, unsigned int received)
{
	struct vsw_pmd_stats *st = &pmd->stats;

	if (!received) {
		vsw_pmd_count(&st->idle_cycles, cycles);
		return;
	}
	struct vsw_ft_cache_stats cs;

	vsw_ft_cache_stats(pmd->cache, &cs);
	vsw_pmd_count(&st->packets, received);
	vsw_pmd_count(&st->busy_cycles, cycles);
	atomic_store_explicit(&st->cache_rule_hits, cs.rule_hits, memory_order_relaxed);
}

/*
 * vsw_dp_now_ms() at TSC `tsc` (the iteration's start, already read for the
 * accounting): one compare per iteration, a step per millisecond, and the
 * division only after a long pause.
 */
static uint64_t clock_ms(struct vsw_pmd *pmd, uint64_t tsc)
{
	uint64_t ahead = tsc - pmd->now_ms_tsc;

	if (likely(ahead < pmd->tsc_per_ms))
		return pmd->now_ms;
	if (ahead < 64 * pmd->tsc_per_ms) {
		do {
			pmd->now_ms++;
			pmd->now_ms_tsc += pmd->tsc_per_ms;
		} while (tsc - pmd->now_ms_tsc >= pmd->tsc_per_ms);
	} else {
		pmd->now_ms = tsc / pmd->tsc_per_ms;
		pmd->now_ms_tsc = pmd->now_ms * pmd->tsc_per_ms;
	}
	return pmd->now_ms;
}

static int pmd_main(void *arg)
{
	struct vsw_pmd *pmd = arg;
	struct vsw_dp *dp = pmd->dp;
	uint64_t last = rte_rdtsc();

	pmd->tsc_per_ms = rte_get_tsc_hz() / 1000; /* as vsw_dp_now_ms() */
	pmd->now_ms = last / pmd->tsc_per_ms;
	pmd->now_ms_tsc = pmd->now_ms * pmd->tsc_per_ms;
	rte_rcu_qsbr_thread_register(dp->qs, pmd->index);
	rte_rcu_qsbr_thread_online(dp->qs, pmd->index);
	while (!atomic_load_explicit(&dp->quit, memory_order_relaxed)) {
		const struct vsw_portset *set =
			atomic_load_explicit(&dp->ports, memory_order_acquire);
		const struct vsw_ft *ft = atomic_load_explicit(&dp->ft, memory_order_acquire);
		unsigned int received = poll_once(pmd, set, ft, clock_ms(pmd, last));

		rte_rcu_qsbr_quiescent(dp->qs, pmd->index);
		if (!received && dp->pmd_idle_us)
			usleep(dp->pmd_idle_us);
		uint64_t now = rte_rdtsc();
		account(pmd, now - last, received);
		last = now;
	}
	rte_rcu_qsbr_thread_offline(dp->qs, pmd->index);
	rte_rcu_qsbr_thread_unregister(dp->qs, pmd->index);
	return 0;
}

int vsw_pmd_start_all(struct vsw_dp *dp, unsigned int max)
{
	unsigned int lcore;

	dp->n_pmds = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (dp->n_pmds == VSW_MAX_PMDS || (max && dp->n_pmds == max))
			break;
		struct vsw_pmd *pmd = calloc(1, sizeof(*pmd));
		if (!pmd)
			return -ENOMEM;
		pmd->dp = dp;
		pmd->lcore = lcore;
		pmd->index = dp->n_pmds;
		pmd->vxlan_ip_id = (uint16_t)pmd->index;
		dp->pmds[dp->n_pmds++] = pmd;
		pmd->cache = vsw_ft_cache_create(0);
		pmd->l2c = vsw_l2_cache_create(0);
		pmd->domains = calloc(VSW_MAX_DOMAINS, sizeof(*pmd->domains));
		if (!pmd->cache || !pmd->l2c || !pmd->domains)
			return -ENOMEM;
	}
	if (!dp->n_pmds || (max && dp->n_pmds < max))
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
		vsw_l2_cache_destroy(dp->pmds[i]->l2c);
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

void vsw_pmd_counters_read(const struct vsw_pmd *pmd, struct vsw_pmd_counters *c)
{
	const struct vsw_pmd_stats *st = &pmd->stats;
	const struct vsw_pmd_counters *b = &pmd->base;

	/* The cache's count first: it is published after the matches it counts. */
	c->cache_hits = atomic_load_explicit(&st->cache_rule_hits, memory_order_relaxed);
	c->packets = atomic_load_explicit(&st->packets, memory_order_relaxed);
	c->busy_cycles = atomic_load_explicit(&st->busy_cycles, memory_order_relaxed);
	c->idle_cycles = atomic_load_explicit(&st->idle_cycles, memory_order_relaxed);
	/* hits first: counted after the frame */
	c->normal_cache_hits = atomic_load_explicit(&st->normal_cache_hits, memory_order_relaxed);
	c->normal_frames = atomic_load_explicit(&st->normal_frames, memory_order_relaxed);
	c->lookups = c->matches = 0;
	for (unsigned int t = 0; t < VSW_FT_N_TABLES; t++) {
		c->lookups += atomic_load_explicit(&pmd->tables[t].lookups, memory_order_relaxed);
		c->matches += atomic_load_explicit(&pmd->tables[t].matches, memory_order_relaxed);
	}
	c->cache_hits -= b->cache_hits;
	c->packets -= b->packets;
	c->busy_cycles -= b->busy_cycles;
	c->idle_cycles -= b->idle_cycles;
	c->lookups -= b->lookups;
	c->matches -= b->matches;
	c->normal_frames -= b->normal_frames;
	c->normal_cache_hits -= b->normal_cache_hits;
	if (c->cache_hits > c->matches)
		c->cache_hits = c->matches;
}

void vsw_pmd_counters_clear(struct vsw_pmd *pmd)
{
	struct vsw_pmd_counters now;

	memset(&pmd->base, 0, sizeof(pmd->base));
	vsw_pmd_counters_read(pmd, &now);
	pmd->base = now;
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
