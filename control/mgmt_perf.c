/* SPDX-License-Identifier: BSD-3-Clause */
/* PMD statistics: pmd-stats, pmd-stats-clear, passed on to the dataplane. See PROTOCOL.md. */
#include <errno.h>

#include "mgmt_cmds.h"
#include "proto.h"

/* Send `cmd` to the dataplane and give its reply back (counters are the dataplane's alone). */
static json_t *forward(struct vsw_control *ctl, const char *cmd)
{
	json_t *reply = NULL;
	char err[512];
	int rc;

	if (!vsw_dpconn_connected(&ctl->dp))
		return vsw_proto_error("the dataplane is not connected");
	rc = vsw_dpconn_call(&ctl->dp, json_pack("{s:s}", "cmd", cmd), &reply, err, sizeof(err));
	if (rc == -EREMOTEIO)
		return vsw_proto_error("dataplane: %s", err);
	if (rc)
		return vsw_proto_error("lost the dataplane: %s", err);
	return reply;
}

static json_t *pmd_stats(struct vsw_control *ctl, json_t *req)
{
	json_t *r = forward(ctl, "pmd-stats");

	(void)req;
	if (json_is_true(json_object_get(r, "ok")) &&
	    !json_is_array(json_object_get(r, "pmds"))) {
		json_decref(r);
		return vsw_proto_error("dataplane: reply has no 'pmds' array");
	}
	return r;
}

static json_t *pmd_stats_clear(struct vsw_control *ctl, json_t *req)
{
	json_t *r = forward(ctl, "pmd-stats-clear");

	(void)req;
	if (json_is_true(json_object_get(r, "ok")))
		vsw_info(&ctl->log, "pmd-stats-clear");
	return r;
}

const struct vsw_mgmt_cmd vsw_mgmt_perf_cmds[] = {
	{ "pmd-stats", pmd_stats, true },
	{ "pmd-stats-clear", pmd_stats_clear, false },
	{ NULL, NULL, false },
};
