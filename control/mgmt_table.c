/* SPDX-License-Identifier: BSD-3-Clause */
/* Table commands: dump-tables, mod-table. See PROTOCOL.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_cmds.h"
#include "proto.h"

/* Without a dataplane: what the configuration says (no lookups counted). */
static json_t *tables_from_config(const struct vsw_config *cfg)
{
	size_t active[VSW_FT_N_TABLES] = { 0 };
	json_t *out = json_array();

	for (size_t i = 0; i < cfg->n_flows; i++)
		active[cfg->flows[i].table]++;
	for (unsigned t = 0; out && t < VSW_FT_N_TABLES; t++) {
		if (!active[t] && cfg->miss[t] == VSW_MISS_DROP)
			continue;
		json_array_append_new(out, json_pack("{s:i,s:I,s:i,s:i,s:s}", "table", (int)t,
						     "active", (json_int_t)active[t], "lookups", 0,
						     "matches", 0, "miss",
						     vsw_table_miss_name(cfg->miss[t])));
	}
	return out;
}

static json_t *dump_tables(struct vsw_control *ctl, json_t *req)
{
	json_t *tables = NULL, *r;
	char err[512];
	int rc = -ENOTCONN;

	(void)req;
	if (vsw_dpconn_connected(&ctl->dp))
		rc = vsw_dpconn_table_list(&ctl->dp, &tables, err, sizeof(err));
	if (rc == -EREMOTEIO)
		return vsw_proto_error("dataplane: %s", err);
	if (rc)
		tables = tables_from_config(&ctl->cfg);
	if (!tables)
		return vsw_proto_error("out of memory");
	r = vsw_proto_ok();
	json_object_set_new(r, "tables", tables);
	return r;
}

static json_t *mod_table(struct vsw_control *ctl, json_t *req)
{
	enum vsw_table_miss miss;
	const char *name;
	json_t *r = NULL;
	unsigned table;
	char err[512];
	int rc, dp_rc;

	if (vsw_mgmt_arg_uint(req, "table", VSW_FT_N_TABLES - 1, &table, &r) ||
	    vsw_mgmt_arg_str(req, "miss", true, &name, &r))
		return r;
	if (vsw_table_miss_parse(name, &miss))
		return vsw_proto_error("mod-table: miss policy '%.32s' is not drop or continue",
				       name);
	if (vsw_config_table_check(table, err, sizeof(err)))
		return vsw_proto_error("%s", err);

	/* Also when unchanged: the dataplane is told again, which is harmless. */
	rc = vsw_store_begin(ctl->store);
	if (!rc)
		rc = vsw_store_set_miss(ctl->store, table, vsw_table_miss_name(miss));
	if (rc)
		return vsw_mgmt_store_failed(ctl, "mod-table", rc);
	dp_rc = vsw_dpconn_table_mod(&ctl->dp, table, vsw_table_miss_name(miss), err,
				     sizeof(err));
	if (dp_rc == -EREMOTEIO) {
		vsw_store_rollback(ctl->store);
		return vsw_proto_error("dataplane: %s", err);
	}
	r = vsw_mgmt_commit(ctl, "mod-table", dp_rc);
	if (r)
		return r;
	ctl->cfg.miss[table] = (uint8_t)miss;
	vsw_info(&ctl->log, "mod-table %u %s%s", table, vsw_table_miss_name(miss),
		 vsw_mgmt_dp_note(dp_rc));
	return vsw_proto_ok();
}

const struct vsw_mgmt_cmd vsw_mgmt_table_cmds[] = {
	{ "dump-tables", dump_tables, true },
	{ "mod-table", mod_table, false },
	{ NULL, NULL, false },
};
