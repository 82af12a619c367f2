/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-traffic: command line parsing. */

#include "traffic_opts.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <unistd.h>

enum {
	OPT_SOCKET = 256,
	OPT_SERVER,
	OPT_NAME,
	OPT_LCORE,
	OPT_HUGE,
	OPT_VERBOSE,
	OPT_SEND_PCAP,
	OPT_LOOP,
	OPT_CAPTURE,
	OPT_GEN,
	OPT_SIZE,
	OPT_RATE,
	OPT_SRC_MAC,
	OPT_DST_MAC,
	OPT_FLOWS,
	OPT_SECONDS,
	OPT_EXPECT,
	OPT_WAIT_LINK,
	OPT_STATS_INTERVAL,
	OPT_START_FILE,
	OPT_QUEUES,
	OPT_MACS,
	OPT_SRC_IP,
	OPT_DST_IP,
	OPT_SRC_PORT,
	OPT_DST_PORT,
	OPT_VLAN,
	OPT_BIDIR,
	OPT_WARMUP,
	OPT_COUNT,
	OPT_WINDOW_FILE,
	OPT_VXLAN,
};

static const struct option long_opts[] = {
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "server", no_argument, NULL, OPT_SERVER },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "lcore", required_argument, NULL, OPT_LCORE },
	{ "huge", no_argument, NULL, OPT_HUGE },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "send-pcap", required_argument, NULL, OPT_SEND_PCAP },
	{ "loop", required_argument, NULL, OPT_LOOP },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "gen", no_argument, NULL, OPT_GEN },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "src-mac", required_argument, NULL, OPT_SRC_MAC },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "wait-link", required_argument, NULL, OPT_WAIT_LINK },
	{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	{ "start-file", required_argument, NULL, OPT_START_FILE },
	{ "queues", required_argument, NULL, OPT_QUEUES },
	{ "macs", required_argument, NULL, OPT_MACS },
	{ "src-ip", required_argument, NULL, OPT_SRC_IP },
	{ "dst-ip", required_argument, NULL, OPT_DST_IP },
	{ "src-port", required_argument, NULL, OPT_SRC_PORT },
	{ "dst-port", required_argument, NULL, OPT_DST_PORT },
	{ "vlan", required_argument, NULL, OPT_VLAN },
	{ "bidir", no_argument, NULL, OPT_BIDIR },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "window-file", required_argument, NULL, OPT_WINDOW_FILE },
	{ "vxlan", required_argument, NULL, OPT_VXLAN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void
vsw_traffic_opts_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s --socket PATH [--socket PATH2] [OPTIONS]\n"
		"Attach to one or two vhost-user sockets as the VM side (virtio-user)\n"
		"and send and/or capture frames.\n"
		"\n"
		"  --socket PATH         vhost-user socket (required; twice for two ports:\n"
		"                        the first sends, the second receives)\n"
		"  --server              create the socket(s) and wait for the switch\n"
		"  --name ID             unique id for the EAL file prefix (default: pid)\n"
		"  --lcore CPU           CPU to run on (default 0)\n"
		"  --huge                use hugepages (default: --no-huge)\n"
		"  --queues N            queue pairs per port, 1..%d (default 1); frames are\n"
		"                        sent on each queue in turn, received from all\n"
		"  --verbose             show EAL and driver logs\n"
		"  --send-pcap FILE      send every frame of FILE once, in order\n"
		"  --loop N              send the pcap N times (default 1)\n"
		"  --capture FILE        write every received frame to a pcap file\n"
		"  --gen                 generate UDP/IPv4 frames (sequence number and\n"
		"                        timestamp in the payload: loss and latency)\n"
		"  --size N|imix         frame length without FCS, 60..1514 (default 60), or\n"
		"                        imix: 64, 594 and 1518-byte frames (with FCS) 7:4:1\n"
		"  --rate PPS            transmit rate per sending port, 0 = as fast as\n"
		"                        possible (default 0)\n"
		"  --count N             generate N frames per sending port, then stop\n"
		"                        (1 s later, unless --seconds or --expect)\n"
		"  --src-mac MAC         generated source MAC (default 02:00:00:00:00:01)\n"
		"  --dst-mac MAC         generated destination MAC (default 02:00:00:00:00:02)\n"
		"  --macs N              step both MACs together over N addresses (default 1)\n"
		"  --src-ip A[-B]        IPv4 source range (default 198.18.0.1)\n"
		"  --dst-ip A[-B]        IPv4 destination range (default 198.19.0.1)\n"
		"  --src-port P[-Q]      UDP source port range (default 1024)\n"
		"  --dst-port P[-Q]      UDP destination port range (default 9)\n"
		"  --flows N             same as --src-ip 198.18.0.1 and N-1 more (default 1)\n"
		"                        (flows: every combination of the ranges)\n"
		"  --vlan VID            tag generated frames with 802.1Q VID (frames >= 64)\n"
		"  --vxlan VNI,SRC_IP,DST_IP[,SRC_MAC,DST_MAC]\n"
		"                        send generated frames VXLAN-encapsulated (50 bytes\n"
		"                        more than --size); outer MACs default to 02:00 and\n"
		"                        the address (SRC_IP's, DST_IP's)\n"
		"  --bidir               with two sockets: both send, the second the mirror\n"
		"                        stream (MACs, addresses and ports swapped)\n"
		"  --warmup S            measure rates and latency only after S seconds\n"
		"  --seconds S           run time limit after the warm-up (float)\n"
		"  --expect N            exit once N frames were received (and the pcap sent)\n"
		"  --wait-link S         wait up to S seconds for link up (default 10, 0 = no wait)\n"
		"  --stats-interval S    print a rate line every S seconds\n"
		"  --start-file PATH     send nothing until PATH exists (receive meanwhile)\n"
		"  --window-file PATH    create PATH when the measurement window opens\n"
		"\n"
		"At exit prints a line of text (rates, loss, latency) and then\n"
		"{\"tx_packets\":N,\"tx_bytes\":N,\"rx_packets\":N,\"rx_bytes\":N,\"seconds\":F,...}.\n"
		"Exit status: 0 ok, 1 --expect not reached, 2 error.\n",
		prog, VSW_TRAFFIC_MAX_QUEUES);
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* "A" or "A-B", IPv4 dotted quads, A <= B. */
static int
parse_ip_range(const char *s, struct vsw_traffic_range *r)
{
	char buf[40], *dash;
	struct in_addr a, b;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash != NULL)
		*dash = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	b = a;
	if (dash != NULL && inet_pton(AF_INET, dash + 1, &b) != 1)
		return -EINVAL;
	r->lo = ntohl(a.s_addr);
	r->hi = ntohl(b.s_addr);
	return r->lo <= r->hi ? 0 : -EINVAL;
}

