/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl performance commands: pmd-stats, pmd-stats-clear. See cli.h. */
#include "cli.h"

#include <stdio.h>

static double pct(long long part, long long whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

static double per(long long a, long long b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

/* "vm1/0 vm2/1", or "none". */
static int print_queues(struct vsw_cli_rd *rd, const json_t *pmd, size_t n, FILE *out)
{
	json_t *qs = vsw_cli_array(rd, pmd, "rx_queues"), *q;
	size_t i;

	fprintf(out, "  rx queues:");
	json_array_foreach(qs, i, q) {
		vsw_cli_rd_where(rd, "pmds[%zu].rx_queues[%zu]", n, i);
		if (!vsw_cli_is_object(rd, q))
			return rd->rc;
		const char *port = vsw_cli_str(rd, q, "port");
		long long queue = vsw_cli_int(rd, q, "queue");

		if (rd->rc)
			return rd->rc;
		fprintf(out, " %s/%lld", port, queue);
	}
	fprintf(out, "%s\n", json_array_size(qs) ? "" : " none");
	return rd->rc;
}

/*
 * As ovs-appctl dpif-netdev/pmd-stats-show:
 *   pmd 0 (lcore 1, cpu 1):
 *     rx queues: vm1/0 vm2/0
 *     packets received: 1000
 *     ...
 *     avg processing cycles per packet: 180.50 (180500/1000)
 * The averages are computed here from the counters, so that they agree.
 */
static int print_pmd_stats(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *pmds, *p;
	size_t i;

	vsw_cli_rd_init(&rd, err, errlen);
	pmds = vsw_cli_array(&rd, reply, "pmds");
	json_array_foreach(pmds, i, p) {
		vsw_cli_rd_where(&rd, "pmds[%zu]", i);
		if (!vsw_cli_is_object(&rd, p))
			return rd.rc;
		long long pmd = vsw_cli_int(&rd, p, "pmd");
		long long lcore = vsw_cli_int(&rd, p, "lcore");
		long long cpu = vsw_cli_int(&rd, p, "cpu");
		long long packets = vsw_cli_int(&rd, p, "packets");
		long long lookups = vsw_cli_int(&rd, p, "lookups");
		long long cache = vsw_cli_int(&rd, p, "cache_hits");
		long long classifier = vsw_cli_int(&rd, p, "classifier_hits");
		long long misses = vsw_cli_int(&rd, p, "misses");
		long long normal = vsw_cli_int(&rd, p, "normal_frames");
		long long normal_hits = vsw_cli_int(&rd, p, "normal_cache_hits");
		long long idle = vsw_cli_int(&rd, p, "idle_cycles");
		long long busy = vsw_cli_int(&rd, p, "processing_cycles");

		if (rd.rc)
			return rd.rc;
		fprintf(out, "pmd %lld (lcore %lld, cpu %lld):\n", pmd, lcore, cpu);
		if (print_queues(&rd, p, i, out))
			return rd.rc;
		fprintf(out,
			"  packets received: %lld\n"
			"  table lookups: %lld (%.2f per packet)\n"
			"  cache hits: %lld\n"
			"  classifier hits: %lld\n"
			"  misses: %lld\n"
			"  normal frames: %lld (%lld from its cache)\n"
			"  idle cycles: %lld (%.2f%%)\n"
			"  processing cycles: %lld (%.2f%%)\n"
			"  avg cycles per packet: %.2f (%lld/%lld)\n"
			"  avg processing cycles per packet: %.2f (%lld/%lld)\n",
			packets, lookups, per(lookups, packets), cache, classifier, misses, normal,
			normal_hits, idle,
			pct(idle, idle + busy), busy, pct(busy, idle + busy),
			per(idle + busy, packets), idle + busy, packets, per(busy, packets), busy,
			packets);
	}
	return rd.rc;
}

static const struct vsw_cli_cmd perf_cmds[] = {
	{ .name = "pmd-stats", .args = "",
	  .help = "per PMD thread: packets, cache and classifier hits, cycles",
	  .min_args = 0, .max_args = 0, .read_only = true, .print = print_pmd_stats },
	{ .name = "pmd-stats-clear", .args = "",
	  .help = "start pmd-stats' counters again from zero",
	  .min_args = 0, .max_args = 0 },
};

const struct vsw_cli_group vsw_cli_perf_group = {
	.title = "Performance commands",
	.cmds = perf_cmds,
	.n_cmds = sizeof(perf_cmds) / sizeof(perf_cmds[0]),
};
