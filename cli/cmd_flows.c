/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl flow commands: add-flow, add-flows, mod-flows, del-flows,
 * dump-flows, replace-flows. See cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
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

/* mod-flows [--strict] SPEC */
static int build_mod_flows(const struct vsw_cli_inv *inv, json_t *req, char *err,
			   size_t errlen)
{
	if (json_object_set_new(req, "flow", json_string(inv->argv[0])) ||
	    json_object_set_new(req, "strict", json_boolean(inv->opts & VSW_CLI_OPT_STRICT)))
		return vsw_cli_fail(err, errlen, -ENOMEM, "mod-flows: out of memory");
	return 0;
}

/*
 * The lines of FILE ("-": standard input), without their line ends, as a
 * JSON array. vsw-control parses them and names the line of an error.
 * 0, or -errno (the file cannot be read, a line is not UTF-8) and a message.
 */
static int read_lines(const char *cmd, const char *path, json_t *lines, char *err,
		      size_t errlen)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, no = 0;
	ssize_t len;
	int rc = 0;

	if (!f)
		return vsw_cli_fail(err, errlen, -errno, "%s: %s: %s", cmd, path, strerror(errno));
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		no++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (json_array_append_new(lines, json_stringn(line, (size_t)len))) {
			rc = vsw_cli_fail(err, errlen, -EILSEQ, "%s: %s:%zu: not UTF-8 text", cmd,
					  is_stdin ? "stdin" : path, no);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = vsw_cli_fail(err, errlen, errno ? -errno : -EIO, "%s: %s: %s", cmd, path,
				  strerror(errno ? errno : EIO));
	free(line);
	if (!is_stdin)
		fclose(f);
	return rc;
}

/* add-flows FILE, replace-flows FILE */
static int build_file(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	const char *path = inv->argv[0];
	json_t *lines;
	int rc;

	if (!*path)
		return vsw_cli_fail(err, errlen, -EINVAL, "%s: empty file name", inv->cmd->name);
	lines = json_array();
	if (!lines)
		return vsw_cli_fail(err, errlen, -ENOMEM, "%s: out of memory", inv->cmd->name);
	rc = read_lines(inv->cmd->name, path, lines, err, errlen);
	if (rc) {
		json_decref(lines);
		return rc;
	}
	if (json_object_set_new(req, "file", json_string(strcmp(path, "-") ? path : "stdin")) ||
	    json_object_set_new(req, "lines", lines))
		return vsw_cli_fail(err, errlen, -ENOMEM, "%s: out of memory", inv->cmd->name);
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
 * A rule of the tenant pipeline names its owner after the cookie
 * ("cookie=0x7673770000010004, tenant=blue, duration=...").
 * With an empty match: "..., idle_age=3, actions=drop". Timeouts, when a
 * rule has them, come before idle_age ("n_bytes=0, idle_timeout=10,
 * hard_timeout=60, idle_age=0, ..."), so that the line parses back to the
 * same rule.
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
		const char *owner = vsw_cli_str_opt(&rd, f, "owner");
		const char *match = vsw_cli_str(&rd, f, "match");
		const char *actions = vsw_cli_str(&rd, f, "actions");
		long long idle_to = json_object_get(f, "idle_timeout") ?
				    vsw_cli_int(&rd, f, "idle_timeout") : 0;
		long long hard_to = json_object_get(f, "hard_timeout") ?
				    vsw_cli_int(&rd, f, "hard_timeout") : 0;
		char timeouts[64] = "";

		if (rd.rc)
			return rd.rc;
		if (!strcmp(cookie, "0")) /* "0x%llx" of 0 */
			strcpy(cookie, "0x0");
		if (idle_to)
			snprintf(timeouts, sizeof(timeouts), "idle_timeout=%lld, ", idle_to);
		if (hard_to)
			snprintf(timeouts + strlen(timeouts), sizeof(timeouts) - strlen(timeouts),
				 "hard_timeout=%lld, ", hard_to);
		fprintf(out, " cookie=%s, %s%sduration=%.3fs, table=%lld, n_packets=%lld, "
			     "n_bytes=%lld, %sidle_age=%lld, %s%sactions=%s\n",
			cookie, owner ? owner : "", owner ? ", " : "", duration, table, n_packets,
			n_bytes, timeouts, idle_age, match, *match ? " " : "", actions);
	}
	return rd.rc;
}

static const struct vsw_cli_cmd flow_cmds[] = {
	{ .name = "add-flow", .args = "SPEC",
	  .help = "add a flow: [priority=N,]MATCH,actions=LIST",
	  .min_args = 1, .max_args = 1, .build = build_add_flow },
	{ .name = "add-flows", .args = "FILE",
	  .help = "add FILE's flows ('-': stdin): all or none",
	  .min_args = 1, .max_args = 1, .build = build_file },
	{ .name = "mod-flows", .args = "[--strict] SPEC",
	  .help = "new actions (same counters) where SPEC matches",
	  .min_args = 1, .max_args = 1, .options = VSW_CLI_OPT_STRICT, .build = build_mod_flows },
	{ .name = "del-flows", .args = "[--strict] [MATCH]",
	  .help = "delete the flows that MATCH (or all flows)",
	  .min_args = 0, .max_args = 1, .options = VSW_CLI_OPT_STRICT, .build = build_filter },
	{ .name = "dump-flows", .args = "[MATCH]", .help = "print every flow, or those that MATCH",
	  .min_args = 0, .max_args = 1, .read_only = true, .build = build_filter,
	  .print = print_dump_flows },
	{ .name = "replace-flows", .args = "FILE",
	  .help = "make the flows FILE's; the same keep counters",
	  .min_args = 1, .max_args = 1, .build = build_file },
};

const struct vsw_cli_group vsw_cli_flow_group = {
	.title = "Flow commands",
	.cmds = flow_cmds,
	.n_cmds = sizeof(flow_cmds) / sizeof(flow_cmds[0]),
};