static void
mac_of_ip(uint32_t ip, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	for (int i = 0; i < 4; i++)
		mac[2 + i] = (uint8_t)(ip >> (24 - 8 * i));
}

/* "VNI,SRC_IP,DST_IP[,SRC_MAC,DST_MAC]": VNI 0..16777215, unicast-looking addresses. */
static int
parse_vxlan(const char *s, struct vsw_traffic_opts *o)
{
	char buf[128], *f[6], *rest = buf;
	struct vsw_traffic_range a, b;
	uint64_t vni;
	int n = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	while (rest != NULL) { /* empty fields count (and fail below) */
		if (n == 6)
			return -EINVAL;
		f[n++] = strsep(&rest, ",");
	}
	if ((n != 3 && n != 5) || parse_u64(f[0], 0, 0xffffff, &vni) < 0 ||
	    parse_ip_range(f[1], &a) < 0 || a.lo != a.hi || parse_ip_range(f[2], &b) < 0 ||
	    b.lo != b.hi)
		return -EINVAL;
	o->vxlan = true;
	o->vxlan_vni = (uint32_t)vni;
	o->vxlan_src = a.lo;
	o->vxlan_dst = b.lo;
	mac_of_ip(a.lo, o->vxlan_src_mac);
	mac_of_ip(b.lo, o->vxlan_dst_mac);
	if (n == 5 && (parse_mac(f[3], o->vxlan_src_mac) < 0 ||
		       parse_mac(f[4], o->vxlan_dst_mac) < 0))
		return -EINVAL;
	return 0;
}

/* "P" or "P-Q", 0..65535, P <= Q. */
static int
parse_port_range(const char *s, struct vsw_traffic_range *r)
{
	char buf[16], *dash;
	uint64_t lo, hi;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash != NULL)
		*dash = '\0';
	if (parse_u64(buf, 0, 65535, &lo) < 0)
		return -EINVAL;
	hi = lo;
	if (dash != NULL && parse_u64(dash + 1, 0, 65535, &hi) < 0)
		return -EINVAL;
	r->lo = (uint32_t)lo;
	r->hi = (uint32_t)hi;
	return lo <= hi ? 0 : -EINVAL;
}

