/* SPDX-License-Identifier: BSD-3-Clause */
/* The dataplane's operations commands: log-level (ctl.h, PROTOCOL.md). Main lcore only. */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "log.h"
#include "proto.h"

static json_t *module_list(void)
{
	json_t *mods = json_array();

	for (unsigned int i = 0; mods && i < vsw_log_n_modules; i++)
		json_array_append_new(mods, json_pack("{s:s,s:s}", "module", vsw_log_modules[i],
						      "level", vsw_log_level(vsw_log_modules[i])));
	return mods;
}

/* Without arguments: every module and its level. With module and level: set it. */
static json_t *cmd_log_level(struct vsw_dp *dp, json_t *req)
{
	json_t *jm = json_object_get(req, "module"), *jl = json_object_get(req, "level");
	const char *module = json_string_value(jm), *name = json_string_value(jl);
	char known[256] = "";
	int level;

	(void)dp;
	if ((!jm || json_is_null(jm)) && (!jl || json_is_null(jl)))
		return json_pack("{s:b,s:o}", "ok", 1, "modules", module_list());
	if (!module || !name)
		return vsw_proto_error("log-level: \"module\" and \"level\" must both be strings");
	level = vsw_proto_log_level_parse(name);
	if (level < 0)
		return vsw_proto_error("log-level: level '%.32s' is not " VSW_PROTO_LOG_LEVELS,
				       name);
	if (vsw_log_set_level(module, level)) {
		for (unsigned int i = 0; i < vsw_log_n_modules; i++)
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
				 i ? ", " : "", vsw_log_modules[i]);
		return vsw_proto_error("log-level: unknown module '%.64s' (the dataplane's: %s)",
				       module, known);
	}
	VSW_LOG(ctl, NOTICE, "log level of %s set to %s", module, name);
	return vsw_proto_ok();
}

const struct vsw_ctl_cmd vsw_ctl_ops_cmds[] = {
	{ "log-level", cmd_log_level, false },
	{ NULL, NULL, false },
};
