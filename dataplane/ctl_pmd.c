/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's PMD commands: pmd-stats, pmd-stats-clear (ctl.h, PROTOCOL.md). Main lcore. */
#include <rte_cycles.h>
#include <rte_lcore.h>

#include "ctl.h"
#include "pmd.h"
#include "proto.h"

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

/* The receive queues `pmd` polls now, as [{port, queue}]. */
static json_t *rx_queues(const struct vsw_dp *dp, const struct vsw_pmd *pmd)
{
	const struct vsw_portset *set = atomic_load(&dp->ports);
	json_t *qs = json_array();

	for (uint16_t i = 0; qs && set && i < set->n; i++) {
		const struct vsw_port *port = set->list[i];
		uint16_t nq = vsw_port_n_queues(port);

		for (uint16_t q = 0; q < nq; q++)
			if (vsw_pmd_of_rxq(dp, port, q) == pmd->index)
				json_array_append_new(qs, json_pack("{s:s,s:i}", "port", port->name,
								    "queue", (int)q));
	}
	return qs;
}

static json_t *pmd_json(const struct vsw_dp *dp, const struct vsw_pmd *pmd)
{
	struct vsw_pmd_counters c;

	vsw_pmd_counters_read(pmd, &c);
	uint64_t cycles = c.busy_cycles + c.idle_cycles;
	return json_pack("{s:i,s:i,s:i,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f}", "pmd",
			 (int)pmd->index, "lcore", (int)pmd->lcore, "cpu",
			 (int)rte_lcore_to_cpu_id((int)pmd->lcore), "rx_queues", rx_queues(dp, pmd),
			 "packets", (json_int_t)c.packets, "lookups", (json_int_t)c.lookups,
			 "cache_hits", (json_int_t)c.cache_hits, "classifier_hits",
			 (json_int_t)(c.matches - c.cache_hits), "misses",
			 (json_int_t)(c.lookups - c.matches), "normal_frames",
			 (json_int_t)c.normal_frames, "normal_cache_hits",
			 (json_int_t)c.normal_cache_hits, "idle_cycles",
			 (json_int_t)c.idle_cycles, "processing_cycles", (json_int_t)c.busy_cycles,
			 "cycles_per_packet", ratio(cycles, c.packets),
			 "processing_cycles_per_packet", ratio(c.busy_cycles, c.packets));
}

static json_t *cmd_pmd_stats(struct vsw_dp *dp, json_t *req)
{
	json_t *pmds = json_array();

	(void)req;
	for (unsigned int i = 0; pmds && i < dp->n_pmds; i++) {
		json_t *p = pmd_json(dp, dp->pmds[i]);

		if (!p || json_array_append_new(pmds, p)) {
			json_decref(pmds);
			return vsw_proto_error("pmd-stats: out of memory");
		}
	}
	if (!pmds)
		return vsw_proto_error("pmd-stats: out of memory");
	return json_pack("{s:b,s:I,s:o}", "ok", 1, "tsc_hz", (json_int_t)rte_get_tsc_hz(), "pmds",
			 pmds);
}

static json_t *cmd_pmd_stats_clear(struct vsw_dp *dp, json_t *req)
{
	(void)req;
	for (unsigned int i = 0; i < dp->n_pmds; i++)
		vsw_pmd_counters_clear(dp->pmds[i]);
	return vsw_proto_ok();
}

const struct vsw_ctl_cmd vsw_ctl_pmd_cmds[] = {
	{ "pmd-stats", cmd_pmd_stats, true },
	/* Changes no state the PMDs read: only the baseline of the report. */
	{ "pmd-stats-clear", cmd_pmd_stats_clear, false },
	{ NULL, NULL, false },
};