static int
parse_size(const char *s, uint16_t *size)
{
	uint64_t v;

	if (strcmp(s, "imix") == 0) {
		*size = VSW_TRAFFIC_SIZE_IMIX;
		return 0;
	}
	if (parse_u64(s, VSW_TRAFFIC_MIN_FRAME, VSW_TRAFFIC_MAX_FRAME, &v) < 0)
		return -EINVAL;
	*size = (uint16_t)v;
	return 0;
}

static uint64_t
range_len(const struct vsw_traffic_range *r)
{
	return (uint64_t)r->hi - r->lo + 1;
}

static int
parse_name(const char *s, char *name)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= VSW_TRAFFIC_NAME_MAX)
		return -EINVAL;
	/* It ends up in a file name and an EAL argument. */
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' ||
		      s[i] == '.'))
			return -EINVAL;
	memcpy(name, s, n + 1);
	return 0;
}

static void
set_defaults(struct vsw_traffic_opts *o)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };

	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%ld", (long)getpid());
	o->loops = 1;
	o->size = VSW_TRAFFIC_MIN_FRAME;
	memcpy(o->src_mac, src, 6);
	memcpy(o->dst_mac, dst, 6);
	o->macs = 1;
	o->queues = 1;
	o->src_ip.lo = o->src_ip.hi = 0xc6120001; /* 198.18.0.1 */
	o->dst_ip.lo = o->dst_ip.hi = 0xc6130001; /* 198.19.0.1 */
	o->src_port.lo = o->src_port.hi = 1024;
	o->dst_port.lo = o->dst_port.hi = 9; /* discard */
	o->wait_link = 10.0;
}

/* Checks that need every option seen. */
static int
check(const struct vsw_traffic_opts *o, FILE *err)
{
	cpu_set_t cpus;

	if (o->help)
		return 0;
	if (o->n_sockets == 0) {
		fprintf(err, "vsw-traffic: --socket PATH is required\n");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < o->n_sockets; i++) {
		if (strchr(o->sockets[i], ',') != NULL) {
			fprintf(err, "vsw-traffic: --socket path must not contain ','\n");
			return -EINVAL;
		}
		if (strlen(o->sockets[i]) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			fprintf(err, "vsw-traffic: --socket path longer than %zu bytes\n",
				sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
			return -EINVAL;
		}
	}
	if (o->n_sockets == 2 && strcmp(o->sockets[0], o->sockets[1]) == 0) {
		fprintf(err, "vsw-traffic: the two --socket paths are the same\n");
		return -EINVAL;
	}
	if (o->n_sockets > 1 && (o->send_pcap != NULL || o->capture != NULL)) {
		fprintf(err, "vsw-traffic: --send-pcap and --capture work with one --socket\n");
		return -EINVAL;
	}
	if (o->count != 0 && !o->gen) {
		fprintf(err, "vsw-traffic: --count needs --gen\n");
		return -EINVAL;
	}
	if (o->bidir && (o->n_sockets != 2 || !o->gen)) {
		fprintf(err, "vsw-traffic: --bidir needs two --socket and --gen\n");
		return -EINVAL;
	}
	if (o->vxlan && (!o->gen || o->bidir)) {
		fprintf(err, "vsw-traffic: --vxlan needs --gen and one direction (no --bidir)\n");
		return -EINVAL;
	}
	if (o->vlan != 0 && o->size != VSW_TRAFFIC_SIZE_IMIX && o->size < 64) {
		fprintf(err, "vsw-traffic: --vlan needs --size 64 or more\n");
		return -EINVAL;
	}
	if (range_len(&o->src_ip) * range_len(&o->dst_ip) * range_len(&o->src_port) *
		    range_len(&o->dst_port) * o->macs > UINT32_MAX) {
		fprintf(err, "vsw-traffic: more than 2^32 flows\n");
		return -EINVAL;
	}
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
	    (o->lcore_cpu >= CPU_SETSIZE || !CPU_ISSET(o->lcore_cpu, &cpus))) {
		fprintf(err, "vsw-traffic: --lcore %u: CPU not available to this process\n",
			o->lcore_cpu);
		return -EINVAL;
	}
	if (o->gen && o->send_pcap != NULL) {
		fprintf(err, "vsw-traffic: --gen and --send-pcap exclude each other\n");
		return -EINVAL;
	}
	return 0;
}

