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
#include <rte_mbuf.h>
#include <rte_version.h>

#include "ctl.h"
#include "dp.h"
#include "eal.h"
#include "log.h"
#include "proto.h"
#include "vtep.h"
#include "telemetry.h"

#define N_MBUFS 32767 /* vhost bursts, frames in flight, and ~1k per ethdev port (port_ethdev.h) */
#define N_MBUFS_PER_PMD 8192 /* more per PMD beyond the first: ethdev ports get a queue each */
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
		"                     [--socket-group GROUP] [-- EAL-ARGS...]\n"
		"\n"
		"The vsw dataplane: forwards packets between vhost-user ports through the\n"
		"flow table that vsw-control programs over DIR/" VSW_DATAPLANE_SOCK ". Runs in\n"
		"the foreground; logs one line per event to stderr.\n"
		"\n"
		"  --run-dir DIR         where dataplane.sock and default vhost sockets live\n"
		"                        (default %s)\n"
		"  --pmd-idle-us N       sleep N microseconds after a poll that found nothing\n"
		"                        (default 0: busy polling, the fastest; use 10..100 on\n"
		"                        machines whose PMD core is shared with other work)\n"
		"  --pmds N              N PMD threads, 1..%d (default: 1; with EAL-ARGS, one\n"
		"                        per worker lcore); the default lcores put them on the\n"
		"                        last N CPUs; with EAL-ARGS, on the first N workers\n"
		"  --socket-group GROUP  dataplane.sock is mode 0660 with this group when the\n"
		"                        group exists, else 0600 (default " VSW_DEFAULT_GROUP ")\n"
		"  -h, --help            this text\n"
		"  -- EAL-ARGS           DPDK EAL arguments, replacing the defaults\n"
		"                        (defaults: --lcores 0@0,1@LAST_CPU --no-pci -m 512\n"
		"                        --file-prefix=vsw, and --in-memory with 512 MiB of\n"
		"                        free hugepages, else --no-huge; with another --run-dir\n"
		"                        the prefix is vsw-HASH); ports on PCI NICs need EAL\n"
		"                        arguments without --no-pci, e.g.\n"
		"                        -- --lcores 0@0,1@1 -a 0000:01:00.0. Log levels: EAL's\n"
		"                        --log-level=vsw.pmd:debug, or vswctl log-level.\n",
		VSW_DEFAULT_RUN_DIR, VSW_MAX_PMDS);
}

/* The mbuf pool: N_MBUFS, and N_MBUFS_PER_PMD for each PMD beyond the first. */
static unsigned int pool_size(unsigned int n_pmds)
{
	unsigned int workers = rte_lcore_count() - 1;

	if (!n_pmds || n_pmds > workers)
		n_pmds = workers;
	if (n_pmds > VSW_MAX_PMDS)
		n_pmds = VSW_MAX_PMDS;
	return N_MBUFS + (n_pmds > 1 ? n_pmds - 1 : 0) * N_MBUFS_PER_PMD;
}

/* Our options come before "--"; EAL's after it. Returns 0, 1 (help) or -EINVAL. */
static int parse_args(struct vsw_dp *dp, int argc, char **argv, int *eal_first,
		      unsigned int *n_pmds)
{
	static const struct option opts[] = {
		{ "run-dir", required_argument, NULL, 'r' },
		{ "pmd-idle-us", required_argument, NULL, 'i' },
		{ "pmds", required_argument, NULL, 'p' },
		{ "socket-group", required_argument, NULL, 'g' },
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
	dp->sock_group = VSW_DEFAULT_GROUP;
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
		case 'g':
			dp->sock_group = optarg;
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
	FILE *log;
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

	log = vsw_log_open();
	if (rte_eal_init(ea.argc, ea.argv) < 0) {
		fprintf(stderr, "vsw-dataplane: DPDK EAL init failed: %s\n",
			rte_strerror(rte_errno));
		vsw_log_close(log);
		return 1;
	}
	if (rte_lcore_count() < 2) {
		fprintf(stderr, "vsw-dataplane: need at least 2 lcores (1 main + 1 PMD)\n");
		goto out_eal;
	}
	snprintf(dp->boot_id, sizeof(dp->boot_id), "%d-%lld", (int)getpid(),
		 (long long)time(NULL));
	dp->mbufs = rte_pktmbuf_pool_create("vsw_mbufs", pool_size(n_pmds), MBUF_CACHE, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (!dp->mbufs) {
		fprintf(stderr, "vsw-dataplane: cannot create the mbuf pool: %s\n",
			rte_strerror(rte_errno));
		goto out_eal;
	}
	size_t qs_size = rte_rcu_qsbr_get_memsize(VSW_RCU_READERS);
	dp->qs = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(qs_size, RTE_CACHE_LINE_SIZE));
	if (!dp->qs || rte_rcu_qsbr_init(dp->qs, VSW_RCU_READERS))
		goto out_pool;
	atomic_init(&dp->ft, vsw_ft_create());
	atomic_init(&dp->ports, vsw_portset_without(NULL, NULL));
	atomic_init(&dp->domains, vsw_domset_empty());
	dp->macs = vsw_mac_table_create(VSW_MAC_CAPACITY, VSW_MAX_DOMAINS);
	if (!atomic_load(&dp->ft) || !atomic_load(&dp->ports) || !atomic_load(&dp->domains) ||
	    !dp->macs)
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
	VSW_LOG(main, INFO, "%u PMD thread(s), %s, run dir %s", dp->n_pmds, rte_version(),
		dp->run_dir);
	if (vsw_telemetry_init(dp))
		VSW_LOG(main, WARNING, "no telemetry commands");
	rc = vsw_ctl_run(dp);
	status = rc ? 1 : 0;
	VSW_LOG(main, INFO, "shutting down");
	vsw_telemetry_fini(dp);

out_pmds:
	vsw_pmd_stop_all(dp);
	vsw_ctl_del_all_mirrors(dp);
	vsw_ctl_del_all_ports(dp);
out_tables:
	vsw_ctl_del_all_domains(dp);
	vsw_mac_table_destroy(dp->macs);
	vsw_ft_destroy(atomic_load(&dp->ft));
	free(atomic_load(&dp->ports));
	vsw_vteps_free(atomic_load(&dp->vteps), true);
	free(dp->qs);
out_pool:
	rte_mempool_free(dp->mbufs);
out_eal:
	rte_eal_cleanup();
	vsw_log_close(log);
	free(dp);
	return status;
}
