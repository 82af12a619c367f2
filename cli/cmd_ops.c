/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl operations commands: log-level. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include "proto.h"

#define MODULE_MAX 64

static bool module_ok(const char *m)
{
	size_t n = strlen(m);

	if (!n || n > MODULE_MAX)
		return false;
	return strspn(m, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* log-level [MODULE LEVEL] */
static int build_log_level(const struct vsw_cli_inv *inv, json_t *req, char *err, size_t errlen)
{
	const char *module, *level;

	if (inv->argc == 0)
		return 0;
	if (inv->argc != 2)
		return vsw_cli_fail(err, errlen, -EINVAL, "log-level: expected MODULE LEVEL, or nothing "
				    "to list the modules");
	module = inv->argv[0];
	level = inv->argv[1];
	if (!module_ok(module))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "log-level: '%s' is not a module name; try 'vswctl log-level'",
				    module);
	if (vsw_proto_log_level_parse(level) < 0)
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "log-level: unknown level '%s'; expected " VSW_PROTO_LOG_LEVELS,
				    level);
	if (json_object_set_new(req, "module", json_string(module)) ||
	    json_object_set_new(req, "level", json_string(level)))
		return vsw_cli_fail(err, errlen, -ENOMEM, "log-level: out of memory");
	return 0;
}

/*
 *   MODULE          LEVEL    PROCESS
 *   control         info     vsw-control
 *   vsw.pmd         debug    vsw-dataplane
 * Setting a level replies without "modules" and prints nothing.
 */
static int print_log_level(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *mods, *m;
	size_t i;

	if (!json_object_get(reply, "modules"))
		return 0;
	vsw_cli_rd_init(&rd, err, errlen);
	mods = vsw_cli_array(&rd, reply, "modules");
	if (rd.rc)
		return rd.rc;
	fprintf(out, "%-20s %-8s %s\n", "MODULE", "LEVEL", "PROCESS");
	json_array_foreach(mods, i, m) {
		vsw_cli_rd_where(&rd, "modules[%zu]", i);
		if (!vsw_cli_is_object(&rd, m))
			return rd.rc;
		const char *module = vsw_cli_str(&rd, m, "module");
		const char *level = vsw_cli_str(&rd, m, "level");
		const char *process = vsw_cli_str(&rd, m, "process");

		if (rd.rc)
			return rd.rc;
		fprintf(out, "%-20s %-8s %s\n", module, level, process);
	}
	json_t *dp = json_object_get(reply, "dataplane");
	if (json_is_string(dp) && !strcmp(json_string_value(dp), "disconnected"))
		fprintf(out, "(vsw-dataplane is not connected: its modules are not listed)\n");
	return 0;
}

static const struct vsw_cli_cmd ops_cmds[] = {
	{ .name = "log-level", .args = "[MODULE LEVEL]",
	  .help = "list log modules; set one: error, warning, info, debug",
	  .min_args = 0, .max_args = 2, .read_only = true,
	  .build = build_log_level, .print = print_log_level },
};

const struct vsw_cli_group vsw_cli_ops_group = {
	.title = "Operations",
	.cmds = ops_cmds,
	.n_cmds = sizeof(ops_cmds) / sizeof(ops_cmds[0]),
};