int
vsw_traffic_opts_parse(struct vsw_traffic_opts *o, int argc, char **argv,
		       FILE *err)
{
	uint64_t v;
	int c, rc, idx;

	set_defaults(o);
	opterr = 0;
	optind = 1;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, ":h", long_opts, &idx);
		if (c == -1)
			break;
		rc = 0;
		switch (c) {
		case OPT_SOCKET:
			if (o->n_sockets == VSW_TRAFFIC_MAX_PORTS) {
				fprintf(err, "vsw-traffic: at most %d --socket\n",
					VSW_TRAFFIC_MAX_PORTS);
				return -EINVAL;
			}
			o->sockets[o->n_sockets++] = optarg;
			rc = *optarg ? 0 : -EINVAL;
			break;
		case OPT_SERVER:
			o->server = true;
			break;
		case OPT_NAME:
			rc = parse_name(optarg, o->name);
			break;
		case OPT_LCORE:
			rc = parse_u64(optarg, 0, 1023, &v);
			o->lcore_cpu = (unsigned int)v;
			break;
		case OPT_HUGE:
			o->huge = true;
			break;
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		case OPT_SEND_PCAP:
			o->send_pcap = optarg;
			break;
		case OPT_LOOP:
			rc = parse_u64(optarg, 1, UINT64_MAX, &o->loops);
			break;
		case OPT_CAPTURE:
			o->capture = optarg;
			break;
		case OPT_GEN:
			o->gen = true;
			break;
		case OPT_SIZE:
			rc = parse_size(optarg, &o->size);
			break;
		case OPT_RATE:
			rc = parse_u64(optarg, 0, 1000000000ull, &o->rate);
			break;
		case OPT_SRC_MAC:
			rc = parse_mac(optarg, o->src_mac);
			break;
		case OPT_DST_MAC:
			rc = parse_mac(optarg, o->dst_mac);
			break;
		case OPT_FLOWS:
			rc = parse_u64(optarg, 1, VSW_TRAFFIC_MAX_FLOWS, &v);
			o->src_ip.lo = 0xc6120001; /* 198.18.0.1 */
			o->src_ip.hi = o->src_ip.lo + (uint32_t)v - 1;
			break;
		case OPT_QUEUES:
			rc = parse_u64(optarg, 1, VSW_TRAFFIC_MAX_QUEUES, &v);
			o->queues = (uint16_t)v;
			break;
		case OPT_MACS:
			rc = parse_u64(optarg, 1, 1u << 24, &v);
			o->macs = (uint32_t)v;
			break;
		case OPT_SRC_IP:
			rc = parse_ip_range(optarg, &o->src_ip);
			break;
		case OPT_DST_IP:
			rc = parse_ip_range(optarg, &o->dst_ip);
			break;
		case OPT_SRC_PORT:
			rc = parse_port_range(optarg, &o->src_port);
			break;
		case OPT_DST_PORT:
			rc = parse_port_range(optarg, &o->dst_port);
			break;
		case OPT_VLAN:
			rc = parse_u64(optarg, 1, 4094, &v);
			o->vlan = (uint16_t)v;
			break;
		case OPT_BIDIR:
			o->bidir = true;
			break;
		case OPT_VXLAN:
			rc = parse_vxlan(optarg, o);
			break;
		case OPT_WARMUP:
			rc = parse_seconds(optarg, &o->warmup);
			break;
		case OPT_WINDOW_FILE:
			o->window_file = optarg;
			rc = *optarg ? 0 : -EINVAL;
			break;
		case OPT_COUNT:
			rc = parse_u64(optarg, 1, UINT32_MAX, &o->count);
			break;
		case OPT_SECONDS:
			rc = parse_seconds(optarg, &o->seconds);
			break;
		case OPT_EXPECT:
			rc = parse_u64(optarg, 1, UINT64_MAX, &o->expect);
			break;
		case OPT_WAIT_LINK:
			rc = parse_seconds(optarg, &o->wait_link);
			break;
		case OPT_STATS_INTERVAL:
			rc = parse_seconds(optarg, &o->stats_interval);
			break;
		case OPT_START_FILE:
			o->start_file = optarg;
			rc = *optarg ? 0 : -EINVAL;
			break;
		case 'h':
			o->help = true;
			break;
		case ':':
			fprintf(err, "vsw-traffic: option %s needs a value\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(err, "vsw-traffic: unknown option %s\n",
				argv[optind - 1]);
			return -EINVAL;
		}
		if (rc < 0) {
			fprintf(err, "vsw-traffic: bad value '%s' for --%s\n",
				optarg, idx >= 0 ? long_opts[idx].name : "?");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(err, "vsw-traffic: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return check(o, err);
}
