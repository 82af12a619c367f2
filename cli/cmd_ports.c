/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl port commands: add-port, del-port, dump-ports, show. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Drop reasons of PROTOCOL.md and the side of the port they are counted on:
 * RX for the port the packet came in on, TX for the port it should have left
 * by. A reason vswctl does not know is counted as RX, the protocol's default.
 */
#define VSW_CLI_DROP_REASONS(X)   \
	X(no_match, RX)           \
	X(malformed, RX)          \
	X(action_drop, RX)        \
	X(no_port, RX)            \
	X(port_down, TX)          \
	X(tx_full, TX)            \
	X(loop, RX)               \
	X(ttl_exceeded, RX)       \
	X(no_domain, RX)          \
	X(recursion_too_deep, RX) \
	X(too_many_resubmits, RX) \
	X(too_many_outputs, RX)   \
	X(no_mbuf, RX)            \
	X(vtep_unresolved, RX)    \
	X(isolation, RX)

enum drop_side { RX, TX };

static const struct {
	const char *name;
	enum drop_side side;
} drop_reasons[] = {
#define DROP_REASON(name, side) { #name, side },
	VSW_CLI_DROP_REASONS(DROP_REASON)
#undef DROP_REASON
};

#define N_REASONS (sizeof(drop_reasons) / sizeof(drop_reasons[0]))

static int set_str(json_t *req, const char *key, const char *val)
{
	return json_object_set_new(req, key, json_string(val)) ? -ENOMEM : 0;
}

