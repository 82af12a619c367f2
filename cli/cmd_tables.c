/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl table commands: dump-tables, mod-table. See cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define N_TABLES 255 /* tables 0..254 */

/* mod-table TABLE drop|continue */
static int build_mod_table(const struct vsw_cli_inv *inv, json_t *req, char *err,
			   size_t errlen)
{
	const char *t = inv->argv[0], *miss = inv->argv[1];
	char *end;
	unsigned long table;

	errno = 0;
	table = strtoul(t, &end, 10);
	if (!*t || *end || errno || t[0] == '-' || t[0] == '+' || table >= N_TABLES)
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "mod-table: table '%s' is not a number 0..%d", t, N_TABLES - 1);
	if (strcmp(miss, "drop") && strcmp(miss, "continue"))
		return vsw_cli_fail(err, errlen, -EINVAL,
				    "mod-table: unknown miss policy '%s'; expected drop or continue",
				    miss);
	if (json_object_set_new(req, "table", json_integer((json_int_t)table)) ||
	    json_object_set_new(req, "miss", json_string(miss)))
		return vsw_cli_fail(err, errlen, -ENOMEM, "mod-table: out of memory");
	return 0;
}

/*
 * As ovs-ofctl dump-tables, plus the miss policy:
 *   table 0:
 *     active=2, lookup=11, matched=9, miss=drop
 */
static int print_dump_tables(const json_t *reply, FILE *out, char *err, size_t errlen)
{
	struct vsw_cli_rd rd;
	json_t *tables, *t;
	size_t i;

	vsw_cli_rd_init(&rd, err, errlen);
	tables = vsw_cli_array(&rd, reply, "tables");
	json_array_foreach(tables, i, t) {
		vsw_cli_rd_where(&rd, "tables[%zu]", i);
		if (!vsw_cli_is_object(&rd, t))
			return rd.rc;
		long long table = vsw_cli_int(&rd, t, "table");
		long long active = vsw_cli_int(&rd, t, "active");
		long long lookups = vsw_cli_int(&rd, t, "lookups");
		long long matches = vsw_cli_int(&rd, t, "matches");
		const char *miss = vsw_cli_str(&rd, t, "miss");

		if (rd.rc)
			return rd.rc;
		fprintf(out, "  table %lld:\n    active=%lld, lookup=%lld, matched=%lld, miss=%s\n",
			table, active, lookups, matches, miss);
	}
	return rd.rc;
}

static const struct vsw_cli_cmd table_cmds[] = {
	{ .name = "dump-tables", .args = "",
	  .help = "per table: rules, lookups, matches, on a miss",
	  .min_args = 0, .max_args = 0, .read_only = true, .print = print_dump_tables },
	{ .name = "mod-table", .args = "TABLE drop|continue",
	  .help = "on a miss: drop (default) or go to the next",
	  .min_args = 2, .max_args = 2, .build = build_mod_table },
};

const struct vsw_cli_group vsw_cli_table_group = {
	.title = "Table commands",
	.cmds = table_cmds,
	.n_cmds = sizeof(table_cmds) / sizeof(table_cmds[0]),
};
