/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VSW_TRAFFIC_OPTS_H
#define VSW_TRAFFIC_OPTS_H

/*
 * DOC: vsw-traffic command line
 *
 * The tool has its own options (below); it builds the EAL argv itself
 * (traffic_port.c), so a caller never writes EAL options. This module is
 * plain C: no DPDK, no I/O except the usage text and one error line.
 *
 * Flows: the generated frames walk every combination of the ranges given
 * (--src-ip, --dst-ip, --src-port, --dst-port, and --macs MAC pairs), so the
 * number of distinct flows is the product of the range sizes. --flows N is
 * the old spelling of --src-ip 198.18.0.1-198.18.(N).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VSW_TRAFFIC_NAME_MAX 64
#define VSW_TRAFFIC_MIN_FRAME 60 /* without FCS */
#define VSW_TRAFFIC_MAX_FRAME 1514 /* without FCS */
#define VSW_TRAFFIC_MAX_FLOWS 65534 /* --flows: sources 198.18.0.1 .. 198.18.255.254 */
#define VSW_TRAFFIC_MAX_PORTS 2 /* --socket given once or twice */
#define VSW_TRAFFIC_MAX_QUEUES 8
#define VSW_TRAFFIC_SIZE_IMIX 0 /* o->size: the IMIX mix (traffic_gen.h) */

/* A range of values lo..hi (inclusive), host byte order. */
struct vsw_traffic_range {
	uint32_t lo, hi;
};

struct vsw_traffic_opts {
	const char *sockets[VSW_TRAFFIC_MAX_PORTS]; /* vhost-user socket paths */
	unsigned int n_sockets; /* 1 or 2 */
	bool server; /* create the socket, the switch connects */
	char name[VSW_TRAFFIC_NAME_MAX]; /* unique id for --file-prefix */
	unsigned int lcore_cpu; /* CPU the main lcore is pinned to */
	bool huge; /* use hugepages instead of --no-huge */
	bool verbose; /* let EAL/PMD logs through */
	uint16_t queues; /* queue pairs per port (virtio-user queues=N) */

	const char *send_pcap; /* NULL: no pcap source */
	uint64_t loops; /* times the pcap is sent, >= 1 */
	const char *capture; /* NULL: no capture */

	bool gen; /* UDP/IPv4 generator source */
	uint16_t size; /* frame length without FCS, or VSW_TRAFFIC_SIZE_IMIX */
	uint64_t rate; /* packets per second per sending port, 0 = unlimited */
	uint64_t count; /* frames to generate per sending port, 0 = no limit */
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t macs; /* MAC pairs: src and dst MAC step together over this many */
	struct vsw_traffic_range src_ip, dst_ip, src_port, dst_port;
	uint16_t vlan; /* 802.1Q VID to tag with, 0 = untagged */
	/*
	 * --vxlan VNI,SRC_IP,DST_IP[,SRC_MAC,DST_MAC]: the generated frames go
	 * out VXLAN-encapsulated (traffic_gen.h); outer MACs by default
	 * 02:00 + the IPv4 address (what vsw-dataplane gives a VXLAN port
	 * whose underlay has no MAC of its own).
	 */
	bool vxlan;
	uint32_t vxlan_vni;
	uint32_t vxlan_src, vxlan_dst; /* host order */
	uint8_t vxlan_src_mac[6], vxlan_dst_mac[6];
	bool bidir; /* two sockets: both ports send (port 2 the mirror stream) */

	double seconds; /* run time limit after the warm-up, 0 = none */
	double warmup; /* seconds before the measurement window opens */
	uint64_t expect; /* stop after this many received frames, 0 = none */
	double wait_link; /* seconds to wait for link up, 0 = do not wait */
	double stats_interval; /* seconds between stats lines, 0 = none */
	const char *start_file; /* send nothing until this file exists */
	const char *window_file; /* created when the measurement window opens */

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