/* add-port NAME tap, add-port NAME dpdk DEVARGS */
static int build_add_ethdev(const struct vsw_cli_inv *inv, json_t *req, char *err,
			    size_t errlen)
{
	const char *type = inv->argv[1];
	bool dpdk = !strcmp(type, "dpdk");

	if (dpdk ? inv->argc != 3 : inv->argc != 2)
		return vsw_cli_fail(err, errlen, -EINVAL, "add-port: expected NAME %s", dpdk ?
				    "dpdk DEVARGS (a PCI address or a vdev such as "
				    "net_af_packet,iface=eth1)" : "tap");
	if (dpdk && !*inv->argv[2])
		return vsw_cli_fail(err, errlen, -EINVAL, "add-port: empty DEVARGS");
	if (set_str(req, "name", inv->argv[0]) || set_str(req, "type", type) ||
	    (dpdk && set_str(req, "devargs", inv->argv[2]))) {
		snprintf(err, errlen, "add-port: out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* add-port NAME vhost-user [server|client] [PATH] (or tap, dpdk: above) */
static int build_add_port(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	const char *name = inv->argv[0], *type = inv->argv[1];
	const char *mode = "server", *path = NULL;

	if (!*name)
		return vsw_cli_fail(err, errlen, -EINVAL, "add-port: empty port name");
	if (!strcmp(type, "tap") || !strcmp(type, "dpdk"))
		return build_add_ethdev(inv, req, err, errlen);
	if (strcmp(type, "vhost-user"))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "add-port: unknown port type '%s'; supported: "
				    "vhost-user, tap, dpdk", type);
	if (inv->argc >= 3) {
		const char *a = inv->argv[2];

		if (!strcmp(a, "server") || !strcmp(a, "client"))
			mode = a;
		else if (inv->argc == 3 && strchr(a, '/'))
			path = a; /* add-port vm1 vhost-user /run/vm1.sock: server mode */
		else
			return vsw_cli_fail(err, errlen, -EINVAL,
					    "add-port: unknown mode '%s'; expected server or "
					    "client%s", a,
					    inv->argc == 3 ? ", or an absolute socket PATH" : "");
	}
	if (inv->argc == 4)
		path = inv->argv[3];
	if (!path && !strcmp(mode, "client"))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "add-port: client mode needs the PATH of the guest's "
				    "vhost-user socket");
	if (path && path[0] != '/')
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "add-port: socket path '%s' must be absolute", path);
	if (path && strlen(path) >= VSW_CLI_SOCK_MAX)
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "add-port: socket path too long (at most %zu bytes)",
				    VSW_CLI_SOCK_MAX - 1);

	if (set_str(req, "name", name) || set_str(req, "type", type) ||
	    set_str(req, "mode", mode) || (path && set_str(req, "path", path))) {
		snprintf(err, errlen, "add-port: out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* del-port NAME, dump-ports [NAME] */
static int build_name(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	if (inv->argc == 0)
		return 0;
	if (!*inv->argv[0])
		return vsw_cli_fail(err, errlen, -EINVAL, "%s: empty port name", inv->cmd->name);
	if (set_str(req, "name", inv->argv[0])) {
		snprintf(err, errlen, "%s: out of memory", inv->cmd->name);
		return -ENOMEM;
	}
	return 0;
}

struct reason_count {
	const char *name;
	long long n;
};

static int cmp_reason(const void *a, const void *b)
{
	return strcmp(((const struct reason_count *)a)->name,
		      ((const struct reason_count *)b)->name);
}

static size_t reason_idx(const char *name)
{
	size_t i;

	for (i = 0; i < N_REASONS; i++)
		if (!strcmp(drop_reasons[i].name, name))
			break;
	return i;
}

/*
 * Sum a port's drops per side (reasons vswctl does not know count as RX),
 * and with `line` print "drops: REASON=N, ..." for every non-zero reason:
 * known reasons in PROTOCOL.md order, then unknown ones sorted by name; no
 * line when there is none. 0 or -ENOMEM.
 */
static int port_drops(struct vsw_cli_rd *rd, const json_t *drops, long long sum[2], FILE *line)
{
	size_t n = drops ? json_object_size(drops) : 0, n_unknown = 0;
	long long known[N_REASONS] = { 0 };
	struct reason_count *unknown;
	const char *key;
	json_t *v;
	bool first = true;

	sum[RX] = sum[TX] = 0;
	if (!n)
		return 0;
	unknown = calloc(n, sizeof(*unknown));
	if (!unknown)
		return -ENOMEM;
	json_object_foreach((json_t *)drops, key, v) {
		long long c = vsw_cli_int(rd, drops, key);
		size_t i = reason_idx(key);

		if (i < N_REASONS) {
			known[i] += c;
			sum[drop_reasons[i].side] += c;
		} else {
			unknown[n_unknown++] = (struct reason_count){ key, c };
			sum[RX] += c;
		}
	}
	qsort(unknown, n_unknown, sizeof(*unknown), cmp_reason);
	for (size_t i = 0; line && i < N_REASONS + n_unknown; i++) {
		bool k = i < N_REASONS;
		const char *name = k ? drop_reasons[i].name : unknown[i - N_REASONS].name;
		long long c = k ? known[i] : unknown[i - N_REASONS].n;

		if (!c)
			continue;
		fprintf(line, "%s%s=%lld", first ? "         drops: " : ", ", name, c);
		first = false;
	}
	if (!first)
		fputc('\n', line);
	free(unknown);
	return 0;
}

/*
 * What a port is, after its state: "vhost-user server /run/vsw/vm1.sock",
 * "tap", "dpdk net_af_packet,iface=eth1"; then " tenant=blue" or " uplink"
 * when it is in a tenant or the uplink. Optional members of older replies
 * may be missing.
 */
static void port_what(struct vsw_cli_rd *rd, const json_t *p, char *buf, size_t len,
		      bool tenant)
{
	const char *type = vsw_cli_str(rd, p, "type");
	const char *mode = vsw_cli_str(rd, p, "mode");
	const char *path = vsw_cli_str(rd, p, "path");
	const char *devargs = vsw_cli_str_opt(rd, p, "devargs");
	const char *t = vsw_cli_str_opt(rd, p, "tenant");
	json_t *up = json_object_get(p, "uplink");
	size_t n;

	if (up && !json_is_boolean(up))
		vsw_cli_rd_fail(rd, "uplink", "expected true or false");
	snprintf(buf, len, "%s%s%s%s%s%s%s", type, *mode ? " " : "", mode, *path ? " " : "", path,
		 devargs ? " " : "", devargs ? devargs : "");
	n = strlen(buf);
	if (tenant && t)
		snprintf(buf + n, len - n, " tenant=%s", t);
	else if (tenant && json_is_true(up))
		snprintf(buf + n, len - n, " uplink");
}

/*
 * " queues=2" for a port whose peer sets up its queue pairs (vhost-user),
 * " queues=2 (1 enabled)" when the peer has not enabled all of them; ""
 * for other ports and older replies.
 */
static void port_queues(struct vsw_cli_rd *rd, const json_t *p, char *buf, size_t len)
{
	json_t *en = json_object_get(p, "queues_enabled"), *v;
	long long n, on = 0;
	size_t i;

	buf[0] = '\0';
	if (!json_object_get(p, "queues"))
		return;
	n = vsw_cli_int(rd, p, "queues");
	if (en && !json_is_array(en))
		vsw_cli_rd_fail(rd, "queues_enabled", "expected an array");
	json_array_foreach(en, i, v)
		on += json_is_true(v);
	if (!json_is_array(en) || on == n)
		snprintf(buf, len, " queues=%lld", n);
	else
		snprintf(buf, len, " queues=%lld (%lld enabled)", n, on);
}

/*
 * port vm1 (1): state=up vhost-user server /run/vsw/vm1.sock tenant=blue queues=1
 *          rx pkts=10, bytes=600, drop=1
 *          tx pkts=9, bytes=540, drop=0
 *          drops: no_match=1
 */
static int print_dump_ports(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *ports, *p;
	size_t i;

	vsw_cli_rd_init(&rd, err, errlen);
	ports = vsw_cli_array(&rd, reply, "ports");
	json_array_foreach(ports, i, p) {
		long long drop[2];

		vsw_cli_rd_where(&rd, "ports[%zu]", i);
		if (!vsw_cli_is_object(&rd, p))
			return rd.rc;
		const char *name = vsw_cli_str(&rd, p, "name");
		long long port_no = vsw_cli_int(&rd, p, "port_no");
		const char *state = vsw_cli_str(&rd, p, "state");
		char what[512], queues[64];
		long long rx_packets = vsw_cli_int(&rd, p, "rx_packets");
		long long rx_bytes = vsw_cli_int(&rd, p, "rx_bytes");
		long long tx_packets = vsw_cli_int(&rd, p, "tx_packets");
		long long tx_bytes = vsw_cli_int(&rd, p, "tx_bytes");
		json_t *drops = vsw_cli_object_opt(&rd, p, "drops");

		port_what(&rd, p, what, sizeof(what), true);
		port_queues(&rd, p, queues, sizeof(queues));
		vsw_cli_rd_where(&rd, "ports[%zu].drops", i);
		if (port_drops(&rd, drops, drop, NULL))
			goto err_nomem;
		if (rd.rc)
			return rd.rc;
		fprintf(out, "port %s (%lld): state=%s %s%s\n", name, port_no, state, what, queues);
		fprintf(out, "         rx pkts=%lld, bytes=%lld, drop=%lld\n", rx_packets,
			rx_bytes, drop[RX]);
		fprintf(out, "         tx pkts=%lld, bytes=%lld, drop=%lld\n", tx_packets,
			tx_bytes, drop[TX]);
		if (port_drops(&rd, drops, drop, out))
			goto err_nomem;
	}
	return rd.rc;

err_nomem:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

/*
 * vsw-control: dataplane connected
 *   port vm1 (1): vhost-user server /run/vsw/vm1.sock state=up
 *   flows: 3
 */
static int print_show(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *ports, *p;
	size_t i;

	vsw_cli_rd_init(&rd, err, errlen);
	const char *dp = vsw_cli_str(&rd, reply, "dataplane");
	long long n_flows = vsw_cli_int(&rd, reply, "n_flows");
	ports = vsw_cli_array(&rd, reply, "ports");
	if (rd.rc)
		return rd.rc;
	fprintf(out, "vsw-control: dataplane %s\n", dp);
	json_array_foreach(ports, i, p) {
		vsw_cli_rd_where(&rd, "ports[%zu]", i);
		if (!vsw_cli_is_object(&rd, p))
			return rd.rc;
		const char *name = vsw_cli_str(&rd, p, "name");
		long long port_no = vsw_cli_int(&rd, p, "port_no");
		const char *state = vsw_cli_str(&rd, p, "state");
		char what[512];

		port_what(&rd, p, what, sizeof(what), false);
		if (rd.rc)
			return rd.rc;
		fprintf(out, "  port %s (%lld): %s state=%s\n", name, port_no, what, state);
	}
	fprintf(out, "  flows: %lld\n", n_flows);
	return 0;
}

static const struct vsw_cli_cmd port_cmds[] = {
	{ .name = "add-port",
	  .args = "NAME vhost-user [server|client] [PATH] | NAME tap | NAME dpdk DEVARGS",
	  .help = "add a port (vhost-user: default server, RUN_DIR/NAME.sock)",
	  .min_args = 2, .max_args = 4, .build = build_add_port },
	{ .name = "del-port", .args = "NAME", .help = "delete port NAME",
	  .min_args = 1, .max_args = 1, .build = build_name },
	{ .name = "dump-ports", .args = "[NAME]",
	  .help = "print the counters of every port, or of NAME",
	  .min_args = 0, .max_args = 1, .read_only = true, .build = build_name,
	  .print = print_dump_ports },
	{ .name = "show", .args = "", .help = "print the dataplane state, ports, flow count",
	  .min_args = 0, .max_args = 0, .read_only = true, .print = print_show },
};

const struct vsw_cli_group vsw_cli_port_group = {
	.title = "Port commands",
	.cmds = port_cmds,
	.n_cmds = sizeof(port_cmds) / sizeof(port_cmds[0]),
};
