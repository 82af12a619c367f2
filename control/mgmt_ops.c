/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operations commands: log-level (PROTOCOL.md). vsw-control's own modules
 * are set here; the dataplane's (vsw.*) are forwarded to its log-level
 * command. Levels are run-time state: a restarted daemon starts again from
 * its command line's.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "mgmt_cmds.h"
#include "proto.h"

/* vsw-control's log modules, each a struct vsw_log in struct vsw_control. */
static const struct {
	const char *name;
	size_t offset;
} modules[] = {
	{ "control", offsetof(struct vsw_control, log) },
	{ "control.mgmt", offsetof(struct vsw_control, log_mgmt) },
	{ "control.dpconn", offsetof(struct vsw_control, log_dpconn) },
};
#define N_MODULES (sizeof(modules) / sizeof(modules[0]))
#define OUR_MODULES "control, control.mgmt, control.dpconn"

static const enum vsw_log_level from_proto[VSW_PROTO_LOG_N] = {
	[VSW_PROTO_LOG_ERROR] = VSW_LOG_ERROR,
	[VSW_PROTO_LOG_WARNING] = VSW_LOG_WARNING,
	[VSW_PROTO_LOG_INFO] = VSW_LOG_INFO,
	[VSW_PROTO_LOG_DEBUG] = VSW_LOG_DEBUG,
};

static struct vsw_log *module_log(struct vsw_control *ctl, size_t i)
{
	return (struct vsw_log *)((char *)ctl + modules[i].offset);
}

void vsw_mgmt_logs_init(struct vsw_control *ctl, enum vsw_log_level level)
{
	for (size_t i = 0; i < N_MODULES; i++) {
		struct vsw_log *log = module_log(ctl, i);

		vsw_log_init(log);
		log->level = level;
		log->module = i ? modules[i].name : NULL; /* the main log's lines stay as they were */
	}
}

static const char *level_name(enum vsw_log_level level)
{
	for (int i = 0; i < VSW_PROTO_LOG_N; i++)
		if (from_proto[i] == level)
			return vsw_proto_log_level_name(i);
	return "?";
}

/* The dataplane's modules ({module, level} array) or NULL with *rc: -ENOTCONN/-EREMOTEIO. */
static json_t *dataplane_modules(struct vsw_control *ctl, int *rc, char *err, size_t errlen)
{
	json_t *reply = NULL, *mods;

	*rc = -ENOTCONN;
	if (!vsw_dpconn_connected(&ctl->dp))
		return NULL;
	*rc = vsw_dpconn_call(&ctl->dp, json_pack("{s:s}", "cmd", "log-level"), &reply, err,
			      errlen);
	if (*rc)
		return NULL;
	mods = json_object_get(reply, "modules");
	if (!json_is_array(mods)) {
		snprintf(err, errlen, "malformed log-level reply");
		*rc = -EREMOTEIO;
		mods = NULL;
	}
	json_incref(mods);
	json_decref(reply);
	return mods;
}

static json_t *list(struct vsw_control *ctl)
{
	json_t *out = json_array(), *dp_mods, *m;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; out && i < N_MODULES; i++)
		json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "module", modules[i].name,
						     "level", level_name(module_log(ctl, i)->level),
						     "process", "vsw-control"));
	dp_mods = dataplane_modules(ctl, &rc, err, sizeof(err));
	json_array_foreach(dp_mods, i, m) {
		const char *name = json_string_value(json_object_get(m, "module"));
		const char *level = json_string_value(json_object_get(m, "level"));

		if (name && level && out)
			json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "module", name,
							     "level", level, "process",
							     "vsw-dataplane"));
	}
	json_decref(dp_mods);
	if (!out)
		return vsw_proto_error("out of memory");
	(void)rc; /* a dataplane that refused: its modules are not listed */
	return json_pack("{s:b,s:o,s:s}", "ok", 1, "modules", out, "dataplane",
			 vsw_dpconn_connected(&ctl->dp) ? "connected" : "disconnected");
}

/* Is `module` among the dataplane's? Else the error reply. */
static json_t *check_dataplane_module(struct vsw_control *ctl, const char *module)
{
	char err[256], known[512] = "";
	json_t *mods, *m, *r = NULL;
	size_t i;
	int rc;

	mods = dataplane_modules(ctl, &rc, err, sizeof(err));
	if (rc == -ENOTCONN)
		return vsw_proto_error("unknown module '%.64s' (vsw-control's: "
				       OUR_MODULES "; the dataplane's, vsw.*, while it is "
				       "connected)", module);
	if (rc)
		return vsw_proto_error("dataplane: %s", err);
	json_array_foreach(mods, i, m) {
		const char *name = json_string_value(json_object_get(m, "module"));

		if (name && !strcmp(name, module))
			goto out;
		snprintf(known + strlen(known), sizeof(known) - strlen(known), ", %s",
			 name ? name : "?");
	}
	r = vsw_proto_error("unknown module '%.64s' (vsw-control's: " OUR_MODULES
			    "; vsw-dataplane's: %s)", module, known[0] ? known + 2 : "none");
out:
	json_decref(mods);
	return r;
}

static json_t *log_level(struct vsw_control *ctl, json_t *req)
{
	const char *module, *name;
	json_t *r = NULL, *reply = NULL;
	char err[256];
	int level, rc;

	if (vsw_mgmt_arg_str(req, "module", false, &module, &r) ||
	    vsw_mgmt_arg_str(req, "level", false, &name, &r))
		return r;
	if (!module && !name)
		return list(ctl);
	if (!module || !name)
		return vsw_proto_error("give both \"module\" and \"level\", or neither");
	level = vsw_proto_log_level_parse(name);
	if (level < 0)
		return vsw_proto_error("level '%.32s' is not " VSW_PROTO_LOG_LEVELS, name);
	for (size_t i = 0; i < N_MODULES; i++) {
		if (strcmp(module, modules[i].name))
			continue;
		module_log(ctl, i)->level = from_proto[level];
		vsw_info(&ctl->log, "log level of %s set to %s", module, name);
		return vsw_proto_ok();
	}
	r = check_dataplane_module(ctl, module);
	if (r)
		return r;
	rc = vsw_dpconn_call(&ctl->dp, json_pack("{s:s,s:s,s:s}", "cmd", "log-level", "module",
						 module, "level", name),
			     &reply, err, sizeof(err));
	json_decref(reply);
	if (rc == -ENOTCONN)
		return vsw_proto_error("the dataplane is not connected");
	if (rc)
		return vsw_proto_error("dataplane: %s", err);
	vsw_info(&ctl->log, "log level of %s (vsw-dataplane) set to %s", module, name);
	return vsw_proto_ok();
}

const struct vsw_mgmt_cmd vsw_mgmt_ops_cmds[] = {
	{ "log-level", log_level, false },
	{ NULL, NULL, false },
};
