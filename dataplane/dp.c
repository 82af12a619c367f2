/* SPDX-License-Identifier: BSD-3-Clause */
/* Snapshot publication and the dataplane clock (dp.h). */
#include "dp.h"

#include <stdlib.h>

#include <rte_cycles.h>

uint64_t vsw_dp_now_ms(void)
{
	return rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000);
}

void vsw_dp_publish_ports(struct vsw_dp *dp, struct vsw_portset *set)
{
	struct vsw_portset *old = atomic_exchange_explicit(&dp->ports, set, memory_order_acq_rel);

	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	free(old);
}

void vsw_dp_publish_ft(struct vsw_dp *dp, struct vsw_ft *ft)
{
	struct vsw_ft *old = atomic_exchange_explicit(&dp->ft, ft, memory_order_acq_rel);

	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	vsw_ft_destroy(old);
}

void vsw_dp_publish_domains(struct vsw_dp *dp, struct vsw_domset *set)
{
	struct vsw_domset *old = atomic_exchange_explicit(&dp->domains, set, memory_order_acq_rel);

	atomic_fetch_add_explicit(&dp->domains_gen, 1, memory_order_acq_rel);
	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
	vsw_domset_free(old);
}

void vsw_dp_set_table_miss(struct vsw_dp *dp, uint8_t table, enum vsw_table_miss miss)
{
	if (table >= VSW_FT_N_TABLES ||
	    atomic_exchange_explicit(&dp->table_miss[table], (uint8_t)miss, memory_order_acq_rel) ==
		    miss)
		return;
	rte_rcu_qsbr_synchronize(dp->qs, RTE_QSBR_THRID_INVALID);
}
