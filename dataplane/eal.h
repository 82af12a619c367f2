/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_EAL_H
#define VSW_EAL_H

/*
 * DOC: EAL arguments
 *
 * With no EAL arguments, vsw-dataplane picks defaults that work on any
 * machine, NICs or not, hugepages or not: `--no-pci`, one main lcore on the
 * first CPU and one PMD lcore on the last (with `--pmds N`, N PMD lcores on
 * the last N CPUs, counting down and wrapping round), `-m 512` of hugepages with
 * `--in-memory` (no hugepage files left behind) when at least 512 MiB are
 * free on a mounted hugetlbfs, and `--no-huge` otherwise. Anything after `--` on the command line replaces these
 * defaults entirely (cores, hugepages, PCI devices for a real deployment).
 *
 * Devices: virtual devices (net_tap, net_af_packet) are hot-plugged by
 * port-add whatever the arguments; they need neither PCI nor hugepages. A
 * `dpdk` port on a PCI NIC needs PCI scanning, which the defaults turn off
 * on purpose: with it, EAL would probe at start-up every NIC bound to
 * vfio-pci or uio, including those meant for other programs. So a host with
 * NICs for the switch passes EAL arguments (without --no-pci), best with an
 * allow list of exactly those NICs: `-- --lcores ... -a 0000:01:00.0` (a NIC
 * probed at start-up is taken over by its port-add). port-add of a PCI
 * address while PCI is off fails and says so.
 */

#define VSW_EAL_MAX_ARGS 64

struct vsw_eal_args {
	int argc;
	char *argv[VSW_EAL_MAX_ARGS];
	char buf[1024]; /* storage for generated arguments */
};

/*
 * Build the EAL argv: `user` (argc_user > 0) verbatim after argv0, or the
 * defaults with `n_pmds` PMD lcores (0: 1). `prefix` names this instance
 * (--file-prefix). 0 or -E2BIG.
 */
int vsw_eal_args_build(struct vsw_eal_args *ea, const char *argv0, int argc_user,
		       char **user, const char *prefix, unsigned int n_pmds);

#endif
