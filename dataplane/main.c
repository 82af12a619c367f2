/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-dataplane: argument parsing, start-up and clean shutdown. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_version.h>

#include "ctl.h"
#include "dp.h"
#include "eal.h"
#include "proto.h"

#define N_MBUFS 16383
#define MBUF_CACHE 256

/* The one thing a signal handler may touch: set once in main(). */
static atomic_bool *quit_flag;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(quit_flag, true);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vsw-dataplane [--run-dir DIR] [--pmd-idle-us N] [--pmds N]\n"
		"                     [-- EAL-ARGS...]\n"
		"\n"
		"  --run-dir DIR     where dataplane.sock and default vhost sockets live\n"
		"                    (default %s)\n"
		"  --pmd-idle-us N   sleep N microseconds after a poll that found nothing\n"
		"                    (default 0: busy polling, the fastest; use 10..100 on\n"
		"                    machines whose PMD core is shared with other work)\n"
		"  --pmds N          N PMD threads, 1..%d (default: 1; with EAL-ARGS, one per\n"
		"                    worker lcore); the default lcores put them on the last\n"
		"                    N CPUs; with EAL-ARGS, on the first N worker lcores\n"
		"  -- EAL-ARGS       DPDK EAL arguments, replacing the defaults\n"
		"                    (defaults: --lcores 0@0,1@LAST_CPU --no-pci -m 512, and\n"
		"                    --in-memory with 512 MiB of free hugepages, else --no-huge)\n",
		VSW_DEFAULT_RUN_DIR, VSW_MAX_PMDS);
}

/* Our options come before "--"; EAL's after it. Returns 0, 1 (help) or -EINVAL. */
static int parse_args(struct vsw_dp *dp, int argc, char **argv, int *eal_first,
		      unsigned int *n_pmds)
{
	static const struct option opts[] = {
		{ "run-dir", required_argument, NULL, 'r' },
		{ "pmd-idle-us", required_argument, NULL, 'i' },
		{ "pmds", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int end = argc, c;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			end = i;
			break;
		}
	*eal_first = end < argc ? end + 1 : argc;
	snprintf(dp->run_dir, sizeof(dp->run_dir), "%s", VSW_DEFAULT_RUN_DIR);
	optind = 1;
	while ((c = getopt_long(end, argv, "h", opts, NULL)) != -1) {
		unsigned long v;
		char *e;
		switch (c) {
		case 'r':
			if (strlen(optarg) >= sizeof(dp->run_dir)) {
				fprintf(stderr, "vsw-dataplane: --run-dir: path too long\n");
				return -EINVAL;
			}
			snprintf(dp->run_dir, sizeof(dp->run_dir), "%s", optarg);
			break;
		case 'i':
			errno = 0;
			v = strtoul(optarg, &e, 10);
			if (errno || *e || v > 1000000) {
				fprintf(stderr, "vsw-dataplane: --pmd-idle-us: '%s' is not 0..1000000\n",
					optarg);
				return -EINVAL;
			}
			dp->pmd_idle_us = (unsigned int)v;
			break;
		case 'p':
			errno = 0;
			v = strtoul(optarg, &e, 10);
			if (errno || *e || !*optarg || v < 1 || v > VSW_MAX_PMDS) {
				fprintf(stderr, "vsw-dataplane: --pmds: '%s' is not 1..%d\n",
					optarg, VSW_MAX_PMDS);
				return -EINVAL;
			}
			*n_pmds = (unsigned int)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < end) {
		fprintf(stderr, "vsw-dataplane: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* A short instance name for --file-prefix, distinct per run directory. */
static void instance_prefix(const char *run_dir, char *buf, size_t len)
{
	unsigned long h = 5381;

	for (const char *p = run_dir; *p; p++)
		h = h * 33 + (unsigned char)*p;
	if (!strcmp(run_dir, VSW_DEFAULT_RUN_DIR))
		snprintf(buf, len, "vsw");
	else
		snprintf(buf, len, "vsw-%08lx", h & 0xffffffffUL);
}

int main(int argc, char **argv)
{
	struct vsw_dp *dp = calloc(1, sizeof(*dp));
	struct vsw_eal_args ea;
	char prefix[32];
	unsigned int n_pmds = 0;
	int eal_first, rc, status = 1;

	if (!dp)
		return 1;
	rc = parse_args(dp, argc, argv, &eal_first, &n_pmds);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (mkdir(dp->run_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "vsw-dataplane: cannot create %s: %s\n", dp->run_dir,
			strerror(errno));
		return 1;
	}
	instance_prefix(dp->run_dir, prefix, sizeof(prefix));
	if (vsw_eal_args_build(&ea, argv[0], argc - eal_first, argv + eal_first, prefix,
			       n_pmds)) {
		fprintf(stderr, "vsw-dataplane: too many EAL arguments\n");
		return 2;
	}
	quit_flag = &dp->quit;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	if (rte_eal_init(ea.argc, ea.argv) < 0) {
		fprintf(stderr, "vsw-dataplane: DPDK EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	if (rte_lcore_count() < 2) {
		fprintf(stderr, "vsw-dataplane: need at least 2 lcores (1 main + 1 PMD)\n");
		goto out_eal;
	}
	snprintf(dp->boot_id, sizeof(dp->boot_id), "%d-%lld", (int)getpid(),
		 (long long)time(NULL));
	dp->mbufs = rte_pktmbuf_pool_create("vsw_mbufs", N_MBUFS, MBUF_CACHE, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (!dp->mbufs) {
		fprintf(stderr, "vsw-dataplane: cannot create the mbuf pool: %s\n",
			rte_strerror(rte_errno));
		goto out_eal;
	}
	size_t qs_size = rte_rcu_qsbr_get_memsize(VSW_MAX_PMDS);
	dp->qs = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(qs_size, RTE_CACHE_LINE_SIZE));
	if (!dp->qs || rte_rcu_qsbr_init(dp->qs, VSW_MAX_PMDS))
		goto out_pool;
	atomic_init(&dp->ft, vsw_ft_create());
	atomic_init(&dp->ports, vsw_portset_without(NULL, NULL));
	if (!atomic_load(&dp->ft) || !atomic_load(&dp->ports))
		goto out_tables;

	rc = vsw_pmd_start_all(dp, n_pmds);
	if (rc == -ENODEV && n_pmds) {
		fprintf(stderr, "vsw-dataplane: --pmds %u: only %u worker lcore(s)\n", n_pmds,
			rte_lcore_count() - 1);
		goto out_pmds;
	}
	if (rc) {
		fprintf(stderr, "vsw-dataplane: cannot start PMD threads: %s\n", strerror(-rc));
		goto out_pmds;
	}
	RTE_LOG(INFO, USER1, "vsw-dataplane: %u PMD thread(s), %s, run dir %s\n", dp->n_pmds,
		rte_version(), dp->run_dir);
	rc = vsw_ctl_run(dp);
	status = rc ? 1 : 0;
	RTE_LOG(INFO, USER1, "vsw-dataplane: shutting down\n");

out_pmds:
	vsw_pmd_stop_all(dp);
	vsw_ctl_del_all_ports(dp);
out_tables:
	vsw_ft_destroy(atomic_load(&dp->ft));
	free(atomic_load(&dp->ports));
	free(dp->qs);
out_pool:
	rte_mempool_free(dp->mbufs);
out_eal:
	rte_eal_cleanup();
	free(dp);
	return status;
}
