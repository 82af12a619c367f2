/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_OPTS_H
#define VSW_TRAFFIC_OPTS_H

/*
 * DOC: vsw-traffic command line
 *
 * The tool has its own options (below); it builds the EAL argv itself
 * (traffic_port.c), so a caller never writes EAL options. This module is
 * plain C: no DPDK, no I/O except the usage text and one error line.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VSW_TRAFFIC_NAME_MAX 64
#define VSW_TRAFFIC_MIN_FRAME 60 /* without FCS */
#define VSW_TRAFFIC_MAX_FRAME 1514 /* without FCS */
#define VSW_TRAFFIC_MAX_FLOWS 65534 /* sources 198.18.0.1 .. 198.18.255.254 */

struct vsw_traffic_opts {
	const char *socket; /* vhost-user socket path (required) */
	bool server; /* create the socket, the switch connects */
	char name[VSW_TRAFFIC_NAME_MAX]; /* unique id for --file-prefix */
	unsigned int lcore_cpu; /* CPU the main lcore is pinned to */
	bool huge; /* use hugepages instead of --no-huge */
	bool verbose; /* let EAL/PMD logs through */

	const char *send_pcap; /* NULL: no pcap source */
	uint64_t loops; /* times the pcap is sent, >= 1 */
	const char *capture; /* NULL: no capture */

	bool gen; /* UDP/IPv4 generator source */
	uint16_t size; /* generated frame length, without FCS */
	uint64_t rate; /* packets per second, 0 = unlimited */
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t flows; /* number of IPv4 source addresses, >= 1 */

	double seconds; /* run time limit, 0 = none */
	uint64_t expect; /* stop after this many received frames, 0 = none */
	double wait_link; /* seconds to wait for link up, 0 = do not wait */
	double stats_interval; /* seconds between stats lines, 0 = none */
	const char *start_file; /* send nothing until this file exists */

	bool help;
};

/*
 * Parse argv into @o (defaults first). Returns 0, or -EINVAL after writing one
 * line naming the problem to @err. Sets o->help for -h/--help.
 */
int vsw_traffic_opts_parse(struct vsw_traffic_opts *o, int argc, char **argv,
			   FILE *err);

void vsw_traffic_opts_usage(FILE *out, const char *prog);

#endif /* VSW_TRAFFIC_OPTS_H */
