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
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void
vsw_traffic_opts_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s --socket PATH [OPTIONS]\n"
		"Attach to a vhost-user socket as the VM side (virtio-user) and\n"
		"send and/or capture frames.\n"
		"\n"
		"  --socket PATH         vhost-user socket (required)\n"
		"  --server              create the socket and wait for the switch\n"
		"  --name ID             unique id for the EAL file prefix (default: pid)\n"
		"  --lcore CPU           CPU to run on (default 0)\n"
		"  --huge                use hugepages (default: --no-huge)\n"
		"  --verbose             show EAL and driver logs\n"
		"  --send-pcap FILE      send every frame of FILE once, in order\n"
		"  --loop N              send the pcap N times (default 1)\n"
		"  --capture FILE        write every received frame to a pcap file\n"
		"  --gen                 generate UDP/IPv4 frames\n"
		"  --size N              generated frame length without FCS, 60..1514 (default 60)\n"
		"  --rate PPS            transmit rate, 0 = as fast as possible (default 0)\n"
		"  --src-mac MAC         generated source MAC (default 02:00:00:00:00:01)\n"
		"  --dst-mac MAC         generated destination MAC (default 02:00:00:00:00:02)\n"
		"  --flows N             vary the IPv4 source over N addresses (default 1)\n"
		"  --seconds S           run time limit (float)\n"
		"  --expect N            exit once N frames were received (and the pcap sent)\n"
		"  --wait-link S         wait up to S seconds for link up (default 10, 0 = no wait)\n"
		"  --stats-interval S    print a rate line every S seconds\n"
		"  --start-file PATH     send nothing until PATH exists (receive meanwhile)\n"
		"\n"
		"At exit prints {\"tx_packets\":N,\"tx_bytes\":N,\"rx_packets\":N,\"rx_bytes\":N,\"seconds\":F}.\n"
		"Exit status: 0 ok, 1 --expect not reached, 2 error.\n",
		prog);
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
	o->flows = 1;
	o->wait_link = 10.0;
}

/* Checks that need every option seen. */
static int
check(const struct vsw_traffic_opts *o, FILE *err)
{
	cpu_set_t cpus;

	if (o->help)
		return 0;
	if (o->socket == NULL) {
		fprintf(err, "vsw-traffic: --socket PATH is required\n");
		return -EINVAL;
	}
	if (strchr(o->socket, ',') != NULL) {
		fprintf(err, "vsw-traffic: --socket path must not contain ','\n");
		return -EINVAL;
	}
	if (strlen(o->socket) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(err, "vsw-traffic: --socket path longer than %zu bytes\n",
			sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
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
			o->socket = optarg;
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
			rc = parse_u64(optarg, VSW_TRAFFIC_MIN_FRAME,
				       VSW_TRAFFIC_MAX_FRAME, &v);
			o->size = (uint16_t)v;
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
			o->flows = (uint32_t)v;
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
