/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl flow commands: add-flow, del-flows, dump-flows. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <string.h>

/*
 * Flow text goes to vsw-control exactly as the user wrote it: vsw-control
 * parses and validates it (and names what is wrong in its error reply).
 */

/* add-flow SPEC */
static int build_add_flow(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	if (json_object_set_new(req, "flow", json_string(inv->argv[0])))
		return vsw_cli_fail(err, errlen, -ENOMEM, "add-flow: out of memory");
	return 0;
}

/* del-flows [--strict] [MATCH], dump-flows [MATCH]: an absent MATCH is no filter. */
static int build_filter(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	if ((inv->argc && json_object_set_new(req, "flow", json_string(inv->argv[0]))) ||
	    ((inv->cmd->options & VSW_CLI_OPT_STRICT) &&
	     json_object_set_new(req, "strict", json_boolean(inv->opts & VSW_CLI_OPT_STRICT))))
		return vsw_cli_fail(err, errlen, -ENOMEM, "%s: out of memory", inv->cmd->name);
	return 0;
}

/*
 * As ovs-ofctl dump-flows, one line per flow (wrapped here):
 *  cookie=0x0, duration=12.345s, table=0, n_packets=10, n_bytes=600,
 *  idle_age=3, priority=100,in_port=vm1 actions=output:vm2
 * With an empty match: "..., idle_age=3, actions=drop".
 */
static int print_dump_flows(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *flows, *f;
	size_t i;

	vsw_cli_rd_init(&rd, err, errlen);
	flows = vsw_cli_array(&rd, reply, "flows");
	json_array_foreach(flows, i, f) {
		char cookie[32];

		vsw_cli_rd_where(&rd, "flows[%zu]", i);
		if (!vsw_cli_is_object(&rd, f))
			return rd.rc;
		json_t *c = json_object_get(f, "cookie");
		if (json_is_integer(c))
			snprintf(cookie, sizeof(cookie), "0x%llx",
				 (unsigned long long)json_integer_value(c));
		else
			snprintf(cookie, sizeof(cookie), "%s", vsw_cli_str(&rd, f, "cookie"));
		double duration = vsw_cli_num(&rd, f, "duration");
		long long table = vsw_cli_int(&rd, f, "table");
		long long n_packets = vsw_cli_int(&rd, f, "n_packets");
		long long n_bytes = vsw_cli_int(&rd, f, "n_bytes");
		long long idle_age = vsw_cli_int(&rd, f, "idle_age");
		const char *match = vsw_cli_str(&rd, f, "match");
		const char *actions = vsw_cli_str(&rd, f, "actions");

		if (rd.rc)
			return rd.rc;
		if (!strcmp(cookie, "0")) /* "0x%llx" of 0 */
			strcpy(cookie, "0x0");
		fprintf(out, " cookie=%s, duration=%.3fs, table=%lld, n_packets=%lld, "
			     "n_bytes=%lld, idle_age=%lld, %s%sactions=%s\n",
			cookie, duration, table, n_packets, n_bytes, idle_age, match,
			*match ? " " : "", actions);
	}
	return rd.rc;
}

static const struct vsw_cli_cmd flow_cmds[] = {
	{ .name = "add-flow", .args = "SPEC",
	  .help = "add a flow: [priority=N,]MATCH,actions=LIST",
	  .min_args = 1, .max_args = 1, .build = build_add_flow },
	{ .name = "del-flows", .args = "[--strict] [MATCH]",
	  .help = "delete the flows that MATCH (or all flows)",
	  .min_args = 0, .max_args = 1, .options = VSW_CLI_OPT_STRICT, .build = build_filter },
	{ .name = "dump-flows", .args = "[MATCH]", .help = "print every flow, or those that MATCH",
	  .min_args = 0, .max_args = 1, .read_only = true, .build = build_filter,
	  .print = print_dump_flows },
};

const struct vsw_cli_group vsw_cli_flow_group = {
	.title = "Flow commands",
	.cmds = flow_cmds,
	.n_cmds = sizeof(flow_cmds) / sizeof(flow_cmds[0]),
};
